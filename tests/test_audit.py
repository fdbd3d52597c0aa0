"""The audit trail: chained, verifiable, and refused UPDATE/DELETE by the database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import DBAPIError

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.store.db import make_engine, upgrade, writer
from openpiu.store.schema import audit_events

ALICE = Actor(name="alice", roles=("analyst",), kind="user")
T0 = datetime(2025, 3, 15, 8, 0, 0, 123456, tzinfo=UTC)


def _fill(engine: Engine, n: int = 5) -> list[int]:
    ids = []
    with engine.begin() as conn:
        for i in range(n):
            ids.append(
                audit.record(
                    conn,
                    ALICE,
                    "traveller.view" if i % 2 else "flight.view",
                    target_kind="traveller",
                    target_ids=[i, i + 1],
                    purpose="alert review",
                    details={"count": i, "note": "résumé ✓"},
                    at=T0 + timedelta(minutes=i),
                )
            )
    return ids


def test_chain_verifies(engine: Engine) -> None:
    with engine.connect() as conn:
        assert audit.verify(conn) == (True, None)  # empty chain
    ids = _fill(engine)
    with engine.connect() as conn:
        assert audit.verify(conn) == (True, None)
        rows = conn.execute(select(audit_events).order_by(audit_events.c.id)).all()
        assert audit.last_hash(conn) == rows[-1].hash
        assert audit.count(conn) == 5
    assert [r.id for r in rows] == ids
    assert rows[0].prev_hash is None
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_events_are_read_back(engine: Engine) -> None:
    _fill(engine)
    with engine.connect() as conn:
        everything = audit.events(conn)
        views = audit.events(conn, action="traveller.view")
        recent = audit.events(conn, since=T0 + timedelta(minutes=3))
    assert len(everything) == 5
    first = everything[0]
    assert first.at == T0 and first.actor == "alice" and first.actor_roles == ("analyst",)
    assert first.target_kind == "traveller" and first.target_ids == [0, 1]
    assert first.details == {"count": 0, "note": "résumé ✓"} and first.purpose == "alert review"
    assert [e.details["count"] for e in views] == [1, 3]
    assert [e.details["count"] for e in recent] == [3, 4]


def test_default_time_and_minimal_event(engine: Engine) -> None:
    with engine.begin() as conn:
        audit.record(conn, Actor.local(), "db.upgrade")
    with engine.connect() as conn:
        (event,) = audit.events(conn)
        assert audit.verify(conn) == (True, None)
    assert event.target_ids == [] and event.details == {}
    assert abs(event.at - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"],
)
def test_database_refuses_update_and_delete(engine: Engine, statement: str) -> None:
    _fill(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        assert audit.count(conn) == 2


@pytest.mark.postgres
def test_postgres_refuses_truncate(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        upgrade(engine)
        _fill(engine, 1)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
    finally:
        engine.dispose()


def _drop_guards(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_events_no_update ON audit_events"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete ON audit_events"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))


def test_tampering_is_detected(engine: Engine) -> None:
    ids = _fill(engine)
    _drop_guards(engine)
    with engine.begin() as conn:
        conn.execute(
            update(audit_events).where(audit_events.c.id == ids[2]).values(purpose="nothing")
        )
    with engine.connect() as conn:
        assert audit.verify(conn) == (False, ids[2])


def test_deletion_and_rehash_are_detected(engine: Engine) -> None:
    """Deleting an event breaks the next link, even if the deleter fixes its hash."""
    ids = _fill(engine)
    _drop_guards(engine)
    with engine.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.id == ids[1]))
    with engine.connect() as conn:
        assert audit.verify(conn) == (False, ids[2])


def test_concurrent_writers_keep_one_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            for i in range(5):
                with writer(engine).begin() as conn:
                    audit.record(conn, ALICE, "x", details={"writer": n, "i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert audit.count(conn) == 15
        assert audit.verify(conn) == (True, None)
