-- One row per counted unit of every KPI of kpis.md: its contribution to the numerator and the
-- denominator, and whether it passed. fct_kpis adds these up; fct_findings lists the units that
-- did not pass behind every deviation. Units are built on the current view, loaded rows only.
with period_units as (

    select * from {{ ref('int_kpi_period_units') }}

),

diary_units as (

    select * from {{ ref('int_kpi_diary_units') }}

),

feedback_units as (

    select * from {{ ref('int_kpi_feedback_units') }}

),

staff_units as (

    select * from {{ ref('int_kpi_staff_units') }}

),

unioned as (

    select * from period_units
    union all
    select * from diary_units
    union all
    select * from feedback_units
    union all
    select * from staff_units

)

select * from unioned
