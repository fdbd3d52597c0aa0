"""Manifest history on both backends: versions replayed in the sender's order.

A flight's picture is derived from every message applied to it, ordered by the
sender's UNB date/time and control reference, so the arrival order (workers
reorder messages) must never change the final manifest.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import permutations

import pytest
from sqlalchemy import Engine, select

from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.model import Manifest, Role, Traveller
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import queries
from openpiu.store.db import make_engine, upgrade
from openpiu.store.schema import api_travellers
from openpiu.synth.paxlst_gen import generate_manifests

T = datetime(2025, 3, 15, 4, 0)


def base_manifest(travellers: int = 3, seed: int = 3) -> Manifest:
    return next(generate_manifests(1, travellers, seed=seed))


def message(base: Manifest, travellers: list[Traveller], minutes: int, ref: str,
            code: str = "745", sub: str | None = None) -> bytes:
    """``base`` as another message: its BGM, travellers, and the sender's time/ref."""
    env = replace(base.envelope, prepared_at=T + timedelta(minutes=minutes), interchange_ref=ref)
    return write_paxlst(replace(base, envelope=env, document_code=code, document_subcode=sub,
                                travellers=travellers, declared_passengers=None,
                                declared_crew=None))


def pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine, Settings(database_url="sqlite:///unused.db"))


def picture(engine: Engine, key: str) -> tuple[str, dict[str, str], list[tuple[str, str | None]]]:
    """(flight status, {passenger ref: status}, versions as (BGM code, sub-code))."""
    with engine.connect() as conn:
        flight = queries.find_flight(conn, key)
        rows = queries.manifest(conn, flight["id"])
        found = queries.versions(conn, flight["id"])
        # The passenger reference (RFF ABO) names each traveller uniquely here.
        by_person = dict(conn.execute(select(api_travellers.c.person_id,
                                             api_travellers.c.passenger_ref)).all())
    refs = {by_person.get(r.person_id) or r.surname: r.status for r in rows}
    return flight["status"], refs, [(v["document_code"], v["document_subcode"]) for v in found]


def _history(base: Manifest) -> list[bytes]:
    a, b, c = base.travellers
    moved = replace(a, seat="30F")
    return [
        message(base, [a, b, c], 0, "1"),  # full list
        message(base, [moved], 30, "2", sub="CP"),  # A changes seat
        message(base, [b], 60, "3", sub="XR"),  # B cancelled
        message(base, [moved, c], 90, "4", code="266", sub="CLOB"),  # closed, A and C on board
    ]


EXPECTED_VERSIONS = [("745", None), ("745", "CP"), ("745", "XR"), ("266", "CLOB")]


def test_full_change_cancel_close(engine: Engine) -> None:
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    a, b, c = (t.passenger_ref for t in base.travellers)
    p = pipeline(engine)
    for raw in _history(base):
        assert p.ingest_bytes(raw).status == "processed"
    status, travellers, versions = picture(engine, key)
    assert status == "closed"
    assert travellers == {a: "listed", b: "cancelled", c: "listed"}
    assert versions == EXPECTED_VERSIONS
    with engine.connect() as conn:
        rows = queries.manifest(conn, queries.find_flight(conn, key)["id"])
    seat_of_a = next(r.seat for r in rows if r.status == "listed" and r.surname ==
                     base.travellers[0].surname and r.given_names == base.travellers[0].given_names)
    assert seat_of_a == "30F"


@pytest.mark.parametrize("order", [(3, 2, 1, 0), (2, 0, 3, 1), (1, 3, 0, 2)],
                         ids=["reverse", "shuffled-a", "shuffled-b"])
def test_arrival_order_does_not_matter(engine: Engine, order: tuple[int, ...]) -> None:
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    a, b, c = (t.passenger_ref for t in base.travellers)
    history = _history(base)
    p = pipeline(engine)
    for n in order:
        assert p.ingest_bytes(history[n]).status == "processed"
    status, travellers, versions = picture(engine, key)
    assert status == "closed"
    assert travellers == {a: "listed", b: "cancelled", c: "listed"}
    assert versions == EXPECTED_VERSIONS  # in the sender's order, not arrival's


def test_every_arrival_order_of_three_gives_one_picture(sqlite_engine: Engine,
                                                        tmp_path: object) -> None:
    """Exhaustive on SQLite (cheap): all six orders of full, cancel, later full."""
    base = base_manifest(4, seed=8)  # three passengers and one crew member
    pax = [t for t in base.travellers if t.role is Role.PASSENGER]
    msgs = [message(base, base.travellers, 0, "10"), message(base, [pax[0]], 10, "11", sub="XR"),
            message(base, pax[1:], 20, "12")]
    pictures = set()
    for n, order in enumerate(permutations(range(3))):
        eng = make_engine(f"sqlite:///{tmp_path}/order{n}.db")
        upgrade(eng)
        p = pipeline(eng)
        for i in order:
            p.ingest_bytes(msgs[i])
        status, travellers, versions = picture(eng, base.flight.key if base.flight else "")
        pictures.add((status, tuple(sorted(travellers.items())), tuple(versions)))
        eng.dispose()
    assert len(pictures) == 1
    [(_, travellers, _)] = pictures
    statuses = dict(travellers)
    # The cancel came before the later full list: that list does not name pax 0,
    # who stays cancelled (not "removed": a cancellation is the stronger fact).
    assert statuses[pax[0].passenger_ref] == "cancelled"
    assert [statuses[t.passenger_ref] for t in pax[1:]] == ["listed", "listed"]


