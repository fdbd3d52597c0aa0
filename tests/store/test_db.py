"""Engines and migrations on both backends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from openpiu.errors import ConfigError
from openpiu.store.db import (
    as_utc,
    current_revision,
    head_revision,
    make_engine,
    to_db,
    upgrade,
)
from openpiu.store.schema import metadata


def test_migrations_create_exactly_the_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(metadata.tables)


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    head = head_revision()
    assert head is not None
    assert current_revision(engine) == head
    upgrade(engine)
    assert current_revision(engine) == head


def test_empty_database_has_no_revision(db_url: str) -> None:
    eng = make_engine(db_url)
    try:
        assert current_revision(eng) is None
        upgrade(eng)
        assert current_revision(eng) == head_revision()
    finally:
        eng.dispose()


def test_concurrent_upgrades_take_turns(db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(3)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(engines))

    def run(eng: Engine) -> None:
        try:
            barrier.wait()
            upgrade(eng)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert current_revision(engines[0]) == head_revision()
    finally:
        for e in engines:
            e.dispose()


def test_sqlite_pragmas_are_on(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_sqlite_creates_parent_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a" / "b" / "piu.db"
    eng = make_engine(f"sqlite:///{path}")
    try:
        upgrade(eng)
        assert path.exists()
    finally:
        eng.dispose()


def test_sqlite_transactions_roll_back_ddl_and_savepoints(sqlite_engine: Engine) -> None:
    # SQLAlchemy, not the sqlite3 module, controls BEGIN: savepoints really nest.
    with sqlite_engine.begin() as conn:
        conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
        conn.execute(text("INSERT INTO scratch VALUES (1)"))
        nested = conn.begin_nested()
        conn.execute(text("INSERT INTO scratch VALUES (2)"))
        nested.rollback()
        assert conn.execute(text("SELECT count(*) FROM scratch")).scalar() == 1
    with sqlite_engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("DROP TABLE scratch"))
        trans.rollback()
        assert conn.execute(text("SELECT count(*) FROM scratch")).scalar() == 1


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgresql+psycopg2://u@h/db", "not a url", "oracle://"]
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        make_engine(url)


def test_bare_postgresql_url_means_psycopg() -> None:
    eng = make_engine("postgresql://u@127.0.0.1:1/db")
    assert eng.dialect.driver == "psycopg"
    eng.dispose()


def test_time_helpers() -> None:
    plus2 = timezone(timedelta(hours=2))
    aware = datetime(2025, 3, 15, 12, 0, tzinfo=plus2)
    assert to_db(aware) == datetime(2025, 3, 15, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        to_db(datetime(2025, 3, 15, 12, 0))
    assert as_utc(datetime(2025, 3, 15, 10, 0)) == datetime(2025, 3, 15, 10, 0, tzinfo=UTC)
    assert as_utc(aware).tzinfo is UTC  # type: ignore[union-attr]
    assert as_utc(None) is None


def test_upgrade_keeps_a_store_with_alerts_and_their_events(db_url: str) -> None:
    """Each migration since the alert tables must apply to a store that holds
    alerts with events (on SQLite a table copied and dropped in batch mode would
    be refused by the events' foreign keys)."""
    from alembic import command

    from openpiu.store.db import alembic_config, writer

    eng = make_engine(db_url)
    try:
        with writer(eng).begin() as conn:
            command.upgrade(alembic_config(conn), "0004")
        now = datetime(2026, 1, 1, tzinfo=UTC)
        with eng.begin() as conn:
            conn.execute(text("INSERT INTO flights (id, carrier, number, flight_date, designator,"
                              " status, updated_at) VALUES (1, 'ZZ', '1', '2026-01-01', 'ZZ1',"
                              " 'open', :t)"), {"t": now})
            conn.execute(text("INSERT INTO persons (id, key, key_kind, created_at)"
                              " VALUES (1, 'k', 'name', :t)"), {"t": now})
            conn.execute(text("INSERT INTO alerts (id, flight_id, person_id, source, list_name,"
                              " entry_id, score, band, status, created_at, updated_at) VALUES"
                              " (1, 1, 1, 'watchlist', 'l', 'E1', 0.9, 'alert', 'open', :t, :t)"),
                         {"t": now})
            conn.execute(text("INSERT INTO alert_events (alert_id, at, kind)"
                              " VALUES (1, :t, 'raised')"), {"t": now})
        upgrade(eng)
        assert current_revision(eng) == head_revision()
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alert_events")).scalar() == 1
            assert conn.execute(text("SELECT status FROM alerts")).scalar() == "open"
    finally:
        eng.dispose()
