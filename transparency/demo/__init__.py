"""The demo county: realistic data for trying the site (`transparency demo-data`)."""
