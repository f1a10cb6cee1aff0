"""Drugs and fluids given into a vein, coded by CPT's drug administration rules (96360-96379, 96401-96417).

A note says what was given, by what route and, for an infusion, when it started and stopped. The codes follow:

- an infusion is billed by its time: 15 minutes or less is a push; a drug's first hour (96365, or 96413 for
  chemotherapy and other highly complex drugs) counts from 16 minutes, and each further hour (96366, 96415) once
  more than 30 minutes of it have run; hydration (96360) needs 31 minutes, and its further hours are 96361;
- one initial service an encounter (one vascular access): the one highest in the hierarchy (complex infusion,
  complex push, therapeutic infusion, push, hydration) is initial, every other is sequential (96367, 96417), a
  further push (96375, 96411), concurrent (96368) or secondary hydration (96361);
- hydration given at the same time as a drug infusion is not billed for the minutes they share, and a fluid that
  only carries a drug ("ceftriaxone 1 g in 100 mL NS") or keeps the vein open is no hydration at all;
- an infusion whose time the note does not give is not billed as one (CPT bills infusions by their documented
  start and stop times): the drug is, and a finding asks for the times.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from openrcm.coding.model import Evidence

Kind = Literal["complex", "therapeutic", "hydration"]

# CPT's times: an infusion longer than PUSH_MINUTES is one; hydration needs HYDRATION_MINUTES; a further hour is billed
# once more than HALF_HOUR of it has run
PUSH_MINUTES = 15
HYDRATION_MINUTES = 31
HALF_HOUR = 30

_CLOCK = r"(\d{1,2}):?(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?(?!\s*(?:ml|cc|mg|mcg|g|l|units?|%)\b)(?![\d:])"
_START = re.compile(
    rf"\b(?:start(?:ed|ing)?|began|begun|begin|initiated|hung|time in)\b(?:\s+(?:time|at|@))*\s*[:@-]?\s*(?:at\s+)?"
    rf"{_CLOCK}",
    re.IGNORECASE,
)
_STOP = re.compile(
    rf"\b(?:stop(?:ped)?|end(?:ed)?|completed?|finished|discontinued|time out)\b(?:\s+(?:time|at|@))*\s*[:@-]?\s*"
    rf"(?:at\s+)?{_CLOCK}",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"\bfrom\s+" + _CLOCK + r"\s*(?:to|until|-|–)\s*" + _CLOCK + r"|\b(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?\s*"
    r"(?:-|–|to)\s*(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
_AMOUNT = r"(\d+(?:\.\d+)?|an?|one|two|three|four|five|six)"
_HOURS = r"(?:h|hrs?|hours?)"
_MINS = r"(?:min|mins|minutes?)"
# "over 30 minutes", "over 2 hours 15 minutes", "infusion time: 75 minutes", "infused for 2 hours", "a 60-minute
# infusion" (not "observed for 30 minutes after the infusion": the time of something else)
_DURATION = re.compile(
    rf"(?:\bover|\bduration(?: of)?:?|\b(?:infusion|run|total) time(?: of)?:?|\binfus\w*(?: \w+)? (?:for|x|×))\s*"
    rf"{_AMOUNT}\s*(?:-\s*)?({_HOURS}|{_MINS})\b(?:\s*(?:and\s*)?(\d+)\s*{_MINS}\b)?"
    rf"|\b{_AMOUNT}[- ]({_HOURS}|{_MINS}|hour|minute)s?\s+(?:iv\s+)?infusion\b",
    re.IGNORECASE,
)
# every code this module bills
INTO_A_VEIN = frozenset(
    {
        *("96360", "96361", "96365", "96366", "96367", "96368"),
        *("96374", "96375", "96409", "96411", "96413", "96415", "96417"),
    }
)
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_CONCURRENT = re.compile(r"\bconcurrent(?:ly)?\b|\bsimultaneous(?:ly)?\b|\bat the same time\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Timing:
    """How long an infusion ran, and when (minutes after midnight) where the note gives its clock times."""

    minutes: int
    interval: tuple[int, int] | None = None


def _clock(hour: str | None, minute: str | None, half: str | None) -> int | None:
    if hour is None or minute is None:
        return None
    h, m = int(hour), int(minute)
    if m > 59 or h > 23 or (half and not 1 <= h <= 12):
        return None
    if half and half.lower() == "p" and h < 12:
        h += 12
    elif half and half.lower() == "a" and h == 12:
        h = 0
    return h * 60 + m


def _between(start: int, stop: int, clock_halves: bool) -> Timing | None:
    """The time from ``start`` to ``stop``: a stop before the start is past noon where neither said am or pm
    ("11:30 to 1:15"), else past midnight; more than 12 hours is no infusion's."""
    end = stop
    if end <= start:
        end += 720 if not clock_halves and stop < 720 and stop + 720 > start else 1440
    minutes = end - start
    return Timing(minutes, (start, end)) if 0 < minutes <= 720 else None


