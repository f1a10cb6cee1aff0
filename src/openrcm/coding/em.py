"""Office/outpatient E/M level (99202-99205, 99211-99215) and preventive visits (99381-99397).

Medical decision making by the 2021 AMA table (revised 2023): the level is the highest that two of
the three elements (problems, data, risk) meet or exceed. Total time on the date of the encounter
uses the 2024 thresholds (new 15/30/45/60, established 10/20/30/40 minutes). When both are
documented, the higher supported level is billed. Every element carries the reasons found.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openrcm.coding.lexicon import Lexicon
from openrcm.coding.model import ElementScore, EncounterContext, EvaluationAndManagement
from openrcm.coding.note import ClinicalNote
from openrcm.coding.patterns import alternation, expression
from openrcm.coding.procedures import catalogue
from openrcm.coding.statements import Statement
from openrcm.coding.vocabulary import COUNT_PATTERN, RX_DRUG, count_of

LEVELS = ("straightforward", "low", "moderate", "high")
G_MDM = "AMA CPT E/M guidelines (2021, revised 2023): MDM level is met by 2 of 3 elements"
G_TIME = "AMA CPT E/M guidelines: total time on the date of the encounter (2024 thresholds)"

# Categories treated as chronic illnesses (ICD-10-CM 3-character categories).
IMMUNIZATION_ONLY = ("Z23", "Z28")  # encounter for immunization, immunization not carried out
CHRONIC_PREFIXES = (
    "E03",
    "E89.0",  # hypothyroidism after thyroid ablation or surgery
    "E05",
    "E06",
    "E08",
    "E09",
    "E10",
    "E11",
    "E13",
    "E16",
    "E27",
    "E55",
    "E66",
    "E78",
    "E83",
    "F0",
    "F1",
    "F2",
    "F31",
    "F32",
    "F33",
    "F34",
    "F40",
    "F41",
    "F42",
    "F43",
    "F50",
    "F84",
    "F90",
    "G20",
    "G30",
    "G35",
    "G40",
    "G43",
    "G47",
    "I1",
    "I20",
    "I25",
    "I48",
    "I50",
    "I70",
    "I73",
    "J32",
    "J41",
    "J42",
    "J43",
    "J44",
    "J45",
    "J47",
    "K21",
    "K50",
    "K51",
    "K58",
    "K70",
    "K74",
    "L20",  # atopic dermatitis (eczema): chronic, relapsing
    "L40",
    "L71",
    "M05",
    "M06",
    "M10",
    "M15",
    "M16",
    "M17",
    "M19",
    "M32",
    "M35",
    "M45",
    "M47",
    "M54.5",
    "M79.7",
    "M81",
    "N18",
    "N40",
    "D50",
    "D63",
    "D64",
    "R03",
    "Z79",
    "B20",
    # a malignant neoplasm under treatment or surveillance; not a skin cancer (C43, C44), most often removed
    # at the visit that finds it
    *("C0", "C1", "C2", "C3", "C40", "C41", "C45", "C46", "C47", "C48", "C49", "C5", "C6", "C7", "C8", "C9"),
    "M85",  # osteopenia
)
RAPID_TESTS = ("87804", "87880", "87807", "87811")  # influenza, strep, RSV, SARS-CoV-2 antigen
TEST_NAMES = (
    r"\bbmp\b",
    r"\bcmp\b",
    r"\bcbc\b|\bwbc\b|white (?:blood )?count",
    r"lipid panel|\blipids\b|\bldl\b|\bhdl\b|\btriglycerides\b",  # a lipid panel by its results too
    r"\ba1c\b",
    r"\btsh\b",
    r"albumin/creatinine|\bacr\b|microalbumin",
    r"urinalysis|\bu/a\b",
    r"\bbnp\b",
    r"\binr\b",
    r"uric acid",
    r"ferritin",
    r"25-oh|vitamin d level|vit d level",
    r"\bpsa\b",
    r"\bcxr\b|chest x-?ray",
    r"\bct\b",
    r"\bmri\b",
    r"ultrasound",
    r"\bdexa\b",
    r"\becho(?:cardiogram)?\b",
    # an ECG ordered or reviewed (one billed with its interpretation is not counted again), a rhythm monitor worn
    r"\b(?:ecg|ekg|electrocardiogram)\b",
    r"\bholter\b|\bzio\b|\bevent monitor\b|\bambulatory (?:ecg|ekg|cardiac|rhythm) monitor",
    r"\bstress test\b|\bstress echo",
    r"culture",
    r"troponin",
    r"\bx-?ray\b|radiograph",
    # each rapid antigen test is a unique test of its own (its own CPT code), named as the procedure
    # catalogue names it, by the test or by its result
    *("|".join(lab["patterns"]) for lab in catalogue()["lab"] if lab["code"] in RAPID_TESTS),
    r"wet mount",
    r"urine hcg|pregnancy test",
    r"hemoglobin(?! a1c)|\bhgb\b",
    r"\bcreatinine\b|\begfr\b",
    r"iron studies|\biron\b panel",
    r"\bb12\b",
    r"hepatitis panel",
    r"\bsed rate\b|\besr\b|\bcrp\b",
    r"\bspirometry\b|\bpft\b",
    r"allergy testing",
    # what hospital and emergency notes review: the blood gas, lactate, lipase, D-dimer, procalcitonin
    r"\babg\b|arterial blood gas|\bvbg\b",
    r"\blactate\b|lactic acid",
    r"\blipase\b",
    r"d-dimer",
    r"procalcitonin",
    # a drug's level, monitored for toxicity ("lithium level, TSH and creatinine in 3 months")
    r"\b(?:lithium|digoxin|valproate|valproic acid|phenytoin|carbamazepine|tacrolimus|vancomycin)\s+(?:level|trough)",
)
# every test name as one alternation: one pass over the text finds the distinct tests
_TESTS = alternation(TEST_NAMES)
_STEPPED_UP = re.compile(r"\b(?:start|starting|begin|increase|increasing|add|titrate|uptitrate)\b", re.IGNORECASE)
_RAISED = re.compile(r"\b(?:increase|increased|increasing|uptitrate|titrate up)\b", re.IGNORECASE)
_RX = expression(
    r"\(rx\)|\brx\b|prescri|\b(?:start|started|starting|increase|increased|decrease|reduce|switch|switching|add|"
    r"resume|titrate|refill(?:ed)?|renewed|discontinue|stop|continue)\b[^.\n]{0,60}?\b\d+(?:\.\d+)?\s*(?:mg|mcg|u|units|%)"
)
# Drugs whose therapy needs intensive monitoring for toxicity (high risk when managed at the visit).
_INTENSIVE = expression(
    r"\b(?:warfarin|coumadin|lithium|methotrexate|tacrolimus|cyclosporine|amiodarone|digoxin|phenytoin|"
    r"carbamazepine|valproate|clozapine)\b"
)


def _verb_then_drug(verbs: str) -> str:
    """A verb of ``verbs`` and, within the clause, a drug by its generic name's ending ("increase lisinopril")."""
    return r"\b(?:" + verbs + r")\b[^.\n;]{0,40}?\b" + RX_DRUG + r"\b"


