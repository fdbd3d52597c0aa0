"""Analyst pages' speed: the alert queue and the alert view on a big seeded store.

    .venv/bin/python bench/web.py [--backend sqlite|postgres|both] [--travellers 1000000]
        [--per-flight 150] [--alerts 10000] [--closed-alerts 10000] [--requests 200]
        [--db /tmp/piu_bench_web.db] [--pg-url URL] [--reuse] [--drop] [--seed 1]
        [--quick] [--json] [--profile-top N]

One process, the app in-process (FastAPI's TestClient, signed in as an analyst
the bench creates).  The store is seeded in bulk (not through the message
parsers): ``--travellers`` API travellers (default 1,000,000), ``--per-flight``
to a flight (the Tajikistan profile's routes, day after day), persons drawn from
a pool so that travellers fly several times (a travel history to show), names
from the synthetic generator (:class:`openpiu.synth.names.NameMaker`), two
watchlists loaded through :func:`openpiu.store.watchlists.save_version`, and
``--alerts`` open alerts (default 10,000) plus ``--closed-alerts`` decided ones,
each with the features and events the screening writes; an alerted traveller
carries the listed person's name and date of birth.

Figures: seeding time; then ``--requests`` requests (default 200) per page:
GET /alerts (HTML; first, near, deep and last pages, band, carrier, date and
status filters, the htmx partial) and GET /alerts/{id} (HTML; random alerts,
open and decided).  "Server time" is the time of the request in-process
(routing, sign-in lookup, queries, audit write, template), p50 / p95 / max,
with the share spent in SQL and the heaviest statements.  Floor: p95 <= 200 ms
for each page, on each backend.

The store is kept for the next run: ``--reuse`` takes it as it is when it
holds what the arguments ask for (a SQLite file, ``--db``; a PostgreSQL
database, ``--pg-url``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/
piu_bench_web``, created and dropped by the bench); ``--drop`` removes it at the
end.  ``--quick`` is a smoke run (20,000 travellers, 1,000 alerts, 40 requests;
its own files), the floors shown but not meant to be judged.  ``--profile-top N``
re-runs each page under cProfile and prints its N heaviest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import random
import secrets
import shlex
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select, text
from sqlalchemy.engine import make_url

from openpiu import accounts
from openpiu.reference import airport_zone
from openpiu.screening.entries import WatchlistEntry
from openpiu.settings import Settings
from openpiu.store import db
from openpiu.store.schema import alerts, watchlist_entries, watchlists
from openpiu.store.watchlists import save_version
from openpiu.synth.biglist import synthetic_watchlist, traveller_mix
from openpiu.synth.names import NameMaker, _table
from openpiu.synth.profiles import get_profile

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FLOOR_MS = 200.0
LAST_DAY = date(2025, 3, 21)  # the latest flight date seeded; flights run back from it
SEEDED_AT = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/piu_bench_web"
PASSWORD = "bench-password-" + secrets.token_hex(8)
LISTS = (("national", "NAT", 4000), ("interpol", "ICPO", 1000))  # name, id prefix, entries
HTML = {"accept": "text/html"}


# -- seeding ---------------------------------------------------------------------------


@dataclass
class Person:
    surname: str
    given: str
    gender: str
    dob: date
    nationality: str
    doc: str


@dataclass
class Plan:
    """What the store will hold, decided before a row is written."""

    flights: list[dict[str, Any]] = field(default_factory=list)
    on_board: list[list[int]] = field(default_factory=list)  # per flight: person indexes
    persons: list[Person] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)


def make_persons(n: int, rng: random.Random) -> list[Person]:
    """``n`` travellers named, born and of the nationalities the profile's routes carry."""
    profile = get_profile("tajikistan")
    names = NameMaker(rng)
    mix = traveller_mix(profile)
    weights = [w for w, *_ in mix]
    out = []
    for i in range(n):
        _, spec, male, migrant = rng.choices(mix, weights)[0]
        nationality = _table(spec).pick(rng)
        culture = _table(profile.cultures[nationality]).pick(rng)
        gender = "M" if rng.random() < male else "F"
        name = names.person(culture, gender, "")
        age = rng.randint(20, 40) if migrant else rng.randint(1, 80)
        dob = date(2025 - age, 1, 1) + timedelta(days=rng.randrange(365))
        out.append(
            Person(
                name.passport_surname or "UNKNOWN",
                name.passport_given or "",
                gender,
                dob,
                nationality,
                f"{nationality[0]}{i:08d}",
            )
        )
    return out


