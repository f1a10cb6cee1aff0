"""What an 835 means for the ledger: the journal entries to post, and what needs follow-up.

Domain-rules §6.6–6.7 and §10.8. Each claim payment (CLP) becomes one balanced entry against the
claim's payer receivable: the payment is cash; CO/PI adjustments with a contractual reason are
written off; PR amounts move to the patient's receivable (deductible, coinsurance, copay kept
apart in the memo for statements); OA adjustments are other write-offs. A denial (a CO/PI/OA
reason that is not contractual) is *not* written off: the amount stays open on the payer
receivable for the denial queue to work. A reversal (CLP02 = 22) arrives with negated amounts and
posts as its own entry that undoes the original, never as an edit. A claim the practice does not
know goes to unapplied cash. Provider-level adjustments (PLB) post against cash: interest (L6) to
interest income, recoveries (WO, 72) against the referenced claim when it is known, forward
balances (FB) to their own account.

This module computes entries; it does not store them (see `openrcm.store` and
`openrcm.services.posting`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from openrcm.core.issue import Issue, Location, Severity
from openrcm.ledger.model import Account, JournalEntry, Posting, consolidate, transfer
from openrcm.payer.remittance import Adjustment, ClaimPayment, Remittance

ZERO = Decimal("0.00")
CITE = "domain-rules §6.6-6.7 (posting an 835)"

# CARCs that are the contract working as agreed (written off), as opposed to a denial to work:
# 45 charge exceeds fee schedule, 42 exceeds maximum, 253 sequestration, 237 legislated/regulatory
# penalty, 59 multiple/concurrent procedure reduction, 94 processed in excess of charges,
# 23 impact of prior payer adjudication (OA-23 on secondary claims), 144 incentive adjustment.
WRITE_OFF_REASONS = frozenset({"45", "42", "253", "237", "59", "94", "23", "144"})
# Patient-responsibility reasons named on statements
PATIENT_REASONS = {"1": "deductible", "2": "coinsurance", "3": "copay", "66": "blood deductible"}
RECOVERY_REASONS = frozenset({"WO", "72", "J1"})


@dataclass(frozen=True, slots=True)
class OpenClaim:
    """What the ledger knows of a claim the practice billed."""

    claim_id: str  # CLM01
    patient_id: str
    payer_id: str
    charge: Decimal
    service_date: dt.date
    billed: dt.date
    expected_allowed: Decimal | None = None  # from the contract, for underpayment checks
    payer_claim_number: str = ""  # CLP07 of the last adjudication


@dataclass(frozen=True, slots=True)
class Denial:
    """A claim amount the payer would not pay that the practice has not written off."""

    claim_id: str
    payer_id: str
    group: str
    reason: str  # CARC
    remarks: tuple[str, ...]  # RARCs
    amount: Decimal
    payer_claim_number: str
    service_code: str = ""


@dataclass(frozen=True, slots=True)
class Underpayment:
    claim_id: str
    payer_id: str
    allowed: Decimal
    expected: Decimal

    @property
    def short(self) -> Decimal:
        return self.expected - self.allowed


@dataclass(frozen=True, slots=True)
class PostingPlan:
    entries: tuple[JournalEntry, ...]
    findings: tuple[Issue, ...]
    denials: tuple[Denial, ...]
    matched: tuple[str, ...]  # claim ids the remittance adjudicated
    unmatched: tuple[str, ...]  # patient control numbers the practice does not know
    underpayments: tuple[Underpayment, ...] = ()

    @property
    def cash(self) -> Decimal:
        return sum((p.amount for e in self.entries for p in e.postings if p.account == Account.CASH), ZERO)


def charge_entry(claim: OpenClaim) -> JournalEntry:
    """The charge: the payer owes the claim's total until it says otherwise."""
    legs = transfer(
        Account.AR_PAYER,
        Account.CHARGES,
        claim.charge,
        claim_id=claim.claim_id,
        patient_id=claim.patient_id,
        payer_id=claim.payer_id,
        memo="charge",
    )
    return JournalEntry("charge", claim.billed, legs, source=f"claim {claim.claim_id}")


