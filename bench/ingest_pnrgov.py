"""Single-core PNRGOV ingest benchmark.

    .venv/bin/python bench/ingest_pnrgov.py [--flights N] [--pnrs N] [--seed S]

Builds deterministic pushes (``random.Random(seed)``) shaped like
``../shared/examples/pnrgov_example.edi`` with history: each PNR about 2 KB, 1-4
travellers, 1-3 segments, tickets, card payments, seats, bags, check-in and a few
history items.  They are written with :func:`write_pnrgov`, then measured on one
core, without multiprocessing:

a) parse only (``parse_pnrgov``), best of ``--repeat`` runs: MB/s and PNRs/s;
b) parse + privacy filter + store in a fresh SQLite database through
   ``openpiu.pipeline.Pipeline.ingest_bytes``, one push after the other: PNRs/s.
   Every push must come back "processed" with all its bookings; otherwise no rate
   is printed (a quarantined push is fast and proves nothing), only the reason.

Wall clock and CPU time (``time.process_time``) are both printed: on a shared
machine the CPU time is the steadier figure to compare runs with.
"""

from __future__ import annotations

import argparse
import platform
import random
import shlex
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpiu.formats.pnrgov import parse_pnrgov
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    Address,
    Bag,
    BookedTraveller,
    Booking,
    CheckIn,
    Contact,
    Envelope,
    Flight,
    FrequentFlyer,
    HistoryItem,
    ItinerarySegment,
    Leg,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    Seat,
    SpecialService,
    Ticket,
    TravelDocument,
)

AIRPORTS = ["IST", "DYU", "DXB", "FRA", "LHR", "CDG", "AMS", "DME", "TAS", "ALA", "DEL", "JFK"]
SURNAMES = [
    "RAHIMOV",
    "KARIMOVA",
    "OREILLY",
    "SMITH",
    "YILMAZ",
    "NAZAROV",
    "MUELLER",
    "DUPONT",
    "ROSSI",
    "IVANOVA",
    "KHAN",
    "GARCIA",
    "SAIDOV",
    "RAHMONZODA",
]
GIVEN = [
    ("SEAN", "MR"),
    ("ANNA", "MRS"),
    ("JOHN", "MR"),
    ("ZARINA", "MS"),
    ("ALI", "MSTR"),
    ("AYSE", "DR"),
    ("EMILY", "MISS"),
    ("RUSTAM", "MR"),
    ("FARRUKH", "MR"),
]
COUNTRIES = ["TJK", "TUR", "IRL", "GBR", "DEU", "FRA", "UZB", "KAZ", "RUS", "USA"]
SERVICES = ["VGML", "AVML", "MOML", "WCHR", "UMNR", "CHML", "PETC"]


