"""Official code sets and edit tables, loaded once, read-only, looked up by date of service."""

from openrcm.codesets.icd10cm.model import CodeRef, Icd10cmCode, IndexTerm, Note, NoteKind
from openrcm.codesets.icd10cm.release import CodeCheck, Icd10cm, Icd10cmRelease, normalize_code
from openrcm.codesets.library import CodeSets

__all__ = [
    "CodeCheck",
    "CodeRef",
    "CodeSets",
    "Icd10cm",
    "Icd10cmCode",
    "Icd10cmRelease",
    "IndexTerm",
    "Note",
    "NoteKind",
    "normalize_code",
]
