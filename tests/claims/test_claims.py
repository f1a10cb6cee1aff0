"""Claims: identifiers, building, pricing, scrubbing, the 837P writer (checked by pyx12) and the 837 reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.build import split_claims
from openrcm.claims.identifiers import npi_valid
from openrcm.claims.io import ClaimInputError, claim_from_dict, claim_to_dict, read_superbill_csv
from openrcm.claims.model import ChargeLine, Claim, ClaimBatch
from openrcm.claims.practice import load_practice
from openrcm.claims.pricing import Contract, Locality, medicare_allowed, price_line
from openrcm.claims.scrub import PayerRules, Scrubber
from openrcm.codesets import CodeSets
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r837 import read_837, read_837_bytes
from openrcm.interchange.x12.x837p import write_837p
from x12check import pyx12_accepts


def batch_of(claims: tuple[Claim, ...] | list[Claim], when: dt.datetime | None = None) -> ClaimBatch:
    practice = load_practice()
    return ClaimBatch(
        tuple(claims),
        practice.submitter_id,
        practice.submitter_name,
        practice.receiver_id,
        practice.receiver_name,
        when or dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC),
    )


@pytest.fixture(scope="module")
def claims(fixtures: Path) -> list[Claim]:
    return read_superbill_csv((fixtures / "superbill.csv").read_text(), "superbill.csv", load_practice())


def test_npi_check_digit() -> None:
    assert npi_valid("1234567893") and npi_valid("1558598797")
    assert not npi_valid("1234567890") and not npi_valid("3234567893") and not npi_valid("123456789")


def test_superbill_builds_priced_claims(claims: list[Claim]) -> None:
    first, second = claims
    assert first.total_charge == Decimal("370.00")  # 240 + 45 + 45 + 40 from the chargemaster
    assert first.clia_number  # lab lines: the practice's CLIA number
    assert second.lines[2].charge == Decimal("36.00") and second.lines[2].units == 4  # J3301 9.00 x 4
    assert second.coverage.payer.filing_indicator == "MB"


def test_bad_superbill_rows_are_named() -> None:
    text = (
        "claim_id,patient_id,patient_last,patient_first,patient_dob,patient_sex,payer_id,member_id,service_date,"
        "diagnoses,code\nX1,P,Doe,Jo,1970-13-01,F,ACMEHEALTH,M1,2026-06-12,I10,99999\n"
    )
    with pytest.raises(ClaimInputError) as info:
        read_superbill_csv(text, "bad.csv", load_practice())
    assert "claim X1 patient: birth_date '1970-13-01' is not a date" in str(info.value)
    assert "99999 has no charge" in str(info.value)


def test_json_round_trip(claims: list[Claim]) -> None:
    problems: list[str] = []
    again = claim_from_dict(claim_to_dict(claims[0]), "claim 1", load_practice(), problems)
    assert not problems and again == claims[0]


def test_split_keeps_12_diagnoses_and_50_lines(claims: list[Claim]) -> None:
    base = claims[0]
    dx = [f"J{n:02d}.9" for n in range(20)]
    lines = [ChargeLine("99213", Decimal("10.00"), diagnosis_pointers=(n % 20 + 1,)) for n in range(60)]
    parts = split_claims(
        "BIG", dx, lines, lambda cid, d, ln: replace(base, id=cid, diagnoses=tuple(d), lines=tuple(ln))
    )
    assert len(parts) >= 2
    assert all(len(p.diagnoses) <= 12 and len(p.lines) <= 50 for p in parts)
    assert all(p.diagnoses[0] == "J00.9" for p in parts)
    assert sum(len(p.lines) for p in parts) == 60
    for p in parts:  # every pointer names the diagnosis it named before
        for line in p.lines:
            assert all(0 < ptr <= len(p.diagnoses) for ptr in line.diagnosis_pointers)


def test_837p_is_accepted_by_pyx12_and_reads_back(claims: list[Claim]) -> None:
    batch = batch_of(tuple(claims), dt.datetime(2026, 6, 16, 9, 30, tzinfo=dt.UTC))
    text = write_837p(batch, ControlNumbers(interchange=42))
    ok, ack = pyx12_accepts(text)
    assert ok, ack
    assert "IK5*A" in ack and "AK9*A" in ack
    back = read_837(text, "ours.837")
    assert not [i for i in back.issues if i.severity.value == "error"]
    assert [c.id for c in back.claims] == ["C100", "C200"]
    assert back.claims[0].diagnoses == ("J10.1", "E11.65")
    assert [(ln.code, ln.modifiers) for ln in back.claims[0].lines][2] == ("87804", ("59", "QW"))
    assert back.claims[0].total_charge == claims[0].total_charge


def test_replacement_claim_carries_the_original_number(claims: list[Claim]) -> None:
    corrected = replace(claims[1], frequency="7", original_claim_number="PAYER12345", prior_authorization="A1")
    text = write_837p(
        batch_of((corrected,), dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)),
        ControlNumbers(),
    )
    assert "CLM*C200*" in text and ":B:7*" in text and "REF*F8*PAYER12345~" in text and "REF*G1*A1~" in text
    assert pyx12_accepts(text)[0]


def test_every_sample_837_reads_the_claims_the_manifest_counts(data_dir: Path) -> None:
    import json

    samples = data_dir.parent / "x12-samples"
    manifest = {m["file"]: m for m in json.loads((samples / "manifest.json").read_text())}
    checked = total = 0
    for name, meta in manifest.items():
        if not any(part in ("837P", "837I") for part in name.split("/")):
            continue
        result = read_837_bytes((samples / name).read_bytes(), name)
        total += len(result.claims)
        checked += 1
        assert len(result.claims) == meta["claims"], name
    assert checked > 100 and total == 2213


def test_broken_837s_give_located_issues(data_dir: Path) -> None:
    invalid = data_dir.parent / "x12-samples" / "837P" / "invalid"
    located = 0
    for path in sorted(invalid.iterdir()):
        result = read_837_bytes(path.read_bytes(), path.name)
        located += sum(1 for i in result.issues if i.location.line is not None)
    assert located > 0


def test_medicare_fee_schedule_formula(code_sets: CodeSets) -> None:
    # 99213 in CY2024: work 1.30, non-facility PE 1.33, MP 0.10; Rest of Illinois GPCIs 1.000 / 0.912 / 1.381
    value, basis, _ = medicare_allowed(
        code_sets.mpfs, "99213", (), dt.date(2024, 6, 1), Locality("06102", "99"), conversion_factor=Decimal("33.4009")
    )
    expected = (
        Decimal("1.30") * 1 + Decimal("1.33") * Decimal("0.912") + Decimal("0.10") * Decimal("1.381")
    ) * Decimal("33.4009")
    assert value == expected.quantize(Decimal("0.01"))
    assert "non-facility" in basis


def test_contract_pricing(claims: list[Claim], code_sets: CodeSets) -> None:
    contract = Contract(
        "acme", Decimal("110"), {"87804": Decimal("17.00")}, Locality("06102", "99"), Decimal("33.4009")
    )
    fixed = price_line(claims[0].lines[1], claims[0], contract, code_sets.mpfs)
    assert fixed.expected_allowed == Decimal("17.00")
    pct = price_line(claims[0].lines[0], claims[0], contract, code_sets.mpfs)
    assert pct.expected_allowed is not None and "110" in pct.basis


def _scrubber(code_sets: CodeSets, **kw: object) -> Scrubber:
    return Scrubber(
        code_sets, dt.date(2026, 6, 20), {"ACMEHEALTH": PayerRules("ACMEHEALTH", frozenset({"73721"}))}, **kw
    )  # type: ignore[arg-type]


def _codes(issues: list) -> set[str]:  # type: ignore[type-arg]
    return {i.code for i in issues if i.severity.value != "info"}


def test_clean_claims_pass(claims: list[Claim], code_sets: CodeSets) -> None:
    scrubber = _scrubber(code_sets)
    assert not [i for i in scrubber.scrub(claims[0]) if i.severity.value == "error"]


def test_scrub_rules_find_what_a_payer_would_deny(claims: list[Claim], code_sets: CodeSets) -> None:
    base = claims[1]  # 99213, 20610-RT, J3301 x4 for M17.11
    scrubber = _scrubber(code_sets)
    bad_npi = replace(base, billing=replace(base.billing, npi="1234567890"))
    assert "NPI_INVALID" in _codes(scrubber.scrub(bad_npi))
    no_25 = base  # E/M with a minor procedure and no modifier 25: NCCI PTP indicator 1
    assert "NCCI_PTP_MODIFIER" in _codes(scrubber.scrub(no_25))
    with_25 = replace(base, lines=(replace(base.lines[0], modifiers=("25",)), *base.lines[1:]))
    assert "NCCI_PTP_MODIFIER" not in _codes(scrubber.scrub(with_25))
    too_many = replace(base, lines=(*base.lines[:2], replace(base.lines[2], units=Decimal(200))))
    assert any(c.startswith("MUE") for c in _codes(scrubber.scrub(too_many)))
    addon = replace(base, lines=(ChargeLine("17003", Decimal("15.00")),))
    assert "AOC_WITHOUT_PRIMARY" in _codes(scrubber.scrub(addon))
    late = replace(
        base, service_date=dt.date(2025, 3, 1), lines=tuple(replace(ln, service_date=None) for ln in base.lines)
    )
    assert "TIMELY_FILING" in _codes(_scrubber(code_sets).scrub(late)) or "ICD10CM_NO_RELEASE" in _codes(
        scrubber.scrub(late)
    )
    auth = replace(claims[0], lines=(*claims[0].lines, ChargeLine("73721", Decimal("500.00"))))
    assert "PRIOR_AUTH_MISSING" in _codes(scrubber.scrub(auth))
    no_clia = replace(claims[0], clia_number="")
    assert "CLIA_MISSING" in _codes(scrubber.scrub(no_clia))
    bad_25 = replace(base, lines=(base.lines[0], replace(base.lines[1], modifiers=("RT", "25")), base.lines[2]))
    assert "MOD_25_NOT_EM" in _codes(scrubber.scrub(bad_25))
    header_dx = replace(base, diagnoses=("E11",))
    assert "ICD10CM_NOT_BILLABLE" in _codes(scrubber.scrub(header_dx))
    void = replace(base, frequency="8")
    assert "REQ_ORIGINAL_CLAIM" in _codes(scrubber.scrub(void))


def test_duplicates_are_blocked(claims: list[Claim], code_sets: CodeSets) -> None:
    scrubber = _scrubber(code_sets)
    scrubber.submitted.update(Scrubber.duplicate_keys(claims[0]))
    assert "DUPLICATE_LINE" in _codes(scrubber.scrub(claims[0]))
    assert "DUPLICATE_LINE" not in _codes(scrubber.scrub(replace(claims[0], frequency="7", original_claim_number="P1")))


def test_fhir_claim_out_and_the_official_examples_in(claims: list[Claim], data_dir: Path) -> None:
    from openrcm.interchange.fhir.claim import claim_from_fhir, claim_to_fhir

    resource = claim_to_fhir(claims[1])
    assert resource["resourceType"] == "Claim" and resource["total"]["value"] == 436.0
    assert [i["productOrService"]["coding"][0]["code"] for i in resource["item"]] == ["99213", "20610", "J3301"]
    import json

    back, issues = claim_from_fhir(json.dumps(resource))
    assert back is not None and not issues
    assert back.diagnoses == claims[1].diagnoses and back.total_charge == claims[1].total_charge
    assert back.patient.person.last_name == "Chen"
    examples = sorted((data_dir.parent / "fhir-samples" / "r4-core" / "Claim").glob("*.json"))
    assert len(examples) == 17
    for path in examples:
        claim, _ = claim_from_fhir(path.read_text(), path.name)
        assert claim is not None and claim.lines, path.name


def test_837i_is_accepted_by_pyx12(claims: list[Claim]) -> None:
    from openrcm.claims.model import ClaimKind
    from openrcm.interchange.x12.x837i import write_837i

    institutional = tuple(
        replace(
            c,
            kind=ClaimKind.INSTITUTIONAL,
            type_of_bill="0131",
            lines=tuple(replace(ln, revenue_code="0510") for ln in c.lines),
        )
        for c in claims
    )
    text = write_837i(
        batch_of(institutional, dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC)),
        ControlNumbers(),
    )
    ok, ack = pyx12_accepts(text)
    assert ok, ack
    back = read_837(text, "ours.837i")
    assert back.claims[0].kind == ClaimKind.INSTITUTIONAL and back.claims[0].lines[0].revenue_code == "0510"


def test_cms1500_pdf_has_a_page_per_six_lines(claims: list[Claim]) -> None:
    from openrcm.interchange.forms.cms1500 import cms1500_pdf

    eight = replace(claims[0], lines=claims[0].lines * 2)
    pdf = cms1500_pdf([claims[1], eight])
    import re

    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 3  # one page, then eight lines on two pages


def test_eligibility_pos_enrollment_and_cob(claims: list[Claim], code_sets: CodeSets) -> None:
    base = claims[0]
    scrubber = Scrubber(
        code_sets,
        dt.date(2026, 6, 20),
        {"ACMEHEALTH": PayerRules("ACMEHEALTH", enrolled_npis=frozenset({"1234567893"}))},
    )
    ended = replace(base, coverage=replace(base.coverage, end=dt.date(2026, 5, 31)))
    assert "COVERAGE_NOT_ACTIVE" in _codes(scrubber.scrub(ended))
    assert "POS_UNKNOWN" in _codes(scrubber.scrub(replace(base, place_of_service="98")))
    assert "PROVIDER_NOT_ENROLLED" in _codes(scrubber.scrub(base))  # the rendering NPI is not on the roster
    secondary = replace(base, coverage=replace(base.coverage, priority="S"))
    assert "COB_PRIMARY_MISSING" in _codes(scrubber.scrub(secondary))


def test_837p_with_ndc_referring_and_facility_is_accepted(claims: list[Claim]) -> None:
    from openrcm.claims.model import Address, Provider

    base = claims[1]
    drug = replace(base.lines[2], ndc="00003-0293-05", ndc_quantity=Decimal(1), ndc_unit="ML")
    referring = Provider("1558598797", "WELBY", "MARCUS", "1")
    facility = Provider(
        "1245319599",
        "SPRINGFIELD SURGERY CENTER",
        entity="2",
        address=Address("200 Oak St", "Springfield", "IL", "627015555"),
    )
    claim = replace(base, lines=(*base.lines[:2], drug), referring=referring, facility=facility)
    text = write_837p(
        batch_of((claim,), dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC)),
        ControlNumbers(),
    )
    assert "LIN**N4*00003029305~" in text and "NM1*DN*1*WELBY" in text and "NM1*77*2*SPRINGFIELD" in text
    ok, ack = pyx12_accepts(text)
    assert ok, ack
    back = read_837(text, "ndc.837").claims[0]
    assert back.lines[2].ndc == "00003029305" and back.referring is not None and back.facility is not None
