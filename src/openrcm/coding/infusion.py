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
from typing import Any, Literal

from openrcm.coding.lines import Line
from openrcm.coding.model import Evidence

Kind = Literal["complex", "therapeutic", "hydration"]

# CPT's times: an infusion longer than PUSH_MINUTES is one; hydration needs HYDRATION_MINUTES; a further hour is billed
# once more than HALF_HOUR of it has run
PUSH_MINUTES = 15
HYDRATION_MINUTES = 31
HALF_HOUR = 30

_CLOCK = r"(\d{1,2}):?(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?(?!\s*(?:ml|cc|mg|mcg|g|l|units?|%)\b)(?![\d:])"
# "from 09:30 to 10:45", "09:30-10:45", "0930-1045" (four digits each, as a 24-hour clock: not "1000-1500 mL")
_RANGE = re.compile(
    r"\bfrom\s+" + _CLOCK + r"\s*(?:to|until|-|–)\s*" + _CLOCK + r"|\b(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?\s*"
    r"(?:-|–|to)\s*(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s?m\b\.?)?"
    r"|\b([01]\d|2[0-3])([0-5]\d)()\s*(?:-|–)\s*([01]\d|2[0-3])([0-5]\d)()\b(?!\s*(?:ml|cc|mg|mcg|units?|l)\b)",
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


def _clock_after(words: str) -> re.Pattern[str]:
    """A clock time said after one of ``words`` ("started at 09:10", "stop time: 1120")."""
    return re.compile(rf"\b(?:{words})\b(?:\s+(?:time|at|@))*\s*[:@-]?\s*(?:at\s+)?{_CLOCK}", re.IGNORECASE)


_START = _clock_after("start(?:ed|ing)?|began|begun|begin|initiated|hung|time in")
_STOP = _clock_after("stop(?:ped)?|end(?:ed)?|completed?|finished|discontinued|time out")


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
        at = next(i for i in (0, 6, 12) if groups[i])
        first, second = groups[at : at + 3], groups[at + 3 : at + 6]
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


# a drug pushed into a vein, or infused; what its own clause says of it ("Diphenhydramine 50 mg IV push before the
# infusion": pushed, whatever else the sentence infuses)
_INTO_VEIN = re.compile(r"\b(?:iv|ivp|intravenous(?:ly)?)\b", re.IGNORECASE)
_INFUSED = re.compile(r"\binfus\w*|\bdrip\b|\bover (?:\d|an?\b|one\b)|\bpiggyback\b|\bivpb\b", re.IGNORECASE)
_PUSHED = re.compile(r"\bpush\b|\bivp\b|\biv bolus\b|\bslow iv\b", re.IGNORECASE)


def into_a_vein(text: str) -> bool:
    """Whether ``text`` (a drug's clause or sentence) gives it into a vein."""
    return bool(_INTO_VEIN.search(text) or _INFUSED.search(text))


def is_infused(clause: str, sentence: str, timed: Timing | None, infused_only: bool) -> bool:
    """Whether a drug given into a vein was infused, not pushed: by what its clause says, else by the time the note
    gives it, else as the drug is given (``infused_only``: "infliximab 5 mg/kg IV" is infused, "ketorolac 30 mg IV"
    pushed)."""
    if _PUSHED.search(clause):
        return False
    return bool(
        _INFUSED.search(clause)
        or (timed is not None and timed.minutes > PUSH_MINUTES)
        or infused_only
        or (_INFUSED.search(sentence) and not _INTO_VEIN.search(clause))
    )


_CLAUSE_END = re.compile(r"[;,.](?:\s|$)|\band\b|\bthen\b|\bfollowed by\b", re.IGNORECASE)


def clause_at(sentence: str, at: int) -> str:
    """The clause of ``sentence`` that begins at ``at``: up to a semicolon, comma, "and" or "then" (not the point of
    "22.5 mg")."""
    found = _CLAUSE_END.search(sentence, at + 1)
    return sentence[at : found.start() if found else len(sentence)]


# a fluid run into a vein for hydration ("NS 1 L bolus", "IV hydration", "LR wide open"), not one that carries a drug
# ("ceftriaxone 1 g in 100 mL NS"), flushes the line or keeps the vein open
_HYDRATED = re.compile(rf"{_INFUSED.pattern}|\bbolus\b|\bhydrat\w*|\bwide open\b", re.IGNORECASE)
_VEHICLE = re.compile(r"\b(?:in|with|into)\s+(?:\d+(?:\.\d+)?\s*(?:ml|cc|l)\s+(?:of\s+)?)?$", re.IGNORECASE)
_NOT_HYDRATION = re.compile(r"\bflush\w*|\bkvo\b|\btko\b|\bkeep (?:the )?vein open\b|\bto keep open\b", re.I)


def hydrates(sentence: str, named: re.Match[str]) -> bool:
    """Whether the fluid ``named`` in ``sentence`` is given for hydration."""
    before = sentence[max(0, named.start() - 30) : named.start()]
    if _VEHICLE.search(before) or _NOT_HYDRATION.search(sentence):
        return False
    return bool(_HYDRATED.search(sentence) or _INTO_VEIN.search(sentence))


# a fluid's volume ("1 L", "500 mL", "1 liter"), not its rate ("125 mL/hr")
_VOLUME = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|cc|l|liters?|litres?)\b(?!\s*/)", re.IGNORECASE)


