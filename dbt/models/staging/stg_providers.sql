with source as (

    select * from {{ source('ref', 'providers') }}

),

final as (

    select
        provider_id,
        name as provider_name,
        legal_form,
        legal_form in ('OSAKEYHTIO', 'MUU_YRITYS') as is_company,
        coalesce(soteri_registered, false) as soteri_registered,
        rule_set,
        contract_id,
        contract_start,
        contract_end,
        products as contract_products
    from source

)

select * from final
