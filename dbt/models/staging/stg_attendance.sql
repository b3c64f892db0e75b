with source as (

    select * from {{ source('raw', 'attendance') }}

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
        _row as source_row
    from current_rows

)

select * from final
