"""Where the ledger is: one URL from ``--db``, ``KPI_DB`` or kpi.toml's ``database``, else ``kpi.db``.

A plain path is a SQLite file (relative to the folder of the kpi.toml that names it, or to the current
folder); ``postgresql://user@host/db`` is a PostgreSQL server, reached with psycopg 3.  No typer here:
the command line passes what it was given.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_FILE = "kpi.db"
_SCHEMES = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def ledger_url(text: str, base: Path | None = None) -> str:
    """``--db`` / ``KPI_DB`` / ``database =`` as a SQLAlchemy URL.

    ``kpi.db`` or ``/srv/kpi/kpi.db`` -> ``sqlite:////srv/kpi/kpi.db``; ``postgresql://...`` and
    ``postgres://...`` -> ``postgresql+psycopg://...``; any other SQLAlchemy URL as given.
    """
    text = text.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        return f"sqlite:///{path}"
    return f"{_SCHEMES.get(scheme.lower(), scheme)}://{rest}"


def resolve_ledger_url(given: str | None, *, config_database: str | None = None,
                       config_folder: Path | None = None, cwd: Path | None = None) -> str:
    """The ledger of this run: ``--db``/``KPI_DB``, else kpi.toml's ``database`` (relative to its folder),
    else ``kpi.db`` beside kpi.toml, else ``kpi.db`` in the current folder."""
    here = cwd or Path.cwd()
    if given is not None and given.strip():
        return ledger_url(given, here)
    if config_database is not None:
        return ledger_url(config_database, config_folder or here)
    return ledger_url(DEFAULT_FILE, config_folder or here)


def shown(url: str) -> str:
    """The URL for messages: a SQLite file as its path, a password as ***."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given (it is reported as such elsewhere)
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)
