"""Quarterly reference tables (HCPCS, NCCI): which loaded release applies to a date of service.

Unlike ICD-10-CM, these files are snapshots: a code or an edit stays in force until a later file
changes it. A release therefore applies from its effective date until the next loaded release
starts; when a date of service lies past the quarter after the newest release, the lookup still
answers from it, with a warning that the table is stale and which quarter to load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from openrcm.core.issue import Issue, Severity

R = TypeVar("R", bound="QuarterlyRelease")
_MONTHS = {
    "jan": 1,
    "january": 1,
    "apr": 4,
    "april": 4,
    "jul": 7,
    "july": 7,
    "oct": 10,
    "october": 10,
}


@dataclass(frozen=True, slots=True)
class QuarterlyRelease:
    system: str
    name: str
    effective: dt.date
    source: str


def quarter_end(day: dt.date) -> dt.date:
    month = ((day.month - 1) // 3 + 1) * 3
    nxt = dt.date(day.year + (month == 12), 1 if month == 12 else month + 1, 1)
    return nxt - dt.timedelta(days=1)


def effective_from_name(path: Path) -> dt.date | None:
    """``..._eff2024-07-01...``, ``HCPC2024_OCT_...``, ``..._2025oct_...`` -> the quarter's first day."""
    name = path.name.lower()
    iso = re.search(r"(20\d\d)-(\d\d)-(\d\d)", name)
    if iso:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    year = re.search(r"(20\d\d)", name)
    if not year:
        return None
    for word, month in _MONTHS.items():
        if re.search(rf"(?<![a-z]){word}(?![a-z])|20\d\d{word}(?![a-z])", name):
            return dt.date(int(year.group(1)), month, 1)
    return None


def pick_release(releases: Sequence[R], dos: dt.date) -> tuple[R | None, tuple[Issue, ...]]:
    """The release in force on ``dos`` and, when it is stale or missing, a finding that says so."""
    ordered = sorted(releases, key=lambda r: r.effective)
    chosen = None
    for release in ordered:
        if release.effective <= dos:
            chosen = release
    if not ordered:
        return None, ()
    if chosen is None:
        first = ordered[0]
        return None, (
            Issue(
                f"{first.system.upper().replace(' ', '_')}_NO_RELEASE",
                Severity.ERROR,
                f"No loaded {first.system} release is in force on {dos.isoformat()}: the oldest loaded is "
                f"{first.name}, effective {first.effective.isoformat()}.",
                citation=f"{first.system} is effective-dated by quarter",
            ),
        )
    if dos > quarter_end(chosen.effective):
        return chosen, (
            Issue(
                f"{chosen.system.upper().replace(' ', '_')}_STALE",
                Severity.WARNING,
                f"{chosen.system}: the newest loaded release is {chosen.name} (effective "
                f"{chosen.effective.isoformat()}), older than the quarter of the date of service "
                f"{dos.isoformat()}; results may miss changes since. Load the release for that quarter.",
                citation=f"{chosen.system} is published quarterly",
            ),
        )
    return chosen, ()
