"""Opening a ledger: migrations on first use, refusals with a message, exact decimals, one close per period."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, select, text

from kpi_cli.errors import LedgerError
from kpi_cli.ledger import schema
from kpi_cli.ledger.queries import list_periods
from kpi_cli.ledger.store import known_revisions, open_ledger
from kpi_cli.ledger.url import ledger_url, resolve_ledger_url

from ledger.ledger_support import close_month, open_db


def test_first_use_creates_the_schema_at_head_and_opening_again_changes_nothing(db_url: str) -> None:
    ledger = open_db(db_url)
    _, head = known_revisions()
    with ledger.reading() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    ledger.dispose()
    again = open_db(db_url)
    assert list_periods(again) == []
    again.dispose()


def test_a_ledger_written_by_a_newer_kpi_is_refused(db_url: str) -> None:
    open_db(db_url).dispose()
    engine = create_engine(ledger_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    with pytest.raises(LedgerError, match="written by a newer kpi-cli .*0099_future.*upgrade kpi-cli") as info:
        open_db(db_url)
    assert info.value.code == "ledger-unusable"


def test_a_foreign_database_is_refused_and_left_alone(db_url: str) -> None:
    engine = create_engine(ledger_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id INTEGER)"))
    engine.dispose()
    with pytest.raises(LedgerError, match="is not a kpi ledger: it holds other tables \\(payroll\\)"):
        open_db(db_url)


def test_a_file_that_is_not_a_database_gets_a_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kpi.db"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not SQLite" * 100)
    with pytest.raises(LedgerError, match="cannot be used: the file is not a SQLite database"):
        open_ledger(ledger_url(str(bad)))
    assert bad.read_bytes().startswith(b"PK\x03\x04")


def test_reading_commands_do_not_create_a_ledger(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerError, match="no ledger at") as info:
        open_ledger(ledger_url(str(tmp_path / "kpi.db")), create=False)
    assert info.value.code == "no-ledger"
    assert not (tmp_path / "kpi.db").exists()


def test_url_resolution(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert resolve_ledger_url(None, cwd=tmp_path) == f"sqlite:///{tmp_path}/kpi.db"
    assert resolve_ledger_url(None, config_database="data/l.db", config_folder=tmp_path / "p") == \
        f"sqlite:///{tmp_path}/p/data/l.db"
    assert resolve_ledger_url(None, config_folder=tmp_path / "p", cwd=tmp_path) == f"sqlite:///{tmp_path}/p/kpi.db"
    assert resolve_ledger_url("postgresql://hr@db/kpi", config_database="x.db") == "postgresql+psycopg://hr@db/kpi"
    assert ledger_url("postgres://hr@db/kpi") == "postgresql+psycopg://hr@db/kpi"


def test_closing_again_is_refused_and_points_to_amend(db_url: str) -> None:
    ledger = open_db(db_url)
    close_month(ledger, "2026-07")
    with pytest.raises(LedgerError, match=r"yuedu 2026-07 is already closed \(by 邓丽华, 2026-10-01T01:05:00Z\).*"
                                          r"kpi amend 2026-07 --rubric yuedu") as info:
        close_month(ledger, "2026-07", by="someone else")
    assert info.value.code == "already-closed"
    assert [(c.closed_by, c.version) for c in list_periods(ledger)] == [("邓丽华", 1)]
    ledger.dispose()


def test_a_close_that_fails_midway_leaves_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash after the period row and before the results: the transaction rolls everything back."""
    from kpi_cli.ledger import closing

    ledger = open_db(db_url)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(closing, "write_version", boom)
    with pytest.raises(RuntimeError):
        close_month(ledger, "2026-07")
    monkeypatch.undo()
    assert list_periods(ledger) == []
    close_month(ledger, "2026-07")  # and the period can still be closed
    ledger.dispose()


