"""pyx12 as the independent judge of the X12 we write."""

from __future__ import annotations

import io

import pyx12.params
import pyx12.x12n_document


def pyx12_accepts(text: str) -> tuple[bool, str]:
    """Whether pyx12 validates `text` without errors, and its 999 acknowledgement."""
    ack = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), ack, io.StringIO(), None)
    return bool(ok), ack.getvalue()
