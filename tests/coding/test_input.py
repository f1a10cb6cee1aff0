"""Bad input gets a finding, never a traceback; a FHIR Bundle is read like a note."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

from openrcm.coding.coder import Coder
from openrcm.coding.evaluate import evaluate, in_gold_terms, load_cmc2007
from openrcm.interchange.fhir.note_bundle import read_note_bundle

from .conftest import ctx


def test_bad_notes_are_findings(coder: Coder) -> None:
    assert coder.code("", ctx()).findings[0].code == "NOTE_EMPTY"
    assert coder.code("abc\x00def", ctx()).findings[0].code == "NOTE_BINARY"
    assert coder.code("x" * 2_000_000, ctx()).findings[0].code == "NOTE_TOO_LARGE"
    spanish = "Paciente de 45 años con dolor torácico. Diagnóstico: neumonía adquirida en la comunidad. " * 3
    assert coder.code(spanish, ctx()).findings[0].code == "NOTE_NOT_ENGLISH"


def test_a_date_no_release_covers_is_a_finding(coder: Coder) -> None:
    from dataclasses import replace

    enc = coder.code("Assessment: Hypertension.", replace(ctx(), date_of_service=dt.date(2024, 1, 5)))
    assert enc.diagnoses == () and enc.findings[0].code == "ICD10CM_NO_RELEASE"


def _bundle(note: str) -> str:
    return json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1969-03-02"}},
                {
                    "resource": {
                        "resourceType": "Encounter",
                        "id": "e1",
                        "status": "finished",
                        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                        "period": {"start": "2026-06-12T09:00:00Z"},
                    }
                },
                {
                    "resource": {
                        "resourceType": "DocumentReference",
                        "id": "d1",
                        "status": "current",
                        "content": [
                            {
                                "attachment": {
                                    "contentType": "text/plain",
                                    "data": base64.b64encode(note.encode()).decode(),
                                }
                            }
                        ],
                    }
                },
            ],
        }
    )


def test_fhir_bundle_with_a_document_reference(coder: Coder) -> None:
    found = read_note_bundle(_bundle("Assessment/Plan:\n1. HTN - continue lisinopril 10 mg.\n"))
    assert found.context is not None and not found.issues
    assert found.context.age == 57 and found.context.sex == "F"
    assert found.context.date_of_service == dt.date(2026, 6, 12)
    enc = coder.code(found.note, found.context)
    assert [d.code for d in enc.diagnoses] == ["I10"]


def test_bad_bundles_are_findings() -> None:
    assert read_note_bundle("{not json").issues[0].code == "FHIR_NOT_JSON"
    assert read_note_bundle('{"resourceType": "Patient"}').issues[0].code == "FHIR_NOT_BUNDLE"
    missing = read_note_bundle(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}))
    assert {i.code for i in missing.issues} >= {"FHIR_NO_NOTE", "FHIR_CONTEXT_MISSING"}


def test_cmc2007_reports_are_scored_by_icd10cm_category(coder: Coder, fixtures: Path) -> None:
    cases = list(load_cmc2007(fixtures / "cmc2007"))
    assert [c.icd10cm for c in cases] == [("J18",), ("ICD9:999.99",)]  # the majority code only; unmapped kept
    assert cases[0].note.startswith("Clinical history: Seven year old") and "Impression: Pneumonia." in cases[0].note
    scores = evaluate(coder, iter(cases)).result()
    assert scores["n"] == 2
    assert scores["icd10cm_micro_recall"] == 0.5  # J18.9 counts as J18; the unmapped ICD-9 code is a miss
    # one code each, so each has a first-listed code; no procedure or E/M gold, so none is measured
    assert scores["first_listed_n"] == 2 and scores["first_listed_accuracy"] == 0.5
    assert scores["procedure_f1"] is None and scores["em_exact"] is None


def test_a_code_under_a_gold_code_no_longer_complete_agrees_with_it(coder: Coder) -> None:
    """CodiEsp's 2018 gold writes "R51" (since expanded to R51.0/R51.9) and drops 7th characters."""
    release = coder.code_sets.icd10cm.releases[-1]
    gold = {"R51", "T14.8", "I10"}
    carried, n = in_gold_terms(["R51.9", "T14.8XXA", "I10", "R05.9", "I10"], gold, release.is_billable)
    assert carried == ["R51", "T14.8", "I10", "R05.9"] and n == 2
    # a complete gold code is matched exactly: I10 is billable, so nothing under it is carried to it
    assert in_gold_terms(["I11.0"], {"I10"}, release.is_billable)[0] == ["I11.0"]
