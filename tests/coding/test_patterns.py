"""The fast alternation finds what the plain IGNORECASE alternation finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.coding.em import TEST_NAMES
from openrcm.coding.patterns import alternation, expression, literal_first, split_alternatives, terms_pattern
from openrcm.coding.procedures import catalogue

SENTENCES = (
    "Rapid strep antigen (CLIA-waived) positive; U/A dipstick negative.",
    "POC hemoglobin 11.2 g/dL. HbA1c 7.4% today; BMP, CBC and lipid panel ordered.",
    "Urine albumin/creatinine ratio 45; eGFR 52. Chest X-ray clear. CT head deferred.",
    "Ceftriaxone 500 mg IM given in the left gluteus. Tdap 0.5 mL IM left deltoid.",
    "Shave biopsy of the right nasal ala; cryotherapy (LN2) to 5 actinic keratoses.",
    "Cerumen removed with curette from the left ear. 12-lead ECG performed and interpreted.",
    "Agriculture worker; the cultures were sent. Scared of needles. Inrush. Hgb:9.8",
    "Influenza A/B antigen negative. COVID-19 rapid antigen negative. Fingerstick glucose 112.",
    "Dexa scan due; PSA 1.2; TSH normal; iron panel pending; sed rate 20, CRP 4.",
    "Intra-articular injection of the right knee with triamcinolone 40 mg.",
)


def kinds() -> list[list[str]]:
    data = catalogue()
    return [list(TEST_NAMES)] + [
        [p for e in data[k] for p in e["patterns"]] for k in ("lab", "vaccine", "drug", "procedure")
    ]


def test_split_alternatives_keeps_groups_and_classes_whole() -> None:
    assert split_alternatives(r"\bcxr\b|chest x-?ray") == [r"\bcxr\b", "chest x-?ray"]
    assert split_alternatives(r"\b(?:a|b)c|[|]d|e\|f") == [r"\b(?:a|b)c", "[|]d", r"e\|f"]


def test_literal_first_rewrites_a_leading_word_boundary() -> None:
    assert literal_first(r"\bbmp\b") == [r"b(?<!\wb)mp\b"]
    assert literal_first(r"\b(?:inr|pt/inr)\b") == [r"i(?<!\wi)nr\b", r"p(?<!\wp)t/inr\b"]
    assert literal_first(r"\b(?:rapid )?flu") == [r"\b(?:rapid )?flu"]  # a quantified group stays
    assert literal_first(r"\bx?ray") == [r"\bx?ray"]


@pytest.mark.parametrize("expressions", kinds(), ids=["tests", "lab", "vaccine", "drug", "procedure"])
def test_the_same_matches_as_the_plain_alternation(expressions: list[str]) -> None:
    fast = alternation(expressions)
    plain = re.compile("|".join(f"(?P<t{n}>{e})" for n, e in enumerate(expressions)), re.IGNORECASE)
    for sentence in SENTENCES:
        want = {int(str(m.lastgroup)[1:]) for m in plain.finditer(sentence)}
        assert fast.owners_found(sentence) == want, sentence
        assert fast.search(sentence) == bool(want)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*" .,;:-/()", "bmp", "Cbc", "x-ray", "IM", "given", "knee", "inr", "a1c", "ab"])))
def test_any_text_matches_the_same(parts: list[str]) -> None:
    text = "".join(parts)
    for expressions in kinds()[:2]:
        fast = alternation(expressions)
        assert fast.owners_found(text) == fast.owners_found(text.upper()) == _plain_owners(expressions, text)


def _plain_owners(expressions: list[str], text: str) -> set[int]:
    plain = re.compile("|".join(f"(?P<t{n}>{e})" for n, e in enumerate(expressions)), re.IGNORECASE)
    return {int(str(m.lastgroup)[1:]) for m in plain.finditer(text)}


def test_non_ascii_text_is_read_the_slow_way() -> None:
    fast = alternation(TEST_NAMES)
    assert fast.owners_found("Hémoglobin check; CBC — done") == _plain_owners(
        list(TEST_NAMES), "Hémoglobin check; CBC — done"
    )


def test_upper_case_expressions_are_refused() -> None:
    with pytest.raises(ValueError, match="lower case"):
        alternation([r"\bBMP\b"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([" ", "-", ".", "x", "metformin", "insulin", "aspirin", "asa", "as", "co2", "2 ", "ec", "i"])
    )
)
def test_terms_pattern_matches_where_a_leading_lookbehind_would(parts: list[str]) -> None:
    """The shared-prefix expression finds what the plain longest-first alternation finds, also where
    one term is the start of another ("as", "asa", "aspirin", "aspirin ec")."""
    terms = ("metformin", "insulin", "in", "aspirin", "aspirin ec", "asa", "as", "co2", "2 x", "i")
    text = "".join(parts)
    body = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    for whole, tail in ((True, "(?![a-z])"), (False, "")):
        plain = re.compile(f"(?<![a-z])(?:{body}){tail}")
        got = [(m.start(), m.group(0)) for m in terms_pattern(terms, whole_words=whole).finditer(text)]
        assert got == [(m.start(), m.group(0)) for m in plain.finditer(text)]


EXPRESSIONS = (
    r"\b(?:warfarin|lithium|digoxin)\b",
    r"\botc\b|over the counter|acetaminophen",
    r"total time[^:\n]{0,40}:?\s*(\d{1,3})\s*min",
    r"(?:chronic kidney disease|ckd)[^.;\n]{0,30}?stage\s*(5|4|3a|3b|3|2|1)\b|\bckd\s*(5|4|3a|3b|3|2|1)\b",
    r"\b(?:score|scored|\d{1,2}\b)",
    r"\b(?:biopsied|removed|injected)\w*",
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *" .,;:-/()\n",
                "Warfarin",
                "lithium",
                "OTC",
                "xotc",
                "Total time",
                "35",
                "min",
                "CKD",
                "stage 3a",
                "chronic kidney disease",
                "score",
                "Removed",
                "injected",
                "é",
            ]
        )
    )
)
def test_an_expression_matches_where_the_ignorecase_original_does(parts: list[str]) -> None:
    text = "".join(parts)
    for pattern in EXPRESSIONS:
        plain = re.compile(pattern, re.IGNORECASE)
        want = [(m.span(), tuple(g and g.lower() for g in m.groups())) for m in plain.finditer(text)]
        found = expression(pattern)
        assert [(m.span(), tuple(g and g.lower() for g in m.groups())) for m in found.finditer(text)] == want
        first = found.search(text)
        assert (first.span() if first else None) == (want[0][0] if want else None)


def test_an_expression_keeps_its_groups_numbered() -> None:
    # the rewriting would repeat the group after "\b(?:a|b)": the expression is kept whole
    found = expression(r"\b(?:ckd|stage)\s*(\d)")
    match = found.search("CKD 3")
    assert match is not None and match.group(1) == "3"
    assert expression(r"\b(?:ckd|stage)\s*\d").fast.pattern.startswith("c(?<!\\wc)")


def test_upper_case_expression_is_refused() -> None:
    with pytest.raises(ValueError, match="lower case"):
        expression(r"\bBMP\b")
