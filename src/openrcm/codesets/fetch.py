"""``openrcm codesets fetch``: download the official public release files into the data directory.

The list of files is a TOML manifest (``fetch_sources.toml`` in the package; a user may pass
their own): each entry names a URL, the folder it belongs in (``icd10cm``, ``hcpcs``, ``ncci``...)
and, for a zip, which members to keep. ``source`` may replace the host part with a local folder
or a mirror: the file's base name is then looked up there, which is how it is tested offline.
Every file written is recorded with its SHA-256 in ``FETCHED.toml`` beside the data.
"""

from __future__ import annotations

import fnmatch
import hashlib
import shutil
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from openrcm.core.errors import DataFileError, OpenRCMError


@dataclass(frozen=True, slots=True)
class FetchItem:
    name: str
    url: str
    folder: str
    members: tuple[str, ...] = ()  # glob patterns of zip members to extract; empty: not a zip


def load_manifest(path: Path | None = None) -> list[FetchItem]:
    if path is None:
        text = resources.files("openrcm.data").joinpath("fetch_sources.toml").read_text("utf-8")
        origin = "fetch_sources.toml"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
        origin = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(origin, f"not valid TOML ({exc})") from None
    items = []
    for i, entry in enumerate(data.get("file", []), start=1):
        try:
            items.append(FetchItem(entry["name"], entry["url"], entry["folder"], tuple(entry.get("members", ()))))
        except KeyError as exc:
            raise DataFileError(origin, f"[[file]] entry {i} lacks {exc.args[0]!r}") from None
    if not items:
        raise DataFileError(origin, "no [[file]] entries")
    return items


def _retrieve(url: str, source: str | None, target: Path) -> None:
    name = PurePosixPath(urlparse(url).path).name
    if source is not None:
        parsed = urlparse(source)
        if parsed.scheme in ("http", "https", "ftp"):
            url = source.rstrip("/") + "/" + name
        else:
            local = Path(source) / name
            if not local.exists():
                raise OpenRCMError(f"{name} is not in {source}")
            shutil.copyfile(local, target)
            return
    try:
        with urllib.request.urlopen(url, timeout=120) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise OpenRCMError(f"could not download {name}: {exc}") from None


def fetch(
    dest: Path,
    items: list[FetchItem],
    *,
    source: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[tuple[Path, str]]:
    """Download (or copy from ``source``) each item into ``dest/<folder>/``; returns files and hashes."""
    written: list[tuple[Path, str]] = []
    staging = dest / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        for item in items:
            progress(item.name)
            folder = dest / item.folder
            folder.mkdir(parents=True, exist_ok=True)
            download = staging / PurePosixPath(urlparse(item.url).path).name
            _retrieve(item.url, source, download)
            if item.members:
                try:
                    with zipfile.ZipFile(download) as archive:
                        names = [n for n in archive.namelist() if not n.endswith("/")]
                        chosen = [
                            n for n in names if any(fnmatch.fnmatch(PurePosixPath(n).name, m) for m in item.members)
                        ]
                        if not chosen:
                            raise DataFileError(download.name, f"no member matches {', '.join(item.members)}")
                        for member in chosen:
                            target = folder / PurePosixPath(member).name
                            with archive.open(member) as src, target.open("wb") as out:
                                shutil.copyfileobj(src, out)
                            written.append((target, _sha256(target)))
                except zipfile.BadZipFile:
                    raise DataFileError(
                        download.name, "not a zip archive (an error page instead of the file?)"
                    ) from None
            else:
                target = folder / download.name
                shutil.move(download, target)
                written.append((target, _sha256(target)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record = dest / "FETCHED.toml"
    with record.open("a", encoding="utf-8") as out:
        for path, digest in written:
            out.write(f'[[file]]\npath = "{path.relative_to(dest).as_posix()}"\nsha256 = "{digest}"\n\n')
    return written


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
