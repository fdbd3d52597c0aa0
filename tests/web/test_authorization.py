"""Who may call what: the authorisation matrix, written by hand, route by route.

Each row is one route; each column a role (``anon``: no session; ``cr``: a
carrier calling with its API token, as carriers do).  ``y`` means
the guard lets the call through (the answer may still be 404 or 422: the ids
and bodies here are dummies), ``401`` signed out, ``-`` forbidden (403).  The
test enumerates the app's routes, so a route added without a row here fails,
and a row whose route is gone fails too.  The matrix is not derived from
``web.access.PERMISSIONS``: it is the second, independent statement of the
policy that the code must agree with.

A second test calls every route that returns personal data, as the data
protection officer (who may read everything), and checks that each call wrote
an audit event naming what was seen.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from openpiu import carriers, data_requests, referrals
from openpiu.accounts import Actor
from openpiu.store.schema import audit_events
from openpiu.web.access import app_routes, route_guard

ROLES = ("anon", "analyst", "supervisor", "watchlist_manager", "criteria_author", "dpo",
         "auditor", "admin", "carrier")  # fmt: skip

MATRIX = """
route                                                     anon an su wm ca dpo au ad cr
GET /healthz                                                 y  y  y  y  y   y  y  y  y
GET /readyz                                                  y  y  y  y  y   y  y  y  y
GET /metrics                                                 y  y  y  y  y   y  y  y  y
GET /login                                                   y  y  y  y  y   y  y  y  y
POST /login                                                  y  y  y  y  y   y  y  y  y
POST /api/v1/session                                         y  y  y  y  y   y  y  y  y
GET /api/v1/session                                        401  y  y  y  y   y  y  y  -
DELETE /api/v1/session                                     401  y  y  y  y   y  y  y  -
POST /logout                                               401  y  y  y  y   y  y  y  -
POST /language                                             401  y  y  y  y   y  y  y  -
GET /                                                      401  y  y  y  y   y  -  y  -
GET /alerts                                                401  y  y  -  -   y  -  -  -
GET /alerts/{alert_id}                                     401  y  y  -  -   y  -  -  -
POST /alerts/{alert_id}/decision                           401  y  y  -  -   -  -  -  -
POST /alerts/{alert_id}/notes                              401  y  y  -  -   -  -  -  -
GET /alerts/{alert_id}/refer                               401  y  y  -  -   -  -  -  -
POST /alerts/{alert_id}/refer                              401  y  y  -  -   -  -  -  -
GET /api/v1/alerts                                         401  y  y  -  -   y  -  -  -
GET /api/v1/alerts/{alert_id}                              401  y  y  -  -   y  -  -  -
GET /api/v1/alerts/{alert_id}/events                       401  y  y  -  -   y  -  -  -
POST /api/v1/alerts/{alert_id}/decision                    401  y  y  -  -   -  -  -  -
POST /api/v1/alerts/{alert_id}/notes                       401  y  y  -  -   -  -  -  -
GET /flights                                               401  y  y  -  -   y  -  -  -
GET /flights/{flight_id}                                   401  y  y  -  -   y  -  -  -
GET /search                                                401  y  y  -  -   y  -  -  -
GET /api/v1/flights                                        401  y  y  -  -   y  -  -  -
GET /api/v1/flights/{flight_id}                            401  y  y  -  -   y  -  -  -
GET /api/v1/persons/{person_id}/travel                     401  y  y  -  -   y  -  -  -
GET /api/v1/bookings                                       401  y  y  -  -   y  -  -  -
GET /api/v1/messages                                       401  y  y  -  -   y  -  -  -
GET /watchlists                                            401  y  y  y  -   y  -  -  -
GET /watchlists/{name}                                     401  y  y  y  -   y  -  -  -
GET /watchlists/{name}/versions/{version}                  401  y  y  y  -   y  -  -  -
GET /watchlists/import                                     401  -  -  y  -   -  -  -  -
POST /watchlists/import                                    401  -  -  y  -   -  -  -  -
GET /watchlists/{name}/entries/{entry_id}/edit             401  -  -  y  -   -  -  -  -
POST /watchlists/{name}/entries/{entry_id}/edit            401  -  -  y  -   -  -  -  -
GET /lookouts/new                                          401  y  y  y  -   -  -  -  -
POST /lookouts/new                                         401  y  y  y  -   -  -  -  -
GET /api/v1/watchlists                                     401  y  y  y  -   y  -  -  -
GET /api/v1/watchlists/{name}/versions/{version}/diff      401  y  y  y  -   y  -  -  -
GET /api/v1/watchlists/{name}/entries                      401  y  y  y  -   y  -  -  -
GET /criteria                                              401  y  y  -  y   y  -  -  -
POST /criteria                                             401  -  -  -  y   -  -  -  -
GET /criteria/{key}                                        401  y  y  -  y   y  -  -  -
POST /criteria/{key}/approve                               401  -  y  -  -   -  -  -  -
GET /criteria/{key}/backtest                               401  y  y  -  y   y  -  -  -
GET /api/v1/criteria                                       401  y  y  -  y   y  -  -  -
GET /api/v1/criteria/{key}/versions                        401  y  y  -  y   y  -  -  -
GET /referrals                                             401  y  y  -  -   y  -  -  -
POST /referrals/{referral_id}/approve                      401  -  y  -  -   -  -  -  -
POST /referrals/{referral_id}/reject                       401  -  y  -  -   -  -  -  -
POST /referrals/{referral_id}/withdraw                     401  y  y  -  -   -  -  -  -
POST /referrals/{referral_id}/outcome                      401  y  y  -  -   -  -  -  -
GET /api/v1/referrals                                      401  y  y  -  -   y  -  -  -
POST /api/v1/referrals                                     401  y  y  -  -   -  -  -  -
GET /api/v1/referrals/{referral_id}                        401  y  y  -  -   y  -  -  -
POST /api/v1/referrals/{referral_id}/approve               401  -  y  -  -   -  -  -  -
POST /api/v1/referrals/{referral_id}/reject                401  -  y  -  -   -  -  -  -
POST /api/v1/referrals/{referral_id}/withdraw              401  y  y  -  -   -  -  -  -
POST /api/v1/referrals/{referral_id}/outcome               401  y  y  -  -   -  -  -  -
GET /requests                                              401  -  y  -  -   y  -  -  -
POST /requests                                             401  -  y  -  -   -  -  -  -
GET /api/v1/requests                                       401  -  y  -  -   y  -  -  -
POST /api/v1/requests                                      401  -  y  -  -   -  -  -  -
GET /api/v1/requests/{request_id}                          401  -  y  -  -   y  -  -  -
GET /audit                                                 401  -  -  -  -   y  y  -  -
GET /api/v1/audit                                          401  -  -  -  -   y  y  -  -
GET /api/v1/users                                          401  -  -  -  -   -  -  y  -
GET /compliance                                            401  y  y  y  y   y  -  y  -
GET /api/v1/compliance                                     401  y  y  y  y   y  -  y  -
POST /api/v1/messages                                      401  -  -  -  -   -  -  -  y
GET /api/v1/messages/{message_id}/status                   401  -  -  -  -   -  -  -  y
POST /api/v1/iapi                                          401  -  -  -  -   -  -  -  y
"""

# Framework routes: documentation, served to anyone (no data in them).
UNLISTED = {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect")}
DUMMY = {"message_id": "999999", "alert_id": "999999", "flight_id": "999999", "person_id": "999999",
         "referral_id": "999999", "request_id": "999999", "name": "national", "version": "1",
         "entry_id": "E1", "key": "no-such-criterion"}  # fmt: skip


def matrix() -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for line in MATRIX.strip().splitlines()[1:]:
        method, path, *cells = line.split()
        assert len(cells) == len(ROLES), line
        rows[(method, path)] = dict(zip(ROLES, cells, strict=True))
    return rows


def declared_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for route in app_routes(app):
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((method, route.path))
    return found - UNLISTED


def test_every_route_has_a_row_and_every_row_a_route(web_sqlite) -> None:
    routes = declared_routes(web_sqlite.app)
    rows = set(matrix())
    assert not routes - rows, f"routes without a row in the matrix: {sorted(routes - rows)}"
    assert not rows - routes, f"rows without a route: {sorted(rows - routes)}"


def carrier_client(web):  # type: ignore[no-untyped-def]
    """A client holding a carrier's API token (every kind allowed)."""
    with web.engine.begin() as conn:
        _carrier, token = carriers.add(
            conn, "ZZ", "Zed Air", kinds=carriers.KINDS, routes=[],
            schedule=carriers.DEFAULT_SCHEDULE, reply_url=None, reply_queue=None,
            created_by="test", at=datetime.now(UTC))  # fmt: skip
    client = web.client()
    client.headers["authorization"] = f"Bearer {token}"
    return client


