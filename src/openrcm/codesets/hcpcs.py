"""HCPCS Level II codes and modifiers (CMS, public domain), effective-dated.

Two file layouts are read:

* the CMS ``HCPC<year>_<QTR>_ANWEB`` fixed-width record file, which carries every field
  (long and short descriptions over continuation records, coverage code, BETOS, type of service,
  code added, action effective and termination dates, action code);
* a CSV with ``Code`` and ``Description`` (and optionally ``last_updated``), such as the
  HCPCS quarterly code/long-description extracts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openrcm.codesets.cache import cached
from openrcm.codesets.quarterly import QuarterlyRelease, effective_from_name, pick_release
from openrcm.codesets.sources import decode_text, read_bytes, read_csv_rows
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue, Location, Severity

ANWEB_WIDTH = 293
_MODIFIER_RECORD = re.compile(r"^([A-Z0-9]{2})(\d{5})([78])")


@dataclass(frozen=True, slots=True)
class HcpcsCode:
    code: str
    description: str
    short_description: str
    is_modifier: bool
    added: dt.date | None = None
    action_effective: dt.date | None = None
    terminated: dt.date | None = None
    action_code: str = ""
    coverage_code: str = ""
    betos: str = ""
    type_of_service: str = ""

    def active_on(self, dos: dt.date) -> bool:
        if self.added is not None and dos < self.added:
            return False
        return self.terminated is None or dos <= self.terminated


@dataclass(frozen=True, slots=True)
class HcpcsRelease(QuarterlyRelease):
    codes: dict[str, HcpcsCode]


def _date(text: str) -> dt.date | None:
    raw = text.strip()
    if len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def parse_anweb(path: Path) -> dict[str, HcpcsCode]:
    """Read the CMS ANWEB fixed-width HCPCS record file (record identification codes 3/4 and 7/8)."""
    text = decode_text(path, read_bytes(path), "latin-1")
    long_parts: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for number, record in enumerate(text.splitlines(), start=1):
        if not record.strip():
            continue
        raw = record
        modifier = _MODIFIER_RECORD.match(raw)
        if modifier and raw[2:5] != "   ":
            raw = f"{modifier.group(1)}   {raw[2:]}"  # modifiers are 2 characters in a 5-character field
        line = raw.ljust(ANWEB_WIDTH)
        code, ric = line[0:5].strip(), line[10]
        if not code or ric not in "3478":
            raise DataFileError(
                path, f"not an HCPCS ANWEB record (record identification code {ric!r})", f"line {number}"
            )
        if len(raw) > ANWEB_WIDTH + 40:
            raise DataFileError(path, f"record is {len(raw)} characters, expected {ANWEB_WIDTH}", f"line {number}")
        long_parts.setdefault(code, []).append(line[11:91].strip())
        if ric in "37":
            first[code] = line
    if not first:
        raise DataFileError(path, "no HCPCS records found")
    codes: dict[str, HcpcsCode] = {}
    for code, line in first.items():
        codes[code] = HcpcsCode(
            code=code,
            description=" ".join(p for p in long_parts[code] if p),
            short_description=line[91:119].strip(),
            is_modifier=line[10] in "78",
            added=_date(line[268:276]),
            action_effective=_date(line[276:284]),
            terminated=_date(line[284:292]),
            action_code=line[292].strip(),
            coverage_code=line[229].strip(),
            betos=line[256:259].strip(),
            type_of_service=line[260:265].strip(),
        )
    return codes


def parse_hcpcs_csv(path: Path) -> dict[str, HcpcsCode]:
    codes: dict[str, HcpcsCode] = {}
    for line, row in read_csv_rows(path, ("Code", "Description")):
        code = row["code"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{2}|[A-Z0-9]{5}", code):
            raise DataFileError(path, f"{code!r} is not an HCPCS code or modifier", f"line {line}")
        desc = row["description"].strip()
        codes[code] = HcpcsCode(code, desc, desc[:28], is_modifier=len(code) == 2)
    return codes


class Hcpcs:
    """Every loaded HCPCS Level II release."""

    def __init__(self, releases: list[HcpcsRelease]) -> None:
        self.releases = sorted(releases, key=lambda r: r.effective)

    def for_date(self, dos: dt.date) -> tuple[HcpcsRelease | None, tuple[Issue, ...]]:
        return pick_release(self.releases, dos)

    def get(self, code: str, dos: dt.date) -> tuple[HcpcsCode | None, tuple[Issue, ...]]:
        """The code if it is active on ``dos``; findings say why not (or that the data is stale)."""
        release, issues = self.for_date(dos)
        key = code.strip().upper()
        if release is None:
            return None, issues
        entry = release.codes.get(key)
        where = Location(code=key)
        if entry is None:
            return None, (
                *issues,
                Issue(
                    "HCPCS_INVALID",
                    Severity.ERROR,
                    f"{key} is not an HCPCS Level II code in {release.name}.",
                    where,
                    "S5",
                    "CMS HCPCS Level II quarterly file",
                ),
            )
        if not entry.active_on(dos):
            when = (
                f"was terminated on {entry.terminated.isoformat()}"
                if entry.terminated and dos > entry.terminated
                else f"was added on {entry.added.isoformat() if entry.added else '?'}"
            )
            return None, (
                *issues,
                Issue(
                    "HCPCS_NOT_ACTIVE",
                    Severity.ERROR,
                    f"{key} {when}; it is not valid on {dos.isoformat()}.",
                    where,
                    "S5",
                    "CMS HCPCS Level II quarterly file (add and termination dates)",
                ),
            )
        return entry, issues


def _build_release(path: Path, parse: Callable[[Path], dict[str, HcpcsCode]], effective: dt.date) -> HcpcsRelease:
    return HcpcsRelease("HCPCS", f"HCPCS {effective:%b}-{effective.year}", effective, path.name, parse(path))


def load_hcpcs(folder: Path, *, use_cache: bool = True) -> Hcpcs:
    releases: list[HcpcsRelease] = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = path.name.lower()
        parser: Callable[[Path], dict[str, HcpcsCode]]
        if "anweb" in name and path.suffix in (".txt", ".TXT", ""):
            parser = parse_anweb
        elif path.suffix.lower() == ".csv":
            parser = parse_hcpcs_csv
        else:
            continue
        effective = effective_from_name(path)
        if effective is None:
            raise DataFileError(path, "cannot tell the quarter from the file name (expected e.g. HCPC2025_OCT_...)")

        releases.append(
            cached("hcpcs", [path], functools.partial(_build_release, path, parser, effective), use_cache=use_cache)
        )
    return Hcpcs(releases)
