"""ICD-10-CM releases, effective-dated, and the checks a coder makes against them.

ICD-10-CM changes every October 1 (the fiscal year) and, when CMS publishes one, on April 1.
A release covers the dates from its effective date until the day before the next loaded release
starts, and never past the end of its own period (an October release ends the next September 30,
an April release the same September 30). A date of service that no loaded release covers is a
finding, not an exception.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openrcm.codesets.cache import cached
from openrcm.codesets.icd10cm.index import AlphabeticIndex, IndexHit, parse_index_csv, parse_index_xml, words
from openrcm.codesets.icd10cm.model import Icd10cmCode, NodeKind, NoteKind
from openrcm.codesets.icd10cm.tabular import Tabular, parse_tabular
from openrcm.core.issue import Issue, Location, Severity
from openrcm.core.text import common_prefix_length

CITATION_TABULAR = "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A and I.B.1-3"
_MONTHS = {"april": 4, "apr": 4, "october": 10, "oct": 10}


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    system: str
    name: str
    effective: dt.date
    ends: dt.date  # inclusive
    sources: tuple[str, ...]
    remarks: tuple[str, ...] = ()

    def covers(self, day: dt.date) -> bool:
        return self.effective <= day <= self.ends


@dataclass(slots=True)
class Icd10cmRelease:
    """One release: its Tabular List, and the Index and tables paired with it."""

    info: ReleaseInfo
    tabular: Tabular
    index: AlphabeticIndex | None = None
    external_cause: AlphabeticIndex | None = None
    neoplasm: AlphabeticIndex | None = None
    drugs: AlphabeticIndex | None = None
    _described: dict[str, Icd10cmCode | None] = field(default_factory=dict)

    def describe(self, code: str) -> Icd10cmCode | None:
        """The Tabular facts for a normalized code (``E11.22``), or None when it is not in this release."""
        if code not in self._described:
            self._described[code] = self.tabular.describe(code, self.info.name)
        return self._described[code]

    def is_billable(self, code: str) -> bool:
        return code in self.tabular.billable

    def indexes(self) -> list[AlphabeticIndex]:
        return [i for i in (self.index, self.neoplasm, self.drugs, self.external_cause) if i is not None]

    def lookup(self, query: str, limit: int = 5) -> list[IndexHit]:
        """Search the Index of Diseases and Injuries, then the tables, best paths first."""
        hits: list[IndexHit] = []
        for idx in self.indexes():
            hits.extend(idx.search(query, limit))
        hits.sort(key=lambda h: (-h.matched, -h.explicit, h.penalty, len(h.path)))
        return hits[:limit]

    def nearest(self, code: str, limit: int = 5) -> list[str]:
        """Valid billable codes closest to an invalid one (the deepest existing parent's codes first)."""
        bare = code.replace(".", "")
        for cut in range(len(bare), 2, -1):
            prefix = normalize_code(bare[:cut])
            if prefix and self.tabular.exists(prefix) and prefix != code:
                below = list(self.tabular.descendants(prefix))
                if below:
                    return sorted(below, key=lambda c: (-common_prefix_length(c, code), c))[:limit]
        return difflib.get_close_matches(code, sorted(self.tabular.billable), n=limit, cutoff=0.6)


_CODE_INPUT = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z][0-9A-Z]{0,4}$")


