"""The read-only open-data JSON API under /api/v1 and its OpenAPI document."""
