from decimal import Decimal

import pytest

from openrcm.core.money import to_money


def test_money_rounds_half_up_to_the_cent() -> None:
    assert to_money("10.005") == Decimal("10.01")
    assert to_money(Decimal("2.344")) == Decimal("2.34")
    assert to_money(7) == Decimal("7.00")


def test_money_refuses_floats_and_garbage() -> None:
    with pytest.raises(TypeError):
        to_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an amount"):
        to_money("12,50 EUR")
    with pytest.raises(ValueError, match="not an amount"):
        to_money("NaN")
