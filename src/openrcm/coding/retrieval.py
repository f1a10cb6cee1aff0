"""The retrieval fallback: when the Alphabetic Index gives nothing, the Tabular List's own words.

A lexical index over the title and inclusion terms of every billable code (IDF-weighted word
overlap). It is only a fallback: a candidate is used when the statement's words are almost all
found in one code's title or inclusion terms, and the code still passes the Tabular checks.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from openrcm.codesets import NoteKind
from openrcm.codesets.icd10cm.index import words
from openrcm.codesets.icd10cm.release import Icd10cmRelease

GENERIC = frozenset(
    {
        "unspecified",
        "other",
        "specified",
        "nos",
        "nec",
        "type",
        "disease",
        "disorder",
        "condition",
        "site",
        "part",
        "of",
        "without",
        "with",
        "due",
        "encounter",
        "initial",
        "subsequent",
    }
)


# Words a title may hold that the statement need not say: not "disease" or "disorder" ("feeding" is
# not "Other specified feeding disorder", nor "adjustment" "Adjustment disorder").
UNSAID_OK = GENERIC - {"disease", "disorder", "condition"}


@dataclass(frozen=True, slots=True)
class Retrieved:
    code: str
    score: float  # share of the statement's weighted words the code's text accounts for
    text: str  # the title or inclusion term that matched
    complete: bool = True  # the statement says every word of it that names something ("Foot drop" for "drop": no)


class TitleIndex:
    def __init__(self, release: Icd10cmRelease) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        self.docs: list[tuple[str, str, frozenset[str]]] = []
        for code in sorted(release.tabular.billable):
            if code in release.tabular.extended:
                continue  # 7th-character codes share their base code's words
            entry = release.describe(code)
            if entry is None:
                continue
            texts = [entry.title] + [n.text for n in entry.notes if n.kind == NoteKind.INCLUSION_TERM]
            for text in texts:
                doc_words = frozenset(words(text))
                if not doc_words:
                    continue
                doc_id = len(self.docs)
                self.docs.append((code, text, doc_words))
                for word in doc_words:
                    postings[word].append(doc_id)
        # the codes whose title or inclusion term is a set of words no other code's is ("Brief psychotic disorder")
        self._whole: dict[frozenset[str], int] = {}
        shared: set[frozenset[str]] = set()  # said by two codes or more
        for doc_id, (code, _, doc_words) in enumerate(self.docs):
            # (the document's own set where it has no "unspecified": one set in memory, not two)
            key = doc_words - {"unspecified"} if "unspecified" in doc_words else doc_words
            first = self._whole.setdefault(key, doc_id)
            if self.docs[first][0] != code:
                shared.add(key)
        for key in shared:
            del self._whole[key]
        total = len(self.docs) or 1
        self.postings = {w: tuple(ids) for w, ids in postings.items()}
        self.idf = {w: math.log(total / len(ids)) for w, ids in postings.items()}

    def search(self, text: str, limit: int = 3) -> list[Retrieved]:
        # Sums run over words in sorted order and ties fall to the lower document: in a set's order
        # (which varies with the hash seed) float sums and ties would give different answers between runs.
        query = sorted({w for w in words(text) if w not in GENERIC and w in self.idf})
        if not query:
            return []
        weight = sum(self.idf[w] for w in query)
        scores: dict[int, float] = defaultdict(float)
        for word in query:
            for doc_id in self.postings[word]:
                scores[doc_id] += self.idf[word]
        ranked: list[Retrieved] = []
        asked = frozenset(query)
        for doc_id, score in heapq.nsmallest(limit * 8, scores.items(), key=lambda kv: (-kv[1], kv[0])):
            code, doc_text, doc_words = self.docs[doc_id]
            # penalise what the code says that the statement does not
            extra = sum(self.idf.get(w, 0.0) for w in sorted(doc_words - asked - GENERIC))
            complete = not doc_words - asked - UNSAID_OK
            ranked.append(Retrieved(code, score / (weight + 0.5 * extra), doc_text, complete))
        ranked.sort(key=lambda r: -r.score)
        return ranked[:limit]

    def said_whole(self, text: str) -> Retrieved | None:
        """The one billable code whose title or inclusion term is ``text``'s words, neither more nor fewer."""
        doc_id = self._whole.get(frozenset(words(text)) - {"unspecified"})
        if doc_id is None:
            return None
        code, doc_text, _ = self.docs[doc_id]
        return Retrieved(code, 1.0, doc_text)
