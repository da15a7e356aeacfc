"""The paper trail (issue 14): the base of each person's 绩效工资, amendments and their record changes, the
input files they were made from, appeals and sign-offs.

Revision ID: 0002_paper_trail
Revises: 0001_ledger
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_paper_trail"
down_revision = "0001_ledger"
branch_labels = None
depends_on = None

DECIMAL = sa.String(80)  # exact decimals as text (kpi_cli.ledger.schema.ExactDecimal)


def upgrade() -> None:
    with op.batch_alter_table("ledger_results") as batch:  # SQLite: ALTER TABLE ADD COLUMN works in place
        batch.add_column(sa.Column("pay_base", DECIMAL))
    op.create_table(
        "ledger_files",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_ledger_files"),
    )
    op.create_table(
        "ledger_amendments",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("records_known", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("version_id", name="pk_ledger_amendments"),
        sa.ForeignKeyConstraint(["version_id"], ["ledger_versions.id"],
                                name="fk_ledger_amendments_version_id_ledger_versions"),
    )
    op.create_table(
        "ledger_record_changes",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("change", sa.String(8), nullable=False),
        sa.Column("old_location", sa.Text, nullable=False),
        sa.Column("new_location", sa.Text, nullable=False),
        sa.Column("old_text", sa.Text, nullable=False),
        sa.Column("new_text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "seq", name="pk_ledger_record_changes"),
        sa.ForeignKeyConstraint(["version_id"], ["ledger_versions.id"],
                                name="fk_ledger_record_changes_version_id_ledger_versions"),
    )
    op.create_table(
        "ledger_appeals",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("period_id", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
        sa.Column("opened_at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("resolution", sa.Text),
        sa.Column("resolved_by", sa.Text),
        sa.Column("resolved_at", sa.String(32)),
        sa.Column("resolved_version", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_appeals"),
        sa.ForeignKeyConstraint(["period_id"], ["ledger_periods.id"], name="fk_ledger_appeals_period_id_ledger_periods"),
    )
    op.create_index("ix_ledger_appeals_period_id_subject_id", "ledger_appeals", ["period_id", "subject_id"])
    op.create_table(
        "ledger_signoffs",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("period_id", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("signed_by", sa.Text, nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_signoffs"),
        sa.ForeignKeyConstraint(["period_id"], ["ledger_periods.id"],
                                name="fk_ledger_signoffs_period_id_ledger_periods"),
        sa.UniqueConstraint("period_id", "subject_id", "seq", name="uq_ledger_signoffs_period_id_subject_id_seq"),
    )


def downgrade() -> None:
    op.drop_table("ledger_signoffs")
    op.drop_index("ix_ledger_appeals_period_id_subject_id", table_name="ledger_appeals")
    op.drop_table("ledger_appeals")
    op.drop_table("ledger_record_changes")
    op.drop_table("ledger_amendments")
    op.drop_table("ledger_files")
    with op.batch_alter_table("ledger_results") as batch:
        batch.drop_column("pay_base")
