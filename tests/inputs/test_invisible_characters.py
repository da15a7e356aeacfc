"""Issue 11 (invisible characters, classes 2 and 8): a zero-width space, a soft hyphen, a word joiner or a BOM
pasted into a heading, a rule's name or a figure changes nothing a person can see, so it changes nothing kpi
reads; and where such a character is printed (a message), it is shown as an escape so it can be found."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from kpi_cli.inputs.columns import header_key
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.values import parse_count, parse_date, parse_decimal
from kpi_cli.names import normalize
from kpi_cli.outputs.safe_text import printable
from kpi_cli.rubric.loader import load_rubric

RUBRIC = ROOT / "tests/data/input/rubric.yaml"
ROSTER = ROOT / "tests/data/input/roster.csv"
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202c"]


@pytest.mark.parametrize("ch", INVISIBLE)
def test_headings_and_names_ignore_invisible_characters(ch: str) -> None:
    assert header_key(f"次{ch}数") == header_key("次数")
    assert normalize(f"迟{ch}到") == normalize("迟到")


@pytest.mark.parametrize("ch", INVISIBLE)
def test_figures_and_dates_ignore_invisible_characters(ch: str) -> None:
    assert parse_count(f"2{ch}") == 2
    assert parse_decimal(f"{ch}1.5") == Decimal("1.5")
    assert parse_date(f"2026-10-0{ch}3").isoformat() == "2026-10-03"


@pytest.mark.parametrize("ch", INVISIBLE)
def test_messages_show_invisible_characters(ch: str) -> None:
    shown = printable(f"次{ch}数")
    code = ord(ch)
    assert ch not in shown and shown == (f"次\\x{code:02x}数" if code < 0x100 else f"次\\u{code:04x}数")


def test_a_log_with_invisible_characters_scores_as_typed(tmp_path: Path) -> None:
    # 迟到 costs 2 per occurrence: 次\u200b数 is the 次数 column (2), 迟\u00ad到 is 迟到 -> 劳动纪律 30 - 2 x 2 = 26;
    # 收缴率 9\u20606 is 96 -> 收缴 40 (target 95 met): the same as the log typed without them.
    rubric, problems = load_rubric(RUBRIC)
    assert rubric is not None, problems
    header = "工号,日期,考核项目,次数,数值,评分人,评分,备注"
    rows = ["000101,2026-10-03,迟到,2,,,,", "000101,2026-10-31,收缴率,,96,,,", "000101,2026-10-31,服务态度,,,自评,30,",
            "000101,2026-10-31,服务态度,,,直接上级,30,"]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    odd = tmp_path / "odd.csv"
    odd.write_text("\n".join([header.replace("次数", "次\u200b数"), rows[0].replace("迟到", "迟\u00ad到"),
                              rows[1].replace("96", "9\u20606"), *rows[2:]]) + "\n", encoding="utf-8")
    totals = []
    for path in (plain, odd):
        run = score_log(path, rubric, keep_records=False)
        assert run.ok and run.sheet is not None, run.diagnostics
        assert (run.counts.read, run.counts.used) == (4, 4)
        person = run.sheet.find("000101")
        assert person is not None
        totals.append((person.total, [i.score for i in person.items]))
    assert totals[0] == totals[1]
    assert totals[1][1][:2] == [Decimal(26), Decimal(40)]
