-- The provider's latest staff list dated in each year, with the people employed on its date
-- and each person's role check (L 5.4; kpis.md "Role bars").
with staff as (

    select * from {{ ref('stg_staff') }}

),

latest as (

    select
        provider_id,
        year(as_of_date) as list_year,
        max(as_of_date) as as_of_date
    from staff
    group by provider_id, year(as_of_date)

),

final as (

    select
        latest.list_year,
        staff.* exclude (staff.staff_name),
        coalesce(staff.target_group_experience_years >= 1, false) as experienced,
        staff.role in ('VASTUUHENKILO', 'VASTUUTYONTEKIJA', 'RYHMANOHJAAJA', 'OHJAAJA') as role_has_bar,
        case staff.role
            when 'VASTUUHENKILO'
                then
                    staff.education_level in ('KORKEAKOULU', 'OPISTO')
                    and coalesce(staff.target_group_experience_years >= 2, false)
                    and (
                        coalesce(staff.leadership_experience_years >= 2, false)
                        or coalesce(staff.leadership_training, false)
                    )
            when 'VASTUUTYONTEKIJA' then staff.education_level in ('KORKEAKOULU', 'OPISTO')
            when 'RYHMANOHJAAJA'
                then
                    staff.education_level in ('KORKEAKOULU', 'OPISTO', 'TOINEN_ASTE')
                    and coalesce(staff.target_group_experience_years >= 1, false)
            when 'OHJAAJA' then staff.education_level <> 'EI_TUTKINTOA'
        end as meets_role_bar
    from staff
    inner join latest
        on
            staff.provider_id = latest.provider_id
            and staff.as_of_date = latest.as_of_date
    where
        (staff.employment_start_date is null or staff.employment_start_date <= staff.as_of_date)
        and (staff.employment_end_date is null or staff.employment_end_date >= staff.as_of_date)

)

select * from final
