"""The rubric: one appraisal form (考核表) as frozen pydantic models.

The schema only says what each field may hold; the rules that span fields
(maxima add up to the total, bands leave no gap...) are in :mod:`rubric_checks`.
All points are exact ``Decimal`` values.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

from kpi_cli.rubric.cycle import AcrossRule, Rollup

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="Lower-case ASCII (pinyin) identifier: letters, digits, underscores."),
]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# Every number is bounded in size and in decimal places, so no arithmetic on rubric
# values can overflow the decimal context (1e999999999 is a valid YAML number).
LIMIT = Decimal(10) ** 9
PLACES = 6
Points = Annotated[Decimal, Field(gt=0, le=LIMIT, decimal_places=PLACES, allow_inf_nan=False)]
Number = Annotated[Decimal, Field(ge=-LIMIT, le=LIMIT, decimal_places=PLACES, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, le=LIMIT, decimal_places=PLACES, allow_inf_nan=False)]
Share = Annotated[Decimal, Field(ge=0, le=1, decimal_places=PLACES, allow_inf_nan=False)]
Weight = Annotated[Decimal, Field(gt=0, le=1, decimal_places=PLACES, allow_inf_nan=False)]
RuleRoles = Annotated[tuple[Label, ...], Field(
    description="Roles this rule applies to inside its item (业主走访: rule 1 for 园区, rule 2 for 前台); "
                "empty means every role the item applies to.")]
Note = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


def _reconstructed() -> Any:
    return Field(None, description="重建: this part is not in the source form; say what was invented or assumed. "
                 "Every output marks it (含重建内容) until the rubric is adopted (status: adopted).")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointRange(_Strict):
    """``扣1-2分``: the recorder gives the figure per occurrence, within [min, max]."""

    min: Points
    max: Points
    default: Points | None = Field(None, description="Used when a log row gives no points.")


class DeductionRule(_Strict):
    """A 考核标准 that costs points per occurrence (``一次扣2分``, ``扣1-2分``)."""

    kind: Literal["deduction"] = "deduction"
    id: Id
    name: Label
    aliases: tuple[Label, ...] = ()
    points: Points | PointRange | Annotated[tuple[Points, ...], Field(min_length=2)] = Field(
        description="Points per occurrence: a number; {min, max, default} (扣1-2分: the recorder gives the "
                    "figure); or a list [1, 2, 5]: the 1st occurrence in the period costs 1, the 2nd 2, the 3rd "
                    "and every later one 5 (escalating).")
    roles: RuleRoles = ()
    team: Literal["repeat", "share"] = Field(
        "repeat", description="A log row for a whole department (工号 部门:NAME): repeat costs every member the "
                              "points; share divides them equally among the members.")
    wipe_at: Annotated[int, Field(ge=1)] | None = Field(
        None, description="N or more occurrences of THIS rule in the period wipe its item (迟到3次,该项全扣); "
                          "the item's own wipe_at counts the occurrences of all its rules.")
    standard: str | None = Field(None, description="The full wording of the standard on the form.")
    reconstructed: Note | None = _reconstructed()

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or role is None or role in self.roles

    @property
    def escalates(self) -> bool:
        return isinstance(self.points, tuple)

    @property
    def counted(self) -> bool:
        """Its occurrences are counted apart from the item's (escalating points, its own wipe_at)."""
        return isinstance(self.points, tuple) or self.wipe_at is not None

    def cost(self, occurrences: int) -> tuple[Decimal, ...]:
        """The points of the 1st, 2nd... occurrence of an escalating rule in one period."""
        assert isinstance(self.points, tuple)
        last = len(self.points) - 1
        return tuple(self.points[min(k, last)] for k in range(occurrences))


class ValueBand(_Strict):
    """Measured values in [min, max) score ``points``."""

    min: Number | None = None
    max: Number | None = None
    points: NonNegative
    reconstructed: Note | None = _reconstructed()


class MetricRule(_Strict):
    """A measured value for the period (物业费收缴率, 电话接听率...) scored against a target.

    - ``proportional``: the item scores ``max × min(value / target, 1)`` (按完成比例计分);
    - ``below``: ``points`` are deducted when the value is below ``threshold`` (收缴低于95%,扣10分);
    - ``above``: ``points`` are deducted when the value is above ``threshold``;
    - ``bands``: the value's band gives the item's points.
    """

    kind: Literal["metric"]
    id: Id
    name: Label
    aliases: tuple[Label, ...] = ()
    unit: Literal["percent", "count", "number"] = "percent"
    scoring: Literal["proportional", "below", "above", "bands"]
    target: Number | None = None
    threshold: Number | None = None
    points: Points | None = None
    bands: tuple[ValueBand, ...] = ()
    missing: Literal["error", "full", "zero"] = Field(
        "error", description="When a subject has no value: refuse to score (error), full marks, or zero."
    )
    zero_below: Number | None = Field(
        None, description="proportional only: a value below this scores 0 (低于目标80%不得分: target 100, "
                          "zero_below 80).")
    roles: RuleRoles = ()
    standard: str | None = None
    reconstructed: Note | None = _reconstructed()

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or role is None or role in self.roles