def _traveller(rng: random.Random, ref: str, dep: datetime, routes: list[str]) -> BookedTraveller:
    surname = rng.choice(SURNAMES)
    given, title = rng.choice(GIVEN)
    nat = rng.choice(COUNTRIES)
    t = BookedTraveller(
        ref=ref,
        surname=surname,
        given_names=given,
        raw_given_names=given + title,
        title=title,
        passenger_type="A",
        gender=rng.choice("MF"),
        nationality=nat,
        dob=date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)),
    )
    t.documents.append(
        TravelDocument(
            "P",
            f"{rng.randrange(10**8, 10**9)}",
            nat,
            date(2026 + rng.randrange(9), 1 + rng.randrange(12), 1),
        )
    )
    t.contacts += [
        Contact("email", f"{given}.{surname}{rng.randrange(100)}@EXAMPLE.COM"),
        Contact("phone", f"{rng.randrange(10**10, 10**11)}"),
    ]
    t.frequent_flyers.append(FrequentFlyer("ZZ", str(rng.randrange(10**8, 10**9)), "SILVER"))
    t.unique_ref = f"{ref}{rng.randrange(10**6):06d}"
    t.fare_basis = rng.choice(["YOWTR", "MLOWTR", "BFLEX"])
    t.addresses.append(Address(f"{rng.randrange(1, 99)} MAIN STREET", "DUBLIN", None, "D02", nat))
    t.remarks.append(f"OSI ZZ TCP{rng.randrange(1, 5)} FREQUENT TRAVELLER")
    if rng.random() < 0.4:
        t.services.append(SpecialService(rng.choice(SERVICES), "HK", None, "ZZ"))
    base = float(rng.randrange(100, 900))
    t.tickets.append(
        Ticket(
            f"{rng.randrange(10**12, 10**13)}",
            "T",
            dep - timedelta(days=5),
            base,
            base + 60.0,
            "USD",
            [(60.0, "YQ")],
            t.fare_basis,
            "ZZ",
            "IST",
        )
    )
    last4 = f"{rng.randrange(10000):04d}"
    t.payments.append(
        Payment(
            "card",
            "CC",
            rng.choice(["VI", "CA", "AX"]),
            last4,
            card_number="XXXXXXXXXXXX" + last4,
            card_expiry="0927",
            payer_name=f"{given} {surname}",
            billing_address="12 MAIN STREET",
            payer_phone=t.contacts[1].value,
        )
    )
    for k, route in enumerate(routes):
        seat = f"{rng.randrange(1, 40)}{rng.choice('ABCDEF')}"
        t.seats.append(Seat(seat, route))
        if k == 0:
            t.seats.append(Seat(seat, route, "actual"))
            t.bags.append(
                Bag(
                    1 + rng.randrange(2),
                    float(rng.randrange(10, 32)),
                    "KGM",
                    "HP",
                    [(f"{rng.randrange(10**9, 10**10)}", 1, route[-3:])],
                    route,
                )
            )
            sequence = f"{rng.randrange(1, 300):03d}"
            t.checkins.append(CheckIn(route, dep - timedelta(hours=2), sequence, "checked-in"))
    return t


def make_push(rng: random.Random, flight_no: int, pnrs: int) -> PnrPush:
    dep = datetime(2025, 3, 15, 8, 15) + timedelta(days=rng.randrange(30), minutes=5 * flight_no)
    origin, dest = rng.sample(AIRPORTS, 2)
    flight = Flight(
        "ZZ",
        str(flight_no),
        f"ZZ{flight_no}",
        dep.date(),
        [Leg(origin, dest, dep, None, dep + timedelta(hours=4), None)],
    )
    bookings = []
    for _ in range(pnrs):
        stops = [origin, dest] + rng.sample(
            [a for a in AIRPORTS if a not in (origin, dest)], rng.randrange(2)
        )
        segments = []
        for k, (a, b) in enumerate(zip(stops, stops[1:], strict=False)):
            leave = dep + timedelta(days=3 * k)
            segments.append(
                ItinerarySegment(
                    "ZZ",
                    str(flight_no + k),
                    a,
                    b,
                    leave,
                    None,
                    leave + timedelta(hours=4),
                    None,
                    "Y",
                    "HK",
                    equipment="738",
                )
            )
        routes = [s.route for s in segments]
        n = rng.choice((1, 1, 2, 2, 3, 4))
        travellers = [_traveller(rng, str(j + 1), dep, routes) for j in range(n)]
        locator = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        created = dep - timedelta(days=rng.randrange(2, 60))
        history = [
            HistoryItem(
                rng.choice("AXC"),
                created + timedelta(hours=h),
                rng.choice(
                    [
                        "IFT SEAT CHANGED",
                        "IFT NAME CORRECTED",
                        "IFT TICKET ISSUED",
                        "IFT CONTACT ADDED",
                    ]
                ),
            )
            for h in range(2 + rng.randrange(3))
        ]
        bookings.append(
            Booking(
                locator,
                "ZZ",
                [("ZZ", locator), ("1A", locator[::-1])],
                created_at=created,
                last_modified=created + timedelta(days=1),
                travellers=travellers,
                itinerary=segments,
                originator=Originator("1A", "IST", "33112244", "IST", "T", "TUR", "TRY", "IST0101"),
                history=history,
                remarks=["BOOKED VIA WEB", "PAX REQUESTS AISLE IF POSSIBLE"],
                addresses=[
                    Address(
                        f"{rng.randrange(1, 200)} EXAMPLE CADDESI", "ISTANBUL", None, "34000", "TUR"
                    )
                ],
                contacts=[Contact("phone", f"90212{rng.randrange(10**7):07d}")],
            )
        )
    return PnrPush(
        Envelope(message_ref="1"),
        PushKind.FULL,
        flight,
        Originator("ZZ", origin),
        bookings=bookings,
    )


