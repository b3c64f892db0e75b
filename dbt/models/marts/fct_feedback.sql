-- Feedback, complaints and objections, without the feedback text (personal).
with feedback as (

    select * from {{ ref('stg_feedback') }}

),

final as (

    select
        provider_id,
        feedback_id,
        unit_id,
        received_date,
        year(received_date) as received_year,
        feedback_kind,
        submitter,
        topic,
        justified,
        response_date,
        response_date - received_date as reply_days,
        reported_to_county_date,
        reported_to_county_date - received_date as report_days,
        actions,
        source_file_id,
        source_row
    from feedback

)

select * from final
