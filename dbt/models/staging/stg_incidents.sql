with source as (

    select * from {{ source('raw', 'incidents') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, incident_id
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        unit_id,
        incident_id,
        occurred_date,
        kind as incident_kind,
        target,
        severity,
        reported_to_county_date,
        -- the description is personal and stays in raw only
        development_action,
        action_completed_date,
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
