"""The ledger commands end to end on an embedded SQLite file: register, post (twice), aging, denials."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.ledger.model import JournalEntry, Posting, UnbalancedEntryError

runner = CliRunner()


def test_register_post_age_and_work_denials(tmp_path: Path, fixtures: Path, store_url: str) -> None:
    db = ["--db", store_url]
    claims = tmp_path / "claims.json"
    built = runner.invoke(app, ["claims", "build", str(fixtures / "superbill.csv"), "--out", str(claims)])
    assert built.exit_code == 0, built.output
    registered = runner.invoke(app, ["claims", "register", str(claims), "--billed", "2026-06-01", *db])
    assert registered.exit_code == 0, registered.output
    again = runner.invoke(app, ["claims", "register", str(claims), *db])
    assert again.exit_code == 2 and "already on the ledger" in again.output
    remit = fixtures / "remit" / "c100.835"
    first = json.loads(runner.invoke(app, ["remit", "post", str(remit), "--json", *db]).output)
    second = json.loads(runner.invoke(app, ["remit", "post", str(remit), "--json", *db]).output)
    assert (first["posted"], second["posted"]) == (True, False)
    assert first["cash"] == "152.99" and first["matched_claims"] == 1 and first["denials"] == 1
    aging = json.loads(runner.invoke(app, ["ar", "aging", "--as-of", "2026-07-01", "--json", *db]).output)
    totals = {r["key"]: r["total"] for r in aging["rows"]}
    assert totals == {"MEDICAREB": "436.00", "ACMEHEALTH": "40.00"}  # C200 unpaid; C100's denied 83036
    patient = json.loads(runner.invoke(app, ["ar", "aging", "--by", "patient", "--json", *db]).output)
    assert [r["total"] for r in patient["rows"]] == ["30.00"]  # the 99214 copay
    denials = json.loads(runner.invoke(app, ["denials", "list", "--json", *db]).output)
    (item,) = denials["bundling"]
    assert (item["claim_id"], item["reason"], item["amount"]) == ("C100", "97", "40.00")
    assert "59" in item["action"] and "M80" in item["action"]
    paid = runner.invoke(app, ["ar", "pay", "C100", "30.00", "--method", "card", *db])
    assert paid.exit_code == 0 and "patient balance now 0.00" in paid.output, paid.output
    assert runner.invoke(app, ["ar", "pay", "NOPE", "5", *db]).exit_code == 2
    assert runner.invoke(app, ["ar", "pay", "C100", "-5", *db]).exit_code == 2
    kpis = json.loads(runner.invoke(app, ["kpis", "--json", *db]).output)
    assert kpis["Clean claim rate"]["value"] is None  # not recorded, so not invented
    assert kpis["Denial rate"]["value"] == "100.0"  # C100, the one adjudicated claim, had a line denied
    assert kpis["Net collection rate"]["value"] is not None


def test_an_unreachable_database_is_one_clear_line() -> None:
    result = runner.invoke(app, ["ar", "aging", "--db", "postgresql://openrcm:secret@127.0.0.1:1/none"])
    assert result.exit_code == 2
    assert "cannot open the database" in result.output and "secret" not in result.output


def test_an_unbalanced_entry_cannot_be_made() -> None:
    with pytest.raises(UnbalancedEntryError):
        JournalEntry("payment", dt.date(2026, 1, 1), (Posting("Assets:Cash", 1), Posting("X", -2)))
