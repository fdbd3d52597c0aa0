"""User accounts, roles and the actor every action is recorded under.

Passwords are hashed with argon2id (argon2-cffi's ``PasswordHasher`` defaults, the
RFC 9106 low-memory profile); there is no default account and no default
password.  The local operator (someone with a shell on the machine, who can read
the database file anyway) acts as ``local:<login>`` without a password unless
``PIU_CLI_REQUIRE_LOGIN`` is set.

Functions take a Connection and leave committing to the caller, so an account
change and its audit event commit together.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from openpiu.errors import AuthError, ConflictError, ForbiddenError, NotFoundError, PiuError
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import users


class Role(StrEnum):
    """What an account may do (checked by the services, not by the store)."""

    ANALYST = "analyst"  # reviews alerts, looks at travellers
    SUPERVISOR = "supervisor"  # second pair of eyes on referrals
    WATCHLIST_MANAGER = "watchlist_manager"
    CRITERIA_AUTHOR = "criteria_author"
    DPO = "dpo"  # data protection officer: approvals, retention, audit
    AUDITOR = "auditor"  # reads the audit trail
    ADMIN = "admin"  # accounts and settings
    CARRIER = "carrier"  # an airline pushing messages, nothing else


MIN_PASSWORD_LENGTH = 12
USERNAME_RE = re.compile(r"[a-z0-9._-]{3,64}")

# One hasher for the process: its parameters decide check_needs_rehash().  (The
# test suite swaps in a cheap one; see tests/conftest.py.)
_hasher = PasswordHasher()
_dummy_hashes: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash verified against when the user does not exist, so an unknown name
    takes as long to refuse as a wrong password (no user enumeration by timing).
    Made on first use, per hasher, so importing this module stays cheap."""
    key = id(_hasher)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hashes[key]


_INVALID = "invalid username or password"


@dataclass(frozen=True)
class Actor:
    """Who does something: an account (``kind="user"``) or the local operator."""

    name: str
    roles: tuple[str, ...]
    kind: str  # "user" or "local"

    @classmethod
    def local(cls) -> Actor:
        """The operating-system account running the CLI, as ``local:<login>``."""
        try:
            login = getpass.getuser()
        except Exception:  # no login name in the environment nor the passwd database
            login = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
        return cls(
            name=f"local:{login}", roles=(Role.ADMIN.value, Role.ANALYST.value), kind="local"
        )

    def has(self, role: Role | str) -> bool:
        return str(role) in self.roles


def require(actor: Actor, *roles: Role | str) -> None:
    """Refuse unless the actor holds one of ``roles``."""
    if not any(actor.has(role) for role in roles):
        wanted = " or ".join(str(r) for r in roles)
        raise ForbiddenError(f"{actor.name} needs the role {wanted} for this")


@dataclass(frozen=True)
class UserRecord:
    """An account as shown to people: deliberately without the password hash."""

    id: int
    username: str
    roles: tuple[str, ...]
    active: bool
    created_at: datetime
    created_by: str | None
    disabled_at: datetime | None


def generate_password() -> str:
    """A random 20-character password (letters and digits, at least one of each kind)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(20))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def parse_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Validated role names, deduplicated, in the order given."""
    known = {r.value for r in Role}
    result: list[str] = []
    for role in roles:
        name = str(role).strip().lower()
        if name not in known:
            raise PiuError(f"unknown role {role!r}; known roles: {', '.join(sorted(known))}")
        if name not in result:
            result.append(name)
    if not result:
        raise PiuError("an account needs at least one role")
    return tuple(result)


def validate_username(username: str) -> str:
    if not USERNAME_RE.fullmatch(username):
        raise PiuError(
            "a username is 3 to 64 characters of lowercase letters, digits, '.', '_' or '-'"
        )
    return username


def create_user(
    conn: Connection,
    username: str,
    password: str,
    roles: Iterable[str],
    created_by: str | None,
    *,
    now: datetime | None = None,
) -> int:
    """Create an account; returns its id.  ConflictError if the name is taken."""
    validate_username(username)
    role_names = parse_roles(roles)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PiuError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if conn.scalar(select(users.c.id).where(users.c.username == username)) is not None:
        raise ConflictError(f"user {username!r} already exists")
    try:
        # A savepoint, so losing a race with a concurrent creation leaves the
        # caller's transaction usable (PostgreSQL aborts it otherwise).
        with conn.begin_nested():
            result = conn.execute(
                insert(users).values(
                    username=username,
                    password_hash=_hasher.hash(password),
                    roles=",".join(role_names),
                    active=True,
                    created_at=to_db(now or datetime.now(UTC)),
                    created_by=created_by,
                )
            )
    except IntegrityError:
        raise ConflictError(f"user {username!r} already exists") from None
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def authenticate(conn: Connection, username: str, password: str) -> Actor:
    """The account's Actor if the password is right and the account active.

    Every refusal gives the same message, so a caller cannot tell an unknown name
    from a wrong password or a disabled account."""
    row = conn.execute(
        select(users.c.id, users.c.password_hash, users.c.roles, users.c.active).where(
            users.c.username == username
        )
    ).one_or_none()
    if row is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_dummy_hash(), password)
        raise AuthError(_INVALID)
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise AuthError(_INVALID) from None
    if not row.active:
        raise AuthError(_INVALID)
    if _hasher.check_needs_rehash(row.password_hash):
        # Parameters were raised since this hash was made: upgrade it while the
        # clear password is at hand.
        conn.execute(
            update(users).where(users.c.id == row.id).values(password_hash=_hasher.hash(password))
        )
    return Actor(name=username, roles=_split_roles(row.roles), kind="user")


def set_password(conn: Connection, username: str, password: str) -> None:
    """Give an account a new password (and clear its lock-out)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PiuError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    result = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(password_hash=_hasher.hash(password), failed_logins=0, locked_until=None)
    )
    if result.rowcount == 0:
        raise NotFoundError(f"user {username!r} not found")


def disable_user(conn: Connection, username: str, now: datetime | None = None) -> None:
    """Disable an account (kept for the audit trail, never deleted)."""
    result = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(active=False, disabled_at=to_db(now or datetime.now(UTC)))
    )
    if result.rowcount == 0:
        raise NotFoundError(f"user {username!r} not found")


def list_users(conn: Connection) -> list[UserRecord]:
    rows = conn.execute(
        select(
            users.c.id,
            users.c.username,
            users.c.roles,
            users.c.active,
            users.c.created_at,
            users.c.created_by,
            users.c.disabled_at,
        ).order_by(users.c.username)
    )
    return [
        UserRecord(
            id=row.id,
            username=row.username,
            roles=_split_roles(row.roles),
            active=bool(row.active),
            created_at=as_utc(row.created_at),  # type: ignore[arg-type]
            created_by=row.created_by,
            disabled_at=as_utc(row.disabled_at),
        )
        for row in rows
    ]


def _split_roles(value: str) -> tuple[str, ...]:
    return tuple(r for r in value.split(",") if r)
