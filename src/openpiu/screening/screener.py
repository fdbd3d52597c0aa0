"""Screen travellers against one list: index, candidates, scores, best first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from openpiu.screening.entries import WatchlistEntry
from openpiu.screening.features import DEFAULT_KNOBS, Knobs, parse_iso_date
from openpiu.screening.index import BlockingIndex, IndexStats
from openpiu.screening.scorer import prepare_entry, score_entry, subject_readings
from openpiu.screening.types import Match, Subject


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
        self.index = BlockingIndex((prepare_entry(e) for e in wanted), common_cap=common_cap)
        self.last_candidates = 0

    @property
    def stats(self) -> IndexStats:
        return self.index.stats

    def screen(
        self, subject: Subject, *, on: date | None = None, min_score: float | None = None
    ) -> list[Match]:
        """Hits in the alert or review band (or at least ``min_score``), best first."""
        floor = self.knobs.review if min_score is None else min_score
        readings = subject_readings(subject)
        dob = parse_iso_date(subject.dob)
        found = self.index.candidates(
            readings, subject.doc_number, self.knobs, dob.year if dob else None
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
