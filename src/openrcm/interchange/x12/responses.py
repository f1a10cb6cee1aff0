"""Readers for what comes back besides the 835: 999 (and 4010 997) acknowledgements, 277CA and
277 claim status, and 271 eligibility responses.

Like the other readers they take whatever real files carry (byte-order marks, indentation, prose
before the ISA, truncated interchanges) and report problems as located Issues, never exceptions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openrcm.core.issue import Issue
from openrcm.core.memory import collector_paused
from openrcm.interchange.x12.syntax import Parsed, Segment, check_envelopes, decode, parse, x12_date


def _open(raw: bytes | str, source: str) -> tuple[Parsed, list[Issue]]:
    text, issues = decode(raw, source) if isinstance(raw, bytes) else (raw, ())
    with collector_paused():
        parsed = parse(text, source)
    return parsed, [*issues, *parsed.issues, *check_envelopes(parsed, source)]


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


# 999 / 997 -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SegmentError:
    segment_id: str  # IK301 / AK301
    position: int  # IK302: segment position in the transaction set
    loop: str  # IK303
    code: str  # IK304: 8 = segment has data element errors, 3 = required segment missing...
    elements: tuple[tuple[str, str], ...]  # (IK401 position, IK403 error code)


@dataclass(frozen=True, slots=True)
class TransactionAck:
    transaction: str  # AK201: 837, 270...
    control_number: str  # AK202: the ST02 acknowledged
    status: str  # IK501: A accepted, E accepted with errors, R rejected
    errors: tuple[SegmentError, ...]

    @property
    def accepted(self) -> bool:
        return self.status in {"A", "E"}


@dataclass(frozen=True, slots=True)
class FunctionalAck:
    group_id: str  # AK101: HC, HS...
    group_control_number: str  # AK102: the GS06 acknowledged
    version: str  # AK103
    transactions: tuple[TransactionAck, ...]
    status: str  # AK901: A, E, P (partially accepted), R
    included: int
    received: int
    accepted: int


@dataclass(frozen=True, slots=True)
class Read999:
    acks: tuple[FunctionalAck, ...]
    issues: tuple[Issue, ...]


def read_999(raw: bytes | str, source: str = "") -> Read999:
    """999 (5010) or 997 (4010) acknowledgements: one FunctionalAck per AK1...AK9."""
    parsed, issues = _open(raw, source)
    acks: list[FunctionalAck] = []
    ak1: Segment | None = None
    sets: list[TransactionAck] = []
    ak2: Segment | None = None
    errors: list[SegmentError] = []
    elements: list[tuple[str, str]] = []
    current: Segment | None = None

    def close_error() -> None:
        nonlocal current, elements
        if current is not None:
            pos = current.get(2)
            errors.append(
                SegmentError(
                    current.get(1), int(pos) if pos.isdigit() else 0, current.get(3), current.get(4), tuple(elements)
                )
            )
        current, elements = None, []

    for seg in parsed.segments:
        sid = seg.id
        if sid == "AK1":
            ak1, sets = seg, []
        elif sid == "AK2":
            ak2, errors = seg, []
        elif sid in {"IK3", "AK3"}:
            close_error()
            current = seg
        elif sid in {"IK4", "AK4"}:
            elements.append((seg.get(1).split(":")[0], seg.get(3)))
        elif sid in {"IK5", "AK5"}:
            close_error()
            if ak2 is not None:
                sets.append(TransactionAck(ak2.get(1), ak2.get(2), seg.get(1), tuple(errors)))
            ak2 = None
        elif sid == "AK9":
            counts = [int(v) if v.isdigit() else 0 for v in (seg.get(2), seg.get(3), seg.get(4))]
            acks.append(
                FunctionalAck(
                    ak1.get(1) if ak1 else "",
                    ak1.get(2) if ak1 else "",
                    ak1.get(3) if ak1 else "",
                    tuple(sets),
                    seg.get(1),
                    *counts,
                )
            )
            ak1, sets = None, []
    return Read999(tuple(acks), tuple(issues))


# 277CA / 277 ----------------------------------------------------------------------------------

HL_LEVELS = {
    "20": "information source",
    "21": "information receiver",
    "19": "provider",
    "22": "subscriber",
    "23": "dependent",
    "PT": "patient",
}


@dataclass(frozen=True, slots=True)
class StatusCode:
    category: str  # STC01-1: A1-A8 acknowledgement, F0-F4 finalized, P0-P5 pending, E0-E4 errors...
    code: str  # STC01-2: claim status code
    entity: str  # STC01-3: the entity the status is about


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    level: str  # the HL level: "information receiver", "provider", "patient"...
    name: str  # NM1 name of that level, as sent (ids, not shown in logs)
    identifier: str  # NM109
    trace: str  # TRN02: our claim id (patient control number) at claim level
    payer_claim_number: str  # REF*1K
    codes: tuple[StatusCode, ...]
    status_date: dt.date | None
    amount: Decimal | None  # STC04: total charge
    paid: Decimal | None  # STC05
    service_date: dt.date | None
    position: int

    @property
    def accepted(self) -> bool:
        return any(c.category in {"A1", "A2", "A5"} for c in self.codes)

    @property
    def rejected(self) -> bool:
        return any(c.category in {"A3", "A4", "A6", "A7", "A8"} for c in self.codes)


@dataclass(frozen=True, slots=True)
class Read277:
    statuses: tuple[ClaimStatus, ...]
    issues: tuple[Issue, ...]

    def categories(self) -> Counter[str]:
        return Counter(c.category for s in self.statuses for c in s.codes)


@dataclass(slots=True)
class _Level:
    level: str
    name: str = ""
    identifier: str = ""
    trace: str = ""
    reference: str = ""
    codes: list[StatusCode] = field(default_factory=list)
    status_date: dt.date | None = None
    amount: Decimal | None = None
    paid: Decimal | None = None
    service_date: dt.date | None = None
    position: int = 0


def _status_codes(seg: Segment) -> list[StatusCode]:
    out: list[StatusCode] = []
    for n in (1, 10, 11):  # STC01, and the optional second and third statuses
        parts = seg.get(n).replace("|", ":").split(":") if seg.get(n) else []
        if parts and parts[0]:
            out.append(StatusCode(parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""))
    return out


def read_277(raw: bytes | str, source: str = "") -> Read277:
    """277CA (X214) and 277 claim status (X212): one ClaimStatus per level that carries an STC."""
    parsed, issues = _open(raw, source)
    statuses: list[ClaimStatus] = []
    level: _Level | None = None

    def flush() -> None:
        if level is not None and level.codes:
            statuses.append(
                ClaimStatus(
                    level.level,
                    level.name,
                    level.identifier,
                    level.trace,
                    level.reference,
                    tuple(level.codes),
                    level.status_date,
                    level.amount,
                    level.paid,
                    level.service_date,
                    level.position,
                )
            )

    for seg in parsed.segments:
        sid = seg.id
        if sid in {"HL", "SE"}:
            flush()
            level = _Level(HL_LEVELS.get(seg.get(3), seg.get(3)), position=seg.position) if sid == "HL" else None
        elif level is None:
            continue
        elif sid == "NM1" and not level.name:
            level.name = " ".join(p for p in (seg.get(3), seg.get(4)) if p)
            level.identifier = seg.get(9)
        elif sid == "TRN":
            level.trace = seg.get(2)
        elif sid == "STC":
            if level.codes and level.level == "patient" and level.trace:
                flush()  # a second claim status under the same patient: keep both
                level.codes = []
            level.codes.extend(_status_codes(seg))
            level.status_date = x12_date(seg.get(2))
            level.amount = _amount(seg.get(4))
            level.paid = _amount(seg.get(5))
        elif sid == "REF" and seg.get(1) == "1K":
            level.reference = seg.get(2)
        elif sid in {"DTP", "DTM"} and seg.get(1) == "472":
            level.service_date = x12_date(seg.get(3))
    flush()
    return Read277(tuple(statuses), tuple(issues))


# 271 -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Benefit:
    info: str  # EB01: 1 active coverage, 6 inactive, C deductible, A co-insurance, B co-payment, G OOP...
    coverage_level: str  # EB02: IND, FAM...
    service_types: tuple[str, ...]  # EB03
    insurance_type: str  # EB04
    plan: str  # EB05
    period: str  # EB06: 23 calendar year, 29 remaining...
    amount: Decimal | None  # EB07
    percent: Decimal | None  # EB08
    in_network: str  # EB12: Y, N, W


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str  # AAA03: 72 invalid member id, 75 subscriber not found...
    follow_up: str  # AAA04
    level: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    member_id: str
    name: str
    level: str  # subscriber or dependent
    benefits: tuple[Benefit, ...]
    rejections: tuple[Rejection, ...]


@dataclass(frozen=True, slots=True)
class Read271:
    members: tuple[Eligibility, ...]
    rejections: tuple[Rejection, ...]  # at the payer or provider level
    issues: tuple[Issue, ...]

    @property
    def benefit_count(self) -> int:
        return sum(len(m.benefits) for m in self.members)

    @property
    def rejection_count(self) -> int:
        return len(self.rejections) + sum(len(m.rejections) for m in self.members)


@dataclass(slots=True)
class _Member:
    level: str
    id: str = ""
    name: str = ""
    benefits: list[Benefit] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def read_271(raw: bytes | str, source: str = "") -> Read271:
    """271 eligibility responses (5010 X279 and 4010 X092): benefits and rejections per member."""
    parsed, issues = _open(raw, source)
    members: list[Eligibility] = []
    other: list[Rejection] = []
    level = ""
    member: _Member | None = None

    def flush() -> None:
        nonlocal member
        if member is not None:
            members.append(
                Eligibility(member.id, member.name, member.level, tuple(member.benefits), tuple(member.rejections))
            )
        member = None

    for seg in parsed.segments:
        sid = seg.id
        if sid == "HL":
            flush()
            level = HL_LEVELS.get(seg.get(3), seg.get(3))
            if seg.get(3) in {"22", "23"}:
                member = _Member(level)
        elif sid == "SE":
            flush()
        elif sid == "NM1" and member is not None and not member.name:
            member.name = " ".join(p for p in (seg.get(3), seg.get(4)) if p)
            member.id = seg.get(9)
        elif sid == "EB" and member is not None:
            member.benefits.append(
                Benefit(
                    seg.get(1),
                    seg.get(2),
                    tuple(seg.get(3).split("^")) if seg.get(3) else (),
                    seg.get(4),
                    seg.get(5),
                    seg.get(6),
                    _amount(seg.get(7)),
                    _amount(seg.get(8)),
                    seg.get(12),
                )
            )
        elif sid == "AAA":
            rejection = Rejection(seg.get(3), seg.get(4), level)
            if member is not None:
                member.rejections.append(rejection)
            else:
                other.append(rejection)
    flush()
    return Read271(tuple(members), tuple(other), tuple(issues))


# 270 / 276 (what a provider asks; read when a clearinghouse or a test sends them back) ---------------


@dataclass(frozen=True, slots=True)
class Inquiry:
    level: str  # subscriber or dependent
    name: str
    member_id: str
    trace: str  # TRN02: the inquirer's trace (270) or the claim id (276)
    birth_date: dt.date | None
    service_types: tuple[str, ...]  # 270 EQ01
    payer_claim_number: str  # 276 REF*1K
    amount: Decimal | None  # 276 AMT*T3
    service_date: dt.date | None


@dataclass(frozen=True, slots=True)
class ReadInquiries:
    inquiries: tuple[Inquiry, ...]
    issues: tuple[Issue, ...]


@dataclass(slots=True)
class _Asked:
    level: str
    name: str = ""
    member_id: str = ""
    trace: str = ""
    birth_date: dt.date | None = None
    service_types: list[str] = field(default_factory=list)
    reference: str = ""
    amount: Decimal | None = None
    service_date: dt.date | None = None


def read_inquiries(raw: bytes | str, source: str = "") -> ReadInquiries:
    """270 eligibility and 276 claim status inquiries: one Inquiry per subscriber or dependent loop."""
    parsed, issues = _open(raw, source)
    out: list[Inquiry] = []
    asked: _Asked | None = None

    def flush() -> None:
        if asked is not None and (asked.trace or asked.name):
            out.append(
                Inquiry(
                    asked.level,
                    asked.name,
                    asked.member_id,
                    asked.trace,
                    asked.birth_date,
                    tuple(asked.service_types),
                    asked.reference,
                    asked.amount,
                    asked.service_date,
                )
            )

    for seg in parsed.segments:
        sid = seg.id
        if sid in {"HL", "SE"}:
            flush()
            level = seg.get(3) if sid == "HL" else ""
            asked = _Asked(HL_LEVELS[level]) if level in {"22", "23"} else None
        elif asked is None:
            continue
        elif sid == "NM1" and seg.get(1) in {"IL", "QC", "03"}:
            asked.name = " ".join(p for p in (seg.get(3), seg.get(4)) if p)
            asked.member_id = seg.get(9) or asked.member_id
        elif sid == "TRN":
            asked.trace = seg.get(2)
        elif sid == "DMG":
            asked.birth_date = x12_date(seg.get(2))
        elif sid == "EQ":
            asked.service_types.append(seg.get(1))
        elif sid == "REF" and seg.get(1) == "1K":
            asked.reference = seg.get(2)
        elif sid == "AMT" and seg.get(1) == "T3":
            asked.amount = _amount(seg.get(2))
        elif sid in {"DTP", "DTM"} and seg.get(1) in {"472", "291"}:
            asked.service_date = x12_date(seg.get(3))
    flush()
    return ReadInquiries(tuple(out), tuple(issues))
