"""Journal entries and postings.

A posting's amount is signed: positive debits the account, negative credits it. Every entry's
postings sum to zero to the cent, checked when the entry is made, so an unbalanced entry cannot
exist. Postings carry the claim, patient and payer they concern, so that balances and aging can be
derived per claim, per patient and per payer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from openrcm.core.errors import OpenRCMError
from openrcm.core.money import to_money

ZERO = Decimal("0.00")


class Account:
    """The chart of accounts. Names are colon-separated, as in beancount."""

    CASH = "Assets:Cash"
    AR_PAYER = "Assets:AR:Payer"
    AR_PATIENT = "Assets:AR:Patient"
    RECOUPMENT = "Assets:Recoupments"  # payer recoveries (PLB WO/72) not tied to a known claim
    FORWARD_BALANCE = "Assets:ForwardBalance"  # PLB FB: the payer carries a balance to a later check
    UNAPPLIED = "Liabilities:UnappliedCash"  # money received that matches no claim
    CHARGES = "Income:Charges"
    INTEREST = "Income:Interest"
    CONTRACTUAL = "Income:Adjustments:Contractual"  # CO (and PI) write-offs, contra-revenue
    OTHER_ADJUSTMENT = "Income:Adjustments:Other"  # OA
    PROVIDER_ADJUSTMENT = "Income:Adjustments:Provider"  # other PLB reasons


class UnbalancedEntryError(OpenRCMError):
    """A bug: code tried to make a journal entry whose postings do not sum to zero."""


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount: Decimal  # positive: debit; negative: credit
    claim_id: str = ""  # our patient control number (CLM01)
    patient_id: str = ""
    payer_id: str = ""
    memo: str = ""  # e.g. "CO-45", "PR-2 coinsurance"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_money(self.amount))


@dataclass(frozen=True, slots=True)
class JournalEntry:
    kind: str  # charge, payment, reversal, provider_adjustment, unapplied, patient_payment
    effective: dt.date  # the accounting date: the check date, the date a charge was billed
    postings: tuple[Posting, ...]
    source: str = ""  # the document: "835 TRN 12345 ST 0001 CLP PCN1"
    memo: str = ""

    def __post_init__(self) -> None:
        total = sum((p.amount for p in self.postings), ZERO)
        if total != ZERO:
            raise UnbalancedEntryError(f"journal entry {self.kind} from {self.source or '-'} is off by {total}")
        if not self.postings:
            raise UnbalancedEntryError(f"journal entry {self.kind} from {self.source or '-'} has no postings")


def transfer(
    debit: str,
    credit: str,
    amount: Decimal,
    *,
    claim_id: str = "",
    patient_id: str = "",
    payer_id: str = "",
    memo: str = "",
) -> tuple[Posting, Posting]:
    """The two legs of moving `amount` from `credit` to `debit`."""
    return (
        Posting(debit, amount, claim_id, patient_id, payer_id, memo),
        Posting(credit, -amount, claim_id, patient_id, payer_id, memo),
    )


def balances(postings: list[Posting] | tuple[Posting, ...], *, by: str = "account") -> dict[str, Decimal]:
    """Sum postings per account (or per `claim_id`, `patient_id`, `payer_id`)."""
    out: dict[str, Decimal] = {}
    for p in postings:
        key = str(getattr(p, by))
        out[key] = out.get(key, ZERO) + p.amount
    return out


def consolidate(postings: list[Posting] | tuple[Posting, ...]) -> tuple[Posting, ...]:
    """Sum postings that differ only in amount (same account, parties and memo); drop zeros."""
    sums: dict[tuple[str, str, str, str, str], Decimal] = {}
    for p in postings:
        key = (p.account, p.claim_id, p.patient_id, p.payer_id, p.memo)
        sums[key] = sums.get(key, ZERO) + p.amount
    return tuple(Posting(a, amount, c, pt, py, m) for (a, c, pt, py, m), amount in sums.items() if amount)