def make_flights(n: int) -> list[dict[str, Any]]:
    """``n`` flights of the profile's routes (out and back), day after day, backwards
    from LAST_DAY, with local and UTC times as the manifests give them."""
    routes = get_profile("tajikistan").routes
    out: list[dict[str, Any]] = []
    day = LAST_DAY
    while len(out) < n:
        for r in routes:
            for origin, dest, number, at in (
                (r.home, r.away, r.out_number, r.departs_home),
                (r.away, r.home, r.in_number, r.departs_away),
            ):
                hh, mm = (int(x) for x in at.split(":"))
                local = datetime.combine(day, dtime(hh, mm))
                zone = airport_zone(origin)
                utc = (
                    local.replace(tzinfo=zone).astimezone(UTC)
                    if zone
                    else local.replace(tzinfo=UTC)
                )
                out.append({"id": len(out) + 1, "carrier": r.carrier, "number": str(number),
                            "flight_date": day, "designator": f"{r.carrier}{number:04d}",
                            "origin": origin, "destination": dest, "departure_local": local,
                            "departure_utc": utc, "arrival_local": local + timedelta(hours=4),
                            "arrival_utc": utc + timedelta(hours=4)})  # fmt: skip
                if len(out) == n:
                    return out
        day -= timedelta(days=1)
    return out


def plan_store(args: argparse.Namespace, entries: dict[str, list[WatchlistEntry]]) -> Plan:
    rng = random.Random(args.seed)
    n_flights = -(-args.travellers // args.per_flight)
    pool = max(args.per_flight * 2, int(args.travellers / 2.5))  # ~2.5 flights a person
    plan = Plan(flights=make_flights(n_flights), persons=make_persons(pool, rng))
    left = args.travellers
    for _ in plan.flights:
        k = min(args.per_flight, left)
        plan.on_board.append(rng.sample(range(pool), k))
        left -= k
    # Listed persons: each carries an entry's name and birth date, and some fly
    # more than once, so an alert's person has other flights and other alerts.
    listed = [(name, e) for name, _, _ in LISTS for e in entries[name]]
    total = args.alerts + args.closed_alerts
    n_listed = max(1, min(len(listed), total * 2 // 3))
    listed_ids = []
    for n, (name, e) in enumerate(rng.sample(listed, n_listed)):
        p = Person(
            e.surname or "",
            e.given_names or " ".join(e.name_parts),
            e.gender or "M",
            _entry_dob(e, rng),
            e.nationalities[0] if e.nationalities else "TJK",
            f"L{n:08d}",
        )
        plan.persons.append(p)
        listed_ids.append((len(plan.persons) - 1, name, e))
    taken: set[tuple[int, int]] = set()
    statuses = ["open"] * args.alerts + rng.choices(
        ("dismissed", "confirmed", "referred", "closed"), (70, 10, 5, 15), k=args.closed_alerts
    )
    for status in statuses:
        while True:
            f = rng.randrange(len(plan.flights))
            person, list_name, entry = listed_ids[rng.randrange(len(listed_ids))]
            if (f, person) not in taken and person not in plan.on_board[f]:
                break
        taken.add((f, person))
        board = plan.on_board[f]
        seat = rng.randrange(len(board))
        while board[seat] >= pool:  # never the seat of another listed person
            seat = rng.randrange(len(board))
        board[seat] = person
        band = "alert" if rng.random() < 0.25 else "review"
        plan.alerts.append({"flight": f, "person": person, "list_name": list_name,
                            "entry": entry, "status": status, "band": band,
                            "score": round(rng.uniform(0.92, 1.0) if band == "alert"
                                           else rng.uniform(0.78, 0.92), 4)})  # fmt: skip
    return plan


def _entry_dob(e: WatchlistEntry, rng: random.Random) -> date:
    for b in e.birth_dates:
        if b.year and b.month and b.day:
            return date(b.year, b.month, b.day)
        if b.year:
            return date(b.year, b.month or rng.randint(1, 12), rng.randint(1, 28))
    return date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))


def features(p: Person, e: WatchlistEntry, score: float) -> str:
    """The screening's features for this hit (the shape alerts.features holds)."""
    right = " ".join(e.name_parts).upper()
    born = e.birth_dates[0] if e.birth_dates else None
    exact = bool(born and born.day)
    out = [{"detail": "same name" if score > 0.95 else "same name, another spelling",
            "left": f"{p.given} {p.surname}".strip(), "name": "name", "right": right,
            "score": round(min(1.0, score + 0.02), 2), "weight": 1.0},
           {"detail": "same date" if exact else "same year", "left": p.dob.isoformat(),
            "name": "dob", "right": p.dob.isoformat() if exact else str(p.dob.year),
            "score": 1.0 if exact else 0.8, "weight": 0.05}]  # fmt: skip
    if e.nationalities:
        out.append(
            {
                "detail": "same nationality",
                "left": p.nationality,
                "name": "nationality",
                "right": e.nationalities[0],
                "score": 1.0,
                "weight": 0.02,
            }
        )
    return json.dumps(out, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Writer:
    """Bulk rows into the real tables: the driver's executemany on SQLite, COPY on
    PostgreSQL.  Values are given as Python objects; ``ts``/``day`` turn them into
    what SQLAlchemy's SQLite types store (text; UTC for aware times)."""

    def __init__(self, engine: Engine) -> None:
        self.pg = db.is_postgres(engine)
        self.raw = engine.raw_connection()
        self.cur = self.raw.driver_connection.cursor()  # type: ignore[union-attr]
        if not self.pg:
            for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000"):
                self.cur.execute(f"PRAGMA {pragma}")
            self.cur.execute("BEGIN")

    def ts(self, value: datetime | None) -> Any:
        if self.pg or value is None:
            return value
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def day(self, value: date | None) -> Any:
        return value if self.pg or value is None else value.isoformat()

    def rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if self.pg:
            with self.cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 rows)  # fmt: skip

    def finish(self) -> None:
        if self.pg:
            self.raw.commit()
            for table in (
                "flights",
                "messages",
                "manifest_versions",
                "persons",
                "alerts",
                "alert_events",
            ):
                self.cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT max(id) FROM {table}))")  # fmt: skip
            self.raw.commit()
        else:
            self.cur.execute("COMMIT")
            self.cur.execute("PRAGMA foreign_keys=ON")
            self.cur.execute("PRAGMA synchronous=NORMAL")
        self.raw.close()


