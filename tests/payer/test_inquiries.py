"""270 and 276 writers: envelopes that check, and subscriber loops shaped like the corpus's real files
(pyx12 has no maps for these guides)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openrcm.claims.io import read_superbill_csv
from openrcm.claims.practice import load_practice
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.inquiries import write_270, write_276
from openrcm.interchange.x12.syntax import check_envelopes, parse

WHEN = dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC)


def _loop_shapes(text: str, level: str) -> set[tuple[str, ...]]:
    """The segment ids of each HL loop at `level` (22 subscriber...), up to the next HL or SE.

    REF segments are left out: which optional references a file carries (REF*BLT, REF*1K, REF*EJ)
    differs between senders; the order of the other segments is the guide's.
    """
    shapes: set[tuple[str, ...]] = set()
    current: list[str] | None = None
    for seg in parse(text).segments:
        if seg.id in {"HL", "SE"}:
            if current is not None:
                shapes.add(tuple(current))
            current = [] if seg.id == "HL" and seg.get(3) == level else None
        elif current is not None and seg.id != "REF":
            current.append(seg.id)
    return shapes


@pytest.fixture
def claims(fixtures: Path) -> list:  # type: ignore[type-arg]
    return read_superbill_csv((fixtures / "superbill.csv").read_text(), "superbill.csv", load_practice())


def test_270_and_276_are_well_formed_and_shaped_like_real_ones(claims: list, data_dir: Path) -> None:  # type: ignore[type-arg]
    practice = load_practice()
    inquiries = [(c.patient, c.coverage, c.service_date) for c in claims]
    text_270 = write_270(inquiries, practice.billing, practice.submitter_id, ControlNumbers(), WHEN)
    text_276 = write_276(
        claims, (practice.submitter_id, practice.submitter_name), ControlNumbers(), WHEN, {"C100": "ACM0001"}
    )
    for text in (text_270, text_276):
        parsed = parse(text)
        assert not parsed.issues and not check_envelopes(parsed)
    assert "REF*1K*ACM0001~" in text_276 and "TRN*1*C100~" in text_276 and "EQ*30~" in text_270
    corpus = data_dir.parent / "x12-samples"
    if not corpus.is_dir():
        pytest.skip("no x12-samples")
    real_270 = set().union(
        *(_loop_shapes(p.read_text(), "22") for p in (corpus / "270").iterdir() if "X279A1" in p.read_text()[:400])
    )
    real_276 = set().union(*(_loop_shapes(p.read_text(), "22") for p in (corpus / "276").iterdir()))
    assert _loop_shapes(text_270, "22") <= real_270, (_loop_shapes(text_270, "22"), real_270)
    assert _loop_shapes(text_276, "22") <= real_276, (_loop_shapes(text_276, "22"), real_276)
