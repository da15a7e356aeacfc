"""The JSON Schema of the rubric format, for editors (yaml-language-server)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpi_cli.rubric.model import Rubric

SCHEMA_ID = "https://kpi-cli.invalid/schema/rubric.schema.json"


def rubric_json_schema() -> dict[str, Any]:
    schema = Rubric.model_json_schema(mode="validation")
    schema = _numbers_only(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kpi-cli rubric (考核表)"
    return schema


def _numbers_only(node: Any) -> Any:
    """Pydantic lets a Decimal field also be any string; an editor should ask for a number.

    ``anyOf: [{type: number}, {type: string}]`` becomes the number alternative, and
    a Decimal default written as text (``"1"``) becomes the number 1.
    """
    if isinstance(node, list):
        return [_numbers_only(child) for child in node]
    if not isinstance(node, dict):
        return node
    node = {key: _numbers_only(value) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and any(o.get("type") == "number" for o in options):
        kept = [o for o in options if o.get("type") != "string"]
        if len(kept) == 1:
            del node["anyOf"]
            node = {**kept[0], **node}
        else:
            node["anyOf"] = kept
        default = node.get("default")
        if isinstance(default, str):
            number = Decimal(default)
            node["default"] = int(number) if number == number.to_integral_value() else float(number)
    return node
