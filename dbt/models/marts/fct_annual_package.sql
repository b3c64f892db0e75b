-- The 31.3 package (L 5.7) per provider and reporting year: every document the provider owes,
-- when it was due (31 March of the next year), when it arrived, and its status as of the build.
-- Items 1–4 are owed by every provider, 5–7 by Soteri-registered ones.
with provider_years as (

    select * from {{ ref('int_provider_years') }}

),

providers as (

    select * from {{ ref('stg_providers') }}

),

documents as (

    select * from {{ ref('annual_documents') }}

),

deliveries as (

    select * from {{ ref('stg_deliveries') }}

),

owed as (

    select
        provider_years.provider_id,
        provider_years.kpi_year as reporting_year,
        documents.item_no,
        documents.document,
        documents.label_fi,
        make_date(provider_years.kpi_year + 1, 3, 31) as due_date
    from provider_years
    inner join providers on provider_years.provider_id = providers.provider_id
    cross join documents
    where not documents.soteri_only or providers.soteri_registered

),

final as (

    select
        owed.provider_id,
        owed.reporting_year,
        owed.item_no,
        owed.document,
        owed.label_fi,
        owed.due_date,
        deliveries.received_date,
        case
            when deliveries.received_date <= owed.due_date then 'ON_TIME'
            when deliveries.received_date is not null then 'LATE'
            when owed.due_date < {{ as_of_date() }} then 'MISSING'
            else 'NOT_DUE'
        end as status,
        case
            when deliveries.received_date <= owed.due_date then 'saapui ajoissa'
            when deliveries.received_date is not null then 'saapui myöhässä'
            when owed.due_date < {{ as_of_date() }} then 'puuttuu'
            else 'ei vielä erääntynyt'
        end as status_fi
    from owed
    left join deliveries
        on
            owed.provider_id = deliveries.provider_id
            and owed.reporting_year = deliveries.reporting_year
            and owed.document = deliveries.document

)

select * from final
