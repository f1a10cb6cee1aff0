"""NCCI PTP, MUE and AOC tables: our CMS-layout fixtures, and the real July 2024 files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openrcm.codesets import CodeSets
from openrcm.codesets.ncci import PtpSetting, build_ptp, load_ncci, parse_aoc, parse_mue, parse_ptp
from openrcm.core.issue import Severity

EFF = dt.date(2031, 1, 1)


def test_ptp_in_the_cms_layout(fixtures: Path) -> None:
    table = parse_ptp(fixtures / "ncci" / "ptp_cms_layout_eff2031-01-01.csv", PtpSetting.PRACTITIONER, EFF)
    assert len(table) == 4
    edit = table.edit("20610", "99214", dt.date(2031, 2, 1))
    assert edit is not None and edit.modifier_indicator == "1"
    assert edit.effective == dt.date(2030, 1, 1) and edit.deletion is None
    assert table.edit("99214", "20610", dt.date(2031, 2, 1)) is None  # direction matters
    assert table.edit("20610", "99214", dt.date(2029, 12, 31)) is None  # before it took effect
    assert table.edit("36415", "36410", dt.date(2031, 2, 1)).modifier_indicator == "0"  # type: ignore[union-attr]
    # deleted edits stop applying on their deletion date (effective <= DOS < deletion)
    assert table.edit("11102", "11103", dt.date(2030, 12, 30)) is not None
    assert table.edit("11102", "11103", dt.date(2030, 12, 31)) is None
    assert table.has_column1("20610") and not table.has_column1("99999")


def test_a_pair_deleted_and_added_again_keeps_both_periods() -> None:
    rows = [
        ("20610", "99214", 20200101, 20201231, "1", "first"),
        ("20610", "99214", 20220101, 99991231, "0", "again"),
    ]
    table = build_ptp(rows, name="t", effective=EFF, source="t", setting=PtpSetting.PRACTITIONER)
    assert table.edit("20610", "99214", dt.date(2020, 6, 1)).rationale == "first"  # type: ignore[union-attr]
    assert table.edit("20610", "99214", dt.date(2021, 6, 1)) is None
    assert table.edit("20610", "99214", dt.date(2023, 6, 1)).modifier_indicator == "0"  # type: ignore[union-attr]
    assert len(table.history("20610", "99214")) == 2


def test_mue_and_aoc_in_the_cms_layout(fixtures: Path) -> None:
    mue = parse_mue(fixtures / "ncci" / "mue_cms_layout_eff2031-01-01.csv", "practitioner", EFF)
    assert (mue.get("99214").value, mue.get("99214").mai) == (1, 2)  # type: ignore[union-attr]
    assert mue.get("20610").mai_text == "line edit"  # type: ignore[union-attr]
    aoc = parse_aoc(fixtures / "ncci" / "aoc_cms_layout_2031-01-01.csv", EFF)
    assert aoc.get("90472").primaries == {"90471", "90460"}  # type: ignore[union-attr]
    assert aoc.get("99417").edit_type == 2 and not aoc.get("99417").primaries  # type: ignore[union-attr]


def test_tables_are_chosen_by_date_of_service(fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRCM_CACHE_DIR", str(tmp_path))
    ncci = load_ncci(fixtures / "ncci")
    table, issues = ncci.ptp_for(dt.date(2031, 2, 1))
    assert table is not None and issues == ()
    table, issues = ncci.ptp_for(dt.date(2031, 8, 1))
    assert table is not None and issues[0].severity == Severity.WARNING
    assert issues[0].code == "NCCI_PTP_STALE"
    table, issues = ncci.mue_for(dt.date(2030, 6, 1))
    assert table is None and issues[0].severity == Severity.ERROR


def test_real_practitioner_tables(code_sets: CodeSets) -> None:
    dos = dt.date(2024, 8, 1)
    ptp, issues = code_sets.ncci.ptp_for(dos)
    assert ptp is not None and issues == ()
    assert len(ptp) == 2_546_017
    mue, _ = code_sets.ncci.mue_for(dos)
    assert mue is not None
    assert (mue.get("99213").value, mue.get("99213").mai) == (2, 3)  # type: ignore[union-attr]
    assert mue.get("J1100").value == 120  # type: ignore[union-attr]
    aoc, _ = code_sets.ncci.aoc_for(dos)
    assert aoc is not None and "17000" in aoc.get("17003").primaries  # type: ignore[union-attr]
    outpatient, _ = code_sets.ncci.ptp_for(dos, PtpSetting.OUTPATIENT_HOSPITAL)
    assert outpatient is not None and len(outpatient) == 1_775_818
