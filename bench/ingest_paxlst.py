"""Single-core PAXLST ingest benchmark.

    .venv/bin/python bench/ingest_paxlst.py [--flights N] [--travellers N] [--seed S]

Builds a deterministic corpus with the synthetic generator and the writer, then
measures, on one core and without multiprocessing:

a) parse only (``openpiu.formats.paxlst.parse_paxlst``): best of ``--repeat`` runs;
b) parse + vault + store in a fresh SQLite database (``openpiu.pipeline``): one run,
   since a second ingest of the same bytes would only measure duplicate detection.

Either part is skipped with a clear message when its module is not importable yet,
so the script stays useful while the code base grows.
"""

from __future__ import annotations

import argparse
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path

from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.synth.paxlst_gen import generate_manifests

Row = tuple[str, str, str, str, str]


def build_corpus(flights: int, travellers: int, seed: int) -> tuple[list[bytes], int]:
    corpus: list[bytes] = []
    n_travellers = 0
    for manifest in generate_manifests(flights, travellers, seed=seed):
        corpus.append(write_paxlst(manifest))
        n_travellers += len(manifest.travellers)
    return corpus, n_travellers


# Wall clock is what a user sees on an idle machine; CPU time (this process only)
# is the steadier figure on a machine shared with other work.
def _row(label: str, seconds: float, size: int, messages: int, travellers: int) -> Row:
    return (
        label,
        f"{seconds:.3f}",
        f"{size / seconds / 1e6:.2f}",
        f"{messages / seconds:,.0f}",
        f"{travellers / seconds:,.0f}",
    )


def bench_parse(corpus: list[bytes], size: int, repeat: int) -> list[Row] | str:
    try:
        from openpiu.formats.paxlst import parse_paxlst
    except ImportError as exc:
        return f"(a) parse skipped: openpiu.formats.paxlst.parse_paxlst not importable ({exc})"
    best = best_cpu = float("inf")
    parsed_travellers = 0
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        count = 0
        for data in corpus:
            for manifest in parse_paxlst(data).manifests:
                count += len(manifest.travellers)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
        parsed_travellers = count
    n = len(corpus)
    return [
        _row(f"(a) parse only, wall clock, best of {repeat}", best, size, n, parsed_travellers),
        _row(f"(a) parse only, CPU time, best of {repeat}", best_cpu, size, n, parsed_travellers),
    ]


def bench_pipeline(corpus: list[bytes], size: int, travellers: int, repeat: int) -> list[Row] | str:
    """Each run ingests the whole corpus into a fresh database; the best run counts
    (the machine's speed wanders, the code's does not)."""
    try:
        from openpiu.pipeline import Pipeline
    except ImportError as exc:
        return f"(b) pipeline skipped: openpiu.pipeline.Pipeline not importable ({exc})"
    best = best_cpu = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="piu-bench-") as tmp:
            pipeline = Pipeline.from_url(f"sqlite:///{Path(tmp) / 'bench.db'}")
            start, cpu_start = time.perf_counter(), time.process_time()
            statuses: dict[str, int] = {}
            for i, data in enumerate(corpus):
                outcome = pipeline.ingest_bytes(data, channel="bench", sender=f"B{i % 12:02d}")
                statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu_start)
            pipeline.engine.dispose()
        if statuses != {"processed": len(corpus)}:
            return f"(b) pipeline: not every message was processed: {statuses}"
    n, label = len(corpus), f"(b) parse + vault + SQLite, {{}}, best of {repeat}"
    return [
        _row(label.format("wall clock"), best, size, n, travellers),
        _row(label.format("CPU time"), best_cpu, size, n, travellers),
    ]


def print_table(rows: list[Row]) -> None:
    header: Row = ("measure", "seconds", "MB/s", "messages/s", "travellers/s")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for r in [header, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flights", type=int, default=200)
    parser.add_argument("--travellers", type=int, default=150, help="per flight, crew included")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each part; the best is kept")
    parser.add_argument("--skip-pipeline", action="store_true")
    args = parser.parse_args(argv)

    print("command:", " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv]))
    print(f"python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.machine()}, single core: one process, no multiprocessing")  # fmt: skip

    start = time.perf_counter()
    corpus, travellers = build_corpus(args.flights, args.travellers, args.seed)
    size = sum(len(d) for d in corpus)
    print(f"corpus: {len(corpus)} messages, {travellers:,} travellers, {size / 1e6:.2f} MB "
          f"({size / max(travellers, 1):.0f} B/traveller), built in "
          f"{time.perf_counter() - start:.1f} s (seed {args.seed})")  # fmt: skip

    rows: list[Row] = []
    notes: list[str] = []
    results = [bench_parse(corpus, size, args.repeat)]
    if not args.skip_pipeline:
        results.append(bench_pipeline(corpus, size, travellers, args.repeat))
    for result in results:
        if isinstance(result, str):
            notes.append(result)
        else:
            rows.extend(result)
    if rows:
        print_table(rows)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
