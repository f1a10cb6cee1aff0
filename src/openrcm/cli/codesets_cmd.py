"""`openrcm codesets info | build | fetch`: what is loaded, compiling the cache, getting the files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from openrcm.cli.output import console, print_json
from openrcm.cli.state import code_sets
from openrcm.codesets.datadir import fetched_data_dir
from openrcm.codesets.fetch import fetch as fetch_files
from openrcm.codesets.fetch import load_manifest
from openrcm.codesets.library import CodeSets

app = typer.Typer(help="The reference data: ICD-10-CM, HCPCS, CPT, billing lists, NCCI.", no_args_is_help=True)

STEPS = ("icd10cm", "hcpcs", "cpt", "billing", "ncci")


def load_all(sets: CodeSets, *, show_progress: bool = True) -> dict[str, float]:
    """Load every table (compiling the cache where needed); seconds per table."""
    timings: dict[str, float] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show_progress,
    ) as progress:
        for step in STEPS:
            task = progress.add_task(f"loading {step}", total=None)
            start = time.perf_counter()
            getattr(sets, step)
            timings[step] = time.perf_counter() - start
            progress.remove_task(task)
    return timings


def summary(sets: CodeSets) -> dict[str, object]:
    icd = sets.icd10cm
    ncci = sets.ncci
    return {
        "data_dir": str(sets.data_dir),
        "icd10cm": [
            {
                "release": r.info.name,
                "effective": r.info.effective,
                "ends": r.info.ends,
                "billable_codes": len(r.tabular.billable),
                "index_terms": len(r.index.terms) if r.index else 0,
                "sources": list(r.info.sources),
                "remarks": list(r.info.remarks),
            }
            for r in icd.releases
        ],
        "hcpcs": [
            {"release": r.name, "effective": r.effective, "codes": len(r.codes), "source": r.source}
            for r in sets.hcpcs.releases
        ],
        "cpt": {"source": sets.cpt.source, "demo": sets.cpt.demo, "codes": len(sets.cpt.codes)},
        "billing": {
            "place_of_service": len(sets.billing.place_of_service),
            "carc": len(sets.billing.carc),
            "adjustment_groups": len(sets.billing.adjustment_groups),
            "taxonomy": len(sets.billing.taxonomy),
        },
        "ncci": {
            "ptp": [{"table": t.name, "pairs": len(t), "source": t.source} for ts in ncci.ptp.values() for t in ts],
            "mue": [
                {"table": t.name, "codes": len(t.values), "source": t.source} for ts in ncci.mue.values() for t in ts
            ],
            "aoc": [{"table": t.name, "add_on_codes": len(t.codes), "source": t.source} for t in ncci.aoc],
        },
    }


@app.command()
def info(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Which releases are loaded, from where, what they cover and how big they are."""
    sets = code_sets()
    load_all(sets, show_progress=not as_json)
    data = summary(sets)
    if as_json:
        print_json(data)
        return
    console.print(f"Data directory: [bold]{data['data_dir']}[/]")
    table = Table("code set", "release", "in force", "size", "source")
    for r in sets.icd10cm.releases:
        table.add_row(
            "ICD-10-CM",
            r.info.name,
            f"{r.info.effective} to {r.info.ends}",
            f"{len(r.tabular.billable):,} billable codes",
            ", ".join(r.info.sources[:1]),
        )
    for h in sets.hcpcs.releases:
        table.add_row("HCPCS II", h.name, f"from {h.effective}", f"{len(h.codes):,} codes", h.source)
    table.add_row(
        "CPT",
        "demo file (our own descriptions)" if sets.cpt.demo else sets.cpt.source,
        "",
        f"{len(sets.cpt.codes):,} codes",
        sets.cpt.source,
    )
    for ts in sets.ncci.ptp.values():
        for t in ts:
            table.add_row("NCCI PTP", t.name, f"from {t.effective}", f"{len(t):,} pairs", t.source)
    for ms in sets.ncci.mue.values():
        for m in ms:
            table.add_row("NCCI MUE", m.name, f"from {m.effective}", f"{len(m.values):,} codes", m.source)
    for a in sets.ncci.aoc:
        table.add_row("NCCI AOC", a.name, f"from {a.effective}", f"{len(a.codes):,} add-on codes", a.source)
    b = sets.billing
    table.add_row(
        "POS / CARC / groups / taxonomy",
        "",
        "",
        f"{len(b.place_of_service)} / {len(b.carc)} / {len(b.adjustment_groups)} / {len(b.taxonomy)}",
        "",
    )
    console.print(table)
    for r in sets.icd10cm.releases:
        for remark in r.info.remarks:
            console.print(f"[yellow]note:[/] {remark}")


@app.command()
def build() -> None:
    """Parse every source file and write the compiled cache (later loads take well under a second)."""
    timings = load_all(code_sets())
    for step, seconds in timings.items():
        console.print(f"{step:8} {seconds:6.2f} s")


@app.command()
def fetch(
    dest: Annotated[Path | None, typer.Option(help="Where to put the files (default: the user data folder).")] = None,
    source: Annotated[
        str | None,
        typer.Option("--from", help="A local folder or mirror URL holding the same file names, instead of CMS/CDC."),
    ] = None,
    manifest: Annotated[
        Path | None, typer.Option(help="A TOML list of files to fetch instead of the built-in one.")
    ] = None,
) -> None:
    """Download the official public CMS/CDC release files (ICD-10-CM, HCPCS, NCCI) into the data folder."""
    target = dest or fetched_data_dir()
    items = load_manifest(manifest)
    written = fetch_files(target, items, source=source, progress=lambda name: console.print(f"fetching {name}"))
    for path, digest in written:
        console.print(f"  {path}  sha256 {digest[:16]}...")
    console.print(f"{len(written)} files in {target}. Set OPENRCM_DATA_DIR={target} to use them.")
