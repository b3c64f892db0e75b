-- noqa: disable=AL03,ST03
-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert', on_schema_change='fail') }}

-- (union branches take their column names from the first branch or the CTE column list;
-- rebuilt_providers is read on incremental builds only)
-- Every case the county must look at: the units behind each KPI deviation, and the findings of
-- kpis.md that are not ratios. Cases are named by provider, pseudonym or record id, never by an
-- identity code.
--
-- Rebuilt provider by provider. A provider's cases come from its own data, except the dated ones
-- (overdue final reports, missing annual documents): those also move with the as-of date and with
-- the years monitored. So the dated cases are computed for everyone on every build (they are
-- few) and compared with the stored ones; a provider whose dated cases differ is rebuilt too.
{%- set rebuilt = 'provider_id in (select provider_id from rebuilt_providers)' if is_incremental() else 'true' %}
with periods as (

    select * from {{ ref('int_periods') }}

),

annual_package as (

    select * from {{ ref('fct_annual_package') }}

),

deadline_cases as (

    select
        provider_id,
        end_year as year,
        case
            when final_report_due_date < {{ as_of_date() }} then 'FINAL_REPORT_OVERDUE'
            else 'FINAL_REPORT_OPEN'
        end as rule,
        'period' as record_type,
        period_id as record_id,
        client_pseudonym,
        final_report_due_date as finding_date,
        'L 5.3, PS 3.1' as clause,
        'Päättyneen jakson loppuyhteenveto puuttuu; määräpäivä ' || {{ fi_date('final_report_due_date') }}
        || '.' as description_fi
    from periods
    where end_date is not null and final_report_date is null

),

document_cases as (

    select
        provider_id,
        reporting_year as year,
        'ANNUAL_DOCUMENT_MISSING' as rule,
        'document' as record_type,
        document as record_id,
        null as client_pseudonym,
        due_date as finding_date,
        'L 5.7' as clause,
        'Vuoden ' || reporting_year || ' asiakirja ' || item_no || ' (' || label_fi || ') puuttui '
        || {{ fi_date('due_date') }}
        || case
            when received_date is null then '; ei vielä saapunut.'
            else '; saapui myöhässä ' || {{ fi_date('received_date') }} || '.'
        end as description_fi
    from annual_package
    where status in ('MISSING', 'LATE')

),

dated_cases as (

    select * from deadline_cases
    union all
    select * from document_cases

),

