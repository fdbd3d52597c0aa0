"""The analyst application in a real browser: headless Chromium (Debian's package)
driven by Playwright against the app served by uvicorn on a loopback port.

What the TestClient cannot show is checked here: cookies as a browser keeps them
(SameSite=Strict, HttpOnly, Secure on http://127.0.0.1), forms submitted by the
keyboard, redirects followed, htmx swapping the queue, the page's language.
Screenshots of every step go to test-artifacts/browser/ (kept by CI, not by git).

Without chromium the tests skip and say why; under CI=true they fail instead, as
.ci/run installs it and a silent skip would hide a broken install step.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from conftest import PASSWORD, T0, Clock, Web, flight_paxlst, seed_alert
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import db
from openpiu.store.schema import alerts
from openpiu.web import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: .ci/run should have installed it "
                    "(apt-get install chromium)")  # fmt: skip
    pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")


# -- the app served for real -----------------------------------------------------------

@dataclass
class Served:
    web: Web
    url: str
    analyst: str
    manager: str


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    """uvicorn in a thread, on a socket bound here: the port is ours before the
    server starts, so no other process can take it in between."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                if r.status == 200:
                    return server, thread, url
        except OSError:
            if time.monotonic() > deadline or not thread.is_alive():
                raise
            time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app with its default settings (Secure cookies: Chromium keeps them on
    http://127.0.0.1, a secure context) on a SQLite store holding one open alert."""
    chromium_path()
    db_url = f"sqlite:///{tmp_path}/web.db"
    # The fixture's flight is dated 2025-03-15, and an entry edited on the web page is
    # screened against the flights of the past rescreen_past_days (from the real
    # date): reach back to it.
    days = (datetime.now(UTC).date() - T0.date()).days + 1
    settings = Settings(database_url=db_url, rescreen_past_days=days)
    assert settings.cookie_secure  # the production default is what is driven here
    engine = db.make_engine(db_url)
    web = Web(app=create_app(settings, engine=engine), engine=engine, settings=settings)
    seed_alert(web)
    analyst = web.user("analyst", name="anna")
    manager = web.user("watchlist_manager", name="wim")
    server, thread, url = _serve(web.app)
    yield Served(web, url, analyst, manager)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    # What the page's console reports as an error, but for the favicon it lacks.
    p.errors = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error"
         and not m.location.get("url", "").endswith("/favicon.ico") else None)
    yield p
    context.close()


class Shots:
    """Numbered full-page screenshots of one test, replacing the last run's."""

    def __init__(self, prefix: str) -> None:
        self.prefix, self.n = prefix, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def __call__(self, page: Any, step: str) -> None:
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.n:02d}-{step}.png"),
                        full_page=True)  # fmt: skip


def sign_in(page: Any, username: str, password: str) -> None:
    """Fill the form and submit it from the keyboard, as a person would."""
    page.fill("#username", username)
    page.fill("#password", password)
    page.press("#password", "Enter")


def alert_id(web: Web) -> int:
    with web.engine.connect() as conn:
        return int(conn.scalar(select(alerts.c.id)))


def alert_row(page: Any, aid: int) -> Any:
    return page.locator(f"#queue a[data-alert='{aid}']")


# -- the scenario ------------------------------------------------------------------------

