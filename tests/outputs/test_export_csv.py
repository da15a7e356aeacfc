"""CSV export: UTF-8 with a BOM, ONE table of typed cells written plainly, formula-like text neutralised."""

from __future__ import annotations

import csv
import io

from export_support import INJECTION, provenance, scored

from kpi_cli.outputs.exporters import export
from kpi_cli.outputs.exporters.common import neutralise
from kpi_cli.outputs.exporters.csv_export import to_csv


def rows() -> list[list[str]]:
    run = scored(keep_records=False)
    data = to_csv(run.sheet, provenance(run))
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_header_and_results_best_first() -> None:
    table = rows()
    assert table[0] == ["名次", "工号", "姓名", "部门", "岗位", "考勤管理(10)", "服务质量(10)", "奖扣分", "总分", "等级",
                        "绩效结果", "绩效工资(%)", "处理", "部门名次"]
    # hand-computed in tests/export_support.py; totals with mini.yaml's 1 decimal, pay in percent as a number
    assert table[1] == ["1", "G01", "王芳", "翠湖花园", "管家", "8", "10", "1", "19.0", "优秀", "发放100%", "100", "", "1"]
    assert table[2] == ["2", "G03", "'@张伟", "'-金域华府", "管家", "10", "10", "-3", "17.0", "合格", "发放50%", "50", "",
                        "1"]
    assert table[3] == ["3", "G02", "'" + INJECTION, "翠湖花园", "管家", "6", "6", "0", "12.0", "合格", "发放50%", "50",
                        "", "2"]
    assert len(table) == 4  # one table: no provenance block after it


def test_provenance_goes_to_the_sidecar() -> None:
    import json

    from kpi_cli.outputs.exporters.csv_export import provenance_sidecar

    run = scored(keep_records=False)
    about = json.loads(provenance_sidecar(provenance(run)))
    assert about["tool"] == "kpi-cli" and about["run_at"] == "2026-11-01T01:05:00Z" and about["period"] == "2026-10"
    assert [len(f["sha256"]) for f in about["inputs"]] == [64, 64]


def test_injection_neutralised_only_in_text() -> None:
    assert neutralise(INJECTION) == "'" + INJECTION
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "x") == "'" + start + "x"
    assert neutralise("王芳") == "王芳" and neutralise("") == "" and neutralise("a=b") == "a=b"
    # numbers are never touched: the −3 of 奖扣分 stays a number
    assert rows()[2][7] == "-3"


def test_export_dispatch_gives_the_same_bytes() -> None:
    run = scored(keep_records=False)
    prov = provenance(run)
    assert export("csv", run.sheet, prov) == to_csv(run.sheet, prov)
