"""Small helpers on plain strings, shared by the code sets and the coder."""

from __future__ import annotations


def common_prefix_length(a: str, b: str) -> int:
    """How many leading characters two strings share ("E11.22" and "E11.29": 5)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
