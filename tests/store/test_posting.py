"""Posting 835s to the double-entry ledger, on SQLite and PostgreSQL.

The worked example of domain-rules §10.6-10.8 is posted and every number of §10.8 is checked;
then idempotency, concurrency, atomicity, reversals, unmatched claims, denials, underpayment and
aging.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from openrcm.interchange.x12.r835 import read_835
from openrcm.ledger.aging import BUCKETS, aging
from openrcm.ledger.model import Account, balances
from openrcm.payer.posting import OpenClaim
from openrcm.payer.remittance import Remittance
from openrcm.services.posting import post_remittance, register
from openrcm.store import Store, open_engine
from openrcm.store.tables import metadata
from openrcm.store.unit import Transaction

D = Decimal
FIXTURES = Path(__file__).parent.parent / "fixtures" / "remit"
TODAY = dt.date(2026, 2, 12)
WORKED_835 = (FIXTURES / "worked_10_7.835").read_text()
CLAIM = OpenClaim(
    "PCN20260115001", "PAT1", "ACMEHEALTH", D("270.00"), dt.date(2026, 1, 15), dt.date(2026, 1, 16), D("138.71")
)


def remit(text: str = WORKED_835) -> Remittance:
    result = read_835(text, "worked.835")
    (one,) = result.remittances
    return one


def ledger(store: Store) -> dict[str, Decimal]:
    with store.transaction() as tx:
        return balances([p for p, _ in tx.postings()])


def claim_balances(store: Store, claim_id: str) -> dict[str, Decimal]:
    with store.transaction() as tx:
        return balances([p for p, _ in tx.postings() if p.claim_id == claim_id])


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_the_worked_example_posts_as_domain_rules_10_8(store: Store) -> None:
    register(store, [CLAIM])
    result = post_remittance(store, remit(), today=TODAY, source="worked.835")
    assert result.remittance_id is not None and result.plan is not None
    assert not [f for f in result.findings if f.severity.value == "error"], result.findings
    claim = claim_balances(store, CLAIM.claim_id)
    assert claim[Account.AR_PAYER] == D("0.00")  # the payer has said everything about it
    assert claim[Account.CASH] == D("97.91")
    assert claim[Account.CONTRACTUAL] == D("131.29")
    assert claim[Account.AR_PATIENT] == D("40.80")
    assert claim[Account.CHARGES] == D("-270.00")
    books = ledger(store)
    assert books[Account.CASH] == D("85.76")  # = BPR02: the deposit reconciles
    assert books[Account.INTEREST] == D("-0.35")  # income is a credit
    assert books[Account.RECOUPMENT] == D("12.50")  # ACM25110000999 is not a claim this ledger knows
    with store.transaction() as tx:
        assert set(tx.entry_totals()) == {D("0.00")}
        memos = balances([p for p, _ in tx.postings() if p.account == Account.AR_PATIENT], by="memo")
    assert memos == {"PR-3 copay": D("30.00"), "PR-1 deductible": D("5.00"), "PR-2 coinsurance": D("5.80")}


def test_the_same_835_posts_once(store: Store) -> None:
    register(store, [CLAIM])
    first = post_remittance(store, remit(), today=TODAY)
    again = post_remittance(store, remit(), today=TODAY)
    assert not first.duplicate and again.duplicate
    with store.transaction() as tx:
        assert tx.count("remittances") == 1
        assert tx.count("journal_entries") == 1 + 1 + 2  # charge, claim payment, two PLB items
    assert ledger(store)[Account.CASH] == D("85.76")


def test_two_posters_at_once_post_once(store_url: str) -> None:
    setup = Store(open_engine(store_url))
    register(setup, [CLAIM])
    setup.close()
    outcomes: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def poster() -> None:
        own = Store(open_engine(store_url, migrate=False))
        try:
            barrier.wait()
            outcomes.append(post_remittance(own, remit(), today=TODAY).duplicate)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=poster) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(outcomes) == [False, True]
    check = Store(open_engine(store_url, migrate=False))
    assert ledger(check)[Account.CASH] == D("85.76")
    check.close()


def test_two_processes_posting_the_same_file_post_it_once(store_url: str, tmp_path: Path) -> None:
    setup = Store(open_engine(store_url))
    register(setup, [CLAIM])
    setup.close()
    path = tmp_path / "worked.835"
    path.write_text(WORKED_835)
    command = [sys.executable, "-m", "openrcm", "remit", "post", str(path), "--db", store_url, "--json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), results
    posted = sorted(json.loads(out)["posted"] for out, _ in results)
    assert posted == [False, True]
    check = Store(open_engine(store_url, migrate=False))
    assert ledger(check)[Account.CASH] == D("85.76")
    check.close()


def test_a_crash_midway_leaves_nothing_posted(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    register(store, [CLAIM])

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(Transaction, "add_follow_ups", crash)
    with pytest.raises(RuntimeError):
        post_remittance(store, remit(), today=TODAY)
    with store.transaction() as tx:
        assert tx.count("remittances") == 0
        assert tx.count("journal_entries") == 1  # only the charge
    monkeypatch.undo()
    assert not post_remittance(store, remit(), today=TODAY).duplicate
    assert ledger(store)[Account.CASH] == D("85.76")


REVERSAL = (FIXTURES / "reversal_correction.835").read_text()


def test_a_reversal_and_correction_are_new_entries_that_net_to_the_new_decision(store: Store) -> None:
    register(store, [CLAIM])
    post_remittance(store, remit(), today=TODAY)
    result = post_remittance(store, remit(REVERSAL), today=TODAY)
    assert result.plan is not None
    assert [e.kind for e in result.plan.entries] == ["reversal", "correction"]
    claim = claim_balances(store, CLAIM.claim_id)
    assert claim[Account.CASH] == D("107.91")
    assert claim[Account.AR_PATIENT] == D("30.80")
    assert claim[Account.AR_PAYER] == D("0.00")
    with store.transaction() as tx:
        assert tx.count("journal_entries") == 1 + 3 + 2  # nothing edited: the old entries remain
        (row,) = [c for c in tx.all_claims() if c.claim_id == CLAIM.claim_id]
    assert row.payer_claim_number == "ACM26060000777"


def test_unknown_claims_go_to_unapplied_cash(store: Store) -> None:
    result = post_remittance(store, remit(), today=TODAY)
    assert result.plan is not None and result.plan.unmatched == ("PCN20260115001",)
    books = ledger(store)
    assert books[Account.UNAPPLIED] == D("-97.91")
    assert books[Account.CASH] == D("85.76")
    assert "POST_UNMATCHED" in {f.code for f in result.findings}


DENIAL = (
    WORKED_835.replace("CLP*PCN20260115001*1*270*97.91*40.8", "CLP*PCN20260115001*1*270*23.2*10.8")
    .replace(
        "SVC*HC:99213*180*74.71**1~\nDTM*472*20260115~\nCAS*CO*45*75.29~\nCAS*PR*3*30~\nAMT*B6*104.71~",
        "SVC*HC:99213*180*0**1~\nDTM*472*20260115~\nCAS*CO*197*180~\nLQ*HE*N54~",
    )
    .replace("BPR*I*85.76", "BPR*I*11.05")
)


def test_denials_stay_open_and_go_to_follow_up(store: Store) -> None:
    register(store, [CLAIM])
    result = post_remittance(store, remit(DENIAL), today=TODAY)
    assert not [f for f in result.findings if f.severity.value == "error"], result.findings
    assert claim_balances(store, CLAIM.claim_id)[Account.AR_PAYER] == D("180.00")
    with store.transaction() as tx:
        rows = tx.follow_up_rows()
    denial = next(r for r in rows if r["code"] == "DENIAL_CO")
    assert (denial["reason"], denial["remarks"], Decimal(str(denial["amount"]))) == ("197", "N54", D("180.00"))
    # the contract expected 138.71 allowed; 34.00 was allowed (paid 23.20 + patient 10.80)
    assert any(r["code"] == "POST_UNDERPAID" and Decimal(str(r["amount"])) == D("104.71") for r in rows)


def test_aging_by_payer_and_by_patient(store: Store) -> None:
    older = OpenClaim("PCN-OLD", "PAT2", "OTHERPAYER", D("99.00"), dt.date(2025, 11, 1), dt.date(2025, 11, 3))
    register(store, [CLAIM, older])
    post_remittance(store, remit(DENIAL), today=TODAY)
    as_of = dt.date(2026, 3, 1)
    with store.transaction() as tx:
        rows = tx.postings()
    payer = {r.key: r for r in aging(rows, Account.AR_PAYER, as_of)}
    assert payer["ACMEHEALTH"].buckets[BUCKETS.index("31-60")] == D("180.00")  # billed 2026-01-16
    assert payer["OTHERPAYER"].buckets[BUCKETS.index("91-120")] == D("99.00")  # billed 2025-11-03
    patient = {r.key: r for r in aging(rows, Account.AR_PATIENT, as_of, by="patient_id")}
    assert patient["PAT1"].buckets[BUCKETS.index("0-30")] == D("10.80")  # since the 2026-02-10 remittance
