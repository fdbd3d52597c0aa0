"""``piu``: the command line.  Each command parses its input, calls one service and
renders the result; errors from the core become a one-line message and an exit
code, never a traceback.

Exit codes: 0 done; 1 an operational failure (a file that cannot be read, the
database unreachable, a refused action); 2 bad input (a message that cannot be
parsed, a malformed argument).
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from openpiu import __version__, accounts, audit, formats
from openpiu.cli_carriers import carrier_app
from openpiu.cli_compliance import compliance_app
from openpiu.cli_criteria import criteria_app
from openpiu.cli_demo import demo
from openpiu.cli_ingest import files_of, ingest_files, report
from openpiu.cli_screening import alerts, match, screen, watchlist_app
from openpiu.cli_users import users_app
from openpiu.cli_views import (
    print_booking,
    print_flight,
    print_flights,
    print_messages,
    print_parsed_pnr,
)
from openpiu.cli_web import audit_app, serve
from openpiu.cli_worker import intake_app, worker
from openpiu.errors import ParseError, PiuError
from openpiu.formats.detect import detect
from openpiu.model import MessageKind
from openpiu.privacy.filter import filter_push
from openpiu.privacy.policy import load_policy
from openpiu.session import cli_actor, open_pipeline
from openpiu.settings import get_settings
from openpiu.store import db
from openpiu.views import parsed_json, parsed_pnr_json

app = typer.Typer(
    name="piu",
    help="openpiu: receive, keep and examine airline passenger data (API and PNR).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="user")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(criteria_app, name="criteria")
app.add_typer(audit_app, name="audit")
app.add_typer(carrier_app, name="carrier")
app.add_typer(intake_app, name="intake")
app.add_typer(compliance_app, name="compliance")
app.command()(worker)
app.command()(serve)
app.command()(screen)
app.command()(match)
app.command()(alerts)

# Piped output is read by scripts and people alike: keep tables wide enough.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"openpiu {__version__}")
        raise typer.Exit()


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for standard input.")],
) -> None:
    """Receive messages: keep each in the vault, then parse and store it."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN, accounts.Role.ANALYST, accounts.Role.CARRIER)
    summary = ingest_files(pipeline, actor, list(files_of(paths)), out, err)
    out.print(summary.line())
    if summary.unreadable:
        raise typer.Exit(1)


