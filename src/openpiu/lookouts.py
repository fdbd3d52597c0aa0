"""Watchlists changed by people: lookouts that analysts add, entries a manager
corrects, and list files imported through the web form.

Every change is a new version of the list (its current entries, with one added
or replaced), saved exactly as a file import is
(:func:`openpiu.store.watchlists.save_version`): the diff, the validity
intervals and the entry digests the alerts remember work the same way whoever
made the change.  Afterwards stored travellers are screened again against the
changed entries by the step ``piu watchlist load`` runs
(:meth:`openpiu.pipeline.Pipeline.rescreen_after_list_change`): that is how a
dismissed alert comes back when its entry is edited, and how a new lookout
finds a traveller already booked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from openpiu import accounts, audit
from openpiu.accounts import Actor, Role
from openpiu.errors import NotFoundError, PiuError
from openpiu.pipeline import Pipeline
from openpiu.reference import country_alpha3
from openpiu.screening.entries import ACTIONS, Alias, BirthDate, Document, WatchlistEntry
from openpiu.screening.loaders import parse_dob
from openpiu.screening.serial import entry_from_json
from openpiu.screening_service import load_watchlist
from openpiu.settings import Settings
from openpiu.store import watchlists as list_store
from openpiu.store.db import as_utc, to_db, writer
from openpiu.store.manifests import insert_ignore
from openpiu.store.schema import watchlist_entries, watchlist_versions, watchlists
from openpiu.store.watchlists import VersionResult

LOOKOUTS = "lookouts"  # the list analysts add to
LOOKOUT_PREFIX = "LOOKOUT-"
EDITORS = (Role.WATCHLIST_MANAGER, Role.ADMIN)  # as for a file import
LOOKOUT_AUTHORS = (Role.ANALYST, Role.SUPERVISOR, Role.WATCHLIST_MANAGER)


class FormError(PiuError):
    """What is wrong with a submitted entry: every problem at once, in words."""

    status = 422

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems), 422)


@dataclass(frozen=True)
class EntryForm:
    """A person entry as a form sends it: texts, checked by :func:`lookout_entry`
    and :func:`edited_entry`."""

    full_name: str = ""
    surname: str = ""
    given_names: str = ""
    aliases: str = ""  # one per line, or |-separated as in the list CSV
    dob: str = ""  # YYYY-MM-DD, YYYY-MM, YYYY, YYYY..YYYY or ~YYYY; several |-separated
    nationality: str = ""  # alpha-3 codes, |- or comma-separated
    doc_type: str = ""
    doc_number: str = ""
    doc_country: str = ""
    action: str = "notify"
    legal_basis: str = ""
    expires: str = ""  # YYYY-MM-DD
    note: str = ""

    @classmethod
    def of(cls, entry: WatchlistEntry) -> EntryForm:
        """The entry's current values, as the edit form shows them."""
        return cls(
            full_name=" ".join(entry.name_parts), surname=entry.surname or "",
            given_names=entry.given_names or "", aliases="\n".join(a.text for a in entry.aliases),
            dob=" | ".join(str(b) for b in entry.birth_dates),
            nationality=" | ".join(entry.nationalities), action=entry.action,
            legal_basis=entry.legal_basis or "",
            expires=entry.expires.isoformat() if entry.expires else "", note=entry.notes or "",
        )  # fmt: skip


def _clean(text: str) -> str:
    return " ".join(text.split())


def _pieces(text: str) -> list[str]:
    return [p for p in (_clean(p) for p in text.replace("\n", "|").split("|")) if p]


def _names(form: EntryForm) -> tuple[tuple[str, ...], str | None, str | None]:
    """Name parts as the list CSV reads them: the full name, else given names and surname."""
    full, surname, given = _clean(form.full_name), _clean(form.surname), _clean(form.given_names)
    parts = tuple(full.split()) if full else tuple(f"{given} {surname}".split())
    return parts, surname or None, given or None


def _aliases(text: str, kept: Sequence[Alias]) -> tuple[Alias, ...]:
    # An alias left as it was keeps what the list said of it (quality, former name).
    known = {a.text: a for a in kept}
    out = [known.get(p) or Alias(p, family_first="," in p, original_script=not p.isascii())
           for p in dict.fromkeys(_pieces(text))]  # fmt: skip
    return tuple(out)


