"""Criteria speed: many criteria over many bookings, and a backtest over a big store.

    .venv/bin/python bench/criteria.py [--criteria 100] [--bookings 100000]
        [--stored 1000000] [--db PATH] [--seed 1] [--quick]

One core (plain CPython, one thread).

(a) **Screening**: ``--criteria`` active criteria (default 100, drawn from eleven
    templates over every kind of fact: routes, payment and lead time, agency,
    documents, bags, weekdays, groups, travel history, some with ``any`` and
    ``not``) against ``--bookings`` travellers' facts (default 100,000), through
    :class:`openpiu.criteria.CriteriaSet` (compiled closures and the guard
    index), explanations built for the hits.  Floor: 10 s for the evaluation.
    The facts are built in memory (their construction is timed apart), and the
    compiled decision is checked against :func:`evaluate` on a sample.
(b) **Backtest**: ``--stored`` bookings (default 1,000,000; one traveller each,
    200 per flight) written to a SQLite store with bulk inserts (not through the
    parsers; the insert is timed apart), then one criterion (the cash / agency /
    day-before example) backtested over all of them with
    :func:`openpiu.criteria_backtest.run_backtest`.  Floor: 30 s.

``--quick`` is a smoke run (10 criteria over 5,000 bookings, 20,000 stored).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import shlex
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpiu.criteria import (
    BookingChannel,
    CriteriaSet,
    PastTrip,
    PaymentForm,
    TravelFacts,
    TravelLeg,
    evaluate,
    example_texts,
    load_criterion,
)
from openpiu.criteria.language import Criterion
from openpiu.criteria_backtest import run_backtest
from openpiu.reference import airport_country
from openpiu.store.db import make_engine, upgrade

FLOOR_SCREEN_S = 10.0
FLOOR_BACKTEST_S = 30.0
DAY = date(2025, 3, 15)
AIRPORTS = ("DYU", "LBD", "KQT", "IST", "SAW", "DXB", "DOH", "FRA", "MUC", "VKO", "DME", "SVO",
            "LED", "OVB", "SVX", "KZN", "ALA", "NQZ", "TAS", "FRU", "KBL", "URC", "PEK", "DEL",
            "AUH", "SHJ", "CDG", "AMS", "LHR", "BER", "HAM", "DUS", "VIE", "WAW", "PRG", "ATH",
            "BCN", "MAD", "FCO", "MXP", "ZRH", "GVA", "CPH", "ARN", "OSL", "HEL", "RIX", "TBS",
            "EVN", "GYD")  # fmt: skip
AIRPORTS = tuple(a for a in AIRPORTS if airport_country(a))  # a code the table knows
AGENCIES = tuple(f"{n:08d}" for n in range(33100000, 33100200))
CARRIERS = ("TK", "SU", "FZ", "S7", "U6", "HY", "7J", "SZ", "CZ", "AI", "G9", "QR")


# -- (a) many criteria over many bookings ----------------------------------------------

_TEMPLATES = (
    "all:\n  - {{fact: destination, in: [{a}, {b}]}}\n  - {{fact: one_way, equals: true}}\n"
    "  - {{fact: booking_lead_days, at_most: {lead}}}",
    "all:\n  - {{fact: origin, equals: {a}}}\n  - {{fact: payment_forms, includes: cash}}\n"
    "  - {{fact: ticketing_lead_hours, at_most: {hours}}}",
    "all:\n  - {{fact: agency_code, equals: '{agency}'}}\n  - {{fact: group_size, equals: 1}}",
    "all:\n  - {{fact: destination_country, equals: {ca}}}\n"
    "  - {{fact: document_age_days, between: [0, {lead}]}}\n  - {{fact: age, at_least: 18}}",
    "all:\n  - {{fact: carrier, equals: {carrier}}}\n  - {{fact: bag_weight_kg, more_than: {kg}}}\n"
    "  - {{fact: bag_count, at_least: 2}}",
    "all:\n  - {{fact: destination, equals: {a}}}\n"
    "  - any:\n      - {{fact: broken_travel, equals: true}}\n"
    "      - {{fact: longest_connection_hours, more_than: 20}}\n"
    "  - not: {{fact: ticketing_lead_hours, more_than: 720}}",
    "all:\n  - {{fact: origin_country, equals: {ca}}}\n  - {{fact: day_of_week, in: [sat, sun]}}\n"
    "  - {{fact: booking_channel, equals: agency}}",
    "all:\n  - trips:\n      to_country: [{ca}, {cb}]\n      within_days: 90\n      at_least: 2\n"
    "  - {{fact: destination_country, in: [{ca}, {cb}]}}",
    "all:\n  - {{fact: via_airports, includes_any: [{a}, {b}]}}\n"
    "  - {{fact: document_validity_days, less_than: 90}}",
    # no guard: evaluated for every traveller
    "all:\n  - {{fact: booking_lead_days, between: [0, 0]}}\n"
    "  - {{fact: payment_forms, only: [cash]}}\n  - {{fact: bag_count, equals: 0}}",
    "any:\n  - all:\n      - {{fact: seat_changes, at_least: 3}}\n"
    "      - {{fact: booking_lead_days, at_most: 2}}\n"
    "  - all:\n      - {{fact: no_show, equals: true}}\n      - {{fact: one_way, equals: true}}",
)


def make_criteria(n: int, rng: random.Random) -> list[Criterion]:
    out = []
    for i in range(n):
        a, b = rng.sample(AIRPORTS, 2)
        ca, cb = airport_country(a), airport_country(b)
        when = _TEMPLATES[i % len(_TEMPLATES)].format(
            a=a, b=b, ca=ca, cb=cb if cb != ca else "ARE", agency=rng.choice(AGENCIES),
            carrier=rng.choice(CARRIERS), lead=rng.randint(1, 30), hours=rng.randint(6, 72),
            kg=rng.randint(30, 60),
        )  # fmt: skip
        text = (f"id: bench-{i:03d}\ntitle: bench criterion {i}\npurpose: drug_trafficking\n"
                f"owner: bench\njustification: a criterion generated for the benchmark\n"
                f"review_date: 2099-01-01\nscore: {rng.randint(1, 100)}\nwhen:\n"
                + "".join(f"  {line}\n" for line in when.splitlines()))  # fmt: skip
        out.append(load_criterion(text, source=f"bench-{i}"))
    return out


def make_facts(n: int, rng: random.Random) -> list[TravelFacts]:
    out = []
    for _ in range(n):
        dep = datetime.combine(DAY, datetime.min.time()) + timedelta(
            days=rng.randint(0, 6), minutes=rng.randint(0, 1439)
        )  # a week of departures
        a, b = rng.sample(AIRPORTS, 2)
        carrier = rng.choice(CARRIERS)
        legs = [TravelLeg(a, b, dep, dep + timedelta(hours=4), airport_country(a),
                          airport_country(b), carrier)]  # fmt: skip
        if rng.random() < 0.15:  # a connection
            c = rng.choice([x for x in AIRPORTS if x not in (a, b)])
            later = dep + timedelta(hours=rng.choice((6, 30)))
            legs.append(TravelLeg(b if rng.random() < 0.8 else c, c, later,
                                  later + timedelta(hours=3), airport_country(b),
                                  airport_country(c), carrier))  # fmt: skip
        if rng.random() < 0.6:  # a return
            back = dep + timedelta(days=rng.randint(2, 20))
            last = legs[-1].destination
            legs.append(TravelLeg(last, a, back, back + timedelta(hours=4),
                                  airport_country(last), airport_country(a), carrier))  # fmt: skip
        booked = dep - timedelta(days=rng.choice((0, 1, 1, 3, 7, 14, 30, 60)), hours=2)
        agency = rng.random() < 0.4
        trips = tuple(
            PastTrip(DAY - timedelta(days=rng.randint(1, 200)), a, b, airport_country(a),
                     airport_country(b))
            for _ in range(rng.choice((0, 0, 0, 1, 2, 3)))
        )  # fmt: skip
        out.append(TravelFacts(
            legs=tuple(legs), booked_at=booked, ticketed_at=booked + timedelta(minutes=20),
            payment_forms=frozenset({rng.choice((PaymentForm.CASH, PaymentForm.CARD,
                                                 PaymentForm.CARD, PaymentForm.AGENCY))}),
            booking_channel=BookingChannel.AGENCY if agency else BookingChannel.AIRLINE,
            agency_code=rng.choice(AGENCIES) if agency else None,
            group_size=rng.choice((1, 1, 1, 2, 3, 4)), bag_count=rng.randint(0, 3),
            bag_weight_kg=float(rng.randint(0, 70)),
            seat_changes=3 if rng.random() < 0.01 else rng.choice((0, 0, 1)),
            past_trips=trips, document_issued=DAY - timedelta(days=rng.randint(1, 3000)),
            document_expires=DAY + timedelta(days=rng.randint(-10, 3000)),
            nationality=rng.choice(("TJK", "UZB", "RUS", "AFG", "TUR", "DEU")),
            age=rng.randint(1, 90),
        ))  # fmt: skip
    return out


def bench_screening(n_criteria: int, n_bookings: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    criteria = make_criteria(n_criteria, rng)
    # The 100,000 facts stay alive for the whole run, which a worker never does (it
    # holds one flight's): keep the garbage collector from walking them each pass.
    gc.disable()
    started = time.perf_counter()
    facts = make_facts(n_bookings, rng)
    built = time.perf_counter() - started
    gc.enable()
    gc.freeze()
    active = CriteriaSet.of(criteria)
    guarded = sum(1 for c in active.criteria if c.guard is not None)
    started = time.perf_counter()
    hits = candidates = checks = 0
    for f in facts:
        candidates += len(active.candidates(f))
        for hit in active.hits(f):
            hits += 1
            checks += len(evaluate(hit.criterion, f).checks)  # the explanation, hits only
    seconds = time.perf_counter() - started
    gc.unfreeze()
    # The fast path must decide as the explaining path does.
    sample = random.Random(seed + 1).sample(facts, min(500, len(facts)))
    for f in sample:
        fast = {c.criterion.id for c in active.hits(f)}
        slow = {c.id for c in criteria if evaluate(c, f).fired}
        assert fast == slow, (fast, slow)
    return {
        "criteria": n_criteria, "guarded": guarded, "bookings": n_bookings,
        "facts_built_s": round(built, 2), "evaluation_s": round(seconds, 2),
        "per_booking_us": round(seconds / n_bookings * 1e6, 1),
        "candidates_per_booking": round(candidates / n_bookings, 1), "hits": hits,
        "checked_against_evaluate": len(sample),
    }  # fmt: skip


# -- (b) a backtest over a big store ---------------------------------------------------


def _booking_json(rng: random.Random, dep: datetime, flight: tuple[str, str, str, str],
                  locator: str) -> str:  # fmt: skip
    carrier, number, origin, destination = flight
    created = dep - timedelta(days=rng.choice((0, 1, 1, 2, 5, 10, 30, 60)), hours=3)
    agency = rng.random() < 0.4
    pay = rng.choice(("cash", "card", "card", "agency"))
    doc = {"doc_type": "P", "number": f"P{rng.randrange(10**8):08d}", "issuing_country": "TJK",
           "expiry": "2030-01-01", "issue_date": None}  # fmt: skip
    return json.dumps({
        "record_locator": locator, "reservation_system": "1A", "locators": [["1A", locator]],
        "created_at": created.isoformat(), "last_modified": created.isoformat(),
        "ticketed_at": (created + timedelta(minutes=20)).isoformat(),
        "originator": {"system": "1A", "location": origin,
                       "agency_id": rng.choice(AGENCIES) if agency else f"{carrier}HDQ",
                       "agency_location": None, "kind": "T" if agency else "A",
                       "country": None, "currency": None, "agent_id": None},
        "travellers": [{
            "ref": "1", "surname": "TRAVELLER", "given_names": "BENCH",
            "raw_given_names": "BENCHMR", "title": "MR", "passenger_type": "A",
            "dob": "1985-06-01", "gender": "M", "nationality": "TJK", "documents": [doc],
            "addresses": [], "contacts": [], "frequent_flyers": [], "services": [],
            "remarks": [], "tickets": [{"number": f"{rng.randrange(10**13):013d}", "kind": "T",
                                        "issued": (created + timedelta(minutes=20)).isoformat(),
                                        "fare_base": 200.0, "fare_total": 240.0,
                                        "currency": "USD", "taxes": [[40.0, "YQ"]],
                                        "fare_basis": "YOW", "issuing_airline": carrier,
                                        "issuing_location": origin}],
            "payments": [{"method": pay, "code": "CA", "card_brand": None, "card_last4": None,
                          "card_hash": None, "card_expiry": None, "amount": 240.0,
                          "currency": "USD", "payer_name": None, "billing_address": None,
                          "payer_phone": None}],
            "seats": [{"seat": f"{rng.randint(1, 30)}C", "segment": f"{origin}-{destination}",
                       "source": "requested"}],
            "bags": [], "checkins": [], "unique_ref": None, "fare_basis": None}],
        "itinerary": [{"carrier": carrier, "number": number, "departure_airport": origin,
                       "arrival_airport": destination, "departure_local": dep.isoformat(),
                       "departure_utc": None,
                       "arrival_local": (dep + timedelta(hours=4)).isoformat(),
                       "arrival_utc": None, "booking_class": "Y", "status": "HK",
                       "operating_carrier": None, "operating_number": None,
                       "equipment": "738", "kind": "air"}],
        "contacts": [], "addresses": [], "services": [], "remarks": [], "payments": [],
        "split_locators": [], "history": [], "excess_baggage": [], "group_name": None,
        "warnings": [],
    }, ensure_ascii=False)  # fmt: skip


def fill_store(path: Path, n: int, seed: int, per_flight: int = 200) -> float:
    """Write ``n`` one-traveller bookings, ``per_flight`` to a flight, in bulk."""
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    started = time.perf_counter()
    now = "2025-03-16 00:00:00.000000"
    raw = engine.raw_connection()
    cur = raw.cursor()
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.execute("BEGIN")
    n_flights = -(-n // per_flight)
    days = max(1, n_flights // 60)  # about sixty flights a day
    flights, messages, pushes = [], [], []
    for f in range(1, n_flights + 1):
        o, d = rng.sample(AIRPORTS, 2)
        carrier = rng.choice(CARRIERS)
        day = DAY - timedelta(days=f % days)
        dep = datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randint(0, 1439))
        flights.append((f, carrier, str(f), day.isoformat(), f"{carrier}{f:04d}", o, d,
                        dep.isoformat(" "), "closed", now))  # fmt: skip
        messages.append((f, f"{f:064x}", "pnrgov", "processed", now, "file", 100))
        pushes.append((f, f, 1, f, "full", dep.isoformat(" "), str(f), per_flight, now))
    cur.executemany("INSERT INTO flights (id, carrier, number, flight_date, designator, origin, "
                    "destination, departure_local, status, updated_at) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?)", flights)  # fmt: skip
    cur.executemany("INSERT INTO messages (id, sha256, kind, status, received_at, channel, size) "
                    "VALUES (?,?,?,?,?,?,?)", messages)  # fmt: skip
    cur.executemany("INSERT INTO pnr_pushes (id, message_id, ordinal, flight_id, push_kind, "
                    "sent_at, interchange_ref, bookings, stored_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    pushes)  # fmt: skip
    info = {f[0]: (f[1], f[2], f[5], f[6], datetime.fromisoformat(f[7])) for f in flights}
    chunk = 50_000
    for start in range(1, n + 1, chunk):
        ids = range(start, min(n, start + chunk - 1) + 1)
        rows_b, rows_v, rows_p, rows_t, rows_f = [], [], [], [], []
        for i in ids:
            flight_id = (i - 1) // per_flight + 1
            carrier, number, o, d, dep = info[flight_id]
            locator = f"B{i:07d}"
            rows_b.append((i, "1A", locator, "2025-03-01", now))
            rows_v.append((i, i, flight_id, flight_id, _booking_json(rng, dep, (carrier, number,
                           o, d), locator), 1))  # fmt: skip
            rows_p.append((i, f"document:P{i:08d}", "document", now))
            rows_t.append((i, 1, i, flight_id, i, "TRAVELLER", "BENCH",
                           f"{rng.randint(1940, 2010)}-06-01", rng.choice("MF"),
                           rng.choice(("TJK", "UZB", "RUS", "AFG"))))  # fmt: skip
            rows_f.append((flight_id, i, "on_flight", i, flight_id))
        cur.executemany("INSERT INTO bookings (id, reservation_system, record_locator, "
                        "created_on, first_seen_at) VALUES (?,?,?,?,?)", rows_b)  # fmt: skip
        cur.executemany("INSERT INTO booking_versions (id, booking_id, push_id, message_id, "
                        "flight_id, data, travellers) VALUES (?,?,?,?,?,?,?)",
                        [(v[0], v[1], v[2], v[2], v[3], v[4], v[5]) for v in rows_v])  # fmt: skip
        cur.executemany("INSERT INTO persons (id, key, key_kind, created_at) VALUES (?,?,?,?)",
                        rows_p)  # fmt: skip
        cur.executemany("INSERT INTO pnr_travellers (version_id, seq, booking_id, flight_id, "
                        "person_id, surname, given_names, dob, gender, nationality) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?)", rows_t)  # fmt: skip
        cur.executemany("INSERT INTO booking_flights (flight_id, booking_id, status, version_id, "
                        "since_push_id) VALUES (?,?,?,?,?)", rows_f)  # fmt: skip
    cur.execute("COMMIT")
    cur.execute("ANALYZE")
    raw.close()
    engine.dispose()
    return time.perf_counter() - started


def bench_backtest(n: int, seed: int, db: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "backtest.db"
        # A kept store (--db) is reused: the insert takes longer than the backtest.
        insert_s = 0.0 if db is not None and path.exists() else fill_store(path, n, seed)
        criterion = load_criterion(example_texts()["cash_one_way_day_before.yaml"])
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            report = run_backtest(conn, criterion, DAY - timedelta(days=3650))
        engine.dispose()
    return {
        "stored": n, "insert_s": round(insert_s, 1), "flights": report.flights,
        "screened": report.screened, "hits": report.hits,
        "backtest_s": round(report.seconds, 2),
        "per_booking_us": round(report.seconds / max(1, report.screened) * 1e6, 1),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="Keep the backtest store here (reused if there).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.criteria, args.bookings, args.stored = 10, 5_000, 20_000
    print("command: .venv/bin/python bench/criteria.py " + shlex.join(sys.argv[1:]))
    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    screening = bench_screening(args.criteria, args.bookings, args.seed)
    print(f"(a) {screening['criteria']} criteria ({screening['guarded']} indexed by a guard) "
          f"over {screening['bookings']} bookings: {screening['evaluation_s']} s "
          f"(floor {FLOOR_SCREEN_S:g} s), {screening['per_booking_us']} us a booking, "
          f"{screening['candidates_per_booking']} candidates a booking, {screening['hits']} "
          f"hits explained; facts built in {screening['facts_built_s']} s; fast path equal to "
          f"evaluate() on {screening['checked_against_evaluate']} bookings")  # fmt: skip
    backtest = bench_backtest(args.stored, args.seed, args.db)
    print(f"(b) backtest of one criterion over {backtest['stored']} stored bookings "
          f"({backtest['flights']} flights; bulk insert {backtest['insert_s']} s): "
          f"{backtest['backtest_s']} s (floor {FLOOR_BACKTEST_S:g} s), "
          f"{backtest['per_booking_us']} us a booking, {backtest['hits']} hits")  # fmt: skip
    failed = screening["evaluation_s"] > FLOOR_SCREEN_S or backtest["backtest_s"] > FLOOR_BACKTEST_S
    print("figures within floors" if not failed else "FLOOR MISSED")
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
