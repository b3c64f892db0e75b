with products as (

    select * from {{ ref('products') }}

),

final as (

    select
        product,
        rule_set,
        label_fi,
        days_per_week_min,
        days_per_week_max,
        hours_per_day_min,
        hours_per_day_max,
        group_min,
        group_max,
        group_form,
        period_months_min,
        period_months_max,
        age_min,
        age_max,
        remote_share_max,
        coaching_hours_max,
        needs_soteri,
        rehabilitative_work_activity,
        source_clause
    from products

)

select * from final
