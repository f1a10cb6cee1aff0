"""Step 1-2 (read the whole record, abstract): the provider's diagnostic statements.

The Assessment (or Assessment/Plan, Impression, Addendum) carries the diagnoses the provider
documents; each numbered item or sentence is split into its diagnostic head (before " - " or ":")
and the status and plan that follow, and the head into clauses ("COPD with acute exacerbation;
r/o pneumonia" is two). Each clause takes the assertion ConText gives its condition words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from openrcm.coding.model import Assertion
from openrcm.coding.note import ClinicalNote
from openrcm.coding.vocabulary import EXTENT_WORDS

# "1.", "2)", "#1", "#2:", and the bare "#" many EHRs start a problem with ("# HTN - controlled")
_ITEM_START = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|#\d{1,2}[.:)]?|#|[-*\u2022])[ \t]+")


def without_marker(item_text: str) -> str:
    """An assessment item without its list marker ("1. ", "- "): the number is no word of the problem."""
    found = _ITEM_START.match(item_text)
    return item_text[found.end() :] if found else item_text


_INLINE_ITEM = re.compile(r"(?:^|[.;:][ \t]+)((\d{1,2})[.)][ \t]+)(?=[A-Z])")
# (" - like", " - sided", " - old": a hyphenated word written with spaces, as some dictation systems do)
_HEAD_SPLIT = re.compile(
    r"\s[-\u2013\u2014]\s(?!(?:like|sided|old|shaped|appearing|related|induced|associated|year|month|week|day)\b)"
    r"|:\s|(?<!\b[A-Z])\.\s|(?<=\b[A-Z])\.\s(?![a-z])|\.$|;\s"  # an initial is no stop: "E. coli"
)
_CLAUSE_SPLIT = re.compile(r";\s|\.\s+(?=[A-Z])|\.$")
DIAGNOSTIC_SECTIONS = ("assessment", "addendum")
# Uncertainty cues that set diagnoses against each other: neither side is stated.
BETWEEN_CUES = frozenset({"versus", "vs", "differential", "or", "either"})
_NEGATION = re.compile(r"\b(?:without|no|not|nor|neither|denies|negative for|free of)\b", re.IGNORECASE)
# Cues that deny what precedes them ("Fracture ruled out on x-ray"); medspacy's default rule for
# "ruled out" looks forward only.
_DENIED_AFTER = re.compile(
    r"\b(?:ruled out|was excluded|were excluded|excluded|not supported|unlikely|not consistent|not seen|"
    r"not found|considered and not)\b",
    re.IGNORECASE,
)
# Cues that offer what precedes them only as a possibility ("Atelectasis can have a similar appearance").
_OFFERED_AFTER = re.compile(
    r"\b(?:can|could|may|might)\s+(?:(?:have|give)\s+a\s+similar\s+appearance|look\s+similar|appear\s+similar|mimic|"
    r"also\s+be\s+considered|not\s+be\s+excluded)\b"
    r"|\b(?:must|should|needs?\s+to)\s+(?:also\s+)?be\s+considered\b",
    re.IGNORECASE,
)
# Item heads that are labels for plan content, not diagnoses ("Screening: colonoscopy due"; but "Screening for
# colon cancer" and "Screening mammogram" state the reason for the encounter, Z12.11 and Z12.31).
_LABELS = re.compile(
    r"^(?:health maintenance|immunizations?|vaccines?|screening(?=\s*(?:[:-]|$))|labs?|laboratory|imaging|"
    r"anticipatory guidance|counseling|education|procedures?|plan|disposition|"
    r"follow[- ]up(?! (?:(?:visit|exam|examination) )?(?:after|for|of)\b)|orders?|referrals?|"
    r"medications?|"
    r"preventive care|return precautions|sun protection counseling|total time|time spent|"
    r"return (?:in|at|to (?:clinic|the office)|for|visit)\b|rtc|recheck in|"
    r"[\w-]+ (?:booster|vaccine|vaccination)s? "
    r"(?:due|given|needed|up to date))\b",
    re.IGNORECASE,
)
# Sentences later in a problem that still state a status a code exists for.
_STATUS_START = re.compile(
    r"^(?:long[- ]term|chronic use of|on long[- ]term|status post|s/p|history of|hx of)\b", re.IGNORECASE
)
# A clause of a problem told as due later ("suture removal in 10 days", "recheck next visit").
_LATER = re.compile(
    r"\b(?:in|within)\s+\d+(?:\s*-\s*\d+)?\s*(?:days?|weeks?|wks?|months?|mos?)\b|\bnext\s+(?:week|month|year|visit)\b",
    re.IGNORECASE,
)
# Sentences that are plan, not diagnosis ("Continue lisinopril", "RTC 3 months").
# a clause that tells a thing done ("PDMP reviewed", "labs ordered", "biopsy sent"): plan, not a problem
_DONE = re.compile(
    r"^\s*(?:[\w/-]+\s+){1,3}(?:reviewed|ordered|sent|discussed|obtained|scheduled|completed|done|updated|"
    r"reconciled|drawn|performed)\.?\s*$"
    r"|^\s*[a-z][\w-]+\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|ml)\b",  # a drug by its dose: "tamsulosin 0.4 mg daily"
    re.IGNORECASE,
)
_PLAN_START = re.compile(
    r"^(?:continue|start|started|increase|decrease|reduce|stop|discontinue|resume|switch|add|refill|refilled|order|"
    r"ordered|check|recheck|repeat|return|rtc|f/u|follow|follow-up|follow up|referred|referral|refer|discussed|"
    r"counsel|counseled|advised|reviewed|will|plan|patient|pt|no|not|monitor|obtain|schedule|call|reassess|"
    r"consider|avoid|encourage|educat|instruct|provide|given|gave|administered|prescribed|rx|labs|tsh|bmp|cbc|"
    r"cmp|a1c|urine|\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Statement:
    """One diagnostic clause of the assessment, with the item it belongs to."""

    text: str
    start: int
    end: int
    section: str
    item: int  # 1-based order of the assessment item (problem-list order)
    item_text: str
    item_start: int
    assertion: Assertion
    uncertain_cue: str | None
    # a condition word, alone or with the words said with it, read out of its clause (a case report's):
    # what the Index cannot place there, the clause's own reading has had its chance at
    part: bool = False
    # the comma-part said after it is denied, not it ("Chest pain, atypical, ACS ruled out"): a negation ConText
    # read past the comma is not this statement's
    denied_apart: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _items(body: str, offset: int) -> list[tuple[int, str]]:
    """Numbered or bulleted items, else sentences (paragraph assessments)."""
    starts = sorted({m.start() for m in _ITEM_START.finditer(body)} | set(_inline_items(body)))
    paragraphs = list(re.finditer(r"\S(?:[^\n]|\n(?![ \t]*\n))*", body))
    if starts and len(paragraphs) > 1 and not any(_ITEM_START.match(body, m.start()) for m in paragraphs):
        # a problem-based plan as EHR templates print it: each problem a paragraph headed by its diagnosis, its
        # orders bulleted under it ("Essential hypertension\nWell controlled...\n- BMP ordered\n\nType 2 ...")
        return [(offset + m.start(), m.group(0)) for m in paragraphs]
    if not starts:
        # a paragraph, or a problem a line without markers ("HTN - above goal; increase lisinopril.\nHLD - on
        # atorvastatin."): a line that ends a sentence and a next that begins one are two items; a sentence
        # wrapped onto the next line is one
        return [
            (offset + m.start() + part.start(), part.group(0))
            for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", body)
            for part in _PROBLEM_LINE.finditer(m.group(0))
        ]
    if body[: starts[0]].strip():
        starts.insert(0, 0)
    bounds = [*starts, len(body)]
    return [(offset + bounds[i], body[bounds[i] : bounds[i + 1]]) for i in range(len(bounds) - 1)]


_PROBLEM_LINE = re.compile(r"(?:[^\n]|\n(?![ \t]*[A-Z0-9])|(?<![.!?])\n)+")


def _inline_items(body: str) -> list[int]:
    """Items numbered within a line ("1. No focal pneumonia. 2. Viral changes."), when numbered 1, 2, ..."""
    found = [(m.start(1), int(m.group(2))) for m in _INLINE_ITEM.finditer(body)]
    starts: list[int] = []
    for at, number in found:
        if number == len(starts) + 1:
            starts.append(at)
    return starts if len(starts) >= 2 else []


def _clauses(text: str, base: int) -> list[tuple[int, int]]:
    """Sentences and ';' clauses of an item, as absolute spans."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _CLAUSE_SPLIT.finditer(text):
        if match.start() > pos:
            spans.append((base + pos, base + match.start()))
        pos = match.end()
    if pos < len(text):
        spans.append((base + pos, base + len(text)))
    return spans


