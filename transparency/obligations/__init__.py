"""Disclosure obligations (what each village must publish, and by when) and the public calendar."""
