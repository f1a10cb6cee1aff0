"""A clinical note delivered as a FHIR R4 Bundle: the note (DocumentReference or Composition),
its Encounter and its Patient become the coder's input.

The models are fhir.resources' R4B classes (R4B is wire-compatible with R4 for these resources).
Problems with the Bundle are reported as findings with the entry that holds them; nothing here
raises for bad input.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from openrcm.coding.model import EncounterContext, Setting
from openrcm.core.issue import Issue, Location, Severity

_INPATIENT_CLASSES = {"IMP", "ACUTE", "NONAC", "inpatient"}


@dataclass(frozen=True, slots=True)
class NoteInput:
    note: str
    context: EncounterContext | None
    issues: tuple[Issue, ...]


def _issue(code: str, message: str, where: str = "") -> Issue:
    return Issue(code, Severity.ERROR, message, Location(segment=where or None), "fhir", "HL7 FHIR R4")


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _text_of_attachment(attachment: Any) -> str | None:
    data = getattr(attachment, "data", None)
    if data:
        try:
            raw = data if isinstance(data, bytes) else base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            return None
        if raw[:1] in (b"{", b"[") or b"\x00" in raw:
            return None
        return raw.decode("utf-8", errors="replace")
    return None


def _narrative(div: str | None) -> str:
    if not div:
        return ""
    text = re.sub(r"<br\s*/?>|</p>|</div>|</li>", "\n", div)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def read_note_bundle(text: str, *, new_patient: bool = False, place_of_service: str = "11") -> NoteInput:
    """Read a Bundle (JSON) holding a DocumentReference or Composition, an Encounter and a Patient."""
    # fhir.resources takes a moment to import; only commands that read FHIR pay for it
    from fhir.resources.R4B.bundle import Bundle  # noqa: PLC0415
    from fhir.resources.R4B.composition import Composition  # noqa: PLC0415
    from fhir.resources.R4B.documentreference import DocumentReference  # noqa: PLC0415
    from fhir.resources.R4B.encounter import Encounter  # noqa: PLC0415
    from fhir.resources.R4B.patient import Patient  # noqa: PLC0415

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return NoteInput("", None, (_issue("FHIR_NOT_JSON", f"not JSON: {exc.msg} at line {exc.lineno}"),))
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        return NoteInput("", None, (_issue("FHIR_NOT_BUNDLE", "the file is not a FHIR Bundle"),))
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return NoteInput("", None, (_issue("FHIR_INVALID", f"not a valid R4 Bundle: {first.get('msg')}", where),))
    issues: list[Issue] = []
    note = ""
    patient: Any = None
    encounter: Any = None
    for n, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        if resource is None:
            continue
        if isinstance(resource, Patient):
            patient = resource
        elif isinstance(resource, Encounter):
            encounter = resource
        elif isinstance(resource, DocumentReference) and not note:
            for content in resource.content or []:
                found = _text_of_attachment(content.attachment)
                if found:
                    note = found
                    break
            if not note:
                issues.append(
                    _issue(
                        "FHIR_NOTE_UNREADABLE",
                        "the DocumentReference carries no inline text/plain attachment",
                        f"entry[{n}]",
                    )
                )
        elif isinstance(resource, Composition) and not note:
            parts = [_narrative(s.text.div) if s.text else "" for s in resource.section or []]
            titles = [s.title or "" for s in resource.section or []]
            note = "\n\n".join(f"{t}:\n{p}" if t else p for t, p in zip(titles, parts, strict=True) if p)
    if not note:
        issues.append(_issue("FHIR_NO_NOTE", "the Bundle holds no DocumentReference or Composition with text"))
    if encounter is None or patient is None:
        issues.append(
            _issue("FHIR_CONTEXT_MISSING", "the Bundle needs an Encounter and a Patient for the coding context")
        )
        return NoteInput(note, None, tuple(issues))
    start = encounter.period.start if encounter.period and encounter.period.start else None
    if start is None:
        issues.append(_issue("FHIR_NO_DATE", "the Encounter has no period.start (the date of service)", "Encounter"))
        return NoteInput(note, None, tuple(issues))
    dos = start.date() if isinstance(start, dt.datetime) else dt.date.fromisoformat(str(start)[:10])
    birth = patient.birthDate
    if birth is None:
        issues.append(
            _issue("FHIR_NO_BIRTHDATE", "the Patient has no birthDate (age drives preventive codes)", "Patient")
        )
        return NoteInput(note, None, tuple(issues))
    birth_date = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(str(birth)[:10])
    sex = {"female": "F", "male": "M"}.get(patient.gender or "", "U")
    klass = getattr(encounter, "class_fhir", None) or getattr(encounter, "class", None)
    code = getattr(klass, "code", "") or ""
    setting = Setting.INPATIENT if code in _INPATIENT_CLASSES else Setting.OUTPATIENT
    ctx = EncounterContext(setting, dos, _age(birth_date, dos), sex, new_patient, place_of_service)
    return NoteInput(note, ctx, tuple(issues))