def _head(text: str) -> str:
    """The diagnostic part of a clause: before ' - ' or ': ' (what follows is status and plan)."""
    match = _HEAD_SPLIT.search(text)
    return text[: match.start()] if match else text


def extract_statements(note: ClinicalNote, uncertainty_terms: tuple[str, ...]) -> list[Statement]:
    statements: list[Statement] = []
    item_no = 0
    for section in note.sections_of(*DIAGNOSTIC_SECTIONS):
        body = note.body(section)
        for item_start, item_text in _items(body, section.start):
            marker = _ITEM_START.match(item_text)
            lead = marker.end() if marker else 0
            content = item_text[lead:]
            stripped = content.strip()
            if not stripped or len(stripped) < 3:
                continue
            item_no += 1
            base = item_start + lead
            numbered = marker is not None
            clauses = _clauses(content, base)
            if section.category == "addendum":
                first_sentence_end = content.find(". ")
                colon = content.rfind(": ", 0, first_sentence_end if first_sentence_end > 0 else len(content))
                if colon > 0:  # "Dermatopathology, site: diagnosis": the finding follows the colon
                    clauses = _clauses(content[colon + 2 :], base + colon + 2)
            for k, (c_start, c_end) in enumerate(clauses):
                clause = note.text[c_start:c_end]
                risks = _RISK_FACTORS.match(clause.lstrip())
                if risks is not None and section.category == "assessment":
                    # "Risk factors: HTN, HLD, former smoker, father with premature CAD": the conditions the
                    # provider weighed in the decision, each a statement of this problem
                    at = c_start + len(clause) - len(clause.lstrip()) + risks.end()
                    statements.extend(_listed(note, at, c_end, item_no, item_text.strip(), item_start))
                    continue
                first_sentence = note.text[base:c_start].count(". ") == 0
                if numbered and not first_sentence and not _STATUS_START.match(clause.strip()):
                    continue  # the rest of a numbered problem is its status and plan
                if k > 0 and (_PLAN_START.match(clause.strip()) or _LATER.search(clause) or _DONE.search(clause)):
                    # "... - repaired; suture removal in 10 days": what is to happen later is plan, and "...;
                    # PDMP reviewed" what was done
                    continue
                head = _head(clause) if section.category != "addendum" else clause
                if _LABELS.match(head.strip()):
                    continue
                text = head.strip(" \t\n,.")
                if len(text) < 3:
                    continue
                h_start = c_start + clause.find(text)
                h_end = h_start + len(text)
                mentions = note.mentions_in(h_start, h_end)
                assertion = Assertion.PRESENT
                if mentions:
                    statuses = [m.assertion for m in mentions]
                    # a stated head keeps its status: "Type 2 diabetes without retinopathy or neuropathy"
                    stated = statuses[0] in (Assertion.PRESENT, Assertion.HISTORICAL)
                    for status in (Assertion.FAMILY, Assertion.NEGATED, Assertion.UNCERTAIN, Assertion.HYPOTHETICAL):
                        if statuses[0] == status or (not stated and statuses.count(status) * 2 > len(statuses)):
                            assertion = status
                            break
                denied = _DENIED_AFTER.search(text)
                cut = _denied_part(text, denied.start()) if denied else None
                if denied and cut is None:
                    assertion = Assertion.NEGATED
                elif not denied and _OFFERED_AFTER.search(clause):
                    assertion = Assertion.UNCERTAIN
                apart = h_start + cut if cut is not None else -1  # where the kept statement ends
                if cut is not None:
                    # "Chest pain, atypical, ACS ruled out": the cue denies its own comma-part; the condition before
                    # it stands (ConText's reach past the comma read it denied too)
                    kept = Assertion.PRESENT if assertion == Assertion.NEGATED else assertion
                    pieces = _status_parts(note, _pieces(note, (h_start, apart), kept, uncertainty_terms))
                    rest = apart + 1 + (len(text[cut + 1 :]) - len(text[cut + 1 :].lstrip()))
                    pieces.append((rest, h_end, Assertion.NEGATED, None))
                else:
                    pieces = _status_parts(note, _pieces(note, (h_start, h_end), assertion, uncertainty_terms))
                # "Cough - probable pneumonia": the uncertain diagnosis after the dash is recorded too,
                # so the encounter says why it was not coded
                tail_start = h_end - c_start
                tail_cue, tail_at = _cue(clause[tail_start:], uncertainty_terms)
                if tail_cue is not None:
                    t_start = c_start + tail_start + tail_at
                    t_text = note.text[t_start:c_end].strip(" \t\n,.;")
                    if len(t_text) > len(tail_cue) + 2:
                        pieces.append((t_start, t_start + len(t_text), Assertion.UNCERTAIN, tail_cue))
                # "Chronic respiratory failure - dependent on supplemental oxygen, continue 2 L": a dependence the
                # plan states is a status of its own (Z99.81)
                for status_said in _DEPENDENCE.finditer(clause, tail_start):
                    pieces.append((c_start + status_said.start(), c_start + status_said.end(), Assertion.PRESENT, None))
                for p_start, p_end, status, p_cue in pieces:
                    statements.append(
                        Statement(
                            note.text[p_start:p_end],
                            p_start,
                            p_end,
                            section.category,
                            item_no,
                            item_text.strip(),
                            item_start,
                            status,
                            p_cue,
                            denied_apart=p_end == apart,
                        )
                    )
    return statements


