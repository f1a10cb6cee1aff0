"""`openrcm remit post`, `openrcm ar aging`, `openrcm denials list`: the ledger side of the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from openrcm.claims.practice import load_practice
from openrcm.claims.pricing import claim_expected_allowed, load_contracts
from openrcm.cli.claims_cmd import read_input
from openrcm.cli.output import console, print_json
from openrcm.cli.remit_cmd import read_835_file
from openrcm.cli.state import code_sets, fail
from openrcm.core.dates import SystemClock
from openrcm.core.errors import OpenRCMError
from openrcm.core.money import to_money
from openrcm.interchange.forms.charts import kpi_chart_svg
from openrcm.ledger.aging import BUCKETS, aging
from openrcm.ledger.kpis import KpiInputs, kpis
from openrcm.ledger.model import Account, balances
from openrcm.payer.denials import by_category, queue_item
from openrcm.services.posting import post_patient_payment, post_remittance, register_claims
from openrcm.store import Store

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $OPENRCM_DATABASE_URL, else the embedded SQLite file)."),
]
ar_app = typer.Typer(help="Accounts receivable.", no_args_is_help=True)
denials_app = typer.Typer(help="The denial work queue.", no_args_is_help=True)


@contextmanager
def opened(url: str | None) -> Iterator[Store]:
    try:
        store = Store.open(url)
    except OpenRCMError as exc:
        fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def post(
    path: Annotated[Path, typer.Argument(help="An 835 file.")],
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was posted as JSON.")] = False,
) -> None:
    """Post an 835 to the ledger: once, completely, or not at all."""
    result = read_835_file(path)
    if not result.remittances:
        fail("; ".join(i.message for i in result.issues) or f"{path}: no 835 found")
    report: list[dict[str, Any]] = []
    with opened(db) as store:
        for remit in result.remittances:
            posted = post_remittance(
                store, remit, today=SystemClock().today(), source=path.name, checks=result.balancing(remit)
            )
            plan = posted.plan
            report.append(
                {
                    "check_number": remit.check_number,
                    "payer_id": remit.payer_id,
                    "check_total": str(remit.check_total),
                    "posted": not posted.duplicate,
                    "entries": len(plan.entries) if plan else 0,
                    "matched_claims": len(plan.matched) if plan else 0,
                    "unapplied_claims": len(plan.unmatched) if plan else 0,
                    "cash": str(plan.cash) if plan else "0.00",
                    "denials": len(plan.denials) if plan else 0,
                    "underpaid": len(plan.underpayments) if plan else 0,
                    "findings": [{"code": f.code, "message": f.message} for f in posted.findings],
                }
            )
    if as_json:
        print_json(report[0] if len(report) == 1 else report)
        return
    for item in report:
        if not item["posted"]:
            console.print(
                f"[yellow]already posted[/]: {item['payer_id']} {item['check_number']} ${item['check_total']} "
                "(nothing changed)"
            )
            continue
        console.print(
            f"[green]posted[/] {item['payer_id']} {item['check_number']} ${item['check_total']}: "
            f"{item['entries']} journal entries, {item['matched_claims']} claims matched, "
            f"{item['unapplied_claims']} unapplied, {item['denials']} denied amounts to work, "
            f"{item['underpaid']} underpaid; cash {item['cash']}"
        )
        for finding in item["findings"][:20]:
            console.print(f"  [yellow]{finding['code']}[/]: {finding['message']}")
        if len(item["findings"]) > 20:
            console.print(f"  ... and {len(item['findings']) - 20} more findings")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


@ar_app.command("aging")
def aging_cmd(
    db: DbOpt = None,
    by: Annotated[str, typer.Option(help="payer or patient")] = "payer",
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open balances in 0-30, 31-60, 61-90, 91-120 and over-120-day buckets, by payer or by patient."""
    if by not in {"payer", "patient"}:
        fail("--by must be payer or patient")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else SystemClock().today()
    except ValueError:
        fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
    account = Account.AR_PAYER if by == "payer" else Account.AR_PATIENT
    with opened(db) as store, store.transaction() as tx:
        rows = aging(tx.postings(account_prefix=account, as_of=day), account, day, by=f"{by}_id")
    if as_json:
        print_json(
            {
                "as_of": day.isoformat(),
                "by": by,
                "buckets": list(BUCKETS),
                "rows": [
                    {"key": r.key, "claims": r.claims, "buckets": [str(b) for b in r.buckets], "total": str(r.total)}
                    for r in rows
                ],
            }
        )
        return
    table = Table(by, "claims", *BUCKETS, "total", title=f"A/R aging by {by} as of {day}")
    totals = [Decimal("0.00")] * len(BUCKETS)
    for r in rows:
        table.add_row(r.key, str(r.claims), *(_money(b) for b in r.buckets), _money(r.total))
        totals = [t + b for t, b in zip(totals, r.buckets, strict=True)]
    table.add_row(
        "[bold]total[/]",
        str(sum(r.claims for r in rows)),
        *(_money(t) for t in totals),
        _money(sum(totals, Decimal("0.00"))),
    )
    console.print(table)


