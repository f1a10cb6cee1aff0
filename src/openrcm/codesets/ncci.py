"""CMS National Correct Coding Initiative tables: procedure-to-procedure (PTP) edits, medically
unlikely edits (MUE) and add-on code (AOC) edits, effective-dated by quarter (domain-rules §5.3).

Layouts read: the CMS files (``Column 1``, ``Column 2``, ``*=in existence prior to 1996``,
``Effective Date``, ``Deletion Date``, ``Modifier 0=not allowed 1=allowed 9=not applicable``,
``PTP Edit Rationale``; ``HCPCS/CPT Code``, ``... MUE Values``, ``MUE Adjudication Indicator``,
``MUE Rationale``; ``Add-on Code``, ``Primary Code``, ``AOC Edit Type``) and the same tables with
snake_case headers (``column_1``, ``deletion_date``, ``mue_units``, ``mue_mai``...). Either may be
gzip-compressed.

A PTP table of two and a half million pairs is held as sorted integer arrays (about 17 bytes
a pair): each code is a base-36 number, a pair is one 52-bit key, and a lookup is a binary search.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openrcm.codesets.cache import cached
from openrcm.codesets.quarterly import QuarterlyRelease, effective_from_name, pick_release
from openrcm.codesets.sources import read_csv_aliased
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue

_CODE = re.compile(r"^[0-9A-Z]{5}$")
_SHIFT = 26  # 36**5 < 2**26
NO_DATE = 99991231
MUE_MAI_TEXT = {
    1: "line edit",
    2: "date of service edit: policy",
    3: "date of service edit: clinical",
}


def code_number(code: str) -> int:
    """A 5-character HCPCS/CPT code as a base-36 number (``99213`` -> 1 ... )."""
    return int(code, 36)


def _yyyymmdd(path: Path, line: int, text: str, default: int) -> int:
    raw = text.strip().replace("-", "")
    if not raw or raw == "*":
        return default
    if len(raw) != 8 or not raw.isdigit():
        raise DataFileError(path, f"{text!r} is not a date (YYYYMMDD)", f"line {line}")
    return int(raw)


def _as_date(value: int) -> dt.date | None:
    if value >= NO_DATE:
        return None
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def _dos_number(dos: dt.date) -> int:
    return dos.year * 10000 + dos.month * 100 + dos.day


class PtpSetting(enum.StrEnum):
    PRACTITIONER = "practitioner"
    OUTPATIENT_HOSPITAL = "outpatient hospital"


@dataclass(frozen=True, slots=True)
class PtpEdit:
    column1: str
    column2: str
    effective: dt.date | None
    deletion: dt.date | None
    modifier_indicator: str  # "0" never bypassed, "1" an NCCI-associated modifier may bypass, "9" not applicable
    rationale: str
    prior_1996: bool | None = None

    def active_on(self, dos: dt.date) -> bool:
        """In force on ``dos``: effective <= DOS < deletion (domain-rules S8)."""
        if self.effective is not None and dos < self.effective:
            return False
        return self.deletion is None or dos < self.deletion


@dataclass(frozen=True, slots=True)
class PtpTable(QuarterlyRelease):
    setting: PtpSetting
    keys: array[int]  # sorted pair keys
    starts: array[int]  # YYYYMMDD the edit took effect, 0 when the file does not say
    ends: array[int]  # YYYYMMDD of deletion, 99991231 when none
    indicator: bytes
    rationale_index: bytes
    rationales: tuple[str, ...]
    column1_codes: frozenset[int] = field(default_factory=frozenset)

    def __len__(self) -> int:
        return len(self.keys)

    def _rows(self, col1: str, col2: str) -> Iterable[int]:
        if not (_CODE.match(col1) and _CODE.match(col2)):
            return ()
        key = (code_number(col1) << _SHIFT) | code_number(col2)
        i = bisect_left(self.keys, key)
        rows = []
        while i < len(self.keys) and self.keys[i] == key:
            rows.append(i)
            i += 1
        return rows

    def _edit(self, row: int, col1: str, col2: str) -> PtpEdit:
        return PtpEdit(
            col1,
            col2,
            _as_date(self.starts[row]) if self.starts[row] else None,
            _as_date(self.ends[row]),
            chr(self.indicator[row]),
            self.rationales[self.rationale_index[row]],
        )

    def edit(self, col1: str, col2: str, dos: dt.date) -> PtpEdit | None:
        """The edit in force on ``dos`` with ``col1`` as column 1 and ``col2`` as column 2 (the code denied)."""
        day = _dos_number(dos)
        for row in self._rows(col1, col2):
            if self.starts[row] <= day < self.ends[row]:
                return self._edit(row, col1, col2)
        return None

    def history(self, col1: str, col2: str) -> list[PtpEdit]:
        return [self._edit(r, col1, col2) for r in self._rows(col1, col2)]

    def has_column1(self, code: str) -> bool:
        return bool(_CODE.match(code)) and code_number(code) in self.column1_codes


def build_ptp(
    rows: Iterable[tuple[str, str, int, int, str, str]],
    *,
    name: str,
    effective: dt.date,
    source: str,
    setting: PtpSetting,
) -> PtpTable:
    """Build a table from ``(col1, col2, effective, deletion, indicator, rationale)`` rows."""
    keys = array("q")
    eff = array("l")
    dele = array("l")
    ind = bytearray()
    rat = bytearray()
    rationales: dict[str, int] = {}
    for col1, col2, e, d, i, r in rows:
        keys.append((code_number(col1) << _SHIFT) | code_number(col2))
        eff.append(e)
        dele.append(d)
        ind.append(ord(i))
        rat.append(rationales.setdefault(r, len(rationales)) if len(rationales) < 255 else 255)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    table = PtpTable(
        "NCCI PTP",
        name,
        effective,
        source,
        setting,
        array("q", (keys[i] for i in order)),
        array("l", (eff[i] for i in order)),
        array("l", (dele[i] for i in order)),
        bytes(ind[i] for i in order),
        bytes(rat[i] for i in order),
        tuple(rationales) + (("(other)",) if len(rationales) >= 255 else ()),
        frozenset(k >> _SHIFT for k in keys),
    )
    return table


PTP_COLUMNS = {
    "col1": ("column_1", "column 1", "column1"),
    "col2": ("column_2", "column 2", "column2"),
    "prior": ("in existence prior to 1996", "prior_1996", "existence"),
    "effective": ("effective date", "effective_date"),
    "deletion": ("deletion date", "deletion_date"),
    "indicator": ("modifier", "modifier_indicator"),
    "rationale": ("ptp edit rationale", "ptp_edit_rationale", "rationale"),
}


def parse_ptp(path: Path, setting: PtpSetting, effective: dt.date) -> PtpTable:
    def rows() -> Iterable[tuple[str, str, int, int, str, str]]:
        for line, row in read_csv_aliased(path, PTP_COLUMNS, optional=("prior", "effective", "rationale")):
            col1, col2 = row["col1"].upper(), row["col2"].upper()
            if not _CODE.match(col1) or not _CODE.match(col2):
                raise DataFileError(path, f"{col1!r}/{col2!r} is not a pair of HCPCS/CPT codes", f"line {line}")
            indicator = row["indicator"][:1]
            if indicator not in ("0", "1", "9"):
                raise DataFileError(path, f"modifier indicator {row['indicator']!r} is not 0, 1 or 9", f"line {line}")
            yield (
                col1,
                col2,
                _yyyymmdd(path, line, row["effective"], 0),
                _yyyymmdd(path, line, row["deletion"], NO_DATE),
                indicator,
                row["rationale"],
            )

    table = build_ptp(
        rows(),
        name=f"NCCI PTP {setting.value} {effective.isoformat()}",
        effective=effective,
        source=path.name,
        setting=setting,
    )
    if not len(table):
        raise DataFileError(path, "no PTP edits found")
    return table


@dataclass(frozen=True, slots=True)
class Mue:
    code: str
    value: int
    mai: int  # 1 line edit, 2 date-of-service policy edit, 3 date-of-service clinical edit
    rationale: str

    @property
    def mai_text(self) -> str:
        return MUE_MAI_TEXT.get(self.mai, "unknown")


@dataclass(frozen=True, slots=True)
class MueTable(QuarterlyRelease):
    setting: str
    values: dict[str, Mue]

    def get(self, code: str) -> Mue | None:
        return self.values.get(code.strip().upper())


MUE_COLUMNS = {
    "code": ("hcpcs_code", "hcpcs/cpt code", "hcpcscpt code", "hcpcs"),
    "value": (
        "mue_units",
        "practitioner services mue values",
        "outpatient hospital services mue values",
        "dme supplier services mue values",
        "mue value",
    ),
    "mai": ("mue_mai", "mue adjudication indicator", "mai"),
    "rationale": ("mue_rationale", "mue rationale"),
}


def parse_mue(path: Path, setting: str, effective: dt.date) -> MueTable:
    values: dict[str, Mue] = {}
    for line, row in read_csv_aliased(path, MUE_COLUMNS, optional=("rationale",)):
        code = row["code"].upper()
        if not _CODE.match(code):
            raise DataFileError(path, f"{code!r} is not an HCPCS/CPT code", f"line {line}")
        try:
            value = int(row["value"])
            mai = int(row["mai"].strip()[:1])
        except ValueError:
            raise DataFileError(
                path, f"MUE value {row['value']!r} / MAI {row['mai']!r} are not numbers", f"line {line}"
            ) from None
        if mai not in MUE_MAI_TEXT:
            raise DataFileError(path, f"MAI {mai} is not 1, 2 or 3", f"line {line}")
        values[code] = Mue(code, value, mai, row["rationale"])
    if not values:
        raise DataFileError(path, "no MUE rows found")
    return MueTable("NCCI MUE", f"NCCI MUE {setting} {effective.isoformat()}", effective, path.name, setting, values)


@dataclass(frozen=True, slots=True)
class AddOnCode:
    code: str
    edit_type: int  # 1: only the listed primaries; 2: no specific primary listed (payer decides); 3: listed and others
    primaries: frozenset[str]


@dataclass(frozen=True, slots=True)
class AocTable(QuarterlyRelease):
    codes: dict[str, AddOnCode]

    def get(self, code: str) -> AddOnCode | None:
        return self.codes.get(code.strip().upper())


AOC_COLUMNS = {
    "primary": ("primary_code", "primary code"),
    "addon": ("add_on_code", "addon code", "add-on code", "add on code"),
    "type": ("aoc_edit_type", "aoc edit type"),
}


def parse_aoc(path: Path, effective: dt.date) -> AocTable:
    primaries: dict[str, set[str]] = {}
    types: dict[str, int] = {}
    for line, row in read_csv_aliased(path, AOC_COLUMNS):
        addon, primary = row["addon"].upper(), row["primary"].upper()
        if not _CODE.match(addon):
            raise DataFileError(path, f"{addon!r} is not an HCPCS/CPT code", f"line {line}")
        try:
            types[addon] = int(row["type"])
        except ValueError:
            raise DataFileError(path, f"AOC edit type {row['type']!r} is not a number", f"line {line}") from None
        bucket = primaries.setdefault(addon, set())
        if primary != "CCCCC":  # CMS's placeholder: no specific primary code listed
            bucket.add(primary)
    if not types:
        raise DataFileError(path, "no add-on code rows found")
    codes = {a: AddOnCode(a, types[a], frozenset(p)) for a, p in primaries.items()}
    return AocTable("NCCI AOC", f"NCCI add-on codes {effective.isoformat()}", effective, path.name, codes)


@dataclass(frozen=True, slots=True)
class Ncci:
    """Every loaded NCCI table, by kind; each lookup takes the date of service."""

    ptp: dict[PtpSetting, tuple[PtpTable, ...]]
    mue: dict[str, tuple[MueTable, ...]]
    aoc: tuple[AocTable, ...]

    def ptp_for(
        self, dos: dt.date, setting: PtpSetting = PtpSetting.PRACTITIONER
    ) -> tuple[PtpTable | None, tuple[Issue, ...]]:
        return pick_release(self.ptp.get(setting, ()), dos)

    def mue_for(self, dos: dt.date, setting: str = "practitioner") -> tuple[MueTable | None, tuple[Issue, ...]]:
        return pick_release(self.mue.get(setting, ()), dos)

    def aoc_for(self, dos: dt.date) -> tuple[AocTable | None, tuple[Issue, ...]]:
        return pick_release(self.aoc, dos)


def _effective(path: Path) -> dt.date:
    eff = effective_from_name(path)
    if eff is None:
        raise DataFileError(path, "cannot tell the quarter from the file name (expected e.g. ..._eff2024-07-01...)")
    return eff


def load_ncci(folder: Path, *, use_cache: bool = True) -> Ncci:
    ptp: dict[PtpSetting, list[PtpTable]] = {}
    mue: dict[str, list[MueTable]] = {}
    aoc: list[AocTable] = []
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    for path in files:
        name = path.name.lower()
        if not name.endswith((".csv", ".csv.gz", ".txt")):
            continue
        if "ptp" in name:
            setting = (
                PtpSetting.OUTPATIENT_HOSPITAL if "outpatient" in name or "hosp" in name else PtpSetting.PRACTITIONER
            )
            eff = _effective(path)
            ptp.setdefault(setting, []).append(
                cached(
                    "ncci-ptp",
                    [path],
                    functools.partial(parse_ptp, path, setting, eff),
                    use_cache=use_cache,
                )
            )
        elif "mue" in name:
            setting_name = (
                "outpatient hospital"
                if "outpatient" in name or "hosp" in name
                else "dme"
                if "dme" in name
                else "practitioner"
            )
            eff = _effective(path)
            mue.setdefault(setting_name, []).append(
                cached(
                    "ncci-mue",
                    [path],
                    functools.partial(parse_mue, path, setting_name, eff),
                    use_cache=use_cache,
                )
            )
        elif "aoc" in name or "add" in name:
            eff = _effective(path)
            aoc.append(cached("ncci-aoc", [path], functools.partial(parse_aoc, path, eff), use_cache=use_cache))
    return Ncci({k: tuple(v) for k, v in ptp.items()}, {k: tuple(v) for k, v in mue.items()}, tuple(aoc))
