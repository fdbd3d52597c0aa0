"""``piu serve`` (the analyst application), the demo's accounts, and
``piu audit export``.

The demo gives each role one account with a password generated on every run and
printed once: there is no default password anywhere, and a demo store copied
elsewhere keeps no password that was ever printed twice.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from openpiu import accounts, audit
from openpiu.accounts import Role
from openpiu.session import cli_actor, open_pipeline
from openpiu.settings import get_settings
from openpiu.store import db

DEMO_USERS = (
    ("analyst", (Role.ANALYST,)),
    ("supervisor", (Role.SUPERVISOR,)),
    ("watchlists", (Role.WATCHLIST_MANAGER,)),
    ("dpo", (Role.DPO,)),
    ("auditor", (Role.AUDITOR,)),
    ("admin", (Role.ADMIN,)),
)

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)


def demo_accounts(engine: Engine, operator: accounts.Actor) -> list[tuple[str, str, str]]:
    """(name, roles, password) of the demo's web accounts, each with a new password."""
    made = []
    with db.writer(engine).begin() as conn:
        known = {u.username for u in accounts.list_users(conn)}
        for name, roles in DEMO_USERS:
            username = f"demo-{name}"
            password = accounts.generate_password()
            if username in known:
                accounts.set_password(conn, username, password)
                action = "user.password_reset"
            else:
                accounts.create_user(conn, username, password, roles, created_by=operator.name)
                action = "user.create"
            audit.record(conn, operator, action, target_kind="user", target_ids=[username],
                         details={"roles": [r.value for r in roles]})  # fmt: skip
            made.append((username, ",".join(r.value for r in roles), password))
    return made


def serve_app(host: str | None = None, port: int | None = None) -> None:
    """Run the analyst application until interrupted."""
    import uvicorn

    from openpiu.web import create_app

    settings = get_settings()
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.web_host, port=port or settings.web_port,
                log_level="warning", access_log=False, proxy_headers=False)  # fmt: skip


def serve(
    host: Annotated[str | None, typer.Option(help="Address (default PIU_WEB_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PIU_WEB_PORT)")] = None,
) -> None:
    """Serve the analyst application (web UI and REST API at /api/v1, docs at /docs)."""
    settings = get_settings()
    Console(stderr=True).print(
        f"openpiu at http://{host or settings.web_host}:{port or settings.web_port} "
        "(Ctrl-C stops)", highlight=False)  # fmt: skip
    serve_app(host, port)


@audit_app.command("export")
def export(
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD), UTC")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default stdout)")
                      ] = None,
) -> None:
    """Write the audit trail from a day on as JSON lines, with each event's hash, so
    the chain can be checked outside (``prev_hash`` of each line = ``hash`` of the
    one before)."""
    from openpiu.errors import PiuError

    try:
        day = date.fromisoformat(since)
    except ValueError:
        raise PiuError(f"--since wants a date as YYYY-MM-DD, not {since!r}", 422) from None
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, Role.AUDITOR, Role.DPO, Role.ADMIN)
    start = datetime.combine(day, time(), tzinfo=UTC)
    with db.writer(pipeline.engine).begin() as conn:
        ok, broken = audit.verify(conn)
        events = audit.events(conn, since=start, limit=None)
        audit.record(conn, actor, "audit.exported", details={"since": day.isoformat(),
                                                            "events": len(events)})  # fmt: skip
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for e in events:
            sink.write(json.dumps({
                "id": e.id, "at": e.at.isoformat(), "actor": e.actor,
                "actor_roles": list(e.actor_roles), "action": e.action,
                "target_kind": e.target_kind, "target_ids": e.target_ids, "purpose": e.purpose,
                "details": e.details, "prev_hash": e.prev_hash, "hash": e.hash,
            }, ensure_ascii=False) + "\n")  # fmt: skip
    finally:
        if output:
            sink.close()
    state = "intact" if ok else f"BROKEN at event {broken}"
    Console(stderr=True).print(f"{len(events)} event(s) since {day}; chain {state}",
                               highlight=False)  # fmt: skip
