"""What the PIU sends back to carriers: iAPI answers and unsolicited CUSRES.

Every CUSRES is a row of ``outbound_messages`` first, so nothing sent is
unaccounted for: an iAPI answer is recorded ``answered`` (it went back in the
HTTP response), an unsolicited one is queued ``pending`` and delivered by
:func:`deliver_due` (called by the worker loop) to the carrier's callback URL
(HTTP POST) or reply queue (AMQP).  A failed attempt is retried with
exponential backoff; after ``MAX_ATTEMPTS`` the row is ``failed`` and stays for
an operator.  The row is the delivery log: attempts, last attempt, next attempt,
last error (a status code or an exception's type, never the content: the body
names travellers).

An unsolicited CUSRES goes when a list change makes a new hit on a traveller of
a flight not yet departed whose API data came from a carrier with a reply
channel: :func:`unsolicited_since` finds those hits among the alerts raised or
reopened by a rescreen since a timestamp (the caller notes the time before
rescreening), so the rescreen itself needs no change.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, insert, or_, select, update

from openpiu import carriers as carrier_store
from openpiu.carriers import Carrier
from openpiu.errors import PiuError
from openpiu.formats import parse as parse_message
from openpiu.formats.cusres import Answer, Cusres, Directive, write_cusres
from openpiu.model import Manifest, MessageKind, Traveller
from openpiu.settings import Settings
from openpiu.store.db import as_utc, to_db, writer
from openpiu.store.schema import (
    alert_events,
    alerts,
    flight_travellers,
    flights,
    message_raw,
    messages,
)
from openpiu.store.schema_intake import carriers, outbound_messages
from openpiu.store.watchlists import entries_by_ids

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # a claimed row is not retried by another worker meanwhile
HTTP_TIMEOUT = 5.0  # seconds: a callback that hangs must not stall delivery
CONTENT_TYPE = "application/edifact"
PIU_PARTY = "PIU"  # our UNB id when the PAXLST did not name its recipient


# -- building -----------------------------------------------------------------------


def cusres_for(manifest: Manifest, answers: Iterable[Answer], ref: str, at: datetime) -> Cusres:
    """The CUSRES answering ``manifest``: envelope parties swapped, its flight refs."""
    env, flight = manifest.envelope, manifest.flight
    legs = flight.legs if flight else []
    first, last = (legs[0], legs[-1]) if legs else (None, None)
    return Cusres(
        sender=env.recipient or PIU_PARTY, recipient=env.sender or "UNKNOWN",
        prepared_at=at.replace(tzinfo=None), interchange_ref=ref, answers=tuple(answers),
        common_access_ref=env.common_access_ref, transaction_ref=manifest.transaction_ref,
        flight=flight.designator if flight else None,
        departure=first.departure_local if first else None,
        arrival=last.arrival_local if last else None,
        origin=first.departure_airport if first else None,
        destination=last.arrival_airport if last else None,
    )  # fmt: skip


def answer_of(traveller: Traveller, directive: Directive) -> Answer:
    return Answer(traveller.record_locator, traveller.passenger_ref, directive)


def record(
    conn: Connection,
    *,
    carrier_id: int,
    reason: str,
    status: str,
    message_id: int | None,
    flight_id: int | None,
    build: Callable[[str], bytes],
    now: datetime,
    latency_ms: int | None = None,
) -> tuple[int, bytes]:
    """Insert an outbound row and its body; the body's interchange reference is the
    row id (unique, and the carrier can quote it back).  Returns (id, body)."""
    row_id = int(conn.execute(insert(outbound_messages).values(
        carrier_id=carrier_id, kind="cusres", reason=reason, message_id=message_id,
        flight_id=flight_id, body=b"", status=status, attempts=0,
        next_attempt_at=to_db(now) if status == "pending" else None,
        delivered_at=to_db(now) if status == "answered" else None,
        latency_ms=latency_ms, created_at=to_db(now),
    )).inserted_primary_key[0])  # type: ignore[index]  # fmt: skip
    body = build(f"{row_id:09d}")
    conn.execute(update(outbound_messages).where(outbound_messages.c.id == row_id)
                 .values(body=body))  # fmt: skip
    return row_id, body


def queue_unsolicited(
    conn: Connection,
    *,
    carrier: Carrier,
    manifest: Manifest,
    answers: list[Answer],
    message_id: int | None,
    flight_id: int | None,
    now: datetime,
) -> int | None:
    """Queue an unsolicited CUSRES for delivery; None when the carrier has no reply
    channel (the alert is still raised: the PIU must then call the carrier)."""
    if not answers or not (carrier.reply_url or carrier.reply_queue):
        log.warning("new hit on a flight of carrier %s, which has no reply channel", carrier.code)
        return None
    row_id, _body = record(
        conn, carrier_id=carrier.id, reason="unsolicited", status="pending",
        message_id=message_id, flight_id=flight_id, now=now,
        build=lambda ref: write_cusres(cusres_for(manifest, answers, ref, now)),
    )  # fmt: skip
    log.info("unsolicited CUSRES %d queued for carrier %s (%d traveller(s))",
             row_id, carrier.code, len(answers))  # fmt: skip
    return row_id


# -- new hits after a list change ------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    alert_id: int
    flight_id: int
    person_id: int
    list_name: str
    entry_id: str
    features: tuple[str, ...]


def directive_for(settings: Settings, action: str | None, features: Iterable[str]) -> Directive:
    """Contact by default (EU PNR Directive art. 7(6)); no board only where the
    jurisdiction allows it, for a no_board entry matched on the document."""
    if settings.iapi_auto_no_board and action == "no_board" and "document" in set(features):
        return Directive.parse(settings.iapi_no_board)
    return Directive.parse(settings.iapi_contact)


def _new_hits(conn: Connection, since: datetime, now: datetime) -> list[_Hit]:
    a, e, f = alerts, alert_events, flights
    departs_later = or_(
        f.c.departure_utc > to_db(now),
        and_(f.c.departure_utc.is_(None), f.c.flight_date >= now.date()),
    )
    rows = conn.execute(
        select(a.c.id, a.c.flight_id, a.c.person_id, a.c.list_name, a.c.entry_id, a.c.features)
        .join(e, e.c.alert_id == a.c.id).join(f, f.c.id == a.c.flight_id)
        .where(e.c.at >= to_db(since), e.c.kind.in_(("raised", "reopened")),
               e.c.message_id.is_(None),  # a list change, not a message
               a.c.source == "watchlist", a.c.status == "open",
               a.c.band.in_(("alert", "review")), departs_later)
        .distinct().order_by(a.c.id)
    ).all()  # fmt: skip
    return [_Hit(r[0], r[1], r[2], r[3], r[4],
                 tuple(str(x.get("name")) for x in json.loads(r[5] or "[]")))
            for r in rows]  # fmt: skip


def _api_source(conn: Connection, flight_id: int, person_id: int) -> tuple[int, int] | None:
    """(message id, seq) of the API data now listing this person on this flight."""
    ft = flight_travellers
    row = conn.execute(select(ft.c.message_id, ft.c.seq).where(
        ft.c.flight_id == flight_id, ft.c.person_id == person_id, ft.c.status == "listed")
    ).first()  # fmt: skip
    return (int(row[0]), int(row[1])) if row else None


def _manifest_of(conn: Connection, message_id: int) -> tuple[Manifest, list[Traveller]] | None:
    """The stored PAXLST re-read from the vault (for the envelope refs the answer
    echoes), with its travellers numbered as the store numbers them (seq 1..)."""
    raw = conn.scalar(select(message_raw.c.raw).where(message_raw.c.message_id == message_id))
    if raw is None:
        return None
    try:
        parsed = parse_message(MessageKind.PAXLST, bytes(raw))
    except PiuError:
        return None
    found = [m for m in parsed.manifests if m.flight is not None and m.flight.flight_date]
    if not found:
        return None
    return found[0], [t for m in found for t in m.travellers]


def unsolicited_since(engine: Engine, settings: Settings, since: datetime, now: datetime) -> int:
    """Queue an unsolicited CUSRES for every new list hit since ``since`` (alerts
    raised or reopened by a rescreen, not by a message) on a flight not yet
    departed, per carrier and PAXLST; mark those alerts urgent.  Returns the
    number of CUSRES queued.  Call it after ``rescreen_after_list_change`` with
    the time noted just before."""
    queued = 0
    with writer(engine).begin() as conn:
        hits = _new_hits(conn, since, now)
        groups: dict[int, list[tuple[int, _Hit]]] = defaultdict(list)
        for hit in hits:
            source = _api_source(conn, hit.flight_id, hit.person_id)
            if source is not None:
                groups[source[0]].append((source[1], hit))
        for message_id, items in sorted(groups.items()):
            sender = conn.scalar(select(messages.c.sender).where(messages.c.id == message_id))
            row = conn.execute(select(carriers).where(carriers.c.code == (sender or ""))
                               ).mappings().first()  # fmt: skip
            loaded = _manifest_of(conn, message_id)
            if row is None or loaded is None:
                continue  # not a carrier's push (a file), or nothing to echo
            carrier = carrier_store.get(conn, row["code"])
            manifest, travellers = loaded
            if _already_sent(conn, message_id, since):
                continue
            answers = _answers(conn, settings, items, travellers)
            flight_id = items[0][1].flight_id
            if queue_unsolicited(
                conn,
                carrier=carrier,
                manifest=manifest,
                answers=answers,
                message_id=message_id,
                flight_id=flight_id,
                now=now,
            ):
                queued += 1
            conn.execute(update(alerts).where(alerts.c.id.in_([h.alert_id for _s, h in items]))
                         .values(urgent=True))  # fmt: skip
    return queued


def _answers(
    conn: Connection, settings: Settings, items: list[tuple[int, _Hit]], travellers: list[Traveller]
) -> list[Answer]:
    """One answer per traveller (his strongest directive over his hits)."""
    actions: dict[tuple[str, str], str] = {}
    for name in {h.list_name for _s, h in items}:
        ids = [h.entry_id for _s, h in items if h.list_name == name]
        actions.update({(name, k): v.action for k, v in entries_by_ids(conn, name, ids).items()})
    contact = Directive.parse(settings.iapi_contact)
    best: dict[int, Directive] = {}
    for seq, hit in items:
        d = directive_for(settings, actions.get((hit.list_name, hit.entry_id)), hit.features)
        if best.get(seq) in (None, contact):
            best[seq] = d
    return [answer_of(travellers[seq - 1], d) for seq, d in sorted(best.items())
            if 0 < seq <= len(travellers)]  # fmt: skip


def _already_sent(conn: Connection, message_id: int, since: datetime) -> bool:
    """A second call over the same window queues nothing twice."""
    o = outbound_messages.c
    return conn.scalar(select(o.id).where(
        o.message_id == message_id, o.reason == "unsolicited", o.created_at >= to_db(since)
    ).limit(1)) is not None  # fmt: skip


# -- delivery ------------------------------------------------------------------------


class DeliveryError(Exception):
    """One attempt failed; the text is a status or a type name, never content."""


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min ... at most 1 h."""
    wait: timedelta = BACKOFF_FIRST * (2 ** max(attempts - 1, 0))
    return min(wait, BACKOFF_CAP)


