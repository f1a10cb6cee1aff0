"""The 837P (005010X222A1) professional claim writer."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from itertools import groupby

from openrcm.claims.model import Address, Claim, ClaimBatch, PriorAdjudication, PriorLine, Provider, Relationship
from openrcm.interchange.x12.envelope import DEFAULT, ControlNumbers, SegmentWriter, amount, clean, d8, quantity, wrap

VERSION_837P = "005010X222A1"
MAX_DIAGNOSES = 12
MAX_LINES = 50


def _address(w: SegmentWriter, address: Address | None) -> None:
    if address is None:
        return
    w.add("N3", clean(address.line1), clean(address.line2))
    w.add("N4", clean(address.city), clean(address.state), address.postal_code.replace("-", ""))


def provider_name(w: SegmentWriter, qualifier: str, provider: Provider) -> None:
    if provider.entity == "1":
        w.add(
            "NM1",
            qualifier,
            "1",
            clean(provider.last_name_or_org),
            clean(provider.first_name),
            "",
            "",
            "",
            "XX",
            provider.npi,
        )
    else:
        w.add("NM1", qualifier, "2", clean(provider.last_name_or_org), "", "", "", "", "XX", provider.npi)


def subscriber_loops(w: SegmentWriter, claim: Claim, hl: int) -> int:
    """Loops 2000B (subscriber, payer) and, when the patient is not the subscriber, 2000C; the next HL."""
    cov = claim.coverage
    patient_is_subscriber = cov.relationship == Relationship.SELF
    subscriber_hl = hl
    w.add("HL", str(subscriber_hl), "1", "22", "0" if patient_is_subscriber else "1")
    w.add(
        "SBR",
        cov.priority,
        Relationship.SELF.value if patient_is_subscriber else "",
        clean(cov.group_number),
        "" if cov.group_number else clean(cov.group_name),
        "",
        "",
        "",
        "",
        cov.payer.filing_indicator,
    )
    sub = cov.subscriber
    w.add(
        "NM1",
        "IL",
        "1",
        clean(sub.last_name),
        clean(sub.first_name),
        clean(sub.middle_name),
        "",
        "",
        "MI",
        clean(cov.member_id),
    )
    person = claim.patient.person
    if patient_is_subscriber:
        _address(w, sub.address or person.address)
        if person.birth_date:
            w.add("DMG", "D8", d8(person.birth_date), person.sex)
    w.add("NM1", "PR", "2", clean(cov.payer.name), "", "", "", "", "PI", clean(cov.payer.id))
    hl += 1
    if not patient_is_subscriber:
        w.add("HL", str(hl), str(subscriber_hl), "23", "0")
        w.add("PAT", cov.relationship.value)
        w.add("NM1", "QC", "1", clean(person.last_name), clean(person.first_name), clean(person.middle_name))
        _address(w, person.address)
        if person.birth_date:
            w.add("DMG", "D8", d8(person.birth_date), person.sex)
        hl += 1
    return hl


def _claim_body(w: SegmentWriter, claim: Claim, hl: int) -> int:
    """Loops 2000B-2400 for one claim; returns the next HL number."""
    hl = subscriber_loops(w, claim, hl)
    w.add(
        "CLM",
        clean(claim.id),
        amount(claim.total_charge),
        "",
        "",
        f"{claim.place_of_service}{DEFAULT.component}B{DEFAULT.component}{claim.frequency}",
        "Y",
        "A",
        "Y",
        "Y",
    )
    if claim.prior_authorization:
        w.add("REF", "G1", clean(claim.prior_authorization))
    if claim.frequency in ("7", "8") and claim.original_claim_number:
        w.add("REF", "F8", clean(claim.original_claim_number))
    if claim.clia_number:
        w.add("REF", "X4", clean(claim.clia_number))
    codes = [d.replace(".", "") for d in claim.diagnoses[:MAX_DIAGNOSES]]
    w.add("HI", *[f"{'ABK' if n == 0 else 'ABF'}{DEFAULT.component}{c}" for n, c in enumerate(codes)])
    if claim.referring is not None:
        w.add(
            "NM1",
            "DN",
            "1",
            clean(claim.referring.last_name_or_org),
            clean(claim.referring.first_name),
            "",
            "",
            "",
            "XX",
            claim.referring.npi,
        )
    if claim.rendering is not None and claim.rendering.npi != claim.billing.npi:
        provider_name(w, "82", claim.rendering)
        if claim.rendering.taxonomy:
            w.add("PRV", "PE", "PXC", claim.rendering.taxonomy)
    if claim.facility is not None and claim.facility.npi != claim.billing.npi:
        w.add("NM1", "77", "2", clean(claim.facility.last_name_or_org), "", "", "", "", "XX", claim.facility.npi)
        _address(w, claim.facility.address)
    for prior in claim.prior_adjudications:
        _other_payer(w, prior)
    for n, line in enumerate(claim.lines[:MAX_LINES], start=1):
        w.add("LX", str(n))
        procedure = DEFAULT.component.join(["HC", line.code, *line.modifiers[:4]])
        pointers = DEFAULT.component.join(str(p) for p in line.diagnosis_pointers[:4])
        pos = line.place_of_service if line.place_of_service and line.place_of_service != claim.place_of_service else ""
        w.add("SV1", procedure, amount(line.charge), "UN", quantity(line.units), pos, "", pointers)
        w.add("DTP", "472", "D8", d8(line.service_date or claim.service_date))
        if line.line_control:
            w.add("REF", "6R", clean(line.line_control))
        if line.ndc:
            w.add("LIN", "", "N4", line.ndc.replace("-", ""))
            w.add("CTP", "", "", "", quantity(line.ndc_quantity or line.units), line.ndc_unit or "UN")
        for prior in claim.prior_adjudications:
            for done in prior.lines:
                if done.line_number == n:
                    _line_adjudication(w, prior, done)
    return hl


def _cas(w: SegmentWriter, adjustments: tuple[tuple[str, str, Decimal], ...]) -> None:
    groups: dict[str, list[tuple[str, Decimal]]] = {}
    for group, reason, value in adjustments:
        groups.setdefault(group, []).append((reason, value))
    for group, items in groups.items():
        for start in range(0, len(items), 6):
            elements: list[str] = []
            for reason, value in items[start : start + 6]:
                elements += [reason, amount(value), ""]
            w.add("CAS", group, *elements)


def _other_payer(w: SegmentWriter, prior: PriorAdjudication) -> None:
    """Loops 2320 (other subscriber information), 2330A (other subscriber) and 2330B (other payer)."""
    cov = prior.coverage
    w.add(
        "SBR",
        cov.priority,
        cov.relationship.value,
        clean(cov.group_number),
        "",
        "",
        "",
        "",
        "",
        cov.payer.filing_indicator,
    )
    _cas(w, prior.adjustments)
    w.add("AMT", "D", amount(prior.paid))
    w.add("AMT", "EAF", amount(prior.patient_responsibility))
    w.add("OI", "", "", "Y", "", "", "Y")
    sub = cov.subscriber
    w.add("NM1", "IL", "1", clean(sub.last_name), clean(sub.first_name), "", "", "", "MI", clean(cov.member_id))
    w.add("NM1", "PR", "2", clean(cov.payer.name), "", "", "", "", "PI", clean(cov.payer.id))
    if prior.payer_claim_number:
        w.add("REF", "F8", clean(prior.payer_claim_number))


def _line_adjudication(w: SegmentWriter, prior: PriorAdjudication, line: PriorLine) -> None:
    """Loop 2430: the other payer's payment and adjustments on this line."""
    procedure = DEFAULT.component.join(["HC", line.code, *line.modifiers[:4]])
    w.add("SVD", clean(prior.coverage.payer.id), amount(line.paid), procedure, "", quantity(line.units))
    _cas(w, line.adjustments)
    w.add("DTP", "573", "D8", d8(line.adjudicated))


