"""Building claims from a coded encounter (or a superbill) and the practice's chargemaster.

An 837P claim holds at most 12 diagnoses and 50 service lines. When an encounter has more, the
lines are split the way billers do: each claim carries the lines whose pointers fall within its
diagnoses, and every claim keeps the first-listed diagnosis first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openrcm.claims.model import ChargeLine, Claim, ClaimKind, Coverage, Patient
from openrcm.claims.practice import Practice
from openrcm.coding.model import CodedEncounter
from openrcm.core.issue import Issue, Location, Severity

MAX_DX = 12
MAX_LINES = 50
LAB_RANGE = ("8",)  # pathology and laboratory CPT codes start with 8


@dataclass(frozen=True, slots=True)
class Built:
    claims: tuple[Claim, ...]
    issues: tuple[Issue, ...]


def lines_from_encounter(encounter: CodedEncounter, practice: Practice) -> tuple[list[ChargeLine], list[Issue]]:
    lines: list[ChargeLine] = []
    issues: list[Issue] = []
    for n, proc in enumerate(encounter.procedures, start=1):
        price = practice.chargemaster.price(proc.code, proc.modifiers)
        if price is None:
            issues.append(
                Issue(
                    "CHARGE_MISSING",
                    Severity.ERROR,
                    f"{proc.code} has no price in the chargemaster; add it before billing",
                    Location(line_number=n, code=proc.code),
                    "build",
                    "practice chargemaster",
                )
            )
            continue
        lines.append(
            ChargeLine(
                code=proc.code,
                charge=price * proc.units,
                units=Decimal(proc.units),
                modifiers=proc.modifiers,
                diagnosis_pointers=proc.diagnosis_pointers or (1,),
                line_control=f"{n:03d}",
            )
        )
    return lines, issues


def build_claims(
    claim_id: str,
    encounter: CodedEncounter,
    practice: Practice,
    patient: Patient,
    coverage: Coverage,
    *,
    prior_authorization: str = "",
) -> Built:
    lines, issues = lines_from_encounter(encounter, practice)
    diagnoses = [d.code for d in encounter.diagnoses]
    needs_clia = any(line.code.startswith(LAB_RANGE) and line.code[:1].isdigit() for line in lines)
    claims = split_claims(
        claim_id,
        diagnoses,
        lines,
        lambda cid, dx, ln: Claim(
            id=cid,
            kind=ClaimKind.PROFESSIONAL,
            patient=patient,
            coverage=coverage,
            billing=practice.billing,
            service_date=encounter.context.date_of_service,
            diagnoses=tuple(dx),
            lines=tuple(ln),
            place_of_service=encounter.context.place_of_service,
            rendering=practice.rendering,
            prior_authorization=prior_authorization,
            clia_number=practice.clia_number if needs_clia else "",
        ),
    )
    return Built(tuple(claims), tuple(issues))


def split_claims(claim_id: str, diagnoses: Sequence[str], lines: Sequence[ChargeLine], make: object) -> list[Claim]:
    """Split into claims of at most 12 diagnoses and 50 lines, re-pointing each line's diagnoses."""
    assert callable(make)
    if len(diagnoses) <= MAX_DX and len(lines) <= MAX_LINES:
        return [make(claim_id, list(diagnoses), list(lines))]
    first = diagnoses[0] if diagnoses else None
    groups: list[tuple[list[str], list[ChargeLine]]] = []
    for line in lines:
        wanted = [diagnoses[p - 1] for p in line.diagnosis_pointers if 0 < p <= len(diagnoses)]
        placed = False
        for dx, group_lines in groups:
            new = [d for d in wanted if d not in dx]
            if len(dx) + len(new) <= MAX_DX and len(group_lines) < MAX_LINES:
                dx.extend(new)
                group_lines.append(line)
                placed = True
                break
        if not placed:
            start = [first] if first and first not in wanted else []
            groups.append((start + wanted, [line]))
    # diagnoses no line points to still belong on the first claim, as space allows
    if groups:
        for d in diagnoses:
            if all(d not in dx for dx, _ in groups) and len(groups[0][0]) < MAX_DX:
                groups[0][0].append(d)
    claims: list[Claim] = []
    for n, (dx, group_lines) in enumerate(groups, start=1):
        repointed = [_repoint(line, diagnoses, dx) for line in group_lines]
        claims.append(make(claim_id if n == 1 else f"{claim_id}-{n}", dx, repointed))
    return claims


def _repoint(line: ChargeLine, old: Sequence[str], new: Sequence[str]) -> ChargeLine:
    from dataclasses import replace  # noqa: PLC0415

    pointers = tuple(
        new.index(old[p - 1]) + 1 for p in line.diagnosis_pointers if 0 < p <= len(old) and old[p - 1] in new
    )
    return replace(line, diagnosis_pointers=pointers or (1,))
