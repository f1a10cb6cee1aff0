"""The note reader's tokenizer: its shortcut for plain words gives the tokens spaCy's rules give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokenizer import Tokenizer

from openrcm.coding.note import _pipeline

PIECES = [
    *" .,;:-/()'\"+%$#",
    "\n",
    "Pain",
    "pain",
    "HTN",
    "b/l",
    "12",
    "3a",
    "km",
    "mg",
    "5mg",
    "don't",
    "cannot",
    "Dr",
    "Dr.",
    "e.g.",
    "U.S.",
    "'s",
    "...",
    "x2",
    "US$",
    "°F",
    "é",
    "—",
]


def _reference() -> tuple[Tokenizer, Tokenizer]:
    ours = _pipeline().tokenizer
    assert isinstance(ours, Tokenizer)
    rules = Tokenizer(
        ours.vocab,
        rules=ours.rules,
        prefix_search=ours.prefix_search,
        suffix_search=ours.suffix_search,
        infix_finditer=ours.infix_finditer,
        token_match=None,
        url_match=ours.url_match,
    )
    return ours, rules


def _tokens(tokenizer: Tokenizer, text: str) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in tokenizer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_plain_words_are_tokens_as_the_affix_rules_make_them(parts: list[str]) -> None:
    ours, rules = _reference()
    text = "".join(parts)
    assert _tokens(ours, text) == _tokens(rules, text)


def test_a_clinical_paragraph_tokenizes_the_same() -> None:
    ours, rules = _reference()
    text = (
        "A/P: 1. HTN - BP 142/88, cont lisinopril 20mg daily. 2. T2DM (A1c 7.4%), f/u 3 mo.\n"
        "Pt's mother reports 2-3 episodes/wk; denies CP/SOB. CKD stage 3a; eGFR 52. Dr. Lee's note reviewed."
    )
    assert _tokens(ours, text) == _tokens(rules, text)
    assert ("HTN", " ") in _tokens(ours, text)
