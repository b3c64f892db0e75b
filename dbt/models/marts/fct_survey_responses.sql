-- Customer-satisfaction answers, without the free-text answer (personal).
with survey as (

    select * from {{ ref('stg_survey') }}

),

final as (

    select
        provider_id,
        response_id,
        unit_id,
        response_date,
        year(response_date) as response_year,
        survey_type,
        service_product,
        q1,
        q2,
        q3,
        q4,
        q5,
        nps,
        case when nps >= 9 then 'suosittelija' when nps >= 7 then 'passiivinen' when nps >= 0 then 'arvostelija' end
            as nps_group,
        source_file_id,
        source_row
    from survey

)

select * from final
