"""Backtest: run a criterion (a draft, usually) over stored history before it goes live.

Every passenger on every stored flight dated ``since`` or later is given the
same facts the pipeline would give them (:func:`~openpiu.criteria_service.
screened_travellers`, flights taken in batches), and the criterion is decided by
its compiled closure.  The report gives:

* the hit count and hit rate, overall and by route and by carrier;
* precision where analysts have already decided alerts: of the hits whose
  (flight, person) holds a decided alert (confirmed or referred: a true hit;
  dismissed: a false one), the share that was true; counted on this criterion's
  own alerts (earlier versions) and on alerts of any source;
* the spread of hits by gender, age band and nationality (as the documents give
  them: API data first, else the booking's), beside the spread of everyone
  screened, for oversight to see disparate impact.  These figures are
  shown to oversight; they are never an input to any criterion.

Nothing is written but one audit event (who ran which criterion over what).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Engine, select

from openpiu import accounts, audit, referrals
from openpiu.accounts import Actor, Role
from openpiu.criteria import (
    CompiledCriterion,
    CriteriaSet,
    Criterion,
    PaymentForm,
    compile_criterion,
    facts_read,
)
from openpiu.criteria_facts import FlightInfo, age_on
from openpiu.criteria_service import history_days, screened_travellers
from openpiu.store.criteria_rows import TextTest, flight_infos_since
from openpiu.store.db import writer
from openpiu.store.schema import alerts, flights

TRUE_HIT = ("confirmed", "referred")
DECIDED = (*TRUE_HIT, "dismissed")
AGE_BANDS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))
FLIGHTS_PER_BATCH = 200
Profile = tuple[int, str | None, date | None, str | None]  # flight, gender, dob, nationality


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "unknown"


@dataclass
class Precision:
    decided: int = 0  # hits with a decided alert
    true: int = 0  # of which confirmed or referred

    def line(self) -> str:
        if not self.decided:
            return "no decided alert among the hits"
        return f"{self.true / self.decided:.0%} ({self.true} true of {self.decided} decided)"


@dataclass
class BacktestReport:
    criterion_id: str
    since: date
    flights: int = 0
    screened: int = 0
    hits: int = 0
    by_route: Counter[str] = field(default_factory=Counter)  # hits
    route_totals: Counter[str] = field(default_factory=Counter)  # screened
    by_carrier: Counter[str] = field(default_factory=Counter)
    carrier_totals: Counter[str] = field(default_factory=Counter)
    own: Precision = field(default_factory=Precision)  # this criterion's alerts
    any_source: Precision = field(default_factory=Precision)
    # oversight only: (dimension, value) -> hits, and -> everyone screened
    spread: Counter[tuple[str, str]] = field(default_factory=Counter)
    spread_totals: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0

    def rate(self, hits: int, total: int) -> str:
        return f"{hits / total:.2%}" if total else "-"

    def lines(self, top: int = 10) -> list[str]:
        out = [
            f"backtest of {self.criterion_id} over flights from {self.since}: "
            f"{self.flights} flights, {self.screened} travellers screened in {self.seconds:.1f} s",
            f"hits: {self.hits} ({self.rate(self.hits, self.screened)})",
            f"precision on this criterion's decided alerts: {self.own.line()}",
            f"precision on any decided alert of the same traveller and flight: "
            f"{self.any_source.line()}",
        ]
        for title, hits, totals in (("route", self.by_route, self.route_totals),
                                    ("carrier", self.by_carrier, self.carrier_totals)):  # fmt: skip
            out.append(f"hit rate by {title} (top {top} by hits):")
            for key, n in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
                out.append(f"  {key:<12} {n:>7} of {totals[key]:>8}  {self.rate(n, totals[key])}")
        out.append("spread of hits, for oversight only (never usable in a criterion):")
        for dimension in ("gender", "age band", "nationality"):
            values = [(v, n) for (d, v), n in self.spread.items() if d == dimension]
            values.sort(key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(
                f"{v} {n} ({self.rate(n, self.spread_totals[(dimension, v)])} of "
                f"{self.spread_totals[(dimension, v)]})"
                for v, n in values[:top]
            )
            out.append(f"  by {dimension}: {shown or 'no hit'}")
        return out


def _decisions(conn: Connection, since: date) -> dict[tuple[int, int], list[tuple[str, bool]]]:
    """(flight, person) -> (criterion id or "", true hit?) of each decided alert."""
    recent = select(flights.c.id).where(flights.c.flight_date >= since).scalar_subquery()
    found: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for flight_id, person_id, source, entry_id, status in conn.execute(
        # As the front line judged it: a referral that came back a false match
        # counts as a false hit, whatever the analyst thought.
        select(alerts.c.flight_id, alerts.c.person_id, alerts.c.source, alerts.c.entry_id,
               referrals.judged_status())
        .where(alerts.c.status.in_(DECIDED), alerts.c.flight_id.in_(recent))
    ):  # fmt: skip
        key = (int(flight_id), int(person_id))
        found.setdefault(key, []).append(
            (entry_id if source == "criterion" else "", status in TRUE_HIT)
        )
    return found


# Guard facts whose values the stored booking holds verbatim, as JSON strings: a
# booking whose text holds none of the guard's values cannot meet the guard.
_VERBATIM = frozenset({"origin", "destination", "via_airports", "carrier", "payment_forms"})


def text_test(compiled: CompiledCriterion, infos: dict[int, FlightInfo]) -> TextTest | None:
    """A conservative test on a booking's stored text, or None when the criterion's
    guard cannot be read off the text.  It only ever skips a booking that cannot
    hit: the guard's value would appear in it as a JSON string (``"IST"``,
    ``"cash"``).  Airports and carriers may also come from the flight itself (a
    booking without an itinerary): such flights always pass."""
    guard = compiled.guard
    if guard is None or guard.fact not in _VERBATIM or PaymentForm.OTHER in guard.values:
        return None
    needles = tuple(f'"{value}"' for value in sorted(str(v) for v in guard.values))
    values = {str(v) for v in guard.values}
    by_flight = {
        flight_id
        for flight_id, info in infos.items()
        if {info.origin, info.destination, info.carrier} & values
    }

    if len(needles) == 1:  # the common case, without a generator per booking
        [needle] = needles

        def keep_one(text: str, flight_id: int) -> bool:
            return needle in text or flight_id in by_flight

        return keep_one

    def keep(text: str, flight_id: int) -> bool:
        return flight_id in by_flight or any(needle in text for needle in needles)

    return keep


def run_backtest(conn: Connection, criterion: Criterion, since: date) -> BacktestReport:
    """The report of ``criterion`` over every stored flight dated ``since`` or later."""
    started = time.perf_counter()
    # A backtest holds a batch of bookings' objects at once: the cyclic garbage
    # collector would walk them again and again (half the time, measured) and
    # find nothing to free, as none of them forms a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _run(conn, criterion, since)
    finally:
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - started
    return report


def _run(conn: Connection, criterion: Criterion, since: date) -> BacktestReport:
    report = BacktestReport(criterion.id, since)
    compiled = compile_criterion(criterion)
    decide, needs = compiled.decide, facts_read([criterion])
    history = history_days([criterion])
    wants_history = CriteriaSet([compiled]).needs_history
    infos = flight_infos_since(conn, since)
    keep = text_test(compiled, infos)
    decisions = _decisions(conn, since)
    report.flights = len(infos)
    # Counted per (flight, gender, birth date, nationality) and summed up at the
    # end: one dictionary update per traveller, not five.
    everyone: Counter[Profile] = Counter()
    hits: Counter[Profile] = Counter()
    ids = sorted(infos)
    for start in range(0, len(ids), FLIGHTS_PER_BATCH):
        batch = set(ids[start : start + FLIGHTS_PER_BATCH])
        for item in screened_travellers(conn, batch, needs, history, wants_history, keep):
            profile = (item.flight_id, item.gender, item.dob, item.nationality)
            everyone[profile] += 1
            if item.facts is None or decide(item.facts) is not True:
                continue
            hits[profile] += 1
            decided = decisions.get((item.flight_id, item.person_id), [])
            if item.pnr_person_id and item.pnr_person_id != item.person_id:
                decided = decided + decisions.get((item.flight_id, item.pnr_person_id), [])
            own = [true for key, true in decided if key == criterion.id]
            if own:
                report.own.decided += 1
                report.own.true += any(own)
            if decided:
                report.any_source.decided += 1
                report.any_source.true += any(true for _key, true in decided)
    for counts, by_route, by_carrier, spread in (
        (everyone, report.route_totals, report.carrier_totals, report.spread_totals),
        (hits, report.by_route, report.by_carrier, report.spread),
    ):
        for (flight_id, gender, dob, nationality), n in counts.items():
            info = infos[flight_id]
            by_route[info.route] += n
            by_carrier[info.carrier] += n
            spread[("gender", (gender or "U")[:1].upper())] += n
            spread[("age band", age_band(age_on(dob, info.flight_date)))] += n
            spread[("nationality", nationality or "unknown")] += n
    report.screened, report.hits = sum(everyone.values()), sum(hits.values())
    return report


def backtest(engine: Engine, actor: Actor, criterion: Criterion, since: date) -> BacktestReport:
    """Run the backtest for ``actor`` (audited: reading every stored traveller's
    facts is a processing of personal data for art. 6(2)(c), creating criteria)."""
    accounts.require(actor, Role.CRITERIA_AUTHOR, Role.SUPERVISOR, Role.ADMIN, Role.DPO)
    with engine.connect() as conn:
        report = run_backtest(conn, criterion, since)
    with writer(engine).begin() as conn:
        audit.record(conn, actor, "criterion.backtest", target_kind="criterion",
                     target_ids=[criterion.id], purpose="analysis to create or update criteria",
                     details={"since": since.isoformat(), "screened": report.screened,
                              "hits": report.hits})  # fmt: skip
    return report
