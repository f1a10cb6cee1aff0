"""The CodedEncounter as JSON (a stable shape for scripts) ."""

from __future__ import annotations

from typing import Any

from openrcm.coding.model import CodedEncounter
from openrcm.core.issue import Issue


def _evidence(items: Any) -> list[dict[str, Any]]:
    return [{"start": e.start, "end": e.end, "text": e.text, "section": e.section} for e in items]


def _issue(issue: Issue) -> dict[str, Any]:
    return {
        "code": issue.code,
        "severity": issue.severity.value,
        "message": issue.message,
        "location": issue.location.describe(),
        "rule_id": issue.rule_id,
        "citation": issue.citation,
    }


def encounter_json(enc: CodedEncounter) -> dict[str, Any]:
    ctx = enc.context
    return {
        "context": {
            "setting": ctx.setting.value,
            "date_of_service": ctx.date_of_service.isoformat(),
            "age": ctx.age,
            "sex": ctx.sex,
            "new_patient": ctx.new_patient,
            "place_of_service": ctx.place_of_service,
        },
        "release": enc.release,
        "diagnoses": [
            {
                "sequence": n,
                "code": d.code,
                "title": d.title,
                "assertion": d.assertion.value,
                "confidence": d.confidence,
                "evidence": _evidence(d.evidence),
                "index_path": list(d.index_path),
                "notes_applied": list(d.notes_applied),
                "reason": d.reason,
                "sequence_reason": d.sequence_reason,
            }
            for n, d in enumerate(enc.diagnoses, start=1)
        ],
        "procedures": [
            {
                "code": p.code,
                "description": p.description,
                "modifiers": list(p.modifiers),
                "units": p.units,
                "diagnosis_pointers": list(p.diagnosis_pointers),
                "evidence": _evidence(p.evidence),
                "reason": p.reason,
            }
            for p in enc.procedures
        ],
        "em_code": enc.em.code,
        "em": {
            "code": enc.em.code,
            "method": enc.em.method,
            "mdm_level": enc.em.mdm_level,
            "total_minutes": enc.em.total_minutes,
            "elements": [{"element": e.element, "level": e.level, "reasons": list(e.reasons)} for e in enc.em.elements],
            "reasoning": list(enc.em.reasoning),
        },
        "queries": [
            {"topic": q.topic, "question": q.question, "evidence": _evidence(q.evidence), "affects": list(q.affects)}
            for q in enc.queries
        ],
        "not_coded": [{"text": n.text, "reason": n.reason, "evidence": _evidence(n.evidence)} for n in enc.not_coded],
        "findings": [_issue(i) for i in enc.findings],
    }