def test_the_matrix_holds(web_sqlite) -> None:
    clients = {role: web_sqlite.client(*([] if role == "anon" else [role]))
               for role in ROLES if role != "carrier"}  # fmt: skip
    clients["carrier"] = carrier_client(web_sqlite)
    wrong = []
    for (method, path), expected in matrix().items():
        url = re.sub(r"\{(\w+)\}", lambda m: DUMMY[m.group(1)], path)
        for role, cell in expected.items():
            client = clients[role]
            response = client.request(method, url, headers=client.csrf)
            got = response.status_code
            ok = {"401": got == 401, "-": got == 403, "y": got not in (401, 403)}[cell]
            if not ok:
                wrong.append(f"{method} {path} as {role}: {got}, expected {cell}")
            signed_out = (method, path) in {("POST", "/logout"), ("DELETE", "/api/v1/session")}
            if signed_out and cell == "y":
                # Signed out: sign in again.
                clients[role] = web_sqlite.client(*([] if role == "anon" else [role]))
    assert not wrong, "\n".join(wrong)


def test_every_personal_route_writes_an_audit_event(web_sqlite) -> None:
    from openpiu.store.schema import alerts

    alert_id = web_sqlite.seed_alert()
    with web_sqlite.engine.connect() as conn:
        flight_id, person_id = conn.execute(
            select(alerts.c.flight_id, alerts.c.person_id).where(alerts.c.id == alert_id)).one()
    with web_sqlite.engine.begin() as conn:
        at = datetime.now(UTC)
        referral_id = referrals.propose(conn, Actor("ana", ("analyst",), "user"), alert_id,
                                        "police", ["identity"], "listed person", at,
                                        authorities=("police",))  # fmt: skip
        request_id = data_requests.record(
            conn, Actor("sue", ("supervisor",), "user"), "police", "Officer K.", "art. 12",
            "CASE-1", "investigation", "travel of one person", "flights", "disclosed", at)
    table = matrix()
    readers = {role: web_sqlite.client(role) for role in ("dpo", "supervisor", "watchlist_manager")}
    values = {**DUMMY, "alert_id": str(alert_id), "flight_id": str(flight_id),
              "person_id": str(person_id), "referral_id": str(referral_id),
              "request_id": str(request_id)}  # fmt: skip
    personal = [(m, r.path, route_guard(r)) for r in app_routes(web_sqlite.app)
                for m in (getattr(r, "methods", None) or ()) if m == "GET"
                and route_guard(r) is not None and route_guard(r).personal]  # fmt: skip
    assert len(personal) >= 15
    query = {"/search": "?name=Rahimov&purpose=case%2017", "/api/v1/bookings": "?locator=ABC123"}
    missing = []
    for method, path, guard in personal:
        # The DPO reads everything; a route only a manager or supervisor opens
        # (an entry's edit form, the referral form) is called as one of them.
        role = next(r for r in readers if table[(method, path)][r] == "y")
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path) + query.get(path, "")
        with web_sqlite.engine.connect() as conn:
            before = conn.scalar(select(func.count()).select_from(audit_events))
        response = readers[role].request(method, url)
        assert response.status_code in (200, 404), (path, response.status_code, response.text)
        with web_sqlite.engine.connect() as conn:
            rows = conn.execute(select(audit_events.c.action, audit_events.c.target_kind)
                                .where(audit_events.c.id > before)).all()  # fmt: skip
        if ("personal_data.viewed", guard.personal) not in [tuple(r) for r in rows]:
            missing.append(f"{method} {path} ({response.status_code})")
    assert not missing, f"personal routes that wrote no look: {missing}"


@pytest.mark.parametrize("role", ["admin", "auditor", "carrier"])
def test_roles_without_passenger_data_see_no_names(web_sqlite, role: str) -> None:
    web_sqlite.seed_alert()
    client = web_sqlite.client(role)
    for url in ("/", "/api/v1/session", "/api/v1/users", "/api/v1/audit", "/audit"):
        text = client.get(url, headers={"accept": "text/html"}).text
        assert "RAKHIMOV" not in text and "Rahimov" not in text, (role, url)
