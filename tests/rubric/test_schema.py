"""The committed JSON Schema (schema/rubric.schema.json) is the one the code produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpi_cli.rubric.schema import rubric_json_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema" / "rubric.schema.json"
HEADER = "# yaml-language-server: $schema=../schema/rubric.schema.json"
REGENERATE = ("regenerate it: python -c \"import json; from kpi_cli.rubric.schema import rubric_json_schema; "
              "open('schema/rubric.schema.json', 'w', encoding='utf-8').write(json.dumps(rubric_json_schema(), "
              "ensure_ascii=False, indent=2) + '\\n')\"")


def test_committed_schema_is_current() -> None:
    expected = json.dumps(rubric_json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, REGENERATE


def test_schema_shape() -> None:
    schema = rubric_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "kpi-cli rubric (考核表)"
    assert schema["additionalProperties"] is False
    assert {"id", "title", "period", "roles", "total", "items"} <= set(schema["required"])
    assert schema["properties"]["period"]["enum"] == ["month", "quarter"]
    assert {"Item", "DeductionRule", "MetricRule", "PointRange", "Rating", "Rater", "Band"} <= set(schema["$defs"])


def test_numbers_are_numbers_for_editors() -> None:
    # pydantic would also allow any text for a Decimal; an editor should flag `max: 三十`
    schema = rubric_json_schema()
    assert schema["properties"]["total"] == {"exclusiveMinimum": 0.0, "maximum": 1000000000.0, "type": "number",
                                             "title": "Total"}
    assert schema["$defs"]["Adjustments"]["properties"]["min"]["default"] == 1
    assert '{"type": "string"}' not in json.dumps(schema["$defs"]["Item"]["properties"]["max"])


def _rubric_files() -> list[Path]:
    return sorted((ROOT / "rubrics").glob("*.yaml"))


@pytest.mark.parametrize("path", _rubric_files(), ids=lambda p: p.name)
def test_rubric_points_editors_at_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER
