"""The coder's lexicon (``openrcm/data/coding_lexicon.toml``): shorthand, phrasing, drug classes, tobacco."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from openrcm.coding.patterns import literal_trie, terms_pattern


@dataclass(frozen=True, slots=True)
class Lexicon:
    abbreviations: dict[str, str]
    case_sensitive: dict[str, str]
    phrases: dict[str, str]
    uncertainty: tuple[str, ...]
    progression: tuple[str, ...]
    drug_classes: dict[str, tuple[str, ...]]
    tobacco: dict[str, tuple[str, ...]]
    body_systems: dict[str, frozenset[str]]
    routine_signs: dict[str, tuple[str, ...]]
    descriptors: tuple[str, ...]  # a condition's adjectives that, said of the patient, name the condition
    persons: tuple[str, ...]  # the words for the patient they are said of
    regions: dict[str, str]  # a site -> the body region it lies in ("thigh" -> "leg")
    drug_endings: dict[str, str]  # a generic name's ending -> the Table of Drugs' words for its class
    _abbrev_re: re.Pattern[str]
    _case_re: re.Pattern[str]
    _phrase_re: re.Pattern[str]
    _systems_by_word: dict[str, tuple[str, ...]]  # each body-system word -> the systems that use it

    def expand(self, text: str) -> str:
        """Spell out shorthand the way the Alphabetic Index words it ("T2DM w/ CKD 3a" -> ...)."""
        if "ED" in text:
            # "if worsening, to ED", "ED precautions": the emergency department, not erectile dysfunction
            text = _PLACE_ED.sub(lambda m: f"{m.group(1) or ''}emergency department", text)
        out = self._case_re.sub(lambda m: self.case_sensitive[m.group(0)], text)
        out = _replace_folded(self._abbrev_re, out, self.abbreviations)
        out = _replace_folded(self._phrase_re, out, self.phrases)
        if "neg" in out or "not detected" in out:
            # a rapid test's negative result beside the condition it was done for ("Sore throat, strep negative") is
            # no part of it: not read as the organism ("Sore throat, streptococcal" J02.0)
            out = _NEGATIVE_RESULT.sub("", out)
        if "encounter" in out or "sequela" in out:
            # the 7th character's episode of care, as problem lists write an injury's title ("..., initial
            # encounter"): read from the note for the 7th character, not a condition for the Index ("Encounter, ...")
            out = _EPISODE_TAIL.sub("", out)
        return _SPINAL_LEVEL.sub(_spinal_region, out) if _LEVEL_HINT.search(out) else out

    def body_system(self, text: str) -> str | None:
        """The chapter letter of the body system a note is about: the one whose words it uses more than
        any other, else None."""
        systems_of = self._systems_by_word
        counts = Counter(system for word in re.findall(r"[a-z]+", text.lower()) for system in systems_of.get(word, ()))
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def has_any(self, text: str, terms: tuple[str, ...]) -> str | None:
        match = _any_pattern(terms).search(text.lower())
        return match.group(0) if match else None


# "ED" where it is a place: gone to, seen or sent from, its visit, precautions or course
_PLACE_ED = re.compile(
    r"\b((?:to|in|at|from|via|the|an|our|this|per|into|or)(?: the)? )ED\b|"
    r"\bED(?= (?:visit|precautions|return|course|physician|provider|triage|evaluation|workup|stay|admission|"
    r"observation|setting|note|records?)\b)|"
    # a place to go, as a plan says it ("ED if severe", "ED immediately for chest pain")
    r"\bED(?= (?:if|when|for|immediately|right away|now|prn|as needed|sooner|asap)\b)",
)
_NEGATIVE_RESULT = re.compile(
    r"[,;]?\s*\b(?:rapid\s+)?(?:strep(?:tococcal)?|group a strep(?:tococcus)?|flu|influenza(?: a(?:/| and )b)?|"
    r"covid(?:-?19)?|sars-cov-2|mono(?:spot)?|rsv)(?:\s+(?:test|screen|swab|pcr|antigen|culture))?\s+"
    r"(?:negative|neg|not detected)\b",
    re.IGNORECASE,
)


def _by_word(systems: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    by_word: dict[str, list[str]] = {}
    for system, system_words in systems.items():
        for word in dict.fromkeys(system_words):
            by_word.setdefault(word, []).append(system)
    return {word: tuple(found) for word, found in by_word.items()}


@cache
def _any_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return terms_pattern(terms, whole_words=False)


def _alternation(keys: list[str]) -> re.Pattern[str]:
    boundary = r"[\w/-]"
    return re.compile(f"{literal_trie(keys, boundary)}(?!{boundary})")


# a spinal level ("C5-C6", "C5-6", "L4/L5"): the Index lists the cervical discs by level under their region
# ("Disorder, disc, cervical, displacement, C5-C6" M50.222) and the others by region only
_SPINAL_LEVEL = re.compile(r"\b([CTL])(\d{1,2})\s*[-/]\s*([CTLS]?)(\d{1,2})\b", re.IGNORECASE)
_LEVEL_HINT = re.compile(r"[CTLctl]\d")


_EPISODE_TAIL = re.compile(
    r",\s*(?:(?:initial|subsequent) encounter(?: for (?:closed|open) fracture)?(?: with \w+ healing)?|sequela)\s*$"
)


def _spinal_region(match: re.Match[str]) -> str:
    first, upper = match.group(1).upper(), int(match.group(2))
    second = (match.group(3) or first).upper()
    lower = int(match.group(4))
    if first == "C":
        return f"cervical C{upper}-{second}{lower} level"
    if first == "T":
        return "thoracolumbar region" if second == "L" else "thoracic region"
    return "lumbosacral region" if second == "S" else "lumbar region"


def _replace_folded(pattern: re.Pattern[str], text: str, table: dict[str, str]) -> str:
    """Replace the lower-case ``table`` keys ``pattern`` finds in ``text`` whatever their case.

    The pattern runs on the lower-cased text (several times faster than an IGNORECASE alternation);
    the pieces between matches are taken from ``text`` as written. Lower-casing keeps offsets only for
    ASCII, so other text is matched letter by letter with IGNORECASE instead.
    """
    if text.isascii():
        found = pattern.finditer(text.lower())
    else:
        found = re.compile(pattern.pattern, re.IGNORECASE).finditer(text)
    pieces: list[str] = []
    last = 0
    for match in found:
        pieces.append(text[last : match.start()])
        pieces.append(table[match.group(0).lower()])
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


@cache
def load_lexicon() -> Lexicon:
    text = resources.files("openrcm.data").joinpath("coding_lexicon.toml").read_text("utf-8")
    data = tomllib.loads(text)
    abbreviations = {k.lower(): v for k, v in data["abbreviations"].items()}
    case_sensitive = dict(data["case_sensitive"])
    phrases = {k.lower(): v for k, v in data["phrases"].items()}
    nodes = data["localized_nodes"]
    phrases.update(
        {
            phrase: "localized lymphadenopathy"
            for region in nodes["regions"]
            for word in nodes["words"]
            for phrase in (
                f"{region} {word}",
                f"{word}, {region}",
            )  # "cervical lymphadenopathy", "lymphadenopathy, cervical"
        }
    )
    # a phrase of two or more words said in the plural ("ingrown toenails", "cold sores") is the phrase: its last
    # word a noun of three or more letters (not "influenza a", whose "as" would be another word; and not a word
    # alone, whose plural may say another thing: "sugars" are the blood's, not diabetes)
    for key, value in list(phrases.items()):
        last = key.rsplit(" ", 1)[-1]
        if " " in key and re.fullmatch(r"[a-z]{3,}", last) and not last.endswith(("s", "x", "y")):
            phrases.setdefault(f"{key}s", value)
    preterm = data["preterm"]
    phrases.update(
        {
            f"{name}{join}{weeks}{after}": f"preterm newborn gestational age {weeks} completed weeks"
            for name in preterm["names"]
            for join in preterm["joins"]
            for weeks in preterm["weeks"]
            for after in preterm["after"]
        }
    )
    graded = data["graded"]
    phrases.update(
        {
            phrase: f"{condition}, {degree} degree"
            for condition in graded["conditions"]
            for word in graded["words"]
            for numeral, degree in graded["degrees"].items()
            for phrase in (
                f"{word} {numeral} {condition}",
                f"{condition}, {word} {numeral}",
                f"{condition} {word} {numeral}",
            )
        }
    )
    return Lexicon(
        abbreviations=abbreviations,
        case_sensitive=case_sensitive,
        phrases=phrases,
        uncertainty=tuple(data["uncertainty"]["terms"]),
        progression=tuple(data["progression"]["terms"]),
        drug_classes={k: tuple(v) for k, v in data["drug_classes"].items()},
        tobacco={k: tuple(v) for k, v in data["tobacco"].items()},
        body_systems={k: frozenset(v) for k, v in data["body_systems"].items()},
        routine_signs={k: tuple(v) for k, v in data["routine_signs"].items()},
        descriptors=tuple(data["descriptors"]["adjectives"]),
        persons=tuple(data["descriptors"]["persons"]),
        regions={site: region for region, sites in data["regions"].items() for site in sites},
        drug_endings=dict(data["drug_endings"]),
        _abbrev_re=_alternation(list(abbreviations)),
        _case_re=_alternation(list(case_sensitive)),
        _phrase_re=_alternation(list(phrases)),
        _systems_by_word=_by_word(data["body_systems"]),
    )
