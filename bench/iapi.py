"""Interactive API answer time: POST /api/v1/iapi in-process (issue 8, item 5).

    .venv/bin/python bench/iapi.py [--single 500] [--flights 100] [--per-flight 300]
        [--national 100000] [--db PATH] [--overlap] [--quick]

The app served by uvicorn in a thread of the bench, a carrier's client posting
over loopback HTTP (``--in-process``: FastAPI's TestClient instead, whose own
overhead is some 40 ms for a 300-traveller message), on a SQLite store made for the run,
a carrier holding the kind ``iapi``, and two lists: the UN consolidated list
(``/work/shared/data/un_consolidated_2026-02-27.xml``, loaded as ``piu watchlist
load`` does; skipped, and said so, when absent) and a synthetic national list of
``--national`` entries (default 100,000; :func:`synthetic_watchlist`).  One
traveller in 25 of the single check-ins is a listed person (his name, date of
birth and nationality), so the "contact" path and its follow-up run too.

Figures: the time of the request as the carrier's client sees it (loopback HTTP; vault
write, parse, screening of every traveller against both lists, answer recorded,
CUSRES written), p50 / p99 / max, for ``--single`` check-ins of one traveller
(default 500) and ``--flights`` PAXLST of ``--per-flight`` travellers (default 100
of 300: with 30, the p99 is the single slowest). Floors: one traveller p99 < 50 ms;
300 travellers p99 < 300 ms. Between requests the pipeline's own processing of the
message (store, screen the flight, alerts) and the answer's follow-up (urgent marks)
are drained, untimed: in production the former runs in ``piu worker`` processes, not
in the web process; ``--overlap`` leaves both running alongside instead (one
process: they compete for the GIL and SQLite's lock). The lists are indexed before
the first request, and that time is shown apart.
"""

from __future__ import annotations

import argparse
import http.client
import platform
import random
import shlex
import socket
import statistics
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from openpiu import accounts, carriers
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.iapi import IapiService
from openpiu.model import Manifest, Role, TravelDocument, Traveller
from openpiu.screening import WatchlistEntry
from openpiu.screening_service import load_watchlist
from openpiu.settings import Settings
from openpiu.store import db
from openpiu.store import watchlists as list_store
from openpiu.store.schema_intake import outbound_messages
from openpiu.synth.biglist import synthetic_watchlist
from openpiu.synth.paxlst_gen import generate_manifests
from openpiu.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

UN_LIST = Path("/work/shared/data/un_consolidated_2026-02-27.xml")
FLOOR_SINGLE_MS = 50.0
FLOOR_FLIGHT_MS = 300.0
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def listed_traveller(entry: WatchlistEntry, n: int) -> Traveller:
    """A traveller carrying a national list entry's identity."""
    born = entry.birth_dates[0] if entry.birth_dates else None
    dob = None
    if born is not None and born.month and born.day and not born.approximate:
        dob = date(born.year, born.month, born.day)
    nat = entry.nationalities[0] if entry.nationalities else "TJK"
    return Traveller(Role.PASSENGER, entry.surname or entry.name_parts[-1],
                     entry.given_names or " ".join(entry.name_parts[:-1]), gender=entry.gender,
                     dob=dob, nationality=nat, record_locator=f"L{n:05d}",
                     passenger_ref=f"P{n:06d}",
                     documents=[TravelDocument("P", f"B{n:07d}", nat)])  # fmt: skip


def message(base: Manifest, ref: int, travellers: list[Traveller]) -> bytes:
    env = replace(base.envelope, interchange_ref=f"{ref:09d}")
    for n, t in enumerate(travellers):  # the carrier's references, echoed in the answer
        if not t.passenger_ref:
            travellers[n] = replace(
                t,
                passenger_ref=f"R{ref:06d}{n:03d}",
                record_locator=t.record_locator or f"X{ref:05d}",
            )
    return write_paxlst(replace(base, envelope=env, travellers=travellers,
                                declared_passengers=None, declared_crew=None))  # fmt: skip


class HttpClient:
    """A carrier's client over loopback HTTP (one kept-alive connection)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def post(self, path: str, content: bytes) -> Any:
        try:
            self.conn.request("POST", path, body=content, headers=self.headers)
        except (BrokenPipeError, ConnectionResetError):  # the server closed an idle one
            self.conn.close()
            self.conn.request("POST", path, body=content, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        return SimpleNamespace(status_code=response.status, text=body[:200].decode("latin-1"))


def serve_in_thread(app: Any) -> int:
    """The app under uvicorn (httptools, uvloop) in a thread of this process, so
    the bench can still wait for the pipeline between requests; returns the port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="off",
                            timeout_keep_alive=600)  # fmt: skip
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return port


