"""The store's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

Alembic migrations in ``store/migrations`` create these tables; a test checks that
the migrated database and this metadata agree.

Layout, following the one flow:

* ``messages`` / ``message_raw`` / ``receipts``: the vault.  Each distinct byte
  string received is one ``messages`` row (keyed by SHA-256); every arrival,
  duplicates included, is a ``receipts`` row; the raw bytes sit apart in
  ``message_raw`` so they can be redacted or destroyed without touching the record.
* ``flights`` / ``legs``: the flight as the latest manifest describes it.
* ``manifest_versions``: one row per PAXLST message applied to a flight: the
  history, ordered by the sender's timestamps, never by arrival.
* ``api_travellers`` / ``api_documents``: travellers exactly as each message gave
  them (immutable, keyed by message and position).  Personal fields live here and
  in ``persons`` only, so masking can run in bulk.
* ``flight_travellers``: the current manifest, derived from the versions.
* ``persons`` / ``person_events``: the person identity of DESIGN.md.
* ``users`` / ``audit_events``: accounts and the append-only audit trail.
* ``watchlists`` / ``watchlist_versions`` / ``watchlist_entries``: loaded lists,
  entries kept with validity intervals; ``alerts`` / ``alert_events``: the review
  queue and each alert's history.
* ``criteria`` / ``criterion_versions``: pre-determined criteria, every version
  kept with its YAML text, author, approver and status.
* the analyst application's tables (sessions, notes, referrals, requests) are in
  ``store/schema_review.py``, network intake's (carriers, outbound messages,
  compliance events) in ``store/schema_intake.py``, on the same metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UTC = DateTime(timezone=True)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("received_at", UTC, nullable=False),
    Column("channel", String(32), nullable=False),  # file, http, amqp, ...
    Column("sender", String(128)),  # who handed it over (carrier id, file name)
    Column("size", Integer, nullable=False),
    # From the EDIFACT envelope, once parsed:
    Column("interchange_sender", String(64)),
    Column("interchange_ref", String(64)),
    Column("message_ref", String(64)),
    Column("sent_at", DateTime),  # UNB preparation date/time as sent
    Column("common_access_ref", String(128)),
    Column("part_number", Integer),
    Column("final_part", Boolean),
    # Outcome:
    Column("reason", Text),  # why quarantined
    Column("position", String(128)),  # where the fault sits
    Column("warnings", Text),  # JSON list of strings
    Column("attempts", Integer, nullable=False, default=0, server_default=text("0")),
    Column("processed_at", UTC),
    Column("flight_id", Integer, ForeignKey("flights.id"), index=True),
    Column("redacted", Boolean, nullable=False, default=False, server_default=false()),
    Column("raw_destroyed_at", UTC),
)
Index("ix_messages_parts", messages.c.interchange_sender, messages.c.common_access_ref)

message_raw = Table(
    "message_raw",
    metadata,
    Column("message_id", Integer, ForeignKey("messages.id"), primary_key=True),
    Column("raw", LargeBinary, nullable=False),
)

receipts = Table(
    "receipts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False, index=True),
    Column("received_at", UTC, nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("sender", String(128)),
    Column("duplicate", Boolean, nullable=False),
)

flights = Table(
    "flights",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),  # without leading zeros
    Column("flight_date", Date, nullable=False),  # local departure date
    Column("designator", String(16), nullable=False),  # as sent, e.g. ZZ0123
    Column("origin", String(3)),
    Column("destination", String(3)),
    Column("departure_local", DateTime),
    Column("departure_utc", UTC),
    Column("arrival_local", DateTime),
    Column("arrival_utc", UTC),
    # open, closed, cancelled
    Column("status", String(16), nullable=False, default="open", server_default="open"),
    Column("updated_at", UTC, nullable=False),
    UniqueConstraint("carrier", "number", "flight_date", name="uq_flights_key"),
)

legs = Table(
    "legs",
    metadata,
    Column("flight_id", Integer, ForeignKey("flights.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("departure_airport", String(3)),
    Column("arrival_airport", String(3)),
    Column("departure_local", DateTime),
    Column("departure_utc", UTC),
    Column("arrival_local", DateTime),
    Column("arrival_utc", UTC),
)

manifest_versions = Table(
    "manifest_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The vault message that carried this version (for a multi-part message: its
    # first part) and the manifest's place in it (one file may hold several).
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False, index=True),
    Column("document_code", String(8), nullable=False),
    Column("document_subcode", String(8)),
    Column("action", String(16), nullable=False),
    Column("list_role", String(16), nullable=False),
    Column("sent_at", DateTime),  # the sender's timestamp that orders versions
    Column("interchange_ref", String(64)),
    Column("transaction_ref", String(64)),
    Column("parts", Integer, nullable=False, default=1, server_default=text("1")),
    Column("declared_passengers", Integer),
    Column("declared_crew", Integer),
    Column("travellers", Integer, nullable=False),
    # The flight as this version described it (designator, legs with local and UTC
    # times), JSON: the flight row shows the latest version's picture.
    Column("flight_data", Text),
    Column("warnings", Text),  # JSON list
    Column("stored_at", UTC, nullable=False),
    UniqueConstraint("message_id", "ordinal", name="uq_manifest_versions_message"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("key_kind", String(16), nullable=False),  # document | name
    Column("created_at", UTC, nullable=False),
)

person_events = Table(
    "person_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # created, merged, split, linked
    Column("other_person_id", Integer, ForeignKey("persons.id")),
    Column("at", UTC, nullable=False),
    Column("detail", Text),
)

api_travellers = Table(
    "api_travellers",
    metadata,
    Column("message_id", Integer, ForeignKey("messages.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # position in the vault message, from 1
    Column("version_id", Integer, ForeignKey("manifest_versions.id"), nullable=False, index=True),
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False, index=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("in_transit", Boolean, nullable=False, default=False, server_default=false()),
    Column("surname", String(128), nullable=False),
    Column("given_names", String(128), nullable=False),
    Column("gender", String(1)),
    Column("dob", Date),
    Column("nationality", String(3)),
    Column("residence_country", String(3)),
    Column("place_of_birth", String(128)),
    Column("birth_country", String(3)),
    Column("address", Text),  # JSON object
    Column("contacts", Text),  # JSON list
    Column("embarkation", String(5)),
    Column("debarkation", String(5)),
    Column("clearance", String(5)),
    Column("seat", String(8)),
    Column("record_locator", String(16), index=True),
    Column("passenger_ref", String(64)),
    Column("government_ref", String(64)),
    Column("frequent_flyer", String(64)),
    Column("ticket", String(32)),
    Column("bag_count", Integer),
    Column("bag_weight", Float),
    Column("bag_weight_unit", String(3)),
    Column("bag_tags", Text),  # JSON list of [tag, count]
    Column("verified", Boolean),
    Column("crew_role", String(8)),
)

api_documents = Table(
    "api_documents",
    metadata,
    Column("message_id", Integer, primary_key=True),
    Column("traveller_seq", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("doc_type", String(4), nullable=False),
    Column("number", String(64), nullable=False, index=True),
    Column("issuing_country", String(3)),
    Column("expiry", Date),
    Column("issue_date", Date),
    ForeignKeyConstraint(
        ["message_id", "traveller_seq"], ["api_travellers.message_id", "api_travellers.seq"]
    ),
)

flight_travellers = Table(
    "flight_travellers",
    metadata,
    Column("flight_id", Integer, ForeignKey("flights.id"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("status", String(16), nullable=False),  # listed, cancelled
    # The api_travellers row holding the latest data for this person on this flight:
    Column("message_id", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    # The version that set the status:
    Column("since_version_id", Integer, ForeignKey("manifest_versions.id"), nullable=False),
    ForeignKeyConstraint(
        ["message_id", "seq"], ["api_travellers.message_id", "api_travellers.seq"]
    ),
)

rejections = Table(
    "rejections",
    metadata,
    # Input refused before it reached the vault (not EDIFACT or XML at all, too
    # large, not authenticated): answered and counted, never silently dropped.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTC, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("sender", String(128)),
    Column("size", Integer, nullable=False),
    Column("reason", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("roles", String(255), nullable=False),  # comma-separated role names
    Column("active", Boolean, nullable=False, default=True, server_default=true()),
    Column("created_at", UTC, nullable=False),
    Column("created_by", String(64)),
    Column("disabled_at", UTC),
    # Sign-in protection (issue 7): failures since the last success, the lock-out
    # they caused, and the optional TOTP second factor's secret (base32).
    Column("failed_logins", Integer, nullable=False, default=0, server_default=text("0")),
    Column("locked_until", UTC),
    Column("totp_secret", String(64)),
    Column("last_login_at", UTC),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTC, nullable=False, index=True),
    Column("actor", String(128), nullable=False),  # user name, or local:<os account>
    Column("actor_roles", String(255)),
    Column("action", String(64), nullable=False, index=True),
    Column("target_kind", String(32)),
    Column("target_ids", Text),  # JSON list
    Column("purpose", Text),  # why personal data was looked at, where asked
    Column("details", Text),  # JSON object; never personal data
    Column("prev_hash", String(64)),
    Column("hash", String(64), nullable=False),
)

# -- PNR (issue 3) --------------------------------------------------------------------
# A booking is keyed on (reservation system, record locator, creation date): record
# locators are unique only per system and date.  Every push of a booking is a
# version (the filtered booking as JSON, immutable); which bookings are on a flight
# now is derived by replaying the pushes in the sender's order.

bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reservation_system", String(8), nullable=False),  # "" when not sent
    Column("record_locator", String(16), nullable=False),
    Column("created_on", String(10), nullable=False),  # ISO date, "" when not sent
    Column("first_seen_at", UTC, nullable=False),
    UniqueConstraint("reservation_system", "record_locator", "created_on", name="uq_bookings_key"),
)

booking_locators = Table(
    "booking_locators",
    metadata,
    Column("booking_id", Integer, ForeignKey("bookings.id"), primary_key=True),
    Column("system", String(8), primary_key=True),
    Column("locator", String(16), primary_key=True, index=True),
)

pnr_pushes = Table(
    "pnr_pushes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("ordinal", Integer, nullable=False),  # the push's place in the vault message
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False, index=True),
    Column("push_kind", String(16), nullable=False),  # full, update, cancel
    Column("sent_at", DateTime),  # UNB date/time: orders the pushes
    Column("interchange_ref", String(64)),
    Column("bookings", Integer, nullable=False),
    Column("declared_bookings", Integer),
    Column("xml", Boolean, nullable=False, default=False, server_default=false()),
    Column("stored_at", UTC, nullable=False),
    UniqueConstraint("message_id", "ordinal", name="uq_pnr_pushes_message"),
)

booking_versions = Table(
    "booking_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("booking_id", Integer, ForeignKey("bookings.id"), nullable=False, index=True),
    Column("push_id", Integer, ForeignKey("pnr_pushes.id"), nullable=False, index=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False, index=True),
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False, index=True),
    Column("last_modified", DateTime),  # DAT 700 as sent
    Column("data", Text, nullable=False),  # the filtered booking, JSON
    Column("travellers", Integer, nullable=False),
    Column("warnings", Text),  # JSON list
)

pnr_travellers = Table(
    "pnr_travellers",
    metadata,
    Column("version_id", Integer, ForeignKey("booking_versions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id"), nullable=False, index=True),
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False, index=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("surname", String(128), nullable=False),
    Column("given_names", String(128), nullable=False),
    Column("dob", Date),
    Column("gender", String(2)),
    Column("nationality", String(3)),
    Column("doc_number", String(64), index=True),
    Column("doc_country", String(3)),
)

booking_flights = Table(
    "booking_flights",
    metadata,
    # Derived: each booking the pushes put on a flight, and where it stands now.
    Column("flight_id", Integer, ForeignKey("flights.id"), primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # on_flight, left, cancelled
    Column("version_id", Integer, ForeignKey("booking_versions.id"), nullable=False),
    Column("since_push_id", Integer, ForeignKey("pnr_pushes.id"), nullable=False),
)

person_links = Table(
    "person_links",
    metadata,
    # Derived: a booking's traveller linked to an API traveller on the same flight.
    Column("flight_id", Integer, ForeignKey("flights.id"), primary_key=True),
    Column("pnr_person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("api_person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("rule", String(16), nullable=False),  # locator, document, name_dob
)

privacy_removals = Table(
    "privacy_removals",
    metadata,
    # What the sensitive-data filter removed: a count per day and rule, nothing else
    # (a message id of a one-traveller PNR would re-identify the person).
    Column("day", Date, primary_key=True),
    Column("rule", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)

secrets = Table(
    "secrets",
    metadata,
    # Keys made on first use for this installation (e.g. the card-linking key),
    # unless given in the environment; never a default in the code.
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
    Column("created_at", UTC, nullable=False),
)

# -- Watchlists and alerts (issue 5) ----------------------------------------------
# A list is loaded again and again (the UN list changes weekly; a national list may
# hold a million entries).  Each load that changes something is a version; each
# entry row is valid for versions first_version..last_version (NULL: still
# current), so a re-import writes only what changed and any past version can be
# read back, as the alerts raised on it must be explainable later.

watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("created_at", UTC, nullable=False),
)

watchlist_versions = Table(
    "watchlist_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id"), nullable=False),
    Column("version", Integer, nullable=False),  # 1, 2, 3 ... per list
    Column("loaded_at", UTC, nullable=False),
    Column("loaded_by", String(128), nullable=False),
    Column("format", String(16), nullable=False),  # un_xml, csv, ftm, ...
    Column("source_sha256", String(64)),  # of the file loaded
    Column("entry_count", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    UniqueConstraint("watchlist_id", "version", name="uq_watchlist_versions_key"),
)

watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id"), nullable=False),
    Column("entry_id", String(128), nullable=False),
    Column("list_ref", String(128)),
    Column("first_version", Integer, nullable=False),
    Column("last_version", Integer),  # NULL: in the current version
    Column("digest", String(64), nullable=False),  # screening.serial.entry_digest
    Column("data", Text, nullable=False),  # screening.serial.entry_to_json, canonical
)
_we = watchlist_entries.c
Index("ix_watchlist_entries_current", _we.watchlist_id, _we.last_version)
Index("ix_watchlist_entries_entry", _we.watchlist_id, _we.entry_id)

alerts = Table(
    "alerts",
    metadata,
    # One alert per (flight, person, list entry or criterion): new evidence updates
    # it, never duplicates it (the unique key makes that hold under concurrency).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("flight_id", Integer, ForeignKey("flights.id"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("source", String(16), nullable=False),  # watchlist | criterion
    Column("list_name", String(64), nullable=False),
    Column("entry_id", String(128), nullable=False),
    Column("entry_ref", String(128)),
    Column("list_version", Integer),
    Column("entry_digest", String(64)),  # of the entry when last matched
    Column("score", Float, nullable=False),
    Column("band", String(8), nullable=False),
    Column("matched_name", Text),
    Column("features", Text),  # JSON list of Feature.to_json(), or a criterion's checks
    # The criterion version that produced a criteria alert (its number is list_version).
    Column("criterion_version_id", Integer, ForeignKey("criterion_versions.id")),
    # open | dismissed | confirmed | referred | closed
    Column("status", String(16), nullable=False, default="open", server_default="open"),
    # Raised by an interactive API check-in: first in the queue (issue 8).
    Column("urgent", Boolean, nullable=False, default=False, server_default=false()),
    Column("created_at", UTC, nullable=False),
    Column("updated_at", UTC, nullable=False),
    UniqueConstraint(
        "flight_id", "person_id", "source", "list_name", "entry_id", name="uq_alerts_key"
    ),
)
Index("ix_alerts_queue", alerts.c.status, alerts.c.band)

alert_events = Table(
    "alert_events",
    metadata,
    # The alert's history across PNR pushes and API messages.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("at", UTC, nullable=False),
    Column("kind", String(16), nullable=False),  # raised | updated | reopened | band_changed
    Column("score", Float),
    Column("band", String(8)),
    Column("list_version", Integer),
    Column("message_id", Integer, ForeignKey("messages.id")),
    Column("features", Text),  # JSON list, as in alerts
    # Decisions (dismissed, confirmed, referred, noted): who and why.
    Column("actor", String(128)),
    Column("reason", Text),
)

# -- Pre-determined criteria (issue 6) ---------------------------------------------
# A criterion is named by the id in its YAML; each text submitted is a new version,
# never edited afterwards (the YAML and its hash are kept as approved, so an alert
# can always be replayed against the exact rule that raised it).  Only the status
# moves: draft -> approved -> active -> suspended / retired, each move audited.

criteria = Table(
    "criteria",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # the YAML id
    Column("created_at", UTC, nullable=False),
    Column("created_by", String(128), nullable=False),
)

criterion_versions = Table(
    "criterion_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("criterion_id", Integer, ForeignKey("criteria.id"), nullable=False),
    Column("version", Integer, nullable=False),  # 1, 2, 3 ... per criterion
    Column("yaml", Text, nullable=False),  # the text as submitted and approved
    Column("sha256", String(64), nullable=False),
    # Read from the YAML, for listings and queries without parsing it:
    Column("title", String(200), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("score", Integer, nullable=False),
    Column("review_date", Date, nullable=False),
    Column("example", Boolean, nullable=False, default=False, server_default=false()),
    # draft | approved | active | suspended | retired
    Column("status", String(16), nullable=False, index=True),
    Column("author", String(128), nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("approver", String(128)),
    Column("approved_at", UTC),
    Column("status_changed_at", UTC, nullable=False),
    Column("status_changed_by", String(128), nullable=False),
    UniqueConstraint("criterion_id", "version", name="uq_criterion_versions_key"),
)


# The analyst application's tables live in their own module (this one is long
# enough); importing it here puts them on ``metadata`` for every user of it.
from openpiu.store import schema_intake as _schema_intake  # noqa: E402,F401
from openpiu.store import schema_review as _schema_review  # noqa: E402,F401
