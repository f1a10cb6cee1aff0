"""How files reach a clearinghouse and how its answers come back.

A Transport submits a file and fetches whatever responses are waiting. `FileDropTransport` is the
folder pair many clearinghouses and practice-management systems exchange through; the sandbox
transport answers each 837 at once, as a payer would over days: a 999 for the interchange, a
277CA for the claims, then an 835 paying them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

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
            kind = "999" if "*FA*" in text[:300] else ("277ca" if "*HN*" in text[:300] else "835")
            out.append(Response(kind, path.name, text))
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
