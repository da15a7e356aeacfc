"""The paper trail's tables (issue 14), on the ledger's metadata: amendments and the record changes they
made, the input files they were made from, appeals (申诉) and sign-offs (签字确认).

Append-only, like the rest of the ledger: a sign-off, a reset by an amendment and a reopening are each
a new row; the one update is an appeal's resolution, which fills its empty resolution fields once
(``WHERE state = 'open'``) and never touches what was opened.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, UniqueConstraint

from kpi_cli.ledger.schema import metadata

files = Table(
    "ledger_files", metadata,
    Column("sha256", String(64), primary_key=True),  # content-addressed: one copy of each file
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),  # zlib-compressed bytes
)

amendments = Table(
    "ledger_amendments", metadata,
    Column("version_id", Integer, ForeignKey("ledger_versions.id"), primary_key=True),
    Column("records_known", Boolean, nullable=False),  # False: the previous log was not available unchanged
    Column("note", Text),  # why the record-level changes are not known
)

record_changes = Table(
    "ledger_record_changes", metadata,
    Column("version_id", Integer, ForeignKey("ledger_versions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("subject_id", String(200), nullable=False),
    Column("change", String(8), nullable=False),  # added | removed | changed
    Column("old_location", Text, nullable=False),  # file:line, "" when added
    Column("new_location", Text, nullable=False),
    Column("old_text", Text, nullable=False),
    Column("new_text", Text, nullable=False),
)

appeals = Table(
    "ledger_appeals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the appeal's number, #1, #2...
    Column("period_id", Integer, ForeignKey("ledger_periods.id"), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),  # the version appealed against
    Column("reason", Text, nullable=False),
    Column("opened_by", Text, nullable=False),
    Column("opened_at", String(32), nullable=False),
    Column("state", String(16), nullable=False),  # open | amended | rejected
    Column("resolution", Text),  # the amendment's reason, or why it was rejected
    Column("resolved_by", Text),
    Column("resolved_at", String(32)),
    Column("resolved_version", Integer),  # the amendment that resolved it
    Index(None, "period_id", "subject_id"),
)

signoffs = Table(
    "ledger_signoffs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period_id", Integer, ForeignKey("ledger_periods.id"), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("seq", Integer, nullable=False),  # 1, 2... per person: two signers racing, one wins
    Column("action", String(16), nullable=False),  # employee | supervisor | hr | reset | reopen
    Column("state", String(16), nullable=False),  # the state after it: pending | confirmed | reviewed | locked
    Column("version", Integer, nullable=False),  # the period's version it applies to
    Column("reason", Text),  # required for reset and reopen
    Column("signed_by", Text, nullable=False),
    Column("signed_at", String(32), nullable=False),
    UniqueConstraint("period_id", "subject_id", "seq"),
)
