"""Disclosures (村务公开): drafted by a clerk, reviewed by the supervision committee, published for good."""

# Importing any part of the package installs the flush guard of rule 1 (published is permanent).
from transparency.disclosures import immutability  # noqa: F401, E402
