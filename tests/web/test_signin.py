"""Signing in: sessions, cookies, throttling, lock-out, TOTP, CSRF, headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from openpiu.store.schema import users
from openpiu.store.schema_review import login_attempts, web_sessions
from openpiu.web import signin
from openpiu.web.signin import SignInPolicy

HTML = {"accept": "text/html"}
PASSWORD = "correct-horse-battery-1"  # as tests/web/conftest.py gives every account


def form_login(client, username: str, password: str = PASSWORD, code: str | None = None):
    data = {"username": username, "password": password, "next": "/alerts"}
    if code is not None:
        data["code"] = code
    return client.post("/login", data=data, headers=HTML)


def test_cookie_is_httponly_strict_and_secure_by_default(web_sqlite) -> None:
    from openpiu.web import create_app

    settings = web_sqlite.settings.model_copy(update={"cookie_secure": True})
    app = create_app(settings, engine=web_sqlite.engine)
    name = web_sqlite.user("analyst")
    client = web_sqlite.client_of(app, base_url="https://testserver")
    r = form_login(client, name)
    assert r.status_code == 303 and r.headers["location"] == "/alerts"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    # Only the token's hash is stored.
    token = r.cookies.get(signin.COOKIE)
    with web_sqlite.engine.connect() as conn:
        stored = list(conn.scalars(select(web_sessions.c.token_hash)))
    assert token not in stored and len(stored) == 1


def test_wrong_password_unknown_user_and_locked_account_read_the_same(web_sqlite) -> None:
    name = web_sqlite.user("analyst")
    client = web_sqlite.client()
    wrong = form_login(client, name, "not-the-password")
    unknown = form_login(client, "nobody-here")
    assert wrong.status_code == unknown.status_code == 401
    message = "Invalid username, password or code."
    assert message in wrong.text and message in unknown.text
    # Five failures in a row lock the account, even against the right password.
    for _ in range(4):
        form_login(client, name, "still-wrong-password")
    locked = form_login(client, name)
    assert locked.status_code == 401 and message in locked.text
    with web_sqlite.engine.begin() as conn:
        until = conn.scalar(select(users.c.locked_until).where(users.c.username == name))
        assert until is not None
        # Once the lock has passed, the right password opens again.
        conn.execute(update(users).where(users.c.username == name)
                     .values(locked_until=datetime.now(UTC) - timedelta(minutes=1)))
    assert form_login(client, name).status_code == 303


def test_an_address_with_many_failures_is_throttled(web_sqlite) -> None:
    policy = SignInPolicy(address_failures=3)
    for _ in range(3):
        with pytest.raises(Exception) as refused:
            signin.sign_in(web_sqlite.engine, policy, "ghost", "x" * 12, None, "10.0.0.9")
        assert refused.value.status == 401
    with pytest.raises(signin.Throttled):
        signin.sign_in(web_sqlite.engine, policy, "ghost", "x" * 12, None, "10.0.0.9")
    # Another address is not held back by the first one's failures.
    with pytest.raises(Exception) as other:
        signin.sign_in(web_sqlite.engine, policy, "ghost", "x" * 12, None, "10.0.0.10")
    assert other.value.status == 401
    with web_sqlite.engine.connect() as conn:
        rows = conn.execute(select(login_attempts.c.client, login_attempts.c.ok)).all()
    assert len(rows) == 4 and not any(ok for _, ok in rows)


def test_totp_second_factor(web_sqlite) -> None:
    name = web_sqlite.user("analyst")
    with web_sqlite.engine.begin() as conn:
        uri = signin.enrol_totp(conn, name)
    secret = pyotp.parse_uri(uri).secret
    client = web_sqlite.client()
    assert form_login(client, name).status_code == 401  # the code is missing
    current = pyotp.TOTP(secret).now()
    wrong = f"{(int(current) + 500_000) % 1_000_000:06d}"
    assert form_login(client, name, code=wrong).status_code == 401
    ok = form_login(client, name, code=current)
    assert ok.status_code == 303


def test_session_ends_when_idle_and_on_sign_out(web_sqlite) -> None:
    analyst = web_sqlite.client("analyst")
    assert analyst.get("/api/v1/session").status_code == 200
    with web_sqlite.engine.begin() as conn:
        conn.execute(update(web_sessions).values(
            last_seen_at=datetime.now(UTC) - timedelta(minutes=31)))
    assert analyst.get("/api/v1/session").status_code == 401
    other = web_sqlite.client("analyst")
    assert other.delete("/api/v1/session").status_code == 403  # no CSRF token
    assert other.delete("/api/v1/session", headers=other.csrf).status_code == 200
    assert other.get("/api/v1/session").status_code == 401


def test_pages_carry_security_headers_and_no_external_assets(web_sqlite) -> None:
    page = web_sqlite.client().get("/login", headers=HTML)
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in page.text and "https://" not in page.text
    assert web_sqlite.client().get("/static/htmx-2.0.11.min.js").status_code == 200


def test_open_redirect_refused(web_sqlite) -> None:
    name = web_sqlite.user("analyst")
    client = web_sqlite.client()
    r = client.post("/login", data={"username": name, "password": PASSWORD,
                                    "next": "//evil.example/x"}, headers=HTML)
    assert r.status_code == 303 and r.headers["location"] == "/"
