"""The ICD-10-CM Alphabetic Index and its tables, and the walk a coder makes through them.

Sources, all loaded into the same :class:`AlphabeticIndex` shape:

* the CDC index XML (``<ICD10CM.index>`` with ``mainTerm`` / ``term``): the full Index of
  Diseases and Injuries when it is supplied, and the External Cause Index;
* the Neoplasm Table and the Table of Drugs and Chemicals (same XML, with ``cell`` columns);
* the flattened CSV of the Index (RowID, Letter, Level, Term, See, SeeAlso, NonEssModif, Code),
  used when the full XML is not available (it lacks manifestation codes and ``see category``).

The walk (:func:`AlphabeticIndex.search`) follows the Index conventions of domain-rules §1.3:
find the main term (the condition), descend through subterms as far as the words support,
treat non-essential modifiers as optional, pass through "with"/"in"/"due to" connectives
(the "with" convention), and follow mandatory ``see`` references.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from openrcm.codesets.icd10cm.model import IndexTerm
from openrcm.codesets.sources import read_csv_rows, read_xml
from openrcm.core.errors import DataFileError

_WORD_RE = re.compile(r"[a-z0-9]+")
_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
_ADJECTIVE = re.compile(r"(?:al|ive|ed|ic|ous|ant|ent|ing|ary|ory)$")
# "Crohn's": the name, not a word "s" that every eponym shares ("Abrami's disease")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_NEMOD_RE = re.compile(r"\(([^()]*)\)")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
# "his" too: "Disease, His (-Werner)" is trench fever, "his disease" the patient's
STOPWORDS = frozenset(
    {"of", "the", "a", "an", "and", "or", "to", "by", "for", "on", "at", "as", "is", "nos", "with", "his"}
)
# Subterms that name a kind of site, under which the Index lists the sites ("Pain, joint, knee",
# "Pain, limb, lower"): a note names the site and leaves the kind unsaid.
SITE_KINDS = frozenset({"joint", "limb", "site", "region", "extremity", "part"})
# a subterm that only groups the sites under it, as "by site" does: "Foreign body, entering through orifice, ear"
_GROUPING_WORDS = frozenset({"entering", "through", "orifice"})
SITE_HEADINGS = SITE_KINDS | {"classification"} | _GROUPING_WORDS  # "Lipoma, site classification, arms"
_PARENTHESES = re.compile(r"\([^)]*\)")
_POSITIONS = frozenset({"upper", "lower", "left", "right", "middle", "anterior", "posterior", "bilateral"})
# (and "on": "Dependence, on, wheelchair" Z99.3)
_ACUITY = frozenset({"acute", "subacute", "chronic", "nec"})
# the words of a subterm a walk may pass unsaid: where and when, not what ("lower end", "peripheral", "acute")
_PASSABLE = _POSITIONS | _ACUITY | {"end", "part", "peripheral", "proximal", "distal", "central", "region", "site"}
_AXES = _POSITIONS | _ACUITY | {"displaced", "nondisplaced", "unilateral", "initial", "subsequent", "with", "without"}
CONNECTIVES = frozenset({"with", "in", "due to", "associated with", "following", "during", "on"})


# Plurals the rules below would cut wrong ("sinuses" is no "sinuse").
IRREGULAR_PLURALS = {
    "sinuses": "sinus",
    "viruses": "virus",
    "fetuses": "fetus",
    "foetuses": "fetus",
    "feet": "foot",
    # Latin and Greek plurals notes use ("bleeding esophageal varices", "bone metastases"); the Index names the
    # singular ("Varix, esophagus", "Metastasis, metastatic")
    "varices": "varix",
    "metastases": "metastasis",
    "vertebrae": "vertebra",
    "bullae": "bulla",
    "calculi": "calculus",
    "thrombi": "thrombus",
    "emboli": "embolus",
    "fistulae": "fistula",
    "bronchi": "bronchus",
    "diverticula": "diverticulum",
    "appendices": "appendix",
    "condylomata": "condyloma",
    "testes": "testis",
    "cervices": "cervix",
    "patellae": "patella",  # "chondromalacia patellae" is "Chondromalacia, patella"
    # and ordinals written in figures: the Index has "Hemorrhoids, 2nd degree" and "Block, atrioventricular, first
    # degree"; notes write either
    # the injury said as what happened to the part ("sprained left ankle", "fractured right wrist", "bruised thigh");
    # "dislocated" and "lacerated" take the rule for "-ated" below
    "sprained": "sprain",
    "strained": "strain",
    "fractured": "fracture",
    "bruised": "bruise",
    # Roman numerals the Index writes ("Salter-Harris, Type II") read as the lexicon spells "type II" ("type 2");
    # not "i" (the pronoun) nor "iv" (intravenous)
    "ii": "2",
    "iii": "3",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
}


def stem(word: str) -> str:
    """A light stemmer: enough to match "ulcers" with "ulcer", "keratoses" with "keratosis"."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) > 5 and word.endswith("oses"):
        return word[:-4] + "osis"
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("sses", "shes")):
        return word[:-2]  # "abscesses", "masses", "rashes" ("headaches" keeps its e: "-ches" is not here)
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return ORGAN_NOUNS.get(word[:-1], word[:-1])  # "testicles"
    if len(word) > 7 and word.endswith("ated"):
        return word[:-4] + "ation"  # "duplicated kidney" is the Index's "Duplication, kidney"
    return ORGAN_NOUNS.get(word, word)


# An organ's adjective is its noun: the Index writes "Duplication, kidney" and "Failure, renal", notes
# "renal duplication" and "kidney failure"; both sides of a match are read through this.
ORGAN_NOUNS = {
    "renal": "kidney",
    "pulmonary": "lung",
    "hepatic": "liver",
    "cardiac": "heart",
    "gastric": "stomach",
    "pleural": "pleura",
    "testicular": "testis",
    "ovarian": "ovary",
    "uterine": "uterus",
    "vaginal": "vagina",
    "prostatic": "prostate",
    "pancreatic": "pancreas",
    "splenic": "spleen",
    "esophageal": "esophagus",
    "duodenal": "duodenum",
    "colonic": "colon",
    "meniscal": "meniscus",
    "rectal": "rectum",
    "bronchial": "bronchus",
    "tracheal": "trachea",
    "laryngeal": "larynx",
    "pharyngeal": "pharynx",
    "mammary": "breast",
    "aortic": "aorta",
    "peritoneal": "peritoneum",
    "urethral": "urethra",
    "ureteral": "ureter",
    "vesical": "bladder",
    "intestinal": "intestine",
    "cerebellar": "cerebellum",
    "ocular": "eye",
    "cutaneous": "skin",
    "osseous": "bone",
    "venous": "vein",
    "arterial": "artery",
    "lingual": "tongue",
    "calyceal": "calyx",
    "caliceal": "calyx",
    "testicle": "testis",  # a noun the Index also writes "testis" ("Pain, testis")
    "corneal": "cornea",
    "conjunctival": "conjunctiva",
    "retinal": "retina",
    "scleral": "sclera",
    "choroidal": "choroid",
    "orbital": "orbit",
    "pericardial": "pericardium",
    "penile": "penis",
    "scrotal": "scrotum",
    "vulvar": "vulva",
    "anal": "anus",
    "axillary": "axilla",
    "tonsillar": "tonsil",
    # the bones ("fracture of the left radial styloid" is "Fracture, radius, lower end, styloid process")
    "femoral": "femur",
    "radial": "radius",
    "ulnar": "ulna",
    "tibial": "tibia",
    "fibular": "fibula",
    "humeral": "humerus",
    "clavicular": "clavicle",
    "scapular": "scapula",
    "patellar": "patella",
    "calcaneal": "calcaneus",
    "sternal": "sternum",
    "sacral": "sacrum",
}

