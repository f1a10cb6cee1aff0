"""In-office services: what was done at the visit, as CPT/HCPCS lines with modifiers and units.

Recognition is data (``openrcm/data/procedures.toml``); the rules a biller applies are here:
only services performed in the office count (not tests ordered or sent out), CLIA-waived tests
take QW, vaccines are billed as product plus administration (90460/90461 when a physician
counsels a patient under 19, else 90471/90472), drugs by HCPCS units, RT/LT/50 for sided
procedures, one line per analyte with 59 on the second, and laceration repair by length and site.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from openrcm.coding.infusion import (
    HYDRATION_TREATS,
    Administration,
    Kind,
    administration,
    administration_services,
    bags,
    clause_at,
    hydrates,
    into_a_vein,
    is_infused,
    timing,
    volume_near,
)
from openrcm.coding.lines import Line
from openrcm.coding.model import EncounterContext, Evidence
from openrcm.coding.note import ClinicalNote
from openrcm.coding.patterns import Alternation, Expression, alternation, expression
from openrcm.coding.vocabulary import count_of
from openrcm.core.issue import Issue, Location, Severity

PERFORMED_SECTIONS = frozenset({"results", "procedure"})
SCANNED_SECTIONS = frozenset({"results", "procedure", "plan", "assessment", "exam", "immunizations"})
_DONE = alternation(
    [
        r"\b(?:given|administered|performed|done|injected|removed|destroyed|biopsied|repaired|obtained|in[- ]office|"
        r"today|completed and scored|scored|cryotherapy|treated|applied|placed|was drawn|drawn|clia-waived|poc|kit|"
        r"point[- ]of[- ]care|visual read|analyzer|positive|negative|in clinic|passed|failed)\b"
    ]
)
# a sentence before any heading that says something was administered ("Nurse visit. Cyanocobalamin 1000 mcg IM given
# in left deltoid."): a note without headings, as a nurse writes one, is read for what it gave
_GIVEN_NOW = re.compile(r"\b(?:given|administered|injected|placed|applied)\b", re.IGNORECASE)
# a drug given by a route the office bills ("IM", "subcutaneously", "nebulized"), and an injection of its own (96372),
# not one into a joint or soft tissue that its procedure includes
_INJECTED = re.compile(r"\b(?:im|intramuscular(?:ly)?|sc|sq|subq|subcutaneous(?:ly)?)\b", re.IGNORECASE)
_ROUTE = re.compile(
    rf"{_INJECTED.pattern}|\b(?:iv|ivp|ivpb|infus\w*|injected|injections?|given|nebuliz\w*|neb)\b", re.IGNORECASE
)
_INTO_TISSUE = re.compile(r"joint|intra-articular|fascia|tendon|bursa", re.IGNORECASE)
_UNHEADED = frozenset({"header", "chief_complaint"})
_NARRATIVE = frozenset({"header", "chief_complaint", "hpi"})  # the visit's reason runs on until a heading
# a specimen collected: the draw is this office's, the test a laboratory's unless the sentence says more
_SPECIMEN = re.compile(r"\b(?:(?:was|were)\s+)?drawn\b(?:\s+today)?|\bvenipuncture\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_BEFORE = re.compile(r"\b(?:yesterday|ago|last|previously|at (?:the )?(?:er|ed|urgent care|hospital))\b", re.I)
# (or a history line that says the test was done at this visit: "Spirometry ... performed today: FEV1 ...")
_PLACES_ELSEWHERE = r"(?:hospital|er|ed|urgent care|emergency|outside|imaging|lab)"
_DONE_TODAY = (
    rf"\b(?:performed|done|obtained|completed) (?:here )?today\b(?![^.;\n]*\bat (?:the |an? )?{_PLACES_ELSEWHERE}\b)"
)
_IN_OFFICE = re.compile(
    r"\b(?:in[- ]office|in[- ]clinic|point[- ]of[- ]care|poc|(?:today )?by fingerstick)\b|" + _DONE_TODAY, re.I
)
# a study this provider reads itself, taken at the visit ("X-ray left ankle, 3 views, ordered and interpreted by me"):
# done here, though ordered; not a study from elsewhere that is reviewed ("outside CT personally reviewed")
_READ_HERE = re.compile(
    r"\b(?:(?:interpreted|read) by me|personally (?:interpreted|read)|my (?:own )?(?:interpretation|read)\b)", re.I
)
_TAKEN_ELSEWHERE = re.compile(
    r"\b(?:outside|from (?:the )?(?:er|ed|hospital|emergency)|ago|yesterday|prior|previous)\b", re.IGNORECASE
)
_NOT_DONE = alternation(
    [
        r"\b(?:ordered|order|sent to|reference lab|outside lab|imaging center|will|next|due|declin\w*|consider\w*|"
        r"discussed|refer\w*|not indicated|not performed|deferred|last|prior|previous|at home|home)\b"
    ]
)
# Standardized instruments, each counted once when the note gives its score or result: emotional/behavioral
# assessment (96127), and developmental screening (96110: ASQ-3, M-CHAT autism screening, per the AAP).
# the depression screens among them (at a subsequent AWV, Medicare's G0444)
DEPRESSION_INSTRUMENTS = (r"\bphq-?9\b", r"\bphq-?2\b")
EMOTIONAL_INSTRUMENTS = (
    *DEPRESSION_INSTRUMENTS,
    r"\bgad-?7\b",
    r"\bedinburgh\b",
    r"\basq[: -]?se\b",
    r"\bvanderbilt\b[^.]*\bparent\b",
    r"\bvanderbilt\b[^.]*\bteacher\b",
    r"\bscared\b",
    r"\bpsc-?17\b",
    r"\baudit-c\b",
)
DEVELOPMENTAL_INSTRUMENTS = (r"\bm-chat", r"\basq\b(?![: -]?se\b)", r"\bswyc\b")
SCREENING_INSTRUMENTS = EMOTIONAL_INSTRUMENTS + DEVELOPMENTAL_INSTRUMENTS
_ANY_SCREENING = alternation(SCREENING_INSTRUMENTS)
_INSTRUMENTS = tuple(
    (expression(pattern), "96110" if pattern in DEVELOPMENTAL_INSTRUMENTS else "96127")
    for pattern in SCREENING_INSTRUMENTS
)
_SCORED = expression(r"\b(?:score|scored|\d{1,2}\b|(?:low|medium|high) risk|normal|abnormal|pass(?:ed)?|fail(?:ed)?)")
SCREENING_SECTIONS = ("hpi", "results", "assessment", "exam", "plan", "header")
_SCREENING_REASON = {
    "96127": "brief emotional/behavioral assessment, per standardized instrument",
    "96110": "developmental screening, per standardized instrument",
}
_VACCINE_COUNSELING = expression(r"\bcounsel(?:ed|ing)\b.*\b(?:vaccin|immuniz)|\b(?:vaccin|immuniz)\w*.*\bcounsel")
_CESSATION_MINUTES = expression(r"tobacco cessation counseling[^.\n]*?(\d{1,2})\s*min")
_MINUTES_OF_CESSATION = expression(r"(\d{1,2})\s*min(?:utes)? of (?:tobacco|smoking) cessation counseling")
_CESSATION = re.compile(r"\bcessation\b|\b(?:quit|stop)(?:ting|ping)? (?:smoking|tobacco)\b", re.IGNORECASE)
_TOBACCO_USE = re.compile(r"\b(?:tobacco|nicotine|cigarettes?|smok(?:er|ers|ing|es))\b", re.IGNORECASE)
_NOT_A_USER = re.compile(r"\b(?:never|former|ex-|denies|non-?smoker|quit (?:in|\d|years|months))", re.IGNORECASE)
# what cessation counseling is for: nicotine dependence, tobacco use, tobacco use in pregnancy (not a former smoker's
# history, Z87.891)
TOBACCO_USE_CODES = ("F17", "Z72.0", "O99.33")
_COUNSELED = re.compile(r"\bcounsel\w*", re.IGNORECASE)
_MINUTES = re.compile(r"\b(\d{1,2})\s*min(?:utes?|s)?\b", re.IGNORECASE)
# "Psychotherapy: 25 minutes", "30 minutes of supportive psychotherapy"
_PSYCHOTHERAPY_MINUTES = expression(
    r"psychotherapy[^.\n]{0,20}?:?\s*(\d{1,2})\s*min|(\d{1,2})\s*min(?:ute)?s?\s+(?:of\s+)?"
    r"(?:(?:supportive|individual|cognitive[- ]behavioral|interactive)\s+)?psychotherapy"
)


@cache
def catalogue() -> dict[str, Any]:
    text = resources.files("openrcm.data").joinpath("procedures.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    return data


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _any_of(kind: str) -> Alternation:
    """All the patterns of one kind of service as one alternation: a sentence that matches none is skipped."""
    return alternation(p for entry in catalogue().get(kind, []) for p in entry["patterns"])


def _matches(patterns: list[str], text: str, lowered: str | None = None) -> re.Match[str] | None:
    """The first of ``patterns`` found in ``text``, tried in their order (each rewritten to start with a literal
    where it can be: a sentence is tried against every entry of the catalogue its screen lets through).
    ``lowered``: ``text`` lower-cased, where it is ASCII and the caller tries many entries on it."""
    for pattern in patterns:
        found = _fast(pattern)
        match = found.fast.search(lowered) if lowered is not None else found.search(text)
        if match:
            return match
    return None


@cache
def _fast(pattern: str) -> Expression:
    return expression(pattern)


# a test or procedure its own clause says was ordered, sent out or scheduled ("A1c ordered", "throat culture sent
# to the lab"): not performed here, even under a results heading ("Labs: A1c ordered, CBC ordered.")
# or that it says was not done ("Phenol matrixectomy not performed.", "I&D deferred")
_ELSEWHERE = re.compile(
    r"\b(?:ordered|to be (?:done|drawn|obtained)|sent (?:out|to)|send-?out|reference lab|outside lab|scheduled|"
    r"not (?:performed|done|indicated|needed|used|given|administered)|deferred|declined)\b",
    re.IGNORECASE,
)
_CLAUSE_ENDS = ",;.\n"


def _clause_of(text: str, match: re.Match[str]) -> tuple[int, int]:
    """Where the clause that holds ``match`` begins and ends in ``text`` (between commas, semicolons, stops)."""
    start = max(text.rfind(c, 0, match.start()) for c in _CLAUSE_ENDS) + 1
    ends = [i for i in (text.find(c, match.end()) for c in _CLAUSE_ENDS) if i >= 0]
    return start, min(ends, default=len(text))


def _performed(text: str, match: re.Match[str] | None) -> bool:
    """Whether a catalogue entry's ``match`` in ``text`` is not, in its own clause, only ordered or not done."""
    if match is None:
        return False
    return not _ELSEWHERE.search(text, *_clause_of(text, match))