def seed(engine: Engine, args: argparse.Namespace) -> dict[str, float]:
    timings: dict[str, float] = {}
    began = time.perf_counter()
    entries: dict[str, list[WatchlistEntry]] = {}
    with engine.begin() as conn:  # the lists go through the store's own loader
        for n, (name, prefix, size) in enumerate(LISTS):
            entries[name] = list(synthetic_watchlist(size, args.seed + n, prefix=prefix))
            save_version(
                conn,
                name,
                entries[name],
                fmt="csv",
                source_sha256=None,
                loaded_by="bench",
                at=SEEDED_AT - timedelta(days=200),
            )
        digests = {(name, eid): (digest, version) for name, eid, digest, version in conn.execute(
            select(watchlists.c.name, watchlist_entries.c.entry_id, watchlist_entries.c.digest,
                   watchlist_entries.c.first_version)
            .join(watchlists, watchlists.c.id == watchlist_entries.c.watchlist_id))}  # fmt: skip
    timings["watchlists_s"] = time.perf_counter() - began
    began = time.perf_counter()
    plan = plan_store(args, entries)
    timings["plan_s"] = time.perf_counter() - began
    began = time.perf_counter()
    w = Writer(engine)
    write_flights(w, plan)
    write_travellers(w, plan)
    write_alerts(w, plan, digests)
    w.finish()
    timings["insert_s"] = time.perf_counter() - began
    began = time.perf_counter()
    analyze(engine)
    timings["analyze_s"] = time.perf_counter() - began
    return timings


