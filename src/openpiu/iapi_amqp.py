"""The interactive API over AMQP: ``POST /api/v1/iapi``'s twin for carriers on RabbitMQ.

Every active carrier holding the kind ``iapi`` has a durable queue
``piu.iapi.<code>`` (its refusals dead-lettered to ``piu.intake.dead``, as the
intake queues).  A check-in PAXLST arrives there in the RPC pattern: the body is
the raw message, ``reply_to`` names the queue for the answer and
``correlation_id`` ties the answer to the request.  The work is
:class:`openpiu.iapi.IapiService`'s, as over HTTP; this module adapts AMQP to it:

* the answer goes to ``reply_to`` (default exchange) with the request's
  ``correlation_id``, content type ``application/edifact`` and the headers
  ``x-piu-status`` (200, 400, 403, 413, as over HTTP) and ``x-piu-message-id``;
  an error answer carries its reason as a text body;
* without ``reply_to`` the answer goes to the carrier's ``reply_queue`` if it
  has one; else the message is kept and processed, unanswered;
* the request is acknowledged after its answer is published (on the same
  channel, so the broker has the answer first).  A request refused before the
  vault (not EDIFACT or XML, too large, not agreed) is answered and then
  rejected to the dead-letter queue, as AMQP intake does: refused, never lost;
* a redelivery (crash, cut connection) is answered from the first answer: the
  vault recognises the same bytes.

Answers take up to the deadline each, so they run in a pool of threads; only the
connection's own thread touches the channel (pika is not thread-safe), the pool
hands it the publish and the acknowledgement through ``add_callback_threadsafe``.
Logs name carriers, queues and message ids, never content.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from functools import partial
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from openpiu import carriers as carrier_store
from openpiu.amqp import (
    BROKER_ERRORS,
    DEAD_LETTER,
    Backoff,
    declare_intake,
    keep_connected,
    parameters,
)
from openpiu.carriers import Carrier
from openpiu.errors import ForbiddenError
from openpiu.iapi import IapiAnswer, IapiService
from openpiu.outbound import CONTENT_TYPE
from openpiu.settings import Settings
from openpiu.work_queue import WorkQueue

log = logging.getLogger(__name__)

IAPI_PREFIX = "piu.iapi."


class IapiConsumer:
    """Answers the iAPI queues of the active carriers with the kind ``iapi`` (or
    of those named) until :meth:`stop`; run it in a thread or as ``piu intake iapi``."""

    def __init__(self, url: str, engine: Engine, settings: Settings, work: WorkQueue, *,
                 codes: Sequence[str] = (), prefix: str = IAPI_PREFIX,
                 dead_letter: str = DEAD_LETTER, threads: int = 4,
                 refresh_seconds: float = 30.0) -> None:  # fmt: skip
        self.url, self.engine, self.work = url, engine, work
        self.codes = {c.strip().upper() for c in codes}
        self.prefix, self.dead_letter = prefix, dead_letter
        self.threads, self.refresh_seconds = threads, refresh_seconds
        self.service = IapiService(engine, settings)  # one per process: its lists in memory
        self.counts: Counter[str] = Counter()  # answered, refused, unanswered, retried
        self._counting = threading.Lock()  # the pool's threads count together
        self._carriers: dict[str, Carrier] = {}
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="piu-iapi-amqp")
        self._stop = threading.Event()
        self._retry = Backoff(cap=5.0)
        self.connected = threading.Event()

    def queue_of(self, carrier: Carrier) -> str:
        return f"{self.prefix}{carrier.code.lower()}"

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            keep_connected(self._session, self._stop, self.connected, "AMQP iAPI")
        finally:
            # Answers still running find the connection gone: their requests go
            # back to the queue and are answered again, from the same record.
            self._pool.shutdown(wait=True)
            self.service.close()

    def _session(self, backoff: Backoff) -> None:
        conn = pika.BlockingConnection(parameters(self.url, "piu-iapi"))
        try:
            channel = conn.channel()
            # Enough in hand to keep every thread busy, not so many that a
            # request waits here past its deadline while another consumer idles.
            channel.basic_qos(prefetch_count=self.threads)
            consuming: dict[str, str] = {}  # carrier code -> consumer tag
            self._follow_carriers(conn, channel, consuming)
            backoff.reset()
            self.connected.set()
            next_refresh = time.monotonic() + self.refresh_seconds
            while not self._stop.is_set():
                conn.process_data_events(time_limit=0.2)
                if time.monotonic() >= next_refresh:
                    self._follow_carriers(conn, channel, consuming)
                    next_refresh = time.monotonic() + self.refresh_seconds
        finally:
            self.connected.clear()
            if conn.is_open:
                with suppress(*BROKER_ERRORS):  # already broken: nothing to close
                    conn.close()  # unacknowledged requests go back to their queues

    def _follow_carriers(self, conn: pika.BlockingConnection, channel: BlockingChannel,
                         consuming: dict[str, str]) -> None:  # fmt: skip
        """Consume the queue of every active carrier agreed for iAPI; stop on the
        others.  A database outage keeps the current consumers."""
        try:
            with self.engine.connect() as db:
                found = carrier_store.list_carriers(db)
        except (DBAPIError, OSError) as exc:
            log.warning("AMQP iAPI: cannot read carriers (%s); keeping %d queue(s)",
                        type(exc).__name__, len(consuming))  # fmt: skip
            return
        active = {c.code: c for c in found if c.active and c.may_send("iapi")
                  and (not self.codes or c.code in self.codes)}  # fmt: skip
        self._carriers = active
        for code in set(consuming) - set(active):
            channel.basic_cancel(consuming.pop(code))
            log.info("AMQP iAPI: carrier %s disabled or not agreed, queue no longer consumed",
                     code)  # fmt: skip
        for code, carrier in sorted(active.items()):
            if code in consuming:
                continue
            queue = self.queue_of(carrier)
            declare_intake(channel, queue, self.dead_letter)
            consuming[code] = channel.basic_consume(
                queue, lambda ch, method, props, body, code=code:
                self._on_message(conn, ch, method.delivery_tag, props, body, code))  # fmt: skip
            log.info("AMQP iAPI: consuming %s", queue)

    def _on_message(self, conn: pika.BlockingConnection, channel: BlockingChannel, tag: int,
                    props: pika.BasicProperties, body: bytes, code: str) -> None:  # fmt: skip
        carrier = self._carriers.get(code)
        if carrier is None:  # withdrawn since the delivery left the broker
            channel.basic_nack(tag, requeue=True)
            return
        self._pool.submit(self._answer, conn, channel, tag, props, body, carrier)

    def _answer(self, conn: pika.BlockingConnection, channel: BlockingChannel, tag: int,
                props: pika.BasicProperties, body: bytes, carrier: Carrier) -> None:  # fmt: skip
        """In a pool thread: the answer, then its publication on the connection's thread."""
        try:
            result = self.service.answer(body, carrier, self.work)
        except ForbiddenError as exc:  # the agreement withdrawn since the last refresh
            result = IapiAnswer(403, detail=exc.detail)
        except (DBAPIError, OSError, AMQPError) as exc:
            # The vault or the work queue is unreachable: the request goes back to
            # the queue untouched, and we slow down.
            self._count("retried")
            self._on_connection(conn, partial(channel.basic_nack, tag, requeue=True))
            delay = self._retry.next()
            log.warning("AMQP iAPI: request from %s not answered (%s); retrying in %.1f s",
                        carrier.code, type(exc).__name__, delay)  # fmt: skip
            time.sleep(delay)
            return
        except Exception as exc:  # a fault of ours: answered, kept for inspection
            log.error("AMQP iAPI: request from %s failed: %s", carrier.code, type(exc).__name__)
            result = IapiAnswer(500, detail="internal error; the request was kept for review")
        self._retry.reset()
        self._count("answered" if result.status == 200 else "refused")
        reply_to = props.reply_to or carrier.reply_queue
        if not reply_to:
            self._count("unanswered")
            log.info("AMQP iAPI: message %s from %s kept without an answer (no reply queue)",
                     result.message_id, carrier.code)  # fmt: skip
        self._on_connection(conn, partial(self._publish, channel, tag, reply_to,
                                          props.correlation_id, result))  # fmt: skip

    def _count(self, what: str) -> None:
        with self._counting:
            self.counts[what] += 1

    @staticmethod
    def _on_connection(conn: pika.BlockingConnection, call: Any) -> None:
        """Run ``call`` on the connection's thread; a connection gone since means
        the broker has the request back already."""
        with suppress(*BROKER_ERRORS, RuntimeError):
            conn.add_callback_threadsafe(call)

    def _publish(self, channel: BlockingChannel, tag: int, reply_to: str | None,
                 correlation_id: str | None, result: IapiAnswer) -> None:  # fmt: skip
        if not channel.is_open:
            return  # the request is redelivered on the next connection
        if reply_to:
            headers: dict[str, Any] = {"x-piu-status": result.status}
            if result.message_id is not None:
                headers["x-piu-message-id"] = result.message_id
            ok = result.status == 200
            channel.basic_publish("", reply_to, result.body if ok else
                                  (result.detail or "").encode(), pika.BasicProperties(
                content_type=CONTENT_TYPE if ok else "text/plain; charset=utf-8",
                correlation_id=correlation_id, headers=headers))  # fmt: skip
        if result.message_id is None and result.status != 200:
            channel.basic_reject(tag, requeue=False)  # not in the vault: dead-lettered
        else:
            channel.basic_ack(tag)