_ORGANS = frozenset(ORGAN_NOUNS.values())


def fold_accents(text: str) -> str:
    """``text`` without its diacritics ("sjögren" -> "sjogren", "behçet" -> "behcet")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=200_000)
def words(text: str) -> tuple[str, ...]:
    """Content words of a term or a query, lower case and stemmed, without stop words.

    A title made only of stop words (the subterm "A" under Influenza) keeps them.
    """
    # the Tabular writes "left nondominant side" (G81.94) and "left non-dominant side" (I69.354)
    # and "toe(s)" for one toe or more (M79.674 "Pain in right toe(s)")
    lowered = text.lower().replace("(s)", "") if "(s)" in text else text.lower()
    if not lowered.isascii():
        lowered = fold_accents(lowered)  # the Index writes "Sjögren", "Guillain-Barré"; notes often do not
    tokens = _WORD_RE.findall(_POSSESSIVE.sub("", lowered).replace("non-dominant", "nondominant"))
    kept = tuple(stem(w) for w in tokens if w not in STOPWORDS)
    return kept if kept or not tokens else tuple(tokens)


@dataclass(frozen=True, slots=True)
class IndexHit:
    """One path through the Index and what it ends on."""

    index: str
    path: tuple[str, ...]
    code: str | None
    manifestation: str | None
    cells: tuple[tuple[str, str | None], ...]
    see_also: str | None
    matched: int
    penalty: float
    explicit: int  # query words matched by titles themselves (not only by non-essential modifiers)
    unmatched_query: tuple[str, ...]
    term_id: int
    followed_see: tuple[str, ...] = ()

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)


@dataclass(slots=True)
class AlphabeticIndex:
    """An index (or table) as a flat list of terms; main terms are those with ``parent == -1``."""

    name: str
    version: str
    terms: list[IndexTerm]
    headings: tuple[str, ...] = ()
    implicit_main_term: bool = False
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_title: dict[str, int] = field(default_factory=dict)
    by_head: dict[str, int] = field(default_factory=dict)  # "diabetes" for "Diabetes, diabetic"
    # every main term of a head: "fracture" for "Fracture, burst", "Fracture, pathological", "Fracture, traumatic"
    heads: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # per term: the content words of its title, and of its non-essential modifiers
    title_words: list[frozenset[str]] = field(default_factory=list)
    nemod_words: list[frozenset[str]] = field(default_factory=list)
    vocabulary: frozenset[str] = frozenset()  # every word a title or modifier uses
    # for terms with many subterms: word -> the subterms whose titles use it, and the connectives
    child_words: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    child_connectives: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # see references resolved so far (a walk follows the same few again and again)
    resolved: dict[str, tuple[IndexTerm, frozenset[str], bool] | None] = field(default_factory=dict)
    # per main term with a subterm naming a kind of site: word -> (subterm, sub-subterm) pairs whose second
    # title uses it
    grand_words: dict[int, dict[str, tuple[tuple[int, int], ...]]] = field(default_factory=dict)
    # subterms that only name the main term's own kind ("Melanoma, skin": both C43.9)
    default_kinds: set[int] = field(default_factory=set)
    paths: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)  # path_of's answers so far
    below: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)  # children_words's answers so far
    # per codeless term, its subterm "not specified as ..." (the Index's default), or -1 (default_child's answers)
    defaults: dict[int, int] = field(default_factory=dict, repr=False)
    # subterms a walk passes through ("with", "in"): a connective without a code of its own, or a title of
    # stop words only
    passages: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not self.by_word:
            self._build_lookup()

    def _build_lookup(self) -> None:
        self.title_words = [frozenset(words(t.title)) for t in self.terms]
        self.nemod_words = [frozenset(_nemod_words(t)) for t in self.terms]
        self.vocabulary = frozenset().union(*self.title_words, *self.nemod_words)
        # a connective, a codeless subterm of stop words only ("At risk, for, falling" Z91.81), and one that heads
        # the phrases below it ("Detachment, retina, with retinal:, break" H33.00-)
        self.passages = frozenset(
            t.id
            for t in self.terms
            if (
                (t.title.lower() in CONNECTIVES or self.title_words[t.id] <= STOPWORDS or t.title.endswith(":"))
                and t.code is None
            )
            or not self.title_words[t.id]
        )
        for term in self.terms:
            if len(term.children) < 24:
                continue
            children_by_word: dict[str, list[int]] = {}
            connectives: list[int] = []
            for child_id in term.children:
                title_words = self.title_words[child_id]
                if child_id in self.passages or self.terms[child_id].title.lower() in CONNECTIVES or not title_words:
                    connectives.append(child_id)
                for word in title_words:
                    children_by_word.setdefault(word, []).append(child_id)
            self.child_words[term.id] = {w: tuple(ids) for w, ids in children_by_word.items()}
            self.child_connectives[term.id] = tuple(connectives)
        for term in self.terms:
            if term.parent != -1:
                continue
            pairs: dict[str, list[tuple[int, int]]] = {}
            default = self._default_kind(term)
            for child_id in term.children:
                if (self.title_words[child_id] and self.title_words[child_id] <= SITE_HEADINGS) or child_id == default:
                    self._place_under(term.id, child_id, pairs)
                elif self.title_words[child_id] - {"nec"} == {"drug"}:
                    # "Dependence, drug NEC, hallucinogen" (F16.20): the drugs said without "drug"
                    self._place_under(term.id, child_id, pairs)
                elif self._limb_of_sites(child_id):
                    # "Ulcer, lower limb": the limb's sites ("calf") said without it
                    self._place_under(term.id, child_id, pairs)
                elif self._without_by_site(child_id):
                    # "Spondylosis, without myelopathy or radiculopathy, lumbar region" (M47.816): a site said
                    # with neither is placed under it, the main term's own default (M47.9) having no sites
                    self._place_under(term.id, child_id, pairs)
                    self.default_kinds.add(child_id)
            if pairs:
                self.grand_words[term.id] = {w: tuple(ids) for w, ids in pairs.items()}
        by_word: dict[str, list[int]] = {}
        heads: dict[str, list[int]] = {}
        for term in self.terms:
            if term.parent != -1:
                continue
            self.by_title.setdefault(term.title.lower(), term.id)
            self.by_head.setdefault(term.title.split(",")[0].strip().lower(), term.id)
            heads.setdefault(term.title.split(",")[0].strip().lower(), []).append(term.id)
            for word in self.title_words[term.id]:
                by_word.setdefault(word, []).append(term.id)
        self.by_word = {w: tuple(ids) for w, ids in by_word.items()}
        self.heads = {h: tuple(ids) for h, ids in heads.items()}

    def _limb_of_sites(self, child_id: int) -> bool:
        """A subterm naming a limb ("lower limb") whose own subterms are all sites, not degrees ("Burn, upper limb,
        second degree")."""
        title = self.title_words[child_id]
        return (
            bool(title & SITE_KINDS)
            and title <= SITE_HEADINGS | _POSITIONS
            and not any("degree" in self.title_words[g] for g in self.terms[child_id].children)
        )

    def _without_by_site(self, child_id: int) -> bool:
        """A "without ..." subterm with a code of its own whose subterms are all sites ("Spondylosis, without
        myelopathy or radiculopathy": "cervical region", "facet joint"), not kinds ("Migraine, without aura")."""
        child = self.terms[child_id]
        return (
            child.title.lower().startswith("without ")
            and child.code is not None
            and bool(child.children)
            and all(self.title_words[g] & SITE_KINDS for g in child.children)
        )

    def _place_under(self, term_id: int, child_id: int, pairs: dict[str, list[tuple[int, int]]]) -> None:
        for grand_id in self.terms[child_id].children:
            for word in self.title_words[grand_id]:
                pairs.setdefault(word, []).append((child_id, grand_id))
            if self.title_words[grand_id] and self.title_words[grand_id] <= _POSITIONS:
                # "Pain, limb, upper, forearm": the sites under a position are placed too, its words unsaid at a cost
                for great_id in self.terms[grand_id].children:
                    for word in self.title_words[great_id]:
                        pairs.setdefault(word, []).append((child_id, great_id))

    def place_under_default_kinds(self, title: Callable[[str], str | None]) -> None:
        """Sites said without a kind are looked for under the subterm the main term's own code is titled by
        (``title``: a code's Tabular title): "Melanoma" and "Melanoma, skin" are both C43.9, "Malignant melanoma
        of skin, unspecified", so "melanoma of the back" is "Melanoma, skin, back" (C43.59), as "knee pain" is
        "Pain, joint, knee"."""
        for term in self.terms:
            if term.parent != -1 or not term.code:
                continue
            own = title(term.code)
            if own is None:
                continue
            titled = set(words(own))
            for child_id in term.children:
                child = self.terms[child_id]
                kind = self.title_words[child_id]
                # the code's title says the kind ("of skin"), or the kind is the skin itself ("Nevus, skin": D22.9
                # is "Melanocytic nevi, unspecified")
                if (
                    child.code != term.code
                    or not kind
                    or not (kind <= titled or kind == {"skin"})
                    or not child.children
                ):
                    continue
                self.default_kinds.add(child_id)
                pairs = {w: list(ids) for w, ids in self.grand_words.get(term.id, {}).items()}
                self._place_under(term.id, child_id, pairs)
                self.grand_words[term.id] = {w: tuple(dict.fromkeys(ids)) for w, ids in pairs.items()}

    def restore_lost_codes(self, tabular_phrases: dict[frozenset[str], str]) -> int:
        """Give a term the flattening left with nothing (no code, reference or subterm) the one Tabular code whose
        title or inclusion term says its path word for word ("Otalgia" H92.0-, "Tympanosclerosis" H74.0-);
        ``tabular_phrases``: those words -> the code, as the Index writes it. Returns how many were restored."""
        restored = 0
        for term in self.terms:
            if term.code or term.see or term.see_also or term.children or term.cells:
                continue
            said = frozenset(w for title in self.path_of(term.id) for w in words(title))
            code = tabular_phrases.get(said)
            if code is not None:
                self.terms[term.id] = replace(term, code=code)
                restored += 1
        return restored

    def default_kind_words(self, term_id: int) -> frozenset[str]:
        """The words of the subterms above ``term_id`` that only name its main term's own kind ("skin" in
        "Melanoma, skin, back")."""
        out: set[str] = set()
        node = self.terms[term_id].parent
        while node != -1:
            if node in self.default_kinds:
                out |= self.title_words[node]
            node = self.terms[node].parent
        return frozenset(out)

    def _default_kind(self, term: IndexTerm) -> int | None:
        """The subterm that is the condition's default kind, where the Index says its "primary" form is
        another subterm ("Gout, primary - see Gout, idiopathic"): a site said without a kind is placed
        under it ("gout of the left knee" is idiopathic gout of the knee, M10.06-)."""
        for child_id in term.children:
            child = self.terms[child_id]
            if child.title.lower() == "primary" and child.see and not child.code:
                parts = [p.strip().lower() for p in child.see.split(",")]
                title = [p.strip().lower() for p in term.title.split(",")]
                # "Gout, chronic, idiopathic" from "Gout, chronic"; "Gout, idiopathic" from "Gout, gouty"
                for own in (title, title[:1]):
                    if parts[: len(own)] == own and len(parts) == len(own) + 1:
                        kind = parts[-1]
                        return next((c for c in term.children if self.terms[c].title.lower() == kind), None)
        return None

    def candidate_children(self, term_id: int, remaining: frozenset[str]) -> tuple[int, ...]:
        """The subterms a walk with these words left can enter, in the Index's order."""
        by_word = self.child_words.get(term_id)
        if by_word is None:
            return self.terms[term_id].children
        found = set(self.child_connectives[term_id])
        for word in remaining:
            found.update(by_word.get(word, ()))
        return tuple(sorted(found))

    def children_words(self, term_id: int) -> frozenset[str]:
        """Every word the titles of a term's subterms use."""
        found = self.below.get(term_id)
        if found is None:
            found = frozenset().union(*(self.title_words[c] for c in self.terms[term_id].children))
            self.below[term_id] = found
        return found

    def default_child(self, term_id: int) -> int:
        """The subterm a codeless term names as its default ("Colitis, Clostridioides difficile, not specified as
        recurrent"), or -1."""
        found = self.defaults.get(term_id)
        if found is None:
            found = self.defaults[term_id] = next(
                (
                    c
                    for c in self.terms[term_id].children
                    if self.terms[c].code and self.terms[c].title.lower().startswith("not specified as ")
                ),
                -1,
            )
        return found

    def grandchildren(self, term_id: int, remaining: frozenset[str]) -> list[tuple[int, int]]:
        """A main term's sub-subterms whose titles use one of the words, under a subterm that names a kind
        of site ("Pain" -> "joint" -> "knee")."""
        by_word = self.grand_words.get(term_id)
        if not by_word:
            return []
        found: set[tuple[int, int]] = set()
        for word in remaining:
            found.update(by_word.get(word, ()))
        return sorted(found)

    def _unsaid_conditions(self, titles: tuple[str, ...], query: frozenset[str]) -> int:
        """How many words the subterm titles leave unsaid are themselves conditions: of "Solitary, cyst,
        kidney" and "Solitary, kidney, congenital" for "solitary kidney", the first names a cyst the
        query does not, the second only qualifies ("Congenital - see also condition")."""
        count = 0
        for title in titles:
            for word in unsaid_words(title, frozenset(words(title)), query):
                head = self.by_head.get(word)
                term = self.terms[head] if head is not None else None
                if term is not None and "condition" not in (term.see or "") + (term.see_also or ""):
                    count += 1
        return count

    def main_terms(self) -> list[IndexTerm]:
        return [t for t in self.terms if t.parent == -1]

    def _tie_key(
        self,
        term_id: int,
        query: frozenset[str],
        said: frozenset[str],
        pairs: tuple[tuple[str, str], ...],
        siblings: dict[int, set[str]],
    ) -> tuple[int, int, int, int, tuple[str, ...]]:
        """Of paths that say as much at the same cost: the fewest unsaid conditions in the subterms, the
        shallowest, the one that ends on the head of a compound the query writes rather than on its modifier
        ("hair dye" is a dye: "due to, dyes", not its sibling "due to, hair"), the most words written as the
        query writes them."""
        path = self.path_of(term_id)
        return (
            self._unsaid_conditions(path[1:], query),
            len(path),
            self._ends_on_modifier(term_id, pairs, siblings),
            -_literal(path, said),
            path,
        )

    def _ends_on_modifier(self, term_id: int, pairs: tuple[tuple[str, str], ...], siblings: dict[int, set[str]]) -> int:
        """1 where the subterm says the first of two words the query writes together and a tied sibling
        subterm says the second, the compound's head."""
        parent = self.terms[term_id].parent
        if parent == -1:
            return 0
        last, others = self.title_words[term_id], siblings[parent]
        return int(any(first in last and head in others and head not in last for first, head in pairs))

    def cells_of(self, term: IndexTerm) -> tuple[tuple[str, str | None], ...]:
        """A table row's cells by column heading (empty for an Index term)."""
        return tuple(zip(self.headings, term.cells, strict=False)) if term.cells else ()

    def path_of(self, term_id: int) -> tuple[str, ...]:
        path = self.paths.get(term_id)
        if path is None:
            path = self.paths[term_id] = self._path_of(term_id)
        return path

    def _path_of(self, term_id: int) -> tuple[str, ...]:
        titles: list[str] = []
        current = term_id
        while current != -1:
            term = self.terms[current]
            titles.append(term.title)
            current = term.parent
        return tuple(reversed(titles))

    def resolve(self, reference: str) -> IndexTerm | None:
        """Find the term a ``see`` / ``see also`` reference names ("Diabetes, type 1")."""
        found = self.resolve_path(reference)
        return found[0] if found else None

    def resolve_path(self, reference: str) -> tuple[IndexTerm, frozenset[str], bool] | None:
        """The term a reference names, and the words of the reference the resolution used.

        "Bite, by site, superficial, insect" stops at "Bite": the site comes from the query, and the
        words after "by site" are left for the walk to match.
        """
        if reference not in self.resolved:
            self.resolved[reference] = self._resolve_path(reference)
        return self.resolved[reference]

    def _resolve_path(self, reference: str) -> tuple[IndexTerm, frozenset[str], bool] | None:
        parts = [p.strip() for p in reference.split(",") if p.strip()]
        # A main term's own title may hold commas ("Diabetes, diabetic"): try the longest prefix first.
        for cut in range(len(parts), 0, -1):
            head = ", ".join(parts[:cut]).lower()
            start = self.by_title.get(head)
            # "see Fracture, radius, lower end": of the main terms headed "Fracture" ("Fracture, burst",
            # "Fracture, pathological", "Fracture, traumatic"), the one the rest of the reference is under
            starts = (start,) if start is not None else self.heads.get(head, ())
            first: tuple[IndexTerm, frozenset[str], bool] | None = None
            for start in starts:
                found = self._follow(start, head, parts[cut:])
                if found[2]:
                    return found
                first = first or found
            if first is not None:
                return first
        return None

    def _follow(self, start: int, head: str, parts: list[str]) -> tuple[IndexTerm, frozenset[str], bool]:
        """The subterms ``parts`` name under the main term ``start``, as far as they go."""
        node = self.terms[start]
        used = set(words(head))
        complete = True
        consumed = 0
        for part in parts:
            target = set(_reference_words(part))
            best: IndexTerm | None = None
            if part.lower().startswith("by "):
                # "Diabetes, by type, with hyperglycemia": the type is the one the note says, not "specified type NEC"
                complete = False
                break
            for child_id in node.children:
                child = self.terms[child_id]
                child_words = self.title_words[child_id] - {"nec", "nos"}
                if child_words == target:
                    best = child
                    break
                if best is None and target and target <= child_words and len(child_words) <= len(target) + 1:
                    best = child
            if best is None:
                complete = False
                break
            node = best
            used |= target
            consumed += 1
        if not complete:
            # the references are written by hand: a subterm titled with a comma ("Loss, ossicles, ear"), words in
            # another order ("Diverticulosis, intestine, large"), a connective and its subterm as one ("Dependence,
            # drug, opioid, with intoxication"), or a first match whose sibling holds the rest ("Disease, heart,
            # ischemic": "heart" and "cardiac" are one word here); the path that goes furthest is taken
            found = self._search_parts(start, parts, 0)
            if found[2] > consumed:
                return self.terms[found[0]], frozenset(set(words(head)) | found[1]), found[2] == len(parts)
        return node, frozenset(used), complete

    def _search_parts(self, node_id: int, parts: list[str], at: int) -> tuple[int, frozenset[str], int]:
        """The deepest subterm the reference's ``parts`` from ``at`` lead to under ``node_id``: (term, the words
        used, parts consumed)."""
        best: tuple[int, frozenset[str], int] = (node_id, frozenset(), at)
        if at == len(parts) or parts[at].lower().startswith("by "):
            return best
        children = self.terms[node_id].children
        for span in (1, 2):
            if at + span > len(parts):
                break
            target = _reference_words(", ".join(parts[at : at + span]))
            if not target:
                continue
            first = parts[at].split()[0].lower()
            for child_id in children:
                child_words = self.title_words[child_id] - {"nec", "nos"}
                title = self.terms[child_id].title.lower()
                steps: list[tuple[int, frozenset[str]]] = []
                if child_words == target or (target <= child_words and len(child_words) <= len(target) + 1):
                    steps.append((child_id, target))
                elif title in CONNECTIVES and title == first and span == 1:
                    # "with intoxication": the connective, then its subterm
                    rest = frozenset(words(parts[at][len(first) :])) - {"nec", "nos"}
                    for grand_id in self.terms[child_id].children:
                        if rest and self.title_words[grand_id] - {"nec", "nos"} == rest:
                            steps.append((grand_id, target))
                for step, used in steps:
                    found = self._search_parts(step, parts, at + span)
                    if found[2] > best[2]:
                        best = (found[0], used | found[1], found[2])
        return best

    def search(self, query: str, limit: int = 5) -> list[IndexHit]:
        """Walk the index for ``query`` as a coder would; the best paths first.

        Paths are ranked by how many query words they account for, then by how many words of
        their titles the query did not mention, then by depth.
        """
        if "." in query:
            # a measurement ("creatinine 1.5", "eGFR 52.4", "BMI 34.2") is no Index subterm: its figures are not a
            # stage or a class ("Chronic kidney disease, stage 5" N18.5 from "1.5")
            query = _DECIMAL.sub(" ", query)
        q = words(query)
        if not q:
            return []
        qset = set(q)
        starts: set[int] = set()
        for word in qset:
            starts.update(self.by_word.get(word, ()))
        if self.implicit_main_term:
            starts.update(t.id for t in self.terms if t.parent == -1)
        walk = _Walk(self, qset)
        walk.negated = negated_words(query)
        for start in sorted(starts):  # a set's order varies with the hash seed; the walk must not
            title_words = self.title_words[start]
            term = self.terms[start]
            consumed = title_words & qset
            if not consumed and not self.implicit_main_term:
                continue
            remaining = frozenset(qset - consumed)
            optional = frozenset(self.nemod_words[start] & qset)
            # "Hyperlipemia, hyperlipidemia": variant forms are alternatives, the closest one counts; a
            # subterm folded into the title ("Anectasis, pulmonary") leaves the main term unsaid; it is a
            # subterm, and a subterm's words the query does not say cost as any subterm's do ("Drop, foot")
            extra = (
                0.0
                if self.implicit_main_term
                else 0.25 * len(unsaid_words(term.title, title_words, walk.query, either=True))
            )
            walk.visit(start, remaining, extra, (), 0, optional)
        # Ranked by how much of the query a path says, then by its cost; only paths tied on those are told
        # apart by the costlier keys below, and only as far down as the ``limit`` best need.
        found = sorted(walk.hits, key=lambda h: (-h[0], -h[1], h[2]))
        # of paths alike, the one whose titles use the query's own words: "aortic stenosis" is "Stenosis,
        # aortic (valve)" (I35.0), not "Stenosis, aorta" (Q25.1), which reads the same once adjectives are nouns
        said = frozenset(_WORD_RE.findall(query.lower()))
        # one path per code and main term: "Atelectasis" (J98.11) is kept beside "Right middle lobe
        # syndrome" (J98.11 too), so that the coder can choose the path that starts at the condition named
        # (and a path reached by a see-reference beside the one walked directly: "without psychotic features"
        # must not lose "Disorder, depressive, major, recurrent" to "Psychosis, ... - see Disorder, depressive")
        seen: set[tuple[str | None, tuple[tuple[str, str | None], ...], str, bool]] = set()
        best: list[IndexHit] = []
        start = 0
        while start < len(found) and len(best) < limit:
            end = start + 1
            while end < len(found) and found[end][:3] == found[start][:3]:
                end += 1
            tied = found[start:end]
            start = end
            if len(tied) > 1:
                # the words that end tied paths, by the term they are subterms of ("due to": "hair", "dyes")
                siblings: dict[int, set[str]] = {}
                for raw in tied:
                    siblings.setdefault(self.terms[raw[3]].parent, set()).update(self.title_words[raw[3]])
                pairs = _adjacent_words(query)
                tied.sort(key=lambda raw: self._tie_key(raw[3], walk.query, said, pairs, siblings))
            for raw in tied:
                term = self.terms[raw[3]]
                referred = bool(raw[5]) and not self.implicit_main_term  # a table's rows refer to rows
                key = (term.code, self.cells_of(term), self.path_of(raw[3])[0], referred)
                if key in seen:
                    continue
                seen.add(key)
                best.append(walk.hit(raw))
                if len(best) >= limit:
                    break
        return best


@functools.lru_cache(maxsize=4096)
def _adjacent_words(query: str) -> tuple[tuple[str, str], ...]:
    """The query's content words written one after the other, no stop word between ("hair dye"), stemmed."""
    tokens = _WORD_RE.findall(query.lower())
    return tuple(
        (stem(a), stem(b))
        for a, b in itertools.pairwise(tokens)
        # the second a noun: "perineal testicular pain" is two adjectives, neither the other's head
        if a not in STOPWORDS and b not in STOPWORDS and not _ADJECTIVE_ENDING.search(b) and stem(a) != stem(b)
    )


_ADJECTIVE_ENDING = re.compile(r"(?:al|ar|ic|ous|ive|ary|ed|ful|less|oid|ile)$")


def _literal(path: tuple[str, ...], said: frozenset[str]) -> int:
    """How many words of a path's titles the query says as written (not only as the same stem or organ)."""
    return sum(1 for title in path for word in _written_words(title) if word in said)


@functools.lru_cache(maxsize=65_536)
def _written_words(title: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(title.lower()))


# a path found: query words matched, matched by titles themselves, cost, the term, words left, references followed
_RawHit = tuple[int, int, float, int, frozenset[str], tuple[str, ...]]


class _Walk:
    """One search: visits terms depth-first, remembering where it has been."""

    def __init__(self, index: AlphabeticIndex, query: set[str]) -> None:
        self.index = index
        self.total = len(query)
        self.query = frozenset(query)
        self.organs = self.query & _ORGANS
        self.hits: list[_RawHit] = []
        self.visited: dict[tuple[int, frozenset[str], bool], float] = {}
        self.negated: frozenset[str] = frozenset()

    def _said_whole(self, term: IndexTerm) -> bool:
        """Whether the query says a main term whole, or its first form where the others are variants of it
        ("necrosis" says "Necrosis, necrotic"; "allergic" does not say "Allergy, allergic")."""
        if self.index.title_words[term.id] <= self.query:
            return True
        return "," in term.title and any(form <= self.query for form in _noun_forms(term.title))

    def visit(
        self,
        term_id: int,
        remaining: frozenset[str],
        penalty: float,
        followed: tuple[str, ...],
        depth: int,
        optional: frozenset[str] = frozenset(),
    ) -> None:
        """Non-essential modifiers (``optional``) count as matched but stay available to subterms."""
        # a main term reached through a see-reference first ("Body, foreign - see Foreign body") is walked again where
        # the query names it itself, with the steps a direct walk takes (the site kind's: "entering through orifice")
        term_here = self.index.terms[term_id]
        key = (term_id, remaining, not followed and term_here.parent == -1 and self._said_whole(term_here))
        if depth > 16 or self.visited.get(key, float("inf")) <= penalty:
            return
        self.visited[key] = penalty
        index = self.index
        terms = index.terms
        term = terms[term_id]
        descended = False
        passages = index.passages
        title_words = index.title_words
        organs = self.organs
        for child_id in index.candidate_children(term_id, remaining):
            child_words = title_words[child_id]
            if child_id in passages:
                # "with": conditions listed under it are presumed linked (the "with" convention); a
                # connective with a code of its own is a subterm the flattening cut short ("Gout, in
                # (due to) renal impairment" is "in"), entered only by its words
                rest = remaining - child_words
                if not rest - self.negated - {"without"}:
                    continue  # "type 2 diabetes without complications" enters no "with, complication"
                if any(
                    title_words[g] & rest
                    or (
                        index.children_words(g) & rest
                        and any(
                            _names_kind(title_words[k], rest | organs if organs else rest, optional)
                            for k in terms[g].children
                        )
                    )
                    for g in terms[child_id].children
                ):
                    self.visit(child_id, rest, penalty, followed, depth + 1, optional)
                    descended = True
                continue
            if not child_words & remaining:
                nemod = index.nemod_words[child_id]
                via: frozenset[str] = frozenset()
                if nemod and not nemod.isdisjoint(remaining):
                    # a modifier said whole ("HIV (human immunodeficiency virus)" is not said by "human")
                    via = via.union(
                        *(m for mod in terms[child_id].nonessential if (m := frozenset(words(mod))) <= remaining)
                    )
                if via and index.children_words(child_id) & (remaining - via) - index.children_words(term_id):
                    # "mixed urinary incontinence": "Incontinence, urine (urinary), mixed", the subterm said in the
                    # form its modifier gives, where a subterm below it is said too that the term itself does not
                    # list ("stress urinary incontinence" is "Incontinence, stress")
                    extra = 0.25 * len(child_words - self.query)
                    self.visit(child_id, remaining - via, penalty + extra, followed, depth + 1, optional)
                    descended = True
                    continue
                if term_id in passages and index.children_words(child_id) & remaining:
                    # "Hemiplegia, following, cerebrovascular disease, cerebral infarction": under a connective,
                    # the class the Index files the cause under is passed through to a kind the query names whole
                    # (not to a side: "vesicoureteral reflux, with, nephropathy, bilateral" says a nephropathy)
                    extra = 0.25 * len(unsaid_words(terms[child_id].title, child_words, self.query))
                    for grand_id in terms[child_id].children:
                        grand_words = title_words[grand_id]
                        # (an organ the query said before names it too: "Crohn's disease of small intestine with
                        # obstruction" is "..., small intestine, with, complication, intestinal obstruction")
                        if _names_kind(grand_words, remaining | organs if organs else remaining, optional):
                            rest = remaining - grand_words
                            nemod = index.nemod_words[grand_id] & rest
                            self.visit(grand_id, rest, penalty + extra, followed, depth + 2, optional | nemod)
                            descended = True
                continue
            said_here = child_words & remaining
            if (
                said_here <= optional
                and child_words - self.query
                and term.code is not None
                and not (child_words <= _ACUITY and " and " not in terms[child_id].title)
            ):
                # "acute pharyngitis": the main term's own "(acute)" says its code (J02.9); "Pharyngitis,
                # lymphonodular, acute" (B08.8) is another kind that only shares the word (but a subterm that is the
                # acuity itself is entered: "Otitis, media, nonsuppurative, acute or subacute NEC, serous" H65.0-;
                # not one that asks for both: "Failure, respiration, postprocedural (acute)" J95.821 for an acute one,
                # not its "acute and chronic" J95.822)
                continue
            child = terms[child_id]
            if child_words & self.negated and (
                child.title.lower().startswith("with ")
                or (term.title.lower() == "with" and child_words <= self.negated)
            ):
                # the query says "without hematuria"; "with hematuria" does not apply, nor "with, complication" for
                # "without complications"
                continue
            if child.title.lower().startswith("without ") and not child_words - {"without"} <= self.negated:
                continue  # "nausea and vomiting without fever" is no "Vomiting, without nausea"
            if term_id in passages and _unsaid_condition(child.title, self.query, term.title):
                continue  # "pneumonia of the left lung" is no "Pneumonia, with, lung abscess"
            if child.title[:5].lower() == "with " and _unsaid_condition(child.title[5:], self.query, "with"):
                continue  # "otitis media of left ear" is no "Otitis, ..., acute, with rupture of ear drum"
            rest = remaining - child_words
            extra = 0.25 * len(unsaid_words(child.title, child_words, self.query))
            self.visit(
                child_id, rest, penalty + extra, followed, depth + 1, optional | (index.nemod_words[child_id] & rest)
            )
            descended = True
        if remaining and not followed and term_id in index.grand_words:
            # "knee pain": the Index has "Pain, joint, knee"; a coder looks under the subterm that
            # names the kind of site ("joint", "limb", "by site") the note leaves unsaid, at its cost
            for child_id, grand_id in index.grandchildren(term_id, remaining):
                between = index.title_words[child_id]
                if between & remaining:
                    continue  # said: the walk above enters it
                if terms[grand_id].parent != child_id:
                    between = between | index.title_words[terms[grand_id].parent]
                if terms[child_id].title.lower().startswith("without ") and between - {"without"} & self.query:
                    continue  # "spondylosis with radiculopathy" is not "without myelopathy or radiculopathy"
                grand_words = index.title_words[grand_id]
                if grand_words <= _POSITIONS and not self.query & SITE_KINDS:
                    continue  # "pain in the lower lip" is no "Pain, limb, lower" ("lower extremity" is)
                extra = 0.25 * len(between - self.query - _GROUPING_WORDS) + 0.25 * len(grand_words - self.query)
                self.visit(
                    grand_id,
                    remaining - grand_words,
                    penalty + extra,
                    followed,
                    depth + 2,
                    optional | (index.nemod_words[grand_id] & remaining),
                )
        if not descended and not followed and term.level >= 1 and term.code is not None and remaining - optional:
            # "lattice degeneration of retina": "Degeneration, retina, peripheral, lattice", where on the retina
            # unsaid; a dead end with words left looks one subterm further down, at the cost of the words it passes
            for child_id in term.children:
                if child_id in passages or not index.children_words(child_id) & remaining:
                    continue
                between = title_words[child_id] - self.query
                if not between <= _PASSABLE:
                    continue  # a kind of its own the note does not say ("Sepsis, newborn, due to, E. coli")
                for grand_id in terms[child_id].children:
                    grand_words = title_words[grand_id]
                    # (by a word that names the kind, not an axis every kind has: "fibula, comminuted, nondisplaced"
                    # is no reading of a nondisplaced fracture of the fibula)
                    if (grand_words & remaining) - _AXES:
                        extra = 0.25 * (
                            len(between) + len(unsaid_words(terms[grand_id].title, grand_words, self.query))
                        )
                        self.visit(grand_id, remaining - grand_words, penalty + extra, followed, depth + 2, optional)
        # "Meningomyelocele (see also Spina bifida)" has no code of its own: where none of its subterms
        # applies, the coder goes where the see-also sends, as for a see-reference
        # (a main term the query names, not one reached through another reference: "Chronic - see
        # condition" does not lead on to "Condition - see also Disease")
        # (and a codeless subterm the query says whole, to a term with a code: "Hemorrhage, subconjunctival (see also
        # Hemorrhage, conjunctiva)" H11.3-, not "History, personal (see also History, family)", a list of its own)
        ref = term.see
        sub_also = False
        if not ref and term.see_also and not descended and not followed:
            if term.level == 0:
                ref = term.see_also
            elif term.code is None and index.title_words[term_id] <= self.query:
                ref, sub_also = term.see_also, True
        if ref and term.level == 0 and not followed and not self._said_whole(term):
            # "Fauchard's disease - see Periodontitis" is not entered by the word "disease": a main term
            # sends the walk on only when the query says it whole
            ref = None
        if ref and not term.code and len(followed) < 3:
            resolved = self.index.resolve_path(ref)
            target = resolved[0] if resolved else None
            if (
                resolved is not None
                and target is not None
                and target.id != term_id
                and not (sub_also and not target.code)
            ):
                rest = remaining - resolved[1]
                if not resolved[2]:
                    # "see Bite, by site, superficial, insect" resolved only to "Bite": the words that led
                    # here are handed back for the walk from the site to match, and the reference's own words
                    # the query does not say ("superficial") go along: a path that leaves them unmatched says less
                    rest = (remaining | (self.index.title_words[term_id] & self.query)) - resolved[1]
                    if ", by site, " in ref.lower():
                        rest |= frozenset(words(ref)) - resolved[1] - self.query - SITE_HEADINGS - {"by"}
                        # and the kind said, to be matched again below the site ("Strain, muscle - see Injury, muscle,
                        # by site, strain": "Injury, rotator cuff, strain" for a rotator cuff strain)
                        rest |= frozenset(words(ref.lower().split(", by site, ", 1)[1])) & self.query
                else:
                    # "Pain, foot - see Pain, limb, lower": the subterm that sent the walk may name one of the
                    # target's own whole ("Pain, limb, lower, foot", M79.67-; not "lower leg" for "leg"); its words go
                    # along, unmatched at no cost
                    said_whole = self.index.title_words[term_id] <= self.query  # not "childhood abuse" for "childhood"
                    own = self.index.title_words[term_id] - resolved[1]
                    if own and term.level > 0 and said_whole and self._names_below(target, own):
                        rest, optional = rest | own, optional | own
                        for child_id in target.children:
                            # "Ulcer, foot - see Ulcer, lower limb": the subterm the sending word names with a residue
                            # only ("foot specified NEC") leaves nothing unsaid
                            child_words = title_words[child_id]
                            if (
                                child_words & own
                                and child_words - self.query - own
                                and child_words <= (own | self.query | _NEC_WORDS)
                            ):
                                self.visit(child_id, rest - child_words, penalty, (*followed, ref), depth + 2, optional)
                self.visit(target.id, rest, penalty, (*followed, ref), depth + 1, optional)
                if not resolved[2] and ", by site, " in ref.lower() and target.parent != -1:
                    # the site may be the main term's own subterm: "Injury, rotator cuff", not under "Injury, muscle"
                    root = target
                    while root.parent != -1:
                        root = terms[root.parent]
                    extra = 0.25 * len(title_words[target.id] - self.query)
                    self.visit(root.id, rest, penalty + extra, (*followed, ref), depth + 1, optional)
                return
        has_result = term.code is not None or any(term.cells)
        if not has_result and not descended:
            # "Colitis, Clostridioides difficile" has no code of its own: a query that says neither of its subterms
            # gets the one the Index names as the default, "not specified as recurrent" (A04.72)
            default = index.default_child(term_id) if term.children else -1
            if default >= 0 and not title_words[default] & self.query:
                term_id, has_result = default, True
        if has_result and (not descended or remaining - optional):
            unmatched = remaining - optional
            self.hits.append(
                (self.total - len(unmatched), self.total - len(remaining), penalty, term_id, unmatched, followed)
            )

    def _names_below(self, target: IndexTerm, own: frozenset[str]) -> bool:
        """Whether a subterm of ``target`` is named by ``own`` whole, or one below a subterm the query says ("serous"
        under "Otitis, media, nonsuppurative, chronic" for "chronic serous otitis media")."""
        index = self.index
        if not index.children_words(target.id) & own and not any(
            index.children_words(c) & own for c in target.children if index.title_words[c] <= self.query
        ):
            return False
        # (the words the reference itself matched may be said with them: "lower leg" in "pain in the lower leg"; and
        # a title's "specified NEC" says nothing more: "Ulcer, lower limb, foot specified NEC" for "foot ulcer")
        named = own | self.query | _NEC_WORDS
        return any(index.title_words[c] & own and index.title_words[c] <= named for c in target.children) or any(
            index.title_words[g] <= own
            for c in target.children
            if index.title_words[c] <= self.query
            for g in index.terms[c].children
        )

    def hit(self, raw: _RawHit) -> IndexHit:
        matched, explicit, penalty, term_id, unmatched, followed = raw
        term = self.index.terms[term_id]
        return IndexHit(
            index=self.index.name,
            path=self.index.path_of(term_id),
            code=term.code,
            manifestation=term.manifestation,
            cells=self.index.cells_of(term),
            see_also=term.see_also,
            matched=matched,
            penalty=penalty,
            explicit=explicit,
            unmatched_query=tuple(sorted(unmatched)),
            term_id=term_id,
            followed_see=followed,
        )


# the nouns of a linked subterm that name no condition of their own: its other words (the site) say it
# ("Toxoplasmosis, with, ocular involvement" is "ocular toxoplasmosis")
_GENERIC_HEADS = frozenset(
    words("involvement manifestation complication disease disorder condition nec nos other specified unspecified")
)


# a course said of what a subterm names, not a kind of it: "uncomplicated" under "with, intoxication" is not said by
# "cannabis use, uncomplicated"
_COURSE_WORDS = frozenset(words("uncomplicated"))


def _names_kind(title_words: frozenset[str], query: frozenset[str], optional: frozenset[str]) -> bool:
    """Whether a subterm's words, all said, name a kind of something rather than only a side, an organ ("arterial
    hypertension" is no "Hypertension, due to, renal disorders NEC, arterial") or a word the walk has already
    taken as a non-essential modifier ("acute pneumonia" is "Pneumonia (acute)")."""
    return bool(title_words - _POSITIONS - _ORGANS - _COURSE_WORDS - optional) and title_words <= query


_NEC_WORDS = frozenset(words("nec nos other specified unspecified"))
# "Anemia, due to, chronic disease classified elsewhere NEC" (D63.8) names the disease, not a place
_CLASSIFIED_ELSEWHERE = re.compile(r"\bclassified elsewhere\b", re.IGNORECASE)


def _unsaid_condition(title: str, query: frozenset[str], connective: str) -> bool:
    """Whether a subterm linked by a connective ("with", "in", "due to") names a condition by a noun (its
    last word) the query does not say: "lung abscess" under "Pneumonia, with" is not said by "lung". Under
    "with" a generic noun is said by its site ("ocular toxoplasmosis" is "Toxoplasmosis, with, ocular
    involvement"); under a cause ("in", "due to") it is another disease: "cataract, right eye" is no
    "Cataract, in, eye disease"."""
    # "identified influenza virus NEC": the virus
    # (a title the Index inverts names its noun first: "bronchiolitis, acute")
    noun = title.split(",", maxsplit=1)[0]
    said = [w for w in words(_CLASSIFIED_ELSEWHERE.sub(" ", noun)) if w not in _NEC_WORDS]
    if not said or said[-1] in query:
        return False
    if connective.lower() == "with":
        return not _GENERIC_HEADS.intersection(said)
    # under a cause, a generic noun is said by the condition named before it, all said and no organ or side:
    # "insomnia due to anxiety" is "Insomnia, due to, anxiety disorder" (F51.05)
    before = said[:-1]
    return not (
        said[-1] in _GENERIC_HEADS and before and query.issuperset(before) and not set(before) & (_ORGANS | _POSITIONS)
    )


_NEGATION_RE = re.compile(r"\b(?:without|no|not)\s+((?:[a-z0-9-]+\s*){1,3})", re.IGNORECASE)


def negated_words(query: str) -> frozenset[str]:
    """Words a query puts after "without" / "no" / "not" (up to three)."""
    found: set[str] = set()
    for match in _NEGATION_RE.finditer(query):
        found.update(words(match.group(1)))
    return frozenset(found)


@functools.lru_cache(maxsize=65_536)
@functools.lru_cache(maxsize=65_536)
def _noun_forms(title: str) -> tuple[frozenset[str], ...]:
    """The forms that say a main term of several comma forms whole: its first form, or another spelling of it ("Sty,
    stye"), as a noun, not a quality of something else ("Abnormal - see also Anomaly", "Sensitive - see also Allergy"
    would send "abnormal corticomedullary differentiation" and bacteria "sensitive to vancomycin" to a congenital
    anomaly and an allergy)."""
    forms = main_term_forms(title)
    first = forms[0] if forms else frozenset()
    parts = [frozenset(words(part)) for part in title.lower().split(",")[1:]]
    spelled = [f for f in parts if len(f) == len(first) == 1 and _respelled(next(iter(f)), next(iter(first)))]
    if len(forms) < 2 and not spelled:
        return ()
    return tuple(form for form in (first, *spelled) if form and not any(_ADJECTIVE.search(word) for word in form))


def _respelled(word: str, first: str) -> bool:
    """Whether ``word`` is ``first`` spelled with one more letter at its end ("stye" for "sty")."""
    return word.startswith(first) and len(word) == len(first) + 1


# a main term's variant the shared-beginning rule below misses: "Tear, torn" is one term, not a tear folded with a
# subterm "torn" (a statement that says "tear" says it whole)
_IRREGULAR_FORMS = {"torn": "tear"}


@functools.lru_cache(maxsize=65_536)
def main_term_forms(title: str) -> tuple[frozenset[str], ...]:
    """The forms naming a main term: its first form, and the comma forms that are variants of it
    ("Hyperlipemia, hyperlipidemia", "Infection, infected, infective"), not the subterm words a
    flattened Index folds into the title ("pulmonary" in "Anectasis, pulmonary", "elevated" in
    "Lactate, elevated")."""
    forms = [f.strip().lower() for f in title.split(",") if f.strip()]
    if not forms:
        return ()
    first = forms[0]
    variants = [
        f
        for f in forms[1:]
        if " " not in f and ((f[:4] == first[:4] and len(f) >= 4) or _IRREGULAR_FORMS.get(f) == first)
    ]
    return tuple(frozenset(words(f)) for f in (first, *variants))


def unsaid_words(
    title: str,
    title_words: frozenset[str],
    said: frozenset[str] | set[str],
    ignore: frozenset[str] = frozenset(),
    either: bool = False,
) -> frozenset[str]:
    """The words of a title the query leaves unsaid (but ``ignore``), the closest of its variant forms
    counting ("pleura, pleurisy, pleuritic" for "pleural effusion": none); with ``either``, of an "X or Y" pair
    neither where one is said (a main term's: a subterm's "or" often joins two kinds, each with its own code)."""
    if either and " or " in title:
        # "Behçet's disease or syndrome": either word said says the other
        ignore = ignore | either_said(title, said)
    forms = main_term_forms(title) if "," in title else ()
    if len(forms) < 2:
        return title_words - said - ignore
    rest = title_words.difference(*forms)
    return min((f - said - ignore for f in forms), key=len) | (rest - said - ignore)


_EITHER = re.compile(r"([a-z0-9]+) or ([a-z0-9]+)")


def either_said(title: str, said: frozenset[str] | set[str]) -> frozenset[str]:
    """The words of a title's "X or Y" pairs of which the query says one."""
    out: set[str] = set()
    for pair in _either_pairs(title):
        if pair & said:
            out |= pair
    return frozenset(out)


@functools.lru_cache(maxsize=4096)
def _either_pairs(title: str) -> tuple[frozenset[str], ...]:
    lowered = title.lower()
    if not lowered.isascii():
        lowered = fold_accents(lowered)
    return tuple(frozenset({stem(a), stem(b)}) for a, b in _EITHER.findall(lowered))


@functools.lru_cache(maxsize=65_536)
def main_term_words(title: str) -> frozenset[str]:
    """The words of :func:`main_term_forms`, together."""
    return frozenset().union(*main_term_forms(title))


def _outer_groups(text: str) -> list[str]:
    """The contents of the outermost parentheses: "(bone(s))" is "bone(s)", not "s"."""
    groups: list[str] = []
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start:i])
    return groups