def _said_performed(patterns: list[str], text: str) -> bool:
    """Whether any of ``patterns`` is found in ``text`` in a clause that does not say it was not done."""
    return any(_performed(text, match) for pattern in patterns for match in _fast(pattern).finditer(text))


@dataclass(frozen=True, slots=True)
class Vaccine:
    """A vaccine product given at the visit: its code, its components (for 90461) and whether by mouth or nose."""

    code: str
    components: int
    evidence: Evidence
    oral: bool


# a site of a pair, named once for both ("each knee", "into each ear")
_EACH_OF_A_PAIR = r"each (?:knee|shoulder|hip|ankle|elbow|wrist|ear|eye|foot|hand|side)\b"
_BOTH_SIDES = re.compile(rf"\b(?:bilateral|b/l|both)\b|\b{_EACH_OF_A_PAIR}")


def _side(text: str) -> str | None:
    low = text.lower()
    if _BOTH_SIDES.search(low):
        return "50"
    # the words in any case ("Right knee joint injection"), the letters only as capitals ("R knee")
    # (not a volume's litres: "1.2 L removed")
    right = re.search(r"\b(?:right|rt)\b", low) or re.search(r"\bR\b", text)
    left = re.search(r"\b(?:left|lt)\b", low) or re.search(r"(?<!\d)(?<!\d )\bL\b", text)
    if right and left and re.search(r"\b(?:r|right) and (?:l|left)\b", low):
        return "50"
    if right and not left:
        return "RT"
    if left and not right:
        return "LT"
    return None


# HCPCS's toe and finger modifiers: the left foot's great toe TA, its second to fifth T1-T4, the right foot's T5-T9;
# the left hand's thumb FA, its second to fifth fingers F1-F4, the right hand's F5-F9
_DIGIT_ORDER = {
    "great": 0,
    "big": 0,
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "little": 4,
}
_TOE_MODIFIERS = {"left": ("TA", "T1", "T2", "T3", "T4"), "right": ("T5", "T6", "T7", "T8", "T9")}
_FINGER_MODIFIERS = {"left": ("FA", "F1", "F2", "F3", "F4"), "right": ("F5", "F6", "F7", "F8", "F9")}
_DIGIT = re.compile(
    r"\b(left|right)\s+(?:(great|big|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|little)\s+)?(toe|hallux|thumb|"
    r"(?:index|middle|ring|little)?\s*finger)\b|\b(hallux|thumb)\b[^.]*?\b(left|right)\b",
    re.IGNORECASE,
)
_FINGER_NAMES = {"index": 1, "middle": 2, "ring": 3, "little": 4}


def _digit(text: str) -> str | None:
    """The toe or finger modifier for the one digit a sentence names with its side ("right great toe": T5)."""
    found = list(_DIGIT.finditer(text))
    if len({m.group(0).lower() for m in found}) != 1:
        return None  # none, or two digits named
    match = found[0]
    side = (match.group(1) or match.group(5) or "").lower()
    which = (match.group(2) or "").lower()
    digit = (match.group(3) or match.group(4) or "").lower()
    if digit in ("hallux", "thumb"):
        position = 0
    elif digit.endswith("finger") and digit.split()[0] in _FINGER_NAMES:
        position = _FINGER_NAMES[digit.split()[0]]
    elif which:
        position = _DIGIT_ORDER[which]
    else:
        return None
    table = _FINGER_MODIFIERS if digit in ("thumb",) or digit.endswith("finger") else _TOE_MODIFIERS
    return table[side][position]


