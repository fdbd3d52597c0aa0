"""The criteria part of ``piu demo``: the shipped example criteria put in force by
two demo accounts, their alerts shown beside the watchlist alerts (the strongest
of each criterion first), and a check against the generator's planted travel
patterns, one line each.

The demo acts as the local operator; a criterion, though, needs an author and a
*different* approver (four eyes), so the demo makes two accounts,
``demo-author`` (criteria_author) and ``demo-approver`` (supervisor), with random
passwords that are never shown: they exist so the record says who wrote and who
approved, as it will for real criteria.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import Connection, Engine, and_, select

from openpiu import accounts, audit
from openpiu import criteria_lifecycle as lifecycle
from openpiu.accounts import Actor
from openpiu.criteria import example_texts
from openpiu.store import criteria as criteria_store
from openpiu.store.db import writer
from openpiu.store.queries import flight_key
from openpiu.store.schema import alerts, bookings, flights, person_links, pnr_travellers

AUTHOR = Actor("demo-author", (accounts.Role.CRITERIA_AUTHOR.value,), "user")
APPROVER = Actor("demo-approver", (accounts.Role.SUPERVISOR.value,), "user")


def install_examples(engine: Engine, operator: Actor, now: datetime) -> list[str]:
    """Add the example criteria as demo-author and approve them as demo-approver
    (a second run finds them active and changes nothing); returns their refs."""
    with writer(engine).begin() as conn:
        known = {u.username for u in accounts.list_users(conn)}
        for actor in (AUTHOR, APPROVER):
            if actor.name not in known:
                accounts.create_user(conn, actor.name, accounts.generate_password(),
                                     actor.roles, created_by=operator.name)  # fmt: skip
                audit.record(
                    conn, operator, "user.create", target_kind="user",
                    target_ids=[actor.name], details={"roles": list(actor.roles)},
                )  # fmt: skip
    refs = []
    for name, text in example_texts().items():
        row = lifecycle.add(engine, AUTHOR, text, name, now).version
        if row.status != "active":
            row = lifecycle.approve(engine, APPROVER, row.ref, now)
        refs.append(row.ref)
    return refs


def print_criteria_alerts(console: Console, engine: Engine, actor: Actor, limit: int) -> int:
    """Open criteria alerts, each with the tests that held: the strongest of each
    criterion first (so every criterion that fired shows), then the strongest of
    the rest, up to ``limit``."""
    accounts.require(actor, accounts.Role.ANALYST, accounts.Role.SUPERVISOR)
    with engine.connect() as conn:
        ranked = conn.execute(
            select(alerts.c.id, alerts.c.score, alerts.c.entry_ref, alerts.c.matched_name,
                   alerts.c.features, flights.c.carrier, flights.c.number, flights.c.flight_date,
                   alerts.c.person_id, alerts.c.entry_id)
            .join(flights, flights.c.id == alerts.c.flight_id)
            .where(alerts.c.source == "criterion", alerts.c.status == "open")
            .order_by(alerts.c.score.desc(), alerts.c.created_at, alerts.c.id)
        ).all()  # fmt: skip
    firsts, seen = [], set()
    for r in ranked:
        if r.entry_id not in seen:
            seen.add(r.entry_id)
            firsts.append(r)
    chosen = {r.id for r in firsts[:limit]}
    rows = [*firsts[:limit], *(r for r in ranked if r.id not in chosen)][:limit]
    for r in rows:
        flight = flight_key(r.carrier, r.number, r.flight_date)
        console.print(f"#{r.id} CRITERION {r.score:.2f}  {flight}  person {r.person_id}  ~  "
                      f"{r.entry_ref} ({r.matched_name})", markup=False)  # fmt: skip
        for check in json.loads(r.features or "[]"):
            console.print(f"    {check['detail']}", markup=False)
    with writer(engine).begin() as conn:
        audit.record(conn, actor, "alerts.view", target_kind="alert",
                     target_ids=[r.id for r in rows], purpose="review queue")  # fmt: skip
    return len(rows)


def planted_line(engine: Engine, folder: Path) -> str | None:
    """For each travel pattern of the generator's ground truth
    (``watchlists/planted.jsonl``) that names an example criterion, how many of
    its bookings that criterion alerted; None without the file."""
    path = folder / "planted.jsonl"
    if not path.exists():
        return None
    patterns = [o for o in map(json.loads, path.open(encoding="utf-8"))
                if o.get("type") == "pattern" and o.get("criterion")]  # fmt: skip
    if not patterns:
        return None
    lines = []
    with engine.connect() as conn:
        for pattern in patterns:
            lines.append(_pattern_line(conn, pattern))
    return "\n".join(lines)


def _pattern_line(conn: Connection, pattern: dict[str, Any]) -> str:
    name, key = pattern["pattern"], pattern["criterion"]
    locators = set(pattern["locators"])
    hits = select(alerts.c.flight_id, alerts.c.person_id).where(
        alerts.c.source == "criterion", alerts.c.entry_id == key
    )
    alerted = {(int(f), int(p)) for f, p in conn.execute(hits)}
    found = set()
    for locator, flight_id, person_id, api_id in conn.execute(
        select(bookings.c.record_locator, pnr_travellers.c.flight_id,
               pnr_travellers.c.person_id, person_links.c.api_person_id)
        .join(bookings, bookings.c.id == pnr_travellers.c.booking_id)
        .outerjoin(person_links, and_(person_links.c.flight_id == pnr_travellers.c.flight_id,
                                      person_links.c.pnr_person_id
                                      == pnr_travellers.c.person_id))
        .where(bookings.c.record_locator.in_(sorted(locators)))
    ):  # fmt: skip
        if (flight_id, person_id) in alerted or (flight_id, api_id) in alerted:
            found.add(locator)
    current = criteria_store.find(conn, key).ref
    line = (f"planted pattern {name}: {len(found & locators)} of {len(locators)} bookings "
            f"alerted by {current}; {len(alerted)} alert(s) in all")  # fmt: skip
    if not locators and pattern.get("min_days"):
        line += f" (needs {pattern['min_days']}+ days of traffic: piu synth --days)"
    return line
