"""Tables of network intake (issue 8), on the store's one metadata.

* ``carriers``: each airline or service provider that sends messages: what it
  may send (kinds, routes), its agreed push schedule (hours before departure per
  kind), where replies go (a callback URL or a reply queue), and its API token
  (only the SHA-256 is kept; the token is shown once when made).
* ``outbound_messages``: what the PIU sends back (iAPI CUSRES answers, and
  unsolicited CUSRES after a list change), with the delivery log: attempts, next
  attempt, last error (never message content), delivered or failed.
* ``compliance_events``: what a carrier's conduct caused: refusals, overload
  answers, late or missing pushes (counts and codes, no personal data).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from openpiu.store.schema import UTC, metadata

carriers = Table(
    "carriers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),  # IATA code or provider id
    Column("name", String(128), nullable=False),
    Column("kinds", String(64), nullable=False),  # comma-separated: paxlst,pnrgov,iapi
    Column("routes", Text, nullable=False),  # JSON list of airports/countries; [] = any
    Column("schedule", Text, nullable=False),  # JSON: kind -> hours before departure
    Column("reply_url", String(512)),  # callback for unsolicited CUSRES
    Column("reply_queue", String(128)),  # or an AMQP queue for them
    Column("token_hash", String(64), unique=True),
    Column("token_created_at", UTC),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTC, nullable=False),
    Column("created_by", String(128), nullable=False),
)

outbound_messages = Table(
    "outbound_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("carrier_id", Integer, ForeignKey("carriers.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # cusres
    Column("reason", String(16), nullable=False),  # answer | unsolicited
    Column("message_id", Integer, ForeignKey("messages.id")),  # what it answers
    Column("flight_id", Integer, ForeignKey("flights.id")),
    Column("body", LargeBinary, nullable=False),
    # answered (given in the HTTP answer) | pending | delivered | failed
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTC),
    Column("last_attempt_at", UTC),
    Column("last_error", String(200)),
    Column("delivered_at", UTC),
    Column("latency_ms", Integer),  # for an iAPI answer: receipt to answer
    Column("created_at", UTC, nullable=False),
)
Index("ix_outbound_messages_due", outbound_messages.c.status, outbound_messages.c.next_attempt_at)

compliance_events = Table(
    "compliance_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTC, nullable=False, index=True),
    Column("carrier", String(16), index=True),  # carrier code, when known
    # refused | overload | unauthorised | forbidden | dead_letter
    Column("kind", String(32), nullable=False),
    Column("detail", Text),  # codes and counts only
    Column("message_id", Integer, ForeignKey("messages.id")),
)
