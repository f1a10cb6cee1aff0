"""Reading a clinical note: sections, sentences and the assertion status of each condition mentioned.

medspacy does the clinical NLP on a blank spaCy English pipeline (nothing downloaded): its section
rules and matcher with a curated heading list (the default list misses headings such as
"ASSESSMENT AND PLAN:" and lets a family-history section swallow the plan; the note is cut at the
headings here, see ``Headings``, not by its Sectionizer component), spaCy's rule-based
sentencizer (several times faster than PyRuSH and silent), and ConText with its default rules
extended for what outpatient notes say ("monitor for", "status post", "concern for", "r/o",
past-tense history). Condition mentions are the Alphabetic Index's main terms.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple, cast

import spacy
from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.common.util import prune_overlapping_matches
from medspacy.context import ConText, ConTextRule
from medspacy.section_detection import SectionRule
from medspacy.section_detection.util import NEWLINE_PATTERN, is_start_line
from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, NORM, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from openrcm.coding.model import Assertion
from openrcm.coding.patterns import terms_pattern

if TYPE_CHECKING:
    from thinc.types import Ints2d

# Headings as clinicians write them, by section category.
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "chief_complaint": ("cc", "chief complaint", "reason for visit", "admission diagnosis", "reason for admission"),
    # why a diagnostic test or procedure was done: the heading of a report, not of a visit note
    "indication": (
        "clinical history",
        "clinical indication",
        "clinical indications",
        "clinical information",
        "indication",
        "indications",
        "indication for exam",
        "indication for study",
        "reason for exam",
        "reason for examination",
        "reason for study",
        "reason for test",
    ),
    "hpi": ("hpi", "history of present illness", "s", "subjective", "interval history", "hospital course", "history"),
    "pmh": ("pmh", "past medical history", "medical history", "problem list", "active problems"),
    "psh": ("psh", "past surgical history", "surgical history"),
    "meds": (
        "meds",
        "medications",
        "current medications",
        "medication list",
        "home medications",
        "discharge medications",
        "discharge meds",
        "medications on discharge",
        "admission medications",
    ),
    "allergies": ("allergies", "allergy", "nkda"),
    # a visit's immunization record or a history of them: the products given today are read from it by the route
    # or site each is given by, not by its mention ("Immunizations: up to date", "Tdap 2019")
    "immunizations": ("immunizations", "immunization", "vaccines", "vaccinations", "immunization record"),
    "fhx": ("fhx", "fh", "family history"),
    "shx": ("shx", "sh", "social history"),
    "ros": ("ros", "review of systems"),
    "exam": ("exam", "physical exam", "physical examination", "o", "objective", "vitals", "pe"),
    "results": (
        "in-office lab",
        "in-office labs",
        "in-office test",
        "in-office tests",
        "in-office testing",
        "office tests",
        "office labs",
        "tests in office",
        "labs in office",
        "in office",
        "in-office",
        "in clinic",
        "in-clinic",
        "tests",
        "tests performed",
        "labs",
        "results",
        "point of care",
        "poc testing",
        "diagnostics",
        "imaging",
        "data",
        "screening",
        "findings",
        "technique",
        "comparison",
    ),
    "procedure": (
        "procedure",
        "procedures",
        "procedure -",
        "procedure note",
        "treatment in office",
        "in-office treatment",
        "infusion",
        "infusion note",
        "infusion record",
        "iv therapy",
        "medications administered",
        "medications given",
        "treatment given",
        # (not "Immunizations:" alone: a history of them, as often as not)
        "immunizations given today",
        "immunizations administered",
        "vaccines given today",
        "vaccines administered",
    ),
    "assessment": (
        "a",
        "assessment",
        "impression",
        "diagnosis",
        "diagnoses",
        "assessment and plan",
        "a/p",
        "assessment/plan",
        "assessment & plan",
        "a&p",
        "impression and plan",
        "impression/plan",
        "conclusion",
        "conclusions",
        # a discharge summary's diagnoses: the principal first, then the others (Guidelines II, III)
        "discharge diagnosis",
        "discharge diagnoses",
        "final diagnosis",
        "final diagnoses",
        "principal diagnosis",
        "secondary diagnoses",
        "other diagnoses",
    ),
    "plan": (
        "p",
        "plan",
        "recommendations",
        "disposition",
        "discharge instructions",
        "discharge plan",
        "condition at discharge",
        "discharge condition",
    ),
    "signature": ("electronically signed", "signed", "attestation"),
    "addendum": ("addendum",),
}


# Sections whose heading may carry a parenthetical before its colon.
PARENTHETICAL_HEADINGS = frozenset({"procedure", "results", "assessment", "plan", "exam"})


@dataclass(frozen=True, slots=True)
class Section:
    category: str
    title: str
    start: int  # body start (character offset)
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A condition word (an Index main term) in the note, with its assertion."""

    text: str
    start: int
    end: int
    section: str
    assertion: Assertion


