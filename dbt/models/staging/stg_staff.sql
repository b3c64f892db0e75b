with source as (

    select * from {{ source('raw', 'staff') }}

),

current_rows as (

    -- the later delivery wins: files are loaded in name order, rows in row order
    select *
    from source
    qualify row_number() over (
        partition by provider_id, staff_id, as_of_date
        order by _load_seq desc, _row desc
    ) = 1

),

final as (

    select
        provider_id,
        unit_id,
        staff_id,
        as_of_date,
        name as staff_name,
        role,
        education,
        education_level,
        professional_register_checked_date,
        target_group_experience_years,
        leadership_experience_years,
        leadership_training,
        employment_start_date,
        employment_end_date,
        fte,
        client_work_share,
        works_with_minors,
        criminal_record_checked_date,
        first_aid_valid_until,
        training_hours_year,
        _file_id as source_file_id,
        _row as source_row
    from current_rows

)

select * from final
