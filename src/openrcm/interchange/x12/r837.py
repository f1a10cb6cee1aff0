"""Reading 837P and 837I claims (5010, and legacy 4010) into the claim model.

One pass over the segments with the HL hierarchy (20 billing provider, 22 subscriber, 23 patient)
and the claim (CLM) and line (LX) loops. What a claim lacks or carries malformed becomes an Issue
located at the segment, and the claim is still returned with what could be read, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from openrcm.claims.model import (
    Address,
    ChargeLine,
    Claim,
    ClaimKind,
    Coverage,
    Patient,
    Payer,
    Person,
    Provider,
    Relationship,
)
from openrcm.core.issue import Issue, Severity
from openrcm.core.memory import collector_paused
from openrcm.interchange.x12.syntax import Delimiters, Parsed, Segment, check_envelopes, decode, parse, x12_date

_NO_LINE: ChargeLine | None = None
ICD10_QUALIFIERS = {"ABK", "ABF", "ABJ", "ABN", "APR", "BBR", "BBQ"}
ICD9_QUALIFIERS = {"BK", "BF", "BJ", "BN", "BP", "BR", "BQ", "PR", "DR"}


@dataclass(frozen=True, slots=True)
class Read837:
    claims: tuple[Claim, ...]
    issues: tuple[Issue, ...]
    transactions: int
    version: str


@dataclass(slots=True)
class _Entity:
    qualifier: str = ""
    last: str = ""
    first: str = ""
    middle: str = ""
    id_qualifier: str = ""
    id: str = ""
    entity_type: str = "2"
    address_lines: list[str] = field(default_factory=list)
    city: str = ""
    state: str = ""
    postal: str = ""
    birth: dt.date | None = None
    sex: str = "U"
    taxonomy: str = ""
    tax_id: str = ""

    def address(self) -> Address | None:
        if not (self.address_lines or self.city):
            return None
        return Address(
            self.address_lines[0] if self.address_lines else "",
            self.city,
            self.state,
            self.postal,
            self.address_lines[1] if len(self.address_lines) > 1 else "",
        )

    def person(self) -> Person:
        return Person(self.last, self.first, self.birth, self.sex, self.address(), self.middle)

    def provider(self) -> Provider:
        return Provider(self.id, self.last, self.first, self.entity_type, self.taxonomy, self.tax_id, self.address())


def _copy(target: _Entity, source: _Entity, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


def _dotted(code: str) -> str:
    code = code.strip().upper()
    return code if len(code) <= 3 or "." in code else f"{code[:3]}.{code[3:]}"


@dataclass(slots=True)
class _ClaimDraft:
    segment: Segment
    id: str
    total: Decimal | None
    facility_code: str
    frequency: str
    billing: _Entity
    subscriber: _Entity
    payer: _Entity
    patient: _Entity | None
    relationship: str
    sbr: Segment | None
    diagnoses: list[str] = field(default_factory=list)
    lines: list[ChargeLine] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    rendering: _Entity | None = None
    referring: _Entity | None = None
    facility: _Entity | None = None
    statement: tuple[dt.date | None, dt.date | None] = (None, None)
    admission: dt.date | None = None
    other: list[tuple[Segment, _Entity, _Entity]] = field(default_factory=list)


class _Reader:
    def __init__(self, parsed: Parsed, source: str) -> None:
        self.parsed = parsed
        self.d: Delimiters = parsed.delimiters
        self.source = source
        self.issues: list[Issue] = list(parsed.issues) + check_envelopes(parsed, source)
        self.claims: list[Claim] = []
        self.kind = ClaimKind.PROFESSIONAL
        self.version = ""

    def issue(self, code: str, message: str, seg: Segment, severity: Severity = Severity.ERROR) -> None:
        self.issues.append(
            Issue(code, severity, message, seg.location(self.source), "837", "ASC X12 005010X222A1 / X223A2")
        )

    def money(self, value: str, seg: Segment, what: str) -> Decimal | None:
        try:
            return Decimal(value) if value else None
        except InvalidOperation:
            self.issue("X12_BAD_AMOUNT", f"{what} {value!r} is not a number", seg)
            return None

    def run(self) -> Read837:
        billing = _Entity()
        subscriber = _Entity()
        payer = _Entity()
        patient: _Entity | None = None
        relationship = Relationship.SELF.value
        sbr: Segment | None = None
        current: _Entity | None = None
        claim: _ClaimDraft | None = None
        line: ChargeLine | None = None
        level = ""
        transactions = 0
        other_sub: _Entity | None = None
        other_payer: _Entity | None = None
        in_other = False
        for seg in self.parsed.segments:
            sid = seg.id
            if sid == "GS":
                self.version = seg.get(8)
                self.kind = (
                    ClaimKind.INSTITUTIONAL
                    if "X223" in self.version or "X096" in self.version
                    else ClaimKind.PROFESSIONAL
                )
            elif sid == "ST":
                transactions += 1
                if seg.get(3):
                    self.version = seg.get(3)
                    if "X223" in self.version or "X096" in self.version:
                        self.kind = ClaimKind.INSTITUTIONAL
            elif sid in ("SE", "GE", "IEA"):
                line = self._close_line(claim, line)
                self._close(claim)
                claim = None
            elif sid == "HL":
                line = self._close_line(claim, line)
                self._close(claim)
                claim = None
                in_other = False
                level = seg.get(3)
                if level == "20":
                    billing = _Entity()
                    current = billing
                elif level == "22":
                    subscriber, payer, patient = _Entity(), _Entity(), None
                    relationship = Relationship.SELF.value
                    current = subscriber
                elif level == "23":
                    patient = _Entity()
                    current = patient
            elif sid == "SBR":
                if claim is not None:
                    in_other = True
                    other_sub, other_payer = _Entity(), _Entity()
                    claim.other.append((seg, other_sub, other_payer))
                else:
                    sbr = seg
                    if seg.get(2):
                        relationship = seg.get(2)
            elif sid == "PAT":
                relationship = seg.get(1) or relationship
            elif sid == "PRV":
                target = current if current is not None else billing
                target.taxonomy = seg.get(3)
            elif sid == "NM1":
                entity = self._nm1(seg)
                q = entity.qualifier
                if in_other and claim is not None and claim.other:
                    seg0, osub, opay = claim.other[-1]
                    current = osub if q == "IL" else opay if q == "PR" else entity
                    if q == "IL":
                        claim.other[-1] = (seg0, entity, opay)
                    elif q == "PR":
                        claim.other[-1] = (seg0, osub, entity)
                    continue
                if q == "85":
                    _copy(billing, entity, ("last", "first", "id", "entity_type", "id_qualifier", "middle"))
                    current = billing
                elif q == "IL":
                    _copy(subscriber, entity, ("last", "first", "id", "middle"))
                    current = subscriber
                elif q == "PR":
                    _copy(payer, entity, ("last", "id"))
                    current = payer
                elif q == "QC" and patient is not None:
                    _copy(patient, entity, ("last", "first", "middle"))
                    current = patient
                elif claim is not None and q in ("82", "DN", "DK", "77", "FA", "71"):
                    if line is not None and q == "82":
                        line = replace(line, rendering=entity.provider())
                    elif q in {"82", "71"}:
                        claim.rendering = entity
                    elif q in ("DN", "DK"):
                        claim.referring = entity
                    else:
                        claim.facility = entity
                    current = entity
                else:
                    current = entity
            elif sid == "N3" and current is not None:
                current.address_lines = [seg.get(1), seg.get(2)] if seg.get(2) else [seg.get(1)]
            elif sid == "N4" and current is not None:
                current.city, current.state, current.postal = seg.get(1), seg.get(2), seg.get(3)
            elif sid == "DMG" and current is not None:
                current.birth = x12_date(seg.get(2))
                current.sex = seg.get(3) or "U"
            elif sid == "REF":
                qualifier, value = seg.get(1), seg.get(2)
                if claim is None and current is billing and qualifier in ("EI", "SY"):
                    billing.tax_id = value
                elif line is not None and qualifier == "6R":
                    line = replace(line, line_control=value)
                elif claim is not None and line is None:
                    claim.refs[qualifier] = value
            elif sid == "CLM":
                line = self._close_line(claim, line)
                self._close(claim)
                parts = seg.components(5, self.d)
                claim = _ClaimDraft(
                    segment=seg,
                    id=seg.get(1),
                    total=self.money(seg.get(2), seg, "CLM02 total charge"),
                    facility_code=(parts[0] if parts else ""),
                    frequency=(parts[2] if len(parts) > 2 else "1"),
                    billing=billing,
                    subscriber=subscriber,
                    payer=payer,
                    patient=patient,
                    relationship=relationship,
                    sbr=sbr,
                )
                if not seg.get(1):
                    self.issue("CLM_NO_ID", "CLM01 (patient control number) is empty", seg)
                in_other = False
                current = None
            elif sid == "DTP" and claim is not None:
                qualifier, value = seg.get(1), seg.get(3)
                if line is not None and qualifier == "472":
                    line = replace(line, service_date=x12_date(value))
                elif qualifier == "434":
                    ends = value.split("-")
                    claim.statement = (x12_date(ends[0]), x12_date(ends[-1]))
                elif qualifier == "435":
                    claim.admission = x12_date(value)
                elif qualifier in ("472",) and line is None:
                    claim.statement = (x12_date(value), x12_date(value.split("-")[-1]))
            elif sid == "HI" and claim is not None:
                for n in range(1, len(seg.elements) + 1):
                    comp = seg.components(n, self.d)
                    if len(comp) < 2 or not comp[1]:
                        continue
                    if comp[0] in ICD10_QUALIFIERS:
                        claim.diagnoses.append(_dotted(comp[1]))
                    elif comp[0] in ICD9_QUALIFIERS:
                        claim.diagnoses.append(comp[1])  # ICD-9-CM (4010): kept as sent
            elif sid == "LX" and claim is not None:
                line = self._close_line(claim, line)
            elif sid in ("SV1", "SV2") and claim is not None:
                line = self._close_line(claim, line)
                line = self._service(seg, sid)
            elif sid == "LIN" and line is not None and seg.get(2) == "N4":
                line = replace(line, ndc=seg.get(3))
            elif sid == "CTP" and line is not None:
                qty = self.money(seg.get(4), seg, "CTP04 quantity")
                line = replace(line, ndc_quantity=qty, ndc_unit=seg.components(5, self.d)[0] if seg.get(5) else "")
        line = self._close_line(claim, line)
        self._close(claim)
        if not self.claims and not any(i.severity == Severity.ERROR for i in self.issues):
            self.issues.append(
                Issue("837_NO_CLAIMS", Severity.WARNING, "no CLM segment found", rule_id="837", citation="ASC X12 837")
            )
        return Read837(tuple(self.claims), tuple(self.issues), transactions, self.version)

    def _nm1(self, seg: Segment) -> _Entity:
        return _Entity(
            qualifier=seg.get(1),
            entity_type=seg.get(2) or "2",
            last=seg.get(3),
            first=seg.get(4),
            middle=seg.get(5),
            id_qualifier=seg.get(8),
            id=seg.get(9),
        )

    def _service(self, seg: Segment, sid: str) -> ChargeLine | None:
        if sid == "SV1":
            proc = seg.components(1, self.d)
            charge, units_text, pos = seg.get(2), seg.get(4), seg.get(5)
            pointers = tuple(int(p) for p in seg.components(7, self.d) if p.isdigit())
            revenue = ""
        else:
            revenue = seg.get(1)
            proc = seg.components(2, self.d)
            charge, units_text, pos = seg.get(3), seg.get(5), ""
            pointers = (1,)
        amount = self.money(charge, seg, f"{sid} line charge")
        units = self.money(units_text, seg, f"{sid} units") if units_text else Decimal(1)
        code = proc[1] if len(proc) > 1 else ""
        if not code and not revenue:
            self.issue("LINE_NO_CODE", f"{sid} has no procedure code", seg)
        return ChargeLine(
            code=code,
            charge=amount if amount is not None else Decimal("0.00"),
            units=units if units is not None else Decimal(1),
            modifiers=tuple(m for m in proc[2:6] if m),
            diagnosis_pointers=pointers or (1,),
            place_of_service=pos,
            revenue_code=revenue,
        )

    def _close_line(self, claim: _ClaimDraft | None, line: ChargeLine | None) -> ChargeLine | None:
        """File the open service line under its claim; the reader then has no open line."""
        if claim is not None and line is not None:
            claim.lines.append(line)
        return _NO_LINE

    def _close(self, draft: _ClaimDraft | None) -> None:
        if draft is None:
            return
        seg = draft.segment
        if not draft.diagnoses and self.kind == ClaimKind.PROFESSIONAL:
            self.issue("CLM_NO_DIAGNOSIS", f"claim {draft.id}: no HI diagnosis codes", seg)
        if not draft.lines:
            self.issue("CLM_NO_LINES", f"claim {draft.id}: no service lines", seg)
        if not draft.billing.id:
            self.issue("CLM_NO_BILLING_NPI", f"claim {draft.id}: billing provider NPI (2010AA NM109) is missing", seg)
        total = sum((ln.charge for ln in draft.lines), Decimal(0))
        if draft.total is not None and draft.lines and total != draft.total:
            self.issue(
                "CLM_TOTAL_MISMATCH",
                f"claim {draft.id}: CLM02 {draft.total} is not the sum of its lines {total}",
                seg,
                Severity.WARNING,
            )
        subscriber = draft.subscriber.person()
        patient_person = draft.patient.person() if draft.patient is not None else subscriber
        payer = Payer(draft.payer.id, draft.payer.last, draft.sbr.get(9) if draft.sbr is not None else "")
        relationship = next((r for r in Relationship if r.value == draft.relationship), Relationship.OTHER)
        coverage = Coverage(
            payer,
            draft.subscriber.id,
            subscriber,
            relationship,
            group_number=draft.sbr.get(3) if draft.sbr is not None else "",
            priority=draft.sbr.get(1) if draft.sbr is not None else "P",
        )
        others = tuple(
            Coverage(
                Payer(opay.id, opay.last, s.get(9)),
                osub.id,
                osub.person(),
                next((r for r in Relationship if r.value == s.get(2)), Relationship.OTHER),
                s.get(3),
                priority=s.get(1),
            )
            for s, osub, opay in draft.other
        )
        statement_start, statement_end = draft.statement
        dates = [ln.service_date for ln in draft.lines if ln.service_date]
        service_date = statement_start or (min(dates) if dates else None)
        if service_date is None:
            self.issue("CLM_NO_DATE", f"claim {draft.id}: no service date (DTP*472 or DTP*434)", seg)
            service_date = dt.date.min
        institutional = self.kind == ClaimKind.INSTITUTIONAL
        self.claims.append(
            Claim(
                id=draft.id,
                kind=self.kind,
                patient=Patient(draft.id, patient_person),
                coverage=coverage,
                billing=draft.billing.provider(),
                service_date=service_date,
                diagnoses=tuple(draft.diagnoses),
                lines=tuple(draft.lines),
                place_of_service="" if institutional else draft.facility_code,
                frequency=draft.frequency or "1",
                original_claim_number=draft.refs.get("F8", ""),
                rendering=draft.rendering.provider() if draft.rendering else None,
                referring=draft.referring.provider() if draft.referring else None,
                facility=draft.facility.provider() if draft.facility else None,
                prior_authorization=draft.refs.get("G1", ""),
                clia_number=draft.refs.get("X4", ""),
                type_of_bill=f"0{draft.facility_code}{draft.frequency}" if institutional else "",
                statement_end=statement_end,
                admission_date=draft.admission,
                other_coverages=others,
            )
        )


def read_837(text: str, source: str = "") -> Read837:
    with collector_paused():
        return _Reader(parse(text, source), source).run()


def read_837_bytes(raw: bytes, source: str = "") -> Read837:
    """Read an 837 file as it arrives (any encoding ``decode`` knows)."""
    text, issues = decode(raw, source)
    result = read_837(text, source)
    return Read837(result.claims, issues + result.issues, result.transactions, result.version)
