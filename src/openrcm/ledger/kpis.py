"""Revenue-cycle KPIs (domain-rules §7.6), each with its formula's inputs so a manager can check it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    value: Decimal | None  # None: not measurable from what is recorded
    unit: str  # "%" or "days"
    formula: str
    target: str = ""


def _ratio(numerator: Decimal | int, denominator: Decimal | int, scale: int = 100) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class KpiInputs:
    submitted: int  # claims submitted (first submissions)
    clean_first_pass: int | None  # accepted with no scrub edit, 999 or 277CA rejection; None: not recorded
    adjudicated: int  # claims with a first adjudication
    paid_first: int  # claims paid on their first adjudication
    denied_first: int  # claims with any denial on their first adjudication
    gross_charges: Decimal  # in the period
    contractual: Decimal
    payments: Decimal  # payer and patient payments
    total_ar: Decimal
    period_days: int  # the period the charges cover (commonly 90)


def kpis(i: KpiInputs) -> list[Kpi]:
    daily = i.gross_charges / i.period_days if i.period_days else ZERO
    days_in_ar = (i.total_ar / daily).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if daily else None
    return [
        Kpi(
            "Clean claim rate",
            _ratio(i.clean_first_pass, i.submitted) if i.clean_first_pass is not None else None,
            "%",
            f"{i.clean_first_pass if i.clean_first_pass is not None else 'n/a'} clean / {i.submitted} submitted",
            ">= 95%",
        ),
        Kpi(
            "First-pass resolution rate",
            _ratio(i.paid_first, i.adjudicated),
            "%",
            f"{i.paid_first} paid on first submission / {i.adjudicated} adjudicated",
            ">= 90%",
        ),
        Kpi(
            "Denial rate",
            _ratio(i.denied_first, i.adjudicated),
            "%",
            f"{i.denied_first} with a denial on first adjudication / {i.adjudicated} adjudicated",
            "<= 5-10%",
        ),
        Kpi(
            "Days in A/R",
            days_in_ar,
            "days",
            f"A/R {i.total_ar} / (charges {i.gross_charges} / {i.period_days} days)",
            "<= 40 days",
        ),
        Kpi(
            "Net collection rate",
            _ratio(i.payments, i.gross_charges - i.contractual),
            "%",
            f"payments {i.payments} / (charges {i.gross_charges} - contractual {i.contractual})",
            ">= 95%",
        ),
    ]