def timing(text: str) -> Timing | None:
    """The time an infusion ran, from the start and stop times ``text`` gives, a clock range, or a duration."""
    start, stop = _START.search(text), _STOP.search(text)
    if start and stop:
        begin, end = _clock(*start.groups()), _clock(*stop.groups())
        if begin is not None and end is not None:
            return _between(begin, end, bool(start.group(3) or stop.group(3)))
    ranged = _RANGE.search(text)
    if ranged:
        groups = ranged.groups()
        first, second = (groups[0:3], groups[3:6]) if groups[0] else (groups[6:9], groups[9:12])
        begin, end = _clock(*first), _clock(*second)
        if begin is not None and end is not None:
            return _between(begin, end, bool(first[2] or second[2]))
    said = _DURATION.search(text)
    if said:
        amount, unit, more = said.group(1, 2, 3) if said.group(1) else (said.group(4), said.group(5), None)
        count = _WORDS.get(amount.lower()) if not amount[0].isdigit() else float(amount)
        if count is None:
            return None
        minutes = count * 60 if unit.lower().startswith("h") else count
        return Timing(round(minutes + (int(more) if more else 0)))
    return None


@dataclass(frozen=True, slots=True)
class Administration:
    """One drug or fluid given into a vein at the visit."""

    drug: str  # its HCPCS code
    kind: Kind
    infused: bool  # else pushed
    timing: Timing | None
    concurrent: bool
    evidence: Evidence
    span: tuple[int, int]


def administration(
    drug: str, kind: Kind, infused: bool, window: str, evidence: Evidence, span: tuple[int, int]
) -> Administration:
    """What ``window`` (the drug's sentence and those after it about it) says of its administration."""
    timed = timing(window) if infused else None
    concurrent = infused and _CONCURRENT.search(window) is not None
    return Administration(drug, kind, infused, timed, concurrent, evidence, span)


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    units: int
    evidence: tuple[Evidence, ...]
    reason: str
    span: tuple[int, int]
    treats: tuple[str, ...] = ()  # the diagnosis codes (prefixes) the service is for, where it is for one


# what hydration treats: dehydration, hypovolemia (its line points there, not to the visit's first problem)
HYDRATION_TREATS = ("E86",)


def _pushed(a: Administration) -> str:
    """Why an infusion is billed as a push: it ran 15 minutes or less."""
    if a.timing is None:
        return ""
    return f" (infused over {a.timing.minutes} minutes: {PUSH_MINUTES} or less is a push)"


def _further_hours(minutes: int, included: int = 60) -> int:
    """Each further hour beyond ``included`` minutes, counted once more than 30 minutes of it have run."""
    return max(0, math.ceil((minutes - included - HALF_HOUR) / 60))


def _shared(interval: tuple[int, int], others: Iterable[tuple[int, int]]) -> int:
    """Minutes of ``interval`` that any of ``others`` also covers."""
    covered: set[int] = set()
    for start, end in others:
        covered.update(range(max(start, interval[0]), min(end, interval[1])))
    return len(covered)


_RANK: dict[tuple[Kind, bool], int] = {
    ("complex", True): 0,
    ("complex", False): 1,
    ("therapeutic", True): 2,
    ("therapeutic", False): 3,
}
_NAMES = {"complex": "chemotherapy or highly complex drug", "therapeutic": "drug"}


