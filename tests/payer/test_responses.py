"""999, 277CA/277 and 271 readers against every such file in the sample corpus, checked against the
counts in its manifest (written by others, with other tools), and against our own writers."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from openrcm.interchange.x12.responses import read_271, read_277, read_999

FIXTURES = Path(__file__).parent.parent / "fixtures" / "remit"


@pytest.fixture(scope="module")
def corpus(data_dir: Path) -> tuple[Path, list[dict[str, object]]]:
    root = data_dir.parent / "x12-samples"
    if not root.is_dir():
        pytest.skip("no x12-samples beside the code sets")
    return root, json.loads((root / "manifest.json").read_text())


def _files(corpus: tuple[Path, list[dict[str, object]]], st: str) -> list[tuple[Path, dict[str, object]]]:
    root, manifest = corpus
    return [(root / str(m["file"]), m) for m in manifest if m.get("st") == [st] or (st in (m.get("st") or []))]


def test_every_999_reads_with_the_manifest_statuses(corpus: tuple[Path, list[dict[str, object]]]) -> None:
    files = _files(corpus, "999")
    assert len(files) >= 6
    for path, meta in files:
        result = read_999(path.read_bytes(), path.name)
        assert [t.status for a in result.acks for t in a.transactions] == meta["ik5"], path.name
        assert [a.status for a in result.acks] == meta["ak9"], path.name
        assert sum(len(t.errors) for a in result.acks for t in a.transactions) == meta["ik3"], path.name


def test_every_277_reads_with_the_manifest_categories(corpus: tuple[Path, list[dict[str, object]]]) -> None:
    files = _files(corpus, "277")
    assert len(files) >= 16
    for path, meta in files:
        result = read_277(path.read_bytes(), path.name)
        assert result.categories() == Counter(meta["stc_cat"]), path.name  # type: ignore[arg-type]


def test_every_271_reads_with_the_manifest_counts(corpus: tuple[Path, list[dict[str, object]]]) -> None:
    files = _files(corpus, "271")
    assert len(files) >= 28
    for path, meta in files:
        result = read_271(path.read_bytes(), path.name)
        assert (result.benefit_count, result.rejection_count) == (meta["eb"], meta["aaa"]), path.name


def test_our_own_999_and_277ca_read_back() -> None:
    from openrcm.claims.io import read_superbill_csv
    from openrcm.claims.model import Address, ClaimBatch
    from openrcm.claims.practice import load_practice
    from openrcm.interchange.x12.envelope import ControlNumbers
    from openrcm.interchange.x12.x277ca import ClaimAck, write_277ca
    from openrcm.interchange.x12.x835 import PayerParty
    from openrcm.interchange.x12.x837p import write_837p
    from openrcm.interchange.x12.x999 import write_999

    practice = load_practice()
    claims = read_superbill_csv(
        (Path(__file__).parent.parent / "fixtures" / "superbill.csv").read_text(), "superbill.csv", practice
    )
    when = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC)
    batch = ClaimBatch(tuple(claims), practice.submitter_id, practice.submitter_name, "X", "X", when)
    (ack,) = read_999(write_999(write_837p(batch, ControlNumbers()), "X", "Y", ControlNumbers(), when)).acks
    assert ack.status == "A" and [t.status for t in ack.transactions] == ["A"]
    party = PayerParty("ACME", "ACMEHEALTH", Address("PO BOX 1", "CHICAGO", "IL", "60601"))
    acks = [ClaimAck(claims[0], True, "ICN1"), ClaimAck(claims[1], False, status_code="21", entity="IL")]
    text = write_277ca(acks, party, ("S", "SUBMITTER"), ControlNumbers(), when, "B1")
    by_claim = {s.trace: s for s in read_277(text).statuses if s.level == "patient"}
    assert by_claim[claims[0].id].accepted and by_claim[claims[0].id].payer_claim_number == "ICN1"
    assert by_claim[claims[1].id].rejected and by_claim[claims[1].id].codes[0].entity == "IL"


def test_every_270_and_276_reads_with_the_manifest_counts(corpus: tuple[Path, list[dict[str, object]]]) -> None:
    from openrcm.interchange.x12.responses import read_inquiries

    files = _files(corpus, "270") + _files(corpus, "276")
    assert len(files) >= 18
    for path, meta in files:
        result = read_inquiries(path.read_bytes(), path.name)
        traces = sum(1 for i in result.inquiries if i.trace)
        births = sum(1 for i in result.inquiries if i.birth_date)
        assert (traces, births) == (meta["trn"], meta["dmg"]), path.name


def test_our_270_and_276_read_back(fixtures: Path) -> None:
    from openrcm.claims.io import read_superbill_csv
    from openrcm.claims.practice import load_practice
    from openrcm.interchange.x12.envelope import ControlNumbers
    from openrcm.interchange.x12.inquiries import write_270, write_276
    from openrcm.interchange.x12.responses import read_inquiries

    practice = load_practice()
    claims = read_superbill_csv((fixtures / "superbill.csv").read_text(), "superbill.csv", practice)
    when = dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC)
    status = read_inquiries(write_276(claims, ("S", "SUB"), ControlNumbers(), when, {"C100": "ICN9"})).inquiries
    assert [(i.trace, i.payer_claim_number) for i in status] == [("C100", "ICN9"), ("C200", "")]
    assert status[0].amount == claims[0].total_charge
    asked = read_inquiries(
        write_270(
            [(c.patient, c.coverage, c.service_date) for c in claims], practice.billing, "S", ControlNumbers(), when
        )
    ).inquiries
    assert {i.member_id for i in asked} == {c.coverage.member_id for c in claims}
    assert all(i.service_types == ("30",) for i in asked)