class ProcedureFinder:
    def __init__(self) -> None:
        self.data = catalogue()
        self._includes: dict[str, tuple[str, ...]] = {
            entry["code"]: tuple(entry["includes"])
            for entries in self.data.values()
            if isinstance(entries, list)
            for entry in entries
            if "includes" in entry
        }

    def prepare(self) -> None:
        """Compile every expression of the catalogue (otherwise each is compiled when first needed)."""
        for entries in self.data.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                for pattern in entry.get("patterns", []) if isinstance(entry, dict) else []:
                    _fast(pattern)
                for pattern in entry.get("per_analyte", []) if isinstance(entry, dict) else []:
                    _compiled(pattern)

    def find(self, note: ClinicalNote, ctx: EncounterContext, findings: list[Issue] | None = None) -> list[Line]:
        """The services performed at the visit; ``findings`` gets what the note leaves unbillable, and why."""
        lines: list[Line] = []
        seen: set[str] = set()
        vaccines: list[Vaccine] = []
        injection: Line | None = None  # 96372, a unit per drug injected
        chemo_injections: dict[str, Line] = {}  # 96401, 96402: a unit per anti-neoplastic injected
        into_vein: list[Administration] = []  # given into a vein: coded together, by CPT's hierarchy
        fluid_until: dict[str, int] = {}  # a fluid's sentences already read with it
        counseled = False
        for index, (start, end) in enumerate(note.sentences):
            section = note.section_at(max(start, end - 1))
            # a test the history says was done here ("In-office urinalysis dipstick: positive nitrites"), or a study
            # it says this provider read at the visit ("ECG today (12-lead, interpreted by me): atrial fibrillation")
            sentence = note.text[start:end]
            told = section == "hpi" and (
                _IN_OFFICE.search(note.text, start, end) is not None
                or (
                    _READ_HERE.search(sentence) is not None
                    and _TAKEN_ELSEWHERE.search(sentence) is None
                    and _BEFORE.search(sentence) is None
                )
            )
            given = (
                section in _UNHEADED
                and _GIVEN_NOW.search(sentence) is not None
                and not _NOT_DONE.search(sentence)
                and not _BEFORE.search(sentence)
            )
            if section not in SCANNED_SECTIONS and not told and not given:
                if section in _NARRATIVE and "min" in sentence:
                    # "Advance care planning discussed for 20 minutes" in the history: a service its minutes record
                    lines.extend(
                        self._timed(sentence, seen, Evidence(start, end, sentence.strip(), section), (start, end))
                    )
                continue
            lowered = sentence.lower() if sentence.isascii() else None  # once, for every lab tried
            low = lowered if lowered is not None else sentence.lower()
            in_office = section in PERFORMED_SECTIONS or (
                ("me" in low or "personally" in low)  # (the expressions below try every position)
                and _READ_HERE.search(sentence) is not None
                and _TAKEN_ELSEWHERE.search(sentence) is None
            )
            done = _DONE.search(sentence) or in_office
            not_done = _NOT_DONE.search(sentence) and not in_office
            ev = Evidence(start, end, sentence.strip(), section)
            if _VACCINE_COUNSELING.search(sentence):
                counseled = True
            # a specimen drawn ("lipid panel and A1c drawn today") is collected for a laboratory, not tested here,
            # unless the sentence says more (a point-of-care kit, a result read in the office)
            collected = ("drawn" in low or "venipuncture" in low) and _SPECIMEN.search(sentence) is not None
            tested = bool(in_office or (done and not not_done)) and (
                not collected or _DONE.search(_SPECIMEN.sub(" ", sentence))
            )
            for lab in self.data.get("lab", []) if _any_of("lab").search(sentence) else ():
                if _taken(lab, seen) or not tested:
                    continue
                if section not in ("results", "procedure", "plan", "assessment", "exam") and not told:
                    continue
                if "panel" in lab and _matches(lab["panel"], sentence):
                    continue
                if _performed(sentence, _matches(lab["patterns"], sentence, lowered)):
                    _take(lab, seen)
                    mods = ["QW"] if lab.get("qw") else []
                    analytes = [p for p in lab.get("per_analyte", []) if _compiled(p).search(sentence)]
                    reason = "test performed in the office" + ("; CLIA-waived system (QW)" if mods else "")
                    lines.append(Line(lab["code"], mods, 1, [ev], reason, (start, end)))
                    if len(analytes) > 1:
                        for _ in analytes[1:]:
                            lines.append(
                                Line(
                                    lab["code"],
                                    ["59", *mods],
                                    1,
                                    [ev],
                                    "second analyte of the same kit: a distinct test (59)",
                                    (start, end),
                                )
                            )
            if told:
                # from the history, the tests and procedures it says were done in the office ("12-lead ECG
                # performed in office today"), and nothing else
                lines.extend(self._procedures(note, sentence, seen, ev, (start, end), ctx.age))
                continue
            veni = self.data["venipuncture"]
            if veni["code"] not in seen and _matches(veni["patterns"], sentence):
                seen.add(veni["code"])
                lines.append(Line(veni["code"], [], 1, [ev], "venous blood drawn in the office", (start, end)))
            # an immunization record's products are given today where each is written with its route or site
            # ("Pediarix (DTaP-HepB-IPV) IM"), not a history's ("Tdap 2019", "up to date", "last dose 2 years ago")
            recorded = section == "immunizations" and not not_done and not _BEFORE.search(sentence)
            if (done and not not_done) or section in ("plan", "procedure", "assessment") or recorded:
                for vac in self.data.get("vaccine", []) if _any_of("vaccine").search(sentence) else ():
                    if _taken(vac, seen):
                        continue
                    low, high = vac.get("ages", (0, 200))
                    if not low <= ctx.age <= high:
                        continue  # a product for another age ("Hep A" is 90633 for a child, 90632 for an adult)
                    if not vac.get("since", "") <= ctx.date_of_service.isoformat() <= vac.get("until", "9999"):
                        continue  # a product of another season (the quadrivalent influenza vaccines until 2024)
                    if not_done and not in_office and not _GIVEN_NOW.search(sentence):
                        continue  # "Shingrix dose 1 deferred until rash resolves", "Tdap due next visit"
                    if recorded and _YEAR.search(sentence):
                        continue  # a dose of the record's history: "Tdap IM 2019"
                    if _performed(sentence, _matches(vac["patterns"], sentence)) and re.search(
                        r"\b(?:given|administered|im\b|sc\b|subcutaneous|intramuscular|deltoid|thigh|dose #?\d|"
                        r"oral(?:ly)?\b|po\b|by mouth|intranasal(?:ly)?)",
                        sentence,
                        re.IGNORECASE,
                    ):
                        _take(vac, seen)
                        vaccines.append(Vaccine(vac["code"], int(vac["components"]), ev, vac.get("route") == "oral"))
            lines.extend(self._timed(sentence, seen, ev, (start, end)))
            if not (done and not not_done) and section not in PERFORMED_SECTIONS:
                continue
            for drug in self.data.get("drug", []) if _any_of("drug").search(sentence) else ():
                if _taken(drug, seen):
                    continue
                if "needs" in drug and not _matches(drug["needs"], note.text):
                    continue  # what the product is for, said nowhere (leuprolide for a cancer: J9217, else J1950)
                named = _matches(drug["patterns"], sentence)
                if named and _ROUTE.search(sentence):
                    _take(drug, seen)
                    measure, per = _billing_unit(drug)
                    # the dose said after the drug's name ("Ketorolac 30 mg IM and ondansetron 4 mg IM"), else the
                    # sentence's ("40 mg triamcinolone acetonide")
                    units = _drug_units(sentence[named.start() :], per, measure, default=0) or _drug_units(
                        sentence, per, measure
                    )
                    if _EACH_SIDE.search(sentence):
                        # "Bilateral knee injections, each with 40 mg methylprednisolone": the dose twice
                        units = _drug_units(_doubled(sentence), per, measure)
                    times = _count(GIVEN_TIMES, sentence) or 1
                    if times > 1:
                        # "albuterol 2.5 mg via nebulizer given x 2": the dose each time (a unit a dose where the
                        # code's unit is the dose: "DuoNeb x 3", J7620)
                        units = _drug_units(_doubled(sentence, times), per, measure) if per > 0 else times
                    lines.append(
                        Line(drug["code"], [], units, [ev], "drug supplied in the office, per HCPCS unit", (start, end))
                    )
                    wasted = _WASTED.search(note.text) if drug.get("waste") else None
                    if wasted is not None:
                        # the rest of a single-dose vial, discarded and documented: its own line with JW (CMS)
                        amount = float(next(g for g in wasted.groups() if g))
                        lines.append(
                            Line(
                                drug["code"],
                                ["JW"],
                                max(1, math.ceil(amount / per - 1e-9)),
                                [ev],
                                "drug discarded from a single-dose vial, documented (JW)",
                                (start, end),
                            )
                        )
                    # the route its own clause says ("Ceftriaxone 1 g IM and ondansetron 4 mg IV"), else the sentence's
                    clause = clause_at(sentence, named.start())
                    routed = clause if _ROUTE.search(clause) else sentence
                    if into_a_vein(routed):
                        # pushed, or infused for the time the note gives (coded below, together)
                        window = self._window(note, index, drug, start + named.start())
                        kind: Kind = "complex" if drug.get("complex") else "therapeutic"
                        label = f"{drug['name']} ({drug['code']})"
                        timed = timing(window)  # read once, for the route and the administration
                        infused = is_infused(clause, sentence, timed, bool(drug.get("infused")))
                        into_vein.append(administration(label, kind, infused, window, ev, (start, end), timed))
                    elif _INJECTED.search(routed) and drug.get("antineoplastic"):
                        # an anti-neoplastic under the skin or into a muscle: 96402 hormonal ("Lupron Depot 22.5 mg
                        # IM"), 96401 the others; one administration per drug
                        code = "96402" if drug["antineoplastic"] == "hormonal" else "96401"
                        held = chemo_injections.get(code)
                        if held is None:
                            why = f"{drug['antineoplastic']} anti-neoplastic given subcutaneously or intramuscularly"
                            chemo_injections[code] = Line(code, [], 1, [ev], why, (start, end))
                            lines.append(chemo_injections[code])
                        else:
                            held.units += 1
                    elif _INJECTED.search(routed) and not _INTO_TISSUE.search(sentence):
                        # one administration per drug injected ("Ketorolac 30 mg IM and ondansetron 4 mg IM": two)
                        if injection is None:
                            injection = Line("96372", [], 1, [ev], "injection administered (IM/SC)", (start, end))
                            lines.append(injection)
                        else:
                            injection.units += 1
                            injection.reason = "injections administered (IM/SC), one per drug"
            for fluid in self.data.get("fluid", []) if _any_of("fluid").search(sentence) else ():
                fluid_named = _matches(fluid["patterns"], sentence)
                if fluid_named is None or start < fluid_until.get(fluid["name"], -1):
                    continue
                if not hydrates(sentence, fluid_named):
                    continue  # the drug's carrier, a flush, a line kept open, a fluid by mouth
                window = self._window(note, index, fluid, start + fluid_named.start())
                fluid_until[fluid["name"]] = start + fluid_named.start() + len(window)
                into_vein.append(
                    administration(fluid["name"], "hydration", True, window, ev, (start, end), timing(window))
                )
                lines.extend(
                    Line(code, [], units, [ev], _SUPPLIED, (start, end), {"treats": HYDRATION_TREATS})
                    for code, units in bags(fluid.get("sizes", []), volume_near(sentence, fluid_named))
                )
                break  # one fluid a sentence ("NS 1 L IV hydration" is not also "IV hydration")
            lines.extend(self._procedures(note, sentence, seen, ev, (start, end), ctx.age))
        services, unbilled = administration_services(into_vein)
        lines.extend(services)
        if findings is not None:
            findings.extend(
                Issue("INFUSION_NOT_BILLED", Severity.WARNING, why, Location(span=span), "coder", _INFUSION_CITATION)
                for why, span in unbilled
            )
        for proc_section in note.sections_of("procedure"):
            body = note.body(proc_section)
            span = (proc_section.start, proc_section.end)
            # the note's other sentences about the wounds, read only for a section that repairs one
            described = (
                [
                    note.text[a:b]
                    for a, b in note.sentences
                    if not span[0] <= a < span[1] and _WOUND_WORD.search(note.text, a, b)
                ]
                if _REPAIRED.search(body)
                else []
            )
            excision = _lesion_excision(body)
            for repair in wound_repairs(body, described, excised=excision is not None):
                if repair.code not in seen:
                    seen.add(repair.code)
                    ev = Evidence(span[0], span[1], body.strip()[:200], proc_section.category)
                    lines.append(Line(repair.code, [], repair.units, [ev], repair.reason, span))
            # a skin lesion excised (by the excised diameter: lesion and margins), else one shaved off (by its own)
            removal = (
                (excision, "excision of a skin lesion, by the excised diameter (lesion and margins) and site")
                if excision
                else (_shave_removal(body), "shave removal of a skin lesion, by the lesion's diameter and site")
            )
            if removal[0] and removal[0] not in seen:
                seen.add(removal[0])
                span = (proc_section.start, proc_section.end)
                ev = Evidence(span[0], span[1], body.strip()[:200], proc_section.category)
                lines.append(Line(removal[0], [], 1, [ev], removal[1], span))
        lines.extend(self._screening(note))
        lines.extend(self._counseling(note))
        if vaccines:
            lines.extend(self._vaccines(vaccines, counseled, ctx))
        # a service another line includes, at the same visit ("94060 ... includes the bronchodilator's
        # administration", not 94640 beside it): not billed again
        included = {code for line in lines for code in self._includes.get(line.code, ())}
        return [line for line in lines if line.code not in included]

    def _window(self, note: ClinicalNote, index: int, entry: dict[str, Any], start: int) -> str:
        """A drug's or fluid's sentence from where it is named (at ``start``), with the sentences after it in its
        section until another is named: where a note gives its start and stop times ("Infliximab 5 mg/kg IV.
        Infusion started 09:10, completed 11:25.")."""
        end = note.sentences[index][1]
        section = note.section_at(max(start, end - 1))
        last = end
        for a, b in note.sentences[index + 1 : index + 1 + _WINDOW_SENTENCES]:
            if note.section_at(max(a, b - 1)) != section:
                break
            text = note.text[a:b]
            others = _any_of("drug").search(text) or _any_of("fluid").search(text)
            if others and not _matches(entry["patterns"], text):
                break
            last = b
        return note.text[start:last]

    def _timed(self, sentence: str, seen: set[str], ev: Evidence, span: tuple[int, int]) -> list[Line]:
        """A service documented by its minutes ("Advance care planning discussed, 16 minutes"): the time spent is
        the record that it was done, the discussion being the service itself."""
        if "min" not in sentence or not _any_of("timed").search(sentence):
            return []
        out = []
        for timed in self.data.get("timed", []):
            if timed["code"] not in seen and _matches(timed["patterns"], sentence):
                seen.add(timed["code"])
                out.append(Line(timed["code"], [], 1, [ev], "service documented with its time", span))
        return out

    def _procedures(
        self, note: ClinicalNote, sentence: str, seen: set[str], ev: Evidence, span: tuple[int, int], age: int
    ) -> list[Line]:
        """The catalogue's procedures a sentence says were done, for a patient of ``age``."""
        out: list[Line] = []
        lowered = sentence.lower() if sentence.isascii() else None  # once, for every entry tried
        for proc in self.data.get("procedure", []) if _any_of("procedure").search(sentence) else ():
            if _taken(proc, seen):
                continue
            if "unless" in proc and _said_performed(proc["unless"], note.text):
                continue  # a more specific code of its group is said elsewhere ("avulsion" beside "matrixectomy")
            if "needs" in proc and not _matches(proc["needs"], note.text):
                continue  # what the procedure is for, said nowhere ("ear irrigation" without cerumen)
            low, high = proc.get("ages", (0, 200))
            if not low <= age <= high:
                continue  # a code for another age (a central line under 5 years is 36555)
            if _performed(sentence, _matches(proc["patterns"], sentence, lowered)):
                _take(proc, seen)
                code = proc["code"]
                if "by_count" in proc:
                    # the code by how many were treated ("debridement of mycotic nails x 7": 6 or more)
                    count = _count(proc["count_from"], sentence) or _count(proc["count_from"], note.text) or 1
                    code = next(c for most, c in proc["by_count"] if count <= most)
                mods = []
                if proc.get("side"):
                    side = _side(sentence)
                    if side:
                        mods.append(side)
                if proc.get("digit"):
                    sections = [note.body(section) for section in note.sections_of("procedure")]
                    digit = _digit(sentence) or next((d for body in sections if (d := _digit(body))), None)
                    if digit:
                        mods.append(digit)
                # a service told as given more than once ("nebulizer given x 2"): a unit for each
                units = (_count(GIVEN_TIMES, sentence) or 1) if proc.get("per_time") else 1
                out.append(Line(code, mods, units, [ev], "procedure performed at the visit", span))
                if "count_addon" in proc:
                    # each further lesion, or group of them, past the base code's, up to the add-on's most units
                    # ("8 actinic keratoses": 17000 + 17003 x 7; "20 skin tags": 11200 + 11201)
                    addon, included, per, most = proc["count_addon"]
                    count = _count(proc["count_from"], sentence) or _count(proc["count_from"], note.text) or 0
                    if count > included:
                        more = min(math.ceil((count - included) / per), most)
                        why = f"{count} lesions: each further {per} past the first {included}"
                        out.append(Line(addon, [], more, [ev], why, span))
                area = _area(sentence) if "addon" in proc else None
                if area is not None and area > 20:
                    # each further 20 sq cm or part of it, beyond the base code's first 20
                    more = math.ceil((area - 20) / 20)
                    out.append(Line(proc["addon"], [], more, [ev], f"{area:g} sq cm: each further 20 sq cm", span))
        return out

    def _vaccines(self, vaccines: list[Vaccine], counseled: bool, ctx: EncounterContext) -> list[Line]:
        out = [Line(v.code, [], 1, [v.evidence], "vaccine product") for v in vaccines]
        evs = [v.evidence for v in vaccines]
        if ctx.age <= 18 and counseled:
            first = len(vaccines)
            extra = sum(v.components for v in vaccines) - first
            out.append(
                Line(
                    "90460", [], first, evs, "administration with counseling, under 19: first component of each vaccine"
                )
            )
            if extra > 0:
                out.append(Line("90461", [], extra, evs, "each additional component counseled"))
            return out
        # by route: the first vaccine injected (90471) and each further one (90472); one by mouth or nose is 90473
        # where none is injected, else each is 90474
        injected = sum(1 for v in vaccines if not v.oral)
        by_mouth = len(vaccines) - injected
        if injected:
            out.append(Line("90471", [], 1, evs, "administration, first vaccine"))
            if injected > 1:
                out.append(Line("90472", [], injected - 1, evs, "administration, each additional vaccine"))
        elif by_mouth:
            out.append(Line("90473", [], 1, evs, "administration by mouth or nose, first vaccine"))
            by_mouth -= 1
        if by_mouth:
            out.append(Line("90474", [], by_mouth, evs, "administration by mouth or nose, each additional vaccine"))
        return out

    def _screening(self, note: ClinicalNote) -> list[Line]:
        found: dict[str, list[Evidence]] = {}
        if not _ANY_SCREENING.search(note.text):
            return []
        for instrument, code in _INSTRUMENTS:
            match = instrument.search(note.text)
            if (
                match
                and note.section_at(match.start()) in SCREENING_SECTIONS
                and _SCORED.search(note.text[match.start() : match.end() + 60])
            ):
                said = note.text[match.start() : match.end()]
                found.setdefault(code, []).append(
                    Evidence(match.start(), match.end(), said, note.section_at(match.start()))
                )
        return [Line(code, [], len(evs), evs, _SCREENING_REASON[code]) for code, evs in sorted(found.items())]

    def _counseling(self, note: ClinicalNote) -> list[Line]:
        out: list[Line] = []
        match = _CESSATION_MINUTES.search(note.text) or _MINUTES_OF_CESSATION.search(note.text)
        if match is None and _COUNSELED.search(note.text):
            # "Tobacco dependence - counseled 5 minutes on cessation": counseling, minutes and cessation told in
            # one sentence, in any order
            for start, end in note.sentences:
                sentence = note.text[start:end]
                if not _COUNSELED.search(sentence):
                    continue
                # the cessation said, or a current user's tobacco ("Nicotine dependence, cigarettes -
                # counseled 5 minutes, not ready to quit": counseling a smoker is cessation counseling)
                if _CESSATION.search(sentence) or (_TOBACCO_USE.search(sentence) and not _NOT_A_USER.search(sentence)):
                    match = _MINUTES.search(note.text, start, end)
                    if match is not None:
                        break
        if match:
            minutes = int(match.group(1))
            # the line is for the tobacco use, wherever the assessment lists it
            if 3 <= minutes <= 10:
                why = f"tobacco cessation counseling, {minutes} minutes (3-10)"
                out.append(_timed_line(note, "99406", match, why, TOBACCO_USE_CODES))
            elif minutes > 10:
                why = f"tobacco cessation counseling, {minutes} minutes (over 10)"
                out.append(_timed_line(note, "99407", match, why, TOBACCO_USE_CODES))
        # (its expression tries every figure in the note: only where psychotherapy is named)
        psych = _PSYCHOTHERAPY_MINUTES.search(note.text) if "psychotherap" in note.text.lower() else None
        if psych:
            minutes = int(psych.group(1) or psych.group(2))
            code = (
                "90833"
                if 16 <= minutes <= 37
                else "90836"
                if 38 <= minutes <= 52
                else "90838"
                if minutes >= 53
                else None
            )
            if code:
                # for the mental or behavioral disorder treated, not the insomnia listed beside it
                why = f"psychotherapy with an E/M visit, {minutes} minutes"
                out.append(_timed_line(note, code, psych, why, ("F",)))
        return out


