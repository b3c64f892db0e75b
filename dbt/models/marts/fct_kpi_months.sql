-- The KPIs of fct_kpis by calendar month of their counted units (a period's end or start, a
-- present day, a week's first present day, a complaint's arrival...): the trend the provider page
-- draws. A month's figures add up to the year's figures in fct_kpis for every KPI whose units are
-- dated; staff-list KPIs count one list and are left out.
with unit_months as (

    select * from {{ ref('int_kpi_unit_months') }}
    where unit_month is not null

),

kpis as (

    select distinct
        provider_id,
        year,
        kpi
    from {{ ref('fct_kpis') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

monthly as (

    select
        provider_id,
        kpi_year as year,
        unit_month as month,
        kpi,
        numerator,
        denominator
    from unit_months

),

final as (

    select
        monthly.provider_id,
        monthly.year,
        monthly.month,
        (monthly.month - 1) // 3 + 1 as quarter,
        monthly.kpi,
        monthly.numerator,
        monthly.denominator,
        case
            when monthly.denominator > 0
                then monthly.numerator::double / monthly.denominator * definitions.value_scale
        end as value
    from monthly
    inner join kpis
        on
            monthly.provider_id = kpis.provider_id
            and monthly.year = kpis.year
            and monthly.kpi = kpis.kpi
    inner join definitions on monthly.kpi = definitions.kpi
    where monthly.kpi not in ('STAFF_EXPERIENCE_TWO_THIRDS', 'STAFF_QUALIFIED', 'MINORS_RECORD_CHECKED')

)

select * from final
