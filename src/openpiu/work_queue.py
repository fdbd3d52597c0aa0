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
from typing import Protocol

from sqlalchemy import Engine

from openpiu.settings import Settings

log = logging.getLogger(__name__)


class WorkQueue(Protocol):
    def submit(self, message_id: int) -> None: ...

    def close(self) -> None: ...


class InProcessQueue:
    """One background thread running the pipeline on submitted message ids."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._ids: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="piu-work", daemon=True)
                self._thread.start()

    def submit(self, message_id: int) -> None:
        self._start()
        self._ids.put(message_id)

    def join(self) -> None:
        """Wait until every submitted id is processed (tests, shutdown)."""
        self._ids.join()

    def close(self) -> None:
        if self._thread is not None:
            self._ids.put(None)
            self._thread.join(timeout=30)

    def _run(self) -> None:
        from openpiu.pipeline import Pipeline

        pipeline = Pipeline(self.engine, self.settings)
        while True:
            message_id = self._ids.get()
            try:
                if message_id is None:
                    return
                pipeline.process(message_id)
            except Exception as exc:  # the message stays in the vault as received
                log.error("processing message %s failed: %s", message_id, type(exc).__name__)
            finally:
                self._ids.task_done()


def open_queue(settings: Settings, engine: Engine) -> WorkQueue:
    if not settings.queue_url:
        return InProcessQueue(settings, engine)
    from openpiu.amqp import AmqpWorkQueue  # RabbitMQ: piu worker processes the ids

    return AmqpWorkQueue(settings.queue_url)