def write_flights(w: Writer, plan: Plan) -> None:
    cols = ("id", "carrier", "number", "flight_date", "designator", "origin", "destination",
            "departure_local", "departure_utc", "arrival_local", "arrival_utc", "status",
            "updated_at")  # fmt: skip
    w.rows("flights", cols, [(f["id"], f["carrier"], f["number"], w.day(f["flight_date"]),
                              f["designator"], f["origin"], f["destination"],
                              w.ts(f["departure_local"]), w.ts(f["departure_utc"]),
                              w.ts(f["arrival_local"]), w.ts(f["arrival_utc"]),
                              "closed" if f["flight_date"] < SEEDED_AT.date() else "open",
                              w.ts(_sent(f))) for f in plan.flights])  # fmt: skip
    w.rows("legs", ("flight_id", "seq", "departure_airport", "arrival_airport",
                    "departure_local", "departure_utc", "arrival_local", "arrival_utc"),
           [(f["id"], 1, f["origin"], f["destination"], w.ts(f["departure_local"]),
             w.ts(f["departure_utc"]), w.ts(f["arrival_local"]), w.ts(f["arrival_utc"]))
            for f in plan.flights])  # fmt: skip
    # One PAXLST message, one full passenger list, per flight: its id is the flight's.
    w.rows("messages", ("id", "sha256", "kind", "status", "received_at", "channel", "size",
                        "interchange_sender", "interchange_ref", "message_ref", "sent_at",
                        "attempts", "processed_at", "flight_id", "warnings"),
           [(f["id"], hashlib.sha256(b"bench-web-%d" % f["id"]).hexdigest(), "paxlst",
             "processed", w.ts(_sent(f)), "file", 150 * 400, f"{f['carrier']}APIS",
             str(f["id"]), "PAX1", w.ts(_sent(f).replace(tzinfo=None)), 1, w.ts(_sent(f)),
             f["id"], "[]") for f in plan.flights])  # fmt: skip
    w.rows("manifest_versions", ("id", "message_id", "ordinal", "flight_id", "document_code",
                                 "action", "list_role", "sent_at", "interchange_ref",
                                 "transaction_ref", "parts", "declared_passengers",
                                 "travellers", "flight_data", "warnings", "stored_at"),
           [(f["id"], f["id"], 1, f["id"], "745", "full", "passenger",
             w.ts(_sent(f).replace(tzinfo=None)), str(f["id"]),
             f"{f['designator']}{f['flight_date']:%d%m%y}", 1, len(board), len(board),
             _flight_data(f), "[]", w.ts(_sent(f)))
            for f, board in zip(plan.flights, plan.on_board, strict=True)])  # fmt: skip


def _sent(f: dict[str, Any]) -> datetime:
    return f["departure_utc"] - timedelta(minutes=30)  # the list sent at gate closure


def _flight_data(f: dict[str, Any]) -> str:
    return json.dumps({"designator": f["designator"], "legs": [{
        "departure_airport": f["origin"], "arrival_airport": f["destination"],
        "departure_local": f["departure_local"].isoformat(),
        "departure_utc": f["departure_utc"].isoformat(),
        "arrival_local": f["arrival_local"].isoformat(),
        "arrival_utc": f["arrival_utc"].isoformat()}]})  # fmt: skip


def write_travellers(w: Writer, plan: Plan) -> None:
    w.rows("persons", ("id", "key", "key_kind", "created_at"),
           [(i + 1, hashlib.sha256(b"bench-person-%d" % i).hexdigest(), "document",
             w.ts(SEEDED_AT)) for i in range(len(plan.persons))])  # fmt: skip
    rng = random.Random(7)
    t_cols = ("message_id", "seq", "version_id", "flight_id", "person_id", "role", "in_transit",
              "surname", "given_names", "gender", "dob", "nationality", "embarkation",
              "debarkation", "seat", "record_locator", "bag_count", "verified")  # fmt: skip
    d_cols = ("message_id", "traveller_seq", "seq", "doc_type", "number", "issuing_country",
              "expiry")  # fmt: skip
    f_cols = ("flight_id", "person_id", "role", "status", "message_id", "seq", "since_version_id")
    chunk_t: list[tuple[Any, ...]] = []
    chunk_d: list[tuple[Any, ...]] = []
    chunk_f: list[tuple[Any, ...]] = []
    parts = (("api_travellers", t_cols, chunk_t), ("api_documents", d_cols, chunk_d),
             ("flight_travellers", f_cols, chunk_f))  # fmt: skip
    expiry = w.day(date(2031, 1, 1))
    for f, board in zip(plan.flights, plan.on_board, strict=True):
        fid = f["id"]
        for seq, person in enumerate(board, 1):
            p = plan.persons[person]
            chunk_t.append((fid, seq, fid, fid, person + 1, "passenger", False, p.surname,
                            p.given, p.gender, w.day(p.dob), p.nationality, f["origin"],
                            f["destination"], f"{seq // 6 + 1}{'ABCDEF'[seq % 6]}",
                            f"{rng.randrange(16**6):06X}", rng.randint(0, 2), True))  # fmt: skip
            chunk_d.append((fid, seq, 1, "P", p.doc, p.nationality, expiry))
            chunk_f.append((fid, person + 1, "passenger", "listed", fid, seq, fid))
        if len(chunk_t) >= 50_000:
            _flush(w, parts)
    _flush(w, parts)


