"""decide: which proposals are attributions (filters)."""
