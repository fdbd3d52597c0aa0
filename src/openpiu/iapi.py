"""Interactive API: a PAXLST at check-in, a CUSRES directive per traveller.

The order is the vault's: the message is kept first (channel ``iapi``), then
its travellers are screened in memory against every current watchlist, in a
worker thread the request waits for at most until the deadline
(``PIU_IAPI_DEADLINE_MS`` from receipt).  Then the answer is recorded and the
message handed to the work queue, where the ordinary pipeline stores it and
raises the alerts.

The directive (codes and texts configurable per country):

* no hit in the alert band: board.  A review-band hit (weaker evidence, shown
  to analysts on request) does not hold a traveller at the counter; the normal
  processing of the message still records it for review.  Screening for the
  answer asks the index for alert-band candidates only, which keeps it fast;
* a hit: contact the PIU.  No adverse decision rests on automation alone (EU
  PNR Directive art. 7(6)): a human decides, and the alert is marked urgent;
* no board, automatically, only where the jurisdiction allows it
  (``PIU_IAPI_AUTO_NO_BOARD``) and only for an entry whose requested action is
  ``no_board`` matched on the traveller's document;
* screening not done by the deadline: the country's default
  (``PIU_IAPI_TIMEOUT_DIRECTIVE``); screening finishes afterwards and a hit
  found late goes to the carrier as an unsolicited CUSRES.

The in-memory lists follow the store: each request checks the current list
versions (one small query) and a new version is indexed before screening
against it (inside the worker thread, so the deadline still holds).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, insert, select

from openpiu import formats, outbound
from openpiu.carriers import Carrier
from openpiu.errors import ForbiddenError, ParseError, PiuError
from openpiu.formats.cusres import Answer, Directive, write_cusres
from openpiu.formats.detect import detect
from openpiu.formats.gcpause import gc_paused
from openpiu.identity import person_key
from openpiu.model import Manifest, MessageKind, Traveller
from openpiu.names.frequency_data import NAME_FREQUENCY_PER_MILLE
from openpiu.pipeline import Pipeline, identified
from openpiu.screening import Match, Subject
from openpiu.screening.serial import entry_digest
from openpiu.screening_service import LoadedList, ScreeningService
from openpiu.settings import Settings
from openpiu.store import watchlists as list_store
from openpiu.store.db import to_db, utcnow, writer
from openpiu.store.schema import alerts, persons
from openpiu.store.schema_intake import compliance_events, outbound_messages
from openpiu.work_queue import WorkQueue

log = logging.getLogger(__name__)

BOARD, CONTACT, NO_BOARD = "board", "contact", "no_board"
# Kept back from the deadline to write the answer down and send it.
ANSWER_MARGIN_S = 0.03


@dataclass
class IapiAnswer:
    status: int  # HTTP status
    body: bytes = b""
    detail: str | None = None  # why not, for a 4xx
    message_id: int | None = None
    directives: list[str] = field(default_factory=list)  # board / contact / no_board / timeout


# The region's most common name parts (the frequency table), screened once when
# a list is indexed: see Screener.warm.
COMMON_PARTS = sorted(NAME_FREQUENCY_PER_MILLE, key=lambda p: -NAME_FREQUENCY_PER_MILLE[p])[:600]


class Lists:
    """The service's in-memory screeners, following the store's list versions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._service = ScreeningService()
        self._lock = threading.Lock()

    def current(self) -> list[LoadedList]:
        """Every current list, indexed (a new version is built before it is used:
        answering from an older version could say board for a new entry)."""
        with self.engine.connect() as conn:
            wanted = {i.name: i.version for i in list_store.list_watchlists(conn)}
        held = self._service.lists
        if {n: v.version for n, v in held.items()} != wanted:
            with self._lock:  # one build at a time; the others wait for it
                fresh = ScreeningService()
                fresh.lists = dict(self._service.lists)
                with self.engine.connect() as conn:
                    fresh.refresh(conn)
                built = False
                for name, loaded in fresh.lists.items():
                    if self._service.lists.get(name) is not loaded:  # built just now
                        screener = loaded.screener
                        screener.warm(COMMON_PARTS, min_score=screener.knobs.alert)
                        built = True
                self._service = fresh
                if built:
                    # The index and its warmed caches are millions of long-lived
                    # objects: a full collection of the garbage collector would scan
                    # them all, a pause of a tenth of a second or more in the middle
                    # of some later check-in.  Collected once now, then kept out of
                    # its scans (they are freed by reference counting as usual).
                    gc.collect()
                    gc.freeze()
        return list(self._service.lists.values())


