"""The file-drop transport: whole files out, responses in, nothing read twice."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import httpx
import pytest

from openrcm.clearinghouse.transport import FileDropTransport, HttpTransport, SftpTransport, TransportError

REMIT = Path(__file__).parent.parent / "fixtures" / "remit"


def test_file_drop_submits_whole_files_and_collects_each_response_once(tmp_path: Path) -> None:
    drop = FileDropTransport(tmp_path / "out", tmp_path / "in")
    assert drop.fetch() == []
    drop.submit("BATCH1.837", "ISA*00*~")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["BATCH1.837"]  # no partial file left behind
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.835").write_text((REMIT / "c100.835").read_text())
    (responses,) = drop.fetch()
    assert responses.kind == "835" and "CLP*C100" in responses.text
    assert drop.fetch() == []
    assert (tmp_path / "in" / "processed" / "r.835").exists()


class FakeSftp:
    """An in-memory SFTP mailbox with paramiko's method names."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.closed = 0

    def putfo(self, fl: BinaryIO, remotepath: str) -> object:
        self.files[remotepath] = fl.read()
        return None

    def rename(self, oldpath: str, newpath: str) -> None:
        self.files[newpath] = self.files.pop(oldpath)

    def listdir(self, path: str = ".") -> list[str]:
        return [k.split("/")[-1] for k in self.files if k.rsplit("/", 1)[0] == path]

    def getfo(self, remotepath: str, fl: BinaryIO) -> object:
        fl.write(self.files[remotepath])
        return None

    def close(self) -> None:
        self.closed += 1


def test_sftp_uploads_under_a_temporary_name_and_archives_what_it_read() -> None:
    remote = FakeSftp({"outbound/r1.835": (REMIT / "c100.835").read_bytes()})
    sftp = SftpTransport(lambda: remote)
    sftp.submit("B1.837", "ISA*00*~")
    assert remote.files["inbound/B1.837"] == b"ISA*00*~" and "inbound/.B1.837.part" not in remote.files
    (got,) = sftp.fetch()
    assert got.kind == "835" and got.name == "r1.835"
    assert "outbound/archive/r1.835" in remote.files and sftp.fetch() == []
    assert remote.closed == 3  # every session is closed


def test_http_posts_and_collects_each_response_once() -> None:
    mailbox = {"r1.835": (REMIT / "c100.835").read_text()}
    posted: list[tuple[str, bytes, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer T0K"
        path = request.url.path
        if request.method == "POST" and path == "/api/submissions":
            posted.append((request.headers["X-Filename"], request.content, request.headers["Content-Type"]))
            return httpx.Response(202)
        if request.method == "GET" and path == "/api/responses":
            return httpx.Response(200, json=sorted(mailbox))
        name = path.rsplit("/", 1)[-1]
        if request.method == "GET":
            return httpx.Response(200, text=mailbox[name])
        if request.method == "DELETE":
            mailbox.pop(name)
            return httpx.Response(204)
        return httpx.Response(404)

    http = HttpTransport("https://ch.example/api", "T0K", httpx.Client(transport=httpx.MockTransport(handler)))
    http.submit("B1.837", "ISA*00*~")
    assert posted == [("B1.837", b"ISA*00*~", "application/edi-x12")]
    (got,) = http.fetch()
    assert got.kind == "835" and http.fetch() == []


def test_a_failing_clearinghouse_is_a_clear_error_without_content() -> None:
    broken = HttpTransport(
        "https://ch.example/api", "T0K", httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    )
    with pytest.raises(TransportError) as caught:
        broken.submit("B1.837", "ISA*SECRET*~")
    assert "B1.837" in str(caught.value) and "SECRET" not in str(caught.value)
