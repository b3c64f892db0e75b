-- noqa: disable=AL03
-- (union branches take their column names from the first branch or the CTE column list)
-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- KPI units counted from feedback, incidents and survey answers (incidents per 1000 days and
-- end-survey coverage also count present days and ended periods). Columns as in int_kpi_units.
with periods as (

    select * from {{ ref('int_periods') }}
    where {{ changed_providers(['attendance', 'periods', 'feedback', 'incidents', 'survey']) }}

),

present_days as (

    select * from {{ ref('int_present_days') }}
    where {{ changed_providers(['attendance', 'periods', 'feedback', 'incidents', 'survey']) }}

),

feedback as (

    select * from {{ ref('stg_feedback') }}
    where {{ changed_providers(['attendance', 'periods', 'feedback', 'incidents', 'survey']) }}

),

incidents as (

    select * from {{ ref('stg_incidents') }}
    where {{ changed_providers(['attendance', 'periods', 'feedback', 'incidents', 'survey']) }}

),

survey as (

    select * from {{ ref('stg_survey') }}
    where {{ changed_providers(['attendance', 'periods', 'feedback', 'incidents', 'survey']) }}

),

feedback_units as (

    select
        provider_id,
        year(received_date) as kpi_year,
        'COMPLAINT_REPLY_ON_TIME' as kpi,
        feedback_id,
        received_date,
        coalesce(response_date <= received_date + 14, false) as passed
    from feedback
    where feedback_kind in ('REKLAMAATIO', 'VAHINKOILMOITUS')

    union all

    select
        provider_id,
        year(received_date),
        'FEEDBACK_REPLY_ON_TIME',
        feedback_id,
        received_date,
        coalesce(response_date <= received_date + 14, false)
    from feedback
    where feedback_kind = 'PALAUTE'

    union all

    select
        provider_id,
        year(received_date),
        'COMPLAINT_REPORTED_ON_TIME',
        feedback_id,
        received_date,
        coalesce(reported_to_county_date <= received_date + 7, false)
    from feedback
    where feedback_kind in ('REKLAMAATIO', 'VAHINKOILMOITUS')

),

answers as (

    unpivot survey on q1, q2, q3, q4, q5 into name statement value answer

),

feedback_kpis as (

    select
        provider_id,
        kpi_year,
        kpi,
        'feedback',
        feedback_id,
        null,
        received_date,
        case when passed then 1 else 0 end,
        1,
        passed
    from feedback_units

),

incident_kpis as (

    select
        provider_id,
        year(occurred_date),
        'INCIDENT_REPORTED_ON_TIME',
        'incident',
        incident_id,
        null,
        occurred_date,
        case when reported_to_county_date <= occurred_date + 7 then 1 else 0 end,
        1,
        coalesce(reported_to_county_date <= occurred_date + 7, false)
    from incidents

    union all

    -- incidents per 1000 present days: incidents count up, present days count down
    select
        provider_id,
        year(occurred_date),
        'INCIDENTS_PER_1000_DAYS',
        'incident',
        incident_id,
        null,
        occurred_date,
        1,
        0,
        null
    from incidents

    union all

    select
        provider_id,
        attendance_year,
        'INCIDENTS_PER_1000_DAYS',
        'present_day',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d'),
        client_pseudonym,
        attendance_date,
        0,
        1,
        null
    from present_days

),

survey_kpis as (

    select
        provider_id,
        year(response_date),
        'SATISFACTION_MEAN',
        'answer',
        response_id || ' ' || statement,
        null,
        response_date,
        answer,
        1,
        null
    from answers
    where answer is not null

    union all

    select
        provider_id,
        year(response_date),
        'NPS',
        'response',
        response_id,
        null,
        response_date,
        case when nps >= 9 then 1 when nps <= 6 then -1 else 0 end,
        1,
        null
    from survey
    where nps is not null

    union all

    -- end-survey coverage: end-of-relationship answers against periods ended in the year
    select
        provider_id,
        year(response_date),
        'END_SURVEY_COVERAGE',
        'response',
        response_id,
        null,
        response_date,
        1,
        0,
        null
    from survey
    where survey_type = 'PAATTYMISKYSELY'

    union all

    select
        provider_id,
        end_year,
        'END_SURVEY_COVERAGE',
        'period',
        period_id,
        client_pseudonym,
        end_date,
        0,
        1,
        null
    from periods
    where end_date is not null

),

unioned (
    provider_id, kpi_year, kpi, unit_type, unit_id, client_pseudonym, unit_date, numerator, denominator, passed
) as (

    select * from feedback_kpis
    union all
    select * from incident_kpis
    union all
    select * from survey_kpis

)

select
    *,
    {{ load_watermark() }} as built_load_seq
from unioned
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
