-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- Every current diary row with its period (when the period is known for the same provider),
-- the calendar facts the findings need, and its ISO week.
with attendance as (

    select * from {{ ref('stg_attendance') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

periods as (

    select * from {{ ref('int_periods') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

holidays as (

    select * from {{ ref('finnish_holidays') }}

),

final as (

    select
        attendance.* exclude (built_load_seq),
        year(attendance.attendance_date) as attendance_year,
        isoyear(attendance.attendance_date) as iso_year,
        week(attendance.attendance_date) as iso_week,
        periods.period_id is not null as period_known,
        periods.service_product,
        periods.rule_set,
        periods.start_date as period_start_date,
        periods.end_date as period_end_date,
        periods.hours_per_day_min,
        periods.hours_per_day_max,
        periods.days_per_week_max,
        isodow(attendance.attendance_date) >= 6 as is_weekend,
        holidays.holiday_date is not null as is_holiday,
        holidays.name_fi as holiday_name_fi,
        periods.period_id is not null
        and (
            attendance.attendance_date < periods.start_date
            or attendance.attendance_date > periods.end_date
        ) as is_outside_period,
        {{ load_watermark() }} as built_load_seq
    from attendance
    left join periods
        on
            attendance.provider_id = periods.provider_id
            and attendance.period_id = periods.period_id
    left join holidays on attendance.attendance_date = holidays.holiday_date

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
