from kpi_cli.cli import app

app(prog_name="kpi")
