"""Property tests: code normalization and code references."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openrcm.codesets import normalize_code
from openrcm.codesets.icd10cm.model import CodeRef

code_chars = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
codes = st.builds(
    lambda a, b, c, rest: a + b + c + "".join(rest),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.sampled_from("0123456789"),
    code_chars,
    st.lists(code_chars, max_size=4),
)


@given(codes, st.sampled_from(["", " ", "  "]), st.booleans(), st.booleans())
def test_normalize_is_forgiving_and_idempotent(code: str, pad: str, lower: bool, dotted: bool) -> None:
    text = code if not dotted or len(code) <= 3 else f"{code[:3]}.{code[3:]}"
    text = pad + (text.lower() if lower else text) + pad
    normalized = normalize_code(text)
    assert normalized is not None
    assert normalized.replace(".", "") == code
    assert normalize_code(normalized) == normalized


@given(codes)
def test_a_category_reference_covers_its_codes(code: str) -> None:
    ref = CodeRef(code[:3], code[:3], open_ended=True)
    assert ref.covers(code)
    assert CodeRef(code, code).covers(code)
