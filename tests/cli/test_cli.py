"""The `openrcm` command as a coder and a newcomer use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openrcm.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _needs_data(data_dir: Path) -> None:
    """Every command here reads the real code sets."""


def test_lookup_json_reaches_e11_22() -> None:
    result = runner.invoke(
        app,
        ["codes", "lookup", "diabetes type 2 with chronic kidney disease", "--json", "--date", "2026-06-01"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    best = data["results"][0]
    assert best["code"]["code"] == "E11.22" and best["code"]["billable"] is True
    assert any("N18.1-N18.6" in n for n in best["code"]["use_additional_code"])
    assert best["path"][0] == "Diabetes, diabetic"


def test_lookup_prints_path_and_tabular_facts() -> None:
    result = runner.invoke(app, ["codes", "lookup", "pneumonia aspiration"])
    assert result.exit_code == 0, result.output
    assert "Aspiration > pneumonia" in result.output and "J69.0" in result.output and "billable" in result.output


def test_lookup_of_a_table_entry_lists_its_columns() -> None:
    result = runner.invoke(app, ["codes", "lookup", "acetaminophen", "--json"])
    data = json.loads(result.output)
    table = next(r["table"] for r in data["results"] if "table" in r)
    assert table["Adverse effect"]["code"] == "T39.1X5"
    assert table["Adverse effect"]["requires_seventh_character"] is True


def test_show_forgiving_input_and_inherited_notes() -> None:
    result = runner.invoke(app, ["codes", "show", " e1122 ", "--date", "2026-06-01", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["valid"] is True and data["entry"]["code"] == "E11.22"
    assert data["release"].startswith("ICD-10-CM FY2026")
    kinds = {n["kind"] for n in data["entry"]["inherited_notes"]}
    assert {"excludes1", "use additional code"} <= kinds
    text = runner.invoke(app, ["codes", "show", "J44.1"]).output
    assert "Inherited notes" in text and "from J40-J4A" in text


def test_show_invalid_code_names_nearest() -> None:
    result = runner.invoke(app, ["codes", "show", "E11.2Z"])
    assert result.exit_code == 1
    assert "E11.21" in result.output and "E11.22" in result.output


def test_date_no_release_covers_is_a_clear_error() -> None:
    result = runner.invoke(app, ["codes", "show", "E11.22", "--date", "2024-01-01"])
    assert result.exit_code == 2
    assert "No loaded ICD-10-CM release covers the date of service 2024-01-01" in result.output
    assert "Traceback" not in result.output


def test_bad_data_dir_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    env = {"OPENRCM_DATA_DIR": str(tmp_path / "missing"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "openrcm", "codes", "show", "E11.22"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert "OPENRCM_DATA_DIR" in proc.stderr and "Traceback" not in proc.stderr


def test_codesets_info_json() -> None:
    result = runner.invoke(app, ["codesets", "info", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["icd10cm"][0]["billable_codes"] >= 74_000
    assert data["cpt"]["demo"] is True


def test_demo_runs_the_whole_cycle(tmp_path: Path) -> None:
    from decimal import Decimal

    from x12check import pyx12_accepts

    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "E11.22" in result.output and "NCCI PTP" in result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    # the ledger accounts for every dollar charged
    parts = ("payer_paid", "patient_paid", "contractual_adjustments", "patient_responsibility", "open_payer_ar")
    assert Decimal(summary["charges"]) == sum((Decimal(summary[k]) for k in parts), Decimal("0"))
    assert summary["corrected_claims"] and summary["denials_worked"][0]["category"] == "authorization"
    assert (tmp_path / "pdf" / "statements.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "pdf" / "appeal-DEMO0002.pdf").read_bytes().startswith(b"%PDF")
    assert summary["statements"] and "<svg" in (tmp_path / "kpis.svg").read_text()
    assert summary["kpis"]["Denial rate"] is not None
    for folder in ("837p", "837i", "999", "277ca", "835"):
        files = sorted((tmp_path / folder).iterdir())
        assert files, folder
        ok, ack = pyx12_accepts(files[-1].read_text())
        assert ok, (folder, ack)
