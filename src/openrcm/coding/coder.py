"""The coder: the seven steps, from a note and its encounter context to a CodedEncounter."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from importlib import resources

from openrcm.codesets import CodeSets
from openrcm.codesets.icd10cm.index import STOPWORDS, words
from openrcm.codesets.icd10cm.release import Icd10cmRelease
from openrcm.codesets.mpfs import FeeScheduleRelease
from openrcm.codesets.ncci import PtpTable
from openrcm.coding.conventions import LAST, apply_conventions, replace_code, specificity_query
from openrcm.coding.diagnosis import G_COEXISTING, G_FIRST_LISTED, G_NO_INDEX_ENTRY, DiagnosisCoder, Proposal
from openrcm.coding.em import (
    ANNUAL_WELLNESS,
    EMERGENCY,
    HOSPITAL_DISCHARGE,
    HOSPITAL_INITIAL,
    HOSPITAL_SUBSEQUENT,
    IMMUNIZATION_ONLY,
    MEDICARE_WELLNESS,
    NURSING_DISCHARGE,
    NURSING_INITIAL,
    NURSING_SUBSEQUENT,
    STABLE_CHRONIC,
    DischargeFamily,
    EmFamily,
    Problem,
    choose_em,
    critical_care,
    discharge_em,
    escalated,
    family_em,
    is_preventive,
    medicare_wellness,
    preventive_code,
    problems_from,
    prolonged_service,
    score_risk,
    telehealth_modifier,
    transitional_care,
    treatment_changed,
)
from openrcm.coding.infusion import INTO_A_VEIN
from openrcm.coding.lexicon import load_lexicon
from openrcm.coding.lines import Line
from openrcm.coding.model import (
    Assertion,
    CodedDiagnosis,
    CodedEncounter,
    CodedProcedure,
    EncounterContext,
    EvaluationAndManagement,
    Evidence,
    NotCoded,
    PhysicianQuery,
    Setting,
)
from openrcm.coding.note import ClinicalNote, Mention, NoteReader
from openrcm.coding.patterns import expression
from openrcm.coding.procedures import DEPRESSION_INSTRUMENTS, ProcedureFinder
from openrcm.coding.statements import (
    Statement,
    extract_reasons,
    extract_statements,
    interpreted_uncertainly,
    mentioned,
    uncertain_qualifiers_joined,
    without_lead,
    without_marker,
)
from openrcm.coding.vocabulary import PHRASE_REACH, PHRASE_WORDS
from openrcm.core.issue import Issue, Location, Severity
from openrcm.core.memory import keep_for_process
from openrcm.core.text import common_prefix_length

MAX_NOTE_CHARS = 1_000_000
WARM_UP_NOTES = ("demo_note.txt", "demo_note_knee.txt")  # ours, shipped with the package
NARRATIVE_EXCLUDED = ("Z00", "Z01", "Z02", "Z03", "Z04", "Z08", "Z09", "Z91.1", "Z53", "Z33", "Z23")
HISTORY_CODES = ("Z80", "Z81", "Z82", "Z83", "Z84", "Z85", "Z86", "Z87")
# a drug, a cardiac implant, an endocrine device (insulin pump), an acquired absence (a status, I.C.21.c.3)
THERAPY_STATUS = ("Z79", "Z95", "Z96.4", "Z89", "Z90")
# tests whose interpretation the provider bills with the test: not counted again as MDM data
INTERPRETED_HERE = (
    *("93000", "93010", "73562", "73610", "73630", "73110", "73130", "87210", "94010", "94060", "51798"),
    *("71045", "71046", "73030", "73560", "73600", "73620", "73100", "73120"),
)
VACCINE_ADMINISTRATION = ("90460", "90471", "90473")  # the first vaccine's administration, by any route
PAYMENT_MODIFIERS = ("25", "57", "50", "51", "59", "XE", "XS", "XP", "XU", "76", "77", "91", "26", "TC")
# English function words, and the headings and words of telegraphic English reports ("Impression: Normal chest.")
# an indication that names a completed treatment: a past procedure, or a follow-up after one
_COMPLETED_TREATMENT = expression(
    r"\b(?:status post|s/p|post[- ]?op\w*)\b[^.;\n]*|follow[- ]?up\w*\s+(?:\w+\s+){0,3}?(?:for|after|of)\s+"
    r"(?:\w+\s+){0,3}?(?:\w+(?:ectomy|plasty|ostomy|otomy|pexy)|reimplant\w*|repair|reconstruction|surgery|"
    r"placement|procedure|transplant\w*)\b"
)
_ENGLISH = expression(
    r"\b(?:the|and|with|of|to|in|for|on|is|was|patient|pt|no|history|impression|findings|indication|assessment|"
    r"plan|right|left|see|pain|cough|fever|views?)\b"
)


def _finding(code: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(code, severity, message, Location(), "coder", "")


# Endings of adjectives: a title's variant "diabetic" or "failed" qualifies another condition as often
# as it names its own
_ADJECTIVE_END = re.compile(r"(?:ic|ical|ed|al|ous|ive|ar|ary|ant|ent|ory|ile|oid|ing|ac)$")


def _noun_variants(title: str, head: str) -> list[str]:
    """The other noun forms a main term's title gives its condition ("Tight, tightness", "Weak,
    weakness"): the note may use any of them. A folded subterm ("Grayness, hair") is no variant: a
    variant shares its head's stem."""
    out = []
    for part in title.split("(", maxsplit=1)[0].split(",")[1:]:
        form = part.strip()
        if " " in form or len(form) < 5 or _ADJECTIVE_END.search(form.lower()):
            continue
        if common_prefix_length(form.lower(), head.lower()) >= max(4, len(head) - 3):
            out.append(form)
    return out


def _part(note: ClinicalNote, mention: Mention, start: int, end: int, item: int, sentence: str, at: int) -> Statement:
    """A statement of part of a case report's clause: a condition word, alone or with the words said with it."""
    return Statement(
        note.text[start:end],
        start,
        end,
        mention.section,
        item,
        sentence.strip(),
        at,
        mention.assertion,
        None,
        part=True,
    )


def _empty(ctx: EncounterContext, findings: list[Issue], release: str = "") -> CodedEncounter:
    em = EvaluationAndManagement(None, "none", "", (), None, ())
    return CodedEncounter(ctx, (), (), em, (), (), tuple(findings), release)


