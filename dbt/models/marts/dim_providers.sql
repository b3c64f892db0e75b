with providers as (

    select * from {{ ref('stg_providers') }}

),

labels as (

    select
        code,
        label_fi
    from {{ ref('code_labels') }}
    where code_list = 'legal_form'

),

final as (

    select
        providers.provider_id,
        providers.provider_name,
        providers.legal_form,
        labels.label_fi as legal_form_fi,
        providers.is_company,
        providers.soteri_registered,
        providers.rule_set,
        providers.contract_id,
        providers.contract_start,
        providers.contract_end,
        providers.contract_products
    from providers
    left join labels on providers.legal_form = labels.code

)

select * from final