@functools.lru_cache(maxsize=200_000)
def normalize_code(text: str) -> str | None:
    """``e1122`` / `` E11.22 `` / ``E11.22`` -> ``E11.22``; None when it cannot be an ICD-10-CM code."""
    compact = "".join(text.split()).upper()
    if compact.count(".") > 1 or ("." in compact and compact.index(".") != 3):
        return None
    bare = compact.replace(".", "")
    if not _CODE_INPUT.match(bare):
        return None
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The answer to "may I use this code on this date?"."""

    code: str
    release: Icd10cmRelease | None
    entry: Icd10cmCode | None
    issues: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        return (
            self.entry is not None
            and self.entry.billable
            and not any(i.severity == Severity.ERROR for i in self.issues)
        )


class Icd10cm:
    """Every loaded ICD-10-CM release; :meth:`for_date` picks the one in force on a date of service."""

    def __init__(self, releases: Iterable[Icd10cmRelease]) -> None:
        self.releases = tuple(sorted(releases, key=lambda r: r.info.effective))

    def for_date(self, dos: dt.date) -> Icd10cmRelease | Issue:
        for release in self.releases:
            if release.info.covers(dos):
                return release
        loaded = (
            ", ".join(
                f"{r.info.name} ({r.info.effective.isoformat()} to {r.info.ends.isoformat()})" for r in self.releases
            )
            or "none"
        )
        return Issue(
            code="ICD10CM_NO_RELEASE",
            severity=Severity.ERROR,
            message=(
                f"No loaded ICD-10-CM release covers the date of service {dos.isoformat()}. "
                f"Loaded: {loaded}. Load the release in force on that date (CDC/CMS files for the fiscal year)."
            ),
            rule_id="S4",
            citation="ICD-10-CM is effective-dated: new codes every October 1, updates on April 1",
        )

    def check(self, text: str, dos: dt.date, location: Location | None = None) -> CodeCheck:
        """Is ``text`` a valid, billable ICD-10-CM code on ``dos``? Findings say why not and what is near."""
        where = location or Location(code=text.strip())
        code = normalize_code(text)
        if code is None:
            return CodeCheck(
                text,
                None,
                None,
                (
                    Issue(
                        "ICD10CM_MALFORMED",
                        Severity.ERROR,
                        f"{text.strip()!r} is not shaped like an ICD-10-CM code (a letter, two characters, "
                        "then up to four more, e.g. E11.22).",
                        where,
                        "S4",
                        CITATION_TABULAR,
                    ),
                ),
            )
        release = self.for_date(dos)
        if isinstance(release, Issue):
            return CodeCheck(code, None, None, (release,))
        entry = release.describe(code)
        if entry is None:
            near = release.nearest(code)
            hint = f" Nearest valid codes: {', '.join(near)}." if near else ""
            return CodeCheck(
                code,
                release,
                None,
                (
                    Issue(
                        "ICD10CM_INVALID",
                        Severity.ERROR,
                        f"{code} is not a code in {release.info.name}.{hint}",
                        where,
                        "S4",
                        CITATION_TABULAR,
                    ),
                ),
            )
        if not entry.billable:
            below = list(release.tabular.descendants(code))[:6]
            if entry.requires_seventh:
                why = (
                    f"{code} needs a 7th character ("
                    + ", ".join(f"{c} {t}" for c, t in entry.seventh_characters)
                    + "), with placeholder X where the code is shorter than six characters"
                )
            else:
                why = f"{code} is a {entry.kind.value} header, not a billable code; code to the highest specificity"
            return CodeCheck(
                code,
                release,
                entry,
                (
                    Issue(
                        "ICD10CM_NOT_BILLABLE",
                        Severity.ERROR,
                        f"{why}. For example: {', '.join(below)}.",
                        where,
                        "S4",
                        CITATION_TABULAR,
                    ),
                ),
            )
        return CodeCheck(code, release, entry, ())


# ---------------------------------------------------------------------------------------------
# Loading from a data directory


def _tabular_phrases(tabular: Tabular) -> dict[frozenset[str], str]:
    """The words of each Tabular title and inclusion term (less "unspecified") -> its code as the Index writes it
    ("H92.0-" where more characters follow), for the phrases only one code says."""
    found: dict[frozenset[str], set[str]] = {}
    for node in tabular.nodes.values():
        if node.kind in (NodeKind.CHAPTER, NodeKind.BLOCK):
            continue
        code = node.id + ("-" if node.children else "")
        phrases = [node.title, *(n.text for n in node.notes if n.kind is NoteKind.INCLUSION_TERM)]
        for phrase in phrases:
            key = frozenset(words(phrase)) - {"unspecified"}
            if key:
                found.setdefault(key, set()).add(code)
    return {key: codes.pop() for key, codes in found.items() if len(codes) == 1}


def tabular_effective(path: Path, version: str) -> dt.date:
    """The effective date of a Tabular file: from a month in its name (April-1-2026), else FY Oct 1."""
    name = path.name.lower()
    year_match = re.search(r"(20\d\d)", name)
    for word, month in _MONTHS.items():
        if re.search(rf"(?<![a-z]){word}(?![a-z])", name) and year_match:
            return dt.date(int(year_match.group(1)), month, 1)
    fiscal = int(version) if version.isdigit() else int(year_match.group(1)) if year_match else 0
    if not fiscal:
        return dt.date.min
    return dt.date(fiscal - 1, 10, 1)


def _fy_end(effective: dt.date) -> dt.date:
    year = effective.year + 1 if effective.month >= 10 else effective.year
    return dt.date(year, 9, 30)


def _year(path: Path) -> int:
    match = re.search(r"(20\d\d)", path.name)
    return int(match.group(1)) if match else 0


def _pick(files: list[Path], fiscal: int) -> Path | None:
    """The file of the release's fiscal year, else the newest older one."""
    eligible = [f for f in files if _year(f) <= fiscal] or []
    return max(eligible, key=_year) if eligible else None


