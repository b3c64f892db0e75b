-- A period with its provider's rule set and its product's limits, and the due dates of the
-- documents it owes. A period's product, and so its limits, is its service_product.
with periods as (

    select * from {{ ref('stg_periods') }}

),

providers as (

    select * from {{ ref('stg_providers') }}

),

products as (

    select * from {{ ref('products') }}

),

final as (

    select
        periods.*,
        providers.rule_set,
        providers.soteri_registered,
        providers.is_company,
        providers.contract_products,
        products.product is not null as product_known,
        products.days_per_week_max,
        products.hours_per_day_min,
        products.hours_per_day_max,
        products.group_min,
        products.group_max,
        products.age_min,
        products.age_max,
        products.remote_share_max,
        products.coaching_hours_max,
        coalesce(products.needs_soteri, false) as needs_soteri,
        coalesce(products.rehabilitative_work_activity, false) as rehabilitative_work_activity,
        year(periods.start_date) as start_year,
        year(periods.end_date) as end_year,
        periods.start_date + 14 as plan_due_date,
        periods.end_date + 14 as final_report_due_date,
        case
            when periods.continues
                then periods.end_date - case when periods.end_date - periods.start_date <= 62 then 7 else 21 end
        end as interim_report_due_date,
        periods.client_age_at_start between products.age_min and products.age_max as age_eligible
    from periods
    left join providers on periods.provider_id = providers.provider_id
    left join products on periods.service_product = products.product

)

select * from final
