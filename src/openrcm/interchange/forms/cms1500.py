"""The CMS-1500 (02/12) professional claim form as a PDF, each field printed in its numbered box.

Drawn with reportlab on US Letter: the boxes follow the form's layout (items 1-33, six service
lines per page; a claim with more lines continues on further pages, each totalled as the NUCC
instructions require). Amounts are printed with the dollars and cents split as the form has them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from openrcm.claims.model import Claim, Provider, Relationship

RED = Color(0.75, 0.1, 0.1)
INK = Color(0, 0, 0)
PAGE_W, PAGE_H = LETTER
LEFT, RIGHT, TOP = 24.0, PAGE_W - 24.0, PAGE_H - 36.0
LINES_PER_PAGE = 6


def _box(c: Canvas, x: float, y_top: float, w: float, h: float, label: str, value: str = "", size: float = 8.5) -> None:
    """A labelled box; ``y_top`` counts down from the top of the form area."""
    y = TOP - y_top - h
    c.setStrokeColor(RED)
    c.setLineWidth(0.5)
    c.rect(x, y, w, h)
    c.setFillColor(RED)
    c.setFont("Helvetica", 5.2)
    c.drawString(x + 2, y + h - 6.5, label[:110])
    if value:
        c.setFillColor(INK)
        c.setFont("Courier-Bold", size)
        c.drawString(x + 3, y + 3.5, value[: int(w / (size * 0.6))])


def _money(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ")


def _name(last: str, first: str, middle: str = "") -> str:
    return f"{last}, {first}{' ' + middle[:1] if middle else ''}".upper()


def _provider_block(p: Provider) -> list[str]:
    address = p.address
    parts = [p.last_name_or_org if p.entity == "2" else f"{p.first_name} {p.last_name_or_org}"]
    if address:
        parts += [address.line1, f"{address.city} {address.state} {address.postal_code}"]
    return [part.upper() for part in parts]


def _lines_in_box(c: Canvas, x: float, y_top: float, texts: list[str]) -> None:
    c.setFillColor(INK)
    c.setFont("Courier-Bold", 7.5)
    for n, text in enumerate(texts):
        c.drawString(x + 3, TOP - y_top - 15 - n * 9, text[:44])


def _page(c: Canvas, claim: Claim, lines: Sequence[int], page: int, pages: int) -> None:
    half = (RIGHT - LEFT) / 2
    mid = LEFT + half
    c.setFillColor(RED)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(LEFT, TOP + 14, "HEALTH INSURANCE CLAIM FORM")
    c.setFont("Helvetica", 6)
    c.drawString(LEFT, TOP + 6, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12")
    c.drawRightString(RIGHT, TOP + 6, f"PAGE {page} OF {pages}")
    payer = claim.coverage.payer
    c.setFillColor(INK)
    c.setFont("Courier-Bold", 8.5)
    c.drawString(mid + 6, TOP + 18, payer.name.upper()[:40])
    if payer.address:
        c.drawString(mid + 6, TOP + 8, f"{payer.address.line1} {payer.address.city} {payer.address.state}".upper()[:48])
    program = {
        "MB": "MEDICARE",
        "MC": "MEDICAID",
        "CH": "TRICARE",
        "CI": "GROUP HEALTH PLAN",
        "BL": "GROUP HEALTH PLAN",
        "HM": "GROUP HEALTH PLAN",
    }.get(payer.filing_indicator, "OTHER")
    person = claim.patient.person
    sub = claim.coverage.subscriber
    rel = {Relationship.SELF: "SELF", Relationship.SPOUSE: "SPOUSE", Relationship.CHILD: "CHILD"}.get(
        claim.coverage.relationship, "OTHER"
    )
    y = 0.0
    row = 22.0
    _box(
        c, LEFT, y, half, row, "1. MEDICARE / MEDICAID / TRICARE / CHAMPVA / GROUP HEALTH PLAN / FECA / OTHER", program
    )
    _box(c, mid, y, half, row, "1a. INSURED'S I.D. NUMBER (For Program in Item 1)", claim.coverage.member_id)
    y += row
    _box(
        c,
        LEFT,
        y,
        half * 0.62,
        row,
        "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)",
        _name(person.last_name, person.first_name, person.middle_name),
    )
    _box(
        c,
        LEFT + half * 0.62,
        y,
        half * 0.38,
        row,
        "3. PATIENT'S BIRTH DATE (MM DD YY)  SEX",
        f"{person.birth_date:%m %d %Y}  {person.sex}" if person.birth_date else person.sex,
    )
    _box(
        c,
        mid,
        y,
        half,
        row,
        "4. INSURED'S NAME (Last Name, First Name, Middle Initial)",
        _name(sub.last_name, sub.first_name, sub.middle_name),
    )
    y += row
    addr = person.address
    _box(c, LEFT, y, half * 0.62, row, "5. PATIENT'S ADDRESS (No., Street)", addr.line1.upper() if addr else "")
    _box(c, LEFT + half * 0.62, y, half * 0.38, row, "6. PATIENT RELATIONSHIP TO INSURED", rel)
    saddr = sub.address or addr
    _box(c, mid, y, half, row, "7. INSURED'S ADDRESS (No., Street)", saddr.line1.upper() if saddr else "")
    y += row
    _box(
        c,
        LEFT,
        y,
        half * 0.62,
        row,
        "CITY / STATE / ZIP CODE",
        f"{addr.city} {addr.state} {addr.postal_code}".upper() if addr else "",
    )
    _box(c, LEFT + half * 0.62, y, half * 0.38, row, "8. RESERVED FOR NUCC USE")
    _box(
        c,
        mid,
        y,
        half,
        row,
        "CITY / STATE / ZIP CODE",
        f"{saddr.city} {saddr.state} {saddr.postal_code}".upper() if saddr else "",
    )
    y += row
    other = claim.other_coverages[0] if claim.other_coverages else None
    _box(
        c,
        LEFT,
        y,
        half * 0.62,
        row * 2,
        "9. OTHER INSURED'S NAME / 9a. POLICY OR GROUP NUMBER / 9d. PLAN NAME",
        f"{_name(other.subscriber.last_name, other.subscriber.first_name)} {other.member_id}" if other else "",
    )
    _box(
        c,
        LEFT + half * 0.62,
        y,
        half * 0.38,
        row * 2,
        "10. IS PATIENT'S CONDITION RELATED TO: EMPLOYMENT / AUTO / OTHER ACCIDENT",
        "NO / NO / NO",
    )
    _box(c, mid, y, half, row, "11. INSURED'S POLICY GROUP OR FECA NUMBER", claim.coverage.group_number)
    _box(c, mid, y + row, half, row, "11d. IS THERE ANOTHER HEALTH BENEFIT PLAN?", "YES" if other else "NO")
    y += row * 2
    _box(c, LEFT, y, half, row, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE", "SIGNATURE ON FILE")
    _box(c, mid, y, half, row, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE", "SIGNATURE ON FILE")
    y += row
    ref = claim.referring
    _box(c, LEFT, y, half * 0.5, row, "14. DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY (LMP)")
    _box(
        c,
        LEFT + half * 0.5,
        y,
        half * 0.5,
        row,
        "17. NAME OF REFERRING PROVIDER / 17b. NPI",
        f"DN {ref.first_name} {ref.last_name_or_org} {ref.npi}".upper() if ref else "",
    )
    _box(c, mid, y, half, row, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES")
    y += row
    _box(c, LEFT, y, half, row, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)")
    _box(c, mid, y, half, row, "20. OUTSIDE LAB?  $ CHARGES", "NO")
    y += row
    dx = list(claim.diagnoses[:12])
    letters = "ABCDEFGHIJKL"
    dx_text = "   ".join(f"{letters[i]}. {code.replace('.', '')}" for i, code in enumerate(dx[:6]))
    dx_text2 = "   ".join(f"{letters[i + 6]}. {code.replace('.', '')}" for i, code in enumerate(dx[6:12]))
    _box(
        c,
        LEFT,
        y,
        half * 1.3,
        row,
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  (Relate A-L to service line below (24E))   ICD Ind. 0",
        dx_text,
    )
    _box(c, LEFT, y + row, half * 1.3, row, "", dx_text2)
    _box(
        c,
        LEFT + half * 1.3,
        y,
        half * 0.7,
        row,
        "22. RESUBMISSION CODE / ORIGINAL REF. NO.",
        f"{claim.frequency}  {claim.original_claim_number}" if claim.frequency in ("7", "8") else "",
    )
    _box(
        c,
        LEFT + half * 1.3,
        y + row,
        half * 0.7,
        row,
        "23. PRIOR AUTHORIZATION NUMBER",
        claim.prior_authorization or claim.clia_number,
    )
    y += row * 2
    # 24: six service lines
    cols = [
        ("24A. DATE(S) OF SERVICE From - To", 98),
        ("B. POS", 26),
        ("C. EMG", 22),
        ("D. CPT/HCPCS  MODIFIER", 122),
        ("E. DX PTR", 44),
        ("F. $ CHARGES", 66),
        ("G. UNITS", 36),
        ("H. EPSDT", 26),
        ("I. ID QUAL", 26),
        ("J. RENDERING PROVIDER ID #", RIGHT - LEFT - 466),
    ]
    x = LEFT
    for label, width in cols:
        _box(c, x, y, width, 14, label)
        x += width
    y += 14
    for index in range(LINES_PER_PAGE):
        x = LEFT
        line = claim.lines[lines[index]] if index < len(lines) else None
        if line is None:
            for _, width in cols:
                _box(c, x, y, width, 20, "")
                x += width
            y += 20
            continue
        day = line.service_date or claim.service_date
        rendering = line.rendering or claim.rendering or claim.billing
        values = [
            f"{day:%m %d %y} {day:%m %d %y}",
            line.place_of_service or claim.place_of_service,
            "",
            f"{line.code} {' '.join(line.modifiers)}",
            "".join(letters[p - 1] for p in line.diagnosis_pointers if 0 < p <= 12),
            _money(line.charge),
            f"{line.units.normalize():f}",
            "",
            "NPI",
            rendering.npi,
        ]
        for (_, width), value in zip(cols, values, strict=True):
            _box(c, x, y, width, 20, "", value)
            x += width
        y += 20
    page_total = sum((claim.lines[i].charge for i in lines), Decimal("0.00"))
    b = claim.billing
    _box(c, LEFT, y, half * 0.55, row, "25. FEDERAL TAX I.D. NUMBER  SSN EIN", f"{b.tax_id} EIN")
    _box(c, LEFT + half * 0.55, y, half * 0.45, row, "26. PATIENT'S ACCOUNT NO.", claim.patient.id)
    _box(c, mid, y, half * 0.3, row, "27. ACCEPT ASSIGNMENT?", "YES")
    _box(c, mid + half * 0.3, y, half * 0.35, row, "28. TOTAL CHARGE", f"$ {_money(page_total)}")
    _box(c, mid + half * 0.65, y, half * 0.35, row, "29. AMOUNT PAID", "$ 0.00")
    y += row
    facility = claim.facility or b
    _box(c, LEFT, y, half * 0.45, row * 3, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER", "SIGNATURE ON FILE")
    _box(
        c,
        LEFT + half * 0.45,
        y,
        half * 0.55 + half * 0.2,
        row * 3,
        "32. SERVICE FACILITY LOCATION INFORMATION  32a. NPI",
        "",
    )
    _lines_in_box(c, LEFT + half * 0.45, y, [*_provider_block(facility), f"32a. {facility.npi}"])
    _box(c, mid + half * 0.2, y, half * 0.8, row * 3, "33. BILLING PROVIDER INFO & PH #   33a. NPI", "")
    _lines_in_box(c, mid + half * 0.2, y, [*_provider_block(b), f"33a. {b.npi}   PH {b.phone}"])
    c.setFillColor(RED)
    c.setFont("Helvetica", 5.5)
    c.drawString(
        LEFT,
        TOP - y - row * 3 - 10,
        "NUCC Instruction Manual available at: www.nucc.org    "
        "PLEASE PRINT OR TYPE    APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    )


def cms1500_pdf(claims: Sequence[Claim]) -> bytes:
    """One or more claims on CMS-1500 forms (six lines a page), as PDF bytes."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=LETTER, pageCompression=1)
    c.setTitle("CMS-1500 claims")
    c.setAuthor("OpenRCM")
    for claim in claims:
        indexes = list(range(len(claim.lines)))
        chunks = [indexes[i : i + LINES_PER_PAGE] for i in range(0, len(indexes), LINES_PER_PAGE)] or [[]]
        for page, chunk in enumerate(chunks, start=1):
            _page(c, claim, chunk, page, len(chunks))
            c.showPage()
    c.save()
    return buffer.getvalue()
