"""A/R aging derived from postings (domain-rules §7.5).

Each claim's open balance on a receivable account ages from the date it first appeared there:
the billed date for the payer's portion, the remittance date for the patient's portion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from openrcm.ledger.model import Posting

ZERO = Decimal("0.00")
BUCKETS = ("0-30", "31-60", "61-90", "91-120", "over 120")
LIMITS = (30, 60, 90, 120)


def bucket(days: int) -> int:
    for n, limit in enumerate(LIMITS):
        if days <= limit:
            return n
    return len(LIMITS)


@dataclass(frozen=True, slots=True)
class AgingRow:
    key: str  # a payer id or a patient id
    buckets: tuple[Decimal, ...]
    claims: int

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


def open_items(
    postings: Iterable[tuple[Posting, dt.date]], account: str
) -> dict[str, tuple[Decimal, dt.date, Posting]]:
    """Per claim: its balance on `account`, the date it started, and a posting naming its parties."""
    items: dict[str, tuple[Decimal, dt.date, Posting]] = {}
    for posting, date in postings:
        if posting.account != account:
            continue
        balance, since, first = items.get(posting.claim_id, (ZERO, date, posting))
        items[posting.claim_id] = (balance + posting.amount, min(since, date), first)
    return {k: v for k, v in items.items() if v[0] != ZERO}


def aging(
    postings: Iterable[tuple[Posting, dt.date]], account: str, as_of: dt.date, *, by: str = "payer_id"
) -> list[AgingRow]:
    """Open balances on `account` in age buckets, one row per payer (or patient), largest first."""
    sums: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    for balance, since, first in open_items(postings, account).values():
        key = str(getattr(first, by)) or "(none)"
        row = sums.setdefault(key, [ZERO] * len(BUCKETS))
        row[bucket(max((as_of - since).days, 0))] += balance
        counts[key] = counts.get(key, 0) + 1
    rows = [AgingRow(k, tuple(v), counts[k]) for k, v in sums.items()]
    return sorted(rows, key=lambda r: (-r.total, r.key))