Piece = tuple[int, int, Assertion, str | None]


def uncertain_qualifiers_joined(note: ClinicalNote, statements: list[Statement]) -> list[Statement]:
    """An inpatient's uncertain qualifier of the condition before it ("Community-acquired pneumonia, right lower
    lobe, probably pneumococcal"), said with no condition word of its own, joined to that condition without its
    cue: at discharge an uncertain diagnosis is coded as if established (Guidelines II.H), the organism with it."""
    out: list[Statement] = []
    for st in statements:
        prev = out[-1] if out else None
        if (
            prev is not None
            and st.assertion == Assertion.UNCERTAIN
            and st.uncertain_cue
            and prev.item == st.item
            and prev.assertion == Assertion.PRESENT
            and not note.text[prev.end : st.start].strip(" ,")
            and not note.mentions_in(st.start, st.end)
        ):
            cue = re.match(rf"\s*{re.escape(st.uncertain_cue)}\s+", st.text, re.IGNORECASE)
            if cue is not None:
                out[-1] = replace(prev, text=f"{prev.text} {st.text[cue.end() :]}", end=st.end)
                continue
        out.append(st)
    return out


_DEPENDENCE = re.compile(
    r"\b(?:dependent on|dependence on) (?:supplemental |home |long-term )?(?:oxygen|o2|dialysis|hemodialysis|"
    r"peritoneal dialysis|ventilator|respirator|wheelchair)\b",
    re.IGNORECASE,
)

