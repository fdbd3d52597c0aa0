"""Watchlist and criteria pages: roles, CSRF, an import through the form with its
diff, an entry edit that brings a dismissed alert back, lookouts, criteria
written by one person and approved by another, and a backtest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from tests.web.conftest import LIST_HEADER

from openpiu.store.schema import alert_events, alerts, audit_events

HTML = {"accept": "text/html"}

LIST_CSV = (
    LIST_HEADER
    + "A1,REF-1,Ali Valiev,,,Alik Valiev,1970-01-02,M,UZB,,,,notify,law 1,PIU,,\n"
    + "A2,REF-2,Bakhrom Saidov,,,,1981,M,TJK,P,AB123,TJK,inspect,law 2,PIU,,\n"
)
LIST_CSV_2 = (
    LIST_HEADER
    + "A1,REF-1,Ali Valiev,,,Alik Valiev,1970-01-02,M,UZB,,,,contact,law 1,PIU,,\n"
    + "A3,REF-3,Dilnoza Karimova,,,,1990-05-05,F,UZB,,,,notify,law 3,PIU,,\n"
)

CRITERION = """\
id: web-test-cash-one-way
title: One-way ticket paid in cash, bought the day before
purpose: drug_trafficking
owner: test-team
justification: >
  A test criterion: couriers are booked at the last moment, one way, in cash.
review_date: 2027-12-31
score: 40
when:
  all:
    - fact: payment_forms
      includes: cash
    - fact: one_way
      equals: true
