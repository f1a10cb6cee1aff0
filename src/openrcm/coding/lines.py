"""A service line while the coder builds it: the code, its modifiers and units, the evidence and the reason, which
later rules amend (NCCI's modifiers, the E/M's 25) before it becomes a CodedProcedure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openrcm.coding.model import Evidence


@dataclass(slots=True)
class Line:
    code: str
    modifiers: list[str]
    units: int
    evidence: list[Evidence]
    reason: str
    sentence: tuple[int, int] = (0, 0)
    extra: dict[str, Any] = field(default_factory=dict)  # "treats": the codes (prefixes) the service is for