@denials_app.command("list")
def denials_list(db: DbOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Denied amounts grouped by cause, each with the recommended next action."""
    with opened(db) as store, store.transaction() as tx:
        rows = [r for r in tx.follow_up_rows() if str(r["code"]).startswith("DENIAL_")]
    items = [
        queue_item(
            str(r["claim_id"]),
            str(r["payer_id"]),
            str(r["code"]).removeprefix("DENIAL_"),
            str(r["reason"]),
            str(r["remarks"]).split(),
            Decimal(str(r["amount"])),
        )
        for r in rows
    ]
    groups = by_category(items)
    if as_json:
        print_json(
            {
                cat: [
                    {
                        "claim_id": i.claim_id,
                        "payer_id": i.payer_id,
                        "group": i.group,
                        "reason": i.reason,
                        "remarks": list(i.remarks),
                        "amount": str(i.amount),
                        "action": i.action,
                    }
                    for i in group
                ]
                for cat, group in groups.items()
            }
        )
        return
    if not groups:
        console.print("No denials to work.")
    for cat, group in groups.items():
        table = Table("claim", "payer", "reason", "remarks", "amount", "next action", title=f"{cat} ({len(group)})")
        for i in group:
            table.add_row(
                i.claim_id, i.payer_id, f"{i.group}-{i.reason}", " ".join(i.remarks), _money(i.amount), i.action
            )
        console.print(table)


def register_claims_cmd(
    path: Annotated[Path, typer.Argument(help="Claims JSON (from `openrcm claims build`) or a superbill CSV.")],
    db: DbOpt = None,
    practice: Annotated[Path | None, typer.Option("--practice", help="Practice TOML (default: the demo one).")] = None,
    contracts: Annotated[
        Path | None, typer.Option("--contracts", help="Payer contracts TOML (default: the demo contracts).")
    ] = None,
    billed: Annotated[
        str | None, typer.Option(help="The date the claims were sent, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Put billed claims on the ledger, each charge owed by its payer, with the contract's expected allowed."""

    try:
        day = dt.date.fromisoformat(billed) if billed else SystemClock().today()
    except ValueError:
        fail(f"--billed {billed!r} is not a date (YYYY-MM-DD)")
    claims = read_input(path, load_practice(practice))
    terms = load_contracts(contracts)
    try:
        schedule = code_sets().mpfs
    except OpenRCMError as exc:  # no data directory: contracts' fixed fees still price
        console.print(f"[yellow]no fee schedule ({type(exc).__name__}): expected amounts from fixed fees only[/]")
        schedule = None
    expected = {c.id: e for c in claims if (e := claim_expected_allowed(c, terms, schedule)) is not None}
    with opened(db) as store:
        try:
            count = register_claims(store, claims, day, expected)
        except OpenRCMError as exc:
            fail(str(exc))
    console.print(
        f"{count} claims on the ledger (billed {day}); {len(expected)} with a contract's expected allowed amount"
    )


def kpis_cmd(
    db: DbOpt = None,
    period_days: Annotated[int, typer.Option("--period-days", help="Days of charges for days in A/R.")] = 90,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also write the KPI chart (SVG) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Clean claim rate, first-pass resolution, denial rate, days in A/R and net collection rate."""

    with opened(db) as store, store.transaction() as tx:
        books = balances([p for p, _ in tx.postings()])
        claims = tx.all_claims()
        statuses = tx.claim_statuses()
        denied = {str(r["claim_id"]) for r in tx.follow_up_rows() if str(r["code"]).startswith("DENIAL_")}
    adjudicated = [c.claim_id for c in claims if statuses.get(c.claim_id, "billed") != "billed"]
    zero = Decimal("0.00")
    measures = kpis(
        KpiInputs(
            submitted=len(claims),
            clean_first_pass=None,  # scrub and acknowledgement outcomes are not stored in the ledger yet
            adjudicated=len(adjudicated),
            paid_first=sum(1 for c in adjudicated if c not in denied),
            denied_first=sum(1 for c in adjudicated if c in denied),
            gross_charges=-books.get(Account.CHARGES, zero),
            contractual=books.get(Account.CONTRACTUAL, zero),
            payments=books.get(Account.CASH, zero),
            total_ar=books.get(Account.AR_PAYER, zero) + books.get(Account.AR_PATIENT, zero),
            period_days=period_days,
        )
    )
    if chart is not None:
        chart.write_text(kpi_chart_svg(measures), "utf-8")
    if as_json:
        print_json(
            {
                k.name: {"value": str(k.value) if k.value is not None else None, "unit": k.unit, "formula": k.formula}
                for k in measures
            }
        )
        return
    table = Table("KPI", "value", "how", "target", title="Revenue-cycle KPIs")
    for k in measures:
        shown = "n/a" if k.value is None else f"{k.value}{'%' if k.unit == '%' else ' days'}"
        table.add_row(k.name, shown, k.formula, k.target)
    console.print(table)


@ar_app.command("pay")
def pay_cmd(
    claim_id: Annotated[str, typer.Argument(help="The claim (patient control number) the payment is for.")],
    amount: Annotated[str, typer.Argument(help="Amount, e.g. 30.00")],
    db: DbOpt = None,
    method: Annotated[str, typer.Option(help="cash, card, check...")] = "cash",
    reference: Annotated[str, typer.Option(help="Receipt or check number.")] = "",
    received: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Post a patient payment to a claim's patient balance."""

    try:
        value = to_money(amount)
        day = dt.date.fromisoformat(received) if received else SystemClock().today()
    except ValueError as exc:
        fail(str(exc))
    with opened(db) as store:
        try:
            left = post_patient_payment(store, claim_id, value, received=day, method=method, reference=reference)
        except OpenRCMError as exc:
            fail(str(exc))
    console.print(f"posted {value} from the patient on claim {claim_id}; patient balance now {left}")
