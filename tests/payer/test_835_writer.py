"""Our 835 writer: pyx12 accepts it, and our reader gives back exactly what was written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openrcm.claims.model import Address
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r835 import read_835
from openrcm.interchange.x12.x835 import PayerParty, write_835
from openrcm.payer.remittance import balance
from x12check import pyx12_accepts

REMIT = Path(__file__).parent.parent / "fixtures" / "remit"
PAYER = PayerParty("ACME HEALTH PLAN", "ACMEHEALTH", Address("PO BOX 500", "CHICAGO", "IL", "606010500"))


def test_write_read_round_trip_and_pyx12() -> None:
    for name in ("worked_10_7.835", "reversal_correction.835", "c100.835"):
        (original,) = read_835((REMIT / name).read_text(), name).remittances
        text = write_835(
            [original], PAYER, "RIVERSIDEFM", ControlNumbers(), dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
        )
        ok, ack = pyx12_accepts(text)
        assert ok, (name, ack)
        result = read_835(text, "ours.835")
        (again,) = result.remittances
        assert balance(again) == balance(original)
        assert again.check_total == original.check_total and again.plb_total == original.plb_total
        for a, b in zip(again.claims, original.claims, strict=True):
            assert a.adjustments_by_group_reason() == b.adjustments_by_group_reason()
            assert (a.patient_control_number, a.status, a.charge, a.paid, a.patient_responsibility) == (
                b.patient_control_number,
                b.status,
                b.charge,
                b.paid,
                b.patient_responsibility,
            )
            assert [(s.code, s.modifiers, s.paid, s.allowed, s.remarks) for s in a.services] == [
                (s.code, s.modifiers, s.paid, s.allowed, s.remarks) for s in b.services
            ]
            assert a.original_reference == b.original_reference
