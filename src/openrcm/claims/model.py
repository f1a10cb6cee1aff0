"""The claim model: who, for whom, to whom, and what was done, as immutable records.

One model serves the 837P (CMS-1500) and the 837I (UB-04); ``Claim.kind`` says which, and the
fields that only one of them uses are optional. Money is Decimal, dates of service are dates.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal


class ClaimKind(enum.StrEnum):
    PROFESSIONAL = "professional"  # 837P / CMS-1500
    INSTITUTIONAL = "institutional"  # 837I / UB-04


class Relationship(enum.StrEnum):
    """Patient's relationship to the subscriber (X12 individual relationship code)."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    OTHER = "G8"


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    state: str
    postal_code: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    last_name: str
    first_name: str
    birth_date: dt.date | None = None
    sex: str = "U"  # F, M, U
    address: Address | None = None
    middle_name: str = ""


@dataclass(frozen=True, slots=True)
class Patient:
    id: str  # the practice's account number (CLM01 is built from it)
    person: Person


@dataclass(frozen=True, slots=True)
class Payer:
    id: str  # payer id at the clearinghouse (NM109 of 2010BB)
    name: str
    filing_indicator: str = "CI"  # SBR09: CI commercial, MB Medicare Part B, MC Medicaid, BL BCBS, HM HMO...
    timely_filing_days: int = 365
    address: Address | None = None
    contract: str = ""  # the name of the contract in the practice's pricing configuration


@dataclass(frozen=True, slots=True)
class Coverage:
    payer: Payer
    member_id: str
    subscriber: Person
    relationship: Relationship = Relationship.SELF
    group_number: str = ""
    group_name: str = ""
    priority: str = "P"  # P primary, S secondary, T tertiary
    start: dt.date | None = None
    end: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Provider:
    npi: str
    last_name_or_org: str
    first_name: str = ""
    entity: str = "2"  # 1 person, 2 organization
    taxonomy: str = ""
    tax_id: str = ""  # EIN (REF*EI) or SSN (REF*SY)
    address: Address | None = None
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ChargeLine:
    code: str  # CPT/HCPCS (837P) or HCPCS with a revenue code (837I)
    charge: Decimal
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    diagnosis_pointers: tuple[int, ...] = (1,)
    service_date: dt.date | None = None  # None: the claim's date of service
    place_of_service: str = ""  # empty: the claim's
    ndc: str = ""
    ndc_quantity: Decimal | None = None
    ndc_unit: str = ""  # UN, ML, GR, F2, ME
    revenue_code: str = ""  # 837I
    rendering: Provider | None = None
    line_control: str = ""  # REF*6R, echoed back on the 835

    def __post_init__(self) -> None:
        if isinstance(self.charge, float) or isinstance(self.units, float):
            raise TypeError("ChargeLine money and units must be Decimal, not float")


@dataclass(frozen=True, slots=True)
class PriorLine:
    """How an earlier payer adjudicated one line (837 loop 2430)."""

    line_number: int  # 1-based position of the line on this claim
    code: str
    modifiers: tuple[str, ...]
    units: Decimal
    paid: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]  # (group, CARC, amount)
    adjudicated: dt.date


@dataclass(frozen=True, slots=True)
class PriorAdjudication:
    """An earlier payer's decision on this claim, sent to the next payer (837 loops 2320/2330/2430)."""

    coverage: Coverage  # the earlier payer's coverage (subscriber, member id, payer)
    paid: Decimal  # AMT*D
    patient_responsibility: Decimal  # AMT*EAF: what the earlier payer left to the patient
    adjustments: tuple[tuple[str, str, Decimal], ...]  # claim-level CAS (group, CARC, amount)
    lines: tuple[PriorLine, ...]
    payer_claim_number: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    id: str  # patient control number (CLM01)
    kind: ClaimKind
    patient: Patient
    coverage: Coverage
    billing: Provider
    service_date: dt.date
    diagnoses: tuple[str, ...]  # ICD-10-CM with the dot, in sequence (first = principal / first-listed)
    lines: tuple[ChargeLine, ...]
    place_of_service: str = "11"  # 837P facility code; 837I uses type_of_bill
    frequency: str = "1"  # 1 original, 7 replacement, 8 void
    original_claim_number: str = ""  # payer claim control number, required for 7 and 8 (REF*F8)
    rendering: Provider | None = None
    referring: Provider | None = None
    facility: Provider | None = None
    prior_authorization: str = ""  # REF*G1
    clia_number: str = ""  # REF*X4
    type_of_bill: str = ""  # 837I, e.g. "0131"
    statement_end: dt.date | None = None  # 837I statement covers through
    admission_date: dt.date | None = None
    other_coverages: tuple[Coverage, ...] = ()
    prior_adjudications: tuple[PriorAdjudication, ...] = ()  # for secondary and tertiary claims
    notes: tuple[str, ...] = field(default=())

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))

    @property
    def through_date(self) -> dt.date:
        dates = [line.service_date or self.service_date for line in self.lines] or [self.service_date]
        return max(dates + ([self.statement_end] if self.statement_end else []))


@dataclass(frozen=True, slots=True)
class ClaimBatch:
    claims: tuple[Claim, ...]
    submitter_id: str
    submitter_name: str
    receiver_id: str
    receiver_name: str
    created: dt.datetime
