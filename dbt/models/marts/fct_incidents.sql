-- Danger events and threatening situations, without the description (personal).
with incidents as (

    select * from {{ ref('stg_incidents') }}

),

final as (

    select
        provider_id,
        incident_id,
        unit_id,
        occurred_date,
        year(occurred_date) as occurred_year,
        incident_kind,
        target,
        severity,
        reported_to_county_date,
        reported_to_county_date - occurred_date as report_days,
        development_action,
        action_completed_date,
        source_file_id,
        source_row
    from incidents

)

select * from final
