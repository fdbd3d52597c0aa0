"""``piu watchlist``, ``piu screen`` and ``piu match``: screening from the command line.

Stable commands (an independent evaluation calls them): their arguments and
output shapes are documented in the README and checked by the contract script.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, select

from openpiu import accounts, audit
from openpiu.errors import ParseError, PiuError
from openpiu.screening import Screener, match_pair
from openpiu.screening.batch import read_pairs, read_subjects, utf8_text
from openpiu.screening.types import Match
from openpiu.screening_service import load_watchlist
from openpiu.session import cli_actor, open_pipeline
from openpiu.store import alerts as alert_store
from openpiu.store import db
from openpiu.store import watchlists as store
from openpiu.store.db import writer
from openpiu.store.queries import flight_key
from openpiu.store.schema import flights

watchlist_app = typer.Typer(help="Load and list watchlists.", no_args_is_help=True)

out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _read(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise PiuError(f"cannot read {path}: {exc.strerror or exc}", status=1) from None


@watchlist_app.command("load")
def watchlist_load(
    file: Annotated[str, typer.Argument(help="The list file, or - for standard input.")],
    name: Annotated[str, typer.Option("--name", help="The list's name, e.g. un or national.")],
    fmt: Annotated[str, typer.Option("--format", help="un-xml, csv or ftm.")] = "un-xml",
) -> None:
    """Import a list as a new version (nothing is written when it did not change)."""
    raw = _read(file)
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    result = load_watchlist(pipeline.engine, actor, name, fmt, raw, file, datetime.now(UTC))
    if result.unchanged:
        out.print(
            f"{name}: unchanged, still version {result.version} ({result.entry_count} entries)"
        )
    else:
        out.print(
            f"{name}: version {result.version}, {result.entry_count} entries "
            f"(+{len(result.added)} added, ~{len(result.changed)} changed, "
            f"-{len(result.removed)} removed)"
        )
    if pipeline.rescreen_after_list_change(name, result):
        out.print(pipeline.last_rescreen_summary)


@watchlist_app.command("ls")
def watchlist_ls() -> None:
    """One line per list: name, current version, entries, loaded when and by whom."""
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        lists = store.list_watchlists(conn)
    if not lists:
        out.print("no watchlist loaded (piu watchlist load --name NAME --format FMT FILE)")
        return
    table = Table("name", "version", "entries", "format", "loaded (UTC)", "by")
    for info in lists:
        table.add_row(
            info.name,
            str(info.version),
            str(info.entry_count),
            info.format,
            info.loaded_at.strftime("%Y-%m-%d %H:%M"),
            info.loaded_by,
        )
    out.print(table)


@watchlist_app.command("diff")
def watchlist_diff(
    name: Annotated[str, typer.Argument(help="The list's name.")],
    version: Annotated[int | None, typer.Option(help="Version (default: the current one).")] = None,
) -> None:
    """Entries added, changed and removed by one version."""
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        if version is None:
            version, _ = store.current_entries(conn, name)
        changes = store.version_diff(conn, name, version)
    out.print(
        f"{name} version {version}: +{len(changes['added'])} "
        f"~{len(changes['changed'])} -{len(changes['removed'])}"
    )
    for kind, mark in (("added", "+"), ("changed", "~"), ("removed", "-")):
        for entry_id in changes[kind]:
            out.print(f"  {mark} {entry_id}", markup=False)


def _hit_json(subject_id: str, hit: Match, list_name: str, version: int) -> dict[str, object]:
    return {"id": subject_id, **hit.to_json(), "watchlist": list_name, "list_version": version}


def screen(
    watchlist: Annotated[str, typer.Option("--watchlist", help="A loaded list's name.")],
    input_file: Annotated[str, typer.Option("--input", help="Travellers: CSV or JSON lines.")],
    output: Annotated[str, typer.Option("--output", help="Hits, one JSON line each.")],
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Lowest score written (default: the review band's)."),
    ] = None,
) -> None:
    """Screen a file of travellers against a list; write the hits best first."""
    subjects = read_subjects(utf8_text(_read(input_file), input_file))
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN, accounts.Role.ANALYST)
    with pipeline.engine.connect() as conn:
        version, entries = store.current_entries(conn, watchlist)
    started = time.perf_counter()
    screener = Screener(entries)
    today = datetime.now(UTC).date()
    hits: list[tuple[int, dict[str, object]]] = []
    for order, subject in enumerate(subjects):
        for hit in screener.screen(subject, on=today, min_score=threshold):
            hits.append((order, _hit_json(subject.id, hit, watchlist, version)))
    hits.sort(key=lambda h: (-float(h[1]["score"]), h[0]))  # type: ignore[arg-type]
    try:
        with open(output, "w", encoding="utf-8") as fh:
            for _order, row in hits:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise PiuError(f"cannot write {output}: {exc.strerror or exc}", status=1) from None
    alerts = sum(1 for _o, h in hits if h["band"] == "alert")
    with db.writer(pipeline.engine).begin() as conn:
        audit.record(
            conn,
            actor,
            "screen.batch",
            target_kind="watchlist",
            target_ids=[watchlist],
            details={"travellers": len(subjects), "hits": len(hits), "alerts": alerts},
        )
    elapsed = time.perf_counter() - started
    err.print(
        f"{len(subjects)} traveller(s) screened against {watchlist} v{version} "
        f"in {elapsed:.1f} s: {alerts} alert(s), {len(hits) - alerts} review"
    )


def _print_match(left: str, right: str, result: Match) -> None:
    out.print(f"score {result.score:.3f}  band {result.band}", markup=False)
    table = Table("feature", "score", "weight", "traveller", "list", "why")
    for f in result.features:
        table.add_row(f.name, f"{f.score:.3f}", f"{f.weight:+.2f}", f.left, f.right, f.detail)
    if result.features:
        out.print(table)
    else:
        out.print(f"no name part of {left!r} matches {right!r}", markup=False)


def match(
    name_a: Annotated[str | None, typer.Argument(help="Traveller's name.")] = None,
    name_b: Annotated[str | None, typer.Argument(help="List entry's name.")] = None,
    dob_a: Annotated[str | None, typer.Option("--dob-a", help="YYYY[-MM[-DD]]")] = None,
    dob_b: Annotated[str | None, typer.Option("--dob-b", help="YYYY[-MM[-DD]]")] = None,
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs", help="CSV with pair_id,left,right: prints it back with score and band."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compare two names (and dates of birth) as traveller and list entry, explained."""
    if pairs is not None:
        _match_pairs(pairs)
        return
    if not name_a or not name_b:
        raise ParseError('give two names (piu match "NAME A" "NAME B") or --pairs FILE')
    result = match_pair(name_a, name_b, dob_a, dob_b)
    if as_json:
        out.print(json.dumps(result.to_json(), ensure_ascii=False, indent=2), markup=False)
    else:
        _print_match(name_a, name_b, result)


