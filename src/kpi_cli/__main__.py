from kpi_cli.cli import run

run()
