"""The contract managers' dashboards: a Dash app over the published copy of the warehouse."""
