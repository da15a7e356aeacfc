"""Rendering the forms with Jinja2 (autoescaped templates in ``templates/``) and writing them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli import __version__
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.results import ScoreSheet, SubjectScore
from kpi_cli.outputs.atomic import write_atomic
from kpi_cli.outputs.forms.form_page import build_form
from kpi_cli.outputs.forms.page_fit import has_rated_items, outcome_notes
from kpi_cli.outputs.forms.summary_page import build_summary, provenance_rows
from kpi_cli.outputs.forms.views import percent

if TYPE_CHECKING:
    from jinja2 import Environment


TEMPLATE_DIR = "templates"
DOCUMENT_TEMPLATE = "forms.html.j2"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("kpi_cli.outputs.forms", TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(sheet: ScoreSheet, subjects: Sequence[SubjectScore], *, summary: bool, provenance: object | None,
            title: str) -> str:
    rubric = sheet.rubric
    rated = has_rated_items(rubric)
    weights = " + ".join(f"{r.name}×{percent(r.weight)}" for r in rubric.raters) if rated else ""
    own = [item for item in rubric.items if item.is_rated and item.weights is not None]
    if own:  # items with their own raters and weights say so in their 考核标准 cell
        every = len(own) == sum(1 for item in rubric.items if item.is_rated)
        weights = "各评分人评分×本项权重(见考核标准)" if every else weights + "(考核标准注明本项权重者除外)"
    return _environment().get_template(DOCUMENT_TEMPLATE).render(
        title=title,
        rubric=rubric,
        period_label=sheet.period.label,
        period=str(sheet.period),
        period_word="考核月度" if sheet.period.kind == "month" else "考核季度",
        raters=[r.name for r in rubric.raters] if rated else [],
        weights=weights,
        forms=[build_form(sheet, s) for s in subjects],
        summary=build_summary(sheet) if summary else None,
        outcome_notes=outcome_notes(rubric),
        has_grades=bool(rubric.grades),
        has_outcomes=bool(rubric.outcomes),
        has_departments=any(s.subject.department for s in sheet.subjects),
        provenance=provenance_rows(provenance),
        version=__version__,
        decimals=rubric.rounding.decimals,
    )


def render_html(sheet: ScoreSheet, provenance: object | None = None) -> str:
    """The whole document: a summary page, then one form page per person (best first).

    ``provenance``: where the figures come from, shown at the foot of the summary page: a
    :class:`~kpi_cli.provenance.Provenance` (its ``lines()``), a mapping such as
    ``{"考核表": "rubrics/guanjia.yaml"}``, or None.  Score with ``keep_records=True`` so
    the 违规情况记录 column lists the records.  For ``kpi score --format html``:
    ``render_html(sheet, provenance).encode("utf-8")``.
    """
    return _render(sheet, sheet.subjects, summary=True, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label}")


def render_form(sheet: ScoreSheet, subject: SubjectScore, provenance: object | None = None) -> str:
    """One person's form alone (no summary: it would show everyone's scores)."""
    who = subject.subject.name or subject.subject.id
    return _render(sheet, [subject], summary=False, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label} · {who}")


_UNSAFE = re.compile(r"[^\w\-]+")


def split_file_name(subject: SubjectScore) -> str:
    """``E001_张三.html``: the 工号 and the name, reduced to characters safe in a file name."""
    parts = [_UNSAFE.sub("_", part).strip("_.") for part in (subject.subject.id, subject.subject.name)]
    stem = "_".join(p for p in parts if p) or "form"
    return stem[:120] + ".html"


def render_split(sheet: ScoreSheet, provenance: object | None = None) -> list[tuple[str, str]]:
    """(file name, document) per person; names are unique (the 工号 is)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for s in sheet.subjects:
        name = split_file_name(s)
        if name.lower() in seen:  # two 工号 that differ only in unsafe characters or case
            stem = name[:-5]
            n = 2
            while f"{stem}-{n}.html".lower() in seen:
                n += 1
            name = f"{stem}-{n}.html"
        seen.add(name.lower())
        out.append((name, render_form(sheet, s, provenance)))
    return out


def write_forms(sheet: ScoreSheet, *, output: Path | None = None, split: Path | None = None,
                provenance: object | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write the whole document to ``output`` and/or one file per person into ``split``."""
    written: list[Path] = []
    jobs: list[tuple[Path, str]] = []
    if output is not None:
        jobs.append((output, render_html(sheet, provenance)))
    if split is not None:
        try:
            split.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return written, [Diagnostic(str(split), 0, 0, f"cannot create folder: {exc.strerror or exc}", "io-error")]
        jobs.extend((split / name, text) for name, text in render_split(sheet, provenance))
    for path, text in jobs:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            return written, [Diagnostic(str(path), 0, 0, f"cannot write: {exc.strerror or exc}", "io-error")]
        written.append(path)
    return written, []
