-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- One row per counted unit of every KPI of kpis.md: its contribution to the numerator and the
-- denominator, and whether it passed. fct_kpis adds these up; fct_findings lists the units that
-- did not pass behind every deviation. Units are built on the current view, loaded rows only.
with period_units as (

    select * from {{ ref('int_kpi_period_units') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}

),

diary_units as (

    select * from {{ ref('int_kpi_diary_units') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}

),

feedback_units as (

    select * from {{ ref('int_kpi_feedback_units') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}

),

staff_units as (

    select * from {{ ref('int_kpi_staff_units') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}

),

unioned as (

    select * exclude (built_load_seq) from period_units
    union all
    select * exclude (built_load_seq) from diary_units
    union all
    select * exclude (built_load_seq) from feedback_units
    union all
    select * from staff_units

)

select
    *,
    {{ load_watermark() }} as built_load_seq
from unioned
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
