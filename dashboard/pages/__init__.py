"""One module per page: Explore, Compare, Boundaries, Learn."""
