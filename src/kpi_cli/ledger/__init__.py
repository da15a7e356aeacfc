"""The ledger of closed periods (issue 13): SQLite by default, PostgreSQL for a shared ledger.

A layer between inputs and outputs: it may import rubric, engine and inputs, never outputs or cli.

- :mod:`.url`: which database (``--db``, ``KPI_DB``, kpi.toml ``database``, else ``kpi.db``);
- :mod:`.store`: :func:`~kpi_cli.ledger.store.open_ledger` (connect, migrate, refuse what is not ours);
- :mod:`.schema`: the tables; :mod:`.migrations`: the Alembic revisions that create them;
- :mod:`.closing`: ``kpi close`` (one transaction), :mod:`.queries`: periods, history, results.

See LEDGER.md (team notes) and the README's "Running the year".
"""
