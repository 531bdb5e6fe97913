"""Full-text search in Chinese: one analyzer, an outbox, and a Whoosh or PostgreSQL index."""