def _reference_words(part: str) -> frozenset[str]:
    """The words of a see-reference's part as a subterm's title says them: what the reference puts in parentheses
    is the subterm's non-essential modifier ("coronary (artery)"), and "NEC"/"NOS" are no words."""
    return frozenset(words(_PARENTHESES.sub(" ", part)) or words(part)) - {"nec", "nos"}


def _nemod_words(term: IndexTerm) -> tuple[str, ...]:
    return tuple(w for mod in term.nonessential for w in words(mod))


def _split_title(el: ET.Element | None) -> tuple[str, tuple[str, ...]]:
    """Title text and its non-essential modifiers (``<nemod>``), with any text after them kept."""
    if el is None:
        return "", ()
    parts = [el.text or ""]
    mods: list[str] = []
    for child in el:
        if child.tag == "nemod":
            text = "".join(child.itertext())
            mods.extend(m.strip() for m in _NEMOD_RE.findall(text) or [child.text or ""])
            # words outside the parentheses are the title's: "cystic<nemod>(bile) duct (common)</nemod>"
            # is the cystic duct, not any cystic thing
            parts.append(_essential_rest(text) if "(" in text else "")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    title = " ".join(" ".join(parts).split())
    return title, tuple(m for m in mods if m)


def _clean_code(text: str | None) -> str | None:
    if text is None:
        return None
    code = text.strip().rstrip("-").rstrip(".")
    return code or None


