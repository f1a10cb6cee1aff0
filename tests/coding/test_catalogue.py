"""Every CPT code the coder can bill has a descriptor in the CPT file the package ships, so that a claim line and
the report never show a code without its words."""

from __future__ import annotations

from typing import Any

from openrcm.codesets import CodeSets
from openrcm.coding import em
from openrcm.coding.infusion import INTO_A_VEIN
from openrcm.coding.procedures import _REPAIR_FAMILIES, catalogue

from .conftest import DOS


def _catalogue_codes(entry: Any) -> set[str]:
    if isinstance(entry, dict):
        found = {entry["code"]} if isinstance(entry.get("code"), str) else set()
        for key in ("addon", "count_addon"):
            if isinstance(entry.get(key), list) and entry[key] and isinstance(entry[key][0], str):
                found.add(entry[key][0])
        return found.union(*(_catalogue_codes(v) for k, v in entry.items() if k != "code"))
    if isinstance(entry, list):
        return set().union(*(_catalogue_codes(v) for v in entry))
    return set()


def test_every_cpt_code_the_coder_bills_has_a_descriptor(code_sets: CodeSets) -> None:
    cpt = {code for code in _catalogue_codes(catalogue()) if code[:1].isdigit()}
    cpt |= {code for family in _REPAIR_FAMILIES for _, code in family.codes} | {
        family.addon for family in _REPAIR_FAMILIES if family.addon
    }
    # the E/M families, discharge, critical care and prolonged services, and the administration of drugs into a vein
    families = [v for v in vars(em).values() if isinstance(v, (em.EmFamily, em.DischargeFamily))]
    cpt |= {code for family in families for code in family.codes} | {"99291", "99292", "99417", "99418"}
    cpt |= INTO_A_VEIN | {"96372", "96401", "96402"}
    assert len(cpt) > 100
    missing = sorted(code for code in cpt if not (found := code_sets.cpt.get(code, DOS)[0]) or not found.descriptor)
    assert missing == []
