"""The OpenAPI pieces of /api/v1, one module per capability; the blueprint adds each to the document."""
