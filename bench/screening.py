"""Watchlist screening speed: index build, memory, travellers/s, latency, candidates.

    .venv/bin/python bench/screening.py [--travellers 20000] [--entries 1000000]
        [--seed 1] [--common-cap 1000] [--quick] [--json] [--skip-un] [--skip-big]
        [--profile-top N] [--csv-out FILE]

One core (plain CPython, one thread).  Travellers are drawn from the Central
Asian (Tajikistan) traffic profile by the traffic generator itself
(:class:`openpiu.synth.traffic.Traffic`), so their names come with the
traffic's real frequencies; each is screened by passport name, date of birth,
nationality, gender and passport number, as API data gives them.

(a) **UN list** (``shared/data/un_consolidated_2026-02-27.xml``; skipped, with a
    message, when the shared folder is absent; ``PIU_SHARED_DIR`` overrides
    ``../shared``): index build time, travellers/s, latency mean/p50/p99,
    candidates per query mean/p99, alert and review counts.  Floor: 2,000/s.
(b) **Synthetic list** of ``--entries`` persons (default 1,000,000) with the same
    name frequencies (:func:`openpiu.synth.biglist.synthetic_watchlist`): list
    generation time, index build time (floor 120 s), index memory (floor 2 GiB),
    travellers/s (floor 500), latency p99 (floor 20 ms), candidates per query.

Each list is screened twice with the same travellers: the first pass starts
with the index's caches empty, the second shows the warm rate.  Memory is the
process's resident set (``/proc/self/statm``; the peak from
``resource.getrusage``): "index" is the growth while the index is built, the
entries already in memory (the list's own data, held by any loader).
``--quick`` is a CI smoke run (50,000 entries, 2,000 travellers); the floors are
then shown but not meant to be judged.  ``--profile-top N`` re-runs each failing
part under cProfile and prints its N heaviest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import shlex
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpiu.screening import Screener, Subject
from openpiu.screening.entries import WatchlistEntry
from openpiu.synth.biglist import synthetic_watchlist, write_watchlist_csv
from openpiu.synth.profiles import get_profile
from openpiu.synth.traffic import Traffic

GIB = 1024**3
UN_FILE = "un_consolidated_2026-02-27.xml"
FLOORS = {  # name -> (limit, "min" or "max", unit)
    "un_travellers_per_s": (2000.0, "min", "/s"),
    "big_build_s": (120.0, "max", "s"),
    "big_index_bytes": (2.0 * GIB, "max", "B"),
    "big_travellers_per_s": (500.0, "min", "/s"),
    "big_latency_p99_ms": (20.0, "max", "ms"),
}


def shared_dir() -> Path:
    env = os.environ.get("PIU_SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def rss_bytes() -> int:
    """The current resident set (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def travellers(n: int, seed: int, profile: str = "tajikistan") -> list[Subject]:
    """``n`` passengers of the profile's traffic, day after day, as API data gives them."""
    traffic = Traffic(get_profile(profile), seed)
    out: list[Subject] = []
    day = 0
    while len(out) < n:
        for plan in traffic.day(day):
            for party in plan.parties:
                for pax in party.pax:
                    p = pax.person
                    out.append(Subject(
                        id=f"T{len(out) + 1:07d}", surname=p.name.passport_surname,
                        given_names=p.name.passport_given, dob=p.dob.isoformat(),
                        nationality=p.nationality, gender=p.gender,
                        doc_number=p.passport.number, doc_country=p.passport.issuing_country,
                    ))  # fmt: skip
                    if len(out) == n:
                        return out
        day += 1
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100.0 * len(ordered)))]


@dataclass
class Pass:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds
    candidates: list[int] = field(default_factory=list)
    alerts: int = 0  # hits in the alert band
    reviews: int = 0
    travellers_alerted: int = 0
    stopped: bool = False  # the time budget ran out before the last traveller

    def figures(self) -> dict[str, Any]:
        n = len(self.latencies)
        return {
            "travellers": n,
            "stopped_by_budget": self.stopped,
            "seconds": round(self.seconds, 3),
            "travellers_per_s": round(n / self.seconds, 1) if self.seconds else 0.0,
            "latency_mean_ms": round(1000 * sum(self.latencies) / n, 3) if n else 0.0,
            "latency_p50_ms": round(1000 * percentile(self.latencies, 50), 3),
            "latency_p99_ms": round(1000 * percentile(self.latencies, 99), 3),
            "latency_max_ms": round(1000 * max(self.latencies, default=0.0), 3),
            "candidates_mean": round(sum(self.candidates) / n, 2) if n else 0.0,
            "candidates_p99": percentile([float(c) for c in self.candidates], 99),
            "candidates_max": max(self.candidates, default=0),
            "alert_hits": self.alerts,
            "review_hits": self.reviews,
            "travellers_with_alert": self.travellers_alerted,
        }