def administration_services(given: list[Administration]) -> tuple[list[Service], list[tuple[str, tuple[int, int]]]]:
    """The administration codes for what was given into a vein, and, for what is not billed, why (and where)."""
    untimed = [a for a in given if a.infused and a.timing is None]
    remarks = [
        (
            f"The infusion of {a.drug} gives no start and stop times: it is not billed as an infusion (CPT bills "
            "one by its documented time); document both, or the minutes it ran",
            a.span,
        )
        for a in untimed
    ]
    # an infusion of 15 minutes or less is a push
    items = [
        replace(a, infused=False) if a.infused and a.timing is not None and a.timing.minutes <= PUSH_MINUTES else a
        for a in given
        if a not in untimed
    ]
    drugs = sorted((a for a in items if a.kind != "hydration"), key=lambda a: _RANK[(a.kind, a.infused)])
    services: dict[str, Service] = {}

    def bill(code: str, units: int, a: Administration, reason: str) -> None:
        if units <= 0:
            return
        held = services.get(code)
        if held is None:
            treats = HYDRATION_TREATS if a.kind == "hydration" else ()
            services[code] = Service(code, units, (a.evidence,), reason, a.span, treats)
        else:
            services[code] = replace(held, units=held.units + units, evidence=(*held.evidence, a.evidence))

    initial = drugs[0] if drugs else None
    concurrent_billed = False
    for a in drugs:
        name = _NAMES[a.kind]
        first = a is initial
        why = "; the initial service: highest of the hierarchy given" if first and len(drugs) > 1 else ""
        if a.infused:
            assert a.timing is not None
            minutes = a.timing.minutes
            if a.kind == "complex":
                bill("96413" if first else "96417", 1, a, f"{name} infused, {minutes} minutes" + why)
                bill("96415", _further_hours(minutes), a, f"{name} infusion, each further hour past the first")
            elif a.concurrent and not first and not concurrent_billed:
                concurrent_billed = True
                bill("96368", 1, a, f"{name} infused concurrently with another, {minutes} minutes")
            else:
                code = "96365" if first else "96367"
                kind = "initial" if first else "sequential infusion of a new drug,"
                bill(code, 1, a, f"{name} infused, {kind} up to 1 hour ({minutes} minutes)" + why)
                bill("96366", _further_hours(minutes), a, f"{name} infusion, each further hour past the first")
        elif a.kind == "complex":
            further = "" if first else ", each further drug"
            bill("96409" if first else "96411", 1, a, f"{name} given by IV push{further}" + _pushed(a) + why)
        elif first:
            bill("96374", 1, a, "drug given by intravenous push, initial" + _pushed(a) + why)
        else:
            bill("96375", 1, a, "drug given by intravenous push, each further drug (sequential)" + _pushed(a))
    fluids = [a for a in items if a.kind == "hydration"]
    infusing = [a.timing.interval for a in drugs if a.infused and a.timing and a.timing.interval]
    minutes = 0
    for a in fluids:
        if a.timing is None:
            continue  # a fluid pushed (a bolus with no time): no hydration service
        alone = a.timing.minutes
        if a.timing.interval is not None and infusing:
            # hydration running beside a drug's infusion is not billed for the minutes they share (CPT)
            alone -= _shared(a.timing.interval, infusing)
        minutes += alone
    if fluids and minutes < HYDRATION_MINUTES:
        if any(a.timing is not None for a in fluids):
            timed = next(f for f in fluids if f.timing is not None)
            remarks.append(
                (
                    f"Hydration of {minutes} minutes (apart from any drug infusion) is not billed: CPT's 96360 "
                    f"needs {HYDRATION_MINUTES} minutes",
                    timed.span,
                )
            )
    elif fluids:
        a = next(f for f in fluids if f.timing is not None)
        if initial is None:
            bill("96360", 1, a, f"hydration, initial: {minutes} minutes")
            bill("96361", _further_hours(minutes), a, "hydration, each further hour past the first")
        else:
            units = _further_hours(minutes, 0) or 1
            bill("96361", units, a, f"hydration after another initial service: {minutes} minutes")
    return list(services.values()), remarks
