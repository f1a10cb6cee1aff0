"""Step 5-6: the conventions that join, add and order codes once each statement has its code."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from openrcm.codesets import NoteKind
from openrcm.codesets.icd10cm.index import main_term_words, words
from openrcm.codesets.icd10cm.model import CodeRef, Note
from openrcm.coding.diagnosis import (
    DIABETES_KINDS,
    G_CODE_FIRST,
    G_DIABETES_CKD,
    G_EXCLUDES1,
    G_FIRST_LISTED,
    G_HTN,
    G_SEVERE_SEPSIS,
    G_USE_ADDITIONAL,
    DiagnosisCoder,
    Proposal,
    bmi_code,
    ckd_stage,
    linking,
    unsaid_path_words,
)
from openrcm.coding.lexicon import Lexicon
from openrcm.coding.model import EncounterContext, Evidence, NotCoded, PhysicianQuery
from openrcm.coding.note import ClinicalNote
from openrcm.coding.patterns import terms_pattern
from openrcm.coding.vocabulary import PHRASE_REACH, PHRASE_WORDS

# "G2P1", "G1 P0", "gravida 3", "primigravida", "multigravida"
_GRAVIDA = re.compile(
    r"\bG(\d{1,2})\s*P\d|\bgravida\s+(\d{1,2})\b|\b(primi|multi)gravida\b"
    r"|\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th) pregnancy\b",
    re.IGNORECASE,
)
# a drug said as taken in the past: "tamoxifen 2014-2019, completed", "metformin (stopped)", "was on warfarin"
_STOPPED_AFTER = re.compile(
    r"[^.;\n]{0,30}?(?:\b(?:19|20)\d\d\s*(?:-|to)\s*(?:19|20)\d\d\b|\b(?:completed|discontinued|stopped|"
    r"finished|d/c'?d|held)\b)",
    re.IGNORECASE,
)
_TEMPORARY = re.compile(
    r"\bsliding[- ]scale\b|\bssi\b|\btemporar\w*|\b(?:insulin )?drip\b|\binfusion\b|\bwhile (?:in|admitted|"
    r"hospitalized|inpatient)\b|\bduring (?:the |this )?(?:hospitalization|admission|stay)\b",
    re.IGNORECASE,
)
_NIHSS = re.compile(r"\bNIHSS(?: score)?(?: of| was| is|:|=)?\s*(\d{1,2})\b", re.IGNORECASE)
_STOPPED_BEFORE = re.compile(r"\b(?:previously on|was on|formerly on|prior|history of|hx of|off)\s+$", re.IGNORECASE)
G_MATERNAL = "ICD-10-CM Guidelines I.C.15.a: pregnancy codes are for maternal records only"
PREGNANCY_CODES = ("O", "Z33", "Z34", "Z3A")
G_WITH_TOLD_APART = (
    "ICD-10-CM Guidelines I.A.15: the 'with' convention presumes the conditions its Index entry links under 'with' "
    "linked, told apart or not"
)
G_DIABETES_WITH = (
    "ICD-10-CM Guidelines I.A.15 and I.C.4.a: the 'with' convention presumes diabetes and the conditions its "
    "Index entry lists under 'with' linked"
)
# said unrelated to the diabetes, or caused by something else ("neuropathy due to chemotherapy", I.A.15: "unless the
# documentation clearly states the conditions are unrelated")
_NO_COMPLICATION = re.compile(r"\bwithout (?:any )?complications?\b|\buncomplicated\b", re.IGNORECASE)
_UNRELATED = re.compile(
    r"\bnot (?:due to |related to |from )?(?:the |his |her )?diabet|\bnon-?diabetic\b"
    r"|\b(?:due to|secondary to|caused by|induced by|related to)\s+"
    r"(?!(?:the |his |her |poorly controlled |uncontrolled )?(?:type [12] |t[12]dm |dm|diabet))",
    re.I,
)
G_CHAPTER_15 = "ICD-10-CM Guidelines I.C.15.a.1: chapter 15 codes have sequencing priority over other chapters"
G_HIGH_RISK = (
    "ICD-10-CM Guidelines I.C.15.b.2: at a prenatal outpatient visit of a high-risk pregnancy, the O09 "
    "supervision code is first-listed"
)
G_BIRTH = (
    "ICD-10-CM Guidelines I.C.16.a.2: a Z38 code is assigned only once, on the newborn's record of the birth episode"
)
MATERNAL_AGE_MIN = 9  # the youngest age the CMS Medicare Code Editor accepts a maternity diagnosis for
G_SPECIFIC = (
    "ICD-10-CM Guidelines I.A.18: a main term's default code is for a condition documented without further "
    "detail; the phrase names the subterm, coded as"
)
G_COPD_INFECTION = (
    "ICD-10-CM Guidelines I.A.15 ('with'): COPD with an acute lower respiratory infection is J44.0, with the infection"
)
# acute lower respiratory infections: influenza, pneumonia, acute bronchitis and bronchiolitis, unspecified acute LRI
_LOWER_RESPIRATORY_INFECTIONS = (
    "J09",
    "J10",
    "J11",
    "J12",
    "J13",
    "J14",
    "J15",
    "J16",
    "J17",
    "J18",
    "J20",
    "J21",
    "J22",
)
_TYPE_2_MI = re.compile(r"\btype (?:2|ii)\b(?! diabet)", re.IGNORECASE)
G_TYPE_2_MI = (
    "ICD-10-CM Guidelines I.C.9.e.5: a type 2 myocardial infarction described as NSTEMI or STEMI is I21.A1 only"
)
# an HPV test collected with the visit's Pap smear, not one declined or not due
_HPV_TEST = re.compile(r"\b(?:hpv|human papillomavirus)\s+(?:co-?test(?:ing)?|test(?:ing)?|screen(?:ing)?|dna)\b", re.I)
_NOT_DONE_BEFORE = re.compile(r"\b(?:no|not|declined|deferred|without)\b[^.]*$", re.IGNORECASE)
_NOT_DONE_AFTER = re.compile(r"\s*(?:is\s+|was\s+)?(?:not|declined|deferred|due in|next)\b", re.IGNORECASE)
# the infection a COPD's own statement lists beside its exacerbation, not one it denies
_COPD_INFECTION_SAID = re.compile(
    r"(?<!without )(?<!\bno )\b(?:acute bronchitis|bronchiolitis|pneumonia)\b", re.IGNORECASE
)
G_WITH_LISTED = "the infection the statement's 'with' lists beside the exacerbation"
# a patient on chronic dialysis, not one denied it ("not yet on dialysis")
_ON_DIALYSIS = re.compile(
    r"(?<!not )(?<!not yet )\b(?:on|receiving|requir\w+|dependent on|dependence on)\s+"
    r"(?:chronic\s+|maintenance\s+|home\s+)?(?:hemo|peritoneal\s+)?dialysis\b|\bdialysis[- ]dependent\b",
    re.IGNORECASE,
)
G_COVID = "ICD-10-CM Guidelines I.C.1.g.1.a: a confirmed COVID-19 infection, U07.1 first, then its manifestations"
_COVID = re.compile(r"\b(?:covid(?:-?19)?|sars-cov-2|coronavirus disease 2019|2019 novel coronavirus)\b", re.I)
_COVID_DENIED = re.compile(
    r"\b(?:covid(?:-?19)?|sars-cov-2)\b[^.;,\n]{0,20}?\b(?:negative|not detected|ruled out)\b|"
    r"\b(?:negative|no|rule out|r/o)\b[^.;,\n]{0,12}?\b(?:covid|sars-cov-2)",
    re.IGNORECASE,
)
# COVID-19 already coded, or said as something other than a current infection (history, sequelae, exposure,
# screening, vaccination status)
_COVID_CODES = ("U07.1", "U09.9", "Z86.16", "Z20.822", "Z11.52", "Z28.31", "M35.81")
_SUCH_AS = re.compile(r"\bsuch as\b|\bif applicable\b|\bunderlying\b|\bany\b", re.IGNORECASE)


def _named_first(notes: Iterator[Note] | tuple[Note, ...], statement: str, lexicon: Lexicon) -> list[str]:
    """The one code each "code first" note names, where the note names a single condition (no "such as" list) whose
    words the statement says (the statement read, as the Index reads it, only where a note names one)."""
    out = []
    said: set[str] | None = None
    for note in notes:
        ref = note.refs[0] if len(note.refs) == 1 else None
        if ref is None or ref.first != ref.last or ref.open_ended or _SUCH_AS.search(note.text):
            continue
        condition = set(words(re.sub(r"\([^)]*\)", " ", note.text)))
        said = said if said is not None else set(words(lexicon.expand(statement)))
        if condition and condition <= said:
            out.append(ref.first)
    return out


# the systemic infections R65.2- follows: sepsis by its organism, and the sepsis codes of other chapters and blocks
SYSTEMIC_INFECTIONS = (
    *("A40", "A41", "A02.1", "A20.7", "A21.7", "A22.7", "A24.1", "A26.7", "A32.7", "A39.2", "A39.3", "A39.4"),
    *("A42.7", "A48.3", "A54.86", "B00.7", "B37.7", "O03.87", "O85", "O86.04", "P36", "T80.2", "T81.44"),
)
G_CKD_STAGE = "ICD-10-CM Tabular N18: chronic kidney disease is coded by the stage documented (N18.1-N18.6)"
# The axis an unspecified code leaves open that the provider can often document, and the compliant, non-leading
# question for it (AHIMA/ACDIS query practice: the options the classification knows, and "unable to determine"),
# by the code that stands while it is open.
_HEART_FAILURE_QUESTION = (
    "Heart failure type",
    "Please document the type (systolic, diastolic, combined, or other) and acuity (acute, chronic, acute on "
    "chronic) of the heart failure, if known, or unable to determine.",
)
_DEPRESSION_QUESTION = (
    "depression episode and severity",
    "Please clarify the depressive disorder: single episode or recurrent, and its severity (mild, moderate, severe "
    "without or with psychotic features, or in partial or full remission), or if unable to determine.",
)
_ASTHMA_QUESTION = (
    "asthma severity",
    "Please clarify the severity of the asthma (mild intermittent, mild persistent, moderate persistent, severe "
    "persistent), or if unable to determine.",
)
_RESPIRATORY_FAILURE_QUESTION = (
    "respiratory failure acuity",
    "Please clarify the acuity of the respiratory failure (acute, chronic, acute on chronic) and whether it is "
    "with hypoxia, with hypercapnia or both, or if unable to determine.",
)
SPECIFICITY_QUERIES: dict[str, tuple[str, str]] = {
    "N18.9": (
        "CKD stage",
        "Please document the stage of the chronic kidney disease (1 to 5, 3a/3b, or ESRD), if known, or unable to "
        "determine.",
    ),
    "I50.9": _HEART_FAILURE_QUESTION,
    "F32.A": _DEPRESSION_QUESTION,
    "F32.9": _DEPRESSION_QUESTION,
    "J45.909": _ASTHMA_QUESTION,
    "J45.901": _ASTHMA_QUESTION,
    "J45.902": _ASTHMA_QUESTION,
    "I48.91": (
        "atrial fibrillation type",
        "Please clarify the type of atrial fibrillation (paroxysmal, persistent, longstanding persistent, permanent), "
        "or if unable to determine.",
    ),
    "D64.9": (
        "anemia type",
        "Please clarify the type or cause of the anemia (for example iron deficiency, chronic disease, acute or "
        "chronic blood loss, or other), or if unable to determine.",
    ),
    "J96.90": _RESPIRATORY_FAILURE_QUESTION,
    "J96.91": _RESPIRATORY_FAILURE_QUESTION,
    "J96.92": _RESPIRATORY_FAILURE_QUESTION,
}


def specificity_query(code: str, evidence: tuple[Evidence, ...]) -> PhysicianQuery | None:
    """The query for what ``code`` leaves unspecified, where the table has one."""
    asked = SPECIFICITY_QUERIES.get(code)
    return PhysicianQuery(asked[0], asked[1], evidence, (code,)) if asked else None


G_ROUTINE_SIGN = (
    "ICD-10-CM Guidelines I.B.5: a sign or symptom routinely associated with a disease process is not coded beside it"
)

LAST = 1000.0  # codes added by instructional notes for status (Z79, tobacco) go after the conditions


def _is(code: str, *prefixes: str) -> bool:
    return code.startswith(prefixes)


def _find(props: list[Proposal], *prefixes: str) -> list[Proposal]:
    return [p for p in props if _is(p.code, *prefixes)]


def _add(
    coder: DiagnosisCoder,
    props: list[Proposal],
    code: str,
    reason: str,
    order: tuple[float, ...],
    evidence: list[Evidence],
    notes: list[str],
) -> Proposal | None:
    if any(p.code == code for p in props):
        return None
    entry = coder.entry(code)
    if entry is None or not entry.billable:
        return None
    prop = Proposal(code, entry.title, None, (), reason, reason, 0.85, order, notes, evidence)
    props.append(prop)
    return prop


def replace_code(coder: DiagnosisCoder, prop: Proposal, code: str, reason: str, note: str) -> None:
    entry = coder.entry(code)
    if entry is None or not entry.billable:
        return
    prop.notes_applied.append(f"{prop.code} -> {code}: {note}")
    prop.code = code
    prop.title = entry.title
    prop.reason = reason


G_COMBINATION = "ICD-10-CM Guidelines I.B.9: a combination code, where one names both conditions"


def _combines(combination: Proposal, single: Proposal) -> bool:
    """Whether ``combination`` came by an Index link ("with") from the problem ``single`` was coded from."""
    a, b = combination.statement, single.statement
    return (
        a is not None
        and b is not None
        and a.item_text == b.item_text
        and a.item_start == b.item_start
        and any(linking(title) for title in combination.path[1:])
    )


def _named_combination(coder: DiagnosisCoder, a: Proposal, b: Proposal) -> str | None:
    """The combination code an Excludes1 note of ``a`` names for its condition with ``b``'s: the note says
    "<a's condition> with <another>" and refers to a subcategory that holds ``b`` ("angina pectoris with
    atherosclerotic heart disease of native coronary arteries (I25.1-)" on I20), and exactly one billable
    code of that subcategory other than ``b`` has every word of ``a``'s title (I20.89 "Other forms of
    angina pectoris" with I25.10 -> I25.118 "... with other forms of angina pectoris")."""
    entry = coder.entry(a.code)
    if entry is None:
        return None
    tabular = coder.release.tabular
    own = set(words(entry.title))
    for note in entry.all_notes(NoteKind.EXCLUDES1):
        if not _WITH.search(note.text.split("(")[0]):
            continue
        for ref in note.refs:
            if ref.first != ref.last or not ref.covers(b.code) or ref.first not in tabular.nodes:
                continue
            named = [
                code
                for code in tabular.descendants(ref.first)
                if code != b.code and (e := coder.entry(code)) is not None and own <= set(words(e.title))
            ]
            if len(named) == 1:
                return named[0]
    return None


def _is_drug_code(code: str) -> bool:
    """A code of the Table of Drugs and Chemicals' range: poisoning, adverse effect, underdosing (T36-T65)."""
    return code[:1] == "T" and "36" <= code[1:3] <= "65"


_WITH = re.compile(r"\bwith\b")
# an Excludes1 note that excludes a condition only where it is in, or due to, another
_IN_CONDITION = re.compile(r"\b(?:in|due to|associated with|secondary to)\b")
# ("... without long-term current use of insulin": an EHR's diagnosis name that denies the therapy)
_NEGATING = re.compile(
    r"\b(?:no|denies|denied|without|never|not)\s+"
    r"(?:(?:long[- ]term\s+)?(?:\(?current\)?\s+)?use\s+of\s+|(?:\w+\s+){0,2})$"
)


def _named_additional(coder: DiagnosisCoder, prop: Proposal, present: set[str]) -> str | None:
    """The code a 'use additional code' note of ``prop`` asks for that its statement names: the note refers
    to a subcategory of at most ADDITIONAL_CHOICES codes, each titled as the subcategory plus a few words
    ("Hypoglycemia level" -> "Hypoglycemia level 2"), and the statement says the last word of the
    subcategory's title with exactly one code's extra words after it."""
    entry = coder.entry(prop.code)
    if entry is None or prop.statement is None:
        return None
    said = " " + " ".join(re.findall(r"[a-z0-9]+", prop.statement.text.lower())) + " "
    tabular = coder.release.tabular
    for note in entry.all_notes(NoteKind.USE_ADDITIONAL_CODE):
        for ref in note.refs:
            parent = coder.entry(ref.first)
            if ref.first != ref.last or parent is None or parent.billable or any(ref.covers(c) for c in present):
                continue
            stem = " ".join(re.findall(r"[a-z0-9]+", parent.title.lower()))
            children = [c for c in tabular.descendants(ref.first) if c != ref.first and tabular.is_billable(c)]
            if not stem or not 2 <= len(children) <= ADDITIONAL_CHOICES:
                continue
            named = []
            for child in children:
                child_entry = coder.entry(child)
                title = " ".join(re.findall(r"[a-z0-9]+", child_entry.title.lower())) if child_entry else ""
                if not title.startswith(stem + " "):
                    break
                tail = title[len(stem) + 1 :]
                if f" {stem.split()[-1]} {tail} " in said:
                    named.append(child)
            else:
                if len(named) == 1:
                    return named[0]
    return None


ADDITIONAL_CHOICES = 12
# heart conditions presumed due to hypertension (I.C.9.a.1), and the others of chapter 9's heart blocks
_HEART_PRESUMED = ("I51.4", "I51.5", "I51.6", "I51.7", "I51.89", "I51.9")
_HEART_NOT_PRESUMED = (
    "I20",
    "I21",
    "I22",
    "I23",
    "I24",
    "I25",
    "I30",
    "I31",
    "I33",
    "I34",
    "I35",
    "I36",
    "I42",
    "I44",
    "I45",
    "I46",
    "I47",
    "I48",
    "I49",
)
_LINKED_HEART = re.compile(
    r"hypertensive heart|heart disease (?:due to|secondary to|from) hypertension|hypertensive cardi"
)


def _is_linked_heart(text: str) -> bool:
    """Whether the statement itself links the heart disease to hypertension ("hypertensive heart disease")."""
    return _LINKED_HEART.search(text) is not None


@functools.cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return terms_pattern(terms, whole_words=True)


def _mentions(note: ClinicalNote, terms: tuple[str, ...], sections: tuple[str, ...]) -> Evidence | None:
    """Where the note says one of ``terms`` (and not "no ..."/"denies ...") in the given sections."""
    return next((ev for _, ev in _said(note, terms, sections)), None)


def _said(note: ClinicalNote, terms: tuple[str, ...], sections: tuple[str, ...]) -> Iterator[tuple[str, Evidence]]:
    """Each place the note says one of ``terms`` (not "no ..."/"denies ..."), in the given sections, with the
    term said."""
    pattern = _terms_pattern(terms)
    for section in note.sections_of(*sections):
        body = note.body(section).lower()
        for match in pattern.finditer(body):
            if _NEGATING.search(body[max(0, match.start() - 45) : match.start()]):
                continue
            start = section.start + match.start()
            evidence = Evidence(
                start, match.end() + section.start, note.text[start : section.start + match.end()], section.category
            )
            yield match.group(0), evidence


def _drug_classes_said(note: ClinicalNote, lexicon: Lexicon) -> dict[str, Evidence]:
    """Where the note first says a drug of each long-term drug therapy class: every class's drugs in one pass."""
    by_term = {term: z_code for z_code, drugs in lexicon.drug_classes.items() for term in drugs}
    found: dict[str, Evidence] = {}
    for term, evidence in _said(note, tuple(by_term), ("meds", "assessment", "plan", "hpi")):
        after = note.text[evidence.end : evidence.end + 40]
        before = note.text[max(0, evidence.start - 25) : evidence.start]
        if _STOPPED_AFTER.match(after) or _STOPPED_BEFORE.search(before):
            continue  # "tamoxifen 2014-2019, completed", "previously on warfarin": not a current therapy
        if _TEMPORARY.search(after) or _TEMPORARY.search(before):
            # "covered with insulin sliding scale": a drug given for the stay is no long-term therapy (I.C.4.a.3:
            # Z79.4 is not assigned for insulin given temporarily to bring the blood sugar under control)
            continue
        found.setdefault(by_term[term], evidence)
    return found


# what each hypertension combination says: heart disease, CKD, heart failure, CKD stage 5 or ESRD ("late")
_HTN_COMBINATION_SAYS = {
    "I11.0": frozenset({"heart", "failure"}),
    "I11.9": frozenset({"heart"}),
    "I12.0": frozenset({"kidney", "late"}),
    "I12.9": frozenset({"kidney"}),
    "I13.0": frozenset({"heart", "kidney", "failure"}),
    "I13.10": frozenset({"heart", "kidney"}),
    "I13.11": frozenset({"heart", "kidney", "late"}),
    "I13.2": frozenset({"heart", "kidney", "failure", "late"}),
}


def _widens(told: str, target: str) -> bool:
    """Whether the hypertension combination ``target`` says all ``told`` says and more (I11.9 -> I11.0, I12.9 ->
    I13.0, I13.10 -> I13.0), not less (I13.0 is not made I11.0 by a CKD the note does not code)."""
    says = _HTN_COMBINATION_SAYS
    return target in says and told in says and says[told] < says[target]


_CLASS_MAIN_TERMS = frozenset(words("disorder disease syndrome condition complication lesion abnormal anomaly"))


def _told_apart_with(coder: DiagnosisCoder, props: list[Proposal], not_coded: list[NotCoded]) -> None:
    """Guidelines I.A.15: a condition whose Index entry lists another under "with", the other told as a problem of
    its own ("Alcoholic cirrhosis of liver" and "Ascites": "Cirrhosis, liver, alcoholic, with ascites" K70.31, not
    K70.30 and R18.8), unless the provider says they are unrelated. Only a "with" subterm whose words are all the
    other condition's main term, and a combination code the Tabular has."""
    for prop in list(props):
        if prop not in props or prop.code.startswith("Z") or len(prop.path) < 2:
            continue
        subterms = coder.with_subterms(prop.path)
        if not subterms:
            continue
        for other in [p for p in props if p is not prop and p.path and not p.code.startswith("Z")]:
            if other.statement is not None and _UNRELATED.search(other.statement.item_text):
                continue
            # (a main term that only classes conditions names none: "Disorder, depressive, major" is no
            # "Dependence, nicotine, with, disorder", a nicotine-induced disorder, F17.219)
            named = set(words(other.path[0])) - _CLASS_MAIN_TERMS
            combo = next((code for said, code in subterms if said and said <= named), None)
            entry = coder.entry(combo) if combo else None
            if combo is None or entry is None or not entry.billable or combo == prop.code:
                continue
            why = f"Index: {', '.join(prop.path)}, with {other.path[0].lower()} ({combo}); {other.code} told apart"
            replace_code(coder, prop, combo, G_WITH_TOLD_APART, why)
            prop.evidence.extend(e for e in other.evidence if e not in prop.evidence)
            if not coder.asks_for(combo, other.code):
                props.remove(other)
                not_coded.append(
                    NotCoded(other.title, f"{G_WITH_TOLD_APART} ({combo} names it)", tuple(other.evidence))
                )
            break


def _diabetes_with(coder: DiagnosisCoder, props: list[Proposal], not_coded: list[NotCoded]) -> None:
    """Guidelines I.A.15 and I.C.4.a: the classification presumes a link between diabetes and a condition its
    Index entry lists under "with", told apart or not ("Type 2 diabetes" and "Peripheral arterial disease" are
    E11.51, not E11.9 and I73.9), unless the provider says they are unrelated. The condition's own code stays
    where the combination's "use additional code" note asks for it (E11.69 for osteomyelitis, E11.621 for the
    ulcer's site)."""
    diabetes = [p for p in props if _is(p.code, "E10", "E11", "E13")]
    if not diabetes or any(p.statement is not None and _NO_COMPLICATION.search(p.statement.text) for p in diabetes):
        return  # "Type 2 diabetes mellitus without complications": the provider says there is no link to presume
    family = diabetes[0].code[:3]
    for other in [p for p in props if not _is(p.code, "E08", "E09", "E10", "E11", "E13", "Z")]:
        # the diabetes's own drugs are no other cause: "hypoglycemia due to glipizide" in a diabetic is E11.649 with
        # the drug's adverse effect (T38.3X5-), not E16.0 "drug-induced hypoglycemia"
        own_drug = other.statement is not None and any(
            p.statement is other.statement and p.code.startswith("T38.3") for p in props
        )
        if other.statement is not None and _UNRELATED.search(other.statement.item_text) and not own_drug:
            continue  # "neuropathy due to B12 deficiency, not diabetic"
        linked = coder.diabetes_with(family, other.code)
        if linked is None and own_drug and other.path:
            condition = coder.lookup(other.path[0])  # the condition itself, not as drug-induced
            if condition is not None and condition.code is not None:
                linked = coder.diabetes_with(family, condition.code)
        if linked is None or any(p.code == linked[0] for p in props):
            continue
        combo, subterm = linked
        told = next((p for p in diabetes if p.statement is not None and p.statement is other.statement), None)
        if told is not None:
            # the ulcer's site a diabetic ulcer's own statement gave: the combination the site belongs to
            # ("Diabetic ulcer of right heel": E11.621, foot ulcer, not E11.622, other skin ulcer), and the
            # combination where the adjective alone was read as the main term's default ("Diabetic foot ulcer of the
            # right heel with fat layer exposed": the path took the ulcer, L97.412, and "diabetic" E11.9)
            if told.code != combo and (told.code[:5] == combo[:5] or told.code == f"{family}.9"):
                replace_code(coder, told, combo, G_DIABETES_WITH, f"Index: Diabetes, diabetic, with, {subterm}")
                told.path = ("Diabetes, diabetic", "with", subterm)
            continue
        plain = next((p for p in diabetes if p.code == f"{family}.9"), None)
        why = f"Index: Diabetes, diabetic, with, {subterm} ({combo}); {other.code} told as its own problem"
        if plain is not None:
            replace_code(coder, plain, combo, G_DIABETES_WITH, why)
            plain.path = ("Diabetes, diabetic", DIABETES_KINDS[family], "with", subterm)
            plain.evidence.extend(e for e in other.evidence if e not in plain.evidence)
        else:
            _add(coder, props, combo, G_DIABETES_WITH, (*diabetes[-1].order, 0.4), list(other.evidence), [why])
        entry = coder.entry(combo)
        # "E11.69 ... use additional code to identify complication": a note that names no codes
        open_note = entry is not None and any(
            not n.refs and "complication" in n.text.lower() for n in entry.all_notes(NoteKind.USE_ADDITIONAL_CODE)
        )
        if not coder.asks_for(combo, other.code) and not open_note:
            props.remove(other)
            not_coded.append(NotCoded(other.title, f"{G_DIABETES_WITH} ({combo} names it)", tuple(other.evidence)))


def _together(a: Proposal, b: Proposal) -> bool:
    """Two codes told in the same sentence (or item)."""
    return a.statement is not None and b.statement is not None and a.statement.item == b.statement.item


def _reads_further(text: str, lexicon: Lexicon, fuller: Proposal, alone: Proposal) -> bool:
    """Whether ``fuller`` reads the words ``alone`` was coded from further: its statement holds the
    other's, and its path goes on from the other's path ("Hernia" -> "Hernia, hiatal") or, where the
    other is a main term's default, names that main term in another entry ("Keratitis" -> "Herpes,
    simplex, keratitis", "Infection" -> "Cytomegalovirus infection"); and the words it goes on by are
    said with the word ("a large hiatal hernia", "HSV keratitis"), not somewhere else in the sentence."""
    a, b = fuller.statement, alone.statement
    if a is None or b is None or not alone.path or fuller.code == alone.code:
        return False
    if not (a.start <= b.start and b.end <= a.end):
        return False
    own = {w for title in alone.path for w in words(title)}
    if fuller.path[: len(alone.path)] == alone.path and len(fuller.path) > len(alone.path):
        further = {w for title in fuller.path[len(alone.path) :] for w in words(title)}
    elif (
        len(alone.path) == 1
        and fuller.path[:1] != alone.path
        and main_term_words(alone.path[0]) & {w for title in fuller.path for w in words(title)}
    ):
        # another entry is another reading: taken only where the note says all of it ("stress urinary
        # incontinence" is "Incontinence, stress", not also F43.9 stress; an "erythematous rash" is no
        # "Erythema, rash, newborn")
        if unsaid_path_words(fuller.path, set(words(lexicon.expand(a.text)))):
            return False
        further = {w for title in fuller.path for w in words(title)} - own
    else:
        return False
    before = words(lexicon.expand(text[max(a.start, b.start - PHRASE_REACH) : b.start]))
    after = words(lexicon.expand(text[b.end : min(a.end, b.end + PHRASE_REACH)]))
    return bool(further & (set(before[-PHRASE_WORDS:]) | set(after[:PHRASE_WORDS])))


def apply_conventions(
    coder: DiagnosisCoder,
    props: list[Proposal],
    note: ClinicalNote,
    ctx: EncounterContext,
    lexicon: Lexicon,
    not_coded: list[NotCoded],
    queries: list[PhysicianQuery],
    *,
    course: bool = False,
) -> list[Proposal]:
    """The Tabular's and the guidelines' conventions over the proposed codes.

    ``course``: the note tells a course of illness (a case report), not one encounter; a sign is part
    of a disease only where the same sentence tells both ("fever secondary to pneumonia"), not because
    an infection appears somewhere in months of history.
    """
    text = note.text
    # -- diabetes with chronic kidney disease (the "with" presumption) --------------------------
    ckd = _find(props, "N18")
    stage = ckd_stage(lexicon.expand(text))
    diabetes = _find(props, "E08", "E09", "E10", "E11", "E13")
    if diabetes and (
        ckd
        or re.search(
            r"chronic kidney disease",
            lexicon.expand(" ".join(p.statement.item_text for p in diabetes if p.statement)),
            re.I,
        )
    ):
        family = diabetes[0].code[:3]
        if not any(_is(p.code, family + ".2") for p in diabetes):
            # every mention of the diabetes is the one linked to the CKD: none is left "without complications"
            plain = [p for p in diabetes if p.code == f"{family}.9"]
            for prop in plain:
                replace_code(coder, prop, f"{family}.22", G_DIABETES_CKD, "CKD documented with diabetes")
            if not plain:
                _add(
                    coder,
                    props,
                    f"{family}.22",
                    G_DIABETES_CKD,
                    (*diabetes[-1].order, 0.5),
                    diabetes[-1].evidence,
                    ["diabetes and CKD are presumed linked"],
                )
    # -- diabetes with a condition the Index lists under its "with", told as its own problem ------
    if not course:
        _diabetes_with(coder, props, not_coded)
        _told_apart_with(coder, props, not_coded)
    # -- hypertension with heart failure and/or CKD -------------------------------------------
    htn = _find(props, "I10")
    heart_failure = _find(props, "I50")
    ckd = _find(props, "N18")
    kidney_combo = bool(ckd) or any(_is(p.code, "E08.22", "E09.22", "E10.22", "E11.22", "E13.22") for p in props)
    if htn or _find(props, "I11", "I12", "I13"):
        late = stage in ("N18.5", "N18.6") or any(
            _is(p.code, "N18.5", "N18.6", "I12.0", "I13.11", "I13.2") for p in props
        )
        target = None
        if heart_failure and kidney_combo:
            target = "I13.2" if late else "I13.0"
        elif heart_failure:
            target = "I11.0"
        elif kidney_combo:
            target = "I12.0" if late else "I12.9"
        for prop in htn if target else []:  # each mention of the hypertension
            replace_code(coder, prop, target or "", G_HTN, "hypertension with heart failure and/or CKD")
        for prop in _find(props, "I11", "I12", "I13") if target else []:
            # a combination told without all it combines ("Hypertensive heart and chronic kidney disease", I13.10,
            # beside "acute on chronic diastolic heart failure"): the one the heart failure and CKD make it
            if prop.code != target and _widens(prop.code, target or ""):
                replace_code(coder, prop, target or "", G_HTN, "the combination with the heart failure and CKD told")
        combined = _find(props, "I11", "I12", "I13")
        for prop in htn if combined and not target else []:
            # hypertension said again beside its combination ("hypertensive cardiomyopathy"): I11-I13 code it
            replace_code(coder, prop, combined[0].code, G_HTN, "the hypertension is coded in its combination")
    # the link hypertension -> heart disease is presumed for heart failure and I51.4-I51.9 only (Guidelines
    # I.C.9.a.1): "hypertension and ischemic heart disease" is I10 and I25.9, not I11.9 and I25.9
    for hhd in _find(props, "I11.9"):
        said = hhd.statement.text.lower() if hhd.statement else ""
        other_heart = [
            p
            for p in props
            if p.statement is not None
            and hhd.statement is not None
            and p.statement.item == hhd.statement.item
            and _is(p.code, *_HEART_NOT_PRESUMED)
        ]
        if other_heart and not _is_linked_heart(said) and not _find(props, "I50", *_HEART_PRESUMED):
            replace_code(
                coder, hhd, "I10", G_HTN, f"heart disease said is {other_heart[0].code}, not linked to hypertension"
            )
    # -- COPD with an acute lower respiratory infection: the Index's "Disease, pulmonary, chronic obstructive, with,
    # acute lower respiratory infection" (J44.0, presumed linked, I.A.15), the infection coded beside it (its "use
    # additional code") and an exacerbation kept (J44.1) ------------------------------------------------------------
    copd = _find(props, "J44")
    infections = _find(props, *_LOWER_RESPIRATORY_INFECTIONS)
    for prop in copd if not infections else ():
        # "COPD with acute exacerbation and pneumonia": the path read the exacerbation (J44.1) and left the
        # infection the "with" lists; J44.0's "use additional code to identify the infection" codes it
        listed = _COPD_INFECTION_SAID.search(prop.statement.text) if prop.statement else None
        found = coder.lookup(lexicon.expand(listed[0])) if listed else None
        if found is not None and found.code is not None and found.code.startswith(_LOWER_RESPIRATORY_INFECTIONS):
            added = _add(coder, props, found.code, G_COPD_INFECTION, (*prop.order, 0.5), prop.evidence, [G_WITH_LISTED])
            if added is not None:
                added.path = found.path
                infections = [added]
                break
    if copd and infections and not _find(props, "J44.0"):
        why = "COPD with an acute lower respiratory infection, coded beside it"
        plain = _find(props, "J44.9")
        for prop in plain:
            replace_code(coder, prop, "J44.0", G_COPD_INFECTION, why)
        if not plain:
            evidence = [*copd[0].evidence, *(e for e in infections[0].evidence if e not in copd[0].evidence)]
            _add(coder, props, "J44.0", G_COPD_INFECTION, (*copd[0].order, 0.4), evidence, [why])
    # -- a type 2 myocardial infarction said NSTEMI or STEMI is I21.A1 alone (Guidelines I.C.9.e.5) ------------------
    for prop in _find(props, "I21.0", "I21.1", "I21.2", "I21.3", "I21.4"):
        if prop.statement is not None and _TYPE_2_MI.search(prop.statement.text):
            replace_code(coder, prop, "I21.A1", G_TYPE_2_MI, "a type 2 infarction, whatever its ST segment")
    # -- CKD stage documented elsewhere in the note ("chronic kidney disease (stage 5, GFR 11)") --------
    if stage and stage != "N18.9":
        for n18 in _find(props, "N18.9"):
            replace_code(coder, n18, stage, G_CKD_STAGE, "the stage the note documents")
    # -- CKD stage: "use additional code to identify the stage" -------------------------------
    needs_stage = [
        p
        for p in props
        if _is(p.code, "E08.22", "E09.22", "E10.22", "E11.22", "E13.22", "I12", "I13.0", "I13.1", "I13.2")
    ]
    if needs_stage and not _find(props, "N18"):
        code = stage or "N18.9"
        # the stage's evidence is the statement that says it ("diabetic CKD stage 3b"), not the last combination's
        told = [p for p in needs_stage if p.statement and ckd_stage(lexicon.expand(p.statement.text))]
        parent = told[0] if told else max(needs_stage, key=lambda p: p.order)
        added = _add(
            coder,
            props,
            code,
            G_USE_ADDITIONAL,
            (*parent.order, 0.6),
            parent.evidence,
            [f"use additional code for the stage of CKD ({parent.code})"],
        )
        if added and (query := specificity_query(code, tuple(parent.evidence))) is not None:
            queries.append(query)
    for n18 in _find(props, "N18"):
        parents = [
            p
            for p in props
            if p is not n18 and _is(p.code, "E08.22", "E09.22", "E10.22", "E11.22", "E13.22", "I12", "I13")
        ]
        if parents:
            n18.order = (*max(p.order for p in parents), 0.6)
            n18.sequence_reason = G_CODE_FIRST
    # -- stage 5 on chronic dialysis: N18.6 ("Chronic kidney disease requiring chronic dialysis"), with the dialysis
    # status its note asks for (Z99.2) --------------------------------------------------------------------------
    if _ON_DIALYSIS.search(text):
        for n18 in _find(props, "N18.5"):
            replace_code(coder, n18, "N18.6", G_CKD_STAGE, "stage 5 on chronic dialysis is N18.6's inclusion term")
        esrd = _find(props, "N18.6")
        if esrd and not _find(props, "Z99.2"):
            why = "N18.6: use additional code to identify dialysis status (Z99.2)"
            # (last of its problem: N18.6 itself follows the hypertensive CKD its "code first" names)
            _add(coder, props, "Z99.2", G_USE_ADDITIONAL, (*esrd[0].order[:-1], 0.95), esrd[0].evidence, [why])
    # -- a "code first" note that names one condition the statement says: that code, first ("COVID-19 pneumonia"
    # J12.82: "code first COVID-19 (U07.1)"); COVID-19 said as the cause of another condition: U07.1 first
    # (Guidelines I.C.1.g.1.a) ----------------------------------------------------------------------------------
    for prop in list(props):
        entry = coder.entry(prop.code)
        statement = prop.statement
        if entry is None or statement is None:
            continue
        if _COVID_DENIED.search(statement.text) and prop.code in ("U07.1", "J12.82"):
            # "Pneumonia, COVID-19 negative": the test says no COVID-19; a pneumonia said stays one, unspecified
            if prop.code == "J12.82":
                replace_code(coder, prop, "J18.9", prop.reason, "COVID-19 said negative: no organism said")
            else:
                props.remove(prop)
                not_coded.append(
                    NotCoded(prop.title, f"{G_COVID}: the note says the test is negative", tuple(prop.evidence))
                )
            continue
        for first_code in _named_first(entry.all_notes(NoteKind.CODE_FIRST), statement.text, lexicon):
            why = f"{prop.code}: code first {first_code}, which the statement names"
            before = (*prop.order[:-1], prop.order[-1] - 0.002)
            _add(coder, props, first_code, G_CODE_FIRST, before, prop.evidence, [why])
        if (
            _COVID.search(statement.text)
            and not _COVID_DENIED.search(statement.text)
            and not _find(props, *_COVID_CODES)
        ):
            why = "COVID-19 said as the cause: U07.1 first, then its manifestations"
            _add(coder, props, "U07.1", G_COVID, (*prop.order[:-1], prop.order[-1] - 0.002), prop.evidence, [why])
    # -- severe sepsis: the systemic infection first, A41.9 where no organism is said (Guidelines I.C.1.d.1.a.ii;
    # R65.2's "code first underlying infection") ------------------------------------------------------------------
    severe = _find(props, "R65.2")
    if severe and not _find(props, *SYSTEMIC_INFECTIONS):
        shock = min(severe, key=lambda p: p.order)
        why = "R65.2-: code first the underlying infection; unspecified organism A41.9"
        before = (*shock.order[:-1], shock.order[-1] - 0.001)
        _add(coder, props, "A41.9", G_SEVERE_SEPSIS, before, shock.evidence, [why])
    for prop in severe:
        # told first ("Severe sepsis due to ..."), but never listed first: its reason is its place after the infection
        if prop.reason == G_FIRST_LISTED:
            prop.reason = prop.sequence_reason = G_SEVERE_SEPSIS
    # -- heart failure type after I11.0 / I13 -------------------------------------------------
    combos = _find(props, "I11.0", "I13.0", "I13.2")
    typed = _find(props, "I50")
    if combos and all(p.code == "I50.9" for p in typed):
        # "Hypertension with heart failure": the combination took the heart failure's words, and its type is
        # the additional code the combination asks for (I50.9 where none is said, with a query for it)
        parent = combos[0]
        standing = bool(typed) or _add(
            coder,
            props,
            "I50.9",
            G_USE_ADDITIONAL,
            (*parent.order, 0.4),
            parent.evidence,
            [f"use additional code to identify the type of heart failure ({parent.code})"],
        )
        query = specificity_query("I50.9", tuple(parent.evidence))
        if standing and query is not None:
            queries.append(query)
    for combo in combos:
        # the combination stands where the first of the conditions it joins was told: a visit for heart
        # failure lists I11.0 first, though the hypertension was the third problem (I.C.9.a.1)
        combo.order = min([combo.order, *(hf.order for hf in _find(props, "I50"))])
        for hf in _find(props, "I50"):
            hf.order = (*combo.order, 0.4)
            hf.sequence_reason = "I11.0/I13: use additional code to identify the type of heart failure"
    # -- use additional code: long-term drug therapy, tobacco, BMI ----------------------------
    # Long-term (current) drug therapy, Z79.- (Guidelines I.C.21.c.3), for the classes the lexicon knows;
    # an E10 code already says insulin (I.C.4.a.3), so Z79.4 is not added with type 1 diabetes.
    type1 = bool(_find(props, "E10"))
    drugs_said = _drug_classes_said(note, lexicon)
    for z_code in lexicon.drug_classes:
        if (z_code == "Z79.4" and type1) or _find(props, z_code):
            continue
        ev = drugs_said.get(z_code)
        if ev is None:
            continue
        parents = [p for p in props if coder.asks_for(p.code, z_code)]
        why = (
            f"{parents[0].code}: use additional code for long-term drug therapy"
            if parents
            else "Guidelines I.C.21.c.3: long-term (current) drug therapy documented"
        )
        _add(coder, props, z_code, G_USE_ADDITIONAL, (LAST, parents[0].order[0] if parents else 99.0, 0.0), [ev], [why])
    # a "use additional code" note that asks for one of a few codes extending one title ("Hypoglycemia
    # level" E16.A-: level 1, 2, 3): the one whose extension the statement says ("hypoglycemia, level 2")
    for prop in list(props):
        extra = _named_additional(coder, prop, {p.code for p in props})
        if extra is not None:
            _add(
                coder,
                props,
                extra,
                G_USE_ADDITIONAL,
                (*prop.order, 0.5),
                prop.evidence,
                [f"{prop.code}: use additional code; the statement names {extra}"],
            )
    tobacco_refs = ("Z77.22", "Z87.891", "F17.210", "Z72.0")
    wants_tobacco = any(coder.asks_for(p.code, code) for p in props for code in tobacco_refs)
    for use in _find(props, "Z72.0"):
        said = use.statement.item_text.lower() if use.statement else ""
        if re.search(r"dependen|cigarettes? daily|\bppd\b|packs? (?:a|per) day", said):
            replace_code(
                coder, use, "F17.210", G_USE_ADDITIONAL, "dependence documented: F17.210, not Z72.0 (Excludes1)"
            )
    for dependence in _find(props, "F17.20"):
        # "Tobacco dependence" with the record saying what is smoked ("Still smokes 1 pack per day"): the
        # product's code (Step 1, the whole record); F17.200 only where nothing says it
        ev = _mentions(note, lexicon.tobacco.get("F17.210", ()), ("shx", "hpi", "assessment", "plan", "header"))
        if ev is not None:
            cigarettes = "F17.21" + dependence.code[6:]
            replace_code(coder, dependence, cigarettes, dependence.reason, f"the record says cigarettes ({ev.text!r})")
            dependence.evidence.append(ev)
    if wants_tobacco and not _find(props, "F17", "Z87.891", "Z72.0", "Z77.22"):
        for code, cues in lexicon.tobacco.items():
            ev = _mentions(note, cues, ("shx", "hpi", "assessment", "plan", "exam", "pmh", "header", "meds"))
            if ev is None:
                continue
            if code != "none":
                _add(
                    coder,
                    props,
                    code,
                    G_USE_ADDITIONAL,
                    (LAST + 1, 0.0),
                    [ev],
                    ["tobacco status, as the Tabular's 'use additional code' note asks"],
                )
            break
    # no BMI code during pregnancy (Guidelines I.C.21.c.3)
    for obesity in [] if _find(props, *PREGNANCY_CODES) else _find(props, "E66"):
        z68 = bmi_code(obesity.statement.item_text if obesity.statement else "", ctx.age) or bmi_code(text, ctx.age)
        if z68:
            _add(
                coder,
                props,
                z68,
                G_USE_ADDITIONAL,
                (*obesity.order, 0.5),
                obesity.evidence,
                [f"{obesity.code}: use additional code to identify body mass index"],
            )
    # the stroke scale the note records, where an infarction's code asks for it (I63 "use additional code, if known,
    # to indicate National Institutes of Health Stroke Scale (NIHSS) score (R29.7-)"; Guidelines I.C.18.j)
    scored = _NIHSS.search(text)
    infarction = next((p for p in props if coder.asks_for(p.code, "R29.7")), None) if scored else None
    if scored is not None and infarction is not None:
        score = int(scored.group(1))
        nihss = f"R29.7{score:02d}" if 0 <= score <= 42 else None
        if nihss and coder.entry(nihss) is not None:
            ev = Evidence(scored.start(), scored.end(), scored.group(0), note.section_at(scored.start()))
            _add(
                coder,
                props,
                nihss,
                G_USE_ADDITIONAL,
                (*infarction.order, 0.5),
                [ev],
                [f"{infarction.code}: use additional code for the NIHSS score the note records"],
            )
    # -- pregnancy codes only on a maternal record (Guidelines I.C.15.a) ---------------------------
    if ctx.sex == "M" or ctx.age < MATERNAL_AGE_MIN:
        for prop in [p for p in props if p.code.startswith(PREGNANCY_CODES)]:
            props.remove(prop)
            who = "a male patient" if ctx.sex == "M" else f"a patient aged {ctx.age}"
            not_coded.append(NotCoded(prop.title, f"{G_MATERNAL} ({prop.code}; {who})", tuple(prop.evidence)))
    # -- a normal pregnancy's supervision by the gravidity the record says (Z34.0- first, Z34.8- other) --------
    gravida = _GRAVIDA.search(note.text) if _find(props, "Z34.9") else None
    if gravida is not None:
        number = gravida.group(1) or gravida.group(2)
        if gravida.group(4):  # "second pregnancy"
            number = "1" if gravida.group(4).lower() in ("first", "1st") else "2"
        first = gravida.group(3).lower() == "primi" if gravida.group(3) else number == "1"  # "Primigravida"
        for prop in _find(props, "Z34.9"):
            replace_code(
                coder,
                prop,
                ("Z34.0" if first else "Z34.8") + prop.code[5:],
                prop.reason,
                f"the record says {gravida.group(0)!r}: {'first' if first else 'not the first'} pregnancy",
            )
    # -- a routine gynecological examination's "use additional code for screening for human papillomavirus, if
    # applicable (Z11.51)": the HPV test the visit collects ("Pap smear with HPV co-testing obtained") ------------
    gyn_exams = _find(props, "Z01.41")
    hpv = _HPV_TEST.search(note.text) if gyn_exams else None
    if (
        hpv is not None
        and not _NOT_DONE_BEFORE.search(note.text, max(0, hpv.start() - 30), hpv.start())
        and not _NOT_DONE_AFTER.match(note.text, hpv.end())
    ):
        gyn = gyn_exams[0]
        collected = Evidence(hpv.start(), hpv.end(), hpv[0], note.section_at(hpv.start()))
        why = "Z01.41-: use additional code for screening for human papillomavirus, the HPV test collected"
        _add(coder, props, "Z11.51", G_USE_ADDITIONAL, (*gyn.order, 0.5), [collected], [why])
    # -- how an injury happened, where only the history tells it (Guidelines I.C.20) -------------
    # an injury's own statement may say it ("Fall from ladder with ..."); else the chief complaint or history
    injuries = [p for p in props if p.code[:1] == "S" or (p.code[:1] == "T" and "15" <= p.code[1:3] <= "34")]
    if not course and injuries and len(injuries[0].code) == 8 and not _find(props, "V", "W", "X", "Y"):
        injury = injuries[0]
        for cause in coder.cause_in_history(note, injury.code[7]):
            cause.order = (*injury.order, *cause.order)
            props.append(cause)
    # -- liveborn infant only on the birth record (Guidelines I.C.16.a.2) -------------------------
    if course or ctx.setting.value != "inpatient" or ctx.age >= 1:
        for prop in [p for p in props if p.code.startswith("Z38")]:
            props.remove(prop)
            not_coded.append(NotCoded(prop.title, f"{G_BIRTH} ({prop.code})", tuple(prop.evidence)))
    # -- a condition word read alone and in its phrase: the phrase's reading ----------------------
    # "a large hiatal hernia": the word "hernia" alone walks to "Hernia" (K46.9), the phrase to "Hernia,
    # hiatal" (K44.9); one hernia, coded as the Index's subterm names it (Guidelines I.A.18: the main
    # term's default code is for a condition told without further detail), not also as an unspecified one
    by_item: dict[int, list[Proposal]] = {}  # a statement that holds another is of the same item
    for prop in props:
        by_item.setdefault(prop.statement.item if prop.statement else -1, []).append(prop)
    removed: set[int] = set()
    for prop in list(props):
        same_item = by_item.get(prop.statement.item, []) if prop.statement else []
        fuller = next(
            (p for p in same_item if p is not prop and id(p) not in removed and _reads_further(text, lexicon, p, prop)),
            None,
        )
        if fuller is not None:
            removed.add(id(prop))
            props.remove(prop)
            not_coded.append(
                NotCoded(prop.title, f"{G_SPECIFIC} ({fuller.code}: {' > '.join(fuller.path)})", tuple(prop.evidence))
            )
    # -- a condition told again elsewhere by its main term alone ---------------------------------
    # "Severe sepsis due to E. coli UTI" (A41.51) and, two problems on, "encephalopathy due to sepsis": one sepsis,
    # coded as the fuller statement names it, not also by the main term's default (A41.9; Guidelines I.A.18); a
    # case report tells a course, where a condition said again may be a later one
    # (the default's unspecified organism or kind may be another category's: "Sepsis due to pneumonia" as the
    # principal diagnosis, "Sepsis due to Streptococcus pneumoniae" among the discharge diagnoses, A41.9 and A40.3;
    # "Pneumonia" J18.9 and "Pneumococcal pneumonia" J13; the fuller code takes the place of the first told)
    for prop in [p for p in props if not course and len(p.path) == 1]:
        unspecified = "unspecified" in prop.title.lower()
        fuller = next(
            (
                p
                for p in props
                if p is not prop
                and len(p.path) > 1
                and p.path[0] == prop.path[0]
                and (p.code[:3] == prop.code[:3] or (unspecified and p.code[0] == prop.code[0]))
                and p.code != prop.code
            ),
            None,
        )
        if fuller is not None:
            if fuller.code[:3] != prop.code[:3] and prop.order < fuller.order:
                fuller.order, fuller.reason = prop.order, prop.reason
            props.remove(prop)
            not_coded.append(
                NotCoded(prop.title, f"{G_SPECIFIC} ({fuller.code}: {' > '.join(fuller.path)})", tuple(prop.evidence))
            )
    # -- signs routinely part of a confirmed disease (Guidelines I.B.5) --------------------------
    for sign, diseases in lexicon.routine_signs.items():
        for prop in [p for p in props if p.code.startswith(sign)]:
            disease = next(
                (
                    p
                    for p in props
                    if not p.code.startswith("R") and p.code.startswith(diseases) and (not course or _together(p, prop))
                ),
                None,
            )
            if disease is None:
                continue
            props.remove(prop)
            not_coded.append(
                NotCoded(prop.title, f"{G_ROUTINE_SIGN} ({prop.code} with {disease.code})", tuple(prop.evidence))
            )
    # -- a sign the code of its own problem names (Guidelines I.B.5): "dementia ..., moderate, with agitation"
    # is F02.B11, "... with agitation", so agitation (R45.1) is not coded beside it
    # (a visit's problem; a case report's annotators code the signs of its course beside the disease)
    for prop in [p for p in props if not course and p.code.startswith("R") and p.path and p.statement is not None]:
        said_sign = main_term_words(prop.path[0])
        whole = next(
            (
                p
                for p in props
                if p is not prop
                and not p.code.startswith("R")
                and _together(p, prop)
                and said_sign <= set(words(p.title))
            ),
            None,
        )
        if said_sign and whole is not None:
            props.remove(prop)
            not_coded.append(
                NotCoded(prop.title, f"{G_ROUTINE_SIGN} ({prop.code}: {whole.code} names it)", tuple(prop.evidence))
            )
    # -- Excludes1: never together ------------------------------------------------------------
    kept: list[Proposal] = []
    excludes: dict[str, tuple[tuple[CodeRef, bool], ...]] = {}

    def excludes1(code: str) -> tuple[tuple[CodeRef, bool], ...]:
        # each code's Excludes1 references, read once (a long case report proposes thousands of codes), each
        # with whether the note excludes the condition only in or due to the other ("somnolence ... in
        # diabetes (E08-E13)")
        if code not in excludes:
            entry = coder.entry(code)
            notes = entry.all_notes(NoteKind.EXCLUDES1) if entry else ()
            excludes[code] = tuple(
                (ref, _IN_CONDITION.search(n.text.split("(")[0]) is not None) for n in notes for ref in n.refs
            )
        return excludes[code]

    def clashes_with(a: Proposal, b: Proposal) -> bool:
        # a condition excluded only "in" or "due to" the other clashes where the note links the two (told
        # together); apart, they are unrelated (the exception to Excludes1, Guidelines I.A.12.a). Two drugs'
        # codes never clash: a drug class's Excludes1 says where another drug is classified ("antineoplastic
        # antibiotics (T45.1-)" on T36), and each drug is coded (Guidelines I.C.19.e.5.a)
        if _is_drug_code(a.code) and _is_drug_code(b.code):
            return False
        return any(ref.covers(b.code) and (not linked or _together(a, b)) for ref, linked in excludes1(a.code))

    for prop in sorted(props, key=lambda p: p.order):
        same = next((k for k in kept if k.code == prop.code), None)
        if same is not None:
            # said again: more certain, and the evidence is where it is said (every code kept was
            # weighed against this code's Excludes1 notes when it or this code came, so none clashes)
            same.confidence = min(0.99, same.confidence + 0.1)
            same.evidence.extend(e for e in prop.evidence if e not in same.evidence)
            continue
        clashes = [other for other in kept if clashes_with(prop, other) or clashes_with(other, prop)]
        # a condition outranks a status or encounter code it excludes (F17.210 over Z72.0), and a
        # diagnosis the sign or symptom it excludes (respiratory failure over dyspnea; Guidelines I.B.4);
        # a code that clashes with one it does not outrank is not reported
        outranked = [
            c
            for c in clashes
            if (c.code.startswith("Z") and not prop.code.startswith("Z"))
            or (c.code.startswith("R") and not prop.code.startswith(("R", "Z")))
        ]
        # a combination code the Index reached by linking the problem's other condition ("Sciatica, with
        # lumbago" for "low back pain with right-sided sciatica", M54.41) takes the place of the code of
        # that condition alone, which it excludes (Guidelines I.B.9), and its place in the sequence
        combined = [c for c in clashes if all(c is not o for o in outranked) and _combines(prop, c)]
        if combined:
            prop.order = min([prop.order, *(c.order for c in combined)])
            prop.notes_applied.append(f"{G_COMBINATION}: {prop.code} names {', '.join(c.code for c in combined)} too")
        outranked += combined
        # two conditions an Excludes1 note sends to a combination code ("angina pectoris with atherosclerotic
        # heart disease ... (I25.1-)") are reported as that code, in the place of the first told (I.B.9)
        rest = [c for c in clashes if all(c is not o for o in outranked)]
        if len(rest) == 1:
            other = rest[0]
            combination = _named_combination(coder, prop, other) or _named_combination(coder, other, prop)
            if combination is not None and (entry := coder.entry(combination)) is not None and entry.billable:
                what = f"{other.code} with {prop.code}"
                replace_code(
                    coder, other, combination, G_COMBINATION, f"the Excludes1 note names the combination ({what})"
                )
                other.order = min(other.order, prop.order)
                other.evidence.extend(e for e in prop.evidence if e not in other.evidence)
                why = f"{G_COMBINATION}: {combination} names it ({what}, Excludes1)"
                not_coded.append(NotCoded(prop.title, why, tuple(prop.evidence)))
                continue
        if len(outranked) < len(clashes):
            other = next(c for c in clashes if all(c is not o for o in outranked))
            why = f"{G_EXCLUDES1}: {prop.code} with {other.code}"
            not_coded.append(NotCoded(prop.title, why, tuple(prop.evidence)))
            continue
        for clash in outranked:
            kept = [k for k in kept if k is not clash]
            if any(clash is c for c in combined):
                prop.evidence.extend(e for e in clash.evidence if e not in prop.evidence)
                why = f"{G_COMBINATION}: {prop.code} names it (Excludes1 {clash.code})"
            else:
                why = f"{G_EXCLUDES1}: {clash.code} with {prop.code}"
            not_coded.append(NotCoded(clash.title, why, tuple(clash.evidence)))
        kept.append(prop)
    # -- manifestation codes never first ------------------------------------------------------
    ordered = sorted(kept, key=lambda p: p.order)
    for prop in ordered:
        entry = coder.entry(prop.code)
        if entry is None or not entry.manifestation:
            continue
        etiology = next((p for p in ordered if (e := coder.entry(p.code)) is not None and not e.manifestation), None)
        if etiology is not None and etiology.order > prop.order:
            prop.order = (*etiology.order, 0.7)
            prop.sequence_reason = G_CODE_FIRST
    # -- "code first" notes: a code whose note names another code of the encounter follows it ("Anemia in chronic
    # kidney disease" D63.1: "code first underlying chronic kidney disease (N18.-)") ------------------------------
    ordered = sorted(kept, key=lambda p: p.order)
    for prop in ordered:
        entry = coder.entry(prop.code)
        refs = [r for note in entry.all_notes(NoteKind.CODE_FIRST) for r in note.refs] if entry else []
        named = [p for p in ordered if p is not prop and p.code != prop.code and any(r.covers(p.code) for r in refs)]
        last = max(named, key=lambda p: p.order, default=None)
        if last is not None:
            # moved after the code it names, or already there (the statement named its etiology before it)
            prop.order = max(prop.order, (*last.order, 0.7))
            prop.sequence_reason = G_CODE_FIRST
    # -- chapter 15 first on a pregnant patient's record (Guidelines I.C.15.a.1), and at a prenatal visit of a
    # high-risk pregnancy the supervision code (O09) first-listed (I.C.15.b.2) ---------------------------------
    if ctx.setting.value == "outpatient":
        for prop in _find(kept, "O09"):
            prop.order, prop.sequence_reason = (-0.6, *prop.order), G_HIGH_RISK
    for prop in kept:
        if _is(prop.code, "O") and not _is(prop.code, "O09"):
            prop.order, prop.sequence_reason = (-0.5, *prop.order), G_CHAPTER_15
    return kept
