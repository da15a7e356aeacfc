"""Rendering the forms with Jinja2 (autoescaped templates in ``templates/``) and writing them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli.i18n import _, N_, os_reason
from kpi_cli import __version__
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.results import ScoreSheet, SubjectScore
from kpi_cli.outputs.atomic import input_overwritten, write_all
from kpi_cli.outputs import fidelity_view as fv
from kpi_cli.outputs.fidelity_view import form_tag
from kpi_cli.outputs.safe_text import printable
from kpi_cli.outputs.forms.form_page import build_form
from kpi_cli.outputs.forms.page_fit import has_rated_items, outcome_notes
from kpi_cli.outputs.forms.summary_page import build_summary, provenance_rows
from kpi_cli.outputs.forms.trend import Trend
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
            title: str, trends: Mapping[str, Trend] | None = None, trail: Mapping[str, object] | None = None) -> str:
    rubric = sheet.rubric
    rated = has_rated_items(rubric)
    weights = " + ".join(f"{r.name}×{percent(r.weight)}{form_tag(rubric, r)}" for r in rubric.raters) if rated else ""
    own = [item for item in rubric.items if item.is_rated and item.weights is not None]
    if own:  # items with their own raters and weights say so in their 考核标准 cell
        every = len(own) == sum(1 for item in rubric.items if item.is_rated)
        weights = "各评分人评分×本项权重(见考核标准)" if every else weights + "(考核标准注明本项权重者除外)"
    # The templates hold no control character: any in the page came from data (a name, a note) and is shown as
    # a visible escape (outputs/safe_text), so that `kpi forms -o -` sends no terminal code either.
    return printable(_environment().get_template(DOCUMENT_TEMPLATE).render(
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
        trends=trends or {},
        draft=fv.forms_banner(rubric),
        draft_mark=fv.draft_mark(),
        notes=fv.note_rows(rubric),
        notes_text={"heading": _("Reconstructed parts"),
                    "intro": _("This rubric is a draft: the parts marked {mark} on the forms are not on the company's "
                               "paper form. Each is listed here with what was assumed and why. They are not company "
                               "rules until the company adopts the rubric (status: adopted, with adopted_by and "
                               "adopted_on).").format(mark=fv.SHORT_MARK),
                    "number": _("No."), "part": _("reconstructed part"), "where": _("where in the rubric"),
                    "note": _("what was assumed, and why")},
        trail=trail or {},
    ))


def render_html(sheet: ScoreSheet, provenance: object | None = None,
                trends: Mapping[str, Trend] | None = None, trail: Mapping[str, object] | None = None) -> str:
    """The whole document: a summary page, then one form page per person (best first), then (a draft rubric)
    the page of notes behind the ※ marks (重建内容说明).

    ``provenance``: where the figures come from, shown at the foot of the summary page: a
    :class:`~kpi_cli.provenance.Provenance` (its ``lines()``), a mapping such as
    ``{"考核表": "rubrics/guanjia.yaml"}``, or None.  Score with ``keep_records=True`` so
    the 违规情况记录 column lists the records.  For ``kpi score --format html``:
    ``render_html(sheet, provenance).encode("utf-8")``.
    """
    return _render(sheet, sheet.subjects, summary=True, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label}", trends=trends, trail=trail)


def render_form(sheet: ScoreSheet, subject: SubjectScore, provenance: object | None = None,
                trends: Mapping[str, Trend] | None = None, trail: Mapping[str, object] | None = None) -> str:
    """One person's form alone (no summary: it would show everyone's scores), and for a draft rubric the page of
    notes behind its ※ marks."""
    who = subject.subject.name or subject.subject.id
    return _render(sheet, [subject], summary=False, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label} · {who}", trends=trends, trail=trail)


_UNSAFE = re.compile(r"[^\w\-]+")
# Names Windows keeps for devices, whatever the extension (CON.html is the console): never a file name.
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$")
MAX_NAME_BYTES = 120  # a file name is at most 255 bytes: a 90-character 姓名 (270 bytes) is cut, not refused


def _bounded(stem: str, limit: int) -> str:
    while len(stem.encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem.rstrip("_. ")


def split_file_name(subject: SubjectScore) -> str:
    """``E001_张三.html``: the 工号 and the name, reduced to characters safe in a file name on any system.

    Only letters, digits, ``_`` and ``-`` are kept (no path separators, dots, spaces or control
    characters, so no trailing dot or space either), the name is at most :data:`MAX_NAME_BYTES`
    bytes of UTF-8, and a Windows device name (``CON``, ``NUL``, ``COM1``...) gets a leading ``_``.
    """
    parts = [_UNSAFE.sub("_", part).strip("_.") for part in (subject.subject.id, subject.subject.name)]
    stem = _bounded("_".join(p for p in parts if p), MAX_NAME_BYTES - len(".html") - 8) or "form"
    if _RESERVED.match(stem.split(".")[0]):
        stem = "_" + stem
    return stem + ".html"


def render_split(sheet: ScoreSheet, provenance: object | None = None, trends: Mapping[str, Trend] | None = None,
                 trail: Mapping[str, object] | None = None) -> list[tuple[str, str]]:
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
        out.append((name, render_form(sheet, s, provenance, trends, trail)))
    return out


def write_forms(sheet: ScoreSheet, *, output: Path | None = None, split: Path | None = None,
                provenance: object | None = None,
                inputs: Sequence[tuple[str, Path | str | None]] = (),
                trends: Mapping[str, Trend] | None = None,
                trail: Mapping[str, object] | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write the whole document to ``output`` and/or one file per person into ``split``: all or nothing.

    Every document is rendered and staged before any target is replaced
    (:func:`~kpi_cli.outputs.atomic.write_all`): whatever fails, the previous
    ``output`` and split files are unchanged.  A target that is one of ``inputs``
    is refused before anything is written (code ``overwrites-input``).
    """
    jobs: list[tuple[Path, bytes]] = []
    if output is not None:
        jobs.append((output, render_html(sheet, provenance, trends, trail).encode("utf-8")))
    if split is not None:
        jobs.extend((split / name, text.encode("utf-8")) for name, text in render_split(sheet, provenance, trends, trail))
    problem = input_overwritten([(N_("the forms file"), path) for path, _ in jobs], inputs)
    if problem:
        return [], [Diagnostic(str(output or split), 0, 0, problem, "overwrites-input")]
    if split is not None:
        try:
            split.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return [], [Diagnostic(str(split), 0, 0, _("cannot create folder: {reason}").format(
                                                         reason=os_reason(exc)), "io-error")]
    try:
        write_all(jobs)
    except OSError as exc:
        return [], [Diagnostic(str(exc.filename or output or split), 0, 0, _("cannot write: {reason}; no form was written, the previous files are "
                                                   "unchanged").format(reason=os_reason(exc)), "io-error")]
    return [path for path, _ in jobs], []
