"""Steps 3-6 for diagnoses: Alphabetic Index, Tabular List, conventions and sequencing.

Each affirmed diagnostic statement is looked up in the Index (after the lexicon spells out the
shorthand); the code the Index gives is verified and, where it is a category, carried to the
billable code the statement's words support (laterality, type, encounter) in the Tabular List.
Then the guidelines that join codes are applied: the "with" presumption for diabetes and chronic
kidney disease (I.A.15, I.C.4.a), hypertension with heart and kidney disease (I.C.9.a), the "use
additional code" notes (CKD stage, long-term drug therapy, tobacco, BMI), Excludes1 pairs, and the
sequence (first-listed: the reason for the encounter; manifestations after their etiology).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from openrcm.codesets import NoteKind
from openrcm.codesets.icd10cm.index import (
    CONNECTIVES,
    SITE_KINDS,
    IndexHit,
    either_said,
    main_term_forms,
    main_term_words,
    negated_words,
    unsaid_words,
    words,
)
from openrcm.codesets.icd10cm.model import Icd10cmCode, NodeKind, Note
from openrcm.codesets.icd10cm.release import Icd10cmRelease
from openrcm.coding.lexicon import Lexicon
from openrcm.coding.model import Assertion, EncounterContext, Evidence, NotCoded, PhysicianQuery, Setting
from openrcm.coding.note import NOT_CONDITIONS, OTHER_SENSES, REFERRED_ONLY, ClinicalNote
from openrcm.coding.patterns import expression
from openrcm.coding.retrieval import Retrieved, TitleIndex
from openrcm.coding.statements import SIGNS_OF_UNCERTAIN, WITH, Statement, without_marker
from openrcm.coding.vocabulary import DEGREE_WORDS, POSITION_WORDS, RX_DRUG

G_OUTPATIENT_UNCERTAIN = "ICD-10-CM Guidelines IV.H: uncertain diagnoses are not coded in the outpatient setting"
G_FIRST_LISTED = "ICD-10-CM Guidelines IV.G: the condition chiefly responsible for the encounter is listed first"
G_COEXISTING = "ICD-10-CM Guidelines IV.J: coexisting conditions that require or affect care are coded"
_PERSONAL_HISTORY = ("Z85", "Z86", "Z87")
G_WITH = "ICD-10-CM Guidelines I.A.15: 'with' presumes a causal link"
FAMILY_HISTORY = ("Z80", "Z81", "Z82", "Z83", "Z84")
PERSONAL_CANCER_HISTORY = ("Z85",)
G_NO_INDEX_ENTRY = "No Alphabetic Index entry matched; needs a coder's review"
_PAST_PROCEDURE = re.compile(r"(?:s/p|status post)\b", re.IGNORECASE)
G_PAST_PROCEDURE = (
    "A past procedure is coded only as the status it leaves (Guidelines I.C.21.c.3), where the Index names one"
)
# Guidelines I.C.6.a: hemiplegia, monoplegia and the like of a side whose dominance is not documented:
# the right side is dominant, the left side nondominant (and an ambidextrous patient's either, dominant)
_SIDE_DEFAULTS = {"dominant": "right side's", "nondominant": "left side's"}


def _dominance_default(candidates: list[str], said: set[str], words_of: Callable[[str], frozenset[str]]) -> str | None:
    """The dominance word I.C.6.a supplies, where the codes to choose between differ by it and the note
    names a side but not its dominance."""
    if said & {"dominant", "nondominant", "ambidextrous"} or not any("nondominant" in words_of(c) for c in candidates):
        return None
    if "left" in said and "right" not in said:
        return "nondominant"
    if "right" in said and "left" not in said:
        return "dominant"
    return None


# "pain in both lower limbs", "both knees": the two sides, as "bilateral" says them
_BOTH = re.compile(r"\bboth\s+(?:the\s+)?(?:[a-z]+\s+){0,2}[a-z]+s\b", re.IGNORECASE)
# a visit's problem naming a paired organ in the plural and no side ("Pain in feet"): both (case reports' coders
# left such sides unspecified: CodiEsp dev lost an M25.519 when it was read there too)
_PAIRED_PLURAL = re.compile(
    r"^(?!.*\b(?:right|left|r|l)\b).*\b(?:feet|knees|hands|eyes|ears|hips|shoulders|ankles|wrists|elbows)\b",
    re.IGNORECASE,
)
# Main terms whose folded kind is what the condition is unless the note says another: a fracture is
# traumatic unless documented pathological, stress or due to a disease (Guidelines I.C.19.c, I.C.13.c),
# and the Index files it under "Fracture, traumatic"
# (and "long-term insulin use", said as the statement's subject, is the Index's "Long-term (current)
# (prophylactic) drug therapy (use of)": the drug named says the drug therapy)
IMPLIED_KINDS = {
    "fracture, traumatic": frozenset({"traumatic"}),
    "long-term drug therapy": frozenset({"drug", "therapy"}),
    # the Index's only entry for it ("Hypertriglyceridemia, essential" E78.1): hypertriglyceridemia as notes say it
    "hypertriglyceridemia, essential": frozenset({"essential"}),
}
_PART_WORDS = frozenset({"end", "part", "portion"})
_NAMED_LETTER = re.compile(r"(?<=[A-Za-z][A-Za-z] )([A-Za-z])\b")
G_FOLLOWED_UP_HISTORY = (
    "ICD-10-CM Guidelines I.C.21.c.8 and Z09's 'use additional code' note: the resolved condition followed up "
    "is coded by its personal history code"
)
# The Tabular's personal history codes of "other diseases" of each body system (Z86-Z87), by the chapter or
# block of the condition's code (neoplasms have their own in the Index: "History, personal, malignant ...")
_HISTORY_BY_BLOCK = (
    ("A00", "B99", "Z86.19"),
    ("D50", "D89", "Z86.2"),
    ("E00", "E89", "Z86.39"),
    ("F01", "F99", "Z86.59"),
    ("G00", "G99", "Z86.69"),
    ("H00", "H95", "Z86.69"),
    ("I00", "I99", "Z86.79"),
    ("J00", "J99", "Z87.09"),
    ("K00", "K95", "Z87.19"),
    ("L00", "L99", "Z87.2"),
    ("M00", "M99", "Z87.39"),
    ("N00", "N39", "Z87.448"),
    ("N40", "N53", "Z87.438"),
    ("N60", "N98", "Z87.42"),
    ("O00", "O9A", "Z87.59"),
    ("Q00", "Q99", "Z87.798"),
    ("S00", "T88", "Z87.828"),
)


def history_of_other_diseases(code: str) -> str | None:
    """The personal history code of other diseases of ``code``'s body system, or None (neoplasms, symptoms,
    Z codes)."""
    category = code[:3].upper()
    return next((history for first, last, history in _HISTORY_BY_BLOCK if first <= category <= last), None)


# "Normal renal ultrasound.", "Unremarkable chest.", "Within normal limits": a result that found nothing
_NORMAL_RESULT = re.compile(
    r"^\W*(?:(?:\d+\.\s*)?(?:essentially|otherwise|overall)\s+)?(?:normal|unremarkable|negative)\b"
    r"|\bwithin normal limits\b",
    re.IGNORECASE,
)
G_NORMAL_RESULT = "A normal result names no condition; a test's reason is coded in its place (Guidelines IV.K)"
# "C15-C26", "C50.-", "C7A.022-C7A.025" in a "Conditions classifiable to" note
_CODE_RANGE = re.compile(r"\b([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]+)?)(?:\.-)?(?:-([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]+)?))?")
G_DIABETES_CKD = "ICD-10-CM Guidelines I.A.15 and I.C.4.a: diabetes with chronic kidney disease is presumed linked"
G_HTN = "ICD-10-CM Guidelines I.C.9.a: hypertension with heart disease and/or chronic kidney disease"
G_USE_ADDITIONAL = "ICD-10-CM Guidelines I.A.13: 'use additional code' notes"
G_SEPSIS = "ICD-10-CM Guidelines I.C.1.d.4: sepsis with a localized infection, the systemic infection first"
SEPSIS_CODES = ("A40", "A41")
# a condition said to be caused by the diabetes, the diabetes named last
_DUE_TO_DIABETES = re.compile(
    r"(.+?)\s+(?:due to|secondary to|caused by|from|related to)\s+((?:(?:type [12]|gestational|steroid-induced)\s+)?"
    r"diabetes(?: mellitus)?(?:,? type [12])?)",
    re.IGNORECASE,
)
# the disease a manifestation is said in ("varices in alcoholic cirrhosis of liver")
_ACUITY_ONLY = re.compile(r"\b(?:acute on chronic|acute|subacute|chronic)\b", re.IGNORECASE)
_UNDERLYING_SAID = expression(r"\b(?:in|of|due to|secondary to)\s+(?:the\s+)?(?:setting of\s+)?([^;]+)$")
# what makes a sepsis severe, said after it ("..., with septic shock", "with severe sepsis")
_ORGAN_DYSFUNCTION = re.compile(
    r",?\s*(?:\bwith\s+|\band\s+)?(?:severe sepsis|septic shock)\b(?:\s+(?:now\s+)?resolved)?", re.IGNORECASE
)
G_UROSEPSIS = (
    "ICD-10-CM Guidelines I.C.1.d.1.a.ii: 'urosepsis' is a nonspecific term with no default code; the provider "
    "is queried"
)
UROSEPSIS_QUESTION = (
    'The documentation states "urosepsis", which has no ICD-10-CM code. Based on your clinical judgment, '
    "please clarify the condition being treated: sepsis due to a urinary tract infection, a urinary tract "
    "infection without sepsis, another condition, or unable to determine."
)
_UROSEPSIS = re.compile(r"\burosepsis\b", re.IGNORECASE)
# a sepsis told by its severity first ("Severe sepsis due to ...", "Septic shock due to ..."): the systemic infection
# is the sepsis the rest of the statement names
_SEVERE_FIRST = re.compile(r"^\s*(?:severe sepsis|septic shock)\b", re.IGNORECASE)
_SHOCK_DENIED = re.compile(r"\b(?:without|no|not in)\s+(?:septic\s+)?shock\b", re.IGNORECASE)
_SHOCK = re.compile(r"\bseptic shock\b", re.IGNORECASE)
_SEVERE_SAID = re.compile(r"\bsevere sepsis\b|\bsepsis with (?:acute )?organ dysfunction\b", re.IGNORECASE)
G_SEVERE_SEPSIS = (
    "ICD-10-CM Guidelines I.C.1.d.1.a.ii: severe sepsis, the underlying systemic infection first (A41.9 where the "
    "organism is not specified), then R65.2-"
)
G_CODE_FIRST = "ICD-10-CM Guidelines I.A.13: etiology before manifestation ('code first')"
G_ADVERSE_EFFECT = (
    "ICD-10-CM Guidelines I.C.19.e.5.a: an adverse effect of a drug correctly prescribed and properly administered: "
    "the nature of the effect, then the drug's code from the Table of Drugs (T36-T50, 5th or 6th character 5)"
)
G_EXCLUDES1 = "ICD-10-CM Guidelines I.A.12.a: Excludes1 codes are never reported together"
G_DEFAULT_TYPE = "ICD-10-CM Guidelines I.C.4.a.2: diabetes of unstated type defaults to type 2 (E11.-)"
G_FAMILY = "Family history is coded only with Z80-Z84 (Guidelines I.C.21.c.4)"
G_NEGATED = "Negated conditions are not coded"
G_UNDERDOSING = (
    "ICD-10-CM Guidelines I.C.19.e.5.c: underdosing, from the Table of Drugs, with the noncompliance's intent if known"
)
_UNDERDOSED = re.compile(
    r"\bunderdos(?:ing|ed)\s+(?:of\s+|on\s+|with\s+)?(?:(?:his|her|the)\s+)?(?P<drug>[a-z][\w-]*)", re.I
)
# where the condition an underdosing made worse ends: "Seizure due to underdosing of levetiracetam"
_UNDERDOSING_CAUSE = re.compile(
    r"[,;]?\s*\b(?:(?:due to|secondary to|from|because of|after|with)\s+)?underdos(?:ing|ed)\b", re.IGNORECASE
)
G_POISONING = (
    "ICD-10-CM Guidelines I.C.19.e.5.b: a poisoning or toxic effect from the Table of Drugs and Chemicals by its "
    "intent (accidental where none is said), first; its manifestations after it"
)
# "Poisoning by acetaminophen", "toxic effect of carbon monoxide", "overdose of oxycodone", "intentional ingestion
# of ibuprofen", "acetaminophen overdose": the substance, from the Table of Drugs and Chemicals
_POISONING = r"(?:poisoning|overdose|toxic effects?|ingestion)"
_POISONED_OF = re.compile(
    rf"\b{_POISONING}\s+(?:by|of|with|from|on)\s+(?:(?:an?|the|his|her)\s+)?(?P<drug>[a-z][\w-]*"
    r"(?:\s+(?!with\b|and\b|causing\b|resulting\b|in\b|due\b)[a-z][\w-]*)?)",
    re.IGNORECASE,
)
# (not an intent or a class said before it: "intentional overdose", "opioid overdose")
_NOT_A_SUBSTANCE = r"(?!(?:accidental|intentional|unintentional|suspected|possible|drug|opioid)\b)"
_POISONED_BEFORE = re.compile(
    rf"\b{_NOT_A_SUBSTANCE}(?P<drug>[a-z][\w-]*(?:\s+monoxide)?)\s+(?:poisoning|overdose)\b", re.I
)
_POISONED = re.compile(f"{_POISONED_OF.pattern}|{_POISONED_BEFORE.pattern.replace('?P<drug>', '')}", re.IGNORECASE)
# a poisoning's intent, by the Table of Drugs' column it names (accidental where none is said)
_POISONING_INTENTS = (
    (re.compile(r"\b(?:intentional\w*|suicid\w*|self[- ]harm\w*|self[- ]inflicted)\b", re.I), "Intentional self-harm"),
    (re.compile(r"\b(?:assault\w*|homicid\w*|by another person)\b", re.I), "Assault"),
    (re.compile(r"\bundetermined\b", re.I), "Undetermined"),
)
# what a poisoning statement says besides the substance, its intent and the encounter: the manifestation
_POISONING_SAID = (
    *("poisoning", "overdose", "toxic effects?", "ingestion", "accidental(?:ly)?", "unintentional", "intentional"),
    *("suicide attempt", "suicidal", "self[- ]harm", "undetermined", "intent", "assault"),
    *("initial", "subsequent", "encounter", "sequela"),
    *("by", "of", "with", "from", "on", "an?", "the", "his", "her", "causing", "resulting in", "due to", "and"),
)
_POISONING_WORDS = re.compile(rf"\b(?:{'|'.join(_POISONING_SAID)})\b", re.IGNORECASE)
_FINANCIAL = re.compile(r"\b(?:financial|cost|afford\w*|money|insurance lapse|uninsured)\b", re.IGNORECASE)
_INTENTIONAL = re.compile(r"\bintentional\w*|\bchose not\b|\brefus\w+|\bdecided to stop\b", re.IGNORECASE)
_UNINTENTIONAL = re.compile(r"\bunintentional\w*|\bforg[oe]t\w*|\bconfus\w*|\bmisunderst\w*", re.IGNORECASE)
# an underdosing's noncompliance, by the Index's subterm it names
_NONCOMPLIANCE_INTENTS = (
    (_FINANCIAL, "intentional due to financial hardship of patient"),
    (_INTENTIONAL, "intentional"),
    (_UNINTENTIONAL, "unintentional"),
)


def _intent(text: str, intents: tuple[tuple[re.Pattern[str], str], ...], default: str) -> str:
    """The first intent ``text`` says, else ``default``."""
    return next((label for said, label in intents if said.search(text)), default)


G_COUNSELING_INTEGRAL = (
    "ICD-10-CM Guidelines I.C.21.c.10: counseling Z codes are not used where the counseling is integral to the "
    "treatment of a diagnosis coded"
)
G_HISTORY = "Resolved conditions are not coded as current; history codes only (Guidelines I.C.21.c.4)"
G_SEVENTH = "ICD-10-CM Guidelines I.C.19.a: 7th character for the encounter (A initial, D subsequent, S sequela)"

CHRONIC_CHAPTERS = ("E", "F", "G", "I", "M", "J41", "J42", "J43", "J44", "J45", "J47")
G_SEQUELA = "ICD-10-CM Guidelines I.B.10 and I.C.9.d: a residual deficit of a past condition is coded as its sequela"
G_CHRONIC = (
    "Guidelines I.C.21.c.4: history codes are for conditions that no longer exist; a chronic disease the "
    "Index names no personal history of is coded as a current condition"
)
# a muscle or a bone is named by its own name ("psoas abscess" is "Abscess, psoas muscle", "fracture of the
# fifth metatarsal" "Fracture, metatarsal bone, fifth"); a nerve, an artery or a duct is not: their
# adjectives say other things ("cranial displacement", "cystic mass", a tooth's "coronary" fracture), and
# saying the kind for them was tried (CodiEsp train: 7 new extras, 2 found)
TISSUE_WORDS = frozenset(words("muscle bone process"))  # "styloid process" is named by "styloid"
# a therapy the patient is on, by a drug or by a device ("Permanent pacemaker for sick sinus syndrome")
_THERAPY_STATUS = re.compile(
    r"\blong[- ]term\b|\banticoagula\w*|\bantiplatelet\w*|\b(?:on (?:chronic )?|chronic )\w+ therapy\b"
    r"|\bpacemaker\b|\bdefibrillator\b|\baicd\b|\binsulin pump\b",
    re.I,
)
_ORGANISM_AS_CAUSE = ("B95", "B96", "B97")


# a statement of how an injury happened ("Fall on same level from slipping, at home", "Fell from a ladder")
_EXTERNAL_CAUSE = re.compile(
    r"\s*(?:accidental |mechanical )?(?:fall|fell|slipped|tripped|struck|hit by|bitten by|motor vehicle|mvc|mva)\b",
    re.I,
)
_RECURRING = re.compile(r"\b(?:repeated|recurrent|frequent|multiple|history of|falls)\b", re.IGNORECASE)
_MECHANICAL = re.compile(r"^\s*(?:accidental|mechanical|ground[- ]level)\s+", re.IGNORECASE)
_FELL = re.compile(r"\bfell\b", re.IGNORECASE)
# what a cause's statement says beside it that is no word of its Index entry (the encounter is its 7th character)
_CAUSE_SPARE = frozenset(words("from on at initial subsequent encounter sequela"))
# "Fall with closed fracture of left hip", "Fell and sprained left ankle": how it happened, then the injury it caused
_CAUSE_THEN_INJURY = re.compile(r"(?P<cause>.+?),?\s+(?:with|and|resulting in|causing)\s+(?P<injury>\S.*)", re.I)
_PLACE = re.compile(
    r",?\s*\b(?:at|in) (?:the |her |his )?(home|work|school|street|nursing home|playground|gym)\b", re.I
)
G_EXTERNAL_CAUSE = "ICD-10-CM Guidelines I.C.20: external cause codes, after the injury they explain"
# the wounds a bite leaves, and a bite by an animal or a person (an insect's is superficial, its own Index entry)
_WOUND_KINDS = frozenset({"Puncture", "Laceration"})
_ANIMAL_BITE = re.compile(
    r"\b(?:dog|cat|animal|human|rat|horse|bat|raccoon|squirrel|monkey)\s+bites?\b|\bbitten\b", re.IGNORECASE
)
_WOUND_WORDS = re.compile(r",?\s*\b(?:puncture|lacerations?|wounds?)\b", re.IGNORECASE)
# How an injury happened as a history tells it, and the words the Index of External Causes files it under (the
# entry must say them all): "cut his right palm on a kitchen knife" is "Contact, with, knife" (W26.0). Bites and
# stings of animals that may be venomous are poisonings (T63), not said here.
_BALLS = "baseball|softball|football|basketball|volleyball|golf|soccer"
_PLAYGROUND = "monkey bars|jungle gym|swing|slide"
_MECHANISMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:cut|cutting|lacerated|sliced|nicked|stabbed|stepped on)\b[^.;]{0,40}?\s(?:an?|the|his|her|their)\s+"
            r"(?:(?:kitchen|steak|pocket|paring|utility|broken|piece of|rusty|sharp)\s+)*(?P<what>knife|glass|scissors|"
            r"saw|nail)\b",
            re.IGNORECASE,
        ),
        "contact with {what}",
    ),
    (
        re.compile(
            r"\b(?:bitten|bit)\s+by\s+(?:(?:an?|the|his|her|their|its|our|[a-z]+'s)\s+)*(?:\w+\s+)?"
            r"(?P<what>dog|cat|rat|human)\b|\b(?P<animal>dog|cat|human)\s+bite\b",
            re.IGNORECASE,
        ),
        "bitten by {what}",
    ),
    (
        re.compile(
            rf"\b(?:struck|hit)\b[^.;]{{0,30}}?\bby\s+(?:an?|the)\s+(?:\w+\s+)?(?P<what>{_BALLS})(?:\s*ball)?\b",
            re.IGNORECASE,
        ),
        "struck by ball {what}",
    ),
    (
        re.compile(r"\bslipp(?:ed|ing)\s+on\s+(?:the\s+|some\s+)?(?P<what>ice|snow)\b", re.IGNORECASE),
        "slipping on {what}",
    ),
    (
        re.compile(
            r"\b(?:fell|fall|falling|fallen)\b[^.;]{0,20}?\b(?:from|off(?: of)?|out of|down)\s+(?:(?:an?|the|his|her|"
            rf"their)\s+)?(?P<what>{_PLAYGROUND}|stairs|steps|ladder|bed|chair|tree|roof|furniture)\b",
            re.IGNORECASE,
        ),
        "fall from {what}",
    ),
    (
        re.compile(
            r"\b(?:slipped|tripped|stumbled)\b[^.;]{0,40}?\b(?:fell|fall)\b|\b(?:fell|fall)\b[^.;]{0,20}?\bafter "
            r"(?:slipping|tripping|stumbling)\b",
            re.IGNORECASE,
        ),
        "fall same level from slipping stumbling tripping",
    ),
    (
        re.compile(r"\b(?:motor vehicle (?:accident|crash|collision)|MVC|MVA|car (?:accident|crash))\b", re.IGNORECASE),
        "motor vehicle accident",
    ),
)
_PLAYGROUND_WORDS = re.compile(rf"^(?:{_PLAYGROUND})$", re.IGNORECASE)
_DENIED_BEFORE = re.compile(r"\b(?:denies|denied|no|not|never|without)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
G_PART_OF_DOUBTED = (
    "Said with a diagnosis the provider doubts, and not a sign or symptom: part of that diagnosis, not coded in the "
    "outpatient setting (Guidelines IV.H)"
)
G_VACCINE_BEFORE = (
    "A vaccine's status, an earlier dose or one discussed or due: no immunization at this encounter (Z23 is for one "
    "given)"
)
G_NO_EXTERNAL_CAUSE = (
    "How the injury happened, which the Index of External Causes does not name as said (external cause codes are "
    "optional where no payer or state asks for them, I.C.20); for a coder's review"
)

# encounters for examinations, screening and tests: the visit's reason, not a plan's next step
_TEST_ENCOUNTERS = ("Z00", "Z01", "Z11", "Z12", "Z13")
_PLANNED = re.compile(r"\b(?:due|overdue|ordered|scheduled|to be scheduled|next|referred|referral|will)\b", re.I)
G_PLANNED = "A screening or examination the plan says is due or ordered: the reason for a later encounter, not this one"


def _after_head(st: Statement) -> bool:
    """Whether the statement is a later clause of its item, not the problem the item names first."""
    return st.item_text.lstrip("0123456789.) ").find(st.text.strip()) > 0


def _tail(st: Statement) -> str:
    """The first clause after the dash of the statement's item ("... - chronic systolic heart failure, continue
    carvedilol": "chronic systolic heart failure"), where the statement is the item's head."""
    head, dash, rest = st.item_text.partition(" - ")
    if not dash or st.text.strip() not in head:
        return ""
    return re.split(r"[,;.]", rest, maxsplit=1)[0].strip()


def _as_cause(organism: str, statement: str) -> bool:
    """Whether ``statement`` names ``organism`` as the cause of its condition: first, or after "due to"."""
    said = " ".join(re.findall(r"[a-z0-9]+", statement.lower()))
    named = organism.lower()
    return (
        said.startswith(named)
        or re.search(rf"\b(?:due to|caused by|secondary to) {re.escape(named)}\b", said) is not None
    )


G_ORGANISM = (
    "ICD-10-CM Tabular B95-B97: supplementary codes to identify the infectious agent in diseases classified elsewhere"
)
_FOR_CONDITION = re.compile(r"\bfor\s+([^.;,()]+)", re.IGNORECASE)


def _treated_condition(note: ClinicalNote, st: Statement) -> Statement | None:
    """The condition the rest of a drug or device therapy problem says it is for, as a statement of its own."""
    status = _THERAPY_STATUS.search(st.text)
    if status is None:
        return None
    rest_at = st.item_text.find(st.text)  # "for" said in the statement or after it
    if rest_at < 0:
        return None
    # after the therapy: "Encounter for fitting and adjustment of insulin pump" treats nothing
    found = _FOR_CONDITION.search(st.item_text, rest_at + status.end())
    if found is None:
        return None
    start = st.item_start + found.start(1)
    end = st.item_start + found.end(1)
    text = note.text[start:end].rstrip()
    mentions = note.mentions_in(start, start + len(text))
    if not mentions or any(m.assertion != Assertion.PRESENT for m in mentions):
        return None
    return replace(st, text=text, start=start, end=start + len(text))


def _therapy_part(note: ClinicalNote, st: Statement, treated: Statement) -> Statement:
    """The therapy a statement names before the "for" of the condition it treats, where the statement holds both
    ("Cardiac pacemaker for complete heart block": the pacemaker, not the block a second time)."""
    cut = note.text.rfind(" for ", st.start, treated.start)
    if not st.start < treated.start < st.end or cut <= st.start:
        return st
    text = note.text[st.start : cut].rstrip()
    return replace(st, text=text, end=st.start + len(text))


