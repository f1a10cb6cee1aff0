"""The 837I (005010X223A2) institutional claim writer (hospital outpatient, clinics billing UB-04)."""

from __future__ import annotations

from openrcm.claims.model import Claim, ClaimBatch
from openrcm.interchange.x12.envelope import DEFAULT, ControlNumbers, SegmentWriter, amount, clean, d8, quantity
from openrcm.interchange.x12.x837p import subscriber_loops, write_837

VERSION_837I = "005010X223A2"
MAX_DIAGNOSES = 25


def _claim_body(w: SegmentWriter, claim: Claim, hl: int) -> int:
    hl = subscriber_loops(w, claim, hl)
    bill = claim.type_of_bill or "0131"  # hospital outpatient, admit through discharge
    facility_type, frequency = bill[1:3], claim.frequency or bill[3]
    w.add(
        "CLM",
        clean(claim.id),
        amount(claim.total_charge),
        "",
        "",
        f"{facility_type}{DEFAULT.component}A{DEFAULT.component}{frequency}",
        "",
        "A",
        "Y",
        "Y",
    )
    end = claim.statement_end or claim.through_date
    w.add("DTP", "434", "RD8", f"{d8(claim.service_date)}-{d8(end)}")
    w.add("CL1", "", "", "01")  # patient status 01: discharged to home or self care
    if claim.prior_authorization:
        w.add("REF", "G1", clean(claim.prior_authorization))
    if claim.frequency in ("7", "8") and claim.original_claim_number:
        w.add("REF", "F8", clean(claim.original_claim_number))
    codes = [d.replace(".", "") for d in claim.diagnoses[:MAX_DIAGNOSES]]
    if codes:
        w.add("HI", f"ABK{DEFAULT.component}{codes[0]}")
        if len(codes) > 1:
            w.add("HI", *[f"ABF{DEFAULT.component}{c}" for c in codes[1:13]])
    attending = claim.rendering or claim.billing
    w.add(
        "NM1",
        "71",
        "1",
        clean(attending.last_name_or_org),
        clean(attending.first_name),
        "",
        "",
        "",
        "XX",
        attending.npi,
    )
    for n, line in enumerate(claim.lines, start=1):
        w.add("LX", str(n))
        procedure = DEFAULT.component.join(["HC", line.code, *line.modifiers[:4]]) if line.code else ""
        w.add("SV2", line.revenue_code or "0510", procedure, amount(line.charge), "UN", quantity(line.units))
        w.add("DTP", "472", "D8", d8(line.service_date or claim.service_date))
        if line.line_control:
            w.add("REF", "6R", clean(line.line_control))
    return hl


def write_837i(batch: ClaimBatch, numbers: ControlNumbers, *, production: bool = False) -> str:
    """The batch as an 837I (005010X223A2) interchange."""
    return write_837(batch, numbers, _claim_body, VERSION_837I, production=production)
