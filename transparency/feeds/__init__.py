"""Atom feeds of new and corrected notices, per village and per township."""