def _post(url: str, body: bytes) -> None:
    import httpx

    try:
        response = httpx.post(url, content=body, headers={"content-type": CONTENT_TYPE},
                              timeout=HTTP_TIMEOUT)  # fmt: skip
    except httpx.HTTPError as exc:
        raise DeliveryError(type(exc).__name__) from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")


def publish_amqp(queue_url: str, queue: str, body: bytes) -> None:
    """Put the CUSRES on the carrier's reply queue (persistent, publisher-confirmed).
    TODO(issue 8): one connection per delivery; keep one open when volumes grow."""
    if not queue_url:
        raise DeliveryError("no broker configured (PIU_QUEUE_URL)")
    try:
        import pika  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pika is a dependency; a slim install may lack it
        raise DeliveryError("AMQP delivery needs pika, which is not installed") from None
    try:
        params = pika.URLParameters(queue_url)
        params.socket_timeout = params.blocked_connection_timeout = HTTP_TIMEOUT
        connection = pika.BlockingConnection(params)
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            channel.queue_declare(queue=queue, durable=True)
            channel.basic_publish(exchange="", routing_key=queue, body=body, mandatory=True,
                                  properties=pika.BasicProperties(content_type=CONTENT_TYPE,
                                                                  delivery_mode=2))  # fmt: skip
        finally:
            connection.close()
    except pika.exceptions.AMQPError as exc:
        raise DeliveryError(type(exc).__name__) from None


