"""Administration: areas and accounts. Administrators never touch disclosures or history."""
