-- noqa: disable=AL03
-- (union branches take their column names from the first branch or the CTE column list)
-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- KPI units counted per client period (kpis.md): plan, evaluations, reports, age, outcome,
-- remote share and voucher coaching hours. Columns as in int_kpi_units.
with periods as (

    select * from {{ ref('int_periods') }}
    where {{ changed_providers(['attendance', 'periods']) }}

),

attendance as (

    select * from {{ ref('int_attendance') }}
    where period_known and {{ changed_providers(['attendance', 'periods']) }}

),

period_presence as (

    -- the whole period's LASNA rows: remote share and coaching hours look at all of them
    select
        provider_id,
        period_id,
        count(*) as present_rows,
        count(*) filter (where mode = 'ETA') as remote_rows,
        coalesce(sum(hours), 0) as present_hours
    from attendance
    where status = 'LASNA'
    group by provider_id, period_id

),

period_units as (

    select
        provider_id,
        start_year as kpi_year,
        'PLAN_ON_TIME' as kpi,
        period_id,
        client_pseudonym,
        start_date as unit_date,
        coalesce(plan_delivered_date <= plan_due_date, false) as passed
    from periods

    union all

    select
        provider_id,
        end_year,
        'MID_EVALUATION_DONE',
        period_id,
        client_pseudonym,
        end_date,
        mid_evaluation_date is not null
    from periods
    where end_date is not null

    union all

    select
        provider_id,
        end_year,
        'FINAL_REPORT_ON_TIME',
        period_id,
        client_pseudonym,
        end_date,
        coalesce(final_report_date <= final_report_due_date, false)
    from periods
    where end_date is not null

    union all

    select
        provider_id,
        end_year,
        'INTERIM_REPORT_ON_TIME',
        period_id,
        client_pseudonym,
        end_date,
        coalesce(interim_report_date <= interim_report_due_date, false)
    from periods
    where end_date is not null and continues

    union all

    select
        provider_id,
        start_year,
        'AGE_ELIGIBLE',
        period_id,
        client_pseudonym,
        start_date,
        coalesce(age_eligible, false)
    from periods

    union all

    select
        provider_id,
        end_year,
        'OUTCOME_WORK_OR_EDUCATION',
        period_id,
        client_pseudonym,
        end_date,
        outcome in ('TYO', 'KOULUTUS')
    from periods
    where end_date is not null and outcome is not null

    union all

    select
        periods.provider_id,
        periods.end_year,
        'COACHING_HOURS_WITHIN_VOUCHER',
        periods.period_id,
        periods.client_pseudonym,
        periods.end_date,
        coalesce(presence.present_hours, 0) <= 30
    from periods
    left join period_presence as presence
        on
            periods.provider_id = presence.provider_id
            and periods.period_id = presence.period_id
    where periods.end_date is not null and periods.service_product = 'PS_YKSILOVALMENNUS'

),

remote_share as (

    select
        periods.provider_id,
        periods.end_year,
        'REMOTE_SHARE_WITHIN_LIMIT',
        'period',
        periods.period_id,
        periods.client_pseudonym,
        periods.end_date,
        case when presence.remote_rows / presence.present_rows <= 0.30 then 1 else 0 end,
        1,
        presence.remote_rows / presence.present_rows <= 0.30
    from periods
    inner join period_presence as presence
        on
            periods.provider_id = presence.provider_id
            and periods.period_id = presence.period_id
    where
        periods.end_date is not null
        and (periods.service_product like 'KTT\_%' escape '\' or periods.service_product like 'VAM\_%' escape '\')

),

period_kpis as (

    select
        provider_id,
        kpi_year,
        kpi,
        'period',
        period_id,
        client_pseudonym,
        unit_date,
        case when passed then 1 else 0 end,
        1,
        passed
    from period_units

),

unioned (
    provider_id, kpi_year, kpi, unit_type, unit_id, client_pseudonym, unit_date, numerator, denominator, passed
) as (

    select * from remote_share
    union all
    select * from period_kpis

)

select
    *,
    {{ load_watermark() }} as built_load_seq
from unioned
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
