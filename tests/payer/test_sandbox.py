"""The sandbox payer: benefits in order with accumulators, the denials payers make, and answers
(999, 277CA, 835) that pyx12 accepts and that post and balance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.io import read_superbill_csv
from openrcm.claims.model import Address, Claim
from openrcm.claims.practice import load_practice
from openrcm.claims.pricing import load_contracts
from openrcm.claims.scrub import Scrubber
from openrcm.clearinghouse.sandbox import Benefits, Member, PayerPolicy, SandboxPayer
from openrcm.codesets import CodeSets
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r835 import read_835
from openrcm.interchange.x12.x277ca import ClaimAck, write_277ca
from openrcm.interchange.x12.x835 import PayerParty, write_835
from openrcm.interchange.x12.x837p import write_837p
from openrcm.interchange.x12.x999 import write_999
from openrcm.payer.remittance import balance
from x12check import pyx12_accepts

D = Decimal
WHEN = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC)
PARTY = PayerParty("ACME HEALTH PLAN", "ACMEHEALTH", Address("PO BOX 500", "CHICAGO", "IL", "606010500"))


@pytest.fixture
def claims(fixtures: Path) -> list[Claim]:
    return read_superbill_csv((fixtures / "superbill.csv").read_text(), "superbill.csv", load_practice())


def payer(code_sets: CodeSets, **benefits: object) -> SandboxPayer:
    from importlib import resources

    with resources.as_file(resources.files("openrcm.data").joinpath("demo_contracts.toml")) as path:
        contract = load_contracts(Path(path))["acme-ppo"]
    policy = PayerPolicy("ACMEHEALTH", "ACME HEALTH PLAN", contract, authorization_required=frozenset({"20610"}))
    plan = Benefits(copays={"99214": D("30.00")}, **benefits)  # type: ignore[arg-type]
    members = {"ACM111": Member("ACM111", dt.date(2026, 1, 1), None, plan)}
    return SandboxPayer(policy, members, Scrubber(code_sets, dt.date(2026, 6, 20)), code_sets.mpfs)


def test_benefits_apply_copay_then_deductible_then_coinsurance(code_sets: CodeSets, claims: list[Claim]) -> None:
    sandbox = payer(code_sets, deductible=D("50.00"))
    c100 = next(c for c in claims if c.id == "C100")
    decision = sandbox.adjudicate(c100, dt.date(2026, 6, 15))
    pr: dict[str, Decimal] = {}
    for a in decision.all_adjustments():
        if a.group == "PR":
            pr[a.reason] = pr.get(a.reason, D("0")) + a.amount
    assert pr["3"] == D("30.00")  # the office-visit copay, once
    assert pr["1"] == D("50.00")  # the whole deductible on this claim
    assert decision.patient_responsibility == sum(pr.values(), D("0"))
    for svc in decision.services:  # every line balances: charge - adjustments = paid
        assert svc.charge - sum((a.amount for a in svc.adjustments), D("0")) == svc.paid
    # the deductible is met now: the next visit pays coinsurance only
    later = dataclasses.replace(c100, id="C101", service_date=dt.date(2026, 6, 19))
    again = sandbox.adjudicate(later, dt.date(2026, 6, 20))
    assert "1" not in {a.reason for a in again.all_adjustments() if a.group == "PR"}


def test_the_denials_a_payer_makes(code_sets: CodeSets, claims: list[Claim]) -> None:
    sandbox = payer(code_sets)
    c100 = next(c for c in claims if c.id == "C100")
    sandbox.adjudicate(c100, dt.date(2026, 6, 15))
    duplicate = sandbox.adjudicate(c100, dt.date(2026, 6, 16))
    assert duplicate.status == "4" and {a.reason for a in duplicate.all_adjustments()} == {"18"}
    late = sandbox.adjudicate(dataclasses.replace(c100, id="C102"), dt.date(2026, 12, 1))
    assert {a.reason for a in late.all_adjustments()} == {"29"}
    stranger = dataclasses.replace(c100, id="C103", coverage=dataclasses.replace(c100.coverage, member_id="NOPE"))
    assert {a.reason for a in sandbox.adjudicate(stranger, dt.date(2026, 6, 15)).all_adjustments()} == {"31"}
    # 20610 needs prior authorization at this payer
    c200 = next(c for c in claims if c.id == "C200")
    own = dataclasses.replace(c200, coverage=dataclasses.replace(c200.coverage, member_id="ACM111"))
    decision = sandbox.adjudicate(own, dt.date(2026, 6, 15))
    injection = next(s for s in decision.services if s.code == "20610")
    assert [(a.group, a.reason) for a in injection.adjustments] == [("CO", "197")] and injection.remarks == ("M62",)


def test_answers_are_valid_x12_and_balance(code_sets: CodeSets, claims: list[Claim]) -> None:
    sandbox = payer(code_sets)
    practice = load_practice()
    ours = [c for c in claims if c.coverage.payer.id == "ACMEHEALTH"]
    from openrcm.claims.model import ClaimBatch

    batch = ClaimBatch(
        tuple(ours), practice.submitter_id, practice.submitter_name, "ACMEHEALTH", "ACME HEALTH PLAN", WHEN
    )
    sent = write_837p(batch, ControlNumbers())
    ack = write_999(sent, "ACMEHEALTH", practice.submitter_id, ControlNumbers(), WHEN)
    ok, report = pyx12_accepts(ack)
    assert ok, report
    assert "IK5*A" in ack and "AK9*A*1*1*1" in ack
    remit = sandbox.remit(ours, WHEN.date(), WHEN.date(), "CHK0001", ("1234567893", "RIVERSIDE FAMILY MEDICINE"))
    acks = [ClaimAck(c, True, p.payer_claim_control_number) for c, p in zip(ours, remit.claims, strict=True)]
    ca = write_277ca(acks, PARTY, (practice.submitter_id, practice.submitter_name), ControlNumbers(), WHEN, "B1")
    ok, report = pyx12_accepts(ca)
    assert ok, report
    text = write_835([remit], PARTY, practice.submitter_id, ControlNumbers(), WHEN)
    ok, report = pyx12_accepts(text)
    assert ok, report
    (again,) = read_835(text).remittances
    assert balance(again) == []


def test_the_secondary_claim_carries_the_primary_decision(code_sets: CodeSets, claims: list[Claim]) -> None:
    from openrcm.claims.model import Coverage, Payer
    from openrcm.interchange.x12.r837 import read_837
    from openrcm.services.secondary import secondary_claim

    sandbox = payer(code_sets, deductible=D("50.00"))
    c100 = next(c for c in claims if c.id == "C100")
    decision = sandbox.adjudicate(c100, dt.date(2026, 6, 15))
    medigap = Coverage(Payer("SUPPL1", "Supplemental Mutual", "CI"), "SUP778899", c100.coverage.subscriber)
    secondary = secondary_claim(c100, decision, medigap, dt.date(2026, 6, 27))
    assert secondary is not None and secondary.coverage.priority == "S"
    practice = load_practice()
    from openrcm.claims.model import ClaimBatch

    batch = ClaimBatch((secondary,), practice.submitter_id, practice.submitter_name, "SUPPL1", "SUPPLEMENTAL", WHEN)
    text = write_837p(batch, ControlNumbers())
    ok, report = pyx12_accepts(text)
    assert ok, report
    from openrcm.interchange.x12.envelope import amount

    assert f"AMT*D*{amount(decision.paid)}~" in text and f"AMT*EAF*{amount(decision.patient_responsibility)}~" in text
    assert text.count("SVD*ACMEHEALTH*") == len(c100.lines)
    # what the next payer sees balances: for every line, charge = primary paid + primary adjustments
    for line, svc in zip(c100.lines, decision.services, strict=True):
        assert line.charge == svc.paid + sum((a.amount for a in svc.adjustments), D("0"))
    (back,) = read_837(text).claims
    assert back.coverage.member_id == "SUP778899"


def test_a_void_reverses_and_a_replacement_reverses_then_repays(code_sets: CodeSets, claims: list[Claim]) -> None:
    sandbox = payer(code_sets, deductible=D("50.00"))
    c100 = next(c for c in claims if c.id == "C100")
    first = sandbox.remit([c100], dt.date(2026, 6, 15), dt.date(2026, 6, 29), "K1", ("1234567893", "RFM"))
    icn = first.claims[0].payer_claim_control_number
    void = dataclasses.replace(c100, frequency="8", original_claim_number=icn)
    voided = sandbox.remit([void], dt.date(2026, 7, 1), dt.date(2026, 7, 15), "K2", ("1234567893", "RFM"))
    assert [c.status for c in voided.claims] == ["22"] and voided.check_total == D("0.00")
    # nothing to pay: what the practice now owes is carried forward (PLB FB), to be taken from a later check
    assert [(p.reason, p.amount) for p in voided.provider_adjustments] == [("FB", -first.check_total)]
    assert sandbox.accumulators["ACM111"].deductible_met == D("0.00")  # the deductible is given back
    assert balance(voided) == []


def test_claims_for_review_pend_then_pay(code_sets: CodeSets, claims: list[Claim]) -> None:
    sandbox = payer(code_sets, deductible=D("50.00"))
    sandbox.policy = dataclasses.replace(sandbox.policy, review_codes=frozenset({"83036"}))
    c100 = next(c for c in claims if c.id == "C100")
    first = sandbox.remit([c100], dt.date(2026, 6, 15), dt.date(2026, 6, 29), "K1", ("1234567893", "RFM"))
    assert first.claims == () and first.check_total == D("0.00")
    assert sandbox.status_of("C100") == "P1"
    later = sandbox.release(dt.date(2026, 7, 20), "K2", ("1234567893", "RFM"))
    assert [c.patient_control_number for c in later.claims] == ["C100"] and later.check_total > D("0")
    assert sandbox.status_of("C100") == "F1" and balance(later) == []