def test_later_full_list_without_a_traveller_removes_them(engine: Engine) -> None:
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    a, b, c = base.travellers
    p = pipeline(engine)
    p.ingest_bytes(message(base, [a, b, c], 0, "1"))
    p.ingest_bytes(message(base, [a, c], 60, "2"))
    _, travellers, versions = picture(engine, key)
    assert travellers == {a.passenger_ref: "listed", b.passenger_ref: "removed",
                          c.passenger_ref: "listed"}
    assert len(versions) == 2
    # An older full list arriving late changes nothing.
    p.ingest_bytes(message(base, [a], -60, "0"))
    _, later, versions = picture(engine, key)
    assert later == travellers and len(versions) == 3
    with engine.connect() as conn:
        [summary] = queries.list_flights(conn)
    assert summary.passengers == 2


def test_crew_list_does_not_remove_passengers(engine: Engine) -> None:
    base = base_manifest(4, seed=8)
    key = base.flight.key if base.flight else ""
    pax = [t for t in base.travellers if t.role is Role.PASSENGER]
    [crew] = [t for t in base.travellers if t.role is Role.CREW]
    new_crew = replace(crew, surname="NEWCREW", given_names="ALI", documents=[],
                       passenger_ref="CREW2")
    p = pipeline(engine)
    p.ingest_bytes(message(base, base.travellers, 0, "1"))
    assert p.ingest_bytes(message(base, [new_crew], 30, "2", code="250")).status == "processed"
    _, travellers, versions = picture(engine, key)
    assert all(travellers[t.passenger_ref] == "listed" for t in pax)
    # The crew list replaced the crew: the first crew member is removed.
    assert travellers[crew.passenger_ref or crew.surname] == "removed"
    assert travellers["CREW2"] == "listed"
    assert versions == [("745", None), ("250", None)]
    with engine.connect() as conn:
        [summary] = queries.list_flights(conn)
    assert (summary.passengers, summary.crew) == (3, 1)


def test_flight_cancelled_by_266_xf(engine: Engine) -> None:
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    p = pipeline(engine)
    p.ingest_bytes(message(base, base.travellers, 0, "1"))
    assert p.ingest_bytes(message(base, [], 45, "2", code="266", sub="XF")).status == "processed"
    status, travellers, versions = picture(engine, key)
    assert status == "cancelled"
    assert versions == [("745", None), ("266", "XF")]
    assert len(travellers) == 3


def test_close_without_list_keeps_passengers(engine: Engine) -> None:
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    p = pipeline(engine)
    p.ingest_bytes(message(base, base.travellers, 0, "1"))
    p.ingest_bytes(message(base, [], 45, "2", code="266", sub="CL"))
    status, travellers, _ = picture(engine, key)
    assert status == "closed" and set(travellers.values()) == {"listed"}


def test_same_timestamp_orders_by_control_reference(engine: Engine) -> None:
    """Numeric references compare as numbers (9 before 10), not as text."""
    base = base_manifest()
    key = base.flight.key if base.flight else ""
    a, b, c = base.travellers
    p = pipeline(engine)
    p.ingest_bytes(message(base, [a, b], 0, "10"))
    p.ingest_bytes(message(base, [a, b, c], 0, "9"))
    _, travellers, _ = picture(engine, key)
    assert travellers[c.passenger_ref] == "removed"


def test_random_replays_agree(sqlite_engine: Engine, tmp_path: object) -> None:
    """A few random arrival orders of a longer history give one picture."""
    base = base_manifest()
    a, b, c = base.travellers
    history = _history(base) + [message(base, [replace(c, seat="1A")], 120, "5", sub="CP")]
    rng = random.Random(4)
    seen = set()
    for n in range(3):
        order = list(range(len(history)))
        rng.shuffle(order)
        eng = make_engine(f"sqlite:///{tmp_path}/r{n}.db")
        upgrade(eng)
        p = pipeline(eng)
        for i in order:
            p.ingest_bytes(history[i])
        status, travellers, versions = picture(eng, base.flight.key if base.flight else "")
        seen.add((status, tuple(sorted(travellers.items())), tuple(versions)))
        eng.dispose()
    assert len(seen) == 1