_RISK_FACTORS = re.compile(
    r"(?:(?:cardiac|cardiovascular|ascvd)\s+)?risk factors?(?:\s+include|\s*:)\s*", re.IGNORECASE
)
_LIST_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)


def mentioned(
    note: ClinicalNote, start: int, end: int, section: str, item: int, item_text: str, item_start: int
) -> Statement | None:
    """The note's words ``[start, end)`` as a statement with the status of its first condition word, or
    None where it names no condition."""
    mentions = note.mentions_in(start, end)
    if not mentions:
        return None
    return Statement(
        note.text[start:end], start, end, section, item, item_text, item_start, mentions[0].assertion, None
    )


def _listed(note: ClinicalNote, start: int, end: int, item: int, item_text: str, item_start: int) -> list[Statement]:
    """The parts of a list ("HTN, HLD, former smoker, father with premature CAD") that name a condition,
    each a statement with its own mentions' status."""
    out: list[Statement] = []
    pos = start
    text = note.text[start:end]
    for piece in [*_LIST_SPLIT.split(text)]:
        at = note.text.find(piece, pos, end) if piece else -1
        if at < 0:
            continue
        pos = at + len(piece)
        stripped = piece.strip(" \t\n.")
        if len(stripped) < 2:
            continue
        p_start = at + piece.find(stripped)
        listed = mentioned(note, p_start, p_start + len(stripped), "assessment", item, item_text, item_start)
        if listed is not None:
            out.append(listed)
    return out


