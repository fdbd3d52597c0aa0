"""``piu worker``, ``piu intake amqp`` and ``piu intake iapi``: the long-running
RabbitMQ processes.

Both need ``PIU_QUEUE_URL`` (amqp://user:password@host:5672/) and run until
SIGTERM or Ctrl-C; then they close the broker connection, which hands any
delivery not yet acknowledged back to its queue.
"""

from __future__ import annotations

import logging
import signal
from typing import Annotated, Any

import typer
from rich.console import Console

from openpiu import carriers
from openpiu.amqp import DEAD_LETTER, WORK_QUEUE, AmqpWorkQueue, IntakeConsumer
from openpiu.errors import ConfigError
from openpiu.iapi_amqp import IapiConsumer
from openpiu.session import open_pipeline
from openpiu.settings import get_settings
from openpiu.work_queue import open_queue
from openpiu.worker import Worker

intake_app = typer.Typer(help="Network intake consumers.", no_args_is_help=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _queue_url() -> str:
    url = get_settings().queue_url
    if not url:
        raise ConfigError("PIU_QUEUE_URL is not set: give the RabbitMQ URL, "
                          "e.g. amqp://user:password@host:5672/")  # fmt: skip
    return url


def _run_until_signal(runner: Any) -> None:
    """Our own log lines at INFO; pika's reconnect noise stays out (we log each
    reconnection once, without the broker's address or credentials)."""
    logging.getLogger("openpiu").setLevel(logging.INFO)
    logging.getLogger("pika").setLevel(logging.CRITICAL)

    def stop(_signum: int, _frame: object) -> None:
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.run()


def worker(
    prefetch: Annotated[int, typer.Option(min=1, help="Deliveries taken ahead (default 1)")] = 1,
    queue: Annotated[str, typer.Option(help="Work queue name")] = WORK_QUEUE,
    sweep_seconds: Annotated[float, typer.Option(
        min=1, help="Seconds between housekeeping sweeps")] = 60.0,
) -> None:
    """Process messages from the work queue (RabbitMQ) until stopped."""
    url = _queue_url()
    pipeline = open_pipeline()
    runner = Worker(url, pipeline.engine, pipeline.settings, queue=queue, prefetch=prefetch,
                    sweep_seconds=sweep_seconds)  # fmt: skip
    err.print(f"worker on {queue} (prefetch {prefetch}); SIGTERM or Ctrl-C stops")
    _run_until_signal(runner)
    err.print(f"worker stopped: {_summary(runner.counts)}")


@intake_app.command("amqp")
def intake_amqp(
    carrier: Annotated[list[str] | None, typer.Option(
        "--carrier", help="Repeat: consume only these carriers' queues (default all active)")
    ] = None,
    prefetch: Annotated[int, typer.Option(min=1, help="Deliveries taken ahead")] = 20,
    work_queue: Annotated[str, typer.Option(help="Work queue name")] = WORK_QUEUE,
    dead_letter: Annotated[str, typer.Option(help="Dead-letter exchange and queue")
                           ] = DEAD_LETTER,
) -> None:
    """Take raw messages from carriers' queues piu.intake.<code> into the vault."""
    url = _queue_url()
    pipeline = open_pipeline()
    codes = _checked_carriers(pipeline.engine, carrier)
    work = AmqpWorkQueue(url, work_queue)
    runner = IntakeConsumer(url, pipeline.engine, pipeline.settings, work, codes=codes,
                            dead_letter=dead_letter, prefetch=prefetch)  # fmt: skip
    err.print(f"AMQP intake for {', '.join(codes) or 'every active carrier'}; "
              "SIGTERM or Ctrl-C stops")
    try:
        _run_until_signal(runner)
    finally:
        work.close()
    err.print(f"intake stopped: {_summary(runner.counts)}")


@intake_app.command("iapi")
def intake_iapi(
    carrier: Annotated[list[str] | None, typer.Option(
        "--carrier", help="Repeat: answer only these carriers' queues (default all agreed)")
    ] = None,
    threads: Annotated[int, typer.Option(min=1, help="Requests answered at once")] = 4,
    dead_letter: Annotated[str, typer.Option(help="Dead-letter exchange and queue")
                           ] = DEAD_LETTER,
) -> None:
    """Answer check-in PAXLSTs on carriers' queues piu.iapi.<code> with a CUSRES
    (to the request's reply_to, with its correlation_id)."""
    url = _queue_url()
    pipeline = open_pipeline()
    codes = _checked_carriers(pipeline.engine, carrier, kind="iapi")
    work = open_queue(pipeline.settings, pipeline.engine)  # piu.work: piu worker processes
    runner = IapiConsumer(url, pipeline.engine, pipeline.settings, work, codes=codes,
                          dead_letter=dead_letter, threads=threads)  # fmt: skip
    err.print(f"AMQP iAPI for {', '.join(codes) or 'every carrier agreed for it'}; "
              "SIGTERM or Ctrl-C stops")
    try:
        _run_until_signal(runner)
    finally:
        work.close()
    err.print(f"iAPI stopped: {_summary(runner.counts)}")


def _checked_carriers(engine: Any, named: list[str] | None, kind: str | None = None
                      ) -> list[str]:  # fmt: skip
    """The carrier codes asked for, each known, active (and agreed for ``kind``)."""
    codes = [c.strip().upper() for c in named or []]
    with engine.connect() as conn:
        known = {c.code: c for c in carriers.list_carriers(conn)}
    for code in codes:
        if code not in known:
            raise ConfigError(f"no carrier {code!r}: piu carrier ls lists them")
        if not known[code].active:
            raise ConfigError(f"carrier {code} is disabled")
        if kind and not known[code].may_send(kind):
            raise ConfigError(f"carrier {code} is not agreed for {kind}")
    eligible = [c for c in known.values() if c.active and (not kind or c.may_send(kind))]
    if not eligible:
        err.print(f"no active carrier{' agreed for ' + kind if kind else ''} yet: "
                  "new carriers are picked up within a minute")
    return codes


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing done"
