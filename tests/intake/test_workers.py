"""``piu worker`` processes on PostgreSQL and RabbitMQ: a worker killed in the
middle of a batch, list changes reaching a running worker, the sweep of messages
left behind, and the command's own errors.  Shares the helpers of test_amqp.py."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from test_amqp import (
    RABBIT_URL,
    Broker,
    Running,
    batch,
    open_broker,
    open_running,
    sequential_snapshot,
    settings_for,
    snapshot,
    status_counts,
    store,
    wait_until,
)

from openpiu import accounts
from openpiu.amqp import AmqpWorkQueue
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.model import MessageKind, Role, TravelDocument, Traveller
from openpiu.screening_service import load_watchlist
from openpiu.store.schema import alerts
from openpiu.store.vault import Vault
from openpiu.synth.paxlst_gen import generate_manifests
from openpiu.worker import Worker, sweep_lock

broker = pytest.fixture(open_broker, name="broker")
running = pytest.fixture(open_running, name="running")


def receive_all(url: str, raws: list[bytes]) -> list[int]:
    """Into the vault, as an intake would, without submitting."""
    vault = Vault(store(url))
    return [vault.receive(r, channel="amqp", sender="ZZ", kind=MessageKind.PAXLST).message_id
            for r in raws]  # fmt: skip


def start_worker(url: str, queue: str, log_path: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIU_")}
    env.update(PIU_DATABASE_URL=url, PIU_QUEUE_URL=RABBIT_URL)
    with open(log_path, "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "openpiu.cli", "worker", "--queue", queue],
                                env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


# -- 1. a worker killed in the middle of a batch ---------------------------------------


def test_killed_worker_loses_nothing_and_another_finishes(
    broker: Broker, postgres_url: str, tmp_path: os.PathLike[str]
) -> None:
    sent = batch(50, 4, 40, seed=21)
    ids = receive_all(postgres_url, sent)
    engine = store(postgres_url)
    procs = [start_worker(postgres_url, broker.work_queue, f"{tmp_path}/worker{i}.log")
             for i in range(2)]  # fmt: skip
    try:
        wait_until(lambda: broker.consumers(broker.work_queue) == 2, 30, "2 workers consuming")
        started = time.perf_counter()
        work = AmqpWorkQueue(RABBIT_URL, broker.work_queue)
        for message_id in random.Random(6).sample(ids, len(ids)):  # out of order
            work.submit(message_id)
        work.close()
        wait_until(lambda: status_counts(engine)["processed"] >= 60, 30, "60 processed")
        procs[0].send_signal(signal.SIGKILL)
        assert procs[0].wait(timeout=10) == -signal.SIGKILL
        at_kill = status_counts(engine)["processed"]
        assert at_kill < 200  # the kill came in the middle of the batch
        wait_until(lambda: status_counts(engine)["processed"] == 200, 40, "the rest processed")
        elapsed = time.perf_counter() - started
        print(f"\n200 messages x 40 travellers, 2 worker processes then 1: "
              f"{200 / elapsed:.0f} messages/s overall")
        procs[1].send_signal(signal.SIGTERM)
        assert procs[1].wait(timeout=15) == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    counts = status_counts(engine)
    assert counts["messages"] == 200 and counts["attempts"] == {1}  # once in effect
    assert snapshot(engine) == sequential_snapshot(50, 4, 40, seed=21)
    assert broker.depth(broker.work_queue) == 0
    log = Path(f"{tmp_path}/worker1.log").read_text()
    assert "worker stopped:" in log and "Traceback" not in log


# -- 2. a watchlist loaded while a worker runs is used for its next message ---------------

LIST = (b"entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
        b"doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n"
        b"E1,NAT-001,Jamshed Rahimov,,,,1985-06-01,M,TJK,,,,notify,,,,\n")


def flight_with_rakhimov(index: int) -> bytes:
    manifest = list(generate_manifests(index + 1, 5, seed=31))[index]
    rakhimov = Traveller(Role.PASSENGER, "RAKHIMOV", "DZHAMSHED", gender="M",
                         dob=date(1985, 6, 1), nationality="TJK",
                         documents=[TravelDocument("P", "401122334", "TJK", date(2031, 1, 1))])
    return write_paxlst(replace(manifest, travellers=[*manifest.travellers, rakhimov],
                                declared_passengers=None, declared_crew=None))  # fmt: skip


def test_list_loaded_while_worker_runs_is_used_for_the_next_message(
    broker: Broker, postgres_url: str, running: Running
) -> None:
    engine = store(postgres_url)
    worker = running.start(Worker(RABBIT_URL, store(postgres_url), settings_for(postgres_url),
                                  queue=broker.work_queue, sweep_seconds=3600))  # fmt: skip
    work = AmqpWorkQueue(RABBIT_URL, broker.work_queue)
    first, second = receive_all(postgres_url, [flight_with_rakhimov(0), flight_with_rakhimov(1)])
    work.submit(first)
    wait_until(lambda: status_counts(engine)["processed"] == 1, 20, "the first message")
    assert worker.pipeline.screening.lists == {}
    load_watchlist(engine, accounts.Actor.local(), "national", "csv", LIST, "list.csv",
                   datetime.now(UTC))  # fmt: skip
    work.submit(second)
    wait_until(lambda: status_counts(engine)["processed"] == 2, 20, "the second message")
    work.close()
    with engine.connect() as conn:
        raised = conn.execute(select(alerts.c.flight_id, alerts.c.list_name)).all()
    assert [name for _f, name in raised] == ["national"]  # the second flight's, no restart
    assert worker.pipeline.screening.lists["national"].version == 1


# -- 3. the sweep: messages left received go back to the queue -----------------------


def test_sweep_hands_out_messages_left_behind(
    broker: Broker, tmp_path: os.PathLike[str], running: Running
) -> None:
    url = f"sqlite:///{tmp_path}/piu.db"  # one machine: the in-process sweep lock
    receive_all(url, batch(3, 1, 5, seed=41))  # stored, never submitted (a crash)
    engine = store(url)
    assert status_counts(engine)["processed"] == 0
    worker = running.start(Worker(RABBIT_URL, store(url), settings_for(url),
                                  queue=broker.work_queue, grace_seconds=0))  # fmt: skip
    wait_until(lambda: status_counts(engine)["processed"] == 3, 20, "the sweep's work")
    assert worker.counts["swept"] == 3 and status_counts(engine)["attempts"] == {1}


def test_one_sweeper_at_a_time_on_postgres(postgres_url: str) -> None:
    engine, other = store(postgres_url), store(postgres_url)
    with sweep_lock(engine) as first:
        assert first
        with sweep_lock(other) as second:
            assert not second
    with sweep_lock(other) as after:
        assert after


# -- 4. the commands' own errors ------------------------------------------------------


def test_commands_need_a_queue_url_and_known_carriers(piu: object) -> None:
    result = piu("worker")  # type: ignore[operator]
    assert result.code == 1 and "PIU_QUEUE_URL is not set" in result.err and result.clean()
    result = piu("intake", "amqp", "--carrier", "NOPE",  # type: ignore[operator]
                 PIU_QUEUE_URL=RABBIT_URL)
    assert result.code == 1 and "no carrier 'NOPE'" in result.err and result.clean()

