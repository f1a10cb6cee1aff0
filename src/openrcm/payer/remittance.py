"""A remittance advice (835) as domain records, and the balancing rules of domain-rules §6.4.

Amounts are Decimal to the cent. Balancing is checked at line, claim and payment level; an
imbalance is a finding (an Issue), never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from openrcm.core.issue import Issue, Location, Severity

ZERO = Decimal("0.00")
CITE = "ASC X12 005010X221A1 835 balancing (TR3 section 1.10.2.1)"


@dataclass(frozen=True, slots=True)
class Adjustment:
    group: str  # CO, PR, OA, PI (CR in 4010)
    reason: str  # CARC
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ServicePayment:
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal | None
    service_date: dt.date | None
    adjustments: tuple[Adjustment, ...]
    allowed: Decimal | None
    control_number: str  # REF*6R
    remarks: tuple[str, ...]  # RARCs (LQ*HE)
    position: int  # segment number of the SVC


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    patient_control_number: str  # CLP01 = our CLM01
    status: str  # CLP02
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal  # CLP05
    filing_indicator: str
    payer_claim_control_number: str  # CLP07
    frequency: str
    adjustments: tuple[Adjustment, ...]  # claim level
    services: tuple[ServicePayment, ...]
    patient_name: str
    original_reference: str  # REF*F8
    interest: Decimal  # AMT*I
    position: int

    @property
    def reversal(self) -> bool:
        return self.status == "22"

    def all_adjustments(self) -> tuple[Adjustment, ...]:
        return self.adjustments + tuple(a for s in self.services for a in s.adjustments)

    def adjustments_by_group_reason(self) -> list[tuple[str, str, Decimal]]:
        """Claim- and line-level adjustments summed per group and reason."""
        sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for adj in self.all_adjustments():
            sums[(adj.group, adj.reason)] += adj.amount
        return [(g, r, amount) for (g, r), amount in sums.items()]


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    provider_id: str
    fiscal_date: dt.date | None
    reason: str  # L6, WO, FB, 72, CS...
    reference: str
    amount: Decimal  # positive reduces the payment


@dataclass(frozen=True, slots=True)
class Remittance:
    payer_id: str
    payer_name: str
    payee_id: str
    payee_name: str
    check_number: str  # TRN02
    payment_method: str  # BPR04: ACH, CHK, NON, FWT
    check_total: Decimal  # BPR02
    payment_date: dt.date | None
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...]
    control_number: str  # ST02
    version: str

    @property
    def plb_total(self) -> Decimal:
        return sum((p.amount for p in self.provider_adjustments), ZERO)


def balance(remit: Remittance, source: str = "") -> list[Issue]:
    """Check the 835 balancing rules; every break is a located finding with the amounts."""
    issues: list[Issue] = []

    def find(code: str, message: str, position: int, claim: str | None = None) -> None:
        issues.append(
            Issue(
                code,
                Severity.ERROR,
                message,
                Location(file=source or None, claim_id=claim, segment=f"#{position}" if position else None),
                "835",
                CITE,
            )
        )

    for claim in remit.claims:
        for n, svc in enumerate(claim.services, start=1):
            adjusted = sum((a.amount for a in svc.adjustments), ZERO)
            if svc.charge - adjusted != svc.paid:
                find(
                    "BAL_LINE",
                    f"claim {claim.patient_control_number} line {n} ({svc.code}): charge {svc.charge} "
                    f"- adjustments {adjusted} = {svc.charge - adjusted}, but paid is {svc.paid}",
                    svc.position,
                    claim.patient_control_number,
                )
        adjusted = sum((a.amount for a in claim.all_adjustments()), ZERO)
        # CLP04 may include interest (AMT*I) that no CAS explains
        if claim.paid not in (claim.charge - adjusted, claim.charge - adjusted + claim.interest):
            find(
                "BAL_CLAIM",
                f"claim {claim.patient_control_number}: charge {claim.charge} - adjustments "
                f"{adjusted} = {claim.charge - adjusted}, but paid is {claim.paid}",
                claim.position,
                claim.patient_control_number,
            )
        if claim.services:
            line_charges = sum((s.charge for s in claim.services), ZERO)
            if line_charges != claim.charge:
                # the TR3 expects the lines to add up to CLP03 when they are all reported; payers that
                # report only some lines break this, so it is a warning
                issues.append(
                    Issue(
                        "BAL_CLAIM_CHARGE",
                        Severity.WARNING,
                        f"claim {claim.patient_control_number}: lines charge {line_charges}, CLP03 says {claim.charge}",
                        Location(
                            file=source or None, claim_id=claim.patient_control_number, segment=f"#{claim.position}"
                        ),
                        "835",
                        CITE,
                    )
                )
        pr = sum((a.amount for a in claim.all_adjustments() if a.group == "PR"), ZERO)
        if claim.patient_responsibility != pr and not claim.reversal:
            issues.append(
                Issue(
                    "BAL_PATIENT_RESP",
                    Severity.WARNING,
                    f"claim {claim.patient_control_number}: CLP05 {claim.patient_responsibility} is not "
                    f"the sum of PR adjustments {pr}",
                    Location(file=source or None, claim_id=claim.patient_control_number),
                    "835",
                    CITE,
                )
            )
    paid = sum((c.paid for c in remit.claims), ZERO)
    expected = paid - remit.plb_total
    if expected != remit.check_total:
        find(
            "BAL_PAYMENT",
            f"BPR02 {remit.check_total} is not the claim payments {paid} less provider "
            f"adjustments {remit.plb_total} = {expected}",
            0,
        )
    return issues
