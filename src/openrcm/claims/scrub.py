"""The scrubber: the pre-submission edits of domain-rules §5.1 (S1-S20), each a finding that says
what to fix, on which claim and line, which rule and source, and the denial it prevents.

Payer-specific rules are data: a TOML file per payer (prior authorization lists, timely filing,
required modifiers), so a billing office adds its payers without writing code.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openrcm.claims.identifiers import npi_valid
from openrcm.claims.model import Claim, ClaimKind
from openrcm.codesets import CodeRef, CodeSets, Icd10cmCode, NoteKind
from openrcm.codesets.billing import taxonomy_well_formed
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue, Location, Severity

# NCCI-associated modifiers that may bypass a PTP edit whose modifier indicator is 1.
NCCI_MODIFIERS = frozenset(
    {
        "59",
        "XE",
        "XS",
        "XP",
        "XU",
        "24",
        "25",
        "57",
        "58",
        "78",
        "79",
        "27",
        "91",
        "E1",
        "E2",
        "E3",
        "E4",
        "FA",
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "F9",
        "TA",
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
        "T8",
        "T9",
        "LT",
        "RT",
        "LC",
        "LD",
        "RC",
        "LM",
        "RI",
    }
)
EM_PREFIXES = ("992", "993", "994", "995")
CLIA_WAIVED = frozenset({"83036", "85018", "85610", "87804", "87880", "87807", "87811", "81003", "82270", "86308"})
PREVENTIVE_BANDS = {"1": (0, 0), "2": (1, 4), "3": (5, 11), "4": (12, 17), "5": (18, 39), "6": (40, 64), "7": (65, 200)}


@dataclass(frozen=True, slots=True)
class PayerRules:
    payer_id: str
    prior_auth_codes: frozenset[str] = frozenset()
    timely_filing_days: int | None = None
    bilateral_as_50: bool = True
    enrolled_npis: frozenset[str] = frozenset()  # empty: the payer's roster is not configured
    telehealth_codes: frozenset[str] = frozenset()


def load_payer_rules(folder: Path) -> dict[str, PayerRules]:
    """Every ``*.toml`` in ``folder``: ``payer_id``, ``prior_auth_codes``, ``timely_filing_days``..."""
    rules: dict[str, PayerRules] = {}
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise DataFileError(path, f"not valid TOML ({exc})") from None
        for entry in data.get("payer", []):
            try:
                rules[str(entry["payer_id"])] = PayerRules(
                    str(entry["payer_id"]),
                    frozenset(str(c) for c in entry.get("prior_auth_codes", [])),
                    entry.get("timely_filing_days"),
                    bool(entry.get("bilateral_as_50", True)),
                    frozenset(str(n) for n in entry.get("enrolled_npis", [])),
                    frozenset(str(c) for c in entry.get("telehealth_codes", [])),
                )
            except KeyError as exc:
                raise DataFileError(path, f"a [[payer]] entry lacks {exc.args[0]!r}") from None
    return rules


def _issue(
    rule: str,
    code: str,
    severity: Severity,
    message: str,
    claim: Claim,
    *,
    line: int | None = None,
    citation: str = "",
    carc: str = "",
    codeval: str | None = None,
) -> Issue:
    prevents = f" (prevents CARC {carc})" if carc else ""
    return Issue(
        code, severity, message + prevents, Location(claim_id=claim.id, line_number=line, code=codeval), rule, citation
    )


@dataclass(slots=True)
class Scrubber:
    code_sets: CodeSets
    as_of: dt.date
    payer_rules: dict[str, PayerRules] = field(default_factory=dict)
    submitted: set[tuple[str, ...]] = field(default_factory=set)  # duplicate keys of claims already sent
    _excludes1: dict[tuple[str, str], tuple[CodeRef, ...]] = field(default_factory=dict, repr=False)
    _tables: dict[dt.date, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    _pairs: dict[tuple[str, str, str], bool] = field(default_factory=dict, repr=False)

    def _excludes1_refs(self, release: str, entry: Icd10cmCode) -> tuple[CodeRef, ...]:
        key = (release, entry.code)
        refs = self._excludes1.get(key)
        if refs is None:
            refs = tuple(ref for note in entry.all_notes(NoteKind.EXCLUDES1) for ref in note.refs)
            self._excludes1[key] = refs
        return refs

    def _excluded_pair(self, a: Icd10cmCode, b: Icd10cmCode) -> bool:
        key = (a.release, a.code, b.code)
        found = self._pairs.get(key)
        if found is None:
            found = any(ref.covers(b.code) for ref in self._excludes1_refs(a.release, a)) or any(
                ref.covers(a.code) for ref in self._excludes1_refs(b.release, b)
            )
            self._pairs[key] = found
        return found

    def _tables_for(self, dos: dt.date) -> tuple[Any, ...]:
        """The NCCI tables and fee schedule in force on ``dos`` (looked up once per date)."""
        found = self._tables.get(dos)
        if found is None:
            ncci = self.code_sets.ncci
            ptp, stale = ncci.ptp_for(dos)
            mue, _ = ncci.mue_for(dos)
            aoc, _ = ncci.aoc_for(dos)
            fees, _ = self.code_sets.mpfs.for_date(dos)
            found = (ptp, stale, mue, aoc, fees)
            self._tables[dos] = found
        return found

    def scrub(self, claim: Claim) -> list[Issue]:
        issues: list[Issue] = []
        for rule in (
            self.required,
            self.identifiers,
            self.diagnoses,
            self.procedures,
            self.ncci,
            self.timely,
            self.duplicates,
            self.authorization,
            self.clia,
            self.modifiers,
            self.age_sex,
            self.eligibility,
            self.place_of_service,
            self.enrollment,
            self.coordination,
        ):
            issues.extend(rule(claim))
        return issues

    def scrub_all(self, claims: Iterable[Claim]) -> dict[str, list[Issue]]:
        return {c.id: self.scrub(c) for c in claims}

    # S1 -------------------------------------------------------------------------------------
    def required(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        cite = "ASC X12 005010X222A1 required elements; CMS-1500 boxes"
        b = claim.billing
        if not b.npi:
            out.append(
                _issue(
                    "S1",
                    "REQ_BILLING_NPI",
                    Severity.ERROR,
                    "billing provider NPI is missing (box 33a)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if not b.tax_id:
            out.append(
                _issue(
                    "S1",
                    "REQ_TIN",
                    Severity.ERROR,
                    "billing provider tax ID is missing (box 25)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if b.address is None or len(b.address.postal_code.replace("-", "")) != 9:
            out.append(
                _issue(
                    "S1",
                    "REQ_BILLING_ZIP9",
                    Severity.ERROR,
                    "billing provider address needs a 9-digit ZIP code (2010AA N4)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        cov = claim.coverage
        if not cov.payer.id:
            out.append(_issue("S1", "REQ_PAYER_ID", Severity.ERROR, "payer ID is missing", claim, citation=cite))
        if not cov.member_id:
            out.append(
                _issue(
                    "S1",
                    "REQ_MEMBER_ID",
                    Severity.ERROR,
                    "member ID is missing (box 1a)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        p = claim.patient.person
        if not p.last_name or not p.first_name:
            out.append(
                _issue(
                    "S1",
                    "REQ_PATIENT_NAME",
                    Severity.ERROR,
                    "patient name is incomplete (box 2)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if p.birth_date is None:
            out.append(
                _issue(
                    "S1",
                    "REQ_PATIENT_DOB",
                    Severity.ERROR,
                    "patient date of birth is missing (box 3)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if p.sex not in ("F", "M", "U"):
            out.append(
                _issue(
                    "S1",
                    "REQ_PATIENT_SEX",
                    Severity.ERROR,
                    "patient sex must be F, M or U (box 3)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if not claim.diagnoses:
            out.append(
                _issue(
                    "S1",
                    "REQ_DIAGNOSIS",
                    Severity.ERROR,
                    "the claim has no diagnosis (box 21)",
                    claim,
                    citation=cite,
                    carc="16",
                )
            )
        if not claim.lines:
            out.append(
                _issue("S1", "REQ_LINES", Severity.ERROR, "the claim has no service lines", claim, citation=cite)
            )
        for n, line in enumerate(claim.lines, start=1):
            if not line.code:
                out.append(
                    _issue(
                        "S1",
                        "REQ_LINE_CODE",
                        Severity.ERROR,
                        "service line has no procedure code",
                        claim,
                        line=n,
                        citation=cite,
                    )
                )
            if line.charge <= 0:
                out.append(
                    _issue(
                        "S1",
                        "REQ_LINE_CHARGE",
                        Severity.ERROR,
                        f"line charge must be more than zero (is {line.charge})",
                        claim,
                        line=n,
                        citation=cite,
                        carc="16",
                    )
                )
            if line.units < 1:
                out.append(
                    _issue(
                        "S1",
                        "REQ_LINE_UNITS",
                        Severity.ERROR,
                        "units must be at least 1",
                        claim,
                        line=n,
                        citation=cite,
                        carc="16",
                    )
                )
            bad = [p for p in line.diagnosis_pointers if not 0 < p <= min(12, len(claim.diagnoses))]
            if not line.diagnosis_pointers or bad or len(line.diagnosis_pointers) > 4:
                out.append(
                    _issue(
                        "S1",
                        "REQ_LINE_POINTER",
                        Severity.ERROR,
                        f"diagnosis pointers {list(line.diagnosis_pointers)} must name 1 to 4 of the "
                        f"claim's {len(claim.diagnoses)} diagnoses (box 24E)",
                        claim,
                        line=n,
                        citation=cite,
                    )
                )
        if len(claim.diagnoses) > 12 and claim.kind == ClaimKind.PROFESSIONAL:
            out.append(
                _issue(
                    "S1",
                    "REQ_TOO_MANY_DX",
                    Severity.ERROR,
                    f"{len(claim.diagnoses)} diagnoses; an 837P claim holds 12 (split the claim)",
                    claim,
                    citation=cite,
                )
            )
        if claim.frequency in ("7", "8") and not claim.original_claim_number:
            out.append(
                _issue(
                    "S1",
                    "REQ_ORIGINAL_CLAIM",
                    Severity.ERROR,
                    "a replacement or void (frequency 7/8) needs the payer's claim number (REF*F8, box 22)",
                    claim,
                    citation="domain-rules §4.2",
                    carc="16",
                )
            )
        return out

    # S2, S3 ---------------------------------------------------------------------------------
    def identifiers(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        for role, provider in (
            ("billing", claim.billing),
            ("rendering", claim.rendering),
            ("referring", claim.referring),
        ):
            if provider is None or not provider.npi:
                continue
            if not npi_valid(provider.npi):
                out.append(
                    _issue(
                        "S2",
                        "NPI_INVALID",
                        Severity.ERROR,
                        f"{role} NPI {provider.npi} fails the check digit (Luhn with prefix 80840)",
                        claim,
                        citation="45 CFR 162.406; CMS NPI check-digit algorithm",
                        carc="16 / N290",
                    )
                )
            if provider.taxonomy:
                if not taxonomy_well_formed(provider.taxonomy):
                    out.append(
                        _issue(
                            "S3",
                            "TAXONOMY_FORMAT",
                            Severity.ERROR,
                            f"{role} taxonomy {provider.taxonomy!r} is not 10 characters ending in X",
                            claim,
                            citation="NUCC Health Care Provider Taxonomy",
                        )
                    )
                elif provider.taxonomy not in self.code_sets.billing.taxonomy:
                    out.append(
                        _issue(
                            "S3",
                            "TAXONOMY_UNKNOWN",
                            Severity.WARNING,
                            f"{role} taxonomy {provider.taxonomy} is not in the NUCC list loaded",
                            claim,
                            citation="NUCC Health Care Provider Taxonomy",
                        )
                    )
        return out

    # S4, S6 ---------------------------------------------------------------------------------
    def diagnoses(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        icd = self.code_sets.icd10cm
        entries = []
        seen: set[str] = set()
        for n, code in enumerate(claim.diagnoses, start=1):
            check = icd.check(code, claim.service_date)
            for issue in check.issues:
                out.append(
                    _issue(
                        "S4",
                        issue.code,
                        issue.severity,
                        issue.message,
                        claim,
                        citation=issue.citation,
                        carc="146",
                        codeval=code,
                    )
                )
            if check.code in seen:
                out.append(
                    _issue(
                        "S6",
                        "DX_DUPLICATE",
                        Severity.WARNING,
                        f"{check.code} is listed twice",
                        claim,
                        codeval=code,
                        citation="CMS-1500 box 21",
                    )
                )
            seen.add(check.code)
            if check.entry is not None:
                entries.append(check.entry)
                if n == 1 and check.entry.manifestation:
                    out.append(
                        _issue(
                            "S6",
                            "DX_MANIFESTATION_FIRST",
                            Severity.ERROR,
                            f"{check.code} is a manifestation code and cannot be first-listed; "
                            "sequence the underlying condition first",
                            claim,
                            codeval=code,
                            citation="ICD-10-CM Guidelines I.A.13",
                            carc="16",
                        )
                    )
                if n == 1 and check.code[:1] in "VWXY":
                    out.append(
                        _issue(
                            "S6",
                            "DX_EXTERNAL_CAUSE_FIRST",
                            Severity.ERROR,
                            f"{check.code} is an external cause code and cannot be first-listed",
                            claim,
                            codeval=code,
                            citation="ICD-10-CM Guidelines I.C.20",
                            carc="16",
                        )
                    )
        for i, a in enumerate(entries):
            for b in entries[i + 1 :]:
                if self._excluded_pair(a, b):
                    out.append(
                        _issue(
                            "S6",
                            "DX_EXCLUDES1",
                            Severity.WARNING,
                            f"{a.code} and {b.code} are an Excludes1 pair; report both only if the "
                            "provider documents them as unrelated",
                            claim,
                            codeval=b.code,
                            citation="ICD-10-CM Guidelines I.A.12.a",
                            carc="11",
                        )
                    )
        return out

    # S5 -------------------------------------------------------------------------------------
    def procedures(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        for n, line in enumerate(claim.lines, start=1):
            day = line.service_date or claim.service_date
            if line.code[:1].isalpha():
                _entry, found = self.code_sets.hcpcs.get(line.code, day)
                issues = [i for i in found if i.code != "HCPCS_STALE"]
            else:
                entry2, issues2 = self.code_sets.cpt.get(line.code, day)
                issues = list(issues2)
                if entry2 is None and self.code_sets.cpt.demo:
                    issues = [
                        Issue(
                            "CPT_NOT_IN_FILE",
                            Severity.WARNING,
                            f"{line.code} is not in the demo CPT file; load a licensed CPT file to verify it",
                        )
                    ]
            for issue in issues:
                out.append(
                    _issue(
                        "S5",
                        issue.code,
                        issue.severity,
                        issue.message,
                        claim,
                        line=n,
                        carc="181",
                        codeval=line.code,
                        citation=issue.citation or "CPT / HCPCS Level II",
                    )
                )
            for mod in line.modifiers:
                if not self._modifier_known(mod, day):
                    out.append(
                        _issue(
                            "S5",
                            "MODIFIER_UNKNOWN",
                            Severity.ERROR,
                            f"modifier {mod} is not a valid CPT or HCPCS modifier",
                            claim,
                            line=n,
                            carc="4",
                            codeval=line.code,
                            citation="CPT Appendix A; HCPCS Level II modifiers",
                        )
                    )
        return out

    def _modifier_known(self, mod: str, day: dt.date) -> bool:
        cpt = self.code_sets.cpt.codes.get(mod)
        if cpt is not None and cpt.is_modifier:
            return True
        entry, _ = self.code_sets.hcpcs.get(mod, day)
        return entry is not None and entry.is_modifier

    # S8, S9, S10 -----------------------------------------------------------------------------
    def ncci(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        dos = claim.service_date
        ptp, stale, mue, aoc, _ = self._tables_for(dos)
        if stale:
            out.append(
                _issue("S8", stale[0].code, Severity.INFO, stale[0].message, claim, citation="CMS NCCI quarterly files")
            )
        lines = list(enumerate(claim.lines, start=1))
        if ptp is not None:
            for n1, a in lines:
                for n2, b in lines:
                    if n1 == n2 or a.code == b.code:
                        continue
                    day = b.service_date or dos
                    edit = ptp.edit(a.code, b.code, day)
                    if edit is None:
                        continue
                    bypass = set(b.modifiers) & NCCI_MODIFIERS or set(a.modifiers) & {"59", "XE", "XS", "XP", "XU"}
                    if edit.modifier_indicator == "0":
                        out.append(
                            _issue(
                                "S8",
                                "NCCI_PTP_NEVER",
                                Severity.ERROR,
                                f"{b.code} is bundled into {a.code} (NCCI PTP, modifier indicator 0: no "
                                f"modifier allowed); remove {b.code}. Rationale: {edit.rationale}",
                                claim,
                                line=n2,
                                codeval=b.code,
                                citation="CMS NCCI PTP practitioner edits",
                                carc="97 / 236",
                            )
                        )
                    elif edit.modifier_indicator == "1" and not bypass:
                        out.append(
                            _issue(
                                "S8",
                                "NCCI_PTP_MODIFIER",
                                Severity.ERROR,
                                f"{b.code} is bundled into {a.code} unless a distinct service is documented:"
                                f" append 59/XE/XS/XP/XU (or 25 to an E/M) if so. Rationale: "
                                f"{edit.rationale}",
                                claim,
                                line=n2,
                                codeval=b.code,
                                citation="CMS NCCI PTP practitioner edits (modifier indicator 1)",
                                carc="97 / 236",
                            )
                        )
        if mue is not None:
            per_code: dict[str, Decimal] = {}
            for n, line in lines:
                limit = mue.get(line.code)
                if limit is None:
                    continue
                per_code[line.code] = per_code.get(line.code, Decimal(0)) + line.units
                if limit.mai == 1 and line.units > limit.value:
                    out.append(
                        _issue(
                            "S9",
                            "MUE_LINE",
                            Severity.ERROR,
                            f"{line.units} units of {line.code} exceed the MUE of {limit.value} per line "
                            "(MAI 1); split across lines with the right modifiers only if documented",
                            claim,
                            line=n,
                            codeval=line.code,
                            citation="CMS NCCI MUE practitioner table",
                            carc="151",
                        )
                    )
            for code, units in per_code.items():
                limit = mue.get(code)
                if limit is not None and limit.mai in (2, 3) and units > limit.value:
                    severity = Severity.ERROR if limit.mai == 2 else Severity.WARNING
                    out.append(
                        _issue(
                            "S9",
                            f"MUE_DAY_MAI{limit.mai}",
                            severity,
                            f"{units} units of {code} on {dos} exceed the MUE of {limit.value} per day "
                            f"(MAI {limit.mai}: {limit.mai_text})",
                            claim,
                            codeval=code,
                            citation="CMS NCCI MUE practitioner table",
                            carc="151",
                        )
                    )
        if aoc is not None:
            codes = {line.code for _, line in lines}
            for n, line in lines:
                addon = aoc.get(line.code)
                if addon is None or addon.edit_type == 2:
                    continue
                if not addon.primaries & codes:
                    out.append(
                        _issue(
                            "S10",
                            "AOC_WITHOUT_PRIMARY",
                            Severity.ERROR,
                            f"{line.code} is an add-on code and none of its primary codes is on the claim "
                            f"(e.g. {', '.join(sorted(addon.primaries)[:4])})",
                            claim,
                            line=n,
                            codeval=line.code,
                            citation="CMS NCCI add-on code edits",
                            carc="107",
                        )
                    )
        return out

    # S12 ------------------------------------------------------------------------------------
    def timely(self, claim: Claim) -> list[Issue]:
        rules = self.payer_rules.get(claim.coverage.payer.id)
        limit = (
            rules.timely_filing_days if rules and rules.timely_filing_days else claim.coverage.payer.timely_filing_days
        )
        anchor = claim.through_date if claim.kind == ClaimKind.INSTITUTIONAL else claim.service_date
        age = (self.as_of - anchor).days
        if age > limit:
            return [
                _issue(
                    "S12",
                    "TIMELY_FILING",
                    Severity.ERROR,
                    f"{age} days since the date of service; {claim.coverage.payer.name} allows {limit}",
                    claim,
                    citation="42 CFR 424.44 (Medicare); payer contract",
                    carc="29",
                )
            ]
        if age > limit - 15:
            return [
                _issue(
                    "S12",
                    "TIMELY_FILING_SOON",
                    Severity.WARNING,
                    f"{limit - age} days left to file with {claim.coverage.payer.name}",
                    claim,
                    citation="payer contract",
                )
            ]
        return []

    # S13 ------------------------------------------------------------------------------------
    @staticmethod
    def duplicate_keys(claim: Claim) -> list[tuple[str, ...]]:
        return [
            (
                claim.patient.id,
                claim.billing.npi,
                (line.service_date or claim.service_date).isoformat(),
                line.code,
                ":".join(line.modifiers),
            )
            for line in claim.lines
        ]

    def duplicates(self, claim: Claim) -> list[Issue]:
        if claim.frequency in ("7", "8"):
            return []
        out = []
        for n, key in enumerate(self.duplicate_keys(claim), start=1):
            if key in self.submitted:
                out.append(
                    _issue(
                        "S13",
                        "DUPLICATE_LINE",
                        Severity.ERROR,
                        f"{key[3]} for this patient on {key[2]} was already billed; send a corrected "
                        "claim (frequency 7) instead",
                        claim,
                        line=n,
                        codeval=key[3],
                        citation="payer duplicate-claim edits",
                        carc="18",
                    )
                )
        return out

    # S15 ------------------------------------------------------------------------------------
    def authorization(self, claim: Claim) -> list[Issue]:
        rules = self.payer_rules.get(claim.coverage.payer.id)
        if rules is None or claim.prior_authorization:
            return []
        return [
            _issue(
                "S15",
                "PRIOR_AUTH_MISSING",
                Severity.ERROR,
                f"{claim.coverage.payer.name} requires prior authorization for {line.code}; add REF*G1 (box 23)",
                claim,
                line=n,
                codeval=line.code,
                citation="payer prior-authorization list",
                carc="197",
            )
            for n, line in enumerate(claim.lines, start=1)
            if line.code in rules.prior_auth_codes
        ]

    # S18 ------------------------------------------------------------------------------------
    def clia(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        labs = [
            (n, line)
            for n, line in enumerate(claim.lines, start=1)
            if line.code[:1] == "8" and line.code.isdigit() and line.code >= "80047"
        ]
        if labs and not claim.clia_number:
            out.append(
                _issue(
                    "S18",
                    "CLIA_MISSING",
                    Severity.ERROR,
                    "laboratory services need the practice's CLIA number (REF*X4, box 23)",
                    claim,
                    citation="42 CFR 493; CMS CLIA",
                    carc="16 / MA120",
                )
            )
        for n, line in labs:
            if line.code in CLIA_WAIVED and "QW" not in line.modifiers:
                out.append(
                    _issue(
                        "S18",
                        "CLIA_QW_MISSING",
                        Severity.WARNING,
                        f"{line.code} is usually done on a CLIA-waived system: append QW if so",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CMS CLIA-waived test list",
                        carc="B7",
                    )
                )
        return out

    # S20 ------------------------------------------------------------------------------------
    def modifiers(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        fees = self._tables_for(claim.service_date)[4]
        for n, line in enumerate(claim.lines, start=1):
            mods = line.modifiers
            if len(mods) != len(set(mods)):
                out.append(
                    _issue(
                        "S20",
                        "MOD_DUPLICATE",
                        Severity.ERROR,
                        "the same modifier appears twice",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CMS-1500 box 24D",
                        carc="4",
                    )
                )
            if "25" in mods and not line.code.startswith(EM_PREFIXES):
                out.append(
                    _issue(
                        "S20",
                        "MOD_25_NOT_EM",
                        Severity.ERROR,
                        f"modifier 25 belongs on an E/M code, not {line.code}",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CPT modifier 25",
                        carc="4",
                    )
                )
            if "50" in mods and ({"LT", "RT"} & set(mods)):
                out.append(
                    _issue(
                        "S20",
                        "MOD_50_WITH_SIDE",
                        Severity.ERROR,
                        "modifier 50 (bilateral) with LT/RT on the same line",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CMS bilateral surgery indicator",
                        carc="4",
                    )
                )
            if fees is not None and ({"26", "TC"} & set(mods)):
                rvu = fees.get(line.code)
                if rvu is not None and rvu.pctc not in ("1", "6"):
                    out.append(
                        _issue(
                            "S20",
                            "MOD_PCTC",
                            Severity.ERROR,
                            f"{line.code} has no professional/technical split (PC/TC indicator "
                            f"{rvu.pctc}); remove 26/TC",
                            claim,
                            line=n,
                            codeval=line.code,
                            citation="MPFS PC/TC indicator",
                            carc="4",
                        )
                    )
            if fees is not None and "50" in mods:
                rvu = fees.get(line.code)
                if rvu is not None and rvu.bilateral not in ("1", "3"):
                    out.append(
                        _issue(
                            "S20",
                            "MOD_50_NOT_ALLOWED",
                            Severity.WARNING,
                            f"{line.code} is not priced for bilateral surgery (indicator {rvu.bilateral})",
                            claim,
                            line=n,
                            codeval=line.code,
                            citation="MPFS bilateral indicator",
                        )
                    )
        return out

    # S7 -------------------------------------------------------------------------------------
    def age_sex(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        person = claim.patient.person
        if person.birth_date is None:
            return out
        dos = claim.service_date
        age = (
            dos.year
            - person.birth_date.year
            - ((dos.month, dos.day) < (person.birth_date.month, person.birth_date.day))
        )
        for n, line in enumerate(claim.lines, start=1):
            if line.code[:4] in ("9938", "9939") and line.code[4:] in PREVENTIVE_BANDS:
                low, high = PREVENTIVE_BANDS[line.code[4:]]
                if not low <= age <= high:
                    out.append(
                        _issue(
                            "S7",
                            "AGE_PREVENTIVE_BAND",
                            Severity.ERROR,
                            f"{line.code} is for ages {low}-{high}; the patient is {age}",
                            claim,
                            line=n,
                            codeval=line.code,
                            citation="CPT preventive medicine age bands",
                            carc="6",
                        )
                    )
        for code in claim.diagnoses:
            chapter = code[:1]
            if chapter == "O" and person.sex == "M":
                out.append(
                    _issue(
                        "S7",
                        "SEX_DX",
                        Severity.ERROR,
                        f"{code} (pregnancy chapter) on a male patient",
                        claim,
                        codeval=code,
                        citation="ICD-10-CM chapter 15; MCE sex edits",
                        carc="7",
                    )
                )
            if chapter == "P" and age > 0 and not code.startswith("P00"):
                out.append(
                    _issue(
                        "S7",
                        "AGE_DX_PERINATAL",
                        Severity.WARNING,
                        f"{code} is a perinatal code; check it for a patient aged {age}",
                        claim,
                        codeval=code,
                        citation="ICD-10-CM Guidelines I.C.16",
                        carc="9",
                    )
                )
        return out

    # S14 ------------------------------------------------------------------------------------
    def eligibility(self, claim: Claim) -> list[Issue]:
        cov = claim.coverage
        if cov.active_on(claim.service_date):
            return []
        when = f"ended {cov.end}" if cov.end and claim.service_date > cov.end else f"starts {cov.start}"
        return [
            _issue(
                "S14",
                "COVERAGE_NOT_ACTIVE",
                Severity.ERROR,
                f"coverage with {cov.payer.name} {when}; the date of service is {claim.service_date}",
                claim,
                citation="270/271 eligibility on the date of service",
                carc="27",
            )
        ]

    # S16 ------------------------------------------------------------------------------------
    def place_of_service(self, claim: Claim) -> list[Issue]:
        out: list[Issue] = []
        rules = self.payer_rules.get(claim.coverage.payer.id)
        for n, line in enumerate(claim.lines, start=1):
            pos = line.place_of_service or claim.place_of_service
            if pos and pos not in self.code_sets.billing.place_of_service:
                out.append(
                    _issue(
                        "S16",
                        "POS_UNKNOWN",
                        Severity.ERROR,
                        f"place of service {pos} is not a CMS POS code",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CMS Place of Service code set",
                        carc="5",
                    )
                )
            elif (
                pos in ("02", "10")
                and rules is not None
                and rules.telehealth_codes
                and line.code not in rules.telehealth_codes
            ):
                out.append(
                    _issue(
                        "S16",
                        "POS_TELEHEALTH_CODE",
                        Severity.WARNING,
                        f"{line.code} is not on {claim.coverage.payer.name}'s telehealth list (POS {pos})",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="payer telehealth policy",
                        carc="5",
                    )
                )
            if line.code.startswith(("9920", "9921")) and pos in ("21", "22", "23"):
                out.append(
                    _issue(
                        "S16",
                        "POS_OFFICE_CODE",
                        Severity.WARNING,
                        f"{line.code} is an office visit code billed with facility POS {pos}",
                        claim,
                        line=n,
                        codeval=line.code,
                        citation="CPT E/M categories",
                        carc="5",
                    )
                )
        return out

    # S17 ------------------------------------------------------------------------------------
    def enrollment(self, claim: Claim) -> list[Issue]:
        rules = self.payer_rules.get(claim.coverage.payer.id)
        if rules is None or not rules.enrolled_npis:
            return []
        out = []
        for role, provider in (("billing", claim.billing), ("rendering", claim.rendering)):
            if provider is not None and provider.npi and provider.npi not in rules.enrolled_npis:
                out.append(
                    _issue(
                        "S17",
                        "PROVIDER_NOT_ENROLLED",
                        Severity.ERROR,
                        f"{role} NPI {provider.npi} is not on {claim.coverage.payer.name}'s roster",
                        claim,
                        citation="payer enrollment roster; PECOS for Medicare",
                        carc="183 / 184",
                    )
                )
        return out

    # S19 ------------------------------------------------------------------------------------
    def coordination(self, claim: Claim) -> list[Issue]:
        if claim.coverage.priority in ("S", "T") and not claim.other_coverages:
            return [
                _issue(
                    "S19",
                    "COB_PRIMARY_MISSING",
                    Severity.ERROR,
                    f"a {'secondary' if claim.coverage.priority == 'S' else 'tertiary'} claim must carry the "
                    "primary payer and its adjudication (loops 2320/2430)",
                    claim,
                    citation="ASC X12 837 COB; domain-rules S19",
                    carc="22",
                )
            ]
        return []
