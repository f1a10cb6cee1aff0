"""The secondary claim: after the primary pays, bill the next payer with the primary's decision.

Domain-rules §6.7: unless the primary forwarded the claim (CLP02 19/20/21: a crossover), the
practice sends the secondary payer the same services with loops 2320/2330 (the primary payer,
what it paid, claim-level adjustments) and 2430 per line (its payment and adjustments).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from openrcm.claims.model import Claim, Coverage, PriorAdjudication, PriorLine
from openrcm.payer.remittance import ClaimPayment

CROSSOVER = frozenset({"19", "20", "21"})


def secondary_claim(
    primary: Claim, decision: ClaimPayment, next_coverage: Coverage, adjudicated: dt.date
) -> Claim | None:
    """The claim for `next_coverage`, or None when the primary already forwarded it (a crossover)."""
    if decision.status in CROSSOVER:
        return None
    lines: list[PriorLine] = []
    taken: set[int] = set()
    for svc in decision.services:
        n = _match(primary, svc.control_number, svc.code, svc.modifiers, taken)
        if n is None:
            continue
        taken.add(n)
        adjustments = tuple((a.group, a.reason, a.amount) for a in svc.adjustments)
        units = svc.units or primary.lines[n - 1].units
        lines.append(PriorLine(n, svc.code, svc.modifiers, units, svc.paid, adjustments, adjudicated))
    prior = PriorAdjudication(
        dataclasses.replace(primary.coverage, priority="P"),
        decision.paid,
        decision.patient_responsibility,
        tuple((a.group, a.reason, a.amount) for a in decision.adjustments),
        tuple(lines),
        decision.payer_claim_control_number,
    )
    return dataclasses.replace(
        primary,
        coverage=dataclasses.replace(next_coverage, priority="S"),
        other_coverages=(primary.coverage,),
        prior_adjudications=(prior,),
        frequency="1",
        original_claim_number="",
    )


def _match(claim: Claim, control: str, code: str, modifiers: tuple[str, ...], taken: set[int]) -> int | None:
    """The claim line an 835 service line answers: by REF*6R when echoed, else the first free same code."""
    for n, line in enumerate(claim.lines, start=1):
        if control and line.line_control == control:
            return n
    for n, line in enumerate(claim.lines, start=1):
        if n not in taken and line.code == code and line.modifiers == modifiers:
            return n
    return None
