"""Dates of service and the injected clock (domain code never calls ``now()``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, in UTC. Used only at the edges (CLI, API)."""

    def today(self) -> dt.date:
        return self.now().date()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always reads the same instant (tests, reproducible runs)."""

    instant: dt.datetime

    def today(self) -> dt.date:
        return self.instant.date()

    def now(self) -> dt.datetime:
        return self.instant


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` or ``YYYYMMDD`` (the X12 and CMS file form)."""
    raw = text.strip()
    if len(raw) == 8 and raw.isdigit():
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    return dt.date.fromisoformat(raw)
