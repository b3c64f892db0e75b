with periods as (

    select * from {{ ref('int_periods') }}

),

final as (

    select
        provider_id,
        period_id,
        unit_id,
        client_pseudonym,
        service_product,
        rule_set,
        start_date,
        planned_end_date,
        end_date,
        start_year,
        end_year,
        planned_days_per_week,
        planned_hours_per_day,
        remote_share_planned,
        responsible_worker_id,
        plan_delivered_date,
        plan_due_date,
        mid_evaluation_date,
        final_evaluation_date,
        interim_report_date,
        interim_report_due_date,
        final_report_date,
        final_report_due_date,
        outcome,
        continues,
        granted_units,
        unit_price,
        granted_units * unit_price as voucher_value,
        age_eligible,
        source_file_id,
        source_row
    from periods

)

select * from final