def _race(db_url: str, months: list[str]) -> list[object]:
    outcomes: list[object] = [None] * len(months)
    barrier = threading.Barrier(len(months))

    def clerk(k: int) -> None:
        ledger = open_db(db_url)
        barrier.wait()
        try:
            outcomes[k] = close_month(ledger, months[k], by=f"clerk{k}")
        except LedgerError as exc:
            outcomes[k] = exc
        finally:
            ledger.dispose()

    threads = [threading.Thread(target=clerk, args=(k,)) for k in range(len(months))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_clerks_closing_different_periods_at_once_both_succeed(db_url: str) -> None:
    open_db(db_url).dispose()
    outcomes = _race(db_url, ["2026-07", "2026-09"])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    ledger = open_db(db_url)
    assert [str(c.period) for c in list_periods(ledger)] == ["2026-07", "2026-09"]
    ledger.dispose()


def test_two_clerks_closing_the_same_period_at_once_exactly_one_wins(db_url: str) -> None:
    open_db(db_url).dispose()
    outcomes = _race(db_url, ["2026-07", "2026-07", "2026-07"])
    errors = [o for o in outcomes if isinstance(o, LedgerError)]
    assert len(errors) == 2, outcomes
    assert all(e.code == "already-closed" and "is already closed" in str(e) for e in errors)
    ledger = open_db(db_url)
    assert [c.version for c in list_periods(ledger)] == [1]
    with ledger.reading() as connection:
        assert connection.execute(select(schema.results.c.subject_id)).all().__len__() == 4
    ledger.dispose()


@settings(max_examples=12, deadline=None)
@given(values=st.lists(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e12"),
                                   max_value=Decimal("1e12")), min_size=1, max_size=60))
def test_any_decimal_round_trips_exactly_on_sqlite(tmp_path_factory, values: list[Decimal]) -> None:  # type: ignore[no-untyped-def]
    _round_trip(str(tmp_path_factory.mktemp("d") / "kpi.db"), values)


def _round_trip(url: str, values: list[Decimal]) -> None:
    ledger = open_db(url)
    with ledger.writing() as connection:
        pid = connection.execute(insert(schema.periods).values(rubric_id="x", period="2026-01", kind="month",
                                                               closed_by="t", closed_at="t")).inserted_primary_key[0]
        vid = connection.execute(insert(schema.versions).values(
            period_id=pid, number=1, kind="close", created_by="t", created_at="t", kpi_version="t", rubric_file="r",
            rubric_sha256="s", rubric_text="", log_file="l", log_sha256="s", log_bytes=0, rows_read=0, rows_used=0,
            rows_outside=0, rows_error=0, subjects=0)).inserted_primary_key[0]
        connection.execute(insert(schema.results), [
            {"version_id": vid, "subject_id": f"s{k}", "name": "", "department": "", "total": v, "raw_total": v,
             "adjustment_total": v, "rank": 1, "department_rank": 1} for k, v in enumerate(values)])
    with ledger.reading() as connection:
        back = dict(connection.execute(select(schema.results.c.subject_id, schema.results.c.raw_total)).all())
    assert [back[f"s{k}"] for k in range(len(values))] == values
    assert [back[f"s{k}"].as_tuple() for k in range(len(values))] == [v.as_tuple() for v in values]  # same digits
    ledger.dispose()


def test_decimals_round_trip_exactly(db_url: str) -> None:
    """34 significant digits (10 × 90 / 95), tiny and huge values, trailing zeros: the same digits come back."""
    values = [Decimal("9.473684210526315789473684210526316"), Decimal("0.000001"), Decimal("-3"), Decimal("87.50"),
              Decimal("123456789012.123456"), Decimal("0")]
    _round_trip(db_url, values)


def test_the_fast_revision_scan_agrees_with_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kpi_cli.ledger.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    known, head = known_revisions()
    assert head == script.get_current_head()
    assert known == {r.revision for r in script.walk_revisions()}


def test_a_log_changed_between_scoring_and_closing_is_refused_and_nothing_is_stored(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from kpi_cli.engine.periods import Period
    from kpi_cli.inputs.score_run import score_log
    from kpi_cli.ledger.closing import CloseSource, close_period

    from ledger.ledger_support import DATA, RUBRIC, rubric

    log = tmp_path / "2026-07.csv"
    shutil.copyfile(DATA / "2026-07.csv", log)
    run = score_log(log, rubric(), roster=DATA / "roster.csv", period=Period.parse("2026-07"), keep_records=False)
    assert run.sheet is not None
    c = run.counts
    source = CloseSource.of(RUBRIC, log, DATA / "roster.csv", read=c.read, used=c.used, outside=c.outside_period,
                            errors=c.errors)
    with log.open("a", encoding="utf-8") as f:  # someone saves the log while it is being closed
        f.write("A001,2026-07-30,迟到,1,,\n")
    ledger = open_db(db_url)
    with pytest.raises(LedgerError, match="2026-07.csv changed while it was being closed; nothing was stored") as info:
        close_period(ledger, run.sheet, source, by="邓丽华")
    assert info.value.code == "input-changed"
    assert list_periods(ledger) == []
    ledger.dispose()
