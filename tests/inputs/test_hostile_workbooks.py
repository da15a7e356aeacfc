"""Issue 11, classes 3 and 12: workbooks no Excel writes.  Every row is counted and located (never skipped), the
first visible sheet is read and named, hidden sheets are named, bombs are refused before openpyxl opens them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, make_xlsx
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.tables import open_table
from kpi_cli.inputs.xlsx_archive import MAX_RATIO, archive_problem
from kpi_cli.rubric.loader import load_rubric

RUBRIC = "tests/data/input/rubric.yaml"
ROSTER = "tests/data/input/roster.csv"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {**make_xlsx().build_all(folder), **make_xlsx().build_hostile(folder, bomb_size=4 << 20)}


def rows_of(path: Path, **options: str) -> tuple[list[int], list[str], object]:
    table, problems = open_table(path, **options)
    assert table is not None, problems
    lines = [line for line, _ in table.rows]
    return lines, [d.format() for d in problems + table.problems], table


@pytest.mark.parametrize(("name", "used", "refused"), [
    ("rows_out_of_order", [2, 4], [3]),  # openpyxl alone yields rows 2 and 4 and drops 3 without a word
    ("rows_repeated", [2, 3], [3]),
    ("cell_twice", [2, 4], [3]),
])
def test_rows_out_of_order_or_repeated_are_counted_and_located(books: dict[str, Path], name: str, used: list[int],
                                                                refused: list[int]) -> None:
    lines, problems, table = rows_of(books[name])
    assert lines == used
    assert [p.split("!")[1].split(":")[0].lstrip("ABCDEFGHIJ") for p in problems] == [str(r) for r in refused]
    assert (table.lines, table.rejected) == (3, 1)  # type: ignore[attr-defined]


def test_the_first_visible_sheet_is_read_and_named(invoke, books: dict[str, Path]) -> None:
    path = books["hidden_first_sheet"]
    lines, problems, table = rows_of(path)
    assert table.sheet == "10月记录" and lines == [2, 3, 4]  # type: ignore[attr-defined]
    assert problems == [f"{path}: warning: hidden sheet 旧表 not read (often an old copy); read: 10月记录, the first "
                        "visible sheet; give --sheet to read another (hidden-sheet)"]
    result = invoke("check", str(path), "--rubric", RUBRIC, "--roster", ROSTER)
    assert "sheet read: 10月记录" in result.stderr.splitlines()
    assert "rows read 3: used 3, outside the period 0, in error 0" in result.stderr


def test_a_hidden_sheet_asked_for_is_read_with_a_warning(books: dict[str, Path]) -> None:
    lines, problems, table = rows_of(books["hidden_first_sheet"], sheet="旧表")
    assert table.sheet == "旧表" and lines == [2]  # type: ignore[attr-defined]
    assert problems == [f"{books['hidden_first_sheet']}: warning: sheet 旧表 is hidden in Excel; read as --sheet asks "
                        "(hidden-sheet)"]


def test_the_workbook_excel_writes_passes_the_archive_checks(books: dict[str, Path]) -> None:
    assert archive_problem("month.xlsx", books["month"]) is None


@pytest.mark.parametrize("name", ["sheet_bomb", "strings_bomb"])
def test_bombs_are_refused_from_the_archive_directory(books: dict[str, Path], name: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    table, problems = open_table(books[name])
    assert table is None and [d.code for d in problems] == ["workbook-too-big"]
    assert f"more than {MAX_RATIO} times" in problems[0].message


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["工号", "日期", "考核项目", "备注"])
    ws.append(["000101", "2026-10-03", "迟到", "LONG"])  # openpyxl cuts what it writes at 32,767: edit the XML
    ws.append(["000101", "2026-10-04", "迟到", "ok"])
    book.save(tmp_path / "short.xlsx")
    make_xlsx()._rewrite(tmp_path / "short.xlsx", lambda member, data: data.replace(b"LONG", "长".encode() * 40_000),
                         tmp_path / "long.xlsx")
    lines, problems, table = rows_of(tmp_path / "long.xlsx")
    assert lines == [3] and len(problems) == 1 and "(long-cell)" in problems[0] and "!D2:" in problems[0]


def test_out_of_order_rows_are_never_scored_silently(books: dict[str, Path]) -> None:
    rubric, _ = load_rubric(ROOT / RUBRIC)
    assert rubric is not None
    run = score_log(books["rows_out_of_order"], rubric, roster=ROOT / ROSTER, keep_records=False)
    assert run.sheet is None
    assert [d.code for d in run.diagnostics if d.is_error][:1] == ["row-order"]
    c = run.counts
    assert (c.read, c.used + c.outside_period + c.errors) == (3, 3)


def test_hidden_rows_are_scored_and_named_in_a_warning(tmp_path: Path) -> None:
    """Red team (issue 11, workbook quirks): a row hidden in Excel (often how a clerk "deletes" one) was scored
    without a word; it still is (Excel's own CSV export keeps it), but a warning names it."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["工号", "日期", "考核项目", "次数"])
    for day in (3, 4, 5, 6):
        ws.append(["000101", f"2026-10-0{day}", "迟到", 1])
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[5].hidden = True
    book.save(tmp_path / "hidden_rows.xlsx")
    lines, problems, table = rows_of(tmp_path / "hidden_rows.xlsx")
    assert lines == [2, 3, 4, 5]
    assert problems == [f"{tmp_path / 'hidden_rows.xlsx'}:Sheet!3: warning: rows 3, 5 are hidden in Excel: they are "
                        "read and scored like the others (unhide them to check them; delete a row that must not "
                        "count) (hidden-row)"]
