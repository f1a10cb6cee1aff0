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
from collections.abc import Iterator, Sequence
from pathlib import Path

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
    text = decode_text(path, read_bytes(path), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(path, "file is empty") from None
    except csv.Error as exc:
        raise DataFileError(path, f"not a CSV file ({exc})", "line 1") from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c.lower() not in names]
    if missing:
        raise DataFileError(
            path,
            f"missing column(s) {', '.join(missing)}; found {', '.join(h.strip() for h in header) or 'none'}",
            "line 1",
        )
    width = len(names)
    try:
        for record in reader:
            if not record or not any(field.strip() for field in record):
                continue
            if len(record) != width:
                raise DataFileError(
                    path,
                    f"expected {width} fields, found {len(record)} (truncated or misquoted row?)",
                    f"line {reader.line_num}",
                )
            yield reader.line_num, dict(zip(names, record, strict=True))
    except csv.Error as exc:
        raise DataFileError(path, f"malformed CSV ({exc})", f"line {reader.line_num}") from None


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def read_csv_aliased(
    path: Path, columns: dict[str, tuple[str, ...]], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Like :func:`read_csv_rows`, for files whose publishers name the same column differently.

    ``columns`` maps our name to the accepted header spellings; a header matches when, squashed to
    lower-case letters and digits, it starts with one of them (CMS headers carry legends such as
    ``Deletion Date *=no data``). Columns named in ``optional`` may be absent (empty string).
    """
    data = read_bytes(path)
    text = decode_text(path, data, "utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    # CMS spreadsheets exported to CSV carry a few lines of notice above the header row.
    for _ in range(12):
        try:
            row = next(reader)
        except StopIteration:
            break
        squashed = [_squash(h) for h in row]
        if all(
            name in optional or any(any(s.startswith(_squash(a)) for a in aliases) for s in squashed)
            for name, aliases in columns.items()
        ):
            header = row
            break
    if header is None:
        wanted = "; ".join(f"{k} ({' / '.join(v)})" for k, v in columns.items() if k not in optional)
        raise DataFileError(path, f"no header row with the columns {wanted}", "lines 1-12")
    squashed = [_squash(h) for h in header]
    positions: dict[str, int] = {}
    for name, aliases in columns.items():
        for i, s in enumerate(squashed):
            if any(s.startswith(_squash(a)) for a in aliases):
                positions[name] = i
                break
    width = len(header)
    try:
        for record in reader:
            if not record or not any(f.strip() for f in record):
                continue
            if len(record) < width:
                raise DataFileError(
                    path,
                    f"expected {width} fields, found {len(record)} (truncated row?)",
                    f"line {reader.line_num}",
                )
            yield (
                reader.line_num,
                {name: record[i].strip() for name, i in positions.items()}
                | {name: "" for name in optional if name not in positions},
            )
    except csv.Error as exc:
        raise DataFileError(path, f"malformed CSV ({exc})", f"line {reader.line_num}") from None
