-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- (period, ISO week) pairs per calendar year: only the week's days in that year are counted,
-- so a week across the new year counts in both years with its own days.
with present_days as (

    select * from {{ ref('int_present_days') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

final as (

    select
        provider_id,
        period_id,
        attendance_year,
        iso_year,
        iso_week,
        -- rows of one period carry one client; should a corrected row disagree, the same one every build
        min(client_pseudonym) as client_pseudonym,
        any_value(service_product) as service_product,
        any_value(days_per_week_max) as days_per_week_max,
        min(attendance_date) as first_present_date,
        count(*) as present_days,
        {{ load_watermark() }} as built_load_seq
    from present_days
    group by provider_id, period_id, attendance_year, iso_year, iso_week

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
