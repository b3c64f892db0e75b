-- The KPI table of kpis.md: one row per provider, year and KPI that applies to the provider's
-- rule set (and, for END_SURVEY_COVERAGE, only to Soteri-registered providers).
with provider_years as (

    select * from {{ ref('int_provider_years') }}

),

providers as (

    select * from {{ ref('stg_providers') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

thresholds as (

    select * from {{ ref('kpi_thresholds') }}

),

units as (

    select
        provider_id,
        kpi_year,
        kpi,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from {{ ref('int_kpi_unit_months') }}
    group by provider_id, kpi_year, kpi

),

spine as (

    select
        provider_years.provider_id,
        provider_years.kpi_year,
        providers.rule_set,
        definitions.*
    from provider_years
    inner join providers on provider_years.provider_id = providers.provider_id
    inner join definitions
        on
            (definitions.rule_sets = 'all' or providers.rule_set = definitions.rule_sets)
            and (not definitions.soteri_only or providers.soteri_registered)

),

computed as (

    select
        spine.provider_id,
        spine.kpi_year as year,
        spine.kpi,
        coalesce(units.numerator, 0) as numerator,
        coalesce(units.denominator, 0) as denominator,
        case
            when coalesce(units.denominator, 0) > 0
                then units.numerator::double / units.denominator * spine.value_scale
        end as value,
        thresholds.threshold,
        spine.has_threshold,
        spine.rule_set,
        spine.clause,
        spine.name_fi,
        spine.description_fi,
        spine.unit_fi
    from spine
    left join units
        on
            spine.provider_id = units.provider_id
            and spine.kpi_year = units.kpi_year
            and spine.kpi = units.kpi
    left join thresholds
        on
            spine.rule_set = thresholds.rule_set
            and spine.kpi = thresholds.kpi

),

final as (

    select
        provider_id,
        year::integer as year,
        kpi,
        numerator::double as numerator,
        denominator::double as denominator,
        value,
        threshold,
        case
            when denominator = 0 then 'EI_DATAA'
            when not has_threshold or threshold is null then 'TIETO'
            when value >= threshold then 'OK'
            else 'POIKKEAMA'
        end as status,
        rule_set,
        clause,
        name_fi,
        description_fi,
        unit_fi
    from computed

)

select * from final
