"""The scoring engine: pure and exact. No I/O, and nothing from typer, rich, yaml, openpyxl or jinja2."""