@dataclass
class _Job:
    subjects: list[tuple[Subject, date]]
    results: list[list[tuple[Match, str]] | None]  # per traveller: (hit, entry action)
    keys: list[str] = field(default_factory=list)  # per traveller: the person's key


def subject_of(traveller: Traveller, seq: int) -> Subject:
    """As the store screens an API traveller: the first document counts."""
    doc = traveller.documents[0] if traveller.documents else None
    return Subject(
        id=f"iapi:{seq}", surname=traveller.surname, given_names=traveller.given_names,
        dob=traveller.dob.isoformat() if traveller.dob else None,
        nationality=traveller.nationality, gender=(traveller.gender or "")[:1] or None,
        doc_number=doc.number if doc else None, doc_country=doc.issuing_country if doc else None,
    )  # fmt: skip


def decide(settings: Settings, hits: Sequence[tuple[Match, str]]) -> str:
    """board, contact or no_board for one traveller's hits (see the module doc)."""
    if not hits:
        return BOARD
    if settings.iapi_auto_no_board and any(
        action == "no_board" and any(f.name == "document" for f in hit.features)
        for hit, action in hits
    ):
        return NO_BOARD
    return CONTACT


def directive(settings: Settings, kind: str) -> Directive:
    setting = {BOARD: settings.iapi_board, CONTACT: settings.iapi_contact,
               NO_BOARD: settings.iapi_no_board}[kind]  # fmt: skip
    return Directive.parse(setting)


