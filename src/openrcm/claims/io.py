"""Claims in and out of JSON, and superbills (one row per service line) from CSV.

A bad field is reported with the claim and field it concerns (never a traceback, never a value
silently dropped): ``ClaimInputError`` carries every problem found.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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
from openrcm.claims.practice import Practice
from openrcm.core.errors import OpenRCMError
from openrcm.core.money import to_money


class ClaimInputError(OpenRCMError):
    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:8]) + (f"; and {len(problems) - 8} more" if len(problems) > 8 else "")
        super().__init__(f"{source}: {shown}")


def _address(a: Address | None) -> dict[str, str] | None:
    if a is None:
        return None
    return {"line1": a.line1, "line2": a.line2, "city": a.city, "state": a.state, "postal_code": a.postal_code}


def _person(p: Person) -> dict[str, Any]:
    return {
        "last_name": p.last_name,
        "first_name": p.first_name,
        "middle_name": p.middle_name,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "sex": p.sex,
        "address": _address(p.address),
    }


def _provider(p: Provider | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "npi": p.npi,
        "name": p.last_name_or_org,
        "first_name": p.first_name,
        "entity": p.entity,
        "taxonomy": p.taxonomy,
        "tax_id": p.tax_id,
        "address": _address(p.address),
        "phone": p.phone,
    }


def _coverage(c: Coverage) -> dict[str, Any]:
    return {
        "payer": {
            "id": c.payer.id,
            "name": c.payer.name,
            "filing_indicator": c.payer.filing_indicator,
            "timely_filing_days": c.payer.timely_filing_days,
            "contract": c.payer.contract,
        },
        "member_id": c.member_id,
        "subscriber": _person(c.subscriber),
        "relationship": c.relationship.value,
        "group_number": c.group_number,
        "priority": c.priority,
    }


def claim_to_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind.value,
        "frequency": c.frequency,
        "original_claim_number": c.original_claim_number,
        "service_date": c.service_date.isoformat(),
        "place_of_service": c.place_of_service,
        "patient": {"id": c.patient.id, **_person(c.patient.person)},
        "coverage": _coverage(c.coverage),
        "billing": _provider(c.billing),
        "rendering": _provider(c.rendering),
        "referring": _provider(c.referring),
        "facility": _provider(c.facility),
        "prior_authorization": c.prior_authorization,
        "clia_number": c.clia_number,
        "type_of_bill": c.type_of_bill,
        "diagnoses": list(c.diagnoses),
        "total_charge": str(c.total_charge),
        "lines": [
            {
                "code": ln.code,
                "modifiers": list(ln.modifiers),
                "units": str(ln.units),
                "charge": str(ln.charge),
                "diagnosis_pointers": list(ln.diagnosis_pointers),
                "service_date": ln.service_date.isoformat() if ln.service_date else None,
                "place_of_service": ln.place_of_service,
                "ndc": ln.ndc,
                "revenue_code": ln.revenue_code,
                "line_control": ln.line_control,
            }
            for ln in c.lines
        ],
    }


class _Fields:
    """Reads typed fields from a dict, collecting every problem with where it is."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems

    def text(self, data: dict[str, Any], key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.problems.append(f"{self.where}: {key} is missing")
            return ""
        return str(value).strip()

    def date(self, data: dict[str, Any], key: str, *, required: bool = True) -> dt.date | None:
        value = self.text(data, key, required=required)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{self.where}: {key} {value!r} is not a date (YYYY-MM-DD)")
            return None

    def money(self, data: dict[str, Any], key: str) -> Decimal | None:
        value = data.get(key)
        if isinstance(value, float):
            value = repr(value)
        try:
            return to_money(str(value)) if value not in (None, "") else None
        except ValueError:
            self.problems.append(f"{self.where}: {key} {value!r} is not an amount")
            return None


def _address_from(data: dict[str, Any] | None) -> Address | None:
    if not data:
        return None
    return Address(
        str(data.get("line1", "")),
        str(data.get("city", "")),
        str(data.get("state", "")),
        str(data.get("postal_code", "")),
        str(data.get("line2", "")),
    )


def _person_from(f: _Fields, data: dict[str, Any]) -> Person:
    return Person(
        f.text(data, "last_name"),
        f.text(data, "first_name"),
        f.date(data, "birth_date", required=False),
        (f.text(data, "sex", required=False) or "U").upper(),
        _address_from(data.get("address")),
        f.text(data, "middle_name", required=False),
    )


def _provider_from(f: _Fields, data: dict[str, Any] | None) -> Provider | None:
    if not data:
        return None
    return Provider(
        f.text(data, "npi"),
        f.text(data, "name"),
        f.text(data, "first_name", required=False),
        str(data.get("entity", "2")),
        f.text(data, "taxonomy", required=False),
        f.text(data, "tax_id", required=False),
        _address_from(data.get("address")),
        f.text(data, "phone", required=False),
    )


def claim_from_dict(data: dict[str, Any], where: str, practice: Practice | None, problems: list[str]) -> Claim | None:
    f = _Fields(where, problems)
    before = len(problems)
    cov = data.get("coverage") or {}
    payer_data = cov.get("payer") or {}
    payer_id = _Fields(f"{where} payer", problems).text(payer_data, "id")
    known = practice.payer(payer_id) if practice else None
    payer = known or Payer(
        payer_id,
        str(payer_data.get("name", payer_id)),
        str(payer_data.get("filing_indicator", "CI")),
        int(payer_data.get("timely_filing_days", 365)),
        None,
        str(payer_data.get("contract", "")),
    )
    patient_data = data.get("patient") or {}
    patient_person = _person_from(_Fields(f"{where} patient", problems), patient_data)
    subscriber_data = cov.get("subscriber")
    subscriber = (
        _person_from(_Fields(f"{where} subscriber", problems), subscriber_data) if subscriber_data else patient_person
    )
    relationship = next((r for r in Relationship if r.value == str(cov.get("relationship", "18"))), None)
    if relationship is None:
        problems.append(f"{where}: relationship {cov.get('relationship')!r} is not 18, 01, 19 or G8")
        relationship = Relationship.SELF
    coverage = Coverage(
        payer,
        f.text(cov, "member_id"),
        subscriber,
        relationship,
        str(cov.get("group_number", "")),
        priority=str(cov.get("priority", "P")),
    )
    billing = _provider_from(f, data.get("billing")) or (practice.billing if practice else None)
    if billing is None:
        problems.append(f"{where}: billing provider is missing")
    service_date = f.date(data, "service_date")
    lines: list[ChargeLine] = []
    for n, raw in enumerate(data.get("lines") or [], start=1):
        lf = _Fields(f"{where} line {n}", problems)
        code = lf.text(raw, "code")
        mods = tuple(str(m).strip().upper() for m in raw.get("modifiers", []) if str(m).strip())
        charge = lf.money(raw, "charge")
        if charge is None and practice is not None:
            charge = practice.chargemaster.price(code, mods)
            if charge is None:
                problems.append(f"{where} line {n}: {code} has no charge and no chargemaster price")
        try:
            units = Decimal(str(raw.get("units", "1")))
            pointers = tuple(int(p) for p in raw.get("diagnosis_pointers", [1]))
        except (InvalidOperation, ValueError):
            problems.append(f"{where} line {n}: units or diagnosis_pointers are not numbers")
            continue
        if charge is not None and charge is not raw.get("charge") and "charge" not in raw:
            charge = charge * units
        lines.append(
            ChargeLine(
                code,
                charge or Decimal("0.00"),
                units,
                mods,
                pointers,
                lf.date(raw, "service_date", required=False),
                str(raw.get("place_of_service", "")),
                str(raw.get("ndc", "")),
                revenue_code=str(raw.get("revenue_code", "")),
                line_control=str(raw.get("line_control", "") or f"{n:03d}"),
            )
        )
    if not lines:
        problems.append(f"{where}: no service lines")
    if len(problems) > before or billing is None or service_date is None:
        return None
    return Claim(
        id=f.text(data, "id"),
        kind=ClaimKind(str(data.get("kind", "professional"))),
        patient=Patient(str(patient_data.get("id", data.get("id", ""))), patient_person),
        coverage=coverage,
        billing=billing,
        service_date=service_date,
        diagnoses=tuple(str(d).strip() for d in data.get("diagnoses", [])),
        lines=tuple(lines),
        place_of_service=str(data.get("place_of_service", "11")),
        frequency=str(data.get("frequency", "1")),
        original_claim_number=str(data.get("original_claim_number", "")),
        rendering=_provider_from(f, data.get("rendering")) or (practice.rendering if practice else None),
        referring=_provider_from(f, data.get("referring")),
        facility=_provider_from(f, data.get("facility")),
        prior_authorization=str(data.get("prior_authorization", "")),
        clia_number=str(
            data.get("clia_number", "")
            or (practice.clia_number if practice and any(ln.code[:1] == "8" for ln in lines) else "")
        ),
        type_of_bill=str(data.get("type_of_bill", "")),
    )


def read_claims_json(text: str, source: str, practice: Practice | None = None) -> list[Claim]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClaimInputError(source, [f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"]) from None
    items = data.get("claims") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ClaimInputError(source, ['expected a list of claims or {"claims": [...]}'])
    problems: list[str] = []
    claims = [
        c
        for n, item in enumerate(items, start=1)
        if (c := claim_from_dict(item if isinstance(item, dict) else {}, f"claim {n}", practice, problems))
    ]
    if problems:
        raise ClaimInputError(source, problems)
    return claims


SUPERBILL_COLUMNS = (
    "claim_id",
    "patient_id",
    "patient_last",
    "patient_first",
    "patient_dob",
    "patient_sex",
    "payer_id",
    "member_id",
    "service_date",
    "diagnoses",
    "code",
)


def read_superbill_csv(text: str, source: str, practice: Practice) -> list[Claim]:
    """One row per service line; rows with the same claim_id form a claim. Diagnoses are ';'-separated."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in SUPERBILL_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ClaimInputError(source, [f"line 1: missing column(s) {', '.join(missing)}"])
    grouped: dict[str, dict[str, Any]] = {}
    for row in reader:
        claim_id = row["claim_id"].strip()
        claim = grouped.setdefault(
            claim_id,
            {
                "id": claim_id,
                "service_date": row["service_date"],
                "place_of_service": row.get("place_of_service") or "11",
                "diagnoses": [d.strip() for d in row["diagnoses"].split(";") if d.strip()],
                "prior_authorization": row.get("prior_authorization", ""),
                "patient": {
                    "id": row["patient_id"],
                    "last_name": row["patient_last"],
                    "first_name": row["patient_first"],
                    "birth_date": row["patient_dob"],
                    "sex": row["patient_sex"],
                    "address": {
                        "line1": row.get("patient_address", ""),
                        "city": row.get("patient_city", ""),
                        "state": row.get("patient_state", ""),
                        "postal_code": row.get("patient_zip", ""),
                    },
                },
                "coverage": {
                    "payer": {"id": row["payer_id"]},
                    "member_id": row["member_id"],
                    "relationship": row.get("relationship") or "18",
                },
                "lines": [],
            },
        )
        line: dict[str, Any] = {
            "code": row["code"],
            "units": row.get("units") or "1",
            "modifiers": [m for m in (row.get("modifiers") or "").replace(",", ":").split(":") if m],
            "diagnosis_pointers": [int(p) for p in (row.get("pointers") or "1").split(":") if p.strip().isdigit()],
        }
        if row.get("charge"):
            line["charge"] = row["charge"]
        claim["lines"].append(line)
    problems: list[str] = []
    claims = [
        c
        for n, data in enumerate(grouped.values(), start=1)
        if (c := claim_from_dict(data, f"claim {data['id']}", practice, problems))
    ]
    if problems:
        raise ClaimInputError(source, problems)
    return claims


def write_claims_json(claims: Iterable[Claim], path: Path) -> None:
    path.write_text(json.dumps({"claims": [claim_to_dict(c) for c in claims]}, indent=2), "utf-8")
