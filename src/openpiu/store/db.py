"""Engines and migrations: one store, SQLite or PostgreSQL, chosen by URL.

``make_engine`` is the only place that knows the backends apart.  SQLite gets the
settings an embedded, privacy-minded store needs (WAL for concurrent readers,
``secure_delete`` so destroyed raw messages do not linger in free pages, foreign
keys on); PostgreSQL gets a pre-ping pool so a restarted server is survived.

``upgrade`` runs the Alembic migrations shipped inside the package.  Every process
calls it on start; a lock makes two processes starting together take turns.

Time: every time the platform stamps is stored in UTC.  SQLite has no time zone
type and hands back naive datetimes, so read them through :func:`as_utc`, and
write them through :func:`to_db` (which also refuses naive input, a likely bug).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from openpiu.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Arbitrary constant shared by every openpiu process: the key of the PostgreSQL
# advisory lock taken while migrating ("piu-migr" in ASCII).
MIGRATION_LOCK_KEY = 0x7069752D6D696772

# Execution option a caller sets to say "this transaction will write".  On SQLite
# such a transaction starts with BEGIN IMMEDIATE: it takes the write lock up
# front and waits for it (busy_timeout) instead of failing with SQLITE_BUSY when
# it upgrades a read into a write while another connection writes.
WRITE_OPTION = "piu_write"

_SQLITE_PRAGMAS = (
    # First, so that the other pragmas wait for a lock rather than fail at once.
    "PRAGMA busy_timeout=30000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def make_engine(url: str) -> Engine:
    """An engine for ``sqlite:///path.db`` or ``postgresql+psycopg://...``
    (``postgresql://`` is taken to mean psycopg 3); ConfigError for anything else."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL is not a valid URL: {exc}") from None
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return _sqlite_engine(url)
    if parsed.drivername in ("postgresql", "postgresql+psycopg"):
        # A bare postgresql:// (the usual DATABASE_URL form) means psycopg 3 too:
        # the one PostgreSQL driver we install, whatever SQLAlchemy's default is.
        parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ConfigError(
        f"unsupported database URL scheme {parsed.drivername!r}: "
        "use sqlite:///path/to/piu.db or postgresql+psycopg://user@host/dbname"
    )


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would not put
        # DDL or SAVEPOINTs in a transaction properly); SQLAlchemy's "begin" event
        # below emits BEGIN itself.  This is the recipe of the SQLAlchemy docs.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                _pragma(cursor, pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _pragma(cursor: Any, pragma: str) -> None:
    """Run one PRAGMA.  Switching a new database to WAL needs a lock that SQLite
    does not wait for (no busy handler): when several processes open a new store
    at once, the losers retry briefly; the switch is persistent, so they then
    find WAL already on."""
    for attempt in range(50):
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05)


def writer(engine: Engine) -> Engine:
    """The same engine, marked so its transactions take the SQLite write lock at
    BEGIN.  Use it for transactions that read and then write (no-op on PostgreSQL,
    whose row locks and unique indexes do that job)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def alembic_config(connection: Connection | None = None) -> Config:
    """The Alembic configuration of the packaged migrations, bound to ``connection``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Migrate the database to the latest revision; a no-op when it is there.

    The whole upgrade runs in one transaction (both backends have transactional
    DDL).  Concurrent callers take turns: on PostgreSQL through a transaction-level
    advisory lock, on SQLite through BEGIN IMMEDIATE; the second one then finds
    the database at head and does nothing.
    """
    with writer(engine).begin() as conn:
        if is_postgres(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(conn), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the package ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def as_utc(value: datetime | None) -> datetime | None:
    """A datetime read from the store, as an aware UTC datetime.

    SQLite returns naive datetimes; those are UTC by construction (see
    :func:`to_db`), so the zone is attached, not converted."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_db(value: datetime | None) -> datetime | None:
    """A platform timestamp ready to store: aware, converted to UTC.

    Naive input is refused: SQLite would store it as is and silently shift it by
    the server's offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given where a UTC timestamp is stored")
    return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
