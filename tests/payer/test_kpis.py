"""The KPI formulas of domain-rules §7.6, on its worked example."""

from __future__ import annotations

from decimal import Decimal

from openrcm.ledger.kpis import KpiInputs, kpis


def test_the_worked_kpi_example() -> None:
    # charges $900,000 over 90 days, A/R $420,000 -> 42 days; net collection 430,000 / 450,000
    result = {
        k.name: k.value
        for k in kpis(
            KpiInputs(
                submitted=1000,
                clean_first_pass=962,
                adjudicated=950,
                paid_first=880,
                denied_first=57,
                gross_charges=Decimal("900000"),
                contractual=Decimal("450000"),
                payments=Decimal("430000"),
                total_ar=Decimal("420000"),
                period_days=90,
            )
        )
    }
    assert result["Days in A/R"] == Decimal("42.0")
    assert result["Net collection rate"] == Decimal("95.6")
    assert result["Clean claim rate"] == Decimal("96.2")
    assert result["Denial rate"] == Decimal("6.0")


def test_what_is_not_recorded_is_not_invented() -> None:
    zero = Decimal("0")
    values = {k.name: k.value for k in kpis(KpiInputs(3, None, 0, 0, 0, zero, zero, zero, zero, 90))}
    assert values == dict.fromkeys(values)  # every KPI is n/a, none is 0% or 100%
