"""How files reach a clearinghouse and how its answers come back.

A Transport submits a file and fetches whatever responses are waiting. `FileDropTransport` is the
folder pair many clearinghouses and practice-management systems exchange through; the sandbox
transport answers each 837 at once, as a payer would over days: a 999 for the interchange, a
277CA for the claims, then an 835 paying them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

import httpx

from openrcm.clearinghouse.sandbox import SandboxPayer
from openrcm.core.errors import OpenRCMError
from openrcm.interchange.x12.envelope import ControlNumbers
from openrcm.interchange.x12.r837 import read_837
from openrcm.interchange.x12.x277ca import ClaimAck, write_277ca
from openrcm.interchange.x12.x835 import PayerParty, write_835
from openrcm.interchange.x12.x999 import write_999


@dataclass(frozen=True, slots=True)
class Response:
    kind: str  # "999", "277ca", "835"
    name: str
    text: str


class Transport(Protocol):
    def submit(self, name: str, text: str) -> None: ...

    def fetch(self) -> list[Response]: ...


class TransportError(OpenRCMError):
    """A file could not be handed over or collected (names the folder, never the content)."""


@dataclass(slots=True)
class FileDropTransport:
    """Write submissions to `outbox`; collect responses a clearinghouse leaves in `inbox`."""

    outbox: Path
    inbox: Path

    def submit(self, name: str, text: str) -> None:
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            tmp = self.outbox / f".{name}.part"
            tmp.write_text(text, "ascii")
            tmp.replace(self.outbox / name)  # the clearinghouse never sees half a file
        except OSError as exc:
            raise TransportError(f"cannot write to the outbox {self.outbox}: {exc.strerror}") from exc

    def fetch(self) -> list[Response]:
        if not self.inbox.is_dir():
            return []
        out: list[Response] = []
        for path in sorted(p for p in self.inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
            text = path.read_bytes().decode("latin-1")
            out.append(Response(_kind(text), path.name, text))
            done = self.inbox / "processed"
            done.mkdir(exist_ok=True)
            path.replace(done / path.name)
        return out


@dataclass(slots=True)
class SandboxTransport:
    """A clearinghouse and payer in one: every 837 submitted is acknowledged and paid."""

    payer: SandboxPayer
    party: PayerParty
    submitter: tuple[str, str]  # (id, name) of the practice
    payee: tuple[str, str]  # (NPI, name) paid on the 835
    today: dt.date
    pay_after_days: int = 14
    numbers: ControlNumbers = field(default_factory=ControlNumbers)
    waiting: list[Response] = field(default_factory=list)
    checks: int = 0

    def submit(self, name: str, text: str) -> None:
        when = dt.datetime.combine(self.today, dt.time(10, 0), tzinfo=dt.UTC)
        stem = name.rsplit(".", 1)[0]
        self.waiting.append(
            Response("999", f"{stem}.999", write_999(text, self.party.id, self.submitter[0], self.numbers, when))
        )
        claims = read_837(text, name).claims
        decisions = self.payer.remit(
            claims, self.today, self.today + dt.timedelta(days=self.pay_after_days), self._check(), self.payee
        )
        icns = {p.patient_control_number: p.payer_claim_control_number for p in decisions.claims if p.status != "22"}
        acks = [ClaimAck(c, True, icns.get(c.id, "")) for c in claims]
        self.waiting.append(
            Response(
                "277ca", f"{stem}.277", write_277ca(acks, self.party, self.submitter, self.numbers, when, stem[:30])
            )
        )
        paid_at = dt.datetime.combine(decisions.payment_date or self.today, dt.time(8, 0), tzinfo=dt.UTC)
        self.waiting.append(
            Response("835", f"{stem}.835", write_835([decisions], self.party, self.submitter[0], self.numbers, paid_at))
        )

    def _check(self) -> str:
        self.checks += 1
        return f"SBXCHK{self.today:%y%m%d}{self.checks:04d}"

    def fetch(self) -> list[Response]:
        out, self.waiting = self.waiting, []
        return out


def _kind(text: str) -> str:
    head = text[:400]
    return "999" if "*FA*" in head else ("277ca" if "*HN*" in head else ("271" if "*HB*" in head else "835"))


class SftpClient(Protocol):
    """The part of paramiko's SFTPClient the transport uses (a fake stands in for it in tests)."""

    def putfo(self, fl: BinaryIO, remotepath: str) -> object: ...

    def rename(self, oldpath: str, newpath: str) -> None: ...

    def listdir(self, path: str = ".") -> list[str]: ...

    def getfo(self, remotepath: str, fl: BinaryIO) -> object: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class SftpTransport:
    """A clearinghouse's SFTP mailbox: upload to `outbox`, download from `inbox`, archive what was read.

    `connect` opens a session (see `paramiko_connect`); credentials stay with the caller.
    """

    connect: Callable[[], SftpClient]
    outbox: str = "inbound"  # the clearinghouse's name for what it receives
    inbox: str = "outbound"
    archive: str = "outbound/archive"

    def submit(self, name: str, text: str) -> None:
        client = self.connect()
        try:
            client.putfo(io.BytesIO(text.encode("ascii")), f"{self.outbox}/.{name}.part")
            client.rename(f"{self.outbox}/.{name}.part", f"{self.outbox}/{name}")
        except OSError as exc:
            raise TransportError(f"SFTP upload of {name} failed ({type(exc).__name__})") from exc
        finally:
            client.close()

    def fetch(self) -> list[Response]:
        client = self.connect()
        out: list[Response] = []
        try:
            for name in sorted(n for n in client.listdir(self.inbox) if not n.startswith(".")):
                buffer = io.BytesIO()
                try:
                    client.getfo(f"{self.inbox}/{name}", buffer)
                except OSError:
                    continue  # a folder or a file still being written: next time
                text = buffer.getvalue().decode("latin-1")
                out.append(Response(_kind(text), name, text))
                client.rename(f"{self.inbox}/{name}", f"{self.archive}/{name}")
        except OSError as exc:
            raise TransportError(f"SFTP download failed ({type(exc).__name__})") from exc
        finally:
            client.close()
        return out


