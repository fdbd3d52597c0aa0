"""Network intake: carriers, outbound messages with their delivery log, compliance
events; alerts raised at an interactive check-in are marked urgent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "carriers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kinds", sa.String(length=64), nullable=False),
        sa.Column("routes", sa.Text(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column("reply_url", sa.String(length=512), nullable=True),
        sa.Column("reply_queue", sa.String(length=128), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_created_at", UTC, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("code", name=op.f("uq_carriers_code")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_carriers_token_hash")),
    )
    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("flight_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=True),
        sa.Column("last_attempt_at", UTC, nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("delivered_at", UTC, nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_outbound_messages_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_outbound_messages_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_outbound_messages_flight_id_flights")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_messages")),
    )
    op.create_index(op.f("ix_outbound_messages_carrier_id"), "outbound_messages", ["carrier_id"],
                    unique=False)
    op.create_index("ix_outbound_messages_due", "outbound_messages",
                    ["status", "next_attempt_at"], unique=False)
    op.create_table(
        "compliance_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("carrier", sa.String(length=16), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_compliance_events_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_events")),
    )
    op.create_index(op.f("ix_compliance_events_at"), "compliance_events", ["at"], unique=False)
    op.create_index(op.f("ix_compliance_events_carrier"), "compliance_events", ["carrier"],
                    unique=False)
    # A plain ADD COLUMN (SQLite supports it with a default): batch mode would
    # copy and drop the alerts table, which the alert events' foreign keys refuse.
    op.add_column(
        "alerts", sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("urgent")
    op.drop_index(op.f("ix_compliance_events_carrier"), table_name="compliance_events")
    op.drop_index(op.f("ix_compliance_events_at"), table_name="compliance_events")
    op.drop_table("compliance_events")
    op.drop_index("ix_outbound_messages_due", table_name="outbound_messages")
    op.drop_index(op.f("ix_outbound_messages_carrier_id"), table_name="outbound_messages")
    op.drop_table("outbound_messages")
    op.drop_table("carriers")
