"""Synthetic-traffic generator benchmark: travellers/s written to disk, one core.

    .venv/bin/python bench/synth.py [--profile tajikistan] [--days 1] [--seed 1]
                                    [--no-quirks] [--profile-top N]

Generates the profile's traffic (PAXLST passenger and crew lists, PNRGOV pushes at
T-72, T-24 and closure, the ground truth) into a temporary folder and prints the
rate, where a traveller is one booked passenger seat (each is written to one
PAXLST and two or three PNRGOV pushes).  The issue's floor is 5,000 travellers/s.
It also prints where the time goes (planning, model building, each writer, file
and truth I/O), and with ``--profile-top`` the heaviest functions under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpiu.synth.messages as messages
import openpiu.synth.output as output
from openpiu.synth.pnr_edi import FlightPnr
from openpiu.synth.profiles import get_profile
from openpiu.synth.traffic import Traffic

FLOOR = 5000.0


def _timed(owner: Any, name: str, acc: dict[str, float], label: str = "") -> None:
    """Wrap ``owner.name`` to add its wall time to ``acc[label or name]``."""
    inner: Callable[..., Any] = getattr(owner, name)
    label = label or name

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            acc[label] += time.perf_counter() - began

    setattr(owner, name, wrapper)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="tajikistan")
    ap.add_argument("--days", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-quirks", action="store_true", help="all quirk rates at zero")
    ap.add_argument("--profile-top", type=int, default=0, help="cProfile, N top functions")
    args = ap.parse_args(argv)
    profile = get_profile(args.profile)
    quirks = output.Quirks.none() if args.no_quirks else output.Quirks()
    with tempfile.TemporaryDirectory(prefix="piu-synth-") as tmp:
        out = Path(tmp) / "out"
        # The plain run first: the breakdown's wrappers cost a little themselves.
        began = time.perf_counter()
        result = output.generate(profile, args.days, out, args.seed, quirks=quirks)
        seconds = time.perf_counter() - began
        acc: dict[str, float] = defaultdict(float)
        for name in ("write_paxlst", "write_paxlst_parts", "write_pnrgov_xml"):
            _timed(output, name, acc)
        # PNRGOV EDIFACT is written straight from the plan; the XML habit's pushes
        # go through the model first (messages.push).
        _timed(FlightPnr, "push", acc, "pnrgov (edifact)")
        _timed(messages, "push", acc, "push (xml model)")
        for name in ("passenger_list", "crew_list"):
            _timed(messages, name, acc)
        _timed(Traffic, "plan", acc)
        again = time.perf_counter()
        if args.profile_top:
            prof = cProfile.Profile()
            prof.runcall(
                output.generate, profile, args.days, Path(tmp) / "again", args.seed, quirks=quirks
            )
        else:
            output.generate(profile, args.days, Path(tmp) / "again", args.seed, quirks=quirks)
        total = time.perf_counter() - again
    rate = result["travellers"] / seconds
    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    print(
        f"profile {profile.name}, {args.days} day(s), seed {args.seed}, "
        f"quirks {'off' if args.no_quirks else 'default'}"
    )
    print(
        f"{result['flights']} flights, {result['travellers']} travellers "
        f"(+{result['crew']} crew), {result['bookings']} bookings, {result['files']} files, "
        f"{result['bytes'] / 1e6:.1f} MB"
    )
    print(
        f"{seconds:.2f} s: {rate:,.0f} travellers/s "
        f"({'meets' if rate >= FLOOR else 'BELOW'} the {FLOOR:,.0f}/s floor)"
    )
    if not args.profile_top:
        # The first run also loads airportsdata and fills the caches; the second
        # shows the steady rate (it carries the small cost of the timing wrappers).
        print(f"warm run: {total:.2f} s: {result['travellers'] / total:,.0f} travellers/s")
    print("where the time goes (second run, wrapped):")
    accounted = 0.0
    for name, spent in sorted(acc.items(), key=lambda kv: -kv[1]):
        accounted += spent
        print(f"  {name:<20} {spent:6.2f} s  {100 * spent / total:5.1f} %")
    rest = total - accounted
    print(f"  {'files, truth, quirks':<20} {rest:6.2f} s  {100 * rest / total:5.1f} %")
    if args.profile_top:
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile_top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
