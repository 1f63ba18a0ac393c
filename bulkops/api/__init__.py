"""The HTTP API under /api/v1/ (SPEC section 9): the dashboard's operations for scripts and systems."""
