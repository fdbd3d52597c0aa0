"""Carrier compliance: per carrier and flight, which pushes the agreement asked
for, which came, on time, late or missing; and the quality of the API data.

The rules, in one place so an analyst can explain a figure to an airline:

* **Expected.** A carrier's schedule (``Carrier.schedule``, hours before
  departure per kind; 0 is flight closure, i.e. departure) gives one slot per
  kind and hour on each of its flights.  A carrier without an account is held
  to the usual agreement (:data:`openpiu.carriers.DEFAULT_SCHEDULE`).  A
  cancelled flight expects nothing.  A flight known only from PNR has a date
  but no departure time yet: it is judged against the end of its date at the
  origin (``departure_estimated``), lenient on lateness but still catching an
  API list that never came.
* **Came.** Each message applied to the flight (a PAXLST version, a PNR push)
  counts for the slot of its kind whose expected time is nearest to its
  arrival.  Arrival is when the PIU received it; for file intake, where that is
  only when someone dropped the file, it is the sender's own timestamp (UNB),
  read in the flight's local time as PAXLST and PNRGOV times are.
* **On time / late / missing.** A slot is on time when a push counted for it
  arrived by its expected time plus a tolerance (30 minutes before departure,
  15 minutes for closure); late when pushes counted for it all arrived after
  that; missing when none came and the deadline has passed; upcoming before.
* **Whose.** Over HTTP or AMQP the channel's sender is the authenticated
  carrier code; otherwise (file intake) the flight's airline.

This module computes; the reads are in :mod:`openpiu.store.compliance_queries`
and :func:`report` is the one service that joins both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection

from openpiu import carriers as carrier_accounts
from openpiu import reference
from openpiu.store import compliance_queries as q

SCHEDULED_KINDS = ("pnrgov", "paxlst")  # iAPI answers each check-in: no schedule
BEFORE_TOLERANCE = timedelta(minutes=30)
CLOSURE_TOLERANCE = timedelta(minutes=15)
ON_TIME, LATE, MISSING, UPCOMING, UNKNOWN = "on_time", "late", "missing", "upcoming", "unknown"
STATUSES = (ON_TIME, LATE, MISSING, UPCOMING, UNKNOWN)
QUALITY = ("no_document", "no_dob", "implausible_dob", "expired_document", "unverified")


def tolerance(hours: float) -> timedelta:
    return CLOSURE_TOLERANCE if hours == 0 else BEFORE_TOLERANCE


def slot_label(hours: float) -> str:
    return "closure" if hours == 0 else f"T-{hours:g}"


@dataclass(frozen=True)
class Slot:
    kind: str
    hours: float
    due: datetime | None  # None when the departure time is unknown
    status: str
    arrived_at: datetime | None = None
    pushes: int = 0  # how many pushes counted for this slot

    @property
    def label(self) -> str:
        return slot_label(self.hours)

    @property
    def delay_minutes(self) -> int | None:
        if self.status != LATE or self.due is None or self.arrived_at is None:
            return None
        return int((self.arrived_at - self.due).total_seconds() // 60)


def classify(kind: str, hours: Iterable[float], departure: datetime | None,
             arrived: Iterable[datetime], now: datetime) -> list[Slot]:  # fmt: skip
    """The slots of one kind on one flight, earliest first."""
    ordered = sorted(set(hours), reverse=True)
    if departure is None:
        return [Slot(kind, h, None, UNKNOWN) for h in ordered]
    dues = [departure - timedelta(hours=h) for h in ordered]
    counted: list[list[datetime]] = [[] for _ in ordered]
    if dues:
        for t in arrived:
            nearest = min(range(len(dues)), key=lambda i: abs(t - dues[i]))
            counted[nearest].append(t)
    slots = []
    for h, due, times in zip(ordered, dues, counted, strict=True):
        deadline = due + tolerance(h)
        in_time = sorted(t for t in times if t <= deadline)
        if in_time:
            slots.append(Slot(kind, h, due, ON_TIME, in_time[-1], len(times)))
        elif times:
            slots.append(Slot(kind, h, due, LATE, min(times), len(times)))
        else:
            slots.append(Slot(kind, h, due, MISSING if now > deadline else UPCOMING))
    return slots


def arrival_time(row: Mapping[str, Any], flight: Mapping[str, Any]) -> datetime:
    """When a message reached the PIU (see the module's rules)."""
    sent, local = row.get("sent_at"), flight.get("departure_local")
    utc = flight.get("departure_utc")
    if row["channel"] in q.FILE_CHANNELS and sent and local and utc:
        offset: timedelta = local - utc.replace(tzinfo=None)  # the origin's UTC offset
        arrived: datetime = (sent - offset).replace(tzinfo=UTC)
        return arrived
    received: datetime = row["received_at"]
    return received


def departure_of(flight: Mapping[str, Any]) -> tuple[datetime, bool]:
    """The flight's UTC departure, and whether it is an estimate (see above)."""
    if flight.get("departure_utc") is not None:
        return flight["departure_utc"], False
    local = flight.get("departure_local") or datetime.combine(flight["flight_date"],
                                                              time(23, 59))  # fmt: skip
    zone = reference.airport_zone(flight["origin"]) if flight.get("origin") else None
    return local.replace(tzinfo=zone or UTC).astimezone(UTC), True


def reporting_carrier(flight_carrier: str, senders: Counter[str]) -> str:
    """The carrier that answers for a flight: the network sender of most of its
    messages (a service provider sending for the airline), else the airline."""
    if senders:
        return min(senders, key=lambda s: (-senders[s], s))
    return flight_carrier


@dataclass
class FlightCompliance:
    flight_id: int
    designator: str
    flight_date: date
    origin: str | None
    destination: str | None
    departure_utc: datetime | None
    status: str
    carrier: str
    slots: list[Slot]
    quality: dict[str, int]  # travellers and the QUALITY counts
    departure_estimated: bool = False


@dataclass
class CarrierCompliance:
    code: str
    name: str
    registered: bool
    schedule: dict[str, list[float]]
    flights: list[FlightCompliance] = field(default_factory=list)
    refused: int = 0
    quarantined: int = 0
    events: dict[str, int] = field(default_factory=dict)
    last_arrival: datetime | None = None

    def slot_counts(self) -> dict[str, dict[str, int]]:
        """kind -> status -> slots."""
        out: dict[str, dict[str, int]] = {k: dict.fromkeys(STATUSES, 0) for k in self.schedule
                                          if k in SCHEDULED_KINDS}  # fmt: skip
        for f in self.flights:
            for s in f.slots:
                out.setdefault(s.kind, dict.fromkeys(STATUSES, 0))[s.status] += 1
        return out

    def quality(self) -> dict[str, int]:
        total = dict.fromkeys(("travellers", *QUALITY), 0)
        for f in self.flights:
            for k in total:
                total[k] += f.quality.get(k, 0)
        return total

    def shares(self) -> dict[str, float | None]:
        """Each quality count as a share of the travellers (None: no API data)."""
        total = self.quality()
        n = total["travellers"]
        return {k: (total[k] / n if n else None) for k in QUALITY}

    @property
    def feed_status(self) -> str:
        """One word for the dashboard: missing, late, ok, or none (nothing due yet)."""
        counts = Counter(s.status for f in self.flights for s in f.slots)
        if counts[MISSING]:
            return "missing"
        if counts[LATE]:
            return "late"
        return "ok" if counts[ON_TIME] else "none"


@dataclass
class Report:
    since: date
    generated_at: datetime
    carrier: str | None
    carriers: list[CarrierCompliance]


def build(*, since: date, now: datetime, carrier: str | None,
          accounts: Mapping[str, carrier_accounts.Carrier], flights: list[dict[str, Any]],
          arrivals: list[dict[str, Any]], quality: Mapping[int, dict[str, int]],
          refused: Mapping[str, int], quarantined: Mapping[str, int],
          events: Mapping[str, dict[str, int]]) -> Report:  # fmt: skip
    """The report from the rows the queries return (pure: no store, no clock)."""
    by_flight: dict[int, list[dict[str, Any]]] = {}
    for a in arrivals:
        by_flight.setdefault(int(a["flight_id"]), []).append(a)
    out: dict[str, CarrierCompliance] = {}

    def entry(code: str) -> CarrierCompliance:
        if code not in out:
            account = accounts.get(code)
            schedule = account.schedule if account else carrier_accounts.DEFAULT_SCHEDULE
            out[code] = CarrierCompliance(
                code, account.name if account else code, account is not None,
                {k: list(v) for k, v in schedule.items()
                 if k in SCHEDULED_KINDS and (account is None or account.may_send(k))})  # fmt: skip
        return out[code]

    for f in flights:
        rows = by_flight.get(int(f["id"]), [])
        senders = Counter(str(r["sender"]) for r in rows
                          if r["channel"] not in q.FILE_CHANNELS and r["sender"])  # fmt: skip
        code = reporting_carrier(f["carrier"], senders)
        # The filter finds a carrier's flights whether it reports them itself or
        # a service provider does for it (the dashboard names the airline).
        if carrier and carrier not in (code, f["carrier"]):
            continue
        c = entry(code)
        times: dict[str, list[datetime]] = {}
        for r in rows:
            times.setdefault(r["kind"], []).append(arrival_time(r, f))
            if c.last_arrival is None or r["received_at"] > c.last_arrival:
                c.last_arrival = r["received_at"]
        departure, estimated = departure_of(f)
        slots: list[Slot] = []
        if f["status"] != "cancelled":
            for kind, hours in c.schedule.items():
                slots += classify(kind, hours, departure, times.get(kind, []), now)
        slots.sort(key=lambda s: (s.due is None, s.due or now, s.kind))
        c.flights.append(FlightCompliance(
            int(f["id"]), f["designator"], f["flight_date"], f["origin"], f["destination"],
            f["departure_utc"], f["status"], code, slots,
            quality.get(int(f["id"]), dict.fromkeys(("travellers", *QUALITY), 0)),
            estimated))  # fmt: skip
    # Carriers with an account are listed even when none of their flights came.
    for code in accounts:
        if carrier is None or code == carrier:
            entry(code)
    for code, c in out.items():
        c.refused = refused.get(code, 0)
        c.quarantined = quarantined.get(code, 0)
        c.events = dict(events.get(code, {}))
    return Report(since, now, carrier, sorted(out.values(), key=lambda c: c.code))


def report(conn: Connection, since: date, now: datetime, carrier: str | None = None) -> Report:
    """The compliance report for flights departing on or after ``since`` (and
    refusals and events since its midnight UTC), optionally for one carrier."""
    code = carrier.strip().upper() if carrier else None
    start = datetime.combine(since, time(), UTC)
    return build(
        since=since, now=now, carrier=code,
        accounts={c.code: c for c in carrier_accounts.list_carriers(conn)},
        flights=q.flights_since(conn, since, code), arrivals=q.arrivals(conn, since, code),
        quality=q.quality(conn, since, code), refused=q.refused_by_sender(conn, start),
        quarantined=q.quarantined_by_sender(conn, start), events=q.events_by_carrier(conn, start),
    )  # fmt: skip


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_json(r: Report) -> dict[str, Any]:
    """The report as the CLI's --json and the API give it: counts and codes only."""
    return {
        "since": _iso(r.since), "generated_at": _iso(r.generated_at), "carrier": r.carrier,
        "carriers": [{
            "code": c.code, "name": c.name, "registered": c.registered, "schedule": c.schedule,
            "feed_status": c.feed_status, "last_arrival": _iso(c.last_arrival),
            "flights_count": len(c.flights), "slots": c.slot_counts(), "quality": c.quality(),
            "quality_shares": c.shares(), "refused": c.refused, "quarantined": c.quarantined,
            "events": c.events,
            "flights": [{
                "id": f.flight_id, "designator": f.designator, "flight_date": _iso(f.flight_date),
                "origin": f.origin, "destination": f.destination,
                "departure_utc": _iso(f.departure_utc), "status": f.status,
                "departure_estimated": f.departure_estimated,
                "quality": f.quality,
                "slots": [{"kind": s.kind, "hours": s.hours, "label": s.label,
                           "due": _iso(s.due), "status": s.status,
                           "arrived_at": _iso(s.arrived_at), "pushes": s.pushes,
                           "delay_minutes": s.delay_minutes} for s in f.slots],
            } for f in c.flights],
        } for c in r.carriers],
    }  # fmt: skip
