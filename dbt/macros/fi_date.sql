{#- A date as Finnish readers write it: 7.3.2025. -#}
{% macro fi_date(column) -%}
    strftime({{ column }}, '%-d.%-m.%Y')
{%- endmacro %}
