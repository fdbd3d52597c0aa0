"""Signing in and staying signed in: sessions, throttling, lock-out, TOTP.

* A session is a random token in an HttpOnly, SameSite=Strict cookie; the store
  keeps only its SHA-256, the account, the CSRF token and the expiry (idle
  timeout, and an absolute limit however busy the user is).
* Every attempt is logged (``login_attempts``: name as typed, address, outcome).
  An address with too many failures in the window is refused outright (429)
  before any password is checked; an account with too many failures in a row is
  locked for a while.  The answer to a refused sign-in is always the same
  sentence, so it tells nobody whether the name exists or is locked.
* A user with a TOTP secret must also give the current six-digit code (pyotp).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi import Request
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from openpiu import accounts, audit
from openpiu.errors import AuthError, PiuError
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import users
from openpiu.store.schema_review import login_attempts, web_sessions
from openpiu.web.access import Principal, permissions_of

COOKIE = "piu_session"
_REFUSED = "invalid username, password or code"


@dataclass(frozen=True)
class SignInPolicy:
    idle_minutes: int = 30
    absolute_hours: int = 12
    max_failures: int = 5  # in a row, per account, before the lock-out
    lockout_minutes: int = 15
    address_failures: int = 20  # per client address and window, before 429
    address_window_minutes: int = 15


class Throttled(PiuError):
    status = 429


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(engine: Engine, policy: SignInPolicy, username: str, password: str,
            code: str | None, client: str, now: datetime | None = None) -> tuple[str, Principal]:
    """Check the credentials and open a session; returns (cookie token, principal).

    Raises :class:`Throttled` for a client address over its failure budget, and
    AuthError (always the same sentence) for everything else refused."""
    now = now or datetime.now(UTC)
    name = username.strip().lower()[:64]
    with engine.begin() as conn:
        since = to_db(now - timedelta(minutes=policy.address_window_minutes))
        failures = conn.scalar(
            select(func.count()).select_from(login_attempts).where(
                login_attempts.c.client == client, login_attempts.c.ok.is_(False),
                login_attempts.c.at >= since)
        )  # fmt: skip
        if (failures or 0) >= policy.address_failures:
            raise Throttled("too many failed sign-ins from this address; wait a few minutes")
    ok = False
    try:
        with engine.begin() as conn:
            principal, token = _check(conn, policy, name, password, code, now)
            ok = True
            return token, principal
    finally:
        with engine.begin() as conn:
            conn.execute(insert(login_attempts).values(at=to_db(now), username=name,
                                                       client=client[:64], ok=ok))  # fmt: skip
            if not ok:
                _count_failure(conn, policy, name, now)


def _check(conn: Connection, policy: SignInPolicy, name: str, password: str,
           code: str | None, now: datetime) -> tuple[Principal, str]:
    row = conn.execute(
        select(users.c.id, users.c.locked_until, users.c.totp_secret)
        .where(users.c.username == name)
    ).one_or_none()  # fmt: skip
    locked = row is not None and row.locked_until is not None and as_utc(row.locked_until) > now
    try:
        actor = accounts.authenticate(conn, name, password)
    except AuthError:
        raise AuthError(_REFUSED) from None
    if locked or row is None:
        raise AuthError(_REFUSED)
    if row.totp_secret and not (code and pyotp.TOTP(row.totp_secret).verify(code.strip(),
                                                                           valid_window=1)):
        raise AuthError(_REFUSED)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    conn.execute(insert(web_sessions).values(
        token_hash=_hash(token), user_id=row.id, created_at=to_db(now), last_seen_at=to_db(now),
        expires_at=to_db(now + timedelta(hours=policy.absolute_hours)), csrf_token=csrf,
        second_factor=bool(row.totp_secret)))  # fmt: skip
    conn.execute(update(users).where(users.c.id == row.id)
                 .values(failed_logins=0, locked_until=None, last_login_at=to_db(now)))
    audit.record(conn, actor, "signed_in", target_kind="user", target_ids=[row.id], at=now)
    principal = Principal(actor=actor, user_id=int(row.id), csrf_token=csrf,
                          permissions=permissions_of(actor.roles))  # fmt: skip
    return principal, token


def _count_failure(conn: Connection, policy: SignInPolicy, name: str, now: datetime) -> None:
    row = conn.execute(select(users.c.id, users.c.failed_logins)
                       .where(users.c.username == name)).one_or_none()  # fmt: skip
    if row is None:
        return
    failed = int(row.failed_logins or 0) + 1
    values: dict[str, object] = {"failed_logins": failed}
    if failed >= policy.max_failures:
        values["locked_until"] = to_db(now + timedelta(minutes=policy.lockout_minutes))
        values["failed_logins"] = 0
        audit.record(conn, accounts.Actor(name="system", roles=(), kind="local"), "user_locked",
                     target_kind="user", target_ids=[row.id],
                     details={"minutes": policy.lockout_minutes}, at=now)  # fmt: skip
    conn.execute(update(users).where(users.c.id == row.id).values(**values))


def lookup(engine: Engine, policy: SignInPolicy, request: Request,
           now: datetime | None = None) -> Principal | None:
    """The principal of the request's session cookie, or None (no, unknown or
    expired session, or an account disabled since)."""
    bearer = request.headers.get("authorization", "")
    if bearer[:7].lower() == "bearer ":
        return _carrier_principal(engine, bearer[7:].strip())
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        row = conn.execute(
            select(web_sessions, users.c.username, users.c.roles, users.c.active)
            .join(users, users.c.id == web_sessions.c.user_id)
            .where(web_sessions.c.token_hash == _hash(token))
        ).mappings().one_or_none()  # fmt: skip
        if row is None:
            return None
        idle_limit = as_utc(row["last_seen_at"]) + timedelta(minutes=policy.idle_minutes)
        if not row["active"] or now >= as_utc(row["expires_at"]) or now >= idle_limit:
            conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _hash(token)))
            return None
        if now - as_utc(row["last_seen_at"]) > timedelta(minutes=1):
            # Refreshed once a minute, not on every request: reads stay reads.
            conn.execute(update(web_sessions).where(web_sessions.c.token_hash == _hash(token))
                         .values(last_seen_at=to_db(now)))  # fmt: skip
    roles = tuple(r for r in row["roles"].split(",") if r)
    actor = accounts.Actor(name=row["username"], roles=roles, kind="user")
    return Principal(actor=actor, user_id=int(row["user_id"]), csrf_token=row["csrf_token"],
                     language=row["language"], permissions=permissions_of(roles))  # fmt: skip


def _carrier_principal(engine: Engine, token: str) -> Principal | None:
    """A carrier's API token: the carrier role and nothing else."""
    from openpiu import carriers

    try:
        carrier = carriers.RECENT.by_token(engine, token)
    except AuthError:
        return None
    roles = (accounts.Role.CARRIER.value,)
    return Principal(actor=accounts.Actor(name=f"carrier:{carrier.code}", roles=roles,
                                          kind="carrier"),
                     user_id=0, csrf_token="", permissions=permissions_of(roles),
                     carrier_code=carrier.code)  # fmt: skip


def sign_out(engine: Engine, request: Request) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        with engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _hash(token)))


def set_language(engine: Engine, request: Request, language: str) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        with engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.token_hash == _hash(token))
                         .values(language=language))  # fmt: skip


def enrol_totp(conn: Connection, username: str) -> str:
    """Give an account a new TOTP secret; returns the provisioning URI to show
    once (as a QR code or text) to the account's owner."""
    secret = pyotp.random_base32()
    result = conn.execute(update(users).where(users.c.username == username)
                          .values(totp_secret=secret))  # fmt: skip
    if result.rowcount == 0:
        raise PiuError(f"user {username!r} not found", 404)
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="openpiu")
