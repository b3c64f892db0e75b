-- noqa: disable=AL03
-- (union branches take their column names from the first branch or the CTE column list)
-- Every deadline a provider has: the document or reply, when it was due, when it was done.
-- "Open as of a date" = due on or before it and not done by it (see the analysts' guide).
with periods as (

    select * from {{ ref('int_periods') }}

),

feedback as (

    select * from {{ ref('stg_feedback') }}

),

incidents as (

    select * from {{ ref('stg_incidents') }}

),

unioned as (

    select
        provider_id,
        'period' as record_type,
        period_id as record_id,
        client_pseudonym,
        'PLAN' as deadline,
        plan_due_date as due_date,
        plan_delivered_date as done_date
    from periods

    union all

    select
        provider_id,
        'period',
        period_id,
        client_pseudonym,
        'FINAL_REPORT',
        final_report_due_date,
        final_report_date
    from periods
    where end_date is not null

    union all

    select
        provider_id,
        'period',
        period_id,
        client_pseudonym,
        'INTERIM_REPORT',
        interim_report_due_date,
        interim_report_date
    from periods
    where interim_report_due_date is not null and service_product like 'PS\_%' escape '\'

    union all

    select
        provider_id,
        'feedback',
        feedback_id,
        null,
        'REPLY',
        received_date + 14,
        response_date
    from feedback
    where feedback_kind in ('PALAUTE', 'REKLAMAATIO', 'VAHINKOILMOITUS')

    union all

    select
        provider_id,
        'feedback',
        feedback_id,
        null,
        'REPORT_TO_COUNTY',
        received_date + 7,
        reported_to_county_date
    from feedback
    where feedback_kind in ('REKLAMAATIO', 'VAHINKOILMOITUS')

    union all

    select
        provider_id,
        'incident',
        incident_id,
        null,
        'REPORT_TO_COUNTY',
        occurred_date + 7,
        reported_to_county_date
    from incidents

),

final as (

    select
        provider_id,
        record_type,
        record_id,
        client_pseudonym,
        deadline,
        due_date,
        done_date,
        done_date > due_date as done_late,
        done_date is null and due_date < {{ as_of_date() }} as overdue_as_of_build
    from unioned

)

select * from final
