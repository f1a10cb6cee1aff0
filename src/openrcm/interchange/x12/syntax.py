"""X12 syntax: delimiters from the ISA, segments with their positions, and located problems.

A fast reader written for OpenRCM (the product reads every file a payer or clearinghouse sends):
it tolerates what real files carry - a byte-order mark, CR/LF or LF after each segment,
indentation, prose before the ISA, files with no envelope at all - and reports each departure as
an Issue with the segment number and line, never as an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from openrcm.core.issue import Issue, Location, Severity

ISA_LENGTH = 106
WHITESPACE = "\r\n \t"


@dataclass(frozen=True, slots=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    segment: str = "~"
    repetition: str = "^"


class Segment(NamedTuple):
    """One segment. A named tuple: immutable, and cheap to make by the hundred thousand."""

    id: str
    elements: tuple[str, ...]  # elements[0] is the first data element (ISA01, CLM01, ...)
    position: int  # 1-based segment number in the file
    line: int

    def get(self, n: int) -> str:
        """Element ``n`` (1-based, as the TR3 numbers them); '' when absent."""
        return self.elements[n - 1].strip() if 0 < n <= len(self.elements) else ""

    def components(self, n: int, delimiters: Delimiters) -> tuple[str, ...]:
        value = self.get(n)
        return tuple(value.split(delimiters.component)) if value else ()

    def location(self, source: str = "") -> Location:
        return Location(file=source or None, line=self.line, segment=f"{self.id} #{self.position}")


@dataclass(frozen=True, slots=True)
class Parsed:
    segments: tuple[Segment, ...]
    delimiters: Delimiters
    issues: tuple[Issue, ...]


def _issue(
    code: str, message: str, line: int, position: int, source: str, severity: Severity = Severity.ERROR
) -> Issue:
    return Issue(
        code,
        severity,
        message,
        Location(file=source or None, line=line, segment=f"#{position}"),
        "x12",
        "ASC X12 5010 envelope and syntax rules",
    )


def decode(raw: bytes, source: str = "") -> tuple[str, tuple[Issue, ...]]:
    """Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 (as some Windows tools write
    X12), else Latin-1. X12 is ASCII; anything else is reported."""
    issues: list[Issue] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
        issues.append(_issue("X12_UTF16", "the file is UTF-16 encoded; X12 is ASCII", 1, 0, source, Severity.WARNING))
    elif len(raw) > 8 and raw[1:8:2] == b"\x00\x00\x00\x00" and raw[0:8:2] != b"\x00\x00\x00\x00":
        text = raw.decode("utf-16-le", errors="replace")
        issues.append(_issue("X12_UTF16", "the file is UTF-16 encoded; X12 is ASCII", 1, 0, source, Severity.WARNING))
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = raw.decode("latin-1")
            line = raw.count(b"\n", 0, exc.start) + 1
            issues.append(
                _issue(
                    "X12_NOT_ASCII",
                    f"byte 0x{raw[exc.start]:02x} is not ASCII or UTF-8; read as Latin-1",
                    line,
                    0,
                    source,
                    Severity.WARNING,
                )
            )
    if not text.isascii() and not issues:
        first = next(i for i, ch in enumerate(text) if not ch.isascii())
        issues.append(
            _issue(
                "X12_NOT_ASCII",
                f"non-ASCII character {text[first]!r} in the file",
                text.count("\n", 0, first) + 1,
                0,
                source,
                Severity.WARNING,
            )
        )
    return text, tuple(issues)


def parse(text: str, source: str = "") -> Parsed:
    """Split an X12 interchange into segments."""
    issues: list[Issue] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    start = text.find("ISA")
    delimiters = Delimiters()
    if start < 0:
        # no envelope: guess the separators from the first segment
        stripped = text.lstrip()
        if not stripped:
            return Parsed((), delimiters, (_issue("X12_EMPTY", "the file is empty", 1, 0, source),))
        element = next((ch for ch in stripped[:4] if not ch.isalnum()), "*")
        terminator = "~" if "~" in stripped else "\n"
        delimiters = Delimiters(element, ":", terminator, "^")
        issues.append(
            _issue(
                "X12_NO_ENVELOPE", "no ISA interchange header: read as bare segments", 1, 0, source, Severity.WARNING
            )
        )
        body_start = len(text) - len(stripped)
    else:
        if text[:start].strip():
            line = text.count("\n", 0, start) + 1
            issues.append(
                _issue(
                    "X12_PROSE_BEFORE_ISA",
                    f"{start} characters of text before the ISA were skipped",
                    line,
                    0,
                    source,
                    Severity.WARNING,
                )
            )
        isa = text[start : start + ISA_LENGTH]
        element = isa[3] if len(isa) > 3 else "*"
        fields = isa.split(element)
        if len(isa) == ISA_LENGTH and len(fields) == 17:
            delimiters = Delimiters(element, isa[104], isa[105], fields[11] if fields[12] >= "00402" else "^")
        else:
            # a damaged ISA (wrong field widths): find the terminator after the 16th element
            parts = text[start:].split(element, 16)
            tail = parts[16] if len(parts) > 16 else ""
            component = tail[:1] or ":"
            terminator = next((ch for ch in tail[1:4] if not ch.isalnum() and ch not in " \r\n"), "~")
            delimiters = Delimiters(element, component, terminator, "^")
            issues.append(
                _issue(
                    "X12_ISA_LENGTH",
                    f"the ISA segment is not {ISA_LENGTH} characters; delimiters were inferred",
                    text.count("\n", 0, start) + 1,
                    1,
                    source,
                    Severity.WARNING,
                )
            )
        body_start = start
    segments: list[Segment] = []
    line = text.count("\n", 0, body_start) + 1
    pos = body_start
    terminator = delimiters.segment
    newline_terminated = 1 if terminator == "\n" else 0
    length = len(text)
    while pos < length:
        end = text.find(terminator, pos)
        if end < 0:
            end = length
        raw = text[pos:end]
        chunk = raw.strip(WHITESPACE)
        breaks = raw.count("\n")
        lead = breaks and chunk and raw[0] in WHITESPACE
        line_here = line + raw.count("\n", 0, raw.find(chunk[0])) if lead else line
        line += breaks + newline_terminated
        pos = end + 1
        if not chunk:
            continue
        parts = chunk.split(delimiters.element)
        seg_id = parts[0].strip().upper()
        if not seg_id.isalnum() or len(seg_id) > 3:
            issues.append(
                _issue(
                    "X12_BAD_SEGMENT",
                    f"{seg_id[:12]!r} is not a segment identifier",
                    line_here,
                    len(segments) + 1,
                    source,
                )
            )
            continue
        segments.append(Segment(seg_id, tuple(parts[1:]), len(segments) + 1, line_here))
    if segments and segments[-1].id != "IEA" and start >= 0:
        issues.append(
            _issue(
                "X12_TRUNCATED",
                "the interchange does not end with an IEA segment (truncated file?)",
                segments[-1].line,
                segments[-1].position,
                source,
            )
        )
    return Parsed(tuple(segments), delimiters, tuple(issues))


def check_envelopes(parsed: Parsed, source: str = "") -> list[Issue]:
    """SE counts, and the control numbers of ST/SE, GS/GE and ISA/IEA."""
    issues: list[Issue] = []
    st: Segment | None = None
    count = 0
    gs: Segment | None = None
    isa: Segment | None = None
    for seg in parsed.segments:
        if st is not None:
            count += 1
        if seg.id == "ISA":
            isa = seg
        elif seg.id == "GS":
            gs = seg
        elif seg.id == "ST":
            st, count = seg, 1
        elif seg.id == "SE" and st is not None:
            if seg.get(1).isdigit() and int(seg.get(1)) != count:
                issues.append(
                    Issue(
                        "X12_SE_COUNT",
                        Severity.ERROR,
                        f"SE01 says {seg.get(1)} segments, the transaction has {count}",
                        seg.location(source),
                        "x12",
                        "X12 SE01",
                    )
                )
            if seg.get(2) != st.get(2):
                issues.append(
                    Issue(
                        "X12_ST_SE_CONTROL",
                        Severity.ERROR,
                        f"SE02 {seg.get(2)!r} does not match ST02 {st.get(2)!r}",
                        seg.location(source),
                        "x12",
                        "X12 SE02",
                    )
                )
            st = None
        elif seg.id == "GE" and gs is not None and seg.get(2) != gs.get(6):
            issues.append(
                Issue(
                    "X12_GS_GE_CONTROL",
                    Severity.ERROR,
                    f"GE02 {seg.get(2)!r} does not match GS06 {gs.get(6)!r}",
                    seg.location(source),
                    "x12",
                    "X12 GE02",
                )
            )
        elif seg.id == "IEA" and isa is not None and seg.get(2).lstrip("0") != isa.get(13).lstrip("0"):
            issues.append(
                Issue(
                    "X12_ISA_IEA_CONTROL",
                    Severity.ERROR,
                    f"IEA02 {seg.get(2)!r} does not match ISA13 {isa.get(13)!r}",
                    seg.location(source),
                    "x12",
                    "X12 IEA02",
                )
            )
    return issues


def x12_date(value: str) -> dt.date | None:
    """A D8 date (CCYYMMDD), the start of an RD8 range, or a 4010 YYMMDD; None when not a date."""
    raw = value.split("-", maxsplit=1)[0].strip()
    if len(raw) == 8 and raw.isdigit():
        try:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            return None
    if len(raw) == 6 and raw.isdigit():  # 4010 YYMMDD
        year = int(raw[:2])
        try:
            return dt.date(2000 + year if year < 50 else 1900 + year, int(raw[2:4]), int(raw[4:]))
        except ValueError:
            return None
    return None
