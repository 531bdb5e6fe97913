"""The public portal: home → township → village → category, the pages that draw on every feature."""
