"""The travel patterns of a generated run, as ground-truth lines of ``planted.jsonl``.

Two sorts (issue 4, item 2; issue 6, item 6):

* *selected*: bookings the traffic holds by chance that fit a rule, found here
  from the facts of the booking lines (``cash_agency_day_before`` and its
  clusters by agency and flight);
* *planted*: bookings the generator made to fit a pattern and marked
  (``"planted"`` in the booking line; see :mod:`openpiu.synth.travel_patterns`):
  ``broken_itinerary_via_hub``, ``new_document_late_ticket`` and
  ``repeated_trips_short_stay``.

Each line names the example criterion meant to fire on it (``criterion``), the
booking locators and travellers it fires for, and per case what makes it one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from openpiu.synth import travel_patterns as tp

CRITERIA = {
    "cash_agency_day_before": "example-cash-one-way-day-before",
    tp.BROKEN: "example-broken-itinerary-via-hub",
    tp.NEW_DOCUMENT: "example-new-document-late-ticket",
    tp.REPEATED: "example-repeated-trips-to-country",
}


def pattern_lines(bookings: list[dict[str, Any]], flights: dict[str, dict[str, Any]],
                  travellers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Every pattern's line, in a fixed order."""
    marked: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in bookings:
        if b.get("planted"):
            marked[tp.pattern_of(b["planted"]) or ""].append(b)
    return [*_cash(bookings, flights), _broken(marked[tp.BROKEN]),
            _new_document(marked[tp.NEW_DOCUMENT], flights, travellers),
            _repeated(marked[tp.REPEATED])]  # fmt: skip


def _departure(b: dict[str, Any], flights: dict[str, dict[str, Any]]) -> datetime:
    return datetime.fromisoformat(flights[b["flight"]]["departure_local"])


def _cash(bookings: list[dict[str, Any]],
          flights: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    chosen, clusters = [], defaultdict(list)
    for b in bookings:
        dep = flights[b["flight"]]["departure_local"][:10]
        bought = b["created"][:10]
        if (
            b["payment"] == "cash"
            and b["channel"] == "agency"
            and b["kind"] == "solo"
            and not b["cancelled"]
            and (date.fromisoformat(dep) - date.fromisoformat(bought)).days == 1
        ):
            chosen.append(b)
            clusters[(b["agency"], b["flight"])].append(b)
    cluster_lines = [
        {"agency": a, "flight": f, "locators": [b["locator"] for b in bs],
         "travellers": [p for b in bs for p in b["travellers"]]}
        for (a, f), bs in sorted(clusters.items())
        if len(bs) >= 3
    ]  # fmt: skip
    return [
        {"type": "pattern", "pattern": "cash_agency_day_before", "status": "selected",
         "criterion": CRITERIA["cash_agency_day_before"],
         "rule": {"payment": "cash", "channel": "agency", "party": "solo",
                  "bought": "calendar day before departure", "one_way": True},
         "note": "every generated booking is one way (a connection included)",
         "locators": [b["locator"] for b in chosen],
         "travellers": [p for b in chosen for p in b["travellers"]]},
        {"type": "pattern", "pattern": "cash_agency_day_before_cluster",
         "status": "selected", "rule": {"same": ["agency", "flight"], "min_bookings": 3},
         "clusters": cluster_lines},
    ]  # fmt: skip


def _line(pattern: str, rule: dict[str, Any], found: list[dict[str, Any]],
          cases: list[dict[str, Any]], **more: Any) -> dict[str, Any]:  # fmt: skip
    return {"type": "pattern", "pattern": pattern, "status": "planted",
            "criterion": CRITERIA[pattern], "rule": rule, **more,
            "locators": [b["locator"] for b in found],
            "travellers": [p for b in found for p in b["travellers"]], "cases": cases}  # fmt: skip


def _broken(found: list[dict[str, Any]]) -> dict[str, Any]:
    rule = {"via": "IST or DXB hub (SAW, SHJ the other airports)",
            "broken": "next leg from the city's other airport, or more than 24 h later",
            "ticketed": "within 30 days of the flight"}
    cases = [{"locator": b["locator"], "how": b["planted"].partition(":")[2],
              "itinerary": b["itinerary"]} for b in found]  # fmt: skip
    return _line(tp.BROKEN, rule, found, cases)


def _new_document(found: list[dict[str, Any]], flights: dict[str, dict[str, Any]],
                  travellers: dict[str, dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    rule = {"document_issued": "2 to 25 days before departure (API DOC/DTM 182)",
            "ticketed": "within 48 hours of departure", "traveller": "adult, alone"}
    cases = []
    for b in found:
        dep = _departure(b, flights)
        person = travellers.get(b["travellers"][0], {})
        issued = (person.get("document") or {}).get("issued")
        ticketed = datetime.fromisoformat(b["created"]) + timedelta(minutes=20)
        cases.append({"locator": b["locator"], "traveller": b["travellers"][0],
                      "document_issued": issued,
                      "ticket_lead_hours": round((dep - ticketed).total_seconds() / 3600, 1)})
    return _line(tp.NEW_DOCUMENT, rule, found, cases)


def _repeated(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Alerts are expected on the last trip out (two trips out before it); the
    earlier steps are listed as the history that makes it."""
    rule = {"trips_out": f"{tp.REPEATED_STEPS // 2 + 1} to {sorted(tp.REPEATED_COUNTRIES)} "
                         "within 9 days, home in between", "one_way": True}  # fmt: skip
    steps: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for b in found:
        steps[b["travellers"][0]].append((int(b["planted"].rpartition(":")[2]), b))
    last = tp.REPEATED_STEPS - 1
    complete, cases = [], []
    for pid, trips in steps.items():
        trips.sort(key=lambda x: x[0])
        if trips[-1][0] != last:
            continue
        complete.append(trips[-1][1])
        cases.append({"traveller": pid, "locator": trips[-1][1]["locator"],
                      "trips": [[b["locator"], b["flight"]] for _, b in trips]})
    return _line(tp.REPEATED, rule, complete, cases, started=sum(
        1 for trips in steps.values() if trips[0][0] == 0), min_days=tp.REPEATED_MIN_DAYS,
        note=f"needs earlier days: a run of {tp.REPEATED_MIN_DAYS} days or more "
             "(piu synth --days) completes the travellers started early; a one-day demo "
             "holds first trips only")  # fmt: skip
