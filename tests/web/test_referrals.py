"""Referrals and the requests register through the web app: four eyes over the API
and the pages, the disclosure audited, the alert referred, the outcome recorded,
the register round trip, validation, CSRF on every form."""

from __future__ import annotations

import re

from sqlalchemy import select

from openpiu.store.schema import audit_events

HTML = {"accept": "text/html"}


def audit_of(web, action: str) -> list[tuple[str, str, str | None]]:
    with web.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(audit_events.c.actor, audit_events.c.target_ids, audit_events.c.details)
            .where(audit_events.c.action == action).order_by(audit_events.c.id))]  # fmt: skip


def test_api_four_eyes(web) -> None:
    alert_id = web.seed_alert()
    analyst, other = web.client("analyst"), web.client("analyst")
    supervisor = web.client("supervisor")
    body = {"alert_id": alert_id, "authority": "border_guard",
            "data_items": ["identity", "document", "hit_explanation"],
            "reason": "listed person booked on TK256"}
    # Validation: unknown authority, unknown item, no item, missing field.
    for bad in ({"authority": "interpol"}, {"data_items": ["bank"]}, {"data_items": []},
                {"reason": ""}):
        r = analyst.post("/api/v1/referrals", headers=analyst.csrf, json={**body, **bad})
        assert r.status_code == 422, (bad, r.text)
    assert analyst.post("/api/v1/referrals", headers=analyst.csrf,
                        json={"alert_id": alert_id}).status_code == 422
    assert analyst.post("/api/v1/referrals", json=body).status_code == 403  # no CSRF token
    made = analyst.post("/api/v1/referrals", headers=analyst.csrf, json=body)
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert made.json() == {"id": rid, "status": "pending", "alert_status": "open",
                           "outcome": None}
    # Nobody but a supervisor other than the proposer approves it.
    assert other.post(f"/api/v1/referrals/{rid}/approve", headers=other.csrf,
                      json={}).status_code == 403
    assert other.post(f"/api/v1/referrals/{rid}/withdraw", headers=other.csrf,
                      json={}).status_code == 403
    both = web.client("supervisor", "analyst")
    own = both.post("/api/v1/referrals", headers=both.csrf, json={**body, "authority": "police"})
    assert own.status_code == 201
    refused = both.post(f"/api/v1/referrals/{own.json()['id']}/approve", headers=both.csrf,
                        json={})
    assert refused.status_code == 403 and "second person" in refused.json()["detail"]
    assert audit_of(web, "referral.disclosed") == []
    ok = supervisor.post(f"/api/v1/referrals/{rid}/approve", headers=supervisor.csrf,
                         json={"note": "proportionate"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "approved" and ok.json()["alert_status"] == "referred"
    [(actor, ids, details)] = audit_of(web, "referral.disclosed")
    assert (actor, ids) == (supervisor.username, f"[{rid}]")
    assert '"authority":"border_guard"' in details and "RAKHIMOV" not in details
    assert '"data":["identity","document","hit_explanation"]' in details
    # Approved once; the outcome comes back, validated, and is readable.
    assert supervisor.post(f"/api/v1/referrals/{rid}/reject", headers=supervisor.csrf,
                           json={"note": "late"}).status_code == 409
    assert other.post(f"/api/v1/referrals/{rid}/outcome", headers=other.csrf,
                      json={"outcome": "vanished"}).status_code == 422
    done = other.post(f"/api/v1/referrals/{rid}/outcome", headers=other.csrf,
                      json={"outcome": "questioned_released", "note": "checked at gate"})
    assert done.status_code == 200 and done.json()["outcome"] == "questioned_released"
    got = other.get(f"/api/v1/referrals/{rid}").json()
    assert (got["decided_by"], got["outcome_by"], got["sent_at"] is not None) == (
        supervisor.username, other.username, True)
    listed = other.get("/api/v1/referrals", params={"status": "pending"}).json()["referrals"]
    assert [r["authority"] for r in listed] == ["police"]
    assert other.get("/api/v1/referrals", params={"status": "lost"}).status_code == 422
    assert other.get("/api/v1/referrals/999999").status_code == 404
    # Reading referrals is an audited look; the alert history shows who referred it.
    looks = [ids for actor, ids, _ in audit_of(web, "personal_data.viewed")
             if actor == other.username]
    assert f"[{rid}]" in looks
    view = other.get(f"/alerts/{alert_id}", headers=HTML)
    assert re.search(rf"referred · alert [0-9.]+ · list version 1 · {supervisor.username}",
                     view.text)
    # Roles without the permission.
    assert web.client("auditor").get("/api/v1/referrals").status_code == 403
    admin = web.client("admin")
    assert admin.get(f"/api/v1/referrals/{rid}").status_code == 403


def test_api_requests_register(web) -> None:
    supervisor, analyst = web.client("supervisor"), web.client("analyst")
    body = {"authority": "police", "requester": "Insp. K. Nazarov",
            "legal_basis": "Code of Criminal Procedure art. 12", "case_ref": "2025/117",
            "reason": "smuggling investigation", "searched": "cash bookings IST-DYU",
            "disclosed": "3 bookings", "decision": "partial",
            "received_at": "2025-03-15T08:00:00Z"}
    assert analyst.post("/api/v1/requests", headers=analyst.csrf, json=body).status_code == 403
    assert analyst.get("/api/v1/requests").status_code == 403
    for bad in ({"legal_basis": " "}, {"decision": "maybe"}, {"disclosed": None},
                {"decision": "refused"}, {"received_at": "2025-03-15T08:00:00"}):
        r = supervisor.post("/api/v1/requests", headers=supervisor.csrf, json={**body, **bad})
        assert r.status_code == 422, (bad, r.text)
    made = supervisor.post("/api/v1/requests", headers=supervisor.csrf, json=body)
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    refused = supervisor.post("/api/v1/requests", headers=supervisor.csrf,
                              json={**body, "decision": "refused", "disclosed": None})
    assert refused.status_code == 201
    got = supervisor.get(f"/api/v1/requests/{rid}").json()
    assert (got["requester"], got["case_ref"], got["disclosed"], got["recorded_by"]) == (
        "Insp. K. Nazarov", "2025/117", "3 bookings", supervisor.username)
    assert got["received_at"].startswith("2025-03-15T08:00:00")
    dpo = web.client("dpo")
    listed = dpo.get("/api/v1/requests").json()["requests"]
    assert {r["decision"] for r in listed} == {"partial", "refused"}
    assert dpo.post("/api/v1/requests", headers=dpo.csrf, json=body).status_code == 403
    recorded = audit_of(web, "request.recorded")
    assert len(recorded) == 2 and all("Nazarov" not in (d or "") for _a, _i, d in recorded)
    looks = [(a, i) for a, i, _ in audit_of(web, "personal_data.viewed")]
    assert (dpo.username, f"[{refused.json()['id']},{rid}]") in looks  # newest first
    assert (supervisor.username, f"[{rid}]") in looks


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


def test_pages_refer_approve_outcome(web) -> None:
    alert_id = web.seed_alert()
    analyst, supervisor = web.client("analyst"), web.client("supervisor")
    form = analyst.get(f"/alerts/{alert_id}/refer", headers=HTML)
    assert form.status_code == 200
    assert 'value="border_guard"' in form.text and 'value="hit_explanation"' in form.text
    token = csrf_of(form.text)
    fields = {"authority": "customs", "data_items": ["identity", "booking"],
              "reason": "cash ticket, listed"}
    # A form without its token is refused; nothing checked is a clear 422 page.
    assert analyst.post(f"/alerts/{alert_id}/refer", data=fields,
                        headers=HTML).status_code == 403
    empty = analyst.post(f"/alerts/{alert_id}/refer", headers=HTML,
                         data={**fields, "data_items": [], "csrf_token": token})
    assert empty.status_code == 422 and "at least one" in empty.text
    sent = analyst.post(f"/alerts/{alert_id}/refer", headers=HTML,
                        data={**fields, "csrf_token": token})
    assert sent.status_code == 303 and sent.headers["location"] == "/referrals"
    # The proposer sees it waiting, without approve buttons; the supervisor gets them.
    own = analyst.get("/referrals", headers=HTML)
    assert "Awaiting a second person" in own.text and "/approve" not in own.text
    page = supervisor.get("/referrals", headers=HTML)
    assert page.status_code == 200 and "cash ticket, listed" in page.text
    [rid] = re.findall(r'action="/referrals/(\d+)/approve"', page.text)
    token = csrf_of(page.text)
    assert supervisor.post(f"/referrals/{rid}/approve", headers=HTML,
                           data={"note": ""}).status_code == 403  # no token
    approved = supervisor.post(f"/referrals/{rid}/approve", headers=HTML,
                               data={"note": "ok", "csrf_token": token})
    assert approved.status_code == 303 and approved.headers["location"] == "/referrals"
    assert len(audit_of(web, "referral.disclosed")) == 1
    # The outcome form appears on the approved referral.
    page = analyst.get("/referrals", headers=HTML)
    assert f'action="/referrals/{rid}/outcome"' in page.text
    recorded = analyst.post(f"/referrals/{rid}/outcome", headers=HTML,
                            data={"outcome": "boarding_denied", "note": "",
                                  "csrf_token": csrf_of(page.text)})
    assert recorded.status_code == 303
    page = analyst.get("/referrals?status=approved", headers=HTML)
    assert "Boarding denied" in page.text and f'action="/referrals/{rid}/outcome"' not in page.text
    alert = analyst.get(f"/alerts/{alert_id}", headers=HTML)
    assert "referred" in alert.text and "boarding_denied" in alert.text
    # A referred alert offers no new proposal.
    again = analyst.get(f"/alerts/{alert_id}/refer", headers=HTML)
    assert "Only an open or confirmed alert" in again.text


def test_pages_reject_and_register(web) -> None:
    alert_id = web.seed_alert()
    analyst, supervisor = web.client("analyst"), web.client("supervisor")
    assert analyst.post("/api/v1/referrals", headers=analyst.csrf, json={
        "alert_id": alert_id, "authority": "police", "data_items": ["identity"],
        "reason": "listed"}).status_code == 201
    page = supervisor.get("/referrals?status=pending", headers=HTML)
    [rid] = re.findall(r'action="/referrals/(\d+)/reject"', page.text)
    token = csrf_of(page.text)
    no_note = supervisor.post(f"/referrals/{rid}/reject", headers=HTML,
                              data={"note": " ", "csrf_token": token})
    assert no_note.status_code == 422
    assert supervisor.post(f"/referrals/{rid}/reject", headers=HTML,
                           data={"note": "not proportionate", "csrf_token": token}
                           ).status_code == 303
    assert "not proportionate" in supervisor.get("/referrals", headers=HTML).text
    # Nothing was sent: the alert is still open for a decision.
    assert f'action="/alerts/{alert_id}/decision"' in supervisor.get(f"/alerts/{alert_id}",
                                                                     headers=HTML).text
    assert analyst.get("/requests", headers=HTML).status_code == 403
    # The register: a form for the supervisor, a round trip through it.
    register = supervisor.get("/requests", headers=HTML)
    assert register.status_code == 200 and 'method="post" action="/requests"' in register.text
    fields = {"authority": "customs", "requester": "Officer B. Aliev",
              "legal_basis": "Customs Code art. 40", "case_ref": "C-88",
              "reason": "drug trafficking inquiry", "searched": "travellers on TK256",
              "disclosed": "", "decision": "refused", "csrf_token": csrf_of(register.text)}
    assert supervisor.post("/requests", headers=HTML,
                           data={**fields, "decision": "disclosed"}).status_code == 422
    assert supervisor.post("/requests", headers=HTML,
                           data={k: v for k, v in fields.items() if k != "csrf_token"}
                           ).status_code == 403
    assert supervisor.post("/requests", headers=HTML, data=fields).status_code == 303
    register = supervisor.get("/requests", headers=HTML)
    assert "Officer B. Aliev" in register.text and "C-88" in register.text
    dpo = web.client("dpo")
    shown = dpo.get("/requests", headers=HTML)
    assert "Officer B. Aliev" in shown.text and 'method="post" action="/requests"' not in shown.text
