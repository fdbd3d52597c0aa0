"""The dashboard, flights and manifest, person search and audit pages: who may open
them, what they show, and the audit events each look leaves."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from openpiu import people_search
from openpiu.store.schema import alerts, audit_events, flights

HTML = {"accept": "text/html"}


def _events(web, username: str, action: str | None = None) -> list[dict]:
    query = select(audit_events).where(audit_events.c.actor == username)
    if action:
        query = query.where(audit_events.c.action == action)
    with web.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query.order_by(audit_events.c.id)).mappings()]


def _flight_id(web) -> int:
    with web.engine.connect() as conn:
        return int(conn.scalar(select(flights.c.id).where(flights.c.designator.like("TK%"))))


@pytest.mark.parametrize(("path", "allowed", "refused"), [
    ("/", "admin", "auditor"),
    ("/flights", "analyst", "admin"),
    ("/flights/{flight}", "analyst", "criteria_author"),
    ("/search", "analyst", "watchlist_manager"),
    ("/audit", "auditor", "analyst"),
])  # fmt: skip
def test_guards(web_sqlite, path: str, allowed: str, refused: str) -> None:
    web_sqlite.seed_alert()
    url = path.format(flight=_flight_id(web_sqlite))
    assert web_sqlite.client(allowed).get(url, headers=HTML).status_code == 200
    assert web_sqlite.client(refused).get(url, headers=HTML).status_code == 403
    anonymous = web_sqlite.client().get(url, headers=HTML)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_dashboard_counts_without_personal_data(web) -> None:
    alert_id = web.seed_alert()
    # Move the seeded flight to a few hours from now, so it is today's next departure.
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    with web.engine.begin() as conn:
        conn.execute(update(flights).where(flights.c.id == _flight_id(web))
                     .values(departure_utc=soon))  # fmt: skip
    admin = web.client("admin")
    page = admin.get("/", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "RAKHIMOV" not in text and "401122334" not in text  # counts, never persons
    departures = text.split('id="next-departures"')[1].split("</section>")[0]
    assert "TK0256" in departures and "IST→DYU" in departures
    assert "<td>2</td>" in departures  # two travellers listed
    bands = text.split('id="open-alerts"')[1].split("</section>")[0]
    assert "<td>1</td>" in bands  # the one open alert, not linked: admin may not read alerts
    assert "/alerts?status=open&band=alert" not in bands
    carriers = text.split('id="carriers"')[1].split("</section>")[0]
    assert "TK" in carriers and "processed" in carriers
    # An analyst gets the counts as links to the queue, filtered.
    analyst_page = web.client("analyst").get("/", headers=HTML).text
    assert "/alerts?status=open&band=alert" in analyst_page
    assert not _events(web, admin.username, "personal_data.viewed")
    assert alert_id


def test_flight_list_and_manifest(web) -> None:
    alert_id = web.seed_alert()
    flight_id = _flight_id(web)
    analyst = web.client("analyst")
    listing = analyst.get("/flights?day=2025-03-15", headers=HTML)
    assert listing.status_code == 200
    assert f'href="/flights/{flight_id}"' in listing.text and "RAKHIMOV" not in listing.text
    assert analyst.get("/flights?day=", headers=HTML).status_code == 200  # today
    empty = analyst.get("/flights?day=2025-03-16", headers=HTML)
    assert f'href="/flights/{flight_id}"' not in empty.text
    manifest = analyst.get(f"/flights/{flight_id}", headers=HTML)
    assert manifest.status_code == 200
    assert "RAKHIMOV, DZHAMSHED" in manifest.text and "SMIRNOV, ANDREY" in manifest.text
    assert f'href="/alerts/{alert_id}"' in manifest.text  # the open alert, on its traveller
    looks = _events(web, analyst.username, "personal_data.viewed")
    assert [e["target_kind"] for e in looks] == ["traveller"]
    assert len(json.loads(looks[0]["target_ids"])) == 2
    assert analyst.get("/flights/999999", headers=HTML).status_code == 404


def test_search_needs_a_purpose(web) -> None:
    web.seed_alert()
    analyst = web.client("analyst")
    form = analyst.get("/search", headers=HTML)
    assert form.status_code == 200 and 'name="purpose"' in form.text
    refused = analyst.get("/search", params={"name": "Rahimov"}, headers=HTML)
    assert refused.status_code == 200
    assert "RAKHIMOV" not in refused.text and 'id="problem"' in refused.text
    assert not _events(web, analyst.username, "personal_data.viewed")


def test_search_finds_other_spellings_and_records_the_purpose(web) -> None:
    web.seed_alert()
    flight_id = _flight_id(web)
    analyst = web.client("analyst")
    found = analyst.get("/search", params={"name": "Rahimov", "purpose": "case 2025/17"},
                        headers=HTML)  # fmt: skip
    assert found.status_code == 200
    assert "RAKHIMOV, DZHAMSHED" in found.text and "SMIRNOV" not in found.text
    assert f'href="/flights/{flight_id}"' in found.text
    looks = _events(web, analyst.username, "personal_data.viewed")
    assert len(looks) == 1 and looks[0]["purpose"] == "case 2025/17"
    assert looks[0]["target_kind"] == "person" and len(json.loads(looks[0]["target_ids"])) == 1
    # The search terms themselves are personal data: they are not on record.
    assert "Rahimov" not in (looks[0]["details"] or "")
    # By document number, with the separators a person types, and by date of birth.
    by_doc = analyst.get("/search", params={"document": "4011-22334", "purpose": "case 18"},
                         headers=HTML)  # fmt: skip
    assert "RAKHIMOV, DZHAMSHED" in by_doc.text and "SMIRNOV" not in by_doc.text
    by_dob = analyst.get("/search", params={"dob": "1976-04-30", "purpose": "case 19"},
                         headers=HTML)  # fmt: skip
    assert "SMIRNOV, ANDREY" in by_dob.text and "RAKHIMOV" not in by_dob.text
    # A form sends its blank fields empty: no filter, no error.
    blank = {"name": "Rahimov", "document": "", "dob": "", "purpose": "case 21"}
    assert "RAKHIMOV, DZHAMSHED" in analyst.get("/search", params=blank, headers=HTML).text
    assert analyst.get("/search", params={**blank, "dob": "1985-13-01"},
                       headers=HTML).status_code == 422  # fmt: skip
    wrong_dob = analyst.get(
        "/search",
        params={"name": "Rahimov", "dob": "1976-04-30", "purpose": "case 20"},
        headers=HTML,
    )
    assert "RAKHIMOV" not in wrong_dob.text


def test_search_service_refuses_without_purpose_and_scores_spellings(web_sqlite) -> None:
    from openpiu.errors import PiuError

    web_sqlite.seed_alert()
    with web_sqlite.engine.connect() as conn, pytest.raises(PiuError):
        people_search.search(conn, people_search.SearchQuery(name="Rahimov"))
    rahimov = people_search.name_keys("Rahimov")
    assert people_search.name_score(rahimov, "RAKHIMOV", "DZHAMSHED") == 100
    assert people_search.name_score(rahimov, "RAHIMZODA", "DZHAMSHED") == 100  # same stem
    assert people_search.name_score(rahimov, "SMIRNOV", "ANDREY") < 60
    jamshed = people_search.name_keys("Jamshed Rahimov")
    assert people_search.name_score(jamshed, "RAKHIMOV", "DZHAMSHED") == 100
    assert people_search.name_score(jamshed, "RAKHIMOV", "IVAN") < people_search.NAME_THRESHOLD
    prefixes = people_search.surname_prefixes(people_search.name_keys("Halidov"))
    assert {"HA", "KHA", "XA"} <= prefixes and "RA" not in prefixes
    with web_sqlite.engine.connect() as conn:
        result = people_search.search(
            conn, people_search.SearchQuery(name="Jamshed Rakhimov", purpose="case 1")
        )
    assert [h.surname for h in result.hits] == ["RAKHIMOV"] and not result.capped


def test_audit_page_verifies_and_records_its_reading(web) -> None:
    web.seed_alert()
    analyst = web.client("analyst")
    analyst.get("/search", params={"name": "Rahimov", "purpose": "case 7"}, headers=HTML)
    auditor = web.client("auditor")
    page = auditor.get("/audit", headers=HTML)
    assert page.status_code == 200
    assert "intact" in page.text and "case 7" in page.text and analyst.username in page.text
    reads = _events(web, auditor.username, "audit.read")
    assert len(reads) == 1 and json.loads(reads[0]["details"])["shown"] > 0
    only = auditor.get(
        "/audit",
        params={"actor": analyst.username, "action": "personal_data", "since": ""},
        headers=HTML,
    )
    assert "case 7" in only.text and "session." not in only.text.split("<tbody>")[1]
    assert len(_events(web, auditor.username, "audit.read")) == 2
    with web.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(alerts)) == 1


def test_dashboard_points_to_the_latest_flights_when_none_are_today(web_sqlite) -> None:
    web_sqlite.seed_alert()  # TK256 of 2025-03-15
    page = web_sqlite.client("admin").get("/", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert 'href="/flights?day=2025-03-15"' in page.text
