"""``piu compliance report``: carriers' pushes against their agreed schedule, and
the quality of their API data (see :mod:`openpiu.compliance` for the rules).

Counts, flights and carrier codes only: no personal data, so no audit event.
Without ``--carrier`` each carrier gets a summary and its flights with a late or
missing push; with it, every flight of that carrier is listed.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console

from openpiu import compliance
from openpiu.errors import PiuError
from openpiu.session import open_pipeline

compliance_app = typer.Typer(help="Carrier compliance.", no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)

_WORDS = {compliance.ON_TIME: "on time", compliance.LATE: "late", compliance.MISSING: "missing",
          compliance.UPCOMING: "upcoming", compliance.UNKNOWN: "unknown"}  # fmt: skip


@compliance_app.command("report")
def report(
    since: Annotated[str, typer.Option(help="Flights departing on or after this date, YYYY-MM-DD")],
    carrier: Annotated[str | None, typer.Option(help="One carrier's code")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Per carrier and flight: pushes expected, on time, late or missing; data quality."""
    try:
        first = date.fromisoformat(since.strip())
    except ValueError:
        raise PiuError(f"--since {since!r} is not a date like 2025-03-15", 422) from None
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        result = compliance.report(conn, first, datetime.now(UTC), carrier)
    if as_json:
        out.print(json.dumps(compliance.to_json(result), ensure_ascii=False, indent=2),
                  markup=False)  # fmt: skip
        return
    print_report(out, result, every_flight=carrier is not None)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def slot_text(s: compliance.Slot) -> str:
    text = f"{s.label} {_WORDS[s.status]}"
    if s.delay_minutes is not None:
        text += f" (+{s.delay_minutes} min)"
    return text


def print_report(console: Console, r: compliance.Report, *, every_flight: bool) -> None:
    scope = f" for {r.carrier}" if r.carrier else ""
    console.print(f"carrier compliance{scope}: flights since {r.since:%Y-%m-%d} "
                  f"(as of {r.generated_at:%Y-%m-%d %H:%M} UTC)", markup=False)  # fmt: skip
    if not r.carriers:
        console.print("no flights and no carriers in this period", markup=False)
    for c in r.carriers:
        account = "" if c.registered else ", no account: usual schedule assumed"
        console.print(f"\n{c.code} ({c.name}{account}): feed {c.feed_status}, "
                      f"{len(c.flights)} flights", markup=False)  # fmt: skip
        for kind, counts in c.slot_counts().items():
            agreed = ", ".join(compliance.slot_label(h) for h in c.schedule.get(kind, []))
            shown = ", ".join(f"{n} {_WORDS[s]}" for s, n in counts.items() if n)
            console.print(f"  {kind} ({agreed or 'no schedule'}): {shown or 'nothing expected'}",
                          markup=False)  # fmt: skip
        q, shares = c.quality(), c.shares()
        console.print(
            f"  API data: {q['travellers']} travellers; without document "
            f"{_share(shares['no_document'])}, without date of birth {_share(shares['no_dob'])}, "
            f"implausible date of birth {_share(shares['implausible_dob'])}, expired document "
            f"{_share(shares['expired_document'])}, unverified {_share(shares['unverified'])}",
            markup=False)  # fmt: skip
        events = ", ".join(f"{k} {n}" for k, n in sorted(c.events.items())) or "none"
        console.print(f"  refused {c.refused}, quarantined {c.quarantined}; events: {events}",
                      markup=False)  # fmt: skip
        for f in c.flights:
            bad = any(s.status in (compliance.LATE, compliance.MISSING) for s in f.slots)
            if not (every_flight or bad):
                continue
            dep = (
                f"{f.departure_utc:%Y-%m-%d %H:%M} UTC"
                if f.departure_utc
                else f"{f.flight_date:%Y-%m-%d} (time unknown: judged by the end of the day)"
            )
            slots = "; ".join(f"{s.kind} {slot_text(s)}" for s in f.slots) or f.status
            console.print(f"    {f.designator} {f.origin or '?'}-{f.destination or '?'} {dep}: "
                          f"{slots}; {f.quality.get('travellers', 0)} travellers",
                          markup=False)  # fmt: skip
