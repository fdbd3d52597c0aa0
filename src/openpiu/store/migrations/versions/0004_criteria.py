"""Pre-determined criteria: criteria and their immutable versions; alerts record
the criterion version that raised them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria")),
        sa.UniqueConstraint("key", name=op.f("uq_criteria_key")),
    )
    op.create_table(
        "criterion_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("example", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approver", sa.String(length=128), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_criterion_versions_criterion_id_criteria"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_versions")),
        sa.UniqueConstraint("criterion_id", "version", name="uq_criterion_versions_key"),
    )
    with op.batch_alter_table("criterion_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_criterion_versions_status"), ["status"], unique=False)
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("criterion_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_criterion_version_id_criterion_versions"),
            "criterion_versions",
            ["criterion_version_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_alerts_criterion_version_id_criterion_versions"), type_="foreignkey"
        )
        batch_op.drop_column("criterion_version_id")
    with op.batch_alter_table("criterion_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_versions_status"))
    op.drop_table("criterion_versions")
    op.drop_table("criteria")
