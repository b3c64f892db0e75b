{#- Every value of the column is at most the value of another column (or a constant). -#}
{% test at_most(model, column_name, other) %}

select *
from {{ model }}
where {{ column_name }} > {{ other }}

{% endtest %}
