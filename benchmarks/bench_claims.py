"""`make bench` (claims): build, scrub and write 837P for 100,000 claims with a full-size PTP table.

The NCCI PTP table used is synthetic (about two million pairs, generated here over real CPT/HCPCS
code shapes) so the benchmark does not depend on a quarter's file; MUE/AOC, ICD-10-CM, HCPCS and
the fee schedule are the real ones from the data directory. The 837P reader is then timed against
pyx12's validation of the same file (a sample of it: pyx12 is far slower).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import resource
import time
from dataclasses import replace
from pathlib import Path

from openrcm.claims.io import claim_from_dict
from openrcm.claims.model import Claim, ClaimBatch
from openrcm.claims.practice import load_practice
from openrcm.claims.scrub import Scrubber
from openrcm.codesets import CodeSets
from openrcm.codesets.ncci import Ncci, PtpSetting, build_ptp
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r837 import read_837
from openrcm.interchange.x12.x837p import write_837p

CODES = [
    "99213",
    "99214",
    "99203",
    "99204",
    "87804",
    "83036",
    "36415",
    "85610",
    "87880",
    "20610",
    "J3301",
    "J1100",
    "96372",
    "93000",
    "81003",
    "90471",
    "90715",
    "11102",
    "17000",
    "69210",
]
DX = ["J10.1", "E11.65", "E11.22", "I12.9", "N18.31", "I10", "E78.5", "M17.11", "J45.40", "Z79.4", "S93.401A"]


def synthetic_ptp(pairs: int, seed: int = 5) -> object:
    rng = random.Random(seed)
    alphabet = "0123456789"
    rows = []
    seen: set[tuple[str, str]] = set()
    real = CODES + [f"{rng.randint(10000, 99999)}" for _ in range(20_000)]
    while len(rows) < pairs:
        a, b = rng.choice(real), rng.choice(real)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        rows.append((a, b, 0, 99991231, rng.choice("019"), "synthetic"))
    _ = alphabet
    return build_ptp(
        rows, name="synthetic PTP", effective=dt.date(2026, 4, 1), source="synthetic", setting=PtpSetting.PRACTITIONER
    )


def superbills(n: int, seed: int = 7) -> list[dict[str, object]]:
    """Superbill records as they arrive (JSON-shaped), three lines each; charges from the chargemaster."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for i in range(n):
        out.append(
            {
                "id": f"B{i:07d}",
                "service_date": f"2026-06-{1 + i % 28:02d}",
                "place_of_service": "11",
                "diagnoses": rng.sample(DX, 3),
                "patient": {
                    "id": f"P{i}",
                    "last_name": f"PATIENT{i}",
                    "first_name": "TEST",
                    "birth_date": f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "sex": "FM"[i % 2],
                    "address": {"line1": "1 MAIN ST", "city": "SPRINGFIELD", "state": "IL", "postal_code": "62701"},
                },
                "coverage": {"payer": {"id": "ACMEHEALTH"}, "member_id": f"M{i:09d}"},
                "lines": [{"code": c, "diagnosis_pointers": [1, 2]} for c in rng.sample(CODES, 3)],
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=2_000_000)
    args = parser.parse_args()
    sets = CodeSets()
    start = time.perf_counter()
    ptp = synthetic_ptp(args.pairs)
    ncci = sets.ncci
    synthetic = Ncci({PtpSetting.PRACTITIONER: (ptp,)}, ncci.mue, ncci.aoc)  # type: ignore[arg-type]
    sets.__dict__["ncci"] = synthetic
    setup = time.perf_counter() - start
    records = superbills(args.claims)
    practice = load_practice()
    scrubber = Scrubber(sets, dt.date(2026, 7, 1))
    problems: list[str] = []
    for record in records[:200]:  # warm the code-set caches
        warm = claim_from_dict(record, "warm", practice, problems)
        assert warm is not None, problems
        scrubber.scrub(warm)
    start = time.perf_counter()
    issues = 0
    files: list[str] = []
    claims: list[Claim] = []
    chunk = 5_000
    numbers = ControlNumbers()
    for i in range(0, len(records), chunk):
        group = []
        for record in records[i : i + chunk]:
            claim = claim_from_dict(record, "claim", practice, problems)
            assert claim is not None, problems
            group.append(claim)
            issues += len(scrubber.scrub(claim))
        claims.extend(group)
        batch = ClaimBatch(
            tuple(group),
            practice.submitter_id,
            practice.submitter_name,
            practice.receiver_id,
            practice.receiver_name,
            dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
        )
        files.append(write_837p(batch, numbers))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"synthetic PTP table: {len(ptp):,} pairs (built in {setup:.1f} s)")  # type: ignore[arg-type]
    print(
        f"build + scrub + write 837P: {len(claims):,} claims in {elapsed:.1f} s = "
        f"{len(claims) / elapsed:,.0f} claims/s "
        f"on one core; {issues:,} findings; peak {peak:,.0f} MiB"
    )
    sample = files[0]
    start = time.perf_counter()
    parsed = read_837(sample)
    ours = time.perf_counter() - start
    small = write_837p(
        replace(
            ClaimBatch(
                tuple(claims[:500]),
                practice.submitter_id,
                practice.submitter_name,
                practice.receiver_id,
                practice.receiver_name,
                dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
            )
        ),
        ControlNumbers(),
    )
    import pyx12.params
    import pyx12.x12n_document

    start = time.perf_counter()
    read_837(small)
    ours_small = time.perf_counter() - start
    start = time.perf_counter()
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(small), io.StringIO(), None, None)
    theirs = time.perf_counter() - start
    print(
        f"837P reader: {len(parsed.claims):,} claims in {ours:.2f} s; on a 500-claim file ours {ours_small * 1000:.0f} "
        f"ms vs pyx12 validation {theirs:.1f} s (accepted: {ok}) = {theirs / ours_small:,.0f}x faster"
    )
    Path("bench-claims.json").write_text(
        json.dumps(
            {
                "claims": len(claims),
                "claims_per_s": len(claims) / elapsed,
                "peak_mib": peak,
                "reader_vs_pyx12_speedup": theirs / ours_small,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