def _questions_a_qualifier(note: ClinicalNote, head: tuple[int, int], cue: str, at: int) -> bool:
    """Whether an uncertainty cue questions a qualifier of the condition, not the condition: between two
    extent words ("partial versus complete duplication") or after a stated one ("right middle and probable
    right lower lobe pneumonia": the pneumonia is stated, its extent is not)."""
    h_start, h_end = head
    said = note.text[h_start:h_end]
    if note.mentions_in(h_start, h_start + at) or not note.mentions_in(h_start + at, h_end):
        return False  # "cough and probable pneumonia": the condition itself is what the cue questions
    preceding = re.findall(r"[a-z]+", said[:at].lower())
    following = re.findall(r"[a-z]+", said[at + len(cue) :].lower())
    if cue in ("or", "versus", "vs"):
        return bool(preceding and following) and preceding[-1] in EXTENT_WORDS and following[0] in EXTENT_WORDS
    return len(preceding) >= 2 and preceding[-1] == "and" and preceding[-2] in EXTENT_WORDS and len(following) <= 6


def _pieces(note: ClinicalNote, head: tuple[int, int], assertion: Assertion, terms: tuple[str, ...]) -> list[Piece]:
    """A statement split at its uncertainty cue: what precedes the cue keeps the statement's status.

    "Anemia, likely iron deficiency": the anemia is stated, the cause is not. A cue that sets two
    diagnoses against each other ("atelectasis vs pneumonia", "croup or tracheitis") leaves neither stated.
    A cue between two qualifiers of one condition questions the qualifier, not the condition
    ("partial or complete duplication", "right middle and probable right lower lobe pneumonia").
    """
    text = note.text
    h_start, h_end = head
    said = text[h_start:h_end]
    cue, at = _cue(said, terms)
    if cue is None:
        return [(h_start, h_end, assertion, None)]
    before = said[:at].rstrip(" ,;(")
    if not re.search(r"[a-z]", said[at + len(cue) :], re.IGNORECASE) and cue not in BETWEEN_CUES:
        # "Left ureteral calculus, suspected": a cue said last qualifies what it follows
        return [(h_start, h_end, Assertion.UNCERTAIN, cue)]
    if _questions_a_qualifier(note, head, cue, at):
        # (ConText read the condition as uncertain through the same cue)
        return [(h_start, h_end, Assertion.PRESENT if assertion == Assertion.UNCERTAIN else assertion, None)]
    if cue == "or" and said[at - 4 : at].lower() != "and/" and (said[at - 1 : at] == "/" or _NEGATION.search(before)):
        return [(h_start, h_end, assertion, None)]  # "without retinopathy or neuropathy", "either/or"
    if cue == "or" and _BOUND.match(said, at + len(cue)):
        return [(h_start, h_end, assertion, None)]  # "loss of consciousness of 30 minutes or less": a bound, no doubt
    # "infiltrate and/or atelectasis" states neither for certain: it is read as "or"
    if cue not in BETWEEN_CUES and len(before) >= 3 and any(ch.isalpha() for ch in before):
        return [(h_start, h_start + len(before), assertion, None), (h_start + at, h_end, Assertion.UNCERTAIN, cue)]
    shown = _SHOWN_BY.search(said, at + len(cue)) if cue not in BETWEEN_CUES and not before.strip() else None
    if shown is not None and re.search(r"[a-z]{3}", said[shown.end() :], re.IGNORECASE):
        # "Probable pneumonia with cough and fever", "Suspected appendicitis, right lower quadrant pain": the doubted
        # diagnosis, and what the patient has that made the provider think of it, stated (its signs and symptoms
        # only: Guidelines IV.H; the coder keeps their R codes)
        return [
            (h_start, h_start + shown.start(), Assertion.UNCERTAIN, cue),
            (h_start + shown.end(), h_end, Assertion.PRESENT, SIGNS_OF_UNCERTAIN),
        ]
    return [(h_start, h_end, Assertion.UNCERTAIN, cue)]