def test_dismissed_alert_stays_quiet_until_the_entry_changes(served: Served, page: Any) -> None:
    from playwright.sync_api import expect

    shot = Shots("review")
    base, web = served.url, served.web
    aid = alert_id(web)

    # Not signed in: the queue sends the browser to the sign-in form, and back after.
    page.goto(f"{base}/alerts")
    expect(page).to_have_url(f"{base}/login?next=/alerts")
    shot(page, "login")
    sign_in(page, served.analyst, PASSWORD)
    expect(page).to_have_url(f"{base}/alerts")
    cookie = {c["name"]: c for c in page.context.cookies()}["piu_session"]
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Strict")
    row = alert_row(page, aid)
    expect(row).to_have_text("RAKHIMOV, DZHAMSHED")
    shot(page, "queue")

    # The alert, then the decision.
    row.click()
    expect(page).to_have_url(f"{base}/alerts/{aid}")
    expect(page.locator("h1 .status")).to_have_text("open")
    shot(page, "alert")
    page.get_by_label("Reason").fill("Different person: another birthplace on file.")
    page.get_by_role("button", name="Dismiss as false positive").click()
    expect(page).to_have_url(f"{base}/alerts")
    expect(alert_row(page, aid)).to_have_count(0)
    expect(page.locator("#queue")).to_contain_text("No alerts here.")
    shot(page, "dismissed")

    # The next push of the same flight names him again: the dismissal holds.
    later = T0 + timedelta(hours=2)
    outcome = Pipeline(web.engine, web.settings, clock=Clock(later)).ingest_bytes(
        flight_paxlst("2", later))
    assert outcome.status == "processed" and outcome.alerts.get("suppressed") == 1, outcome
    page.goto(f"{base}/alerts")
    expect(page.locator("#queue")).to_contain_text("No alerts here.")
    shot(page, "after-next-push")

    # The watchlist entry changes (an alias is added): the alert comes back.
    change_entry(served, page, shot)
    page.goto(f"{base}/alerts")
    row = alert_row(page, aid)
    expect(row).to_have_text("RAKHIMOV, DZHAMSHED")
    shot(page, "reopened-queue")
    row.click()
    expect(page.locator("h1 .status")).to_have_text("open")
    # Its history (in the order of the clocks: the pushes carry 2025 times, the
    # analyst's decision the real time).
    events = page.locator("ol.events li")
    expect(events).to_have_count(3)
    expect(events.filter(has_text="raised")).to_have_count(1)
    expect(events.filter(has_text="dismissed")).to_contain_text(
        f"· {served.analyst}: Different person: another birthplace on file.")
    expect(events.filter(has_text="reopened")).to_contain_text("list version 2")
    shot(page, "reopened-alert")


def change_entry(served: Served, browser_page: Any, shot: Shots) -> None:
    """The watchlist manager, in a browser of his own, gives entry E1 an alias on
    its edit page; saving writes version 2 of the list and screens the stored
    travellers again."""
    from playwright.sync_api import expect

    base = served.url
    context = browser_page.context.browser.new_context(locale="en-US",
                                                       viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{base}/watchlists/national/entries/E1/edit")
        expect(page).to_have_url(f"{base}/login?next=/watchlists/national/entries/E1/edit")
        sign_in(page, served.manager, PASSWORD)
        expect(page).to_have_url(f"{base}/watchlists/national/entries/E1/edit")
        expect(page.get_by_label("Full name")).to_have_value("Jamshed Rahimov")
        page.get_by_label("Aliases, one per line").fill("Dzhamshed Rakhimov")
        shot(page, "edit-entry")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page.get_by_role("status").first).to_have_text("Saved as version 2.")
        expect(page.locator("ul.diff-changed")).to_have_text("E1")
        expect(page.get_by_role("status").nth(1)).to_contain_text(
            "1 alert(s) raised or reopened")
        shot(page, "list-version-2")
    finally:
        context.close()


# -- sign-in errors, the keyboard, the language -------------------------------------------

def test_sign_in_by_keyboard_after_a_wrong_password_then_russian(served: Served,
                                                                  page: Any) -> None:
    from playwright.sync_api import expect

    shot = Shots("signin")
    base = served.url
    page.goto(f"{base}/login?next=/alerts")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#username")).to_be_focused()  # autofocus
    page.keyboard.type(served.analyst)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Invalid username, password or code.")
    expect(page.locator("#username")).to_have_value(served.analyst)
    expect(page.locator("#password")).to_have_value("")
    shot(page, "wrong-password")

    # Backwards to the first stop of the page (the skip link), then the Tab key alone
    # walks forward to the fields, in order.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="openpiu")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    for field in ("a.brand", "#username", "#password"):
        page.keyboard.press("Tab")
        expect(page.locator(field)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/alerts")
    shot(page, "signed-in")

    # The language: chosen in the header, kept for the next pages.
    page.get_by_label("Language").select_option(label="Русский")
    page.locator("form[action='/language'] button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(f"{base}/alerts")
    page.goto(f"{base}/alerts/{alert_id(served.web)}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    shot(page, "russian")


# -- the queue's filters swap the table in place (htmx), within the page's CSP ---------


def test_queue_filter_swaps_the_table_in_place(served: Served, page: Any) -> None:
    from playwright.sync_api import expect

    base, aid = served.url, alert_id(served.web)
    page.goto(f"{base}/login?next=/alerts")
    sign_in(page, served.analyst, PASSWORD)
    expect(alert_row(page, aid)).to_have_count(1)
    page.get_by_label("Status").select_option("dismissed")
    expect(page.locator("#queue")).to_contain_text("No alerts here.", timeout=2000)
    expect(page).to_have_url(f"{base}/alerts?status=dismissed&band=&source=&carrier="
                             "&date_from=&date_to=")  # fmt: skip
    page.get_by_label("Status").select_option("open")
    expect(alert_row(page, aid)).to_have_count(1)
    assert page.errors == []
