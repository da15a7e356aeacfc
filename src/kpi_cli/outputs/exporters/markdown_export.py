"""Markdown: the results table with a title, the summary and the provenance, for wikis and e-mail."""

from __future__ import annotations

from kpi_cli.outputs.provenance import Provenance
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.exporters.common import Value, percent_text, result_columns, result_rows, text_of, title

_RIGHT = {"number", "total", "rank", "percent"}


def escape(text: str) -> str:
    """Keep a cell inside its cell: pipes escaped, line breaks as <br>."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def _cell(value: Value, kind: str) -> str:
    return escape(percent_text(value) if kind == "percent" else text_of(value))


def to_markdown(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    from kpi_cli.outputs.screen import summary_text

    columns = result_columns(sheet.rubric)
    lines = [f"# {escape(title(sheet))}", ""]
    lines.append("| " + " | ".join(escape(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.kind in _RIGHT else "---" for c in columns) + "|")
    for row in result_rows(sheet):
        lines.append("| " + " | ".join(_cell(v, c.kind) for v, c in zip(row, columns)) + " |")
    lines += ["", escape(summary_text(sheet).plain), "", "## 生成信息 (provenance)", ""]
    lines.extend(f"- {escape(label)}: `{value}`" if "SHA-256" in label else f"- {escape(label)}: {escape(value)}"
                 for label, value in provenance.lines())
    return ("\n".join(lines) + "\n").encode("utf-8")
