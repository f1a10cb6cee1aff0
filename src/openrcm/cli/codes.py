"""`openrcm codes lookup | show`: the encoder a coder uses (Alphabetic Index, then Tabular List)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.tree import Tree

from openrcm.cli.output import console, print_json
from openrcm.cli.state import code_sets, fail
from openrcm.codesets import Icd10cmCode, NoteKind, normalize_code
from openrcm.codesets.icd10cm.index import IndexHit
from openrcm.codesets.icd10cm.release import Icd10cmRelease
from openrcm.core.issue import Issue

app = typer.Typer(
    help="Look codes up the way a coder does: the Alphabetic Index, then the Tabular List.",
    no_args_is_help=True,
)

DateOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--date",
        "-d",
        formats=["%Y-%m-%d"],
        help="Date of service (YYYY-MM-DD); default: the newest loaded release.",
    ),
]


def _release(date: dt.datetime | None) -> tuple[Icd10cmRelease, str]:
    library = code_sets().icd10cm
    if date is None:
        release = library.releases[-1]
        return (
            release,
            f"no --date given: {release.info.name} ({release.info.effective} to {release.info.ends})",
        )
    found = library.for_date(date.date())
    if isinstance(found, Issue):
        fail(found.message)
    assert not isinstance(found, Issue)
    return found, f"{found.info.name}, in force on {date.date().isoformat()}"


def _facts(entry: Icd10cmCode | None, code: str | None) -> dict[str, Any]:
    if entry is None:
        return {"code": code, "in_tabular": False}
    return {
        "code": entry.code,
        "title": entry.title,
        "billable": entry.billable,
        "requires_seventh_character": entry.requires_seventh,
        "seventh_characters": dict(entry.seventh_characters),
        "manifestation": entry.manifestation,
        "excludes1": [n.text for n in entry.all_notes(NoteKind.EXCLUDES1)],
        "code_first": [n.text for n in entry.all_notes(NoteKind.CODE_FIRST)],
        "use_additional_code": [n.text for n in entry.all_notes(NoteKind.USE_ADDITIONAL_CODE)],
        "code_also": [n.text for n in entry.all_notes(NoteKind.CODE_ALSO)],
        "children": list(entry.children),
    }


def _index_code(release: Icd10cmRelease, code: str) -> Icd10cmCode | None:
    norm = normalize_code(code)
    return release.describe(norm) if norm else None


def _hit_json(release: Icd10cmRelease, hit: IndexHit) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": hit.index,
        "path": list(hit.path),
        "followed_see": list(hit.followed_see),
        "see_also": hit.see_also,
        "words_matched": hit.matched,
        "words_not_found": list(hit.unmatched_query),
    }
    if hit.cells:
        out["table"] = {
            heading: (_facts(_index_code(release, code), code) if code else None) for heading, code in hit.cells
        }
    else:
        out["code"] = _facts(_index_code(release, hit.code), hit.code) if hit.code else None
        if hit.manifestation:
            out["manifestation_code"] = _facts(_index_code(release, hit.manifestation), hit.manifestation)
    return out


def _facts_line(entry: Icd10cmCode | None, code: str) -> str:
    if entry is None:
        return f"[bold]{code}[/]  [red](not in this Tabular List)[/]"
    flags = []
    if entry.billable:
        flags.append("[green]billable[/]")
    elif entry.requires_seventh:
        flags.append("[yellow]needs a 7th character[/]")
    else:
        flags.append("[yellow]header: code further[/]")
    if entry.manifestation:
        flags.append("[magenta]manifestation: never first-listed[/]")
    return f"[bold]{entry.code}[/] {entry.title}  " + " ".join(flags)


def _add_notes(node: Tree, entry: Icd10cmCode | None) -> None:
    if entry is None:
        return
    for kind, label in (
        (NoteKind.EXCLUDES1, "Excludes1"),
        (NoteKind.CODE_FIRST, "Code first"),
        (NoteKind.USE_ADDITIONAL_CODE, "Use additional code"),
    ):
        notes = entry.all_notes(kind)
        if notes:
            branch = node.add(f"[cyan]{label}[/]")
            for note in notes[:6]:
                branch.add(note.text)
            if len(notes) > 6:
                branch.add(f"... {len(notes) - 6} more (see `openrcm codes show {entry.code}`)")
    if entry.requires_seventh:
        node.add("[cyan]7th character[/]: " + ", ".join(f"{c} {t}" for c, t in entry.seventh_characters))
    elif not entry.billable and entry.children:
        node.add("[cyan]Codes below[/]: " + ", ".join(entry.children[:12]))


@app.command()
def lookup(
    query: Annotated[str, typer.Argument(help='What the note says, e.g. "pneumonia aspiration".')],
    date: DateOpt = None,
    limit: Annotated[int, typer.Option(help="How many index paths to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Walk the Alphabetic Index (main term, then subterms) and check each code in the Tabular List."""
    release, release_note = _release(date)
    hits = release.lookup(query, limit)
    if as_json:
        print_json(
            {
                "query": query,
                "release": release.info.name,
                "remarks": list(release.info.remarks),
                "results": [_hit_json(release, h) for h in hits],
            }
        )
        return
    console.print(f"[dim]{release_note}[/]")
    if not hits:
        console.print(
            f"No Alphabetic Index entry matches {query!r}. Try the condition's noun "
            '("fracture", "pneumonia"), or look the code up with `openrcm codes show`.'
        )
        raise typer.Exit(1)
    for n, hit in enumerate(hits, start=1):
        tree = Tree(f"[bold]{n}.[/] [blue]{hit.index}[/]: " + " > ".join(hit.path))
        if hit.followed_see:
            tree.add("[dim]followed see: " + "; ".join(hit.followed_see) + "[/]")
        if hit.cells:
            for heading, code in hit.cells:
                if code:
                    entry = _index_code(release, code)
                    _add_notes(tree.add(f"{heading}: " + _facts_line(entry, code)), None)
        elif hit.code:
            entry = _index_code(release, hit.code)
            node = tree.add(_facts_line(entry, hit.code))
            _add_notes(node, entry)
            if hit.manifestation:
                tree.add(
                    "manifestation, sequenced after: "
                    + _facts_line(_index_code(release, hit.manifestation), hit.manifestation)
                )
        if hit.unmatched_query:
            tree.add("[dim]words not found on this path: " + ", ".join(hit.unmatched_query) + "[/]")
        if hit.see_also:
            tree.add(f"[dim]see also: {hit.see_also}[/]")
        console.print(tree)


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="An ICD-10-CM code, with or without the dot (E11.22, e1122).")],
    date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Title, hierarchy, billable status, own and inherited notes, and the release it comes from."""
    release, release_note = _release(date)
    library = code_sets().icd10cm
    check = library.check(code, date.date() if date else release.info.effective)
    entry = check.entry
    if entry is None:
        message = "; ".join(i.message for i in check.issues)
        if as_json:
            print_json({"input": code, "valid": False, "issues": check.issues})
            raise typer.Exit(1)
        fail(message, code=1)
    assert entry is not None
    if as_json:
        print_json(
            {
                "input": code,
                "valid": check.valid,
                "release": release.info.name,
                "entry": entry,
                "issues": check.issues,
            }
        )
        return
    console.print(f"[dim]{release_note}[/]")
    console.print(_facts_line(entry, entry.code))
    for issue in check.issues:
        console.print(f"[yellow]{issue.message}[/]")
    table = Table("level", "code", "title", box=None, show_header=False)
    for node_id, title in entry.hierarchy:
        table.add_row("", node_id, title)
    console.print(table)
    for label, notes in (("Own notes", entry.notes), ("Inherited notes", entry.inherited_notes)):
        if notes:
            tree = Tree(f"[bold]{label}[/]")
            for note in notes:
                source = "" if note.source == entry.code else f" [dim](from {note.source})[/]"
                tree.add(f"[cyan]{note.kind.value}[/]: {note.text}{source}")
            console.print(tree)
    if entry.requires_seventh or entry.seventh_characters:
        console.print("7th characters: " + ", ".join(f"{c} {t}" for c, t in entry.seventh_characters))
    if entry.children:
        console.print("Codes below: " + ", ".join(entry.children))
