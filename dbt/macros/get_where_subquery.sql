{#- Data tests on the models rebuilt provider by provider (incremental, unique_key provider_id)
    check the rows the latest build of that model wrote: those carrying its highest
    built_load_seq. A full build writes every row with the same mark, so it tests everything; an
    incremental build tests the providers it rebuilt, the others' rows being unchanged since they
    were tested. Every key these tests check starts with provider_id, so nothing is lost.
    Overrides dbt's get_where_subquery (which only applies a test's `where` config). -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set attached = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- if attached and attached.config.materialized == 'incremental'
        and attached.config.unique_key == 'provider_id' -%}
        {%- do conditions.append('built_load_seq = (select max(built_load_seq) from ' ~ relation ~ ')') -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
