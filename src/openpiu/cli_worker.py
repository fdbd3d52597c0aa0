"""``piu worker`` and ``piu intake amqp`` (being written)."""

from __future__ import annotations

import typer

intake_app = typer.Typer(help="Network intake consumers.", no_args_is_help=True)


def worker() -> None:
    """Process messages from the work queue (RabbitMQ) until stopped."""
    raise typer.Exit(1)
