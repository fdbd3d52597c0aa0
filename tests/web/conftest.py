"""Fixtures of the analyst application's tests: an app on a migrated store (SQLite,
and PostgreSQL through ``db_url``), accounts per role, and signed-in clients.

    def test_x(web):                      # an app on SQLite and on PostgreSQL
        analyst = web.client("analyst")   # a TestClient signed in as a new analyst
        analyst.post(url, headers=analyst.csrf, ...)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from openpiu import accounts
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.model import Role, TravelDocument, Traveller
from openpiu.pipeline import Pipeline
from openpiu.screening_service import load_watchlist
from openpiu.settings import Settings
from openpiu.store.schema import alerts
from openpiu.synth.paxlst_gen import generate_manifests

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct-horse-battery-1"


@dataclass
class Web:
    app: Any
    engine: Engine
    settings: Settings
    _made: dict[str, int] = field(default_factory=dict)

    def user(self, *roles: str, name: str | None = None) -> str:
        """Create an account with these roles; returns its name."""
        base = name or "-".join(roles).replace("_", "")
        self._made[base] = self._made.get(base, 0) + 1
        username = base if name else f"{base}{self._made[base]}"
        with self.engine.begin() as conn:
            accounts.create_user(conn, username, PASSWORD, roles, "test")
        return username

    def seed_alert(self) -> int:
        """One flight with one open watchlist alert (see :func:`seed_alert`)."""
        return seed_alert(self)

    @staticmethod
    def client_of(app: Any, **options: Any) -> TestClient:
        """A bare client of another app (not redirected automatically)."""
        return TestClient(app, follow_redirects=False, **options)

    def client(self, *roles: str, name: str | None = None) -> TestClient:
        """A client signed in as a new account with these roles (none: anonymous).
        ``client.csrf`` holds the header for state-changing calls."""
        client = TestClient(self.app, follow_redirects=False)
        client.csrf = {}  # type: ignore[attr-defined]
        if roles:
            username = self.user(*roles, name=name)
            r = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            client.csrf = {"X-CSRF-Token": r.json()["csrf_token"]}  # type: ignore[attr-defined]
            client.username = username  # type: ignore[attr-defined]
        return client


def make_web(db_url: str) -> Web:
    from openpiu.store import db
    from openpiu.web import create_app

    settings = Settings(database_url=db_url, cookie_secure=False)
    engine = db.make_engine(db_url)
    app = create_app(settings, engine=engine)
    return Web(app=app, engine=engine, settings=settings)


@pytest.fixture
def web(db_url: str) -> Iterator[Web]:
    """The app on a fresh store, on SQLite and on PostgreSQL."""
    w = make_web(db_url)
    yield w
    w.engine.dispose()


@pytest.fixture
def web_sqlite(tmp_path: Any) -> Iterator[Web]:
    """The app on a fresh SQLite store only (for tests that need no second backend)."""
    w = make_web(f"sqlite:///{tmp_path}/web.db")
    yield w
    w.engine.dispose()


# -- a store with one flight and one watchlist alert on it ------------------------------

T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)  # the synthetic flight TK256 is dated 2025-03-15
LIST_HEADER = ("entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
               "doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n")
RAHIMOV = "E1,NAT-001,{name},,,,1985-06-01,M,TJK,,,,notify,national law art. 5,PIU,,\n"


def watchlist_csv(name: str = "Jamshed Rahimov") -> bytes:
    return (LIST_HEADER + RAHIMOV.format(name=name)).encode()


def passenger(surname: str, given: str, born: date, nationality: str, doc: str) -> Traveller:
    return Traveller(Role.PASSENGER, surname, given, gender="M", dob=born,
                     nationality=nationality,
                     documents=[TravelDocument("P", doc, nationality, date(2031, 1, 1))])


def flight_paxlst(ref: str, at: datetime = T0, extra: int = 0) -> bytes:
    """A full passenger list of TK256/2025-03-15 with one listed person on it."""
    travellers = [
        passenger("SMIRNOV", "ANDREY", date(1976, 4, 30), "RUS", "D3907579"),
        passenger("RAKHIMOV", "DZHAMSHED", date(1985, 6, 1), "TJK", "401122334"),
        *(passenger("PETROV", f"IVAN{'I' * i}", date(1960, 1, 1 + i), "RUS", f"R12345{i:02d}")
          for i in range(extra)),
    ]
    b = next(generate_manifests(1, 3, seed=11))
    env = replace(b.envelope, prepared_at=at.replace(tzinfo=None), interchange_ref=ref)
    return write_paxlst(replace(b, envelope=env, travellers=travellers,
                                declared_passengers=None, declared_crew=None))


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def seed_alert(w: Web) -> int:
    """Load list ``national`` (one entry, E1) and ingest a passenger list with a
    match on it; returns the id of the alert raised."""
    load_watchlist(w.engine, accounts.Actor.local(), "national", "csv", watchlist_csv(),
                   "list.csv", T0)
    pipeline = Pipeline(w.engine, w.settings, clock=Clock())
    outcome = pipeline.ingest_bytes(flight_paxlst("1"))
    assert outcome.status == "processed" and outcome.alerts.get("raised") == 1, outcome
    with w.engine.connect() as conn:
        return int(conn.scalar(select(alerts.c.id).order_by(alerts.c.id.desc()).limit(1)))
