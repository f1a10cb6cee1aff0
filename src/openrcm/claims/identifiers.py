"""Identifier checks: the NPI check digit (domain-rules §5.2)."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=65_536)
def npi_valid(npi: str) -> bool:
    """Ten digits, first 1 or 2, Luhn check digit computed with the 80840 prefix (add 24)."""
    if len(npi) != 10 or not npi.isdigit() or npi[0] not in "12":
        return False
    total = 24
    for i, ch in enumerate(reversed(npi[:9])):
        d = int(ch)
        if i % 2 == 0:  # the rightmost of the first nine is doubled
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(npi[9])
