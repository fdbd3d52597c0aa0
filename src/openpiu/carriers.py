"""Carrier accounts: who may push messages, what, for which routes, on what
schedule, and where replies go.

A carrier (an airline, or a service provider sending for several) authenticates
over HTTP with an API token: 32 random bytes shown once when made or rotated;
the store keeps only its SHA-256, so a copy of the database lets nobody send.
Over AMQP a carrier has its own intake queue (``piu.intake.<code>``), which the
broker's accounts protect.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from openpiu.errors import AuthError, ConflictError, NotFoundError, PiuError
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema_intake import carriers

KINDS = ("paxlst", "pnrgov", "iapi")
# The usual agreement: PNR at T-72 and T-24 hours and at closure, API at closure.
DEFAULT_SCHEDULE: dict[str, list[float]] = {"pnrgov": [72, 24, 0], "paxlst": [0]}
CODE_RE = re.compile(r"[A-Z0-9]{2,16}")
TOKEN_PREFIX = "piuc_"  # recognisable in a leaked log or a secret scanner


@dataclass(frozen=True)
class Carrier:
    id: int
    code: str
    name: str
    kinds: tuple[str, ...]
    routes: tuple[str, ...]  # airports (3 letters) or countries (2); empty = any
    schedule: dict[str, list[float]]
    reply_url: str | None
    reply_queue: str | None
    active: bool
    has_token: bool
    token_created_at: datetime | None
    created_at: datetime

    def may_send(self, kind: str) -> bool:
        return kind in self.kinds

    def serves(self, airports: Iterable[str | None], countries: Iterable[str | None]) -> bool:
        """Whether a flight touching these airports (or their countries) is on one
        of the carrier's agreed routes."""
        if not self.routes:
            return True
        allowed = set(self.routes)
        return bool(allowed & {a for a in airports if a} or allowed & {c for c in countries if c})

    @property
    def intake_queue(self) -> str:
        return f"piu.intake.{self.code.lower()}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _row(r: Mapping[str, Any]) -> Carrier:
    return Carrier(
        id=int(r["id"]), code=r["code"], name=r["name"],
        kinds=tuple(k for k in r["kinds"].split(",") if k),
        routes=tuple(json.loads(r["routes"])), schedule=json.loads(r["schedule"]),
        reply_url=r["reply_url"], reply_queue=r["reply_queue"], active=bool(r["active"]),
        has_token=r["token_hash"] is not None, token_created_at=as_utc(r["token_created_at"]),
        created_at=as_utc(r["created_at"]),  # type: ignore[arg-type]
    )  # fmt: skip


def parse_schedule(text: str | None) -> dict[str, list[float]]:
    """``pnrgov=72,24,0;paxlst=0`` -> {"pnrgov": [72, 24, 0], "paxlst": [0]} (hours
    before departure; 0 is flight closure)."""
    if not text:
        return {k: list(v) for k, v in DEFAULT_SCHEDULE.items()}
    out: dict[str, list[float]] = {}
    for part in text.split(";"):
        kind, sep, hours = part.partition("=")
        kind = kind.strip().lower()
        if not sep or kind not in KINDS:
            raise PiuError(f"schedule part {part!r}: want KIND=HOURS,... with KIND one of "
                           f"{', '.join(KINDS)}", 422)  # fmt: skip
        try:
            out[kind] = sorted({float(h) for h in hours.split(",") if h.strip()}, reverse=True)
        except ValueError:
            raise PiuError(f"schedule part {part!r}: hours must be numbers", 422) from None
        if any(h < 0 or h > 24 * 30 for h in out[kind]):
            raise PiuError(f"schedule part {part!r}: hours from 0 to 720", 422)
    return out


def _validated(code: str, kinds: Iterable[str], routes: Iterable[str]
               ) -> tuple[str, list[str], list[str]]:
    code = code.strip().upper()
    if not CODE_RE.fullmatch(code):
        raise PiuError(f"carrier code {code!r}: 2-16 letters or digits", 422)
    kind_list = sorted({k.strip().lower() for k in kinds if k.strip()})
    unknown = [k for k in kind_list if k not in KINDS]
    if unknown or not kind_list:
        raise PiuError(f"message kinds: one or more of {', '.join(KINDS)}", 422)
    route_list = sorted({r.strip().upper() for r in routes if r.strip()})
    bad = [r for r in route_list if not re.fullmatch(r"[A-Z]{2,3}", r)]
    if bad:
        raise PiuError(f"route {bad[0]!r}: an airport (3 letters) or a country (2)", 422)
    return code, kind_list, route_list


