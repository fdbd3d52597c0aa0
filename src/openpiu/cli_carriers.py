"""``piu carrier``: the carriers (and service providers) that push messages."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from openpiu import accounts, audit, carriers
from openpiu.session import cli_actor, open_pipeline
from openpiu.store import db

carrier_app = typer.Typer(help="Carriers: identity, message kinds, routes, schedule, token.",
                          no_args_is_help=True)  # fmt: skip
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


@carrier_app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="IATA code or provider id, e.g. ZZ or SITA1")],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Repeat: paxlst, pnrgov, iapi (default paxlst and pnrgov)")] = None,
    route: Annotated[list[str] | None, typer.Option(
        "--route", help="Repeat: an airport (DYU) or country (TJ) served; none = any")] = None,
    schedule: Annotated[str | None, typer.Option(
        help="Agreed pushes, hours before departure: pnrgov=72,24,0;paxlst=0 (the default)")
    ] = None,
    reply_url: Annotated[str | None, typer.Option(help="Callback URL for unsolicited CUSRES")
                         ] = None,
    reply_queue: Annotated[str | None, typer.Option(help="Or an AMQP queue for them")] = None,
) -> None:
    """Register a carrier; its API token is printed once."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN)
    now = datetime.now(UTC)
    with db.writer(pipeline.engine).begin() as conn:
        carrier, token = carriers.add(
            conn, code, name, kinds=kind or ["paxlst", "pnrgov"], routes=route or [],
            schedule=carriers.parse_schedule(schedule), reply_url=reply_url,
            reply_queue=reply_queue, created_by=actor.name, at=now)  # fmt: skip
        audit.record(conn, actor, "carrier.added", target_kind="carrier",
                     target_ids=[carrier.code], details={"kinds": list(carrier.kinds)})
    out.print(f"carrier {carrier.code} ({carrier.name}): {', '.join(carrier.kinds)}; "
              f"AMQP intake queue {carrier.intake_queue}")  # fmt: skip
    out.print(f"token: {token}")
    out.print("(shown once; send it as 'Authorization: Bearer TOKEN' to POST /api/v1/messages)")


@carrier_app.command("ls")
def list_() -> None:
    """The carriers, their kinds, routes, schedule and reply channel (never tokens)."""
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        found = carriers.list_carriers(conn)
    if not found:
        out.print("no carriers yet: piu carrier add CODE")
    for c in found:
        schedule = ";".join(f"{k}={','.join(f'{h:g}' for h in v)}" for k, v in c.schedule.items())
        state = "active" if c.active else "disabled"
        token = f"token since {c.token_created_at:%Y-%m-%d}" if c.token_created_at else "no token"
        out.print(f"{c.code}\t{c.name}\t{','.join(c.kinds)}\troutes "
                  f"{','.join(c.routes) or 'any'}\t{schedule}\t"
                  f"{c.reply_url or c.reply_queue or 'no reply channel'}\t{state}\t{token}")


@carrier_app.command("rotate-token")
def rotate_token(code: str) -> None:
    """Make a new token; the old one stops working at once."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN)
    with db.writer(pipeline.engine).begin() as conn:
        token = carriers.rotate_token(conn, code, datetime.now(UTC))
        audit.record(conn, actor, "carrier.token_rotated", target_kind="carrier",
                     target_ids=[code.upper()])
    out.print(f"token: {token}")
    out.print("(shown once; the previous token no longer works)")
