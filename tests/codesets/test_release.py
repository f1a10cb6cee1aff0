"""Effective dating of ICD-10-CM releases and the code checks a coder makes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from openrcm.codesets import CodeSets, normalize_code
from openrcm.codesets.icd10cm.release import load_icd10cm, tabular_effective
from openrcm.core.issue import Issue, Severity


def test_a_date_outside_every_release_is_a_clear_finding(code_sets: CodeSets) -> None:
    found = code_sets.icd10cm.for_date(dt.date(2025, 1, 15))
    assert isinstance(found, Issue)
    assert found.severity == Severity.ERROR
    assert "2025-01-15" in found.message and "2026-04-01 to 2026-09-30" in found.message
    check = code_sets.icd10cm.check("E11.22", dt.date(2026, 10, 1))  # FY2027 starts: not loaded
    assert not check.valid and check.issues[0].code == "ICD10CM_NO_RELEASE"


@pytest.mark.parametrize("text", ["e1122", " E11.22 ", "E11.22", "e11.22"])
def test_forgiving_input(code_sets: CodeSets, text: str) -> None:
    check = code_sets.icd10cm.check(text, dt.date(2026, 6, 1))
    assert check.valid and check.code == "E11.22"


def test_invalid_code_names_the_nearest_valid_codes(code_sets: CodeSets) -> None:
    check = code_sets.icd10cm.check("E11.2Z", dt.date(2026, 6, 1))
    assert not check.valid
    (issue,) = check.issues
    assert issue.code == "ICD10CM_INVALID"
    assert "E11.21" in issue.message and "E11.22" in issue.message and "E11.29" in issue.message


def test_header_and_missing_seventh_character_are_not_billable(code_sets: CodeSets) -> None:
    header = code_sets.icd10cm.check("E11", dt.date(2026, 6, 1))
    assert header.issues[0].code == "ICD10CM_NOT_BILLABLE"
    sprain = code_sets.icd10cm.check("S93.401", dt.date(2026, 6, 1))
    assert "7th character" in sprain.issues[0].message and "S93.401A" in sprain.issues[0].message


def test_normalize_code() -> None:
    assert normalize_code("s93401a") == "S93.401A"
    assert normalize_code("I10") == "I10"
    assert normalize_code("12345") is None
    assert normalize_code("E11.22.3") is None


def test_effective_date_from_file_name() -> None:
    assert tabular_effective(Path("icd10cm-tabular-April-1-2026.xml"), "2026") == dt.date(2026, 4, 1)
    assert tabular_effective(Path("icd10cm_tabular_2027.xml"), "2027") == dt.date(2026, 10, 1)


def test_two_releases_split_the_fiscal_year(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRCM_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "icd10cm"
    folder.mkdir()
    source = fixtures / "icd10cm" / "mini-tabular-2031.xml"
    shutil.copy(source, folder / "icd10cm-tabular-2031.xml")
    april = folder / "icd10cm-tabular-April-1-2031.xml"
    april.write_text(source.read_text().replace("<name>E11.9</name>", "<name>E11.8</name>"))
    library = load_icd10cm(folder)
    october, spring = library.releases
    assert (october.info.effective, october.info.ends) == (dt.date(2030, 10, 1), dt.date(2031, 3, 31))
    assert (spring.info.effective, spring.info.ends) == (dt.date(2031, 4, 1), dt.date(2031, 9, 30))
    assert library.check("E11.9", dt.date(2031, 3, 31)).valid
    after = library.check("E11.9", dt.date(2031, 4, 1))
    assert not after.valid and after.issues[0].code == "ICD10CM_INVALID"
    assert library.check("E11.8", dt.date(2031, 4, 1)).valid
