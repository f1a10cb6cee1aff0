"""`openrcm claims build | scrub | export` as a biller uses them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.interchange.x12.r837 import read_837_bytes

runner = CliRunner()


def test_build_scrub_export(tmp_path: Path, fixtures: Path, data_dir: Path) -> None:
    claims = tmp_path / "claims.json"
    result = runner.invoke(app, ["claims", "build", str(fixtures / "superbill.csv"), "--out", str(claims)])
    assert result.exit_code == 0, result.output
    assert "2 claims, 7 lines" in result.output
    data = json.loads(claims.read_text())
    assert data["claims"][0]["total_charge"] == "370.00"

    result = runner.invoke(app, ["claims", "scrub", str(claims), "--as-of", "2026-06-20", "--json"])
    report = json.loads(result.output)
    second = {i["code"] for i in report["C200"]}
    assert "NCCI_PTP_MODIFIER" in second  # 99213 with 20610 and no modifier 25
    assert not [i for i in report["C100"] if i["severity"] == "error"]

    result = runner.invoke(app, ["claims", "scrub", str(claims), "--as-of", "2026-06-20"])
    assert result.exit_code == 1 and "Scrub report" in result.output and "1 of 2 claims are clean" in result.output

    out = tmp_path / "claims.837"
    result = runner.invoke(app, ["claims", "export", str(claims), "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = read_837_bytes(out.read_bytes(), out.name)
    assert [c.id for c in back.claims] == ["C100", "C200"]


def test_bad_input_is_a_clear_message(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"claims": [{"id": "X"}]}')
    result = runner.invoke(app, ["claims", "scrub", str(bad)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "claim 1: service_date is missing" in said and "claim 1 payer: id is missing" in said
    assert "Traceback" not in result.output
