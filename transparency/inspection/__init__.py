"""Inspectors (纪检监察): the dashboard of their jurisdiction and its exports."""
