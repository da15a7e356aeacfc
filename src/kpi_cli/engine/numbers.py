"""How a Decimal is shown to people (pure, stdlib only): imported by the screens that must start fast
(``kpi history``) without the scoring engine and the rubric model behind it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def fmt(value: Decimal) -> str:
    """A Decimal as people write it: 36.8, 40, 0.35 (no exponent, no trailing zeros).

    A value with more than 6 decimals (40 × 90 / 95) is shown to 4, marked ≈; the
    figure itself stays exact.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        return "≈" + fmt(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