_JOINT_REPLACED = re.compile(
    r"\b(knee|hip|shoulder|elbow|ankle)\s+(?:joint\s+)?(?:replacement|arthroplasty)\b|\bt(k|h|s)a\b", re.IGNORECASE
)
_ARTHROPLASTY = {"k": "knee", "h": "hip", "s": "shoulder"}  # TKA, THA, TSA
_IN_DISEASES = re.compile(r"\bin\b.*\bdiseases (?:specified|classified) elsewhere\b", re.IGNORECASE)
_NOS = re.compile(r"\bNOS\b")
_WEEKS = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?)\b(?:\s*(?:\d\s*days?\s*)?(?:of\s+)?gestation)?", re.IGNORECASE)
# the encounter's weeks of gestation, in a history ("G2P1 at 26 weeks 3 days", "EGA 26w3d", "32 weeks pregnant")
_GESTATION = re.compile(
    r"\b(?:at|EGA|GA)[:\s]+(\d{1,2})\s*(?:weeks?|wks?|w)(?=\s*\d|\b)"
    r"|\b(\d{1,2})\s*(?:weeks?|wks?)\s*(?:\d\s*days?\s*)?(?:of\s+)?(?:gestation|pregnant|EGA|GA)\b",
    re.IGNORECASE,
)


def _week(said: re.Match[str]) -> int:
    return int(next(g for g in said.groups() if g))


# a visit that supervises a pregnancy: its problems are the pregnancy's (Guidelines I.C.15.a.1)
_PRENATAL = re.compile(
    r"\bsupervision of (?:(?:high[- ]risk|normal|other normal|first|elderly|young) )?(?:\w+ )?pregnancy|"
    r"\bprenatal (?:visit|care|follow[- ]?up)|\bob (?:visit|follow[- ]?up)\b|\bintrauterine pregnancy\b",
    re.IGNORECASE,
)
# a provider's word that a condition does not affect the pregnancy (Z33.1's "pregnant state, incidental")
_INCIDENTAL = re.compile(r"\bincidental\b|\bnot (?:affecting|related to|complicating) (?:the )?pregnancy", re.I)
_IN_PREGNANCY = re.compile(
    r"\b(?:in|of|during|complicating)\s+(?:the\s+)?pregnancy\b|\b\d{1,2}\s*(?:weeks?|wks?)\s+pregnant\b", re.IGNORECASE
)
# the trimester a statement names ("Supervision of normal pregnancy, second pregnancy, third trimester"): its ordinal
# is the trimester's, not the pregnancy's
_TRIMESTER_SAID = re.compile(r"\b(first|second|third|1st|2nd|3rd)\s+trimester\b", re.IGNORECASE)
_ORDINALS = frozenset(words("first second third"))
TRIMESTER_WORDS = frozenset(words("first second third trimester weeks gestation"))
_COMPLICATED_BY = ["pregnancy", "complicated by"]
# a condition named before the word "history" ("Breast cancer history", "colon polyp hx"), not a kind of history
_HISTORY_AFTER = re.compile(
    r"(?!(?:family|medical|surgical|social|past|travel|sexual|smoking|birth|menstrual|obstetric|drug|diet|"
    r"work|occupational|immunization|vaccination|allergy|medication|personal)\b)([a-z][\w' -]*?)\s+(?:history|hx)\.?",
    re.IGNORECASE,
)
# additional codes not read from a statement's leftover words: tobacco exposure and use (the tobacco rule reads
# the social history), external causes and adverse effects (V-Y, T36-T50), resistance and retained bodies
_NOT_LOOKED_UP = ("Z77.22", "P96.81", "Z87.891", "Z57.31", "Z72.0", "F17", "T", "V", "W", "X", "Y", "Z16", "Z18")
DIABETES_KINDS = {"E10": "type 1", "E11": "type 2", "E13": "specified type NEC"}
_NOT_PRESUMED = frozenset({"complication", "dermatitis", "ketoacidosis", "hyperosmolarity", "chronic kidney disease"})
# additional codes their own rules add: the organism, drug therapy, CKD stage, weeks, BMI, joint, manifestation
_ADDED_ELSEWHERE = ("B95", "B96", "B97", "Z79", "N18", "Z3A", "Z68", "Z96", "F02", "E16.A")
# what a title leaves unspecified: "..., unspecified stage", "... with loss of consciousness status unknown"
_UNSPECIFIED_AXIS = re.compile(r"\bunspecified (\w+(?: region)?)|\bwith ((?:\w+ ){1,3}status unknown)\b")
# the conditions a "with" lists ("with hyperglycemia and peripheral neuropathy", "with CKD, retinopathy and ...")
_CONJUNCTION = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_WITH_LEAD = re.compile(r"with\s+", re.IGNORECASE)
# the site a condition is said at, last in its statement ("abscess of the left upper back")
_SITE_TAIL = re.compile(r"\b(?:of|on|over)\s+(?:the\s+)?([a-z][a-z -]*?)\s*$", re.IGNORECASE)
_NOT_WORD = re.compile(r"\bnot (\w+)")  # "..., not intractable"
_WITHOUT_WORD = re.compile(r"\bwithout ([^,]+)")  # "Vomiting without nausea", "..., without tophus (tophi)"
_WITHOUT_TAIL = re.compile(r"\bwithout .+$")
# what a listed clause's first part leads with, said of every part ("family history of A and B")
_LIST_LEAD = re.compile(
    r"^(?:(?:family|personal|past|prior)\s+)?(?:history|hx|h/o)\s+of\s+|^fh\s+of\s+|^screening\s+for\s+",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(r"\bnot (?=\w)")
_CHRONIC = re.compile(r"\bchronic\b", re.IGNORECASE)
_EPISODES = frozenset({"childbirth", "puerperium"})
_EPISODE_SAID = _EPISODES | {"delivery", "labor", "postpartum", "puerperal", "intrapartum", "postnatal"}
_SYSTEMIC = re.compile(r"\b(?:sepsis|septicemia|septic shock)\b", re.IGNORECASE)
_VACCINATION = re.compile(r"\b(?:vaccin\w*|booster|immuni[sz]ations?)\b", re.IGNORECASE)
_DEFERRED = re.compile(r"\b(?:deferred|postponed|held|delayed|not given today|to be given)\b", re.IGNORECASE)
_ILLNESS_REASON = re.compile(
    r"\b(?:acute(?:ly)? ill\w*|illness|febrile|fever|sick|until (?:the )?\w+ (?:resolves?|clears?|heals?))\b", re.I
)
# what was given before, not at this encounter: "Varicella vaccine status: had only 1 dose", "vaccines up to date"
_VACCINE_STATUS = re.compile(
    r"\b(?:status|had|has had|received|up to date|utd|previously|prior|history of)\b", re.IGNORECASE
)
# a vaccine only talked about or left for later ("discussed", "recommended", "due next visit"), unless the item says
# it was given
_VACCINE_TALKED = re.compile(
    r"\b(?:discussed|recommended|offered|due|next visit|at next|will (?:get|receive|return)|information given)\b",
    re.IGNORECASE,
)
_VACCINE_GIVEN = re.compile(r"\b(?:given|administered|received today|injected|im|sc)\b(?! information)", re.I)
_VACCINE_HARM = re.compile(
    r"\b(?:reaction|adverse|complication|allerg\w*|declined|refused|refusal|not given|not done)\b", re.IGNORECASE
)
# a drug said to have caused the condition of its statement: "due to lisinopril", "adverse effect of", "steroid-induced"
_DRUG_CAUSE_CUE = re.compile(
    r"\b(?:adverse|side effects?|reaction to|due to|secondary to|caused by|induced|from)\b", re.IGNORECASE
)
_DRUG_CAUSE = re.compile(
    r"\b(?:adverse (?:effects?|reactions?) (?:of|to|from)|side effects? (?:of|from)|reaction to|due to|secondary to|"
    r"caused by|induced by|from)\s+(?:the\s+|his\s+|her\s+)?(?P<drug>[a-z0-9][a-z0-9 /-]{1,60}?)"
    r"(?=\s*(?:[,;.()]|$)|\s+(?:and|with|in|for|therapy|treatment|use|at|on|which)\b)"
    r"|\b(?P<induced>[a-z0-9]+)-induced\b",
    re.IGNORECASE,
)
# a drug class a note names by its use, as the Table of Drugs names it
_NEC_ONLY = frozenset(words("nec nos"))
_POORLY_CONTROLLED = re.compile(
    r",?\s*\b(?:poorly|inadequately|sub-?optimally) controlled\b|,?\s*\bout of control\b", re.IGNORECASE
)
# the axis a title leaves open at its end: "..., unspecified quadrant"
_LEFT_UNSPECIFIED = re.compile(r",\s*unspecified ([a-z ]+)$", re.IGNORECASE)
# a procedure's name: what a history of it leaves is a status
_PROCEDURE_DONE = re.compile(
    r"\b\w+(?:ectomy|plasty|ostomy|otomy)\b|\b(?:surgery|bypass graft|transplant\w*|replacement|stent\w*|implant\w*)\b",
    re.IGNORECASE,
)
# "Acute kidney injury on chronic kidney disease": one condition over another ("acute on chronic" is one condition's
# course, and "on warfarin", "on dialysis" name no condition: the sides are each looked up before they are split)
_SUPERIMPOSED = re.compile(r"(?<!acute)\s+on\s+", re.IGNORECASE)
# what an adverse-effect statement says that names no effect: "Adverse effect of penicillin, initial encounter"
_EFFECT_ONLY = frozenset(words("adverse effect reaction side initial subsequent encounter sequela"))
_DRUG_ALIASES = {"chemotherapy": "antineoplastic", "chemo": "antineoplastic", "steroids": "steroid"}
# a word that names a medicine: a generic name's ending, or a class the Table of Drugs lists
_MEDICINE = re.compile(
    r"\b" + RX_DRUG + r"\b|\b(?:inhibitors?|chemotherapy|steroids?|corticosteroids?|glucocorticoids?|"
    r"antibiotics?|opioids?|opiates?|statins?|immunotherapy|anticoagulants?|diuretics?|antipsychotics?|"
    r"antidepressants?|antiepileptics?|anticonvulsants?|nsaids?|contrast|amiodarone|lithium|digoxin|warfarin|"
    r"methotrexate|isoniazid|prednisone|allopurinol|insulin)\b",
    re.IGNORECASE,
)
# the intent of a poisoning or toxic effect, where the record says one
_INTENT_WORDS = frozenset(words("intentional self-harm suicide suicidal assault assaulted undetermined homicide"))
# what a title says is absent, up to the next part of the title ("Laceration without foreign body of ... finger with
# damage to nail": the foreign body)
_WITHOUT_PHRASE = re.compile(r"\bwithout ((?:(?!\b(?:with|of|in|due to)\b)[^,])+)", re.IGNORECASE)
_WITHOUT_OF_PHRASE = re.compile(r"\bwithout ((?:(?!\b(?:with|in|due to)\b)[^,])+)", re.IGNORECASE)
# a "not" that says no absence: "not elsewhere classified", "not specified as recurrent"
_NOT_SPECIFIED = re.compile(r"\bnot (?:elsewhere classified|specified\b[^,]*)", re.IGNORECASE)
_SKIN_REFERENCE = re.compile(r"\bNeoplasm, skin\b", re.IGNORECASE)
_FAMILY_HISTORY_OF = re.compile(r"^.*?\bfamily\s+(?:history|hx)\s+of\s+", re.IGNORECASE)
_HISTORY_OF = re.compile(r"^\s*(?:(?:past|prior|previous|personal|medical)\s+)*(?:history|hx|h/o)\s+of\s+", re.I)
RETRIEVAL_THRESHOLD = 0.8  # the fallback proposes a code only when its title says nearly all the statement says
NEUTRAL_WORDS = frozenset(
    {
        "unspecified",
        "other",
        "specified",
        "nos",
        "nec",
        "not",
        "elsewhere",
        "classified",
        "type",
        "unsp",
        "site",
        "part",
        "of",
        "condition",
        "disorder",
        "disease",
    }
)
# Acuity and course: how it runs, at whatever site ("acute chest pain" is chest pain before it is acute
# pain): a path that explains one counts it for less than a site or a degree (they still name a
# condition with a generic noun: "chronic kidney disease").
ACUITY_WORDS = frozenset({"acute", "chronic", "subacute", "intermittent", "recurrent", "persistent", "episodic"})
# Time and duration: when and for how long ("cough of 4 days duration", "cough at night").
TIME_WORDS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "duration", "night"}
    | {"nights", "nightly", "morning", "evening", "today", "yesterday", "several", "couple", "few", "ago", "since"}
    | {"old"}  # "3 year old"; "Infarction, myocardial, old" still takes it
    | {"x", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "once", "twice", "times"}
)
# Words that join, not name: never the condition a path explains.
CONNECTIVE_WORDS = frozenset(
    {"with", "without", "in", "of", "and", "or", "due", "to", "the", "a", "an", "on", "by", "from", "for", "at"}
    | {"during", "following", "association"}  # "associated" (with), as the stemmer reads it
)
# Nouns that name no condition of their own ("illness" alone is R69, "disease" nothing; "minimal change
# in the appearance of the chest" is no minimal change disease).
GENERIC_WORDS = frozenset(
    {
        "illness",
        "disease",
        "disorder",
        "condition",
        "problem",
        "abnormality",
        "syndrome",
        "defect",
        # "Anomaly, anomalous (congenital) Q89.9", "Deformity Q89.9": alone, a congenital malformation of no
        # named site or kind; "penile deformity", "anomalous pulmonary venous return" name one
        "anomaly",
        "anomalous",
        "deformity",
        "malformation",
        "change",
        "procedure",
        "exposure",  # "Exposure" alone is T75.89, other effects of external causes
        "treatment",  # "under corticosteroid treatment" is no "History, personal, medical treatment"
        "therapy",
    }
)
# Words of an Index path that say nothing about the condition ("involving more than one sinus but not
# pansinusitis" says two things: sinus and pansinusitis).
PLAIN_WORDS = frozenset(
    {"more", "than", "one", "but", "not", "other", "specified", "unspecified", "type", "nec", "nos", "as"}
    | {"classified", "elsewhere", "involving", "also", "any", "site", "part"}
)
# The words that lead to a history code, which name no condition of their own.
HISTORY_WORDS = frozenset({"personal", "history", "family"})
# Words of the Neoplasm Table that are not sites.
NOT_SITES = frozenset(
    {"malignant", "benign", "primary", "secondary", "situ", "uncertain", "behavior", "unspecified", "specified"}
    | {"other", "site", "sites", "category", "whether", "that", "appear", "free", "true", "also", "with"}
    | {"without", "part", "parts", "overlapping", "lesion", "contiguous", "except", "neoplasm", "neoplastic"}
)
SIDE_WORDS = {"right": "right", "left": "left", "bilateral": "bilateral"}
# the sites of three letters ("conjunctival hemorrhage, right eye" is the conjunctiva's, H11.31, not "Hemorrhage, eye")
_SHORT_SITES = frozenset({"eye", "ear"})
SIDES = frozenset(SIDE_WORDS)
_STAGE_RE = expression(
    r"(?:chronic kidney disease|ckd)[^.;\n]{0,30}?stage\s*(5|4|3a|3b|3|2|1)\b"
    r"|stage\s*(5|4|3a|3b|3|2|1)\s*(?:chronic kidney disease|ckd)"
    # "CKD 3b", spelled out or not ("T2DM with CKD 3b" is read as "... chronic kidney disease 3b"), not a duration
    # (each spelling with its own group: an expression whose first literal is shared keeps its fast form)
    r"|\bckd\s*(5|4|3a|3b|3|2|1)\b(?!\s*(?:years?|yrs?|months?|weeks?|days?)\b)"
    r"|\bchronic kidney disease\s*(5|4|3a|3b|3|2|1)\b(?!\s*(?:years?|yrs?|months?|weeks?|days?)\b)"
)
_RESOLVED = expression(r"\bresolved\b")
_HISTORY_SAID = expression(r"\b(?:history|hx|h/o|s/p|status post|prior|previous|remote)\b")
# resolved by what was done at the visit ("Impacted cerumen, right ear - irrigated, resolved"): treated today, current
_TREATED_TODAY = re.compile(
    r"\b(?:removed|irrigated|lavaged|drained|extracted|reduced|debrided|excised|cleared)\b[^.;]{0,30}\bresolved\b"
    r"|\bresolved (?:with|after|by|following) (?:the )?(?:irrigation|removal|lavage|drainage|curettage|reduction|"
    r"procedure|treatment today)",
    re.IGNORECASE,
)
_ESRD = expression(r"end[- ]stage renal disease|\besrd\b")
_SECONDARY_SAID = re.compile(r"metasta|secondary", re.IGNORECASE)
G_PRIMARY_SAID = (
    "ICD-10-CM Guidelines I.C.2.d: the primary malignancy the statement names beside its metastasis, coded after it"
)
# where a metastasis's statement names its primary: "... from colon cancer", "... of primary lung adenocarcinoma",
# "metastatic breast cancer to bone"
_PRIMARY_FROM = re.compile(
    r"\b(?:from|of)\s+(?:(?:a|an|the|known|primary)\s+)*(?P<site>(?:[a-z-]+\s+){1,3}?)"
    r"(?:cancer|carcinoma|adenocarcinoma|malignancy|primary)\b",
    re.IGNORECASE,
)
_PRIMARY_METASTATIC = re.compile(
    r"\bmetastatic\s+(?P<site>(?:[a-z-]+\s+){1,3}?)(?:cancer|carcinoma|adenocarcinoma)(?=\s+(?:to|in|involving)\b)",
    re.IGNORECASE,
)
# the behavior a see-reference to the Neoplasm Table names, and the table's column for it
_TABLE_COLUMNS = (
    ("uncertain behavior", "Uncertain Behavior"),
    ("unspecified behavior", "Unspecified Behavior"),
    ("in situ", "Ca in situ"),
    ("secondary", "Malignant Secondary"),
    ("benign", "Benign"),
    ("malignant", "Malignant Primary"),
)
_NEOPLASM_WORD = re.compile(
    r"\b(?:\w*carcinomas?|\w*adenomas?|metasta\w*|malignan\w*|neoplasms?|neoplasia|tumou?rs?(?! markers?)|melanomas?"
    r"|lymphomas?|\w*sarcomas?)\b",
    re.IGNORECASE,
)
# the vessels a "vessel" of a path may be ("Arteriosclerosis, coronary, native vessel" for a native coronary artery)
_VESSELS = frozenset(words("artery arteries vein veins"))
# the histologies whose own categories name their sites (a carcinoid tumor's C7A/C7B/D3A), as the lymphomas' (C81-C96)
# name their nodes: the histology's entry is coded and the site chooses within it ("Carcinoid tumor of the rectum")
_SITED_BY_HISTOLOGY = frozenset({"C7A", "C7B", "D3A"})
CKD_STAGE = {"1": "N18.1", "2": "N18.2", "3": "N18.30", "3a": "N18.31", "3b": "N18.32", "4": "N18.4", "5": "N18.5"}
_BMI_RE = re.compile(r"\bBMI\s*(?:of\s*)?(\d{2}(?:\.\d)?)", re.IGNORECASE)


class Found(NamedTuple):
    """The Index path chosen for a statement, the share of its condition words the path explains, and
    how the walk came to its main term."""

    hit: IndexHit
    coverage: float
    anchored: bool  # its main term is a condition the statement names
    reached: bool = True  # its main term is named in the statement, or a see-reference led to it
    said: int = 1  # the statement's condition words the path explains
    whole: bool = True  # the main term the walk started from is said in full
    overreach: bool = False  # the path says at least as much again as the statement
    matched: int = 1  # the statement's words the path's titles match, connectives ("in", "with") aside


@dataclass(slots=True)
class Proposal:
    """A code on its way into the encounter, with everything that explains it."""

    code: str
    title: str
    statement: Statement | None
    path: tuple[str, ...]
    reason: str
    sequence_reason: str
    confidence: float
    order: tuple[float, ...]
    notes_applied: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class DiagnosisResult:
    proposals: list[Proposal]
    not_coded: list[NotCoded]
    queries: list[PhysicianQuery]
    system: str | None = None  # the body system the note is about (its chapter letter), read once


def _evidence(note: ClinicalNote, start: int, end: int) -> Evidence:
    return Evidence(start, end, note.text[start:end], note.section_at(start))


