"""`make bench` (remittance): read and post an 835 of 100,000 claims, on SQLite and on PostgreSQL.

The 835 is written by our writer from synthetic adjudications (1-4 lines a claim, contractual
write-offs, deductible/coinsurance/copay, some denials, some claims the ledger does not know).
The claims are put on the ledger first (not timed); then reading the file and posting it (one
transaction) is timed, each backend in a fresh process so its peak memory (registering, reading
and posting) is its own. Our reader
is timed against pyx12's validation of the same file cut to 1,000 claims (pyx12 is far slower).
PostgreSQL runs when $OPENRCM_BENCH_DATABASE_URL or $OPENRCM_TEST_DATABASE_URL names a server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openrcm.claims.model import Address
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r835 import read_835
from openrcm.interchange.x12.x835 import PayerParty, write_835
from openrcm.payer.posting import OpenClaim
from openrcm.payer.remittance import Adjustment, ClaimPayment, Remittance, ServicePayment

PAYER = PayerParty("ACME HEALTH PLAN", "ACMEHEALTH", Address("PO BOX 500", "CHICAGO", "IL", "606010500"))
CODES = [("99213", "180"), ("99214", "240"), ("87804", "45"), ("83036", "40"), ("36415", "15"), ("20610", "220")]
DOS = dt.date(2026, 6, 1)
C = Decimal("0.01")


def synthetic(n: int, seed: int = 7) -> tuple[Remittance, list[OpenClaim]]:
    rng = random.Random(seed)
    claims: list[ClaimPayment] = []
    ours: list[OpenClaim] = []
    for i in range(n):
        pcn = f"B{i:08d}"
        services = []
        for _ in range(rng.randint(1, 4)):
            code, fee = rng.choice(CODES)
            charge = Decimal(fee)
            if rng.random() < 0.08:  # denied
                adjs = (Adjustment("CO", rng.choice(["97", "16", "50", "197", "18"]), charge),)
                paid, allowed = Decimal("0.00"), Decimal("0.00")
            else:
                allowed = (charge * Decimal(rng.randint(45, 80)) / 100).quantize(C)
                pr = (allowed * Decimal("0.2")).quantize(C)
                adjs = (Adjustment("CO", "45", charge - allowed), Adjustment("PR", rng.choice("123"), pr))
                paid = allowed - pr
            services.append(ServicePayment(code, (), charge, paid, Decimal(1), DOS, adjs, allowed, "", (), 0))
        charge = sum((s.charge for s in services), Decimal("0.00"))
        paid = sum((s.paid for s in services), Decimal("0.00"))
        pr = sum((a.amount for s in services for a in s.adjustments if a.group == "PR"), Decimal("0.00"))
        claims.append(
            ClaimPayment(
                pcn,
                "1",
                charge,
                paid,
                pr,
                "12",
                f"ICN{i:010d}",
                "1",
                (),
                tuple(services),
                "DOE, JANE",
                "",
                Decimal(0),
                0,
            )
        )
        if rng.random() < 0.99:  # 1% are not ours: unapplied cash
            ours.append(OpenClaim(pcn, f"P{i % 20000:06d}", "ACMEHEALTH", charge, DOS, DOS + dt.timedelta(days=1)))
    total = sum((c.paid for c in claims), Decimal("0.00"))
    remit = Remittance(
        "ACMEHEALTH", "ACME HEALTH PLAN", "1234567893", "RIVERSIDE FAMILY MEDICINE", "CHK900001", "CHK", total,
        dt.date(2026, 7, 1), tuple(claims), (), "0001", "005010X221A1",
    )  # fmt: skip
    return remit, ours


def run_backend(url: str, path: Path, n: int) -> dict[str, object]:
    """In this (fresh) process: put the claims on the ledger, then time read + post."""
    from openrcm.services.posting import post_remittance, register
    from openrcm.store import Store

    ours = pickle.loads(path.with_suffix(".claims").read_bytes())  # the practice's side, made by the parent
    store = Store.open(url)
    start = time.perf_counter()
    register(store, ours)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    result = read_835(path.read_bytes(), path.name)
    read_s = time.perf_counter() - start
    (remit,) = result.remittances
    start = time.perf_counter()
    posted = post_remittance(store, remit, today=dt.date(2026, 7, 2), source=path.name, checks=result.balancing(remit))
    post_s = time.perf_counter() - start
    with store.transaction() as tx:
        postings = tx.count("postings")
        unbalanced = sum(1 for t in tx.entry_totals() if t)
    store.close()
    assert posted.plan is not None
    return {
        "backend": url.split(":", maxsplit=1)[0],
        "claims": len(remit.claims),
        "register_s": round(setup, 2),
        "read_s": round(read_s, 2),
        "post_s": round(post_s, 2),
        "read_and_post_s": round(read_s + post_s, 2),
        "entries": len(posted.plan.entries),
        "postings": postings,
        "unbalanced_entries": unbalanced,
        "unapplied": len(posted.plan.unmatched),
        "denials": len(posted.plan.denials),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def pg_url() -> str | None:
    return os.environ.get("OPENRCM_BENCH_DATABASE_URL") or os.environ.get("OPENRCM_TEST_DATABASE_URL")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(args.child[0], Path(args.child[1]), args.claims)))
        return
    remit, ours = synthetic(args.claims)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.835"
        when = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
        path.write_text(write_835([remit], PAYER, "RIVERSIDEFM", ControlNumbers(), when), "ascii")
        size = path.stat().st_size
        path.with_suffix(".claims").write_bytes(pickle.dumps(ours))
        print(f"835: {args.claims:,} claims, {size / 1e6:.1f} MB")
        urls = [f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        pg = pg_url()
        schema = ""
        if not pg:
            print("PostgreSQL: skipped (set OPENRCM_BENCH_DATABASE_URL or OPENRCM_TEST_DATABASE_URL)")
        if pg:
            schema = f"openrcm_bench_{uuid.uuid4().hex[:8]}"
            subprocess.run(["psql", pg, "-qc", f"CREATE SCHEMA {schema}"], check=True)
            base = "postgresql+psycopg://" + pg.removeprefix("postgresql://") if pg.startswith("postgresql://") else pg
            urls.append(f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}")
        results = []
        try:
            for url in urls:
                out = subprocess.run(
                    [sys.executable, __file__, "--claims", str(args.claims), "--child", url, str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                row = json.loads(out.stdout.strip().splitlines()[-1])
                results.append(row)
                print(
                    f"{row['backend']}: read {row['read_s']} s + post {row['post_s']} s = "
                    f"{row['read_and_post_s']} s for {row['claims']:,} claims ({row['entries']:,} entries, "
                    f"{row['postings']:,} postings, {row['unbalanced_entries']} unbalanced, "
                    f"{row['unapplied']:,} unapplied, {row['denials']:,} denials); peak {row['peak_mib']} MiB"
                )
        finally:
            if pg and schema:
                subprocess.run(["psql", pg, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=False)
        text = path.read_text("ascii")
        first = remit.claims[:1000]
        cut = replace(remit, claims=first, check_total=sum((c.paid for c in first), Decimal("0.00")))
        small = write_835([cut], PAYER, "RIVERSIDEFM", ControlNumbers(), when)
        import logging

        import pyx12.params
        import pyx12.x12n_document

        # pyx12 validates the 835 but cannot build its own 999 for it (its AK2 wants an implementation
        # guide id it keeps only for 837s) and logs a traceback saying so; the verdict is still returned
        logging.getLogger("pyx12").setLevel(logging.CRITICAL)
        start = time.perf_counter()
        read_835(small)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        ok = pyx12.x12n_document.x12n_document(
            pyx12.params.params(), io.StringIO(small), io.StringIO(), io.StringIO(), None
        )
        theirs = time.perf_counter() - start
        start = time.perf_counter()
        read_835(text)
        whole = time.perf_counter() - start
        print(
            f"835 reader: the whole file in {whole:.2f} s; on a 1,000-claim cut ours {ours * 1000:.0f} ms vs pyx12 "
            f"validation {theirs:.2f} s (accepted: {ok}) = {theirs / ours:,.0f}x faster"
        )
        Path("bench-remit.json").write_text(
            json.dumps({"backends": results, "reader_vs_pyx12_speedup": theirs / ours, "file_mb": size / 1e6}, indent=2)
        )


if __name__ == "__main__":
    main()
