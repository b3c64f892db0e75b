-- noqa: disable=AL03
-- (union branches take their column names from the first branch or the CTE column list)
-- KPI units counted from the provider's latest staff list of each year. Columns as in
-- int_kpi_units.
with staff as (

    select * from {{ ref('int_staff_lists') }}

),

staff_kpis as (

    select
        provider_id,
        list_year,
        'STAFF_EXPERIENCE_TWO_THIRDS',
        'staff',
        staff_id,
        null,
        as_of_date,
        case when experienced then 1 else 0 end,
        1,
        experienced
    from staff

    union all

    select
        provider_id,
        list_year,
        'STAFF_QUALIFIED',
        'staff',
        staff_id,
        null,
        as_of_date,
        case when meets_role_bar then 1 else 0 end,
        1,
        coalesce(meets_role_bar, false)
    from staff
    where role_has_bar

    union all

    select
        provider_id,
        list_year,
        'MINORS_RECORD_CHECKED',
        'staff',
        staff_id,
        null,
        as_of_date,
        case when criminal_record_checked_date is not null then 1 else 0 end,
        1,
        criminal_record_checked_date is not null
    from staff
    where works_with_minors

),

unioned (
    provider_id, kpi_year, kpi, unit_type, unit_id, client_pseudonym, unit_date, numerator, denominator, passed
) as (

    select * from staff_kpis

)

select * from unioned
