"""Record-level changes of an amendment: by content, not by line; same person/day/rule pairs as changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import EXAMPLES
from kpi_cli.engine.record_diff import diff_records
from kpi_cli.engine.results import Record
from kpi_cli.rubric.loader import load_rubric

RUBRIC = load_rubric(EXAMPLES / "payroll" / "fuwu.yaml")[0]


def rec(line: int, subject: str, day: int, item: int, rule: int, count: int = 1, points: str | None = None,
        note: str = "", file: str = "log.csv") -> Record:
    return Record(file, line, subject, date(2026, 10, day), "deduction", item, rule, "", count,
                  None if points is None else Decimal(points), note=note)


def test_moved_rows_are_unchanged_and_changes_are_located() -> None:
    assert RUBRIC is not None
    old = [rec(2, "K1", 3, 0, 0), rec(3, "K1", 17, 1, 1, points="1.5", note="报修单未登记"), rec(4, "K2", 5, 0, 1)]
    new = [rec(2, "K0", 1, 0, 0, file="new.csv"),  # a row inserted above: K1's 迟到 moves to line 3
           rec(3, "K1", 3, 0, 0, file="new.csv"), rec(4, "K1", 17, 1, 1, points="1", note="报修单未登记", file="new.csv")]
    changes = diff_records(old, new, RUBRIC, RUBRIC)
    assert [(c.subject, c.change, c.old_location, c.new_location, c.old_text, c.new_text) for c in changes] == [
        ("K0", "added", "", "new.csv:2", "", "2026-10-01 考勤管理/迟到 ×1"),
        ("K1", "changed", "log.csv:3", "new.csv:4", "2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记",
         "2026-10-17 服务质量/违反工作流程 ×1 1分 报修单未登记"),
        ("K2", "removed", "log.csv:4", "", "2026-10-05 考勤管理/旷工 ×1", ""),
    ]
