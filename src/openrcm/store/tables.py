"""The schema. Money columns are NUMERIC(12,2); ledger rows are only ever inserted."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

MONEY = Numeric(12, 2, asdecimal=True)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(38), primary_key=True),  # CLM01, our patient control number
    Column("patient_id", String(80), nullable=False),
    Column("payer_id", String(80), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("billed", Date, nullable=False),
    Column("charge", MONEY, nullable=False),
    Column("expected_allowed", MONEY, nullable=True),
    Column("payer_claim_number", String(50), nullable=False, default=""),
    Column("status", String(20), nullable=False, default="billed"),
    Index("ix_claims_payer_claim_number", "payer_claim_number"),
)

remittances = Table(
    "remittances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payer_id", String(80), nullable=False),
    Column("trace_number", String(50), nullable=False),  # TRN02: check or EFT trace number
    Column("check_total", MONEY, nullable=False),  # BPR02
    Column("payment_date", Date, nullable=True),
    Column("source", String(200), nullable=False, default=""),  # a file name, never content
    Column("posted_at", DateTime(timezone=True), nullable=False),
    Column("claim_count", Integer, nullable=False),
    # the idempotency key: the same 835 (payer, TRN, check) posts once, whoever posts it
    UniqueConstraint("payer_id", "trace_number", "check_total", name="uq_remittances_key"),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(30), nullable=False),
    Column("effective", Date, nullable=False),
    Column("source", String(200), nullable=False, default=""),
    Column("memo", String(200), nullable=False, default=""),
    Column("remittance_id", Integer, ForeignKey("remittances.id"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", Integer, ForeignKey("journal_entries.id"), nullable=False),
    Column("account", String(80), nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("claim_id", String(50), nullable=False, default=""),
    Column("patient_id", String(80), nullable=False, default=""),
    Column("payer_id", String(80), nullable=False, default=""),
    Column("memo", String(80), nullable=False, default=""),
    Index("ix_postings_claim_id", "claim_id"),
    Index("ix_postings_account", "account"),
    Index("ix_postings_entry_id", "entry_id"),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(50), nullable=False),
    Column("payer_id", String(80), nullable=False, default=""),
    Column("code", String(40), nullable=False),  # POST_UNDERPAID, DENIAL...
    Column("reason", String(20), nullable=False, default=""),  # CARC
    Column("remarks", String(200), nullable=False, default=""),  # RARCs, space separated
    Column("amount", MONEY, nullable=False),
    Column("message", Text, nullable=False),  # ids and amounts only, no PHI
    Column("remittance_id", Integer, ForeignKey("remittances.id"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_follow_ups_claim_id", "claim_id"),
)
