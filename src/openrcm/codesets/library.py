"""The code-set library: every reference table, found in one data directory, loaded on first use."""

from __future__ import annotations

import functools
from pathlib import Path

from openrcm.codesets.billing import BillingCodeSets, load_billing
from openrcm.codesets.cpt import CptFile, load_cpt
from openrcm.codesets.datadir import resolve_data_dir
from openrcm.codesets.hcpcs import Hcpcs, load_hcpcs
from openrcm.codesets.icd10cm.release import Icd10cm, load_icd10cm
from openrcm.codesets.mpfs import FeeSchedule, load_mpfs
from openrcm.codesets.ncci import Ncci, load_ncci
from openrcm.core.errors import DataDirectoryError


class CodeSets:
    """Read-only access to the code sets under one data directory.

    Each table is parsed (or read from the compiled cache) the first time it is asked for.
    """

    def __init__(
        self, data_dir: Path | str | None = None, *, cpt_file: Path | None = None, use_cache: bool = True
    ) -> None:
        self.data_dir = resolve_data_dir(data_dir)
        self._cpt_file = cpt_file
        self._use_cache = use_cache

    def _folder(self, name: str) -> Path:
        folder = self.data_dir / name
        if not folder.is_dir():
            raise DataDirectoryError(f"the data directory {self.data_dir} has no {name}/ folder")
        return folder

    @functools.cached_property
    def icd10cm(self) -> Icd10cm:
        library = load_icd10cm(self._folder("icd10cm"), use_cache=self._use_cache)
        if not library.releases:
            raise DataDirectoryError(f"no ICD-10-CM Tabular List XML (*tabular*.xml) in {self.data_dir / 'icd10cm'}")
        return library

    @functools.cached_property
    def hcpcs(self) -> Hcpcs:
        return load_hcpcs(self._folder("hcpcs"), use_cache=self._use_cache)

    @functools.cached_property
    def cpt(self) -> CptFile:
        return load_cpt(self._cpt_file)

    @functools.cached_property
    def billing(self) -> BillingCodeSets:
        return load_billing(self._folder("billing"))

    @functools.cached_property
    def ncci(self) -> Ncci:
        return load_ncci(self._folder("ncci"), use_cache=self._use_cache)

    @functools.cached_property
    def mpfs(self) -> FeeSchedule:
        return load_mpfs(self._folder("mpfs"), use_cache=self._use_cache)
