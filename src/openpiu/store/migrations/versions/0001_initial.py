"""Initial schema: the tables of openpiu.store.schema, plus append-only guards
on audit_events (triggers that refuse UPDATE and DELETE, and TRUNCATE on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# audit_events is append-only: the database itself refuses to change or remove a
# row, so a bug or a stray SQL session cannot rewrite history (the hash chain in
# openpiu.audit detects what a privileged user does after dropping the guards).
_GUARD_MESSAGE = "audit_events is append-only"

_SQLITE_GUARDS = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{_GUARD_MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{_GUARD_MESSAGE}: DELETE refused'); END""",
]

_PG_GUARDS = [
    f"""CREATE FUNCTION audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{_GUARD_MESSAGE}: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$""",
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
]


def _create_audit_guards() -> None:
    dialect = op.get_bind().dialect.name
    statements = _PG_GUARDS if dialect == "postgresql" else _SQLITE_GUARDS
    for statement in statements:
        op.execute(statement)


def _drop_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("actor_roles", sa.String(length=255), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=True),
        sa.Column("target_ids", sa.Text(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"], unique=False)
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)

    op.create_table(
        "flights",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("flight_date", sa.Date(), nullable=False),
        sa.Column("designator", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=3), nullable=True),
        sa.Column("destination", sa.String(length=3), nullable=True),
        sa.Column("departure_local", sa.DateTime(), nullable=True),
        sa.Column("departure_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival_local", sa.DateTime(), nullable=True),
        sa.Column("arrival_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flights")),
        sa.UniqueConstraint("carrier", "number", "flight_date", name="uq_flights_key"),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("key_kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("key", name=op.f("uq_persons_key")),
    )
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=128), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "legs",
        sa.Column("flight_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("departure_airport", sa.String(length=3), nullable=True),
        sa.Column("arrival_airport", sa.String(length=3), nullable=True),
        sa.Column("departure_local", sa.DateTime(), nullable=True),
        sa.Column("departure_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival_local", sa.DateTime(), nullable=True),
        sa.Column("arrival_utc", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_legs_flight_id_flights")
        ),
        sa.PrimaryKeyConstraint("flight_id", "seq", name=op.f("pk_legs")),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=128), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("interchange_sender", sa.String(length=64), nullable=True),
        sa.Column("interchange_ref", sa.String(length=64), nullable=True),
        sa.Column("message_ref", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("common_access_ref", sa.String(length=128), nullable=True),
        sa.Column("part_number", sa.Integer(), nullable=True),
        sa.Column("final_part", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("position", sa.String(length=128), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flight_id", sa.Integer(), nullable=True),
        sa.Column("redacted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("raw_destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_messages_flight_id_flights")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("sha256", name=op.f("uq_messages_sha256")),
    )
    op.create_index(op.f("ix_messages_flight_id"), "messages", ["flight_id"], unique=False)
    op.create_index(
        "ix_messages_parts", "messages", ["interchange_sender", "common_access_ref"], unique=False
    )
    op.create_index(op.f("ix_messages_status"), "messages", ["status"], unique=False)

    op.create_table(
        "person_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["persons.id"],
            name=op.f("fk_person_events_other_person_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_events_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_events")),
    )
    op.create_index(
        op.f("ix_person_events_person_id"), "person_events", ["person_id"], unique=False
    )

    op.create_table(
        "manifest_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("flight_id", sa.Integer(), nullable=False),
        sa.Column("document_code", sa.String(length=8), nullable=False),
        sa.Column("document_subcode", sa.String(length=8), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("list_role", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("interchange_ref", sa.String(length=64), nullable=True),
        sa.Column("transaction_ref", sa.String(length=64), nullable=True),
        sa.Column("parts", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("declared_passengers", sa.Integer(), nullable=True),
        sa.Column("declared_crew", sa.Integer(), nullable=True),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("flight_data", sa.Text(), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_manifest_versions_flight_id_flights")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_manifest_versions_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifest_versions")),
        sa.UniqueConstraint("message_id", "ordinal", name="uq_manifest_versions_message"),
    )
    op.create_index(
        op.f("ix_manifest_versions_flight_id"), "manifest_versions", ["flight_id"], unique=False
    )

    op.create_table(
        "message_raw",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_message_raw_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_message_raw")),
    )
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=128), nullable=True),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_receipts_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
    )
    op.create_index(op.f("ix_receipts_message_id"), "receipts", ["message_id"], unique=False)
    op.create_index(op.f("ix_receipts_received_at"), "receipts", ["received_at"], unique=False)

    op.create_table(
        "api_travellers",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("flight_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("in_transit", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("surname", sa.String(length=128), nullable=False),
        sa.Column("given_names", sa.String(length=128), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("residence_country", sa.String(length=3), nullable=True),
        sa.Column("place_of_birth", sa.String(length=128), nullable=True),
        sa.Column("birth_country", sa.String(length=3), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("contacts", sa.Text(), nullable=True),
        sa.Column("embarkation", sa.String(length=5), nullable=True),
        sa.Column("debarkation", sa.String(length=5), nullable=True),
        sa.Column("clearance", sa.String(length=5), nullable=True),
        sa.Column("seat", sa.String(length=8), nullable=True),
        sa.Column("record_locator", sa.String(length=16), nullable=True),
        sa.Column("passenger_ref", sa.String(length=64), nullable=True),
        sa.Column("government_ref", sa.String(length=64), nullable=True),
        sa.Column("frequent_flyer", sa.String(length=64), nullable=True),
        sa.Column("ticket", sa.String(length=32), nullable=True),
        sa.Column("bag_count", sa.Integer(), nullable=True),
        sa.Column("bag_weight", sa.Float(), nullable=True),
        sa.Column("bag_weight_unit", sa.String(length=3), nullable=True),
        sa.Column("bag_tags", sa.Text(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.Column("crew_role", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_api_travellers_flight_id_flights")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_api_travellers_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_api_travellers_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["manifest_versions.id"],
            name=op.f("fk_api_travellers_version_id_manifest_versions"),
        ),
        sa.PrimaryKeyConstraint("message_id", "seq", name=op.f("pk_api_travellers")),
    )
    op.create_index(
        op.f("ix_api_travellers_flight_id"), "api_travellers", ["flight_id"], unique=False
    )
    op.create_index(
        op.f("ix_api_travellers_person_id"), "api_travellers", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_api_travellers_record_locator"), "api_travellers", ["record_locator"], unique=False
    )
    op.create_index(
        op.f("ix_api_travellers_version_id"), "api_travellers", ["version_id"], unique=False
    )

    op.create_table(
        "api_documents",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("traveller_seq", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=4), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id", "traveller_seq"],
            ["api_travellers.message_id", "api_travellers.seq"],
            name=op.f("fk_api_documents_message_id_api_travellers"),
        ),
        sa.PrimaryKeyConstraint(
            "message_id", "traveller_seq", "seq", name=op.f("pk_api_documents")
        ),
    )
    op.create_index(op.f("ix_api_documents_number"), "api_documents", ["number"], unique=False)

    op.create_table(
        "flight_travellers",
        sa.Column("flight_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("since_version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flights.id"], name=op.f("fk_flight_travellers_flight_id_flights")
        ),
        sa.ForeignKeyConstraint(
            ["message_id", "seq"],
            ["api_travellers.message_id", "api_travellers.seq"],
            name=op.f("fk_flight_travellers_message_id_api_travellers"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_flight_travellers_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["since_version_id"],
            ["manifest_versions.id"],
            name=op.f("fk_flight_travellers_since_version_id_manifest_versions"),
        ),
        sa.PrimaryKeyConstraint("flight_id", "person_id", name=op.f("pk_flight_travellers")),
    )
    _create_audit_guards()


def downgrade() -> None:
    _drop_audit_guards()
    op.drop_table("flight_travellers")
    op.drop_table("api_documents")
    op.drop_table("api_travellers")
    op.drop_table("receipts")
    op.drop_table("message_raw")
    op.drop_table("manifest_versions")
    op.drop_table("person_events")
    op.drop_table("messages")
    op.drop_table("legs")
    op.drop_table("users")
    op.drop_table("rejections")
    op.drop_table("persons")
    op.drop_table("flights")
    op.drop_table("audit_events")