@app.command()
def parse(
    file: Annotated[str, typer.Argument(help="A message file, or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Parse one file without storing anything (exit 2 if it cannot be read)."""
    settings = get_settings()
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise PiuError(f"cannot read {file}: {exc.strerror or exc}", status=1) from None
    if len(raw) > settings.max_message_bytes:
        raise ParseError(
            f"message of {len(raw)} bytes exceeds the maximum of "
            f"{settings.max_message_bytes} bytes",
            status=413,
        )
    kind, type_name = detect(raw)
    if kind is MessageKind.UNKNOWN:
        raise ParseError(f"message type {type_name} is not supported")
    parsed = formats.parse(kind, raw, settings.max_message_bytes)
    if parsed.pushes:
        # Sensitive data is removed on receipt, even when nothing is stored.
        policy = load_policy(settings.privacy_policy)
        for push in parsed.pushes:
            filter_push(push, policy, None)
        result = parsed_pnr_json(parsed)
    else:
        result = parsed_json(parsed)
    if as_json:
        out.print(json.dumps(result, ensure_ascii=False, indent=2), markup=False)
        return
    if parsed.pushes:
        print_parsed_pnr(out, result)
        return
    for flight in result["flights"]:
        route = "-".join(leg["departure_airport"] or "?" for leg in flight["legs"][:1]) + (
            "-" + flight["legs"][-1]["arrival_airport"] if flight["legs"] else ""
        )
        out.print(f"flight {flight['id']} ({flight['designator']}) {route}", markup=False)
    roles = Counter(t["role"] for t in result["travellers"])
    out.print(
        f"{result['messages']} message(s), {roles['passenger']} passenger(s), {roles['crew']} crew",
        markup=False,
    )
    for warning in result["warnings"]:
        out.print(f"warning: {warning}", markup=False)


@app.command()
def flights() -> None:
    """One line per flight: ID, designator, route, departure (local), status, counts."""
    pipeline = open_pipeline()
    print_flights(out, pipeline.engine)


@app.command()
def flight(flight_id: Annotated[str, typer.Argument(help="e.g. ZZ123/2025-03-15")]) -> None:
    """The manifest of one flight, with its history of versions."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    print_flight(out, pipeline.engine, flight_id, actor)


@app.command()
def booking(
    locator: Annotated[str, typer.Argument(help="A record locator, e.g. ABC123")],
) -> None:
    """The booking(s) with this record locator, each with its versions and what changed."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    print_booking(out, pipeline.engine, locator, actor)


@app.command()
def messages(
    status: Annotated[
        str | None, typer.Option(help="received, held, processed or quarantined")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
) -> None:
    """Messages in the vault and what became of them."""
    pipeline = open_pipeline()
    print_messages(out, pipeline.engine, status, limit)


@app.command()
def reprocess(
    ids: Annotated[list[int] | None, typer.Argument(help="Message ids (default: all).")] = None,
) -> None:
    """Retry quarantined messages (after a fix), and finish any left unprocessed."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN, accounts.Role.ANALYST)
    outcomes = pipeline.process_pending() + pipeline.reprocess(ids or None)
    tally = Counter(o.status for o in outcomes)
    for outcome in outcomes:
        report(out, err, f"message {outcome.message_id}", outcome)
    with db.writer(pipeline.engine).begin() as conn:
        audit.record(
            conn,
            actor,
            "messages.reprocess",
            target_kind="message",
            target_ids=[o.message_id for o in outcomes if o.message_id],
            details=dict(tally),
        )
    out.print(
        f"reprocessed {len(outcomes)} message(s): "
        + (", ".join(f"{n} {s}" for s, n in sorted(tally.items())) or "nothing to do")
    )


@app.command()
def synth(
    folder: Annotated[Path, typer.Option("--out", help="Folder for the messages and truth.jsonl")],
    profile: Annotated[str, typer.Option(help="PIU profile: tajikistan or germany")] = "tajikistan",
    days: Annotated[int, typer.Option(min=1, help="How many days of traffic")] = 1,
    seed: Annotated[int, typer.Option(help="Same seed, same bytes")] = 1,
) -> None:
    """Write synthetic airline traffic (PAXLST, PNRGOV) with its ground truth."""
    from openpiu.synth.output import synth_main
    from openpiu.synth.planted import plant

    try:
        figures = synth_main(profile, days, folder, seed)
    except ValueError as exc:  # an unknown profile
        raise PiuError(str(exc)) from None
    for key, value in figures.items():
        out.print(f"{key}: {value}", markup=False)
    planted = plant(folder, seed)  # watchlists with known answers, under watchlists/
    out.print(f"planted: {planted}", markup=False)


app.command(name="demo")(demo)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest revision."""
    settings = get_settings()
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    out.print(f"database at revision {db.current_revision(engine)}")


def _exit_code(exc: PiuError) -> int:
    return 2 if isinstance(exc, ParseError) or exc.status in (400, 413, 422) else 1


def main(argv: list[str] | None = None) -> Any:
    """Entry point: one handler turns core errors into a message and an exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return app(args=argv, standalone_mode=False)
    except PiuError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(_exit_code(exc))
    except SQLAlchemyError as exc:
        first = str(exc.orig if hasattr(exc, "orig") and exc.orig else exc).splitlines()[0]
        err.print(f"error: database: {first}", markup=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as exc:
        # Usage errors (unknown command, bad option) come from click, which typer
        # vendors in recent releases: recognise them by shape, not by import.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise


if __name__ == "__main__":
    main()
