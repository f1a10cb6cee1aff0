from __future__ import annotations

import datetime as dt

import pytest

from openrcm.codesets import CodeSets
from openrcm.coding.coder import Coder
from openrcm.coding.model import CodedEncounter, EncounterContext, Setting

DOS = dt.date(2026, 6, 12)


@pytest.fixture(scope="session")
def coder(code_sets: CodeSets) -> Coder:
    c = Coder(code_sets)
    c.warm_up()
    return c


def ctx(age: int = 57, sex: str = "F", *, new: bool = False, setting: Setting = Setting.OUTPATIENT) -> EncounterContext:
    return EncounterContext(setting, DOS, age, sex, new, "11")


def codes(enc: CodedEncounter) -> list[str]:
    return [d.code for d in enc.diagnoses]


def lines(enc: CodedEncounter) -> list[tuple[str, tuple[str, ...], int]]:
    return [(p.code, p.modifiers, p.units) for p in enc.procedures]
