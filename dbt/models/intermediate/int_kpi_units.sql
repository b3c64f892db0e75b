-- One row per counted unit of every KPI of kpis.md: its contribution to the numerator and the
-- denominator, and whether it passed. fct_kpis adds these up; fct_findings lists the units that
-- did not pass behind every deviation. Units are built on the current view, loaded rows only.
with periods as (

    select * from {{ ref('int_periods') }}

),

attendance as (

    select * from {{ ref('int_attendance') }}
    where period_known

),

present_days as (

    select * from {{ ref('int_present_days') }}

),

period_weeks as (

    select * from {{ ref('int_period_weeks') }}

),

group_sessions as (

    select * from {{ ref('int_group_sessions') }}

),

staff as (

    select * from {{ ref('int_staff_lists') }}

),

feedback as (

    select * from {{ ref('stg_feedback') }}

),

incidents as (

    select * from {{ ref('stg_incidents') }}

),

survey as (

    select * from {{ ref('stg_survey') }}

),

period_presence as (

    -- the whole period's LASNA rows: remote share and coaching hours look at all of them
    select
        provider_id,
        period_id,
        count(*) as present_rows,
        count(*) filter (where mode = 'ETA') as remote_rows,
        coalesce(sum(hours), 0) as present_hours
    from attendance
    where status = 'LASNA'
    group by provider_id, period_id

),

attendance_rate as (

    select
        provider_id,
        attendance_year as kpi_year,
        'ATTENDANCE_RATE' as kpi,
        'attendance_row' as unit_type,
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity as unit_id,
        client_pseudonym,
        attendance_date as unit_date,
        case when status = 'LASNA' then 1 else 0 end as numerator,
        1 as denominator,
        status = 'LASNA' as passed
    from attendance
    where status = 'LASNA' or status like 'POISSA\_%' escape '\' or status = 'PERUUTUS_ASIAKAS'

),

hours_within_limits as (

    select
        provider_id,
        attendance_year,
        'HOURS_WITHIN_LIMITS',
        'present_day',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d'),
        client_pseudonym,
        attendance_date,
        case when present_hours between hours_per_day_min and hours_per_day_max then 1 else 0 end,
        1,
        present_hours between hours_per_day_min and hours_per_day_max
    from present_days
    where hours_per_day_max is not null and rows_with_hours > 0

),

days_per_week as (

    select
        provider_id,
        attendance_year,
        'DAYS_PER_WEEK_WITHIN_LIMITS',
        'period_week',
        period_id || ' ' || iso_year || '-W' || lpad(iso_week::varchar, 2, '0'),
        client_pseudonym,
        first_present_date,
        case when present_days <= days_per_week_max then 1 else 0 end,
        1,
        present_days <= days_per_week_max
    from period_weeks
    where days_per_week_max is not null

),