def patient_payment_entry(
    claim: OpenClaim, amount: Decimal, received: dt.date, method: str, reference: str
) -> JournalEntry:
    """A payment from the patient toward a claim's patient balance (cash, card, check)."""
    legs = transfer(
        Account.CASH,
        Account.AR_PATIENT,
        amount,
        claim_id=claim.claim_id,
        patient_id=claim.patient_id,
        payer_id=claim.payer_id,
        memo=f"patient payment {method}".strip(),
    )
    return JournalEntry("patient_payment", received, legs, source=f"patient payment {reference}".strip())


def _is_denial(adj: Adjustment, reversal: bool) -> bool:
    """A payer reduction that is not the contract working: it stays open on the payer receivable.

    A negative non-contractual amount is the payer giving back a reduction (written back, re-opening
    nothing); in a reversal it undoes a denial that was never written off, so it stays a denial.
    """
    return adj.group != "PR" and adj.reason not in WRITE_OFF_REASONS and (adj.amount >= ZERO or reversal)


def _adjustment_leg(adj: Adjustment, claim: OpenClaim, reversal: bool = False) -> Posting | None:
    """The debit side of one adjustment (the credit is the payer receivable), or None for a denial."""
    memo = f"{adj.group}-{adj.reason}"
    if adj.group == "PR":
        kind = PATIENT_REASONS.get(adj.reason)
        account, memo = Account.AR_PATIENT, f"{memo} {kind}" if kind else memo
    elif _is_denial(adj, reversal):
        return None
    else:
        account = Account.OTHER_ADJUSTMENT if adj.group == "OA" else Account.CONTRACTUAL
    return Posting(account, adj.amount, claim.claim_id, claim.patient_id, claim.payer_id, memo)


def _claim_entry(cp: ClaimPayment, claim: OpenClaim, effective: dt.date, source: str) -> JournalEntry | None:
    ids = (claim.claim_id, claim.patient_id, claim.payer_id)
    adjusted = sum((a.amount for a in cp.all_adjustments()), ZERO)
    interest = cp.interest if cp.interest and cp.paid == cp.charge - adjusted + cp.interest else ZERO
    legs: list[Posting] = []
    settled = ZERO  # what comes off the payer receivable: one leg, the detail is on the other sides
    if cp.paid:
        legs.append(Posting(Account.CASH, cp.paid, *ids, "payer payment"))
        settled += cp.paid - interest
        if interest:
            legs.append(Posting(Account.INTEREST, -interest, *ids, "claim interest"))
    for adj in cp.all_adjustments():
        leg = _adjustment_leg(adj, claim, cp.reversal)
        if leg is not None:
            legs.append(leg)
            settled += adj.amount
    legs.append(Posting(Account.AR_PAYER, -settled, *ids, "adjudication"))
    merged = consolidate(legs)
    if not merged:
        return None
    kind = "reversal" if cp.reversal else ("correction" if cp.original_reference else "payment")
    return JournalEntry(kind, effective, merged, source=f"{source} CLP {cp.patient_control_number}", memo=cp.status)


def _finding(code: str, severity: Severity, message: str, claim_id: str, source: str) -> Issue:
    return Issue(code, severity, message, Location(file=source or None, claim_id=claim_id), "835-posting", CITE)


def _allowed(cp: ClaimPayment) -> Decimal:
    if cp.services and all(s.allowed is not None for s in cp.services):
        return sum((s.allowed or ZERO for s in cp.services), ZERO)
    return cp.paid + cp.patient_responsibility


