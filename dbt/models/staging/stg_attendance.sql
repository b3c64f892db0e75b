{{ config(materialized='incremental', unique_key='provider_id', incremental_strategy='delete+insert') }}

-- A table rebuilt provider by provider, unlike the other staging views: the diary is the one large
-- source, and its latest-row window would otherwise run over every delivered diary row again in
-- each model and test that reads it.
with source as (

    select * from {{ source('raw', 'attendance') }}
    where {{ providers_delivered_since_last_build(source('raw', 'attendance')) }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, period_id, date, coalesce(activity, 'TYOTOIMINTA')
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        period_id,
        client_pseudonym,
        date as attendance_date,
        status,
        coalesce(mode, 'LAHI') as mode,
        hours,
        coalesce(activity, 'TYOTOIMINTA') as activity,
        group_id,
        kela_reported_date,
        _file_id as source_file_id,
        _row as source_row,
        (select max(delivered._load_seq) from {{ source('raw', 'attendance') }} as delivered) as built_load_seq
    from current_rows

)

select * from final
-- stored provider by provider, like every table rebuilt by provider (incremental_by_provider.sql)
order by provider_id
