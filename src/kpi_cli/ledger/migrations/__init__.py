"""Alembic migrations of the ledger, applied by :func:`kpi_cli.ledger.store.open_ledger` (see LEDGER.md)."""
