"""Tables of the analyst application (issue 7), on the store's one metadata.

* ``web_sessions``: server-side sessions.  The cookie holds a random token; only
  its SHA-256 is stored, so a copy of the database opens no session.  Each
  session carries its CSRF token and whether the second factor was given.
* ``login_attempts``: every sign-in attempt (user name as typed, client address,
  outcome), for throttling by address and for the security officer; no password.
* ``alert_notes``: analysts' notes on an alert.
* ``referrals``: a hit passed on to a receiving authority; it leaves only after
  a second person approved it, and the front line's outcome comes back here.
* ``data_requests``: the register of duly reasoned requests from competent
  authorities: who asked, on what legal basis, what was searched and disclosed.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from openpiu.store.schema import UTC, api_travellers, flight_travellers, metadata, pnr_travellers

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTC, nullable=False),
    Column("last_seen_at", UTC, nullable=False),
    Column("expires_at", UTC, nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("second_factor", Boolean, nullable=False, default=False),
    Column("language", String(8)),  # the language the user chose, if any
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTC, nullable=False, index=True),
    Column("username", String(64), nullable=False),  # as typed, cut to 64
    Column("client", String(64), nullable=False),  # the client's address
    Column("ok", Boolean, nullable=False),
)

alert_notes = Table(
    "alert_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("at", UTC, nullable=False),
    Column("author", String(128), nullable=False),
    Column("text", Text, nullable=False),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("authority", String(64), nullable=False),  # a configured receiving authority
    Column("data_sent", Text, nullable=False),  # JSON list of the data items passed on
    Column("reason", Text, nullable=False),
    # pending -> approved (sent) | rejected | withdrawn
    Column("status", String(16), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", UTC),
    Column("decision_note", Text),
    Column("sent_at", UTC),
    # What the front line did: a code from referral outcomes, and a note.
    Column("outcome", String(32)),
    Column("outcome_note", Text),
    Column("outcome_by", String(128)),
    Column("outcome_at", UTC),
)
Index("ix_referrals_status", referrals.c.status)

data_requests = Table(
    "data_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", UTC, nullable=False),
    Column("authority", String(64), nullable=False),
    Column("requester", String(200), nullable=False),  # the officer who asked
    Column("legal_basis", Text, nullable=False),
    Column("case_ref", String(128), nullable=False),
    Column("reason", Text, nullable=False),
    Column("searched", Text, nullable=False),  # what was searched, as described
    Column("disclosed", Text),  # what was disclosed; empty when refused
    Column("decision", String(16), nullable=False),  # disclosed | refused | partial
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", UTC, nullable=False),
)

# Person search (people_search) narrows by surname and date of birth in SQL
# before comparing spellings: without these, a search reads every traveller
# (1.3-5.7 s on a million, 31 ms with them).
Index("ix_api_travellers_surname", api_travellers.c.surname)
Index("ix_api_travellers_dob", api_travellers.c.dob)
Index("ix_pnr_travellers_surname", pnr_travellers.c.surname)
# A person's travel history (the alert view) reads flight_travellers by person;
# its key starts with the flight.
Index("ix_flight_travellers_person_id", flight_travellers.c.person_id)
