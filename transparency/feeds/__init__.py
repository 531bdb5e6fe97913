"""Atom feeds of new and corrected disclosures, per village and per township."""
