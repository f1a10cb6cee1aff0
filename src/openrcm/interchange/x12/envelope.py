"""Interchange (ISA/IEA), functional group (GS/GE) and transaction set (ST/SE) envelopes."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from openrcm.interchange.x12.syntax import Delimiters

DEFAULT = Delimiters("*", ":", "~", "^")


@dataclass(slots=True)
class ControlNumbers:
    """Interchange, group and transaction control numbers; the store persists the next values."""

    interchange: int = 1
    group: int = 1
    transaction: int = 1
    _lock: object = field(default=None, repr=False)

    def next_interchange(self) -> int:
        value = self.interchange
        self.interchange = value % 999_999_999 + 1
        return value

    def next_group(self) -> int:
        value = self.group
        self.group = value % 999_999_999 + 1
        return value

    def next_transaction(self) -> int:
        value = self.transaction
        self.transaction = value % 9999 + 1
        return value


def d8(day: dt.date) -> str:
    """A date as X12 writes it (D8: CCYYMMDD)."""
    return day.strftime("%Y%m%d")


def amount(value: Decimal) -> str:
    """An X12 decimal: no exponent, no trailing zeros after the point ("79.04", "43", "0")."""
    text = f"{value.quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def quantity(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@functools.lru_cache(maxsize=100_000)
def clean(text: str, delimiters: Delimiters = DEFAULT) -> str:
    """Text fit for an element: upper case ASCII, no delimiter characters."""
    out = text.upper().encode("ascii", "replace").decode("ascii").replace("?", " ")
    for ch in (delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition, "\n", "\r"):
        out = out.replace(ch, " ")
    return " ".join(out.split())


@dataclass(slots=True)
class SegmentWriter:
    delimiters: Delimiters = DEFAULT
    segments: list[str] = field(default_factory=list)

    def add(self, seg_id: str, *elements: str) -> None:
        values = list(elements)
        while values and values[-1] == "":
            values.pop()
        self.segments.append(self.delimiters.element.join([seg_id, *values]))

    def text(self) -> str:
        return "".join(f"{s}{self.delimiters.segment}\n" for s in self.segments)


def wrap(
    transactions: list[list[str]],
    *,
    sender: str,
    receiver: str,
    functional_id: str,
    version: str,
    numbers: ControlNumbers,
    when: dt.datetime,
    production: bool = False,
    delimiters: Delimiters = DEFAULT,
) -> str:
    """Put transaction bodies (segments between ST and SE, exclusive) into ISA/GS/ST envelopes."""
    w = SegmentWriter(delimiters)
    isa13 = numbers.next_interchange()
    gs06 = numbers.next_group()
    w.add(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        clean(sender).ljust(15)[:15],
        "ZZ",
        clean(receiver).ljust(15)[:15],
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        delimiters.repetition,
        "00501",
        f"{isa13:09d}",
        "0",
        "P" if production else "T",
        delimiters.component,
    )
    w.add(
        "GS",
        functional_id,
        clean(sender),
        clean(receiver),
        when.strftime("%Y%m%d"),
        when.strftime("%H%M"),
        str(gs06),
        "X",
        version,
    )
    for body in transactions:
        st02 = f"{numbers.next_transaction():04d}"
        transaction_code = {"HC": "837", "HP": "835", "FA": "999", "HN": "277", "HS": "270", "HR": "276"}[functional_id]
        # the 835 guide marks ST03 "not used"; the others carry the implementation guide
        w.add("ST", transaction_code, st02, "" if functional_id == "HP" else version)
        w.segments.extend(body)
        w.add("SE", str(len(body) + 2), st02)
    w.add("GE", str(len(transactions)), str(gs06))
    w.add("IEA", "1", f"{isa13:09d}")
    return w.text()
