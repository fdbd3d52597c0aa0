"""The alert queue and view through the web app: sign-in, the queue, the view, a
dismissal on record, audit of every look."""

from __future__ import annotations

from sqlalchemy import select

from openpiu.store.schema import audit_events

HTML = {"accept": "text/html"}


def test_queue_view_and_dismissal(web) -> None:
    alert_id = web.seed_alert()
    analyst = web.client("analyst")
    queue = analyst.get("/alerts", headers=HTML)
    assert queue.status_code == 200
    assert f'href="/alerts/{alert_id}"' in queue.text and "RAKHIMOV, DZHAMSHED" in queue.text
    view = analyst.get(f"/alerts/{alert_id}", headers=HTML)
    assert view.status_code == 200
    assert "NAT-001" in view.text and "Jamshed Rahimov" in view.text
    # A dismissal needs a reason and the CSRF token.
    refused = analyst.post(f"/alerts/{alert_id}/decision", data={"decision": "dismiss",
                                                                  "reason": "same name"})
    assert refused.status_code == 403
    empty = analyst.post(f"/alerts/{alert_id}/decision", headers=analyst.csrf,
                         data={"decision": "dismiss", "reason": " "})
    assert empty.status_code == 422
    done = analyst.post(f"/alerts/{alert_id}/decision", headers=analyst.csrf,
                        data={"decision": "dismiss", "reason": "different person: DOB"})
    assert done.status_code == 303
    assert f'href="/alerts/{alert_id}"' not in analyst.get("/alerts", headers=HTML).text
    with web.engine.connect() as conn:
        actions = [(a, k, t) for a, k, t in conn.execute(
            select(audit_events.c.action, audit_events.c.target_kind, audit_events.c.target_ids)
            .where(audit_events.c.actor == analyst.username))]
    assert ("personal_data.viewed", "alert", f"[{alert_id}]") in actions
    assert ("alert.dismissed", "alert", f"[{alert_id}]") in actions


def test_sign_in_required_and_roles(web) -> None:
    alert_id = web.seed_alert()
    anonymous = web.client()
    assert anonymous.get("/alerts", headers=HTML).status_code == 303
    assert anonymous.get("/api/v1/session").status_code == 401
    auditor = web.client("auditor")
    assert auditor.get(f"/alerts/{alert_id}", headers=HTML).status_code == 403
    dpo = web.client("dpo")
    assert dpo.get(f"/alerts/{alert_id}", headers=HTML).status_code == 200
    assert dpo.post(f"/alerts/{alert_id}/decision", headers=dpo.csrf,
                    data={"decision": "dismiss", "reason": "x"}).status_code == 403
