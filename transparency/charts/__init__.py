"""Charts of the published money, drawn on the server as SVG (no JavaScript)."""
