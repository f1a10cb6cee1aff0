"""FHIR R4 Claim: our Claim out (validated by the fhir.resources R4B models) and R4 Claims in.

The Claim written is self-contained: Patient, Coverage and the billing Organization are contained
resources, diagnoses are ICD-10-CM, items CPT/HCPCS with modifiers. Claims read from other systems
(the official R4 examples among them) keep what our model holds; what they leave out (a patient's
name behind a reference, say) is reported, not invented.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from openrcm.claims.model import (
    ChargeLine,
    Claim,
    ClaimKind,
    Coverage,
    Patient,
    Payer,
    Person,
    Provider,
)
from openrcm.core.issue import Issue, Location, Severity

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NPI = "http://hl7.org/fhir/sid/us-npi"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"


def _money(value: Decimal) -> dict[str, Any]:
    return {"value": value, "currency": "USD"}


def claim_to_fhir(claim: Claim) -> dict[str, Any]:
    """A FHIR R4 Claim resource (as a dict), validated by the R4B model before it is returned."""
    from fhir.resources.R4B.claim import Claim as FhirClaim  # noqa: PLC0415 - slow import, FHIR commands only

    person = claim.patient.person
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "patient",
        "identifier": [{"value": claim.patient.id}],
        "name": [{"family": person.last_name, "given": [person.first_name]}],
        "gender": {"F": "female", "M": "male"}.get(person.sex, "unknown"),
    }
    if person.birth_date:
        patient["birthDate"] = person.birth_date.isoformat()
    organization = {
        "resourceType": "Organization",
        "id": "billing",
        "name": claim.billing.last_name_or_org,
        "identifier": [{"system": NPI, "value": claim.billing.npi}],
    }
    payer = {
        "resourceType": "Organization",
        "id": "payer",
        "name": claim.coverage.payer.name,
        "identifier": [{"value": claim.coverage.payer.id}],
    }
    coverage = {
        "resourceType": "Coverage",
        "id": "coverage",
        "status": "active",
        "subscriberId": claim.coverage.member_id,
        "beneficiary": {"reference": "#patient"},
        "relationship": {"coding": [{"code": "self" if claim.coverage.relationship.value == "18" else "other"}]},
        "payor": [{"reference": "#payer"}],
    }
    resource: dict[str, Any] = {
        "resourceType": "Claim",
        "id": claim.id,
        "contained": [patient, organization, payer, coverage],
        "identifier": [{"value": claim.id}],
        "status": "cancelled" if claim.frequency == "8" else "active",
        "type": {
            "coding": [
                {
                    "system": CLAIM_TYPE,
                    "code": "professional" if claim.kind == ClaimKind.PROFESSIONAL else "institutional",
                }
            ]
        },
        "use": "claim",
        "patient": {"reference": "#patient"},
        "created": claim.service_date.isoformat(),
        "provider": {"reference": "#billing"},
        "priority": {"coding": [{"code": "normal"}]},
        "diagnosis": [
            {"sequence": n, "diagnosisCodeableConcept": {"coding": [{"system": ICD10, "code": code}]}}
            for n, code in enumerate(claim.diagnoses, start=1)
        ],
        "insurance": [
            {
                "sequence": 1,
                "focal": True,
                "coverage": {"reference": "#coverage"},
                **({"preAuthRef": [claim.prior_authorization]} if claim.prior_authorization else {}),
            }
        ],
        "item": [
            {
                "sequence": n,
                "diagnosisSequence": list(line.diagnosis_pointers),
                "productOrService": {
                    "coding": [{"system": HCPCS if line.code[:1].isalpha() else CPT, "code": line.code}]
                },
                **({"modifier": [{"coding": [{"code": m}]} for m in line.modifiers]} if line.modifiers else {}),
                "servicedDate": (line.service_date or claim.service_date).isoformat(),
                "locationCodeableConcept": {
                    "coding": [{"system": POS, "code": line.place_of_service or claim.place_of_service}]
                },
                "quantity": {"value": line.units},
                "unitPrice": _money((line.charge / line.units).quantize(Decimal("0.01"))),
                "net": _money(line.charge),
            }
            for n, line in enumerate(claim.lines, start=1)
        ],
        "total": _money(claim.total_charge),
    }
    if claim.frequency in ("7", "8") and claim.original_claim_number:
        resource["related"] = [
            {"reference": {"value": claim.original_claim_number}, "relationship": {"coding": [{"code": "prior"}]}}
        ]
    model = FhirClaim.model_validate(resource)
    out: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return out


def _issue(code: str, message: str, where: str, severity: Severity = Severity.WARNING) -> Issue:
    return Issue(code, severity, message, Location(segment=where), "fhir", "HL7 FHIR R4 Claim")


def claim_from_fhir(text: str, source: str = "") -> tuple[Claim | None, tuple[Issue, ...]]:
    """Read a FHIR R4 Claim (JSON) into our model."""
    from fhir.resources.R4B.claim import Claim as FhirClaim  # noqa: PLC0415

    issues: list[Issue] = []
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return None, (_issue("FHIR_NOT_JSON", f"not JSON: {exc.msg} at line {exc.lineno}", source, Severity.ERROR),)
    try:
        model = FhirClaim.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return None, (_issue("FHIR_INVALID", f"not a valid R4 Claim: {first.get('msg')}", where, Severity.ERROR),)
    contained = {getattr(r, "id", None): r for r in (model.contained or [])}
    kind_code = model.type.coding[0].code if model.type and model.type.coding else "professional"
    kind = ClaimKind.INSTITUTIONAL if kind_code == "institutional" else ClaimKind.PROFESSIONAL
    if kind_code not in ("professional", "institutional"):
        issues.append(_issue("FHIR_CLAIM_TYPE", f"claim type {kind_code!r} is read as professional", "Claim.type"))
    patient_ref = model.patient.reference or ""
    patient_res: Any = contained.get(patient_ref.lstrip("#")) if patient_ref.startswith("#") else None
    person = Person("", "")
    if patient_res is not None and getattr(patient_res, "name", None):
        name = patient_res.name[0]
        person = Person(
            name.family or "",
            (name.given or [""])[0],
            patient_res.birthDate,
            {"female": "F", "male": "M"}.get(patient_res.gender or "", "U"),
        )
    else:
        issues.append(
            _issue(
                "FHIR_PATIENT_REFERENCE",
                f"patient {patient_ref or '(none)'} is a reference; its name and birth date are not in the Claim",
                "Claim.patient",
            )
        )
    diagnoses: list[str] = []
    for dx in model.diagnosis or []:
        concept = dx.diagnosisCodeableConcept
        coding = concept.coding[0] if concept and concept.coding else None
        if coding is not None and coding.code:
            diagnoses.append(coding.code)
            if coding.system not in (ICD10, None) and coding.system:
                issues.append(
                    _issue(
                        "FHIR_DX_SYSTEM",
                        f"diagnosis {coding.code} is from {coding.system}",
                        f"Claim.diagnosis[{dx.sequence}]",
                    )
                )
    lines: list[ChargeLine] = []
    for item in model.item or []:
        code = item.productOrService.coding[0].code if item.productOrService.coding else ""
        quantity = (
            Decimal(str(item.quantity.value)) if item.quantity and item.quantity.value is not None else Decimal(1)
        )
        net = (
            item.net.value
            if item.net and item.net.value is not None
            else (item.unitPrice.value * quantity if item.unitPrice and item.unitPrice.value is not None else None)
        )
        if net is None:
            issues.append(
                _issue(
                    "FHIR_ITEM_NO_PRICE",
                    f"item {item.sequence} has no net or unit price",
                    f"Claim.item[{item.sequence}]",
                )
            )
        served = item.servicedDate or (
            item.servicedPeriod.start.date() if item.servicedPeriod and item.servicedPeriod.start else None
        )
        mods = tuple(m.coding[0].code for m in item.modifier or [] if m.coding and m.coding[0].code)
        pos = (
            item.locationCodeableConcept.coding[0].code
            if item.locationCodeableConcept and item.locationCodeableConcept.coding
            else ""
        )
        lines.append(
            ChargeLine(
                code or "",
                Decimal(str(net or 0)).quantize(Decimal("0.01")),
                quantity,
                mods,
                tuple(int(s) for s in (item.diagnosisSequence or [1]) if s is not None),
                served if isinstance(served, dt.date) else None,
                pos or "",
            )
        )
    service_date = next((ln.service_date for ln in lines if ln.service_date), None) or (
        model.created if isinstance(model.created, dt.date) else dt.date.min
    )
    insurance = model.insurance[0] if model.insurance else None
    member = insurance.identifier.value if insurance is not None and insurance.identifier else ""
    coverage = Coverage(Payer(model.insurer.reference or "" if model.insurer else "", ""), member or "", person)
    provider = Provider("", model.provider.reference or "" if model.provider else "")
    identifier = model.identifier[0].value if model.identifier else model.id
    claim = Claim(
        id=str(identifier or ""),
        kind=kind,
        patient=Patient(patient_ref, person),
        coverage=coverage,
        billing=provider,
        service_date=service_date,
        diagnoses=tuple(diagnoses),
        lines=tuple(lines),
        place_of_service=next((ln.place_of_service for ln in lines if ln.place_of_service), "11"),
        prior_authorization=str(insurance.preAuthRef[0] or "")
        if insurance is not None and insurance.preAuthRef
        else "",
    )
    return claim, tuple(issues)
