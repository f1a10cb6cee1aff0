"""The coder: a clinical note becomes a CodedEncounter, with the evidence and rule behind every code."""

from openrcm.coding.model import (
    Assertion,
    CodedDiagnosis,
    CodedEncounter,
    CodedProcedure,
    EncounterContext,
    EvaluationAndManagement,
    Evidence,
    NotCoded,
    PhysicianQuery,
    Setting,
)

__all__ = [
    "Assertion",
    "CodedDiagnosis",
    "CodedEncounter",
    "CodedProcedure",
    "EncounterContext",
    "EvaluationAndManagement",
    "Evidence",
    "NotCoded",
    "PhysicianQuery",
    "Setting",
]
