with source as (

    select * from {{ source('raw', 'periods') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, period_id
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        unit_id,
        period_id,
        client_pseudonym,
        client_sex,
        client_age_at_start,
        service_product,
        start_date,
        planned_end_date,
        end_date,
        planned_days_per_week,
        planned_hours_per_day,
        remote_share_planned,
        responsible_worker_id,
        plan_delivered_date,
        mid_evaluation_date,
        final_evaluation_date,
        interim_report_date,
        final_report_date,
        outcome,
        continues,
        granted_units,
        unit_price,
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
