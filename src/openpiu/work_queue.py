"""Where work goes between intake and processing.

``open_queue(settings, engine)`` gives the in-process queue of one machine (a
thread that processes each message id handed to it) when ``PIU_QUEUE_URL`` is
empty, else the RabbitMQ queue that ``piu worker`` processes consume.  Intake
calls ``submit(message_id)`` after the message is committed to the vault; a
message whose submission is lost is still in the vault as ``received`` and is
picked up by ``process_pending`` at the next start, so nothing is lost.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from openpiu.settings import Settings

log = logging.getLogger(__name__)
DELIVERY_SECONDS = 5.0  # how often an idle queue thread sends due outbound messages


class WorkQueue(Protocol):
    def submit(self, message_id: int) -> None: ...

    def close(self) -> None: ...


class InProcessQueue:
    """One background thread running the pipeline on submitted message ids.

    One thread is enough and right for the embedded store: SQLite takes one writer
    at a time.  A message whose processing fails because the store is unreachable
    is retried with a growing pause (the store comes back, work resumes); any
    other failure leaves it ``received`` in the vault for :meth:`resume`."""

    # Pauses between attempts while the store is unreachable (seconds).
    RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._ids: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="piu-work", daemon=True)
                self._thread.start()

    def submit(self, message_id: int) -> None:
        self._start()
        self._ids.put(message_id)

    def resume(self) -> int:
        """Submit every message left ``received`` in the vault (the process stopped
        before processing it, or its submission was lost); returns how many.  Call
        once at start; submitting an id twice is harmless (processing claims it)."""
        from openpiu.store.vault import Vault

        self._start()  # also sends due unsolicited CUSRES while idle (see _run)
        pending = Vault(self.engine).pending()
        for message_id in pending:
            self.submit(message_id)
        if pending:
            log.info("resumed %d message(s) left unprocessed", len(pending))
        return len(pending)

    def join(self) -> None:
        """Wait until every submitted id is processed (tests, shutdown)."""
        self._ids.join()

    def close(self) -> None:
        self._closing.set()
        if self._thread is not None:
            self._ids.put(None)
            self._thread.join(timeout=30)

    def _run(self) -> None:
        from openpiu.pipeline import Pipeline

        pipeline = Pipeline(self.engine, self.settings)
        while True:
            try:
                message_id = self._ids.get(timeout=DELIVERY_SECONDS)
            except queue.Empty:
                # Idle: what the outbound log says is due goes out (one machine has
                # no piu worker to do it).
                from openpiu.worker import deliver_outbound

                deliver_outbound(self.engine, self.settings)
                continue
            try:
                if message_id is None:
                    return
                self._process(pipeline, message_id)
            finally:
                self._ids.task_done()

    def _process(self, pipeline: Any, message_id: int) -> None:
        for pause in (*self.RETRY_PAUSES, None):
            try:
                pipeline.process(message_id)
                return
            except (OperationalError, InterfaceError, OSError) as exc:
                if pause is None or self._closing.wait(pause):
                    log.error("store unreachable, message %s left for resume: %s",
                              message_id, type(exc).__name__)
                    return
                log.warning("store unreachable processing message %s (%s); retrying",
                            message_id, type(exc).__name__)
            except Exception as exc:  # the message stays in the vault as received
                log.error("processing message %s failed: %s", message_id, type(exc).__name__)
                return


def open_queue(settings: Settings, engine: Engine) -> WorkQueue:
    if not settings.queue_url:
        return InProcessQueue(settings, engine)
    from openpiu.amqp import AmqpWorkQueue  # RabbitMQ: piu worker processes the ids

    return AmqpWorkQueue(settings.queue_url)
