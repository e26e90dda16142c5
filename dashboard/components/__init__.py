"""Small components that take plain arguments (no session state of their own beyond UI toggles)."""
