{#- Incremental models in this project are rebuilt provider by provider: the providers that got
    any new delivered row since the model was last built have all their rows recomputed
    (delete+insert on provider_id); everyone else's rows stay. All the diary logic is within one
    provider, so this gives the same rows as a full rebuild. Seeds, the provider register or the
    project changing make the next build a full one (flows/build_plan.py).

    These tables are stored in provider order (`order by provider_id`): a provider's rebuild then
    deletes from one or two DuckDB row groups, and the checkpoint that follows rewrites those
    rather than every row group the provider's rows were scattered over (measured on the county
    tier: 1.7 s of checkpoint for one provider's rebuild scattered, 0.2 s in provider order). -#}

{% macro load_watermark() -%}
    (select coalesce(max(last_load_seq), 0) from {{ ref('stg_provider_loads') }})
{%- endmacro %}

{% macro changed_providers(kinds) -%}
    {%- if is_incremental() -%}
    provider_id in (
        select provider_id from {{ ref('stg_provider_loads') }}
        where
            kind in ('{{ kinds | join("', '") }}')
            and last_load_seq > (select coalesce(max(built_load_seq), 0) from {{ this }})
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- For a staging model materialised incrementally on its own source: the providers with rows
    delivered since the model was last built. -#}
{% macro providers_delivered_since_last_build(relation) -%}
    {%- if is_incremental() -%}
    provider_id in (
        select provider_id from {{ relation }}
        where _load_seq > (select coalesce(max(built_load_seq), 0) from {{ this }})
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- For a model rebuilt provider by provider whose rows of some kind depend on more than the
    provider's own data (on the as-of date, on the years monitored): those rows are computed afresh
    for everyone in the CTE `fresh`; this selects the providers whose fresh rows differ from the
    stored ones (`stored_where` picks the stored rows of that kind), to be rebuilt too. -#}
{% macro providers_whose_rows_moved(fresh, columns, stored_where) -%}
    {%- set column_list = columns | join(', ') -%}
    {%- if is_incremental() -%}
    select provider_id from (
        select {{ column_list }} from {{ fresh }}
        except
        select {{ column_list }} from {{ this }} where {{ stored_where }}
    )
    union
    select provider_id from (
        select {{ column_list }} from {{ this }} where {{ stored_where }}
        except
        select {{ column_list }} from {{ fresh }}
    )
    {%- else -%}
    select provider_id from {{ fresh }} where false
    {%- endif -%}
{%- endmacro %}