def plan_posting(
    remit: Remittance,
    known: Mapping[str, OpenClaim],
    *,
    by_payer_claim_number: Mapping[str, OpenClaim] | None = None,
    today: dt.date,
    source: str = "",
) -> PostingPlan:
    """The entries that post `remit`, given the practice's claims keyed by patient control number."""
    effective = remit.payment_date or today
    src = source or f"835 TRN {remit.check_number}"
    entries: list[JournalEntry] = []
    findings: list[Issue] = []
    denials: list[Denial] = []
    matched: list[str] = []
    unmatched: list[str] = []
    underpayments: list[Underpayment] = []
    for cp in remit.claims:
        claim = known.get(cp.patient_control_number)
        if claim is None:
            unmatched.append(cp.patient_control_number)
            if cp.paid:
                legs = transfer(
                    Account.CASH,
                    Account.UNAPPLIED,
                    cp.paid,
                    claim_id=cp.patient_control_number,
                    payer_id=remit.payer_id,
                    memo="no matching claim",
                )
                entries.append(
                    JournalEntry("unapplied", effective, legs, source=f"{src} CLP {cp.patient_control_number}")
                )
            findings.append(
                _finding(
                    "POST_UNMATCHED",
                    Severity.WARNING,
                    f"claim {cp.patient_control_number} is not one of ours; {cp.paid} held as unapplied cash",
                    cp.patient_control_number,
                    source,
                )
            )
            continue
        matched.append(claim.claim_id)
        entry = _claim_entry(cp, claim, effective, src)
        if entry is not None:
            entries.append(entry)
        if not cp.reversal:
            for svc_code, adj, remarks in _denied(cp):
                denials.append(
                    Denial(
                        claim.claim_id,
                        claim.payer_id,
                        adj.group,
                        adj.reason,
                        remarks,
                        adj.amount,
                        cp.payer_claim_control_number,
                        svc_code,
                    )
                )
            if claim.expected_allowed is not None and cp.status in {"1", "2", "3"}:
                allowed = _allowed(cp)
                if allowed < claim.expected_allowed:
                    underpayments.append(Underpayment(claim.claim_id, claim.payer_id, allowed, claim.expected_allowed))
                    findings.append(
                        _finding(
                            "POST_UNDERPAID",
                            Severity.WARNING,
                            f"claim {claim.claim_id}: payer allowed {allowed}, the contract expects "
                            f"{claim.expected_allowed} (short {claim.expected_allowed - allowed})",
                            claim.claim_id,
                            source,
                        )
                    )
    for n, plb in enumerate(remit.provider_adjustments, start=1):
        if not plb.amount:
            continue
        target = (by_payer_claim_number or {}).get(plb.reference)
        claim_id = target.claim_id if target else ""
        if plb.reason == "L6":
            account = Account.INTEREST
        elif plb.reason in RECOVERY_REASONS:
            account = Account.AR_PAYER if target else Account.RECOUPMENT
        elif plb.reason == "FB":
            account = Account.FORWARD_BALANCE
        else:
            account = Account.PROVIDER_ADJUSTMENT
        legs = transfer(
            account,
            Account.CASH,
            plb.amount,
            claim_id=claim_id,
            patient_id=target.patient_id if target else "",
            payer_id=remit.payer_id,
            memo=f"PLB {plb.reason} {plb.reference}".strip(),
        )
        entries.append(JournalEntry("provider_adjustment", effective, legs, source=f"{src} PLB {n}"))
    return PostingPlan(
        tuple(entries), tuple(findings), tuple(denials), tuple(matched), tuple(unmatched), tuple(underpayments)
    )


def _denied(cp: ClaimPayment) -> list[tuple[str, Adjustment, tuple[str, ...]]]:
    """The denied amounts of a claim payment, each with its service line's code and remarks."""
    found = [("", adj, ()) for adj in cp.adjustments] + [
        (svc.code, adj, svc.remarks) for svc in cp.services for adj in svc.adjustments
    ]
    return [(code, adj, remarks) for code, adj, remarks in found if adj.amount > ZERO and _is_denial(adj, False)]