def _flush(w: Writer, parts: Iterable[tuple[str, Sequence[str], list[tuple[Any, ...]]]]) -> None:
    for table, cols, rows in parts:
        w.rows(table, cols, rows)
        rows.clear()


ALERT_COLUMNS = ("id", "flight_id", "person_id", "source", "list_name", "entry_id", "entry_ref",
                 "list_version", "entry_digest", "score", "band", "matched_name", "features",
                 "status", "created_at", "updated_at")  # fmt: skip
EVENT_COLUMNS = ("alert_id", "at", "kind", "score", "band", "list_version", "message_id",
                 "features", "actor", "reason")  # fmt: skip


def write_alerts(w: Writer, plan: Plan, digests: dict[tuple[str, str], tuple[str, int]]
                 ) -> None:  # fmt: skip
    rng = random.Random(11)
    a_rows, e_rows = [], []
    for n, a in enumerate(plan.alerts, 1):
        f = plan.flights[a["flight"]]
        e: WatchlistEntry = a["entry"]
        digest, version = digests[(a["list_name"], e.entry_id)]
        feats = features(plan.persons[a["person"]], e, a["score"])
        raised = _sent(f) - timedelta(hours=rng.choice((72, 24, 0.5)))
        a_rows.append((n, f["id"], a["person"] + 1, "watchlist", a["list_name"], e.entry_id,
                       e.list_ref, version, digest, a["score"], a["band"], " ".join(e.name_parts),
                       feats, a["status"], w.ts(raised), w.ts(raised)))  # fmt: skip
        e_rows.append((n, w.ts(raised), "raised", a["score"], a["band"], version, f["id"],
                       feats, None, None))  # fmt: skip
        if rng.random() < 0.3:  # fresh evidence at the next push
            e_rows.append((n, w.ts(raised + timedelta(hours=2)), "updated", a["score"],
                           a["band"], version, f["id"], feats, None, None))  # fmt: skip
        if a["status"] != "open":
            e_rows.append((n, w.ts(raised + timedelta(hours=3)), a["status"], a["score"],
                           a["band"], None, None, None, "bench-analyst",
                           "checked against the document" if a["status"] == "dismissed"
                           else "decided in the benchmark"))  # fmt: skip
    w.rows("alerts", ALERT_COLUMNS, a_rows)
    w.rows("alert_events", EVENT_COLUMNS, e_rows)


def analyze(engine: Engine) -> None:
    if db.is_postgres(engine):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


# -- the store: made, found again, removed ---------------------------------------------


def store_url(backend: str, args: argparse.Namespace) -> str:
    return f"sqlite:///{args.db}" if backend == "sqlite" else args.pg_url


def holds(engine: Engine, args: argparse.Namespace) -> bool:
    """Whether the store holds what the arguments ask for (for --reuse)."""
    try:
        with engine.connect() as conn:
            travellers = conn.scalar(text("SELECT count(*) FROM api_travellers"))
            n_open = conn.scalar(select(text("count(*)")).select_from(alerts)
                                 .where(alerts.c.status == "open"))  # fmt: skip
    except Exception:  # noqa: BLE001 -- no store, or not migrated: seed one
        return False
    return travellers == args.travellers and abs(int(n_open or 0) - args.alerts) < args.alerts / 20


