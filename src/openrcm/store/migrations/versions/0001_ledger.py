"""Claims, remittances, the journal (entries and postings) and follow-ups.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.String(38), nullable=False),
        sa.Column("patient_id", sa.String(80), nullable=False),
        sa.Column("payer_id", sa.String(80), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("billed", sa.Date(), nullable=False),
        sa.Column("charge", MONEY, nullable=False),
        sa.Column("expected_allowed", MONEY, nullable=True),
        sa.Column("payer_claim_number", sa.String(50), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_payer_claim_number", "claims", ["payer_claim_number"])
    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payer_id", sa.String(80), nullable=False),
        sa.Column("trace_number", sa.String(50), nullable=False),
        sa.Column("check_total", MONEY, nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remittances"),
        sa.UniqueConstraint("payer_id", "trace_number", "check_total", name="uq_remittances_key"),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("memo", sa.String(200), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name="fk_journal_entries_remittance_id_remittances"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entries"),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(80), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("claim_id", sa.String(50), nullable=False),
        sa.Column("patient_id", sa.String(80), nullable=False),
        sa.Column("payer_id", sa.String(80), nullable=False),
        sa.Column("memo", sa.String(80), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entries.id"], name="fk_postings_entry_id_journal_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_postings"),
    )
    op.create_index("ix_postings_claim_id", "postings", ["claim_id"])
    op.create_index("ix_postings_account", "postings", ["account"])
    op.create_index("ix_postings_entry_id", "postings", ["entry_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.String(50), nullable=False),
        sa.Column("payer_id", sa.String(80), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("remarks", sa.String(200), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["remittance_id"], ["remittances.id"], name="fk_follow_ups_remittance_id_remittances"),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
    )
    op.create_index("ix_follow_ups_claim_id", "follow_ups", ["claim_id"])


def downgrade() -> None:
    op.drop_table("follow_ups")
    op.drop_table("postings")
    op.drop_table("journal_entries")
    op.drop_table("remittances")
    op.drop_table("claims")
