"""`openrcm code NOTE|DIR` and `openrcm eval coding PATH`: the coder from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from openrcm.cli.output import console, print_json
from openrcm.cli.state import code_sets, fail
from openrcm.coding.coder import Coder
from openrcm.coding.evaluate import detect, evaluate
from openrcm.coding.model import CodedEncounter, EncounterContext, Setting
from openrcm.coding.report import encounter_json
from openrcm.interchange.fhir.note_bundle import read_note_bundle

MAX_FILE_BYTES = 5 * 1024 * 1024
eval_app = typer.Typer(help="Measure the coder against gold files.", no_args_is_help=True)


def _read_note(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror})")
    if size > MAX_FILE_BYTES:
        fail(f"{path}: {size:,} bytes; notes over {MAX_FILE_BYTES:,} bytes are not coded (several notes in one file?)")
    data = path.read_bytes()
    if b"\x00" in data:
        fail(f"{path}: a binary file (it holds NUL bytes), not a note")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start}); re-save the note as UTF-8")


def _context(
    setting: str, dos: dt.datetime | None, age: int | None, sex: str, new_patient: bool, pos: str
) -> EncounterContext:
    if dos is None or age is None:
        fail("--dos and --age are needed for a plain-text note (a FHIR Bundle carries them)")
    assert dos is not None and age is not None
    try:
        kind = Setting(setting.lower())
    except ValueError:
        fail(f"--setting must be outpatient or inpatient, not {setting!r}")
    if sex.upper() not in ("F", "M", "U"):
        fail(f"--sex must be F, M or U, not {sex!r}")
    return EncounterContext(kind, dos.date(), age, sex.upper(), new_patient, pos)


def code_one(coder: Coder, path: Path, ctx: EncounterContext | None, new_patient: bool, pos: str) -> CodedEncounter:
    text = _read_note(path)
    if text.lstrip().startswith("{"):
        bundle = read_note_bundle(text, new_patient=new_patient, place_of_service=pos)
        if bundle.context is None:
            fail(f"{path}: " + "; ".join(f"{i.message}" for i in bundle.issues))
        assert bundle.context is not None
        use = ctx or bundle.context
        return coder.code(bundle.note, use)
    if ctx is None:
        fail("--dos and --age are needed for a plain-text note (a FHIR Bundle carries them)")
    assert ctx is not None
    return coder.code(text, ctx)


def show(enc: CodedEncounter) -> None:
    ctx = enc.context
    console.rule(f"[bold]Coded encounter[/] {ctx.date_of_service} - {ctx.setting.value}, age {ctx.age} {ctx.sex}")
    console.print(f"[dim]{enc.release}[/]")
    table = Table("#", "ICD-10-CM", "title", "evidence", "why", show_lines=True)
    for n, d in enumerate(enc.diagnoses, start=1):
        evidence = d.evidence[0].text.strip()[:60] if d.evidence else ""
        why = d.sequence_reason if n == 1 else d.reason
        table.add_row(str(n), f"[bold]{d.code}[/]", d.title, evidence, why)
    console.print(table)
    lines = Table("CPT/HCPCS", "modifiers", "units", "dx pointers", "description", "why")
    for p in enc.procedures:
        lines.add_row(
            f"[bold]{p.code}[/]",
            " ".join(p.modifiers),
            str(p.units),
            ",".join(map(str, p.diagnosis_pointers)),
            p.description[:48],
            p.reason[:70],
        )
    console.print(lines)
    em = enc.em
    if em.code:
        detail = "\n".join(f"{e.element}: {e.level} - {'; '.join(e.reasons)}" for e in em.elements)
        console.print(Panel(f"{detail}\n" + "\n".join(em.reasoning), title=f"E/M {em.code} ({em.method})"))
    elif em.reasoning:
        console.print(Panel("\n".join(em.reasoning), title="No E/M", border_style="dim"))
    for q in enc.queries:
        console.print(Panel(q.question, title=f"Physician query: {q.topic}", border_style="yellow"))
    if enc.not_coded:
        nc = Table("not coded", "why", title="Deliberately not coded")
        for item in enc.not_coded:
            nc.add_row(item.text[:70], item.reason)
        console.print(nc)
    for issue in enc.findings:
        console.print(f"[yellow]{issue.severity.value}[/] {issue.code}: {issue.message}")


def code(
    note: Annotated[Path, typer.Argument(help="A note (plain text or a FHIR R4 Bundle in JSON), or a folder of them.")],
    setting: Annotated[str, typer.Option(help="outpatient or inpatient")] = "outpatient",
    dos: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Date of service.")] = None,
    age: Annotated[int | None, typer.Option(help="Patient age in years.")] = None,
    sex: Annotated[str, typer.Option(help="F, M or U")] = "U",
    new_patient: Annotated[bool, typer.Option("--new-patient", help="New patient (E/M 99202-99205).")] = False,
    pos: Annotated[str, typer.Option(help="Place of service code.")] = "11",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[Path | None, typer.Option(help="For a folder: write one JSON line per note here.")] = None,
) -> None:
    """Code a clinical note: diagnoses in sequence, procedures, E/M, queries, each with its evidence."""
    ctx = _context(setting, dos, age, sex, new_patient, pos) if dos is not None and age is not None else None
    coder = Coder(code_sets())
    if note.is_dir():
        files = sorted(p for p in note.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".json"))
        if not files:
            fail(f"{note}: no .txt or .json notes in this folder")
        target = out or note / "results.jsonl"
        coder.warm_up()
        with (
            target.open("w", encoding="utf-8") as sink,
            Progress(
                TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
            ) as progress,
        ):
            task = progress.add_task("coding", total=len(files))
            for path in files:
                enc = code_one(coder, path, ctx, new_patient, pos)
                record: dict[str, Any] = {"file": path.name, **encounter_json(enc)}
                sink.write(json.dumps(record) + "\n")
                progress.advance(task)
        console.print(f"{len(files)} notes coded; results in {target}")
        return
    enc = code_one(coder, note, ctx, new_patient, pos)
    if as_json:
        print_json(encounter_json(enc))
    else:
        show(enc)


@eval_app.command("coding")
def eval_coding(
    path: Annotated[
        Path,
        typer.Argument(
            help="A folder of vignette JSON files, a CodiEsp split folder, or the CMC 2007 radiology folder."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    cases: Annotated[bool, typer.Option("--cases", help="Also list each note's misses.")] = False,
) -> None:
    """Score the coder against gold codes (micro P/R/F1, first-listed, MAP, procedures, E/M, speed)."""
    if not path.is_dir():
        fail(f"{path}: not a folder")
    loader = detect(path)
    coder = Coder(code_sets())
    gold = list(loader(path))
    with Progress(
        TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), console=console, disable=as_json, transient=True
    ) as progress:
        task = progress.add_task("eval", total=len(gold))
        scores = evaluate(coder, iter(gold), progress=lambda _: progress.advance(task))
    result = scores.result()
    if as_json:
        print_json({**result, **({"cases": scores.per_case} if cases else {})})
        return
    table = Table("metric", "value", title=f"Coder on {path} ({result['n']} notes)")
    for key, value in result.items():
        table.add_row(key, str(value))
    console.print(table)
    if cases:
        for case in scores.per_case:
            if case["missing"] or case["extra"]:
                console.print(f"{case['id']}: missing {case['missing']} extra {case['extra']}")
