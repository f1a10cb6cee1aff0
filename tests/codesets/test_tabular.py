"""The ICD-10-CM Tabular List, on the April 2026 release and on our own small fixture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openrcm.codesets import CodeSets, NoteKind
from openrcm.codesets.icd10cm.model import CodeRef, parse_code_refs
from openrcm.codesets.icd10cm.tabular import parse_tabular

DOS = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def release(code_sets: CodeSets):  # type: ignore[no-untyped-def]
    found = code_sets.icd10cm.for_date(DOS)
    assert not hasattr(found, "severity"), found
    return found


def test_april_2026_has_at_least_74000_billable_codes(release) -> None:  # type: ignore[no-untyped-def]
    assert release.tabular.version == "2026"
    assert len(release.tabular.billable) >= 74_000


def test_every_code_of_the_reference_code_list_is_known(release, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Cross-check against the code list simple-icd-10-cm generates from the same CDC release."""
    listing = data_dir / "icd10cm" / "icd10cm-code-list-April-2026.simple-icd-10-cm.txt"
    if not listing.exists():
        pytest.skip("reference code list not supplied")
    codes = [c.strip() for c in listing.read_text().split() if c.strip() and "-" not in c and len(c.strip()) > 2]
    dotted = {c if len(c) == 3 else f"{c[:3]}.{c[3:]}" for c in codes}
    assert not [c for c in dotted if not release.tabular.exists(c)]
    # and every code we call billable is in the reference list
    assert not [c for c in release.tabular.billable if c not in dotted]


def test_seventh_character_with_placeholder(release) -> None:  # type: ignore[no-untyped-def]
    assert release.is_billable("S93.401A")
    assert not release.is_billable("S93.401")
    entry = release.describe("S93.401")
    assert entry.requires_seventh
    assert ("A", "initial encounter") in entry.seventh_characters
    extended = release.describe("S93.401A")
    assert extended.title == "Sprain of unspecified ligament of right ankle, initial encounter"
    assert extended.hierarchy[-1][0] == "S93.401"
    assert release.is_billable("W19.XXXA")
    assert release.is_billable("T36.0X1A")
    assert not release.is_billable("W19.XXA")


def test_e11_22_use_additional_code_points_to_n18(release) -> None:  # type: ignore[no-untyped-def]
    entry = release.describe("E11.22")
    notes = entry.all_notes(NoteKind.USE_ADDITIONAL_CODE)
    own = [n for n in notes if n.source == "E11.22"]
    assert own and any(ref.covers("N18.31") and ref.covers("N18.6") for n in own for ref in n.refs)
    assert not any(ref.covers("N18.9") for n in own for ref in n.refs)
    # the category's note on insulin and oral drugs is inherited
    assert any(ref.covers("Z79.4") for n in notes for ref in n.refs)


def test_j44_1_inherits_the_notes_of_j44_and_the_excludes1_above_it(release) -> None:  # type: ignore[no-untyped-def]
    entry = release.describe("J44.1")
    j44 = release.tabular.node("J44")
    inherited = set(entry.inherited_notes)
    assert set(j44.notes) <= inherited
    for ancestor_id, _ in entry.hierarchy:
        ancestor = release.tabular.node(ancestor_id)
        assert {n for n in ancestor.notes if n.kind == NoteKind.EXCLUDES1} <= inherited
    excludes1 = entry.all_notes(NoteKind.EXCLUDES1)
    assert any(n.source == "J40-J4A" and any(r.covers("J68.0") for r in n.refs) for n in excludes1)


def test_manifestation_codes_are_flagged(release) -> None:  # type: ignore[no-untyped-def]
    assert release.describe("F02.80").manifestation
    assert not release.describe("E11.22").manifestation


def test_code_refs_are_parsed_from_note_text() -> None:
    assert parse_code_refs("stage of chronic kidney disease (N18.1-N18.6)") == (CodeRef("N18.1", "N18.6"),)
    assert parse_code_refs("type 1 diabetes mellitus (E10.-)") == (CodeRef("E10", "E10", open_ended=True),)
    assert parse_code_refs("lung diseases due to external agents (J60-J70)") == (CodeRef("J60", "J70"),)
    assert parse_code_refs("HIV disease NOS and AIDS") == ()
    assert CodeRef("J60", "J70").covers("J68.4") and not CodeRef("J60", "J70").covers("J71")
    # the intent a poisoning code's 5th or 6th character says: "1-4 or 6" is no adverse effect (5)
    (poisoning,) = parse_code_refs(
        "poisoning due to drug or toxin, if applicable (T36-T65 with fifth or sixth character 1-4 or 6)"
    )
    assert poisoning.covers("T38.0X1A") and poisoning.covers("T51.91XA") and not poisoning.covers("T38.0X5A")
    (adverse,) = parse_code_refs(
        "adverse effect, if applicable, to identify drug (T36-T50 with fifth or sixth character 5)"
    )
    assert adverse.covers("T38.0X5A") and not adverse.covers("T38.0X6A")


def test_small_fixture_tabular(fixtures: Path) -> None:
    tab = parse_tabular(fixtures / "icd10cm" / "mini-tabular-2031.xml")
    assert tab.billable == {"E11.22", "E11.9", "S93.401A", "S93.401D", "S93.401S", "W19.XXXA", "F02.80"}
    s93 = tab.node("S93")
    assert s93 is not None and s93.kind.value == "category"  # not overwritten by its one-category block
    block = tab.node("S93-S93")
    assert block is not None and block.children == ("S93", "W19")
    e1122 = tab.describe("E11.22", "test")
    assert e1122 is not None
    texts = [n.text for n in e1122.inherited_notes]
    assert "code to identify control using: insulin (Z79.4)" in texts
    assert any(n.kind == NoteKind.EXCLUDES1 and n.source == "Chapter 4" for n in e1122.inherited_notes)