class _Builder:
    def __init__(self) -> None:
        self.terms: list[IndexTerm] = []
        self.children: list[list[int]] = []

    def add(
        self,
        parent: int,
        level: int,
        title: str,
        nonessential: tuple[str, ...] = (),
        *,
        code: str | None = None,
        manifestation: str | None = None,
        see: str | None = None,
        see_also: str | None = None,
        see_category: str | None = None,
        cells: tuple[str | None, ...] = (),
    ) -> int:
        tid = len(self.terms)
        if "[" in title:
            # square brackets enclose synonyms, alternative wordings and abbreviations ("electrocardiogram
            # [ECG] [EKG]"): like the non-essential modifiers, they may be said and need not be
            bracketed = tuple(m.strip() for m in _BRACKETS.findall(title) if m.strip())
            title, nonessential = " ".join(_BRACKETS.sub(" ", title).split()), (*nonessential, *bracketed)
        self.terms.append(
            IndexTerm(
                id=tid,
                parent=parent,
                level=level,
                title=title,
                nonessential=nonessential,
                code=code,
                manifestation=manifestation,
                see=see,
                see_also=see_also,
                see_category=see_category,
                cells=cells,
                children=(),
            )
        )
        self.children.append([])
        if parent != -1:
            self.children[parent].append(tid)
        return tid

    def finish(self) -> list[IndexTerm]:
        return [replace(t, children=tuple(c)) for t, c in zip(self.terms, self.children, strict=True)]


