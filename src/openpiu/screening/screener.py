"""Screen travellers against one list: index, candidates, scores, best first."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from datetime import date

from openpiu.screening.entries import WatchlistEntry
from openpiu.screening.features import DEFAULT_KNOBS, Knobs, parse_iso_date
from openpiu.screening.index import BlockingIndex, IndexStats
from openpiu.screening.scorer import prepare_entry, score_entry, subject_readings
from openpiu.screening.types import Match, Subject

# Lists at least this long are frozen out of the garbage collector's scans once
# indexed (see Screener.__init__); smaller ones cost a collection little.
FREEZE_ENTRIES = 100_000


class Screener:
    """An in-memory, indexed screener over the entries of one list version.

    Entities (organisations) are left out unless ``include_entities``: a
    traveller is a person.  Expired entries stay in the index (a list version
    is immutable) and are skipped at screening time for the day screened.
    """

    def __init__(
        self,
        entries: Iterable[WatchlistEntry],
        *,
        knobs: Knobs = DEFAULT_KNOBS,
        include_entities: bool = False,
        common_cap: int = 1000,
    ) -> None:
        self.knobs = knobs
        wanted = (e for e in entries if include_entities or e.kind == "person")
        # The index is millions of small acyclic objects: the cyclic collector
        # would scan them again and again while they are built, and a large
        # index once built would make each later full collection a pause of
        # seconds in the middle of screening.  So the collector rests during
        # the build, and a large index is frozen (kept out of its scans; the
        # objects are still freed by reference counting when the index goes).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.index = BlockingIndex((prepare_entry(e) for e in wanted), common_cap=common_cap)
            if len(self.index.entries) >= FREEZE_ENTRIES:
                gc.freeze()
        finally:
            if was_enabled:
                gc.enable()
        self.last_candidates = 0

    @property
    def stats(self) -> IndexStats:
        return self.index.stats

    def warm(self, parts: Sequence[str], *, min_score: float | None = None) -> int:
        """Screen made-up names of common ``parts`` (surname, given name) once, so
        that the index's per-part caches hold them before real travellers come:
        for a service that answers within a deadline (the interactive API), the
        first flights after a list is indexed then cost what later ones do
        (against 100,000 entries, 600 parts: about a second, and the first
        300-traveller flight 150 ms instead of 250).  Returns the names screened."""
        n = len(parts)
        for i, part in enumerate(parts):
            self.screen(Subject(id="warm-up", surname=part, given_names=parts[(7 * i + 1) % n]),
                        min_score=min_score)  # fmt: skip
        return n

    def screen(
        self, subject: Subject, *, on: date | None = None, min_score: float | None = None
    ) -> list[Match]:
        """Hits in the alert or review band (or at least ``min_score``), best first."""
        floor = self.knobs.review if min_score is None else min_score
        readings = subject_readings(subject)
        dob = parse_iso_date(subject.dob)
        found = self.index.candidates(
            readings, subject.doc_number, self.knobs, dob.year if dob else None, floor=floor
        )
        self.last_candidates = len(found)
        hits: list[Match] = []
        for e_idx, names in found.items():
            prepared = self.index.entries[e_idx]
            if on is not None and not prepared.entry.active(on):
                continue
            only = sorted(names) if names else None
            match = score_entry(
                subject, readings, prepared, only=only, knobs=self.knobs, floor=floor
            )
            if match is not None and match.score >= floor:
                hits.append(match)
        hits.sort(key=lambda m: (-m.score, m.entry_id))
        return hits
