"""Alerts on both backends: one per (flight, person, entry), its lifecycle and history."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, insert, select

from openpiu.errors import NotFoundError, PiuError
from openpiu.screening.types import Feature, Match
from openpiu.store import alerts as al
from openpiu.store.db import writer
from openpiu.store.schema import alert_events, alerts, flights, messages, persons

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NAME = Feature("name", 0.92, 0.7, "DOE, JOHN", "JOHN DOE", "names agree after reordering")
DOB = Feature("dob", 1.0, 0.3, "1970-05-01", "1970-05-01", "same date of birth")


def match(score: float = 0.82, band: str = "review", *features: Feature) -> Match:
    return Match("E1", "QDi.1", score, band, features or (NAME,), "JOHN DOE", "v1")  # type: ignore[arg-type]


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    """A flight, two persons and a message to hang alerts on."""
    with engine.begin() as conn:
        flight = conn.execute(insert(flights).values(
            carrier="ZZ", number="123", flight_date=date(2026, 3, 2), designator="ZZ0123",
            status="open", updated_at=T0)).inserted_primary_key[0]  # type: ignore[index]
        people = [conn.execute(insert(persons).values(
            key=f"k{i}", key_kind="document", created_at=T0)).inserted_primary_key[0]  # type: ignore[index]
            for i in range(2)]
        message = conn.execute(insert(messages).values(
            sha256="a" * 64, kind="paxlst", status="processed", received_at=T0,
            channel="file", size=10)).inserted_primary_key[0]  # type: ignore[index]
    return {"flight": flight, "person": people[0], "other": people[1], "message": message}


def hit(engine: Engine, ids: dict[str, int], m: Match, *, digest: str = "d1", version: int = 1,
        at: datetime = T0, person: str = "person", entry_id: str = "E1") -> str:
    with writer(engine).begin() as conn:
        return al.record_hit(
            conn, flight_id=ids["flight"], person_id=ids[person], list_name="un",
            entry_id=entry_id, entry_ref="QDi.1", list_version=version, entry_digest=digest,
            match=m, message_id=ids["message"], at=at)


def test_lifecycle(engine: Engine, ids: dict[str, int]) -> None:
    t = [T0 + timedelta(hours=h) for h in range(8)]
    assert hit(engine, ids, match(), at=t[0]) == "raised"
    assert hit(engine, ids, match(), at=t[1]) == "unchanged"  # same evidence: idempotent
    # The API message brings the date of birth: stronger evidence, higher band.
    strong = match(0.95, "alert", NAME, DOB)
    assert hit(engine, ids, strong, at=t[2]) == "updated"
    # The list was reloaded (version 2) but this entry is the same: the alert follows.
    assert hit(engine, ids, strong, version=2, at=t[3]) == "updated"
    assert hit(engine, ids, strong, version=2, at=t[3]) == "unchanged"
    with engine.begin() as conn:
        [alert] = al.alerts_for_flight(conn, ids["flight"])
        assert al.set_status(conn, alert["id"], "dismissed", t[4]) == "open"
    # Dismissed: the same entry, even with other evidence, stays dismissed.
    assert hit(engine, ids, strong, version=2, at=t[5]) == "suppressed"
    assert hit(engine, ids, match(0.9, "alert", NAME, DOB), version=3, at=t[5]) == "suppressed"
    # The entry was edited on the list: the dismissal no longer covers it.
    assert hit(engine, ids, strong, digest="d2", version=4, at=t[6]) == "reopened"
    assert hit(engine, ids, strong, digest="d2", version=4, at=t[7]) == "unchanged"

    with engine.connect() as conn:
        [alert] = al.alerts_for_flight(conn, ids["flight"])
        history = al.alert_history(conn, alert["id"])
    assert alert["status"] == "open"
    assert (alert["score"], alert["band"], alert["list_version"], alert["entry_digest"]) == (
        0.95, "alert", 4, "d2")
    assert [f["name"] for f in alert["features"]] == ["name", "dob"]
    assert alert["created_at"] == t[0] and alert["updated_at"] == t[6]
    assert [(e["kind"], e["band"], e["list_version"], e["at"]) for e in history] == [
        ("raised", "review", 1, t[0]),
        ("band_changed", "alert", 1, t[2]),
        ("updated", "alert", 2, t[3]),
        ("reopened", "alert", 4, t[6]),
    ]
    assert history[0]["message_id"] == ids["message"]
    assert history[1]["features"][1]["left"] == "1970-05-01"


def test_dismissed_alert_reopens_when_the_band_rises(engine: Engine, ids: dict[str, int]) -> None:
    hit(engine, ids, match(0.6, "review"))
    with engine.begin() as conn:
        al.set_status(conn, al.open_alerts(conn)[0]["id"], "dismissed", T0)
    assert hit(engine, ids, match(0.7, "review")) == "suppressed"
    assert hit(engine, ids, match(0.95, "alert", NAME, DOB)) == "reopened"


def test_updates_keep_a_confirmed_status(engine: Engine, ids: dict[str, int]) -> None:
    hit(engine, ids, match())
    with engine.begin() as conn:
        alert_id = al.open_alerts(conn)[0]["id"]
        al.set_status(conn, alert_id, "confirmed", T0)
    assert hit(engine, ids, match(0.85)) == "updated"
    with engine.connect() as conn:
        assert al.get_alert(conn, alert_id)["status"] == "confirmed"
        assert [e["kind"] for e in al.alert_history(conn, alert_id)] == ["raised", "updated"]


def test_queue_and_counts(engine: Engine, ids: dict[str, int]) -> None:
    hit(engine, ids, match(0.7, "review"), entry_id="E1")
    hit(engine, ids, match(0.9, "alert"), entry_id="E2")
    hit(engine, ids, match(0.8, "review"), entry_id="E3", person="other")
    hit(engine, ids, match(0.99, "alert"), entry_id="E4", person="other")
    with engine.begin() as conn:
        queue = al.open_alerts(conn)
        assert [(a["entry_id"], a["band"]) for a in queue] == [
            ("E4", "alert"), ("E2", "alert"), ("E3", "review"), ("E1", "review")]
        assert [a["entry_id"] for a in al.open_alerts(conn, band="review", limit=1)] == ["E3"]
        al.set_status(conn, queue[0]["id"], "dismissed", T0)
        assert al.alert_counts(conn) == {
            ("open", "alert"): 1, ("open", "review"): 2, ("dismissed", "alert"): 1}
        assert [a["entry_id"] for a in al.alerts_for_flight(conn, ids["flight"])] == [
            "E4", "E2", "E3", "E1"]
        assert al.alerts_for_flight(conn, ids["flight"] + 1) == []


def test_bad_status_and_unknown_alert(engine: Engine, ids: dict[str, int]) -> None:
    hit(engine, ids, match())
    with engine.begin() as conn:
        with pytest.raises(PiuError, match="unknown alert status 'maybe'"):
            al.set_status(conn, al.open_alerts(conn)[0]["id"], "maybe", T0)
        with pytest.raises(NotFoundError):
            al.set_status(conn, 999_999, "closed", T0)
        with pytest.raises(NotFoundError):
            al.alert_history(conn, 999_999)


def test_concurrent_hits_raise_one_alert(engine: Engine, ids: dict[str, int]) -> None:
    """Two workers screening the same traveller at once: one alert, one 'raised'."""
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(hit(engine, ids, match()))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(outcomes) == ["raised"] + ["unchanged"] * (workers - 1)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(alerts)) == 1
        assert conn.scalar(select(func.count()).select_from(alert_events)) == 1


def test_a_person_cleared_against_an_entry_is_not_raised_again_on_the_next_flight(
        engine: Engine, ids: dict[str, int]) -> None:
    assert hit(engine, ids, match()) == "raised"
    with engine.begin() as conn:
        [alert] = al.alerts_for_flight(conn, ids["flight"])
        al.set_status(conn, alert["id"], "dismissed", T0)
        later = conn.execute(insert(flights).values(
            carrier="ZZ", number="124", flight_date=date(2026, 3, 9), designator="ZZ0124",
            status="open", updated_at=T0)).inserted_primary_key[0]  # type: ignore[index]
    next_flight = {**ids, "flight": later}
    # Same person, same entry as dismissed: born dismissed, with the reason on record.
    assert hit(engine, next_flight, match()) == "suppressed"
    with engine.connect() as conn:
        [born] = al.alerts_for_flight(conn, later)
        assert born["status"] == "dismissed"
        assert [e["kind"] for e in al.alert_history(conn, born["id"])] == ["suppressed"]
        assert al.open_alerts(conn) == []
    # Another person, or the same entry edited since: a new, open alert.
    assert hit(engine, next_flight, match(), person="other") == "raised"
    assert hit(engine, next_flight, match(), entry_id="E2", digest="d9") == "raised"
