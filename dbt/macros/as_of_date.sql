{#- The date deadlines and missing documents are judged on: var('as_of') or the build's date. -#}
{% macro as_of_date() -%}
    {%- if var('as_of', none) -%}date '{{ var("as_of") }}'{%- else -%}current_date{%- endif -%}
{%- endmacro %}
