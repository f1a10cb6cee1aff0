"""Put claims on the ledger and post remittances to it, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openrcm.claims.model import Claim
from openrcm.core.errors import OpenRCMError
from openrcm.core.issue import Issue
from openrcm.core.memory import collector_paused
from openrcm.ledger.model import Account
from openrcm.payer.posting import OpenClaim, PostingPlan, charge_entry, patient_payment_entry, plan_posting
from openrcm.payer.remittance import Remittance, balance
from openrcm.store.unit import DuplicateRemittanceError, RemittanceKey, Store

__all__ = ["DuplicateRemittanceError", "PostResult", "post_remittance", "register", "register_claims"]


@dataclass(frozen=True, slots=True)
class PostResult:
    remittance_id: int | None  # None: already posted, nothing done
    plan: PostingPlan | None
    findings: tuple[Issue, ...]  # balancing and posting findings

    @property
    def duplicate(self) -> bool:
        return self.remittance_id is None


def open_claim(claim: Claim, billed: dt.date, expected_allowed: Decimal | None = None) -> OpenClaim:
    return OpenClaim(
        claim.id,
        claim.patient.id,
        claim.coverage.payer.id,
        claim.total_charge,
        claim.service_date,
        billed,
        expected_allowed,
    )


def register_claims(
    store: Store, claims: Sequence[Claim], billed: dt.date, expected: Mapping[str, Decimal] | None = None
) -> int:
    """Put billed claims on the ledger: each one's charge becomes the payer's receivable."""
    return register(store, [open_claim(c, billed, (expected or {}).get(c.id)) for c in claims])


def register(store: Store, rows: Sequence[OpenClaim]) -> int:
    """Put claims (as the ledger sees them) on the ledger with their charge entries, atomically."""
    with store.transaction() as tx:
        tx.add_claims(rows)
        tx.add_entries([charge_entry(c) for c in rows])
    return len(rows)


def post_remittance(
    store: Store, remit: Remittance, *, today: dt.date, source: str = "", checks: Sequence[Issue] | None = None
) -> PostResult:
    """Post one 835 transaction: all of it, once, or (on any failure) none of it.

    `checks` are the balancing findings when the reader has made them already; else they are made here.
    """
    checks = tuple(balance(remit, source) if checks is None else checks)
    key = RemittanceKey(remit.payer_id or remit.payer_name, remit.check_number, remit.check_total)
    try:
        with collector_paused(), store.transaction() as tx:
            remittance_id = tx.claim_remittance(
                key, payment_date=remit.payment_date, source=source, claim_count=len(remit.claims)
            )
            known = tx.open_claims(c.patient_control_number for c in remit.claims)
            by_number = tx.claims_by_payer_number(p.reference for p in remit.provider_adjustments)
            plan = plan_posting(remit, known, by_payer_claim_number=by_number, today=today, source=source)
            tx.add_entries(plan.entries, remittance_id)
            underpaid = [
                (u.claim_id, u.payer_id, "POST_UNDERPAID", u.short, f"allowed {u.allowed}, contract {u.expected}")
                for u in plan.underpayments
            ]
            tx.add_follow_ups(plan.denials, underpaid, remittance_id)
            tx.set_adjudication(
                [
                    (c.patient_control_number, c.status, c.payer_claim_control_number)
                    for c in remit.claims
                    if c.patient_control_number in known
                ]
            )
    except DuplicateRemittanceError:
        return PostResult(None, None, checks)
    return PostResult(remittance_id, plan, checks + plan.findings)


class PatientPaymentError(OpenRCMError):
    """A patient payment that cannot be applied (unknown claim, not a positive amount)."""


def post_patient_payment(
    store: Store, claim_id: str, amount: Decimal, *, received: dt.date, method: str = "cash", reference: str = ""
) -> Decimal:
    """Apply a patient payment to a claim; returns the patient balance left (negative: a credit to refund)."""
    if amount <= Decimal("0"):
        raise PatientPaymentError(f"a patient payment must be positive (got {amount})")
    with store.transaction() as tx:
        claim = tx.open_claims([claim_id]).get(claim_id)
        if claim is None:
            raise PatientPaymentError(f"claim {claim_id} is not on the ledger")
        tx.add_entries([patient_payment_entry(claim, amount, received, method, reference)])
        return sum(
            (p.amount for p, _ in tx.postings(account_prefix=Account.AR_PATIENT, claim_id=claim_id)), Decimal("0.00")
        )
