"""The engine's arithmetic: the Decimal contexts that keep every figure exact, rounding as a rubric says,
and finding the band a total falls in."""


from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

from kpi_cli.engine.numbers import fmt  # noqa: F401  (shown as people write it; re-exported here)
from kpi_cli.rubric.model import Band


ZERO = Decimal(0)
ONE = Decimal(1)
#: Plain deductions on the log reader's hot path are summed as integer millionths of a point.
MICRO = Decimal(1_000_000)
#: Divisions (proportional metrics, re-weighting, means) carry 34 significant digits.
EXACT = Context(prec=34)
#: Sums and products are exact: the figures of a log have at most 20 significant digits and 15 decimals
#: (inputs.values refuses longer ones), a rubric's at most 15 and 6, so no sum or product of them comes near
#: 60 digits; the default context (28 digits) would round 100 - 1.0500000000000000000000001.
WIDE = Context(prec=60)
#: A total is settled to 32 significant digits before it is rounded as the rubric says: an exact total has at
#: most 30 (9 before the point, 21 after: a 15-decimal rating × a 6-decimal weight) and is left alone; a total
#: with a division in it (34 digits) loses only the division's last-digit error (5.0499…9 -> 5.05).
SETTLE = Context(prec=32)


def round_total(value: Decimal, decimals: int) -> Decimal:
    """四舍五入 to ``decimals`` places: 60.35 -> 60.4, 61.05 -> 61.1.

    An exact total is rounded once.  A total that involves a division (proportional
    metrics, re-weighting) carries 34 significant digits; it is first settled to 32
    (:data:`SETTLE`), so that e.g. 10×1/3 + 10×1/6 + 0.05 = 5.05 is not rounded down
    from 5.0499…9.
    """
    if len(value.as_tuple().digits) > SETTLE.prec:
        value = SETTLE.plus(value)
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=WIDE)


def find_band(bands: Iterable[Band], total: Decimal) -> Band | None:
    return next((band for band in bands if band.contains(total)), None)


