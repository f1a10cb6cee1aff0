"""Patient statements as PDF: what was billed, what insurance paid and adjusted, what the patient
owes and why (copay, deductible, coinsurance), and the balance due (domain-rules §10.9)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from openrcm.claims.model import Claim
from openrcm.ledger.model import Account, Posting

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Statement:
    practice: str
    statement_date: dt.date
    due_date: dt.date
    claim: Claim
    payer_name: str
    descriptions: dict[str, str]  # code -> plain words for the patient
    insurance_paid: Decimal
    adjusted: Decimal  # contractual and other write-offs
    shares: tuple[tuple[str, Decimal], ...]  # ("copay", 30.00), ("deductible", 5.00)...
    patient_paid: Decimal
    balance: Decimal


def statement_from_ledger(
    claim: Claim,
    postings: Sequence[Posting],
    *,
    practice: str,
    payer_name: str,
    today: dt.date,
    descriptions: dict[str, str] | None = None,
) -> Statement:
    """The statement of one claim, every amount taken from its postings."""
    mine = [p for p in postings if p.claim_id == claim.id]
    paid = sum((p.amount for p in mine if p.account == Account.CASH and p.memo == "payer payment"), ZERO)
    adjusted = sum((p.amount for p in mine if p.account in {Account.CONTRACTUAL, Account.OTHER_ADJUSTMENT}), ZERO)
    shares: dict[str, Decimal] = {}
    patient_paid = ZERO
    for p in mine:
        if p.account != Account.AR_PATIENT:
            continue
        if p.amount < ZERO and p.memo.startswith("patient payment"):
            patient_paid -= p.amount
            continue
        kind = p.memo.split(" ", 1)[1] if " " in p.memo else "other patient responsibility"
        shares[kind] = shares.get(kind, ZERO) + p.amount
    balance = sum((p.amount for p in mine if p.account == Account.AR_PATIENT), ZERO)
    return Statement(
        practice,
        today,
        today + dt.timedelta(days=30),
        claim,
        payer_name,
        descriptions or {},
        paid,
        adjusted,
        tuple((k, v) for k, v in shares.items() if v),
        patient_paid,
        balance,
    )


def statement_pdf(statements: Sequence[Statement]) -> bytes:
    """One page per statement, on US Letter."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=LETTER, invariant=True)
    width, height = LETTER
    for s in statements:
        person = s.claim.patient.person
        y = height - 60
        c.setFont("Helvetica-Bold", 16)
        c.drawString(50, y, s.practice)
        c.setFont("Helvetica", 10)
        c.drawRightString(width - 50, y, f"Statement date {s.statement_date:%m/%d/%Y}")
        y -= 18
        c.drawRightString(width - 50, y, f"Account {s.claim.id}")
        y -= 30
        c.setFont("Helvetica-Bold", 11)
        c.drawString(50, y, f"{person.first_name} {person.last_name}")
        if person.address:
            c.setFont("Helvetica", 10)
            y -= 14
            c.drawString(50, y, person.address.line1)
            y -= 14
            c.drawString(50, y, f"{person.address.city}, {person.address.state} {person.address.postal_code}")
        y -= 34
        c.setFont("Helvetica-Bold", 10)
        c.drawString(50, y, "Date")
        c.drawString(120, y, "Service")
        c.drawRightString(width - 50, y, "Amount")
        c.line(50, y - 4, width - 50, y - 4)
        c.setFont("Helvetica", 10)
        for line in s.claim.lines:
            y -= 16
            day = line.service_date or s.claim.service_date
            words = s.descriptions.get(line.code, "")
            c.drawString(50, y, f"{day:%m/%d/%Y}")
            c.drawString(120, y, f"{words} ({line.code})"[:70] if words else line.code)
            c.drawRightString(width - 50, y, f"{line.charge:,.2f}")
        rows: list[tuple[str, Decimal, bool]] = [("Total charges", s.claim.total_charge, True)]
        rows.append((f"{s.payer_name} paid", -s.insurance_paid, False))
        rows.append(("Insurance discount (your plan's contracted rate)", -s.adjusted, False))
        share_text = ", ".join(f"{k} {v:,.2f}" for k, v in s.shares)
        total_share = sum((v for _, v in s.shares), ZERO)
        rows.append((f"Your share: {share_text}" if share_text else "Your share", total_share, True))
        if s.patient_paid:
            rows.append(("Paid by you", -s.patient_paid, False))
        y -= 10
        c.line(50, y, width - 50, y)
        for label, amount, bold in rows:
            y -= 18
            c.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
            c.drawString(120, y, label[:80])
            c.drawRightString(width - 50, y, f"{amount:,.2f}")
        y -= 30
        c.setFont("Helvetica-Bold", 14)
        c.drawString(120, y, "BALANCE DUE")
        c.drawRightString(width - 50, y, f"${s.balance:,.2f}")
        y -= 18
        c.setFont("Helvetica", 10)
        c.drawString(
            120, y, f"Please pay by {s.due_date:%m/%d/%Y}. Questions about this bill: call our billing office."
        )
        y -= 14
        c.drawString(
            120, y, "Your share is set by your plan: a copay per visit, the deductible you pay first each year,"
        )
        y -= 14
        c.drawString(120, y, "then coinsurance, a percentage of the allowed amount.")
        c.showPage()
    c.save()
    return buffer.getvalue()
