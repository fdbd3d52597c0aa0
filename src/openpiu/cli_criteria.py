"""``piu criteria``: write, check, approve, retire and backtest pre-determined criteria.

The acting user is the CLI's (see :mod:`openpiu.session`): ``add`` records them
as the author; ``approve`` needs a second person logged in as themselves
(``PIU_USER`` / ``PIU_PASSWORD``) and refuses the author.  A refused criterion
prints every problem with its line and rule and exits 2, never a traceback.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from openpiu import criteria_lifecycle as lifecycle
from openpiu.criteria import Criterion, load_criterion
from openpiu.criteria_backtest import backtest as run_backtest
from openpiu.errors import ParseError, PiuError
from openpiu.session import cli_actor, open_pipeline
from openpiu.store import criteria as store
from openpiu.store.criteria import VersionRow

criteria_app = typer.Typer(
    help="Pre-determined criteria: validate, add, approve, retire, backtest.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _read_text(path: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise PiuError(f"cannot read {path}: {exc.strerror or exc}", status=1) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _now() -> datetime:
    return datetime.now(UTC)


@criteria_app.command("validate")
def validate(
    file: Annotated[str, typer.Argument(help="A criterion's YAML, or - for stdin.")],
) -> None:
    """Check a criterion against the language and the guardrails (nothing is stored)."""
    criterion = lifecycle.validate(_read_text(file), file)
    out.print(
        f"{file}: valid: {criterion.id} ({criterion.title}), score {criterion.score}, "
        f"purpose {criterion.purpose}, review by {criterion.review_date}",
        markup=False,
    )


@criteria_app.command("add")
def add(file: Annotated[str, typer.Argument(help="A criterion's YAML, or - for stdin.")]) -> None:
    """Store a criterion as a new draft version, with you as its author."""
    text = _read_text(file)
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    added = lifecycle.add(pipeline.engine, actor, text, file, _now())
    row = added.version
    if not added.created:
        out.print(f"{row.ref}: the same text is already stored ({row.status})", markup=False)
        return
    out.print(f"added {row.ref} as a draft, author {row.author}; it fires once another "
              f"person approves it: piu criteria approve {row.ref}", markup=False)  # fmt: skip


@criteria_app.command("ls")
def list_criteria(
    every: Annotated[bool, typer.Option("--all", help="Every version, retired ones too.")] = False,
) -> None:
    """One line per criterion version: status, review date (flagged when past), who."""
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        rows = store.all_versions(conn)
    if not every:
        rows = _current(rows)
    if not rows:
        out.print("no criterion yet (piu criteria add FILE)")
        return
    today = _now().date()
    table = Table("criterion", "version", "status", "score", "review by", "author", "approver",
                  "title")  # fmt: skip
    flagged = 0
    for row in rows:
        review = row.review_date.isoformat()
        if row.overdue(today) and row.status != "retired":
            review += " OVERDUE"
            flagged += 1
        status = row.status + (" (not firing)" if row.status == "active" and
                               row.overdue(today) else "")  # fmt: skip
        title = row.title + (" [example]" if row.example else "")
        table.add_row(row.key, str(row.version), status, str(row.score), review, row.author,
                      row.approver or "-", title)  # fmt: skip
    out.print(table)
    if flagged:
        out.print(f"{flagged} version(s) past their review date: they do not fire; submit a "
                  "reviewed version with a new review_date and have it approved")  # fmt: skip


def _current(rows: list[VersionRow]) -> list[VersionRow]:
    """Per criterion: every live version, or its newest one when all are retired."""
    by_key: dict[str, list[VersionRow]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    shown = []
    for versions in by_key.values():
        live = [v for v in versions if v.status != "retired"]
        shown.extend(live or versions[-1:])
    return shown


@criteria_app.command("approve")
def approve(ref: Annotated[str, typer.Argument(help="KEY (newest version) or KEY@N.")]) -> None:
    """Approve a draft written by someone else and put it in force."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    row = lifecycle.approve(pipeline.engine, actor, ref, _now())
    out.print(f"{row.ref} approved by {row.approver} and active until its review on "
              f"{row.review_date}", markup=False)  # fmt: skip


@criteria_app.command("suspend")
def suspend(ref: Annotated[str, typer.Argument(help="KEY@N or KEY.")]) -> None:
    """Stop an active version firing (approve it again to resume)."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    row = lifecycle.suspend(pipeline.engine, actor, ref, _now())
    out.print(f"{row.ref} suspended", markup=False)


@criteria_app.command("retire")
def retire(ref: Annotated[str, typer.Argument(help="KEY (every live version) or KEY@N.")]) -> None:
    """Retire a criterion for good (its versions and alerts stay on record)."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    for row in lifecycle.retire(pipeline.engine, actor, ref, _now()):
        out.print(f"{row.ref} retired", markup=False)


@criteria_app.command("backtest")
def backtest(
    file: Annotated[str, typer.Argument(help="A criterion's YAML (or a stored KEY / KEY@N).")],
    since: Annotated[str, typer.Option("--since", help="First flight date, YYYY-MM-DD.")],
    top: Annotated[int, typer.Option(help="Rows shown per breakdown.")] = 10,
) -> None:
    """Run a criterion over stored history: hits, rates by route and carrier,
    precision on decided alerts, and the spread of hits for oversight."""
    try:
        first = date.fromisoformat(since)
    except ValueError:
        raise ParseError(f"--since {since!r}: expected a date, YYYY-MM-DD") from None
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    criterion = _criterion_for(pipeline.engine, file)
    report = run_backtest(pipeline.engine, actor, criterion, first)
    for line in report.lines(top):
        out.print(line, markup=False)


def _criterion_for(engine: object, ref: str) -> Criterion:
    if ref == "-" or Path(ref).exists():
        return lifecycle.validate(_read_text(ref), ref)
    with engine.connect() as conn:  # type: ignore[attr-defined]
        try:
            row = store.find(conn, ref)
        except PiuError:
            raise PiuError(f"{ref}: no such file, nor a stored criterion", status=1) from None
    return load_criterion(row.yaml, source=row.ref)
