"""What the coder produces: a CodedEncounter whose every code carries its evidence and its reason."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from openrcm.core.issue import Issue


class Setting(enum.StrEnum):
    OUTPATIENT = "outpatient"
    INPATIENT = "inpatient"


class Assertion(enum.StrEnum):
    """How the note asserts a condition (domain-rules §1.1)."""

    PRESENT = "present"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"
    HISTORICAL = "historical"
    FAMILY = "family"
    HYPOTHETICAL = "hypothetical"


@dataclass(frozen=True, slots=True)
class EncounterContext:
    setting: Setting
    date_of_service: dt.date
    age: int
    sex: str  # "F", "M" or "U"
    new_patient: bool = False
    place_of_service: str = "11"
    age_months: int | None = None  # for infants, when the note gives it


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the note (character offsets) and the section it sits in."""

    start: int
    end: int
    text: str
    section: str


@dataclass(frozen=True, slots=True)
class CodedDiagnosis:
    code: str
    title: str
    evidence: tuple[Evidence, ...]
    index_path: tuple[str, ...]
    notes_applied: tuple[str, ...]
    assertion: Assertion
    confidence: float
    reason: str  # the guideline behind its inclusion
    sequence_reason: str  # the guideline behind its place


@dataclass(frozen=True, slots=True)
class CodedProcedure:
    code: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    diagnosis_pointers: tuple[int, ...]  # 1-based positions in the diagnosis list, at most 4
    evidence: tuple[Evidence, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ElementScore:
    """One MDM element (problems, data, risk) with its level and the reasons for it."""

    element: str
    level: str  # "minimal", "straightforward", "low", "moderate", "high"
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvaluationAndManagement:
    code: str | None
    method: str  # "mdm", "time", "preventive", "nurse" (99211), "none"
    mdm_level: str
    elements: tuple[ElementScore, ...]
    total_minutes: int | None
    reasoning: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhysicianQuery:
    topic: str
    question: str
    evidence: tuple[Evidence, ...]
    affects: tuple[str, ...]  # the codes the answer may change


@dataclass(frozen=True, slots=True)
class NotCoded:
    text: str
    reason: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class CodedEncounter:
    context: EncounterContext
    diagnoses: tuple[CodedDiagnosis, ...]
    procedures: tuple[CodedProcedure, ...]
    em: EvaluationAndManagement
    queries: tuple[PhysicianQuery, ...]
    not_coded: tuple[NotCoded, ...]
    findings: tuple[Issue, ...]
    release: str

    @property
    def em_code(self) -> str | None:
        return self.em.code
