"""The Medicare Physician Fee Schedule files (CMS): relative values with their payment indicators,
and geographic practice cost indices (GPCI), effective by year.

Read from ``mpfs/`` in the data directory: the RVU file (``PPRRVU<yy>*.csv``: HCPCS, MOD, status,
work / PE / MP RVUs, PC/TC, global days, multiple-procedure and bilateral indicators, conversion
factor...) and ``GPCI<yyyy>.csv``. CPT descriptors are AMA's and are not needed here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openrcm.codesets.cache import cached
from openrcm.codesets.quarterly import QuarterlyRelease, pick_release
from openrcm.codesets.sources import read_csv_aliased
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue

RVU_COLUMNS = {
    "hcpcs": ("hcpcs",),
    "mod": ("mod",),
    "status": ("status code", "status"),
    "work": ("work rvu",),
    "pe_nonfacility": ("non-fac pe rvu", "nonfac pe rvu", "non-facility pe rvu"),
    "pe_facility": ("facility pe rvu",),
    "mp": ("mp rvu", "malpractice rvu"),
    "pctc": ("pctc ind", "pctc"),
    "global_days": ("glob days", "global"),
    "mult_proc": ("mult proc",),
    "bilateral": ("bilat surg",),
    "conversion_factor": ("conv factor", "conversion factor"),
}
GPCI_COLUMNS = {
    "mac": ("medicare administrative contractor", "mac", "contractor"),
    "state": ("state",),
    "locality": ("locality number", "locality"),
    "name": ("locality name",),
    "work": ("pw gpci", "work gpci", "2024 pw gpci", "2025 pw gpci", "2026 pw gpci"),
    "pe": ("pe gpci", "2024 pe gpci", "2025 pe gpci", "2026 pe gpci"),
    "mp": ("mp gpci", "2024 mp gpci", "2025 mp gpci", "2026 mp gpci"),
}


@dataclass(frozen=True, slots=True)
class RelativeValues:
    hcpcs: str
    modifier: str
    status: str
    work: Decimal
    pe_nonfacility: Decimal
    pe_facility: Decimal
    malpractice: Decimal
    pctc: str
    global_days: str  # 000, 010, 090, XXX, YYY, ZZZ, MMM
    multiple_procedure: str
    bilateral: str
    conversion_factor: Decimal

    @property
    def minor_procedure(self) -> bool:
        """A procedure with a 0- or 10-day global period: an E/M the same day needs modifier 25."""
        return self.global_days in ("000", "010")


@dataclass(frozen=True, slots=True)
class Gpci:
    mac: str
    state: str
    locality: str
    name: str
    work: Decimal
    pe: Decimal
    mp: Decimal


@dataclass(frozen=True, slots=True)
class FeeScheduleRelease(QuarterlyRelease):
    values: dict[tuple[str, str], RelativeValues]
    gpcis: dict[tuple[str, str], Gpci]  # (mac, locality)

    def get(self, hcpcs: str, modifier: str = "") -> RelativeValues | None:
        return self.values.get((hcpcs.upper(), modifier.upper())) or (
            self.values.get((hcpcs.upper(), "")) if modifier else None
        )


def _dec(path: Path, line: int, text: str) -> Decimal:
    try:
        return Decimal(text.strip() or "0")
    except InvalidOperation:
        raise DataFileError(path, f"{text!r} is not a number", f"line {line}") from None


def parse_rvu(path: Path) -> dict[tuple[str, str], RelativeValues]:
    values: dict[tuple[str, str], RelativeValues] = {}
    for line, row in read_csv_aliased(path, RVU_COLUMNS, optional=("mult_proc", "bilateral", "pctc")):
        code = row["hcpcs"].upper()
        if not re.fullmatch(r"[0-9A-Z]{5}", code):
            continue  # CMS files end with notice lines
        values[(code, row["mod"].upper())] = RelativeValues(
            code,
            row["mod"].upper(),
            row["status"],
            _dec(path, line, row["work"]),
            _dec(path, line, row["pe_nonfacility"]),
            _dec(path, line, row["pe_facility"]),
            _dec(path, line, row["mp"]),
            row["pctc"],
            row["global_days"].upper(),
            row["mult_proc"],
            row["bilateral"],
            _dec(path, line, row["conversion_factor"]),
        )
    if not values:
        raise DataFileError(path, "no relative value rows found")
    return values


def parse_gpci(path: Path) -> dict[tuple[str, str], Gpci]:
    gpcis: dict[tuple[str, str], Gpci] = {}
    for line, row in read_csv_aliased(path, GPCI_COLUMNS):
        if not row["mac"].strip().isdigit():
            continue
        key = (row["mac"].strip(), row["locality"].strip().zfill(2))
        gpcis[key] = Gpci(
            key[0],
            row["state"].strip(),
            key[1],
            row["name"].strip(),
            _dec(path, line, row["work"]),
            _dec(path, line, row["pe"]),
            _dec(path, line, row["mp"]),
        )
    if not gpcis:
        raise DataFileError(path, "no GPCI rows found")
    return gpcis


def _effective(path: Path) -> dt.date:
    match = re.search(r"(?:rvu|pprrvu)(\d{2})(?:[_ -]?(jan|apr|jul|oct|[a-d]))?", path.name.lower())
    if not match:
        raise DataFileError(path, "cannot tell the year from the file name (expected PPRRVU<yy>...)")
    year = 2000 + int(match.group(1))
    quarter = {"jan": 1, "a": 1, "apr": 4, "b": 4, "jul": 7, "c": 7, "oct": 10, "d": 10}.get(match.group(2) or "", 1)
    return dt.date(year, quarter, 1)


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    releases: tuple[FeeScheduleRelease, ...]

    def for_date(self, dos: dt.date) -> tuple[FeeScheduleRelease | None, tuple[Issue, ...]]:
        return pick_release(self.releases, dos)


def load_mpfs(folder: Path, *, use_cache: bool = True) -> FeeSchedule:
    releases: list[FeeScheduleRelease] = []
    rvu_files = sorted(folder.glob("PPRRVU*.csv")) if folder.is_dir() else []
    for rvu in rvu_files:
        eff = _effective(rvu)
        gpci_file = next(iter(sorted(folder.glob(f"GPCI{eff.year}*.csv"))), None)
        sources = [rvu] + ([gpci_file] if gpci_file else [])

        def build(r: Path = rvu, g: Path | None = gpci_file, e: dt.date = eff) -> FeeScheduleRelease:
            return FeeScheduleRelease(
                "MPFS", f"MPFS {e.year} ({e:%b} release)", e, r.name, parse_rvu(r), parse_gpci(g) if g else {}
            )

        releases.append(cached("mpfs", sources, build, use_cache=use_cache))
    return FeeSchedule(tuple(releases))
