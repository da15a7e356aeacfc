"""The JSON Schema of the rubric format, for editors (yaml-language-server)."""

from __future__ import annotations

from typing import Any

from .rubric_model import Rubric

SCHEMA_ID = "https://kpi-cli.invalid/schema/rubric.schema.json"


def rubric_json_schema() -> dict[str, Any]:
    schema = Rubric.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kpi-cli rubric (考核表)"
    return schema