# a prescription drug managed: with a verb ("continue lisinopril"), or ordered by its dose alone ("fluconazole
# 150 mg once")
_DRUG_WORD = expression(
    _verb_then_drug(
        "continue|cont|start|started|increase|increased|decrease|reduce|switch|switching|resume|titrate|"
        "refill(?:ed)?|renewed|adjust|stop|discontinue|add"
    )
    + r"|\b"
    + RX_DRUG
    # "amoxicillin-clavulanate 875 mg", "penicillin VK 500 mg", "metformin ER 500 mg", "metoprolol succinate 25 mg"
    + r"(?:[-/]\w+)?(?:\s+(?:v|vk|g|er|xr|xl|sr|dr|la|cr|cd|ds|hcl|succinate|tartrate|potassium|sodium|taper|burst|"
    r"dose ?pack|dosepak)\b)*"
    # "Bactrim DS 1 tab BID"; a topical one by its strength ("triamcinolone 0.1% ointment")
    + r"\s+\d+(?:\.\d+)?\s*(?:(?:mg|mcg|units?|tabs?|tablets?|caps?|capsules?)\b|%)"
    # or by its schedule ("Polymyxin B/trimethoprim ophthalmic drops 1 drop QID x 7 days")
    + r"|\b"
    + RX_DRUG
    + r"\b[^.\n;]{0,40}?\b(?:bid|tid|qid|qhs|q\d{1,2}h|twice daily|three times daily|four times daily)\b"
    # a drug given by vein or muscle, as a hospital's plan orders it ("IV ceftriaxone and azithromycin")
    + r"|\b(?:iv|intravenous|im)\s+(?:antibiotics?|steroids?|diuretics?|cef\w+|"
    + RX_DRUG
    + r")\b|\b(?:heparin|insulin|nitroglycerin) (?:drip|infusion)\b"
    # an over-the-counter drug at a prescription's strength ("ibuprofen 800 mg TID")
    + r"|\bibuprofen\s+(?:600|800)\s*mg\b"
)
# a drug started, stopped or its dose changed at the visit: management beyond continuing a stable regimen
_DRUG_CHANGED = expression(
    _verb_then_drug(
        "start|started|starting|begin|increase|increased|decrease|decreased|reduce|switch|switching|titrate|"
        "adjust|stop|discontinue|add"
    )
    + r"|\b"
    + RX_DRUG
    + r"\b[^.\n;]{0,40}?\b(?:started|increased|decreased|reduced|stopped|discontinued|"
    r"prescribed|titrated)\b|\bnew prescription\b|\bprescribed\b"
)
_OTC = expression(r"\botc\b|over the counter|acetaminophen|ibuprofen|saline|fluids")
_HOSPITAL = expression(
    r"\b(?:admit|admission|hospitaliz|icu\b|intensive care unit|escalat\w* (?:of|to) (?:care|the icu)|"
    r"(?:transfer(?:red)?|sent|referred|directed) to (?:the )?(?:ed|er|emergency)|"
    r"accepts? the patient|transport by ems|ems arranged|direct admit)"
)
_THREAT = expression(
    r"acute coronary syndrome|unstable angina|\bacs\b|stroke|sepsis|pulmonary embol|threat to (?:life|bodily)|"
    r"suicidal|myocardial infarction|\bn?stemi\b|respiratory failure|severe respiratory distress|peritonitis|"
    r"acute (?:renal|kidney) failure|\bshock\b|ketoacidosis|status epilepticus|"
    # the emergencies a surgeon is called for (THREAT_CODES), said or doubted ("concerning for acute appendicitis")
    r"appendicitis|ectopic pregnancy|torsion|bowel obstruction|cauda equina|meningitis|necrotizing fasciitis"
)
# a threat's name in a clause that denies it, doubts it away or tells it as past ("denies suicidal ideation", "ACS
# unlikely", "Old myocardial infarction", "history of stroke", "stroke prevention")
_THREAT_DENIED = expression(
    r"\b(?:no|not|denies|denied|without|unlikely|ruled out|negative|low (?:suspicion|risk|probability)|doubt\w*|"
    r"history|hx|h/o|old|prior|previous|remote|s/p|status post|risk|prevention|prophylaxis|screen\w*)\b"
)