def run(args: argparse.Namespace) -> int:
    print(f"# bench/iapi.py {shlex.join(sys.argv[1:])}")
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, {platform.system()}")  # fmt: skip
    path = args.db or tempfile.mktemp(prefix="piu_bench_iapi_", suffix=".db")
    url = f"sqlite:///{path}"
    settings = Settings(database_url=url, cookie_secure=False)
    engine = db.make_engine(url)
    app = create_app(settings, engine=engine)
    began = time.perf_counter()
    if UN_LIST.exists():
        load_watchlist(engine, accounts.Actor.local(), "un", "un-xml", UN_LIST.read_bytes(),
                       str(UN_LIST), NOW)  # fmt: skip
        print(f"UN list loaded from {UN_LIST}")
    else:
        print(f"SKIPPED: UN list {UN_LIST} absent; national list only")
    national = list(synthetic_watchlist(args.national, seed=7, prefix="NAT"))
    with db.writer(engine).begin() as conn:
        list_store.save_version(conn, "national", national, fmt="csv", source_sha256=None,
                                loaded_by="bench", at=NOW)  # fmt: skip
    print(f"lists stored in {time.perf_counter() - began:.1f} s "
          f"(national: {len(national):,} entries)")  # fmt: skip
    with engine.begin() as conn:
        carrier, token = carriers.add(conn, "TK", "Bench Air", kinds=["paxlst", "iapi"],
                                      routes=[], schedule={}, reply_url=None, reply_queue=None,
                                      created_by="bench", at=NOW)  # fmt: skip
    headers = {"authorization": f"Bearer {token}", "content-type": "application/edifact"}
    if args.in_process:
        client: Any = TestClient(app, headers=headers)
    else:
        client = HttpClient(serve_in_thread(app), headers)
    work = app.state.work
    rng = random.Random(1)
    persons = [e for e in national if e.kind == "person" and e.surname]

    def post(raw: bytes) -> float:
        started = time.perf_counter()
        r = client.post("/api/v1/iapi", content=raw)
        elapsed = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            raise SystemExit(f"answer {r.status_code}: {r.text[:200]}")
        if not args.overlap:
            work.join()
            service.wait_idle()
        return elapsed

    # The service indexes the lists once, before the first check-in.
    service = app.state.iapi = IapiService(engine, settings)
    started = time.perf_counter()
    service.lists.current()
    print(f"lists indexed in memory in {time.perf_counter() - started:.1f} s")
    singles = list(generate_manifests(args.single + 1, 1, seed=5))
    warm = post(message(singles[0], 1, list(singles[0].travellers)))
    print(f"first request: {warm:.0f} ms")

    times: list[float] = []
    planted = 0
    for n, base in enumerate(singles[1:], 2):
        travellers = list(base.travellers)
        if n % 25 == 0:
            travellers = [listed_traveller(rng.choice(persons), n)]
            planted += 1
        times.append(post(message(base, n, travellers)))
    flights = list(generate_manifests(args.flights, args.per_flight, seed=9))
    big: list[float] = []
    for n, base in enumerate(flights, 100_000):
        big.append(post(message(base, n, list(base.travellers))))
    work.join()
    service.wait_idle(timeout=300)
    with engine.connect() as conn:
        o = outbound_messages.c
        server = [int(v) for (v,) in conn.execute(select(o.latency_ms)
                                                  .where(o.reason == "answer").order_by(o.id))]
        contacts = sum(1 for (b,) in conn.execute(select(o.body).where(o.reason == "answer"))
                       if b"ERC+1Z" in bytes(b))  # fmt: skip
    rows = [("1 traveller", times, FLOOR_SINGLE_MS),
            (f"{args.per_flight} travellers", big, FLOOR_FLIGHT_MS)]  # fmt: skip
    print(f"\n{'request':<16}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'floor':>9}  verdict")
    failed = False
    for name, values, floor in rows:
        p99 = pct(values, 99)
        ok = p99 < floor
        failed |= not ok
        print(
            f"{name:<16}{len(values):>6}{statistics.median(values):>9.1f}{p99:>9.1f}"
            f"{max(values):>9.1f}{'<' + format(floor, '.0f'):>9}  {'ok' if ok else 'MISSED'}"
        )
    print(
        f"\nanswers recorded: {len(server)}, server-side latency p50 "
        f"{statistics.median(server)} ms / p99 {pct([float(s) for s in server], 99):.0f} ms; "
        f"{planted} listed travellers planted, {contacts} answer(s) with a contact directive"
    )
    print(f"{args.per_flight} travellers, each request in order (ms): "
          + " ".join(f"{v:.0f}" for v in big))
    flights_server = [float(v) for v in server[-len(big):]]
    print(f"{args.per_flight} travellers, server side (vault, parse, screening, answer "
          f"recorded): p50 {statistics.median(flights_server):.0f} ms / p99 "
          f"{pct(flights_server, 99):.0f} ms")
    print("pipeline processing " + ("overlapping the requests" if args.overlap
                                    else "drained between requests (untimed)"))  # fmt: skip
    service.close()
    work.close()
    engine.dispose()
    if not args.db:
        Path(path).unlink(missing_ok=True)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--single", type=int, default=500)
    parser.add_argument("--flights", type=int, default=100)
    parser.add_argument("--per-flight", type=int, default=300)
    parser.add_argument("--national", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite file (default: a temporary one, removed)")
    parser.add_argument(
        "--overlap",
        action="store_true",
        help="let the pipeline's processing run alongside the requests",
    )
    parser.add_argument("--in-process", action="store_true",
                        help="FastAPI's TestClient instead of HTTP on loopback")
    parser.add_argument("--quick", action="store_true", help="smoke run: 50, 3 and 5,000")
    args = parser.parse_args()
    if args.quick:
        args.single, args.flights, args.national = 50, 3, 5_000
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