def parse_index_xml(path: Path, name: str, *, implicit_main_term: bool = False) -> AlphabeticIndex:
    """Read a CDC index XML: the Index of Diseases and Injuries, the External Cause Index,
    the Neoplasm Table or the Table of Drugs and Chemicals."""
    root = read_xml(path, "ICD10CM.index")
    version = "".join((root.findtext("version") or "").split())
    heading_el = root.find("indexHeading")
    headings: tuple[str, ...] = ()
    table_cols: list[str] = []
    if heading_el is not None:
        heads = heading_el.findall("head")
        table_cols = [h.get("col", "") for h in heads[1:]]
        headings = tuple(" ".join("".join(h.itertext()).split()) for h in heads[1:])
    builder = _Builder()

    def add(el: ET.Element, parent: int, level: int) -> None:
        title, mods = _split_title(el.find("title"))
        cells: tuple[str | None, ...] = ()
        if table_cols:
            by_col = {c.get("col", ""): (c.text or "").strip() for c in el.findall("cell")}
            cells = tuple(
                _clean_code(by_col.get(col)) if by_col.get(col, "-").strip("-") else None for col in table_cols
            )
        tid = builder.add(
            parent,
            level,
            title,
            mods,
            code=_clean_code(el.findtext("code")),
            manifestation=_clean_code(el.findtext("manif")),
            see=_norm(el.findtext("see")),
            see_also=_norm(el.findtext("seeAlso")),
            see_category=_norm(el.findtext("seecat")) or _norm(el.findtext("subcat")),
            cells=cells,
        )
        for child in el.findall("term"):
            add(child, tid, level + 1)

    letters = root.findall("letter")
    if not letters:
        raise DataFileError(path, "no <letter> elements: not an ICD-10-CM index file")
    for letter in letters:
        for main in letter.findall("mainTerm"):
            add(main, -1, 0)
    return AlphabeticIndex(name, version, builder.finish(), headings, implicit_main_term)


