"""Bad reference files give a clear error naming the file and the position, never a traceback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from openrcm.codesets.billing import load_code_list
from openrcm.codesets.cpt import parse_cpt
from openrcm.codesets.hcpcs import parse_anweb, parse_hcpcs_csv
from openrcm.codesets.icd10cm.index import parse_index_csv, parse_index_xml
from openrcm.codesets.icd10cm.tabular import parse_tabular
from openrcm.codesets.ncci import PtpSetting, parse_aoc, parse_mue, parse_ptp
from openrcm.core.errors import DataFileError

EFF = dt.date(2031, 1, 1)
XML_LOADERS: dict[str, Callable[[Path], object]] = {
    "tabular": parse_tabular,
    "index xml": lambda p: parse_index_xml(p, "index"),
}
CSV_LOADERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "index csv": (
        parse_index_csv,
        "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,0,Abasia,,,,F44.4\n",
    ),
    "hcpcs csv": (parse_hcpcs_csv, "Code,Description\nJ1100,dexamethasone\n"),
    "cpt": (parse_cpt, "code,descriptor\n99213,office visit\n"),
    "ptp": (
        lambda p: parse_ptp(p, PtpSetting.PRACTITIONER, EFF),
        "column_1,column_2,deletion_date,modifier_indicator\n20610,99214,*,1\n",
    ),
    "mue": (lambda p: parse_mue(p, "practitioner", EFF), "hcpcs_code,mue_units,mue_mai\n99213,2,3\n"),
    "aoc": (lambda p: parse_aoc(p, EFF), "primary_code,add_on_code,aoc_edit_type\n17000,17003,1\n"),
    "code list": (lambda p: load_code_list(p, "pos"), "code,display\n11,Office\n"),
}


def _raises(loader: Callable[[Path], object], path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        loader(path)
    assert path.name in str(info.value)
    return info.value


@pytest.mark.parametrize("name", sorted(XML_LOADERS))
def test_truncated_xml_names_line_and_column(tmp_path: Path, fixtures: Path, name: str) -> None:
    source = fixtures / "icd10cm" / ("mini-tabular-2031.xml" if name == "tabular" else "mini-index-2031.xml")
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes()[:900])
    error = _raises(XML_LOADERS[name], path)
    assert error.position is not None and error.position.startswith("line ")


@pytest.mark.parametrize("name", sorted(XML_LOADERS))
def test_xml_in_the_wrong_encoding(tmp_path: Path, name: str) -> None:
    path = tmp_path / "latin1.xml"
    root = "ICD10CM.tabular" if name == "tabular" else "ICD10CM.index"
    path.write_bytes(
        f'<?xml version="1.0" encoding="utf-8"?>\n<{root}><version>S\xe9</version></{root}>'.encode("latin-1")
    )
    error = _raises(XML_LOADERS[name], path)
    assert error.position == "line 2, column 29" or (error.position or "").startswith("line 2")


@pytest.mark.parametrize("name", sorted(XML_LOADERS))
def test_xml_with_the_wrong_root(tmp_path: Path, name: str) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<claims/>")
    assert "expected" in str(_raises(XML_LOADERS[name], path))


@pytest.mark.parametrize("name", sorted({**XML_LOADERS, **{k: v[0] for k, v in CSV_LOADERS.items()}}))
def test_empty_file(tmp_path: Path, name: str) -> None:
    loader = XML_LOADERS.get(name) or CSV_LOADERS[name][0]
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "empty" in str(_raises(loader, path))


@pytest.mark.parametrize("name", sorted(CSV_LOADERS))
def test_good_csv_loads(tmp_path: Path, name: str) -> None:
    loader, text = CSV_LOADERS[name]
    path = tmp_path / "good.csv"
    path.write_text(text)
    assert loader(path)


@pytest.mark.parametrize("name", sorted(CSV_LOADERS))
def test_csv_with_wrong_columns(tmp_path: Path, name: str) -> None:
    loader, _ = CSV_LOADERS[name]
    path = tmp_path / "wrong.csv"
    path.write_text("foo,bar,baz\n1,2,3\n")
    error = _raises(loader, path)
    assert "column" in error.reason


@pytest.mark.parametrize("name", sorted(CSV_LOADERS))
def test_csv_in_the_wrong_encoding(tmp_path: Path, name: str) -> None:
    loader, text = CSV_LOADERS[name]
    path = tmp_path / "latin1.csv"
    path.write_bytes((text + text.splitlines()[1].replace("1", "\xe9", 1) + "\n").encode("latin-1"))
    error = _raises(loader, path)
    assert "UTF-8" in error.reason and (error.position or "").startswith("line 3")


@pytest.mark.parametrize("name", sorted(CSV_LOADERS))
def test_truncated_csv_row(tmp_path: Path, name: str) -> None:
    loader, text = CSV_LOADERS[name]
    header, row = text.splitlines()[:2]
    path = tmp_path / "short.csv"
    path.write_text(f"{header}\n{row}\n{row.split(',')[0]}\n")
    error = _raises(loader, path)
    assert error.position == "line 3"


def test_anweb_with_foreign_records(tmp_path: Path) -> None:
    path = tmp_path / "HCPC2031_JAN_ANWEB.txt"
    path.write_text("A1001007DRESSING FOR ONE WOUND\nthis is not a record\n")
    error = _raises(parse_anweb, path)
    assert error.position == "line 2"


def test_index_csv_that_skips_a_level(tmp_path: Path) -> None:
    path = tmp_path / "index.csv"
    path.write_text("RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,0,Abasia,,,,F44.4\n2,A,3,deep,,,,X\n")
    error = _raises(parse_index_csv, path)
    assert error.position == "line 3" and "skips a level" in error.reason


def test_gzip_that_is_cut_short(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "ptp_eff2031-01-01.csv.gz"
    path.write_bytes(gzip.compress(b"column_1,column_2,deletion_date,modifier_indicator\n" * 50)[:40])
    assert "gzip" in str(_raises(lambda p: parse_ptp(p, PtpSetting.PRACTITIONER, EFF), path))
