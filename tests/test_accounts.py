"""Accounts: argon2id hashes, one refusal message, roles validated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update

from openpiu import accounts
from openpiu.accounts import (
    Actor,
    Role,
    authenticate,
    create_user,
    disable_user,
    generate_password,
    list_users,
)
from openpiu.errors import AuthError, ConflictError, NotFoundError, PiuError
from openpiu.store.schema import users

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(engine: Engine) -> int:
    with engine.begin() as conn:
        return create_user(conn, "alice", PASSWORD, ["analyst", "supervisor"], "local:root")


def test_create_and_authenticate(engine: Engine, alice: int) -> None:
    with engine.begin() as conn:
        actor = authenticate(conn, "alice", PASSWORD)
    assert actor == Actor(name="alice", roles=("analyst", "supervisor"), kind="user")
    assert actor.has(Role.SUPERVISOR) and not actor.has(Role.ADMIN)


def test_hash_is_argon2id_not_the_password(engine: Engine, alice: int) -> None:
    with engine.connect() as conn:
        stored = conn.scalar(select(users.c.password_hash).where(users.c.id == alice))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password!!"), ("nobody", PASSWORD), ("alice", "")],
)
def test_refusals_share_one_message(
    engine: Engine, alice: int, username: str, password: str
) -> None:
    with engine.begin() as conn, pytest.raises(AuthError) as info:
        authenticate(conn, username, password)
    assert info.value.detail == "invalid username or password"


def test_disabled_account_is_refused(engine: Engine, alice: int) -> None:
    when = datetime(2025, 3, 15, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        disable_user(conn, "alice", when)
    with engine.begin() as conn, pytest.raises(AuthError, match="invalid username or password"):
        authenticate(conn, "alice", PASSWORD)
    with engine.connect() as conn:
        (record,) = list_users(conn)
    assert record.active is False and record.disabled_at == when
    with engine.begin() as conn, pytest.raises(NotFoundError):
        disable_user(conn, "nobody")


def test_duplicate_username_is_a_conflict(engine: Engine, alice: int) -> None:
    with engine.begin() as conn:
        with pytest.raises(ConflictError):
            create_user(conn, "alice", PASSWORD, ["analyst"], None)
        # The caller's transaction is still usable afterwards.
        create_user(conn, "bob", PASSWORD, ["dpo"], None)
    with engine.connect() as conn:
        assert [u.username for u in list_users(conn)] == ["alice", "bob"]


def test_race_on_username_is_a_conflict(
    engine: Engine, alice: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The existence check misses a concurrent creation: the unique index decides."""
    with engine.begin() as conn:
        real_scalar = conn.scalar
        monkeypatch.setattr(conn, "scalar", lambda *a, **k: None)
        with pytest.raises(ConflictError):
            create_user(conn, "alice", PASSWORD, ["analyst"], None)
        monkeypatch.setattr(conn, "scalar", real_scalar)
        create_user(conn, "carol", PASSWORD, ["auditor"], None)


@pytest.mark.parametrize(
    ("username", "password", "roles"),
    [
        ("dave", "short", ["analyst"]),
        ("dave", "eleven char", ["analyst"]),
        ("dave", PASSWORD, ["wizard"]),
        ("dave", PASSWORD, []),
        ("Dave", PASSWORD, ["analyst"]),
        ("da", PASSWORD, ["analyst"]),
        ("d" * 65, PASSWORD, ["analyst"]),
        ("dave smith", PASSWORD, ["analyst"]),
    ],
)
def test_invalid_input_is_refused(
    sqlite_engine: Engine, username: str, password: str, roles: list[str]
) -> None:
    with sqlite_engine.begin() as conn, pytest.raises(PiuError):
        create_user(conn, username, password, roles, None)


def test_list_users_has_no_hash(engine: Engine, alice: int) -> None:
    with engine.connect() as conn:
        (record,) = list_users(conn)
    assert record.username == "alice" and record.active
    assert record.roles == ("analyst", "supervisor") and record.created_by == "local:root"
    assert record.created_at.tzinfo is not None
    assert not any("hash" in name or "password" in name for name in vars(record))


def test_production_hasher_is_argon2id_rfc9106() -> None:
    from argon2 import Type

    hasher = PasswordHasher()  # what accounts._hasher is outside the test suite
    assert hasher.type is Type.ID and hasher.memory_cost >= 64 * 1024


def test_outdated_hash_is_upgraded(engine: Engine, alice: int) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == alice).values(password_hash=weak))
    with engine.begin() as conn:
        authenticate(conn, "alice", PASSWORD)
    with engine.connect() as conn:
        stored = conn.scalar(select(users.c.password_hash).where(users.c.id == alice))
    assert stored != weak and not accounts._hasher.check_needs_rehash(stored)


def test_generate_password() -> None:
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(len(p) == 20 and len(p) >= accounts.MIN_PASSWORD_LENGTH for p in passwords)


def test_local_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts.getpass, "getuser", lambda: "operator")
    actor = Actor.local()
    assert actor == Actor(name="local:operator", roles=("admin", "analyst"), kind="local")

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(accounts.getpass, "getuser", no_login)
    assert Actor.local().name.startswith("local:uid")
