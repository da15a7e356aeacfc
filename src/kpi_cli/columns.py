"""The columns of a record log and of a roster, in English or Chinese.

Headers are matched ignoring case, surrounding spaces, a BOM and full-width
forms.  A missing required column is an error listing the columns found; an
unknown column is one warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .names import normalize


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
)


def _keys(columns: Sequence[Column]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in columns:
        for key in (column.name, column.chinese, *column.aliases):
            keys.setdefault(normalize(key), column.name)
    return keys


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


def map_header(header: Sequence[str], columns: Sequence[Column]) -> HeaderMap:
    keys = _LOG_KEYS if columns is LOG_COLUMNS else _ROSTER_KEYS if columns is ROSTER_COLUMNS else _keys(columns)
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    found: list[str] = []
    for index, raw in enumerate(header):
        text = (raw or "").replace("\ufeff", "").strip()
        if not text:
            continue
        found.append(text)
        name = keys.get(normalize(text))
        if name is None:
            unknown.append(text)
        elif name in positions:
            duplicated.append(text)
        else:
            positions[name] = index
    missing = tuple(f"{c.chinese} ({c.name})" for c in columns if c.required and c.name not in positions)
    return HeaderMap(positions, tuple(unknown), missing, tuple(duplicated), tuple(found))