@dataclass(frozen=True, slots=True)
class ClinicalNote:
    text: str
    sections: tuple[Section, ...]
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]

    def section_at(self, offset: int) -> str:
        return _category_at(self.sections, offset)

    def sections_of(self, *categories: str) -> list[Section]:
        return [s for s in self.sections if s.category in categories]

    def body(self, section: Section) -> str:
        return self.text[section.start : section.end]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        first = bisect.bisect_left(self.mentions, start, key=_mention_start)  # mentions are in note order
        last = bisect.bisect_left(self.mentions, end, lo=first, key=_mention_start)
        return list(self.mentions[first:last])


def _mention_start(mention: Mention) -> int:
    return mention.start


# ConText extensions (the default rules miss these outpatient phrasings).
EXTRA_CONTEXT_RULES = (
    ConTextRule("r/o", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("rule out", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("concern for", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("concerning for", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("suspicious for", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("likely", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("probable", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("possible", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("considered", "POSSIBLE_EXISTENCE", direction="BACKWARD"),
    # a radiologist's hedge: "pneumonia is favored over atelectasis", "favored to represent atelectasis",
    # "I favor atelectasis"
    ConTextRule("is favored", "POSSIBLE_EXISTENCE", direction="BACKWARD", max_scope=3),
    ConTextRule("favored to represent", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("favor", "POSSIBLE_EXISTENCE", direction="FORWARD"),
    ConTextRule("unlikely", "NEGATED_EXISTENCE", direction="BACKWARD"),
    # "pneumonia was ruled out", "ruled out for MI": the words next to it, not a whole run-on sentence
    ConTextRule("ruled out", "NEGATED_EXISTENCE", direction="BIDIRECTIONAL", max_scope=5),
    ConTextRule("excluded", "NEGATED_EXISTENCE", direction="BACKWARD"),
    ConTextRule("not supported", "NEGATED_EXISTENCE", direction="BACKWARD"),
    ConTextRule("not consistent", "NEGATED_EXISTENCE", direction="BACKWARD"),
    ConTextRule("does not meet criteria for", "NEGATED_EXISTENCE", direction="FORWARD"),
    # "no change in mild hydronephrosis": the finding is there, as before (a pseudo-negation)
    *(
        ConTextRule(f"no {kind}change in", "NEGATED_EXISTENCE", direction="PSEUDO")
        for kind in ("", "interval ", "significant ", "significant interval ", "appreciable ")
    ),
    ConTextRule("no change of", "NEGATED_EXISTENCE", direction="PSEUDO"),
    # "Routine adult health examination without abnormal findings": the examination's own kind (Z00.00), not a
    # negated examination
    *(ConTextRule(f"{neg} abnormal findings", "NEGATED_EXISTENCE", direction="PSEUDO") for neg in ("without", "w/o")),
    # what a product is free of ("influenza vaccine, quadrivalent, preservative free") negates no condition
    *(
        ConTextRule(f"{what}{sep}free", "NEGATED_EXISTENCE", direction="PSEUDO")
        for what in ("preservative", "latex", "gluten", "thimerosal", "sugar", "fragrance")
        for sep in (" ", "-")
    ),
    # "Serology was negative for HIV": the default "was negative" (backward) took the words its "negative
    # for" (forward) shares, and what followed was read as present
    *(
        ConTextRule(f"{verb} negative for", "NEGATED_EXISTENCE", direction="FORWARD")
        for verb in ("was", "were", "is", "are", "came back", "returned")
    ),
    # a test named, then its result: "HIV negative.", "Rapid strep negative, amoxicillin held" (where a word
    # follows, "negative" is a kind: "ER negative breast cancer", "gram negative sepsis")
    ConTextRule(
        "<test> negative.",
        "NEGATED_EXISTENCE",
        direction="BACKWARD",
        max_scope=4,
        pattern=[{"LOWER": {"IN": ["negative", "neg"]}}, {"IS_PUNCT": True}],
        # the test's name, not a condition told before a comma or semicolon ("Pneumonia, COVID-19 negative.": the
        # pneumonia stands)
        on_modifies=lambda _target, _modifier, between: not any(token.text in (",", ";") for token in between),
    ),
    # a finding denied after it is named, as case reports write it ("Hematuria was not observed.")
    *(
        ConTextRule(f"{verb} not {seen}", "NEGATED_EXISTENCE", direction="BACKWARD", max_scope=6)
        for verb in ("was", "were", "is", "are")
        for seen in ("observed", "found", "detected", "seen", "identified", "evidenced", "visualized", "present")
    ),
    ConTextRule("monitor for", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("watch for", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("return if", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("return for", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("precautions for", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("risk of", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("risk for", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("at risk", "HYPOTHETICAL", direction="FORWARD"),
    ConTextRule("status post", "HISTORICAL", direction="FORWARD"),
    ConTextRule("former", "HISTORICAL", direction="FORWARD", max_scope=2),  # "former smoker"
    ConTextRule("s/p", "HISTORICAL", direction="FORWARD"),
    ConTextRule("history of", "HISTORICAL", direction="FORWARD"),
    ConTextRule("hx of", "HISTORICAL", direction="FORWARD"),
    ConTextRule("resolved", "HISTORICAL", direction="BACKWARD"),
    ConTextRule("in remission", "HISTORICAL", direction="BACKWARD"),
    # "with no history of ulcer, presented with melena", "a history of hypertension, presents with chest pain":
    # what the patient presents with is here now (medspacy ends a history's scope at "comes in with" alike)
    # (one rule a phrase: ConText keeps one of two rules matching the same words)
    *(
        ConTextRule(f"{verb} {word}", "PRESENTING", direction="TERMINATE")
        for verb in ("presented", "presents", "presenting")
        for word in ("with", "to")
    ),
    ConTextRule("family history of", "FAMILY", direction="FORWARD"),
    ConTextRule("mother", "FAMILY", direction="FORWARD", max_scope=4),
    ConTextRule("father", "FAMILY", direction="FORWARD", max_scope=4),
    ConTextRule("sister", "FAMILY", direction="FORWARD", max_scope=4),
    ConTextRule("brother", "FAMILY", direction="FORWARD", max_scope=4),
)


@Language.component("openrcm_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: problem lists and plan bullets are written one per line.

    The starts are set in one array: setting ``token.is_sent_start`` token by token re-checks the
    whole Doc each time, which made a long note quadratic."""
    starts = doc.to_array([SENT_START]).astype("int64").reshape((-1, 1))  # -1 ("not a start") wraps back
    after_break = False
    changed = False
    for i, token in enumerate(doc):
        if after_break and starts[i, 0] != 1:
            starts[i, 0] = 1
            changed = True
        after_break = "\n" in token.text_with_ws
    if changed:
        doc.from_array([SENT_START], cast("Ints2d", starts.astype("uint64")))  # -1 wraps as spaCy stores it
    return doc


# After a heading that may carry a parenthetical: a space, "(", anything but ")", ":" (a time's aside) or a
# line break, then "):" and a space or the end, where spaCy would make "(" and "):" tokens of their own; or a
# heading's number ("Procedure 1:", "Procedure #2:"), one of several
_PAREN_CLOSE = r"(?:[ \t]+\((?:[^)\n:]|(?<=\d):(?=\d))*\)|[ \t]+#?\d{1,2})[ \t]*:(?=\s|\Z)"
_NEWLINE = re.compile(NEWLINE_PATTERN)


class _Cut(NamedTuple):
    """One section of a note, in tokens: the heading ``[title_start, title_end)`` and the body up to ``end``."""

    category: str
    title_start: int
    title_end: int
    end: int


class Headings:
    """Finds a note's section headings and cuts it into sections.

    The headings are medspacy ``SectionRule`` phrases matched by its ``MedspacyMatcher`` and kept only at
    the start of a line (medspacy's own start-of-line test), as its Sectionizer keeps them. Headings
    that carry a parenthetical ("Procedures (verbal consent):", "In-office tests (CLIA-waived):") are
    one regular expression anchored at line starts: a token pattern per heading made finding them a
    twentieth of reading a note. The note is cut here rather than by the Sectionizer component,
    which also writes each token's section into a spaCy extension attribute that nothing reads (another
    twentieth of reading a note).
    """

    def __init__(self, nlp: Language) -> None:
        self.matcher = MedspacyMatcher(nlp, name="openrcm_headings", phrase_matcher_attr="LOWER")
        rules = [
            SectionRule(heading if heading.endswith("-") else f"{heading}:", category)
            for category, headings in SECTION_HEADINGS.items()
            for heading in headings
        ]
        # "Addendum 2026-06-12 (R. Kim, MD):" - a dated, signed addendum
        inside = {"ORTH": {"NOT_IN": [")", "):", ":", "\n", "\n\n"]}, "OP": "*"}
        for closer in ([{"ORTH": "):"}], [{"ORTH": ")"}, {"ORTH": ":"}]):  # spaCy keeps "):" as one token
            dated = [{"LOWER": "addendum"}, {"ORTH": {"NOT_IN": ["(", ":", "\n"]}, "OP": "*"}, {"ORTH": "("}]
            rules.append(SectionRule("addendum ... (...):", "addendum", pattern=[*dated, inside, *closer]))
        self.matcher.add(rules)
        groups = [
            f"(?P<{category}>{'|'.join(sorted((_heading_regex(nlp, h) for h in headings), key=len, reverse=True))})"
            for category, headings in SECTION_HEADINGS.items()
            if category in PARENTHETICAL_HEADINGS
        ]
        self.parenthetical = re.compile(rf"^[ \t]*(?:{'|'.join(groups)}){_PAREN_CLOSE}", re.IGNORECASE | re.MULTILINE)
        # a heading alone on its line, without a colon, as EHR templates print them ("History of Present Illness",
        # "Assessment & Plan"); not a letter alone ("S", "A")
        printed = {
            category: sorted((_heading_regex(nlp, h) for h in headings if len(h) > 1), key=len, reverse=True)
            for category, headings in SECTION_HEADINGS.items()
        }
        alone = "|".join(f"(?P<{category}>{'|'.join(forms)})" for category, forms in printed.items())
        self.alone = re.compile(rf"^[ \t]*(?:{alone})[ \t]*$", re.IGNORECASE | re.MULTILINE)

    def __call__(self, doc: Doc, text: str) -> list[_Cut]:
        """The sections of ``doc``, read from ``text`` (``doc.text`` would build the string again)."""
        matches = [(self.matcher.rule_map[doc.vocab.strings[m]].category, s, e) for m, s, e in self.matcher(doc)]
        # headings alone on their lines are the note's headings where it is printed so throughout (three or more): a
        # case report's "Final Diagnosis" line is no visit's assessment
        alone = list(self.alone.finditer(text)) if "\n" in text else []
        for found in itertools.chain(self.parenthetical.finditer(text), alone if len(alone) >= 3 else ()):
            category = cast("str", found.lastgroup)
            span = doc.char_span(found.start(category), found.end(category), alignment_mode="expand")
            if span is not None:
                matches.append((category, span.start, span.end))
        heads = [m for m in prune_overlapping_matches(matches) if is_start_line(m[1], doc, _NEWLINE)]
        cuts = [_Cut("header", 0, 0, heads[0][1] if heads else len(doc))] if not heads or heads[0][1] else []
        ends = [start for _, start, _ in heads[1:]] + [len(doc)] if heads else []
        cuts.extend(_Cut(category, start, end, to) for (category, start, end), to in zip(heads, ends, strict=True))
        return cuts


def _heading_regex(nlp: Language, heading: str) -> str:
    """``heading`` as a regular expression that matches it token by token, as the heading phrases match:
    words apart by one space or tab, punctuation with or without one ("in-office", "a / p")."""
    tokens = [t.text for t in nlp.make_doc(heading)]
    out = re.escape(tokens[0])
    for before, after in itertools.pairwise(tokens):
        out += r"[ \t]" if before[-1].isalnum() and after[0].isalnum() else r"[ \t]?"
        out += re.escape(after)
    return out


_LEXICAL_ATTRS_KEPT = frozenset({LOWER, NORM, IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, LIKE_NUM})


def _plain_word(chunk: str) -> bool:
    return chunk.isascii() and (chunk.isalpha() or chunk.isdigit())


@cache
def _pipeline() -> Language:
    nlp = spacy.blank("en")
    # A word seen for the first time gets its lexical attributes computed, twenty-odd Python functions
    # (word shape, URL and e-mail tests, stop word...); the pipeline's patterns read only the lower-case
    # form, so the other attributes are left at their defaults but for a few cheap flags: a note's
    # first reading tokenizes about a quarter faster.
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]  # (missing from the Vocab stub)
    for attr in [a for a in getters if a not in _LEXICAL_ATTRS_KEPT]:
        del getters[attr]
    # spaCy lists bare whitespace ("\n", "\t", " ") among its tokenizer special cases; they tokenize the
    # same without the rule, but a chunk that hits a special case is never cached, and a note has a line
    # break on every line: without them the tokenizer's cache works and a note is read about 1 ms faster.
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.rules = {k: v for k, v in tokenizer.rules.items() if k.strip() or v != [{ORTH: k}]}
    # a slash ends a word as a comma would ("Noisy breathing and wheezing/."); spaCy splits it only between
    # letters ("cough/fever")
    suffixes = [*(nlp.Defaults.suffixes or ()), "/", r"(?<=/)[.,;:]"]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # A word of ASCII letters only, or of digits only, has no prefix, suffix or infix under these rules
    # (each one takes punctuation or a symbol, or a unit after a digit): it is a token as it stands, and
    # the three searches spaCy would make of it on first sight are skipped (a note's first reading
    # tokenizes in about half the time; the tokens are the same, tests/coding/test_note.py).
    tokenizer.token_match = _plain_word
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";"]})
    nlp.add_pipe("openrcm_line_breaks")
    context: ConText = nlp.add_pipe("medspacy_context", config={"rules": None})
    # medspacy's default rules, but where an extension redefines a phrase ("resolved" is a negation
    # forward by default, a history cue backward here): two rules on one phrase match the same words,
    # and which one ConText keeps depended on the order of the rules' hashed ids
    ours = {rule.literal.lower() for rule in EXTRA_CONTEXT_RULES}
    defaults = ConTextRule.from_json(context.DEFAULT_RULES_FILEPATH)
    context.add([rule for rule in defaults if rule.literal.lower() not in ours] + list(EXTRA_CONTEXT_RULES))
    # A negation's scope ends where a history cue begins: "without known allergies, with a history of
    # dyslipidemia, hypertension" denies the allergies, not the hypertension.
    for rule in context.rules:
        if rule.category == "NEGATED_EXISTENCE" and rule.direction in ("FORWARD", "BIDIRECTIONAL"):
            rule.terminated_by = {*(rule.terminated_by or ()), "HISTORICAL", "PRESENTING"}
        elif rule.category == "HISTORICAL" and rule.direction in ("FORWARD", "BIDIRECTIONAL"):
            rule.terminated_by = {*(rule.terminated_by or ()), "PRESENTING"}
    return nlp


def _assertion(span: Span) -> Assertion:
    ext = span._
    if ext.is_family:
        return Assertion.FAMILY
    if ext.is_negated:
        return Assertion.NEGATED
    if ext.is_hypothetical:
        return Assertion.HYPOTHETICAL
    if ext.is_uncertain:
        return Assertion.UNCERTAIN
    if ext.is_historical:
        return Assertion.HISTORICAL
    return Assertion.PRESENT


# Index main terms that are ordinary words in a note, not conditions.
NOT_CONDITIONS = frozenset(
    {
        "out",
        "visit",
        "care",
        "use",
        "long",
        "term",
        "plan",
        "return",
        "follow",
        "test",
        "status",
        "history",
        "family",
        "risk",
        "result",
        "results",
        "admission",
        "counseling",
        "patient",
        "examination",
        "exam",
        "consultation",
        "evaluation",
        "study",
        "treatment",
        "observation",
        "surgery",
        "procedure",
        "therapy",
        "management",
        "noncompliance",
        "old",  # "6 year old"
        "encounter",
    }
)
# Main terms in a sense a note rarely means: a path from one of them must name its subterm whole.
OTHER_SENSES = frozenset(
    {
        # main terms in a sense a note rarely means: "Nerves" is nervousness (R45.0), "Gas" flatulence
        # (R14.3), "Anesthesia" loss of sensation (R20.0); in notes these are the optic nerve, a blood
        # gas and the anesthesia of a procedure ("under general anesthesia")
        "nerve",
        "nerves",
        "gas",
        "anesthesia",
        "analgesia",
        # ordinary words the flattened Index keeps as main terms ("Plus (and minus) hand", "Focus,
        # Assmann", "Entrance, air into vein", "Consumption - see Tuberculosis")
        "plus",
        "focus",
        "entrance",
        "consumption",
        # an abbreviation with other common senses: "TAC" is also a CT scan (tomografia axial
        # computarizada) and a chemotherapy regimen, not only trigeminal autonomic cephalgia
        "tac",
        # the site of a graft or a flap: the patient is not an organ donor
        "donor",
        # "Toxic (poisoning) (see also condition)": an adjective of another condition ("toxic hepatitis"), or
        # of drug use ("toxic habits")
        "toxic",
        # "Diuresis" is polyuria (R35.89); notes mean the urine output ("diuresis of 200 mL per day") or
        # the treatment ("IV diuresis")
        "diuresis",
        # "Reflex" is an abnormal reflex (R29.2); notes examine reflexes ("plantar reflex flexor")
        "reflex",
        # a position ("right middle lobe"): "Middle, lobe" (J98.19) is named by the syndrome's words
        "middle",
        # "Cold" is the common cold (J00); notes mean a temperature ("cold intolerance", "cold therapy",
        # "a cold nodule" on scintigraphy); the disease is said "common cold" (the lexicon's phrase)
        "cold",
    }
)
NOT_CONDITIONS = NOT_CONDITIONS | OTHER_SENSES
# Main terms whose reference a note's word alone does not follow: "Clot (blood) - see also Embolism"; a
# note's clots are in the urine or a drain ("hematuria with clots"), an embolism (I74.9) is said so.
# The word stays a condition word: "a clot in the bladder" is "Clot, bladder" (N32.89).
REFERRED_ONLY = frozenset({"clot"})


def _plural(term: str) -> str:
    if term.endswith(("s", "x", "ch", "sh")):
        return term + "es"
    if term.endswith("y") and term[-2:-1] not in "aeiou":
        return term[:-1] + "ies"
    return term + "s"


class NoteReader:
    """Builds the pipeline once; ``read`` is then called per note.

    Condition words (the Alphabetic Index's main terms) are found with spaCy's PhraseMatcher in the
    sections a coder codes from, and become the targets ConText gives an assertion status.
    """

    def __init__(
        self,
        condition_terms: Iterable[str],
        descriptors: Iterable[str] = (),
        persons: Iterable[str] = (),
        uncertainty: Iterable[str] = (),
    ) -> None:
        self.nlp = _pipeline()
        # the words that may leave a diagnosis uncertain, as a screen: a visit's chief complaint is read only where
        # one is said (Guidelines IV.H: it is coded in an uncertain diagnosis's place). "or"/"either" are left out:
        # nearly every note says them
        cues = sorted(set(uncertainty) - {"or", "either"})
        self._uncertain = terms_pattern(cues, whole_words=True) if cues else None
        self.headings = Headings(self.nlp)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # A word ConText reads as a cue ("out" in "ruled out") must not also be a target, or the cue is lost.
        context: ConText = self.nlp.get_pipe("medspacy_context")
        cue_words = {w for rule in context.rules for w in rule.literal.lower().split()}
        heads = {t.lower() for t in condition_terms if len(t) > 2} - cue_words - NOT_CONDITIONS
        # the Index names conditions in the singular; notes also write them in the plural ("infections")
        terms = sorted(heads | {_plural(t) for t in heads if t[-1:].isalpha()})
        self.matcher.add("CONDITION", [self.nlp.make_doc(term) for term in terms])
        # a condition's adjective said of the patient: before a word for the patient ("hypertensive patient"),
        # joined to another such adjective ("diabetic and hypertensive", "asthmatic, diabetic woman"), or as
        # what the patient is ("is epileptic.")
        descriptors, persons = sorted(descriptors), sorted(persons)
        self.descriptors = Matcher(self.nlp.vocab)
        # the Matcher weighs every token against every pattern: it is run only on a note that has one of the words
        self._descriptor_words = terms_pattern(descriptors, whole_words=True) if descriptors else None
        adjective = {"LOWER": {"IN": descriptors}}
        person = {"LOWER": {"IN": persons}}
        joined = {"LOWER": {"IN": ["and", "or", ","]}}
        stop = {"IS_PUNCT": True}
        be = {"LOWER": {"IN": ["is", "was", "are", "were", "being", "remains"]}}
        if descriptors and persons:
            self.descriptors.add("DESCRIBES", [[adjective, person]])
            self.descriptors.add(
                "JOINED", [[adjective, joined, adjective, person], [adjective, joined, adjective, stop]]
            )
            self.descriptors.add("IS", [[be, adjective, stop], [be, adjective, joined]])

    def _described(self, doc: Doc, text: str, coded: list[Span]) -> set[tuple[int, int]]:
        """The adjectives said of the patient, as one-token condition words, in the parts coded from
        (``text`` is the doc's: ``doc.text`` would build the string again)."""
        out: set[tuple[int, int]] = set()
        if self._descriptor_words is None or not self._descriptor_words.search(text.lower()):
            return out
        strings = doc.vocab.strings
        for match_id, start, end in self.descriptors(doc):
            kind = strings[match_id]
            at = (start + 1,) if kind == "IS" else (start, start + 2) if kind == "JOINED" else (start,)
            for i in at:
                if i < end and (not coded or any(part.start <= i < part.end for part in coded)):
                    out.add((i, i + 1))
        return out

    def _sentences(self, doc: Doc) -> Doc:
        for name in SENTENCE_COMPONENTS:
            doc = self.nlp.get_pipe(name)(doc)
        return doc

    def read(self, text: str) -> ClinicalNote:
        doc = self._sentences(self.nlp.make_doc(text))
        cuts = self.headings(doc, text)
        context = self.nlp.get_pipe("medspacy_context")
        sections: list[Section] = []
        for cut in cuts:
            heading = doc[cut.title_start : cut.title_end]
            title = heading.text.rstrip(":").strip()
            body = doc[cut.title_end : cut.end]
            start = body.start_char if len(body) else heading.end_char
            sections.append(Section(cut.category, title, start, body.end_char if len(body) else start))
        sections.sort(key=_section_start)  # in note order, for _category_at
        # Condition words are looked for in the sections the coder codes from (assessment, addendum,
        # indication, a visit's chief complaint), or in the whole note when it has none of them (a case report).
        coded = [doc[cut.title_end : cut.end] for cut in cuts if cut.category in CODED_FROM]
        if (
            coded
            and self._uncertain is not None
            and any(self._uncertain.search(text[part.start_char : part.end_char].lower()) for part in coded)
        ):
            # and a visit's chief complaint, read where a diagnosis may be uncertain: the reason for the visit
            # is coded in its place (Guidelines IV.H)
            coded += [doc[cut.title_end : cut.end] for cut in cuts if cut.category == "chief_complaint"]
        headings = {i for cut in cuts for i in range(cut.title_start, cut.title_end)}
        found = [
            (start, end)
            for part in coded or [doc[:]]
            for _, start, end in _filtered(self.matcher(part))
            if not _in_compound(doc, start, end) and start not in headings and not _names_a_vaccine(doc, end)
        ]
        described = self._described(doc, text, coded)
        if described:
            found = sorted(set(found) | described)
        # ConText reads each sentence on its own (a cue's scope ends with its sentence), so it is given
        # only the sentences that hold a condition word: most of the cost of reading a note is ConText,
        # and about half of the assessment's words are in sentences with nothing to qualify.
        # A sentence that begins with a heading is given from the heading's end: ConText reads
        # "Impression: No pneumonia" as "<finding>: no" (a rule that looks backward) and loses the negation.
        bodies = sorted(cut.title_end for cut in cuts)
        sents = list(doc.sents)  # once: Token.sent walks the doc from the token to its sentence's start
        sent_starts = [sent.start for sent in sents]
        sentence_of: list[tuple[int, int]] = []
        for start, end in found:
            sent = sents[bisect.bisect_right(sent_starts, start) - 1]
            after = bodies[bisect.bisect_right(bodies, start) - 1] if bodies and bodies[0] <= start else 0
            s_start, s_end = max(sent.start, after), sent.end
            if s_end - s_start > LONG_SENTENCE:
                # ConText weighs every cue against every condition of a sentence: a run-on "sentence" of
                # thousands of words (commas only) is read in windows, as a coder would read it
                s_start += (start - s_start) // WINDOW * WINDOW
                s_end = min(s_end, max(s_start + WINDOW + 8, end))
            sentence_of.append((s_start, s_end))
        # ConText weighs every cue of a Doc against every condition in it, so a note with hundreds of
        # such sentences is given in batches of BATCH pieces: each piece is read on its own either way.
        pieces = list(dict.fromkeys(sentence_of))
        batch_of = {piece: n // BATCH for n, piece in enumerate(pieces)}
        in_batch: list[list[tuple[int, int, tuple[int, int]]]] = [[] for _ in range(0, len(pieces), BATCH)]
        for (start, end), piece in zip(found, sentence_of, strict=True):
            in_batch[batch_of[piece]].append((start, end, piece))
        mentions: list[Mention] = []
        for batch in range(0, len(pieces), BATCH):
            window: dict[tuple[int, int], int] = {}  # each piece -> its first token in the batch
            tokens: list[int] = []  # the note's token behind each token given to ConText
            for piece in pieces[batch : batch + BATCH]:
                window[piece] = len(tokens)
                tokens.extend(range(*piece))
            firsts = set(window.values())
            region = Doc(
                self.nlp.vocab,
                words=[doc[i].text for i in tokens],
                spaces=[bool(doc[i].whitespace_) for i in tokens],
                sent_starts=[k in firsts for k in range(len(tokens))],
            )
            spans = []
            for start, end, piece in in_batch[batch // BATCH]:
                given = window[piece] + start - piece[0]
                spans.append(Span(region, given, given + end - start, label="CONDITION"))
            region.ents = spans
            for ent in context(region).ents:
                at, to = doc[tokens[ent.start]].idx, doc[tokens[ent.end - 1]].idx + len(doc[tokens[ent.end - 1]])
                mentions.append(Mention(text[at:to], at, to, _category_at(sections, at), _assertion(ent)))
        mentions.sort(key=lambda m: m.start)
        sentences = tuple((sent.start_char, sent.end_char) for sent in sents)
        return ClinicalNote(text, tuple(sections), tuple(mentions), sentences)


CODED_FROM = frozenset({"assessment", "addendum", "indication"})
LONG_SENTENCE = 128  # tokens; longer sentences are given to ConText in windows of WINDOW tokens
WINDOW = 64
BATCH = 16  # sentence pieces given to ConText at once
SENTENCE_COMPONENTS = ("sentencizer", "openrcm_line_breaks")


def _in_compound(doc: Doc, start: int, end: int) -> bool:
    """A word inside a hyphenated compound ("45-year-old", "follow-up") is not a condition mention."""
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    return bool(
        (before is not None and before.text == "-" and not before.whitespace_)
        or (after is not None and after.text == "-" and not doc[end - 1].whitespace_)
    )


# the words after a disease that make it the name of a vaccine against it ("typhoid vaccine", "tetanus booster")
_VACCINE_WORDS = frozenset({"vaccine", "vaccines", "vaccination", "vaccinations", "booster", "immunization", "shot"})


def _names_a_vaccine(doc: Doc, end: int) -> bool:
    """A condition word that names the vaccine after it, not the disease ("Typhoid vaccine discussed")."""
    return end < len(doc) and doc[end].lower_ in _VACCINE_WORDS


def _filtered(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Longest non-overlapping matches, first come first served."""
    taken: list[tuple[int, int, int]] = []
    last_end = -1
    for match in sorted(matches, key=lambda m: (m[1], -(m[2] - m[1]))):
        if match[1] >= last_end:
            taken.append(match)
            last_end = match[2]
    return taken


def _category_at(sections: Sequence[Section], offset: int) -> str:
    """The category of the last section starting at or before ``offset`` (sections are in note order)."""
    at = bisect.bisect_right(sections, offset, key=_section_start)
    return sections[at - 1].category if at else "header"


def _section_start(section: Section) -> int:
    return section.start
