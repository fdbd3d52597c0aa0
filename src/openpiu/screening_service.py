"""Screening in the flow: every traveller stored is screened, hits become alerts.

The adapter between the pure matcher and the store.  It keeps one in-memory
:class:`~openpiu.screening.Screener` per current list version and rebuilds a
list's screener when a new version appears (one cheap query per message, so
many workers follow list changes without a restart).

After a list changes, stored travellers with upcoming travel (and a window of
recent past) are screened again against the changed entries only.  A token
prefilter keeps that fast: distinct name parts are few even among a million
travellers, so each part is looked up once in a small index of the changed
entries, and only travellers holding a rare part (or two common ones) of a
changed entry are screened in full.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Engine

from openpiu import accounts, audit
from openpiu.accounts import Actor
from openpiu.errors import ParseError
from openpiu.identity import normalise_document_number as normalise_document
from openpiu.screening import Match, Screener, Subject, WatchlistEntry
from openpiu.screening.batch import utf8_text
from openpiu.screening.loaders import load_csv, load_ftm_jsonl, load_un_xml
from openpiu.screening.scorer import subject_readings
from openpiu.screening.serial import entry_digest
from openpiu.screening.tokens import Token, make_token
from openpiu.store import alerts as alert_store
from openpiu.store import watchlists as list_store
from openpiu.store.db import writer
from openpiu.store.subjects import (
    ScreenRow,
    any_traveller_since,
    flight_dates,
    flight_subjects,
    linked_pnr_persons,
    rows_since,
    subject_of,
)
from openpiu.store.watchlists import VersionResult

log = logging.getLogger(__name__)


@dataclass
class LoadedList:
    name: str
    version: int
    screener: Screener
    entries: dict[str, WatchlistEntry]


@dataclass
class RescreenSummary:
    list_name: str
    version: int
    entries: int = 0
    travellers: int = 0
    screened: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        raised = self.outcomes["raised"] + self.outcomes["reopened"]
        return (
            f"screened again: {self.travellers} stored traveller(s) against "
            f"{self.entries} changed entr{'y' if self.entries == 1 else 'ies'} of "
            f"{self.list_name} v{self.version} in {self.seconds:.1f} s: "
            f"{self.screened} compared in full, {raised} alert(s) raised or reopened"
        )


Best = dict[tuple[int, int, str, str], tuple[Match, LoadedList]]


class ScreeningService:
    def __init__(self) -> None:
        self.lists: dict[str, LoadedList] = {}

    def refresh(self, conn: Connection) -> None:
        """Follow the store: build screeners for new list versions, drop removed lists."""
        current = {info.name: info.version for info in list_store.list_watchlists(conn)}
        for name in set(self.lists) - set(current):
            del self.lists[name]
        for name, version in current.items():
            loaded = self.lists.get(name)
            if loaded is None or loaded.version != version:
                _v, entries = list_store.current_entries(conn, name)
                started = time.perf_counter()
                self.lists[name] = LoadedList(
                    name, version, Screener(entries), {e.entry_id: e for e in entries}
                )
                log.info(
                    "watchlist %s v%d indexed in %.1f s",
                    name,
                    version,
                    time.perf_counter() - started,
                )

    def screen_flights(
        self, conn: Connection, flight_ids: Iterable[int], message_id: int | None, now: datetime
    ) -> Counter[str]:
        """Screen everyone now on these flights; fold hits into alerts."""
        self.refresh(conn)
        if not self.lists:
            return Counter()
        ids = set(flight_ids)
        best: Best = {}
        days = flight_dates(conn, ids)
        for row in flight_subjects(conn, ids):
            _collect(best, row, self.lists.values(), days.get(row[0], now.date()))
        return _record(conn, _keep_earlier_alerts(conn, ids, best), message_id, now)

    def rescreen(
        self, conn: Connection, name: str, changed_ids: Iterable[str], since: date, now: datetime
    ) -> RescreenSummary:
        """Screen stored travellers on flights from ``since`` against changed entries."""
        started = time.perf_counter()
        self.refresh(conn)
        loaded = self.lists.get(name)
        summary = RescreenSummary(name, loaded.version if loaded else 0)
        if loaded is None:
            return summary
        changed = [loaded.entries[i] for i in changed_ids if i in loaded.entries]
        summary.entries = len(changed)
        if not changed:
            return summary
        if not any_traveller_since(conn, since):
            summary.seconds = time.perf_counter() - started
            return summary
        # A first load changes every entry: the list's own screener serves.
        small = loaded if len(changed) == len(loaded.entries) else LoadedList(
            name, loaded.version, Screener(changed), {e.entry_id: e for e in changed}
        )  # fmt: skip
        prefilter = _Prefilter(small.screener, changed)
        best: Best = {}
        worth = prefilter.worth_screening
        today = now.date()
        days = flight_dates(conn, since=since)
        travellers = screened = 0
        for row in rows_since(conn, since):
            travellers += 1
            if worth(row[3], row[4], row[8]):
                screened += 1
                _collect(best, (row[0], row[1], subject_of(row)), (small,),
                         days.get(row[0], today))
        summary.travellers, summary.screened = travellers, screened
        summary.outcomes = _record(conn, best, None, now)
        summary.seconds = time.perf_counter() - started
        return summary


def _collect(best: Best, row: ScreenRow, lists: Iterable[LoadedList], day: date) -> None:
    """Screen one traveller; an entry counts when it is in force on the day of
    travel (``day``, the flight's date), the day its legal basis must cover."""
    flight_id, person_id, subject = row
    for loaded in lists:
        for hit in loaded.screener.screen(subject, on=day):
            key = (flight_id, person_id, loaded.name, hit.entry_id)
            held = best.get(key)
            if held is None or held[0].score < hit.score:
                best[key] = (hit, loaded)


def _keep_earlier_alerts(conn: Connection, flight_ids: set[int], best: Best) -> Best:
    """A booking's traveller screened before the API data linked him to an API
    person keeps his alert: hits now found under the API person go to it, so one
    human has one alert per entry whichever data came first."""
    links = linked_pnr_persons(conn, flight_ids)
    if not links:
        return best
    existing = alert_store.alert_keys(conn, flight_ids)
    out: Best = {}
    for (flight_id, person_id, name, entry_id), held in best.items():
        key = (flight_id, person_id, name, entry_id)
        if key not in existing:
            for earlier in links.get((flight_id, person_id), ()):
                if (flight_id, earlier, name, entry_id) in existing:
                    key = (flight_id, earlier, name, entry_id)
                    break
        if key not in out or out[key][0].score < held[0].score:
            out[key] = held
    return out


def _record(conn: Connection, best: Best, message_id: int | None, now: datetime) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for (flight_id, person_id, name, entry_id), (hit, loaded) in sorted(
        best.items(), key=lambda item: item[0]
    ):
        entry = loaded.entries[entry_id]
        outcomes[alert_store.record_hit(
            conn, flight_id=flight_id, person_id=person_id, list_name=name, entry_id=entry_id,
            entry_ref=hit.entry_ref, list_version=loaded.version,
            entry_digest=entry_digest(entry), match=hit, message_id=message_id, at=now,
        )] += 1  # fmt: skip
    return outcomes


class _Prefilter:
    """Is a traveller worth a full comparison with the changed entries?  Two of
    his name parts must resemble parts of one changed entry (his only part, for
    a one-part name), or his document number must be listed."""

    def __init__(self, screener: Screener, entries: list[WatchlistEntry]) -> None:
        self.index = screener.index
        self.documents = {normalise_document(d.number) for e in entries for d in e.documents}
        self._part: dict[str, frozenset[int]] = {}

    def _entries_like(self, part: str) -> frozenset[int]:
        """The changed entries having a part like this one (cached per part text)."""
        found = self._part.get(part)
        if found is None:
            entries: set[int] = set()
            if part.isascii() and part.isalpha():
                # The common case, a passport's A-Z part: one token, no parsing.
                tokens: Iterable[Token] = (make_token(part.upper()),)
            else:
                tokens = (t for r in subject_readings(Subject(name=part)) for t in r.names)
            for token in tokens:
                for other, _sim in self.index.similar(token, remember=False):
                    entries.update(self.index.entries_of(other))
            found = self._part[part] = frozenset(entries)
        return found

    def worth_screening(self, surname: str, given_names: str, doc_number: str | None) -> bool:
        if self.documents and doc_number and normalise_document(doc_number) in self.documents:
            return True
        parts = surname.split() + given_names.split()
        if len(parts) == 1:
            return bool(self._entries_like(parts[0]))
        # One shared part cannot carry a name match (weak_single): two parts of
        # the traveller must resemble parts of one and the same entry.
        # Parts already looked up go first (given names repeat, surnames less),
        # and the look-ups stop once two hitting parts are out of reach.
        cache = self._part
        parts.sort(key=lambda p: p not in cache)
        seen: set[int] = set()
        hitting = 0
        for done, part in enumerate(parts):
            if hitting + len(parts) - done < 2:
                return False
            entries = cache.get(part)
            if entries is None:
                entries = self._entries_like(part)
            if entries:
                if not seen.isdisjoint(entries):
                    return True
                seen |= entries
                hitting += 1
        return False


def rescreen_since(today: date, past_days: int) -> date:
    return today - timedelta(days=past_days)


LIST_FORMATS = ("un-xml", "csv", "ftm")


def parse_list(fmt: str, raw: bytes, source: str) -> list[WatchlistEntry]:
    """A list file's entries; a clear error for an unknown format or bad bytes."""
    if fmt == "un-xml":
        return load_un_xml(raw)
    if fmt not in LIST_FORMATS:
        raise ParseError(f"unknown format {fmt!r}: use one of {', '.join(LIST_FORMATS)}")
    text = utf8_text(raw, source)
    return load_csv(text) if fmt == "csv" else load_ftm_jsonl(text.splitlines())


def load_watchlist(
    engine: Engine, actor: Actor, name: str, fmt: str, raw: bytes, source: str, now: datetime
) -> VersionResult:
    """Import a list file as a new version of ``name`` (audited); see save_version."""
    accounts.require(actor, accounts.Role.ADMIN, accounts.Role.WATCHLIST_MANAGER)
    entries = parse_list(fmt, raw, source)
    with writer(engine).begin() as conn:
        result = list_store.save_version(
            conn, name, entries, fmt=fmt, source_sha256=hashlib.sha256(raw).hexdigest(),
            loaded_by=actor.name, at=now,
        )  # fmt: skip
        audit.record(conn, actor, "watchlist.load", target_kind="watchlist", target_ids=[name],
                     details={"version": result.version, "entries": result.entry_count,
                              "added": len(result.added), "changed": len(result.changed),
                              "removed": len(result.removed), "unchanged": result.unchanged},
                     at=now)  # fmt: skip
    return result