def _timed_line(note: ClinicalNote, code: str, minutes: re.Match[str], why: str, treats: tuple[str, ...]) -> Line:
    """A service told with its minutes: the sentence that tells it is its evidence ("Smoking cessation
    counseling, 5 minutes", not "5 minutes"), and it is for the diagnoses ``treats`` (code prefixes)."""
    start, end = next(((s, e) for s, e in note.sentences if s <= minutes.start() < e), minutes.span())
    ev = Evidence(start, end, note.text[start:end].strip(), note.section_at(minutes.start()))
    return Line(code, [], 1, [ev], why, (start, end), {"treats": treats})


_AREA = re.compile(r"(\d+(?:\.\d+)?)\s*(?:sq\.?\s*cm|cm2|cm\u00b2|square cent\w*)", re.IGNORECASE)


def _area(sentence: str) -> float | None:
    """The area a procedure sentence gives in square centimetres ("total area 24 sq cm"), if any."""
    match = _AREA.search(sentence)
    return float(match.group(1)) if match else None


def _taken(entry: dict[str, Any], seen: set[str]) -> bool:
    """Whether a catalogue entry, or another of its group (one influenza vaccine a visit), is already billed."""
    return entry["code"] in seen or entry.get("group") in seen


def _take(entry: dict[str, Any], seen: set[str]) -> None:
    seen.update((entry["code"], entry.get("group", entry["code"])))