def screen_pass(screener: Screener, subjects: list[Subject], budget: float = 0.0) -> Pass:
    """Screen every subject in turn; with a ``budget`` (seconds), stop when it is spent
    (the figures are then those of the travellers screened, counted in ``travellers``)."""
    result = Pass()
    clock = time.perf_counter
    lat, cands = result.latencies, result.candidates
    began = clock()
    for subject in subjects:
        if budget and clock() - began > budget:
            result.stopped = True
            break
        t0 = clock()
        hits = screener.screen(subject)
        lat.append(clock() - t0)
        cands.append(screener.last_candidates)
        alerts = sum(1 for h in hits if h.band == "alert")
        result.alerts += alerts
        result.reviews += len(hits) - alerts
        result.travellers_alerted += alerts > 0
    result.seconds = clock() - began
    return result


def profiled(label: str, top: int, fn: Callable[[], Any]) -> str:
    prof = cProfile.Profile()
    prof.runcall(fn)
    buf = io.StringIO()
    buf.write(f"--- cProfile: {label} (top {top} by cumulative, then by own time) ---\n")
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def build(entries: Iterable[WatchlistEntry], common_cap: int) -> tuple[Screener, float, int]:
    before = rss_bytes()
    began = time.perf_counter()
    screener = Screener(entries, common_cap=common_cap)
    seconds = time.perf_counter() - began
    return screener, seconds, rss_bytes() - before


def run_un(subjects: list[Subject], args: argparse.Namespace) -> dict[str, Any]:
    from openpiu.screening.loaders import load_un_xml

    path = shared_dir() / "data" / UN_FILE
    if not path.is_file():
        return {"skipped": f"{path} not found (set PIU_SHARED_DIR to the shared folder)"}
    began = time.perf_counter()
    entries = load_un_xml(path.read_bytes())
    load_s = time.perf_counter() - began
    screener, build_s, grown = build(entries, args.common_cap)
    out: dict[str, Any] = {
        "list": str(path), "entries": len(entries), "persons_indexed": screener.stats.entries,
        "load_s": round(load_s, 3), "build_s": round(build_s, 3), "index_rss_bytes": grown,
        "index_stats": vars(screener.stats).copy() if hasattr(screener.stats, "__dict__")
        else {k: getattr(screener.stats, k) for k in screener.stats.__slots__},
    }  # fmt: skip
    out["pass1"] = screen_pass(screener, subjects).figures()
    out["pass2"] = screen_pass(screener, subjects).figures()
    if args.profile_top and out["pass1"]["travellers_per_s"] < FLOORS["un_travellers_per_s"][0]:
        fresh = Screener(entries, common_cap=args.common_cap)
        out["profile"] = profiled(
            "UN list, first screening pass", args.profile_top, lambda: screen_pass(fresh, subjects)
        )
    return out


def run_big(subjects: list[Subject], args: argparse.Namespace) -> dict[str, Any]:
    gc.collect()
    base = rss_bytes()
    began = time.perf_counter()
    entries = list(synthetic_watchlist(args.entries, args.seed))
    gen_s = time.perf_counter() - began
    list_bytes = rss_bytes() - base
    if args.csv_out:
        write_watchlist_csv(entries, args.csv_out)
    screener, build_s, grown = build(entries, args.common_cap)
    stats = screener.stats
    out: dict[str, Any] = {
        "entries": args.entries, "generate_s": round(gen_s, 3),
        "entries_per_s": round(args.entries / gen_s, 1), "list_rss_bytes": list_bytes,
        "build_s": round(build_s, 3), "index_rss_bytes": grown,
        "total_rss_bytes": rss_bytes(), "peak_rss_bytes": peak_rss_bytes(),
        "index_stats": {k: getattr(stats, k) for k in stats.__slots__}
        if hasattr(stats, "__slots__") else vars(stats).copy(),
    }  # fmt: skip
    out["pass1"] = screen_pass(screener, subjects, args.pass_seconds).figures()
    out["pass2"] = screen_pass(screener, subjects, args.pass_seconds).figures()
    if args.profile_top:
        p1 = out["pass1"]
        if (p1["travellers_per_s"] < FLOORS["big_travellers_per_s"][0]
                or p1["latency_p99_ms"] > FLOORS["big_latency_p99_ms"][0]):  # fmt: skip
            del screener
            gc.collect()
            fresh = Screener(entries, common_cap=args.common_cap)
            out["profile_screen"] = profiled(
                f"{args.entries:,}-entry list, first screening pass",
                args.profile_top,
                lambda: screen_pass(fresh, subjects, min(args.pass_seconds or 60.0, 60.0)),
            )
            del fresh
            gc.collect()
        if build_s > FLOORS["big_build_s"][0]:
            # cProfile doubles the build time: the first 100,000 entries show the shape.
            part = entries[:100_000]
            out["profile_build"] = profiled(
                f"index build of the first {len(part):,} entries",
                args.profile_top,
                lambda: Screener(part, common_cap=args.common_cap),
            )
    return out


