"""`openrcm demo`: the main job on the embedded default, as far as the project has been built.

Today that is the code-set library and the encoder: load every table (compiling the cache on the
first run), walk the Alphabetic Index for the diagnoses of a sample office visit, verify each code
in the Tabular List for the date of service, and look the visit's procedure lines up in HCPCS,
CPT and the NCCI tables. Each later part of OpenRCM (coder, claims, remittance) adds its step here.
"""

from __future__ import annotations

import datetime as dt
import time
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from openrcm.claims.build import build_claims
from openrcm.claims.model import Address, ClaimBatch, Coverage, Patient, Person
from openrcm.claims.practice import load_practice
from openrcm.claims.pricing import load_contracts, price_line
from openrcm.claims.scrub import Scrubber, load_payer_rules
from openrcm.cli.claims_cmd import report
from openrcm.cli.code_cmd import show
from openrcm.cli.codesets_cmd import load_all
from openrcm.cli.demo_cycle import run_cycle
from openrcm.cli.output import console
from openrcm.cli.state import code_sets
from openrcm.codesets import NoteKind
from openrcm.coding.coder import Coder
from openrcm.coding.model import EncounterContext, Setting
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.x837p import write_837p

# A sample visit, written by us: what a coder abstracts from the note (step 2).
DEMO_DOS = dt.date(2026, 6, 12)
DEMO_DIAGNOSES = (
    "diabetes type 2 with chronic kidney disease",
    "chronic kidney disease stage 3a",
    "essential hypertension",
    "pneumonia aspiration",
    "sprain ankle",
)
DEMO_LINES = (("99214", ("25",), 1), ("83036", ("QW",), 1), ("20610", ("RT",), 1), ("J1100", (), 10))