# what a drug's HCPCS unit is measured in, by the catalogue's key: milligrams, micrograms or the drug's own units
_MEASURES = (("unit_mg", "mg"), ("unit_mcg", "mcg"), ("unit_units", "units"))
# (a dose, not a concentration or a dose by weight: "40 mg/mL", "50 mg/kg"; a dose in its volume is one: "48 mg/6 mL")
_DOSE = {
    "mg": re.compile(r"(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?|g|gm|grams?)\b(?!/\s*[a-z])", re.IGNORECASE),
    "mcg": re.compile(r"(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?)\b(?!/\s*[a-z])", re.IGNORECASE),
    "units": re.compile(r"(\d+(?:\.\d+)?)\s*(units?)\b(?!/\s*[a-z])", re.IGNORECASE),
}
# "45 units wasted", "wastage: 45 units", "discarded 20 mg"
_WASTED = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:units?|mg|mcg)\s+(?:were\s+|was\s+)?(?:wasted|discarded)\b"
    r"|\b(?:wasted|wastage|discarded)\s*:?\s*(\d+(?:\.\d+)?)\s*(?:units?|mg|mcg)\b",
    re.IGNORECASE,
)


_WINDOW_SENTENCES = 4
_SUPPLIED = "IV solution supplied in the office, per HCPCS unit"
_INFUSION_CITATION = "CPT Drug Administration Services (96360-96379, 96401-96417): infusion time and hierarchy"