remote_share as (

    select
        periods.provider_id,
        periods.end_year,
        'REMOTE_SHARE_WITHIN_LIMIT',
        'period',
        periods.period_id,
        periods.client_pseudonym,
        periods.end_date,
        case when presence.remote_rows / presence.present_rows <= 0.30 then 1 else 0 end,
        1,
        presence.remote_rows / presence.present_rows <= 0.30
    from periods
    inner join period_presence as presence
        on periods.provider_id = presence.provider_id
        and periods.period_id = presence.period_id
    where
        periods.end_date is not null
        and (periods.service_product like 'KTT\_%' escape '\' or periods.service_product like 'VAM\_%' escape '\')

),

group_size as (

    select
        provider_id,
        attendance_year,
        'GROUP_SIZE_WITHIN_LIMITS',
        'group_session',
        group_id || ' ' || strftime(attendance_date, '%Y-%m-%d'),
        null,
        attendance_date,
        case when size_within_limits then 1 else 0 end,
        1,
        coalesce(size_within_limits, false)
    from group_sessions

),

period_units as (

    select
        provider_id,
        start_year as kpi_year,
        'PLAN_ON_TIME' as kpi,
        period_id,
        client_pseudonym,
        start_date as unit_date,
        coalesce(plan_delivered_date <= plan_due_date, false) as passed
    from periods

    union all

    select
        provider_id, end_year, 'MID_EVALUATION_DONE', period_id, client_pseudonym, end_date,
        mid_evaluation_date is not null
    from periods
    where end_date is not null

    union all

    select
        provider_id, end_year, 'FINAL_REPORT_ON_TIME', period_id, client_pseudonym, end_date,
        coalesce(final_report_date <= final_report_due_date, false)
    from periods
    where end_date is not null

    union all

    select
        provider_id, end_year, 'INTERIM_REPORT_ON_TIME', period_id, client_pseudonym, end_date,
        coalesce(interim_report_date <= interim_report_due_date, false)
    from periods
    where end_date is not null and continues

    union all

    select
        provider_id, start_year, 'AGE_ELIGIBLE', period_id, client_pseudonym, start_date,
        coalesce(age_eligible, false)
    from periods

    union all

    select
        provider_id, end_year, 'OUTCOME_WORK_OR_EDUCATION', period_id, client_pseudonym, end_date,
        outcome in ('TYO', 'KOULUTUS')
    from periods
    where end_date is not null and outcome is not null

    union all

    select
        periods.provider_id, periods.end_year, 'COACHING_HOURS_WITHIN_VOUCHER', periods.period_id,
        periods.client_pseudonym, periods.end_date,
        coalesce(presence.present_hours, 0) <= 30
    from periods
    left join period_presence as presence
        on periods.provider_id = presence.provider_id
        and periods.period_id = presence.period_id
    where periods.end_date is not null and periods.service_product = 'PS_YKSILOVALMENNUS'

),

period_kpis as (

    select
        provider_id,
        kpi_year,
        kpi,
        'period',
        period_id,
        client_pseudonym,
        unit_date,
        case when passed then 1 else 0 end,
        1,
        passed
    from period_units

),

kela as (

    select
        provider_id,
        attendance_year,
        'ABSENCES_REPORTED_TO_KELA',
        'attendance_row',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d') || ' ' || activity,
        client_pseudonym,
        attendance_date,
        case when kela_reported_date <= attendance_date + 14 then 1 else 0 end,
        1,
        coalesce(kela_reported_date <= attendance_date + 14, false)
    from attendance
    where
        status in ('POISSA_SAIRAUS', 'POISSA_MUU', 'POISSA_ILMOITTAMATTA')
        and (service_product like 'KTT\_%' escape '\' or service_product like 'PS\_%' escape '\')

),

feedback_units as (

    select
        provider_id,
        year(received_date) as kpi_year,
        'COMPLAINT_REPLY_ON_TIME' as kpi,
        feedback_id,
        received_date,
        coalesce(response_date <= received_date + 14, false) as passed
    from feedback
    where feedback_kind in ('REKLAMAATIO', 'VAHINKOILMOITUS')

    union all

    select
        provider_id, year(received_date), 'FEEDBACK_REPLY_ON_TIME', feedback_id, received_date,
        coalesce(response_date <= received_date + 14, false)
    from feedback
    where feedback_kind = 'PALAUTE'

    union all

    select
        provider_id, year(received_date), 'COMPLAINT_REPORTED_ON_TIME', feedback_id, received_date,
        coalesce(reported_to_county_date <= received_date + 7, false)
    from feedback
    where feedback_kind in ('REKLAMAATIO', 'VAHINKOILMOITUS')

),

feedback_kpis as (

    select
        provider_id, kpi_year, kpi, 'feedback', feedback_id, null, received_date,
        case when passed then 1 else 0 end, 1, passed
    from feedback_units

),

incident_kpis as (

    select
        provider_id,
        year(occurred_date),
        'INCIDENT_REPORTED_ON_TIME',
        'incident',
        incident_id,
        null,
        occurred_date,
        case when reported_to_county_date <= occurred_date + 7 then 1 else 0 end,
        1,
        coalesce(reported_to_county_date <= occurred_date + 7, false)
    from incidents

    union all

    -- incidents per 1000 present days: incidents count up, present days count down
    select provider_id, year(occurred_date), 'INCIDENTS_PER_1000_DAYS', 'incident', incident_id, null,
        occurred_date, 1, 0, null
    from incidents

    union all

    select provider_id, attendance_year, 'INCIDENTS_PER_1000_DAYS', 'present_day',
        period_id || ' ' || strftime(attendance_date, '%Y-%m-%d'), client_pseudonym, attendance_date, 0, 1, null
    from present_days

),

answers as (

    unpivot survey on q1, q2, q3, q4, q5 into name statement value answer

),

survey_kpis as (

    select
        provider_id,
        year(response_date),
        'SATISFACTION_MEAN',
        'answer',
        response_id || ' ' || statement,
        null,
        response_date,
        answer,
        1,
        null
    from answers
    where answer is not null

    union all

    select
        provider_id, year(response_date), 'NPS', 'response', response_id, null, response_date,
        case when nps >= 9 then 1 when nps <= 6 then -1 else 0 end, 1, null
    from survey
    where nps is not null

    union all

    -- end-survey coverage: end-of-relationship answers against periods ended in the year
    select provider_id, year(response_date), 'END_SURVEY_COVERAGE', 'response', response_id, null,
        response_date, 1, 0, null
    from survey
    where survey_type = 'PAATTYMISKYSELY'

    union all

    select provider_id, end_year, 'END_SURVEY_COVERAGE', 'period', period_id, client_pseudonym,
        end_date, 0, 1, null
    from periods
    where end_date is not null

),

staff_kpis as (

    select
        provider_id, list_year, 'STAFF_EXPERIENCE_TWO_THIRDS', 'staff', staff_id, null, as_of_date,
        case when experienced then 1 else 0 end, 1, experienced
    from staff

    union all

    select
        provider_id, list_year, 'STAFF_QUALIFIED', 'staff', staff_id, null, as_of_date,
        case when meets_role_bar then 1 else 0 end, 1, coalesce(meets_role_bar, false)
    from staff
    where role_has_bar

    union all

    select
        provider_id, list_year, 'MINORS_RECORD_CHECKED', 'staff', staff_id, null, as_of_date,
        case when criminal_record_checked_date is not null then 1 else 0 end, 1,
        criminal_record_checked_date is not null
    from staff
    where works_with_minors

),

unioned as (

    select * from attendance_rate
    union all select * from hours_within_limits
    union all select * from days_per_week
    union all select * from remote_share
    union all select * from group_size
    union all select * from period_kpis
    union all select * from kela
    union all select * from feedback_kpis
    union all select * from incident_kpis
    union all select * from survey_kpis
    union all select * from staff_kpis

)

select * from unioned