def _rule_kind(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("kind", "deduction"))
    return str(getattr(value, "kind", "deduction"))


Rule = Annotated[
    Union[Annotated[DeductionRule, Tag("deduction")], Annotated[MetricRule, Tag("metric")]],
    Discriminator(_rule_kind, custom_error_type="rule-kind",
                  custom_error_message="kind must be 'deduction' (the default) or 'metric'"),
]


class RatingBand(_Strict):
    """A label for a rating range, e.g. 合格 5-6分, 部分合格 1-5分(不含5分)."""

    label: Label
    min: NonNegative
    max: NonNegative
    include_max: bool = Field(True, description="False for '(不含5分)': the range is [min, max).")
    reconstructed: Note | None = _reconstructed()

    def contains(self, score: Decimal) -> bool:
        return self.min <= score and (score <= self.max if self.include_max else score < self.max)


class Rating(_Strict):
    """The item is scored directly by the raters, each within [0, max]."""

    bands: tuple[RatingBand, ...] = ()
    reconstructed: Note | None = _reconstructed()


class ItemWeight(_Strict):
    """One rater's weight on an item, with the note when the weight is reconstructed (重建):
    ``jingli: {weight: 0.4, reconstructed: 原表未给权重}``."""

    weight: Weight
    reconstructed: Note | None = _reconstructed()


class Item(_Strict):
    """A 考核项目 with its maximum (分值)."""

    id: Id
    name: Label
    max: Points
    roles: tuple[Label, ...] = Field((), description="Roles this item applies to; empty means every role.")
    wipe_at: Annotated[int, Field(ge=1)] | None = Field(
        None, description="N or more occurrences in the period wipe the item (当月发生N起以上,该分值全扣)."
    )
    standard: str | None = None
    rules: tuple[Rule, ...] = ()
    rating: Rating | None = None
    weights: dict[Id, Weight | ItemWeight] | None = Field(
        None, description="Raters of this item and their weights, by rater id (直接上级 0.6, 物业经理 0.4); "
                          "a weight may carry its own note: {weight: 0.4, reconstructed: ...}; "
                          "absent: every rater with the rubric's weights.")
    not_applicable: Literal["rescale", "full"] | None = Field(
        None, description="The item may not apply to a person (a new hire with no ratings, no 收缴 duty): marked "
                          "in the log as 项目.不适用, or a rated / measured item with no rating or value at all. "
                          "rescale: the item leaves the form and the total is rescaled to the declared total; "
                          "full: the item scores its 分值.  Absent: an item always applies.")
    reconstructed: Note | None = _reconstructed()

    @property
    def is_rated(self) -> bool:
        return self.rating is not None

    @property
    def rater_weights(self) -> dict[str, Decimal]:
        """The item's own weights by rater id, as numbers (a note beside a weight left out); empty without any."""
        return {key: w.weight if isinstance(w, ItemWeight) else w for key, w in (self.weights or {}).items()}

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or role is None or role in self.roles


class Rater(_Strict):
    """A rater level (自评, 直接上级, 间接上级, 物业经理) and its weight."""

    id: Id
    name: Label
    aliases: tuple[Label, ...] = ()
    weight: Weight
    reconstructed: Note | None = _reconstructed()


class Adjustments(_Strict):
    """奖扣分: signed bonus or penalty points, each within [min, max] in size; their sum for the period
    (the net adjustment) within ±net_max."""

    name: Label = "奖扣分"
    aliases: tuple[Label, ...] = ()
    min: Points = Decimal(1)
    max: Points = Decimal(10)
    net_max: Points | None = Field(None, description="Bound on the period's net adjustment per subject "
                                   "(+6 +6 is +12); absent means max.")
    over_net: Literal["refuse", "cap"] = Field("refuse", description="A net adjustment beyond net_max: refuse to "
                                               "score (an error at the subject's last 奖扣分 row), or cap it at "
                                               "±net_max (the receipt says so).")
    reason_required: bool = True
    reconstructed: Note | None = _reconstructed()

    @property
    def net_bound(self) -> Decimal:
        return self.max if self.net_max is None else self.net_max