# what a doubted diagnosis is said with: its signs ("with cough and fever", ", right lower quadrant pain")
_SHOWN_BY = re.compile(r"\s*(?:,|\bwith\b|\bpresenting with\b|\bgiven\b|\bin (?:the )?setting of\b)\s*", re.I)
# the cue of a piece that holds the signs and symptoms of a doubted diagnosis said before them
SIGNS_OF_UNCERTAIN = "signs of a doubted diagnosis"


_BOUND = re.compile(r"\s+(?:less|more|fewer|greater|longer|shorter|above|below)\b", re.IGNORECASE)
# a past procedure said within a problem (", s/p L mastectomy"), or the long-term therapy it is treated with ("History
# of DVT on long-term warfarin": the history, and the drug therapy, not a DVT the warfarin makes current)
_STATUS_PART = re.compile(
    r",\s*((?:s/p|status post)\s[^,;]+)|\s(on\s+(?:long[- ]term|lifelong)\s[^,;]+)", re.IGNORECASE
)
# a history said with a current condition ("Hypertension with history of stroke", "Type 2 diabetes with a history
# of diabetic foot ulcer"): no "with" of the Index's convention, a past condition beside a present one
_HISTORY_PART = re.compile(
    r"\s(?:with|w/)\s+(?:an?\s+)?((?:(?:prior|past|remote|personal)\s+)?(?:history|hx)\s+of\s[^,;]+)", re.IGNORECASE
)


def _status_parts(note: ClinicalNote, pieces: list[Piece]) -> list[Piece]:
    """A past procedure said within a problem ("Hx of L breast cancer, s/p L mastectomy, completed
    therapy") is a statement of its own: the status it leaves (acquired absence of the left breast) is
    coded beside the history. The problem's statement ends where the procedure begins."""
    out: list[Piece] = []
    for p_start, p_end, status, cue in pieces:
        parts = list(_STATUS_PART.finditer(note.text, p_start, p_end))
        history = _HISTORY_PART.search(note.text, p_start, p_end) if status == Assertion.PRESENT else None
        if history is not None and (not parts or history.start() < parts[0].start()):
            # the condition, then the history as a statement of its own (and any status said after it)
            out.append((p_start, history.start(), status, cue))
            out.extend(_status_parts(note, [(history.start(1), p_end, Assertion.HISTORICAL, None)]))
            continue
        if not parts or status not in (Assertion.PRESENT, Assertion.HISTORICAL):
            out.append((p_start, p_end, status, cue))
            continue
        out.append((p_start, parts[0].start(), status, cue))
        out.extend((m.start(m.lastindex or 1), m.end(m.lastindex or 1), Assertion.PRESENT, None) for m in parts)
    return out


def _denied_part(text: str, cue: int) -> int | None:
    """Where the comma-part a denying cue said after it begins ("Chest pain, atypical, ACS ruled out": at the
    comma before "ACS"), when a condition is said before that part and the part names one of its own; None where
    the cue denies the whole ("Pneumonia, ruled out") or the statement denies itself ("No fracture, dislocation
    excluded")."""
    cut = max(text.rfind(",", 0, cue), text.rfind(";", 0, cue))
    if cut < 3 or not re.search(r"[a-z]{2}", text[cut + 1 : cue], re.IGNORECASE):
        return None
    own = text[:cut]
    if not re.search(r"[a-z]{3}", own, re.IGNORECASE) or _NEGATION.search(own):
        return None
    return cut


