"""Words that say where, which side and how much rather than what: shared by the statement reader and
the Index path ranking."""

from __future__ import annotations

from openrcm.coding.patterns import literal_trie

# Laterality and position: where a condition is, which the Index takes only where the code does.
POSITION_WORDS = frozenset(
    {
        "left",
        "right",
        "bilateral",
        "unilateral",
        "upper",
        "lower",
        "middle",
        "anterior",
        "posterior",
        "proximal",
        "distal",
        "medial",
        "lateral",
        "superior",
        "inferior",
        "central",
        "peripheral",
        "basilar",
        "bibasilar",
        "perihilar",
        "segmental",
        "subsegmental",
        "sided",
    }
)
# Degree and grade: how much, which the Index takes only where the code does ("Asthma, mild intermittent");
# a fracture's displacement is an axis of its Tabular codes, not a kind of fracture ("nondisplaced fracture of
# the fibula" is no "Rolando's fracture, nondisplaced")
DEGREE_WORDS = frozenset(
    {"mild", "moderate", "severe", "minimal", "small", "large", "grade", "low", "high", "i", "ii", "iii", "iv", "v"}
    | {"displaced", "nondisplaced", "undisplaced"}
)
# Extent, side and degree: a doubt between two of them is no doubt about the condition they qualify
# ("partial or complete duplication" is a duplication either way)
EXTENT_WORDS = POSITION_WORDS | DEGREE_WORDS | {"partial", "complete", "incomplete", "focal", "diffuse", "early"}

# The words said with a condition word that say which of its kind it is ("a large hiatal hernia"): up to
# this many on either side, within this many characters. Shared by the case-report reader, which reads
# the word with them, and the convention that then sets the word's bare default code aside.
PHRASE_WORDS = 3
PHRASE_REACH = 80

# The endings of prescription drugs' generic names ("lisinopril", "atorvastatin", "metformin"): a word that ends so
# names a drug.
_RX_ENDINGS = (
    "pril sartan olol statin dipine formin gliptin gliflozin glutide azole cillin mycin floxacin cycline "
    "prazole tidine pam lam oxetine aline triptan sone olone semide thiazide xaban parin arin thyroxine "
    "insulin glargine lispro phenidate etine azepam zolam tropium terol lukast mab vir pezil mantine osin "
    "apine idone odone entin abalin opram afil steride etam trigine propion spirone lactone oquine onide "
    "alazine onidine dogrel grelor sorbide etanide oxicam aprine carbamol clofen amate setron pramide "
    "izide piride glitazone etimibe fibrate purinol adol toin chicine proxen"
)
RX_SUFFIXES = literal_trie(_RX_ENDINGS.split(), "")
# Prescription drugs whose names no ending above gives: common brands, and generics of their own shape
_RX_NAMED = (
    "bactrim septra keflex cephalexin cefdinir cefuroxime cefadroxil cefpodoxime omnicef augmentin "
    "zithromax z-pak zpak macrobid levaquin flagyl valtrex tamiflu diflucan mupirocin bactroban tessalon "
    "benzonatate flexeril norco percocet medrol zofran lasix synthroid eliquis xarelto plavix lipitor "
    "crestor zoloft lexapro prozac wellbutrin xanax ambien zolpidem neurontin lyrica mobic celebrex "
    "celecoxib diclofenac nexium ventolin proair flonase singulair epipen hydroxyzine promethazine "
    "amitriptyline nortriptyline venlafaxine carvedilol labetalol ozempic mounjaro tirzepatide jardiance "
    "farxiga januvia methotrexate diltiazem verapamil digoxin amiodarone oxybutynin estradiol tizanidine "
    "terbinafine clobetasol tretinoin permethrin ivermectin latanoprost adderall lithium polytrim "
    "polymyxin trimethoprim ketorolac cefixime ceftriaxone doxepin buprenorphine naltrexone varenicline "
    "chantix anastrozole letrozole exemestane tamoxifen arimidex femara aromasin"
)
RX_NAMES = literal_trie(_RX_NAMED.split(), "")
# a prescription drug's name, by its ending or as named
RX_DRUG = r"(?:\w+" + RX_SUFFIXES + "|" + RX_NAMES + ")"

# Counts as notes spell them ("Two injections", "discharged five days ago"), up to the two weeks a care period runs.
_NUMBER_NAMES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven"),
    *("eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen"),
)
NUMBER_WORDS = {word: n for n, word in enumerate(_NUMBER_NAMES)}
# a count in figures or words, as a regular expression's group
COUNT_PATTERN = r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + ")"


def count_of(said: str) -> int:
    """The number a count says, in figures or in words ("2", "two")."""
    number = NUMBER_WORDS.get(said.lower())
    return number if number is not None else int(said)
