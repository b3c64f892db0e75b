-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- The KPI units added up per provider, year, calendar month of the unit and KPI (month null for
-- units without a date, such as staff lists). The KPI table, its monthly trend and the monitored
-- years read these few thousand rows instead of the millions of units; rebuilt provider by
-- provider like the units themselves.
with units as (

    select * from {{ ref('int_kpi_units') }}
    where {{ changed_providers(['periods', 'attendance', 'feedback', 'survey', 'incidents', 'staff']) }}

),

final as (

    select
        provider_id,
        kpi_year,
        month(unit_date) as unit_month,
        kpi,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        count(*) as units,
        {{ load_watermark() }} as built_load_seq
    from units
    group by provider_id, kpi_year, month(unit_date), kpi

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