class IapiService:
    """One per web process; thread-safe."""

    def __init__(self, engine: Engine, settings: Settings, *, threads: int = 4) -> None:
        # Full collections of the garbage collector scan the screening caches,
        # which grow while the service answers (40-170 ms each, collecting
        # nothing); a process answering within a deadline has them ten times
        # less often (the third threshold counts young collections between
        # full ones: 100 instead of 10).  Measured: 300-traveller answers p99
        # 349 ms -> 209 ms.
        young, middle, full = gc.get_threshold()
        gc.set_threshold(young, middle, max(full, 100))
        self.engine = engine
        self.settings = settings
        self.pipeline = Pipeline(engine, settings)
        self.lists = Lists(engine)
        self._screen_pool = ThreadPoolExecutor(threads, thread_name_prefix="piu-iapi")
        self._vault_pool = ThreadPoolExecutor(threads, thread_name_prefix="piu-iapi-vault")
        self._after_pool = ThreadPoolExecutor(2, thread_name_prefix="piu-iapi-after")
        self._pending: set[Future[None]] = set()

    def close(self) -> None:
        self._after_pool.shutdown(wait=True)
        self._screen_pool.shutdown(wait=True)
        self._vault_pool.shutdown(wait=True)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait for the follow-ups of earlier answers (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            for fut in list(self._pending):
                fut.result(timeout=max(0.0, deadline - time.monotonic()))

    # -- the answer ------------------------------------------------------------------
    def answer(self, raw: bytes, carrier: Carrier, work: WorkQueue) -> IapiAnswer:
        started = time.perf_counter()
        limit = time.perf_counter() + self.settings.iapi_deadline_ms / 1000
        if not carrier.may_send("iapi"):
            self._refuse(carrier, len(raw), "forbidden", "interactive API not agreed with carrier")
            raise ForbiddenError("this carrier is not set up for the interactive API")
        if len(raw) > self.settings.max_message_bytes:
            return self.too_large(carrier, len(raw))
        try:
            kind, _type = detect(raw)
        except ParseError as exc:
            self._refuse(carrier, len(raw), "refused", exc.detail)
            return IapiAnswer(400, detail=exc.detail)
        # The vault write (a commit, at times a checkpoint of the store) runs beside
        # the parse and the screening: the answer waits for both, not one after
        # the other.
        receiving = self._vault_pool.submit(self.pipeline.vault.receive, raw, channel="iapi",
                                            sender=carrier.code, kind=kind)  # fmt: skip
        manifests: list[Manifest] = []
        travellers: list[tuple[Manifest, Traveller]] = []
        bad: str | None = None
        future: Future[None] | None = None
        job: _Job | None = None
        if kind is MessageKind.PAXLST:
            manifests, travellers, bad = self._read(raw)
            if bad is None:
                # The day each entry must be in force: the flight's (identified: dated).
                days = [m.flight.flight_date if m.flight else None for m, _t in travellers]
                job = _Job(
                    [(subject_of(t, n), day or date.today()) for n, ((_m, t), day)
                     in enumerate(zip(travellers, days, strict=True), 1)],
                    [None] * len(travellers),
                    [person_key(t)[0] for _m, t in travellers],
                )  # fmt: skip
                future = self._screen_pool.submit(self._screen, job)
        receipt = receiving.result()
        mid = receipt.message_id
        if receipt.duplicate:
            earlier = self._earlier_answer(mid)
            if earlier is not None:
                return IapiAnswer(200, earlier, message_id=mid)
        if kind is not MessageKind.PAXLST:
            work.submit(mid)  # kept and processed as what it is
            return IapiAnswer(400, detail=f"the interactive API takes a PAXLST, not {kind.value}",
                              message_id=mid)  # fmt: skip
        if bad is not None or future is None or job is None:
            outcome = self.pipeline.process(mid)  # quarantined, with the reason
            return IapiAnswer(400, detail=outcome.reason or bad, message_id=mid)
        try:
            future.result(timeout=max(0.0, limit - time.perf_counter() - ANSWER_MARGIN_S))
        except FutureTimeout:
            log.warning("iAPI message %d: screening past the deadline; default directive", mid)
        kinds = [decide(self.settings, r) if r is not None else "timeout" for r in job.results]
        answered = [self._timeout_kind() if k == "timeout" else k for k in kinds]
        answers = [outbound.answer_of(t, directive(self.settings, k))
                   for (_m, t), k in zip(travellers, answered, strict=True)]  # fmt: skip
        body = self._record_answer(carrier, mid, manifests[0], answers, started)
        work.submit(mid)
        if "timeout" in kinds:
            fut = self._after_pool.submit(self._follow_up, carrier, mid, manifests[0],
                                          travellers, job, future, kinds, answered)  # fmt: skip
            self._pending.add(fut)
            fut.add_done_callback(self._pending.discard)
        return IapiAnswer(200, body, message_id=mid, directives=kinds)

    def _timeout_kind(self) -> str:
        default = self.settings.iapi_timeout_directive.strip().lower()
        return CONTACT if default == CONTACT else BOARD

    def _read(
        self, raw: bytes
    ) -> tuple[list[Manifest], list[tuple[Manifest, Traveller]], str | None]:
        """The manifests with an identified flight and their travellers, numbered as
        the store numbers them; or why the message cannot be answered."""
        try:
            parsed = formats.parse(MessageKind.PAXLST, raw, self.settings.max_message_bytes)
        except PiuError as exc:
            return [], [], exc.detail
        except (RecursionError, ValueError, TypeError, IndexError, KeyError) as exc:
            return [], [], f"internal parser error ({type(exc).__name__})"
        found = [m for m in parsed.manifests if identified(m.flight)]
        if not found:
            return [], [], "no flight identification (TDT with a flight number and a date)"
        travellers = [(m, t) for m in found for t in m.travellers]
        if not travellers:
            return [], [], "no traveller in the message"
        return found, travellers, None

    def _screen(self, job: _Job) -> None:
        lists = self.lists.current()
        # A full collection of the garbage collector in the middle of an answer
        # costs a tenth of a second: it waits until the answer's screening is done
        # (screening builds no reference cycles; see formats.gcpause).
        cleared = self._cleared(job.keys)
        with gc_paused():
            for i, (subject, day) in enumerate(job.subjects):
                found: list[tuple[Match, str]] = []
                for loaded in lists:
                    screener = loaded.screener
                    for hit in screener.screen(subject, on=day, min_score=screener.knobs.alert):
                        entry = loaded.entries[hit.entry_id]
                        if cleared and (job.keys[i], loaded.name, hit.entry_id,
                                        entry_digest(entry)) in cleared:  # fmt: skip
                            continue
                        found.append((hit, entry.action))
                job.results[i] = found

    def _cleared(self, keys: list[str]) -> set[tuple[str, str, str, str]]:
        """(person key, list, entry, entry digest) of the dismissals on record for
        these persons: an analyst cleared the person against that entry as it
        stands, so the person is not held at the counter for it again (the
        processing that follows records the alert as suppressed, as it would)."""
        if not keys:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(persons.c.key, alerts.c.list_name, alerts.c.entry_id,
                       alerts.c.entry_digest)
                .join(persons, persons.c.id == alerts.c.person_id)
                .where(persons.c.key.in_(set(keys)), alerts.c.status == "dismissed",
                       alerts.c.source == "watchlist")
            ).all()  # fmt: skip
        return {(str(k), str(n), str(e), str(d)) for k, n, e, d in rows}

    def _record_answer(
        self, carrier: Carrier, mid: int, manifest: Manifest, answers: list[Answer], started: float
    ) -> bytes:
        now = utcnow()
        latency = int((time.perf_counter() - started) * 1000)
        with writer(self.engine).begin() as conn:
            _id, body = outbound.record(
                conn, carrier_id=carrier.id, reason="answer", status="answered",
                message_id=mid, flight_id=None, now=now, latency_ms=latency,
                build=lambda ref: write_cusres(outbound.cusres_for(manifest, answers, ref, now)),
            )  # fmt: skip
        return body

    def _earlier_answer(self, mid: int) -> bytes | None:
        """The same bytes again (a carrier's retry): the same answer again."""
        o = outbound_messages.c
        with self.engine.connect() as conn:
            body = conn.scalar(select(o.body).where(o.message_id == mid, o.reason == "answer")
                               .order_by(o.id).limit(1))  # fmt: skip
        return bytes(body) if body else None

    def too_large(self, carrier: Carrier, size: int) -> IapiAnswer:
        reason = (
            f"message of {size} bytes exceeds the maximum of "
            f"{self.settings.max_message_bytes} bytes"
        )
        self._refuse(carrier, size, "refused", reason)
        return IapiAnswer(413, detail=reason)

    def _refuse(self, carrier: Carrier, size: int, kind: str, reason: str) -> None:
        """Refused before the vault: counted as rejected, and against the carrier."""
        self.pipeline.reject("iapi", carrier.code, size, reason)
        with self.engine.begin() as conn:
            conn.execute(
                insert(compliance_events).values(
                    at=to_db(utcnow()),
                    carrier=carrier.code,
                    kind=kind,
                    detail=f"iapi: {reason}"[:500],
                )
            )

    # -- after the answer ----------------------------------------------------------------
    def _follow_up(
        self,
        carrier: Carrier,
        mid: int,
        manifest: Manifest,
        travellers: list[tuple[Manifest, Traveller]],
        job: _Job,
        future: Future[None],
        kinds: list[str],
        answered: list[str],
    ) -> None:
        """Finish screening that passed the deadline: a late hit goes to the carrier
        as an unsolicited CUSRES.  (The alerts themselves, urgent because the
        message came by the interactive API, are raised by the processing of the
        message: store.alerts.fold.)"""
        try:
            future.result()  # screening goes on to its end
            late = [decide(self.settings, r or []) for r in job.results]
            changed = [n for n, k in enumerate(late) if kinds[n] == "timeout"
                       and k != BOARD and k != answered[n]]  # fmt: skip
            if not changed:
                return
            answers = [outbound.answer_of(travellers[n][1], directive(self.settings, late[n]))
                       for n in changed]  # fmt: skip
            with writer(self.engine).begin() as conn:
                outbound.queue_unsolicited(conn, carrier=carrier, manifest=manifest,
                                           answers=answers, message_id=mid, flight_id=None,
                                           now=utcnow())  # fmt: skip
            outbound.deliver_due(self.engine, self.settings, utcnow())
        except Exception as exc:  # a follow-up must never take the service down
            log.error("iAPI follow-up of message %d failed: %s", mid, type(exc).__name__)
