-- Every delivered staff list, person by person, with the role check; names stay out of the
-- marts (they appear only in the provider's own annual package).
with staff as (

    select * from {{ ref('stg_staff') }}

),

latest as (

    select * from {{ ref('int_staff_lists') }}

),

final as (

    select
        staff.provider_id,
        staff.staff_id,
        staff.as_of_date,
        year(staff.as_of_date) as list_year,
        staff.unit_id,
        staff.role,
        staff.education,
        staff.education_level,
        staff.target_group_experience_years,
        staff.leadership_experience_years,
        staff.leadership_training,
        staff.employment_start_date,
        staff.employment_end_date,
        staff.fte,
        staff.client_work_share,
        staff.works_with_minors,
        staff.criminal_record_checked_date,
        staff.professional_register_checked_date,
        staff.first_aid_valid_until,
        staff.training_hours_year,
        latest.staff_id is not null as on_latest_list_of_year,
        latest.experienced,
        latest.role_has_bar,
        latest.meets_role_bar
    from staff
    left join latest
        on
            staff.provider_id = latest.provider_id
            and staff.staff_id = latest.staff_id
            and staff.as_of_date = latest.as_of_date

)

select * from final
