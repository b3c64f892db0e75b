-- Per provider and year: responses, NPS and end-survey coverage, beside the KPI table.
with responses as (

    select * from {{ ref('fct_survey_responses') }}

),

ended as (

    select
        provider_id,
        end_year as year,
        count(*) as periods_ended
    from {{ ref('int_periods') }}
    where end_date is not null
    group by provider_id, end_year

),

summary as (

    select
        provider_id,
        response_year as year,
        count(*) as responses,
        count(*) filter (where survey_type = 'PAATTYMISKYSELY') as end_survey_responses,
        count(nps) as nps_responses,
        count(*) filter (where nps >= 9) as promoters,
        count(*) filter (where nps between 7 and 8) as passives,
        count(*) filter (where nps <= 6) as detractors
    from responses
    group by provider_id, response_year

),

final as (

    select
        summary.*,
        case
            when summary.nps_responses > 0
                then 100.0 * (summary.promoters - summary.detractors) / summary.nps_responses
        end as nps,
        coalesce(ended.periods_ended, 0) as periods_ended,
        case
            when ended.periods_ended > 0 then summary.end_survey_responses / ended.periods_ended
        end as end_survey_coverage
    from summary
    left join ended
        on
            summary.provider_id = ended.provider_id
            and summary.year = ended.year

)

select * from final
