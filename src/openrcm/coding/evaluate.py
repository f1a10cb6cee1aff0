"""`openrcm eval coding`: the coder against gold files (vignettes JSON, or the CodiEsp layout)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from openrcm.codesets.icd10cm.release import Icd10cmRelease
from openrcm.coding.coder import Coder
from openrcm.coding.model import CodedEncounter, EncounterContext, Setting
from openrcm.core.errors import DataFileError


@dataclass(frozen=True, slots=True)
class GoldCase:
    id: str
    note: str
    context: EncounterContext
    icd10cm: tuple[str, ...]
    procedures: tuple[tuple[str, tuple[str, ...], int], ...] | None
    em_code: str | None
    has_em: bool
    category_only: bool = False  # gold known only to the ICD-10-CM category (mapped from ICD-9-CM)
    sequenced: bool = True  # the gold lists the codes in sequence (first-listed first), not just as a set


def load_vignettes(folder: Path) -> Iterator[GoldCase]:
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataFileError(path, f"not a JSON gold file ({exc})") from None
        try:
            enc = data["encounter"]
            ctx = EncounterContext(
                Setting(data.get("setting", "outpatient")),
                dt.date.fromisoformat(data["date_of_service"]),
                int(data["patient"]["age"]),
                data["patient"]["sex"],
                bool(enc.get("new_patient", False)),
                str(enc.get("place_of_service", "11")),
            )
            gold = data["gold"]
            yield GoldCase(
                data["id"],
                data["note"],
                ctx,
                tuple(gold["icd10cm"]),
                tuple((p["code"], tuple(p.get("modifiers", ())), int(p.get("units", 1))) for p in gold["procedures"]),
                gold.get("em_code"),
                True,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(path, f"missing or malformed field {exc}") from None


def load_codiesp(folder: Path, split: str | None = None) -> Iterator[GoldCase]:
    """CodiEsp: ``<split>/text_files_en/*.txt`` and ``<split>/<split>D.tsv``; ``folder`` may be the split itself."""
    split_dir = folder / split if split else folder
    name = split_dir.name
    tsv = split_dir / f"{name}D.tsv"
    if not tsv.exists():
        raise DataFileError(tsv, "CodiEsp diagnosis file not found")
    codes: dict[str, list[str]] = {}
    for line in tsv.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            codes.setdefault(parts[0], []).append(parts[1].strip().upper())
    # Case reports carry no date; they are coded against the release in force on its first day.
    for path in sorted((split_dir / "text_files_en").glob("*.txt")):
        ctx = EncounterContext(Setting.INPATIENT, dt.date(2026, 4, 1), 50, "U")
        # CodiEsp-D gold is a set of codes (ranked only by the systems, for MAP): no first-listed code
        gold = tuple(codes.get(path.stem, []))
        yield GoldCase(path.stem, path.read_text("utf-8"), ctx, gold, None, None, False, sequenced=False)


def _cmc_crosswalk() -> dict[str, str]:
    text = resources.files("openrcm.data").joinpath("cmc2007_icd9_to_icd10cm.csv").read_text("utf-8")
    return {row["icd9"]: row["icd10cm_category"] for row in csv.DictReader(io.StringIO(text))}


def load_cmc2007(folder: Path) -> Iterator[GoldCase]:
    """The CMC 2007 challenge's pediatric radiology reports (``*ChallengeTrainData.xml``), ICD-9-CM coded.

    The gold is the majority of three coding companies; each ICD-9-CM code is carried to its ICD-10-CM
    category by our crosswalk (``openrcm/data/cmc2007_icd9_to_icd10cm.csv``), so the codes are
    compared by category. A code the crosswalk lacks stays in the gold as ``ICD9:<code>`` (a miss).
    """
    files = sorted(folder.glob("*Challenge*Data.xml"))
    if not files:
        raise DataFileError(folder, "no CMC 2007 challenge XML (*Challenge*Data.xml)")
    crosswalk = _cmc_crosswalk()
    for path in files:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise DataFileError(path, f"not XML ({exc})") from None
        for doc in root.iter("doc"):
            texts = {t.get("type"): (t.text or "").strip() for t in doc.iter("text")}
            history, impression = texts.get("CLINICAL_HISTORY", ""), texts.get("IMPRESSION", "")
            note = f"Clinical history: {history}\n\nImpression: {impression}\n"
            gold = [
                crosswalk.get(code.text or "", f"ICD9:{code.text}")
                for code in doc.iter("code")
                if code.get("origin") == "CMC_MAJORITY"
            ]
            # Radiology reports carry no date, age or sex: the release in force on its first day, a child.
            ctx = EncounterContext(Setting.OUTPATIENT, dt.date(2026, 4, 1), 8, "U", place_of_service="22")
            # the majority codes are listed in ICD-9-CM code order, not in sequence: a first-listed code is
            # known only where there is one code
            codes = tuple(dict.fromkeys(gold))
            yield GoldCase(doc.get("id", ""), note, ctx, codes, None, None, False, True, sequenced=len(codes) == 1)


def detect(path: Path) -> Callable[[Path], Iterator[GoldCase]]:
    if any(path.glob("*Challenge*Data.xml")):
        return load_cmc2007
    if any(path.glob("*.json")):
        return load_vignettes
    if (path / "text_files_en").is_dir():
        return load_codiesp
    if (path / "test" / "text_files_en").is_dir():
        return lambda p: load_codiesp(p, "test")
    raise DataFileError(
        path, "neither vignette JSON files, a CodiEsp split (text_files_en/ and <split>D.tsv) nor the CMC 2007 XML"
    )


def _external(code: str) -> bool:
    return code[:1] in "VWXY"


@dataclass(slots=True)
class Scores:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    first_ok: int = 0
    first_n: int = 0
    proc_tp: int = 0
    proc_fp: int = 0
    proc_fn: int = 0
    proc_n: int = 0  # cases whose gold lists procedures
    em_ok: int = 0
    em_n: int = 0
    ap_sum: float = 0.0
    carried: int = 0  # predicted codes matched to a less specific gold code (see in_gold_terms)
    exact_tp: int = 0  # the same tallies with codes compared character for character
    exact_fp: int = 0
    seconds: float = 0.0
    per_case: list[dict[str, Any]] = field(default_factory=list)

    def _exact_f1(self) -> float | None:
        """Micro-F1 with no code carried to a less specific gold code (None for category-level gold)."""
        if not self.exact_tp + self.exact_fp:
            return None
        p = self.exact_tp / (self.exact_tp + self.exact_fp)
        r = self.exact_tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    def result(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        p = ratio(self.tp, self.tp + self.fp)
        r = ratio(self.tp, self.tp + self.fn)
        pp = ratio(self.proc_tp, self.proc_tp + self.proc_fp)
        pr = ratio(self.proc_tp, self.proc_tp + self.proc_fn)
        return {
            "n": self.n,
            "icd10cm_micro_precision": p,
            "icd10cm_micro_recall": r,
            "icd10cm_micro_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "first_listed_accuracy": ratio(self.first_ok, self.first_n) if self.first_n else None,
            "first_listed_n": self.first_n,
            "map": round(self.ap_sum / self.n, 4) if self.n else 0.0,
            # null where the gold has no procedures or E/M (CodiEsp-D, CMC 2007): nothing was measured
            "procedure_precision": pp if self.proc_n else None,
            "procedure_recall": pr if self.proc_n else None,
            "procedure_f1": (round(2 * pp * pr / (pp + pr), 4) if pp + pr else 0.0) if self.proc_n else None,
            "em_exact": ratio(self.em_ok, self.em_n) if self.em_n else None,
            "matched_under_partial_gold_code": self.carried,
            "icd10cm_micro_f1_exact_codes": self._exact_f1(),
            "notes_per_second": round(self.n / self.seconds, 1) if self.seconds else 0.0,
        }


def in_gold_terms(predicted: list[str], gold: set[str], is_billable: Callable[[str], bool]) -> tuple[list[str], int]:
    """Predicted codes carried to the gold code they refine, where that gold code is not a complete code of
    the release the note was coded with: a code since expanded (CodiEsp's 2018 "R51 Headache" is R51.9
    today; "M54.5" is M54.50-M54.59) or one written without its 7th character ("T14.8" for T14.8XXA).
    The gold says no more than its code; a code under it agrees with it. Returns the codes and how many
    were carried."""
    partial = sorted((g for g in gold if not is_billable(g)), key=len, reverse=True)
    carried = 0
    out: list[str] = []
    for code in predicted:
        under = None
        if code not in gold:
            plain = code.replace(".", "")
            under = next((g for g in partial if plain.startswith(g.replace(".", ""))), None)
            carried += under is not None
        out.append(under or code)
    return list(dict.fromkeys(out)), carried


def average_precision(ranked: list[str], gold: set[str]) -> float:
    hits = 0
    total = 0.0
    for k, code in enumerate(ranked, start=1):
        if code in gold:
            hits += 1
            total += hits / k
    return total / len(gold) if gold else 0.0


def evaluate(coder: Coder, cases: Iterator[GoldCase], progress: Callable[[str], None] = lambda _: None) -> Scores:
    scores = Scores()
    coder.warm_up()

    def release_of(case: GoldCase) -> Icd10cmRelease:
        found = coder.code_sets.icd10cm.for_date(case.context.date_of_service)
        if isinstance(found, Icd10cmRelease):
            return found
        raise DataFileError(Path(case.id), "no ICD-10-CM release covers the gold case's date")

    for case in cases:
        start = time.perf_counter()
        coded: CodedEncounter = coder.code(case.note, case.context)
        scores.seconds += time.perf_counter() - start
        scores.n += 1
        predicted = [d.code for d in coded.diagnoses if not _external(d.code)]
        gold = [c for c in case.icd10cm if not _external(c)]
        if case.category_only:
            predicted = list(dict.fromkeys(code[:3] for code in predicted))
        else:
            exact = set(predicted)
            scores.exact_tp += len(exact & set(gold))
            scores.exact_fp += len(exact - set(gold))
            is_billable = release_of(case).is_billable
            predicted, carried = in_gold_terms(predicted, set(gold), is_billable)
            scores.carried += carried
        pset, gset = set(predicted), set(gold)
        scores.tp += len(pset & gset)
        scores.fp += len(pset - gset)
        scores.fn += len(gset - pset)
        if case.sequenced and gold:
            scores.first_n += 1
            scores.first_ok += int(bool(predicted) and predicted[0] == gold[0])
        ranked = [d.code for d in sorted(coded.diagnoses, key=lambda d: -d.confidence)]
        if case.category_only:
            ranked = list(dict.fromkeys(code[:3] for code in ranked))
        else:
            ranked = in_gold_terms(ranked, gset, is_billable)[0]
        scores.ap_sum += average_precision(ranked, gset)
        case_report: dict[str, Any] = {
            "id": case.id,
            "missing": sorted(gset - pset),
            "extra": sorted(pset - gset),
            "first": [predicted[0] if predicted else None, gold[0] if gold else None],
        }
        if case.procedures is not None:
            scores.proc_n += 1
            got = Counter((p.code, tuple(sorted(p.modifiers))) for p in coded.procedures)
            want = Counter((c, tuple(sorted(m))) for c, m, _ in case.procedures)
            scores.proc_tp += sum((got & want).values())
            scores.proc_fp += sum((got - want).values())
            scores.proc_fn += sum((want - got).values())
            case_report["procedures_missing"] = sorted(f"{c}{'-' + '-'.join(m) if m else ''}" for c, m in (want - got))
            case_report["procedures_extra"] = sorted(f"{c}{'-' + '-'.join(m) if m else ''}" for c, m in (got - want))
        if case.has_em:
            scores.em_n += 1
            scores.em_ok += int(coded.em_code == case.em_code)
            case_report["em"] = [coded.em_code, case.em_code]
        scores.per_case.append(case_report)
        progress(case.id)
    return scores
