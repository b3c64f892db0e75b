-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- A present day: a distinct (period, date) with at least one LASNA row, of a known period.
with attendance as (

    select * from {{ ref('int_attendance') }}
    where
        period_known and status = 'LASNA'
        and {{ changed_providers(['attendance', 'periods']) }}

),

final as (

    select
        provider_id,
        period_id,
        attendance_date,
        -- rows of one period carry one client; should a corrected row disagree, the same one every build
        min(client_pseudonym) as client_pseudonym,
        any_value(service_product) as service_product,
        any_value(rule_set) as rule_set,
        any_value(hours_per_day_min) as hours_per_day_min,
        any_value(hours_per_day_max) as hours_per_day_max,
        any_value(days_per_week_max) as days_per_week_max,
        year(attendance_date) as attendance_year,
        isoyear(attendance_date) as iso_year,
        week(attendance_date) as iso_week,
        sum(hours) as present_hours,
        count(hours) as rows_with_hours,
        count(*) filter (where mode = 'ETA') as remote_rows,
        count(*) as present_rows,
        {{ load_watermark() }} as built_load_seq
    from attendance
    group by provider_id, period_id, attendance_date

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
