"""Write 999 implementation acknowledgements (005010X231A1) for a received interchange.

Each transaction set is accepted (IK5*A) unless the envelope checks found a problem inside it,
in which case it is rejected (IK5*R) with the segment named (IK3).
"""

from __future__ import annotations

import datetime as dt

from openrcm.interchange.x12.envelope import ControlNumbers, SegmentWriter, wrap
from openrcm.interchange.x12.syntax import check_envelopes, parse

VERSION = "005010X231A1"


def write_999(received: str, sender: str, receiver: str, numbers: ControlNumbers, when: dt.datetime) -> str:
    """The 999 for `received` (an 837, 270, 276...), from `sender` (who got it) to `receiver`."""
    parsed = parse(received)
    problems = check_envelopes(parsed) + list(parsed.issues)
    bad_positions = {
        int(i.location.segment.split("#")[-1]) for i in problems if i.location.segment and "#" in i.location.segment
    }
    w = SegmentWriter()
    gs_id = gs06 = gs08 = ""
    sets: list[tuple[str, str, bool, list[tuple[str, int]]]] = []
    current: tuple[str, str, int] | None = None
    errors: list[tuple[str, int]] = []
    for seg in parsed.segments:
        if seg.id == "GS":
            gs_id, gs06, gs08 = seg.get(1), seg.get(6), seg.get(8)
        elif seg.id == "ST":
            current, errors = (seg.get(1), seg.get(2), seg.position), []
        elif current is not None:
            if seg.position in bad_positions:
                errors.append((seg.id, seg.position - current[2]))
            if seg.id == "SE":
                sets.append((current[0], current[1], not errors, errors))
                current = None
    w.add("AK1", gs_id, gs06, gs08)
    for code, st02, ok, errs in sets:
        w.add("AK2", code, st02, gs08)
        for seg_id, offset in errs[:10]:
            w.add("IK3", seg_id, str(offset), "", "8")  # 8: segment has data element errors
        w.add("IK5", "A" if ok else "R", *([] if ok else ["5"]))
    accepted = sum(1 for s in sets if s[2])
    status = "A" if accepted == len(sets) else ("P" if accepted else "R")
    w.add("AK9", status, str(len(sets)), str(len(sets)), str(accepted))
    return wrap(
        [w.segments], sender=sender, receiver=receiver, functional_id="FA", version=VERSION, numbers=numbers, when=when
    )
