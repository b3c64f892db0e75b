{#- The date deadlines and missing documents are judged on: var('as_of') or the build's date.
    A model that calls it is tagged as_of: its rows change when the date does, even with no new
    data, so an incremental build rebuilds it when the date moved (flows/build_plan.py). -#}
{% macro as_of_date() -%}
    {%- do config(tags=['as_of']) -%}
    {%- if var('as_of', none) -%}date '{{ var("as_of") }}'{%- else -%}current_date{%- endif -%}
{%- endmacro %}
