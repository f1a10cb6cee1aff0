"""A finding about user data: a value with a code, severity, message, location, rule and citation."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How much a finding matters.

    ``ERROR`` blocks (a claim cannot be sent, a code cannot be used); ``WARNING`` is likely to cause
    a denial or needs a person's look; ``INFO`` is for the record.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file position, a note span, a claim line or a code."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    span: tuple[int, int] | None = None
    claim_id: str | None = None
    line_number: int | None = None
    segment: str | None = None
    code: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.span is not None:
            parts.append(f"characters {self.span[0]}-{self.span[1]}")
        if self.claim_id:
            parts.append(f"claim {self.claim_id}")
        if self.line_number is not None:
            parts.append(f"service line {self.line_number}")
        if self.segment:
            parts.append(f"segment {self.segment}")
        if self.code:
            parts.append(f"code {self.code}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding about user data (never an exception)."""

    code: str
    severity: Severity
    message: str
    location: Location = Location()
    rule_id: str = ""
    citation: str = ""

    def __str__(self) -> str:
        where = self.location.describe()
        return f"[{self.severity.value}] {self.code}: {self.message}" + (f" ({where})" if where else "")