def interpreted_uncertainly(st: Statement, terms: tuple[str, ...]) -> bool:
    """Whether the sentence goes on to offer the statement's finding only as a possibility of something
    ("Scattered lung densities likely to represent either atelectasis or viral illness"): the finding
    is what the reader saw, not a diagnosis the test confirmed."""
    at = st.item_text.find(st.text)
    if at < 0:
        return False
    return _cue(st.item_text[at + len(st.text) :], terms)[0] is not None


@functools.cache
def _cue_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(re.escape(t) for t in ordered) + r")(?![a-z])")


def _cue(text: str, terms: tuple[str, ...]) -> tuple[str | None, int]:
    """The first uncertainty cue in ``text`` and where it starts."""
    match = _cue_pattern(terms).search(text.lower())
    if match is None:
        return None, len(text)
    return match.group(1), match.start()


# -- the reason for a diagnostic test (a report's indication) --------------------------------------

# What leads into the condition in an indication ("Six year old with history of ...", "now with a
# three day history of ...", "Followup ...") and the duration that trails it ("... for one week").
_COUNT = r"(?:\d+(?:[-/]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several|a couple of|couple of)"
_DURATION = _COUNT + r"[ -](?:days?|weeks?|months?|years?)[ -](?:long\s+)?"
_REASON_LEAD = re.compile(
    r"^(?:and\s+)?(?:(?:this is )?an?\s+)?"
    r"(?:[\w\s,/-]{0,60}?\bold\b[\w\s-]{0,40}?\b(?:with|w/|who has|presenting with)\s+)?"  # bounded: linear
    r"(?:(?:patient|child|boy|girl|infant|baby|newborn|male|female|man|woman)\s+(?:with|w/|who has)\s+)?"
    r"(?:now\s+)?(?:(?:with|w/)\s+)?(?:an?\s+)?(?:" + _DURATION + r"(?:history of|hx of|of)\s+)?"
    r"(?:(?:a\s+)?(?:(?:past|prior|previous)\s+)?(?:history of|hx of|h/o)\s+)?"
    r"(?:follow[- ]?up(?:\s+(?:of|for|on))?\s+)?",
    re.IGNORECASE,
)
# A duration ends a reason ("Cough x 2 days fever x 4 days", "cough for three weeks with fever").
_REASON_BREAK = re.compile(
    r"\s+(?:x\s*" + _COUNT + r"(?:\s*(?:days?|weeks?|months?|years?|hours?))?"
    r"|(?:for|over|since)\s+(?:about\s+|approximately\s+)?(?:the\s+)?(?:past\s+|last\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:days?|weeks?|months?|years?|hours?|weekend)"
    r"|of\s+(?:about\s+|approximately\s+)?" + _DURATION + r"duration"
    r"|today|yesterday|this morning)\b\.?",
    re.IGNORECASE,
)
WITH = re.compile(r"\s+with\s+", re.IGNORECASE)  # "A with B", as a clause says it


def without_lead(text: str) -> str:
    """A clause without the words that introduce the patient ("A 73-year-old woman with a history of
    hypertensive heart disease"): they name no condition, and "with" there links none."""
    lead = _REASON_LEAD.match(text)
    return text[lead.end() if lead else 0 :]


# In an indication "history of cough" is the complaint; these say a condition is really past: "status
# post" before the condition ("status post pneumonia"), the others anywhere ("pneumonia, treated").
_PAST_BEFORE = re.compile(r"\b(?:status post|s/p|post[- ]?op\w*)\b", re.IGNORECASE)
_PAST = re.compile(
    r"\b(?:resolved|treated|repaired|remote|resection|resected|excision|excised|removal|removed)\b", re.IGNORECASE
)
_PRIOR = re.compile(r"\b(?:past|prior|previous)\s+(?:medical\s+)?(?:history|hx)\b", re.IGNORECASE)
# "status post Deflux injection for vesicoureteral reflux": the procedure is past, the condition it
# treated is what the follow-up examination is for
_PROCEDURE_FOR = re.compile(r"\b(?:status post|s/p)\s+(?:[\w'/-]+\s+){1,6}?for\s+", re.IGNORECASE)
# "cough and fever": two reasons; "cough on and off": one
_AND = r"(?<!\bon )(?<!\boff )\band\b(?! o(?:n|ff)\b)"
_REASON_CLAUSE = re.compile(r"(?:" + _AND + r")?((?:(?!" + _AND + r")[^,;:()])+)", re.IGNORECASE)