def _billing_unit(drug: dict[str, Any]) -> tuple[str, float]:
    return next((measure, float(drug[key])) for key, measure in _MEASURES if key in drug)


def _drug_units(sentence: str, per: float, measure: str = "mg", default: int = 1) -> int:
    """HCPCS units for the dose a sentence gives: the dose over the code's unit, rounded up (``default`` where none
    is said). ``per`` is the unit's size in ``measure`` (mg, mcg or the drug's own units)."""
    if per <= 0:
        return 1
    amount = None
    dose = _DOSE[measure].search(sentence)
    if dose is not None:
        amount = float(dose.group(1))
        said = dose.group(2).lower()
        if measure == "mg" and said.startswith("g"):
            amount *= 1000  # grams said of a drug billed per milligram ("ceftriaxone 1 g": 4 units of 250 mg)
        elif measure == "mg" and said != "mg":
            amount /= 1000  # micrograms said of a drug billed per milligram
        elif measure == "mcg" and said == "mg":
            amount *= 1000
    elif measure == "mg":
        # a volume at a concentration: "2 mL of 40 mg/mL", "40 mg/mL, 2 mL"
        conc = re.search(r"(\d+(?:\.\d+)?)\s*ml\b[^.]*?(\d+(?:\.\d+)?)\s*mg/ml", sentence, re.IGNORECASE) or re.search(
            r"(\d+(?:\.\d+)?)\s*mg/ml[^.]*?(\d+(?:\.\d+)?)\s*ml", sentence, re.IGNORECASE
        )
        if conc:
            amount = float(conc.group(1)) * float(conc.group(2))
    if measure == "mg":
        alt = re.search(
            r"(\d+(?:\.\d+)?)\s*ml\s+(?:of\s+)?\w+(?:\s+\w+){0,3}\s+(\d+(?:\.\d+)?)\s*mg/ml", sentence, re.IGNORECASE
        )
        if alt:
            amount = float(alt.group(1)) * float(alt.group(2))
    if amount is None:
        return default
    return max(1, math.ceil(amount / per - 1e-9))


# a dose given on each side of a bilateral procedure
_EACH_SIDE = re.compile(
    r"\b(?:bilateral|both)\b.*\beach (?:with |of |side )?\d|\b\d+(?:\.\d+)? ?(?:mg|mcg) each\b|"
    rf"\b{_EACH_OF_A_PAIR}.*\b\d+(?:\.\d+)? ?(?:mg|mcg)\b|"
    rf"\b\d+(?:\.\d+)? ?(?:mg|mcg)\b.*\b(?:into|in|to) {_EACH_OF_A_PAIR}",
    re.I,
)


# a dose or service given more than once at the visit, not a prescription's days ("given x 2", "two treatments")
GIVEN_TIMES = [
    r"\b(?:given|administered|repeated|treatments?|nebs?|nebulized)\s*(?:x|\u00d7|times)\s*(\d)\b(?!\s*(?:days?|weeks?))",
    r"\b(two|three|four) (?:\w+ )?(?:treatments|nebs|doses)\b",
]


def _doubled(sentence: str, times: int = 2) -> str:
    """The sentence with its first dose doubled (both sides of a bilateral procedure), or ``times`` over."""
    return re.sub(
        r"(\d+(?:\.\d+)?)(\s*(?:mg|mcg|units?)\b)",
        lambda m: f"{float(m[1]) * times:g}{m[2]}",
        sentence,
        count=1,
        flags=re.I,
    )


def _count(patterns: list[str], text: str) -> int | None:
    """The count the first of ``patterns`` finds, in digits or a word ("Two injections")."""
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return count_of(match.group(1))
    return None


