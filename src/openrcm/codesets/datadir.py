"""Where the code sets live: ``$OPENRCM_DATA_DIR``, else ``../shared/data/codesets``, else the
folder that ``openrcm codesets fetch`` fills.

Reference data with licence terms or quarterly releases is supplied by the user, never shipped
in the repository; this module only finds it.
"""

from __future__ import annotations

import os
from pathlib import Path

from openrcm.core.errors import DataDirectoryError

ENV_VAR = "OPENRCM_DATA_DIR"


def fetched_data_dir() -> Path:
    """Where ``openrcm codesets fetch`` puts the files it downloads."""
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "openrcm" / "codesets"


def candidate_dirs() -> list[tuple[str, Path]]:
    """Every place looked at, in order, with the reason it is looked at."""
    found: list[tuple[str, Path]] = []
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        found.append((f"${ENV_VAR}", Path(explicit)))
    found.append(("../shared/data/codesets beside the working directory", Path.cwd().parent / "shared/data/codesets"))
    repo_root = Path(__file__).resolve().parents[3]  # src/openrcm/codesets/datadir.py -> repository root
    found.append(("../shared/data/codesets beside the repository", repo_root.parent / "shared/data/codesets"))
    found.append(("the folder `openrcm codesets fetch` fills", fetched_data_dir()))
    return found


def resolve_data_dir(explicit: Path | str | None = None) -> Path:
    """The data directory to read code sets from, or a :class:`DataDirectoryError` saying where we looked."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_dir():
            raise DataDirectoryError(f"data directory {path} does not exist")
        return path
    candidates = candidate_dirs()
    env = os.environ.get(ENV_VAR)
    if env and not Path(env).is_dir():
        raise DataDirectoryError(f"${ENV_VAR} is set to {env}, which is not a directory")
    for _, path in candidates:
        if path.is_dir() and any(path.iterdir()):
            return path
    looked = "; ".join(f"{why}: {path}" for why, path in candidates)
    raise DataDirectoryError(
        "no code-set data directory found. Set $OPENRCM_DATA_DIR to a folder holding icd10cm/, hcpcs/, "
        f"billing/ and ncci/, or run `openrcm codesets fetch`. Looked in: {looked}"
    )