def _reason_clauses(note: ClinicalNote, start: int, sentence: str) -> Iterator[tuple[int, str]]:
    """An indication sentence's reasons with their offsets: split at commas, "and", durations, and at
    "with" when a condition is named on each side ("cough with fever" is two reasons)."""
    for clause in _REASON_CLAUSE.finditer(sentence):
        at, raw = clause.start(1), clause.group(1)
        cuts = [(m.start(), m.end()) for m in _REASON_BREAK.finditer(raw)]
        for m in WITH.finditer(raw):
            before = note.mentions_in(start + at, start + at + m.start())
            after = note.mentions_in(start + at + m.end(), start + at + len(raw))
            if before and after:
                cuts.append((m.start(), m.end()))
        pos = 0
        for cut_start, cut_end in sorted(cuts):
            if cut_start >= pos:
                yield at + pos, raw[pos:cut_start]
                pos = cut_end
        yield at + pos, raw[pos:]


def extract_reasons(
    note: ClinicalNote,
    uncertainty_terms: tuple[str, ...],
    first_item: int,
    recurs: Callable[[str], bool] = lambda _: False,
    section_name: str = "indication",
) -> list[Statement]:
    """The conditions a report's indication gives as the reason for the test, one statement per clause (or a
    visit's chief complaint, with ``section_name``).

    Indications are prose ("Six year old with history of cough for one week."): each clause (split at
    commas, "and", durations and "with": the reasons are listed) that holds a condition word becomes a
    statement, without its lead-in (age, "history of", "follow-up of"). "History of" there names the
    complaint that brought the patient, so it is read as present unless the clause says the condition
    is past ("status post", "resolved").
    """
    clauses: list[tuple[int, str, Assertion, bool, str, int, int]] = []
    item = first_item
    for section in note.sections_of(section_name):
        for s_start, end in note.sentences:
            if end <= section.start or s_start >= section.end:
                continue
            start = max(s_start, section.start)  # the first sentence begins with the heading
            sentence = note.text[start:end]
            said = sentence.strip()
            for at, raw in _reason_clauses(note, start, sentence):
                lead = _REASON_LEAD.match(raw.strip())
                text = raw.strip()[lead.end() if lead else 0 :].strip(" \t\n.")
                if len(text) < 3:
                    continue
                c_start = start + at + raw.find(text)
                treated = _PROCEDURE_FOR.search(text)
                if treated is not None and note.mentions_in(c_start + treated.end(), c_start + len(text)):
                    c_start, text = c_start + treated.end(), text[treated.end() :]
                mentions = note.mentions_in(c_start, c_start + len(text))
                if not mentions:
                    continue
                item += 1
                status = mentions[0].assertion
                before = note.text[start + at : mentions[0].start]
                prior = False
                if status == Assertion.HISTORICAL and not (
                    (treated is None and _PAST_BEFORE.search(before)) or _PAST.search(raw)
                ):
                    prior = _PRIOR.search(before) is not None
                    status = Assertion.PRESENT
                clauses.append((c_start, text, status, prior, said, start, item))
    # "Cough. Prior history of walking pneumonia.": where the indication gives a complaint of its own, a
    # condition it calls prior is the patient's background, not the reason for the test, if it is one
    # that can be over (``recurs``: the Index names a personal history of it); a prior reflux is followed
    complaint = any(status == Assertion.PRESENT and not prior for _, _, status, prior, *_ in clauses)
    out: list[Statement] = []
    for c_start, text, status, prior, said, start, item in clauses:
        given = Assertion.HISTORICAL if prior and complaint and recurs(text) else status
        for p_start, p_end, p_status, p_cue in _pieces(note, (c_start, c_start + len(text)), given, uncertainty_terms):
            out.append(
                Statement(note.text[p_start:p_end], p_start, p_end, section_name, item, said, start, p_status, p_cue)
            )
    return out
