"""The same month saved by Chinese Excel in five forms scores exactly as the UTF-8 CSV.

The forms: CSV UTF-8, CSV UTF-8 with a BOM ("CSV UTF-8 (逗号分隔)"), GB18030 ("CSV (逗号分隔)" on a Chinese
Windows), UTF-16 with tabs ("Unicode 文本", .txt) and an Excel workbook (.xlsx, built by
tests/data/make_xlsx.py with real date cells, numbers and percent-formatted rates).  The roster comes in the
same form as the log (in the workbook: its second sheet, 花名册).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DATA, make_xlsx
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

INPUT = DATA / "input"
RUBRIC = INPUT / "rubric.yaml"
FORMS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "xlsx"]


def _as_tsv(text: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, dict[str, str]]]:
    """form -> (log, roster, options for score_log)."""
    folder = tmp_path_factory.mktemp("forms")
    log_text = (INPUT / "month.csv").read_bytes().decode("utf-8")
    roster_text = (INPUT / "roster.csv").read_bytes().decode("utf-8")
    # month.csv has a note with a line break (Alt+Enter in Excel): read with multiline_cells, as it is meant
    multiline = {"multiline_cells": True}
    out: dict[str, tuple[Path, Path, dict[str, object]]] = {
        "utf-8": (INPUT / "month.csv", INPUT / "roster.csv", multiline)}
    for encoding in ("utf-8-sig", "gb18030"):
        log, roster = folder / f"month-{encoding}.csv", folder / f"roster-{encoding}.csv"
        log.write_bytes(log_text.encode(encoding))
        roster.write_bytes(roster_text.encode(encoding))
        out[encoding] = (log, roster, multiline)
    log, roster = folder / "month-unicode.txt", folder / "roster-unicode.txt"
    log.write_bytes(_as_tsv(log_text).encode("utf-16"))  # little-endian with a BOM, as Excel writes it
    roster.write_bytes(_as_tsv(roster_text).encode("utf-16"))
    out["utf-16"] = (log, roster, multiline)
    book = make_xlsx().month(folder / "month.xlsx")
    out["xlsx"] = (book, book, {"roster_sheet": "花名册"})
    return out


def fingerprint(run) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """Everything scored, without where it was read (lines differ: a CSV cell may span two lines)."""
    assert run.ok, [d.format() for d in run.diagnostics]
    rows = []
    for s in run.sheet.subjects:
        items = tuple((i.id, i.score, i.raw, i.deducted, i.occurrences, i.wiped,
                       tuple((m.rule, m.value, m.effect) for m in i.metrics),
                       tuple((r.rater, r.score, r.used_weight) for r in i.ratings)) for i in s.items)
        rows.append((s.subject.id, s.subject.name, s.subject.department, s.subject.role, s.total, s.raw_total,
                     s.rank, tuple(a.points for a in s.adjustments), items))
    return rows


def test_the_files_really_are_in_their_encodings(forms) -> None:  # type: ignore[no-untyped-def]
    assert forms["utf-8-sig"][0].read_bytes()[:3] == b"\xef\xbb\xbf"
    assert forms["gb18030"][0].read_bytes()[:4] == "工号".encode("gb18030")
    assert forms["utf-16"][0].read_bytes()[:2] == b"\xff\xfe"
    assert forms["xlsx"][0].read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("form", FORMS)
def test_every_form_scores_exactly_as_the_utf8_csv(forms, form: str) -> None:  # type: ignore[no-untyped-def]
    rubric, _ = load_rubric(RUBRIC)
    assert rubric is not None
    log, roster, options = forms[form]
    run = score_log(log, rubric, roster=roster, **options)
    reference_log, reference_roster, reference_options = forms["utf-8"]
    reference = score_log(reference_log, rubric, roster=reference_roster, **reference_options)
    assert fingerprint(run) == fingerprint(reference)
    # 15 data lines in a text file (one note spans two lines), 14 rows in the workbook
    joined = 0 if form == "xlsx" else 1
    assert (run.counts.read, run.counts.used, run.counts.outside_period, run.counts.errors, run.counts.joined) == \
        (14 + joined, 14, 0, 0, joined)
    # 000101: 迟到 2 + 用语不规范 2 × 1.5: 3 occurrences wipe 劳动纪律 (0); 收缴 96% ≥ 95: 40;
    #         服务态度 28 × 0.3 + 26.5 × 0.7 = 26.95; 66.95 → 67.0
    # 000102: 旷工 10: 20; 收缴 40 × 90 / 95 = 37.89…; 27 × 0.3 + 25 × 0.7 = 25.6; 奖扣 +3; 86.49… → 86.5
    # 000103: 迟到 2: 28; 收缴 95.5%: 40; 30 × 0.3 + 29 × 0.7 = 29.3; 97.3
    totals = {s.subject.id: s.total for s in run.sheet.subjects}
    assert totals == {"000101": Decimal("67.0"), "000102": Decimal("86.5"), "000103": Decimal("97.3")}


@pytest.mark.parametrize("form", FORMS)
def test_kpi_score_prints_the_same_table(invoke, forms, form: str) -> None:  # type: ignore[no-untyped-def]
    def score(log: Path, roster: Path, options: dict[str, str]) -> str:
        extra = ["--roster-sheet", options["roster_sheet"]] if "roster_sheet" in options else ["--multiline-cells"]
        result = invoke("score", str(log), "--rubric", str(RUBRIC), "--roster", str(roster), *extra)
        assert result.exit_code == 0, result.stderr
        if extra[0] == "--roster-sheet":
            assert "rows read 14: used 14, outside the period 0, in error 0\n" in result.stderr
        else:  # the note that spans two lines: 15 lines, one joined to the line above
            assert "rows read 15: used 14, outside the period 0, in error 0, joined to the line above 1\n" in \
                result.stderr
        return result.stdout

    assert score(*forms[form]) == score(*forms["utf-8"])


def test_explain_and_check_read_every_form(invoke, forms) -> None:  # type: ignore[no-untyped-def]
    log, roster, _ = forms["xlsx"]
    result = invoke("check", str(log), "--rubric", str(RUBRIC), "--roster", str(roster), "--roster-sheet", "花名册",
                    "--sheet", "10月记录")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "OK: 14 records for 3 subjects in 2026-10\n"
    log, roster, _ = forms["gb18030"]
    result = invoke("explain", str(log), "--rubric", str(RUBRIC), "--roster", str(roster), "--employee", "000102",
                    "--encoding", "gb18030", "--multiline-cells")
    assert result.exit_code == 0, result.stderr
    assert "86.5" in result.stdout