def _threat_said(text: str) -> bool:
    """Whether ``text`` names an illness that threatens life or bodily function, in a clause that does not deny it
    or tell it as past."""
    for match in _THREAT.finditer(text):
        start = max(text.rfind(c, 0, match.start()) for c in ",.;:(\n") + 1
        ends = [i for i in (text.find(c, match.end()) for c in ",.;)\n") if i >= 0]
        if not _THREAT_DENIED.search(text[start : min(ends, default=len(text))]):
            return True
    return False


# AMA's illnesses that pose a threat to life or bodily function, by their codes: acute myocardial infarction, pulmonary
# embolism, cardiac arrest, intracranial hemorrhage and cerebral infarction, aortic dissection, acute respiratory
# failure, sepsis and shock, diabetic ketoacidosis and hyperosmolarity, acute kidney failure, peritonitis; and the
# emergencies a surgeon is called for: acute appendicitis, intestinal obstruction, ectopic pregnancy, torsion of the
# testis, cauda equina syndrome, bacterial meningitis, necrotizing fasciitis
THREAT_CODES = (
    "I21",
    "I22",
    "I26",
    "I46",
    "I60",
    "I61",
    "I62",
    "I63",
    "I71.0",
    "J96.0",
    "J96.2",
    "A40",
    "A41",
    "R65.2",
    "R57",
    "E08.0",
    "E08.1",
    "E09.0",
    "E09.1",
    "E10.1",
    "E11.0",
    "E11.1",
    "E13.0",
    "E13.1",
    "N17",
    "K65",
    "K35",
    "K56",
    "O00",
    "N44.0",
    "G83.4",
    "G00",
    "M72.6",
)
# AMA: general symptoms (fever, aches) of an illness treated to shorten its course do not by themselves make
# it an "acute illness with systemic symptoms"; the documentation has to say the illness puts the patient at risk.
_SYSTEMIC = expression(
    r"systemic|high risk of morbidity|high risk for complications|risk of (?:dehydration|complications)|may worsen"
)
# AMA's own examples of an acute illness with systemic symptoms: pneumonitis, pyelonephritis (colitis, its third,
# is also a chronic disease's name, and left to the documentation)
SYSTEMIC_BY_KIND = ("J12", "J13", "J14", "J15", "J16", "J17", "J18", "N10")
# AMA's high problem: a chronic illness with severe exacerbation, progression or side effects of treatment, as said
_SEVERE = expression(
    r"\bsevere(?:ly)?\s+(?:acute\s+)?(?:exacerbation|flare|progression|decompensation|deterioration)|"
    r"\bsevere\s+side effects?\b"
)
_RISK_OF = re.compile(r"\b(?:at )?risk(?: factor)? (?:for|of)\b[^.;,]*", re.IGNORECASE)
_MILD = expression(r"\bmild\b|uncomplicated|self-limited|expected full recovery")
# a lump, mass or nodule found and not yet explained: AMA's example of an undiagnosed new problem with uncertain
# prognosis ("a lump in the breast"), unless it is already known
UNEXPLAINED_FINDINGS = ("R91", "R22", "N63", "R19.0", "R59", "E04.1", "R90.0")
_KNOWN = expression(r"\b(?:stable|unchanged|known|chronic|benign|surveillance|follow-?up)\b")
_ACUTE = re.compile(r"\bacute\b(?! (?:exacerbation|on chronic|flare|decompensation))", re.IGNORECASE)
# AMA's examples of a self-limited or minor problem (a problem that runs a definite and prescribed course): the common
# cold (an upper respiratory infection), tinea corporis; and the aftercare of a wound that runs its prescribed course
# (a dressing changed, sutures or staples taken out: Z48.0-)
SELF_LIMITED = ("J00", "J06.9", "B35.4", "Z48.0")
# (an insect's bite is AMA's example; an animal's that breaks the skin is an open bite, an acute injury treated)
_MINOR_INJURY = expression(r"superficial|(?:insect|tick|mosquito|flea|bug) bites?\b|abrasion|contusion|blister")
_BY_PROCEDURE = expression(
    r"\b(?:biopsied|destroyed|cryotherap|removed|repaired|injected|excised|drained|incised|sutured|inserted)\w*|"
    r"\bi ?& ?d\b|\b(?:punch|shave) biopsy\b|\bbiopsy (?:was )?(?:done|performed|obtained|taken|sent)\b|"
    r"\b(?:injection|aspiration|avulsion|insertion|debridement)s? (?:was |were )?(?:done|performed|given|completed)\b"
)
_HISTORIAN = expression(
    r"(?:history|hx)\s+(?:obtained\s+)?(?:from|per|provided by)\s+(?:the\s+)?(?:pt and\s+)?(?:his |her )?"
    r"(?:mother|father|parent|daughter|son|wife|husband|spouse|caregiver|guardian)|"
    r"(?:mother|father|parent|caregiver|daughter|son|wife|husband|spouse|guardian)(?: who)? (?:reports|states|"
    r"provides|gives|provided|gave) (?:the )?(?:history|hx)|"
    r"(?:mother|father|parent|caregiver) (?:reports|states|provides)"
)
_EXTERNAL_NOTES = expression(
    r"outside records|records from|review of (?:outside|external)|per (?:nephrology|cardiology|outside|hospital)|"
    r"discharge summary|hospital records|reviewed (?:the )?(?:hospital|ed|outside|specialist)"
)
_DISCUSSION = expression(
    r"(?:discussed|spoke|called|conferred) (?:with|his|her|the patient's)[^.\n]{0,40}?"
    r"\b(?:dr\.?|cardiolog|nephrolog|gynecolog|attending|physician|surgeon|specialist)"
)
# the total time on the date of the encounter as clinicians state it: "Total time: 45 minutes", "I spent 75 minutes on
# the date of the encounter ...", "Time spent: 45 min", "45 minutes of total time" (not minutes of one activity:
# "spent 12 minutes counseling on cessation")
_TIME = expression(
    # (no figure before the minutes' own: "Total time 45 minutes" is 45, not its last figure)
    r"total time[^:\n\d]{0,40}:?\s*(\d{1,3})\s*min|\btime spent[^:\n\d]{0,30}:?\s*(\d{1,3})\s*min"
    r"|\bspent (?:a total of )?(\d{1,3})\s*min\w*\s+(?:in total\b|total\b|on the (?:date|day) of (?:the )?(?:encounter|"
    r"service|visit)|on this (?:encounter|visit)|today on)|\b(\d{1,3})\s*min\w*\s+(?:of\s+)?total time\b"
    r"|\btotal of (\d{1,3})\s*min\w*\s+(?:was |were )?spent\b"
)
_PARENT = expression(r"\b(?:mother|father|parent|mom|dad|guardian)\b")
_MONITORED = expression(r"\binr\b|\blevels?\b|monitor")
_PREVENTIVE = expression(
    r"annual (?:adult |gyn\w* |well[- ]woman )?(?:physical|wellness|exam)|well[- ]child|\bwcc\b|\bwell visit|"
    r"\bwell[- ](?:woman|man) (?:exam|visit)|preventive (?:visit|exam)|"
    r"health maintenance exam|routine (?:physical|child health) exam|healthy \d+[- ](?:month|year|y/o)|"
    r"welcome to medicare|initial preventive physical exam|\bippe\b"
)


