"""A compiled cache of parsed reference files, invalidated by the source files' hashes.

Parsing the ICD-10-CM Tabular List and Index XML takes seconds; unpickling the compiled form
takes a fraction of that. The cache key is a SHA-256 over the cache format, the Python version
and the SHA-256 of every source file, so a changed file (even with the same name and size) is
compiled again. Writes are atomic (temporary file, then rename), so two processes never read a
half-written cache. A damaged cache file is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from openrcm.codesets.sources import file_sha256
from openrcm.core.memory import collector_paused

T = TypeVar("T")
CACHE_FORMAT = "openrcm-codesets-89"
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """``$OPENRCM_CACHE_DIR``, else ``$XDG_CACHE_HOME/openrcm``, else ``~/.cache/openrcm``."""
    explicit = os.environ.get("OPENRCM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "openrcm"


def cache_key(kind: str, sources: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{sys.version_info[:2]}|{kind}".encode())
    for path in sources:
        digest.update(path.name.encode())
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()[:32]


def cached(kind: str, sources: Sequence[Path], build: Callable[[], T], *, use_cache: bool = True) -> T:
    """Return the compiled object for ``sources``, building and storing it when needed."""
    if not use_cache:
        return build()
    key = cache_key(kind, sources)
    target = cache_dir() / f"{kind}-{key}.pickle"
    if target.exists():
        try:
            with target.open("rb") as fh:
                data = fh.read()
            # The cycle collector would walk the hundreds of thousands of objects being created
            # (three times slower); none of them can form garbage cycles while loading.
            with collector_paused():
                value: T = pickle.loads(data)
            return value
        except Exception:  # a damaged or foreign cache file is rebuilt, never trusted
            log.warning("ignoring unreadable cache file %s", target.name)
    value = build()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(target)
    except OSError as exc:  # a read-only home still works, only slower
        log.warning("could not write the code-set cache (%s); continuing without it", exc.strerror)
    return value
