"""Audit log: every state-changing action, hash-chained (DESIGN.md rule 4)."""
