"""Appeal letters as PDF: the claim's facts, the payer's reason in its own codes, and the argument
a biller makes for that kind of denial (domain-rules §7.3)."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from openrcm.claims.model import Claim


@dataclass(frozen=True, slots=True)
class AppealLetter:
    practice: str
    practice_npi: str
    payer_name: str
    claim: Claim
    payer_claim_number: str
    reason: str  # "CO-197"
    reason_text: str  # the CARC's description
    remarks: tuple[str, ...]
    amount: Decimal
    argument: str  # why the decision should change
    enclosures: tuple[str, ...]
    written: dt.date


def appeal_pdf(letters: Sequence[AppealLetter]) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=LETTER, invariant=True)
    height = LETTER[1]
    for a in letters:
        person = a.claim.patient.person
        y = height - 60
        c.setFont("Helvetica-Bold", 14)
        c.drawString(60, y, a.practice)
        c.setFont("Helvetica", 10)
        y -= 14
        c.drawString(60, y, f"NPI {a.practice_npi}")
        y -= 30
        c.drawString(60, y, f"{a.written:%B %d, %Y}")
        y -= 24
        c.drawString(60, y, f"{a.payer_name}, Appeals Department")
        y -= 30
        c.setFont("Helvetica-Bold", 10)
        facts = [
            f"Re: Request for reconsideration of claim {a.payer_claim_number or '(number pending)'}",
            f"Patient: {person.first_name} {person.last_name}    Member ID: {a.claim.coverage.member_id}",
            f"Date of service: {a.claim.service_date:%m/%d/%Y}    Our claim number: {a.claim.id}",
            f"Billed: ${a.claim.total_charge:,.2f}    Amount in dispute: ${a.amount:,.2f}",
            f"Denial: {a.reason} {a.reason_text[:70]}" + (f" (remarks {', '.join(a.remarks)})" if a.remarks else ""),
        ]
        for line in facts:
            c.drawString(60, y, line[:100])
            y -= 14
        y -= 10
        c.setFont("Helvetica", 10)
        services = ", ".join(
            f"{line.code}{'-' + '-'.join(line.modifiers) if line.modifiers else ''}" for line in a.claim.lines
        )
        body = (
            f"We ask you to reconsider the denial of the services above ({services}; diagnoses "
            f"{', '.join(a.claim.diagnoses)}). {a.argument} Please reprocess the claim and pay it under the "
            "terms of our agreement. If you need anything further, contact our billing office."
        )
        for paragraph in (body,):
            for line in textwrap.wrap(paragraph, 95):
                c.drawString(60, y, line)
                y -= 14
        y -= 10
        if a.enclosures:
            c.drawString(60, y, "Enclosed: " + "; ".join(a.enclosures))
            y -= 28
        c.drawString(60, y, "Sincerely,")
        y -= 36
        c.drawString(60, y, f"Billing Office, {a.practice}")
        c.showPage()
    c.save()
    return buffer.getvalue()