def add(conn: Connection, code: str, name: str, *, kinds: Iterable[str], routes: Iterable[str],
        schedule: Mapping[str, list[float]], reply_url: str | None, reply_queue: str | None,
        created_by: str, at: datetime) -> tuple[Carrier, str]:
    """Register a carrier; returns it and its first API token (shown once)."""
    code, kind_list, route_list = _validated(code, kinds, routes)
    if reply_url and not reply_url.startswith(("https://", "http://")):
        raise PiuError("reply URL must be http(s)://...", 422)
    token = _new_token()
    try:
        with conn.begin_nested():
            conn.execute(insert(carriers).values(
                code=code, name=name.strip() or code, kinds=",".join(kind_list),
                routes=json.dumps(route_list), schedule=json.dumps(dict(schedule)),
                reply_url=reply_url or None, reply_queue=reply_queue or None,
                token_hash=token_hash(token), token_created_at=to_db(at), active=True,
                created_at=to_db(at), created_by=created_by))  # fmt: skip
    except IntegrityError:
        raise ConflictError(f"carrier {code} already exists") from None
    return get(conn, code), token


def get(conn: Connection, code: str) -> Carrier:
    row = conn.execute(select(carriers).where(carriers.c.code == code.strip().upper())
                       ).mappings().first()  # fmt: skip
    if row is None:
        raise NotFoundError(f"no carrier {code!r}")
    return _row(row)


def list_carriers(conn: Connection) -> list[Carrier]:
    return [_row(r) for r in conn.execute(select(carriers).order_by(carriers.c.code)).mappings()]


def rotate_token(conn: Connection, code: str, at: datetime) -> str:
    """A new token for the carrier; the old one stops working at once."""
    carrier = get(conn, code)
    token = _new_token()
    conn.execute(update(carriers).where(carriers.c.id == carrier.id)
                 .values(token_hash=token_hash(token), token_created_at=to_db(at)))
    return token


def by_token(conn: Connection, token: str) -> Carrier:
    """The active carrier holding this token; AuthError otherwise (one message
    for unknown, rotated and disabled)."""
    if not token.startswith(TOKEN_PREFIX):
        raise AuthError("invalid carrier token")
    row = conn.execute(select(carriers).where(carriers.c.token_hash == token_hash(token))
                       ).mappings().first()  # fmt: skip
    if row is None or not row["active"]:
        raise AuthError("invalid carrier token")
    return _row(row)


class Recent:
    """Carriers looked up in the last few seconds, per process: intake asks for
    the same carrier hundreds of times a second.  A rotated token or a disabled
    carrier takes effect within ``ttl`` seconds (5 by default)."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._seen: dict[str, tuple[float, Carrier | None]] = {}
        self._lock = threading.Lock()

    def by_token(self, engine: Engine, token: str) -> Carrier:
        key = "t:" + token_hash(token)  # never the token itself
        found = self._cached(key)
        if found is _MISSING:
            with engine.connect() as conn:
                try:
                    found = by_token(conn, token)
                except AuthError:
                    found = None
            self._keep(key, found)
        if found is None:
            raise AuthError("invalid carrier token")
        return found  # type: ignore[return-value]

    def get(self, engine: Engine, code: str) -> Carrier:
        key = "c:" + code.strip().upper()
        found = self._cached(key)
        if found is _MISSING or found is None:
            with engine.connect() as conn:
                found = get(conn, code)
            self._keep(key, found)
        return found  # type: ignore[return-value]

    def _cached(self, key: str) -> Carrier | None | object:
        held = self._seen.get(key)
        if held is None or time.monotonic() - held[0] > self.ttl:
            return _MISSING
        return held[1]

    def _keep(self, key: str, value: Carrier | None) -> None:
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[key] = (time.monotonic(), value)


_MISSING = object()
RECENT = Recent()
