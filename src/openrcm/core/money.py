"""Money is Decimal, quantized to the cent; a float never enters."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal rounded half-up to cents.

    Floats are refused: ``0.1 + 0.2`` is not a price.
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a Decimal, an int or a string")
    if isinstance(value, bool):
        raise TypeError("money must not be a bool")
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
