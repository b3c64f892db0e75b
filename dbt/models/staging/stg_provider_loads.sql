-- The last load sequence of each provider's rows per kind: incremental models use it to find
-- the providers whose data changed since they were last built.
with periods_loads as (

    select
        provider_id,
        'periods' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'periods') }}
    group by provider_id

),

attendance_loads as (

    select
        provider_id,
        'attendance' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'attendance') }}
    group by provider_id

),

feedback_loads as (

    select
        provider_id,
        'feedback' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'feedback') }}
    group by provider_id

),

survey_loads as (

    select
        provider_id,
        'survey' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'survey') }}
    group by provider_id

),

incidents_loads as (

    select
        provider_id,
        'incidents' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'incidents') }}
    group by provider_id

),

staff_loads as (

    select
        provider_id,
        'staff' as kind,
        max(_load_seq) as last_load_seq
    from {{ source('raw', 'staff') }}
    group by provider_id

),

final as (

    select * from periods_loads
    union all
    select * from attendance_loads
    union all
    select * from feedback_loads
    union all
    select * from survey_loads
    union all
    select * from incidents_loads
    union all
    select * from staff_loads

)

select * from final
