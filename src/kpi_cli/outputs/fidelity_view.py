"""How outputs say that a rubric is a draft with reconstructed parts (重建), for every output a person reads.

A rubric that is not adopted and holds reconstructed parts (or says ``status: draft``) carries a banner
(草案 · 含重建内容 N 处) on the screen, on every printed page and in every export; each reconstructed row,
rule, weight or band is marked 【重建】 where it is shown.  An adopted rubric shows who adopted it and when.
The printed forms and the screen renderings are Chinese documents, like the paper forms they copy.
"""

from __future__ import annotations

from typing import NamedTuple

from kpi_cli.engine.scoring import fmt
from kpi_cli.i18n import _
from kpi_cli.rubric.fidelity import is_adopted, is_draft, marked, pending
from kpi_cli.rubric.model import Rubric
from kpi_cli.rubric.yaml_source import format_path

MARK = "【重建】"
SHORT_MARK = "※"  # on the printed forms, where the columns are narrow; the banner says what it means


def banner(rubric: Rubric, mark: str = MARK, last_page: bool = False) -> str | None:
    """草案 · 含重建内容 31 处 …, or None for a rubric without anything to say.  The notes are listed by
    ``kpi show ID``, or (``last_page``: the printed forms) on the document's last page."""
    if not is_draft(rubric):
        return None
    n = len(pending(rubric))
    if n and last_page:
        return _("draft · {n} reconstructed parts (marked {mark}, listed on the last page): not a company rule "
                 "until the company adopts it").format(n=n, mark=mark)
    if n:
        return _("draft · {n} reconstructed parts (marked {mark}, listed by kpi show {id}): not a company rule "
                 "until the company adopts it").format(n=n, mark=mark, id=rubric.id)
    return _("draft: the company has not adopted this rubric yet")


def forms_banner(rubric: Rubric) -> str | None:
    """The banner on every printed page: the notes are on the document's last page."""
    return banner(rubric, SHORT_MARK, last_page=True)


def draft_mark() -> str:
    """The short mark in the footer of every printed page: 草案 · 含重建内容."""
    return _("draft · reconstructed parts")


def notes_heading(mark: str = MARK) -> str:
    """The heading over the list of notes: 【重建】说明（不是原表内容）：."""
    return _("{mark} notes (not on the source form):").format(mark=mark)


def tag(rubric: Rubric, *parts: object, mark: str = MARK) -> str:
    """`` 【重建】`` when any of ``parts`` (items, rules, raters, bands...) is reconstructed and not adopted."""
    return f" {mark}" if any(part is not None and marked(rubric, part) for part in parts) else ""


def form_tag(rubric: Rubric, *parts: object) -> str:
    """The mark on the printed forms: ``※`` (:data:`SHORT_MARK`), which the banner on every page explains."""
    return tag(rubric, *parts, mark=SHORT_MARK)


def note_lines(rubric: Rubric) -> list[str]:
    """The notes behind the marks, one line each: ``1. 客户接待与投诉处理 (items[1]): row 2 is not in the source``."""
    return [f"{n}. {part.what} ({format_path(part.path) or _('the rubric')}): {part.note}"
            for n, part in enumerate(pending(rubric), start=1)]


class NoteRow(NamedTuple):
    """One row of the notes page of the printed forms."""

    number: int
    what: str
    where: str
    note: str


def note_rows(rubric: Rubric) -> list[NoteRow]:
    """The notes behind the ※ marks, for the last page of the printed forms (empty once adopted)."""
    return [NoteRow(n, part.what, format_path(part.path) or _("the rubric"), part.note)
            for n, part in enumerate(pending(rubric), start=1)]


def adoption(rubric: Rubric) -> str | None:
    """已采用：人力资源部 张三，2026-11-30 (for an adopted rubric)."""
    if not is_adopted(rubric):
        return None
    return _("adopted: {by}, {on}").format(by=rubric.adopted_by, on=rubric.adopted_on)


def policy(rubric: Rubric) -> str:
    """The bounds of the total, as the form says them: 扣分从合计中扣除 / 各项扣完为止, 合计不超过满分, 不低于0."""
    parts = ["扣分从合计中扣除 (不按项扣完为止)" if rubric.deduct_from == "total" else "各项扣完为止"]
    parts.append(f"合计不超过满分 {fmt(rubric.total)}" if rubric.cap_total else "合计可超过满分")
    parts.append("不低于0" if rubric.floor_total else "可低于0")
    return ", ".join(parts)


def adjustment_rule(rubric: Rubric) -> str | None:
    """奖扣分: 每次 ±1-10分, 当期合计不超过 ±10分 (超出时拒绝计分), 须注明原因."""
    a = rubric.adjustments
    if a is None:
        return None
    over = "拒绝计分" if a.over_net == "refuse" else f"按 ±{fmt(a.net_bound)} 计"
    return (f"{a.name}: 每次 ±{fmt(a.min)}-{fmt(a.max)}分, 当期合计不超过 ±{fmt(a.net_bound)}分 (超出时{over})"
            + (", 须注明原因" if a.reason_required else "") + tag(rubric, a))