# Wound repair (CPT 12001-13160): the repair's kind, the anatomic group of each wound repaired, and the lengths
# of the wounds of one kind and group added together (CPT: "the sum of the lengths of the repairs for each
# group of anatomic sites").
# the words a note repairs a wound with: sutures, staples or tissue adhesive (not Steri-Strips alone)
_REPAIR_WORDS = (
    "repair|repaired|sutured|sutures?|closed|closure|approximated|staples?|stapled|dermabond|tissue adhesive"
)
_REPAIRED = re.compile(rf"\b(?:{_REPAIR_WORDS})\b", re.IGNORECASE)
_WOUND_WORD = re.compile(r"\blacerat\w*|\bwounds?\b", re.IGNORECASE)
_LACERATION = re.compile(r"\blacerat\w*", re.IGNORECASE)
# an earlier repair's sutures or staples taken out (not a repair: E/M, or in the repair's global period)
_STITCHES = r"(?:sutures?|staples?|stitches)"
_SUTURES_OUT = re.compile(
    rf"\b{_STITCHES}\b[^.;\n]{{0,25}}?\bremoved\b|\bremov(?:al|ed) of (?:\w+ )?{_STITCHES}\b", re.I
)
# complex: more than layered closure (CPT: debridement of wound edges, extensive undermining, stents or
# retention sutures), said as such
_COMPLEX_REPAIR = re.compile(
    r"\bcomplex (?:repair|closure|layered closure)|\bretention sutures?\b|\bextensive undermining\b", re.I
)
# intermediate: a layered closure of the deeper subcutaneous tissue or superficial fascia besides the skin, or a
# single layer after extensive cleaning of a heavily contaminated wound
_LAYERED_REPAIR = re.compile(
    r"\blayered\b|\bintermediate (?:repair|closure)|\b(?:two|2|multi)[- ]?layer|\bdeep(?:er)? (?:dermal )?"
    r"(?:layer|sutures?|closure)|\bsubcutaneous (?:layer|tissue (?:was )?(?:closed|approximated))|"
    r"\bburied (?:deep |dermal )*sutures?|\bheavily contaminated\b|\bremoval of (?:particulate|embedded)",
    re.IGNORECASE,
)
_WOUND_LENGTH = re.compile(r"(?<![\d.-])(\d+(?:\.\d+)?)\s*(cm|mm)\b", re.IGNORECASE)
_TOTAL_LENGTH = re.compile(
    r"\btotal (?:repair |wound |laceration )?(?:length )?(?:of |was |is |=|:)?\s*(\d+(?:\.\d+)?)\s*(cm|mm)\b|"
    r"(\d+(?:\.\d+)?)\s*(cm|mm) (?:in )?total\b",
    re.IGNORECASE,
)
# where a length's clause ends ("2 cm laceration of the chin and 3 cm laceration of the right hand")
_CLAUSE_END = re.compile(r"[.;\n]|,\s|\band\b", re.IGNORECASE)
# the sites CPT's repair families group, in the words of notes
_WOUND_SITES = (
    ("feature", r"eyelids?|lids?|nose|nasal|ears?|lips?|vermilion"),
    ("mucosa", r"mucosa|mucous membranes?|intraoral|tongue|buccal|gingiva"),
    ("face", r"face|facial|forehead|cheeks?|chin|temples?|eyebrows?|brows?|jaw|mouth|malar|perioral|periorbital"),
    ("scalp", r"scalp"),
    ("neck", r"neck"),
    ("axilla", r"axillae?|axillary|armpits?"),
    ("genital", r"genitals?|genitalia|penis|penile|scrotum|scrotal|vulvar?|labia\w*"),
    ("hand_foot", r"hands?|palms?|palmar|fingers?|fingertips?|thumbs?|knuckles?|feet|foot|toes?|soles?|heels?"),
    (
        "limb",
        r"arms?|forearms?|elbows?|wrists?|shoulders?|thighs?|legs?|knees?|shins?|calf|calves|ankles?|hips?|"
        r"extremity|extremities|pretibial",
    ),
    ("trunk", r"chest|breasts?|(?:upper |lower |mid )?back|abdomen|abdominal|flanks?|buttocks?|trunk|torso|groin"),
)
_SITE_WORD = re.compile("|".join(rf"\b(?P<{kind}>{words})\b" for kind, words in _WOUND_SITES), re.IGNORECASE)
# The repair families: each anatomic group's codes by length, up to a length (cm) each; a complex repair's
# group adds its own add-on code for each further 5 cm beyond 7.5.
_BODY_LENGTHS = (2.5, 7.5, 12.5, 20.0, 30.0, math.inf)
_FACE_LENGTHS = (2.5, 5.0, 7.5, 12.5, 20.0, 30.0, math.inf)


def _by_length(limits: tuple[float, ...], codes: str) -> tuple[tuple[float, str], ...]:
    return tuple(zip(limits, codes.split(), strict=True))


_SIMPLE_BODY = _by_length(_BODY_LENGTHS, "12001 12002 12004 12005 12006 12007")
_SIMPLE_FACE = _by_length(_FACE_LENGTHS, "12011 12013 12014 12015 12016 12017 12018")
_LAYERED_LIMB = _by_length(_BODY_LENGTHS, "12031 12032 12034 12035 12036 12037")
_LAYERED_DISTAL = _by_length(_BODY_LENGTHS, "12041 12042 12044 12045 12046 12047")
_LAYERED_FACE = _by_length(_FACE_LENGTHS, "12051 12052 12053 12054 12055 12056 12057")


@dataclass(frozen=True, slots=True)
class _RepairFamily:
    """One row of CPT's repair families: a kind of repair at a group of sites, its codes by length (up to a
    length in cm each) and, for a complex repair, the add-on for each further 5 cm beyond 7.5."""

    kind: str
    group: str
    sites: frozenset[str]
    codes: tuple[tuple[float, str], ...]
    addon: str = ""


_BODY, _FACE_SITES = "scalp neck axilla genital hand_foot limb trunk", "feature mucosa face"
_REPAIR_FAMILIES = (
    _RepairFamily(
        "simple", "scalp, neck, axillae, genitalia, trunk or extremities", frozenset(_BODY.split()), _SIMPLE_BODY
    ),
    _RepairFamily(
        "simple", "face, ears, eyelids, nose, lips or mucous membranes", frozenset(_FACE_SITES.split()), _SIMPLE_FACE
    ),
    _RepairFamily(
        "intermediate",
        "scalp, axillae, trunk or extremities",
        frozenset({"scalp", "axilla", "limb", "trunk"}),
        _LAYERED_LIMB,
    ),
    _RepairFamily(
        "intermediate", "neck, hands, feet or genitalia", frozenset({"neck", "hand_foot", "genital"}), _LAYERED_DISTAL
    ),
    _RepairFamily(
        "intermediate",
        "face, ears, eyelids, nose, lips or mucous membranes",
        frozenset(_FACE_SITES.split()),
        _LAYERED_FACE,
    ),
    _RepairFamily("complex", "trunk", frozenset({"trunk"}), ((2.5, "13100"), (math.inf, "13101")), "13102"),
    _RepairFamily(
        "complex", "scalp, arms or legs", frozenset({"scalp", "limb"}), ((2.5, "13120"), (math.inf, "13121")), "13122"
    ),
    _RepairFamily(
        "complex",
        "forehead, cheeks, chin, mouth, neck, axillae, genitalia, hands or feet",
        frozenset({"face", "mucosa", "neck", "axilla", "genital", "hand_foot"}),
        ((2.5, "13131"), (math.inf, "13132")),
        "13133",
    ),
    _RepairFamily(
        "complex", "eyelids, nose, ears or lips", frozenset({"feature"}), ((2.5, "13151"), (math.inf, "13152")), "13153"
    ),
)


@dataclass(frozen=True, slots=True)
class Repair:
    code: str
    units: int
    reason: str


def _centimetres(number: str, unit: str) -> float:
    return float(number) / (10 if unit.lower() == "mm" else 1)


def _site_of(text: str) -> str | None:
    match = _SITE_WORD.search(text)
    return match.lastgroup if match else None


def _wound_lengths(text: str, default_site: str | None) -> list[tuple[float, str | None]]:
    """Each wound's length and site: a total said stands for them all; otherwise each length with the site said in
    its own clause, or the site the note gives the wound."""
    total = _TOTAL_LENGTH.search(text)
    if total:
        number, unit = (total[1], total[2]) if total[1] else (total[3], total[4])
        return [(_centimetres(number, unit), _site_of(text) or default_site)]
    wounds: list[tuple[float, str | None]] = []
    for match in _WOUND_LENGTH.finditer(text):
        before = [m.end() for m in _CLAUSE_END.finditer(text, 0, match.start())]
        clause_start = before[-1] if before else 0
        after = _CLAUSE_END.search(text, match.end())
        clause = text[clause_start : after.start() if after else len(text)]
        wound = (_centimetres(match[1], match[2]), _site_of(clause) or default_site)
        if wound not in wounds:  # the same wound said again ("a 3 cm laceration ... the 3 cm wound was closed")
            wounds.append(wound)
    return wounds


# a kind of closure said not to be needed or done ("Layered closure not required", "no deep sutures")
# (not a complication denied: "intermediate layered closure without complications")
_KIND_DENIED = re.compile(
    r"\bnot (?:required|needed|necessary|performed|done|indicated)\b|\bunnecessary\b|"
    r"\b(?:no|without)(?: need for)? (?:a )?(?:layered|deep|deeper|intermediate|complex|subcutaneous|buried|two)\b",
    re.IGNORECASE,
)


