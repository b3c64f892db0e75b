"""One module per dashboard page; each has `layout(warehouse, query, home)` returning its content."""
