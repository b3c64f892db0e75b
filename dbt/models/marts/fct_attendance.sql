-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert', on_schema_change='fail') }}

-- The coaching diary: one row per current diary row, with its period's product and the
-- calendar facts the findings use.
with attendance as (

    select * from {{ ref('int_attendance') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

final as (

    select
        provider_id,
        period_id,
        client_pseudonym,
        attendance_date,
        attendance_year,
        iso_year,
        iso_week,
        status,
        mode,
        hours,
        activity,
        group_id,
        kela_reported_date,
        period_known,
        service_product,
        is_weekend,
        is_holiday,
        is_outside_period,
        source_file_id,
        source_row,
        built_load_seq
    from attendance

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