def transactions(batch: ClaimBatch, claim_body: Callable[[SegmentWriter, Claim, int], int]) -> list[list[str]]:
    """One 837 transaction per billing provider (loops 1000A-2010AA), claims grouped beneath it.

    Shared by the 837P and 837I writers; ``claim_body`` writes loops 2000B onward for one claim.
    """
    bodies: list[list[str]] = []
    claims = sorted(batch.claims, key=lambda c: c.billing.npi)
    for _, group in groupby(claims, key=lambda c: c.billing.npi):
        group_claims = list(group)
        billing = group_claims[0].billing
        w = SegmentWriter()
        w.add(
            "BHT",
            "0019",
            "00",
            clean(f"{batch.submitter_id}{batch.created:%Y%m%d%H%M}")[:30],
            batch.created.strftime("%Y%m%d"),
            batch.created.strftime("%H%M"),
            "CH",
        )
        w.add("NM1", "41", "2", clean(batch.submitter_name), "", "", "", "", "46", clean(batch.submitter_id))
        w.add("PER", "IC", "BILLING OFFICE", "TE", (billing.phone or "0000000000").replace("-", ""))
        w.add("NM1", "40", "2", clean(batch.receiver_name), "", "", "", "", "46", clean(batch.receiver_id))
        w.add("HL", "1", "", "20", "1")
        if billing.taxonomy:
            w.add("PRV", "BI", "PXC", billing.taxonomy)
        provider_name(w, "85", billing)
        _address(w, billing.address)
        if billing.tax_id:
            w.add("REF", "EI", billing.tax_id.replace("-", ""))
        hl = 2
        for claim in group_claims:
            hl = claim_body(w, claim, hl)
        bodies.append(w.segments)
    return bodies


def write_837(
    batch: ClaimBatch,
    numbers: ControlNumbers,
    claim_body: Callable[[SegmentWriter, Claim, int], int],
    version: str,
    *,
    production: bool = False,
) -> str:
    """One interchange holding one 837 transaction per billing provider."""
    return wrap(
        transactions(batch, claim_body),
        sender=batch.submitter_id,
        receiver=batch.receiver_id,
        functional_id="HC",
        version=version,
        numbers=numbers,
        when=batch.created,
        production=production,
    )


def write_837p(batch: ClaimBatch, numbers: ControlNumbers, *, production: bool = False) -> str:
    """The batch as an 837P (005010X222A1) interchange."""
    return write_837(batch, numbers, _claim_body, VERSION_837P, production=production)