def _claim(conn: Connection, row_id: int, attempts: int, now: datetime) -> bool:
    o = outbound_messages.c
    done = conn.execute(update(outbound_messages).where(
        o.id == row_id, o.status == "pending", o.attempts == attempts,
        or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_db(now)),
    ).values(next_attempt_at=to_db(now + LEASE)))  # fmt: skip
    return done.rowcount == 1


def deliver_due(engine: Engine, settings: Settings, now: datetime, limit: int = 100) -> int:
    """Attempt every pending CUSRES whose time has come; returns how many were
    delivered.  Safe in many workers at once: each row is claimed before it is sent."""
    o = outbound_messages.c
    with engine.connect() as conn:
        due = conn.execute(
            select(o.id, o.attempts, o.body, carriers.c.code, carriers.c.reply_url,
                   carriers.c.reply_queue)
            .join(carriers, carriers.c.id == o.carrier_id)
            .where(o.status == "pending",
                   or_(o.next_attempt_at.is_(None), o.next_attempt_at <= to_db(now)))
            .order_by(o.next_attempt_at, o.id).limit(limit)
        ).all()  # fmt: skip
    delivered = 0
    for row_id, attempts, body, code, url, queue in due:
        with writer(engine).begin() as conn:
            if not _claim(conn, row_id, attempts, now):
                continue  # another worker has it
        error: str | None = None
        try:
            if url:
                _post(url, bytes(body))
            elif queue:
                publish_amqp(settings.queue_url, queue, bytes(body))
            else:
                raise DeliveryError("carrier has no reply channel")
        except DeliveryError as exc:
            error = str(exc)[:200]
        delivered += _log_attempt(engine, row_id, attempts + 1, error, code, now)
    return delivered


