"""JSON export: the documented, stable shape, exact decimals as strings, records with their source."""

from __future__ import annotations

import json

from export_support import INJECTION, LOG, RUBRIC, provenance, scored

from kpi_cli.outputs.exporters.json_export import SCHEMA, to_json


def load() -> dict:
    run = scored(keep_records=True)
    return json.loads(to_json(run.sheet, provenance(run)).decode("utf-8"))


def test_top_level_shape() -> None:
    doc = load()
    assert list(doc) == ["schema", "provenance", "rubric", "period", "summary", "subjects"]
    assert doc["schema"] == SCHEMA == "kpi-cli/score/1"
    assert doc["period"] == {"id": "2026-10", "kind": "month", "label": "2026年10月"}
    assert doc["rubric"] == {"id": "mini", "title": "管家月度考核表(导出测试)", "period": "month", "total": "20",
                             "decimals": 1, "items": [{"id": "kaoqin", "name": "考勤管理", "max": "10"},
                                                      {"id": "fuwu", "name": "服务质量", "max": "10"}],
                             "status": None, "draft": False, "reconstructed": []}
    # (19 + 17 + 12) / 3 = 16
    assert doc["summary"] == {"count": 3, "mean": "16", "min": "12.0", "max": "19.0",
                              "grades": {"优秀": 1, "合格": 2, "不合格": 0},
                              "outcomes": {"发放100%": 1, "发放50%": 2, "调岗": 0}}
    prov = doc["provenance"]
    assert list(prov) == ["tool", "version", "run_at", "rubric", "period", "inputs", "rows"]
    assert prov["run_at"] == "2026-11-01T01:05:00Z"
    assert prov["rubric"]["id"] == "mini" and prov["rubric"]["file"] == str(RUBRIC)
    assert [i["role"] for i in prov["inputs"]] == ["log", "roster"]


def test_subjects_items_outcomes_and_records() -> None:
    subjects = load()["subjects"]
    assert [(s["rank"], s["id"], s["total"], s["grade"]) for s in subjects] == [
        (1, "G01", "19.0", "优秀"), (2, "G03", "17.0", "合格"), (3, "G02", "12.0", "合格")]
    g02 = subjects[2]
    assert g02["name"] == INJECTION  # JSON carries the data as it is
    assert list(g02) == ["rank", "department_rank", "id", "name", "department", "role", "items", "adjustments",
                         "item_total", "adjustment_total", "raw_total", "total", "grade", "outcome", "records",
                         "adjustment_recorded", "bounded"]
    assert g02["items"][0] == {"id": "kaoqin", "name": "考勤管理", "max": "10", "score": "6", "raw": "6",
                               "deducted": "4", "occurrences": 2, "wiped": False, "floored": False, "capped": False}
    assert g02["outcome"] == {"label": "发放50%", "pay": "0.5", "action": None}
    assert [(r["line"], r["kind"], r["item"], r["rule"], r["change"], r["note"]) for r in g02["records"]] == [
        (3, "deduction", "服务质量", "有效投诉", "-4", "+业主投诉未处理"),
        (4, "deduction", "考勤管理", "迟到", "-4", "=1+1"),
    ]
    assert g02["records"][1]["file"] == str(LOG) and g02["records"][1]["count"] == 2
    g03 = subjects[1]
    assert g03["adjustments"] == [{"points": "-3", "reason": "@未按规定上报", "file": str(LOG), "line": 5}]
    assert g03["records"][0]["kind"] == "adjustment" and g03["records"][0]["change"] == "-3"
    assert g03["adjustment_total"] == "-3" and g03["raw_total"] == "17"


def test_same_inputs_give_the_same_document() -> None:
    assert load() == load()


def test_written_a_subject_at_a_time_as_the_same_bytes_as_one_dump() -> None:
    """json_chunks never holds the whole document, yet writes exactly what one json.dumps would."""
    from kpi_cli.outputs.exporters.json_export import json_chunks, to_dict
    from kpi_cli.outputs.safe_text import json_text

    run = scored(keep_records=True)
    prov = provenance(run)
    whole = json_text(to_dict(run.sheet, prov), indent=2) + "\n"
    pieces = list(json_chunks(run.sheet, prov))
    assert len(pieces) == len(run.sheet.subjects) + 1  # a piece per subject, and the closing one
    assert b"".join(pieces) == whole.encode("utf-8")


def test_the_indented_encoder_writes_what_json_dumps_writes() -> None:
    """json_export.indented is json.dumps(ensure_ascii=False, indent=2), only faster: any JSON value, any depth."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kpi_cli.outputs.exporters.json_export import indented

    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                          | st.dictionaries(st.text(), inner, max_size=4)
                          | st.dictionaries(st.integers(), inner, max_size=2), max_leaves=30)

    @settings(max_examples=300, deadline=None)
    @given(values, st.sampled_from(["", "  ", "    "]))
    def check(value: object, pad: str) -> None:
        assert indented(value, pad) == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)

    check()