def demo(
    out: Annotated[str, typer.Option("--out", help="Folder for the files of the cycle.")] = "out/demo",
    dos: Annotated[
        dt.datetime | None, typer.Option("--dos", formats=["%Y-%m-%d"], help="Date of service (default 2026-06-12).")
    ] = None,
) -> None:
    """Run the main job on the embedded default (no server needed)."""
    day = dos.date() if dos else DEMO_DOS
    sets = code_sets()
    console.rule("[bold]OpenRCM demo")
    console.print(f"Data directory: {sets.data_dir}")
    start = time.perf_counter()
    timings = load_all(sets)
    console.print(
        "Loaded "
        + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
        + f" (total {time.perf_counter() - start:.2f}s)"
    )
    found = sets.icd10cm.for_date(day)
    if not hasattr(found, "tabular"):
        console.print(f"[red]{getattr(found, 'message', found)}[/]")
        raise typer.Exit(1)
    release = sets.icd10cm.releases[[r.info for r in sets.icd10cm.releases].index(found.info)]  # type: ignore[union-attr]
    console.print(f"Date of service {day}: {release.info.name}")

    console.rule("Diagnoses: Alphabetic Index, then Tabular List")
    table = Table("documented", "index path", "code", "tabular check", "notes that apply")
    for text in DEMO_DIAGNOSES:
        hits = release.lookup(text, 1)
        code = hits[0].code if hits else None
        if code is None:
            table.add_row(text, "-", "-", "[yellow]not found: query the provider or search further[/]", "")
            continue
        hit = hits[0]
        check = sets.icd10cm.check(code, day)
        status = (
            "[green]valid, billable[/]"
            if check.valid
            else "[yellow]" + "; ".join(i.message for i in check.issues) + "[/]"
        )
        notes = ""
        if check.entry is not None:
            picked = [
                f"{n.kind.value}: {n.text}"
                for n in check.entry.notes
                if n.kind in (NoteKind.USE_ADDITIONAL_CODE, NoteKind.CODE_FIRST)
            ][:2]
            notes = "\n".join(picked)
        table.add_row(text, hit.path_text, code, status, notes)
    console.print(table)

    console.rule("Procedure lines: HCPCS / CPT file / NCCI")
    lines = Table("code", "modifiers", "units", "code set", "MUE (MAI)", "findings")
    mue_table, mue_issues = sets.ncci.mue_for(day)
    stale: set[str] = {i.message for i in mue_issues}
    for code, mods, units in DEMO_LINES:
        if code[0].isalpha():
            entry, issues = sets.hcpcs.get(code, day)
            described = f"HCPCS: {entry.description[:40]}" if entry else "HCPCS: not found"
        else:
            cpt, issues = sets.cpt.get(code, day)
            described = f"CPT: {cpt.descriptor[:40]}" if cpt else "CPT: not found"
        mue = mue_table.get(code) if mue_table else None
        mue_text = f"{mue.value} ({mue.mai}: {mue.mai_text})" if mue else "-"
        stale.update(i.message for i in issues if i.code.endswith("_STALE"))
        findings = [i.message for i in issues if not i.code.endswith("_STALE")]
        if mue and units > mue.value:
            findings.append(f"{units} units exceed the MUE of {mue.value}")
        lines.add_row(
            code,
            ",".join(mods),
            str(units),
            described,
            mue_text,
            "\n".join(sorted({f[:110] for f in findings})) or "[green]ok[/]",
        )
    console.print(lines)
    for message in sorted(stale):
        console.print(f"[yellow]stale data:[/] {message}")
    ptp, _ = sets.ncci.ptp_for(day)
    pairs = []
    if ptp is not None:
        codes = [c for c, _, _ in DEMO_LINES]
        for a in codes:
            for b in codes:
                edit = ptp.edit(a, b, day) if a != b else None
                if edit is not None:
                    pairs.append(
                        f"{a} / {b}: column 2 denied unless modifier allowed "
                        f"(indicator {edit.modifier_indicator}; {edit.rationale})"
                    )
    console.print(
        Panel(
            "\n".join(pairs) or "no NCCI PTP pair among these lines",
            title=f"NCCI PTP ({ptp.name if ptp else 'not loaded'})",
        )
    )
    console.rule("The coder: a note becomes a coded encounter")
    note_text = resources.files("openrcm.data").joinpath("demo_note.txt").read_text("utf-8")
    coder = Coder(sets)
    context = EncounterContext(Setting.OUTPATIENT, day, 61, "F", False, "11")
    encounter = coder.code(note_text, context)
    show(encounter)

    console.rule("Claims: build, price, scrub, 837P")
    practice = load_practice()
    person = Person("Sample", "Jane", dt.date(1965, 4, 12), "F", Address("12 Elm St", "Springfield", "IL", "62701"))
    coverage = Coverage(practice.payers[0], "ACM987654321", person)
    built = build_claims("DEMO0001", encounter, practice, Patient("P0001", person), coverage)
    for issue in built.issues:
        console.print(f"[yellow]{issue.message}[/]")
    contracts = load_contracts()
    with resources.as_file(resources.files("openrcm.data").joinpath("payer_rules")) as rules_dir:
        scrubber = Scrubber(sets, day + dt.timedelta(days=1), load_payer_rules(Path(rules_dir)))
    priced = Table("claim", "line", "code", "modifiers", "units", "charge", "expected allowed", "basis")
    for claim in built.claims:
        contract = contracts.get(claim.coverage.payer.contract)
        for n, line in enumerate(claim.lines, start=1):
            p = price_line(line, claim, contract, sets.mpfs)
            priced.add_row(
                claim.id,
                str(n),
                line.code,
                " ".join(line.modifiers),
                str(line.units),
                f"{line.charge}",
                f"{p.expected_allowed}" if p.expected_allowed is not None else "-",
                p.basis[:60],
            )
    console.print(priced)
    results = {c.id: scrubber.scrub(c) for c in built.claims}
    report(results, {c.id: c for c in built.claims})
    target = Path(out) / "837p"
    target.mkdir(parents=True, exist_ok=True)
    batch = ClaimBatch(
        built.claims,
        practice.submitter_id,
        practice.submitter_name,
        practice.receiver_id,
        practice.receiver_name,
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, 0), tzinfo=dt.UTC),
    )
    path = target / "DEMO0001.837"
    path.write_text(write_837p(batch, ControlNumbers()), "ascii")
    console.print(f"837P written to {path} ({len(built.claims)} claim, ${built.claims[0].total_charge} charged)")
    # a second sample note: a knee injection visit for another patient of the practice
    knee_text = resources.files("openrcm.data").joinpath("demo_note_knee.txt").read_text("utf-8")
    knee = coder.code(knee_text, EncounterContext(Setting.OUTPATIENT, day, 67, "M", False, "11"))
    john = Person("Sample", "John", dt.date(1958, 9, 30), "M", Address("40 Oak Ave", "Springfield", "IL", "62704"))
    second = build_claims(
        "DEMO0002", knee, practice, Patient("P0002", john), Coverage(practice.payers[0], "ACM555000111", john)
    )
    console.print(
        "Second note (knee injection): "
        + ", ".join(
            f"{line.code}{'-' + '-'.join(line.modifiers) if line.modifiers else ''} x{line.units}"
            for c in second.claims
            for line in c.lines
        )
        + f"; diagnoses {', '.join(d for c in second.claims for d in c.diagnoses)}"
    )
    run_cycle(sets, practice, [*built.claims, *second.claims], day, Path(out))
