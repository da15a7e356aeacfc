"""Markdown: the results table with a title, the summary and the provenance, for wikis and e-mail.

Every text cell is data, never markup: HTML is written as entities (``<img ...>`` ->
``&lt;img ...&gt;``), the characters that make Markdown (CommonMark / GFM) links,
images, emphasis, code, tables, strike-through and math are backslash-escaped
(``[点我](http://…)`` stays those characters, never a link; ``www.`` and ``http://``
are not auto-linked), line breaks are ``<br>`` (the cell stays one table row) and
control characters show as visible escapes.  Numbers are exact (no ``≈``), totals
carry the rubric's decimals.
"""

from __future__ import annotations

import re

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.fidelity_view import banner, note_rows
from kpi_cli.outputs.exporters.common import Value, percent_text, result_columns, result_rows, text_of, title
from kpi_cli.outputs.provenance import Provenance
from kpi_cli.outputs.safe_text import printable

_RIGHT = {"number", "total", "rank", "percent"}
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# What starts Markdown inside a table cell (any ASCII punctuation may be backslash-escaped in CommonMark); the
# ':' of "://" and the '.' of "www." stop GFM's bare-URL autolinks.  (Line-start marks like # or - cannot act
# inside a cell or after "- label: ".)
_PUNCTUATION = re.compile(r"""([\\`*_\[\]|~$@])|(?<=:)(?=//)|(?<=www)(?=\.)""", re.IGNORECASE)
_BREAK = re.compile(r"\r\n|\r|\n")


def escape(text: str) -> str:
    """A text cell that stays text in any Markdown renderer, inside its table cell."""
    text = _PUNCTUATION.sub(lambda m: "\\" + (m.group(1) or ""), printable(text))
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _BREAK.sub("<br>", text)


def _cell(value: Value, kind: str, decimals: int) -> str:
    if kind == "percent":
        return percent_text(value)
    if isinstance(value, str):
        return escape(value)
    return text_of(value, kind, decimals)


def to_markdown(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    from kpi_cli.outputs.screen import summary_text

    columns = result_columns(sheet.rubric)
    decimals = sheet.rubric.rounding.decimals
    lines = [f"# {escape(title(sheet))}", ""]
    draft = banner(sheet.rubric)
    if draft:  # a draft rubric says so above the figures (草案 · 含重建内容 N 处)
        lines += [f"> **{escape(draft)}**", ""]
    lines.append("| " + " | ".join(escape(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.kind in _RIGHT else "---" for c in columns) + "|")
    for row in result_rows(sheet):
        lines.append("| " + " | ".join(_cell(v, c.kind, decimals) for v, c in zip(row, columns)) + " |")
    lines += ["", escape(summary_text(sheet).plain), ""]
    notes = note_rows(sheet.rubric)
    if notes:  # what the 【重建】 of the banner stands for, one row per part (a draft only)
        lines += ["## 重建内容说明 (reconstructed parts)", "", "| 序号 | 重建部分 | 位置 | 说明 |", "|---:|---|---|---|"]
        lines += [f"| {n.number} | {escape(n.what)} | {escape(n.where)} | {escape(n.note)} |" for n in notes]
        lines.append("")
    lines += ["## 生成信息 (provenance)", ""]
    lines.extend(f"- {escape(label)}: `{value}`" if "SHA-256" in label else f"- {escape(label)}: {escape(value)}"
                 for label, value in provenance.lines())
    return ("\n".join(lines) + "\n").encode("utf-8")
