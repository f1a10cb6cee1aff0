"""`openrcm claims build | scrub | export`: superbills and coded encounters to claims a payer accepts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from openrcm.claims.io import ClaimInputError, read_claims_json, read_superbill_csv, write_claims_json
from openrcm.claims.model import Claim, ClaimBatch
from openrcm.claims.practice import Practice, load_practice
from openrcm.claims.scrub import Scrubber, load_payer_rules
from openrcm.cli.output import console, print_json
from openrcm.cli.state import code_sets, fail
from openrcm.core.dates import SystemClock
from openrcm.core.issue import Issue, Severity
from openrcm.interchange.fhir.claim import claim_to_fhir
from openrcm.interchange.forms.cms1500 import cms1500_pdf
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.x837i import write_837i
from openrcm.interchange.x12.x837p import write_837p

app = typer.Typer(help="Build, scrub and export claims (837P).", no_args_is_help=True)
PracticeOpt = Annotated[Path | None, typer.Option("--practice", help="Practice TOML (default: the demo practice).")]


def _practice(path: Path | None) -> Practice:
    return load_practice(path)


def read_input(path: Path, practice: Practice) -> list[Claim]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot be read as UTF-8 text ({exc})")
    try:
        if path.suffix.lower() == ".csv":
            return read_superbill_csv(text, str(path), practice)
        return read_claims_json(text, str(path), practice)
    except ClaimInputError as exc:
        fail(str(exc))


def _rules(folder: Path | None) -> Scrubber:
    from importlib import resources  # noqa: PLC0415

    if folder is None:
        with resources.as_file(resources.files("openrcm.data").joinpath("payer_rules")) as default:
            rules = load_payer_rules(Path(default))
    else:
        rules = load_payer_rules(folder)
    return Scrubber(code_sets(), SystemClock().today(), rules)


@app.command()
def build(
    source: Annotated[Path, typer.Argument(help="Superbill CSV (one row per line) or claims JSON.")],
    out: Annotated[Path, typer.Option(help="Where to write the claims JSON.")] = Path("claims.json"),
    practice: PracticeOpt = None,
) -> None:
    """Turn a superbill into priced claims (charges from the chargemaster)."""
    claims = read_input(source, _practice(practice))
    write_claims_json(claims, out)
    total = sum(c.total_charge for c in claims)
    console.print(f"{len(claims)} claims, {sum(len(c.lines) for c in claims)} lines, ${total:,.2f} charged -> {out}")


def report(results: dict[str, list[Issue]], claims: dict[str, Claim]) -> None:
    table = Table("claim", "line", "rule", "severity", "what to do", "source", title="Scrub report", show_lines=True)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for claim_id, issues in results.items():
        for issue in sorted(issues, key=lambda i: order[i.severity]):
            if issue.severity == Severity.INFO:
                continue
            colour = "red" if issue.severity == Severity.ERROR else "yellow"
            table.add_row(
                claim_id,
                str(issue.location.line_number or ""),
                issue.rule_id,
                f"[{colour}]{issue.severity.value}[/]",
                issue.message,
                issue.citation,
            )
    console.print(table)
    clean = [cid for cid, issues in results.items() if not any(i.severity == Severity.ERROR for i in issues)]
    console.print(
        f"{len(clean)} of {len(results)} claims are clean "
        f"(${sum(claims[c].total_charge for c in clean):,.2f} ready to send)."
    )


@app.command()
def scrub(
    source: Annotated[Path, typer.Argument(help="Claims JSON or superbill CSV.")],
    practice: PracticeOpt = None,
    rules: Annotated[Path | None, typer.Option(help="Folder of payer rule TOML files.")] = None,
    as_of: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Date for timely filing.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run the pre-submission edits (S1-S20) and print what a biller must fix, claim by claim."""
    claims = read_input(source, _practice(practice))
    scrubber = _rules(rules)
    if as_of is not None:
        scrubber.as_of = as_of.date()
    results: dict[str, list[Issue]] = {}
    with Progress(
        TextColumn("scrubbing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=as_json or len(claims) < 50,
    ) as progress:
        task = progress.add_task("scrub", total=len(claims))
        for claim in claims:
            results[claim.id] = scrubber.scrub(claim)
            progress.advance(task)
    if as_json:
        print_json(
            {
                cid: [
                    {
                        "rule": i.rule_id,
                        "code": i.code,
                        "severity": i.severity.value,
                        "message": i.message,
                        "line": i.location.line_number,
                        "citation": i.citation,
                    }
                    for i in issues
                ]
                for cid, issues in results.items()
            }
        )
        return
    report(results, {c.id: c for c in claims})
    if any(i.severity == Severity.ERROR for issues in results.values() for i in issues):
        raise typer.Exit(1)


FORMATS = ("837p", "837i", "fhir", "cms1500")


@app.command()
def export(
    source: Annotated[Path, typer.Argument(help="Claims JSON or superbill CSV.")],
    out: Annotated[Path, typer.Option(help="The file to write.")] = Path("claims.837"),
    fmt: Annotated[
        str, typer.Option("--format", help="837p, 837i, fhir (a Bundle of Claims) or cms1500 (PDF).")
    ] = "837p",
    practice: PracticeOpt = None,
    production: Annotated[bool, typer.Option(help="Mark the interchange as production (ISA15 P).")] = False,
) -> None:
    """Write the claims as an 837P or 837I interchange, FHIR R4 Claims, or CMS-1500 forms."""
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    p = _practice(practice)
    claims = read_input(source, p)
    batch = ClaimBatch(
        tuple(claims), p.submitter_id, p.submitter_name, p.receiver_id, p.receiver_name, SystemClock().now()
    )
    if fmt == "837p":
        out.write_text(write_837p(batch, ControlNumbers(), production=production), "ascii")
    elif fmt == "837i":
        out.write_text(write_837i(batch, ControlNumbers(), production=production), "ascii")
    elif fmt == "fhir":
        bundle = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": claim_to_fhir(c)} for c in claims],
        }
        out.write_text(json.dumps(bundle, indent=2, default=str), "utf-8")
    else:
        out.write_bytes(cms1500_pdf(claims))
    console.print(f"{len(claims)} claims written to {out} ({fmt})")
