"""Reading 835 remittance advice (5010 X221A1, and legacy 4010 X091A1) into remittance records.

Tolerates what real files carry (byte-order marks, CR/LF, indentation, prose before the ISA,
bare segments without an envelope); a malformed amount or a missing element is a located finding,
and the rest of the file is still read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openrcm.core.issue import Issue, Severity
from openrcm.core.memory import collector_paused
from openrcm.interchange.x12.syntax import Parsed, Segment, check_envelopes, decode, parse, x12_date
from openrcm.payer.remittance import (
    ZERO,
    Adjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
    balance,
)


@dataclass(frozen=True, slots=True)
class Read835:
    remittances: tuple[Remittance, ...]
    issues: tuple[Issue, ...]

    def balancing(self, remit: Remittance) -> list[Issue]:
        """The balancing findings (BAL_*) the reader made for the claims of one remittance."""
        ours = {c.patient_control_number for c in remit.claims}
        return [
            i
            for i in self.issues
            if i.code.startswith("BAL_") and (i.location.claim_id in ours or i.code == "BAL_PAYMENT")
        ]


@dataclass(slots=True)
class _Svc:
    seg: Segment
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal | None
    adjustments: list[Adjustment] = field(default_factory=list)
    date: dt.date | None = None
    allowed: Decimal | None = None
    control: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Clp:
    seg: Segment
    values: dict[str, str]
    charge: Decimal
    paid: Decimal
    responsibility: Decimal
    adjustments: list[Adjustment] = field(default_factory=list)
    services: list[_Svc] = field(default_factory=list)
    patient: str = ""
    original: str = ""
    interest: Decimal = ZERO


class _Reader:
    def __init__(self, parsed: Parsed, source: str) -> None:
        self.parsed = parsed
        self.source = source
        self.issues: list[Issue] = list(parsed.issues) + check_envelopes(parsed, source)
        self.remits: list[Remittance] = []

    def amount(self, seg: Segment, n: int, what: str, default: Decimal = ZERO) -> Decimal:
        raw = seg.get(n)
        if not raw:
            return default
        try:
            return Decimal(raw)
        except InvalidOperation:
            self.issues.append(
                Issue(
                    "X12_BAD_AMOUNT",
                    Severity.ERROR,
                    f"{what} {raw!r} is not a number",
                    seg.location(self.source),
                    "835",
                    "X12 R data type",
                )
            )
            return default

    def cas(self, seg: Segment) -> list[Adjustment]:
        group = seg.get(1)
        out: list[Adjustment] = []
        for i in range(2, 20, 3):
            reason = seg.get(i)
            if not reason:
                continue
            qty = seg.get(i + 2)
            out.append(
                Adjustment(
                    group,
                    reason,
                    self.amount(seg, i + 1, f"CAS{i + 1:02d} amount"),
                    Decimal(qty) if qty.replace(".", "", 1).lstrip("-").isdigit() else None,
                )
            )
        return out

    def run(self) -> Read835:
        d = self.parsed.delimiters
        header: dict[str, str] = {}
        bpr: Segment | None = None
        claims: list[_Clp] = []
        plbs: list[ProviderAdjustment] = []
        clp: _Clp | None = None
        svc: _Svc | None = None
        n1 = ""
        st = ""
        version = ""
        for seg in self.parsed.segments:
            sid = seg.id
            if sid == "GS":
                version = seg.get(8)
            elif sid == "ST":
                if bpr is not None or claims:
                    self._finish(header, bpr, claims, plbs, st, version)
                header, bpr, claims, plbs, clp, svc = {}, None, [], [], None, None
                st = seg.get(2)
                if seg.get(3):
                    version = seg.get(3)
            elif sid == "SE":
                self._finish(header, bpr, claims, plbs, st, version)
                header, bpr, claims, plbs, clp, svc = {}, None, [], [], None, None
            elif sid == "BPR":
                bpr = seg
            elif sid == "TRN":
                header["check"] = seg.get(2)
                header.setdefault("payer_id", seg.get(3).lstrip("1") if seg.get(3) else "")
            elif sid == "N1" and clp is None:
                n1 = seg.get(1)
                if n1 == "PR":
                    header["payer_name"] = seg.get(2)
                    if seg.get(4):
                        header["payer_id"] = seg.get(4)
                elif n1 == "PE":
                    header["payee_name"] = seg.get(2)
                    header["payee_id"] = seg.get(4)
            elif sid == "REF" and clp is None and n1 == "PR" and seg.get(1) == "2U":
                header["payer_id"] = seg.get(2)
            elif sid == "CLP":
                svc = None
                clp = _Clp(
                    seg,
                    {
                        "id": seg.get(1),
                        "status": seg.get(2),
                        "filing": seg.get(6),
                        "icn": seg.get(7),
                        "frequency": seg.get(9),
                    },
                    self.amount(seg, 3, "CLP03 charge"),
                    self.amount(seg, 4, "CLP04 payment"),
                    self.amount(seg, 5, "CLP05 patient responsibility"),
                )
                claims.append(clp)
            elif sid == "CAS" and clp is not None:
                (svc.adjustments if svc is not None else clp.adjustments).extend(self.cas(seg))
            elif sid == "NM1" and clp is not None and seg.get(1) == "QC":
                clp.patient = f"{seg.get(3)}, {seg.get(4)}".strip(", ")
            elif sid == "REF" and clp is not None:
                if svc is not None and seg.get(1) == "6R":
                    svc.control = seg.get(2)
                elif svc is None and seg.get(1) == "F8":
                    clp.original = seg.get(2)
            elif sid == "AMT" and clp is not None:
                if svc is not None and seg.get(1) == "B6":
                    svc.allowed = self.amount(seg, 2, "AMT02 allowed")
                elif svc is None and seg.get(1) == "I":
                    clp.interest = self.amount(seg, 2, "AMT02 interest")
            elif sid == "SVC" and clp is not None:
                proc = seg.components(1, d)
                units_raw = seg.get(5)
                svc = _Svc(
                    seg,
                    proc[1] if len(proc) > 1 else "",
                    tuple(m for m in proc[2:6] if m),
                    self.amount(seg, 2, "SVC02 charge"),
                    self.amount(seg, 3, "SVC03 payment"),
                    Decimal(units_raw) if units_raw.replace(".", "", 1).isdigit() else None,
                )
                clp.services.append(svc)
            elif sid == "DTM" and svc is not None and seg.get(1) in ("472", "150"):
                svc.date = x12_date(seg.get(2))
            elif sid == "LQ" and svc is not None:
                svc.remarks.append(seg.get(2))
            elif sid == "PLB":
                clp, svc = None, None
                for i in range(3, 15, 2):
                    if not seg.get(i):
                        continue
                    reason = seg.components(i, d)
                    plbs.append(
                        ProviderAdjustment(
                            seg.get(1),
                            x12_date(seg.get(2)),
                            reason[0],
                            reason[1] if len(reason) > 1 else "",
                            self.amount(seg, i + 1, f"PLB{i + 1:02d} amount"),
                        )
                    )
        if bpr is not None or claims:
            self._finish(header, bpr, claims, plbs, st, version)
        if not self.remits:
            self.issues.append(
                Issue(
                    "835_EMPTY",
                    Severity.ERROR,
                    "no 835 transaction (BPR/CLP) was found",
                    rule_id="835",
                    citation="ASC X12 835",
                )
            )
        return Read835(tuple(self.remits), tuple(self.issues))

    def _finish(
        self,
        header: dict[str, str],
        bpr: Segment | None,
        claims: list[_Clp],
        plbs: list[ProviderAdjustment],
        st: str,
        version: str,
    ) -> None:
        if bpr is None and not claims:
            return
        if bpr is None:
            self.issues.append(
                Issue(
                    "835_NO_BPR",
                    Severity.ERROR,
                    "the 835 has no BPR (payment) segment",
                    claims[0].seg.location(self.source),
                    "835",
                    "ASC X12 835 BPR",
                )
            )
        remit = Remittance(
            payer_id=header.get("payer_id", ""),
            payer_name=header.get("payer_name", ""),
            payee_id=header.get("payee_id", ""),
            payee_name=header.get("payee_name", ""),
            check_number=header.get("check", ""),
            payment_method=bpr.get(4) if bpr is not None else "",
            check_total=self.amount(bpr, 2, "BPR02 total payment") if bpr is not None else ZERO,
            payment_date=x12_date(bpr.get(16)) if bpr is not None else None,
            claims=tuple(
                ClaimPayment(
                    c.values["id"],
                    c.values["status"],
                    c.charge,
                    c.paid,
                    c.responsibility,
                    c.values["filing"],
                    c.values["icn"],
                    c.values["frequency"],
                    tuple(c.adjustments),
                    tuple(
                        ServicePayment(
                            s.code,
                            s.modifiers,
                            s.charge,
                            s.paid,
                            s.units,
                            s.date,
                            tuple(s.adjustments),
                            s.allowed,
                            s.control,
                            tuple(s.remarks),
                            s.seg.position,
                        )
                        for s in c.services
                    ),
                    c.patient,
                    c.original,
                    c.interest,
                    c.seg.position,
                )
                for c in claims
            ),
            provider_adjustments=tuple(plbs),
            control_number=st,
            version=version,
        )
        self.issues.extend(balance(remit, self.source))
        self.remits.append(remit)


def read_835(raw: bytes | str, source: str = "") -> Read835:
    if isinstance(raw, bytes):
        text, issues = decode(raw, source)
    else:
        text, issues = raw, ()
    with collector_paused():
        result = _Reader(parse(text, source), source).run()
    return Read835(result.remittances, issues + result.issues)