def volume_near(sentence: str, named: re.Match[str]) -> float | None:
    """The volume in millilitres said nearest a fluid's name ("NS 1 L bolus", "500 mL of lactated Ringer's")."""
    found = [(min(abs(m.start() - named.end()), abs(named.start() - m.end())), m) for m in _VOLUME.finditer(sentence)]
    if not found:
        return None
    match = min(found, key=lambda pair: pair[0])[1]
    amount = float(match.group(1))
    return amount * 1000 if match.group(2).lower().startswith("l") else amount


def bags(sizes: list[list[Any]], volume: float | None) -> list[tuple[str, int]]:
    """A fluid's HCPCS lines for a volume, by its bag ``sizes`` ([millilitres, code]): the largest bags first, what is
    left on the smallest ("NS 1.5 L": J7030 and J7040); none where the note gives no volume or the fluid has no code of
    its own ("IV fluids")."""
    ordered = sorted(((int(ml), str(code)) for ml, code in sizes), reverse=True)
    if volume is None or not ordered:
        return []
    out: dict[str, int] = {}
    left = volume
    for ml, code in ordered:
        count = int(left // ml)
        if count:
            out[code] = count
            left -= count * ml
    if left > 0:
        ml, code = ordered[-1]
        out[code] = out.get(code, 0) + math.ceil(left / ml)
    return list(out.items())


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
    drug: str,
    kind: Kind,
    infused: bool,
    window: str,
    evidence: Evidence,
    span: tuple[int, int],
    timed: Timing | None,
) -> Administration:
    """What ``window`` (the drug's sentence and those after it about it) says of its administration; ``timed``, the
    time it gives (``timing(window)``, read once by the caller)."""
    timed = timed if infused else None
    concurrent = infused and _CONCURRENT.search(window) is not None
    return Administration(drug, kind, infused, timed, concurrent, evidence, span)


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


def administration_services(given: list[Administration]) -> tuple[list[Line], list[tuple[str, tuple[int, int]]]]:
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
    services: dict[str, Line] = {}

    def bill(code: str, units: int, a: Administration, reason: str) -> None:
        if units <= 0:
            return
        held = services.get(code)
        if held is None:
            treats = {"treats": HYDRATION_TREATS} if a.kind == "hydration" else {}
            services[code] = Line(code, [], units, [a.evidence], reason, a.span, treats)
        else:
            held.units += units
            held.evidence.append(a.evidence)

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