def _match_pairs(path: str) -> None:
    rows = list(read_pairs(utf8_text(_read(path), path)))
    fields = [k for k, _v in rows[0].row] if rows else ["pair_id", "left", "right"]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*fields, "score", "band"])
    for n, pair in enumerate(rows, start=1):
        result = match_pair(pair.left, pair.right, pair.dob_left, pair.dob_right)
        writer.writerow([*(v for _k, v in pair.row), f"{result.score:.4f}", result.band])
        if n % 10_000 == 0:
            err.print(f"{n} pairs", markup=False)


def print_alerts(
    console: Console, engine: Engine, actor: accounts.Actor, band: str | None, limit: int
) -> int:
    """The open alerts, strongest first, each with its reasons; returns how many."""
    accounts.require(actor, accounts.Role.ANALYST, accounts.Role.SUPERVISOR)
    with engine.connect() as conn:
        rows = alert_store.open_alerts(conn, band=band, limit=limit)
        keys = {
            fid: flight_key(carrier, number, day)
            for fid, carrier, number, day in conn.execute(
                select(flights.c.id, flights.c.carrier, flights.c.number, flights.c.flight_date)
                .where(flights.c.id.in_({r["flight_id"] for r in rows}))
            )
        }  # fmt: skip
    for row in rows:
        features = {f["name"]: f for f in row["features"]}
        name = features.get("name") or features.get("weak_alias") or features.get("document")
        traveller = name["left"] if name else "?"
        console.print(f"#{row['id']} {row['band'].upper()} {row['score']:.2f}  "
                      f"{keys.get(row['flight_id'], row['flight_id'])}  {traveller}  ~  "
                      f"{row['list_name']} {row['entry_ref'] or row['entry_id']} "
                      f"({row['matched_name']})", markup=False)  # fmt: skip
        for f in row["features"]:
            console.print(f"    {f['name']}: {f['detail']}", markup=False)
    with writer(engine).begin() as conn:
        audit.record(
            conn,
            actor,
            "alerts.view",
            target_kind="alert",
            target_ids=[r["id"] for r in rows],
            purpose="review queue",
        )
    return len(rows)


def alerts(
    band: Annotated[str | None, typer.Option(help="alert or review (default: both)")] = None,
    limit: Annotated[int, typer.Option(help="How many, strongest first")] = 50,
) -> None:
    """The review queue: open alerts, strongest first, with the reasons of each."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    if not print_alerts(out, pipeline.engine, actor, band, limit):
        out.print("no open alert")
