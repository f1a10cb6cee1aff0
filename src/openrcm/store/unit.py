"""The unit of work: everything one posting does commits together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Row, String, Table, any_, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from openrcm.core.errors import OpenRCMError
from openrcm.ledger.model import JournalEntry, Posting
from openrcm.payer.posting import Denial, OpenClaim
from openrcm.store.engine import open_engine
from openrcm.store.tables import claims, follow_ups, journal_entries, postings, remittances

CHUNK = 5000


class DuplicateRemittanceError(OpenRCMError):
    """This remittance (payer, TRN, check total) was already posted."""


class DuplicateClaimError(OpenRCMError):
    """A claim with this patient control number is already on the ledger."""


@dataclass(frozen=True, slots=True)
class RemittanceKey:
    payer_id: str
    trace_number: str
    check_total: Decimal


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Transaction:
    """Reads and inserts inside one database transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim_remittance(
        self, key: RemittanceKey, *, payment_date: dt.date | None, source: str, claim_count: int
    ) -> int:
        """Record that this remittance is being posted; raises if it was posted before.

        The unique key makes a second poster (another process, on PostgreSQL) wait for the
        first one's transaction and then fail here, so the remittance posts exactly once.
        """
        try:
            with self.connection.begin_nested():
                result = self.connection.execute(
                    insert(remittances).returning(remittances.c.id),
                    {
                        "payer_id": key.payer_id,
                        "trace_number": key.trace_number,
                        "check_total": key.check_total,
                        "payment_date": payment_date,
                        "source": source[:200],
                        "posted_at": _now(),
                        "claim_count": claim_count,
                    },
                )
                return int(result.scalar_one())
        except IntegrityError as exc:
            raise DuplicateRemittanceError(
                f"remittance from payer {key.payer_id} TRN {key.trace_number} for {key.check_total} was already posted"
            ) from exc

    def add_claims(self, rows: Sequence[OpenClaim]) -> None:
        """Insert claims; the primary key refuses one already on the ledger (then we say which)."""
        try:
            with self.connection.begin_nested():
                self._insert_claims(rows)
        except IntegrityError as exc:
            existing = self.open_claims(c.claim_id for c in rows)
            if not existing:
                raise DuplicateClaimError("the same claim id appears twice in this batch") from exc
            raise DuplicateClaimError(
                f"{len(existing)} claim(s) already on the ledger, e.g. {next(iter(existing))}"
            ) from exc

    def _insert_claims(self, rows: Sequence[OpenClaim]) -> None:
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(
                insert(claims),
                [
                    {
                        "id": c.claim_id,
                        "patient_id": c.patient_id,
                        "payer_id": c.payer_id,
                        "service_date": c.service_date,
                        "billed": c.billed,
                        "charge": c.charge,
                        "expected_allowed": c.expected_allowed,
                        "payer_claim_number": c.payer_claim_number,
                        "status": "billed",
                    }
                    for c in rows[start : start + CHUNK]
                ],
            )

    def open_claims(self, ids: Iterable[str]) -> dict[str, OpenClaim]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, OpenClaim] = {}
        if self.connection.dialect.name == "postgresql":
            # one array parameter: a 5,000-placeholder IN list costs seconds to build and plan
            ids_param = bindparam("ids", type_=ARRAY(String()))
            query = select(claims).where(claims.c.id == any_(ids_param))
            for row in self.connection.execute(query, {"ids": wanted}):
                out[row.id] = _open_claim(row)
            return out
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for row in self.connection.execute(select(claims).where(claims.c.id.in_(chunk))):
                out[row.id] = _open_claim(row)
        return out

    def claims_by_payer_number(self, numbers: Iterable[str]) -> dict[str, OpenClaim]:
        wanted = [n for n in dict.fromkeys(numbers) if n]
        if not wanted:
            return {}
        rows = self.connection.execute(select(claims).where(claims.c.payer_claim_number.in_(wanted)))
        return {row.payer_claim_number: _open_claim(row) for row in rows}

    def add_entries(self, entries: Sequence[JournalEntry], remittance_id: int | None = None) -> None:
        created = _now()
        for start in range(0, len(entries), CHUNK):
            chunk = entries[start : start + CHUNK]
            ids = self._new_ids(journal_entries, len(chunk))
            self._bulk_insert(
                journal_entries,
                ("id", "kind", "effective", "source", "memo", "remittance_id", "created_at"),
                [
                    (entry_id, e.kind, e.effective, e.source[:200], e.memo[:200], remittance_id, created)
                    for entry_id, e in zip(ids, chunk, strict=True)
                ],
            )
            self._bulk_insert(
                postings,
                ("entry_id", "account", "amount", "claim_id", "patient_id", "payer_id", "memo"),
                [
                    (entry_id, p.account, p.amount, p.claim_id, p.patient_id, p.payer_id, p.memo[:80])
                    for entry_id, e in zip(ids, chunk, strict=True)
                    for p in e.postings
                ],
            )

    def _new_ids(self, table: Table, count: int) -> list[int]:
        """Reserve `count` primary keys, so that child rows can name their parent without a round trip each."""
        if self.connection.dialect.name == "postgresql":
            query = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
            return [int(v) for v in self.connection.execute(query, {"t": table.name, "n": count}).scalars()]
        # SQLite: this transaction holds the write lock (BEGIN IMMEDIATE), so the next ids are ours
        top = self.connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + count))

    def _bulk_insert(self, table: Table, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
        if not rows:
            return
        if self.connection.dialect.name == "postgresql":
            # COPY is PostgreSQL's bulk path: an order of magnitude faster than multi-row INSERTs
            raw = self.connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
            return
        self.connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def set_adjudication(self, updates: Sequence[tuple[str, str, str]]) -> None:
        """(claim id, CLP02 status, CLP07 payer claim number) for each adjudicated claim.

        A claim adjudicated twice in one remittance (a reversal, then its correction) keeps the last.
        """
        latest = {cid: (cid, status, number) for cid, status, number in updates}
        updates = list(latest.values())
        if not updates:
            return
        if self.connection.dialect.name == "postgresql":
            # one COPY and one UPDATE instead of a statement per claim
            self.connection.execute(
                text(
                    "CREATE TEMP TABLE IF NOT EXISTS adjudication_updates "
                    "(id varchar(38), status varchar(20), payer_claim_number varchar(50)) ON COMMIT DELETE ROWS"
                )
            )
            raw = self.connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy("COPY adjudication_updates FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in updates:
                    copy.write_row(row)
            self.connection.execute(text("ANALYZE adjudication_updates"))  # else the planner guesses its size
            self.connection.execute(
                text(
                    "UPDATE claims SET status = u.status, payer_claim_number = u.payer_claim_number "
                    "FROM adjudication_updates u WHERE claims.id = u.id"
                )
            )
            return
        self.connection.execute(
            update(claims)
            .where(claims.c.id == bindparam("cid"))
            .values(status=bindparam("st"), payer_claim_number=bindparam("pcn")),
            [{"cid": cid, "st": status, "pcn": number} for cid, status, number in updates],
        )

    def add_follow_ups(
        self, denials: Sequence[Denial], notes: Sequence[tuple[str, str, str, Decimal, str]], remittance_id: int | None
    ) -> None:
        created = _now()
        rows = [
            {
                "claim_id": d.claim_id,
                "payer_id": d.payer_id,
                "code": f"DENIAL_{d.group}",
                "reason": d.reason,
                "remarks": " ".join(d.remarks)[:200],
                "amount": d.amount,
                "message": f"{d.group}-{d.reason} {d.amount}" + (f" on {d.service_code}" if d.service_code else ""),
                "remittance_id": remittance_id,
                "created_at": created,
            }
            for d in denials
        ] + [
            {
                "claim_id": claim_id,
                "payer_id": payer_id,
                "code": code,
                "reason": "",
                "remarks": "",
                "amount": amount,
                "message": message,
                "remittance_id": remittance_id,
                "created_at": created,
            }
            for claim_id, payer_id, code, amount, message in notes
        ]
        if rows:
            self.connection.execute(insert(follow_ups), rows)

    def postings(
        self, *, account_prefix: str = "", as_of: dt.date | None = None, claim_id: str | None = None
    ) -> list[tuple[Posting, dt.date]]:
        """Every posting (optionally under an account prefix, up to a date, of one claim), with its entry's date."""
        query = select(postings, journal_entries.c.effective).join(
            journal_entries, journal_entries.c.id == postings.c.entry_id
        )
        if claim_id is not None:
            query = query.where(postings.c.claim_id == claim_id)
        if account_prefix:
            query = query.where(postings.c.account.startswith(account_prefix))
        if as_of is not None:
            query = query.where(journal_entries.c.effective <= as_of)
        return [
            (Posting(r.account, Decimal(r.amount), r.claim_id, r.patient_id, r.payer_id, r.memo), r.effective)
            for r in self.connection.execute(query.order_by(postings.c.id))
        ]

    def entry_totals(self) -> list[Decimal]:
        """Each journal entry's sum of postings (all zero in a sound ledger)."""
        query = select(func.sum(postings.c.amount)).group_by(postings.c.entry_id)
        return [Decimal(v) for v in self.connection.execute(query).scalars()]

    def count(self, table: str) -> int:
        tables = {"claims": claims, "remittances": remittances, "journal_entries": journal_entries}
        tables |= {"postings": postings, "follow_ups": follow_ups}
        return int(self.connection.execute(select(func.count()).select_from(tables[table])).scalar_one())

    def follow_up_rows(self) -> list[dict[str, object]]:
        return [dict(r._mapping) for r in self.connection.execute(select(follow_ups).order_by(follow_ups.c.id))]

    def claim_statuses(self) -> dict[str, str]:
        """Each claim's last CLP02 status ("billed" until a payer has adjudicated it)."""
        return {r.id: r.status for r in self.connection.execute(select(claims.c.id, claims.c.status))}

    def all_claims(self) -> list[OpenClaim]:
        return [_open_claim(r) for r in self.connection.execute(select(claims).order_by(claims.c.id))]


def _open_claim(r: Row[Any]) -> OpenClaim:
    return OpenClaim(
        r.id,
        r.patient_id,
        r.payer_id,
        Decimal(r.charge),
        r.service_date,
        r.billed,
        Decimal(r.expected_allowed) if r.expected_allowed is not None else None,
        r.payer_claim_number,
    )


class Store:
    """The database: opened once, a transaction per unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        return cls(open_engine(url))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.engine.begin() as connection:
            yield Transaction(connection)

    def close(self) -> None:
        self.engine.dispose()