def _essential_rest(modifiers: str) -> str:
    """The words of a modifier outside its parentheses: essential words the CSV's flattening (and the
    XML's ``<nemod>`` at times) put there ("Normocytic anemia" | "(infectional) due to blood loss
    (chronic)" is "Normocytic anemia due to blood loss", D50.0, not a normocytic anemia). A plural's
    "(s)" leaves nothing."""
    # a parenthesis inside a word is part of it: "Amnes" | "(t)ic syndrome" is "Amnestic syndrome",
    # "Achromat" | "(ism), achromatopsia" "Achromatism, achromatopsia"
    rest = re.sub(r"\(([A-Za-z]+)\)(?=[A-Za-z-])|^\(([a-z]+)\)(?=,)", r"\1\2", modifiers)
    glued = bool(re.match(r"[A-Za-z-]", rest))
    while True:
        shorter = _NEMOD_RE.sub(" ", rest)
        if shorter == rest:
            break
        rest = shorter
    rest = " ".join(rest.replace("(", " ").replace(")", " ").split())
    if not re.search(r"[A-Za-z]{2}", rest) or len(rest.split()) > 6 or re.search(r'[";.]', rest):
        return ""  # nothing, or an instruction the table keeps in a modifier ("code according to the list")
    return rest if rest.startswith(",") or glued else " " + rest


