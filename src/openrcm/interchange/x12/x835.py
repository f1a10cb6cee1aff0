"""Write 835 remittance advice (005010X221A1), as the sandbox payer answers and the benchmarks need.

The reader (`r835`) is the other half; a round trip through both must give back the same
Remittance, and pyx12 must accept what this writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openrcm.claims.model import Address
from openrcm.interchange.x12.envelope import ControlNumbers, SegmentWriter, amount, clean, d8, quantity, wrap
from openrcm.payer.remittance import Adjustment, ClaimPayment, Remittance

VERSION = "005010X221A1"


@dataclass(frozen=True, slots=True)
class PayerParty:
    """The payer as the 835's 1000A loop names it (N1, N3, N4 and the business contact)."""

    name: str
    id: str  # the payer's identification (TRN03 as 1 + tax id, N1*PR*XV)
    address: Address
    tax_id: str = "1999999999"  # TRN03: 1 followed by the payer's EIN
    phone: str = "8005550100"


def _cas(w: SegmentWriter, adjustments: Sequence[Adjustment]) -> None:
    groups: dict[str, list[Adjustment]] = {}
    for adj in adjustments:
        groups.setdefault(adj.group, []).append(adj)
    for group, items in groups.items():
        for start in range(0, len(items), 6):  # a CAS holds up to six reason/amount/quantity triples
            elements: list[str] = []
            for adj in items[start : start + 6]:
                elements += [adj.reason, amount(adj.amount), quantity(adj.quantity) if adj.quantity else ""]
            w.add("CAS", group, *elements)


def _claim(w: SegmentWriter, c: ClaimPayment, place_of_service: str) -> None:
    w.add(
        "CLP",
        c.patient_control_number,
        c.status,
        amount(c.charge),
        amount(c.paid),
        amount(c.patient_responsibility) if c.patient_responsibility else "",
        c.filing_indicator or "12",
        c.payer_claim_control_number,
        place_of_service,
        c.frequency or "1",
    )
    _cas(w, c.adjustments)
    last, _, first = c.patient_name.partition(", ")
    w.add("NM1", "QC", "1", clean(last) or "UNKNOWN", clean(first))
    if c.original_reference:
        w.add("REF", "F8", c.original_reference)
    if c.interest:
        w.add("AMT", "I", amount(c.interest))
    for s in c.services:
        w.add(
            "SVC",
            ":".join(["HC", s.code, *s.modifiers]),
            amount(s.charge),
            amount(s.paid),
            "",
            quantity(s.units) if s.units is not None else "1",
        )
        if s.service_date:
            w.add("DTM", "472", d8(s.service_date))
        _cas(w, s.adjustments)
        if s.control_number:
            w.add("REF", "6R", s.control_number)
        if s.allowed is not None:
            w.add("AMT", "B6", amount(s.allowed))
        for remark in s.remarks:
            w.add("LQ", "HE", remark)


def transaction_835(remit: Remittance, payer: PayerParty, *, place_of_service: str = "11") -> list[str]:
    """The segments of one 835 between ST and SE."""
    w = SegmentWriter()
    paid = remit.payment_date or dt.date.today()  # noqa: DTZ011 - a remittance always carries its date in practice
    method = remit.payment_method or ("NON" if not remit.check_total else "CHK")
    w.add("BPR", "I" if remit.check_total else "H", amount(remit.check_total), "C", method, *([""] * 11), d8(paid))
    w.add("TRN", "1", remit.check_number, payer.tax_id)
    w.add("DTM", "405", d8(paid))
    w.add("N1", "PR", clean(payer.name), "XV", payer.id)
    w.add("N3", clean(payer.address.line1))
    w.add("N4", clean(payer.address.city), payer.address.state, payer.address.postal_code)
    w.add("PER", "BL", "EDI SUPPORT", "TE", payer.phone)
    w.add("N1", "PE", clean(remit.payee_name), "XX", remit.payee_id)
    if remit.claims:
        w.add("LX", "1")
    for c in remit.claims:
        _claim(w, c, place_of_service)
    plbs = list(remit.provider_adjustments)
    for start in range(0, len(plbs), 6):
        chunk = plbs[start : start + 6]
        elements: list[str] = []
        for p in chunk:
            elements += [f"{p.reason}:{p.reference}" if p.reference else p.reason, amount(p.amount)]
        fiscal = chunk[0].fiscal_date or dt.date(paid.year, 12, 31)
        w.add("PLB", remit.payee_id, d8(fiscal), *elements)
    return w.segments


def write_835(
    remits: Sequence[Remittance], payer: PayerParty, receiver: str, numbers: ControlNumbers, when: dt.datetime
) -> str:
    """An interchange with one 835 transaction per remittance."""
    return wrap(
        [transaction_835(r, payer) for r in remits],
        sender=payer.id,
        receiver=receiver,
        functional_id="HP",
        version=VERSION,
        numbers=numbers,
        when=when,
    )