def fresh_store(backend: str, url: str) -> None:
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    _pg_admin(url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", "CREATE DATABASE {name}")


def drop_store(backend: str, url: str) -> None:
    if backend == "sqlite":
        fresh_store(backend, url)
    else:
        _pg_admin(url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    parsed = make_url(url)
    name = parsed.database
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        for stmt in statements:
            conn.execute(stmt.format(name=f'"{name}"'))  # type: ignore[arg-type]


# -- measuring -------------------------------------------------------------------------


class SqlClock:
    """Time spent in the driver per statement, through SQLAlchemy's cursor events."""

    def __init__(self, engine: Engine) -> None:
        self.total = 0.0
        self.by_statement: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self._started: float = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: Any, _cur: Any, statement: str, *_: Any) -> None:
        spent = time.perf_counter() - self._started
        self.total += spent
        entry = self.by_statement[" ".join(statement.split())]
        entry[0] += 1
        entry[1] += spent


def queue_urls(n: int, rng: random.Random, pages: int, carriers: list[str],
               days: list[date]) -> list[tuple[str, str, dict[str, str]]]:  # fmt: skip
    """(variant, url, headers): the queue as analysts page and filter it."""

    def window() -> str:
        start = rng.choice(days)
        return f"date_from={start}&date_to={start + timedelta(days=6)}"

    makers: list[Callable[[], tuple[str, str, dict[str, str]]]] = [
        lambda: ("first page", "/alerts", HTML),
        lambda: ("pages 2-10", f"/alerts?page={rng.randint(2, 10)}", HTML),
        lambda: ("deep page", f"/alerts?page={rng.randint(11, max(11, pages))}", HTML),
        lambda: ("last page", f"/alerts?page={pages}", HTML),
        lambda: ("band=alert", f"/alerts?band=alert&page={rng.randint(1, 3)}", HTML),
        lambda: ("band=review", f"/alerts?band=review&page={rng.randint(1, 3)}", HTML),
        lambda: ("carrier", f"/alerts?carrier={rng.choice(carriers)}", HTML),
        lambda: ("week of flights", f"/alerts?{window()}", HTML),
        lambda: ("status=dismissed", "/alerts?status=dismissed", HTML),
        lambda: ("htmx partial", "/alerts?band=review", {**HTML, "hx-request": "true"}),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def timed(client: TestClient, clock: SqlClock, requests: list[tuple[str, str, dict[str, str]]],
          check: Callable[[str, str], bool]) -> dict[str, Any]:  # fmt: skip
    """Run the requests; wall time and SQL time of each, in ms, by variant too."""
    times, sql_times = [], []
    variants: dict[str, list[float]] = defaultdict(list)
    for variant, url, headers in requests:
        sql_before = clock.total
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
        spent = (time.perf_counter() - t0) * 1000
        if r.status_code != 200 or not check(url, r.text):
            raise SystemExit(f"GET {url}: {r.status_code}, not the expected page:\n{r.text[:800]}")
        times.append(spent)
        sql_times.append((clock.total - sql_before) * 1000)
        variants[variant].append(spent)
    return {"requests": len(times), "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
            "max_ms": round(max(times), 1), "mean_ms": round(sum(times) / len(times), 1),
            "sql_p50_ms": pct(sql_times, 50), "sql_p95_ms": pct(sql_times, 95),
            "variants": {k: {"n": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95),
                             "max_ms": round(max(v), 1)} for k, v in variants.items()}}  # fmt: skip


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100.0 * len(ordered)))], 1)


def heaviest(clock: SqlClock, top: int = 4) -> list[str]:
    rows = sorted(clock.by_statement.items(), key=lambda kv: -kv[1][1])[:top]
    return [f"{total * 1000:8.1f} ms over {int(n):4d} calls ({total * 1000 / n:6.2f} ms each): "
            f"{stmt[:150]}" for stmt, (n, total) in rows]  # fmt: skip


