"""Who may do what in the analyst application, and the guard every route wears.

Roles are granted permissions here, in one table a person can read and a data
protection officer can check.  Each route declares exactly one permission
through :func:`allow`; routes that return personal data also name the kind of
record they show (``personal="alert"``), and must write an audit event for the
look (:func:`audit_look`).  The guard keeps a safety net: a personal route that
answered without writing one gets a generic event written after it, so a look is
never unrecorded, and the test suite fails on it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import Connection

from openpiu import audit
from openpiu.accounts import Actor, Role
from openpiu.errors import AuthError, ForbiddenError, PiuError

# Reading personal data; each grants a kind of look, audited.
READ_ALERTS = "alerts.read"
READ_TRAVEL = "travel.read"  # flights' manifests, travellers, bookings, person search
READ_MESSAGES = "messages.read"  # the vault: statuses, never raw content to the UI
READ_WATCHLISTS = "watchlists.read"
READ_CRITERIA = "criteria.read"
READ_REFERRALS = "referrals.read"
READ_REQUESTS = "requests.read"
READ_AUDIT = "audit.read"
READ_DASHBOARD = "dashboard.read"  # counts only, no personal data
# Acting.
DECIDE_ALERTS = "alerts.decide"  # dismiss, confirm, note, propose a referral
APPROVE_REFERRALS = "referrals.approve"
RECORD_OUTCOMES = "referrals.outcome"
RECORD_REQUESTS = "requests.record"
MANAGE_WATCHLISTS = "watchlists.manage"
ADD_LOOKOUTS = "lookouts.add"
WRITE_CRITERIA = "criteria.write"
APPROVE_CRITERIA = "criteria.approve"
MANAGE_USERS = "users.manage"
SUBMIT_MESSAGES = "messages.submit"
SIGNED_IN = "signed_in"  # any account: its own session, language, password

_ANALYST = {
    READ_DASHBOARD, READ_ALERTS, READ_TRAVEL, READ_MESSAGES, READ_WATCHLISTS, READ_CRITERIA,
    READ_REFERRALS, DECIDE_ALERTS, RECORD_OUTCOMES, ADD_LOOKOUTS,
}  # fmt: skip
_READ_ALL = {p for p in _ANALYST if p.endswith(".read")} | {READ_REQUESTS, READ_AUDIT}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ANALYST: frozenset(_ANALYST),
    # The second pair of eyes: approves referrals and criteria, keeps the register.
    Role.SUPERVISOR: frozenset(_ANALYST | {APPROVE_REFERRALS, APPROVE_CRITERIA, READ_REQUESTS,
                                           RECORD_REQUESTS}),  # fmt: skip
    Role.WATCHLIST_MANAGER: frozenset({READ_DASHBOARD, READ_WATCHLISTS, MANAGE_WATCHLISTS,
                                       ADD_LOOKOUTS}),  # fmt: skip
    Role.CRITERIA_AUTHOR: frozenset({READ_DASHBOARD, READ_CRITERIA, WRITE_CRITERIA}),
    # Reads everything, the audit trail included; acts on nothing.
    Role.DPO: frozenset(_READ_ALL),
    Role.AUDITOR: frozenset({READ_AUDIT}),
    # Accounts and the service's health; no passenger data.
    Role.ADMIN: frozenset({READ_DASHBOARD, MANAGE_USERS}),
    Role.CARRIER: frozenset({SUBMIT_MESSAGES}),
}

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class Principal:
    """The signed-in account behind a request."""

    actor: Actor
    user_id: int
    csrf_token: str
    language: str | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    # A carrier signed by its API token (no cookie, so no CSRF to check).
    carrier_code: str | None = None

    def can(self, permission: str) -> bool:
        if permission == SIGNED_IN:
            return self.carrier_code is None  # a carrier token submits, nothing else
        return permission in self.permissions


def permissions_of(roles: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= PERMISSIONS.get(role, frozenset())
    return frozenset(out)


@dataclass(frozen=True)
class Guard:
    """What a route declares: its permission and, for personal data, the kind shown."""

    permission: str
    personal: str | None


def allow(permission: str, *, personal: str | None = None) -> Any:
    """The dependency a route declares: sign-in, permission, CSRF on unsafe
    methods, and the audit safety net for personal data."""
    guard = Guard(permission, personal)

    def check(request: Request, _form: None = Depends(_read_form_token)) -> Iterator[Principal]:
        principal = current_principal(request)
        if principal is None:
            raise AuthError("sign in first")
        if not principal.can(permission):
            raise ForbiddenError("your role does not allow this")
        if request.method in UNSAFE_METHODS and principal.carrier_code is None:
            check_csrf(request, principal)
        request.state.audited = False
        yield principal
        if personal and not request.state.audited:
            with request.app.state.engine.begin() as conn:
                audit_look(conn, request, principal, personal,
                           [str(v) for v in request.path_params.values()])  # fmt: skip

    check.guard = guard  # type: ignore[attr-defined]
    return Depends(check)


async def _read_form_token(request: Request) -> None:
    """The CSRF field of a posted form, read before the guard runs (the form is
    parsed once: Starlette keeps it for the route's own parameters)."""
    kind = request.headers.get("content-type", "")
    # Only for a session (the CSRF token guards cookies): an anonymous caller or
    # a carrier's token gets no form parsed on its behalf before the guard.
    signed = request.cookies.get("piu_session")
    if signed and request.method in UNSAFE_METHODS and kind.startswith(_FORM_TYPES):
        token = (await request.form()).get("csrf_token")
        request.state.form_csrf = token if isinstance(token, str) else None


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def route_guard(route: Any) -> Guard | None:
    """The guard a route declared (None for public routes), for tests and docs."""
    dependant = getattr(route, "dependant", None)
    stack = list(dependant.dependencies) if dependant else []
    while stack:
        dep = stack.pop()
        found = getattr(dep.call, "guard", None)
        if found is not None:
            return found  # type: ignore[no-any-return]
        stack.extend(dep.dependencies)
    return None


def app_routes(app: Any) -> list[Any]:
    """Every route of the app, routers included flat (FastAPI keeps included
    routers as wrappers; the app's routers are included without a prefix)."""
    out: list[Any] = []
    stack = list(app.routes)
    while stack:
        route = stack.pop(0)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            stack[:0] = list(inner.routes)
        else:
            out.append(route)
    return out


def current_principal(request: Request) -> Principal | None:
    """The request's principal, looked up once per request (see web.signin)."""
    if not hasattr(request.state, "principal"):
        lookup: Callable[[Request], Principal | None] = request.app.state.lookup_principal
        request.state.principal = lookup(request)
    principal: Principal | None = request.state.principal
    return principal


def check_csrf(request: Request, principal: Principal) -> None:
    """A state-changing request must carry the session's CSRF token, in the
    ``X-CSRF-Token`` header (htmx and API clients) or the ``csrf_token`` field of
    a form (read by the route's own form parsing; cached by Starlette)."""
    sent = request.headers.get("x-csrf-token") or getattr(request.state, "form_csrf", None)
    if not sent or not _same(sent, principal.csrf_token):
        raise PiuError("the form has expired or did not come from this site; reload the page",
                       403)  # fmt: skip


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def audit_look(conn: Connection, request: Request, principal: Principal, kind: str,
               ids: Iterable[int | str], *, purpose: str | None = None) -> None:
    """Record that ``principal`` looked at these records (ids only, never content)."""
    audit.record(conn, principal.actor, "personal_data.viewed", target_kind=kind,
                 target_ids=list(ids), purpose=purpose,
                 details={"route": request.scope.get("route").path  # type: ignore[union-attr]
                          if request.scope.get("route") else request.url.path,
                          "method": request.method})  # fmt: skip
    request.state.audited = True