def _births(text: str, problems: list[str]) -> tuple[BirthDate, ...]:
    out: list[BirthDate] = []
    for piece in _pieces(text):
        try:
            if piece.startswith("~"):
                out.append(replace(parse_dob(piece[1:]), approximate=True))
            else:
                out.append(parse_dob(piece))
        except ValueError as exc:
            problems.append(str(exc))
    return tuple(out)


def _countries(text: str, what: str, problems: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for code in _pieces(text.replace(",", "|")):
        alpha3 = country_alpha3(code)
        if alpha3:
            out.append(alpha3)
        else:
            problems.append(f"{what} {code!r} is not an ISO 3166 country code")
    return tuple(dict.fromkeys(out))


def _action(text: str, problems: list[str]) -> str:
    action = _clean(text).lower() or "notify"
    if action not in ACTIONS:
        problems.append(f"requested action {action!r} is not one of {', '.join(ACTIONS)}")
    return action


def _date(text: str, what: str, problems: list[str]) -> date | None:
    if not _clean(text):
        return None
    try:
        return date.fromisoformat(_clean(text))
    except ValueError:
        problems.append(f"{what} {_clean(text)!r} is not a date (YYYY-MM-DD)")
        return None


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def lookout_entry(form: EntryForm, entry_id: str, owner: str, today: date) -> WatchlistEntry:
    """A lookout from the form: a name or a document, a legal basis, and an expiry
    from today to one year ahead (a lookout is renewed on purpose, never kept by
    default).  Raises :class:`FormError` listing every problem."""
    problems: list[str] = []
    parts, surname, given = _names(form)
    number = _clean(form.doc_number)
    if not parts and not number:
        problems.append("give a name (full name, or surname and given names) or a document "
                        "number")  # fmt: skip
    legal_basis = _clean(form.legal_basis)
    if not legal_basis:
        problems.append("a lookout needs its legal basis")
    expires = _date(form.expires, "expiry", problems)
    if expires is None and not _clean(form.expires):
        problems.append("a lookout needs an expiry date")
    elif expires is not None and expires < today:
        problems.append(f"expiry {expires} is in the past")
    elif expires is not None and expires > one_year_after(today):
        latest = one_year_after(today)
        problems.append(f"expiry {expires} is more than a year ahead (at most {latest}): "
                        "renew the lookout when it runs out")  # fmt: skip
    aliases = _aliases(form.aliases, ())
    births = _births(form.dob, problems)
    nationalities = _countries(form.nationality, "nationality", problems)
    doc_country = _countries(form.doc_country, "document country", problems)
    action = _action(form.action, problems)
    if problems:
        raise FormError(problems)
    documents = (Document(number, _clean(form.doc_type) or None,
                          doc_country[0] if doc_country else None),) if number else ()  # fmt: skip
    return WatchlistEntry(
        entry_id=entry_id, list_ref=entry_id, name_parts=parts, surname=surname,
        given_names=given, aliases=aliases, birth_dates=births, nationalities=nationalities,
        documents=documents, action=action,  # type: ignore[arg-type]
        legal_basis=legal_basis, owner=owner, expires=expires, notes=_clean(form.note) or None,
    )  # fmt: skip


def edited_entry(entry: WatchlistEntry, form: EntryForm, today: date) -> WatchlistEntry:
    """``entry`` with the form's names, aliases, birth dates, action, legal basis
    and expiry; what the form does not show is kept as it was.  A value sent back
    unchanged leaves the entry identical (same digest: no new version)."""
    if entry.kind != "person":
        raise PiuError(f"entry {entry.entry_id} is an {entry.kind}: only a person entry can be "
                       "edited here", 422)  # fmt: skip
    problems: list[str] = []
    before = EntryForm.of(entry)

    def same(field: str) -> bool:
        # A value sent back as shown keeps the entry's own (a UN name part may
        # hold a space; reading the text back would split it).
        return _clean(getattr(form, field)) == _clean(getattr(before, field))

    if same("full_name") and same("surname") and same("given_names"):
        parts, surname, given = entry.name_parts, entry.surname, entry.given_names
    else:
        parts, surname, given = _names(form)
    if not parts and not entry.documents:
        problems.append("a person entry needs a name")
    aliases = entry.aliases if same("aliases") else _aliases(form.aliases, entry.aliases)
    births = entry.birth_dates if same("dob") else _births(form.dob, problems)
    action = _action(form.action, problems)
    legal_basis = entry.legal_basis if same("legal_basis") else _clean(form.legal_basis) or None
    expires = entry.expires if same("expires") else _date(form.expires, "expiry", problems)
    if expires is not None and expires != entry.expires and expires < today:
        problems.append(f"expiry {expires} is in the past")
    if problems:
        raise FormError(problems)
    return replace(entry, name_parts=parts, surname=surname, given_names=given, aliases=aliases,
                   birth_dates=births, action=action,  # type: ignore[arg-type]
                   legal_basis=legal_basis, expires=expires)  # fmt: skip


@dataclass(frozen=True)
class Change:
    """A list change made from the web: the version written, and what the
    screening of stored travellers against it did (None: nothing to screen)."""

    result: VersionResult
    rescreen: str | None = None
    entry_id: str | None = None


def rescreen(engine: Engine, settings: Settings, name: str, result: VersionResult,
             now: datetime) -> str | None:  # fmt: skip
    """Screen stored travellers again against the added and changed entries:
    the step ``piu watchlist load`` runs after a load."""
    pipeline = Pipeline(engine, settings, clock=lambda: now)
    if pipeline.rescreen_after_list_change(name, result):
        return pipeline.last_rescreen_summary
    return None


def import_list(engine: Engine, settings: Settings, actor: Actor, name: str, fmt: str,
                raw: bytes, source: str, now: datetime) -> Change:  # fmt: skip
    """A list file as a new version (as ``piu watchlist load``), then the rescreen."""
    result = load_watchlist(engine, actor, name, fmt, raw, source, now)
    return Change(result, rescreen(engine, settings, name, result, now))


def edit_entry(engine: Engine, settings: Settings, actor: Actor, name: str, entry_id: str,
               form: EntryForm, now: datetime) -> Change:  # fmt: skip
    """A new version of ``name``: its current entries with ``entry_id`` edited."""
    accounts.require(actor, *EDITORS)
    with writer(engine).begin() as conn:
        _lock(conn, name, now, create=False)
        _version, entries = list_store.current_entries(conn, name)
        found = next((e for e in entries if e.entry_id == entry_id), None)
        if found is None:
            raise NotFoundError(f"watchlist {name!r} holds no entry {entry_id!r}")
        new = edited_entry(found, form, now.date())
        result = list_store.save_version(
            conn, name, [new if e.entry_id == entry_id else e for e in entries], fmt="edit",
            source_sha256=None, loaded_by=actor.name, at=now)  # fmt: skip
        if not result.unchanged:
            audit.record(conn, actor, "watchlist.entry_edited", target_kind="watchlist_entry",
                         target_ids=[entry_id], details={"list": name, "version": result.version},
                         at=now)  # fmt: skip
    return Change(result, rescreen(engine, settings, name, result, now), entry_id)


def add_lookout(engine: Engine, settings: Settings, actor: Actor, form: EntryForm,
                now: datetime) -> Change:  # fmt: skip
    """A new version of the list ``lookouts`` with one more entry, ``LOOKOUT-<n>``."""
    accounts.require(actor, *LOOKOUT_AUTHORS)
    lookout_entry(form, LOOKOUT_PREFIX, actor.name, now.date())  # refuse bad input before locking
    with writer(engine).begin() as conn:
        list_id = _lock(conn, LOOKOUTS, now, create=True)
        _version, entries = list_store.current_entries(conn, LOOKOUTS)
        entry_id = f"{LOOKOUT_PREFIX}{_last_lookout(conn, list_id) + 1}"
        entry = lookout_entry(form, entry_id, actor.name, now.date())
        result = list_store.save_version(
            conn,
            LOOKOUTS,
            [*entries, entry],
            fmt="lookout",
            source_sha256=None,
            loaded_by=actor.name,
            at=now,
        )
        audit.record(conn, actor, "lookout.added", target_kind="watchlist_entry",
                     target_ids=[entry_id], details={"list": LOOKOUTS, "version": result.version},
                     at=now)  # fmt: skip
    return Change(result, rescreen(engine, settings, LOOKOUTS, result, now), entry_id)


def _lock(conn: Connection, name: str, now: datetime, *, create: bool) -> int:
    """Lock the list's row before reading its entries: on PostgreSQL two people
    changing one list at once would otherwise each save a version built on the
    same entries, the second dropping the first's change.  (SQLite's writer
    transaction already holds the database's write lock.)"""
    if create:
        conn.execute(
            insert_ignore(conn, watchlists, ["name"]).values(name=name, created_at=to_db(now))
        )
    found = conn.scalar(select(watchlists.c.id).where(watchlists.c.name == name).with_for_update())
    if found is None:
        raise NotFoundError(f"no watchlist named {name!r}")
    return int(found)


def _last_lookout(conn: Connection, list_id: int) -> int:
    """The highest lookout number ever used in the list, removed entries included:
    a number is never given twice (alerts are keyed on the entry id)."""
    c = watchlist_entries.c
    ids = conn.scalars(select(c.entry_id).distinct().where(
        c.watchlist_id == list_id, c.entry_id.like(f"{LOOKOUT_PREFIX}%")))  # fmt: skip
    numbers = [int(i[len(LOOKOUT_PREFIX) :]) for i in ids if i[len(LOOKOUT_PREFIX) :].isdigit()]
    return max(numbers, default=0)


# -- reads for the pages ------------------------------------------------------------


@dataclass(frozen=True)
class EntryPage:
    name: str
    version: int
    total: int  # entries matching the filter
    entries: list[WatchlistEntry]


def entry_page(conn: Connection, name: str, text: str = "", offset: int = 0,
               limit: int = 50) -> EntryPage:  # fmt: skip
    """One page of a list's current entries, by entry id; ``text`` filters on the
    entry's stored content (names, aliases, references), case-insensitively for
    Latin letters.  Paged in SQL: a list may hold a million entries."""
    list_id = conn.scalar(select(watchlists.c.id).where(watchlists.c.name == name))
    if list_id is None:
        raise NotFoundError(f"no watchlist named {name!r}")
    version = conn.scalar(select(func.max(watchlist_versions.c.version))
                          .where(watchlist_versions.c.watchlist_id == list_id))  # fmt: skip
    c = watchlist_entries.c
    where = [c.watchlist_id == list_id, c.last_version.is_(None)]
    wanted = _clean(text).lower()
    if wanted:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(func.lower(c.data).like(f"%{escaped}%", escape="\\"))
    total = int(conn.scalar(select(func.count()).select_from(watchlist_entries).where(*where))
                or 0)  # fmt: skip
    rows = conn.scalars(select(c.data).where(*where).order_by(c.entry_id).offset(offset)
                        .limit(limit))  # fmt: skip
    return EntryPage(name, int(version or 0), total, [entry_from_json(json.loads(d)) for d in rows])


def entry(conn: Connection, name: str, entry_id: str) -> WatchlistEntry:
    """The current version of one entry."""
    found = list_store.entries_by_ids(conn, name, [entry_id]).get(entry_id)
    if found is None:
        raise NotFoundError(f"watchlist {name!r} holds no entry {entry_id!r}")
    return found


def versions(conn: Connection, name: str, limit: int = 20) -> list[dict[str, Any]]:
    """The list's latest versions, newest first: when, by whom, what changed (counts)."""
    v = watchlist_versions.c
    rows = conn.execute(
        select(v.version, v.loaded_at, v.loaded_by, v.format, v.entry_count, v.added, v.changed,
               v.removed)
        .join(watchlists, watchlists.c.id == v.watchlist_id)
        .where(watchlists.c.name == name)
        .order_by(v.version.desc())
        .limit(limit)
    ).mappings()  # fmt: skip
    return [{**r, "loaded_at": as_utc(r["loaded_at"])} for r in rows]