@dataclass(frozen=True, slots=True)
class Problem:
    text: str
    chronic: bool
    progressing: bool
    severe: bool  # a chronic illness's exacerbation or progression said severe
    acute: bool
    systemic: bool
    uncertain: bool
    threat: bool
    injury: bool


# Medicare's own preventive visits (HCPCS), billed in place of 99381-99397 where the note names them, in the
# order they are told apart: the "Welcome to Medicare" exam, the initial, then any annual wellness visit
_MEDICARE_VISITS = tuple(
    (code, what, expression(words))
    for code, what, words in (
        (
            "G0402",
            "initial preventive physical examination (Welcome to Medicare)",
            r"welcome to medicare|initial preventive physical exam\w*|\bippe\b",
        ),
        (
            "G0438",
            "initial annual wellness visit",
            r"\b(?:initial|first) (?:medicare )?(?:annual wellness visit|awv)\b",
        ),
        (
            "G0439",
            "subsequent annual wellness visit",
            r"annual wellness visit|\bawv\b|medicare wellness (?:visit|exam)",
        ),
    )
)
MEDICARE_WELLNESS = frozenset(code for code, _, _ in _MEDICARE_VISITS)
ANNUAL_WELLNESS = frozenset({"G0438", "G0439"})
# a visit held over a real-time link, by the modifier it takes: audio only (93), audio and video (95)
_REMOTE = tuple(
    (modifier, expression(words))
    for modifier, words in (
        ("93", r"\b(?:audio[- ]only|telephone (?:visit|encounter)|by telephone|via telephone)\b"),
        (
            "95",
            r"\b(?:audio[- ]?(?:and[- ])?video|video (?:visit|telehealth|telemedicine)|synchronous "
            r"(?:audio-video )?telehealth|real-time (?:audio and video|interactive)|via (?:video|telehealth|"
            r"telemedicine)|virtual visit via video|tele(?:health|medicine)[,;:(\s-]+(?:by |via )?video|"
            r"video[- ]?(?:call|conference|encounter))\b",
        ),
    )
)


# the places of service of telehealth: other than in the patient's home (02), in the patient's home (10)
TELEHEALTH_POS = frozenset({"02", "10"})


def telehealth_modifier(note: ClinicalNote, place_of_service: str = "") -> str | None:
    """95 for a visit held by synchronous audio-video telecommunication, 93 for audio only (CPT Appendix P/T); a
    visit billed at a telehealth place of service that does not say how it was held is taken as audio-video,
    telehealth's usual kind (CMS: the modifier says the modality, the place of service that it was remote)."""
    said = next((modifier for modifier, said in _REMOTE if said.search(note.text)), None)
    return said or ("95" if place_of_service in TELEHEALTH_POS else None)


def medicare_wellness(note: ClinicalNote) -> tuple[str, str] | None:
    """G0402 (IPPE), G0438 (initial AWV) or G0439 (subsequent AWV) where the visit says it is one, with what
    it is."""
    for section in note.sections_of("assessment", "header", "chief_complaint"):
        body = note.body(section)
        found = next(((code, what) for code, what, said in _MEDICARE_VISITS if said.search(body)), None)
        if found is not None:
            return found
    return None


def preventive_code(ctx: EncounterContext) -> str:
    bands = ((1, "1"), (5, "2"), (12, "3"), (18, "4"), (40, "5"), (65, "6"))
    digit = "7"
    for limit, d in bands:
        if ctx.age < limit:
            digit = d
            break
    return ("9938" if ctx.new_patient else "9939") + digit


def is_preventive(note: ClinicalNote) -> bool:
    for section in note.sections_of("assessment", "header", "chief_complaint"):
        if _PREVENTIVE.search(note.body(section)):
            return True
    return False


# an adverse effect of a drug taken as prescribed (T36-T50 with 5 as the sixth character: T43.635A, T46.6X5A)
_ADVERSE_EFFECT = re.compile(r"T(?:3[6-9]|4\d|50)\.[0-9A-Z]{2}5")