rebuilt_providers as (

    select provider_id from {{ ref('stg_provider_loads') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}
    union
    {{ providers_whose_rows_moved(
        'dated_cases',
        ['provider_id', 'year', 'rule', 'record_type', 'record_id', 'client_pseudonym', 'finding_date', 'clause',
         'description_fi'],
        "rule in ('FINAL_REPORT_OVERDUE', 'FINAL_REPORT_OPEN', 'ANNUAL_DOCUMENT_MISSING')") }}

),

kpis as (

    select * from {{ ref('fct_kpis') }}
    where {{ rebuilt }}

),

units as (

    select * from {{ ref('int_kpi_units') }}
    where {{ rebuilt }}

),

attendance as (

    select * from {{ ref('int_attendance') }}
    where {{ rebuilt }}

),

kpi_cases as (

    select
        units.provider_id,
        units.kpi_year as year,
        units.kpi as rule,
        units.unit_type as record_type,
        units.unit_id as record_id,
        units.client_pseudonym,
        units.unit_date as finding_date,
        kpis.clause,
        kpis.name_fi || ': ' || units.unit_type || ' ' || units.unit_id || ' ei täytä vaatimusta.' as description_fi
    from units
    inner join kpis
        on
            units.provider_id = kpis.provider_id
            and units.kpi_year = kpis.year
            and units.kpi = kpis.kpi
    where kpis.status = 'POIKKEAMA' and units.passed = false

),

kpi_level_cases as (

    -- KPIs whose units cannot be told apart (an answer is not tied to a period): the case is
    -- the figure itself
    select
        provider_id,
        year,
        kpi as rule,
        'kpi' as record_type,
        kpi as record_id,
        null as client_pseudonym,
        make_date(year, 12, 31) as finding_date,
        clause,
        name_fi || ': ' || numerator::integer || ' / ' || denominator::integer
        || ', vaatimus ' || replace(threshold::varchar, '.', ',') || '.' as description_fi
    from kpis
    where status = 'POIKKEAMA' and kpi in ('SATISFACTION_MEAN', 'END_SURVEY_COVERAGE')

),

product_years as (

    select
        provider_id,
        start_year as year,
        service_product,
        any_value(is_company) as is_company,
        any_value(soteri_registered) as soteri_registered,
        any_value(needs_soteri) as needs_soteri,
        any_value(rehabilitative_work_activity) as rehabilitative_work_activity,
        any_value(contract_products) as contract_products,
        count(*) as periods,
        min(start_date) as first_start
    from periods
    group by provider_id, start_year, service_product

),

provider_cases as (

    select
        provider_id,
        year,
        'COMPANY_REHABILITATIVE_WORK' as rule,
        'product' as record_type,
        service_product as record_id,
        null as client_pseudonym,
        first_start as finding_date,
        'L 2.1' as clause,
        'Kuntouttavaa työtoimintaa (' || service_product || ') ei voi hankkia yritykseltä; jaksoja '
        || periods || '.' as description_fi
    from product_years
    where rehabilitative_work_activity and is_company

    union all

    select
        provider_id,
        year,
        'SOTERI_REGISTRATION_MISSING',
        'product',
        service_product,
        null,
        first_start,
        'L 1.2, PS 2.2',
        'Palvelutuote ' || service_product || ' edellyttää Soteri-rekisteröintiä, jota tuottajalla ei ole; jaksoja '
        || periods || '.'
    from product_years
    where needs_soteri and not soteri_registered

    union all

    select
        provider_id,
        year,
        'PRODUCT_NOT_IN_CONTRACT',
        'product',
        service_product,
        null,
        first_start,
        'sopimus',
        'Palvelutuote ' || service_product || ' ei kuulu tuottajan sopimukseen; jaksoja ' || periods || '.'
    from product_years
    where
        contract_products is not null
        and not list_contains(string_split(contract_products, '|'), service_product)

),

attendance_cases as (

    select
        provider_id,
        attendance_year as year,
        case when is_holiday then 'ATTENDANCE_ON_HOLIDAY' else 'ATTENDANCE_ON_WEEKEND' end as rule,
        'attendance_row' as record_type,
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity as record_id,
        client_pseudonym,
        attendance_date as finding_date,
        'L 2.1, 3.1' as clause,
        'Läsnäolo ' || case when is_holiday then 'pyhäpäivänä (' || holiday_name_fi || ')' else 'viikonloppuna' end
        || ' ' || {{ fi_date('attendance_date') }} || '.' as description_fi
    from attendance
    where status = 'LASNA' and (is_weekend or is_holiday)

    union all

    select
        provider_id,
        attendance_year,
        'ATTENDANCE_OUTSIDE_PERIOD',
        'attendance_row',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity,
        client_pseudonym,
        attendance_date,
        'L 5.3',
        'Läsnäolo ' || {{ fi_date('attendance_date') }} || ' jakson ' || {{ fi_date('period_start_date') }}
        || '–' || {{ fi_date('period_end_date') }} || ' ulkopuolella.'
    from attendance
    where status = 'LASNA' and is_outside_period

    union all

    select
        provider_id,
        attendance_year,
        'ATTENDANCE_UNKNOWN_PERIOD',
        'period',
        period_id,
        min(client_pseudonym),  -- the same client on every row, or one chosen alike every build
        min(attendance_date),
        'L 5.3',
        'Päiväkirjassa ' || count(*) || ' riviä jaksolle ' || period_id || ', jota ei ole toimitetuissa jaksoissa.'
    from attendance
    where not period_known
    group by provider_id, attendance_year, period_id

),

unioned as (

    select * from kpi_cases
    union all
    select * from kpi_level_cases
    union all
    select * from provider_cases
    union all
    select * from attendance_cases
    union all
    select * from dated_cases

),

final as (

    select
        md5(concat_ws('|', provider_id, year, rule, record_type, record_id)) as finding_id,
        provider_id,
        year::integer as year,
        rule,
        record_type,
        record_id,
        client_pseudonym,
        finding_date,
        clause,
        description_fi,
        {{ load_watermark() }} as built_load_seq
    from unioned
    where {{ rebuilt }}

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
