"""The ICD-10-CM Tabular List, read from the CDC XML (``<ICD10CM.tabular>``).

The Tabular List is the authority (Guidelines I.A; domain-rules §1.4): this module knows every
chapter, block, category and code with its title, its instructional notes (own and inherited)
and its 7th-character definitions, and expands the 7th characters with placeholder ``X``
the way the Guidelines prescribe (I.A.4-5), so that ``S93.401A`` is billable and ``S93.401`` is not.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openrcm.codesets.icd10cm.model import (
    INHERITED_KINDS,
    Icd10cmCode,
    NodeKind,
    Note,
    NoteKind,
    TabularNode,
    parse_code_refs,
)
from openrcm.codesets.sources import read_xml
from openrcm.core.errors import DataFileError

_NOTE_TAGS: dict[str, NoteKind] = {
    "includes": NoteKind.INCLUDES,
    "inclusionTerm": NoteKind.INCLUSION_TERM,
    "excludes1": NoteKind.EXCLUDES1,
    "excludes2": NoteKind.EXCLUDES2,
    "codeFirst": NoteKind.CODE_FIRST,
    "useAdditionalCode": NoteKind.USE_ADDITIONAL_CODE,
    "codeAlso": NoteKind.CODE_ALSO,
    "notes": NoteKind.NOTE,
}
_MANIFESTATION_RE = re.compile(
    # "Anemia in chronic diseases classified elsewhere" (D63), "Meningitis in bacterial diseases ..." (G01),
    # "Lambert-Eaton syndrome in disease classified elsewhere" (G70.81)
    r"\bin (?:[\w-]+ ){0,4}?(?:diseases?|conditions?|disorders?) classified elsewhere\b",
    re.IGNORECASE,
)
# "7th characters D and S do not apply to codes in category S06 with 6th character 7 - ..., or 8 - ..."
_SEVENTH_EXCEPTION = re.compile(
    r"7th characters? ((?:[A-Z](?:,\s*|\s+and\s+|\s+or\s+)?)+) do(?:es)? not apply to codes in "
    r"(?:sub)?category ([A-Z0-9.]+) with 6th character (\d)(?:.*?\bor (\d)\b)?",
    re.IGNORECASE,
)
CODE_SHAPE = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


@dataclass(slots=True)
class Tabular:
    """One release of the Tabular List: nodes by id, and the set of billable codes."""

    version: str
    nodes: dict[str, TabularNode]
    billable: frozenset[str]
    chapters: tuple[str, ...]
    # expanded codes (with 7th character) -> the code they extend
    extended: dict[str, str] = field(default_factory=dict)

    def node(self, code: str) -> TabularNode | None:
        return self.nodes.get(code)

    def exists(self, code: str) -> bool:
        return code in self.nodes or code in self.extended

    def is_billable(self, code: str) -> bool:
        return code in self.billable

    def ancestors(self, node_id: str) -> Iterator[TabularNode]:
        """The parent, its parent and so on up to the chapter."""
        parent = self.nodes[node_id].parent
        while parent is not None:
            node = self.nodes[parent]
            yield node
            parent = node.parent

    def seventh_characters_for(self, node_id: str) -> tuple[tuple[str, str], ...]:
        """The nearest 7th-character definition on the node or above it (empty: none applies)."""
        node = self.nodes[node_id]
        if node.seventh_characters:
            return node.seventh_characters
        for ancestor in self.ancestors(node_id):
            if ancestor.seventh_characters:
                return ancestor.seventh_characters
        return ()

    def describe(self, code: str, release: str) -> Icd10cmCode | None:
        """Everything the Tabular List says about ``code`` (dotted, upper case)."""
        base_id = self.extended.get(code)
        node = self.nodes.get(base_id or code)
        if node is None:
            return None
        chain = list(self.ancestors(node.id))
        inherited = tuple(n for a in chain for n in a.notes if n.kind in INHERITED_KINDS)
        hierarchy = tuple((a.id, a.title) for a in reversed(chain))
        sevenths = self.seventh_characters_for(node.id) if node.kind == NodeKind.CODE or base_id else ()
        title = node.title
        notes = node.notes
        kind = node.kind
        children = node.children
        if base_id is not None:
            suffix = dict(sevenths).get(code[-1], "")
            title = f"{node.title}, {suffix}" if suffix else node.title
            inherited = node.notes + inherited
            notes = ()
            hierarchy = (*hierarchy, (node.id, node.title))
            kind = NodeKind.CODE
            children = ()
        requires_seventh = bool(sevenths) and base_id is None and not node.children
        manifestation = bool(_MANIFESTATION_RE.search(node.title)) or any(
            a.kind == NodeKind.CATEGORY and _MANIFESTATION_RE.search(a.title) for a in chain
        )
        return Icd10cmCode(
            code=code,
            title=title,
            billable=code in self.billable,
            kind=kind,
            hierarchy=hierarchy,
            notes=notes,
            inherited_notes=inherited,
            seventh_characters=sevenths if (requires_seventh or base_id) else (),
            requires_seventh=requires_seventh,
            children=children,
            release=release,
            manifestation=manifestation,
        )

    def descendants(self, node_id: str) -> Iterator[str]:
        """Every billable code at or below ``node_id`` (7th-character codes included)."""
        stack = [node_id]
        while stack:
            current = stack.pop()
            node = self.nodes[current]
            if node.children:
                stack.extend(reversed(node.children))
            elif current in self.billable:
                yield current
            else:
                yield from sorted(_with_seventh(current, ch) for ch, _ in self.seventh_characters_for(current))


def _with_seventh(code: str, char: str) -> str:
    """Add a 7th character, filling with placeholder X up to six characters (Guidelines I.A.5)."""
    bare = code.replace(".", "")
    bare = bare.ljust(6, "X") + char
    return f"{bare[:3]}.{bare[3:]}"


def _notes(el: ET.Element, source: str) -> tuple[Note, ...]:
    found: list[Note] = []
    for child in el:
        kind = _NOTE_TAGS.get(child.tag)
        if kind is None:
            continue
        texts = [_text(n) for n in child.findall("note")]
        lead = ""
        for text in texts:
            if not text:
                continue
            # "code to identify control using:" / ", if applicable:" introduce the list that follows
            if text.endswith(":") and not parse_code_refs(text):
                lead = text
                continue
            full = f"{lead} {text}".strip() if lead and kind != NoteKind.NOTE else text
            found.append(Note(kind, full, parse_code_refs(text), source))
        if lead and not any(n.text.startswith(lead) for n in found):
            found.append(Note(kind, lead, (), source))
    return tuple(found)


def _seventh(el: ET.Element) -> tuple[tuple[tuple[str, str], ...], str]:
    definition = el.find("sevenChrDef")
    note = _text(el.find("sevenChrNote"))
    if definition is None:
        return (), note
    pairs = tuple((ext.get("char", ""), _text(ext)) for ext in definition.findall("extension"))
    return tuple(p for p in pairs if p[0]), note


def parse_tabular(path: Path) -> Tabular:
    """Read a CDC Tabular List XML file."""
    root = read_xml(path, "ICD10CM.tabular")
    version = _text(root.find("version"))
    nodes: dict[str, TabularNode] = {}
    billable: set[str] = set()
    extended: dict[str, str] = {}
    chapters: list[str] = []

    def add_diag(el: ET.Element, parent: str, depth: int, inherited_seventh: bool) -> str:
        code = _text(el.find("name"))
        if not CODE_SHAPE.match(code):
            raise DataFileError(path, f"<diag> with an invalid code name {code!r}")
        sevenths, seventh_note = _seventh(el)
        children_el = el.findall("diag")
        child_ids = tuple(add_diag(c, code, depth + 1, inherited_seventh or bool(sevenths)) for c in children_el)
        kind = NodeKind.CODE if not child_ids else (NodeKind.CATEGORY if depth == 0 else NodeKind.SUBCATEGORY)
        if depth == 0 and not child_ids:
            kind = NodeKind.CATEGORY  # a three-character category that is itself a code (I10)
        nodes[code] = TabularNode(
            id=code,
            kind=kind,
            title=_text(el.find("desc")),
            parent=parent,
            children=child_ids,
            notes=_notes(el, code),
            seventh_characters=sevenths,
            seventh_note=seventh_note,
        )
        if not child_ids:
            if inherited_seventh or sevenths:
                pass  # expanded below, once all definitions are known
            else:
                billable.add(code)
        return code

    for chapter_el in root.findall("chapter"):
        number = _text(chapter_el.find("name"))
        chapter_id = f"Chapter {number}"
        chapters.append(chapter_id)
        blocks: list[str] = []
        for section_el in chapter_el.findall("section"):
            block_id = section_el.get("id") or ""
            if not block_id:
                raise DataFileError(path, f"a <section> of chapter {number} has no id")
            if "-" not in block_id:  # a block of one category (M97): keep its id apart from the category's
                block_id = f"{block_id}-{block_id}"
            cats = tuple(add_diag(d, block_id, 0, False) for d in section_el.findall("diag"))
            nodes[block_id] = TabularNode(
                id=block_id,
                kind=NodeKind.BLOCK,
                title=_text(section_el.find("desc")),
                parent=chapter_id,
                children=cats,
                notes=_notes(section_el, block_id),
            )
            blocks.append(block_id)
        nodes[chapter_id] = TabularNode(
            id=chapter_id,
            kind=NodeKind.CHAPTER,
            title=_text(chapter_el.find("desc")),
            parent=None,
            children=tuple(blocks),
            notes=_notes(chapter_el, chapter_id),
        )
    if not chapters:
        raise DataFileError(path, "no <chapter> elements: not an ICD-10-CM Tabular List")

    tabular = Tabular(version, nodes, frozenset(), tuple(chapters), extended)
    exceptions = _seventh_exceptions(nodes)
    for code, node in nodes.items():
        if node.children or node.kind in (NodeKind.CHAPTER, NodeKind.BLOCK) or code in billable:
            continue
        for char, _ in tabular.seventh_characters_for(code):
            full = _with_seventh(code, char)
            if _excluded(full, exceptions):
                continue
            extended[full] = code
            billable.add(full)
    tabular.billable = frozenset(billable)
    return tabular


def _seventh_exceptions(nodes: dict[str, TabularNode]) -> list[tuple[str, str, frozenset[str]]]:
    """Exceptions to a category's 7th characters, as written in its notes: (scope, 6th character, 7ths)."""
    found: list[tuple[str, str, frozenset[str]]] = []
    for node in nodes.values():
        for note in node.notes:
            if note.kind != NoteKind.NOTE:
                continue
            match = _SEVENTH_EXCEPTION.search(note.text)
            if not match:
                continue
            chars = frozenset(re.findall(r"\b[A-Z]\b", match.group(1)))
            scope = match.group(2).rstrip(".").replace(".", "")
            for sixth in (match.group(3), match.group(4)):
                if sixth:
                    found.append((scope, sixth, chars))
    return found


def _excluded(code: str, exceptions: list[tuple[str, str, frozenset[str]]]) -> bool:
    bare = code.replace(".", "")
    return any(bare.startswith(scope) and bare[5] == sixth and bare[6] in chars for scope, sixth, chars in exceptions)


def iter_codes(tabular: Tabular) -> Iterable[str]:
    return sorted(tabular.billable)