class Coder:
    """Holds what is expensive to build (code sets, the NLP pipeline) and codes one note at a time."""

    def __init__(self, code_sets: CodeSets) -> None:
        self.code_sets = code_sets
        self.lexicon = load_lexicon()
        self._readers: dict[str, NoteReader] = {}
        self._dx_coders: dict[str, DiagnosisCoder] = {}
        self.procedures = ProcedureFinder()

    def _reader(self, release: Icd10cmRelease) -> NoteReader:
        key = release.info.name
        if key not in self._readers:
            terms: set[str] = set()
            if release.index is not None:
                for term in release.index.main_terms():
                    if (term.see or "").lower().startswith("condition") and not term.code and not term.children:
                        continue  # "Renal - see condition": a word that qualifies a condition, not one
                    head = term.title.split(",")[0].split("(")[0].strip()
                    terms.add(head)
                    terms.update(_noun_variants(term.title, head))
            # shorthand for a condition is a condition word too ("UTI."): shorthand the Index codes spelled
            # out, and that cannot be an English word
            coder = self._diagnosis_coder(release)
            terms.update(
                short
                for short, spelled in self.lexicon.abbreviations.items()
                if len(short) >= 3 and short.isalnum() and coder.lookup(spelled) is not None
            )
            terms.update(v.split()[-1] for v in self.lexicon.abbreviations.values())
            # a lay phrase for a condition ("sore throat") and an inflected condition word ("coughing"),
            # not a plain word the lexicon also maps ("sugar" is often blood sugar)
            terms.update(
                phrase
                for phrase, spelled in self.lexicon.phrases.items()
                if (" " in phrase or phrase.startswith(spelled)) and coder.lookup(spelled) is not None
            )
            self._readers[key] = NoteReader(
                terms, self.lexicon.descriptors, self.lexicon.persons, self.lexicon.uncertainty
            )
        return self._readers[key]

    def _diagnosis_coder(self, release: Icd10cmRelease) -> DiagnosisCoder:
        key = release.info.name
        if key not in self._dx_coders:
            self._dx_coders[key] = DiagnosisCoder(release, self.lexicon)
        return self._dx_coders[key]

    def warm_up(self) -> None:
        """Load every table, build the NLP pipeline and compile the expressions, so that timing measures coding.

        The sample notes we ship are coded once, which compiles every pattern the coder uses on first
        sight; the Index walks they cached are then forgotten, so the next notes walk the Index afresh.
        """
        for release in self.code_sets.icd10cm.releases:
            self._reader(release)
            self._diagnosis_coder(release).prepare()
        _ = self.code_sets.hcpcs, self.code_sets.cpt, self.code_sets.ncci, self.code_sets.mpfs
        self.procedures.prepare()
        samples = resources.files("openrcm.data")
        for release in self.code_sets.icd10cm.releases:
            ctx = EncounterContext(Setting.OUTPATIENT, release.info.effective, 57, "F")
            for name in WARM_UP_NOTES:
                self.code(samples.joinpath(name).read_text("utf-8"), ctx)
            self._diagnosis_coder(release).forget_walks()
        keep_for_process()

    def check_input(self, text: str) -> list[Issue]:
        if "\x00" in text:
            return [_finding("NOTE_BINARY", "The note looks like a binary file (it holds NUL bytes), not text.")]
        if len(text) > MAX_NOTE_CHARS:
            return [
                _finding(
                    "NOTE_TOO_LARGE",
                    f"The note is {len(text):,} characters; notes over {MAX_NOTE_CHARS:,} are not coded "
                    "(is it several notes, or an attachment?).",
                )
            ]
        if not text.strip():
            return [_finding("NOTE_EMPTY", "The note is empty: there is nothing to code.")]
        foreign = False
        if not text.isascii():
            letters = sum(ch.isalpha() for ch in text)
            ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in text)
            foreign = bool(letters) and ascii_letters / letters < 0.8
        needed = max(1, len(text) // 400)  # English words; counting stops when there are enough
        if foreign or (len(text) >= 120 and sum(1 for _ in itertools.islice(_ENGLISH.finditer(text), needed)) < needed):
            return [
                _finding(
                    "NOTE_NOT_ENGLISH",
                    "The note does not look like English clinical text; the coder reads English notes only.",
                )
            ]
        return []

    def code(self, text: str, ctx: EncounterContext) -> CodedEncounter:
        problems = self.check_input(text)
        if problems:
            return _empty(ctx, problems)
        found = self.code_sets.icd10cm.for_date(ctx.date_of_service)
        if isinstance(found, Issue):
            return _empty(ctx, [found])
        release = found
        findings: list[Issue] = [
            _finding("CODESET_REMARK", remark, Severity.INFO) for remark in release.info.remarks[:1]
        ]
        note = self._reader(release).read(text)
        statements = extract_statements(note, self.lexicon.uncertainty)
        if ctx.setting == Setting.INPATIENT:
            statements = uncertain_qualifiers_joined(note, statements)
        report = bool(note.sections_of("indication"))  # a diagnostic test's report: the reason, then the result
        # a case report has no assessment; a visit whose assessment lists only plan labels ("Influenza vaccine
        # given") has nothing to code from its history as if it were one
        narrative = not statements and not report and not note.sections_of("assessment")
        if narrative:
            statements = self._narrative_statements(note)
        coder = self._diagnosis_coder(release)
        if report:
            first = max((s.item for s in statements), default=0)
            statements += extract_reasons(note, self.lexicon.uncertainty, first, coder.has_personal_history)
        result = coder.code_statements(statements, note, ctx)
        queries = list(result.queries)
        not_coded = list(result.not_coded)
        proposals = result.proposals
        items_coded = {p.statement.item for p in proposals if p.statement is not None}
        # a problem set aside as uncertain that left nothing coded ("meniscus tear, suspected")
        undecided = [
            s.item
            for s in statements
            if s.assertion == Assertion.UNCERTAIN and s.item not in items_coded and s.section == "assessment"
        ]
        if undecided and ctx.setting == Setting.OUTPATIENT:
            # Guidelines IV.H: coded to the highest certainty for the encounter, the reason for the visit its chief
            # complaint gives ("knee pain"), in the uncertain problem's place
            first = max((s.item for s in statements), default=0)
            complaint = extract_reasons(
                note, self.lexicon.uncertainty, first, coder.has_personal_history, section_name="chief_complaint"
            )
            more = coder.code_statements(complaint, note, ctx) if complaint else None
            for p in more.proposals if more is not None else ():
                p.notes_applied.append("Guidelines IV.H: the diagnosis is uncertain; the chief complaint is coded")
                p.order = (float(min(undecided)), -1.0, *p.order)
                proposals.append(p)
            if more is not None:
                queries += more.queries
                not_coded += more.not_coded
        if report:
            proposals = _reason_for_test(proposals, not_coded, self.lexicon.uncertainty)
            _examined_system_first(proposals, result.system)
        props = apply_conventions(coder, proposals, note, ctx, self.lexicon, not_coded, queries, course=narrative)
        if report and not props:
            props = self._follow_up_after_treatment(coder, note)
        if narrative:
            # a case report describes a course of illness, not an encounter: no reason-for-encounter Z codes
            props = [p for p in props if not p.code.startswith(NARRATIVE_EXCLUDED)]
        preventive = is_preventive(note)
        if preventive:
            props = self._preventive_first(coder, props, ctx)
        lines = self.procedures.find(note, ctx, findings)
        if any(line.code in VACCINE_ADMINISTRATION for line in lines):
            entry = coder.entry("Z23")
            if entry and not any(p.code == "Z23" for p in props):
                props.append(
                    Proposal(
                        "Z23",
                        entry.title,
                        None,
                        (),
                        "ICD-10-CM Guidelines I.C.21.c.2: Z23 for an encounter for immunization",
                        "Z23 follows the other codes",
                        0.95,
                        (LAST + 5, 0.0),
                        [],
                        [next(ln for ln in lines if ln.code in VACCINE_ADMINISTRATION).evidence[0]],
                    )
                )
        props.sort(key=lambda p: p.order)
        # personal and family history codes tell the background: never listed before the conditions the
        # encounter is for (Guidelines I.C.21.c.4, c.16: history codes are additional codes); nor is a
        # long-term drug therapy or a device's presence listed before a condition (I.C.21.c.3: status codes are
        # informative, Z79 secondary). Among themselves they keep the order told ("Personal history of breast
        # cancer. Long-term use of aromatase inhibitor": Z85.3, then Z79.811)
        several = len(props) > 1  # (not read inside the key: a list being sorted is empty meanwhile)
        props.sort(key=lambda p: several and p.code.startswith(HISTORY_CODES + THERAPY_STATUS))
        # external causes after every other code (Guidelines I.C.20: never first-listed)
        props.sort(key=lambda p: several and p.code.startswith(_EXTERNAL))
        queries.extend(self._type_queries(props, note, queries))
        diagnoses = self._diagnoses(props, ctx.setting)
        coded_items: dict[int, list[str]] = {}
        coded_at: dict[int, list[str]] = {}  # each statement's codes, by its start
        for p in props:
            if p.statement is not None:
                coded_items.setdefault(p.statement.item, []).append(p.code)
                coded_at.setdefault(p.statement.start, []).append(p.code)
        if report:
            em = EvaluationAndManagement(
                None,
                "none",
                "",
                (),
                None,
                ("a diagnostic test's report (indication and result), not a visit: no E/M service is documented",),
            )
        elif (family := _other_em_family(note, ctx, narrative)) is not None:
            if isinstance(family, str):
                em = EvaluationAndManagement(None, "none", "", (), None, (family,))
            elif isinstance(family, DischargeFamily):
                em = discharge_em(note, family)
            else:
                surgical = any(_is_minor_procedure(ln.code) for ln in lines)
                addressed = self._problems(statements, coded_items, coded_at, surgical, escalated(note))
                interpreted = [(e.start, e.end) for ln in lines if ln.code in INTERPRETED_HERE for e in ln.evidence]
                em = family_em(note, ctx, addressed, interpreted, family)
        elif _routine_antepartum(coded_items):
            em = EvaluationAndManagement(None, "none", "", (), None, (G_ANTEPARTUM,))
        else:
            treated = self._treated_by_minor_procedures(lines, diagnoses, props)
            em = self._em(note, ctx, statements, (coded_items, coded_at), lines, preventive, treated)
        if em.code in MEDICARE_WELLNESS:
            # the wellness visit reviews the risk factors for depression itself: a PHQ-2 in it is no 96127; at the
            # subsequent AWV, which does not, a depression screen by a standardized tool is Medicare's annual
            # depression screening, G0444 (NCD 210.9; NCCI bundles it into the IPPE and the initial AWV)
            screened = next(
                (
                    ln
                    for ln in lines
                    if ln.code == "96127" and _DEPRESSION_TOOL.search(" ".join(e.text for e in ln.evidence))
                ),
                None,
            )
            lines = [ln for ln in lines if ln.code != "96127"]
            if em.code == "G0439" and screened is not None:
                why = "annual depression screening by a standardized tool, with the subsequent AWV (NCD 210.9)"
                lines.append(replace(screened, code="G0444", units=1, reason=why))
        if em.code == "G0402":
            # the screening ECG of the "Welcome to Medicare" visit is Medicare's own: tracing and interpretation
            # G0403, tracing G0404, interpretation G0405 (in place of 93000, 93005, 93010)
            lines = [
                replace(ln, code=_IPPE_ECG[ln.code], reason=f"{ln.reason}; the IPPE's screening ECG")
                if ln.code in _IPPE_ECG
                else ln
                for ln in lines
            ]
        em, further_critical = critical_care(note, em) if em.code else (em, 0)
        if further_critical:
            why = "critical care, each further 30 minutes past the first 74 (CPT 99292)"
            lines = [*lines, Line("99292", [], further_critical, [], why)]
        prolonged = prolonged_service(em)
        if prolonged is not None:
            # "I spent 75 minutes on the date of the encounter" at a new patient's 99205: 99417 x1
            code, units = prolonged
            why = f"prolonged service: {em.total_minutes} minutes, each full 15 beyond {em.code}'s range (CPT {code})"
            lines = [*lines, Line(code, [], units, [], why)]
        if preventive and em.code:
            visit = self._em(note, ctx, statements, (coded_items, coded_at), lines, False)
            problem_visit = _problem_visit(visit, coded_items, treatment_changed(note))
            if problem_visit is not None:
                lines = [problem_visit, *lines]
        procedures = self._procedure_lines(note, em, lines, ctx, diagnoses, props, findings)
        if not diagnoses:
            findings.append(
                _finding("NOTHING_CODED", "No codable diagnosis was found in the note's assessment.", Severity.WARNING)
            )
        return CodedEncounter(
            ctx,
            tuple(diagnoses),
            tuple(procedures),
            em,
            tuple(queries),
            _not_coded_once(not_coded, diagnoses),
            tuple(findings),
            release.info.name,
        )

    # ------------------------------------------------------------------------------------------

    def _narrative_statements(self, note: ClinicalNote) -> list[Statement]:
        """A note without an assessment section (a case report): each clause around a condition word."""
        out: list[Statement] = []
        for n, (start, end) in enumerate(note.sentences, start=1):
            sentence = note.text[start:end]
            for clause in re.finditer(r"[^,;:()]+", sentence):
                text = without_lead(clause.group(0).strip())
                c_start = start + clause.start() + clause.group(0).rfind(text)
                # the words introducing the patient name no condition, but for the adjectives said of the
                # patient ("A 67-year-old hypertensive patient presented with ...")
                for mention in note.mentions_in(start + clause.start(), c_start):
                    if note.text[mention.start : mention.end].lower() in self.lexicon.descriptors:
                        out.append(_part(note, mention, mention.start, mention.end, n, sentence, start))
                if len(text) < 4:
                    continue
                whole = mentioned(
                    note, c_start, c_start + len(text), note.section_at(c_start), n, sentence.strip(), start
                )
                if whole is None:
                    continue
                out.append(whole)
                mentions = note.mentions_in(c_start, c_start + len(text))
                for mention in mentions:
                    # the condition word with the words said with it ("suggestive of liver abscesses"), and
                    # alone, for what the clause as a whole misses
                    lead = _PHRASE_LEAD.search(note.text, max(c_start, mention.start - PHRASE_REACH), mention.start)
                    tail = _PHRASE_TAIL.match(note.text, mention.end, c_start + len(text))
                    p_start = lead.start() if lead else mention.start
                    p_end = tail.end() if tail else mention.end
                    spans = {(mention.start, mention.end), (p_start, p_end)} - {(c_start, c_start + len(text))}
                    out.extend(
                        _part(note, mention, s_start, s_end, n, sentence, start) for s_start, s_end in sorted(spans)
                    )
        return out

    def _follow_up_after_treatment(self, coder: DiagnosisCoder, note: ClinicalNote) -> list[Proposal]:
        """A study whose indication is a completed treatment ("Status post left ureteral reimplantation",
        "Followup for ureteral reimplantation") and that finds nothing to code is a follow-up examination
        after completed treatment: Z09 (Guidelines I.C.21.c.8)."""
        entry = coder.entry("Z09")
        for section in note.sections_of("indication"):
            found = _COMPLETED_TREATMENT.search(note.body(section))
            if found is None or entry is None:
                continue
            start, end = section.start + found.start(), section.start + found.end()
            evidence = Evidence(start, end, note.text[start:end], "indication")
            return [
                Proposal(
                    "Z09",
                    entry.title,
                    None,
                    ("Examination", "follow-up", "surgery NEC"),
                    "ICD-10-CM Guidelines I.C.21.c.8: follow-up examination after completed treatment",
                    G_FIRST_LISTED,
                    0.8,
                    (0.0,),
                    [],
                    [evidence],
                )
            ]
        return []

    def _preventive_first(self, coder: DiagnosisCoder, props: list[Proposal], ctx: EncounterContext) -> list[Proposal]:
        others = [p for p in props if not p.code.startswith("Z00")]
        # abnormal findings coded, or said by the physician ("annual physical exam with abnormal findings")
        said = {p.code for p in props if p.code in ("Z00.01", "Z00.121")}
        # the physician's "without abnormal findings" stands: a chronic condition managed beside the examination
        # is not then a finding of it
        normal = any(
            p.code in ("Z00.00", "Z00.129") and p.statement is not None and _WITHOUT_FINDINGS.search(p.statement.text)
            for p in props
        )
        abnormal = bool(said) or (not normal and any(not p.code.startswith("Z") for p in others))
        code = ("Z00.01" if abnormal else "Z00.00") if ctx.age >= 18 else "Z00.121" if abnormal else "Z00.129"
        gyn = next((p for p in others if p.code.startswith("Z01.41")), None)
        if gyn is not None:
            # a well-woman visit's routine gynecological examination is the encounter's own exam code (Z01.41-,
            # not Z00.0- beside it), with abnormal findings where a condition was found (I.C.21.c.13)
            found = "Z01.411" if abnormal else "Z01.419"
            if found != gyn.code:
                what = "a condition found" if abnormal else "no condition found"
                replace_code(coder, gyn, found, gyn.reason, f"the examination's findings: {what}")
            gyn.order, gyn.sequence_reason = (-1.0,), G_FIRST_LISTED
            return [gyn, *(p for p in others if p is not gyn)]
        entry = coder.entry(code)
        if entry is None:
            return props
        first = Proposal(
            code,
            entry.title,
            None,
            (),
            "ICD-10-CM Guidelines I.C.21.c.13: routine examination "
            + ("with" if abnormal else "without")
            + " abnormal findings",
            G_FIRST_LISTED,
            0.9,
            (-1.0,),
            [],
            [],
        )
        return [first, *others]

    def _type_queries(
        self, props: list[Proposal], note: ClinicalNote, queries: list[PhysicianQuery]
    ) -> list[PhysicianQuery]:
        """The queries the proposals' codes ask, beside ``queries`` (those already drafted)."""
        out: list[PhysicianQuery] = []
        for p in props:
            if p.code.startswith("E11") and p.statement is not None:
                said = self.lexicon.expand(p.statement.text + " " + p.statement.item_text).lower()
                if "diabetes" in said and not re.search(r"type [12i]|type ii|gestational|secondary|due to|drug", said):
                    out.append(
                        PhysicianQuery(
                            "diabetes type",
                            "Please clarify the type of diabetes mellitus (for example type 1, type 2, other specified "
                            "type, or unable to determine).",
                            tuple(p.evidence),
                            (p.code,),
                        )
                    )
                    break
        # an unspecified code whose axis the provider can often document (CKD stage, heart failure type, depression
        # severity...): coded as documented, and asked once per topic
        asked = {q.topic for q in queries}
        for p in props:
            query = specificity_query(p.code, tuple(p.evidence))
            if query is not None and query.topic not in asked:
                asked.add(query.topic)
                out.append(query)
        # an injury's episode of care taken as active treatment (the 7th character A) at a visit the note calls a
        # follow-up, where nothing says which: the provider knows whether treatment is still active
        reason = " ".join(note.body(s) for s in note.sections_of("chief_complaint", "hpi"))
        if _FOLLOW_UP.search(reason) and not _EPISODE_SAID.search(note.text):
            for p in props:
                # (an injury, a burn or frostbite: S00-T34; not a drug's effect, whose "A" is its own treatment)
                if (p.code[:1] == "S" or "T00" <= p.code[:3] <= "T34") and len(p.code) == 8 and p.code.endswith("A"):
                    out.append(PhysicianQuery("episode of care", _EPISODE_QUESTION, tuple(p.evidence), (p.code,)))
                    break
        # "uncontrolled diabetes": the Index reads "uncontrolled" as hyperglycemia or as hypoglycemia, never alone
        # ("Diabetes, uncontrolled, meaning hyperglycemia - see ..."): coded as documented, and asked
        for p in props:
            told = p.statement.item_text if p.statement is not None else ""
            if (
                p.code[:3] in ("E08", "E09", "E10", "E11", "E13")
                and _UNCONTROLLED.search(told)
                and not _GLYCEMIA_SAID.search(told)
            ):
                question = (
                    "The record describes the diabetes as uncontrolled. Please clarify whether this refers to "
                    "hyperglycemia, hypoglycemia, or another clinical finding, or if unable to determine."
                )
                out.append(PhysicianQuery("uncontrolled diabetes", question, tuple(p.evidence), (p.code,)))
                break
        return out

    def _diagnoses(self, props: list[Proposal], setting: Setting) -> list[CodedDiagnosis]:
        # an admission's first code is its principal diagnosis and the others its secondary ones (Sections II and
        # III); Section IV's first-listed and coexisting conditions are the outpatient's
        said = _INPATIENT_REASONS if setting == Setting.INPATIENT else {}
        out: list[CodedDiagnosis] = []
        for n, p in enumerate(props):
            place = (G_TEST_REASON if _from_indication(p) else G_FIRST_LISTED) if n == 0 else _placed(p)
            out.append(
                CodedDiagnosis(
                    p.code,
                    p.title,
                    tuple(p.evidence),
                    p.path,
                    tuple(p.notes_applied),
                    p.statement.assertion if p.statement else Assertion.PRESENT,
                    round(p.confidence, 2),
                    said.get(p.reason, p.reason),
                    said.get(place, place),
                )
            )
        return out

    def _problems(
        self,
        statements: list[Statement],
        by_item: dict[int, list[str]],
        by_statement: dict[int, list[str]],
        surgical: bool,
        escalated: bool = False,
    ) -> list[Problem]:
        """The problems the encounter addressed, for the MDM's first element (``surgical``: a minor procedure was
        done, whose decision is part of it; ``escalated``: the plan sends the patient to a higher level of care)."""
        return problems_from(
            statements, by_item, self.lexicon, procedures_done=surgical, coded_at=by_statement, escalated=escalated
        )

    def _em(
        self,
        note: ClinicalNote,
        ctx: EncounterContext,
        statements: list[Statement],
        coded: tuple[dict[int, list[str]], dict[int, list[str]]],
        lines: list[Line],
        preventive: bool,
        treated: frozenset[str] = frozenset(),
    ) -> EvaluationAndManagement:
        """The visit's E/M; ``coded`` holds each assessment item's codes and each statement's (by its start),
        ``treated`` the codes the minor procedures done are for."""
        if preventive:
            medicare = medicare_wellness(note)
            if medicare is not None:
                why = f"{medicare[1]}, as the note names it (HCPCS {medicare[0]}, in place of 99381-99397)"
                return EvaluationAndManagement(medicare[0], "preventive", "", (), None, (why,))
            code = preventive_code(ctx)
            return EvaluationAndManagement(
                code,
                "preventive",
                "",
                (),
                None,
                (f"preventive medicine visit, {'new' if ctx.new_patient else 'established'} patient aged {ctx.age}",),
            )
        # (a major procedure's, a 90-day global period, is not: the visit that decides on it is billed with 57)
        fees, _ = self.code_sets.mpfs.for_date(ctx.date_of_service)
        surgical = any(
            _is_minor_procedure(ln.code)
            and (fees is None or (rvu := fees.get(ln.code)) is None or rvu.global_days != "090")
            for ln in lines
        )
        sent = escalated(note)
        planned_apart = bool(note.sections_of("plan"))
        problems = self._problems(statements, *coded, surgical, sent)
        risk = score_risk(note)
        if surgical and (
            not problems
            or (
                risk.level not in {"moderate", "high"}
                and (
                    len(problems) <= 1
                    or not self._problems(*_untreated(statements, coded, treated, planned_apart), surgical, sent)
                )
            )
        ):
            # (NCCI Policy Manual ch. XI: an E/M for the problem the minor procedure treats is included in it,
            # whatever its risk; "I&D, doxycycline for 7 days" manages the abscess the I&D drained; and so are
            # the problems of several procedures, each decided and done: actinic keratoses frozen, skin tags
            # removed)
            why = "the visit was for the procedure; the decision to perform a minor procedure is included in it"
            return EvaluationAndManagement(None, "none", "", (risk,), None, (why,))
        if problems and _administration_visit(note, lines, [st.item_text for st in statements]):
            # "Reason for visit: Flu shot and B12 injection", no examination: the injections are the visit, and the
            # problem they treat is managed by them (CPT: an E/M beside 96372 or a vaccine's administration must
            # be significant and separately identifiable; NCCI bundles 99211 into 96372)
            why = "the visit was for the injections or infusions it names; no separately identifiable E/M is documented"
            return EvaluationAndManagement(None, "none", "", (risk,), None, (why,))
        if not problems and any(ln.code in VACCINE_ADMINISTRATION for ln in lines):
            # "Tdap given", nothing else addressed: the administration codes are the visit (CPT: an E/M
            # beside them must be significant and separately identifiable)
            why = "the visit was for the vaccine: no problem was addressed, so no separate E/M is reported"
            return EvaluationAndManagement(None, "none", "", (risk,), None, (why,))
        if not ctx.new_patient and _nurse_visit(note):
            # "Nurse visit: blood pressure check": clinical staff's visit of an established patient, under the
            # physician's supervision, is 99211 (CPT: MDM and time do not apply to it)
            why = "a nurse visit of an established patient: clinical staff's E/M (99211), not the physician's MDM"
            return EvaluationAndManagement("99211", "nurse", "", (score_risk(note),), None, (why,))
        # a test whose interpretation this provider bills is not counted again as MDM data
        interpreted = [(e.start, e.end) for ln in lines if ln.code in INTERPRETED_HERE for e in ln.evidence]
        return transitional_care(note, ctx, choose_em(note, ctx, problems, interpreted))

    def _treated_by_minor_procedures(
        self, lines: list[Line], diagnoses: list[CodedDiagnosis], props: list[Proposal]
    ) -> frozenset[str]:
        """The diagnoses the minor procedures done point to."""
        said: dict[str, set[str]] = {}
        return frozenset(
            diagnoses[n - 1].code
            for line in lines
            if _is_minor_procedure(line.code)
            for n in self._pointers(line, diagnoses, props, False, said)
        )

    def _procedure_lines(
        self,
        note: ClinicalNote,
        em: EvaluationAndManagement,
        lines: list[Line],
        ctx: EncounterContext,
        diagnoses: list[CodedDiagnosis],
        props: list[Proposal],
        findings: list[Issue],
    ) -> list[CodedProcedure]:
        ptp, stale = self.code_sets.ncci.ptp_for(ctx.date_of_service)
        findings.extend(stale)
        fees, _ = self.code_sets.mpfs.for_date(ctx.date_of_service)
        if ctx.place_of_service in FACILITY_POS:
            lines = _professional_part(lines, fees, findings)
        all_lines = list(lines)
        em_line = None
        if em.code:
            em_line = Line(em.code, [], 1, [], "; ".join(em.reasoning))
            all_lines.insert(0, em_line)
        major = next(
            (
                ln
                for ln in lines
                if fees is not None and (rvu := fees.get(ln.code)) is not None and rvu.global_days == "090"
            ),
            None,
        )
        if ptp is not None:
            self._ncci_modifiers(ptp, all_lines, em_line, ctx)
        remote = (
            telehealth_modifier(note, ctx.place_of_service)
            if em_line is not None and em_line.code.startswith("992")
            else None
        )
        if em_line is not None and remote is not None:
            em_line.modifiers.append(remote)
            how = "synchronous audio-video" if remote == "95" else "audio-only"
            em_line.reason += f"; modifier {remote}: the visit was held by {how} telecommunication"
        if em_line is not None and em_line.code in ANNUAL_WELLNESS:
            for line in all_lines:
                if line.code == "99497" and "33" not in line.modifiers:
                    # advance care planning furnished with the AWV: a preventive service (modifier 33, no cost
                    # sharing)
                    line.modifiers.append("33")
                    line.reason += "; modifier 33: furnished with the annual wellness visit"
        counseled = next((line.code for line in lines if line.code in _COUNSELING_BESIDE_EM), None)
        if em_line is not None and counseled is not None and "25" not in em_line.modifiers and _is_em(em_line.code):
            # CMS: a visit beside tobacco cessation or preventive counseling is significant and separately
            # identifiable, with modifier 25 (the counseling is not part of it)
            em_line.modifiers.append("25")
            em_line.reason += f"; modifier 25: separately identifiable from the counseling billed as {counseled}"
        if em_line is not None and major is not None and _is_em(em_line.code):
            # the visit that decided on a procedure with a 90-day global period ("closed treatment of the fracture"):
            # modifier 57, decision for surgery (else the visit is part of the package)
            em_line.modifiers = [m for m in em_line.modifiers if m != "25"] + ["57"]
            kept = [part for part in em_line.reason.split("; ") if not part.startswith("modifier 25")]
            em_line.reason = "; ".join(
                [*kept, f"modifier 57: the decision for {major.code}, a procedure with a 90-day global period"]
            )
        if em_line is not None and fees is not None and "25" not in em_line.modifiers and major is None:
            for line in all_lines:
                rvu = fees.get(line.code)
                if line is not em_line and rvu is not None and rvu.minor_procedure:
                    em_line.modifiers.append("25")
                    em_line.reason += (
                        f"; modifier 25: E/M on the day of {line.code}, a procedure with a "
                        f"{rvu.global_days}-day global period (MPFS)"
                    )
                    break
        out: list[CodedProcedure] = []
        said: dict[str, set[str]] = {}  # each problem's words, read once for all the lines
        pointed = {line.code: self._pointers(line, diagnoses, props, False, said) for line in lines}
        # a minor procedure's own problem is its line's, not the separately identifiable E/M's (modifier 25):
        # "impacted cerumen - removed" is 69210's, the sinusitis the visit's
        minor = {n for line in lines if _is_minor_procedure(line.code) for n in pointed[line.code]}
        for line in all_lines:
            mods = sorted(
                dict.fromkeys(line.modifiers),
                key=lambda m: PAYMENT_MODIFIERS.index(m) if m in PAYMENT_MODIFIERS else 99,
            )
            if line is em_line:
                pointers = self._pointers(line, diagnoses, props, True, said)
                if "25" in mods and set(pointers) - minor and line.code in _OFFICE_EM:
                    # (an office visit's; critical care and a hospital visit stay with the problem the procedure
                    # treats: the respiratory failure the intubation is for is what the critical care was)
                    pointers = tuple(n for n in pointers if n not in minor)
            else:
                pointers = pointed[line.code]
            # an external cause explains an injury; it is never a line's reason (payers refuse it as a pointer)
            pointers = tuple(n for n in pointers if not diagnoses[n - 1].code.startswith(_EXTERNAL)) or pointers
            description = self._describe(line.code, ctx)
            out.append(
                CodedProcedure(
                    line.code, description, tuple(mods[:4]), line.units, pointers, tuple(line.evidence), line.reason
                )
            )
        return out

    def _ncci_modifiers(self, ptp: PtpTable, lines: list[Line], em_line: Line | None, ctx: EncounterContext) -> None:
        dos = ctx.date_of_service
        for line in lines:
            if line is em_line:
                continue
            if em_line is not None:
                edit = ptp.edit(line.code, em_line.code, dos)
                if edit is not None and edit.modifier_indicator == "1" and "25" not in em_line.modifiers:
                    em_line.modifiers.append("25")
                    em_line.reason += (
                        f"; modifier 25: significant, separately identifiable E/M on the day of "
                        f"{line.code} (NCCI PTP {line.code}/{em_line.code}, indicator 1)"
                    )
            for other in lines:
                if other is line or other is em_line or other.code == line.code:
                    continue
                edit = ptp.edit(line.code, other.code, dos)
                if edit is None or edit.modifier_indicator != "1":
                    continue
                if _is_em(other.code):
                    # an E/M is separately identifiable by 25, not 59 (the problem visit beside a preventive one)
                    if "25" not in other.modifiers:
                        other.modifiers.insert(0, "25")
                        other.reason += f"; modifier 25: separately identifiable from {line.code} (NCCI PTP)"
                elif "59" not in other.modifiers:
                    other.modifiers.insert(0, "59")
                    other.reason += f"; modifier 59: distinct service from {line.code} (NCCI PTP, indicator 1)"

    def _pointers(
        self,
        line: Line,
        diagnoses: list[CodedDiagnosis],
        props: list[Proposal],
        is_em: bool,
        said: dict[str, set[str]],
    ) -> tuple[int, ...]:
        if not diagnoses:
            return ()
        if is_em:
            # the problems the visit addressed, not the vaccine given beside it (Z23 points to its own lines)
            addressed = [n for n, d in enumerate(diagnoses, start=1) if not d.code.startswith(IMMUNIZATION_ONLY)]
            return tuple((addressed or list(range(1, len(diagnoses) + 1)))[:4])
        if _is_em(line.code):
            # the problem visit beside a preventive one: the problems, not the routine examination
            problems = [n for n, d in enumerate(diagnoses, start=1) if not d.code.startswith("Z")]
            return tuple(problems[:4]) or (1,)
        if (
            line.code.startswith("904")
            or line.code in ("90460", "90461", "90471", "90472")
            or line.code.startswith("907")
            or line.code.startswith("906")
        ):
            for n, d in enumerate(diagnoses, start=1):
                if d.code == "Z23":
                    return (n,)
        if line.code in _PREVENTIVE_PARTS:
            # a part of the preventive visit (its screening ECG, advance care planning with the AWV) is for the
            # examination, not a problem it shares a word with
            exam = next((n for n, d in enumerate(diagnoses, start=1) if d.code.startswith(("Z00", "Z01"))), None)
            if exam is not None:
                return (exam,)
        treats = line.extra.get("treats", ())
        if treats:
            # a service for one condition (hydration for dehydration) points to it, wherever the note tells it
            for n, d in enumerate(diagnoses, start=1):
                if d.code.startswith(treats):
                    return (n,)
        if line.sentence != (0, 0):
            for n, p in enumerate(props, start=1):
                if p.statement is not None and p.statement.item_start <= line.sentence[
                    0
                ] <= p.statement.item_start + len(p.statement.item_text):
                    return _with_its_statement(n, props, len(diagnoses))
        # a procedure told in its own section points to the problem whose words it shares: "Right knee joint
        # injection" to "Primary osteoarthritis of right knee - steroid injection today"
        # read as the Index reads them: "rapid strep" ties to "streptococcal pharyngitis"
        told = _pointer_words(self.lexicon.expand(" ".join(e.text for e in line.evidence)))
        for p in props:
            if p.statement is not None and p.statement.item_text not in said:
                said[p.statement.item_text] = _pointer_words(self.lexicon.expand(p.statement.item_text))
        shared = [
            (len(told & said[p.statement.item_text]), -n, n)
            for n, p in enumerate(props, start=1)
            if p.statement is not None and n <= len(diagnoses)
        ]
        best = max(shared, default=(0, 0, 1))
        if best[0]:
            return _with_its_statement(best[2], props, len(diagnoses))
        # no words shared: the first problem, not the routine examination a preventive visit lists first
        # ("KOH prep positive for yeast" at a well-woman visit is for the candidiasis, not Z01.411)
        problems = [
            n for n, d in enumerate(diagnoses, start=1) if not d.code.startswith(("Z00", "Z01", *IMMUNIZATION_ONLY))
        ]
        return (problems[0],) if problems else (1,)

    def _describe(self, code: str, ctx: EncounterContext) -> str:
        if code[:1].isalpha():
            entry, _ = self.code_sets.hcpcs.get(code, ctx.date_of_service)
            return entry.description if entry else ""
        cpt, _ = self.code_sets.cpt.get(code, ctx.date_of_service)
        return cpt.descriptor if cpt else ""


def _with_its_statement(n: int, props: list[Proposal], coded: int) -> tuple[int, ...]:
    """The diagnosis a line points to and the others its statement gave, in sequence (at most four): a diabetic
    foot ulcer's debridement is for E11.621 and the ulcer's site and depth, L97.412, both."""
    own = props[n - 1].statement
    return tuple(
        [n] + [k for k, p in enumerate(props[:coded], start=1) if k != n and own is not None and p.statement is own]
    )[:4]


# The words said with a condition word in a case report: up to three before it ("large hiatal hernia"),
# and an "of"/"in" phrase after it ("deformity of the wrists").
_PHRASE_LEAD = re.compile(rf"(?:[\w'-]+\s+){{1,{PHRASE_WORDS}}}\Z")
_PHRASE_TAIL = re.compile(r"\s+(?:of|in)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?")


_WITHOUT_FINDINGS = re.compile(r"\b(?:without|w/o) abnormal findings\b", re.IGNORECASE)


def _problem_visit(visit: EvaluationAndManagement, coded: dict[int, list[str]], changed: bool) -> Line | None:
    """The office E/M beside a preventive visit, with modifier 25, where a problem was addressed with work of
    its own (CPT: an abnormality or preexisting problem "significant enough to require additional work to
    perform the key components of a problem-oriented E/M service"): here, where its management is of moderate
    risk or more (prescription drug management) and a problem other than the examination itself is coded.
    Counseling and a reading recorded are part of the preventive service, and so is a stable chronic illness
    whose drugs are only continued ("Hyperlipidemia, stable on atorvastatin - continue"): the preventive
    service's history and medication review cover it (AAFP's "insignificant or trivial" problem, no additional
    work). ``visit`` is the office E/M the note's problems would have had; ``changed``, whether the plan starts,
    stops or changes a prescription drug."""
    if not any(not code.startswith("Z") for codes in coded.values() for code in codes):
        return None
    risk = next((e for e in visit.elements if e.element == "risk"), None)
    if visit.code is None or visit.method != "mdm" or risk is None or risk.level not in ("moderate", "high"):
        return None
    problems = next((e for e in visit.elements if e.element == "problems"), None)
    if problems is not None and all(STABLE_CHRONIC in r for r in problems.reasons) and not changed:
        return None
    reason = "; ".join(visit.reasoning)
    return Line(visit.code, ["25"], 1, [], f"problem-oriented E/M beside the preventive visit: {reason}")


def _placed(p: Proposal) -> str:
    """The guideline behind a code's place after the first: its own, unless it was told first and moved down."""
    if p.sequence_reason != G_FIRST_LISTED:
        return p.sequence_reason
    if p.code.startswith(HISTORY_CODES):
        return G_HISTORY_AFTER
    return G_STATUS_AFTER if p.code.startswith(THERAPY_STATUS) else G_COEXISTING


G_HISTORY_AFTER = "ICD-10-CM Guidelines I.C.21.c.4: history codes are additional codes, after the conditions"
G_STATUS_AFTER = "ICD-10-CM Guidelines I.C.21.c.3: a drug therapy or a device's presence is listed after the condition"


def _administration_visit(note: ClinicalNote, lines: list[Line], items: list[str]) -> bool:
    """Whether the visit was for what it administered, and nothing else: every line a drug, a vaccine or their
    administration, every reason the chief complaint gives an injection, and no examination recorded."""
    if not lines or not all(ln.code in _ADMINISTERED or _is_product(ln.code) for ln in lines):
        return False
    # the chief complaint's own line: what a nurse writes after it is the visit
    reasons = [note.body(section).strip().split("\n", 1)[0] for section in note.sections_of("chief_complaint")]
    if not reasons:
        # a note without a chief complaint heading, as a nurse writes one: "Patient here for vitamin B12 injection."
        reasons = [m[1] for m in _HERE_FOR.finditer(note.text, 0, _header_end(note))]
    if not reasons or note.sections_of("exam"):
        return False
    parts = [part for reason in reasons for part in _REASONS.split(reason) if part.strip()]
    if parts and not any(_INJECTION.search(part) for part in parts):
        # "CC: Contraception." told as "here for her Depo-Provera injection" in the history
        parts += [m[1] for section in note.sections_of("hpi") for m in _HERE_FOR.finditer(note.body(section))]
    if not parts or not any(_INJECTION.search(part) for part in parts):
        return False
    # a reason that names the condition beside its injection ("osteoporosis, Prolia injection") is the injection's
    # where every problem the assessment lists is managed by what was given ("... - Prolia given today")
    # (``items``: the assessment's problems, as the statements read them); and so is the one problem an assessment
    # lists where the visit was for the injection ("Here for her B12 injection" ... "Pernicious anemia")
    return (
        all(_INJECTION.search(part) for part in parts)
        or all(_GIVEN_HERE.search(item) for item in items)
        or len(set(items)) == 1
    )


_GIVEN_HERE = re.compile(r"\b(?:given|administered|injected)\b", re.IGNORECASE)
_NURSE = re.compile(r"\b(?:nurse|rn|lpn|ma|medical assistant)(?:[- ]only)? (?:visit|appointment)\b", re.IGNORECASE)


def _nurse_visit(note: ClinicalNote) -> bool:
    """Whether the note's heading or reason for the visit says clinical staff saw the patient ("Nurse visit")."""
    return any(_NURSE.search(note.body(s)) for s in note.sections_of("header", "chief_complaint")) or bool(
        _NURSE.match(note.text.lstrip())
    )


_ADMINISTERED = frozenset(
    {*VACCINE_ADMINISTRATION, "90461", "90472", "90474", "96372", "96401", "96402", "G0008", "G0009", "G0010"}
    | {"86580", "95115", "95117"}
    | INTO_A_VEIN
)
_HERE_FOR = re.compile(
    r"\b(?:here|presents|came|comes in|seen|scheduled) (?:today )?for (?:(?:a|an|the|her|his) )?([^.\n]+)", re.I
)


_FOLLOW_UP = re.compile(r"\b(?:follow[- ]?up|f/u|recheck|re-?check|cast check|splint check|weeks? ago)\b", re.I)
# an episode of care the note says ("initial encounter", "routine healing", "sequela", "active treatment")
_EPISODE_SAID = re.compile(
    r"\b(?:initial|subsequent) encounter|\bsequela|\b(?:routine|delayed) healing|\bactive treatment|\bnonunion|"
    r"\bmalunion",
    re.IGNORECASE,
)
_EPISODE_QUESTION = (
    "Please clarify whether this encounter is for active treatment of the injury, for care during healing or "
    "recovery after active treatment (routine, delayed, nonunion or malunion), or for a sequela, or if unable to "
    "determine."
)
_UNCONTROLLED = re.compile(r"\buncontrolled\b", re.IGNORECASE)
_GLYCEMIA_SAID = re.compile(r"glyc[ae]mi|\bglucose|\bsugars?\b|\ba1c\b|\bdka\b|ketoacidosis", re.IGNORECASE)


def _header_end(note: ClinicalNote) -> int:
    """Where the note's first heading starts (the whole note where it has none)."""
    return min((section.start for section in note.sections if section.category != "header"), default=len(note.text))


_REASONS = re.compile(r"\s+and\s+|[,;&+/\n]", re.IGNORECASE)
_INJECTION = re.compile(
    r"\b(?:shots?|injections?|vaccines?|vaccinations?|immunizations?|boosters?|tb (?:skin )?test|ppd|tuberculin|"
    r"immunotherapy|infusions?|iv hydration|iv fluids)\b",
    re.IGNORECASE,
)


def _is_product(code: str) -> bool:
    """A drug (HCPCS J-code, or a biosimilar's Q-code) or a vaccine product (CPT 90476-90759)."""
    return code.startswith("J") or code.startswith("Q5") or (code.isdigit() and 90476 <= int(code) <= 90759)


def _untreated(
    statements: list[Statement],
    coded: tuple[dict[int, list[str]], dict[int, list[str]]],
    treated: frozenset[str],
    planned_apart: bool = False,
) -> tuple[list[Statement], dict[int, list[str]], dict[int, list[str]]]:
    """The statements and ``coded`` (each item's codes, each statement's) without the codes a minor procedure is
    for, nor the items all of whose codes it is for ("Lesion of the nasal ala, rule out BCC - biopsy sent": the
    doubt is the biopsied lesion's, not a problem of its own)."""
    done = {item for item, codes in coded[0].items() if codes and all(c in treated for c in codes)}
    # and a problem only listed beside them, with nothing said of it ("3. Type 2 diabetes mellitus with diabetic
    # polyneuropathy." at a visit for foot care): no significant, separately identifiable E/M (CPT modifier 25);
    # (where a plan of its own follows the assessment, what is said of each problem may be there)
    if not planned_apart:
        done |= _listed_only(statements)
    by_item, by_statement = (
        {key: kept for key, codes in by.items() if (kept := [c for c in codes if c not in treated])} for by in coded
    )
    return [st for st in statements if st.item not in done], by_item, by_statement


def _listed_only(statements: list[Statement]) -> set[int]:
    """The assessment items that say nothing but their diagnoses: no status, plan or other sentence."""
    said: dict[int, str] = {}
    for st in statements:
        if st.section == "assessment":
            said[st.item] = said.get(st.item, without_marker(st.item_text)).replace(st.text, " ", 1)
    return {item for item, left in said.items() if not _RETURN_VISIT.sub("", left).strip(" \t\n.,;:-")}


# the visit's own disposition on the last item's line ("Return in 9 weeks."): not said of the problem
_RETURN_VISIT = re.compile(r"\n\s*(?:return|rtc|follow[- ]?up|f/u|next visit)\b[^\n]*$", re.IGNORECASE)


def _is_minor_procedure(code: str) -> bool:
    return code.isdigit() and 10000 <= int(code) <= 69999


def _is_em(code: str) -> bool:
    """An evaluation and management visit: office, preventive, hospital, emergency department or nursing facility."""
    if not code.isdigit():
        return False
    return any(low <= int(code) <= high for low, high in _EM_RANGES)


_OFFICE_EM = frozenset(str(n) for n in (*range(99202, 99206), *range(99211, 99216)))
# office, preventive, hospital, emergency department, critical care, nursing facility
_EM_RANGES = ((99202, 99215), (99381, 99397), (99221, 99239), (99281, 99285), (99291, 99292), (99304, 99316))


_HOSPITAL_POS = frozenset({"21", "51", "61"})
# places of service where a facility bills the technical side of a service (the MPFS's facility settings): an
# outpatient or inpatient hospital, its emergency department, a psychiatric or rehabilitation facility
FACILITY_POS = frozenset({"19", "21", "22", "23", "51", "61"})
# a test with no professional component modifier, whose professional part has its own code (PC/TC indicator 4)
_PROFESSIONAL_CODE = {"93000": "93010", "93040": "93042"}
G_FACILITY = (
    "Medicare Claims Processing Manual ch. 12 §20.4.2 and the MPFS PC/TC indicators: in a facility the physician "
    "bills the professional component; the facility bills the technical component, its tests, drugs and supplies"
)


def _professional_part(lines: list[Line], fees: FeeScheduleRelease | None, findings: list[Issue]) -> list[Line]:
    """The lines a physician bills in a facility: a test's professional component (modifier 26, or its own code:
    93000 -> 93010), without the lab tests, drugs, their administration and supplies, which are the facility's."""
    kept: list[Line] = []
    left: list[str] = []
    for line in lines:
        rvu = fees.get(line.code) if fees is not None else None
        indicator = rvu.pctc if rvu is not None else ""
        if line.code in _PROFESSIONAL_CODE:
            code = _PROFESSIONAL_CODE[line.code]
            kept.append(replace(line, code=code, reason=f"{line.reason}; the interpretation and report only ({code})"))
        elif indicator == "1":
            kept.append(
                replace(
                    line,
                    modifiers=[*line.modifiers, "26"],
                    reason=f"{line.reason}; modifier 26: professional component",
                )
            )
        elif _facility_bills(line.code, indicator):
            left.append(line.code)
        else:
            kept.append(line)
    if left:
        findings.append(
            Issue(
                "FACILITY_BILLS",
                Severity.INFO,
                f"Not billed by the physician in a facility (the facility bills them): {', '.join(left)}",
                Location(),
                "coder",
                G_FACILITY,
            )
        )
    return kept


def _facility_bills(code: str, indicator: str) -> bool:
    """A clinical lab test, a venipuncture, a drug or supply, a vaccine or a drug's administration: the facility's."""
    if code[:1] in ("J", "Q", "A"):
        return True
    if not code.isdigit():
        return False
    n = int(code)
    return (
        (80000 <= n <= 89999 and indicator in ("3", "9", ""))
        or code == "36415"
        or 90460 <= n <= 90759
        or 96360 <= n <= 96379
        or 96401 <= n <= 96549
    )


_NURSING_POS = frozenset({"31", "32"})
# what a hospital or nursing facility note's title says it is
_NOTE_KINDS = (
    ("discharge", re.compile(r"\bdischarge (?:summary|note|day|management)\b|\bday of discharge\b", re.IGNORECASE)),
    (
        "initial",
        re.compile(
            r"\badmission\b|\badmit note\b|\bhistory (?:and|&) physical\b|\bh ?& ?p\b|"
            r"\binitial (?:hospital|inpatient|nursing facility|observation)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "subsequent",
        re.compile(
            r"\bprogress note\b|\bhospital day\b|\bsubsequent\b|\bdaily note\b|\bround(?:ing)? note\b|"
            r"\bnursing (?:facility|home) (?:visit|note)\b",
            re.IGNORECASE,
        ),
    ),
)
_FAMILIES: dict[tuple[str, bool], EmFamily | DischargeFamily] = {
    ("discharge", False): HOSPITAL_DISCHARGE,
    ("initial", False): HOSPITAL_INITIAL,
    ("subsequent", False): HOSPITAL_SUBSEQUENT,
    ("discharge", True): NURSING_DISCHARGE,
    ("initial", True): NURSING_INITIAL,
    ("subsequent", True): NURSING_SUBSEQUENT,
}


def _title(note: ClinicalNote) -> str:
    """A note's title: its first two lines, where they are short."""
    return " ".join(line.strip() for line in note.text.lstrip().split("\n", 2)[:2] if len(line) <= 100)


def _note_kind(note: ClinicalNote) -> str | None:
    """What a hospital or nursing facility note's title says it is: "discharge", "initial" or "subsequent"."""
    title = _title(note)
    return next((kind for kind, said in _NOTE_KINDS if said.search(title)), None)


_OBSERVATION = re.compile(r"\bobservation\b|\bobs (?:note|admission|unit)\b", re.IGNORECASE)


def _pointer_words(text: str) -> set[str]:
    """The words that tie a procedure to a problem: a site, a kind of procedure, not a side or a stop word."""
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _POINTER_STOP}


_POINTER_STOP = frozenset(
    [
        "right",
        "left",
        "bilateral",
        "with",
        "without",
        "after",
        "before",
        "under",
        "from",
        "into",
        "this",
        "that",
        "today",
        "well",
        "tolerated",
        "patient",
        "consent",
        "verbal",
        "sterile",
        "prep",
        "procedure",
        "performed",
        "done",
        "given",
        "continue",
    ]
)


def _said_by_codes_within(n: NotCoded, ev: Evidence, diagnoses: list[CodedDiagnosis]) -> bool:
    """Whether every word of an unmatched phrase is said by the codes coded from within it, by their titles or
    their evidence ("On long term warfarin": Z79.01, "Long term (current) use of anticoagulants", from "warfarin")."""
    within = [(d, e) for d in diagnoses for e in d.evidence if ev.start <= e.start and e.end <= ev.end]
    if not within:
        return False
    said = {w for d, e in within for w in (*words(d.title), *words(e.text))}
    return set(words(n.text)) - STOPWORDS <= said


def _not_coded_once(not_coded: list[NotCoded], diagnoses: list[CodedDiagnosis]) -> tuple[NotCoded, ...]:
    """What was left out, each phrase once: the words of a longer phrase left out for the same reason are
    not listed again ("masses" within "the presence of masses in the anterior cervical region"), nor a
    single word of a coded condition's evidence that matched nothing by itself ("chronic" of "chronic
    alcoholism"). A longer unmatched phrase stays listed: what else its clause says may need a code."""
    coded = [(e.start, e.end) for d in diagnoses for e in d.evidence]
    order = sorted(
        (i for i, n in enumerate(not_coded) if n.evidence),
        key=lambda i: (not_coded[i].reason, not_coded[i].evidence[0].start, -not_coded[i].evidence[0].end, i),
    )
    dropped: set[int] = set()
    reason, reach = "", -1
    for i in order:
        n = not_coded[i]
        ev = n.evidence[0]
        if n.reason != reason:
            reason, reach = n.reason, -1
        if ev.end <= reach or (
            n.reason == G_NO_INDEX_ENTRY
            and (
                (" " not in n.text.strip() and any(s <= ev.start and ev.end <= e for s, e in coded))
                or _said_by_codes_within(n, ev, diagnoses)
            )
        ):
            dropped.add(i)
        reach = max(reach, ev.end)
    return tuple(n for i, n in enumerate(not_coded) if i not in dropped)


# places of service whose visits are not office or other outpatient services (CMS POS code set): their
# E/M families (hospital inpatient and observation 99221-99239, emergency department 99281-99285, nursing
# facility 99304-99316) have other rules than the 2021+ office table this coder applies
_NOT_OFFICE_POS = {
    "21": "an inpatient hospital stay (99221-99239)",
    "23": "an emergency department visit (99281-99285)",
    "31": "a skilled nursing facility visit (99304-99316)",
    "32": "a nursing facility visit (99304-99316)",
    "51": "an inpatient psychiatric facility stay (99221-99239)",
    "61": "an inpatient rehabilitation facility stay (99221-99239)",
}


_EXTERNAL = ("V", "W", "X", "Y")
_PREVENTIVE_PARTS = frozenset({"G0403", "G0404", "G0405", "99497", "G0444"})
_DEPRESSION_TOOL = re.compile("|".join(DEPRESSION_INSTRUMENTS), re.IGNORECASE)
_IPPE_ECG = {"93000": "G0403", "93005": "G0404", "93010": "G0405"}

# counseling billed on its own beside a visit: tobacco cessation (99406, 99407), Medicare's alcohol, depression,
# cardiovascular and obesity counseling (G0442-G0447)
_COUNSELING_BESIDE_EM = frozenset({"99406", "99407", "G0442", "G0443", "G0444", "G0446", "G0447"})

# the supervision of a pregnancy and what only describes it (weeks, blood type, the Rho(D) immune globulin given)
_SUPERVISION = ("Z34", "O09")
_ANTEPARTUM_ONLY = (*_SUPERVISION, "Z3A", "Z29.13", "Z67", "Z33")
G_ANTEPARTUM = (
    "a routine antepartum visit: CPT's obstetric package (59400, 59510, 59610, 59618) includes the antepartum care, "
    "so the visit is not billed on its own (where the package will not be completed, 59425/59426 or E/M by the "
    "number of visits); a problem other than the pregnancy's supervision would be"
)


def _routine_antepartum(coded: dict[int, list[str]]) -> bool:
    """Whether every problem the visit coded is the supervision of a pregnancy or only describes it."""
    codes = [code for item in coded.values() for code in item]
    return any(c.startswith(_SUPERVISION) for c in codes) and all(c.startswith(_ANTEPARTUM_ONLY) for c in codes)


def _other_em_family(
    note: ClinicalNote, ctx: EncounterContext, narrative: bool
) -> EmFamily | DischargeFamily | str | None:
    """The E/M family of an encounter that is no office visit (by its place of service, or its setting, and what the
    note's title says it is: an admission, a later day, the discharge); where the family is one this coder does not
    level, or the note does not say which of its kinds it is, why no E/M is assigned; None for an office visit."""
    pos = ctx.place_of_service
    if pos == "23":
        return EMERGENCY
    hospital = pos in _HOSPITAL_POS or (ctx.setting is Setting.INPATIENT and pos not in _NOT_OFFICE_POS)
    # observation care is an outpatient hospital service (POS 22) coded with the hospital's codes since 2023
    hospital = hospital or (pos == "22" and _OBSERVATION.search(_title(note)) is not None)
    nursing = pos in _NURSING_POS
    if (hospital or nursing) and not narrative:
        kind = _note_kind(note)
        if kind is not None:
            return _FAMILIES[(kind, nursing)]
    family = _NOT_OFFICE_POS.get(pos)
    if family is None and ctx.setting is Setting.INPATIENT:
        family = _NOT_OFFICE_POS["21"]
    if family is None:
        return None
    return (
        f"office and outpatient E/M codes (99202-99215) are for office visits; this encounter is {family}, "
        "whose E/M level is not assigned by this coder"
    )


G_TEST_CONFIRMED = (
    "ICD-10-CM Guidelines IV.K: the interpreted report confirms a diagnosis; the signs and symptoms that "
    "prompted the test are not coded in addition"
)
G_TEST_ITSELF = "The report's impression describes the examination itself; an encounter Z code is not a finding"
G_PRINCIPAL = (
    "ICD-10-CM Guidelines II: the principal diagnosis, the condition established after study to be chiefly "
    "responsible for the admission, is sequenced first"
)
G_SECONDARY = (
    "ICD-10-CM Guidelines III: other diagnoses that coexist at admission or develop later and affect the care are "
    "reported"
)
_INPATIENT_REASONS = {G_FIRST_LISTED: G_PRINCIPAL, G_COEXISTING: G_SECONDARY}
G_TEST_REASON = "ICD-10-CM Guidelines IV.K: the report confirms no diagnosis; the reason for the test is listed first"


def _examined_system_first(proposals: list[Proposal], system: str | None) -> None:
    """Of the diagnoses a report gives as reasons for the test, those of the body system it examines come
    first: a renal ultrasound is chiefly for the neurogenic bladder, not for the spina bifida behind it
    (Guidelines IV.A: the condition chiefly responsible for the service is listed first)."""
    if system is None:
        return
    # signs and symptoms (R) and statuses (Z) belong to no one system: they keep their places
    reasons = [p for p in proposals if _from_indication(p) and not p.code.startswith(("R", "Z"))]
    slots = sorted(p.order for p in reasons)
    ranked = sorted(reasons, key=lambda p: (_body_system(p.code) != system, p.order))
    for p, order in zip(ranked, slots, strict=True):
        p.order = order


# Congenital malformations (chapter Q) by the body system of their block: the block's first category
# and the chapter letter of its system (Q60-Q64 urinary system: N); Q85-Q99 are of no one system.
_CONGENITAL_BLOCKS = (
    ("Q00", "G"),  # nervous system
    ("Q10", "H"),  # eye, ear, face and neck
    ("Q20", "I"),  # circulatory system
    ("Q30", "J"),  # respiratory system
    ("Q35", "K"),  # cleft lip and palate, digestive system
    ("Q50", "N"),  # genital organs, urinary system
    ("Q65", "M"),  # musculoskeletal system
    ("Q80", "L"),  # integument
    ("Q85", "Q"),
)


def _body_system(code: str) -> str:
    """The chapter letter of the body system a code is of."""
    if not code.startswith("Q"):
        return code[0]
    return next(system for first, system in reversed(_CONGENITAL_BLOCKS) if code[:3] >= first)


def _from_indication(p: Proposal) -> bool:
    return p.statement is not None and p.statement.section == "indication"


def _reason_for_test(
    proposals: list[Proposal], not_coded: list[NotCoded], uncertainty: tuple[str, ...]
) -> list[Proposal]:
    """A diagnostic test's report (Guidelines IV.K, diagnostic services only).

    When the impression confirms a diagnosis, it is coded and the signs and symptoms given as the reason
    for the test are not; when it confirms none (normal, negative, uncertain), the reason is coded and
    listed first. Conditions in the indication that are not signs or symptoms (a known reflux followed
    up, a urinary tract infection) stay: they coexist with whatever the test found.
    """
    rest: list[Proposal] = []
    for p in proposals:
        if p.statement is not None and not _from_indication(p) and p.code.startswith(NARRATIVE_EXCLUDED):
            # "Normal renal ultrasound examination" describes the test, not a reason for it
            not_coded.append(NotCoded(p.statement.text, G_TEST_ITSELF, tuple(p.evidence)))
        else:
            rest.append(p)
    proposals = rest
    # a finding the impression goes on to interpret only as a possibility confirms nothing
    confirmed = any(
        p.statement is not None
        and not _from_indication(p)
        and not p.code.startswith(("R", "Z"))
        and not interpreted_uncertainly(p.statement, uncertainty)
        for p in proposals
    )
    kept: list[Proposal] = []
    for p in proposals:
        from_reason = _from_indication(p)
        if from_reason and confirmed and p.code.startswith("R"):
            not_coded.append(
                NotCoded(p.statement.text if p.statement else p.title, G_TEST_CONFIRMED, tuple(p.evidence))
            )
            continue
        if from_reason and not confirmed:
            p.order = (-1000.0 + p.order[0], *p.order[1:])
        kept.append(p)
    return kept


def with_evidence_text(encounter: CodedEncounter) -> CodedEncounter:
    return replace(encounter)


__all__ = ["Coder", "Evidence"]
