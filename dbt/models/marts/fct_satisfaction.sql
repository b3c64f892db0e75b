-- Satisfaction per provider, product, year and statement: n, mean and the distribution 1–5.
with responses as (

    select * from {{ ref('fct_survey_responses') }}

),

answers as (

    unpivot responses on q1, q2, q3, q4, q5 into name statement value answer

),

final as (

    select
        provider_id,
        coalesce(service_product, 'EI_TIEDOSSA') as service_product,
        response_year as year,
        statement,
        count(*) as n,
        avg(answer) as mean,
        count(*) filter (where answer = 1) as n_1,
        count(*) filter (where answer = 2) as n_2,
        count(*) filter (where answer = 3) as n_3,
        count(*) filter (where answer = 4) as n_4,
        count(*) filter (where answer = 5) as n_5
    from answers
    where answer is not null
    group by provider_id, coalesce(service_product, 'EI_TIEDOSSA'), response_year, statement

)

select * from final
