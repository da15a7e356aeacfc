"""Opening the ledger: connect, check what the database holds, apply the migrations on first use.

- an empty database (or a new SQLite file) gets the whole schema (Alembic, ``migrations/``);
- a ledger of an older schema is upgraded, in one transaction;
- a ledger written by a newer kpi-cli (a revision this version does not know) is refused;
- a file that is not a database, or a database holding other tables, is refused, never touched.

Every problem is a :class:`~kpi_cli.errors.LedgerError` with a message for people: no traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from kpi_cli.errors import LedgerError
from kpi_cli.i18n import N_, _
from kpi_cli.ledger.url import shown, sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class Ledger:
    """An open, current ledger.  Its reads and writes are in :mod:`.queries` and :mod:`.closing`."""

    engine: Engine
    url: str

    @property
    def where(self) -> str:
        return shown(self.url)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with guarded(self.url), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with guarded(self.url), self.engine.begin() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()


_BACKENDS = ("sqlite", "postgresql", "postgres")

# What a database says (SQLite, PostgreSQL), in English whatever the language: the usual reasons said again; an
# unusual one is kept as it is, in brackets after a sentence that is translated.
_DATABASE_REASONS = (
    ("file is not a database", N_("the file is not a SQLite database (another kind of file?)")),
    ("database disk image is malformed", N_("the database file is damaged; restore it from a backup")),
    ("database is locked", N_("another program is writing to the database; try again in a moment")),
    ("unable to open database file", N_("the database file cannot be opened (is the folder writable?)")),
    ("attempt to write a readonly database", N_("the database is read-only")),
    ("disk i/o error", N_("the disk could not be read or written")),
    ("database or disk is full", N_("the disk is full")),
    ("connection refused", N_("the database server refused the connection (is it running, and is the address "
                              "right?)")),
    ("password authentication failed", N_("the database server refused the login: wrong user or password")),
    ("no password supplied", N_("the database server wants a password: put it in ~/.pgpass or PGPASSWORD")),
    ("does not exist", N_("the database or user does not exist on the server")),
    ("could not translate host name", N_("the database server's name is not known (check the address)")),
    ("timeout expired", N_("the database server did not answer in time")),
)


def database_reason(reason: str) -> str:
    """A database's reason in the language of the run: a known one translated, another in brackets."""
    lowered = reason.lower()
    for words, said in _DATABASE_REASONS:
        if words in lowered:
            return _(said)
    return _("the database reported an error ({reason})").format(reason=reason)


@contextmanager
def guarded(url: str) -> Iterator[None]:
    """Database errors become a LedgerError naming the ledger (the original message kept, one line)."""
    try:
        yield
    except LedgerError:
        raise
    except IntegrityError as exc:  # a unique constraint: someone else stored it first
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise LedgerError(_("the ledger {ledger} refused a duplicate: {reason}").format(ledger=shown(url), reason=reason),
                          "conflict") from None
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise LedgerError(_("the ledger {ledger} cannot be used: {reason}").format(ledger=shown(url),
                                                                                  reason=database_reason(reason))) \
            from None
    except SQLAlchemyError as exc:
        raise LedgerError(_("the ledger {ledger} cannot be used: {reason}").format(ledger=shown(url), reason=exc)) \
            from None


def _config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> tuple[set[str], str]:
    """Every revision this kpi-cli knows, and the head: read from the migration files' ``revision`` and
    ``down_revision`` lines, without importing Alembic (opening a current ledger stays cheap)."""
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        text_ = path.read_text(encoding="utf-8")
        found = _REVISION.search(text_)
        if found is None:
            continue
        down = _DOWN.search(text_)
        revisions[found.group(1)] = down.group(1) if down else None
    heads = set(revisions) - {d for d in revisions.values() if d}
    if len(heads) != 1:
        raise AssertionError(f"the ledger migrations must have one head, not {sorted(heads)}")
    return set(revisions), heads.pop()


_REVISION = re.compile(r'^revision\s*=\s*["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r'^down_revision\s*=\s*["\']([^"\']+)["\']', re.M)


def _state(connection: Connection, url: str) -> str | None:
    """The revision the database is at; None for an empty database.  Refuses a foreign one."""
    names = set(inspect(connection).get_table_names())
    if VERSION_TABLE not in names:
        if names:
            some = ", ".join(sorted(names)[:5])
            raise LedgerError(_("{ledger} is not a kpi ledger: it holds other tables ({tables}); give another "
                                "--db, or KPI_DB / database in kpi.toml").format(ledger=shown(url), tables=some))
        return None
    rows = [r[0] for r in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]
    if len(rows) != 1:
        raise LedgerError(_("the ledger {ledger} has a damaged schema version table ({n} rows)").format(
            ledger=shown(url), n=len(rows)))
    return str(rows[0])


def open_ledger(url: str, *, create: bool = True) -> Ledger:
    """The ledger at ``url``, migrated to this version's schema.

    ``create=False`` (reading commands): a SQLite file that does not exist is an error (``no-ledger``)
    instead of being created.
    """
    path = sqlite_file(url) if "://" in url else None
    # an empty file is no ledger either: SQLite would take it for a new database and write one into it (the
    # empty roster or log given as --db); reading commands never do that
    if path is not None and (not path.exists() or (not create and path.is_file() and path.stat().st_size == 0)):
        if not create:
            raise LedgerError(_("no ledger at {path}: close a period first (kpi close), or give --db").format(path=path),
                              "no-ledger")
        if not path.parent.is_dir():
            raise LedgerError(_("cannot create the ledger {path}: the folder {folder} does not exist").format(
                path=path, folder=path.parent))
    backend = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    try:
        if backend not in _BACKENDS:  # mysql://, oracle://...: kpi keeps its ledger in SQLite or PostgreSQL only
            raise ArgumentError(_("only sqlite and postgresql are supported"))
        engine = create_engine(url, pool_pre_ping=False)
    except ImportError as exc:  # the database's driver is not installed
        raise LedgerError(_("{ledger}: the database driver is not installed ({reason}); for PostgreSQL: pip install "
                            "psycopg").format(ledger=shown(url), reason=exc)) from None
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise LedgerError(_("{ledger} is not a database URL kpi can use ({reason}); write a file path "
                            "(kpi.db) or postgresql://user@host/database").format(ledger=shown(url), reason=exc)) \
            from None
    known, head = known_revisions()
    for attempt in range(2):
        try:
            with guarded(url), engine.connect() as connection:
                revision = _state(connection, url)
                if revision == head:
                    return Ledger(engine, url)
                if revision is not None and revision not in known:
                    raise LedgerError(_("the ledger {ledger} was written by a newer kpi-cli (schema {revision}, "
                                        "this version knows up to {head}): upgrade kpi-cli to use it").format(
                                            ledger=shown(url), revision=revision, head=head))
                connection.commit()
            with guarded(url), engine.begin() as connection:
                from alembic import command

                command.upgrade(_config(connection), "head")
            return Ledger(engine, url)
        except LedgerError:
            # two first uses at once: the other one created the schema; look again once
            if attempt:
                engine.dispose()
                raise
    raise AssertionError("unreachable")
