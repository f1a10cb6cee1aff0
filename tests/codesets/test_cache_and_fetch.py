"""The compiled cache (invalidated by content, not names) and `codesets fetch` from a local mirror."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from openrcm.codesets.cache import cached
from openrcm.codesets.fetch import FetchItem, fetch, load_manifest
from openrcm.core.errors import DataFileError, OpenRCMError


def test_cache_is_reused_and_invalidated_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRCM_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "table.csv"
    source.write_text("a,1\n")
    builds: list[str] = []

    def build() -> str:
        builds.append(source.read_text())
        return source.read_text()

    assert cached("t", [source], build) == "a,1\n"
    assert cached("t", [source], build) == "a,1\n"
    assert len(builds) == 1
    source.write_text("b,2\n")  # same size, other content
    assert cached("t", [source], build) == "b,2\n"
    assert len(builds) == 2


def test_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRCM_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "table.csv"
    source.write_text("x")
    cached("t", [source], lambda: 1)
    for f in (tmp_path / "cache").iterdir():
        f.write_bytes(b"garbage")
    assert cached("t", [source], lambda: 2) == 2


def test_fetch_from_a_local_mirror(tmp_path: Path, fixtures: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    with zipfile.ZipFile(mirror / "icd10cm-Table-and-Index-2031.zip", "w") as archive:
        archive.write(fixtures / "icd10cm" / "mini-tabular-2031.xml", "Table and Index/icd10cm-tabular-2031.xml")
        archive.writestr("Table and Index/icd10cm-tabular-2031.pdf", b"%PDF")
    (mirror / "mue_eff2031-01-01.csv").write_bytes(
        (fixtures / "ncci" / "mue_cms_layout_eff2031-01-01.csv").read_bytes()
    )
    items = [
        FetchItem(
            "ICD-10-CM",
            "https://example.invalid/2031/icd10cm-Table-and-Index-2031.zip",
            "icd10cm",
            ("*tabular*.xml",),
        ),
        FetchItem("MUE", "https://example.invalid/mue_eff2031-01-01.csv", "ncci"),
    ]
    dest = tmp_path / "data"
    written = fetch(dest, items, source=str(mirror))
    assert sorted(p.relative_to(dest).as_posix() for p, _ in written) == [
        "icd10cm/icd10cm-tabular-2031.xml",
        "ncci/mue_eff2031-01-01.csv",
    ]
    assert "sha256" in (dest / "FETCHED.toml").read_text()
    assert not (dest / "icd10cm" / "icd10cm-tabular-2031.pdf").exists()


def test_fetch_reports_missing_and_bad_files(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "broken.zip").write_text("<html>not found</html>")
    with pytest.raises(OpenRCMError, match=r"absent\.zip is not in"):
        fetch(tmp_path / "d", [FetchItem("x", "https://e.invalid/absent.zip", "x", ("*",))], source=str(mirror))
    with pytest.raises(DataFileError, match="not a zip"):
        fetch(tmp_path / "d", [FetchItem("x", "https://e.invalid/broken.zip", "x", ("*",))], source=str(mirror))


def test_builtin_manifest_names_official_sources() -> None:
    items = load_manifest()
    assert {i.folder for i in items} >= {"icd10cm", "hcpcs", "ncci"}
    assert all(i.url.startswith("https://") for i in items)
