"""Exports carry numbers, exactly (issue 11, class 7): no ``≈`` outside the screen, totals with the rubric's
decimals, and a CSV that is one table any importer reads.

tests/data/exact/ratio.yaml: 管理费收缴 max 40, proportional to a 95% target; 考勤 60, 迟到 −2.
  A01: 收缴率 90% -> 40 × 90 / 95 = 37.894736842105263157894736842... (no end: the engine's division keeps
       34 significant digits, 37.89473684210526315789473684210526); 考勤 60; total 97.894... -> 97.9
  A02: 95% -> 40; 迟到 ×1 -> 60 − 2 = 58; total 98 -> 98.0 (the rubric keeps 1 decimal)
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from conftest import DATA
from kpi_cli.inputs.score_run import score_log
from kpi_cli.outputs.exporters import export
from kpi_cli.outputs.provenance import build_provenance
from kpi_cli.rubric.loader import load_rubric

EXACT = DATA / "exact"
SCORE_A01 = Decimal("37.89473684210526315789473684210526")  # 40 × 90 / 95 to the engine's 34 digits
RAW_A01 = Decimal("97.89473684210526315789473684210526")  # + 60, exact (the engine adds in 60 digits)


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    rubric, problems = load_rubric(EXACT / "ratio.yaml")
    assert rubric is not None, problems
    run = score_log(EXACT / "log.csv", rubric, roster=EXACT / "roster.csv", keep_records=True)
    assert run.ok and run.sheet is not None, run.diagnostics
    provenance = build_provenance(rubric_id=rubric.id, rubric_title=rubric.title, rubric_path=EXACT / "ratio.yaml",
                                  period="2026-10", inputs=[("log", EXACT / "log.csv")])
    return {fmt: export(fmt, run.sheet, provenance) for fmt in ("csv", "json", "markdown", "xlsx")}


def test_no_approximation_in_any_machine_export(outputs: dict[str, bytes]) -> None:
    for fmt in ("csv", "markdown"):
        assert "≈" not in outputs[fmt].decode("utf-8"), fmt
    doc = json.loads(outputs["json"])
    for s in doc["subjects"]:  # (a record's "effect" is the calculation in words, as on screen: text, not a figure)
        for r in s["records"]:
            r.pop("effect")
    assert "≈" not in json.dumps(doc, ensure_ascii=False)


def test_json_figures_are_exact_decimal_strings_that_round_trip(outputs: dict[str, bytes]) -> None:
    doc = json.loads(outputs["json"])
    a01 = next(s for s in doc["subjects"] if s["id"] == "A01")
    a02 = next(s for s in doc["subjects"] if s["id"] == "A02")
    assert Decimal(a01["items"][0]["score"]) == SCORE_A01
    assert Decimal(a01["raw_total"]) == RAW_A01
    assert (a01["total"], a02["total"]) == ("97.9", "98.0")
    assert (doc["summary"]["min"], doc["summary"]["max"]) == ("97.9", "98.0")
    for s in doc["subjects"]:  # every figure parses as a Decimal
        for key in ("item_total", "adjustment_total", "raw_total", "total"):
            Decimal(s[key])


def test_csv_is_one_strict_table_of_plain_numbers(outputs: dict[str, bytes]) -> None:
    text = outputs["csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 2 and all(len(r) == len(header) for r in body)  # one table: nothing after it
    by_id = {r[1]: dict(zip(header, r)) for r in body}
    assert Decimal(by_id["A01"]["管理费收缴(40)"]) == SCORE_A01
    assert (by_id["A01"]["总分"], by_id["A02"]["总分"]) == ("97.9", "98.0")
    for r in body:
        for name in ("名次", "管理费收缴(40)", "考勤管理(60)", "奖扣分", "总分", "部门名次"):
            Decimal(by_id[r[1]][name])  # a number, as written


def test_pandas_reads_the_csv_as_numbers(outputs: dict[str, bytes]) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.BytesIO(outputs["csv"]), encoding="utf-8-sig")
    assert list(frame["总分"]) == [98.0, 97.9] and frame["管理费收缴(40)"].dtype.kind == "f"


def test_markdown_writes_exact_numbers_and_the_rubric_decimals(outputs: dict[str, bytes]) -> None:
    lines = outputs["markdown"].decode("utf-8").splitlines()
    a01 = next(line for line in lines if "| A01 |" in line)
    assert f"| {SCORE_A01} |" in a01 and "| 97.9 |" in a01
    assert "| 98.0 |" in next(line for line in lines if "| A02 |" in line)


def test_xlsx_figures_are_numbers_with_the_rubric_decimals(outputs: dict[str, bytes]) -> None:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))["结果"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[3])}
    assert row["工号"].value == "A01"
    assert isinstance(row["管理费收缴(40)"].value, (int, float)) and abs(row["管理费收缴(40)"].value - 37.8947368) < 1e-6
    assert row["总分"].value == pytest.approx(97.9) and row["总分"].number_format == "0.0"
