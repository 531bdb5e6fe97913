"""Accounts: staff who log in (clerks, supervision committee, inspectors, administrators)."""