"""


def _import(client, name: str, body: str, **extra):
    return client.post(
        "/watchlists/import",
        headers={**HTML, **client.csrf},
        data={"name": name, "format": "csv", **extra},
        files={"file": ("list.csv", body.encode(), "text/csv")},
    )


def _actions(web, username: str) -> list[tuple[str, str | None, str | None]]:
    with web.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    audit_events.c.action, audit_events.c.target_kind, audit_events.c.target_ids
                ).where(audit_events.c.actor == username)
            )
        ]


def test_import_list_versions_and_diff(web) -> None:
    manager = web.client("watchlist_manager")
    form = manager.get("/watchlists/import", headers=HTML)
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    # The form's token is required (no header, no field: refused).
    no_token = manager.post(
        "/watchlists/import",
        headers=HTML,
        data={"name": "x", "format": "csv"},
        files={"file": ("l.csv", LIST_CSV.encode(), "text/csv")},
    )
    assert no_token.status_code == 403
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    first = manager.post(
        "/watchlists/import",
        headers=HTML,
        data={"name": "national", "format": "csv", "csrf_token": token},
        files={"file": ("l.csv", LIST_CSV.encode(), "text/csv")},
    )
    assert first.status_code == 200, first.text
    assert "Saved as version 1" in first.text and "A1" in first.text and "A2" in first.text
    second = _import(manager, "national", LIST_CSV_2)
    assert "Saved as version 2" in second.text
    added = second.text.split('class="diff-added"')[1].split("</ul>")[0]
    changed = second.text.split('class="diff-changed"')[1].split("</ul>")[0]
    removed = second.text.split('class="diff-removed"')[1].split("</ul>")[0]
    assert "A3" in added and "A1" in changed and "A2" in removed and "A1" not in added
    same = _import(manager, "national", LIST_CSV_2)
    assert "Nothing changed" in same.text
    bad = _import(manager, "national", LIST_HEADER + "B1,,Bad Date,,,,1970-13-01,,,,,,,,,,\n")
    assert bad.status_code == 422 and "dob" in bad.text and 'value="national"' in bad.text

    analyst = web.client("analyst")
    index = analyst.get("/watchlists", headers=HTML)
    assert index.status_code == 200
    assert 'href="/watchlists/national"' in index.text and manager.username in index.text
    diff = analyst.get("/watchlists/national/versions/2", headers=HTML)
    assert diff.status_code == 200 and "A3" in diff.text.split('class="diff-added"')[1]
    assert analyst.get("/watchlists/national/versions/9", headers=HTML).status_code == 404
    # Entries, filtered and audited with their ids.
    page = analyst.get("/watchlists/national?q=karimova", headers=HTML)
    assert page.status_code == 200
    assert "Dilnoza Karimova" in page.text and "Ali Valiev" not in page.text
    assert ("personal_data.viewed", "watchlist_entry", '["national/A3"]') in _actions(
        web, analyst.username
    )
    # An analyst reads but neither imports nor edits.
    assert analyst.get("/watchlists/import", headers=HTML).status_code == 403
    assert _import(analyst, "national", LIST_CSV).status_code == 403
    assert analyst.get("/watchlists/national/entries/A1/edit", headers=HTML).status_code == 403
    assert web.client("criteria_author").get("/watchlists", headers=HTML).status_code == 403
    assert web.client().get("/watchlists", headers=HTML).status_code == 303


def test_entry_edit_reopens_dismissed_alert(web) -> None:
    alert_id = web.seed_alert()  # list "national" v1, entry E1; flight of 2025-03-15
    # Screen again back to the seeded flight's date.
    web.settings.rescreen_past_days = (datetime.now(UTC).date() - datetime(2025, 3, 1).date()).days
    analyst = web.client("analyst")
    done = analyst.post(
        f"/alerts/{alert_id}/decision",
        headers=analyst.csrf,
        data={"decision": "dismiss", "reason": "another man"},
    )
    assert done.status_code == 303
    manager = web.client("watchlist_manager")
    form = manager.get("/watchlists/national/entries/E1/edit", headers=HTML)
    assert form.status_code == 200 and 'value="Jamshed Rahimov"' in form.text
    assert 'value="1985-06-01"' in form.text
    fields = {
        "full_name": "Jamshed Rahimov",
        "dob": "1985-06-01",
        "action": "notify",
        "legal_basis": "national law art. 5",
        "expires": "",
    }
    # Sent back unchanged: no new version, the alert stays dismissed.
    same = manager.post(
        "/watchlists/national/entries/E1/edit", headers={**HTML, **manager.csrf}, data=fields
    )
    assert same.status_code == 200 and "Nothing changed" in same.text
    bad = manager.post(
        "/watchlists/national/entries/E1/edit",
        headers={**HTML, **manager.csrf},
        data={**fields, "action": "shoot", "dob": "1985-99"},
    )
    assert bad.status_code == 422 and "shoot" in bad.text and "1985-99" in bad.text
    edited = manager.post(
        "/watchlists/national/entries/E1/edit",
        headers={**HTML, **manager.csrf},
        data={
            **fields,
            "aliases": "Dzhamshed Rakhimov",
            "action": "inspect",
            "legal_basis": "national law art. 7",
            "expires": "2027-01-31",
        },
    )
    assert edited.status_code == 200, edited.text
    assert "Saved as version 2" in edited.text
    assert "E1" in edited.text.split('class="diff-changed"')[1].split("</ul>")[0]
    assert "screened again" in edited.text
    with web.engine.connect() as conn:
        status = conn.scalar(select(alerts.c.status).where(alerts.c.id == alert_id))
        kinds = list(
            conn.scalars(select(alert_events.c.kind).where(alert_events.c.alert_id == alert_id))
        )
    assert status == "open" and "reopened" in kinds
    page = manager.get("/watchlists/national", headers=HTML)
    assert "national law art. 7" in page.text and "Dzhamshed Rakhimov" in page.text
    assert "2027-01-31" in page.text
    assert ("watchlist.entry_edited", "watchlist_entry", '["E1"]') in _actions(
        web, manager.username
    )
    assert manager.get("/watchlists/national/entries/NOPE/edit", headers=HTML).status_code == 404
    no_csrf = manager.post("/watchlists/national/entries/E1/edit", headers=HTML, data=fields)
    assert no_csrf.status_code == 403


def test_lookouts(web) -> None:
    analyst = web.client("analyst")
    assert analyst.get("/lookouts/new", headers=HTML).status_code == 200
    today = datetime.now(UTC).date()
    fields = {
        "surname": "Nazarov",
        "given_names": "Timur",
        "dob": "1979-11-02",
        "nationality": "UZB",
        "doc_type": "P",
        "doc_number": "FA1234567",
        "doc_country": "UZB",
        "action": "inspect",
        "note": "seen with a courier",
        "legal_basis": "case 2026/114, prosecutor's order",
        "expires": (today + timedelta(days=90)).isoformat(),
    }
    post = {**HTML, **analyst.csrf}
    missing = analyst.post("/lookouts/new", headers=post, data={**fields, "legal_basis": " "})
    assert missing.status_code == 422 and "legal basis" in missing.text
    assert 'value="Nazarov"' in missing.text  # the form comes back filled in
    past = analyst.post(
        "/lookouts/new",
        headers=post,
        data={**fields, "expires": (today - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 422 and "in the past" in past.text
    far = analyst.post(
        "/lookouts/new",
        headers=post,
        data={**fields, "expires": (today + timedelta(days=400)).isoformat()},
    )
    assert far.status_code == 422 and "more than a year" in far.text
    assert analyst.post("/lookouts/new", headers=HTML, data=fields).status_code == 403
    one = analyst.post("/lookouts/new", headers=post, data=fields)
    assert one.status_code == 200, one.text
    assert "Saved as version 1" in one.text and "LOOKOUT-1" in one.text
    two = analyst.post(
        "/lookouts/new", headers=post, data={**fields, "surname": "Umarov", "doc_number": ""}
    )
    assert "Saved as version 2" in two.text and "LOOKOUT-2" in two.text
    page = analyst.get("/watchlists/lookouts", headers=HTML)
    assert "Nazarov" in page.text and "Umarov" in page.text and "FA1234567" in page.text
    assert ("lookout.added", "watchlist_entry", '["LOOKOUT-2"]') in _actions(web, analyst.username)
    with web.engine.connect() as conn:
        details = conn.scalar(
            select(audit_events.c.details).where(audit_events.c.action == "lookout.added").limit(1)
        )
    assert "Nazarov" not in str(details) and "FA1234567" not in str(details)
    for role in ("criteria_author", "auditor", "dpo"):
        assert web.client(role).get("/lookouts/new", headers=HTML).status_code == 403


def test_criteria_add_approve_and_backtest(web) -> None:
    author = web.client("criteria_author", "supervisor")
    index = author.get("/criteria", headers=HTML)
    assert index.status_code == 200 and 'action="/criteria"' in index.text
    bad = author.post(
        "/criteria",
        headers={**HTML, **author.csrf},
        data={"text": CRITERION.replace("fact: one_way", "fact: religion")},
    )
    assert bad.status_code == 422
    assert "<code>not-a-fact</code>" in bad.text and "<td>13:13</td>" in bad.text
    assert author.post("/criteria", headers=HTML, data={"text": CRITERION}).status_code == 403
    added = author.post("/criteria", headers={**HTML, **author.csrf}, data={"text": CRITERION})
    assert (
        added.status_code == 303 and added.headers["location"] == "/criteria/web-test-cash-one-way"
    )
    view = author.get("/criteria/web-test-cash-one-way", headers=HTML)
    assert view.status_code == 200 and "payment_forms" in view.text and "draft" in view.text
    # The author cannot approve, even holding the supervisor's role.
    refused = author.post(
        "/criteria/web-test-cash-one-way/approve",
        headers={**HTML, **author.csrf},
        data={"version": "1"},
    )
    assert refused.status_code == 403 and "four eyes" in refused.text
    analyst = web.client("analyst")
    assert (
        analyst.post(
            "/criteria/web-test-cash-one-way/approve", headers=analyst.csrf, data={"version": "1"}
        ).status_code
        == 403
    )
    assert (
        analyst.post("/criteria", headers=analyst.csrf, data={"text": CRITERION}).status_code == 403
    )
    supervisor = web.client("supervisor")
    assert (
        supervisor.post(
            "/criteria/web-test-cash-one-way/approve", data={"version": "1"}
        ).status_code
        == 403
    )  # no CSRF token
    done = supervisor.post(
        "/criteria/web-test-cash-one-way/approve",
        headers={**HTML, **supervisor.csrf},
        data={"version": "1"},
    )
    assert done.status_code == 303
    listing = analyst.get("/criteria", headers=HTML)
    assert "active" in listing.text and supervisor.username in listing.text
    assert author.username in listing.text and "2027-12-31" in listing.text

    web.seed_alert()  # one flight of stored traffic to run over
    page = supervisor.get("/criteria/web-test-cash-one-way/backtest", headers=HTML)
    assert page.status_code == 200 and 'name="since"' in page.text and "Hits" not in page.text
    run = supervisor.get("/criteria/web-test-cash-one-way/backtest?since=2025-01-01", headers=HTML)
    assert run.status_code == 200, run.text
    assert "Travellers screened: <strong>2</strong>" in run.text
    assert "Hit rate by carrier" in run.text and "RAKHIMOV" not in run.text
    with web.engine.connect() as conn:
        ran = conn.scalar(
            select(audit_events.c.actor).where(audit_events.c.action == "criterion.backtest")
        )
    assert ran == supervisor.username
    assert web.client("auditor").get("/criteria", headers=HTML).status_code == 403
    assert web.client("watchlist_manager").get("/criteria", headers=HTML).status_code == 403


def test_lookout_finds_a_stored_traveller(web_sqlite) -> None:
    web = web_sqlite
    web.seed_alert()  # RAKHIMOV DZHAMSHED, born 1985-06-01, on TK256 of 2025-03-15
    web.settings.rescreen_past_days = (datetime.now(UTC).date() - datetime(2025, 3, 1).date()).days
    analyst = web.client("analyst")
    added = analyst.post(
        "/lookouts/new",
        headers={**HTML, **analyst.csrf},
        data={
            "full_name": "Dzhamshed Rakhimov",
            "dob": "1985-06-01",
            "nationality": "TJK",
            "legal_basis": "case 7/2026",
            "action": "contact",
            "expires": (datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
        },
    )
    assert added.status_code == 200 and "LOOKOUT-1" in added.text
    with web.engine.connect() as conn:
        found = conn.execute(
            select(alerts.c.entry_id, alerts.c.status).where(alerts.c.list_name == "lookouts")
        ).all()
    assert [tuple(r) for r in found] == [("LOOKOUT-1", "open")]


def test_backtest_roles(web_sqlite) -> None:
    web = web_sqlite
    author = web.client("criteria_author")
    assert (
        author.post("/criteria", headers=author.csrf, data={"text": CRITERION}).status_code == 303
    )
    url = "/criteria/web-test-cash-one-way/backtest?since=2025-01-01"
    assert web.client("dpo").get(url, headers=HTML).status_code == 200
    assert author.get(url, headers=HTML).status_code == 200
    # Reading every traveller's facts is for those who write or oversee criteria.
    assert web.client("analyst").get(url, headers=HTML).status_code == 403
    assert author.get("/criteria/nope/backtest", headers=HTML).status_code == 404


def test_edit_keeps_what_is_sent_back_unchanged() -> None:
    from datetime import date

    from openpiu.lookouts import EntryForm, edited_entry
    from openpiu.screening.entries import Alias, BirthDate, WatchlistEntry

    entry = WatchlistEntry(
        "QDi.1",
        name_parts=("ABD AL", "RAHMAN"),
        aliases=(Alias("Abu Omar", quality="low"),),
        birth_dates=(BirthDate(1970, approximate=True),),
        legal_basis="UNSC  1267",
    )
    today = date(2026, 1, 1)
    assert edited_entry(entry, EntryForm.of(entry), today) == entry
    form = EntryForm.of(entry)
    changed = edited_entry(
        entry, EntryForm(**{**form.__dict__, "aliases": "Abu Omar\nAbu Ali"}), today
    )
    assert changed.aliases == (Alias("Abu Omar", quality="low"), Alias("Abu Ali"))
    assert changed.name_parts == entry.name_parts and changed.birth_dates == entry.birth_dates
