"""The carrier compliance page and its JSON twin: counts only, dashboard permission.

The store holds the synthetic flight TK256 (2025-03-15, 11:45 UTC) with its
passenger list, received over HTTP from carrier TK an hour after departure (late),
and no PNR at all (missing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.web.conftest import Clock, Web, flight_paxlst

from openpiu import carriers
from openpiu.pipeline import Pipeline
from openpiu.store.db import writer

HTML = {"accept": "text/html"}
DEP = datetime(2025, 3, 15, 11, 45, tzinfo=UTC)


@pytest.fixture
def store(web: Web) -> Web:
    with writer(web.engine).begin() as conn:
        carriers.add(conn, "TK", "Test Air", kinds=["paxlst", "pnrgov"], routes=[],
                     schedule=carriers.parse_schedule(None), reply_url=None, reply_queue=None,
                     created_by="test", at=DEP - timedelta(days=5))  # fmt: skip
    pipeline = Pipeline(web.engine, web.settings, clock=Clock(DEP + timedelta(hours=1)))
    outcome = pipeline.ingest_bytes(flight_paxlst("1"), channel="http", sender="TK")
    assert outcome.status == "processed", outcome
    return web


def test_page_shows_each_carriers_feed_and_late_or_missing_flights(store: Web) -> None:
    admin = store.client("admin")
    page = admin.get("/compliance?since=2025-03-14", headers=HTML)
    assert page.status_code == 200, page.text
    assert '<tr id="carrier-TK">' in page.text
    assert 'href="/compliance?since=2025-03-14&carrier=TK#carrier-TK"' in page.text
    assert "missing" in page.text and "TK0256" in page.text
    assert "(+60 min)" in page.text  # the API list, an hour after departure
    # No personal data: not a traveller's name from the list.
    assert "SMIRNOV" not in page.text and "RAKHIMOV" not in page.text
    # An admin may not read manifests: the flight is not a link for them.
    assert 'href="/flights/' not in page.text
    analyst = store.client("analyst")
    linked = analyst.get("/compliance?since=2025-03-14&carrier=tk", headers=HTML)
    assert linked.status_code == 200 and 'href="/flights/' in linked.text


def test_json_twin_and_filters(store: Web) -> None:
    admin = store.client("admin")
    data = admin.get("/api/v1/compliance?since=2025-03-14&carrier=TK").json()
    [c] = data["carriers"]
    assert (c["code"], c["feed_status"], c["flights_count"]) == ("TK", "missing", 1)
    assert c["slots"]["paxlst"]["late"] == 1 and c["slots"]["pnrgov"]["missing"] == 3
    assert c["quality"]["travellers"] == 2
    other = admin.get("/api/v1/compliance?since=2025-03-14&carrier=ZZ").json()
    assert other["carriers"] == []
    later = admin.get("/api/v1/compliance?since=2025-03-16").json()
    assert [x["flights_count"] for x in later["carriers"]] == [0]  # TK has an account
    bad = admin.get("/api/v1/compliance?since=yesterday")
    assert bad.status_code == 422 and "since" in bad.json()["detail"]


def test_page_is_forbidden_to_the_auditor_and_the_anonymous(store: Web) -> None:
    assert store.client("auditor").get("/compliance", headers=HTML).status_code == 403
    assert store.client("auditor").get("/api/v1/compliance").status_code == 403
    assert store.client().get("/api/v1/compliance").status_code == 401
    # The default period (the last week) renders on an empty report too.
    assert store.client("admin").get("/compliance", headers=HTML).status_code == 200
