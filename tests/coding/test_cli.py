"""`openrcm code` and `openrcm eval coding`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openrcm.cli.main import app

runner = CliRunner()
NOTE = "Assessment/Plan:\n1. T2DM with diabetic CKD, stage 3a - continue metformin 500 mg BID.\n2. HTN - at goal.\n"


def test_code_json_has_the_documented_shape(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE)
    result = runner.invoke(app, ["code", str(path), "--dos", "2026-06-12", "--age", "57", "--sex", "F", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["code"] for d in data["diagnoses"]][:2] == ["E11.22", "I12.9"]
    assert {"diagnoses", "procedures", "em_code", "queries", "findings"} <= set(data)
    assert data["diagnoses"][0]["evidence"][0]["text"].startswith("T2DM")
    assert all({"code", "modifiers", "units", "diagnosis_pointers"} <= set(p) for p in data["procedures"])


def test_the_report_says_why_no_em_was_assigned(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE)
    result = runner.invoke(app, ["code", str(path), "--dos", "2026-06-12", "--age", "57", "--setting", "inpatient"])
    assert result.exit_code == 0, result.output
    assert "No E/M" in result.output and "inpatient hospital" in " ".join(result.output.split())


def test_code_folder_writes_jsonl(tmp_path: Path, data_dir: Path) -> None:
    for n in range(3):
        (tmp_path / f"n{n}.txt").write_text(NOTE)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(app, ["code", str(tmp_path), "--dos", "2026-06-12", "--age", "57", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3 and rows[0]["file"] == "n0.txt"


def test_bad_note_files_are_clear_errors(tmp_path: Path, data_dir: Path) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF\x00\x01")
    result = runner.invoke(app, ["code", str(binary), "--dos", "2026-06-12", "--age", "5"])
    assert result.exit_code == 2 and "binary" in result.output and "Traceback" not in result.output
    plain = tmp_path / "n.txt"
    plain.write_text(NOTE)
    result = runner.invoke(app, ["code", str(plain)])
    assert result.exit_code == 2 and "--dos" in result.output


def test_eval_coding_on_vignettes(data_dir: Path) -> None:
    gold = data_dir.parent / "gold" / "vignettes-dev"
    result = runner.invoke(app, ["eval", "coding", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "n",
        "icd10cm_micro_precision",
        "icd10cm_micro_recall",
        "icd10cm_micro_f1",
        "first_listed_accuracy",
        "procedure_f1",
        "em_exact",
        "notes_per_second",
    ):
        assert key in data
    assert data["n"] == 40
