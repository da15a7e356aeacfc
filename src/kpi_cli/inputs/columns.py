"""The columns of a record log and of a roster, in English or Chinese.

Headers are matched ignoring case, surrounding spaces, a BOM and full-width
forms.  A missing required column is an error listing the columns found.  An
unknown column of a log is an error (its data would be lost: ``发生次数`` read as
nothing makes 3 occurrences count as 1), with did-you-mean and the known
headings, unless it is listed as a column to ignore (the rubric's
``ignore_columns``).  A roster may carry other columns (电话,
入职日期): an unknown one is a warning, an error only when it looks like a known
one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_cli.diagnostics import ERROR, WARNING, Diagnostic

from kpi_cli.i18n import _


@dataclass(frozen=True)
class Column:
    name: str  # canonical English name
    chinese: str  # the heading templates write
    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""


LOG_COLUMNS: tuple[Column, ...] = (
    Column("employee", "工号", ("id", "employee_id", "subject", "staff", "员工编号", "编号", "被考核人工号", "单位"),
           True, "the 工号 of the person (or unit) the row is about"),
    Column("date", "日期", ("day", "发生日期", "记录日期", "时间"), True, "when it happened: 2026-10-03"),
    Column("rule", "考核项目", ("item", "规则", "考核标准", "考核内容", "违规项目", "项目"), True,
           "the rule's id, name or alias, or 项目.标准 where a name is in two items"),
    Column("count", "次数", ("times", "occurrences", "起数"), False, "occurrences, default 1"),
    Column("points", "扣分", ("分数", "分值", "奖扣分", "奖扣"), False,
           "points per occurrence for a range rule (扣1-2分); signed for 奖扣分"),
    Column("value", "数值", ("完成值", "指标值", "实际值", "rate"), False, "the measured value of a metric (96 or 96%)"),
    Column("rater", "评分人", ("评分人级别", "评价人"), False, "who rated: 自评, 直接上级..."),
    Column("score", "评分", ("rating", "得分"), False, "the rating given by the rater"),
    Column("note", "备注", ("reason", "说明", "原因", "违规情况", "违规情况记录"), False, "what happened; required for 奖扣分"),
    Column("recorded_by", "记录人", ("recorder", "登记人"), False, "who recorded it"),
)

ROSTER_COLUMNS: tuple[Column, ...] = (
    Column("id", "工号", ("employee", "employee_id", "员工编号", "编号"), True, "the 工号"),
    Column("name", "姓名", ("名字", "被考核人", "单位名称"), True, "the person's (or unit's) name"),
    Column("department", "部门", ("dept", "所属部门", "项目", "小区"), False, "department or site"),
    Column("role", "岗位", ("position", "职位", "role_name", "单位类型"), True, "the role the rubric covers"),
    Column("pay_base", "绩效工资基数", ("base_pay", "绩效工资", "绩效基数", "绩效工资标准"),
           False, "the performance pay (绩效工资) in 元 that the outcome's 发放比例 applies to"),
)


_IGNORED = re.compile(r"[\s_\-.:：*]+")
_NOTE = re.compile(r"\([^()]*\)$|\[[^\[\]]*\]$")


def header_key(text: str) -> str:
    """How a heading is compared: full-width forms, case, spaces (also inside), ``_``, ``-``, a ``*`` (required)
    marker and a BOM do not matter; ``Employee ID`` = ``employee_id`` = ``ＥＭＰＬＯＹＥＥ－ＩＤ``."""
    if not text.isascii():  # invisible characters (a BOM, zero-width spaces, soft hyphens) do not matter either
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


def _keys(columns: Sequence[Column]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in columns:
        for key in (column.name, column.chinese, *column.aliases):
            keys.setdefault(header_key(key), column.name)
    return keys


def _lookup(keys: dict[str, str], text: str) -> str | None:
    key = header_key(text)
    name = keys.get(key)
    if name is None and (bare := _NOTE.sub("", key)) != key:  # 扣分(分), 日期（yyyy-mm-dd）, 次数[次]
        name = keys.get(bare)
    return name


_LOG_KEYS = _keys(LOG_COLUMNS)
_ROSTER_KEYS = _keys(ROSTER_COLUMNS)


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column stands in a file's header row."""

    positions: dict[str, int]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]  # required columns not found (their Chinese headings)
    duplicated: tuple[str, ...]
    found: tuple[str, ...]
    unknown_at: tuple[int, ...] = ()  # 0-based positions of the unknown and duplicated headings
    duplicated_at: tuple[int, ...] = ()
    columns: tuple[Column, ...] = ()
    ignored: tuple[str, ...] = ()  # headings listed as columns to ignore


