-- A client is a pseudonym and an age band: nothing more reaches the marts.
with periods as (

    select * from {{ ref('stg_periods') }}

),

first_periods as (

    select
        client_pseudonym,
        arg_min(client_age_at_start, start_date) as age_at_first_start
    from periods
    group by client_pseudonym

),

final as (

    select
        client_pseudonym,
        case
            when age_at_first_start < 18 then 'alle 18'
            when age_at_first_start < 25 then '18–24'
            when age_at_first_start < 35 then '25–34'
            when age_at_first_start < 45 then '35–44'
            when age_at_first_start < 55 then '45–54'
            when age_at_first_start < 65 then '55–64'
            else '65 tai yli'
        end as age_band
    from first_periods

)

select * from final
