-- depends_on: {{ ref('stg_provider_loads') }}
{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- A group session: a distinct (group, date) of present rows with a group_id. Its product is
-- that of its participants' periods (a group holds one product), and so is its size range.
with attendance as (

    select * from {{ ref('int_attendance') }}
    where
        period_known and status = 'LASNA' and group_id is not null
        and {{ changed_providers(['attendance', 'periods']) }}

),

products as (

    select * from {{ ref('products') }}

),

sessions as (

    select
        provider_id,
        group_id,
        attendance_date,
        year(attendance_date) as attendance_year,
        mode(service_product) as service_product,
        count(distinct client_pseudonym) as present_clients
    from attendance
    group by provider_id, group_id, attendance_date

),

final as (

    select
        sessions.*,
        products.group_min,
        products.group_max,
        sessions.present_clients between products.group_min and products.group_max as size_within_limits,
        {{ load_watermark() }} as built_load_seq
    from sessions
    left join products on sessions.service_product = products.product

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
