"""``piu demo``: a day of synthetic traffic, received as a PIU would receive it.

On the first run a day of traffic for the Tajikistan profile is generated under
``./demo-data`` (or ``--data``); every run then ingests it into the configured
store (a second run finds duplicates and changes nothing) and prints what the
PIU now holds.  The planted demo watchlists are loaded first, so every
traveller is screened as the traffic arrives, and the strongest alerts are
shown with their reasons.  The example criteria are put in force too (written
by one demo account, approved by another), and their alerts are shown beside
the watchlist alerts.  Then each role gets a demo account with a password made
for this run, and the analyst application is served (``--no-serve`` stops
before that).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine, func, select

from openpiu import accounts
from openpiu.cli_demo_criteria import install_examples, planted_line, print_criteria_alerts
from openpiu.cli_ingest import files_of, ingest_files
from openpiu.cli_screening import print_alerts
from openpiu.cli_web import demo_accounts, serve_app
from openpiu.screening_service import load_watchlist
from openpiu.session import cli_actor, open_pipeline
from openpiu.settings import get_settings
from openpiu.store import alerts as alert_store
from openpiu.store import queries
from openpiu.store.schema import alerts, booking_flights, bookings, flights, persons


def demo(
    data: Annotated[Path, typer.Option("--data", help="Where the demo traffic lives")] = Path(
        "demo-data"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the generated day")] = 1,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Set up, print the summary and logins, and exit")
    ] = False,
) -> None:
    """Generate (first run) and ingest a day of synthetic traffic, then summarise."""
    from openpiu.cli import err, out

    if not (data / "truth.jsonl").exists():
        from openpiu.synth.output import synth_main
        from openpiu.synth.planted import plant

        out.print(f"generating a day of traffic under {data} (seed {seed}) ...")
        figures = synth_main("tajikistan", 1, data, seed)
        plant(data, seed)  # the demo watchlists, for screening when it lands
        out.print(
            f"  {figures['flights']} flights, {figures['travellers']} travellers, "
            f"{figures['bookings']} bookings, {figures['files']} files "
            f"in {figures['seconds']} s"
        )
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN, accounts.Role.ANALYST)
    folders = [str(data / name) for name in ("paxlst", "pnrgov") if (data / name).is_dir()]
    _load_demo_lists(pipeline.engine, actor, data / "watchlists")
    refs = install_examples(pipeline.engine, actor, datetime.now(UTC))
    out.print(f"criteria in force: {', '.join(refs)} (examples; written by demo-author, "
              "approved by demo-approver)")  # fmt: skip
    summary = ingest_files(pipeline, actor, list(files_of(folders)), _Quiet(out), err, "demo")
    out.print(summary.line())
    _print_summary(out, pipeline.engine)
    shown = print_alerts(out, pipeline.engine, actor, "alert", 8)
    if shown:
        out.print("(the first alerts, strongest first; all of them: piu alerts)")
    if print_criteria_alerts(out, pipeline.engine, actor, 4):
        out.print("(the first criteria alerts; every hit is reviewed by a person)")
    line = planted_line(pipeline.engine, data / "watchlists")
    if line:
        out.print(line)
    out.print("demo accounts (new passwords on every run, shown only here):")
    for username, roles, password in demo_accounts(pipeline.engine, actor):
        out.print(f"  {username:<16} {password}  ({roles})")
    if not no_serve:
        settings = get_settings()
        out.print(f"analyst application: http://{settings.web_host}:{settings.web_port} "
                  "(sign in as demo-analyst; Ctrl-C stops)")  # fmt: skip
        serve_app()


DEMO_LISTS = (("national", "national_watchlist.csv"), ("lost-stolen", "lost_stolen.csv"))


def _load_demo_lists(engine: Engine, actor: accounts.Actor, folder: Path) -> None:
    """The planted demo watchlists, loaded before the traffic so that every
    traveller is screened on arrival, as in a PIU."""
    from openpiu.cli import out

    for name, file in DEMO_LISTS:
        path = folder / file
        if not path.exists():
            continue
        result = load_watchlist(
            engine, actor, name, "csv", path.read_bytes(), str(path), datetime.now(UTC)
        )
        state = "unchanged" if result.unchanged else "loaded"
        out.print(
            f"watchlist {name}: {state}, version {result.version}, {result.entry_count} entries"
        )


class _Quiet(Console):
    """Per-file lines of a demo ingest would be hundreds: keep only the summary."""

    def __init__(self, inner: Console) -> None:
        super().__init__(file=inner.file, highlight=False, soft_wrap=True, quiet=True)


def _print_summary(out: Console, engine: object) -> None:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        counts = queries.message_counts(conn)
        n_flights = conn.scalar(select(func.count()).select_from(flights)) or 0
        n_persons = conn.scalar(select(func.count()).select_from(persons)) or 0
        n_bookings = conn.scalar(select(func.count()).select_from(bookings)) or 0
        on_flight = (
            conn.scalar(
                select(func.count())
                .select_from(booking_flights)
                .where(booking_flights.c.status == "on_flight")
            )
            or 0
        )
        rows = queries.list_flights(conn)
    passengers = sum(f.passengers for f in rows)
    crew = sum(f.crew for f in rows)
    out.print(
        f"flights: {n_flights}; on their manifests: {passengers} passengers, {crew} crew; "
        f"persons known: {n_persons}"
    )
    out.print(f"bookings: {n_bookings} ({on_flight} on a flight now)")
    out.print(
        f"messages: received {counts['received']} = processed {counts['processed']} + "
        f"duplicate {counts['duplicate']} + quarantined {counts['quarantined']}"
        + (f" + held {counts['held']}" if counts["held"] else "")
        + f"; rejected before the vault: {counts['rejected']}"
    )
    with engine.connect() as conn:  # type: ignore[attr-defined]
        by_band = Counter[str]()
        for (_status, band), n in alert_store.alert_counts(conn).items():
            by_band[band] += n
        per_source = select(alerts.c.source, func.count()).group_by(alerts.c.source)
        by_source = Counter[str](dict(conn.execute(per_source).all()))
    criteria_hits = by_source["criterion"]
    out.print(
        f"screening: {by_band['alert']} alert(s) for an analyst, "
        f"{by_band['review'] - criteria_hits} weaker hit(s) in the review band; "
        f"criteria: {criteria_hits} hit(s) for review"
    )
