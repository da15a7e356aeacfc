"""Alembic environment: run only programmatically, on the connection kpi_cli.ledger.store hands over."""

from __future__ import annotations

from alembic import context

from kpi_cli.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
