"""The ledger: closed periods, their versions, each person's results, item scores and flags.

Revision ID: 0001_ledger
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_ledger"
down_revision = None
branch_labels = None
depends_on = None

DECIMAL = sa.String(80)  # exact decimals as text (kpi_cli.ledger.schema.ExactDecimal)


def upgrade() -> None:
    op.create_table(
        "ledger_periods",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rubric_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("closed_by", sa.Text, nullable=False),
        sa.Column("closed_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_periods"),
        sa.UniqueConstraint("rubric_id", "period", name="uq_ledger_periods_rubric_id_period"),
    )
    op.create_table(
        "ledger_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("kpi_version", sa.String(32), nullable=False),
        sa.Column("rubric_file", sa.Text, nullable=False),
        sa.Column("rubric_sha256", sa.String(64), nullable=False),
        sa.Column("rubric_text", sa.Text, nullable=False),
        sa.Column("log_file", sa.Text, nullable=False),
        sa.Column("log_sha256", sa.String(64), nullable=False),
        sa.Column("log_bytes", sa.Integer, nullable=False),
        sa.Column("roster_file", sa.Text),
        sa.Column("roster_sha256", sa.String(64)),
        sa.Column("roster_bytes", sa.Integer),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_used", sa.Integer, nullable=False),
        sa.Column("rows_outside", sa.Integer, nullable=False),
        sa.Column("rows_error", sa.Integer, nullable=False),
        sa.Column("subjects", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_versions"),
        sa.ForeignKeyConstraint(["period_id"], ["ledger_periods.id"],
                                name="fk_ledger_versions_period_id_ledger_periods"),
        sa.UniqueConstraint("period_id", "number", name="uq_ledger_versions_period_id_number"),
    )
    op.create_table(
        "ledger_results",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("total", DECIMAL, nullable=False),
        sa.Column("raw_total", DECIMAL, nullable=False),
        sa.Column("adjustment_total", DECIMAL, nullable=False),
        sa.Column("grade", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("pay", DECIMAL),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("department_rank", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "subject_id", name="pk_ledger_results"),
        sa.ForeignKeyConstraint(["version_id"], ["ledger_versions.id"],
                                name="fk_ledger_results_version_id_ledger_versions"),
    )
    op.create_index("ix_ledger_results_subject_id", "ledger_results", ["subject_id"])
    op.create_table(
        "ledger_items",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("max", DECIMAL, nullable=False),
        sa.Column("score", DECIMAL, nullable=False),
        sa.Column("deducted", DECIMAL, nullable=False),
        sa.Column("occurrences", sa.Integer, nullable=False),
        sa.Column("wiped", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "subject_id", "item_id", name="pk_ledger_items"),
        sa.ForeignKeyConstraint(["version_id"], ["ledger_versions.id"],
                                name="fk_ledger_items_version_id_ledger_versions"),
    )
    op.create_table(
        "ledger_flags",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("action", sa.Text),
        sa.Column("periods", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "subject_id", "rule_id", name="pk_ledger_flags"),
        sa.ForeignKeyConstraint(["version_id"], ["ledger_versions.id"],
                                name="fk_ledger_flags_version_id_ledger_versions"),
    )


def downgrade() -> None:
    for table in ("ledger_flags", "ledger_items", "ledger_results", "ledger_versions", "ledger_periods"):
        op.drop_table(table)
