with source as (

    select * from {{ source('raw', 'deliveries') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, year, document
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        year as reporting_year,
        document,
        received_date,
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