def _norm(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None


def parse_index_csv(path: Path, name: str = "index", version: str = "") -> AlphabeticIndex:
    """Read the flattened Index CSV (RowID, Letter, Level, Term, See, SeeAlso, NonEssModif, Code)."""
    builder = _Builder()
    stack: list[int] = []
    for line, row in read_csv_rows(path, ("Level", "Term", "See", "SeeAlso", "NonEssModif", "Code")):
        try:
            level = int(row["level"])
        except ValueError:
            raise DataFileError(path, f"Level {row['level']!r} is not a number", f"line {line}") from None
        if level < 0 or level > len(stack):
            raise DataFileError(
                path,
                f"Level {level} skips a level (the previous term was at level {len(stack) - 1})",
                f"line {line}",
            )
        if row["term"].lstrip().lower().startswith("note:"):
            # a note the flattening turned into a term ("Failure, Note: heart failure stages A, B, C...");
            # the rows under it belong to the term it annotates, the one before it at its level
            if level < len(stack):
                del stack[level + 1 :]
            elif stack:
                stack.append(stack[-1])
            continue
        del stack[level:]
        parent = stack[-1] if stack else -1
        mods = tuple(m.strip() for m in _outer_groups(row["nonessmodif"]) if m.strip())
        tid = builder.add(
            parent,
            level,
            " ".join((row["term"] + _essential_rest(row["nonessmodif"])).split()),
            mods,
            code=_clean_code(row["code"]) if row["code"].strip() else None,
            see=_norm(row["see"]),
            see_also=_norm(row["seealso"]),
        )
        stack.append(tid)
    if not builder.terms:
        raise DataFileError(path, "no index terms found")
    return AlphabeticIndex(name, version, builder.finish())
