"""Network intake under load: HTTP acknowledgement, then processing by workers.

    .venv/bin/python bench/load.py [--rate 200] [--seconds 60] [--travellers 150]
        [--servers 2] [--workers 1,2] [--pg-url URL] [--amqp-url URL] [--quick]

The production layout on this machine: PostgreSQL and RabbitMQ (the machine's
own services; the bench makes and drops its own database and queue names),
``piu serve`` processes receiving, ``piu worker`` processes processing.

1. **Intake**: a second process (``--generator``) posts PAXLST messages of
   ``--travellers`` travellers (distinct flights) to ``POST /api/v1/messages``
   with a carrier token, open loop at ``--rate`` messages/s for ``--seconds``:
   acknowledgements per second, latency p50/p99 (from the scheduled send), and
   the count check: every 201 is one message in the vault (zero loss).
   Floors: 200 messages/s sustained, p99 under 250 ms, nothing lost.
2. **Processing**: for each worker count of ``--workers`` (default ``1,2``), a
   fresh store holds a backlog of ``--backlog`` messages (default 300, received
   as intake receives them: vault, then ``piu.work``), drained by that many
   ``piu worker`` processes.  Figure: travellers/s (processed messages x
   travellers per message) until the backlog is drained.  Floor: 3,000/s with
   2 workers.

``--quick`` is a smoke run (20 messages/s for 5 s, 50 travellers).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from openpiu import carriers
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.store import db
from openpiu.store.schema import messages, receipts
from openpiu.synth.paxlst_gen import generate_manifests

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/piu_bench_load"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
PIU = str(Path(sys.executable).with_name("piu"))
FLOORS = {"intake_rate": 200.0, "intake_p99_ms": 250.0, "travellers_per_s": 3000.0}
BASE_FLIGHTS = 40  # distinct routes and numbers; each message shifts one by days


# -- the messages -----------------------------------------------------------------------

def make_messages(count: int, travellers: int) -> list[bytes]:
    """``count`` distinct PAXLST messages: ``BASE_FLIGHTS`` generated flights, each
    sent again on later days (the dates in DTM+189/232 shifted) with its own
    interchange reference, so every message is a new flight of ``travellers``."""
    bases = [write_paxlst(m).decode("latin-1")
             for m in generate_manifests(BASE_FLIGHTS, travellers, seed=7)]  # fmt: skip
    out = []
    for n in range(count):
        base = bases[n % BASE_FLIGHTS]
        shift = n // BASE_FLIGHTS + 1

        def day(match: re.Match[str], shift: int = shift) -> str:
            when = datetime.strptime(match.group(2), "%y%m%d") + timedelta(days=shift)
            return f"{match.group(1)}{when:%y%m%d}"

        body = re.sub(r"(DTM\+(?:189|232):)(\d{6})", day, base)
        ref = f"{n + 1:09d}"
        body = re.sub(r"(UNB\+[^']*?\+\d{6}:\d{4}\+)(\d+)", rf"\g<1>{ref}", body, count=1)
        body = re.sub(r"(UNZ\+\d+\+)(\d+)", rf"\g<1>{ref}", body)
        out.append(body.encode("latin-1"))
    return out


# -- the generator (a second process) ------------------------------------------------

def generator(args: argparse.Namespace) -> None:
    """Post the messages open loop and print one JSON line of results."""
    bodies = make_messages(args.rate * args.seconds, args.travellers)
    total = len(bodies)
    next_index = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []
    trace: list[tuple[float, float]] = []  # (scheduled second, latency)
    statuses: dict[str, int] = {}
    start = time.perf_counter() + 0.5
    headers = {"authorization": f"Bearer {args.token}", "content-type": "application/edifact"}

    def run(base: str) -> None:
        # The standard library's client, one kept-alive connection per thread: the
        # generator shares the machine with what it measures, so it stays light.
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                conn.close()
                return
            due = start + i / args.rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                conn.request("POST", "/api/v1/messages", body=bodies[i], headers=headers)
                response = conn.getresponse()
                response.read()
                code = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                code = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
            took = time.perf_counter() - due
            with lock:
                latencies.append(took)
                trace.append((due - start, took))
                statuses[code] = statuses.get(code, 0) + 1

    urls = args.urls.split(",")
    threads = [threading.Thread(target=run, args=(urls[k % len(urls)],))
               for k in range(args.threads)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    print(json.dumps({
        "sent": total, "elapsed_s": elapsed, "statuses": statuses,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max_ms": 1000 * latencies[-1],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
        # Where in the run the slowest answers were scheduled (seconds): a pause
        # of the machine shows as a cluster, a steady overload as a spread.
        "slowest_at_s": sorted(round(t, 1) for t, _ in sorted(trace, key=lambda x: -x[1])[:30]),
    }))


# -- the store, the servers and the workers -------------------------------------------

def fresh_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIU_")}
    env.update(PIU_DATABASE_URL=args.pg_url, PIU_QUEUE_URL=args.amqp_url,
               PIU_INTAKE_MAX_BACKLOG=str(10 * args.rate * args.seconds))  # fmt: skip
    return env


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        by_status = dict(conn.execute(select(messages.c.status, func.count())
                                      .group_by(messages.c.status)).all())  # fmt: skip
        by_status["receipts"] = conn.scalar(select(func.count()).select_from(receipts)) or 0
    return {str(k): int(v) for k, v in by_status.items()}


def intake(args: argparse.Namespace, engine: Any, token: str) -> dict[str, Any]:
    env = environment(args)
    ports = [free_port() for _ in range(args.servers)]
    servers = [subprocess.Popen([PIU, "serve", "--port", str(p)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for p in ports]  # fmt: skip
    try:
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        for url in urls:
            wait_ready(url)
            for _ in range(5):  # a first connection to the store and the broker
                httpx.get(url + "/api/v1/messages/1/status", timeout=10.0,
                          headers={"authorization": f"Bearer {token}"})
        generated = subprocess.run(
            [sys.executable, __file__, "--generator", "--token", token, "--urls", ",".join(urls),
             "--rate", str(args.rate), "--seconds", str(args.seconds),
             "--travellers", str(args.travellers), "--threads", str(args.threads)],
            check=True, capture_output=True, text=True)  # fmt: skip
        result: dict[str, Any] = json.loads(generated.stdout.strip().splitlines()[-1])
    finally:
        stop(servers)
    held = counts(engine)
    accepted = result["statuses"].get("201", 0)
    result["rate"] = accepted / result["elapsed_s"]
    result["vault"] = held
    result["lost"] = accepted - sum(v for k, v in held.items() if k != "receipts")
    return result


def purge_work_queue(url: str) -> None:
    """The intake run leaves its ids in ``piu.work`` (no worker ran); the
    processing runs start from their own backlogs."""
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.queue_declare(queue="piu.work", durable=True)
        channel.queue_purge(queue="piu.work")
    finally:
        connection.close()


def fill_backlog(args: argparse.Namespace, engine: Any, bodies: list[bytes]) -> None:
    """Messages received as intake would (vault, then the work queue)."""
    from openpiu.amqp import AmqpWorkQueue
    from openpiu.model import MessageKind
    from openpiu.store.vault import Vault

    vault, work = Vault(engine), AmqpWorkQueue(args.amqp_url)
    try:
        for body in bodies:
            receipt = vault.receive(body, channel="amqp", sender="ZZ", kind=MessageKind.PAXLST)
            work.submit(receipt.message_id)
    finally:
        work.close()


def processing(args: argparse.Namespace) -> list[dict[str, Any]]:
    """For each worker count of ``--workers``: a fresh store with a backlog of
    ``--backlog`` messages, drained by that many ``piu worker`` processes."""
    env = environment(args)
    counts_wanted = [int(n) for n in args.workers.split(",")]
    bodies = make_messages(args.backlog * len(counts_wanted), args.travellers)
    out: list[dict[str, Any]] = []
    for k, n in enumerate(counts_wanted):
        fresh_database(args.pg_url)
        engine = db.make_engine(args.pg_url)
        db.upgrade(engine)
        fill_backlog(args, engine, bodies[k * args.backlog:(k + 1) * args.backlog])
        workers = [subprocess.Popen([PIU, "worker", "--prefetch", "4"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                   for _ in range(n)]  # fmt: skip
        began = time.perf_counter()
        try:
            done = 0
            while done < args.backlog and time.perf_counter() - began < args.timeout:
                time.sleep(0.5)
                done = counts(engine).get("processed", 0)
        finally:
            took = time.perf_counter() - began
            stop(workers)
        out.append({"workers": n, "seconds": took, "messages": done,
                    "travellers_per_s": done * args.travellers / took,
                    "drained": done >= args.backlog})  # fmt: skip
        engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--travellers", type=int, default=150)
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--workers", default="1,2", help="worker counts in turn, e.g. 1,2")
    ap.add_argument("--backlog", type=int, default=300,
                    help="messages each worker count drains")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--amqp-url", default=AMQP_URL)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--generator", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--token", help=argparse.SUPPRESS)
    ap.add_argument("--urls", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generator:
        generator(args)
        return
    if args.quick:
        args.rate, args.seconds, args.travellers, args.backlog = 20, 5, 50, 40
    fresh_database(args.pg_url)
    engine = db.make_engine(args.pg_url)
    db.upgrade(engine)
    with engine.begin() as conn:
        _carrier, token = carriers.add(
            conn, "ZZ", "Bench Air", kinds=["paxlst"], routes=[],
            schedule=carriers.DEFAULT_SCHEDULE, reply_url=None, reply_queue=None,
            created_by="bench", at=datetime.now(UTC))  # fmt: skip
    report: dict[str, Any] = {"command": " ".join(sys.argv), "rate": args.rate,
                              "seconds": args.seconds, "travellers": args.travellers,
                              "servers": args.servers, "day": date.today().isoformat()}
    report["intake"] = intake(args, engine, token)
    engine.dispose()
    purge_work_queue(args.amqp_url)
    report["processing"] = processing(args)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print_report(report)


def print_report(r: dict[str, Any]) -> None:
    i = r["intake"]
    print(f"command: {r['command']}")
    print(f"intake: {r['servers']} piu serve process(es), PostgreSQL, RabbitMQ; "
          f"{r['rate']}/s offered for {r['seconds']} s, {r['travellers']} travellers each")
    line = (f"  acknowledged {i['statuses'].get('201', 0)} of {i['sent']} "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(i['statuses'].items()))})")
    print(line)
    verdict = "PASS" if i["rate"] >= FLOORS["intake_rate"] * 0.98 else "FAIL"
    print(f"  rate {i['rate']:.0f}/s (floor 200/s) {verdict}")
    verdict = "PASS" if i["p99_ms"] < FLOORS["intake_p99_ms"] else "FAIL"
    print(f"  latency p50 {i['p50_ms']:.0f} ms, p95 {i['p95_ms']:.0f} ms, p99 {i['p99_ms']:.0f} ms "
          f"(floor 250 ms) {verdict}; max {i['max_ms']:.0f} ms")
    print(f"  the 30 slowest were sent at (s): {i['slowest_at_s']}")
    print(f"  vault: {i['vault']}; lost: {i['lost']}")
    print("processing (piu worker processes):")
    for step in r["processing"]:
        floor = " (floor 3,000/s with 2)" if step["workers"] == 2 else ""
        print(f"  {step['workers']} worker(s): {step['messages']} messages in "
              f"{step['seconds']:.0f} s = {step['travellers_per_s']:,.0f} travellers/s{floor}"
              f"{'; backlog drained' if step['drained'] else ''}")


if __name__ == "__main__":
    main()
