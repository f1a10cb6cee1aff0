"""Write 277CA claim acknowledgements (005010X214): which claims of a batch the payer took in.

An accepted claim gets STC*A2:20 (accepted for processing) and the payer's claim number; a
rejected one STC*A3 with the reason, so the biller fixes it before the payer ever adjudicates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openrcm.claims.model import Claim
from openrcm.interchange.x12.envelope import ControlNumbers, SegmentWriter, amount, clean, wrap
from openrcm.interchange.x12.x835 import PayerParty
from openrcm.interchange.x12.x837p import provider_name

VERSION = "005010X214"


@dataclass(frozen=True, slots=True)
class ClaimAck:
    claim: Claim
    accepted: bool
    payer_claim_number: str = ""
    status_code: str = "20"  # 20 accepted for processing; e.g. 21 missing/invalid information when rejected
    entity: str = ""  # the entity the rejection is about (IL subscriber, 85 billing provider...)


def write_277ca(
    acks: Sequence[ClaimAck],
    payer: PayerParty,
    submitter: tuple[str, str],
    numbers: ControlNumbers,
    when: dt.datetime,
    batch_reference: str,
) -> str:
    """One 277CA transaction acknowledging every claim of a received batch."""
    w = SegmentWriter()
    day = when.strftime("%Y%m%d")
    zero = Decimal("0.00")

    def totals(items: Sequence[ClaimAck], qty_ok: str, qty_bad: str) -> None:
        ok = [a for a in items if a.accepted]
        bad = [a for a in items if not a.accepted]
        if ok:
            w.add("QTY", qty_ok, str(len(ok)))
        if bad:
            w.add("QTY", qty_bad, str(len(bad)))
        if ok:
            w.add("AMT", "YU", amount(sum((a.claim.total_charge for a in ok), zero)))
        if bad:
            w.add("AMT", "YY", amount(sum((a.claim.total_charge for a in bad), zero)))

    w.add("BHT", "0085", "08", batch_reference, day, when.strftime("%H%M"), "TH")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", clean(payer.name), "", "", "", "", "PI", payer.id)
    w.add("TRN", "1", batch_reference)
    w.add("DTP", "050", "D8", day)
    w.add("DTP", "009", "D8", day)
    w.add("HL", "2", "1", "21", "1")
    submitter_id, submitter_name = submitter
    w.add("NM1", "41", "2", clean(submitter_name), "", "", "", "", "46", submitter_id)
    w.add("TRN", "2", batch_reference)
    w.add("STC", "A1:19:PR", day, "WQ", amount(sum((a.claim.total_charge for a in acks), zero)))
    totals(acks, "90", "AA")
    hl = 2
    by_provider: dict[str, list[ClaimAck]] = {}
    for ack in acks:
        by_provider.setdefault(ack.claim.billing.npi, []).append(ack)
    for items in by_provider.values():
        hl += 1
        provider_hl = hl
        billing = items[0].claim.billing
        w.add("HL", str(provider_hl), "2", "19", "1")
        provider_name(w, "85", billing)
        w.add("TRN", "1", "0")
        w.add("STC", "A1:19:PR", "", "WQ", amount(sum((a.claim.total_charge for a in items), zero)))
        if billing.tax_id:
            w.add("REF", "TJ", billing.tax_id)
        totals(items, "QA", "QC")
        for ack in items:
            hl += 1
            claim = ack.claim
            person = claim.patient.person
            w.add("HL", str(hl), str(provider_hl), "PT")
            w.add(
                "NM1",
                "QC",
                "1",
                clean(person.last_name),
                clean(person.first_name),
                "",
                "",
                "",
                "MI",
                claim.coverage.member_id,
            )
            w.add("TRN", "2", claim.id)
            if ack.accepted:
                w.add("STC", f"A2:{ack.status_code}:PR", day, "WQ", amount(claim.total_charge))
                if ack.payer_claim_number:
                    w.add("REF", "1K", ack.payer_claim_number)
            else:
                code = f"A3:{ack.status_code}" + (f":{ack.entity}" if ack.entity else "")
                w.add("STC", code, day, "U", amount(claim.total_charge))
            start, end = claim.service_date, claim.through_date
            w.add("DTP", "472", "RD8", f"{start:%Y%m%d}-{end:%Y%m%d}")
    return wrap(
        [w.segments],
        sender=payer.id,
        receiver=submitter_id,
        functional_id="HN",
        version=VERSION,
        numbers=numbers,
        when=when,
    )
