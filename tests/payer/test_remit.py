"""835 remittance: every sample reads, balancing holds to the cent or is a finding, and the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.interchange.x12.r835 import read_835

runner = CliRunner()
BALANCED = (Path(__file__).parent.parent / "fixtures" / "remit" / "c100.835").read_text()


def test_our_835_balances_to_the_cent() -> None:
    result = read_835(BALANCED, "ours.835")
    assert not [i for i in result.issues if i.severity.value == "error"], result.issues
    (remit,) = result.remittances
    assert remit.check_total == Decimal("152.99") and remit.plb_total == Decimal("8")
    claim = remit.claims[0]
    assert claim.payer_claim_control_number == "ACM0001"
    sums = {(g, r): a for g, r, a in claim.adjustments_by_group_reason()}
    assert sums[("CO", "45")] == Decimal("135.01")
    assert claim.services[3].remarks == ("M80",)


def test_imbalances_are_findings_not_crashes() -> None:
    broken = BALANCED.replace("CLP*C100*1*370*160.99", "CLP*C100*1*370*150.99").replace("BPR*I*152.99", "BPR*I*150.00")
    codes = {i.code for i in read_835(broken, "bad.835").issues}
    assert {"BAL_CLAIM", "BAL_PAYMENT"} <= codes
    garbled = BALANCED.replace("SVC*HC:99214*240*", "SVC*HC:99214*2X0*")
    assert "X12_BAD_AMOUNT" in {i.code for i in read_835(garbled, "bad.835").issues}
    assert read_835(b"", "empty.835").issues


def test_every_sample_835_reads_the_claims_the_manifest_counts(data_dir: Path) -> None:
    samples = data_dir.parent / "x12-samples"
    manifest = {m["file"]: m for m in json.loads((samples / "manifest.json").read_text())}
    checked = 0
    for name, meta in manifest.items():
        if "835" not in name.split("/"):
            continue
        result = read_835((samples / name).read_bytes(), name)
        assert sum(len(r.claims) for r in result.remittances) == meta["claims"], name
        if "-pass-" in name:
            assert not [i for i in result.issues if i.code.startswith("BAL_") and i.severity.value == "error"], name
        checked += 1
    assert checked == 31


def test_remit_read_json(tmp_path: Path) -> None:
    path = tmp_path / "ours.835"
    path.write_text(BALANCED)
    result = runner.invoke(app, ["remit", "read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("check_total", "payment_method", "plb_total", "balanced", "findings", "claims"):
        assert key in data
    assert data["balanced"] is True and data["payment_method"] == "ACH"
    claim = data["claims"][0]
    assert claim["patient_control_number"] == "C100" and claim["status"] == "1"
    assert {"group": "PR", "reason": "3", "amount": "30.00"} in claim["adjustments"]
