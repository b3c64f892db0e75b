-- The coaching diary: one row per current diary row, with its period's product and the
-- calendar facts the findings use.
with attendance as (

    select * from {{ ref('int_attendance') }}

),

final as (

    select
        provider_id,
        period_id,
        client_pseudonym,
        attendance_date,
        attendance_year,
        iso_year,
        iso_week,
        status,
        mode,
        hours,
        activity,
        group_id,
        kela_reported_date,
        period_known,
        service_product,
        is_weekend,
        is_holiday,
        is_outside_period,
        source_file_id,
        source_row
    from attendance

)

select * from final
