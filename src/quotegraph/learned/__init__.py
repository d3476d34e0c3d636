"""learned: the learned stages' models (the attribution pair finder and filter)."""
