"""Records of the ICD-10-CM Tabular List and Alphabetic Index (immutable)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class NoteKind(enum.StrEnum):
    """The instructional notes of the Tabular List (ICD-10-CM Official Guidelines, Section I.A)."""

    INCLUDES = "includes"
    INCLUSION_TERM = "inclusion term"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "code first"
    USE_ADDITIONAL_CODE = "use additional code"
    CODE_ALSO = "code also"
    NOTE = "note"


# Notes that apply to every code below the node that carries them (Guidelines I.A.12-13: a note at
# the chapter, block or category level applies to all codes within it). Inclusion terms describe
# the one code they sit under and are not passed down.
INHERITED_KINDS = frozenset(
    {
        NoteKind.INCLUDES,
        NoteKind.EXCLUDES1,
        NoteKind.EXCLUDES2,
        NoteKind.CODE_FIRST,
        NoteKind.USE_ADDITIONAL_CODE,
        NoteKind.CODE_ALSO,
        NoteKind.NOTE,
    }
)


class NodeKind(enum.StrEnum):
    CHAPTER = "chapter"
    BLOCK = "block"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    CODE = "code"


_CODE_TEXT = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?|Q[A-Z][0-9](?:\.[0-9A-Z]{1,4})?"
# "(N18.1-N18.6)", "(J60-J70)", "(E08.-)", "(J42)", "Z79.4", "J4A.-"
CODE_REF_RE = re.compile(rf"\b({_CODE_TEXT})(\.?-)?(?:\s*-\s*({_CODE_TEXT}))?(?![0-9A-Za-z])")


@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code, a category with all its children (``E08.-``) or a range (``N18.1-N18.6``)."""

    first: str
    last: str
    open_ended: bool = False
    # "(T36-T65 with fifth or sixth character 1-4 or 6)": the intents a poisoning code may have (empty: any)
    intents: frozenset[str] = frozenset()

    def covers(self, code: str) -> bool:
        """True when ``code`` (dotted or not) falls within this reference."""
        c = code.replace(".", "")
        if self.intents and (len(c) < 6 or (c[5] if c[5] != "X" else c[4]) not in self.intents):
            return False  # T38.0X5A is an adverse effect (5), not a poisoning (1-4) nor an underdosing (6)
        first = self.first.replace(".", "")
        if self.first == self.last:
            return c.startswith(first)
        last = self.last.replace(".", "")
        return first <= c[: len(first)] and c[: len(last)] <= last

    def __str__(self) -> str:
        if self.first != self.last:
            return f"{self.first}-{self.last}"
        return self.first + (".-" if self.open_ended and "." not in self.first else "-" if self.open_ended else "")


def parse_code_refs(text: str) -> tuple[CodeRef, ...]:
    """Every code reference written in an instructional note."""
    refs: list[CodeRef] = []
    for match in CODE_REF_RE.finditer(text):
        first, dash, last = match.group(1), match.group(2), match.group(3)
        told = _INTENTS_RE.match(text, match.end())
        intents = frozenset(
            str(n)
            for part in re.split(r"\s*(?:,|\bor\b)\s*", told.group(1) if told else "")
            if part
            for n in range(int(part[0]), int(part[-1]) + 1)
        )
        refs.append(CodeRef(first, last or first, open_ended=bool(dash), intents=intents))
    return tuple(refs)


# the character a poisoning code's intent is in, as the notes name it ("with fifth or sixth character 1-4 or 6")
_INTENTS_RE = re.compile(r"\s*with fifth or sixth character ([1-6](?:-[1-6])?(?:\s*(?:,|or)\s*[1-6](?:-[1-6])?)*)")


@dataclass(frozen=True, slots=True)
class Note:
    """One instructional note, with the codes it names and the node that declares it."""

    kind: NoteKind
    text: str
    refs: tuple[CodeRef, ...]
    source: str


@dataclass(frozen=True, slots=True)
class TabularNode:
    """A chapter, block, category, subcategory or code of the Tabular List, as printed."""

    id: str
    kind: NodeKind
    title: str
    parent: str | None
    children: tuple[str, ...]
    notes: tuple[Note, ...]
    seventh_characters: tuple[tuple[str, str], ...] = ()
    seventh_note: str = ""


@dataclass(frozen=True, slots=True)
class Icd10cmCode:
    """What a coder checks in the Tabular List for one code, on one release."""

    code: str
    title: str
    billable: bool
    kind: NodeKind
    hierarchy: tuple[tuple[str, str], ...]  # (id, title) from chapter down to the parent
    notes: tuple[Note, ...]  # its own
    inherited_notes: tuple[Note, ...]  # from parent, category, block and chapter
    seventh_characters: tuple[tuple[str, str], ...]  # the 7th characters that apply, if required
    requires_seventh: bool
    children: tuple[str, ...]
    release: str
    manifestation: bool  # "in diseases classified elsewhere": never first-listed

    def all_notes(self, kind: NoteKind | None = None) -> tuple[Note, ...]:
        notes = self.notes + self.inherited_notes
        return notes if kind is None else tuple(n for n in notes if n.kind == kind)


@dataclass(frozen=True, slots=True)
class IndexTerm:
    """One entry of the Alphabetic Index or of one of its tables (Neoplasm, Drugs, External cause).

    ``cells`` holds the table columns (by heading) for the Neoplasm and Drug tables.
    """

    id: int
    parent: int
    level: int
    title: str
    nonessential: tuple[str, ...]
    code: str | None
    manifestation: str | None
    see: str | None
    see_also: str | None
    see_category: str | None
    cells: tuple[str | None, ...]
    children: tuple[int, ...]