def build_corpus(flights: int, pnrs: int, seed: int) -> tuple[list[bytes], int]:
    rng = random.Random(seed)
    corpus = [write_pnrgov(make_push(rng, 100 + f, pnrs)) for f in range(flights)]
    return corpus, flights * pnrs


def bench_parse(corpus: list[bytes], repeat: int) -> tuple[float, float, int]:
    """Best wall-clock and best CPU seconds over ``repeat`` runs, and the PNR count."""
    best, best_cpu, count = float("inf"), float("inf"), 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        count = sum(len(p.bookings) for data in corpus for p in parse_pnrgov(data).pushes)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best = min(best, time.perf_counter() - start)
    return best, best_cpu, count


def bench_pipeline(corpus: list[bytes], pnrs: int, repeat: int) -> str:
    """Each run ingests every push into a fresh database; the best run counts (the
    machine's speed wanders between runs, the code's does not)."""
    from openpiu.pipeline import Pipeline

    best = best_cpu = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="piu-bench-") as tmp:
            pipeline = Pipeline.from_url(f"sqlite:///{Path(tmp) / 'bench.db'}")
            start, cpu = time.perf_counter(), time.process_time()
            outcomes = [
                pipeline.ingest_bytes(data, channel="bench", sender=f"B{i % 12:02d}")
                for i, data in enumerate(corpus)
            ]
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best = min(best, time.perf_counter() - start)
            pipeline.engine.dispose()
        failed = [(i, o) for i, o in enumerate(outcomes) if o.status != "processed"]
        if failed:
            i, first = failed[0]
            where = f" at {first.position}" if first.position else ""
            return (
                f"(b) parse + filter + SQLite not measured: {len(failed)} of {len(corpus)} "
                f"pushes not processed; push {i}: {first.status}: {first.reason}{where}"
            )
        stored = sum(o.bookings for o in outcomes)
        if stored != pnrs:
            return (
                f"(b) parse + filter + SQLite not measured: {stored} bookings stored, {pnrs} sent"
            )
    return (
        f"(b) parse + filter + SQLite, best of {repeat}: {best:.2f} s wall, "
        f"{best_cpu:.2f} s CPU; {pnrs / best:,.0f} PNRs/s wall, {pnrs / best_cpu:,.0f} "
        f"PNRs/s CPU ({len(corpus)} pushes processed)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flights", type=int, default=40)
    parser.add_argument("--pnrs", type=int, default=100, help="PNRs per push (flight)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pipeline", action="store_true")
    args = parser.parse_args(argv)
    print("command:", " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv]))
    print(f"python {platform.python_version()}, {platform.machine()}, one core")
    corpus, pnrs = build_corpus(args.flights, args.pnrs, args.seed)
    size = sum(len(d) for d in corpus)
    print(
        f"corpus: {len(corpus)} pushes, {pnrs:,} PNRs, {size / 1e6:.2f} MB "
        f"({size / pnrs:,.0f} B/PNR), seed {args.seed}"
    )
    seconds, cpu, parsed = bench_parse(corpus, args.repeat)
    assert parsed == pnrs, f"parsed {parsed} PNRs, wrote {pnrs}"
    print(
        f"(a) parse only, best of {args.repeat}: {seconds:.2f} s wall, "
        f"{size / seconds / 1e6:.2f} MB/s, {pnrs / seconds:,.0f} PNRs/s; "
        f"{cpu:.2f} s CPU, {size / cpu / 1e6:.2f} MB/s"
    )
    if not args.skip_pipeline:
        print(bench_pipeline(corpus, pnrs, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