class DiagnosisCoder:
    def __init__(self, release: Icd10cmRelease, lexicon: Lexicon) -> None:
        self.release = release
        self.lexicon = lexicon
        self._title_words: dict[str, frozenset[str]] = {}
        self._searched: dict[str, Found | None] = {}
        self._titles: TitleIndex | None = None
        self._main_terms_by_code: dict[str, tuple[str, ...]] | None = None
        self._refs: dict[str, str] | None = None
        self._descriptor_stems: dict[str, str] | None = None  # a descriptor adjective by its stem
        self._own_title_words: dict[str, frozenset[str]] = {}
        self._below_words: dict[str, frozenset[str]] = {}
        self._title_alternatives: dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]] = {}
        self._nos_terms: dict[str, tuple[frozenset[str], ...]] = {}  # a code's "... NOS" inclusion terms, as words
        self._behaviors: dict[str, tuple[tuple[frozenset[str], str], ...]] = {}  # a histology's subterms by column
        self._axes: dict[str, frozenset[str]] = {}
        self._denied: dict[str, frozenset[str]] = {}
        self._absent: dict[str, tuple[frozenset[str], ...]] = {}
        self._absent_tails: dict[str, frozenset[str]] = {}
        self._diabetes_links: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self._senders: dict[str, tuple[int, ...]] | None = None
        self._with_subterms: dict[tuple[str, ...], list[tuple[frozenset[str], str]]] = {}
        self._sites: frozenset[str] | None = None
        self._ranges: dict[tuple[str, ...], list[tuple[str, list[tuple[str, str]]]]] = {}
        self._categories: list[str] | None = None
        self._organisms: frozenset[str] | None = None
        self._maternal_ranges: list[tuple[str, Note]] | None = None
        table = release.neoplasm
        # the table's words but its histologies ("skin ... melanoma - see Melanoma" is no site)
        vocabulary = table.vocabulary if table is not None else frozenset()
        self._table_sites = frozenset(w for w in vocabulary - NOT_SITES if not _NEOPLASM_WORD.fullmatch(w))

    # -- Tabular helpers -----------------------------------------------------------------------

    def _acute_category(self, code: str) -> bool:
        """Whether the code's category is an acute one ("I21 Acute myocardial infarction"): no chronic disease."""
        category = self.entry(code[:3])
        return category is not None and category.title.lower().startswith("acute")

    def entry(self, code: str) -> Icd10cmCode | None:
        return self.release.describe(code)

    def asks_for(self, code: str, wanted: str) -> bool:
        """Does a 'use additional code' note of ``code`` (own or inherited) name ``wanted``?"""
        entry = self.entry(code)
        return entry is not None and any(
            ref.covers(wanted) for n in entry.all_notes(NoteKind.USE_ADDITIONAL_CODE) for ref in n.refs
        )

    def _title(self, code: str) -> str:
        entry = self.entry(code.rstrip("-").rstrip("."))
        return entry.title if entry else ""

    def _words_of(self, code: str) -> frozenset[str]:
        cached = self._title_words.get(code)
        if cached is None:
            entry = self.entry(code)
            text = entry.title if entry else ""
            if entry is not None:
                text += " " + " ".join(n.text for n in entry.notes if n.kind == NoteKind.INCLUSION_TERM)
            cached = frozenset(words(text))
            self._title_words[code] = cached
        return cached

    def _subtree_words(self, code: str) -> frozenset[str]:
        """The words the titles and inclusion terms of the codes below ``code`` in the Tabular List add to its own
        (none for a code with nothing below it)."""
        cached = self._below_words.get(code)
        if cached is None:
            nodes = self.release.tabular.nodes
            node = nodes.get(code)
            below: list[str] = list(node.children) if node is not None else []
            found: set[str] = set()
            while below:  # (the nodes, not their 7th characters: an episode of care names no condition)
                child = below.pop()
                found.update(self._words_of(child))
                below.extend(nodes[child].children)
            cached = self._below_words[code] = frozenset(found - self._words_of(code))
        return cached

    def with_subterms(self, path: tuple[str, ...]) -> list[tuple[frozenset[str], str]]:
        """The "with ..." subterms directly under a path's last term ("Cirrhosis, liver, alcoholic": "with ascites"
        K70.31), each by the words after its "with" and its code."""
        cached = self._with_subterms.get(path)
        if cached is None:
            cached = self._with_subterms[path] = self._with_subterms_uncached(path)
        return cached

    def _with_subterms_uncached(self, path: tuple[str, ...]) -> list[tuple[frozenset[str], str]]:
        index = self.release.index
        if index is None or not path:
            return []
        current = index.by_title.get(path[0].lower())
        for title in path[1:]:
            if current is None:
                return []
            current = next((c for c in index.terms[current].children if index.terms[c].title == title), None)
        if current is None:
            return []
        out = []
        for child in index.terms[current].children:
            term = index.terms[child]
            low = term.title.lower()
            if low.startswith("with ") and term.code and not term.code.endswith("-"):
                out.append((frozenset(words(low[5:])), term.code))
        return out

    def diabetes_with(self, family: str, code: str) -> tuple[str, str] | None:
        """The combination code the Index's "Diabetes, diabetic, <type>, with, <condition>" gives for a condition
        coded on its own as ``code`` ("peripheral angiopathy": I73.9 -> E11.51), with the subterm; None where the
        Index lists no such subterm. The condition's own code is found by walking each subterm alone; where two
        subterms walk to the same code, the one whose words the code's own title says ("polyneuropathy" for
        G62.9) is taken."""
        kind = DIABETES_KINDS.get(family)
        index = self.release.index
        if kind is None or index is None:
            return None
        if family not in self._diabetes_links:
            links: dict[str, list[tuple[str, str]]] = {}
            terms = index.terms

            def child(parent: int | None, title: str) -> int | None:
                ids = terms[parent].children if parent is not None else ()
                return next((c for c in ids if terms[c].title.lower() == title), None)

            main = index.by_title.get("diabetes, diabetic")
            with_id = child(child(main, kind), "with")
            for sub in (terms[c] for c in (terms[with_id].children if with_id is not None else ())):
                combo = (sub.code or "").rstrip("-").rstrip(".")
                # a complication "NEC" names no condition of its own; a dermatitis or an acidosis is not
                # presumed the diabetic one; CKD has its own rule (with its stage)
                if not combo.startswith(family) or "NEC" in sub.title or sub.title.lower() in _NOT_PRESUMED:
                    continue
                alone = self.lookup(sub.title)
                if alone is None or alone.code is None or alone.unmatched_query:
                    continue  # "Kimmelstiel-Wilson disease" is not Wilson's
                own = alone.code.rstrip("-").rstrip(".")
                if own.startswith((family, "A", "B", "N18")):
                    continue
                links.setdefault(own, []).append((combo, sub.title))
                entry = self.entry(combo)
                for note in entry.notes if entry is not None else ():
                    # "E11.621 ... use additional code to identify site of ulcer (L97.4-, L97.5-)"
                    if note.kind == NoteKind.USE_ADDITIONAL_CODE:
                        for ref in note.refs:
                            links.setdefault(str(ref).rstrip("-").rstrip("."), []).append((combo, sub.title))
            self._diabetes_links[family] = links
        links = self._diabetes_links[family]
        found = links.get(code) or next(
            (v for k, v in links.items() if code.startswith(k) and len(k) < len(code)), None
        )
        if not found:
            return None
        title = set(words(self._title(code)))
        return max(found, key=lambda f: len(set(words(f[1])) & title))

    def _denied_words(self, code: str) -> frozenset[str]:
        """The words a title says "not" of ("..., not intractable": "intractable")."""
        cached = self._denied.get(code)
        if cached is None:
            cached = self._denied[code] = frozenset(
                w for said in _NOT_WORD.findall(self._title(code).lower()) for w in words(said)
            )
        return cached

    def _absent_words(self, code: str) -> tuple[frozenset[str], ...]:
        """What a title says "without" of, each way it is said ("..., without tophus (tophi)": "tophus" and "tophi";
        "... without heart failure": "heart failure")."""
        cached = self._absent.get(code)
        if cached is None:
            forms: list[frozenset[str]] = []
            for said in _WITHOUT_WORD.findall(self._title(code).lower()):
                forms.append(frozenset(words(re.sub(r"\([^)]*\)", " ", said))))
                forms.extend(frozenset(words(alt)) for alt in re.findall(r"\(([^)]*)\)", said))
            cached = self._absent[code] = tuple(form for form in forms if form)
        return cached

    def _absent_tail(self, code: str) -> frozenset[str]:
        """The words of a title from its "without" to its end ("..., without behavioral disturbance, psychotic
        disturbance, mood disturbance, and anxiety"), "without" among them."""
        cached = self._absent_tails.get(code)
        if cached is None:
            tail = _WITHOUT_TAIL.search(self._title(code).lower())
            cached = self._absent_tails[code] = frozenset(words(tail.group(0))) | {"without"} if tail else frozenset()
        return cached

    def _denies_said(self, code: str, said: set[str] | frozenset[str]) -> bool:
        """Whether a title says "without" of something the record says, whole in one of its forms."""
        return "without" not in said and any(form <= said for form in self._absent_words(code))

    def _unspecified_axis(self, code: str) -> frozenset[str]:
        """The words a title leaves unspecified ("..., unspecified stage": "stage"), or answers by what is absent
        ("..., without tophus (tophi)": a record that says nothing of tophi is without them)."""
        cached = self._axes.get(code)
        if cached is None:
            absent = self._absent_words(code)
            cached = self._axes[code] = frozenset(
                w for found in _UNSPECIFIED_AXIS.findall(self._title(code).lower()) for w in words(" ".join(found))
            ).union(*absent, {"without"} if absent else ())
        return cached

    def _includes_nos(self, code: str, parent_words: frozenset[str], said: set[str]) -> bool:
        """Whether a code's own inclusion terms name its condition "NOS" (the Tabular's default among siblings)
        with nothing the record does not say beyond the parent's title ("Pain in lower limb NOS" asks "lower")."""
        terms = self._nos_terms.get(code)
        if terms is None:
            entry = self.entry(code)
            terms = self._nos_terms[code] = tuple(
                frozenset(words(note.text)) - {"nos"}
                for note in (entry.notes if entry is not None else ())
                if note.kind == NoteKind.INCLUSION_TERM and note.text.rstrip().endswith(" NOS")
            )
        return any(term - parent_words <= said for term in terms)

    def _title_words_of(self, code: str) -> frozenset[str]:
        """The words a code's title asks of the record: not what it says is not mentioned ("... lumbar region
        without mention of lumbar back pain or lower extremity pain" asks for no pain)."""
        cached = self._own_title_words.get(code)
        if cached is None:
            asked = re.split(r"\bwithout mention of\b", self._title(code), maxsplit=1, flags=re.IGNORECASE)[0]
            cached = self._own_title_words[code] = frozenset(words(asked))
        return cached

    def _alternatives(self, code: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """The pairs of a title's phrases joined by "and" or "or" (each way round), which the Tabular reads as
        either one (Guidelines I.A.14): "lymph nodes of inguinal region and lower limb" asks the inguinal region
        or the lower limb. Not where "both" says the two together ("... of both small and large intestine")."""
        cached = self._title_alternatives.get(code)
        if cached is None:
            title = self._title(code).lower()
            pairs: list[tuple[frozenset[str], frozenset[str]]] = []
            if "both" not in title:
                for part in title.split(","):
                    if " and " in f" {part} " or " or " in f" {part} ":
                        phrases = [frozenset(words(p)) for p in re.split(r"\b(?:and|or)\b", part)]
                        for a, b in itertools.pairwise(phrases):
                            pairs += [(a, b), (b, a)]
                # a serial list's last phrase: "head, face, and neck"
                for before, after in re.findall(r"([^,]+),\s*(?:and|or)\b([^,]+)", title):
                    a, b = frozenset(words(before)), frozenset(words(after))
                    pairs += [(a, b), (b, a)]
            cached = self._title_alternatives[code] = tuple(pairs)
        return cached

    def _excused(self, code: str, context_words: set[str]) -> frozenset[str]:
        """A title's words unsaid in a phrase whose alternative the record says (``_alternatives``)."""
        excused: set[str] = set()
        for phrase, other in self._alternatives(code):
            if other & context_words and not phrase & context_words:
                excused |= phrase
        return frozenset(excused)

    def refine(self, code: str, context_words: set[str], encounter: str) -> tuple[str, list[str]]:
        """Carry an Index code to the billable code the documentation supports (step 4)."""
        notes: list[str] = []
        base = code.rstrip("-").rstrip(".")
        entry = self.entry(base)
        if entry is None or entry.billable:
            return base, notes
        candidates = list(self.release.tabular.descendants(base))
        if not candidates:
            return base, notes
        sided = _dominance_default(candidates, context_words, self._words_of)
        if sided is not None:
            context_words = context_words | {sided}
            notes.append(
                f"Guidelines I.C.6.a: dominance not documented; the {_SIDE_DEFAULTS[sided]} default is {sided}"
            )
        chosen = self._best_code(base, candidates, context_words, encounter)
        notes.append(f"Tabular: {base} is not billable; {chosen} is the code its words support")
        return chosen, notes

    def _trimester_sibling(self, code: str, ordinal: str) -> str | None:
        """The sibling of an "unspecified trimester" code whose title ends with the trimester said."""
        tabular = self.release.tabular
        node = tabular.nodes.get(tabular.extended.get(code, code))
        if node is None or node.parent is None:
            return None
        want = f"{ordinal} trimester"
        return next((c for c in tabular.descendants(node.parent) if self._title(c).lower().endswith(want)), None)

    def specify(self, code: str, said: set[str], encounter: str) -> tuple[str, str | None]:
        """A billable "unspecified" code carried to the sibling that fills in what it leaves unspecified
        with words the statement says (``said``, with its Index path's), and with nothing else: Guidelines
        I.B.18 keep an unspecified code for a record that names no more. "Major depressive disorder,
        recurrent, moderate" is F33.1, not the Index's F33.9; "acute otitis media, left ear" H66.92, not
        H66.90. A sibling that adds a connective ("Epilepsy ... with status epilepticus" for "without"),
        an "other" kind or a number the statement does not say is not chosen."""
        entry = self.entry(code)
        tabular = self.release.tabular
        node = tabular.nodes.get(tabular.extended.get(code, code))
        own = frozenset(words(entry.title)) if entry is not None else frozenset()
        if node is not None and node.parent is not None and self._denied_words(code) & said and "not" not in said:
            # "Chronic migraine without aura, intractable": the Index's default "..., not intractable" (G43.709)
            # has a sibling that says the same without the "not" (G43.719)
            affirmed_title = _NOT_BEFORE.sub("", entry.title.lower() if entry is not None else "")
            # "G43.70-" (not intractable) and "G43.71-" (intractable) are siblings under the category
            scope = tabular.nodes[node.parent].parent or node.parent
            affirmed = next((c for c in tabular.descendants(scope) if self._title(c).lower() == affirmed_title), None)
            if affirmed is not None:
                return affirmed, f"Tabular: {code} says 'not'; the statement says what it denies ({affirmed})"
        if node is None or node.parent is None or "unspecified" not in own:
            return code, None
        chosen = self._best_code(node.parent, list(tabular.descendants(node.parent)), said, encounter)
        other = frozenset(words(self._title(chosen)))
        # (what the sibling itself leaves unspecified asks nothing: "Unspecified lump in the left breast, unspecified
        # quadrant" for "breast lump, left")
        left_open = _LEFT_UNSPECIFIED.search(self._title(chosen))
        added = other - own - (frozenset(words(left_open.group(1))) if left_open else frozenset())
        # the side said takes the place of the unspecified one: "Otitis media, unspecified, unspecified ear" is
        # "Otitis media, unspecified, bilateral" (H66.93) for both ears
        unspecified = {"unspecified"} | (_SIDE_NOUNS if added & SIDES_AND_BOTH else set())
        # "..., with unspecified severity": the axis it leaves unspecified goes with it (L97.419 -> L97.411
        # "limited to breakdown of skin")
        unspecified |= self._unspecified_axis(code)
        # (nor one that denies what the code says: "Nausea with vomiting" is not "Vomiting without nausea" for a
        # "without fever" said beside it)
        if (
            not added
            or added & NEUTRAL_WORDS
            or not added <= said
            or not own - other <= unspecified
            or any(form <= own for form in self._absent_words(chosen))
        ):
            sided = self._same_but_side(code, node.parent, said)
            if sided is None:
                return code, None
            chosen = sided
        return chosen, f"Tabular: {code} is unspecified; the statement names {chosen} (Guidelines I.B.18)"

    def _substance_form(self, code: str, said: set[str]) -> tuple[str, str] | None:
        """A substance-induced disorder the Index gives as use ("Cocaine-induced, psychotic disorder": F14.959
        "Cocaine use, unspecified with ...") where the statement says abuse or dependence: the same code of that
        form (F14.151 "Cocaine abuse with ..."; dependence before abuse, Guidelines I.C.5.b.2)."""
        if not _SUBSTANCE_USE.match(code):
            return None
        title = self._title(code)
        for form, digit in (("dependence", "2"), ("abuse", "1")):
            if form not in said:
                continue
            other = f"{code[:4]}{digit}{code[5:]}"
            if self.entry(other) is not None and self._title(other) == title.replace("use, unspecified", form, 1):
                return other, form
        return None

    def _same_but_side(self, code: str, parent: str, said: set[str]) -> str | None:
        """The one sibling of an unspecified-side code that differs from it by the side said alone ("Unspecified
        tear of unspecified meniscus, current injury, unspecified knee" S83.209 -> "..., left knee" S83.207, where
        the best-worded sibling was another kind of tear)."""
        sides = said & SIDES
        if len(sides) != 1:
            return None
        kind = _sideless(self._title(code).lower())
        tabular = self.release.tabular
        # (or a cousin, where the side is the character before: "Varicose veins of unspecified lower extremity with
        # ulcer of ankle" I83.003 -> "... of left lower extremity ..." I83.023)
        node = tabular.node(parent)
        for scope in (parent, node.parent if node is not None and node.kind is NodeKind.SUBCATEGORY else None):
            if scope is None:
                continue
            found = {
                base
                for c in tabular.descendants(scope)
                if len(base := c[: len(code)]) == len(code)
                and base != code
                and (entry := self.entry(base)) is not None
                and entry.billable
                and sides <= set(words(entry.title))
                and _sideless(entry.title.lower()) == kind
            }
            if found:
                return found.pop() if len(found) == 1 else None
        return None

    def _best_code(self, parent: str, candidates: list[str], context_words: set[str], encounter: str) -> str:
        """The code among ``candidates`` (below ``parent``) whose own words the record says most of."""
        parent_words = self._words_of(parent)
        best: tuple[float, str] | None = None
        # a side said, where the codes to choose between name sides: an unspecified one is not chosen
        said_side = bool(context_words & SIDES) and any(self._words_of(c) & SIDES for c in candidates)
        for cand in candidates:
            extended = self.release.tabular.extended.get(cand, cand)
            # a 7th character that is a number names an axis in words ("Primary open-angle glaucoma, bilateral,
            # moderate stage", H40.1132): the code is read whole; a letter is the episode of care, chosen below
            cand_base = cand if cand != extended and cand[-1].isdigit() else extended
            # "complicating" is how a chapter 15 title joins its condition to the pregnancy, not an axis: a
            # condition said in pregnancy is not "Unspecified maternal hypertension, complicating childbirth"
            distinguishing = self._words_of(cand_base) - parent_words - {"complicating"}
            # counted, then weighed: a float sum in a set's order would vary in its last bit between
            # runs (the hash seed), and so would the choice between equally supported codes
            # "..., unspecified stage" asks nothing of the record about the stage: the axis it leaves unspecified
            # is not a word unsaid (its own even where the parent's title has the word: "Unspecified maternal
            # hypertension, unspecified trimester")
            axis = self._unspecified_axis(cand_base)
            # (a phrase whose alternative is said weighs as an inclusion term's: "inguinal lymph nodes" are "lymph
            # nodes of inguinal region and lower limb", C81.95)
            skipped = axis | self._excused(cand_base, context_words)
            # what a title says is absent, where the record says none of it, is the default it asks nothing for:
            # "major neurocognitive disorder, mild" is "..., mild, without behavioral disturbance, psychotic
            # disturbance, mood disturbance, and anxiety" (F03.A0), not "..., mild, with anxiety" for fewer words
            absent = self._absent_tail(cand_base)
            if absent and not absent & context_words:
                skipped = skipped | absent
            said = sum(1 for w in distinguishing if w in context_words)
            unsaid = sum(
                1 for w in distinguishing if w not in context_words and w not in NEUTRAL_WORDS and w not in axis
            )
            # what the title adds is what the code asks of the record; its inclusion terms are alternatives
            # ("Pressure ulcer of sacral region, stage 2" includes "... partial thickness skin loss involving
            # epidermis"), and their words unsaid weigh less
            titled = sum(
                1
                for w in self._title_words_of(cand_base) - parent_words
                if w not in context_words and w not in NEUTRAL_WORDS and w not in skipped
            )
            score = 1.0 * said - 0.6 * titled - 0.1 * (unsaid - titled)
            if not context_words & SIDES:
                # a side the record does not say is never the default: "Lipoma of the arm" is D17.20 (unspecified
                # limb), not D17.21 (right arm) for saying "arm"
                score -= 1.0 * len(distinguishing & SIDES)
            # the parent's alternatives are told apart by their own words: under "Pain in foot and toes" (M79.67),
            # "right toe" is "Pain in right toe(s)" (M79.674), not "Pain in right foot"
            score -= 0.05 * sum(1 for w in self._title_words_of(cand_base) & parent_words if w not in context_words)
            if self._includes_nos(cand_base, parent_words, context_words):
                # "Chronic myeloid leukemia, BCR/ABL-positive NOS" is an inclusion term of C92.10 ("not having
                # achieved remission"): the Tabular's default where the record says none of the axis (less than one word
                # of the axis said: "Carcinoid tumor NOS" D3A.00 is not "carcinoid tumor of the rectum", D3A.026)
                score += 0.9
            if "unspecified" in distinguishing or "nos" in distinguishing or distinguishing.intersection(axis):
                score += 0.05
                if said_side and not distinguishing & SIDES:
                    score -= 1.0  # "in both eyes" says the side: "Myopia, unspecified eye" is not what it says
            # the obstetric episode is an axis like the 7th character: a condition said in pregnancy is not
            # "Obesity complicating childbirth" (the parent's "pregnancy, childbirth, and the puerperium")
            if self._title_words_of(cand_base) & _EPISODES and not context_words & _EPISODE_SAID:
                score -= 1.0
            # "..., not intractable" asks that the record not say it: "Chronic migraine ..., intractable" is not
            # G43.709 (a "not" said anywhere in the record leaves the choice to the words alone)
            if "not" not in context_words and self._denied_words(cand_base) & context_words:
                score -= 1.0
            # "..., without tophus (tophi)" asks that the record not say tophi (a "without" said leaves it to the words)
            if self._denies_said(cand_base, context_words):
                score -= 1.0
            # a poisoning or toxic effect whose intent the record does not say is accidental (Guidelines I.C.19.e.5.b)
            if parent[:1] == "T" and "accidental" in distinguishing and not context_words & _INTENT_WORDS:
                score += 1.0
            if cand != extended and cand_base == extended:  # 7th character: the episode of care
                score += 0.5 if cand.endswith(encounter) else -0.5
            if best is None or score > best[0] or (score == best[0] and cand < best[1]):
                best = (score, cand)
        assert best is not None
        return best[1]

    # -- Index ---------------------------------------------------------------------------------

    def forget_walks(self) -> None:
        """Drop the remembered Index walks (after a warm-up, so that timing measures real walks)."""
        self._searched.clear()
        if self.release.index is not None:
            self.release.index.resolved.clear()

    def _search(self, text: str) -> Found | None:
        """The best Index path for ``text`` and the share of its indexable words the path accounts for."""
        if text in self._searched:
            return self._searched[text]
        if len(self._searched) > 50_000:
            self._searched.clear()
        found = self._search_uncached(text)
        self._searched[text] = found
        return found

    def _sent_by_said(self, hit: IndexHit, core: set[str], condition: set[str]) -> frozenset[str]:
        """The words of the main term whose see-reference the path followed first, where the statement says that
        main term whole (an eponym for the Index's own term: "Crohn's disease - see Enteritis, regional"), or of a
        main term's subterm said with it that names all the statement's condition words ("Frozen, shoulder - see
        Capsulitis, adhesive"; not "Embolism, cerebral" for an embolic stroke, whose stroke it does not name)."""
        index = self.release.index
        if not hit.followed_see or index is None:
            return frozenset()
        senders = self._see_senders().get(hit.followed_see[0], ())
        for sender in senders:
            said = index.title_words[sender]
            parent = index.terms[sender].parent
            if parent != -1:
                said = said | index.title_words[parent]
                if not condition <= said:
                    continue
            if said and said <= core:
                return frozenset(said)
        return frozenset()

    def _see_senders(self) -> dict[str, tuple[int, ...]]:
        """Eponymous main terms by the see-reference they send the walk on with (built once per release)."""
        if self._senders is None:
            index = self.release.index
            out: dict[str, list[int]] = {}
            for term in index.terms if index is not None else ():
                # an eponym's ("Crohn's disease"): a name for the Index's own term, not a word it shares; and a main
                # term's own subterm that names the condition with it ("Frozen, shoulder - see Capsulitis, adhesive",
                # "Syndrome, cubital tunnel - see Lesion, nerve, ulnar")
                eponym = term.parent == -1 and "'s " in term.title
                named_with = term.level == 1
                if term.see and not term.code and (eponym or named_with):
                    out.setdefault(term.see, []).append(term.id)
            self._senders = {k: tuple(v) for k, v in out.items()}
        return self._senders

    def _search_uncached(self, text: str) -> Found | None:
        index = self.release.index
        if index is None:
            return None
        hits = index.search(text, limit=8)
        if not hits or hits[0].code is None or hits[0].matched < 1:
            return None
        # Words in parentheses qualify ("rosacea (papulopustular component)"), and words the Index never
        # uses (drug names, numbers) cannot be matched: neither dilutes the match.
        # (a figure is a word: "stage 5 chronic kidney disease or end stage renal disease" is said by "CKD stage 5")
        core = {w for w in words(re.sub(r"\([^)]*\)", " ", text)) if len(w) > 1 or w.isdigit()} & index.vocabulary
        # a letter after a word is a word where the Index makes it a subterm of its own ("Hepatitis, C",
        # "Deficiency, vitamin, D"): "chronic hepatitis C virus" is B18.2, not "Hepatitis, viral, chronic"
        # (B18.9); a letter after a number is a unit ("every 12 h" is no "Disease, H")
        core |= {m.lower() for m in _NAMED_LETTER.findall(text)} & {
            t.lower() for hit in hits for t in hit.path[1:] if len(t) == 1
        }
        if not core:
            return None
        # What the statement says is wrong comes before where, when and how much. A path is chosen for
        # the condition words it explains: it starts at a main term the statement names (a coder does
        # not reach "Colitis, left sided, with obstruction" from "left ureteropelvic junction
        # obstruction"), explains the most condition words, and does not code what the statement says
        # is absent. Site, time and degree words, numbers ("1/2/01") and connectives dilute nothing
        # ("right lower lobe pneumonia" is J18.9, "cough of 4 days" R05.9).
        qualifiers = self.qualifier_words()
        content = core - CONNECTIVE_WORDS
        condition = {w for w in content if w not in qualifiers and not w.isdigit()} or content or core
        negated = negated_words(text)
        statement = words(text)
        asked = set(statement)
        ranked: list[tuple[tuple[float, ...], Found]] = []
        conjuncts = _conjunct_tokens(text)
        complete = any(
            hit.code is not None
            and not [w for w in hit.unmatched_query if not _LEVEL_WORD.fullmatch(w)]  # ("c5": where on the spine)
            and hit.matched >= 3
            and bool(main_term_words(hit.path[0]) & set(statement) or hit.followed_see)
            for hit in hits
        )
        for rank, hit in enumerate(hits):
            if hit.code is None:
                continue
            # Step 4: words the Tabular title or inclusion terms of the code account for count as
            # explained ("menorrhagia with regular cycles" -> N92.0 "... menstruation with regular cycle").
            explained = (core - set(hit.unmatched_query)) | (core & self._words_of(hit.code.rstrip("-").rstrip(".")))
            said = explained & condition
            # where a see-reference led, the sites it named are the Index's reading of the note's ("hip - see
            # Fracture, femur, neck"), written in any of the title's forms ("femur, femoral")
            referred = self._said_reference_words(hit, core)  # empty where no reference was followed
            sites = core | referred
            if (
                hit.penalty > 0
                and len(hit.path) > 1
                and self._unsaid_sites(hit.path[1:], sites, variants=bool(hit.followed_see))
                and not self._default_kind_only(hit, core)
            ):
                continue  # a subterm naming a site the statement does not: "Cell, in urine", "Injury, vocal cord"
            if hit.penalty > 0 and any(_another_kind(title, statement, core) for title in hit.path[1:]):
                continue  # "moderate stage" is no "residual stage", "squamous cell" no "basal cell"
            if conjuncts and _other_conjunct_site(
                conjuncts, explained & qualifiers, set(hit.unmatched_query) & condition, hit
            ):
                continue  # "renal lithiasis and hypertension": "renal" is the lithiasis's, not "Hypertension, kidney"
            if hit.followed_see and said and said <= OTHER_SENSES | REFERRED_ONLY:
                continue  # "a large clot": "Clot - see also Embolism" does not send the word alone on
            # an organ's disease is named by the two: "kidney disease" is "Disease, kidney" (N28.9)
            sited = (
                # the path leaves unsaid at most the kind of site the note's site is ("Deformity, joint, wrist")
                (hit.penalty == 0 or unsaid_path_words(hit.path[1:], core) <= SITE_KINDS)
                and bool(said & GENERIC_WORDS)
                and bool(explained & self._table_sites - condition - CONNECTIVE_WORDS - POSITION_WORDS)
            )
            if not said - GENERIC_WORDS - HISTORY_WORDS and not sited:
                # "day 4 of illness": a generic noun alone names no condition; nor does "personal history
                # of syndrome" ("History, personal, nephrotic syndrome" says what the note does not)
                continue
            if hit.path[0].startswith("History") and not self._names_a_condition(hit.path[2:], said):
                continue  # "history of heart": "History, personal, cardiac arrest" says the arrest, not the note
            if said & negated and not self._says_absence(hit, said & negated):
                continue  # "without nasal polyps": a path to the polyps codes what is absent
            if self._denies_said(hit.code.rstrip("-").rstrip("."), core - negated):
                continue  # "hypertension with heart failure" is no "... heart disease without heart failure" (I11.9)
            if main_term_words(hit.path[0]) & OTHER_SENSES and (len(hit.path) == 1 or hit.penalty > 0):
                continue  # "under local anesthesia" is no "Anesthesia, local skin lesion" (R20.0)
            if hit.penalty > 0 and _NEOPLASM_WORD.search(hit.path[0]) and not self._default_kind_only(hit, core):
                continue  # a tumor's histology is said whole: "fusiform cells" are no "Hurthle cell" (C73)
            named = main_term_words(hit.path[0]) & condition  # the main term's noun is said
            if _folded_words(hit.path[0]) - core - IMPLIED_KINDS.get(hit.path[0].lower(), frozenset()):
                named = frozenset()  # "situation" is not "Situation, psychiatric": the folded subterm is unsaid
            # an organism "as the cause of diseases classified elsewhere" (B95-B97) names the cause of the condition
            # said beside it, not the condition: "acute cystitis due to E. coli" is N30.00 (with B96.20 added)
            # (or a main term the statement names whole sent the walk on: "Crohn's disease - see Enteritis, regional")
            named = named or self._sent_by_said(hit, core, condition)
            anchored = bool(named) and not (hit.code.startswith(_ORGANISM_AS_CAUSE) and condition - said)
            # "blood pressure" is not "Fluctuating blood pressure", nor "air space disease" "Compressed air
            # disease": a main term of several words, started from, must be said whole
            own = {w for w in words(hit.path[0].split(",")[0].split("(")[0]) if len(w) > 2} - CONNECTIVE_WORDS
            if " or " in hit.path[0]:
                own -= either_said(hit.path[0], core) - core  # "Behçet's disease or syndrome": one of the two said
            whole = hit.followed_see != () or len(own) < 2 or own <= core
            if not whole and words(text)[:1] == words(hit.path[0])[:1]:
                # said first, as the statement's subject, the main term's implied words may go unsaid
                whole = own - IMPLIED_KINDS.get(hit.path[0].lower(), frozenset()) <= core
            # "cancer" (malignant neoplasm) is not "Neoplasm, malignant mast cell": two or more words
            # unsaid, as many as said, and the last subterm naming one word of the statement at most
            # (the main term a see-reference led to was named by the term that sent the walk there)
            overreach = False
            if hit.penalty >= 0.5 or hit.followed_see:  # fewer than two unsaid words cost less
                unsaid = unsaid_path_words(hit.path[1:] if hit.followed_see else hit.path, core)
                unsaid -= referred
                unsaid -= index.default_kind_words(hit.term_id)  # "skin" in "Melanoma, skin, back"
                unsaid -= SITE_KINDS  # "joint" in "Infection, knee, due to internal joint prosthesis"
                # and the part of a bone the Index files a site under ("radius, lower end, styloid process")
                unsaid -= _PART_WORDS | {"lower", "upper", "process"}
                if hit.followed_see and self._sent_by_said(hit, core, condition):
                    # the reference of a term the statement says whole is the Index's reading of it ("Syndrome,
                    # cubital tunnel - see Lesion, nerve, ulnar")
                    unsaid -= set(words(hit.followed_see[0]))
                named_words = said - HISTORY_WORDS  # "personal history of tumor" names one thing: the tumor
                overreach = (
                    len(unsaid) >= 2 and len(unsaid) >= len(named_words) and len(set(words(hit.path[-1])) & core) < 2
                )
            # then the path whose own titles match most words of the statement (not by connectives alone),
            # then the one leaving fewest of its words unsaid ("presenting with cough" is R05.9, not
            # "Whooping cough, with pneumonia")
            # a side counts where it completes a title ("Failure, ventricular, left"), not where the title names
            # a site the statement does not ("caliceal diverticulum on the left" is no "Diverticulum,
            # ventricle, left")
            unplaced = {side for side in explained & SIDES if not _completes_a_title(side, hit.path, core)}
            explained = explained - unplaced
            titled = hit.explicit - len(explained & CONNECTIVE_WORDS) - len(unplaced)
            if hit.followed_see:
                # words a see-reference named but the path it led to does not ("Bite, by site, superficial,
                # insect" resolved to "Bite, thigh, superficial NEC") are not the path's own
                own = {w for title in hit.path for w in words(title)} | self._words_of(hit.code.rstrip("-").rstrip("."))
                named_by_reference = {w for ref in hit.followed_see for w in words(ref)}
                titled -= len((explained & named_by_reference) - CONNECTIVE_WORDS - own)
            # site, time and degree words the path explains count for half a condition word ("urinary
            # tract infection with fever": "Infection, urinary", not "Fever, yellow" through a see-reference)
            weight = (
                len(said - ACUITY_WORDS)
                + 0.25 * len(said & ACUITY_WORDS)
                + 0.5 * len(explained & (content - condition))
            )
            if hit.penalty > 0:
                # "fever x two days" is not "Three-day fever": a duration names no condition where the
                # path leaves words unsaid
                timed = len(explained & TIME_WORDS)
                weight, titled = weight - 0.5 * timed, titled - timed
            # of paths that explain as much, the one whose code's title is the statement ("Hypertensive heart disease
            # without heart failure" is I11.9's title, not "Hypertension, cardiorenal, without heart failure")
            # (a title that says the statement's word with "not" is no such title: J40 "Bronchitis, not specified as
            # acute or chronic" for "acute bronchitis")
            own_code = hit.code.rstrip("-").rstrip(".")
            # (then the one whose codes below name the words it leaves, as the Tabular verifies: "Cerebral infarction
            # due to thrombosis of left carotid artery" is "..., thrombosis, precerebral artery" I63.0-, whose I63.03-
            # names the carotid, not "..., cerebral artery" by the infarction's own "cerebral"; the subterm's word
            # unsaid is the Tabular's class of the one said)
            left = content.intersection(hit.unmatched_query) - SIDES
            below = len(left & self._subtree_words(own_code)) if left else 0
            titled_code = (
                (hit.penalty > 0 and not below)
                or not (
                    condition <= self._title_words_of(own_code)
                    or condition <= self._title_words_of(own_code) | self._subtree_words(own_code)
                )
                or bool(condition & self._denied_words(own_code))
                or bool(condition & {w for m in _NOT_SPECIFIED.findall(self._title(own_code)) for w in words(m)})
            )
            # (where a path reads three or more words of the statement and leaves none, one whose main term the
            # statement does not say whole comes after it: "Dyskaryotic cervical smear" does not stand before
            # "Displacement, intervertebral disc NEC, cervical" for a cervical disc herniation)
            unusable = complete and not whole
            key = (
                float(unusable),
                float(not anchored),
                -weight,
                float(titled_code),
                -float(titled),
                -float(below),
                hit.penalty,
                float(rank),
            )
            # a condition, not "Encounter" or "Examination", may be taken with words the Index cannot place
            ranked.append(
                (
                    key,
                    Found(
                        hit,
                        len(said) / len(condition),
                        bool(named - NOT_CONDITIONS),
                        anchored or bool(hit.followed_see),
                        len(said),
                        whole,
                        overreach,
                        hit.matched - len((asked - set(hit.unmatched_query)) & CONNECTIVE_WORDS),
                    ),
                )
            )
        if not ranked:
            return None
        return min(ranked, key=lambda r: r[0])[1]

    def _default_kind_only(self, hit: IndexHit, said: set[str]) -> bool:
        """Whether all a path leaves unsaid is the subterm its main term defaults to ("skin" in "Melanoma, skin,
        back" for "melanoma of the back")."""
        index = self.release.index
        if index is None or hit.index != "index" or hit.term_id is None:
            return False
        kind = index.default_kind_words(hit.term_id)
        return bool(kind) and unsaid_path_words(hit.path[1:], said) <= kind

    def _says_absence(self, hit: IndexHit, denied: set[str]) -> bool:
        """Whether a path or its code's title says the absence itself ("Immunization, not done, because, patient
        refusal"; not the "not" of "not elsewhere classified"), and of what the statement denies: "..., with
        obstruction, without gangrene" (K40.30) says no absence of the obstruction an "inguinal hernia without
        obstruction" denies."""
        assert hit.code is not None
        # (a 7th character may say it: M1A's "0 without tophus (tophi)")
        entry = self.entry(hit.code.rstrip("-").rstrip("."))
        sevenths = " ".join(title for _, title in entry.seventh_characters) if entry is not None else ""
        told = _NOT_SPECIFIED.sub(" ", " ".join(hit.path) + " " + self._title(hit.code) + ", " + sevenths)
        if "not" in words(told):
            return True
        absent = {w for phrase in _WITHOUT_PHRASE.findall(told) for w in words(phrase)}
        # an absence whose own words run on through "of" ("without loss of consciousness"), not into a site
        absent_of = {w for phrase in _WITHOUT_OF_PHRASE.findall(told) for w in words(phrase)}
        return (bool(absent) and denied <= absent) or (bool(absent_of) and denied <= absent_of)

    def _said_reference_words(self, hit: IndexHit, said: set[str]) -> set[str]:
        """The words of the see-references a path followed from a subterm of its main term that the statement
        says whole: the Index's own reading of what was said ("Cellulitis, leg - see Cellulitis, lower limb"
        says "lower limb" for "leg"), not words the statement leaves unsaid."""
        index = self.release.index
        if index is None or not hit.followed_see:
            return set()
        ancestors = []  # the terms above the path's end, its main term last
        node = hit.term_id
        while index.terms[node].parent != -1:
            node = index.terms[node].parent
            ancestors.append(node)
        refs = set(hit.followed_see)
        out: set[str] = set()
        grown = True
        while grown:  # a reference's words say the subterm the next reference was sent from ("hip - see
            grown = False  # Fracture, femur, neck", then "neck - see Fracture, femur, upper end, neck")
            known = said | out
            for parent in ancestors or [hit.term_id]:
                for child_id in index.terms[parent].children:
                    child = index.terms[child_id]
                    title = index.title_words[child_id]
                    # said whole, or but for a word that names no place of its own ("distal end - see ...,
                    # lower end": "distal radius")
                    if child.see in refs and title and title & known and title - known <= _PART_WORDS:
                        sent = set(words(child.see))
                        grown = grown or not sent <= out
                        out |= sent
        return out

    def _unsaid_sites(self, titles: tuple[str, ...], said: set[str], variants: bool = False) -> set[str]:
        """The sites the subterm titles name and the statement does not, but the kinds of site a note
        leaves unsaid ("Pain, joint, knee") and the alternatives of one said ("atrial or auricular")."""
        out: set[str] = set()
        for at, title in enumerate(titles):
            passed = 0 < at < len(titles) - 1 and titles[at - 1].lower() in CONNECTIVES
            if passed and set(words(titles[at + 1])) <= said:
                continue  # "following, cerebrovascular disease, cerebral infarction": the class of the kind said
            alternatives = re.split(r"\s+or\s+|,\s*" if variants else r"\s+or\s+", title)
            if len(alternatives) > 1 and any(set(words(alt)) <= said for alt in alternatives):
                continue
            unsaid = unsaid_path_words((title,), said) & self._table_sites
            if unsaid <= TISSUE_WORDS and set(words(title)) & said:
                continue  # "psoas abscess": "Abscess, psoas muscle" is named by "psoas", its muscle goes unsaid
            out |= unsaid
        # (and not a cell type: "Leukemia, chronic lymphocytic, of B-cell type" for "chronic lymphocytic leukemia"; nor
        # the kind of a device: "Infection, knee, due to internal joint prosthesis" for an infected knee prosthesis;
        # nor the vessel an artery or vein said is: "Arteriosclerosis, coronary, native vessel" for a native coronary
        # artery)
        vessel = {"vessel"} if said & _VESSELS else set()
        return out - SITE_KINDS - POSITION_WORDS - {"cell", "internal"} - vessel

    def _names_a_condition(self, titles: tuple[str, ...], said: set[str]) -> bool:
        """Whether the words of ``titles`` the statement says include one that is not only a site."""
        return any(w not in self._table_sites for title in titles for w in words(title) if w in said)

    def qualifier_words(self) -> frozenset[str]:
        """Words that say where, when or how much, not what: laterality, position, time, degree, the anatomical
        sites of the Neoplasm Table that are not themselves conditions (main terms with a code or subterms)."""
        if self._sites is None:
            sites = set(POSITION_WORDS | DEGREE_WORDS | TIME_WORDS)
            table, index = self.release.neoplasm, self.release.index
            if table is not None and index is not None:
                conditions: set[str] = set()
                for term in index.main_terms():
                    head = words(term.title.split(",")[0].split("(")[0])
                    if len(head) == 1 and (term.code is not None or term.children):
                        conditions.add(head[0])
                sites |= {
                    w
                    for w in table.vocabulary
                    if w.isalpha() and (len(w) >= 4 or w in _SHORT_SITES) and w not in NOT_SITES
                } - conditions
            self._sites = frozenset(sites)
        return self._sites

    @staticmethod
    def _accept(found: Found | None) -> bool:
        if found is None:
            return False
        hit, coverage, anchored, reached, said, whole, overreach, matched = found
        if not whole or overreach:
            return False
        implied = anchored and len(hit.path) == 1 and hit.path[0].lower() in IMPLIED_KINDS
        if matched <= 1 and hit.penalty > 0 and not (implied and not hit.unmatched_query):
            # one word matched a longer title ("blood" -> "Spitting blood"; "cells ... in palisade" ->
            # "Cell, in urine"): not this condition (but the main term it names, whose folded subterm is implied:
            # "Hypertriglyceridemia, essential")
            return False
        if matched <= 1 and not reached:
            return False  # one word found inside another condition's entry ("increased" -> "Sphericity, increased")
        if (anchored or hit.followed_see) and hit.penalty == 0:
            # the path starts at the condition named, or at a see-reference from a main term said in full
            # ("Myelomeningocele - see Spina bifida"), and says nothing the statement does not: words the
            # Index has no subterm for ("prolonged fever", "known neurogenic bladder", "myelomeningocele
            # patient for followup") leave it the code
            return True
        # two words matched, but one of them only where or how much ("airway ... mild" -> "Asthma, mild
        # intermittent"): the path must explain most of what the statement says is wrong
        return coverage >= 0.5 if hit.matched >= 2 and (said >= 2 or anchored) else coverage >= 0.6

    def coverage(self, text: str) -> float:
        """How much of ``text`` its Index path explains (0 when it has none): the code's confidence."""
        found = self._search(text)
        return found[1] if found else 0.0

    def lookup(self, text: str) -> IndexHit | None:
        """The Index path for a diagnostic statement: the whole of it, else its leading comma-parts
        ("Primary osteoarthritis, R knee, progressing despite care" -> the first two parts)."""
        found = self._search(text)
        many = found is not None and found[0].matched >= 3 and found.said >= 2 and found.whole and not found.overreach
        if found and (self._accept(found) or many):
            return found[0]
        best: Found | None = None
        for shorter in _shorter_forms(text):
            candidate = self._search(shorter)
            if candidate and self._accept(candidate) and (best is None or candidate[0].matched > best[0].matched):
                best = candidate
        if best is None and _ACUITY_ONLY.search(text):
            # an acuity the Index has no subterm for ("Acute anemia": "Anemia" has none, and the walk for "acute"
            # went through an unsaid "due to hemorrhage"): the condition, its acuity left unread
            plain = self._search(_ACUITY_ONLY.sub(" ", text).strip())
            if plain and self._accept(plain) and plain[0].penalty == 0:
                best = plain
        return best[0] if best else None

    def _sided(self, hit: IndexHit, text: str, said: set[str], both: bool) -> IndexHit:
        """The Index's "unilateral" / "bilateral" subterm under the path, where the statement (``text``, its
        words ``said``) says a side or both: "right knee osteoarthritis" is "Osteoarthritis, knee, unilateral"
        (M17.1-), "osteoarthritis of both knees" "Osteoarthritis, knee, bilateral" (M17.0), not
        "Osteoarthritis, knee" (M17.9)."""
        if both or "bilateral" in said:
            side = "bilateral"
        elif said & {"left", "right"}:
            side = "unilateral"
        else:
            return hit
        if side in said and hit.path[-1].lower() == side:
            return hit
        sided = self.lookup(f"{text} {side}")
        if sided is None or sided.code is None or sided.path != (*hit.path, side):
            return hit
        return sided

    def _regional(self, hit: IndexHit, text: str) -> IndexHit:
        """The region a site lies in, where the path's main term lists regions only: "lipoma of back" is
        "Lipoma, site classification, trunk" (D17.1), not "Lipoma" (D17.9) with "back" unexplained."""
        if not hit.unmatched_query or hit.code is None:
            return hit
        lowered = text.lower()
        for site, region in self.lexicon.regions.items():
            if not set(words(site)) <= set(hit.unmatched_query) or not re.search(rf"\b{site}\b", lowered):
                continue
            placed = self.lookup(re.sub(rf"\b{site}\b", region, lowered))
            if placed is None or placed.code is None:
                continue
            if (
                placed.path[: len(hit.path)] == hit.path
                and len(placed.path) > len(hit.path)
                and words(region)[0] in words(placed.path[-1])[0]
            ):
                return placed
            # (or the region is a subterm of its own with the rest below it: "Diverticulosis, with bleeding" K57.91
            # leaves the sigmoid colon, "Diverticulosis, large intestine, with, bleeding" K57.31 reads it all)
            if (
                len(placed.path) > 1
                and placed.path[0] == hit.path[0]
                and placed.matched > hit.matched
                and set(placed.unmatched_query) < set(hit.unmatched_query)
                and set(words(region)) <= set(words(placed.path[1]))
                and {w for title in hit.path[1:] for w in words(title)} <= {w for t in placed.path for w in words(t)}
                and not any(" NEC" in title for title in placed.path)  # the site lost to "other part" ("lower leg NEC")
            ):
                return placed
        return hit

    def has_personal_history(self, condition: str) -> bool:
        """Whether the Index names a personal history of ``condition`` ("History, personal, pneumonia"
        Z87.01): a condition that can be over and come back, as a chronic or structural one cannot."""
        hit = self.lookup("personal history of " + _HISTORY_OF.sub("", self.lexicon.expand(condition)))
        return (
            hit is not None
            and hit.code is not None
            and hit.code.startswith("Z8")
            and hit.penalty == 0
            and bool(hit.path)
            and hit.path[0].lower().startswith("history")
        )

    def _unlinked(self, st: Statement, hit: IndexHit) -> tuple[Statement, Statement, Statement, IndexHit | None] | None:
        """ "A with B" as two statements where the statement's path names only one of them and the other
        has an Index path of its own that names a condition: the Index has no "with" subterm linking the
        two ("exertional chest pressure with new T-wave inversions" is R07.89 and R94.31), so each is
        coded (Guidelines I.A.15 presumes a link only where the Index or the Tabular makes one). Returns
        the two pieces in note order, the one the path did not name, and that one's linked entry, where
        the Index lists it under the other's main term with a connective (see :meth:`_linked`)."""
        if hit.code is None or re.search(r"\bhistory\b", st.text, re.IGNORECASE):
            return None
        found = WITH.search(st.text) or _SUPERIMPOSED.search(st.text)
        if found is None or WITH.search(st.text, found.end()) is not None:
            return None
        left, right = st.text[: found.start()], st.text[found.end() :]
        explained = set(words(self.lexicon.expand(st.text))) - set(hit.unmatched_query) - CONNECTIVE_WORDS
        # the condition words decide, not a site both may share ("Ingrown toenail with paronychia, left great toe")
        explained = (explained - self.qualifier_words() - self._table_sites) or explained
        left_words = set(words(self.lexicon.expand(left)))
        right_words = set(words(self.lexicon.expand(right)))
        if explained <= left_words - right_words:
            other_is_right = True
        elif explained <= right_words - left_words:
            other_is_right = False
        else:
            return None
        other, this = (right, left) if other_is_right else (left, right)
        other_found = self._search(self.lexicon.expand(other))
        tail = _SITE_TAIL.search(this) if other_found is None or other_found.hit.code is None else None
        sent = self._main_term_refs().get(other.strip().lower(), "") if tail is not None else ""
        referred: IndexHit | None = None  # the other's entry at this one's site, where its own has no code
        if tail is not None and sent:
            # "Ingrown toenail of right great toe with paronychia": "Paronychia - see also Cellulitis, digit" has no
            # code of its own; at the site the other names, the entry it sends the coder to has ("Cellulitis, toe")
            sited = self._search(self.lexicon.expand(f"{other} of {tail.group(1)}"))
            if sited is not None and sited.hit.path[0].lower() == sent:
                other_found = sited._replace(anchored=True)
                referred = sited.hit
        if (
            other_found is None
            or other_found.hit.code is None
            or other_found.hit.code == hit.code
            or not other_found.anchored
            or not self._accept(other_found)
        ):
            return None
        pieces = []
        for text, at in ((left, 0), (right, found.end())):
            stripped = text.strip()
            start = st.start + at + text.find(stripped)
            pieces.append(replace(st, text=stripped, start=start, end=start + len(stripped)))
        alone = other_found.hit
        return (
            pieces[0],
            pieces[1],
            pieces[1 if other_is_right else 0],
            self._linked(other, this, alone) or self._sited(other, this, alone) or referred,
        )

    def _sited(self, other: str, this: str, alone: IndexHit) -> IndexHit | None:
        """The other condition at this one's site, where the other names none ("Cutaneous abscess of back with
        cellulitis": the cellulitis is of the back, L03.312, not "Cellulitis, unspecified" L03.90)."""
        tail = _SITE_TAIL.search(this)
        if tail is None or set(words(other)) & self._table_sites:
            return None
        found = self._search(self.lexicon.expand(f"{other} of {tail.group(1)}"))
        if (
            found is not None
            and found.hit.code is not None
            and found.anchored
            and found.hit.path[0] == alone.path[0]
            and found.hit.matched > alone.matched
            and found.hit.penalty == 0
        ):
            return found.hit
        return None

    def _said_otherwise(self, condition: str, as_drug: IndexHit) -> bool:
        """Whether the path "due to drug" takes leaves words the condition's own path says: "Type 2 diabetes with
        hypoglycemia due to glipizide" is no drug-induced diabetes (E09.649) but type 2 with hypoglycemia
        (E11.649), the drug's adverse effect beside it."""
        left = set(as_drug.unmatched_query) - {"drug", "due", "induced"}
        if not left:
            return False
        plain = self.lookup(condition)
        return plain is not None and bool(left - set(plain.unmatched_query))

    def _conjoined(self, st: Statement, hit: IndexHit) -> tuple[Statement, list[tuple[Statement, IndexHit]]] | None:
        """ "A with B and C", where the Index links A with each: the statement cut to "A with B", and C as a
        statement of its own with the path of "A with C" (another code under the same main term, through a
        connective)."""
        found = WITH.search(st.text)
        if found is None or hit.code is None or not any(linking(title) for title in hit.path[1:]):
            return None
        head, rest = st.text[: found.start()], st.text[found.end() :]
        parts: list[tuple[int, str]] = []
        at = 0
        for joint in _CONJUNCTION.finditer(rest):
            parts.append((at, rest[at : joint.start()]))
            at = joint.end()
        parts.append((at, rest[at:].rstrip(" .")))
        # "with diabetic polyneuropathy, with hyperglycemia": the "with" said again
        parts = [
            (at + len(m[0]), part[len(m[0]) :]) if (m := _WITH_LEAD.match(part)) else (at, part) for at, part in parts
        ]
        if len(parts) < 2 or not all(part.strip() for _, part in parts):
            return None
        named = {w for title in hit.path for w in words(title)} | self._words_of(hit.code.rstrip("-").rstrip("."))
        # the head's own words said again ("diabetic retinopathy" after "type 2 diabetes") are no subterm's
        named -= set(words(self.lexicon.expand(head))) | set(words(hit.path[0]))
        covered = [bool(set(words(self.lexicon.expand(part))) & named) for _, part in parts]
        if any(covered[1:]) and covered[0]:
            # the path says them all ("Hypertension, with, heart failure, with, chronic kidney disease"); where it
            # says only a later one ("... with diabetic polyneuropathy, with hyperglycemia" read as E11.65), each
            # is looked up with the head
            return None
        more: list[tuple[Statement, IndexHit]] = []
        codes = {hit.code}
        if not covered[0]:
            first = self._search(self.lexicon.expand(f"{head} with {parts[0][1]}"))
            if first is None or first.hit.code is None:
                return None
            codes = {first.hit.code}
        for at, part in parts[1:]:
            combined = self._search(self.lexicon.expand(f"{head} with {part}"))
            if (
                combined is None
                or combined.hit.code is None
                or combined.hit.code in codes
                or combined.hit.path[0] != hit.path[0]
                or not any(linking(title) for title in combined.hit.path[1:])
                or not self._accept(combined)
            ):
                return None  # each listed one is linked, or the statement is read whole
            start = st.start + found.end() + at
            codes.add(combined.hit.code)
            more.append((replace(st, text=part, start=start, end=start + len(part)), combined.hit))
        first_end = st.start + found.end() + parts[0][0] + len(parts[0][1])
        return replace(st, text=st.text[: first_end - st.start], end=first_end), more

    def _linked(self, other: str, this: str, alone: IndexHit) -> IndexHit | None:
        """Where the Index lists the other condition with this one under a connective subterm ("Anemia, in,
        chronic kidney disease" D63.1 for "CKD stage 3a with anemia"), that entry, not the bare one: the
        "with" convention (I.A.15) where the Index makes the link. Only a path from the other condition's
        own main term that goes on through "in", "due to" or "with" and explains more words counts."""
        index = self.release.index
        if index is None:
            return None
        # the Index may link it to this condition under another of its names: "Sciatica, with lumbago" for
        # "low back pain with sciatica" (low back pain and lumbago are one code, M54.50)
        names = [this]
        this_found = self._search(self.lexicon.expand(this))
        if this_found is not None and this_found.hit.code is not None:
            names += [n for n in self._main_terms_named(this_found.hit.code) if n.lower() not in this.lower()]
        for name in names:
            for linked in index.search(self.lexicon.expand(f"{other} with {name}"), limit=8):
                if (
                    linked.code is not None
                    and linked.code != alone.code
                    and linked.path[0] == alone.path[0]
                    and len(linked.path) > len(alone.path)
                    # "with" as a subterm of its own, or as the first word of one ("Sciatica, with lumbago")
                    and any(linking(title) for title in linked.path[1:])
                    and linked.matched > alone.matched
                    and linked.penalty == 0
                ):
                    return linked
        return None

    def _main_term_refs(self) -> dict[str, str]:
        """The main term a main term with no code of its own sends the coder to, by its first form, lowercased
        ("paronychia" -> "cellulitis", from "Paronychia - see also Cellulitis, digit"); built once per release."""
        if self._refs is None:
            index = self.release.index
            refs: dict[str, str] = {}
            for term in index.main_terms() if index is not None else ():
                ref = term.see or term.see_also
                if term.code is None and ref:
                    refs[term.title.split(",")[0].split("(")[0].strip().lower()] = ref.split(",")[0].strip().lower()
            self._refs = refs
        return self._refs

    def _main_terms_named(self, code: str) -> tuple[str, ...]:
        """The Index's main terms that code to ``code`` themselves, by their first form ("Lumbago" for M54.50)."""
        if self._main_terms_by_code is None:
            by_code: dict[str, list[str]] = {}
            index = self.release.index
            for term in index.main_terms() if index is not None else ():
                if term.code is not None:
                    by_code.setdefault(term.code, []).append(term.title.split(",")[0].split("(")[0].strip())
            self._main_terms_by_code = {k: tuple(v) for k, v in by_code.items()}
        return self._main_terms_by_code.get(code, ())

    def history_code(self, code: str, said: set[str], kind: tuple[str, ...] = FAMILY_HISTORY) -> tuple[str, str] | None:
        """The family-history code (Z80-Z84; or another ``kind`` of history code: Z85 for a past cancer) for
        a condition coded ``code``, and the Tabular node whose "Conditions classifiable to ..." note covers
        the code (the narrowest range that does). A subcategory is carried to the child the statement's
        words name, else to its catch-all. None where that is not one code."""
        base = code.rstrip("-").rstrip(".")
        best: tuple[int, str] | None = None
        for node_id, ranges in self._history_ranges(kind):
            for low, high in ranges:
                if base[: len(low)] >= low and base[: len(high)] <= high:
                    width = self._categories_between(low, high)
                    if best is None or width < best[0]:
                        best = (width, node_id)
        if best is None:
            return None
        node_id = best[1]
        tabular = self.release.tabular
        if tabular.is_billable(node_id):
            return node_id, node_id
        own = self._words_of(node_id)
        children = [c for c in tabular.descendants(node_id) if c != node_id and tabular.is_billable(c)]
        said_words = set(said) | set(self._words_of(base))
        scored = sorted(((len((self._words_of(c) - own) & said_words), c) for c in children), reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1], node_id
        # the catch-all: a child that says nothing its subcategory does not ("Family history of other
        # diseases of the musculoskeletal system..." under "... of arthritis and other diseases of ..."), the
        # one that says "other" where there are two; or the one child with an "other" of its own
        general = [c for c in children if self._words_of(c) <= own]
        chosen = [c for c in general if "other" in self._words_of(c)] if len(general) > 1 else general
        chosen = chosen or [c for c in children if "other" in self._words_of(c) - own]
        return (chosen[0], node_id) if len(chosen) == 1 else None

    def _family_history_by_site(self, code: str, expanded: str, said: set[str]) -> tuple[str, str] | None:
        """The family-history code a neoplasm's site narrows an unspecified one to, with the Tabular node."""
        entry = self.entry(code)
        if entry is None or "unspecified" not in entry.title.lower():
            return None
        condition = _FAMILY_HISTORY_OF.sub("", expanded)
        if not _NEOPLASM_WORD.search(condition):
            return None
        own = self.neoplasm(condition)
        if own is None:
            return None
        by_note = self.history_code(own[0], said)
        if by_note is None or by_note[0] == code or by_note[0][:3] != code[:3]:
            return None
        return by_note

    def _history_entry(self, hit: IndexHit, said: set[str]) -> bool:
        """Whether a personal-history path names the statement's condition and nothing it does not say
        (see :func:`_history_said`): "personal history of hypertension in medical treatment" is no
        "History, personal, medical treatment NEC"."""
        index = self.release.index
        heads = index.heads if index is not None else {}
        # a word the path leaves unmatched that is a main term of its own names another condition
        unexplained = {w for w in hit.unmatched_query if w in heads and w in said and len(w) > 2} - CONNECTIVE_WORDS
        return not unexplained and _history_said(hit.path, said)

    def _sequela(self, condition: str, said: set[str]) -> IndexHit | None:
        """The Index's "Sequelae" entry for a past condition said to have left a residual deficit."""
        if "residual" not in said:
            return None
        parts = re.split(r"\s+(?:with|and)\s+residual\s+", condition, maxsplit=1, flags=re.IGNORECASE)
        found = self.lookup(f"sequelae of {parts[0]}")
        if found is None or found.code is None or not found.path[0].lower().startswith("sequela"):
            return None
        if len(parts) == 2:
            # the deficit named, where the Index has it "following" the condition ("Dysphagia, following,
            # cerebrovascular disease, cerebral infarction" I69.391), is the sequela's own code
            named = self.lookup(f"{parts[1]} following {parts[0]}")
            if named is not None and named.code is not None and named.code[:4] == found.code[:4]:
                return named
        return found

    def _history_ranges(self, kind: tuple[str, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The history codes of ``kind`` with the code ranges their "Conditions classifiable to" notes name."""
        if kind not in self._ranges:
            found = self._ranges[kind] = []
            for node_id, node in self.release.tabular.nodes.items():
                if not node_id.startswith(kind):
                    continue
                for note in node.notes:
                    if "classifiable" in note.text.lower():
                        ranges = [(low, high or low) for low, high in _CODE_RANGE.findall(note.text)]
                        if ranges:
                            found.append((node_id, ranges))
        return self._ranges[kind]

    def _categories_between(self, low: str, high: str) -> int:
        """How many Tabular categories a range spans (the narrower range is the more specific note)."""
        if self._categories is None:
            self._categories = sorted(n for n in self.release.tabular.nodes if len(n) == 3 and n[0].isalpha())
        return bisect.bisect_right(self._categories, high[:3]) - bisect.bisect_left(self._categories, low[:3])

    def _glossed(self, text: str, code: str) -> IndexHit | None:
        """The more specific code a statement's parenthetical gloss names, where the statement's own path
        ends in an unspecified code of the same category: "Verruca vulgaris (common warts)" is "Verruca"
        (B07.9, viral wart, unspecified) and "Wart, common" (B07.8); the documentation supports the
        specific code (Guidelines I.B.2, code to the highest specificity documented)."""
        if "(" not in text or "unspecified" not in self._title(code).lower():
            return None
        for gloss in re.findall(r"\(([^()]{3,})\)", text):
            hit = self.lookup(gloss)
            if (
                hit is not None
                and hit.code is not None
                and hit.code[:3] == code[:3]
                and hit.code != code
                and "unspecified" not in self._title(hit.code).lower()
            ):
                return hit
        return None

    def in_system(self, hit: IndexHit, system: str | None) -> tuple[str, tuple[str, ...]] | None:
        """A bare main term whose code is in another body system than the note's, carried to its one
        subterm in the note's system ("Reflux" in a renal ultrasound: "Reflux, vesicoureteral")."""
        index = self.release.index
        if system is None or index is None or hit.code is None or len(hit.path) != 1 or hit.code[0] == system:
            return None
        if hit.code[0] not in self.lexicon.body_systems:
            return None  # a sign or symptom (R), or a code of no one system, stays as the Index gives it
        found = [
            child
            for child_id in index.terms[hit.term_id].children
            if (child := index.terms[child_id]).code is not None and child.code[0] == system
        ]
        if len(found) != 1:
            return None
        return found[0].code or "", (*hit.path, found[0].title)

    def _names_one(self, text: str) -> bool:
        """Whether ``text`` is one condition the Index names whole."""
        found = self._search(text)
        return found is not None and found[1] >= 0.99 and self._accept(found)

    def list_items(self, text: str) -> list[str]:
        """A clause that lists conditions ("HTN, HLD", "asthma and eczema"): its parts, when each is one."""
        if re.search(r"\bwith\b.*\band\b", text, re.IGNORECASE):
            return []  # "influenza with pharyngitis and cough": the "and" joins manifestations
        parts = [p.strip() for p in re.split(r",\s*|\s+and\s+|\s*/\s*", text) if p.strip()]
        if len(parts) < 2 or any(_WITH_LEAD.match(part) for part in parts[1:]):
            return []  # "... with diabetic polyneuropathy, with hyperglycemia": one condition's complications
        lead = _LIST_LEAD.match(parts[0])
        if lead is not None:
            # "Family history of diabetes and hypertension", "History of DVT and PE": the lead is each part's
            # (Z82.49, not the patient's own hypertension, I10), where each part names a condition of its own
            bare = [parts[0][lead.end() :], *parts[1:]]
            if all(self._names_one(part) or self._names_one(lead.group(0) + part) for part in bare):
                # (a part with a lead of its own keeps it: "family history of A, personal history of B")
                return [part if _LIST_LEAD.match(part) else lead.group(0) + part for part in bare]
            return []
        # "Urinary incontinence, stress": the whole's path takes a later part as its own subterm, by a comma only
        # and not by a connective the note does not say ("insomnia and depression" is no "Insomnia, due to")
        joined = re.search(r"\band\b|/", text, re.IGNORECASE) is not None
        spoken = words(text)
        one_entry = joined and " and " in text.lower() and "," not in text and len(set(spoken)) == len(spoken)
        one = self._search(text) if not joined or one_entry else None
        whole = one if not joined else None
        # "Hypertensive heart and chronic kidney disease": one Index entry says the whole ("Hypertension,
        # cardiorenal" I13.10), every word and no more, without a connective the note does not say (and no
        # word said twice: "recurrent uveitis and uveitis" are two)
        if (
            one_entry
            and one is not None
            and one.hit.code is not None
            and not one.hit.unmatched_query
            and one.hit.penalty == 0
            and one.coverage >= 0.99
            and not one.overreach
            and not any(linking(t) for t in one.hit.path[1:])
            and self._accept(one)
        ):
            return []
        if (
            whole is not None
            and whole[0].code is not None
            and not any(linking(t) for t in whole[0].path[1:])
            and main_term_words(whole[0].path[0]) & set(words(parts[0]))  # the first part's condition ...
        ):
            left = set(whole[0].unmatched_query)
            if any((said := set(words(part))) and not said & left for part in parts[1:]):
                return []  # ... with a later part as its subterm
        if any(set(words(part)) <= self._table_sites | POSITION_WORDS for part in parts[1:]):
            return []  # "Chalazion, left upper eyelid": a later part that names only a site is where the first one is
        heads: set[str] = set()
        for part in parts:
            found = self._search(part)
            if not found or found[1] < 0.99 or not self._accept(found):
                return []  # "cigarettes/day" lists no "Riley-Day syndrome"
            heads.add(found.hit.path[0])
        if whole is not None and whole.coverage >= 0.99 and heads == {whole.hit.path[0]}:
            return []  # "Diabetic ketoacidosis without coma, type 1 diabetes": one diabetes, said in two parts
        return parts

    def _said_title(self, expanded: str, hit: IndexHit | None, code: str | None) -> Retrieved | None:
        """The billable code whose Tabular title or inclusion term the statement says word for word, where the
        Index's path for it (``hit``, giving ``code``) left words unread that the title reads."""
        if code is None or hit is None or not hit.unmatched_query:
            return None
        titled = self.titles().said_whole(expanded)
        if (
            titled is None
            or titled.code.startswith(code.rstrip("-").rstrip("."))  # the Index's own category: refined below
            or not set(hit.unmatched_query) & set(words(titled.text))
        ):
            return None
        # the same words, not the same sense: "Panic disorder without agoraphobia" is no "Agoraphobia without panic
        # disorder" (F40.02); what the title says is absent the statement must not say present
        if negated_words(titled.text) & (set(words(expanded)) - negated_words(expanded)):
            return None
        return titled

    @staticmethod
    def _malignant_kind(hit: IndexHit) -> bool:
        """Whether an Index path reads the statement's "malignant" as a kind of its condition, not a neoplasm
        ("Effusion, malignant pleural" J91.0, "Otitis, externa, malignant" H60.2-): the table is not looked at."""
        return (
            hit.code is not None
            and not hit.followed_see
            and _NEOPLASM_WORD.search(hit.path[0]) is None
            and any(_NEOPLASM_WORD.search(part) for part in hit.path[1:])
            and not any(_NEOPLASM_WORD.fullmatch(w) for w in hit.unmatched_query)
        )

    def neoplasm(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        table = self.release.neoplasm
        if table is None:
            return None
        low = text.lower()
        column = "Malignant Primary"
        told = self._histology_behavior(text)
        if told is not None and not re.search(r"metasta|secondary|in situ|benign|malignan|cancer", low):
            # the Index's own behavior for the histology said: "Adenoma, villous - see Neoplasm, uncertain behavior"
            column = told
        elif _SECONDARY_SAID.search(low):
            column = "Malignant Secondary"
        elif "in situ" in low:
            column = "Ca in situ"
        elif re.search(r"\bbenign\b|adenoma\b|lipoma", low):
            column = "Benign"
        elif re.search(r"\buncertain (?:behaviou?r|malignant potential)", low):
            # the behavior said uncertain ("neoplasm of uncertain behavior of skin of back": D48.5, not D49.2)
            column = "Uncertain Behavior"
        elif not re.search(r"carcinoma|malignan|cancer|sarcoma|blastoma|lymphoma|melanoma", low):
            # "Tumor (see also Neoplasm, unspecified behavior, by site)": a tumor the note does not call
            # malignant or benign is of unspecified behavior (D49.-)
            column = "Unspecified Behavior"
        said = words(text)
        negated = negated_words(text)
        # the words the site goes with: the metastasis for a secondary ("bone metastasis of medullary
        # thyroid carcinoma" is in the bone), else the tumor
        tumor_at = [i for i, word in enumerate(said) if column == "Malignant Secondary" and word.startswith("metasta")]
        tumor_at = tumor_at or [i for i, word in enumerate(said) if _NEOPLASM_WORD.fullmatch(word)]
        best: tuple[tuple[int, int, int, int], str, tuple[str, ...]] | None = None
        for rank, hit in enumerate(table.search(text, limit=8)):
            cells = dict(hit.cells)
            path = hit.path
            if not cells.get(column) and hit.see_also:
                # "colon (see also Neoplasm, intestine, large)" has no benign cell: the same site under the
                # see-also has ("Neoplasm, intestine, large, colon" D12.6)
                referred = self._referred_cells(hit, column)
                if referred is not None:
                    cells, path = referred
            # a site the statement names ("with" alone matched "associated with transplanted organ"),
            # and not one it denies ("testicular tumor ... without locoregional ganglia")
            site = set(said) - set(hit.unmatched_query) - CONNECTIVE_WORDS - NOT_SITES - negated
            if not (cells.get(column) and len(hit.path) > 1 and site):
                continue
            left = [w for w in hit.unmatched_query if not (w.startswith("metasta") or _NEOPLASM_WORD.fullmatch(w))]
            if hit.penalty > 0 and left:
                # a site the statement names only in part: "basal" (cell) is no "basal ganglia"; a row that
                # explains every word stands ("nose, nasal, skin, basal cell carcinoma" C44.311)
                continue
            # of the sites said, the one said with the tumor word ("testicular tumor and left cord cyst"
            # is a tumor of the testis)
            near = min((abs(i - j) for j, word in enumerate(said) if word in site for i in tumor_at), default=0)
            # the site first: "skin, leg" (C44.70-) for a basal cell carcinoma of the leg, whose histology then
            # gives its code (C44.71-), not "skin NOS, basal cell carcinoma" (C44.91), which leaves the leg unsaid
            histology = {w for title in path[1:] if _NEOPLASM_WORD.search(title) for w in words(title)}
            key = (-len(site - histology), -hit.matched, near, rank)
            if best is None or key < best[0]:
                best = (key, cells[column] or "", path)
        return (best[1], best[2]) if best else None

    def _primary_said(self, text: str) -> tuple[str, tuple[str, ...], str] | None:
        """The primary malignancy a metastasis's statement names ("... from colon cancer", "metastatic breast cancer
        to bone"): its code from the table's primary column, where the table has the site said, and the statement
        without it, for the metastasis's own site."""
        said = _PRIMARY_FROM.search(text)
        rest = text[: said.start()] + text[said.end() :] if said else ""
        if said is None:
            said = _PRIMARY_METASTATIC.search(text)
            rest = text[: said.start("site")] + text[said.end() :] if said else ""
        if said is None:
            return None
        found = self.neoplasm(f"malignant neoplasm of {said.group('site').strip()}")
        return (found[0], found[1], rest) if found is not None and found[0].startswith("C") else None

    def _histology_behavior(self, text: str) -> str | None:
        """The table column a histology's subterm sends the statement to ("Adenoma, villous - see Neoplasm, uncertain
        behavior, by site": "Uncertain Behavior"), where the statement says the subterm whole; None elsewhere."""
        index = self.release.index
        if index is None:
            return None
        said = set(words(text))
        for word in said & {"adenoma", "carcinoma", "tumor", "polyp", "adenocarcinoma"}:
            if word not in self._behaviors:  # the histology's subterms that name a column, read once
                head = index.by_head.get(word)
                kinds: list[tuple[frozenset[str], str]] = []
                for child in index.terms[head].children if head is not None else ():
                    reference = (index.terms[child].see or index.terms[child].see_also or "").lower()
                    column = next((c for behavior, c in _TABLE_COLUMNS if behavior in reference), None)
                    if "neoplasm" in reference and index.title_words[child] and column is not None:
                        kinds.append((index.title_words[child], column))
                self._behaviors[word] = tuple(kinds)
            found = next((column for kind, column in self._behaviors[word] if kind <= said), None)
            if found is not None:
                return found
        return None

    def _of_the_skin(self, hit: IndexHit) -> bool:
        """Whether the Index sends the statement's tumor to the table's skin sites ("see also Neoplasm, skin")."""
        index = self.release.index
        if index is None:
            return False
        term = index.terms[hit.term_id]
        return any(_SKIN_REFERENCE.search(text or "") for text in (term.see_also, term.see, *term.nonessential))

    def _referred_cells(self, hit: IndexHit, column: str) -> tuple[dict[str, str | None], tuple[str, ...]] | None:
        """The cells of the site a table row's see-also names, where it has the column's code."""
        table = self.release.neoplasm
        target = table.resolve(hit.see_also) if table is not None and hit.see_also else None
        if table is None or target is None:
            return None
        site = hit.path[-1].lower()
        left = set(hit.unmatched_query)
        for term in [*(table.terms[c] for c in target.children if table.terms[c].title.lower() == site), target]:
            # and the part of it the row left unsaid ("ascending colon": "Neoplasm, intestine, large, colon,
            # ascending", D12.2)
            parts = [table.terms[c] for c in term.children if set(words(table.terms[c].title)) <= left]
            for part in (*parts, term):
                cells = dict(table.cells_of(part))
                if cells.get(column):
                    return cells, table.path_of(part.id)
        return None

    def histology(self, code: str, statement_words: set[str]) -> str:
        """A neoplasm code from the table, carried to the sibling its histology words name
        (C44.301 skin of nose -> C44.311 basal cell carcinoma of skin of nose)."""
        base = code.rstrip("-").rstrip(".")
        if not base.startswith("C") or len(base) < 5:
            return base
        family = base[:5]  # C44.3
        if self.entry(family) is None:
            return base
        own = self._words_of(base)
        site = own - NEUTRAL_WORDS - {"malignant", "neoplasm", "unspecified", "parts"}
        best = (len(site & statement_words) + 0.5 * len(site), base)
        for cand in self.release.tabular.descendants(family):
            cand_words = self._words_of(cand)
            score = len(cand_words & statement_words) + 0.5 * len(cand_words & site)
            # the site as specified as it was: C44.309 "skin of other parts of face" (the cheek) is C44.319, not
            # C44.310 "... unspecified parts of face"
            score -= 0.25 * (("other" in cand_words) != ("other" in own))
            # and no side the statement does not say: "Breast cancer" is C50.919 (unspecified breast), not the
            # right one listed first
            score -= 0.5 * len((cand_words & SIDES) - statement_words)
            if score > best[0]:
                best = (score, cand)
        return best[1]

    def prepare(self) -> None:
        """Build the tables read from the release on first use (retrieval titles, family-history notes, the
        main terms by code)."""
        self.titles()
        self._history_ranges(FAMILY_HISTORY)
        self._history_ranges(PERSONAL_CANCER_HISTORY)
        self._organism_words()
        self._categories_between("A00", "A00")
        self._main_terms_named("")

    def titles(self) -> TitleIndex:
        """The retrieval fallback over Tabular titles and inclusion terms (built on first use)."""
        if self._titles is None:
            self._titles = TitleIndex(self.release)
        return self._titles

    # -- Statements to proposals ---------------------------------------------------------------

    def code_statements(
        self, statements: list[Statement], note: ClinicalNote, ctx: EncounterContext
    ) -> DiagnosisResult:
        proposals: list[Proposal] = []
        not_coded: list[NotCoded] = []
        queries: list[PhysicianQuery] = []
        visit_character = _encounter_character(note)
        # the body system a study's report is about (its indication says why it was done); a visit addresses
        # problems of several ("Colonoscopy due 2027" beside a wellness visit's hypertension), and a case report
        # tells a course through several: their "hypertension" is not carried to "Hypertension, portal"
        system = self.lexicon.body_system(note.text) if note.sections_of("indication") else None
        item_words: dict[str, frozenset[str]] = {}
        item_resolved: dict[str, bool] = {}
        assessment_items = {st.item: st for st in statements if st.section != "addendum"}
        first_of_item: dict[int, Statement] = {}
        for st in statements:
            first_of_item.setdefault(st.item, st)
        statements = list(statements)  # a statement of two conditions the Index does not link adds its second
        visit = bool(note.sections_of("assessment")) and not note.sections_of("indication")
        linked: dict[int, IndexHit] = {}  # the second condition of "A with B" where the Index links it to A
        followed_up: list[tuple[Statement, Evidence, str, int]] = []  # resolved, with no history code yet
        weeks_of: dict[int, re.Match[str] | None] = {}  # 0: the encounter's weeks said; 1: coded as Z3A
        prenatal = (
            visit
            and ctx.sex != "M"
            and any(
                _PRENATAL.search(note.body(section)) for section in note.sections_of("assessment", "chief_complaint")
            )
        )
        for n, given in enumerate(statements):
            st = given
            # an injury's own problem may say its episode ("Sprain of left wrist, initial encounter" beside a fracture
            # "subsequent encounter for routine healing"); else the visit's
            encounter = _item_character(st.item_text) or visit_character
            ev = _evidence(note, st.start, st.end)
            treated = _treated_condition(note, st) if visit and st.section == "assessment" else None
            if treated is not None and not any(s.start <= treated.start < s.end for s in statements if s is not given):
                # "Long-term use of anticoagulants - on apixaban for paroxysmal atrial fibrillation": the
                # condition a drug therapy is for is documented as treated; it is coded beside the status
                statements.insert(n + 1, treated)
                st = _therapy_part(note, st, treated)
            if st.assertion == Assertion.NEGATED:
                not_coded.append(NotCoded(st.text, G_NEGATED, (ev,)))
                continue
            if st.assertion == Assertion.HYPOTHETICAL:
                not_coded.append(NotCoded(st.text, "Hypothetical or conditional mention", (ev,)))
                continue
            if (
                st.assertion == Assertion.UNCERTAIN
                and " or " in st.text
                and self.titles().said_whole(self.lexicon.expand(st.text)) is not None
            ):
                # "Malignant neoplasm of right bronchus or lung" is C34.91's own title: its "or" names the alternatives
                # a code covers (Guidelines I.A.14's "and" read as "or"), not a doubt between two diagnoses
                st = replace(st, assertion=Assertion.PRESENT, uncertain_cue=None)
            if st.assertion == Assertion.UNCERTAIN and ctx.setting.value == "outpatient":
                not_coded.append(NotCoded(st.text, G_OUTPATIENT_UNCERTAIN, (ev,)))
                continue
            poisoned = self._poisoning(st, ev, encounter, n) if _POISONED.search(st.text) else None
            if poisoned is not None:
                # "Acetaminophen overdose with acute liver failure": the poisoning first, then what it caused
                proposals.append(poisoned[0])
                if not poisoned[1]:
                    continue
                st = replace(st, text=poisoned[1])
                ev = _evidence(note, st.start, st.end)
            underdosed = self._underdosing(st, ev, encounter, n) if "nderdos" in st.text else None
            if underdosed:
                # "Uncontrolled hypertension due to underdosing of lisinopril": the condition, then the underdosing
                proposals.extend(underdosed)
                head = _UNDERDOSING_CAUSE.split(st.text, maxsplit=1)[0].strip(" ,;-")
                if not head or head == st.text.strip():
                    continue
                st = replace(st, text=head, end=st.start + len(head))
                ev = _evidence(note, st.start, st.end)
            expanded = self.lexicon.expand(st.text)
            if (
                "diabetes" in expanded.lower()
                and _POORLY_CONTROLLED.search(st.item_text)
                and not re.search(r"\bwith\b|hyperglycemia", expanded, re.IGNORECASE)  # (a complication said: left)
            ):
                # "Type 2 diabetes, poorly controlled": the Index's "Diabetes, poorly controlled - code to Diabetes,
                # by type, with hyperglycemia" (as "inadequately controlled" and "out of control"; "uncontrolled" is
                # asked, Guidelines I.C.4.a)
                plain = _POORLY_CONTROLLED.sub("", expanded).strip(" ,;.")
                head, comma, rest = plain.partition(",")  # said after the diabetes, before what the item adds
                expanded = f"{head} with hyperglycemia{comma}{rest}"
            inverted = _DUE_TO_DIABETES.fullmatch(expanded.strip(" .")) if "diabetes" in expanded.lower() else None
            if inverted is not None:
                # "Stage 3b chronic kidney disease due to type 2 diabetes": the Index lists diabetes's complications
                # under "Diabetes, <type>, with" (E11.22, the stage beside it); the statement read that way
                st = replace(st, text=f"{inverted.group(2)} with {inverted.group(1)}")
                expanded = self.lexicon.expand(st.text)
            if st.item_text not in item_resolved:  # an item holds several statements: searched once
                item_resolved[st.item_text] = (
                    _RESOLVED.search(st.item_text) is not None and _TREATED_TODAY.search(st.item_text) is None
                )
            # a discharge diagnosis resolved during the stay was treated in it (Guidelines II, III: the conditions
            # of the admission): "Acute kidney injury, resolved" is N17.9, not a history
            during_stay = (
                ctx.setting == Setting.INPATIENT
                and st.section == "assessment"
                and _RESOLVED.search(st.item_text) is not None
                and _HISTORY_SAID.search(st.item_text) is None
            )
            resolved = item_resolved[st.item_text] and not during_stay
            historical = (st.assertion == Assertion.HISTORICAL and not during_stay) or resolved
            if st.assertion == Assertion.FAMILY and "family" not in expanded.lower():
                expanded = "family history of " + expanded
            elif historical and "history" not in expanded.lower():
                expanded = "personal history of " + expanded
            elif visit and (trailing := _HISTORY_AFTER.fullmatch(expanded.strip())) is not None:
                # "Breast cancer history": the history of the condition named before the word
                expanded = self.lexicon.expand("personal history of " + trailing.group(1))
                historical = st.section != "indication"
            elif re.search(r"\bhistory of\b", expanded, re.I) and not re.search(r"family", expanded, re.I):
                if not re.search(r"personal", expanded, re.I):
                    expanded = re.sub(r"\bhistory of\b", "personal history of", expanded, count=1, flags=re.I)
                # "History of appendicitis, s/p appendectomy" is not appendicitis today ("personal history of
                # colonic polyps" no more K63.5); an indication's "history of" is the complaint that brought
                # the patient (its assertion says which)
                historical = st.section != "indication"
            follow_up = re.match(
                r"follow[- ]?up (?:(?:visit|exam|examination) )?(?:after|for|of)\b(.*)",
                self.lexicon.expand(st.text),
                re.IGNORECASE,
            )
            if follow_up and re.search(r"resolved|completed|no further", st.item_text, re.IGNORECASE):
                # Guidelines I.C.21.c.8: follow-up after completed treatment is Z09, with a history code
                z09 = self.entry("Z09")
                if z09 is not None:
                    proposals.append(
                        Proposal(
                            "Z09",
                            z09.title,
                            st,
                            ("Examination", "follow-up"),
                            "ICD-10-CM Guidelines I.C.21.c.8: follow-up examination after completed treatment",
                            G_FIRST_LISTED,
                            0.85,
                            (float(st.item), float(n), 0.0),
                            [],
                            [ev],
                        )
                    )
                condition = re.sub(
                    r"^\s*(?:hospitalization|admission|treatment|an? \w+ stay)\s+for\s+",
                    "",
                    follow_up.group(1),
                    flags=re.IGNORECASE,
                )
                history = self.lookup("personal history of " + condition)
                if history is not None and history.code and history.code.startswith("Z8"):
                    final, _ = self.refine(history.code, set(words(condition)), encounter)
                    entry = self.entry(final)
                    if entry is not None and entry.billable:
                        proposals.append(
                            Proposal(
                                final,
                                entry.title,
                                st,
                                history.path,
                                G_HISTORY,
                                G_COEXISTING,
                                0.8,
                                (float(st.item), float(n), 1.0),
                                [],
                                [ev],
                            )
                        )
                continue
            a_cause = _EXTERNAL_CAUSE.match(expanded) is not None and not _RECURRING.search(st.text)
            how = self._external_cause(st, ev, encounter, n) if a_cause else None
            if how is not None:
                # "Fall on same level from slipping, at home" beside the injury: the Index of External Causes (W01.0XXA,
                # Y92.009), not "Fall, falling (repeated)" (R29.6, for falls that recur)
                proposals.extend(how)
                continue
            caused = _CAUSE_THEN_INJURY.fullmatch(st.text.strip(" .")) if a_cause else None
            if a_cause and caused is None:
                # a single fall or blow the Index of External Causes does not name as said ("Fall from bicycle" is a
                # pedal cyclist's transport accident): for a coder's review, not "Fall, falling (repeated)" R29.6
                not_coded.append(NotCoded(st.text, G_NO_EXTERNAL_CAUSE, (ev,)))
                continue
            if caused is not None:
                # "Fall with closed fracture of left hip": the injury coded, the fall after it as its external cause
                how = self._external_cause(replace(st, text=caused["cause"]), ev, encounter, n)
                if how is None:
                    not_coded.append(NotCoded(caused["cause"], G_NO_EXTERNAL_CAUSE, (ev,)))
                proposals.extend(how or ())
                st = replace(st, text=caused["injury"])
                expanded = self.lexicon.expand(st.text)
            if _VACCINATION.search(expanded) and _DEFERRED.search(st.item_text):
                # "Shingrix deferred until rash resolves": an immunization not carried out (Z28), because of the
                # acute illness where the item says one ("Immunization, not done, because, acute illness" Z28.01)
                ill = _ILLNESS_REASON.search(st.item_text) is not None
                expanded = f"immunization not done {'because of acute illness of patient' if ill else ''}"
            elif _VACCINATION.search(expanded) and not _VACCINE_HARM.search(expanded):
                if _VACCINE_STATUS.search(expanded) or (
                    _VACCINE_TALKED.search(st.item_text) and not _VACCINE_GIVEN.search(st.item_text)
                ):
                    # "Varicella vaccine status: had only 1 dose", "Tdap due next visit", "Shingrix recommended": a
                    # vaccine given before or still to give, no disease and no immunization at this encounter
                    not_coded.append(NotCoded(st.text, G_VACCINE_BEFORE, (ev,)))
                    continue
                # "Need for tetanus booster": a vaccination names the disease it prevents (A35 is tetanus itself);
                # the encounter is for the vaccination (Guidelines I.C.21.c.2, Z23)
                expanded = "encounter for vaccination"
            listed = self.list_items(expanded)
            list_lead = _LIST_LEAD.match(listed[0]) if listed else None
            if list_lead is not None:
                # each part a statement of its own, coded as one ("family history of hypertension" by its class),
                # with the span of its own words
                lowered = st.text.lower()
                for part in listed:
                    said_part = part[list_lead.end() :]
                    found_at = lowered.find(said_part.lower().split()[0]) if said_part.split() else -1
                    part_start = st.start + max(found_at, 0)
                    statements.append(replace(st, text=part, start=part_start, end=part_start + len(said_part)))
                continue
            if listed:
                for k, part in enumerate(listed):
                    part_hit = self._search(part)
                    if part_hit is None or part_hit[0].code is None:
                        continue
                    final, part_notes = self.refine(part_hit[0].code, set(words(part)), encounter)
                    narrower = (
                        self._family_history_by_site(final, part, set(words(part)))
                        if final.startswith(FAMILY_HISTORY)
                        else None
                    )
                    if narrower is not None:
                        # "..., family history of colon cancer": Z80.0, not Z80.9
                        part_notes.append(
                            f"Tabular: the 'Conditions classifiable to' note of {narrower[1]} covers the site"
                        )
                        final = narrower[0]
                    entry = self.entry(final)
                    if entry is not None and entry.billable:
                        reason = G_COEXISTING if st.item > 1 or k else G_FIRST_LISTED
                        proposals.append(
                            Proposal(
                                final,
                                entry.title,
                                st,
                                part_hit[0].path,
                                reason,
                                reason,
                                0.85,
                                (float(st.item), float(n), float(k)),
                                part_notes,
                                [ev],
                            )
                        )
                continue
            if st.item_text not in item_words:  # an item holds several statements: spelled out once
                item_words[st.item_text] = frozenset(words(self.lexicon.expand(without_marker(st.item_text))))
            drug_hit, effect = None, ""
            cause = self._drug_effect(expanded) if not historical and st.assertion != Assertion.FAMILY else None
            if cause is not None:
                # "Peripheral neuropathy due to chemotherapy": the condition is looked up as due to a drug (the Index's
                # "Neuropathy, peripheral, in, drugs NEC", G62.0), and the drug's adverse effect is added after it
                drug_hit, rest = cause
                if set(words(rest)) - _EFFECT_ONLY:
                    # as due to a drug where the Index says so; else as said, where the Index may name the drug
                    # ("Hypoglycemia, due to insulin" E16.0); else the condition alone
                    # ("Hypoglycemia, drug-induced" E16.0 where the Index says it so)
                    for effect in (f"{rest} due to drug", f"{rest} drug induced"):
                        as_drug = self.lookup(effect)
                        if not (
                            as_drug is None or "drug" in as_drug.unmatched_query or self._said_otherwise(rest, as_drug)
                        ):
                            break
                    else:
                        effect = expanded if self.lookup(expanded) is not None else rest
                    expanded = effect
            hit = self.lookup(expanded)
            if hit is not None and hit.path[0] in _WOUND_KINDS and _ANIMAL_BITE.search(expanded):
                # "Dog bite of left forearm, puncture wounds": an animal's or a person's bite that breaks the skin is
                # the Index's open bite ("Bite, forearm" S51.85-), whatever wound it leaves
                bitten = self.lookup(_WOUND_WORDS.sub(" ", expanded))
                if bitten is not None and bitten.path[0].startswith("Bite"):
                    hit = bitten
            if hit is None and historical and _PROCEDURE_DONE.search(expanded):
                # "History of CABG", "history of bariatric surgery": a past procedure is coded by the status it leaves,
                # where the Index names one ("Status, coronary artery bypass graft" Z95.1)
                status = self.lookup(f"status {_HISTORY_OF.sub('', expanded)}")
                hit = status if status is not None and (status.code or "").startswith("Z9") else None
            if hit is None and drug_hit is not None:
                # the drug's code; the effect unsaid ("Adverse effect of atorvastatin"), a query for it, or said but
                # not in the Index ("bleeding gums"), for a coder's review
                hit, drug_hit = drug_hit, None
                if effect:
                    not_coded.append(NotCoded(effect, G_NO_INDEX_ENTRY, (ev,)))
                else:
                    question = (
                        "Please document the condition (the nature of the adverse effect) the drug caused, if known."
                    )
                    queries.append(PhysicianQuery("Adverse effect", question, (ev,), ()))
            # a visit's assessment lists problems; a report's impression ("small right kidney with
            # pyelectasis") and a case report's prose describe one thing with its findings
            if visit and st.section == "assessment" and st.assertion == Assertion.PRESENT and hit is not None:
                pieces = self._unlinked(st, hit)
                if pieces is not None:
                    st, statements[n + 1 : n + 1] = pieces[0], [pieces[1]]
                    if pieces[3] is not None:
                        linked[id(pieces[2])] = pieces[3]
                    # the piece the statement's path named keeps it, with the site the other piece told ("Cellulitis
                    # of right leg with abscess": the abscess is "Abscess, lower limb", L02.415)
                    linked[id(pieces[1] if pieces[2] is pieces[0] else pieces[0])] = hit
                    ev = _evidence(note, st.start, st.end)
                    expanded = self.lexicon.expand(st.text)
                    hit = self.lookup(expanded)
                else:
                    conjoined = self._conjoined(st, hit)
                    if conjoined is not None:
                        # "Type 2 diabetes with hyperglycemia and peripheral neuropathy": one combination code for
                        # each complication the "with" lists (Guidelines I.C.4.a: as many codes of the category
                        # as the complications need)
                        st, more = conjoined
                        statements[n + 1 : n + 1] = [piece for piece, _ in more]
                        linked.update((id(piece), found_hit) for piece, found_hit in more)
                        ev = _evidence(note, st.start, st.end)
                        expanded = self.lexicon.expand(st.text)
                        hit = self.lookup(expanded)
            hit = linked.get(id(st), hit)
            in_pregnancy = None
            said_in_pregnancy = ctx.sex != "M" and _IN_PREGNANCY.search(expanded) is not None
            # at a prenatal visit every condition is the pregnancy's unless the provider says it is not
            # (I.C.15.a.1): "Asthma - albuterol" beside "Supervision of high risk pregnancy" is O99.51-
            prenatal_problem = (
                prenatal
                and st.section == "assessment"
                and st.assertion == Assertion.PRESENT
                and not historical
                and hit is not None
                and hit.code is not None
                and not hit.code.startswith(("O", "Z"))
                and not _INCIDENTAL.search(st.item_text)
            )
            if said_in_pregnancy or prenatal_problem:
                # "Anemia in pregnancy, third trimester": a condition in pregnancy is the Index's "Pregnancy,
                # complicated by" entry (chapter 15, Guidelines I.C.15.a.1), not the condition's own code
                maternal = self._complicating_pregnancy(
                    expanded if said_in_pregnancy else f"{expanded} in pregnancy", hit
                )
                if maternal is not None:
                    hit, in_pregnancy = maternal  # and the condition's own entry, for its type
            # "in both eyes": bilateral
            both = _BOTH.search(expanded) is not None or (visit and _PAIRED_PLURAL.search(st.text) is not None)
            own_words = set(words(expanded))
            if hit is not None:
                hit = self._sided(self._regional(hit, expanded), expanded, own_words, both)
            context_words = own_words | item_words[st.item_text]
            if own_words & {"left", "right"}:
                # the side the statement names, not another the problem's plan mentions ("s/p L mastectomy
                # ... R breast screening mammogram")
                context_words -= SIDES - own_words
            code: str | None = None
            path: tuple[str, ...] = ()
            notes: list[str] = []
            # the words, not their parts or their tests: "peritumoral", "tumorectomy", "tumor markers"
            # and not what is screened for: "Screening for colon cancer" is Z12.11, no cancer (I.C.21.c.12)
            screened = hit is not None and hit.path[0].lower().startswith("screening")
            # the histology's own entry first (Guidelines I.C.2): "Melanoma, skin, scalp" (C43.4) names the
            # site, so the table is not looked at; "Carcinoma - see also Neoplasm, by site" is
            by_histology = (
                hit is not None
                and hit.code is not None
                and len(hit.path) > 1
                and (not hit.unmatched_query or hit.code[:3] in _SITED_BY_HISTOLOGY or "C81" <= hit.code[:3] <= "C96")
                and not (hit.followed_see and hit.path[0].startswith("Neoplasm"))
                and _NEOPLASM_WORD.search(hit.path[0]) is not None
                # (a metastasis the path does not read is the table's: "Metastatic carcinoid tumor to the liver")
                and not (_SECONDARY_SAID.search(expanded) and not any("secondary" in t.lower() for t in hit.path))
            ) or (hit is not None and self._malignant_kind(hit))
            primary = None
            if (
                _NEOPLASM_WORD.search(expanded)
                and not re.search(r"history", expanded, re.I)
                and not screened
                and not by_histology
            ):
                site_text = self.lexicon.expand(st.item_text) if st.section == "addendum" else ""
                if hit is not None and self._of_the_skin(hit):
                    # "Carcinoma, basal cell (see also Neoplasm, skin, malignant)": "of nose" is the skin of it
                    site_text += " skin"
                # a metastasis whose primary the statement names: the metastasis at the site left once the primary's
                # is set aside ("Brain metastasis from lung cancer" is of the brain, C79.31)
                primary = self._primary_said(st.text) if _SECONDARY_SAID.search(expanded) else None
                told = self.lexicon.expand(primary[2]) if primary is not None else expanded
                found = self.neoplasm(told + " " + site_text)
                if found:
                    code, path = found
                    code = self.histology(code, set(words(expanded + " " + site_text)))
            elif historical and (hit is None or hit.code is None) and _NEOPLASM_WORD.search(expanded):
                # "History of squamous cell carcinoma of skin": the Index sends the histology to the table
                # ("Carcinoma, squamous cell - see Neoplasm, malignant"); the cancer's code is the table's
                found = self.neoplasm(_HISTORY_OF.sub("", expanded))
                if found:
                    code, path = found
            if code is None and hit is not None and hit.code is not None:
                code, path = hit.code, hit.path
                glossed = self._glossed(expanded, code)
                if glossed is not None:
                    notes.append(
                        f"Index: {hit.path_text} ({code}) is unspecified; the statement's own gloss "
                        f"({glossed.path_text}) names the kind"
                    )
                    code, path = glossed.code or code, glossed.path
                in_system = self.in_system(hit, system)
                if in_system is not None:
                    notes.append(
                        f"Index: {hit.path_text} ({hit.code}) is in another body system than the note's "
                        f"(chapter {system}); its subterm {in_system[1][-1]} is"
                    )
                    code, path = in_system
            present_words = own_words - negated_words(expanded)
            if (
                historical
                and not resolved
                and (
                    code is None
                    or (hit is not None and hit.penalty > 0 and not self._history_entry(hit, present_words))
                    or (not code.startswith("Z") and not (path and path[0].lower().startswith("history")))
                )
            ):
                sequela = self._sequela(_HISTORY_OF.sub("", self.lexicon.expand(st.text)), present_words)
                if sequela is not None:
                    # "history of stroke with residual weakness": a deficit left by the condition is its
                    # sequela (Guidelines I.B.10, I.C.9.d.2), not the condition again and not a history
                    code, path, historical = sequela.code, sequela.path, False
                    notes.append(G_SEQUELA)
                # "History of hypertension": the Index has no personal-history entry that names it, and it
                # is a chronic disease (endocrine, mental, nervous, circulatory, musculoskeletal, chronic
                # lower respiratory), so it has not ceased to exist (Z8- codes are for conditions that no
                # longer exist, Guidelines I.C.21.c.4): it is coded as current
                current = self.lookup(_HISTORY_OF.sub("", self.lexicon.expand(st.text))) if historical else None
                if (
                    current is not None
                    and current.code is not None
                    and current.code.startswith(CHRONIC_CHAPTERS)
                    and not self._acute_category(current.code)
                ):
                    code, path, historical = current.code, current.path, False
                    notes.append(G_CHRONIC)
            retrieved = False
            titled = None if st.assertion == Assertion.FAMILY or historical else self._said_title(expanded, hit, code)
            if titled is not None and hit is not None:
                # "Brief psychotic disorder": the Index reads "Psychosis" (F29) and leaves "brief"; the statement is
                # F23's own title, word for word (Step 4, the Tabular verifies what the Index could not place)
                notes.append(
                    f"Tabular: the statement is {titled.code}'s own words ('{titled.text}'); the Index's "
                    f"{hit.path_text} ({code}) leaves '{' '.join(hit.unmatched_query)}' unread"
                )
                code, path = titled.code, ("Tabular List title", titled.text)
            past_procedure = _PAST_PROCEDURE.match(st.text) is not None
            joint_status = self._joint_status(expanded)
            if (past_procedure or historical) and joint_status and (code is None or not code.startswith("Z")):
                # "s/p left total knee replacement": the status it leaves is the artificial joint ("Presence,
                # knee-joint implant" Z96.65-, Guidelines I.C.21.c.3)
                code, path, historical = joint_status.code, joint_status.path, False
            if (
                code is None
                and st.assertion != Assertion.FAMILY
                and not historical
                and not st.part
                and not past_procedure
            ):
                best = self.titles().search(expanded, limit=1)
                # the title must say nothing the statement does not: "drop" is not "Foot drop", nor
                # "induration" "Induration of skin"
                if best and best[0].score >= RETRIEVAL_THRESHOLD and best[0].complete:
                    code, path, retrieved = best[0].code, ("Tabular List title", best[0].text), True
            if code is None:
                reason = (
                    G_PAST_PROCEDURE
                    if past_procedure
                    else G_NORMAL_RESULT
                    if _NORMAL_RESULT.search(st.text)
                    else G_UROSEPSIS
                    if _UROSEPSIS.search(st.text)
                    else G_NO_INDEX_ENTRY
                )
                not_coded.append(NotCoded(st.text, reason, (ev,)))
                if reason == G_UROSEPSIS:
                    queries.append(PhysicianQuery("urosepsis", UROSEPSIS_QUESTION, (ev,), ("A41.9", "N39.0")))
                continue
            if past_procedure and not code.startswith("Z"):
                # "s/p ORIF": the procedure is past; what is coded is the status it leaves, where the Index
                # names one ("Status, mastectomy" Z90.1-)
                not_coded.append(NotCoded(st.text, G_PAST_PROCEDURE, (ev,)))
                continue
            denied = _denied_condition(note, st, path)
            if denied is not None:
                # "... places him at risk of dehydration": the statement stands, the condition coded does not
                not_coded.append(NotCoded(st.text, denied, (ev,)))
                continue
            if st.assertion == Assertion.FAMILY and not code.startswith(FAMILY_HISTORY):
                # the Index names no family-history entry for it: where the assessment weighs it, the
                # Tabular's family-history code whose "Conditions classifiable to" note covers the
                # condition's own code ("father with premature CAD": I25.10, in I00-I5A -> Z82.4-, its
                # catch-all Z82.49). A case report's family background is not coded.
                by_note = self.history_code(code, context_words) if visit and st.section == "assessment" else None
                if by_note is None:
                    not_coded.append(NotCoded(st.text, G_FAMILY, (ev,)))
                    continue
                notes.append(f"Tabular: the 'Conditions classifiable to' note of {by_note[1]} covers {code}")
                code = by_note[0]
            if st.assertion == Assertion.FAMILY and code.startswith(FAMILY_HISTORY):
                # "family history of colon cancer": the Index stops at "History, family, malignant neoplasm"
                # (Z80.9, unspecified); the site said carries it to the code whose "Conditions classifiable
                # to" note covers the neoplasm's own (C18.9 -> Z80.0)
                narrower = self._family_history_by_site(code, expanded, context_words)
                if narrower is not None:
                    notes.append(f"Tabular: the 'Conditions classifiable to' note of {narrower[1]} covers the site")
                    code = narrower[0]
            if (
                historical
                and visit
                and st.section == "assessment"
                and code.startswith("C")
                and not (path and path[0].lower().startswith("history"))
            ):
                # "Personal history of basal cell carcinoma": the Index's "History, personal, malignant
                # neoplasm" lists sites, not histologies; the Z85 code whose "Conditions classifiable to" note
                # covers the cancer's own code (C44.91 -> Z85.828) is its personal history (I.C.2.d). A case
                # report's "history of" a cancer is often the cancer still treated: not read so there.
                by_note = self.history_code(code, context_words, PERSONAL_CANCER_HISTORY)
                if by_note is not None:
                    notes.append(f"Tabular: the 'Conditions classifiable to' note of {by_note[1]} covers {code}")
                    code, path = by_note[0], ("History", "personal", "malignant neoplasm")
            if code.startswith("Z71") and visit and st.section == "assessment" and first_of_item[st.item] is not given:
                # "Peanut allergy - epinephrine refilled; avoidance counseling": counseling in a problem's plan
                # is part of its treatment (Guidelines I.C.21.c.10)
                not_coded.append(NotCoded(st.text, G_COUNSELING_INTEGRAL, (ev,)))
                continue
            # the Index's own history entry may be a condition code: "History, personal, myocardial
            # infarction (old)" is I25.2
            if historical and not code.startswith("Z") and not (path and path[0].lower().startswith("history")):
                not_coded.append(NotCoded(st.text, G_HISTORY, (ev,)))
                if resolved and st.section == "assessment":
                    followed_up.append((st, ev, code, n))
                continue
            # the Index path's words are the statement as the Index reads it ("leg" is "lower limb")
            path_words = (
                {w for title in path for w in _said_forms(title, own_words)}
                if path and not path[0].startswith("Tabular List")
                else set()
            )
            context_words |= path_words
            if both:  # bilateral: its code, or each side's (I.B.13)
                own_words, context_words = own_words | {"bilateral"}, context_words | {"bilateral"}
            weeks_said = None
            counted = ""  # the trimester the weeks said count to
            obstetric = code.startswith(("O", "Z34"))
            if obstetric and visit:
                # the visit's weeks ("G2P1 at 26 weeks 3 days" in the HPI): Z3A's, and the trimester's
                weeks_of.setdefault(0, self._gestation(note, statements))
            trimester_said = _TRIMESTER_SAID.search(st.text) if obstetric else None
            if trimester_said is not None:
                others = _ORDINALS - set(words(trimester_said[1]))  # ("3rd" reads as "third")
                own_words, context_words = own_words - others, context_words - others
            elif obstetric and "trimester" not in own_words:
                # the statement's weeks, else a visit's: the trimester is the encounter's (Guidelines I.C.15.a.3)
                weeks_said = _WEEKS.search(st.text)
                if weeks_said is None and visit:  # a case report's weeks move with its course
                    weeks_said = weeks_of[0]
            if weeks_said is not None:
                # "UTI in pregnancy, 18 weeks": the trimester is counted from the weeks (Guidelines I.C.15.a.3:
                # first less than 14 weeks 0 days, second to less than 28 weeks 0 days, third from 28 weeks)
                week = _week(weeks_said)
                counted = "first" if week < 14 else "second" if week < 28 else "third"
                trimester = f"{counted} trimester"
                # (the ordinals of other things are not the trimester's: "first pregnancy, 16 weeks" is the second)
                others = _ORDINALS - {counted}
                own_words = (own_words - others) | set(words(trimester))
                context_words = (context_words - others) | set(words(trimester))
                notes.append(f"Guidelines I.C.15.a.3: {week} weeks is the {trimester}")
            final, refine_notes = self.refine(code, context_words, encounter)
            notes.extend(refine_notes)
            final, specified = self.specify(final, own_words | path_words, encounter)
            substance = self._substance_form(final, own_words)
            if substance is not None:
                notes.append(
                    f"Guidelines I.C.5.b.2: the statement says {substance[1]}; {final} is the use code, "
                    f"{substance[0]} the {substance[1]} one"
                )
                final = substance[0]
            if specified is not None:
                notes.append(specified)
                # one axis at a time: "Varix, with, ulcer" I83.009 -> the ankle's I83.003 -> the left leg's I83.023
                final, specified = self.specify(final, own_words | path_words, encounter)
                if specified is not None:
                    notes.append(specified)
            ordinal = words(trimester_said[1])[0] if trimester_said is not None else counted
            if ordinal and "unspecified trimester" in self._title(final).lower():
                # "normal first pregnancy, first trimester": the ordinal said twice reads as one word (Z34.01)
                said_one = self._trimester_sibling(final, ordinal)
                if said_one is not None:
                    final = said_one
                    notes.append(f"Tabular: the {ordinal} trimester ({said_one})")
            finals = self._both_sides(code, final, own_words, context_words, encounter) or [final]
            if len(finals) > 1:
                notes.append(f"Guidelines I.B.13: bilateral, and no bilateral code: {' and '.join(finals)}")
            for final in finals:
                if visit and final.startswith(_TEST_ENCOUNTERS) and _PLANNED.search(st.text) and _after_head(st):
                    # "History of breast cancer - continue anastrozole; mammogram of right breast due": a test the
                    # plan says is due or ordered is not what this encounter was for
                    not_coded.append(NotCoded(st.text, G_PLANNED, (ev,)))
                    continue
                entry = self.entry(final)
                if entry is None or not entry.billable:
                    not_coded.append(
                        NotCoded(st.text, f"Index gave {code}, which could not be carried to a billable code", (ev,))
                    )
                    continue
                query = self._missing_axis(entry, st, ev)
                if query is not None:
                    queries.append(query)
                # (a history said with the first problem is no condition the encounter is for: IV.J's history code
                # "if the historical condition has an impact on current care")
                reason = G_COEXISTING if st.item > 1 or final.startswith(_PERSONAL_HISTORY) else G_FIRST_LISTED
                order_item = float(st.item)
                if st.section == "addendum":
                    # a final report confirms what the assessment could only suspect (Guidelines IV.K):
                    # the confirmed code takes the place of the problem it answers
                    related = _related_item(st, assessment_items)
                    if related is not None:
                        order_item = float(related) - 0.5
                        reason = (
                            "ICD-10-CM Guidelines IV: the final report confirms the diagnosis; code it, not the sign"
                        )
                proposals.append(
                    Proposal(
                        final,
                        entry.title,
                        st,
                        path,
                        reason,
                        reason,
                        0.55 if retrieved else round(0.5 + 0.45 * self.coverage(expanded), 3) if hit else 0.7,
                        (order_item, float(n)),
                        list(notes),
                        [ev],
                    )
                )
                told_primary = (
                    self.specify(self.refine(primary[0], own_words, encounter)[0], own_words, encounter)[0]
                    if primary is not None and final.startswith(("C77", "C78", "C79"))
                    else None
                )
                if primary is not None and told_primary is not None and self.release.is_billable(told_primary):
                    # "Metastatic disease to liver from colon cancer": the secondary, then the primary the statement
                    # names (Guidelines I.C.2.b, I.C.2.d)
                    proposals.append(
                        Proposal(
                            told_primary,
                            self._title(told_primary),
                            st,
                            primary[1],
                            G_PRIMARY_SAID,
                            G_PRIMARY_SAID,
                            0.7,
                            (float(st.item), float(n), 0.5),
                            [G_PRIMARY_SAID],
                            [ev],
                        )
                    )
                joint = joint_status.code if joint_status is not None else None
                if joint_status is not None and joint is not None and final != joint and self.asks_for(final, joint):
                    # "Aftercare following right hip replacement": Z47.1 "use additional code to identify the
                    # joint (Z96.6-)", the joint the statement names
                    note_text = f"{G_USE_ADDITIONAL}: the joint the statement names"
                    after = (float(st.item), float(n), 0.5)
                    proposals.append(self._added(joint_status, st, ev, encounter, after, G_USE_ADDITIONAL, note_text))
                own = in_pregnancy.code if in_pregnancy is not None else None
                if (
                    in_pregnancy is not None
                    and own is not None
                    and final == finals[0]
                    and (
                        (hit is not None and hit.index == "tabular")
                        or self.asks_for(final, own)
                        # "Iron deficiency anemia in pregnancy": O99's "use additional code to identify specific
                        # condition", where the statement says the condition's kind ("Anemia, iron deficiency")
                        or (len(in_pregnancy.path) > 1 and self._holds_by_range(final, own))
                    )
                ):
                    # "Obesity in pregnancy": O99.21- "use additional code to identify the type of obesity
                    # (E66.-)", the condition's own code
                    note_text = f"{G_USE_ADDITIONAL}: the condition's own code, for its type"
                    after = (float(st.item), float(n), 0.5)
                    proposals.append(self._added(in_pregnancy, st, ev, encounter, after, G_USE_ADDITIONAL, note_text))
                if final == finals[0] and hit is not None and code == hit.code:
                    shown = self._manifestation(expanded, st.item_text, hit)
                    if shown is not None:
                        # "Alzheimer's disease, late onset, with mild dementia": "Disease, Alzheimer's (see also
                        # Dementia, in, diseases specified elsewhere)"; the dementia said is coded there (F02.A0),
                        # after the disease it is in (Guidelines I.A.13)
                        after = (float(st.item), float(n), 0.6)
                        why = f"{G_CODE_FIRST}: the Index's see-also names the manifestation said"
                        proposals.append(self._added(shown, st, ev, encounter, after, G_CODE_FIRST, why))
                weeks = None
                if final.startswith(("O", "Z34")) and final == finals[0]:
                    weeks = _WEEKS.search(st.text) or (None if weeks_of.get(1) else weeks_of.get(0))
                if weeks is not None and (final.startswith("Z34") or self.asks_for(final, "Z3A")):
                    weeks_of[1] = weeks  # the encounter's weeks, coded once
                    # "..., 30 weeks gestation": the O code's "use additional code from category Z3A, Weeks of
                    # gestation" (Guidelines I.C.15.a.2); a routine prenatal visit's too, Z3A being for any
                    # maternal record where the weeks are known
                    gestation = self.lookup(f"pregnancy weeks of gestation {_week(weeks)} weeks")
                    if gestation is not None and gestation.code is not None and gestation.code.startswith("Z3A"):
                        after = (float(st.item), float(n), 0.7)
                        why = f"{G_USE_ADDITIONAL}: the weeks of gestation said"
                        proposals.append(self._added(gestation, st, ev, encounter, after, G_USE_ADDITIONAL, why))
                if final != finals[0] or hit is None:
                    continue
                if code == hit.code and hit.unmatched_query and _SYSTEMIC.search(expanded):
                    # "Sepsis due to E. coli UTI": the path names the sepsis ("Sepsis, Escherichia coli"
                    # A41.51) or the localized infection (N39.0); the other is coded too, the sepsis first
                    # (Guidelines I.C.1.d.4)
                    severity = self._severity(expanded) if final.startswith(SEPSIS_CODES) else None
                    if severity is not None:
                        # "Severe sepsis due to E. coli UTI": the path took the organism; the severity said is
                        # R65.2-, after the systemic infection (Guidelines I.C.1.d.1.a.ii)
                        severe_at = (float(st.item), n + 0.25)
                        why = G_SEVERE_SEPSIS
                        proposals.append(self._added(severity, st, ev, encounter, severe_at, why, why))
                    told = (
                        _ORGAN_DYSFUNCTION.sub("", _SEVERE_FIRST.sub("sepsis", expanded))
                        if final.startswith("R65.2")
                        else ""
                    )
                    if told and told != expanded:
                        # "... with septic shock": R65.21 after the systemic infection, and the localized infection
                        # after them both (I.C.1.d.4): the rest of the statement read as its own
                        systemic = self.lookup(told)
                        if systemic is not None and (systemic.code or "").startswith(SEPSIS_CODES):
                            first = (float(st.item), n - 0.5)
                            proposals.append(self._added(systemic, st, ev, encounter, first, G_SEPSIS, G_SEPSIS))
                            local = self._left_said(told, systemic)
                            if local is not None and local.code is not None and local.code[:1] not in ("A", "R"):
                                last = (float(st.item), n + 0.5)
                                proposals.append(self._added(local, st, ev, encounter, last, G_SEPSIS, G_SEPSIS))
                            continue
                    other = self._left_said(expanded, hit)
                    # (severe sepsis is the systemic side too: "Septic shock due to pneumonia" codes the pneumonia
                    # after it, and the conventions put the systemic infection before it)
                    if (
                        other is not None
                        and other.code is not None
                        and other.code.startswith(SEPSIS_CODES) != (final.startswith((*SEPSIS_CODES, "R65.2")))
                    ):
                        at = (
                            (float(st.item), n - 0.5)
                            if other.code.startswith(SEPSIS_CODES)
                            else (float(st.item), n + 0.5)
                        )
                        proposals.append(self._added(other, st, ev, encounter, at, G_SEPSIS, G_SEPSIS))
                    continue
                agent = self._infectious_agent(expanded, hit, final) if code == hit.code else None
                if agent is not None:
                    # "E. coli UTI": N39.0 "use additional code (B95-B97), to identify infectious agent"; else the
                    # block's own note ("H. pylori gastritis": B96.81 beside K29.70)
                    after = (float(st.item), float(n), 0.5)
                    rule = G_USE_ADDITIONAL if self.asks_for(final, "B96") else G_ORGANISM
                    note_text = f"{rule}: the infectious agent the statement names"
                    proposals.append(self._added(agent, st, ev, encounter, after, rule, note_text))
                    continue
                underlying = self._underlying(expanded, hit, final) if code == hit.code else None
                if underlying is not None:
                    # the manifestation's "code first underlying disease", named in the statement (I.A.13)
                    before = (float(st.item), n - 0.5)
                    why = f"{G_CODE_FIRST}: the underlying disease the statement names, as {final} asks"
                    proposals.append(self._added(underlying, st, ev, encounter, before, G_CODE_FIRST, why))
                manifestation = self._manifestation_said(expanded, hit, final) if code == hit.code else None
                if manifestation is not None:
                    # "Anemia in chronic kidney disease, stage 3b": the path coded the disease (N18.32); the anemia
                    # said of it is D63.1, whose "code first underlying disease" puts it after (I.A.13)
                    after = (float(st.item), float(n), 0.5)
                    why = f"{G_CODE_FIRST}: the manifestation the statement names, after the disease it is in"
                    proposals.append(self._added(manifestation, st, ev, encounter, after, G_CODE_FIRST, why))
                specific = self._specific_condition(expanded, hit, final) if code == hit.code else None
                if specific is not None:
                    # "Post COVID-19 condition with chronic fatigue": U09.9 "code first the specific condition related
                    # to COVID-19, if known": the fatigue (R53.82), before it
                    before = (float(st.item), n - 0.5)
                    why = f"{G_CODE_FIRST}: the specific condition the statement names, as {final} asks"
                    proposals.append(self._added(specific, st, ev, encounter, before, G_CODE_FIRST, why))
                described = self._described_condition(expanded, hit) if code == hit.code else None
                if described is not None:
                    # "Hypertensive chronic kidney disease, stage 3a": the path names the CKD by its stage (N18.31)
                    # and leaves the adjective, which names the hypertension; coded too, before it, the "with"
                    # convention combines the two (I12.9, then the stage)
                    before = (float(st.item), n - 0.5)
                    why = f"{G_WITH}: the condition the statement's adjective names"
                    proposals.append(self._added(described, st, ev, encounter, before, G_WITH, why))
                drug = drug_hit if code == hit.code else None
                if drug is not None:
                    # "Cough due to ACE inhibitor": the cough, then "Inhibitor, angiotensin-converting enzyme" in the
                    # Table of Drugs' adverse-effect column (T46.4X5A)
                    after = (float(st.item), float(n), 0.55)
                    why = f"{G_ADVERSE_EFFECT}: the drug the statement names as the cause"
                    proposals.append(self._added(drug, st, ev, encounter, after, G_ADVERSE_EFFECT, why))
                extra = self._additional_said(expanded, hit, final, code, _tail(st)) if visit else None
                if extra is not None:
                    # "Malignant neoplasm of ... breast, estrogen receptor positive": C50 "use additional code to
                    # identify estrogen receptor status (Z17.0, Z17.1)", the status the statement says
                    after = (float(st.item), float(n), 0.5)
                    note_text = f"{G_USE_ADDITIONAL}: what the statement says beside the condition, as {final} asks"
                    proposals.append(self._added(extra, st, ev, encounter, after, G_USE_ADDITIONAL, note_text))
        if followed_up and any(p.code == "Z09" for p in proposals):
            proposals.extend(self._followed_up_history(followed_up, {p.code for p in proposals}))
        # what a doubted diagnosis is said with is coded for its signs and symptoms only ("Suspected appendicitis
        # with perforation" codes no perforation): the rest belongs to the diagnosis not yet made
        signs = [p for p in proposals if p.statement is not None and p.statement.uncertain_cue == SIGNS_OF_UNCERTAIN]
        for p in signs:
            if not p.code.startswith("R"):
                proposals.remove(p)
                not_coded.append(
                    NotCoded(p.statement.text if p.statement else "", G_PART_OF_DOUBTED, tuple(p.evidence))
                )
        return DiagnosisResult(proposals, not_coded, queries, system)

    @staticmethod
    def _gestation(note: ClinicalNote, statements: list[Statement]) -> re.Match[str] | None:
        """The weeks of gestation a visit says: in its history ("G2P1 at 26 weeks"), else with the pregnancy in
        its assessment ("Supervision of normal pregnancy, 20 weeks")."""
        return _GESTATION.search(note.text) or next(
            (m for st in statements if "pregnan" in st.text.lower() and (m := _WEEKS.search(st.text))), None
        )

    def _complicating_pregnancy(self, expanded: str, alone: IndexHit | None) -> tuple[IndexHit, IndexHit | None] | None:
        """The Index's "Pregnancy, complicated by, <condition>" for a condition said in pregnancy, where that
        entry names the whole condition (a trimester or a time left over is the code's axis, not a word
        unexplained): "urinary tract infection in pregnancy, second trimester" is O23.4-, not N39.0. With it,
        the condition's own entry."""
        index = self.release.index
        # "chronic hypertension" in pregnancy is hypertension that was there before it: the Index's
        # "pre-existing"
        condition = _CHRONIC.sub("pre-existing", _IN_PREGNANCY.sub(" ", expanded))
        if index is None or not condition.strip():
            return None
        if alone is None or alone.code is None or alone.code.startswith(("O", "Z3")):
            # "Asthma in pregnancy, 20 weeks" walks to the weeks of gestation: the condition alone
            alone = self.lookup(_WEEKS.sub(" ", _IN_PREGNANCY.sub(" ", expanded)))
        found = self._in_pregnancy_entry(condition, alone) or self._maternal_by_range(alone)
        return (found, alone) if found is not None else None

    def _in_pregnancy_entry(self, condition: str, alone: IndexHit | None) -> IndexHit | None:
        index = self.release.index
        assert index is not None
        # the condition's own "complicating, pregnancy" subterm first ("Hypertension, complicating, pregnancy"
        # O16.-, "Obesity, complicating, pregnancy" O99.21-), then "Pregnancy, complicated by, <condition>"
        own = [
            hit
            for hit in index.search(f"{condition} complicating pregnancy", limit=3)
            if hit.code is not None
            and hit.code.startswith("O")
            and hit.path[0].lower() != "pregnancy"
            and any("pregnan" in t.lower() for t in hit.path[1:])
        ]
        # "type 2 diabetes" in pregnancy is one that was there before it: "..., diabetes, pre-existing, type 2"
        by = [*index.search(f"pregnancy complicated by {condition}", limit=5)]
        by += index.search(f"pregnancy complicated by pre-existing {condition}", limit=3)
        for hit in own + by:
            if hit.code is None or (hit not in own and [t.lower() for t in hit.path[:2]] != _COMPLICATED_BY):
                continue
            # "30 weeks gestation": Z3A's; "BMI 34": Z68's
            left = {w for w in hit.unmatched_query if not w.isdigit()}
            if len(hit.path) > 2 and left <= TRIMESTER_WORDS | TIME_WORDS | {"bmi"}:
                return self._unmodified(hit)
            # "iron deficiency anemia in pregnancy": O99.01- asks for the specific anemia's own code (D50.9),
            # which says the words the pregnancy entry leaves
            if alone is not None and alone.code and self.asks_for(hit.code.rstrip("-").rstrip("."), alone.code):
                return hit
        # "Acute cystitis without hematuria in pregnancy": "Pregnancy, complicated by, cystitis" (O23.1-) is the
        # chapter 15 entry for the condition's own main term ("Cystitis, acute"), though its code does not ask for
        # the condition's code and the words that said its kind are left
        main = set(words(alone.path[0])) if alone is not None and alone.code and alone.path else set()
        for hit in by if main else ():
            if hit.code is None or len(hit.path) != 3 or [t.lower() for t in hit.path[:2]] != _COMPLICATED_BY:
                continue
            if set(words(hit.path[2])) & main and hit.code.startswith("O"):
                return self._unmodified(hit)
        return None

    def _unmodified(self, hit: IndexHit) -> IndexHit:
        """The subterm a main term's nonessential modifier names, where the path ends above it: the modifier
        is what the main term is when nothing else is said ("Hypertension, hypertensive (... essential ...)":
        "..., complicating, pregnancy, pre-existing, essential" O10.01-, not "pre-existing" O10.91-)."""
        index = self.release.index
        if index is None or hit.code is None:
            return hit
        terms = index.terms
        main_id = index.by_title.get(hit.path[0].lower())
        main = terms[main_id] if main_id is not None else None
        modifiers = {w for mod in main.nonessential for w in words(mod)} if main is not None else set()
        for child_id in terms[hit.term_id].children if modifiers else ():
            child = terms[child_id]
            if child.code and set(words(child.title)) <= modifiers:
                return replace(hit, path=(*hit.path, child.title), code=child.code, term_id=child_id)
        return hit

    def _maternal(self) -> list[tuple[str, Note]]:
        """The chapter 15 codes whose Tabular inclusion term is "Conditions in <range>", the narrowest first."""
        if self._maternal_ranges is None:
            found = [
                (code, n)
                for code, node in self.release.tabular.nodes.items()
                if code.startswith("O9")
                for n in node.notes
                if n.kind == NoteKind.INCLUSION_TERM and n.refs and n.text.lower().startswith("conditions in")
            ]
            self._maternal_ranges = sorted(found, key=lambda f: -len(f[0]))
        return self._maternal_ranges

    def _holds_by_range(self, code: str, condition: str) -> bool:
        """Whether ``code`` is of a chapter 15 category whose "Conditions in <range>" holds ``condition``."""
        return any(code.startswith(c) and any(r.covers(condition) for r in n.refs) for c, n in self._maternal())

    def _maternal_by_range(self, alone: IndexHit | None) -> IndexHit | None:
        """The chapter 15 code whose Tabular inclusion term "Conditions in J00-J99" holds the condition's own
        code ("asthma in pregnancy": O99.51-, then the asthma's own code, as O99's "use additional code to
        identify specific condition" asks): the Index lists such conditions only by body system."""
        if alone is None or alone.code is None or alone.code.startswith(("O", "Z")):
            return None
        tabular = self.release.tabular
        ranges = self._maternal()
        code = next((c for c, n in ranges if any(r.covers(alone.code) for r in n.refs)), None)
        if code is None:
            return None
        inclusion = next(n.text for c, n in ranges if c == code)
        node = tabular.node(code)
        # a category of groups ("Obesity complicating ...", "Other endocrine ... complicating ...") is entered
        # by its "Other" group; one of pregnancy, childbirth and the puerperium is chosen by the episode
        # ("Other specified diseases and conditions complicating ...", O99.8, is entered by its own "Other specified"
        # group, O99.89, not by a sibling that is another kind: "Other infection carrier state", O99.83-)
        other = [c for c in node.children if self._title(c).lower().startswith("other ")] if node else []
        if len(other) > 1:
            other = [c for c in other if self._title(c).lower().startswith("other specified")]
        path = ("Tabular List inclusion term", f"{code} {inclusion}")
        return replace(alone, index="tabular", path=path, code=other[0] if len(other) == 1 else code)

    def _joint_status(self, expanded: str) -> IndexHit | None:
        """The artificial joint a statement names as replaced ("left total knee replacement", "R THA"):
        "Presence, knee-joint implant" (Z96.65-)."""
        replaced = _JOINT_REPLACED.search(expanded)
        if replaced is None:
            return None
        joint = (replaced.group(1) or _ARTHROPLASTY[replaced.group(2).lower()]).lower()
        status = self.lookup(f"presence of artificial {joint} joint {expanded}")
        return status if status is not None and status.code is not None and status.code.startswith("Z96") else None

    def _manifestation(self, expanded: str, item: str, hit: IndexHit) -> IndexHit | None:
        """The manifestation an etiology's see-also names, where the statement says it: "Disease, Alzheimer's"
        sees also "Dementia, in, diseases specified elsewhere", and "... with mild dementia" is that entry's
        "mild" (F02.A0). Only a see-also to an entry whose code is a manifestation ("in diseases classified
        elsewhere") counts, and only where the statement says the entry's main term; the problem's words (``item``)
        say its kind ("..., moderate, with agitation": F02.B11)."""
        index = self.release.index
        if index is None or hit.index != "index" or hit.term_id is None:
            return None
        see_also, node = None, hit.term_id  # the path's own see-also, or its main term's ("late onset" has none)
        while node != -1 and see_also is None:
            see_also, node = index.terms[node].see_also, index.terms[node].parent
        if not see_also or not _IN_DISEASES.search(see_also):
            return None
        said = set(words(expanded)) - negated_words(expanded)
        if not main_term_words(see_also.split(",")[0]) <= said:
            return None
        # the entry's own subterms only ("moderate, with agitation"): the etiology's words explain more elsewhere
        parts = [part.strip().lower() for part in see_also.split(",")]
        said_item = self.lexicon.expand(without_marker(item))
        denied = negated_words(said_item)
        item_words = set(words(said_item)) - CONNECTIVE_WORDS
        for found in index.search(f"{see_also} {said_item}", limit=8):
            if [title.lower() for title in found.path[: len(parts)]] != parts or found.code is None:
                continue
            matched = [set(words(title)) & item_words for title in found.path[len(parts) :]]
            if any(title_words and title_words <= denied for title_words in matched):
                continue  # "without behavioral disturbance" is no "with, behavioral disturbance" (F02.B18)
            entry = self.entry(found.code.rstrip(".-"))
            return found if entry is not None and entry.manifestation else None
        return None

    @staticmethod
    def _left(expanded: str, hit: IndexHit) -> str:
        """The statement's words its path left unmatched, in the statement's order."""
        left = set(hit.unmatched_query)
        return " ".join(w for w in re.findall(r"[A-Za-z0-9]+", expanded) if set(words(w)) & left)

    def _severity(self, expanded: str) -> IndexHit | None:
        """The severe sepsis a statement says beside its systemic infection (R65.20, with septic shock R65.21)."""
        said = _SHOCK_DENIED.sub("", expanded)
        if _SHOCK.search(said):
            return self.lookup("severe sepsis with septic shock")
        if _SEVERE_SAID.search(said):
            return self.lookup("severe sepsis")
        return None

    def _left_said(self, expanded: str, hit: IndexHit) -> IndexHit | None:
        """The condition the words a path left name ("Sepsis due to E coli" beside "urinary tract infection")."""
        rest = self._left(expanded, hit)
        return self.lookup(rest) if rest else None

    def _infectious_agent(self, expanded: str, hit: IndexHit, code: str) -> IndexHit | None:
        """The organism a statement names beside the infection its path codes, where the code's 'use additional
        code (B95-B97)' note asks for it: "Infection, Escherichia coli, as cause of disease classified
        elsewhere" (B96.20) for "E. coli UTI"."""
        # B95-B97 are "supplementary or additional codes to identify the infectious agent(s) in diseases classified
        # elsewhere" (the block's note): asked for by the condition's code, or named as the cause of a condition
        # outside the infections' chapter ("Helicobacter pylori gastritis": K29.70 with B96.81)
        asked = self.asks_for(code, "B96")
        rest = self._left(expanded, hit) if asked or not code.startswith(("A", "B")) else ""
        if not rest or not set(words(rest)) & self._organism_words():
            return None  # "uncomplicated without hematuria" names no organism: not looked up
        found = self.lookup(f"infection {rest} as cause of disease classified elsewhere")
        if (
            found is None
            or found.code is None
            or not (self.asks_for(code, found.code) if asked else found.code.startswith(_ORGANISM_AS_CAUSE))
            # unasked, the organism must be the statement's whole remainder ("helicobacter pylori"), not a word of
            # it ("plate-like atelectasis", "probably bacterial"), and said as the cause: before the condition or
            # after "due to" ("blood cultures positive for Staphylococcus" names what grew, not a cause)
            or (not asked and (set(words(rest)) & set(found.unmatched_query) or not _as_cause(rest, expanded)))
            or not set(words(rest)) - set(found.unmatched_query)  # the organism, not "as cause" alone
            or any(_NOS.search(title) for title in found.path)  # "bacterial" names no organism ("bacterial NOS")
        ):
            return None
        return found

    def _drug_effect(self, expanded: str) -> tuple[IndexHit, str] | None:
        """The Table of Drugs' adverse-effect code for a drug a statement names as the cause of its condition
        ("due to lisinopril", "adverse effect of ACE inhibitor", "steroid-induced"): only a word that names a
        medicine (a generic name's ending, a drug class), found in the Table with every word matched. With it, the
        statement without the phrases that name the drug."""
        drugs = self.release.drugs
        if drugs is None or not _DRUG_CAUSE_CUE.search(expanded):
            return None
        first: IndexHit | None = None
        rest = expanded
        for found in reversed(list(_DRUG_CAUSE.finditer(expanded))):
            name = (found.group("drug") or found.group("induced") or "").strip()
            if not name or not _MEDICINE.search(name):
                continue
            hit = self._drug_entry(_DRUG_ALIASES.get(name.lower(), name))
            if hit is not None:
                first = hit
                rest = rest[: found.start()] + " " + rest[found.end() :]
        if first is None:
            return None
        return first, re.sub(r"\(\s*\)", " ", rest).strip(" ,;.()")

    def _drug_entry(self, name: str, column_name: str = "Adverse effect") -> IndexHit | None:
        """A drug's row of the Table of Drugs with its code in ``column_name``, every word matched (a "NEC" unsaid),
        else its class's row by the generic name's ending (the lexicon's ``drug_endings``)."""
        drugs = self.release.drugs
        assert drugs is not None
        tried = [name] + [
            cls for word in name.lower().split() for end, cls in self.lexicon.drug_endings.items() if word.endswith(end)
        ]
        for query in tried:
            asked = set(words(query))
            for hit in drugs.search(query, limit=8):
                # the row the name is, but for a "NEC" ("Antineoplastic NEC", "Lead NEC"): not another that only
                # holds it ("Arsenate of lead")
                if hit.unmatched_query or {w for t in hit.path for w in words(t)} - asked - _NEC_ONLY:
                    continue
                column = dict(hit.cells).get(column_name)
                # a code the Tabular has (7th character A, after the placeholder X where the code is short: T42.76XA)
                entry = (self.entry(f"{column}A") or self.entry(f"{column}XA")) if column else None
                if entry is not None:
                    return replace(hit, code=column, cells=())
        return None

    def _poisoning(self, st: Statement, ev: Evidence, encounter: str, n: int) -> tuple[Proposal, str] | None:
        """ "Poisoning by acetaminophen, accidental": the substance's row of the Table of Drugs and Chemicals in the
        poisoning column of the intent said (accidental where none is: Guidelines I.C.19.e.5.b), coded first; and
        what the statement says beside it (its manifestation, coded after), or "" where nothing."""
        if self.release.drugs is None:
            return None
        intent = _intent(st.item_text, _POISONING_INTENTS, "Accidental (unintentional)")
        drug = said = None
        name = ""
        # "overdose of oxycodone", else "acetaminophen overdose" ("... overdose with acute liver failure" names no drug
        # after "with"); a name of two words, else its first ("poisoning by acetaminophen tablets")
        for said in (_POISONED_OF.search(st.text), _POISONED_BEFORE.search(st.text)):
            spelled = said.group("drug").strip() if said else ""
            for name in dict.fromkeys((spelled, spelled.split()[0])) if spelled else ():
                drug = self._drug_entry(_DRUG_ALIASES.get(name.lower(), name), f"Poisoning {intent}")
                if drug is not None:
                    break
            if drug is not None:
                break
        if drug is None or said is None:
            return None
        order = (float(st.item), n - 0.5)  # before the manifestation the statement names (I.C.19.e.5.b)
        proposal = self._added(drug, st, ev, encounter, order, G_POISONING, f"{G_POISONING}: {name}, {intent.lower()}")
        rest = st.text[: said.start()] + " " + st.text[said.end() :]
        left = _POISONING_WORDS.sub(" ", rest)
        manifestation = " ".join(rest.split()).strip(" ,;.-") if re.search(r"[A-Za-z]{3,}", left) else ""
        return proposal, re.sub(r"^(?:with|causing|resulting in|and)\s+", "", manifestation, flags=re.IGNORECASE)

    def _underdosing(self, st: Statement, ev: Evidence, encounter: str, n: int) -> list[Proposal] | None:
        """ "Underdosing of insulin due to financial hardship": the drug's row of the Table of Drugs in its
        underdosing column (T38.3X6A), and the patient's noncompliance by its intent where the note gives it
        (Z91.120, intentional due to financial hardship): Guidelines I.C.19.e.5.c. The condition the underdosing
        made worse is coded from its own statement, before them."""
        said = _UNDERDOSED.search(st.text)
        if said is None or self.release.drugs is None:
            return None
        name = said.group("drug").strip()
        drug = self._drug_entry(_DRUG_ALIASES.get(name.lower(), name), "Underdosing")
        if drug is None:
            return None
        order = (float(st.item), float(n), 0.55)  # after the condition it made worse, where the statement says one
        out = [self._added(drug, st, ev, encounter, order, G_UNDERDOSING, f"{G_UNDERDOSING}: {name}")]
        intent = _intent(st.item_text, _NONCOMPLIANCE_INTENTS, "")
        noncompliance = self.lookup(f"underdosing {intent}") if intent else None
        if noncompliance is not None and (noncompliance.code or "").startswith("Z91.1"):
            after = (float(st.item), float(n), 0.6)
            out.append(
                self._added(noncompliance, st, ev, encounter, after, G_UNDERDOSING, f"{G_UNDERDOSING}: {intent}")
            )
        return out

    def _described_condition(self, expanded: str, hit: IndexHit) -> IndexHit | None:
        """The condition named by an adjective of the lexicon's descriptors ("hypertensive", "diabetic") that a
        statement's path left unmatched, said of the condition the path codes ("Disease, kidney, chronic, stage
        3a" for "hypertensive chronic kidney disease, stage 3a"): the adjective's own entry ("Hypertension,
        hypertensive", I10). Said of a word the path left too ("history of breast cancer with hypertensive
        cardiomyopathy" coded Z85.3), it names another condition, coded from its own words."""
        if self._descriptor_stems is None:
            self._descriptor_stems = {stem: word for word in self.lexicon.descriptors for stem in words(word)}
        left = set(hit.unmatched_query)
        said = [set(words(token)) for token in re.findall(r"[A-Za-z0-9]+", expanded)]
        for stems, after in itertools.pairwise(said):
            adjective = next((s for s in stems & left if s in self._descriptor_stems), None)
            if adjective is None or not after or after & left:
                continue
            found = self.lookup(self._descriptor_stems[adjective])
            if found is not None and found.code is not None and not found.unmatched_query:
                return found
        return None

    def _additional_said(self, expanded: str, hit: IndexHit, code: str, walked: str, tail: str = "") -> IndexHit | None:
        """What a statement says beside the condition coded as ``code``, where its "use additional code" note
        names that code: the receptor status of a breast cancer (Z17.0), the site and depth of a diabetic ulcer
        (L97.411). Where the condition came by another route than the statement's walk (``walked``: a neoplasm
        by the table), the walk itself may be what the note asks for ("..., estrogen receptor positive" walks to
        "Status, estrogen receptor, positive"); else the words the path left are looked up, then the statement
        without the main term's own words ("Diabetic foot ulcer of right heel" without "diabetic"), then what the
        item says first after its dash (``tail``: "Type 2 diabetes with foot ulcer - diabetic ulcer of left great toe
        with fat layer exposed; offloading")."""
        entry = self.entry(code)
        notes = entry.all_notes(NoteKind.USE_ADDITIONAL_CODE) if entry else ()
        refs = [r for n in notes for r in n.refs if not r.first.startswith(_ADDED_ELSEWHERE + _NOT_LOOKED_UP)]
        if not refs or hit.code is None:
            return None  # only what other rules add (E11's Z79 notes): nothing to look up
        if walked != hit.code:
            asked = hit.code.rstrip("-").rstrip(".")
            return hit if not asked.startswith(_ADDED_ELSEWHERE) and any(r.covers(asked) for r in refs) else None
        main = set(words(hit.path[0]))
        own = " ".join(w for w in re.findall(r"[A-Za-z0-9-]+", expanded) if not set(words(w)) & main)
        # (a path that read every word may have read the ulcer into its own code: "Varicose veins of right leg with
        # ulcer of calf" is I83.012, and its note asks for the ulcer's severity, L97.219)
        told = (self.lexicon.expand(tail),) if tail else ()
        # (what the item says after its dash before that: "... with heart failure - chronic systolic heart failure")
        candidates = (self._left(expanded, hit), own, *told) if hit.unmatched_query else (*told, own)
        for text in dict.fromkeys(candidates):
            found = self.lookup(text) if text else None
            if (
                found is not None
                and found.code is not None
                and found.path[0] != hit.path[0]
                and not found.code.startswith(_ADDED_ELSEWHERE)
                and any(r.covers(found.code.rstrip("-").rstrip(".")) for r in refs)
            ):
                return found
        return None

    def _organism_words(self) -> frozenset[str]:
        """The words of the Index's entries that name an infectious agent "as cause of disease classified
        elsewhere" (the entry, and the subterm above it: "Infection, Escherichia, as cause ...")."""
        if self._organisms is None:
            found: set[str] = set()
            index = self.release.index
            terms = index.terms if index is not None else []
            diseases: set[str] = set()
            for term in terms:
                if "as cause of disease" in term.title.lower():
                    found |= set(words(term.title)) | (
                        set(words(terms[term.parent].title)) if term.parent != -1 else set()
                    )
                elif term.parent == -1 and term.code and not term.code.startswith(("A", "B")):
                    # a word that is a disease's own main term ("Pneumonia" J18.9) names no agent, though it is a
                    # part of one ("pleuro-pneumonia-like organism"): "septic shock due to pneumonia"
                    diseases |= set(words(term.title)) if len(words(term.title)) == 1 else set()
            self._organisms = frozenset(
                found - diseases - set(words("as cause of disease classified elsewhere infection infected infective"))
            )
        return self._organisms

    def _specific_condition(self, expanded: str, hit: IndexHit, code: str) -> IndexHit | None:
        """The condition a statement names beside a code whose Tabular note asks to "code first the specific
        condition ..., if known" (U09.9), from the words its path left."""
        entry = self.entry(code)
        notes = entry.all_notes(NoteKind.CODE_FIRST) if entry else ()
        if not any("specific condition" in note.text.lower() for note in notes) or not hit.unmatched_query:
            return None
        path = {w for title in hit.path for w in words(title)}
        rest = " ".join(w for w in re.findall(r"[A-Za-z0-9]+", expanded) if not set(words(w)) & path)
        found = self.lookup(rest) if rest else None
        if found is None or found.code is None or found.code.startswith(("U", "Z", "R69")) or found.code == hit.code:
            return None
        return found if set(words(found.path[0])) & set(words(rest)) else None  # the condition's own noun said

    def _underlying(self, expanded: str, hit: IndexHit, code: str) -> IndexHit | None:
        """The disease a statement names after "in" or "due to" where its code asks to "code first underlying
        disease" and its path went through that connective ("Bleeding esophageal varices in alcoholic cirrhosis
        of liver": I85.11 by "Varix, esophagus, in, cirrhosis of liver", the cirrhosis K70.30 before it)."""
        entry = self.entry(code)
        notes = entry.all_notes(NoteKind.CODE_FIRST) if entry else ()
        if not any("underlying" in note.text.lower() for note in notes):
            return None
        if not any(title.lower() in ("in", "due to", "secondary to") for title in hit.path[1:]):
            return None
        said = _UNDERLYING_SAID.search(expanded)
        found = self.lookup(said.group(1)) if said else None
        if found is None or found.code is None or found.code.startswith(("R", "Z")) or found.code[:3] == code[:3]:
            return None
        if found.penalty > 0:
            return None  # the disease said, not a kind of it the statement leaves unsaid ("chronic disease")
        return found if set(words(found.path[0])) & set(words(said.group(1) if said else "")) else None

    def _manifestation_said(self, expanded: str, hit: IndexHit, code: str) -> IndexHit | None:
        """The condition a statement names before "in" or "due to" where its path coded the disease said after
        it: "Anemia in chronic kidney disease stage 3b" is walked to the CKD by its stage (N18.32), and the anemia,
        "Anemia, in, chronic kidney disease" (D63.1), is a manifestation whose "code first underlying disease"
        the CKD answers: coded after it (I.A.13)."""
        said = _UNDERLYING_SAID.search(expanded)
        index = self.release.index
        if said is None or index is None:
            return None
        subject = set(words(expanded[: said.start()]))
        if main_term_words(hit.path[0]) & subject:
            return None  # the path itself starts at the statement's subject
        underlying = set(words(said.group(1)))
        for rival in index.search(expanded, limit=8):
            if (
                rival.code is None
                or rival.code[:3] == code[:3]
                or not main_term_words(rival.path[0]) & subject
                or not set(rival.unmatched_query) <= underlying
                or not any(title.lower() in ("in", "due to", "secondary to") for title in rival.path[1:])
            ):
                continue
            entry = self.entry(rival.code)
            notes = entry.all_notes(NoteKind.CODE_FIRST) if entry is not None and entry.billable else ()
            if any("underlying" in note.text.lower() for note in notes):
                return rival
        return None

    def _external_cause(self, st: Statement, ev: Evidence, encounter: str, n: int) -> list[Proposal] | None:
        """How an injury happened, as the Index of External Causes codes it (Guidelines I.C.20): the cause with the
        injury's 7th character, and where it happened (Y92) at the initial encounter. None where the statement
        says falls recur or the Index has nothing for it."""
        index = self.release.external_cause
        if index is None or _RECURRING.search(st.text):
            return None
        place = _PLACE.search(st.text)
        said = (st.text[: place.start()] + st.text[place.end() :]) if place else st.text
        # "Mechanical fall", "Fell down stairs": the Index's "Fall, falling (accidental)"
        said = _FELL.sub("fall", _MECHANICAL.sub("", said))
        hits = [h for h in index.search(said, limit=3) if h.code and not set(h.unmatched_query) - _CAUSE_SPARE]
        if not hits:
            return None
        why = f"{G_EXTERNAL_CAUSE}: how the injury happened"
        out = [self._added(hits[0], st, ev, encounter, (float(st.item), float(n), 0.1), G_EXTERNAL_CAUSE, why)]
        if place is not None and encounter == "A":
            where = index.search(f"place of occurrence {place[1]}", limit=1)
            if where and where[0].code and not set(where[0].unmatched_query) - {"at"}:
                why = f"{G_EXTERNAL_CAUSE}: where the injury happened, at the initial encounter only"
                out.append(
                    self._added(where[0], st, ev, encounter, (float(st.item), float(n), 0.2), G_EXTERNAL_CAUSE, why)
                )
        return [p for p in out if (entry := self.entry(p.code)) is not None and entry.billable]

    def cause_in_history(self, note: ClinicalNote, encounter: str) -> list[Proposal]:
        """How an injury happened, where only the history tells it ("cut his right palm on a kitchen knife while
        cutting vegetables at home"): the Index of External Causes' code with the injury's 7th character, and at
        the initial encounter where it happened (Y92; Guidelines I.C.20.a, I.C.20.b). The first sentence of the
        chief complaint or history that says one; nothing where the Index has no entry for all its words."""
        index = self.release.external_cause
        if index is None:
            return []
        for section in note.sections_of("chief_complaint", "hpi"):
            body = note.body(section)
            for sentence in re.finditer(r"[^.!?\n]+", body):
                said = sentence[0]
                for pattern, query in _MECHANISMS:
                    found = pattern.search(said)
                    if found is None or _DENIED_BEFORE.search(said[: found.start()]) or _RECURRING.search(said):
                        continue
                    what = next((v for v in found.groupdict().values() if v), "").lower()
                    if _PLAYGROUND_WORDS.match(what):
                        what = "playground equipment " + ("jungle gym" if what == "monkey bars" else what)
                    hits = index.search(query.format(what=what), limit=1)
                    if not hits or hits[0].code is None or hits[0].unmatched_query:
                        continue
                    start = section.start + sentence.start()
                    ev = _evidence(note, start, start + len(said))
                    how = f"{G_EXTERNAL_CAUSE}: how, as the history tells it"
                    out = [self._added(hits[0], None, ev, encounter, (0.1,), G_EXTERNAL_CAUSE, how)]
                    place = _PLACE.search(said)
                    where = (
                        index.search(f"place of occurrence {place[1]}", limit=1) if place and encounter == "A" else []
                    )
                    if where and where[0].code and not where[0].unmatched_query:
                        why = f"{G_EXTERNAL_CAUSE}: where, as the history tells it, at the initial encounter only"
                        out.append(self._added(where[0], None, ev, encounter, (0.2,), G_EXTERNAL_CAUSE, why))
                    return [p for p in out if (entry := self.entry(p.code)) is not None and entry.billable]
        return []

    def _added(
        self,
        hit: IndexHit,
        st: Statement | None,
        ev: Evidence,
        encounter: str,
        order: tuple[float, ...],
        reason: str,
        note: str,
    ) -> Proposal:
        """A second code a statement names beside its own (or one the note tells outside the statements: an injury's
        cause in the history)."""
        assert hit.code is not None
        said = set(words(st.text)) if st is not None else set()
        final, _ = self.specify(self.refine(hit.code, said, encounter)[0], said, encounter)
        entry = self.entry(final)
        title = entry.title if entry is not None else ""
        return Proposal(
            final,
            title,
            st,
            hit.path,
            reason,
            reason,
            0.7,
            order,
            [note],
            [ev],
        )

    def _followed_up_history(
        self, resolved: list[tuple[Statement, Evidence, str, int]], coded: set[str]
    ) -> Iterator[Proposal]:
        """Z09's "use additional code to identify any applicable history of disease code (Z86.-, Z87.-)":
        a resolved condition the follow-up visit is about, that the Index names no personal history of
        ("AKI during hospitalization - resolved"), takes the Tabular's personal history code of other
        diseases of its body system (N17.9 -> Z87.448)."""
        for st, ev, code, n in resolved:
            history = history_of_other_diseases(code)
            entry = self.entry(history) if history else None
            if history is None or entry is None or not entry.billable or history in coded:
                continue
            coded.add(history)
            yield Proposal(
                history,
                entry.title,
                st,
                ("Tabular List", entry.title),
                G_FOLLOWED_UP_HISTORY,
                G_COEXISTING,
                0.7,
                (float(st.item), float(n), 1.0),
                [f"the Index names no personal history of {code}; Tabular: {history}, by its body system"],
                [ev],
            )

    def _both_sides(
        self, code: str, final: str, said: set[str], context_words: set[str], encounter: str
    ) -> list[str] | None:
        """The right and the left code, where the statement says "bilateral" and the category has a code
        for each side but none for both (Guidelines I.B.13: "bilateral hypernephroma" is C64.1 and C64.2)."""
        if "bilateral" not in said or "bilateral" in self._title(final).lower():
            return None
        rest = context_words - SIDES
        # from the code's subcategory where the code is already a billable unspecified one ("Unspecified blepharitis
        # unspecified eye, unspecified eyelid" H01.009: H01.003 and H01.006)
        entry = self.entry(code)
        parent = entry.hierarchy[-1][0] if entry is not None and entry.billable and entry.hierarchy else None
        for start in (code, parent):
            if start is None:
                continue
            right, _ = self.refine(start, rest | {"right"}, encounter)
            left, _ = self.refine(start, rest | {"left"}, encounter)
            if right == left or "right" not in self._words_of(right) or "left" not in self._words_of(left):
                continue
            kind = _sideless(self._title(final).lower())
            if start == code or all(_sideless(self._title(c).lower()) - said <= kind for c in (right, left)):
                # (from the subcategory, only codes that differ from the code by side and by what is said)
                return [right, left]
        return None

    def _missing_axis(self, entry: Icd10cmCode, st: Statement, ev: Evidence) -> PhysicianQuery | None:
        """A laterality query where the code is the unspecified side of codes that differ by side alone
        ("Otitis media, unspecified, unspecified ear" beside "..., right ear"). Siblings that name a vessel
        ("right coronary artery") or another kind ("infantile cataract, right eye") are not its sides."""
        title = entry.title.lower()
        if "unspecified" not in title or re.search(r"\b(right|left|bilateral)\b", title):
            return None
        parent = entry.hierarchy[-1][0] if entry.hierarchy else None
        if parent is None:
            return None
        kind = _sideless(title)
        sided = {
            side
            for c in self.release.tabular.descendants(parent)
            if (sib := self.entry(c)) is not None
            for side in re.findall(r"\b(right|left)\b", sib.title.lower())
            if _sideless(sib.title.lower()) == kind
        }
        if sided != {"right", "left"}:
            return None
        return PhysicianQuery(
            "laterality",
            f"Please clarify the laterality (right, left or bilateral) of the condition documented as "
            f'"{st.text}", if known.',
            (ev,),
            (entry.code,),
        )


_SUBSTANCE_USE = re.compile(r"F1[0-9]\.9")
_LEVEL_WORD = re.compile(r"[ctls]\d{1,2}|level")


def _said_forms(title: str, said: set[str] | frozenset[str]) -> tuple[str, ...]:
    """The words of an Index title; of one that lists forms ("cervical, cervicothoracic"), those of the forms said,
    where any is: a cervical disc is not read as the cervicothoracic one (M50.20, not M50.23)."""
    forms = main_term_forms(title) if "," in title else ()
    if len(forms) < 2 or len(forms) != title.count(",") + 1:
        return words(title)  # a word and its qualifier ("ulna, upper end") are both the Index's reading
    chosen = [form for form in forms if form and form <= said]
    return tuple(w for form in (chosen or forms) for w in form)


def _sideless(title: str) -> frozenset[str]:
    return frozenset(words(title)) - _SIDE_WORDS


_SIDE_WORDS = frozenset(words("right left bilateral unspecified side sided ear eye"))


_SIDE_NOUNS = frozenset(words("ear eye side limb extremity"))
SIDES_AND_BOTH = frozenset(words("right left bilateral"))


def linking(title: str) -> bool:
    """Whether an Index subterm links a condition: a connective ("with"), or one as its first word ("with lumbago")."""
    low = title.lower()
    return low in CONNECTIVES or any(low.startswith(c + " ") for c in CONNECTIVES)


# Words after which a statement says how or why, not what ("asthma exacerbation triggered by cat exposure").
_QUALIFIER_CUT = re.compile(
    r"\s(?:triggered by|precipitated by|after|since|despite|on|from|while|per|improved|improving|resolving|"
    r"stable|controlled|at goal|new diagnosis|diagnosed|noted|seen|found|started|likely due to|for|demonstrated|"
    r"status post|s/p|who|which|that|presents|performed|scheduled|causing|resulting in|leading to)\s",
    re.IGNORECASE,
)


def _history_said(path: tuple[str, ...], said: set[str]) -> bool:
    """Whether a personal-history path says only what the statement says, but for an alternative ("venous
    thrombosis or embolism") and what was absent ("cerebral infarction without residual deficits": a history
    with no deficit documented is one without, Guidelines I.C.9.d.1)."""
    if not path or not path[0].lower().startswith("history"):
        return False
    titles = [title.split("(")[0] for title in path[1:]]
    absent = {w for title in titles for part in re.split(r"\s+without\s+", title)[1:] for w in words(part)}
    if absent & said:
        return False  # "history of stroke with residual weakness" has the deficit the path says is absent
    return not unsaid_path_words(tuple(re.split(r"\s+(?:or|without)\s+", title)[0] for title in titles), said)


def _conjunct_tokens(text: str) -> list[set[str]]:
    """A statement's words as stems, "and" and "or" kept; empty where it says neither (no conjuncts to tell apart)."""
    lowered = text.lower()
    if " and " not in lowered and " or " not in lowered:
        return []
    return [{t} if t in ("and", "or") else set(words(t)) for t in re.findall(r"[a-z0-9'-]+", lowered)]


def _other_conjunct_site(tokens: list[set[str]], taken: set[str], left: set[str], hit: IndexHit) -> bool:
    """Whether a path takes a site said of another condition, in another conjunct: "renal lithiasis and
    hypertension" walked to "Hypertension, kidney" takes the lithiasis's "renal" (``tokens``: _conjunct_tokens)."""
    if not taken or not left:
        return False
    main = main_term_words(hit.path[0])
    for at, (a, b) in enumerate(itertools.pairwise(tokens)):
        if a & taken and b & left:
            after = tokens[at + 2 :]
            head = next((i for i, w in enumerate(after) if w & main), None)
            if head is not None and any(w & {"and", "or"} for w in after[:head]):
                return True
    return False


def _another_kind(title: str, statement: tuple[str, ...], said: set[str]) -> bool:
    """Whether a subterm of two words, a modifier and its noun, names another kind of what the statement says:
    the noun said after a degree or acuity of the statement's own, the subterm's modifier unsaid ("residual
    stage" where the note says "moderate stage", "mild persistent" for "moderate persistent asthma"). Other
    modifiers may be synonyms ("ureteropelvic junction" is the Index's "pelviureteral junction")."""
    own = words(title.split("(", 1)[0])
    if len(own) != 2 or own[0] in said or own[1] not in said:
        return False
    return any(
        word == own[1] and before in DEGREE_WORDS | ACUITY_WORDS for before, word in itertools.pairwise(statement)
    )


def unsaid_path_words(path: tuple[str, ...], said: set[str]) -> set[str]:
    """The words of a path that name something the statement does not say, each title read in its
    closest variant form."""
    out: set[str] = set()
    for title in path:
        out |= unsaid_words(title, frozenset(words(title)), said, CONNECTIVE_WORDS | PLAIN_WORDS)
    return out


@functools.lru_cache(maxsize=65_536)
def _folded_words(title: str) -> frozenset[str]:
    """The subterm words a flattened Index folds into a main term's title ("psychiatric" in
    "Situation, psychiatric"); none in a title that lists alternatives, three or more with the last after "or"
    ("Poison ivy, oak, sumac or other plant dermatitis", "Stonemason's asthma, disease, lung or pneumoconiosis")."""
    parts = title.split("(", 1)[0].split(",")
    if len(parts) >= 3 and " or " in parts[-1]:
        return frozenset()
    return frozenset(words(title)) - main_term_words(title)


def _completes_a_title(side: str, path: tuple[str, ...], said: set[str]) -> bool:
    """Whether a title of the path says the side with nothing the statement leaves unsaid."""
    for title in path:
        own = set(words(title.split("(")[0]))
        if side in own and not own - said - CONNECTIVE_WORDS - PLAIN_WORDS:
            return True
    return False


def _denied_condition(note: ClinicalNote, st: Statement, path: tuple[str, ...]) -> str | None:
    """Why the condition a path is for is not coded, when the note denies or only foresees it there."""
    if not path or st.assertion != Assertion.PRESENT:
        return None
    noun = set(words(path[0]))  # the main term in each of its forms ("Diabetes, diabetic")
    table = path[0].startswith("Neoplasm")  # the Neoplasm Table: the tumor word named it
    mentions = note.mentions_in(st.start, st.end)
    said = [
        mention.assertion
        for mention in mentions
        if (_NEOPLASM_WORD.search(mention.text) if table else noun & set(words(mention.text)))
    ]
    on_path = {w for title in path[1:] for w in words(title)} - noun
    if st.section == "assessment" and any(
        m.assertion == Assertion.PRESENT and set(words(m.text)) & on_path for m in mentions
    ):
        # "Diabetic ketoacidosis without coma, type 1 diabetes": the negation's scope runs on to the type, but the
        # condition the path's subterm names ("Diabetes, type 1, with, ketoacidosis") is said present
        return None
    for assertion in said:
        if assertion == Assertion.NEGATED and not st.denied_apart:
            return G_NEGATED
        if assertion == Assertion.HYPOTHETICAL:
            return "Hypothetical or conditional mention"
    return None


def _shorter_forms(text: str) -> list[str]:
    """Leading parts of a statement: its comma-parts, and the text before qualifying phrases."""
    forms: list[str] = []
    parts = [p for p in re.split(r",\s+", text) if p.strip()]
    for cut in range(len(parts) - 1, 0, -1):
        forms.append(", ".join(parts[:cut]))
    for match in _QUALIFIER_CUT.finditer(text):
        if match.start() > 3:
            forms.append(text[: match.start()])
    with_at = re.search(r"\swith\s", text)
    if with_at and with_at.start() > 3:
        forms.append(text[: with_at.start()])  # "A with B" when no Index entry joins them: A alone
    return forms


def _related_item(st: Statement, items: dict[int, Statement]) -> int | None:
    """The assessment item an addendum answers: the one sharing the most words with it (at least two)."""
    mine = set(words(st.item_text))
    best: tuple[int, int] | None = None
    for item, other in items.items():
        shared = len(mine & set(words(other.item_text)))
        if shared >= 2 and (best is None or shared > best[0]):
            best = (shared, item)
    return best[1] if best else None


_SEQUELA = expression(r"\bsequela|late effect")
_HEALING = expression(
    r"healing|follow[- ]up visit for (the )?(injury|sprain|fracture)|subsequent encounter|"
    r"recheck of (the )?(injury|sprain|wound)|routine healing|healing as expected"
)


_ITEM_EPISODE = expression(
    r"\b(?:(initial) (?:encounter|visit)|(subsequent) encounter|(sequela)e?)\b|\b(initial|subsequent)$"
)


def _item_character(item_text: str) -> str | None:
    """The 7th character a problem's own words give it ("..., initial encounter", "..., subsequent encounter for
    routine healing", "..., sequela"), if they give one."""
    found = _ITEM_EPISODE.search(item_text.strip().rstrip("."))
    if found is None:
        return None
    said = next(g for g in found.groups() if g).lower()
    return {"initial": "A", "subsequent": "D", "sequela": "S"}[said]


def _encounter_character(note: ClinicalNote) -> str:
    """The 7th character an injury code takes at this visit (Guidelines I.C.19.a)."""
    if _SEQUELA.search(note.text):
        return "S"
    if _HEALING.search(note.text):
        return "D"
    return "A"


def ckd_stage(text: str) -> str | None:
    match = _STAGE_RE.search(text)
    if match:
        stage = next(g for g in match.groups() if g)
        return CKD_STAGE[stage.lower()]
    if _ESRD.search(text):
        return "N18.6"
    return None


def bmi_code(text: str, age: int) -> str | None:
    """Z68.- for an adult BMI written in the note (pediatric percentiles are not handled)."""
    if age < 20:
        return None
    match = _BMI_RE.search(text)
    if not match:
        return None
    bmi = float(match.group(1))
    if bmi < 20:
        return "Z68.1"
    if bmi < 40:
        return f"Z68.{int(bmi)}"
    for limit, code in ((45, "Z68.41"), (50, "Z68.42"), (60, "Z68.43"), (70, "Z68.44")):
        if bmi < limit:
            return code
    return "Z68.45"
