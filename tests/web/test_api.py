"""The REST API under /api/v1 on both backends: the right data, 401 without a
session, 403 for a role without the permission, 404 for unknown ids, an audit
event for every look at personal data, and decisions that need the CSRF header
and a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

import openpiu
from openpiu import accounts
from openpiu import criteria_lifecycle as lifecycle
from openpiu.pipeline import Pipeline
from openpiu.screening_service import load_watchlist
from openpiu.store.schema import alerts, audit_events
from openpiu.web import api_alerts, api_records
from openpiu.web.access import route_guard

T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)  # the seeded flight TK256 is dated 2025-03-15
SAMPLES = Path(openpiu.__file__).parent / "samples"
# The seeded list ``national`` (see conftest.seed_alert) with entry E1 renamed.
RENAMED = (
    b"entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
    b"doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n"
    b"E1,NAT-001,Jamshed Rakhimov,,,,1985-06-01,M,TJK,,,,notify,national law art. 5,PIU,,\n"
)


def looks(web, username: str) -> list[tuple[str, str | None, list[object], str | None]]:
    """(action, target kind, target ids, purpose) of the user's audit events."""
    with web.engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.action, audit_events.c.target_kind, audit_events.c.target_ids,
                   audit_events.c.purpose)
            .where(audit_events.c.actor == username).order_by(audit_events.c.id)).all()  # fmt: skip
    return [(a, k, json.loads(t) if t else [], p) for a, k, t, p in rows]


def routes_looked(web, username: str) -> list[tuple[str, str, list[object]]]:
    """(route template, kind, ids) of the user's looks at personal data."""
    with web.engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.details, audit_events.c.target_kind, audit_events.c.target_ids)
            .where(audit_events.c.actor == username,
                   audit_events.c.action == "personal_data.viewed")
            .order_by(audit_events.c.id)).all()  # fmt: skip
    return [(json.loads(d)["route"], k, json.loads(t)) for d, k, t in rows]


def person_of(web, alert_id: int) -> int:
    with web.engine.connect() as conn:
        return int(conn.scalar(select(alerts.c.person_id).where(alerts.c.id == alert_id)))


# -- alerts -------------------------------------------------------------------------


def test_queue_dossier_and_events(web) -> None:
    alert_id = web.seed_alert()
    analyst = web.client("analyst")
    queue = analyst.get("/api/v1/alerts")
    assert queue.status_code == 200
    body = queue.json()
    assert body["total"] == 1 and sum(body["counts"].values()) == 1
    [item] = body["items"]
    assert (item["id"], item["entry_ref"], item["carrier"]) == (alert_id, "NAT-001", "TK")
    assert item["traveller"]["surname"] == "RAKHIMOV" and item["flight_date"] == "2025-03-15"
    band = item["band"]
    assert analyst.get("/api/v1/alerts", params={"band": band}).json()["total"] == 1
    for params in ({"carrier": "zz"}, {"status": "dismissed"}, {"date_from": "2025-03-16"},
                   {"list_name": "other"}, {"source": "criterion"}):  # fmt: skip
        assert analyst.get("/api/v1/alerts", params=params).json()["items"] == [], params
    assert analyst.get("/api/v1/alerts", params={"carrier": "tk"}).json()["total"] == 1
    assert analyst.get("/api/v1/alerts", params={"offset": 1}).json()["items"] == []
    assert analyst.get("/api/v1/alerts", params={"limit": 201}).status_code == 422

    dossier = analyst.get(f"/api/v1/alerts/{alert_id}")
    assert dossier.status_code == 200
    d = dossier.json()
    assert d["alert"]["id"] == alert_id and d["alert"]["status"] == "open"
    assert d["flight"]["designator"].startswith("TK") and d["flight"]["flight_date"] == "2025-03-15"
    assert (d["api"]["surname"], d["api"]["dob"]) == ("RAKHIMOV", "1985-06-01")
    assert d["api"]["documents"][0]["number"] == "401122334"
    assert d["entry"]["kind"] == "watchlist" and d["entry"]["list_ref"] == "NAT-001"
    assert d["entry"]["data"]["name_parts"] == ["Jamshed", "Rahimov"]
    assert [e["kind"] for e in d["events"]] == ["raised"]
    assert d["history"][0]["id"] == d["flight"]["id"] and d["notes"] == [] == d["referrals"]
    assert datetime.fromisoformat(d["alert"]["created_at"]).tzinfo is not None  # ISO, UTC
    assert d["flight"]["departure_utc"].endswith("+00:00")

    events = analyst.get(f"/api/v1/alerts/{alert_id}/events")
    assert events.status_code == 200 and [e["kind"] for e in events.json()] == ["raised"]
    assert events.json()[0]["features"]  # the explanation, feature by feature

    assert analyst.get("/api/v1/alerts/999999").status_code == 404
    assert analyst.get("/api/v1/alerts/999999/events").status_code == 404
    seen = routes_looked(web, analyst.username)
    assert ("/api/v1/alerts", "alert", [alert_id]) in seen
    assert ("/api/v1/alerts", "alert", []) in seen  # an empty page is a look too
    assert ("/api/v1/alerts/{alert_id}", "alert", [alert_id]) in seen
    assert ("/api/v1/alerts/{alert_id}/events", "alert", [alert_id]) in seen
    assert not [ids for _, _, ids in seen if ids == [999999]]  # nothing was shown