def profiled(label: str, top: int, fn: Callable[[], Any]) -> str:
    prof = cProfile.Profile()
    prof.runcall(fn)
    buf = io.StringIO()
    buf.write(f"--- cProfile: {label} (top {top} by cumulative, then by own time) ---\n")
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    from openpiu.web import create_app

    url = store_url(backend, args)
    out: dict[str, Any] = {"backend": backend, "url": make_url(url).render_as_string()}
    if backend == "postgres":
        try:
            _pg_admin(url, "SELECT 1")
        except Exception as exc:  # noqa: BLE001 -- reported, the other backend still runs
            return {**out, "skipped": f"PostgreSQL unreachable: {exc}"}
    engine = db.make_engine(url)
    reused = args.reuse and holds(engine, args)
    if not reused:
        engine.dispose()
        fresh_store(backend, url)
        engine = db.make_engine(url)
        progress(
            f"[{backend}] seeding {args.travellers:,} travellers, {args.alerts:,} open alerts ..."
        )
        began = time.perf_counter()
        db.upgrade(engine)
        out["migrate_s"] = round(time.perf_counter() - began, 1)
        out["seed"] = {k: round(v, 1) for k, v in seed(engine, args).items()}
    out["reused"] = reused
    analyze(engine)
    with engine.connect() as conn:
        out["store"] = {t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
                        for t in ("flights", "persons", "api_travellers", "flight_travellers",
                                  "watchlist_entries", "alerts", "alert_events")}  # fmt: skip
        out["store"]["open alerts"] = int(
            conn.scalar(text("SELECT count(*) FROM alerts WHERE status = 'open'")) or 0
        )
        ids = [int(i) for i in conn.scalars(text("SELECT id FROM alerts"))]
        carriers = [str(c) for c in conn.scalars(text("SELECT DISTINCT carrier FROM flights"))]
        days = list(conn.scalars(text("SELECT DISTINCT flight_date FROM flights")))
    days = [d if isinstance(d, date) else date.fromisoformat(d) for d in days]
    app = create_app(Settings(database_url=url, cookie_secure=False), engine=engine)
    username = f"bench-analyst-{secrets.token_hex(4)}"
    with engine.begin() as conn:
        accounts.create_user(conn, username, PASSWORD, ["analyst"], "bench")
    client = TestClient(app, follow_redirects=False)
    r = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"sign-in failed: {r.status_code} {r.text}")
    rng = random.Random(args.seed)
    pages = max(1, -(-out["store"]["open alerts"] // 50))
    q_requests = queue_urls(args.requests, rng, pages, carriers, days)
    v_requests = [("alert view", f"/alerts/{i}", HTML) for i in rng.choices(ids, k=args.requests)]

    def queue_ok(_url: str, body: str) -> bool:
        return 'class="queue"' in body

    def view_ok(url: str, body: str) -> bool:
        return f"Alert {url.rsplit('/', 1)[1]}" in body and "Why it fired" in body

    load_before = os.getloadavg()[0]
    clock = SqlClock(engine)
    timed(client, clock, q_requests[:10], queue_ok)  # warm: templates, caches, pool
    timed(client, clock, v_requests[:10], view_ok)
    clock.by_statement.clear()
    out["queue"] = timed(client, clock, q_requests, queue_ok)
    out["queue"]["sql_heaviest"] = heaviest(clock)
    clock.by_statement.clear()
    out["view"] = timed(client, clock, v_requests, view_ok)
    out["view"]["sql_heaviest"] = heaviest(clock)
    out["load"] = (load_before, os.getloadavg()[0])
    if args.profile_top:
        some = args.requests // 4 or 1
        out["profile_queue"] = profiled(
            f"{backend}: {some} queue requests",
            args.profile_top,
            lambda: timed(client, clock, q_requests[:some], queue_ok),
        )
        out["profile_view"] = profiled(
            f"{backend}: {some} alert views",
            args.profile_top,
            lambda: timed(client, clock, v_requests[:some], view_ok),
        )
    client.close()
    engine.dispose()
    if args.drop:
        drop_store(backend, url)
    return out


# -- report ----------------------------------------------------------------------------


def verdict(p95: float) -> str:
    return "PASS" if p95 <= FLOOR_MS else "FAIL"


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)  # fmt: skip


def report(result: dict[str, Any]) -> str:
    lines = [f"command: {result['command']}",
             f"python {result['python']} on {result['machine']} ({os.cpu_count()} cpus), "
             f"in-process TestClient, one thread; seed {result['seed']}"]  # fmt: skip
    for b in result["backends"]:
        lines.append(f"\n[{b['backend']}] {b['url']}")
        if "skipped" in b:
            lines.append(f"  SKIPPED: {b['skipped']}")
            continue
        lines.append("  store: " + ", ".join(f"{k} {v:,}" for k, v in b["store"].items()))
        lines.append(
            f"  load average before / after: {b['load'][0]:.1f} / {b['load'][1]:.1f}"
            " (other processes on the machine inflate the figures)"
        )
        if b["reused"]:
            lines.append("  seeding: reused the store (--reuse)")
        else:
            s = b["seed"]
            lines.append(f"  seeding: {sum(s.values()) + b['migrate_s']:.1f} s (migrate "
                         f"{b['migrate_s']} s, watchlists {s['watchlists_s']} s, plan "
                         f"{s['plan_s']} s, bulk insert {s['insert_s']} s, analyze "
                         f"{s['analyze_s']} s)")  # fmt: skip
        rows: list[tuple[str, ...]] = [("page", "requests", "p50", "p95", "max", "SQL p50/p95",
                                        "floor (p95)", "")]  # fmt: skip
        for key, label in (("queue", "GET /alerts (queue)"), ("view", "GET /alerts/{id} (view)")):
            f = b[key]
            rows.append((label, str(f["requests"]), f"{f['p50_ms']} ms", f"{f['p95_ms']} ms",
                         f"{f['max_ms']} ms", f"{f['sql_p50_ms']}/{f['sql_p95_ms']} ms",
                         f"<= {FLOOR_MS:.0f} ms", verdict(f["p95_ms"])))  # fmt: skip
        for name, v in b["queue"]["variants"].items():
            rows.append((f"  queue: {name}", str(v["n"]), f"{v['p50_ms']} ms",
                         f"{v['p95_ms']} ms", f"{v['max_ms']} ms", "", "", ""))  # fmt: skip
        lines.append(table(rows))
        for key in ("queue", "view"):
            lines.append(f"  heaviest SQL of the {key} (total over its requests):")
            lines += [f"    {s}" for s in b[key]["sql_heaviest"]]
    if result["quick"]:
        lines.append("\n--quick: a smoke run; the floors are for the full run.")
    fails = result["failed"]
    lines.append("floors: " + ("all PASS" if not fails else "FAIL " + ", ".join(fails)))
    for b in result["backends"]:
        for key in ("profile_queue", "profile_view"):
            if key in b:
                lines.append("\n" + b[key])
    return "\n".join(lines)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--travellers", type=int, default=None, help="default 1,000,000")
    ap.add_argument("--per-flight", type=int, default=150)
    ap.add_argument("--alerts", type=int, default=None, help="open alerts; default 10,000")
    ap.add_argument(
        "--closed-alerts",
        type=int,
        default=None,
        help="decided alerts (dismissed, confirmed, ...); default 10,000",
    )
    ap.add_argument("--requests", type=int, default=None, help="per page; default 200")
    ap.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite store; default /tmp/piu_bench_web.db (quick: _quick.db)",
    )
    ap.add_argument("--pg-url", default=None, help=f"PostgreSQL store; default {PG_URL}")
    ap.add_argument("--reuse", action="store_true", help="use the kept store if it fits")
    ap.add_argument("--drop", action="store_true", help="remove the store at the end")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="20,000 travellers, 1,000 alerts")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument(
        "--profile-top",
        type=int,
        default=0,
        help="cProfile a quarter of each page's requests; print N functions",
    )
    args = ap.parse_args(argv)
    q = args.quick
    args.travellers = args.travellers or (20_000 if q else 1_000_000)
    args.alerts = args.alerts if args.alerts is not None else (1_000 if q else 10_000)
    args.closed_alerts = (args.closed_alerts if args.closed_alerts is not None
                          else (1_000 if q else 10_000))  # fmt: skip
    args.requests = args.requests or (40 if q else 200)
    suffix = "_quick" if q else ""
    args.db = args.db or Path(f"/tmp/piu_bench_web{suffix}.db")
    args.pg_url = args.pg_url or os.environ.get("PIU_BENCH_POSTGRES_URL") or PG_URL + suffix
    argv_shown = sys.argv[1:] if argv is None else argv
    result: dict[str, Any] = {
        "command": shlex.join([".venv/bin/python", "bench/web.py", *argv_shown]),
        "python": platform.python_version(), "machine": platform.machine(),
        "seed": args.seed, "quick": q, "backends": [],
    }  # fmt: skip
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        result["backends"].append(run_backend(backend, args))
    result["failed"] = [f"{b['backend']} {key} p95" for b in result["backends"]
                        for key in ("queue", "view")
                        if key in b and verdict(b[key]["p95_ms"]) == "FAIL"]  # fmt: skip
    print(json.dumps(result, indent=2, default=str) if args.json else report(result))
    return 1 if result["failed"] and not q else 0


if __name__ == "__main__":
    sys.exit(main())