def _log_attempt(
    engine: Engine, row_id: int, attempt: int, error: str | None, code: str, now: datetime
) -> int:
    values: dict[str, object] = {"attempts": attempt, "last_attempt_at": to_db(now)}
    if error is None:
        values.update(status="delivered", delivered_at=to_db(now), next_attempt_at=None,
                      last_error=None)  # fmt: skip
        log.info("CUSRES %d delivered to carrier %s (attempt %d)", row_id, code, attempt)
    elif attempt >= MAX_ATTEMPTS:
        values.update(status="failed", next_attempt_at=None, last_error=error)
        log.error("CUSRES %d to carrier %s failed after %d attempts: %s",
                  row_id, code, attempt, error)  # fmt: skip
    else:
        values.update(next_attempt_at=to_db(now + backoff(attempt)), last_error=error)
        log.warning("CUSRES %d to carrier %s: attempt %d failed (%s)", row_id, code, attempt, error)
    with writer(engine).begin() as conn:
        conn.execute(update(outbound_messages).where(outbound_messages.c.id == row_id)
                     .values(**values))  # fmt: skip
    return 1 if error is None else 0


def outbound_log(conn: Connection, carrier_id: int | None = None) -> list[dict[str, object]]:
    """The delivery log (no bodies), newest first."""
    o = outbound_messages.c
    query = select(
        o.id,
        o.carrier_id,
        o.reason,
        o.status,
        o.attempts,
        o.last_attempt_at,
        o.next_attempt_at,
        o.last_error,
        o.delivered_at,
        o.latency_ms,
        o.created_at,
    )
    if carrier_id is not None:
        query = query.where(o.carrier_id == carrier_id)
    out = []
    for r in conn.execute(query.order_by(o.id.desc())).mappings():
        row = dict(r)
        for k in ("last_attempt_at", "next_attempt_at", "delivered_at", "created_at"):
            row[k] = as_utc(row[k])
        out.append(row)
    return out
