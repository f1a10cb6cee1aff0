"""Billing code lists: Place of Service, CARC, claim adjustment group codes, claim frequency codes,
type of bill, and the NUCC provider taxonomy.

Each is a :class:`CodeList`: code -> display (and definition where the source has one). The files
are read from the data directory's ``billing/`` folder; the layouts are the CMS POS CSV, the CMS
Blue Button code-system CSVs (``code,display``) and the NUCC taxonomy CSV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openrcm.codesets.sources import read_csv_rows
from openrcm.core.errors import DataFileError


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: str
    display: str
    definition: str = ""


@dataclass(frozen=True, slots=True)
class CodeList:
    name: str
    source: str
    entries: dict[str, CodeEntry]

    def get(self, code: str) -> CodeEntry | None:
        return self.entries.get(code.strip().upper())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().upper() in self.entries

    def __len__(self) -> int:
        return len(self.entries)


def load_code_list(
    path: Path,
    name: str,
    *,
    code_col: str = "code",
    display_col: str = "display",
    definition_col: str = "",
    pad: int = 0,
) -> CodeList:
    required = [code_col, display_col] + ([definition_col] if definition_col else [])
    entries: dict[str, CodeEntry] = {}
    for line, row in read_csv_rows(path, required):
        code = row[code_col.lower()].strip().upper()
        if not code:
            raise DataFileError(path, f"empty {code_col}", f"line {line}")
        if pad:
            code = code.zfill(pad)
        entries[code] = CodeEntry(
            code,
            row[display_col.lower()].strip(),
            row.get(definition_col.lower(), "").strip() if definition_col else "",
        )
    return CodeList(name, path.name, entries)


# The claim frequency code of an 837 (CLM05-3; CMS-1500 box 22 for 7 and 8). Written here in our
# own words; the institutional codes are the third digit of the type of bill.
CLAIM_FREQUENCY = CodeList(
    "claim frequency",
    "openrcm",
    {
        c.code: c
        for c in (
            CodeEntry("1", "Original claim", "The first submission of a claim for these services."),
            CodeEntry(
                "7",
                "Replacement of a prior claim",
                "Corrects a claim already adjudicated; carries the payer's claim number (REF*F8).",
            ),
            CodeEntry(
                "8",
                "Void or cancel of a prior claim",
                "Cancels a claim already adjudicated; carries the payer's claim number (REF*F8).",
            ),
            CodeEntry("2", "Interim, first claim (institutional)"),
            CodeEntry("3", "Interim, continuing claim (institutional)"),
            CodeEntry("4", "Interim, last claim (institutional)"),
            CodeEntry("5", "Late charges only (institutional)"),
            CodeEntry("0", "Non-payment or zero claim (institutional)"),
        )
    },
)

_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")


def taxonomy_well_formed(code: str) -> bool:
    """Ten characters, ending with X (the NUCC format; domain-rules S3)."""
    return bool(_TAXONOMY.match(code.strip().upper()))


@dataclass(frozen=True, slots=True)
class BillingCodeSets:
    place_of_service: CodeList
    carc: CodeList
    adjustment_groups: CodeList
    type_of_bill: CodeList | None
    taxonomy: CodeList
    rarc: CodeList | None = None
    claim_frequency: CodeList = CLAIM_FREQUENCY


def load_billing(folder: Path) -> BillingCodeSets:
    """Read the billing lists; RARC (remittance advice remark codes) when a ``*rarc*.csv`` with
    ``code,display`` columns is supplied (the WPC list is not redistributable here)."""
    bfd = folder / "cms_bfd_codesystems"
    tob = bfd / "CLM-BILL-FREQ-CD.csv"
    rarc_file = next(iter(sorted(folder.glob("*rarc*.csv")) + sorted(folder.glob("*RARC*.csv"))), None)
    return BillingCodeSets(
        rarc=load_code_list(rarc_file, "remittance advice remark codes") if rarc_file else None,
        place_of_service=load_code_list(
            folder / "cms_place_of_service_codes.csv", "place of service", definition_col="definition", pad=2
        ),
        carc=load_code_list(bfd / "ANSI-RSN-CD.csv", "claim adjustment reason codes"),
        adjustment_groups=load_code_list(bfd / "ANSI-GRP-CD.csv", "claim adjustment group codes"),
        type_of_bill=load_code_list(tob, "type of bill") if tob.exists() else None,
        taxonomy=load_code_list(
            folder / "nucc_taxonomy_251.csv"
            if (folder / "nucc_taxonomy_251.csv").exists()
            else next(iter(sorted(folder.glob("nucc_taxonomy*.csv"))), folder / "nucc_taxonomy.csv"),
            "provider taxonomy",
            code_col="Code",
            display_col="Display Name",
            definition_col="Definition",
        ),
    )