def problems_from(
    statements: list[Statement],
    coded: dict[int, list[str]],
    lexicon: Lexicon,
    procedures_done: bool = False,
    coded_at: dict[int, list[str]] | None = None,
    escalated: bool = False,
) -> list[Problem]:
    """One problem per assessment item, judged on its first sentence (the diagnosis and its status); ``coded``
    holds each item's codes, ``coded_at`` each statement's (by its start)."""
    problems: list[Problem] = []
    therapy: list[Problem] = []  # items coded only as a long-term drug therapy (Z79)
    seen: set[int] = set()
    seen_sentences: set[tuple[int, str]] = set()
    # "Suspected acute appendicitis. Right lower quadrant pain with nausea and fever.": the symptoms coded, the
    # problem still undiagnosed
    doubted = {st.item for st in statements if st.assertion.value == "uncertain"}
    for st in statements:
        if st.item in seen:
            continue
        codes = coded.get(st.item, [])
        # an unnumbered assessment line that names a problem in each sentence ("A: Acute lumbar strain. HTN - BP
        # 152/96, above goal."): each sentence that is a statement of its own is a problem, judged on that sentence
        # (a numbered problem's later sentences are its status and plan)
        text = re.sub(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+", "", st.item_text)
        own = _own_sentence(st) if text == st.item_text.strip() else None
        if own is not None:
            if (st.item, own) in seen_sentences:
                continue
            seen_sentences.add((st.item, own))
            at = coded_at or {}
            codes = [
                c
                for other in statements
                if other.item == st.item and _own_sentence(other) == own
                for c in at.get(other.start, [])
            ]
        if codes and all(c.startswith(IMMUNIZATION_ONLY) for c in codes):
            continue  # "Need for Tdap" (Z23), "Shingrix declined" (Z28.21): a vaccine, not a problem addressed
        uncertain_only = not codes and st.assertion.value == "uncertain"
        if not codes and not uncertain_only:
            continue
        if own is None:
            seen.add(st.item)
        first = own or re.split(r"(?<=[a-z0-9%)]\.)\s", text, maxsplit=1)[0]
        if procedures_done and _BY_PROCEDURE.search(first):
            continue  # the decision to perform a minor procedure is part of the procedure
        unexplained = all(c.startswith(UNEXPLAINED_FINDINGS) for c in codes) and not _KNOWN.search(text)
        # an item doubted ("probable", "suspected") whose codes are only its signs and symptoms: still undiagnosed
        # ("probable bacterial" of a conjunctivitis coded H10.02- doubts the organism, not the problem)
        symptoms_only = all(c.startswith("R") for c in codes)
        # a code of a chronic kind said acute is not ("acute low back pain, improving"), unless "chronic" is said too
        # (a flare or exacerbation said is the chronic illness's: "acute gout flare")
        said_acute = bool(_ACUTE.search(first)) and not lexicon.has_any(first, lexicon.progression)
        chronic = (any(c.startswith(CHRONIC_PREFIXES) for c in codes) and not said_acute) or "chronic" in first.lower()
        injury = any(c.startswith(("S", "T")) for c in codes)
        # "risk factor for progression to severe COVID-19": what might progress is not this problem
        progressing = bool(lexicon.has_any(_RISK_OF.sub(" ", first), lexicon.progression))
        # AMA: a patient not at the treatment goal is not stable; a chronic illness whose treatment is started or
        # stepped up at the visit is not at its goal ("BPH with LUTS - start tamsulosin")
        progressing = progressing or (chronic and bool(_STEPPED_UP.search(first)))
        if own is None and chronic and not progressing:
            # a numbered problem's plan is its later sentences: a drug it already takes raised ("Panic disorder,
            # improving. Increase escitalopram to 15 mg"), not one started for a new diagnosis
            progressing = bool(_RAISED.search(text))
        if any(_ADVERSE_EFFECT.match(c) for c in codes):
            # "Myalgia due to atorvastatin - switch to rosuvastatin": a side effect of the treatment of an illness
            # the patient is treated for (AMA: a chronic illness with side effects of treatment)
            chronic = progressing = True
        # a threat doubted counts where the plan is consistent with its severity (AMA: symptoms that may represent a
        # condition significantly probable and threatening, "when the evaluation and treatment are consistent with
        # this degree of potential severity"): sent to the emergency department, admitted
        threat = (_threat_said(text) and (st.item not in doubted or escalated or bool(_HOSPITAL.search(text)))) or any(
            c.startswith(THREAT_CODES) for c in codes
        )
        # the risk may be told after the diagnosis ("Acute bronchiolitis due to RSV. Decreased oral intake
        # places him at risk of dehydration"); a diagnosis called mild or uncomplicated is not at risk
        systemic = (
            bool(_SYSTEMIC.search(text)) or any(c.startswith(SYSTEMIC_BY_KIND) for c in codes)
        ) and not _MILD.search(first)
        # AMA's self-limited or minor problem: "a cold, insect bite, tinea corporis"
        minor = (injury and bool(_MINOR_INJURY.search(first))) or bool(
            codes and all(c.startswith(SELF_LIMITED) for c in codes)
        )
        problem = Problem(
            first,
            chronic,
            progressing,
            chronic and progressing and bool(_SEVERE.search(first)),
            not chronic and not minor,
            systemic,
            uncertain_only or bool(codes and (unexplained or (st.item in doubted and symptoms_only))),
            threat,
            injury,
        )
        problems.append(problem)
        if codes and all(c.startswith("Z79") for c in codes):
            therapy.append(problem)
    kept = [p for p in problems if all(p is not t for t in therapy)]
    if therapy and any(p.chronic for p in kept):
        # "Long-term use of anticoagulant - recheck INR" beside the atrial fibrillation the warfarin treats: the drug
        # therapy is that illness's management, not a second chronic illness
        return kept
    return problems


def _own_sentence(st: Statement) -> str | None:
    """The sentence of an unnumbered item that holds the statement, where the item has more than one."""
    item = st.item_text.strip()
    sentences = re.split(r"(?<=[a-z0-9%)]\.)\s+", item)
    at = item.find(st.text)
    if len(sentences) < 2 or at < 0:
        return None
    offset = 0
    for sentence in sentences:
        found = item.find(sentence, offset)
        if found <= at < found + len(sentence):
            return sentence
        offset = found + len(sentence)
    return None


STABLE_CHRONIC = "stable chronic"  # the words of the problems element's reason for a stable chronic illness


def score_problems(problems: list[Problem]) -> ElementScore:
    reasons: list[str] = []
    level = 0
    chronic_stable = [p for p in problems if p.chronic and not p.progressing]
    if any(p.threat for p in problems):
        level = 3
        reasons.append("an illness that poses a threat to life or bodily function")
    if level < 3 and any(p.severe for p in problems):
        level = 3
        reasons.append("a chronic illness with severe exacerbation, progression or side effects of treatment")
    if level < 2 and any(p.chronic and p.progressing for p in problems):
        level = 2
        reasons.append("a chronic illness with exacerbation, progression or side effects of treatment")
    if level < 2 and len(chronic_stable) >= 2:
        level = 2
        reasons.append(f"{len(chronic_stable)} {STABLE_CHRONIC} illnesses")
    if level < 2 and any(p.uncertain for p in problems):
        level = 2
        reasons.append("an undiagnosed new problem with uncertain prognosis")
    if level < 2 and any(p.acute and p.systemic for p in problems):
        level = 2
        reasons.append("an acute illness with systemic symptoms")
    if level < 1 and (chronic_stable or any(p.acute or p.chronic for p in problems)):
        level = 1
        reasons.append(f"a {STABLE_CHRONIC} illness" if chronic_stable else "an acute, uncomplicated illness or injury")
    if not reasons:
        reasons.append("a minor or self-limited problem")
    return ElementScore("problems", LEVELS[level], tuple(reasons))


def score_data(
    note: ClinicalNote, interpreted: Sequence[tuple[int, int]] = (), pediatric: bool = False
) -> ElementScore:
    """AMA's data element. ``interpreted``: where the note tells the tests billed with their interpretation (an ECG,
    an X-ray read here), which the visit does not count again (AMA: a test reported separately)."""
    relevant = " ".join(note.body(s) for s in note.sections_of("assessment", "plan", "results", "procedure", "exam"))
    # (the tests named where the billed ones are told: a test with no name here, an ECG, takes none away)
    billed = _TESTS.owners_found(" ".join(note.text[start:end] for start, end in interpreted)) if interpreted else set()
    count = len(_TESTS.owners_found(relevant) - billed)
    reasons: list[str] = []
    cat1 = count
    if count:
        reasons.append(f"{count} unique test(s) ordered, reviewed or performed")
    if _EXTERNAL_NOTES.search(note.text):
        cat1 += 1
        reasons.append("review of external notes")
    historian = bool(_HISTORIAN.search(note.text)) or (pediatric and bool(_PARENT.search(note.text)))
    if historian:
        cat1 += 1
        reasons.append("assessment requiring an independent historian")
    discussion = bool(_DISCUSSION.search(note.text))
    if discussion:
        reasons.append("discussion of management with an external physician")
    categories = int(cat1 >= 3) + int(discussion)
    if categories >= 2:
        level = 3
    elif categories == 1:
        level = 2
    elif cat1 >= 2 or historian:
        level = 1
    else:
        level = 0
    if not reasons:
        reasons.append("minimal or no data reviewed")
    return ElementScore("data", LEVELS[level], tuple(reasons))


def _plan_of(note: ClinicalNote) -> str:
    return " ".join(note.body(s) for s in note.sections_of("assessment", "plan", "procedure"))


def escalated(note: ClinicalNote) -> bool:
    """Whether the plan sends the patient to a higher level of care (admission, the emergency department)."""
    return bool(_HOSPITAL.search(_plan_of(note)))


def score_risk(note: ClinicalNote) -> ElementScore:
    plan = _plan_of(note)
    if _HOSPITAL.search(plan):
        return ElementScore("risk", "high", ("decision regarding hospitalization or escalation of care",))
    if _INTENSIVE.search(plan) and _MONITORED.search(plan):
        return ElementScore("risk", "high", ("drug therapy requiring intensive monitoring for toxicity",))
    if _RX.search(plan) or _DRUG_WORD.search(plan):
        return ElementScore("risk", "moderate", ("prescription drug management",))
    if _OTC.search(plan):
        return ElementScore("risk", "low", ("over-the-counter drugs or low-risk management",))
    if plan.strip():
        # a plan of care that manages no prescription drug: AMA's low risk of morbidity from treatment
        return ElementScore("risk", "low", ("low risk of morbidity from the treatment planned",))
    return ElementScore("risk", "straightforward", ("minimal risk of treatment",))


def treatment_changed(note: ClinicalNote) -> bool:
    """Whether the plan starts, stops or changes a prescription drug (not only continues or refills one)."""
    plan = " ".join(note.body(s) for s in note.sections_of("assessment", "plan", "procedure"))
    return bool(_DRUG_CHANGED.search(plan))


def mdm_level(elements: tuple[ElementScore, ...]) -> int:
    ranks = sorted(LEVELS.index(e.level) for e in elements)
    return ranks[1]  # the level two of the three meet or exceed


def total_minutes(note: ClinicalNote) -> int | None:
    match = _TIME.search(note.text)
    return int(next(g for g in match.groups() if g)) if match else None


# CPT 99417: each full 15 minutes of total time beyond the highest level's own range (99205 from 75 minutes, 99215
# from 55); Medicare's G2212 counts from the range's end instead and is the payer's to ask for
_PROLONGED_FROM = {
    "99205": ("99417", 75),
    "99215": ("99417", 55),
    # CPT 99418 (2023): the hospital's and nursing facility's highest levels, each full 15 minutes past their time
    "99223": ("99418", 90),
    "99233": ("99418", 65),
    "99306": ("99418", 60),
    "99310": ("99418", 60),
}


def prolonged_service(em: EvaluationAndManagement) -> tuple[str, int] | None:
    """The prolonged service code (99417 in the office, 99418 in the hospital or nursing facility) and the units a
    visit leveled by time supports; None for none."""
    code, start = _PROLONGED_FROM.get(em.code or "", ("", 0))
    if em.method != "time" or not code or em.total_minutes is None or em.total_minutes < start:
        return None
    return code, 1 + (em.total_minutes - start) // 15


@dataclass(frozen=True, slots=True)
class EmFamily:
    """A family of E/M codes leveled by medical decision making (AMA CPT E/M guidelines, 2021 for the office visit,
    2023 for the others), or by the total time on the date of the encounter where its codes give times."""

    name: str
    codes: tuple[str, ...]  # by MDM level: straightforward, low, moderate, high
    minutes: tuple[int, ...]  # the time each code's level needs, by the same levels; () where time does not count
    by_mdm: str  # the guideline, where the level is the MDM's
    by_time: str = ""  # where it is the time's

    def level_for(self, minutes: int) -> int | None:
        """The highest MDM level whose code the time supports."""
        return next((lvl for lvl in range(3, -1, -1) if self.minutes and minutes >= self.minutes[lvl]), None)


G_FAMILY = "AMA CPT E/M guidelines (2023)"


def _family(name: str, codes: str, minutes: str = "") -> EmFamily:
    by = "by MDM or total time" if minutes else "by MDM; time is not a descriptor of them"
    guideline = f"{G_FAMILY}: {name}, {by}"
    return EmFamily(name, tuple(codes.split()), tuple(int(m) for m in minutes.split()), guideline, guideline)


OFFICE_NEW = EmFamily(
    "office visit, new patient", ("99202", "99203", "99204", "99205"), (15, 30, 45, 60), G_MDM, G_TIME
)
OFFICE_ESTABLISHED = EmFamily("office visit", ("99212", "99213", "99214", "99215"), (10, 20, 30, 40), G_MDM, G_TIME)
EMERGENCY = _family("emergency department visit", "99282 99283 99284 99285")
HOSPITAL_INITIAL = _family("initial hospital inpatient or observation care", "99221 99221 99222 99223", "40 40 55 75")
HOSPITAL_SUBSEQUENT = _family(
    "subsequent hospital inpatient or observation care", "99231 99231 99232 99233", "25 25 35 50"
)
NURSING_INITIAL = _family("initial nursing facility care", "99304 99304 99305 99306", "25 25 35 45")
NURSING_SUBSEQUENT = _family("subsequent nursing facility care", "99307 99308 99309 99310", "10 15 30 45")


def choose_em(
    note: ClinicalNote,
    ctx: EncounterContext,
    problems: list[Problem],
    interpreted: Sequence[tuple[int, int]] = (),
) -> EvaluationAndManagement:
    """The office or outpatient visit (99202-99215), new or established patient."""
    family = OFFICE_NEW if ctx.new_patient else OFFICE_ESTABLISHED
    return family_em(note, ctx, problems, interpreted, family)


@dataclass(frozen=True, slots=True)
class DischargeFamily:
    """Discharge day management: by its time alone, 30 minutes or less, or more."""

    name: str
    codes: tuple[str, str]  # 30 minutes or less, more than 30


HOSPITAL_DISCHARGE = DischargeFamily("hospital inpatient or observation discharge day management", ("99238", "99239"))
NURSING_DISCHARGE = DischargeFamily("nursing facility discharge management", ("99315", "99316"))
G_DISCHARGE = "AMA CPT E/M guidelines (2023): discharge day management by its total time (30 minutes or less, or more)"


def family_em(
    note: ClinicalNote,
    ctx: EncounterContext,
    problems: list[Problem],
    interpreted: Sequence[tuple[int, int]],
    family: EmFamily,
) -> EvaluationAndManagement:
    """The level of an E/M of ``family``: its MDM (two of three elements), or its total time where that is higher."""
    elements = (
        score_problems(problems),
        score_data(note, interpreted, pediatric=ctx.age < 12),
        score_risk(note),
    )
    mdm = mdm_level(elements)
    level = mdm
    reasoning = [f"MDM {LEVELS[mdm]}: " + "; ".join(f"{e.element} {e.level}" for e in elements)]
    method = "mdm"
    minutes = total_minutes(note) if family.minutes else None
    if minutes is not None:
        by_time = family.level_for(minutes)
        if by_time is not None:
            reasoning.append(f"total time {minutes} minutes supports {family.codes[by_time]}")
            if family.codes[by_time] != family.codes[level] and by_time > level:
                level, method = by_time, "time"
    reasoning.append(family.by_time if method == "time" else family.by_mdm)
    return EvaluationAndManagement(family.codes[level], method, LEVELS[mdm], elements, minutes, tuple(reasoning))


# critical care by its time: "Critical care time: 45 minutes, exclusive of procedures", "35 minutes of critical care"
_CRITICAL = re.compile(
    r"\bcritical care (?:time )?[^.\n\d]{0,30}?(\d{1,3})\s*min|\b(\d{1,3})\s*min\w*\s+(?:of\s+)?critical care\b",
    re.IGNORECASE,
)
G_CRITICAL = (
    "CPT critical care services (99291 for the first 30-74 minutes, 99292 for each further 30; Medicare counts 99292 "
    "from 104 minutes)"
)


def critical_care(note: ClinicalNote, em: EvaluationAndManagement) -> tuple[EvaluationAndManagement, int]:
    """99291 in place of the visit where the note gives 30 minutes or more of critical care, and the units of 99292
    (each further 30 minutes, or the greater part of them, past 74); the visit and none where it gives less."""
    said = _CRITICAL.search(note.text)
    minutes = int(next(g for g in said.groups() if g)) if said else 0
    if minutes < 30:
        return em, 0
    further = max(0, math.ceil((minutes - 74) / 30))
    why = f"critical care: {minutes} minutes documented" + (f", 99292 x{further}" if further else "")
    critical = EvaluationAndManagement("99291", "time", em.mdm_level, em.elements, minutes, (why, G_CRITICAL))
    return critical, further


def discharge_em(note: ClinicalNote, family: DischargeFamily) -> EvaluationAndManagement:
    """Discharge day management: more than 30 minutes documented is the longer code, else the shorter."""
    minutes = total_minutes(note) or _discharge_minutes(note)
    longer = minutes is not None and minutes > 30
    said = f"{minutes} minutes documented" if minutes is not None else "no time documented"
    why = f"{family.name}: {said} ({'more than 30 minutes' if longer else '30 minutes or less'})"
    return EvaluationAndManagement(family.codes[longer], "time", "", (), minutes, (why, G_DISCHARGE))


_DISCHARGE_MINUTES = re.compile(
    r"\b(?:more than|over|greater than|>)\s*(30)\s*min\w*[^.\n]{0,40}\bdischarge"
    r"|\bdischarge[^.\n]{0,60}?\b(\d{1,3})\s*min|\b(\d{1,3})\s*min\w*[^.\n\d]{0,40}?\bdischarge",
    re.IGNORECASE,
)


def _discharge_minutes(note: ClinicalNote) -> int | None:
    """The minutes a discharge summary gives its discharge ("Discharge time: 40 minutes", "more than 30 minutes
    spent on discharge")."""
    match = _DISCHARGE_MINUTES.search(note.text)
    if match is None:
        return None
    if match.group(1):
        return 31  # "more than 30 minutes"
    return int(match.group(2) or match.group(3))


# Transitional care management (CPT 99495, 99496): the face-to-face visit of the 30 days after a discharge, billed
# in place of an office E/M when the note documents the discharge, an interactive contact within 2 business days of
# it and the visit within 14 calendar days (moderate MDM or more: 99495) or 7 (high MDM: 99496).
G_TCM = "CPT transitional care management (99495, 99496): contact within 2 business days, visit within 14 or 7 days"
_TCM_SAID = re.compile(r"\btransitional care\b|\bTCM\b")
_DISCHARGED_AGO = re.compile(
    rf"\bdischarged?\b[^.\n]{{0,40}}?\b{COUNT_PATTERN} (?:calendar )?days? ago\b", re.IGNORECASE
)
_DISCHARGED_ON = re.compile(r"\bdischarged?\b[^.\n]{0,20}?\b(?:on )?(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b", re.I)
# an interactive contact after the discharge, and how soon: "Our nurse called her 2 days after discharge"
_CONTACT_WORDS = "called|contacted|phoned|spoke with|telephone contact|phone call|interactive contact"
_HOW_SOON = (
    rf"\b{COUNT_PATTERN} (?:business )?days? after (?:the )?discharge",
    r"\bwithin (?:2|two|1|one) business days?",
    r"\b(?:the )?(?:next )?day after (?:the )?discharge",
)
_CONTACTED = re.compile(rf"\b(?:{_CONTACT_WORDS})\b[^.\n]{{0,80}}?(?:{'|'.join(_HOW_SOON)})", re.IGNORECASE)


def _days_since_discharge(text: str, dos: dt.date) -> int | None:
    ago = _DISCHARGED_AGO.search(text)
    if ago is not None:
        return count_of(ago[1])
    on = _DISCHARGED_ON.search(text)
    if on is None:
        return None
    said = on[1]
    try:
        if "-" in said:
            day = dt.date.fromisoformat(said)
        else:
            month, mday, year = (int(part) for part in said.split("/"))
            day = dt.date(year, month, mday)
    except ValueError:
        return None
    return (dos - day).days


def transitional_care(
    note: ClinicalNote, ctx: EncounterContext, em: EvaluationAndManagement
) -> EvaluationAndManagement:
    """The TCM code in place of the office visit ``em`` where the note documents what TCM requires; otherwise
    ``em``, with the reason a TCM the note names could not be billed."""
    text = note.text
    if not _TCM_SAID.search(text) or em.method == "none":
        return em
    days = _days_since_discharge(text, ctx.date_of_service)
    contact = _CONTACTED.search(text)
    contact_days = None
    if contact is not None:
        counted = next((g for g in contact.groups() if g), None)
        contact_days = count_of(counted) if counted else 1
    level = LEVELS.index(em.mdm_level) if em.mdm_level in LEVELS else 0
    missing = []
    if days is None or days < 0:
        missing.append("the discharge date")
    if contact_days is None or contact_days > 2:
        missing.append("an interactive contact within 2 business days of discharge")
    if level < 2:
        missing.append("moderate or high medical decision making")
    if not missing and days is not None and days > 14:
        missing.append("a face-to-face visit within 14 days of discharge")
    if missing:
        why = f"transitional care is named, but the note does not document {', '.join(missing)}: an office visit"
        return EvaluationAndManagement(
            em.code, em.method, em.mdm_level, em.elements, em.total_minutes, (*em.reasoning, why)
        )
    assert days is not None and contact_days is not None
    code = "99496" if level == 3 and days <= 7 else "99495"
    why = (
        f"transitional care management: discharged {days} days before the visit, contacted {contact_days} "
        f"day(s) after discharge, MDM {em.mdm_level} ({code})"
    )
    return EvaluationAndManagement(code, "tcm", em.mdm_level, em.elements, em.total_minutes, (why, G_TCM))
