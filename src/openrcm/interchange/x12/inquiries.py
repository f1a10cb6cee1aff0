"""Write 270 eligibility inquiries (005010X279A1) and 276 claim status inquiries (005010X212).

pyx12 ships no maps for these guides, so the tests check them against the structure of the
corpus's real 270/276 files and read the payers' answers (271/277) with our readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openrcm.claims.model import Claim, Coverage, Patient, Provider, Relationship
from openrcm.interchange.x12.envelope import ControlNumbers, SegmentWriter, amount, clean, d8, wrap
from openrcm.interchange.x12.x837p import provider_name


def _person(w: SegmentWriter, qualifier: str, last: str, first: str, member_id: str = "") -> None:
    if member_id:
        w.add("NM1", qualifier, "1", clean(last), clean(first), "", "", "", "MI", clean(member_id))
    else:
        w.add("NM1", qualifier, "1", clean(last), clean(first))


def write_270(
    inquiries: Sequence[tuple[Patient, Coverage, dt.date]],
    provider: Provider,
    submitter_id: str,
    numbers: ControlNumbers,
    when: dt.datetime,
    service_types: tuple[str, ...] = ("30",),
) -> str:
    """One 270 asking each patient's payer about coverage on a date (EQ 30: health benefit plan coverage)."""
    w = SegmentWriter()
    w.add("BHT", "0022", "13", f"E{when:%y%m%d%H%M}", d8(when.date()), when.strftime("%H%M"))
    hl = 0
    by_payer: dict[str, list[tuple[Patient, Coverage, dt.date]]] = {}
    for item in inquiries:
        by_payer.setdefault(item[1].payer.id, []).append(item)
    for group in by_payer.values():
        hl += 1
        payer_hl = hl
        w.add("HL", str(payer_hl), "", "20", "1")
        w.add("NM1", "PR", "2", clean(group[0][1].payer.name), "", "", "", "", "PI", clean(group[0][1].payer.id))
        hl += 1
        provider_hl = hl
        w.add("HL", str(provider_hl), str(payer_hl), "21", "1")
        provider_name(w, "1P", provider)
        for n, (patient, coverage, day) in enumerate(group, start=1):
            hl += 1
            subscriber_hl = hl
            dependent = coverage.relationship != Relationship.SELF
            w.add("HL", str(subscriber_hl), str(provider_hl), "22", "1" if dependent else "0")
            w.add("TRN", "1", f"{when:%y%m%d}{n:05d}", f"9{submitter_id}"[:10])
            sub = coverage.subscriber
            _person(w, "IL", sub.last_name, sub.first_name, coverage.member_id)
            if not dependent and sub.birth_date:
                w.add("DMG", "D8", d8(sub.birth_date), sub.sex)
            if not dependent:
                w.add("DTP", "291", "D8", d8(day))
                for code in service_types:
                    w.add("EQ", code)
                continue
            hl += 1
            w.add("HL", str(hl), str(subscriber_hl), "23", "0")
            person = patient.person
            _person(w, "03", person.last_name, person.first_name)
            if person.birth_date:
                w.add("DMG", "D8", d8(person.birth_date), person.sex)
            w.add("DTP", "291", "D8", d8(day))
            for code in service_types:
                w.add("EQ", code)
    return wrap(
        [w.segments],
        sender=submitter_id,
        receiver=inquiries[0][1].payer.id if inquiries else "",
        functional_id="HS",
        version="005010X279A1",
        numbers=numbers,
        when=when,
    )


def write_276(
    claims: Sequence[Claim],
    submitter: tuple[str, str],
    numbers: ControlNumbers,
    when: dt.datetime,
    payer_claim_numbers: dict[str, str] | None = None,
) -> str:
    """One 276 asking the status of each claim (TRN = our claim id, REF*1K = the payer's number when known)."""
    w = SegmentWriter()
    w.add("BHT", "0010", "13", f"S{when:%y%m%d%H%M}", d8(when.date()), when.strftime("%H%M"))
    hl = 0
    known = payer_claim_numbers or {}
    by_payer: dict[str, list[Claim]] = {}
    for claim in claims:
        by_payer.setdefault(claim.coverage.payer.id, []).append(claim)
    submitter_id, submitter_name = submitter
    for group in by_payer.values():
        payer = group[0].coverage.payer
        hl += 1
        payer_hl = hl
        w.add("HL", str(payer_hl), "", "20", "1")
        w.add("NM1", "PR", "2", clean(payer.name), "", "", "", "", "PI", clean(payer.id))
        hl += 1
        receiver_hl = hl
        w.add("HL", str(receiver_hl), str(payer_hl), "21", "1")
        w.add("NM1", "41", "2", clean(submitter_name), "", "", "", "", "46", clean(submitter_id))
        by_provider: dict[str, list[Claim]] = {}
        for claim in group:
            by_provider.setdefault(claim.billing.npi, []).append(claim)
        for provider_claims in by_provider.values():
            billing = provider_claims[0].billing
            hl += 1
            provider_hl = hl
            w.add("HL", str(provider_hl), str(receiver_hl), "19", "1")
            provider_name(w, "1P", billing)
            for claim in provider_claims:
                hl += 1
                cov = claim.coverage
                dependent = cov.relationship != Relationship.SELF
                w.add("HL", str(hl), str(provider_hl), "22", "1" if dependent else "0")
                sub = cov.subscriber
                if not dependent and sub.birth_date:
                    w.add("DMG", "D8", d8(sub.birth_date), sub.sex)
                _person(w, "IL", sub.last_name, sub.first_name, cov.member_id)
                if dependent:
                    hl += 1
                    w.add("HL", str(hl), str(hl - 1), "23")
                    person = claim.patient.person
                    if person.birth_date:
                        w.add("DMG", "D8", d8(person.birth_date), person.sex)
                    _person(w, "QC", person.last_name, person.first_name)
                w.add("TRN", "1", clean(claim.id))
                if claim.id in known:
                    w.add("REF", "1K", clean(known[claim.id]))
                w.add("REF", "EJ", clean(claim.patient.id))
                w.add("AMT", "T3", amount(claim.total_charge))
                w.add("DTP", "472", "RD8", f"{d8(claim.service_date)}-{d8(claim.through_date)}")
    return wrap(
        [w.segments],
        sender=submitter_id,
        receiver=claims[0].coverage.payer.id if claims else "",
        functional_id="HR",
        version="005010X212",
        numbers=numbers,
        when=when,
    )