def discover(folder: Path) -> dict[str, list[Path]]:
    xml = sorted(p for p in folder.glob("*.xml"))
    lower = {p: p.name.lower() for p in xml}
    return {
        "tabular": [p for p in xml if "tabular" in lower[p]],
        "eindex": [p for p in xml if "eindex" in lower[p]],
        "neoplasm": [p for p in xml if "neoplasm" in lower[p]],
        "drug": [p for p in xml if "drug" in lower[p]],
        "index": [p for p in xml if "index" in lower[p] and "eindex" not in lower[p] and "tabular" not in lower[p]],
        "index_csv": sorted(p for p in folder.glob("*.csv") if "index" in p.name.lower()),
    }


def load_icd10cm(folder: Path, *, use_cache: bool = True) -> Icd10cm:
    """Load every ICD-10-CM release found in ``folder`` (the data directory's ``icd10cm/``)."""
    files = discover(folder)
    drafts: list[tuple[Path, dt.date]] = []
    for tab in files["tabular"]:
        # version is read from the compiled tabular; a cheap pre-read of the name gives the date
        drafts.append((tab, dt.date.min))
    releases: list[Icd10cmRelease] = []
    for tab, _ in drafts:
        releases.append(_load_release(tab, files, use_cache=use_cache))
    releases.sort(key=lambda r: r.info.effective)
    # a release ends the day before the next one starts
    for i, rel in enumerate(releases[:-1]):
        nxt = releases[i + 1].info.effective
        if nxt - dt.timedelta(days=1) < rel.info.ends:
            rel.info = ReleaseInfo(
                rel.info.system,
                rel.info.name,
                rel.info.effective,
                nxt - dt.timedelta(days=1),
                rel.info.sources,
                rel.info.remarks,
            )
    return Icd10cm(releases)


def _load_release(tab: Path, files: dict[str, list[Path]], *, use_cache: bool) -> Icd10cmRelease:
    fiscal_guess = _year(tab)
    index_xml = _pick(files["index"], fiscal_guess + 1)
    index_csv = None if index_xml else _pick(files["index_csv"], fiscal_guess + 1)
    eindex = _pick(files["eindex"], fiscal_guess + 1)
    neoplasm = _pick(files["neoplasm"], fiscal_guess + 1)
    drug = _pick(files["drug"], fiscal_guess + 1)
    sources = [p for p in (tab, index_xml, index_csv, eindex, neoplasm, drug) if p is not None]

    def build() -> Icd10cmRelease:
        tabular = parse_tabular(tab)
        effective = tabular_effective(tab, tabular.version)
        label = f"ICD-10-CM FY{tabular.version}" + (
            f" ({effective:%B} {effective.day}, {effective.year} update)" if effective.month == 4 else ""
        )
        remarks: list[str] = []
        index = None
        if index_xml is not None:
            index = parse_index_xml(index_xml, "index")
        elif index_csv is not None:
            index = parse_index_csv(index_csv, "index", str(_year(index_csv)))
            remarks.append(
                f"Alphabetic Index from the flattened CSV {index_csv.name} (no manifestation codes, "
                "no 'see category'); supply the CDC index XML for the full Index"
            )
        if index is not None:
            index.place_under_default_kinds(
                lambda code: node.title if (node := tabular.nodes.get(code.rstrip(".-"))) is not None else None
            )
            index.restore_lost_codes(_tabular_phrases(tabular))
        for extra in (index_xml or index_csv, eindex, neoplasm, drug):
            if extra is not None and _year(extra) and _year(extra) < int(tabular.version or 0):
                remarks.append(f"{extra.name} is from FY{_year(extra)}, older than the Tabular List")
        info = ReleaseInfo(
            "ICD-10-CM", label, effective, _fy_end(effective), tuple(p.name for p in sources), tuple(remarks)
        )
        return Icd10cmRelease(
            info,
            tabular,
            index=index,
            external_cause=parse_index_xml(eindex, "external cause") if eindex else None,
            neoplasm=parse_index_xml(neoplasm, "neoplasm", implicit_main_term=True) if neoplasm else None,
            drugs=parse_index_xml(drug, "drugs") if drug else None,
        )

    return cached("icd10cm", sources, build, use_cache=use_cache)
