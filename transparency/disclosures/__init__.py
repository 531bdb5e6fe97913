"""Disclosures (村务公开): drafted by a clerk, reviewed by the supervision committee, published for good."""
