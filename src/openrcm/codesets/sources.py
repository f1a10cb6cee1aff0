"""Reading reference files with errors that name the file and the position.

Every loader goes through these helpers, so that a truncated XML file, a CSV with the wrong
columns, an empty file or a file in the wrong encoding gives a :class:`DataFileError` that says
which file and where, never a bare traceback from the parser.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from openrcm.core.errors import DataFileError


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataFileError(path, f"not a complete gzip file ({exc})") from None
    if not data.strip():
        raise DataFileError(path, "file is empty")
    return data


def _line_col(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def decode_text(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataFileError(
            path,
            f"not {encoding.upper()} text (byte 0x{data[exc.start]:02x} cannot be decoded); re-save the file as UTF-8",
            _line_col(data, exc.start),
        ) from None


def read_xml(path: Path, root_tag: str) -> ET.Element:
    """Parse an XML file and check its root element."""
    data = read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        if reason == "no element found":
            reason = "the XML ends before its elements are closed (truncated file?)"
        elif "invalid token" in reason or "not well-formed" in reason:
            reason = f"malformed XML ({reason}); the file may be damaged or not in its declared encoding"
        raise DataFileError(path, reason, f"line {line}, column {column + 1}") from None
    if root.tag != root_tag:
        raise DataFileError(path, f"expected an <{root_tag}> document, found <{root.tag}>", "line 1")
    return root


def _decode_position(path: Path, encoding: str) -> str:
    """Where the first undecodable byte is (only called once decoding has failed)."""
    data = read_bytes(path)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return _line_col(data, exc.start)
    return "unknown position"


def _records(path: Path, encoding: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Stream CSV records as ``(line_number, fields)``, gzip or not, translating every failure.

    Streaming keeps a two-million-row table from being held three times over (bytes, text, rows).
    """
    try:
        raw: IO[bytes] = (
            gzip.open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115 - closed by the wrapper below
            if path.suffix == ".gz"
            else path.open("rb")
        )
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
    reader = None
    try:
        with io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            reader = csv.reader(text, delimiter=delimiter)
            yield from ((reader.line_num, record) for record in reader)
    except UnicodeDecodeError:
        raise DataFileError(
            path,
            f"not {encoding.upper().replace('-SIG', '')} text (a byte cannot be decoded); re-save the file as UTF-8",
            _decode_position(path, encoding),
        ) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DataFileError(path, f"not a complete gzip file ({exc})") from None
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        raise DataFileError(path, f"malformed CSV ({exc})", f"line {line}") from None


def _header(path: Path, records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for line, record in records:
        if any(field.strip() for field in record):
            return line, record
    raise DataFileError(path, "file is empty")


def read_csv_rows(
    path: Path,
    required: Sequence[str],
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row; the header must hold ``required`` columns.

    Header names are compared case-insensitively, ignoring surrounding blanks.
    """
    records = _records(path, encoding, delimiter)
    header_line, header = _header(path, records)
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c.lower() not in names]
    if missing:
        raise DataFileError(
            path,
            f"missing column(s) {', '.join(missing)}; found {', '.join(h.strip() for h in header) or 'none'}",
            f"line {header_line}",
        )
    width = len(names)
    for line, record in records:
        if not record or not any(field.strip() for field in record):
            continue
        if len(record) != width:
            raise DataFileError(
                path,
                f"expected {width} fields, found {len(record)} (truncated or misquoted row?)",
                f"line {line}",
            )
        yield line, dict(zip(names, record, strict=True))


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def read_csv_aliased(
    path: Path, columns: dict[str, tuple[str, ...]], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Like :func:`read_csv_rows`, for files whose publishers name the same column differently.

    ``columns`` maps our name to the accepted header spellings; a header matches when, squashed to
    lower-case letters and digits, it starts with one of them (CMS headers carry legends such as
    ``Deletion Date *=no data``). Columns named in ``optional`` may be absent (empty string).
    CMS spreadsheets exported to CSV may carry a few lines of notice above the header row.
    """
    aliases = {name: tuple(_squash(a) for a in spellings) for name, spellings in columns.items()}

    def position(squashed: list[str], name: str) -> int | None:
        return next((i for i, s in enumerate(squashed) if s.startswith(aliases[name])), None)

    records = _records(path, "utf-8-sig")
    positions: dict[str, int] | None = None
    width = 0
    seen = 0
    for _line, record in records:
        if not any(field.strip() for field in record):
            continue
        seen += 1
        squashed = [_squash(h) for h in record]
        found = {name: position(squashed, name) for name in columns}
        if all(i is not None or name in optional for name, i in found.items()):
            positions = {name: i for name, i in found.items() if i is not None}
            width = len(record)
            break
        if seen >= 12:
            break
    if positions is None:
        if seen == 0:
            raise DataFileError(path, "file is empty")
        wanted = "; ".join(f"{k} ({' / '.join(v)})" for k, v in columns.items() if k not in optional)
        raise DataFileError(path, f"no header row with the columns {wanted}", f"lines 1-{seen}")
    blanks = {name: "" for name in optional if name not in positions}
    for line, record in records:
        if not record or not any(f.strip() for f in record):
            continue
        if len(record) < width:
            raise DataFileError(path, f"expected {width} fields, found {len(record)} (truncated row?)", f"line {line}")
        yield line, {name: record[i].strip() for name, i in positions.items()} | blanks
