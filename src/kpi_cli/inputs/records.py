"""Turn one row of a record log (违规情况记录) into a :class:`Record`, or say what is wrong.

Pure and per-row lean: cells are read by position, names resolved through the
rubric index's cache, values through cached parsers; no model object per row.
Every problem of a row is reported, not only the first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _
from kpi_cli.engine.results import Record, Subject
from kpi_cli.engine.scoring import fmt
from kpi_cli.names import normalize, quoted
from kpi_cli.inputs.values import (
    clean_id,
    parse_count,
    parse_date,
    parse_decimal,
    parse_percent,
)
from kpi_cli.rubric.index import RubricIndex, Target, Unresolved
from kpi_cli.rubric.model import DeductionRule, MetricRule, PointRange, RatingBand, Rubric

# Indexes into RowParser._pos, for the column of a problem (fail(..., field)).
_E, _D, _R, _C, _P, _V, _RA, _S, _N = range(9)


class RowParser:
    def __init__(
        self,
        rubric: Rubric,
        positions: Mapping[str, int],
        subjects: Mapping[str, Subject] | None,
        *,
        index: RubricIndex | None = None,
        skipped_roles: Mapping[str, str] | None = None,
    ) -> None:
        """``subjects``: the roster members the rubric covers (None: no roster, anyone goes).

        ``skipped_roles``: roster members of other roles (id -> role), for a clear message.
        """
        self.rubric = rubric
        self.index = index or RubricIndex(rubric)
        self.subjects = subjects
        self.skipped_roles = skipped_roles or {}
        self._pos = [positions.get(name, -1) for name in
                     ("employee", "date", "rule", "count", "points", "value", "rater", "score", "note")]

    def parse(self, file: str, line: int, cells: Sequence[str], sheet: str = "") -> Record | list[Diagnostic]:
        width = len(cells)
        e, d, r, c, p, v, ra, s, n = (cells[i].strip() if 0 <= i < width and cells[i] else "" for i in self._pos)
        errors: list[str] = []
        codes: list[str] = []
        fields: list[int] = []

        def fail(message: str, code: str, field: int) -> None:
            errors.append(message)
            codes.append(code)
            fields.append(field)

        bad_id = ""
        if e and not (e.isascii() and e.isprintable()):
            try:
                e = clean_id(e)  # full-width digits: ００１２３ is 00123; zero-width spaces removed
            except ValueError as exc:
                bad_id = str(exc)

        role: str | None = None
        department = _team(e)
        if department is not None:
            if self.subjects is None:
                fail(_("a row for a department ({department}) needs the roster (--roster) to know its members")
                     .format(department=department), "team-without-roster", _E)
        elif bad_id:
            fail(bad_id, "bad-id", _E)
        elif not e:
            fail(_("no 工号 (employee) given"), "missing-cell", _E)
        elif self.subjects is not None:
            subject = self.subjects.get(e)
            if subject is None:
                if e in self.skipped_roles:
                    fail(_("{id} is a {role}, a role rubric {rubric} does not cover ({roles})").format(
                        id=e, role=self.skipped_roles[e], rubric=self.rubric.id, roles=", ".join(self.rubric.roles)),
                         "role-not-covered", _E)
                else:
                    fail(_("unknown employee {id}: not on the roster{hint}").format(
                             id=quoted(e), hint=self._lost_zeros(e)), "unknown-employee", _E)
            else:
                role = subject.role
                if subject.id == e:
                    e = subject.id  # the roster's string, shared: a kept record holds no copy of its 工号
        day = None
        if not d:
            fail(_("no 日期 (date) given"), "missing-cell", _D)
        else:
            try:
                day = parse_date(d)
            except ValueError as exc:
                fail(str(exc), "bad-date", _D)
        target = self.index.resolve(r, role)
        if isinstance(target, Unresolved):
            fail(target, target.code, _R)
            target = None
        record_kw: dict[str, object] = {}
        if target is not None:
            record_kw = self._fields(target, c, p, v, ra, s, n, fail)
            if department is not None and self.subjects is not None:
                record_kw.update(self._team_fields(department, target, fail))
        if errors:
            if not sheet:
                return [Diagnostic(file, line, 0, m, code) for m, code in zip(errors, codes)]
            pos = self._pos  # in a workbook, point at the cell: Sheet1!C7
            return [Diagnostic(file, line, pos[f] + 1, m, code, sheet=sheet)
                    for m, code, f in zip(errors, codes, fields)]
        assert target is not None and day is not None
        return Record(file, line, e, day, target.kind, target.item, target.rule, target.label, note=n, sheet=sheet,
                      **record_kw)  # type: ignore[arg-type]

    def _team_fields(self, department: str, target: Target, fail) -> dict[str, object]:
        """The members a department row costs: the roster's members of ``department`` the rule applies to."""
        if target.kind not in ("deduction", "total"):
            fail(_("only deduction rules can be recorded for a whole department, not {label}").format(
                label=target.label), "team-not-allowed", _E)
            return {}
        assert self.subjects is not None
        members = tuple(sid for sid, subject in self.subjects.items()
                        if normalize(subject.department) == normalize(department)
                        and self.index.applies(target, subject.role))
        if not members:
            fail(_("nobody on the roster in department {department} is scored by {label}").format(
                department=quoted(department), label=target.label), "empty-team", _E)
            return {}
        rules = self.rubric.total_deductions if target.kind == "total" else self.rubric.items[target.item].rules
        rule = rules[target.rule]
        assert isinstance(rule, DeductionRule)
        return {"team": members, "share": rule.team == "share"}

    def _fields(self, target: Target, c: str, p: str, v: str, ra: str, s: str, n: str, fail) -> dict[str, object]:
        out: dict[str, object] = {}
        kind = target.kind
        if kind not in ("deduction", "total") and c and c not in ("1", "１"):
            fail(_("次数 (count) is only for deduction rules, not for {label}").format(label=target.label),
                 "count-not-allowed", _C)
        if kind != "metric" and v:
            fail(_("a 数值 (value) is only for metric rules; {label} is not a metric").format(label=target.label), "value-not-allowed", _V)
        if kind != "rating" and (ra or s):
            fail(_("评分人/评分 (rater/score) are only for rated items; {label} is not rated").format(label=target.label),
                 "rating-not-allowed", _RA if ra else _S)
        if kind not in ("deduction", "adjustment", "total") and p:
            fail(_("扣分 (points) is not used by {label}").format(label=target.label), "points-not-allowed", _P)
        if kind in ("veto", "na"):
            pass  # one row says it all: nothing more to read
        elif kind in ("deduction", "total"):
            rule = self.rubric.items[target.item].rules[target.rule] if kind == "deduction" else \
                self.rubric.total_deductions[target.rule]
            assert isinstance(rule, DeductionRule)
            if c:
                try:
                    out["count"] = parse_count(c)
                except ValueError as exc:
                    fail(str(exc), "bad-count", _C)
            out["points"] = self._points(rule, p, fail)
        elif kind == "metric":
            rule = self.rubric.items[target.item].rules[target.rule]
            assert isinstance(rule, MetricRule)
            if not v:
                fail(_("{label} is a metric: give its 数值 (value)").format(label=target.label), "missing-value", _V)
            else:
                try:
                    value = parse_percent(v) if rule.unit == "percent" else parse_decimal(v)
                    if value < 0:
                        raise ValueError(_("value {value} is negative").format(value=repr(v)))
                    out["value"] = value
                except ValueError as exc:
                    fail(str(exc), "bad-value", _V)
        elif kind == "rating":
            item = self.rubric.items[target.item]
            if not ra:
                fail(_("{label} is rated: give the 评分人 (rater)").format(label=target.label), "missing-rater", _RA)
            else:
                rater = self.index.rater(ra)
                if isinstance(rater, str):
                    fail(rater, "unknown-rater", _RA)
                elif item.weights is not None and self.rubric.raters[rater].id not in item.weights:
                    names = "、".join(self.rubric.raters[k].name for k, _ in self.rubric.weights_for(item))
                    fail(_("{rater} does not rate {item}; its raters are {raters}").format(
                        rater=self.rubric.raters[rater].name, item=item.name, raters=names),
                         "rater-not-for-item", _RA)
                else:
                    out["rater"] = rater
            if not s:
                fail(_("{label} is rated: give the 评分 (score)").format(label=target.label), "missing-score", _S)
            else:
                try:
                    score = parse_decimal(s)
                    if not 0 <= score <= item.max:
                        raise ValueError(_("rating {score} is outside 0-{max}, the range of {name}").format(
                                             score=s, max=fmt(item.max), name=item.name))
                    bands = item.rating.bands if item.rating is not None else ()
                    if bands and not any(b.contains(score) for b in bands):
                        fail(_("rating {score} is in none of the bands of {item} ({bands}); give a rating inside a "
                               "band").format(score=s, item=item.name, bands=band_list(bands)),
                             "rating-outside-bands", _S)
                    else:
                        out["score"] = score
                except ValueError as exc:
                    fail(str(exc), "bad-score", _S)
        else:  # adjustment
            adj = self.rubric.adjustments
            assert adj is not None
            if not p:
                fail(_("{name} needs signed points in 扣分 (points): +3 for a bonus, -3 for a penalty").format(
                         name=adj.name),
                     "missing-points", _P)
            else:
                try:
                    points = parse_decimal(p)
                    if not adj.min <= abs(points) <= adj.max:
                        raise ValueError(_("{name} of {given} is outside the allowed {min}-{max} points (either sign)").format(
                                             name=adj.name, given=p, min=fmt(adj.min), max=fmt(adj.max)))
                    out["points"] = points
                except ValueError as exc:
                    fail(str(exc), "bad-points", _P)
            if adj.reason_required and not n:
                fail(_("{name} needs a reason in 备注 (note)").format(name=adj.name), "missing-reason", _N)
        return out

    def deduction_plan(self, role: str | None, rule: str, count: str, points: str, value: str, rater: str,
                       score: str) -> tuple[int, Decimal, int] | None:
        """``(item, points deducted, occurrences)`` when these cells make a valid plain deduction, else None.

        The hot path caches this per distinct (role, cells); any row it does not cover (a
        rating, a metric, an adjustment, an error) goes through :meth:`parse`, which says exactly
        what is wrong and where.
        """
        rule, count, points = rule.strip(), count.strip(), points.strip()
        if not rule or value.strip() or rater.strip() or score.strip():
            return None
        target = self.index.resolve(rule, role)
        if isinstance(target, str) or target.kind != "deduction":
            return None
        deduction = self.rubric.items[target.item].rules[target.rule]
        assert isinstance(deduction, DeductionRule)
        if deduction.counted:  # its occurrences are counted per rule by the scorer: the full path
            return None
        occurrences = 1
        if count:
            try:
                occurrences = parse_count(count)
            except ValueError:
                return None
        failed: list[object] = []
        each = self._points(deduction, points, lambda *problem: failed.append(problem))
        if failed or each is None:
            return None
        return target.item, each * occurrences, occurrences

    def _lost_zeros(self, ident: str) -> str:
        """A hint when a 工号 lost its leading zeros to Excel (000123 typed into a number cell reads 123)."""
        if not ident.isdigit() or self.subjects is None:
            return ""
        for known in self.subjects:
            if known != ident and known.isdigit() and known.lstrip("0") == ident.lstrip("0"):
                return (_(" (did you mean {known}? Excel drops the leading zeros of numbers: format the 工号 column as "
                          "text (文本) and type them again)").format(known=repr(known)))
        return ""

    @staticmethod
    def _points(rule: DeductionRule, p: str, fail) -> Decimal | None:
        points = rule.points
        if isinstance(points, tuple):  # escalating: the period's count decides each occurrence's points
            if p:
                fail(_("{rule} costs {points} points for its 1st, 2nd... occurrence in the period: leave 扣分 "
                       "(points) empty").format(rule=rule.name, points="/".join(fmt(x) for x in points)),
                     "points-not-allowed", _P)
            return None
        if not isinstance(points, PointRange):
            if p:
                try:
                    given = parse_decimal(p)
                except ValueError as exc:
                    fail(str(exc), "bad-points", _P)
                    return None
                if given != points:
                    fail(_("{name} costs {points} points per occurrence, not {given}; leave 扣分 empty or write "
                           "{points}").format(name=rule.name, points=fmt(points), given=p), "bad-points", _P)
            return points
        if not p:
            if points.default is None:
                fail(_("{name} costs {min}-{max} points: give the figure in 扣分 (points)").format(
                         name=rule.name, min=fmt(points.min), max=fmt(points.max)), "missing-points", _P)
            return points.default
        try:
            given = parse_decimal(p)
        except ValueError as exc:
            fail(str(exc), "bad-points", _P)
            return None
        if not points.min <= given <= points.max:
            fail(_("{given} points is outside {min}-{max} for {name}").format(
                     given=p, min=fmt(points.min), max=fmt(points.max), name=rule.name), "points-out-of-range",
                 _P)
        return given


def band_list(bands: Sequence[RatingBand]) -> str:
    """合格 5-6, 部分合格 1-5 (不含5): the bands of a rated item, as the form writes them."""
    return ", ".join(f"{b.label} {fmt(b.min)}-{fmt(b.max)}{'' if b.include_max else f' (不含{fmt(b.max)})'}"
                     for b in bands)


#: How a 工号 cell names a whole department instead of a person: 部门:客服部 (a full-width colon too).
TEAM_PREFIXES = ("部门:", "部门：", "dept:", "department:")


def _team(cell: str) -> str | None:
    """The department a 工号 cell names (``部门:客服部``), or None for a person."""
    folded = cell.casefold()
    for prefix in TEAM_PREFIXES:
        if folded.startswith(prefix):
            return cell[len(prefix):].strip()
    return None
