"""The billing half of `openrcm demo`: submit, acknowledge, adjudicate, post, work a denial, report.

Everything runs against the sandbox payer and an embedded SQLite ledger under the output folder,
so the demo never touches the user's own ledger and needs no server.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from rich.table import Table

from openrcm.claims.io import read_claims_json
from openrcm.claims.model import Address, Claim, ClaimBatch
from openrcm.claims.practice import Practice
from openrcm.claims.pricing import claim_expected_allowed, load_contracts
from openrcm.claims.scrub import Scrubber
from openrcm.clearinghouse.sandbox import Benefits, Member, PayerPolicy, SandboxPayer
from openrcm.clearinghouse.transport import Response, SandboxTransport
from openrcm.cli.output import console
from openrcm.codesets import CodeSets
from openrcm.interchange.forms.appeal import AppealLetter, appeal_pdf
from openrcm.interchange.forms.charts import kpi_chart_svg
from openrcm.interchange.forms.cms1500 import cms1500_pdf
from openrcm.interchange.forms.statement import statement_from_ledger, statement_pdf
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r835 import read_835
from openrcm.interchange.x12.x835 import PayerParty
from openrcm.interchange.x12.x837i import write_837i
from openrcm.interchange.x12.x837p import write_837p
from openrcm.ledger.aging import BUCKETS, aging
from openrcm.ledger.kpis import KpiInputs, kpis
from openrcm.ledger.model import Account, balances
from openrcm.payer.denials import appeal_argument, queue_item
from openrcm.payer.remittance import Remittance
from openrcm.services.posting import PostResult, post_patient_payment, post_remittance, register_claims
from openrcm.store import Store

ZERO = Decimal("0.00")
PARTY = PayerParty("ACME HEALTH PLAN", "ACMEHEALTH", Address("PO BOX 500", "CHICAGO", "IL", "606010500"))


def sandbox_for(sets: CodeSets, claims: Sequence[Claim], day: dt.date) -> SandboxPayer:
    contract = load_contracts().get("acme-ppo")
    policy = PayerPolicy("ACMEHEALTH", "ACME HEALTH PLAN", contract, 180, frozenset({"20610"}))
    plan = Benefits(
        Decimal("50.00"), Decimal("20"), Decimal("3000.00"), {"99213": Decimal("25.00"), "99214": Decimal("30.00")}
    )
    members = {c.coverage.member_id: Member(c.coverage.member_id, dt.date(day.year, 1, 1), None, plan) for c in claims}
    return SandboxPayer(policy, members, Scrubber(sets, day), sets.mpfs)


def _save(out: Path, responses: list[Response]) -> dict[str, Response]:
    found: dict[str, Response] = {}
    for r in responses:
        folder = out / r.kind
        folder.mkdir(parents=True, exist_ok=True)
        (folder / r.name).write_text(r.text, "ascii")
        found[r.kind] = r
    return found


def _exchange(
    out: Path, folder: str, name: str, text: str, sandbox: SandboxTransport, store: Store, today: dt.date
) -> tuple[dict[str, Response], Remittance, PostResult]:
    """Send one file to the sandbox, keep every answer under `out`, and post the 835 it returns."""
    (out / folder).mkdir(parents=True, exist_ok=True)
    (out / folder / name).write_text(text, "ascii")
    sandbox.submit(name, text)
    answers = _save(out, sandbox.fetch())
    read = read_835(answers["835"].text, answers["835"].name)
    (remit,) = read.remittances
    posted = post_remittance(
        store, remit, today=remit.payment_date or today, source=answers["835"].name, checks=read.balancing(remit)
    )
    return answers, remit, posted


def run_cycle(sets: CodeSets, practice: Practice, coded: Sequence[Claim], day: dt.date, out: Path) -> dict[str, Any]:
    claims = list(coded)
    claims = [c for c in claims if c.coverage.payer.id == "ACMEHEALTH"]
    billed = day + dt.timedelta(days=1)
    sandbox = SandboxTransport(
        sandbox_for(sets, claims, day),
        PARTY,
        (practice.submitter_id, practice.submitter_name),
        (practice.billing.npi, practice.billing.last_name_or_org),
        billed,
    )
    numbers = ControlNumbers()
    when = dt.datetime.combine(billed, dt.time(9, 0), tzinfo=dt.UTC)
    batch = ClaimBatch(
        tuple(claims), practice.submitter_id, practice.submitter_name, "ACMEHEALTH", "ACME HEALTH PLAN", when
    )
    ledger_path = out / "ledger.sqlite3"
    ledger_path.unlink(missing_ok=True)
    store = Store.open(f"sqlite:///{ledger_path}")
    contracts = load_contracts()
    expected = {c.id: e for c in claims if (e := claim_expected_allowed(c, contracts, sets.mpfs)) is not None}
    register_claims(store, claims, billed, expected)
    first, remit, posted = _exchange(out, "837p", "BATCH0001.837", write_837p(batch, numbers), sandbox, store, billed)
    console.rule("Clearinghouse: 999, 277CA, 835 from the sandbox payer")
    ack = first["999"].text
    console.print(
        f"999: {'accepted' if 'AK9*A' in ack else 'REJECTED'}; "
        f"277CA: {first['277ca'].text.count('STC*A2')} claims accepted"
    )
    assert posted.plan is not None
    table = Table(
        "claim",
        "status",
        "charge",
        "paid",
        "patient owes",
        "adjustments",
        title=f"835 {remit.check_number}: ${remit.check_total}",
    )
    for c in remit.claims:
        table.add_row(
            c.patient_control_number,
            c.status,
            str(c.charge),
            str(c.paid),
            str(c.patient_responsibility),
            ", ".join(f"{g}-{r} {a}" for g, r, a in c.adjustments_by_group_reason()),
        )
    console.print(table)
    copay = next((c for c in claims if c.id == coded[0].id), None) if coded else None
    if copay is not None:  # the copay collected at check-in on the day of the visit
        post_patient_payment(store, copay.id, Decimal("30.00"), received=day, method="card", reference="check-in")
    # the hospital outpatient claim of the same day goes as an 837I
    facility = read_claims_json(
        resources.files("openrcm.data").joinpath("demo_institutional.json").read_text("utf-8"),
        "demo_institutional.json",
    )
    register_claims(
        store, facility, billed, {c.id: e for c in facility if (e := claim_expected_allowed(c, contracts, sets.mpfs))}
    )
    hospital = ClaimBatch(
        tuple(facility), practice.submitter_id, practice.submitter_name, "ACMEHEALTH", "ACME HEALTH PLAN", when
    )
    inst, hremit, _ = _exchange(out, "837i", "HOSP0001.837", write_837i(hospital, numbers), sandbox, store, billed)
    console.print(
        f"837I HOSP0001 ({len(facility)} hospital outpatient claim, type of bill {facility[0].type_of_bill}): "
        f"999 {'accepted' if 'AK9*A' in inst['999'].text else 'REJECTED'}, "
        f"835 {hremit.check_number} ${hremit.check_total}"
    )
    first_decisions = [*remit.claims, *hremit.claims]
    claims = [*claims, *facility]
    denials = [queue_item(d.claim_id, d.payer_id, d.group, d.reason, d.remarks, d.amount) for d in posted.plan.denials]
    corrected: list[Claim] = []
    console.rule("Denials: worked and resubmitted")
    for item in denials:
        console.print(
            f"{item.claim_id} {item.group}-{item.reason} {' '.join(item.remarks)} ${item.amount} "
            f"[{item.category}]: {item.action}"
        )
        if item.category == "authorization":
            original = next(c for c in claims if c.id == item.claim_id)
            icn = next(c.payer_claim_control_number for c in remit.claims if c.patient_control_number == item.claim_id)
            fix = dataclasses.replace(
                original, frequency="7", original_claim_number=icn, prior_authorization="AUTH20260611A"
            )
            if fix not in corrected:
                corrected.append(fix)
    letters = [
        AppealLetter(
            practice.name,
            practice.billing.npi,
            "Acme Health Plan",
            next(c for c in claims if c.id == item.claim_id),
            next(c.payer_claim_control_number for c in remit.claims if c.patient_control_number == item.claim_id),
            f"{item.group}-{item.reason}",
            carc.display if (carc := sets.billing.carc.get(item.reason)) else "",
            item.remarks,
            item.amount,
            appeal_argument(item.category),
            ("medical record for the date of service",),
            billed + dt.timedelta(days=16),
        )
        for item in denials
    ]
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    for letter in letters:
        (out / "pdf" / f"appeal-{letter.claim.id}.pdf").write_bytes(appeal_pdf([letter]))
    if corrected:
        resend = ClaimBatch(
            tuple(corrected), practice.submitter_id, practice.submitter_name, "ACMEHEALTH", "ACME HEALTH PLAN", when
        )
        text = write_837p(resend, numbers)
        sandbox.today = billed + dt.timedelta(days=20)
        _, again, _ = _exchange(out, "837p", "BATCH0002.837", text, sandbox, store, billed)
        console.print(
            f"corrected claim(s) {', '.join(c.id for c in corrected)} (frequency 7, REF*F8, prior auth) resubmitted: "
            f"835 {again.check_number} ${again.check_total} with "
            f"{sum(1 for c in again.claims if c.status == '22')} reversal(s)"
        )
    as_of = billed + dt.timedelta(days=45)
    with store.transaction() as tx:
        postings = tx.postings()
    store.close()
    books = balances([p for p, _ in postings])
    payer_rows = aging(postings, Account.AR_PAYER, as_of)
    patient_rows = aging(postings, Account.AR_PATIENT, as_of, by="patient_id")
    console.rule(f"A/R as of {as_of}")
    for title, rows in (("payer", payer_rows), ("patient", patient_rows)):
        t = Table(title, *BUCKETS, "total", title=f"A/R aging by {title}")
        for r in rows:
            t.add_row(r.key, *(str(b) for b in r.buckets), str(r.total))
        console.print(t)
    charges = -books.get(Account.CHARGES, ZERO)
    patient_paid = sum(
        (p.amount for p, _ in postings if p.account == Account.CASH and p.memo.startswith("patient payment")), ZERO
    )
    pdf = out / "pdf"
    pdf.mkdir(parents=True, exist_ok=True)
    for claim in claims:
        (pdf / f"cms1500-{claim.id}.pdf").write_bytes(cms1500_pdf([claim]))
    owed = [c for c in claims if balances([p for p, _ in postings if p.claim_id == c.id]).get(Account.AR_PATIENT)]
    words = {
        "99213": "Office visit",
        "99214": "Office visit",
        "87804": "Flu test",
        "83036": "Hemoglobin A1c test",
        "20610": "Joint injection",
        "J3301": "Triamcinolone (injected medicine)",
    }
    statements = [
        statement_from_ledger(
            c,
            [p for p, _ in postings],
            practice=practice.name,
            payer_name="Acme Health Plan",
            today=as_of,
            descriptions=words,
        )
        for c in owed
    ]
    (pdf / "statements.pdf").write_bytes(statement_pdf(statements))
    denied_first = {d.claim_id for d in posted.plan.denials}
    scrub = Scrubber(sets, billed)
    clean = sum(1 for c in claims if not [i for i in scrub.scrub(c) if i.severity.value == "error"])
    measures = kpis(
        KpiInputs(
            submitted=len(claims),
            clean_first_pass=clean,
            adjudicated=len(first_decisions),
            paid_first=sum(
                1
                for c in first_decisions
                if c.status in {"1", "2", "3"} and c.patient_control_number not in denied_first
            ),
            denied_first=len(denied_first),
            gross_charges=charges,
            contractual=books.get(Account.CONTRACTUAL, ZERO),
            payments=books.get(Account.CASH, ZERO),
            total_ar=books.get(Account.AR_PAYER, ZERO) + books.get(Account.AR_PATIENT, ZERO),
            period_days=90,
        )
    )
    kpi_table = Table("KPI", "value", "how", "target", title="Revenue-cycle KPIs")
    for k in measures:
        kpi_table.add_row(
            k.name,
            f"{k.value}{'%' if k.unit == '%' else ' days'}" if k.value is not None else "n/a",
            k.formula,
            k.target,
        )
    console.print(kpi_table)
    (out / "kpis.svg").write_text(kpi_chart_svg(measures), "utf-8")
    summary = {
        "claims": len(claims),
        "charges": str(charges),
        "payer_paid": str(books.get(Account.CASH, ZERO) - patient_paid),
        "patient_paid": str(patient_paid),
        "contractual_adjustments": str(books.get(Account.CONTRACTUAL, ZERO)),
        "patient_responsibility": str(books.get(Account.AR_PATIENT, ZERO)),
        "open_payer_ar": str(books.get(Account.AR_PAYER, ZERO)),
        "denials_worked": [
            {"claim": i.claim_id, "reason": f"{i.group}-{i.reason}", "category": i.category} for i in denials
        ],
        "corrected_claims": [c.id for c in corrected],
        "statements": [c.id for c in owed],
        "kpis": {k.name: (str(k.value) if k.value is not None else None) for k in measures},
        "files": sorted(
            str(p.relative_to(out))
            for p in out.rglob("*")
            if p.is_file() and p.suffix not in {".sqlite3", ".sqlite3-wal", ".sqlite3-shm"}
        ),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    console.print(
        f"[bold]Billing summary[/]: {len(claims)} claims, charges ${charges}, payer paid ${summary['payer_paid']}, "
        f"patients paid ${summary['patient_paid']}, "
        f"contractual ${summary['contractual_adjustments']}, patients owe ${summary['patient_responsibility']}, "
        f"payer A/R open ${summary['open_payer_ar']}; {len(denials)} denial(s) worked, "
        f"{len(corrected)} corrected claim(s) paid. "
        f"Files under {out}/ (summary.json)."
    )
    return summary
