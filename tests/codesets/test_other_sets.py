"""HCPCS Level II, the CPT file, and the billing code lists."""

from __future__ import annotations

import datetime as dt

import pytest

from openrcm.codesets import CodeSets
from openrcm.codesets.billing import taxonomy_well_formed
from openrcm.codesets.cpt import load_cpt
from openrcm.core.issue import Severity


def test_hcpcs_anweb_record_file(code_sets: CodeSets) -> None:
    oct2024 = next(r for r in code_sets.hcpcs.releases if r.effective == dt.date(2024, 10, 1))
    qw = oct2024.codes["QW"]
    assert qw.is_modifier and qw.description == "CLIA WAIVED TEST"
    j1100 = oct2024.codes["J1100"]
    assert j1100.description.startswith("INJECTION, DEXAMETHASONE") and j1100.betos == "O1E"
    terminated = [c for c in oct2024.codes.values() if c.terminated]
    assert terminated, "the ANWEB file carries terminated codes"
    gone = terminated[0]
    assert gone.terminated is not None
    assert not gone.active_on(gone.terminated + dt.timedelta(days=1))


def test_hcpcs_by_date_of_service(code_sets: CodeSets) -> None:
    entry, issues = code_sets.hcpcs.get("j1100", dt.date(2025, 11, 1))
    assert entry is not None and issues == ()
    entry, issues = code_sets.hcpcs.get("J1100", dt.date(2026, 6, 1))
    assert entry is not None and [i.code for i in issues] == ["HCPCS_STALE"]
    missing, issues = code_sets.hcpcs.get("J9999X", dt.date(2025, 11, 1))
    assert missing is None and issues[-1].severity == Severity.ERROR


def test_demo_cpt_file_is_ours_and_marked_demo() -> None:
    cpt = load_cpt()
    assert cpt.demo
    entry, issues = cpt.get("99214", dt.date(2026, 6, 1))
    assert entry is not None and not issues and not entry.is_modifier
    assert cpt.codes["25"].is_modifier
    unknown, issues = cpt.get("27447", dt.date(2026, 6, 1))
    assert unknown is None and "licensed CPT file" in issues[0].message


def test_user_cpt_file_wins(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cpt.csv"
    path.write_text("code,descriptor,effective_date,termination_date\n27447,knee,2030-01-01,\n")
    monkeypatch.setenv("OPENRCM_CPT_FILE", str(path))
    cpt = load_cpt()
    assert not cpt.demo
    assert cpt.get("27447", dt.date(2029, 12, 31))[0] is None
    assert cpt.get("27447", dt.date(2030, 1, 1))[0] is not None


def test_billing_code_lists(code_sets: CodeSets) -> None:
    billing = code_sets.billing
    assert billing.place_of_service.get("11").display == "Office"  # type: ignore[union-attr]
    assert "02" in billing.place_of_service
    assert billing.carc.get("45") is not None and billing.carc.get("1").display == "Deductible Amount"  # type: ignore[union-attr]
    assert {"CO", "PR", "OA", "PI"} <= set(billing.adjustment_groups.entries)
    assert billing.claim_frequency.get("7").display.startswith("Replacement")  # type: ignore[union-attr]
    assert "207Q00000X" in billing.taxonomy  # family medicine
    assert taxonomy_well_formed("207Q00000X") and not taxonomy_well_formed("207Q0000X")


def test_rarc_list_is_read_when_supplied(tmp_path, data_dir) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from openrcm.codesets.billing import load_billing

    folder = tmp_path / "billing"
    shutil.copytree(data_dir / "billing", folder)
    assert load_billing(folder).rarc is None
    (folder / "rarc.csv").write_text("code,display\nN130,Consult plan benefit documents for coverage limits.\n")
    rarc = load_billing(folder).rarc
    assert rarc is not None and "N130" in rarc
