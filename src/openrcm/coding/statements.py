"""Step 1-2 (read the whole record, abstract): the provider's diagnostic statements.

The Assessment (or Assessment/Plan, Impression, Addendum) carries the diagnoses the provider
documents; each numbered item or sentence is split into its diagnostic head (before " - " or ":")
and the status and plan that follow, and the head into clauses ("COPD with acute exacerbation;
r/o pneumonia" is two). Each clause takes the assertion ConText gives its condition words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from openrcm.coding.model import Assertion
from openrcm.coding.note import ClinicalNote

_ITEM_START = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|#\d{1,2}|[-*\u2022])[ \t]+")
_HEAD_SPLIT = re.compile(r"\s[-\u2013\u2014]\s|:\s|\.\s|\.$|;\s")
_CLAUSE_SPLIT = re.compile(r";\s|\.\s+(?=[A-Z])|\.$")
DIAGNOSTIC_SECTIONS = ("assessment", "addendum")
# Cues that deny what precedes them ("Fracture ruled out on x-ray"); medspacy's default rule for
# "ruled out" looks forward only.
_DENIED_AFTER = re.compile(
    r"\b(?:ruled out|was excluded|were excluded|excluded|not supported|unlikely|not consistent|not seen|"
    r"not found|considered and not)\b",
    re.IGNORECASE,
)
# Item heads that are labels for plan content, not diagnoses.
_LABELS = re.compile(
    r"^(?:health maintenance|immunizations?|vaccines?|screening|labs?|laboratory|imaging|anticipatory guidance|"
    r"counseling|education|procedures?|plan|disposition|follow[- ]up(?! (?:after|for|of)\b)|orders?|referrals?|"
    r"medications?|"
    r"preventive care|return precautions|sun protection counseling|[\w-]+ (?:booster|vaccine|vaccination)s? "
    r"(?:due|given|needed|up to date|declined))\b",
    re.IGNORECASE,
)
# Sentences later in a problem that still state a status a code exists for.
_STATUS_START = re.compile(
    r"^(?:long[- ]term|chronic use of|on long[- ]term|status post|s/p|history of|hx of)\b", re.IGNORECASE
)
# Sentences that are plan, not diagnosis ("Continue lisinopril", "RTC 3 months").
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

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _items(body: str, offset: int) -> list[tuple[int, str]]:
    """Numbered or bulleted items, else sentences (paragraph assessments)."""
    starts = [m.start() for m in _ITEM_START.finditer(body)]
    if not starts:
        return [(offset + m.start(), m.group(0)) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", body)]
    if body[: starts[0]].strip():
        starts.insert(0, 0)
    bounds = [*starts, len(body)]
    return [(offset + bounds[i], body[bounds[i] : bounds[i + 1]]) for i in range(len(bounds) - 1)]


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
                first_sentence = note.text[base:c_end].count(". ") == 0
                if numbered and not first_sentence and not _STATUS_START.match(clause.strip()):
                    continue  # the rest of a numbered problem is its status and plan
                if k > 0 and _PLAN_START.match(clause.strip()):
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
                    for status in (Assertion.FAMILY, Assertion.NEGATED, Assertion.UNCERTAIN, Assertion.HYPOTHETICAL):
                        if statuses.count(status) * 2 > len(statuses) or statuses[0] == status:
                            assertion = status
                            break
                if _DENIED_AFTER.search(text):
                    assertion = Assertion.NEGATED
                cue, at = _cue(text, uncertainty_terms)
                pieces: list[tuple[int, int, Assertion, str | None]] = [(h_start, h_end, assertion, None)]
                if cue is not None:
                    before = text[:at].rstrip(" ,;(")
                    if len(before) >= 3 and any(ch.isalpha() for ch in before):
                        # "Anemia, likely iron deficiency": the anemia is stated, the cause is not
                        pieces = [
                            (h_start, h_start + len(before), assertion, None),
                            (h_start + at, h_end, Assertion.UNCERTAIN, cue),
                        ]
                    else:
                        pieces = [(h_start, h_end, Assertion.UNCERTAIN, cue)]
                # "Cough - probable pneumonia": the uncertain diagnosis after the dash is recorded too,
                # so the encounter says why it was not coded
                tail_start = h_end - c_start
                tail_cue, tail_at = _cue(clause[tail_start:], uncertainty_terms)
                if tail_cue is not None:
                    t_start = c_start + tail_start + tail_at
                    t_text = note.text[t_start:c_end].strip(" \t\n,.;")
                    if len(t_text) > len(tail_cue) + 2:
                        pieces.append((t_start, t_start + len(t_text), Assertion.UNCERTAIN, tail_cue))
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
                        )
                    )
    return statements


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