def test_decisions_need_csrf_and_reason(web) -> None:
    alert_id = web.seed_alert()
    analyst = web.client("analyst")
    url = f"/api/v1/alerts/{alert_id}/decision"
    dismiss = {"decision": "dismiss", "reason": "different person: date of birth"}
    assert analyst.post(url, json=dismiss).status_code == 403  # no X-CSRF-Token
    assert analyst.post(url, json=dismiss, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert analyst.post(url, json={"decision": "dismiss"}, headers=analyst.csrf).status_code == 422
    blank = analyst.post(url, json={"decision": "dismiss", "reason": "  "}, headers=analyst.csrf)
    assert blank.status_code == 422 and "reason" in blank.json()["detail"]
    odd = analyst.post(url, json={"decision": "ignore", "reason": "x"}, headers=analyst.csrf)
    assert odd.status_code == 422
    missing = analyst.post("/api/v1/alerts/999999/decision", json=dismiss, headers=analyst.csrf)
    assert missing.status_code == 404
    done = analyst.post(url, json=dismiss, headers=analyst.csrf)
    assert done.status_code == 200 and done.json() == {"id": alert_id, "status": "dismissed"}
    again = analyst.post(url, json=dismiss, headers=analyst.csrf)
    assert again.status_code == 409
    assert analyst.get("/api/v1/alerts").json()["total"] == 0
    assert analyst.get("/api/v1/alerts", params={"status": "dismissed"}).json()["total"] == 1

    notes = f"/api/v1/alerts/{alert_id}/notes"
    assert analyst.post(notes, json={"text": "called the carrier"}).status_code == 403
    assert analyst.post(notes, json={"text": " "}, headers=analyst.csrf).status_code == 422
    note = analyst.post(notes, json={"text": "called the carrier"}, headers=analyst.csrf)
    assert note.status_code == 201
    assert analyst.post("/api/v1/alerts/999999/notes", json={"text": "x"},
                        headers=analyst.csrf).status_code == 404  # fmt: skip
    d = analyst.get(f"/api/v1/alerts/{alert_id}").json()
    assert [n["text"] for n in d["notes"]] == ["called the carrier"]
    assert d["notes"][0]["id"] == note.json()["id"]
    assert d["events"][-1]["kind"] == "dismissed" and d["events"][-1]["reason"] == dismiss["reason"]
    actions = [(a, k, t) for a, k, t, _ in looks(web, analyst.username)]
    assert ("alert.dismissed", "alert", [alert_id]) in actions
    assert ("alert.noted", "alert", [alert_id]) in actions

    dpo = web.client("dpo")  # reads everything, acts on nothing
    assert dpo.get(f"/api/v1/alerts/{alert_id}").status_code == 200
    confirm = {"decision": "confirm", "reason": "x"}
    assert dpo.post(url, json=confirm, headers=dpo.csrf).status_code == 403


def test_alert_routes_refuse_anonymous_and_other_roles(web) -> None:
    alert_id = web.seed_alert()
    anonymous, auditor = web.client(), web.client("auditor")
    reads = ("/api/v1/alerts", f"/api/v1/alerts/{alert_id}", f"/api/v1/alerts/{alert_id}/events")
    for url in reads:
        assert anonymous.get(url).status_code == 401, url
        assert auditor.get(url).status_code == 403, url
    decision = {"decision": "confirm", "reason": "x"}
    assert anonymous.post(f"/api/v1/alerts/{alert_id}/decision", json=decision).status_code == 401
    assert auditor.post(f"/api/v1/alerts/{alert_id}/decision", json=decision,
                        headers=auditor.csrf).status_code == 403  # fmt: skip
    assert auditor.post(f"/api/v1/alerts/{alert_id}/notes", json={"text": "x"},
                        headers=auditor.csrf).status_code == 403  # fmt: skip
    assert routes_looked(web, auditor.username) == []  # refused: nothing shown or recorded
    analyst = web.client("analyst")
    assert analyst.get(f"/api/v1/alerts/{alert_id}").json()["alert"]["status"] == "open"


# -- flights, persons, bookings -----------------------------------------------------


def test_flights_and_manifest(web) -> None:
    alert_id = web.seed_alert()
    analyst = web.client("analyst")
    listed = analyst.get("/api/v1/flights", params={"date_from": "2025-03-15"})
    assert listed.status_code == 200
    [flight] = listed.json()["items"]
    assert flight["key"] == "TK256/2025-03-15" and listed.json()["total"] == 1
    assert (flight["passengers"], flight["crew"], flight["open_alerts"]) == (2, 0, 1)
    assert flight["versions"] == 1 and flight["bookings"] == 0
    assert flight["departure_utc"].endswith("+00:00")  # UTC, said so on both backends
    assert analyst.get("/api/v1/flights", params={"date_to": "2025-03-14"}).json()["total"] == 0
    assert analyst.get("/api/v1/flights", params={"carrier": "ZZ"}).json()["items"] == []
    assert analyst.get("/api/v1/flights", params={"offset": 1}).json()["items"] == []
    assert not [k for k, _, _, _ in looks(web, analyst.username) if k == "personal_data.viewed"]

    detail = analyst.get(f"/api/v1/flights/{flight['id']}")
    assert detail.status_code == 200
    d = detail.json()
    assert d["flight"]["key"] == "TK256/2025-03-15" and len(d["versions"]) == 1
    names = {(m["surname"], m["given_names"]) for m in d["manifest"]}
    assert names == {("SMIRNOV", "ANDREY"), ("RAKHIMOV", "DZHAMSHED")}
    rakhimov = next(m for m in d["manifest"] if m["surname"] == "RAKHIMOV")
    assert rakhimov["documents"][0]["number"] == "401122334"
    assert rakhimov["person_id"] == person_of(web, alert_id)
    [(_, kind, ids, _)] = [e for e in looks(web, analyst.username)
                           if e[0] == "personal_data.viewed"]  # fmt: skip
    assert kind == "traveller" and sorted(ids) == sorted(m["person_id"] for m in d["manifest"])
    assert analyst.get("/api/v1/flights/999999").status_code == 404

    admin, anonymous = web.client("admin"), web.client()  # admin: no passenger data
    for url in ("/api/v1/flights", f"/api/v1/flights/{flight['id']}"):
        assert admin.get(url).status_code == 403 and anonymous.get(url).status_code == 401


def test_person_travel(web) -> None:
    alert_id = web.seed_alert()
    person = person_of(web, alert_id)
    analyst = web.client("analyst")
    travel = analyst.get(f"/api/v1/persons/{person}/travel", params={"purpose": "case 2025/17"})
    assert travel.status_code == 200
    [trip] = travel.json()["flights"]
    assert (trip["flight_date"], trip["role"], trip["status"]) == ("2025-03-15", "passenger",
                                                                   "listed")  # fmt: skip
    assert ("personal_data.viewed", "person", [person], "case 2025/17") in looks(
        web, analyst.username
    )
    assert analyst.get("/api/v1/persons/999999/travel").status_code == 404
    assert web.client("watchlist_manager").get(f"/api/v1/persons/{person}/travel"
                                               ).status_code == 403  # fmt: skip
    assert web.client().get(f"/api/v1/persons/{person}/travel").status_code == 401


def test_bookings_by_locator(web) -> None:
    web.seed_alert()
    raw = (SAMPLES / "00_TK0256_pnr_t24.edi").read_bytes()
    outcome = Pipeline(web.engine, web.settings, clock=lambda: T0).ingest_bytes(raw)
    assert outcome.status == "processed", outcome
    analyst = web.client("analyst")
    found = analyst.get("/api/v1/bookings", params={"locator": "344tfj", "purpose": "case 9"})
    assert found.status_code == 200
    [booking] = found.json()["items"]
    assert booking["record_locator"] == "344TFJ"
    assert {"system": "TK", "locator": "344TFJ"} in booking["locators"]
    assert booking["flights"][0]["status"] == "on_flight"
    travellers = booking["versions"][-1]["data"]["travellers"]
    assert {t["surname"] for t in travellers} == {"OZTURK", "SAHIN"}
    assert "4074833788762328" not in found.text  # the card number never left the filter
    assert ("personal_data.viewed", "booking", [booking["id"]], "case 9") in looks(
        web, analyst.username
    )
    flight = analyst.get("/api/v1/flights").json()["items"][0]
    assert flight["bookings"] >= 1
    assert analyst.get("/api/v1/bookings", params={"locator": "NOSUCH"}).json()["items"] == []
    assert analyst.get("/api/v1/bookings").status_code == 422
    assert web.client("auditor").get("/api/v1/bookings",
                                     params={"locator": "344TFJ"}).status_code == 403  # fmt: skip
    assert web.client().get("/api/v1/bookings", params={"locator": "344TFJ"}).status_code == 401


# -- the vault, watchlists, criteria ------------------------------------------------


def test_messages_show_statuses_never_content(web) -> None:
    web.seed_alert()
    analyst = web.client("analyst")
    r = analyst.get("/api/v1/messages")
    assert r.status_code == 200
    body = r.json()
    assert (body["counts"]["received"], body["counts"]["processed"]) == (1, 1)
    [message] = body["items"]
    assert (message["kind"], message["status"], message["channel"]) == ("paxlst", "processed",
                                                                        "file")  # fmt: skip
    assert "raw" not in message and "RAKHIMOV" not in r.text
    assert analyst.get("/api/v1/messages", params={"status": "quarantined"}).json()["items"] == []
    assert not [e for e in looks(web, analyst.username) if e[0] == "personal_data.viewed"]
    assert web.client("auditor").get("/api/v1/messages").status_code == 403
    assert web.client().get("/api/v1/messages").status_code == 401


def test_watchlists_versions_and_entries(web) -> None:
    web.seed_alert()
    load_watchlist(web.engine, accounts.Actor.local(), "national", "csv",
                   RENAMED, "list.csv", T0)  # fmt: skip
    manager = web.client("watchlist_manager")
    lists = manager.get("/api/v1/watchlists")
    assert lists.status_code == 200
    [national] = lists.json()
    assert (national["name"], national["version"], national["entry_count"]) == ("national", 2, 1)
    diff = manager.get("/api/v1/watchlists/national/versions/2/diff")
    assert diff.status_code == 200
    assert diff.json() == {"name": "national", "version": 2, "added": [], "changed": ["E1"],
                           "removed": []}  # fmt: skip
    assert manager.get("/api/v1/watchlists/national/versions/1/diff").json()["added"] == ["E1"]
    assert manager.get("/api/v1/watchlists/national/versions/9/diff").status_code == 404
    assert manager.get("/api/v1/watchlists/nosuch/versions/1/diff").status_code == 404
    assert not [e for e in looks(web, manager.username) if e[0] == "personal_data.viewed"]

    entries = manager.get("/api/v1/watchlists/national/entries")
    assert entries.status_code == 200
    [entry] = entries.json()["items"]
    assert entries.json()["total"] == 1 and entry["entry_id"] == "E1"
    assert entry["since_version"] == 2 and entry["data"]["name_parts"] == ["Jamshed", "Rakhimov"]
    assert manager.get("/api/v1/watchlists/national/entries",
                       params={"offset": 1}).json()["items"] == []  # fmt: skip
    assert ("personal_data.viewed", "watchlist_entry", ["E1"], None) in looks(web, manager.username)
    assert manager.get("/api/v1/watchlists/nosuch/entries").status_code == 404

    author = web.client("criteria_author")
    for url in ("/api/v1/watchlists", "/api/v1/watchlists/national/entries",
                "/api/v1/watchlists/national/versions/1/diff"):  # fmt: skip
        assert author.get(url).status_code == 403 and web.client().get(url).status_code == 401


CRITERION = """\
id: one-way-cash
title: one way, paid in cash
purpose: drug_trafficking
owner: test-team
justification: written for the API tests
review_date: 2026-06-30
score: 40
when:
  all:
    - {fact: payment_forms, includes: cash}
    - {fact: one_way, equals: true}
"""


def test_criteria_and_versions(web) -> None:
    author = accounts.Actor("author", ("criteria_author",), "user")
    at = datetime(2025, 3, 1, tzinfo=UTC)
    first = lifecycle.add(web.engine, author, CRITERION, "c.yaml", at).version
    lifecycle.approve(web.engine, accounts.Actor("boss", ("supervisor",), "user"), first.ref, at)
    lifecycle.add(web.engine, author, CRITERION.replace("score: 40", "score: 50"), "c.yaml", at)
    analyst = web.client("analyst")
    listed = analyst.get("/api/v1/criteria")
    assert listed.status_code == 200
    [criterion] = listed.json()
    assert (criterion["key"], criterion["versions"]) == ("one-way-cash", 2)
    assert criterion["latest"]["version"] == 2 and criterion["latest"]["status"] == "draft"
    assert criterion["active"] == 1 and "yaml" not in criterion["latest"]
    versions = analyst.get("/api/v1/criteria/one-way-cash/versions")
    assert versions.status_code == 200
    v1, v2 = versions.json()
    assert (v1["status"], v1["approver"], v1["ref"]) == ("active", "boss", "one-way-cash@1")
    assert v1["yaml"] == CRITERION and "score: 50" in v2["yaml"]
    assert analyst.get("/api/v1/criteria/nosuch/versions").status_code == 404
    assert web.client("watchlist_manager").get("/api/v1/criteria").status_code == 403
    assert web.client().get("/api/v1/criteria/one-way-cash/versions").status_code == 401


# -- the audit trail and the accounts -----------------------------------------------


def test_audit_trail_reading_is_recorded(web) -> None:
    alert_id = web.seed_alert()
    analyst = web.client("analyst")
    analyst.get(f"/api/v1/alerts/{alert_id}")
    auditor = web.client("auditor")
    r = auditor.get("/api/v1/audit", params={"action": "personal_data.viewed"})
    assert r.status_code == 200
    [event] = r.json()["items"]
    assert (event["actor"], event["target_kind"], event["target_ids"]) == (
        analyst.username,
        "alert",
        [alert_id],
    )
    assert event["actor_roles"] == ["analyst"] and event["hash"]
    everything = auditor.get("/api/v1/audit", params={"since": "2000-01-01", "limit": 1000})
    assert len(everything.json()["items"]) > 1
    assert auditor.get("/api/v1/audit", params={"since": "2999-01-01"}).json()["items"] == []
    assert auditor.get("/api/v1/audit", params={"limit": 1}).json()["items"][0]["id"] == 1
    own_reads = auditor.get("/api/v1/audit", params={"action": "audit.read"}).json()["items"]
    counts = [e["details"] for e in own_reads if e["actor"] == auditor.username]
    n_all = len(everything.json()["items"])
    assert counts == [{"events": 1}, {"events": n_all}, {"events": 0}, {"events": 1}]
    assert analyst.get("/api/v1/audit").status_code == 403
    assert web.client().get("/api/v1/audit").status_code == 401
    assert web.client("dpo").get("/api/v1/audit").status_code == 200


def test_users_without_secrets(web) -> None:
    admin = web.client("admin")
    analyst = web.client("analyst")
    r = admin.get("/api/v1/users")
    assert r.status_code == 200
    by_name = {u["username"]: u for u in r.json()}
    assert by_name[analyst.username]["roles"] == ["analyst"]
    assert by_name[analyst.username]["active"] is True
    assert "password" not in r.text and "totp" not in r.text and "$argon2" not in r.text
    assert analyst.get("/api/v1/users").status_code == 403
    assert web.client("dpo").get("/api/v1/users").status_code == 403
    assert web.client().get("/api/v1/users").status_code == 401


def test_every_api_route_declares_its_guard() -> None:
    """Each route of these routers wears one guard; those that show people name
    the kind of record, so the look is audited."""
    personal = {
        (r.path, m): route_guard(r).personal  # type: ignore[union-attr]
        for module in (api_alerts, api_records) for r in module.router.routes
        for m in r.methods  # type: ignore[attr-defined]
    }  # fmt: skip
    assert all(route_guard(r) is not None for m in (api_alerts, api_records)
               for r in m.router.routes)  # fmt: skip
    assert {k: v for k, v in personal.items() if v} == {
        ("/api/v1/alerts", "GET"): "alert",
        ("/api/v1/alerts/{alert_id}", "GET"): "alert",
        ("/api/v1/alerts/{alert_id}/events", "GET"): "alert",
        ("/api/v1/flights/{flight_id}", "GET"): "traveller",
        ("/api/v1/persons/{person_id}/travel", "GET"): "person",
        ("/api/v1/bookings", "GET"): "booking",
        ("/api/v1/watchlists/{name}/entries", "GET"): "watchlist_entry",
    }
