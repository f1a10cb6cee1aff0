"""The one small hierarchy of exceptions.

Exceptions are for bugs and infrastructure (a data file that cannot be read, a missing data
directory). Findings about user data are :class:`openrcm.core.issue.Issue` values, not exceptions.
Messages carry file names, positions, ids and counts, never protected health information.
"""

from __future__ import annotations

from pathlib import Path


class OpenRCMError(Exception):
    """Base class of every error OpenRCM raises on purpose."""


class DataDirectoryError(OpenRCMError):
    """The data directory (code sets, edit tables) could not be found or is incomplete."""


class DataFileError(OpenRCMError):
    """A reference data file is missing, empty, truncated or not in the expected layout.

    ``position`` says where: ``line 12``, ``line 4, column 17``, ``byte 1024``.
    """

    def __init__(self, path: Path | str, message: str, position: str | None = None) -> None:
        self.path = Path(path)
        self.position = position
        self.reason = message
        where = f"{self.path}" + (f", {position}" if position else "")
        super().__init__(f"{where}: {message}")