def paramiko_connect(
    host: str,
    username: str,
    *,
    port: int = 22,
    key_filename: str | None = None,
    password: str | None = None,
    known_hosts: str | None = None,
) -> Callable[[], SftpClient]:
    """A `connect` for SftpTransport over paramiko; the host key must be known (no blind trust)."""

    def connect() -> SftpClient:
        import paramiko  # noqa: PLC0415 - only users of SFTP need it loaded

        ssh = paramiko.SSHClient()
        ssh.load_system_host_keys(known_hosts)
        ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            ssh.connect(host, port=port, username=username, key_filename=key_filename, password=password, timeout=30)
        except (OSError, paramiko.SSHException) as exc:
            raise TransportError(f"cannot open SFTP to {host}:{port} ({type(exc).__name__})") from exc
        sftp: SftpClient = ssh.open_sftp()
        return sftp

    return connect


@dataclass(slots=True)
class HttpTransport:
    """A clearinghouse REST mailbox: POST files to `{base}/submissions`; list `{base}/responses`,
    GET each and DELETE it once stored. Authentication is a bearer token."""

    base_url: str
    token: str
    client: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        if self.client is None:
            self.client = httpx.Client(timeout=60)
        return self.client

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def submit(self, name: str, text: str) -> None:
        try:
            reply = self._client().post(
                f"{self.base_url}/submissions",
                content=text.encode("ascii"),
                headers={**self._headers(), "Content-Type": "application/edi-x12", "X-Filename": name},
            )
            reply.raise_for_status()
        except httpx.HTTPError as exc:
            raise TransportError(f"submitting {name} to {self.base_url} failed ({type(exc).__name__})") from exc

    def fetch(self) -> list[Response]:
        out: list[Response] = []
        try:
            listing = self._client().get(f"{self.base_url}/responses", headers=self._headers())
            listing.raise_for_status()
            for name in listing.json():
                got = self._client().get(f"{self.base_url}/responses/{name}", headers=self._headers())
                got.raise_for_status()
                out.append(Response(_kind(got.text), str(name), got.text))
                self._client().delete(f"{self.base_url}/responses/{name}", headers=self._headers()).raise_for_status()
        except (httpx.HTTPError, ValueError) as exc:
            raise TransportError(f"fetching responses from {self.base_url} failed ({type(exc).__name__})") from exc
        return out
