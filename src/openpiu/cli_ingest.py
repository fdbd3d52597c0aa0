"""``piu ingest`` (and the demo): files to the pipeline, with progress and a summary."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.pipeline import Outcome, Pipeline
from openpiu.store import db


@dataclass
class IngestSummary:
    files: int = 0
    tally: Counter[str] = field(default_factory=Counter)
    travellers: int = 0
    bookings: int = 0
    unreadable: int = 0

    def line(self) -> str:
        parts = [
            f"{self.tally[s]} {s}"
            for s in ("processed", "duplicate", "quarantined", "held", "rejected")
            if self.tally[s]
        ]
        return (
            f"ingested {self.files} file(s): {', '.join(parts) or 'nothing'}; "
            f"{self.travellers} traveller(s) stored"
            + (f", {self.bookings} booking version(s)" if self.bookings else "")
            + (f"; {self.unreadable} unreadable" if self.unreadable else "")
        )


def files_of(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    """Each path: ``-`` (standard input), a file, or a folder walked in name order."""
    for name in paths:
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield str(child), child
        else:
            yield name, path


def ingest_files(
    pipeline: Pipeline,
    actor: Actor,
    files: list[tuple[str, Path | None]],
    out: Console,
    err: Console,
    label: str = "ingest",
) -> IngestSummary:
    """Each file through the pipeline: a progress bar on a terminal, a line per file
    otherwise (quarantined and rejected ones always), housekeeping, one audit event."""
    summary = IngestSummary(files=len(files))
    ids: list[int] = []
    show_bar = err.is_terminal and len(files) > 1
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show_bar,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=len(files))
        for name, path in files:
            try:
                raw = sys.stdin.buffer.read() if path is None else path.read_bytes()
            except OSError as exc:
                err.print(f"{name}: cannot read: {exc.strerror or exc}", markup=False)
                summary.unreadable += 1
                progress.advance(task)
                continue
            outcome = pipeline.ingest_bytes(raw, channel="file", sender=Path(name).name)
            summary.tally[outcome.status] += 1
            summary.travellers += outcome.travellers
            summary.bookings += outcome.bookings
            if outcome.message_id is not None:
                ids.append(outcome.message_id)
            if outcome.status in ("quarantined", "rejected") or not show_bar:
                report(out, err, name, outcome)
            progress.advance(task)
    stored, destroyed = pipeline.housekeeping()
    for outcome in stored:
        report(out, err, "multi-part message (waited too long for its parts)", outcome)
    if destroyed:
        out.print(f"destroyed the raw copy of {destroyed} quarantined message(s) past retention")
    with db.writer(pipeline.engine).begin() as conn:
        audit.record(
            conn,
            actor,
            "messages.ingest",
            target_kind="message",
            target_ids=ids,
            details={"files": len(files), **dict(summary.tally)},
        )
    return summary


def report(out: Console, err: Console, name: str, outcome: Outcome) -> None:
    line = f"{name}: {outcome.status}"
    if outcome.message_id is not None:
        line += f" (message {outcome.message_id})"
    if outcome.flights:
        line += f" {', '.join(outcome.flights)}, {outcome.travellers} traveller(s)"
    if outcome.reason:
        line += f": {outcome.reason}"
    if outcome.position:
        line += f" at {outcome.position}"
    if outcome.warnings:
        line += f" [{len(outcome.warnings)} warning(s)]"
    (err if outcome.status in ("quarantined", "rejected") else out).print(line, markup=False)
