"""CPT codes and descriptors: AMA-licensed, so loaded from a file the user supplies.

The file is a CSV with ``code`` and ``descriptor`` columns, and optionally ``kind``
(``code`` or ``modifier``), ``effective_date`` and ``termination_date`` (YYYY-MM-DD). The
package ships ``cpt_demo.csv``: office services and modifiers the demo and the tests use,
described in our own words (not the AMA descriptors). Set ``OPENRCM_CPT_FILE`` or pass a path
to load a licensed CPT file instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openrcm.codesets.sources import read_csv_rows
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue, Location, Severity

CPT_FILE_ENV = "OPENRCM_CPT_FILE"
_CPT_SHAPE = re.compile(r"^(?:\d{5}|\d{4}[FTU]|\d{4}M|[0-9A-Z]{2})$")


@dataclass(frozen=True, slots=True)
class CptCode:
    code: str
    descriptor: str
    is_modifier: bool
    effective: dt.date | None = None
    terminated: dt.date | None = None

    @property
    def category(self) -> str:
        if self.is_modifier:
            return "modifier"
        if self.code.endswith("F"):
            return "Category II"
        if self.code.endswith("T"):
            return "Category III"
        return "Category I"


@dataclass(frozen=True, slots=True)
class CptFile:
    source: str
    demo: bool
    codes: dict[str, CptCode]

    def get(self, code: str, dos: dt.date) -> tuple[CptCode | None, tuple[Issue, ...]]:
        key = code.strip().upper()
        entry = self.codes.get(key)
        where = Location(code=key)
        if entry is None:
            scope = (
                " (the demo CPT file holds only common office services; load a licensed CPT file)" if self.demo else ""
            )
            return None, (
                Issue(
                    "CPT_UNKNOWN",
                    Severity.ERROR,
                    f"{key} is not in the CPT file {self.source}{scope}.",
                    where,
                    "S5",
                    "AMA CPT code set, effective January 1 each year",
                ),
            )
        if (entry.effective and dos < entry.effective) or (entry.terminated and dos > entry.terminated):
            return None, (
                Issue(
                    "CPT_NOT_ACTIVE",
                    Severity.ERROR,
                    f"{key} is not active on {dos.isoformat()}.",
                    where,
                    "S5",
                    "AMA CPT code set, effective January 1 each year",
                ),
            )
        return entry, ()


def _opt_date(path: Path, line: int, text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DataFileError(path, f"{text!r} is not a date (YYYY-MM-DD)", f"line {line}") from None


def parse_cpt(path: Path, *, demo: bool = False) -> CptFile:
    codes: dict[str, CptCode] = {}
    for line, row in read_csv_rows(path, ("code", "descriptor")):
        code = row["code"].strip().upper()
        if not _CPT_SHAPE.match(code):
            raise DataFileError(path, f"{code!r} is not a CPT code or modifier", f"line {line}")
        kind = row.get("kind", "").strip().lower()
        codes[code] = CptCode(
            code,
            row["descriptor"].strip(),
            is_modifier=kind == "modifier" or len(code) == 2,
            effective=_opt_date(path, line, row.get("effective_date", "")),
            terminated=_opt_date(path, line, row.get("termination_date", "")),
        )
    return CptFile(path.name, demo, codes)


def load_cpt(path: Path | None = None) -> CptFile:
    """The user's CPT file (argument, then ``$OPENRCM_CPT_FILE``), else the demo file we ship."""
    chosen = path or (Path(os.environ[CPT_FILE_ENV]) if os.environ.get(CPT_FILE_ENV) else None)
    if chosen is not None:
        return parse_cpt(chosen)
    demo = resources.files("openrcm.data").joinpath("cpt_demo.csv")
    with resources.as_file(demo) as demo_path:
        return parse_cpt(demo_path, demo=True)
