with source as (

    select * from {{ source('raw', 'survey') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, response_id
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        unit_id,
        response_id,
        response_date,
        survey_type,
        service_product,
        q1,
        q2,
        q3,
        q4,
        q5,
        nps,
        -- the free-text answer is personal and stays in raw only
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
