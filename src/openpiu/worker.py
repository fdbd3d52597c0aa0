"""``piu worker``: process message ids from the RabbitMQ work queue.

Start as many as the load needs, on as many machines as needed, all on one
PostgreSQL store.  What makes that safe lives in the pipeline: ``process``
claims the message row (a second worker handed the same id finds it done), a
flight's writers queue on an advisory lock, and versions are ordered by the
sender's timestamps, so ids may arrive in any order and more than once.

A delivery is acknowledged after the pipeline's transaction has committed.  A
worker killed before that leaves the transaction rolled back and the delivery
unacknowledged, so the broker hands it to another worker.  When the store
fails (DBAPIError, OSError) the delivery goes back to the queue and the worker
slows down; the message is still ``received`` in the vault.

Watchlist and criteria changes need no restart: the pipeline's screening and
criteria services look for new versions before each message they screen.

At start and every ``sweep_seconds`` one worker at a time (a PostgreSQL
advisory lock; on SQLite, one machine, a lock in the process) runs the
pipeline's housekeeping and, when the queue is empty, hands to the queue the
messages left ``received`` for longer than ``grace_seconds`` (an intake that
crashed between the vault and its submission).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from openpiu.amqp import (
    BROKER_ERRORS,
    WORK_QUEUE,
    AmqpWorkQueue,
    Backoff,
    keep_connected,
    parameters,
)
from openpiu.errors import NotFoundError
from openpiu.model import MessageStatus
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store.db import is_postgres, to_db
from openpiu.store.schema import messages

log = logging.getLogger(__name__)

SWEEP_LOCK_KEY = int.from_bytes(b"piusweep", "big") - 2**63  # a signed bigint
SWEEP_BATCH = 5000
DB_ERRORS = (DBAPIError, OSError)
_local_sweep = threading.Lock()


# How often due unsolicited CUSRES are sent (each row is claimed by one worker).
DELIVERY_SECONDS = 5.0


def deliver_outbound(engine: Engine, settings: Any) -> int:
    """Send what the outbound delivery log says is due; a failure waits for the
    next round (the log keeps the attempt)."""
    from openpiu.outbound import deliver_due

    try:
        return deliver_due(engine, settings, datetime.now(UTC))
    except DB_ERRORS as exc:
        log.warning("worker: outbound delivery skipped, store unavailable (%s)",
                    type(exc).__name__)  # fmt: skip
        return 0


@contextmanager
def sweep_lock(engine: Engine) -> Iterator[bool]:
    """True inside when this worker may sweep; held until the block ends (a
    transaction-level advisory lock: a worker that dies releases it)."""
    if is_postgres(engine):
        with engine.connect() as conn, conn.begin():
            yield bool(conn.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"),
                                   {"k": SWEEP_LOCK_KEY}))  # fmt: skip
        return
    got = _local_sweep.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            _local_sweep.release()


def left_behind(engine: Engine, pipeline: Pipeline, grace_seconds: float) -> list[int]:
    """Ids still ``received`` after ``grace_seconds``, oldest first."""
    cutoff = to_db(pipeline.clock() - timedelta(seconds=grace_seconds))
    with engine.connect() as conn:
        return list(conn.scalars(
            select(messages.c.id)
            .where(messages.c.status == MessageStatus.RECEIVED.value,
                   messages.c.received_at <= cutoff)
            .order_by(messages.c.id).limit(SWEEP_BATCH)))  # fmt: skip


class Worker:
    """One consumer of the work queue; :meth:`run` until :meth:`stop`."""

    def __init__(self, url: str, engine: Engine, settings: Settings, *,
                 queue: str = WORK_QUEUE, prefetch: int = 1, sweep_seconds: float = 60.0,
                 grace_seconds: float = 60.0) -> None:  # fmt: skip
        self.url, self.engine, self.queue = url, engine, queue
        self.prefetch, self.sweep_seconds = prefetch, sweep_seconds
        self.grace_seconds = grace_seconds
        self.pipeline = Pipeline(engine, settings)
        self.work = AmqpWorkQueue(url, queue)
        self.counts: Counter[str] = Counter()  # processed statuses, retried, dropped, swept
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._retry = Backoff(cap=5.0)
        self._next_sweep = 0.0  # at start
        self._next_delivery = 0.0

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            keep_connected(self._session, self._stop, self.connected, "worker")
        finally:
            self.work.close()

    def _session(self, backoff: Backoff) -> None:
        conn = pika.BlockingConnection(parameters(self.url, "piu-worker"))
        try:
            channel = conn.channel()
            channel.queue_declare(self.queue, durable=True)
            channel.basic_qos(prefetch_count=self.prefetch)
            channel.basic_consume(self.queue, self._on_message)
            backoff.reset()
            self.connected.set()
            while not self._stop.is_set():
                conn.process_data_events(time_limit=0.5)
                if time.monotonic() >= self._next_sweep:
                    self.sweep(channel)
                    self._next_sweep = time.monotonic() + self.sweep_seconds
                if time.monotonic() >= self._next_delivery:
                    deliver_outbound(self.engine, self.pipeline.settings)
                    self._next_delivery = time.monotonic() + DELIVERY_SECONDS
        finally:
            self.connected.clear()
            if conn.is_open:
                with suppress(*BROKER_ERRORS):  # already broken: nothing to close
                    conn.close()  # deliveries not yet acknowledged go back to the queue

    def _on_message(self, channel: BlockingChannel, method: Any, _props: Any, body: bytes) -> None:
        tag = method.delivery_tag
        try:
            message_id = int(body)
        except ValueError:
            log.error("worker: a delivery on %s is not a message id; dropped", self.queue)
            channel.basic_reject(tag, requeue=False)
            self.counts["dropped"] += 1
            return
        try:
            outcome = self.pipeline.process(message_id)
        except NotFoundError:
            log.error("worker: message %d is not in this store; dropped", message_id)
            channel.basic_reject(tag, requeue=False)
            self.counts["dropped"] += 1
            return
        except DB_ERRORS as exc:
            channel.basic_nack(tag, requeue=True)
            self.counts["retried"] += 1
            delay = self._retry.next()
            log.warning("worker: store unavailable for message %d (%s); retrying in %.1f s",
                        message_id, type(exc).__name__, delay)  # fmt: skip
            time.sleep(delay)
            return
        except Exception as exc:
            # A defect the pipeline did not turn into a quarantine: the message stays
            # received in the vault and the next sweep hands it out again.
            log.error("worker: message %d failed (%s); left for the next sweep",
                      message_id, type(exc).__name__)  # fmt: skip
            channel.basic_reject(tag, requeue=False)
            self.counts["failed"] += 1
            return
        self._retry.reset()
        channel.basic_ack(tag)
        self.counts[outcome.status] += 1

    def sweep(self, channel: BlockingChannel | None = None) -> int:
        """Housekeeping, and messages left behind back to the queue (only while
        the queue is empty: a backlog is being worked anyway).  Returns how many
        were handed out; a store or broker failure waits for the next sweep."""
        try:
            with sweep_lock(self.engine) as mine:
                if not mine:
                    return 0
                self.pipeline.housekeeping()
                if channel is not None:
                    waiting = channel.queue_declare(self.queue, passive=True).method.message_count
                    if waiting:
                        return 0
                ids = left_behind(self.engine, self.pipeline, self.grace_seconds)
                for message_id in ids:
                    self.work.submit(message_id)
        except DB_ERRORS as exc:
            log.warning("worker: sweep skipped, store unavailable (%s)", type(exc).__name__)
            return 0
        if ids:
            log.info("worker: %d message(s) left received handed to %s", len(ids), self.queue)
            self.counts["swept"] += len(ids)
        return len(ids)