# -- report ----------------------------------------------------------------------------
def verdict(key: str, value: float) -> str:
    limit, kind, _ = FLOORS[key]
    ok = value >= limit if kind == "min" else value <= limit
    return "PASS" if ok else "FAIL"


def floor_text(key: str) -> str:
    limit, kind, unit = FLOORS[key]
    shown = f"{limit / GIB:.0f} GiB" if unit == "B" else f"{limit:,.0f} {unit}".replace(" /", "/")
    return (">= " if kind == "min" else "<= ") + shown


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def table(rows: list[tuple[str, str, str, str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)  # fmt: skip


def pass_rows(prefix: str, fig: dict[str, Any], tps_key: str | None,
              p99_key: str | None) -> list[tuple[str, str, str, str]]:  # fmt: skip
    rows = [
        (f"{prefix} travellers screened", f"{fig['travellers']:,}" + (
            " (time budget ran out)" if fig["stopped_by_budget"] else ""), "", ""),
        (f"{prefix} travellers/s", f"{fig['travellers_per_s']:,.0f}",
         floor_text(tps_key) if tps_key else "", verdict(tps_key, fig["travellers_per_s"])
         if tps_key else ""),
        (f"{prefix} latency mean / p50", f"{fig['latency_mean_ms']:.2f} / "
         f"{fig['latency_p50_ms']:.2f} ms", "", ""),
        (f"{prefix} latency p99 (max)", f"{fig['latency_p99_ms']:.2f} ms "
         f"({fig['latency_max_ms']:.1f})", floor_text(p99_key) if p99_key else "",
         verdict(p99_key, fig["latency_p99_ms"]) if p99_key else ""),
        (f"{prefix} candidates mean / p99 (max)", f"{fig['candidates_mean']:.1f} / "
         f"{fig['candidates_p99']:.0f} ({fig['candidates_max']})", "", ""),
        (f"{prefix} hits alert / review", f"{fig['alert_hits']:,} / {fig['review_hits']:,} "
         f"({fig['travellers_with_alert']:,} travellers alerted)", "", ""),
    ]  # fmt: skip
    return rows


def report(result: dict[str, Any]) -> str:
    lines = [
        f"command: {result['command']}",
        f"python {result['python']} on {result['machine']}, one core; seed {result['seed']}; "
        f"common_cap {result['common_cap']}",
        f"travellers: {result['travellers']:,} from the {result['profile']} traffic profile, "
        f"generated in {result['travellers_s']:.1f} s",
    ]
    head = ("figure", "value", "floor", "")
    un = result.get("un")
    if un is not None:
        lines.append("\n(a) UN consolidated list")
        if "skipped" in un:
            lines.append(f"  SKIPPED: {un['skipped']}")
        else:
            rows = [head,
                    ("entries (persons indexed)",
                     f"{un['entries']:,} ({un['persons_indexed']:,})", "", ""),
                    ("XML load", f"{un['load_s']:.2f} s", "", ""),
                    ("index build", f"{un['build_s']:.2f} s", "", ""),
                    ("index memory (RSS growth)", mib(un["index_rss_bytes"]), "", "")]  # fmt: skip
            rows += pass_rows("pass 1 (cold)", un["pass1"], "un_travellers_per_s", None)
            rows += pass_rows("pass 2 (warm)", un["pass2"], "un_travellers_per_s", None)
            lines.append(table(rows))
            lines.append(f"  index: {un['index_stats']}")
    big = result.get("big")
    if big is not None:
        lines.append(f"\n(b) synthetic list of {big['entries']:,} entries (same name frequencies)")
        rows = [head,
                ("list generation",
                 f"{big['generate_s']:.1f} s ({big['entries_per_s']:,.0f}/s)", "", ""),
                ("list in memory (RSS growth)", mib(big["list_rss_bytes"]), "", ""),
                ("index build", f"{big['build_s']:.1f} s", floor_text("big_build_s"),
                 verdict("big_build_s", big["build_s"])),
                ("index memory (RSS growth)", mib(big["index_rss_bytes"]),
                 floor_text("big_index_bytes"), verdict("big_index_bytes", big["index_rss_bytes"])),
                ("process RSS now / peak", f"{mib(big['total_rss_bytes'])} / "
                 f"{mib(big['peak_rss_bytes'])}", "", "")]  # fmt: skip
        rows += pass_rows(
            "pass 1 (cold)", big["pass1"], "big_travellers_per_s", "big_latency_p99_ms"
        )
        rows += pass_rows(
            "pass 2 (warm)", big["pass2"], "big_travellers_per_s", "big_latency_p99_ms"
        )
        lines.append(table(rows))
        lines.append(f"  index: {big['index_stats']}")
    lines.append(
        "\nmemory: RSS from /proc/self/statm before and after each step (index = growth "
        "while Screener() builds, entries already loaded); peak from getrusage."
    )
    if result.get("quick"):
        lines.append("--quick: a smoke run; the floors are for the full run.")
    fails = result["failed"]
    lines.append("floors: " + ("all PASS" if not fails else "FAIL " + ", ".join(fails)))
    for part in (un or {}, big or {}):
        for key in ("profile", "profile_screen", "profile_build"):
            if key in part:
                lines.append("\n" + part[key])
    return "\n".join(lines)


def failed(result: dict[str, Any]) -> list[str]:
    out = []
    un, big = result.get("un") or {}, result.get("big") or {}
    for name, fig in (("pass1", un.get("pass1")), ("pass2", un.get("pass2"))):
        if fig and verdict("un_travellers_per_s", fig["travellers_per_s"]) == "FAIL":
            out.append(f"UN travellers/s ({name})")
    if big:
        if verdict("big_build_s", big["build_s"]) == "FAIL":
            out.append("big index build time")
        if verdict("big_index_bytes", big["index_rss_bytes"]) == "FAIL":
            out.append("big index memory")
        for name in ("pass1", "pass2"):
            if verdict("big_travellers_per_s", big[name]["travellers_per_s"]) == "FAIL":
                out.append(f"big travellers/s ({name})")
            if verdict("big_latency_p99_ms", big[name]["latency_p99_ms"]) == "FAIL":
                out.append(f"big latency p99 ({name})")
    return out


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--travellers", type=int, default=None, help="default 20,000")
    ap.add_argument("--entries", type=int, default=None, help="default 1,000,000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", default="tajikistan")
    ap.add_argument("--common-cap", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="50,000 entries, 2,000 travellers")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--skip-un", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument(
        "--profile-top",
        type=int,
        default=0,
        help="cProfile each part that fails a floor; print N functions",
    )
    ap.add_argument(
        "--pass-seconds",
        type=float,
        default=300.0,
        help="time budget of each screening pass of the big list (0: none); "
        "a pass that runs out reports the travellers it screened",
    )
    ap.add_argument("--csv-out", help="also write the synthetic list as watchlist CSV")
    args = ap.parse_args(argv)
    args.travellers = args.travellers or (2000 if args.quick else 20000)
    args.entries = args.entries or (50000 if args.quick else 1_000_000)
    argv_shown = sys.argv if argv is None else [sys.argv[0], *argv]
    result: dict[str, Any] = {
        "command": " ".join(shlex.quote(a) for a in [".venv/bin/python", *argv_shown]),
        "python": platform.python_version(), "machine": platform.machine(),
        "seed": args.seed, "common_cap": args.common_cap, "profile": args.profile,
        "quick": args.quick, "travellers": args.travellers,
    }  # fmt: skip
    began = time.perf_counter()
    subjects = travellers(args.travellers, args.seed, args.profile)
    result["travellers_s"] = round(time.perf_counter() - began, 3)
    if not args.skip_un:
        progress("screening against the UN list ...")
        result["un"] = run_un(subjects, args)
    if not args.skip_big:
        progress(f"generating and indexing {args.entries:,} synthetic entries ...")
        result["big"] = run_big(subjects, args)
    result["failed"] = failed(result)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
