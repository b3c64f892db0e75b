-- The years each provider is monitored for: from its contract start (or its first data, when
-- earlier) to the last year any data reaches. Every KPI gets a row for each of them, so a year
-- without data shows as EI_DATAA rather than not at all.
with providers as (

    select * from {{ ref('stg_providers') }}

),

units as (

    select
        provider_id,
        kpi_year
    from {{ ref('int_kpi_unit_months') }}

),

last_data_year as (

    select max(kpi_year) as last_year from units

),

bounds as (

    select
        providers.provider_id,
        last_data_year.last_year,
        least(year(providers.contract_start), min(units.kpi_year)) as first_year
    from providers
    cross join last_data_year
    left join units on providers.provider_id = units.provider_id
    group by providers.provider_id, providers.contract_start, last_data_year.last_year

),

final as (

    select
        bounds.provider_id,
        unnest(range(bounds.first_year, bounds.last_year + 1)) as kpi_year
    from bounds
    where bounds.first_year is not null

)

select * from final