class Band(_Strict):
    """A half-open interval of totals [min, max) with its label; no min or no max is open-ended."""

    label: Label
    min: Number | None = None
    max: Number | None = None
    pay: Share | None = Field(
        None, description="Share of the performance pay (绩效工资) paid, 0 to 1."
    )
    action: str | None = Field(None, description="What follows, e.g. 由人力资源部给予调岗或开除.")
    reconstructed: Note | None = _reconstructed()

    def contains(self, total: Decimal) -> bool:
        return (self.min is None or total >= self.min) and (self.max is None or total < self.max)


class Veto(_Strict):
    """一票否决: one recorded occurrence fails the period whatever the total — it forces the total, the grade
    and/or the outcome (at least one)."""

    id: Id
    name: Label
    aliases: tuple[Label, ...] = ()
    roles: RuleRoles = ()
    total: NonNegative | None = Field(None, description="The total the period gets, e.g. 0.")
    grade: Label | None = Field(None, description="The grade forced, by its label (不及格).")
    outcome: Label | None = Field(None, description="The outcome forced, by its label (调岗或开除).")
    standard: str | None = None
    reconstructed: Note | None = _reconstructed()

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or role is None or role in self.roles


class Rounding(_Strict):
    """How the total is rounded (考核评分保留一位小数, 四舍五入)."""

    decimals: Annotated[int, Field(ge=0, le=4)] = 1
    mode: Literal["half-up"] = "half-up"
    reconstructed: Note | None = _reconstructed()


class Rubric(_Strict):
    """One appraisal form."""

    id: Id
    title: Label
    period: Literal["month", "quarter"]
    subject: Literal["person", "unit"] = "person"
    roles: tuple[Label, ...] = Field(min_length=1)
    total: Points
    rounding: Rounding = Rounding()
    raters: tuple[Rater, ...] = ()
    missing_rating: Literal["refuse", "reweight"] = Field(
        "refuse", description="A missing rating: refuse to score, or share its weight among the raters present."
    )
    adjustments: Adjustments | None = Field(None, description="奖扣分; absent means none are allowed.")
    items: tuple[Item, ...] = Field(min_length=1)
    grades: tuple[Band, ...] = ()
    outcomes: tuple[Band, ...] = ()
    total_deductions: tuple[DeductionRule, ...] = Field(
        (), description="Rules that cost points off the total, not off an item (unit rules: 投诉一次扣总分5分); "
                        "they are not limited by any item's 分值.")
    vetoes: tuple[Veto, ...] = Field((), description="一票否决 rules; when several are recorded, the first listed wins.")
    deduct_from: Literal["item", "total"] = Field(
        "item", description="item: deductions stop at the item's 0 (扣完为止); total: they come off the total, "
        "so a rule may deduct more than its item's 分值 (联系单: 扣10分 on a 5-point row).")
    cap_total: bool = Field(True, description="The total never exceeds the declared total (满分), whatever the 奖扣分.")
    floor_total: bool = Field(True, description="The total never goes below 0.")
    source: str | None = Field(None, description="Where the form comes from.")
    reconstructed: Note | None = _reconstructed()
    status: Literal["draft", "adopted"] | None = Field(
        None, description="draft: not yet the company's rule; adopted: signed off (needs adopted_by and adopted_on), "
        "and no output marks the reconstructed parts any more.")
    adopted_by: Label | None = Field(None, description="Who adopted the rubric for the company (name or role).")
    adopted_on: date | None = Field(None, description="When it was adopted, YYYY-MM-DD.")
    ignore_columns: tuple[Label, ...] = Field((), description="Headings of log columns to leave out (any other "
                                              "heading kpi does not know is an error): [登记时间, 附件].")
    rollup: Rollup | None = Field(None, description="How kpi rollup computes a quarter, half or year from the "
                                  "closed periods (rubric/cycle.py).")
    across_periods: tuple[AcrossRule, ...] = Field((), description="Rules over several closed periods "
                                                   "(连续2个月不及格...), applied by kpi close.")

    def items_for(self, role: str | None) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.applies_to(role))

    @property
    def role_specific(self) -> bool:
        return any(item.roles or any(rule.roles for rule in item.rules) for item in self.items)

    def weights_for(self, item: Item) -> tuple[tuple[int, Decimal], ...]:
        """(rater index, weight) of the raters who rate ``item``: its own ``weights``, else every rater."""
        if item.weights is None:
            return tuple((k, r.weight) for k, r in enumerate(self.raters))
        own = item.rater_weights
        return tuple((k, own[r.id]) for k, r in enumerate(self.raters) if r.id in own)