def _kind_said(kind: re.Pattern[str], body: str) -> bool:
    """Whether ``body`` says a repair of ``kind`` in a clause that does not deny it."""
    return any(not _KIND_DENIED.search(body, *_clause_of(body, match)) for match in kind.finditer(body))


def wound_repairs(body: str, described: list[str], excised: bool = False) -> list[Repair]:
    """The repair codes of a procedure section that repairs wounds (``body``): by the repair's kind, each wound's
    anatomic group, and the sum of the lengths in each group. ``described`` are the note's other sentences about
    the wounds (the examination's "4.5 cm laceration of the left forearm"), read for the lengths and the site
    where the procedure section does not say them. With ``excised``, the section excises a skin lesion: the
    defect's intermediate or complex closure is a repair of its own, by the closure's length (CPT: a simple one
    is included in the excision)."""
    if not _REPAIRED.search(_SUTURES_OUT.sub("", body)):
        return []  # nothing repaired: no closure, or only the sutures of an earlier one taken out
    kind = (
        "complex"
        if _kind_said(_COMPLEX_REPAIR, body)
        else "intermediate"
        if _kind_said(_LAYERED_REPAIR, body)
        else "simple"
    )
    default_site = _site_of(body) or next((site for s in described if (site := _site_of(s))), None)
    if excised and not _WOUND_WORD.search(body):
        closed = _CLOSURE_LENGTH.search(body) if kind != "simple" else None
        if closed is None:
            return []
        number, unit = (closed[1], closed[2]) if closed[1] else (closed[3], closed[4])
        body = f"{_centimetres(number, unit):g} cm total"  # the closure's length alone, at the lesion's site
    elif not _WOUND_WORD.search(body) and not any(_LACERATION.search(s) for s in described):
        return []  # a closure of something else: a repair's section that names no wound, in a note with none
    wounds = _wound_lengths(body, default_site)
    for sentence in described if not wounds else ():
        wounds = _wound_lengths(sentence, default_site)
        if wounds:
            break
    sums: dict[str, float] = {}
    for cm, site in wounds:
        if site is not None:
            sums[site] = sums.get(site, 0.0) + cm
    by_family: dict[_RepairFamily, float] = {}
    for site, cm in sums.items():
        # a complex repair of 1 cm or less is reported as a simple or intermediate one (CPT)
        used = "intermediate" if kind == "complex" and cm <= 1.0 else kind
        family = next(f for f in _REPAIR_FAMILIES if f.kind == used and site in f.sites)
        by_family[family] = by_family.get(family, 0.0) + cm
    out: list[Repair] = []
    for family, cm in by_family.items():
        code = next(code for limit, code in family.codes if cm <= limit + 1e-9)
        reason = f"{family.kind} repair of {cm:g} cm in all, {family.group} (CPT: lengths of one kind and group added)"
        out.append(Repair(code, 1, reason))
        if family.addon and cm > 7.5:
            out.append(
                Repair(family.addon, math.ceil((cm - 7.5) / 5 - 1e-9), "each further 5 cm of the complex repair")
            )
    return out


_EXCISED = re.compile(r"\bexcis(?:ion|ed|ional)\b", re.IGNORECASE)
# the length of an excision's closure: "Intermediate layered closure, 2.5 cm", "2.5 cm layered closure"
_CLOSURE_LENGTH = re.compile(
    r"\b(?:closure|repair)\b[^.;\d]{0,30}?(\d+(?:\.\d+)?)\s*(cm|mm)\b|"
    r"(\d+(?:\.\d+)?)\s*(cm|mm)\s+(?:\w+\s+){0,2}(?:closure|repair)\b",
    re.IGNORECASE,
)
_SKIN_LESION = re.compile(r"\b(?:lesion|nevus|nevi|mole|papule|keratosis|cyst|carcinoma|melanoma|tumou?r)\b", re.I)
_NOT_EXCISION = re.compile(r"\b(?:shave|punch|tangential|lipoma|debrid\w*|nail|laceration)\b", re.IGNORECASE)
_EXCISED_DIAMETER = re.compile(
    r"\bexcised diameter(?: of| was|:)?\s*(\d+(?:\.\d+)?)\s*cm|(\d+(?:\.\d+)?)\s*cm excised diameter", re.I
)
_LESION_CM = re.compile(r"(\d+(?:\.\d+)?)\s*cm\b", re.IGNORECASE)
_MARGIN_MM = re.compile(r"(\d+(?:\.\d+)?)\s*mm\s+(?:\w+\s+)?margins?", re.IGNORECASE)
_FACE = re.compile(r"\b(?:face|facial|cheek|forehead|temple|chin|ears?|eyelids?|nose|nasal|lips?|mucosa)\b", re.I)
_SCALP_NECK_HANDS_FEET = re.compile(
    r"\b(?:scalp|neck|hands?|fingers?|thumb|feet|foot|toes?|genital\w*|penis|scrotum|vulva|axilla\w*)\b", re.I
)
_MALIGNANT = re.compile(r"\b(?:carcinoma|melanoma|malignan\w*)\b", re.IGNORECASE)
_UNCONFIRMED = re.compile(r"\b(?:suspicious|suspected|rule out|r/o|possible|pending|atypical|concern)\b", re.I)


_SHAVED = re.compile(r"\bshav(?:e|ed|ing)\b(?:\s+(?:removal|excision|removed|excised))?", re.IGNORECASE)
_LESION_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|mm)\b", re.IGNORECASE)


def _shave_removal(text: str) -> str | None:
    """A skin lesion removed by shaving (not a shave biopsy), by the lesion's diameter and site: 11300-11303 trunk,
    arms, legs; 11305-11308 scalp, neck, hands, feet, genitalia; 11310-11313 face, ears, eyelids, nose, lips."""
    if not _SHAVED.search(text) or not _SKIN_LESION.search(text) or re.search(r"\bbiops", text, re.IGNORECASE):
        return None
    size = _LESION_SIZE.search(text)
    if size is None:
        return None
    cm = float(size.group(1)) / (10 if size.group(2).lower() == "mm" else 1)
    step = next((n for n, limit in enumerate((0.5, 1.0, 2.0)) if cm <= limit), 3)
    base = 11310 if _FACE.search(text) else 11305 if _SCALP_NECK_HANDS_FEET.search(text) else 11300
    return str(base + step)


def _lesion_excision(text: str) -> str | None:
    """A skin lesion excised, by its excised diameter (CPT: the lesion's greatest diameter plus the narrowest margins
    on both sides) and site: benign 11400-11446, malignant (said so, not only suspected) 11600-11646."""
    if not _EXCISED.search(text) or not _SKIN_LESION.search(text) or _NOT_EXCISION.search(text):
        return None
    given = _EXCISED_DIAMETER.search(text)
    if given:
        diameter = float(given.group(1) or given.group(2))
    else:
        lesion, margin = _LESION_CM.search(text), _MARGIN_MM.search(text)
        if lesion is None:
            return None
        diameter = float(lesion.group(1)) + (2 * float(margin.group(1)) / 10 if margin else 0.0)
    site = "4" if _FACE.search(text) else "2" if _SCALP_NECK_HANDS_FEET.search(text) else "0"
    malignant = bool(_MALIGNANT.search(text)) and not _UNCONFIRMED.search(text)
    size = next(
        (digit for limit, digit in ((0.5, "0"), (1.0, "1"), (2.0, "2"), (3.0, "3"), (4.0, "4")) if diameter <= limit),
        "6",
    )
    return f"11{'6' if malignant else '4'}{site}{size}"
