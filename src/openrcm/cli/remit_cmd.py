"""`openrcm remit read FILE`: what an 835 says, claim by claim, and whether it balances."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from openrcm.cli.output import console, print_json
from openrcm.cli.state import fail
from openrcm.core.issue import Issue, Severity
from openrcm.interchange.x12.r835 import Read835, read_835
from openrcm.payer.remittance import Remittance

app = typer.Typer(help="Remittance advice (835).", no_args_is_help=True)


def _finding(issue: Issue) -> dict[str, Any]:
    return {
        "code": issue.code,
        "severity": issue.severity.value,
        "message": issue.message,
        "location": issue.location.describe(),
    }


def remit_json(remit: Remittance, issues: list[Issue]) -> dict[str, Any]:
    return {
        "payer_id": remit.payer_id,
        "payer_name": remit.payer_name,
        "payee_id": remit.payee_id,
        "check_number": remit.check_number,
        "payment_date": remit.payment_date.isoformat() if remit.payment_date else None,
        "check_total": str(remit.check_total),
        "payment_method": remit.payment_method,
        "plb_total": str(remit.plb_total),
        "provider_adjustments": [
            {"reason": p.reason, "reference": p.reference, "amount": str(p.amount)} for p in remit.provider_adjustments
        ],
        "balanced": not any(i.code.startswith("BAL_") and i.severity == Severity.ERROR for i in issues),
        "findings": [_finding(i) for i in issues],
        "claims": [
            {
                "patient_control_number": c.patient_control_number,
                "status": c.status,
                "charge": str(c.charge),
                "paid": str(c.paid),
                "patient_responsibility": str(c.patient_responsibility),
                "payer_claim_control_number": c.payer_claim_control_number,
                "adjustments": [
                    {"group": g, "reason": r, "amount": str(a)} for g, r, a in c.adjustments_by_group_reason()
                ],
                "lines": [
                    {
                        "code": s.code,
                        "modifiers": list(s.modifiers),
                        "charge": str(s.charge),
                        "paid": str(s.paid),
                        "allowed": str(s.allowed) if s.allowed is not None else None,
                        "remarks": list(s.remarks),
                    }
                    for s in c.services
                ],
            }
            for c in remit.claims
        ],
    }


def read_835_file(path: Path) -> Read835:
    """Read an 835 file; an unreadable file is one clear error line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror})")
    return read_835(raw, path.name)


@app.command()
def read(
    path: Annotated[Path, typer.Argument(help="An 835 file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (a list when the file holds several 835s).")
    ] = False,
) -> None:
    """Each claim's status, charge, paid amount and adjustments, and the balancing findings."""
    result = read_835_file(path)
    general = [i for i in result.issues if not i.code.startswith("BAL_")]
    per_remit: list[dict[str, Any]] = []
    for remit in result.remittances:
        per_remit.append(remit_json(remit, general + result.balancing(remit)))
    if as_json:
        print_json(per_remit[0] if len(per_remit) == 1 else per_remit)
        return
    if not result.remittances:
        fail("; ".join(i.message for i in result.issues) or f"{path}: no 835 found")
    for remit, data in zip(result.remittances, per_remit, strict=True):
        title = (
            f"{remit.payer_name or remit.payer_id} - {remit.payment_method} {remit.check_number} "
            f"${remit.check_total:,.2f} on {remit.payment_date}"
        )
        table = Table("claim", "status", "charge", "paid", "patient owes", "payer claim #", "adjustments", title=title)
        for c in remit.claims:
            adjustments = ", ".join(f"{g}-{r} {a}" for g, r, a in c.adjustments_by_group_reason())
            table.add_row(
                c.patient_control_number,
                c.status,
                f"{c.charge:,.2f}",
                f"{c.paid:,.2f}",
                f"{c.patient_responsibility:,.2f}",
                c.payer_claim_control_number,
                adjustments,
            )
        console.print(table)
        if remit.provider_adjustments:
            console.print(
                "Provider adjustments (PLB): "
                + ", ".join(f"{p.reason} {p.reference} {p.amount}" for p in remit.provider_adjustments)
            )
        console.print("[green]balanced[/]" if data["balanced"] else "[red]does not balance[/]")
        for finding in data["findings"]:
            console.print(f"[yellow]{finding['severity']}[/] {finding['code']}: {finding['message']}")