def map_header(header: Sequence[str], columns: Sequence[Column], ignore: Sequence[str] = ()) -> HeaderMap:
    """Map a header row; ``ignore``: headings of columns to leave out (matched as headings are)."""
    keys = _LOG_KEYS if columns is LOG_COLUMNS else _ROSTER_KEYS if columns is ROSTER_COLUMNS else _keys(columns)
    skip = {header_key(text) for text in ignore}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    found: list[str] = []
    unknown_at: list[int] = []
    duplicated_at: list[int] = []
    ignored: list[str] = []
    for index, raw in enumerate(header):
        text = " ".join((raw or "").replace("\ufeff", "").split())
        if not text:
            continue
        found.append(text)
        if header_key(text) in skip:
            ignored.append(text)
            continue
        name = _lookup(keys, text)
        if name is None:
            unknown.append(text)
            unknown_at.append(index)
        elif name in positions:
            duplicated.append(text)
            duplicated_at.append(index)
        else:
            positions[name] = index
    missing = tuple(f"{c.chinese} ({c.name})" for c in columns if c.required and c.name not in positions)
    return HeaderMap(positions, tuple(unknown), missing, tuple(duplicated), tuple(found), tuple(unknown_at),
                     tuple(duplicated_at), tuple(columns), tuple(ignored))


def did_you_mean(text: str, columns: Sequence[Column]) -> Column | None:
    """The known column a heading looks like: one of its names inside it (发生次数 -> 次数) or close to it."""
    key = _NOTE.sub("", header_key(text))
    if not key:
        return None
    names = {header_key(n): c for c in columns for n in (c.chinese, c.name, *c.aliases)}
    inside = [(len(k), c) for k, c in names.items() if len(k) >= 2 and (k in key or (len(key) >= 2 and key in k))]
    if inside:
        return max(inside, key=lambda pair: pair[0])[1]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


#: Headings named one by one in the problems of a header; a header of 50,000 headings (a hostile file of a few
#: hundred KB) is said in one more line, instead of costing a did-you-mean each (9 s of CPU before).
MAX_HEADINGS_SHOWN = 20


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _names(texts: Sequence[str]) -> str:
    shown = ", ".join(_cut(t) for t in texts[:MAX_HEADINGS_SHOWN])
    more = len(texts) - MAX_HEADINGS_SHOWN
    return shown + (_(" and {n} more").format(n=more) if more > 0 else "")


def header_diagnostics(header: HeaderMap, file: str, line: int, sheet: str = "", *,
                       roster: bool = False) -> list[Diagnostic]:
    """The problems of a header row: missing and duplicated columns (errors), unknown ones (see the module).

    In a workbook they point at the cell (``Sheet1!E1``); in a CSV file at the header's line and column.
    """
    out: list[Diagnostic] = []
    if header.missing:
        message = _("missing column {missing}; found: {found}") if header.positions \
            else _("missing column {missing}; found: {found}; the header must be the first non-empty row")
        out.append(Diagnostic(file, line, 0, message.format(missing=", ".join(header.missing),
                                                            found=_names(header.found) or _("nothing")),
                              "missing-column", sheet=sheet))
    if header.duplicated:
        out.append(Diagnostic(file, line, header.duplicated_at[0] + 1 if sheet else 0, _("column given twice: {names}; keep one").format(
                              names=", ".join(header.duplicated)), "duplicate-column", sheet=sheet))
    columns = header.columns or (ROSTER_COLUMNS if roster else LOG_COLUMNS)
    known = ", ".join(c.chinese for c in columns)
    quiet_unknown: list[str] = []
    reported = 0
    for text, index in zip(header.unknown, header.unknown_at):
        if not header.positions:  # no known heading at all: not a header (a title row?), said above
            break
        if reported == MAX_HEADINGS_SHOWN or len(quiet_unknown) > MAX_HEADINGS_SHOWN:  # a header of 50,000
            if roster:  # headings is not checked one by one: a roster's others are listed as ignored
                quiet_unknown.append(text)
                continue
            out.append(Diagnostic(file, line, index + 1, _("... and {n} more unknown columns").format(
                n=len(header.unknown) - reported), "unknown-column", ERROR, sheet=sheet))
            break
        text = _cut(text)
        like = did_you_mean(text, columns)
        if roster and like is None:
            quiet_unknown.append(text)
            continue
        hint = _("did you mean {column} ({name})? ").format(column=like.chinese, name=like.name) \
            if like is not None else ""
        message = _("unknown column {text}: {hint}the roster's columns are {known}; rename it, or list it under "
                    "ignore_columns in the rubric to leave it out") if roster else \
            _("unknown column {text}: {hint}a log's columns are {known}; rename it, or list it under ignore_columns "
              "in the rubric to leave it out")
        out.append(Diagnostic(file, line, index + 1, message.format(text=text, hint=hint, known=known),
                              "unknown-column", ERROR, sheet=sheet))
        reported += 1
    if quiet_unknown:
        index = header.unknown_at[header.unknown.index(quiet_unknown[0])]
        out.append(Diagnostic(file, line, index + 1 if sheet else 0, _("ignored column {names} (not used by kpi)").format(
                              names=_names(quiet_unknown)), "unknown-column", WARNING, sheet=sheet))
    return out
