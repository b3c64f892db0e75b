with source as (

    select * from {{ source('raw', 'feedback') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, feedback_id
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        unit_id,
        feedback_id,
        received_date,
        kind as feedback_kind,
        submitter,
        topic,
        justified,
        response_date,
        reported_to_county_date,
        actions,
        -- the feedback text itself is personal and stays in raw only
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
