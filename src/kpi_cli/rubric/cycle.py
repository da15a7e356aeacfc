"""What a rubric declares about the appraisal cycle: its roll-up and its rules across periods.

A leaf of :mod:`kpi_cli.rubric.model` (no import from it, so either can be imported first):

- ``rollup``: how a quarter, a half or a year is computed from the closed periods (``kpi rollup``);
- ``across_periods``: rules that look at several closed periods (连续2个月不及格 → 调岗或开除,
  季度内2次以上违纪), applied when a period is closed and shown by score, explain and the forms.

Example::

    rollup:
      from: guanjia              # the closed periods of this rubric (default: the rubric itself)
      method: mean               # mean | weighted | sum
      missing: refuse            # refuse | present | zero
      rounding: {decimals: 1}
      grades:
        - {label: 优秀, min: 90}
        - {label: 不及格, max: 90}
    across_periods:
      - {id: lianxu_bujige, name: 连续2个月不及格, grade: 不及格, consecutive: 2, action: 调岗或开除}
      - {id: duoci_weiji, name: 季度内2次以上违纪, items: [laodong_jilv], at_least: 2, within: quarter}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kpi_cli.i18n import _

_Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
_Label = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
_LIMIT = Decimal(10) ** 9
_Number = Annotated[Decimal, Field(ge=-_LIMIT, le=_LIMIT, decimal_places=6, allow_inf_nan=False)]
_Weight = Annotated[Decimal, Field(gt=0, le=1000, decimal_places=6, allow_inf_nan=False)]
_Share = Annotated[Decimal, Field(ge=0, le=1, decimal_places=6, allow_inf_nan=False)]
_Note = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
_RECONSTRUCTED = "重建: this part is not in the source form; say what was invented or assumed (rubric/fidelity.py)."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RollupBand(_Strict):
    """A band of roll-up totals [min, max), like a rubric's grade and outcome bands."""

    label: _Label
    min: _Number | None = None
    max: _Number | None = None
    pay: _Share | None = None
    action: str | None = None

    def contains(self, total: Decimal) -> bool:
        return (self.min is None or total >= self.min) and (self.max is None or total < self.max)


class RollupRounding(_Strict):
    decimals: Annotated[int, Field(ge=0, le=4)] = 1
    mode: Literal["half-up"] = "half-up"


class Rollup(_Strict):
    """How a quarter (2026Q3), a half (2026H1) or a year (2026) is computed from closed periods."""

    from_: _Id | None = Field(None, alias="from", description="The rubric whose closed periods are rolled up "
                              "(default: this rubric).")
    method: Literal["mean", "weighted", "sum"] = Field(
        "mean", description="mean of the period totals; weighted mean of the period totals (weights per "
        "month of the year); sum of the item scores (and 奖扣分) of every period.")
    weights: dict[Annotated[int, Field(ge=1, le=12)], _Weight] = Field(
        default_factory=dict, description="method weighted: month of the year (1-12) -> weight; unlisted months 1.")
    missing: Literal["refuse", "present", "zero"] = Field(
        "refuse", description="A person without a closed result for a period: refuse the roll-up, use the "
        "periods present, or count the period as 0.")
    rounding: RollupRounding = RollupRounding()
    grades: tuple[RollupBand, ...] | None = Field(None, description="Default: the rubric's grades.")
    outcomes: tuple[RollupBand, ...] | None = Field(None, description="Default: the rubric's outcomes.")
    reconstructed: _Note | None = Field(None, description=_RECONSTRUCTED)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _weights_only_when_weighted(self) -> Rollup:
        if self.weights and self.method != "weighted":
            raise ValueError(_("weights are only used with method: weighted"))
        return self


class AcrossRule(_Strict):
    """A rule over several closed periods.

    - a streak: ``grade`` (or ``outcome``) reached in ``consecutive`` periods in a row (a period without a
      result for the person breaks the streak): 连续2个月不及格, 连续3个月优秀;
    - a count: the deductions of ``items`` add up to ``at_least`` occurrences ``within`` one quarter
      (or year): 季度内2次以上违纪.
    """

    id: _Id
    name: _Label
    grade: _Label | None = None
    outcome: _Label | None = None
    consecutive: Annotated[int, Field(ge=2, le=36)] | None = None
    items: tuple[_Id, ...] = ()
    at_least: Annotated[int, Field(ge=1)] | None = None
    within: Literal["quarter", "half", "year"] = "quarter"
    action: str | None = Field(None, description="What follows, e.g. 调岗或开除, 评优候选.")
    reconstructed: _Note | None = Field(None, description=_RECONSTRUCTED)

    @model_validator(mode="after")
    def _one_kind(self) -> AcrossRule:
        streak = self.consecutive is not None
        count = self.at_least is not None
        if streak == count:
            raise ValueError(_("give either consecutive (with grade or outcome) or at_least (with items)"))
        if streak and (self.grade is None) == (self.outcome is None):
            raise ValueError(_("a consecutive rule names one grade or one outcome"))
        if count and not self.items:
            raise ValueError(_("an at_least rule names the items whose deductions are counted"))
        if streak and self.items or count and (self.grade or self.outcome):
            raise ValueError(_("consecutive goes with grade or outcome; at_least goes with items"))
        return self

    @property
    def kind(self) -> str:
        return "streak" if self.consecutive is not None else "count"
