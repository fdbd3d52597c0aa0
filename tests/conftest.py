"""Shared fixtures: a migrated store on SQLite and on PostgreSQL.

``db_url`` runs each test that uses it twice, once per backend.  PostgreSQL tests
get a fresh schema each (selected through ``search_path`` in the URL), dropped
afterwards.  When the server is unreachable they are skipped with the reason,
except under ``CI=true``, where they fail: CI must run them.  The server is
``PIU_TEST_POSTGRES_URL`` if set, else postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import gc
import io
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from openpiu import accounts
from openpiu.cli import main
from openpiu.settings import get_settings
from openpiu.store.db import make_engine, upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    url = os.environ.get("PIU_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the production profile costs ~0.3 s a hash on a small machine;
    tests use the same algorithm with tiny costs."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@cache
def _postgres_unreachable() -> str | None:
    """None when the test server answers, else why not (checked once per session)."""
    engine = create_engine(postgres_base_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not reachable" for the test run
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = make_url(postgres_base_url()).render_as_string()
        return f"PostgreSQL at {where} unreachable: {first_line}"
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    reason = _postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections live in a fresh, empty schema of the test database."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_base_url())
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(postgres_base_url()).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        yield url.render_as_string(hide_password=False)
        with admin.begin() as conn:
            # A leaked connection idle in a transaction would block the drop forever.
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/piu.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated store on each backend."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: os.PathLike[str]) -> Iterator[Engine]:
    """A migrated SQLite store, for tests that need not run on both backends."""
    eng = make_engine(f"sqlite:///{tmp_path}/piu.db")
    upgrade(eng)
    yield eng
    eng.dispose()


# -- The CLI run in-process (tests/test_cli.py, tests/test_screening_cli.py) -------


@dataclass
class Result:
    code: int
    out: str
    err: str

    def clean(self) -> bool:
        return "Traceback" not in self.out + self.err


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI pointed at the test database, acting as the local OS account."""
    for name in list(os.environ):
        if name.startswith("PIU_") and name != "PIU_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()
    gc.collect()  # close the engines the commands opened (PostgreSQL connections)


@pytest.fixture
def piu(env: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> object:
    def run(*args: str, stdin: bytes = b"", **extra_env: str) -> Result:
        for name, value in extra_env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        get_settings.cache_clear()
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
        finally:
            for name in extra_env:
                monkeypatch.delenv(name)
            get_settings.cache_clear()
        captured = capsys.readouterr()
        return Result(int(code or 0), captured.out, captured.err)

    return run
