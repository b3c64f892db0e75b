-- noqa: disable=AL03
-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- (union branches take their column names from the first branch or the CTE column list)
-- KPI units counted from the coaching diary: attendance rows, present days, period weeks, group
-- sessions and absences. Columns as in int_kpi_units.
with attendance as (

    select * from {{ ref('int_attendance') }}
    where period_known and {{ changed_providers(['attendance', 'periods']) }}

),

present_days as (

    select * from {{ ref('int_present_days') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

period_weeks as (

    select * from {{ ref('int_period_weeks') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

group_sessions as (

    select * from {{ ref('int_group_sessions') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

attendance_rate as (

    select
        provider_id,
        attendance_year as kpi_year,
        'ATTENDANCE_RATE' as kpi,
        'attendance_row' as unit_type,
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity as unit_id,
        client_pseudonym,
        attendance_date as unit_date,
        case when status = 'LASNA' then 1 else 0 end as numerator,
        1 as denominator,
        status = 'LASNA' as passed
    from attendance
    where status = 'LASNA' or status like 'POISSA\_%' escape '\' or status = 'PERUUTUS_ASIAKAS'

),

hours_within_limits as (

    select
        provider_id,
        attendance_year,
        'HOURS_WITHIN_LIMITS',
        'present_day',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d'),
        client_pseudonym,
        attendance_date,
        case when present_hours between hours_per_day_min and hours_per_day_max then 1 else 0 end,
        1,
        present_hours between hours_per_day_min and hours_per_day_max
    from present_days
    where hours_per_day_max is not null and rows_with_hours > 0

),

days_per_week as (

    select
        provider_id,
        attendance_year,
        'DAYS_PER_WEEK_WITHIN_LIMITS',
        'period_week',
        period_id || ' ' || iso_year || '-W' || lpad(iso_week::varchar, 2, '0'),
        client_pseudonym,
        first_present_date,
        case when present_days <= days_per_week_max then 1 else 0 end,
        1,
        present_days <= days_per_week_max
    from period_weeks
    where days_per_week_max is not null

),

group_size as (

    select
        provider_id,
        attendance_year,
        'GROUP_SIZE_WITHIN_LIMITS',
        'group_session',
        group_id || ' ' || strftime(attendance_date, '%Y-%m-%d'),
        null::varchar,
        attendance_date,
        case when size_within_limits then 1 else 0 end,
        1,
        coalesce(size_within_limits, false)
    from group_sessions

),

kela as (

    select
        provider_id,
        attendance_year,
        'ABSENCES_REPORTED_TO_KELA',
        'attendance_row',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity,
        client_pseudonym,
        attendance_date,
        case when kela_reported_date <= attendance_date + 14 then 1 else 0 end,
        1,
        coalesce(kela_reported_date <= attendance_date + 14, false)
    from attendance
    where
        status in ('POISSA_SAIRAUS', 'POISSA_MUU', 'POISSA_ILMOITTAMATTA')
        and (service_product like 'KTT\_%' escape '\' or service_product like 'PS\_%' escape '\')

),

unioned (
    provider_id, kpi_year, kpi, unit_type, unit_id, client_pseudonym, unit_date, numerator, denominator, passed
) as (

    select * from attendance_rate
    union all
    select * from hours_within_limits
    union all
    select * from days_per_week
    union all
    select * from group_size
    union all
    select * from kela

)

select
    *,
    {{ load_watermark() }} as built_load_seq
from unioned
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
