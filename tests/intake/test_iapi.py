"""Interactive API (issue 8, item 5): a PAXLST at check-in is kept, screened in
memory and answered with a CUSRES directive per traveller before the deadline;
any hit says "contact the PIU" and raises an urgent alert; an automatic no-board
needs the jurisdiction's consent, a no_board entry and a document match; a late
hit, or a new hit after a list change, goes to the carrier as an unsolicited
CUSRES, delivered with retries and a delivery log."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from openpiu import accounts, carriers, outbound, review
from openpiu.formats.cusres import Cusres, read_cusres
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.iapi import IapiService
from openpiu.model import Role, TravelDocument, Traveller
from openpiu.pipeline import Pipeline
from openpiu.screening_service import load_watchlist
from openpiu.settings import Settings
from openpiu.store import db
from openpiu.store.schema import alerts, messages, rejections
from openpiu.store.schema_intake import compliance_events, outbound_messages
from openpiu.synth.paxlst_gen import generate_manifests
from openpiu.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

URL = "/api/v1/iapi"
T0 = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)  # the day before the synthetic flight
HEADER = ("entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
          "doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n")  # fmt: skip
RAHIMOV = "E1,N-1,Jamshed Rahimov,,,,1985-06-01,M,TJK,,,,notify,law art. 5,PIU,,\n"
NAZAROV = "E2,N-2,Bakhtiyor Nazarov,,,,1979-02-03,M,UZB,P,AB1234567,UZB,no_board,law,PIU,,\n"
KARIMOV = "E3,N-3,Farrukh Karimov,,,,1990-07-07,M,TJK,P,CC7654321,TJK,notify,law,PIU,,\n"


def person(surname: str, given: str, born: date, nat: str, doc: str, n: int) -> Traveller:
    return Traveller(Role.PASSENGER, surname, given, gender="M", dob=born, nationality=nat,
                     documents=[TravelDocument("P", doc, nat, date(2031, 1, 1))],
                     record_locator=f"LOC{n:03d}", passenger_ref=f"TK0256{n:03d}")  # fmt: skip


SMIRNOV = person("SMIRNOV", "ANDREY", date(1976, 4, 30), "RUS", "D3907579", 1)
RAKHIMOV = person("RAKHIMOV", "DZHAMSHED", date(1985, 6, 1), "TJK", "401122334", 2)
NAZAROV_DOC = person("NAZAROV", "BAKHTIYOR", date(1979, 2, 3), "UZB", "AB1234567", 3)
NAZAROV_NAME = person("NAZAROV", "BAKHTIYOR", date(1979, 2, 3), "UZB", "ZZ0000001", 4)
KARIMOV_DOC = person("KARIMOV", "FARRUKH", date(1990, 7, 7), "TJK", "CC7654321", 5)
PETROVA = person("PETROVA", "OLGA", date(1988, 9, 9), "RUS", "R7777777", 6)


def paxlst(ref: int, *travellers: Traveller) -> bytes:
    base = next(generate_manifests(1, 3, seed=11))
    env = replace(base.envelope, interchange_ref=f"{ref:09d}")
    return write_paxlst(replace(base, envelope=env, travellers=list(travellers),
                                declared_passengers=None, declared_crew=None))  # fmt: skip


@dataclass
class Env:
    app: Any
    engine: Engine
    settings: Settings
    client: TestClient
    carrier: carriers.Carrier

    @property
    def service(self) -> IapiService:
        if getattr(self.app.state, "iapi", None) is None:
            self.app.state.iapi = IapiService(self.engine, self.settings)
        return self.app.state.iapi  # type: ignore[no-any-return]

    def post(self, raw: bytes) -> Any:
        return self.client.post(URL, content=raw, headers={"content-type": "application/edifact"})

    def settle(self) -> None:
        """Wait for the pipeline, then for the iAPI follow-ups."""
        self.app.state.work.join()
        self.service.wait_idle()

    def load(self, *rows: str, name: str = "national") -> Any:
        return load_watchlist(self.engine, accounts.Actor.local(), name, "csv",
                              (HEADER + "".join(rows)).encode(), "list.csv", T0)  # fmt: skip


Make = Callable[..., Env]


def _make(db_url: str) -> Iterator[Make]:
    made: list[Env] = []

    def make(
        kinds: tuple[str, ...] = ("paxlst", "iapi"), reply_url: str | None = None, **overrides: Any
    ) -> Env:
        settings = Settings(database_url=db_url, cookie_secure=False, **overrides)
        engine = db.make_engine(db_url)
        app = create_app(settings, engine=engine)
        with engine.begin() as conn:
            carrier, token = carriers.add(
                conn, f"ZZ{len(made)}", "Test Air", kinds=kinds, routes=[], schedule={},
                reply_url=reply_url, reply_queue=None, created_by="test", at=T0)  # fmt: skip
        client = TestClient(app, headers={"authorization": f"Bearer {token}"})
        env = Env(app, engine, settings, client, carrier)
        made.append(env)
        return env

    yield make
    for env in made:
        env.settle()
        env.service.close()
        env.app.state.work.close()
        env.engine.dispose()


@pytest.fixture
def make(tmp_path: Any) -> Iterator[Make]:
    """Apps on one SQLite store, settings overridden per call."""
    yield from _make(f"sqlite:///{tmp_path}/iapi.db")


@pytest.fixture
def make_any(db_url: str) -> Iterator[Make]:
    """The same on SQLite and on PostgreSQL."""
    yield from _make(db_url)


def answers(response: Any) -> dict[str | None, tuple[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/edifact")
    cusres = read_cusres(response.content)
    assert cusres.warnings == []  # UNT/UNE/UNZ counts and references right
    return {a.passenger_ref: (a.directive.code, a.directive.text) for a in cusres.answers}


BOARD = ("0Z", "OK TO BOARD")
CONTACT = ("1Z", "NO BOARD - CONTACT PIU")


# -- the answer --------------------------------------------------------------------------


def test_no_hit_boards_everyone_and_the_answer_is_kept(make: Make) -> None:
    env = make()
    env.load(RAHIMOV)
    raw = paxlst(1, SMIRNOV, PETROVA)
    r = env.post(raw)
    assert answers(r) == {"TK0256001": BOARD, "TK0256006": BOARD}
    cusres = read_cusres(r.content)
    # The PAXLST's envelope and flight, echoed: parties swapped, its references.
    assert (cusres.sender, cusres.recipient) == ("TJPIUAPI:ZZ", "TKAPIS:ZZ")
    assert (cusres.common_access_ref, cusres.transaction_ref, cusres.flight) == (
        "TK0256/250315/1445",
        "TK0256150325",
        "TK0256",
    )
    assert (cusres.origin, cusres.destination) == ("IST", "DYU")
    assert cusres.departure == datetime(2025, 3, 15, 14, 45)
    assert [a.record_locator for a in cusres.answers] == ["LOC001", "LOC006"]
    env.settle()
    with env.engine.connect() as conn:
        msg = conn.execute(
            select(messages.c.channel, messages.c.sender, messages.c.status).where(
                messages.c.id == int(r.headers["x-piu-message-id"])
            )
        ).one()
        row = conn.execute(select(outbound_messages)).mappings().one()
    assert tuple(msg) == ("iapi", env.carrier.code, "processed")
    assert (row["reason"], row["status"], bytes(row["body"])) == ("answer", "answered", r.content)
    assert row["latency_ms"] is not None and row["latency_ms"] < 2000
    # The carrier's retry of the same bytes gets the same answer, not a second one.
    again = env.post(raw)
    assert again.status_code == 200 and again.content == r.content


def test_listed_traveller_gets_contact_and_an_urgent_alert(make_any: Make) -> None:
    env = make_any()
    env.load(RAHIMOV)
    r = env.post(paxlst(2, SMIRNOV, RAKHIMOV))
    assert answers(r) == {"TK0256001": BOARD, "TK0256002": CONTACT}
    env.settle()
    with env.engine.connect() as conn:
        rows = conn.execute(select(alerts.c.entry_id, alerts.c.urgent)).all()
    assert [(e, bool(u)) for e, u in rows] == [("E1", True)]


def test_a_person_cleared_against_an_entry_boards_until_the_entry_changes(
    make_any: Make,
) -> None:
    env = make_any()
    env.load(RAHIMOV)
    assert answers(env.post(paxlst(2, RAKHIMOV))) == {"TK0256002": CONTACT}
    env.settle()
    with env.engine.begin() as conn:
        alert_id = conn.scalar(select(alerts.c.id).where(alerts.c.entry_id == "E1"))
        review.decide(conn, accounts.Actor("ana", ("analyst",), "user"), int(alert_id),
                      "dismiss", "not him: another father's name", T0)  # fmt: skip
    # The next check-in of the same person: the dismissal holds, he boards.
    assert answers(env.post(paxlst(3, RAKHIMOV))) == {"TK0256002": BOARD}
    env.settle()
    # The entry changes (an alias added): the dismissal no longer covers it.
    env.load(RAHIMOV.replace(",,,,1985", ",,Dzhamshed Rakhimov,,1985"))
    assert answers(env.post(paxlst(4, RAKHIMOV))) == {"TK0256002": CONTACT}


@pytest.mark.parametrize(
    ("auto", "traveller", "expected"),
    [
        (False, NAZAROV_DOC, CONTACT),  # the jurisdiction does not allow it
        (True, NAZAROV_DOC, ("2Z", "NO BOARD")),  # allowed, no_board entry, document
        (True, NAZAROV_NAME, CONTACT),  # the name matched, not the document
        (True, KARIMOV_DOC, CONTACT),  # the document matched an entry asking notify
    ],
)
def test_automatic_no_board_only_where_allowed(
    make: Make, auto: bool, traveller: Traveller, expected: tuple[str, str]
) -> None:
    env = make(iapi_auto_no_board=auto, iapi_no_board="2Z:NO BOARD")
    env.load(NAZAROV, KARIMOV)
    got = answers(env.post(paxlst(3, traveller)))
    assert got == {traveller.passenger_ref: expected}


def test_past_the_deadline_the_default_goes_and_a_late_hit_is_sent_unsolicited(
    make: Make,
) -> None:
    env = make(iapi_deadline_ms=200, reply_url="http://127.0.0.1:9/cusres")
    env.load(RAHIMOV)
    service = env.service
    # The index of the list is being built (held here) when the check-in comes.
    with service.lists._lock:
        r = env.post(paxlst(4, SMIRNOV, RAKHIMOV))
        assert answers(r) == {"TK0256001": BOARD, "TK0256002": BOARD}  # the default: board
    env.settle()
    with env.engine.connect() as conn:
        rows = conn.execute(select(outbound_messages).order_by(outbound_messages.c.id)
                            ).mappings().all()  # fmt: skip
        urgent = conn.scalar(select(func.count()).where(alerts.c.urgent.is_(True)))
    assert [(o["reason"], o["status"]) for o in rows] == [
        ("answer", "answered"),
        ("unsolicited", "pending"),
    ]
    late = read_cusres(bytes(rows[1]["body"]))
    assert [(a.passenger_ref, a.directive.code) for a in late.answers] == [("TK0256002", "1Z")]
    # Delivery was tried at once; the closed port is logged, without content.
    assert rows[1]["attempts"] == 1 and rows[1]["last_error"] == "ConnectError"
    assert urgent == 1


def test_timeout_directive_contact_is_honoured(make: Make) -> None:
    env = make(iapi_deadline_ms=50, iapi_timeout_directive="contact")
    env.load(RAHIMOV)
    with env.service.lists._lock:
        got = answers(env.post(paxlst(5, SMIRNOV)))
    assert got == {"TK0256001": CONTACT}


# -- refusals ----------------------------------------------------------------------------


def test_carrier_without_iapi_is_refused(make: Make) -> None:
    env = make(kinds=("paxlst",))
    r = env.post(paxlst(6, SMIRNOV))
    assert r.status_code == 403
    with env.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(messages)) == 0
        assert conn.scalar(select(func.count()).select_from(rejections)) == 1
        assert conn.scalar(select(compliance_events.c.kind)) == "forbidden"
    anonymous = TestClient(env.app).post(URL, content=paxlst(6, SMIRNOV))
    assert anonymous.status_code == 401


def test_bad_paxlst_is_quarantined_and_answered_400(make: Make) -> None:
    env = make()
    no_flight = (
        b"UNA:+.? 'UNB+UNOA:4+ZZAIR:ZZ+PIU:ZZ+250315:0641+9++APIS'"
        b"UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++DOE:JOHN'UNT+4+1'UNZ+1+9'"
    )
    r = env.post(no_flight)
    assert r.status_code == 400 and "flight" in r.json()["detail"]
    with env.engine.connect() as conn:
        status = conn.scalar(select(messages.c.status).where(
            messages.c.id == r.json()["message_id"]))  # fmt: skip
    assert status == "quarantined"
    junk = env.post(b"hello, this is not a message")
    assert junk.status_code == 400
    with env.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(rejections)) == 1


# -- unsolicited CUSRES after a list change, delivered with retries ------------------------


class _Callback(BaseHTTPRequestHandler):
    failures = 1
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["content-length"]))
        cls = type(self)
        if cls.failures > 0:
            cls.failures -= 1
            self.send_response(503)
        else:
            cls.received.append(body)
            self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def callback() -> Iterator[tuple[str, type[_Callback]]]:
    handler = type("Handler", (_Callback,), {"failures": 1, "received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cusres", handler
    server.shutdown()
    server.server_close()


def test_new_hit_after_a_list_change_is_delivered_with_retries(
    make: Make, callback: tuple[str, type[_Callback]]
) -> None:
    url, handler = callback
    env = make(reply_url=url)
    env.load(RAHIMOV)
    assert answers(env.post(paxlst(7, SMIRNOV, PETROVA))) == {"TK0256001": BOARD,
                                                             "TK0256006": BOARD}  # fmt: skip
    env.settle()
    # PETROVA is listed afterwards; the rescreen raises her alert.
    since = T0 + timedelta(minutes=1)
    result = env.load(RAHIMOV, "E9,N-9,Olga Petrova,,,,1988-09-09,F,RUS,,,,notify,law,PIU,,\n")
    pipeline = Pipeline(env.engine, env.settings, clock=lambda: since + timedelta(seconds=1))
    # The rescreen queues the unsolicited CUSRES itself, and only once.
    assert pipeline.rescreen_after_list_change("national", result)
    now = since + timedelta(seconds=2)
    with env.engine.connect() as conn:
        queued = conn.scalar(select(func.count()).select_from(outbound_messages).where(
            outbound_messages.c.reason == "unsolicited"))  # fmt: skip
    assert queued == 1
    assert outbound.unsolicited_since(env.engine, env.settings, since, now) == 0
    # First attempt: the carrier answers 503; retried after the backoff, not before.
    assert outbound.deliver_due(env.engine, env.settings, now) == 0
    with env.engine.connect() as conn:
        row = conn.execute(select(outbound_messages).where(
            outbound_messages.c.reason == "unsolicited")).mappings().one()  # fmt: skip
        urgent = conn.scalar(select(alerts.c.urgent).where(alerts.c.entry_id == "E9"))
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 1, "HTTP 503")
    assert db.as_utc(row["next_attempt_at"]) == now + outbound.backoff(1)
    assert urgent
    assert outbound.deliver_due(env.engine, env.settings, now + timedelta(seconds=5)) == 0
    later = now + outbound.backoff(1)
    assert outbound.deliver_due(env.engine, env.settings, later) == 1
    log = outbound.outbound_log(env.engine.connect(), env.carrier.id)
    assert (log[0]["status"], log[0]["attempts"], log[0]["last_error"]) == ("delivered", 2, None)
    assert log[0]["delivered_at"] == later
    sent: Cusres = read_cusres(handler.received[0])
    assert [(a.passenger_ref, a.directive.code) for a in sent.answers] == [("TK0256006", "1Z")]


def test_delivery_gives_up_after_the_last_attempt(
    make: Make, callback: tuple[str, type[_Callback]]
) -> None:
    url, handler = callback
    handler.failures = outbound.MAX_ATTEMPTS + 5
    env = make(reply_url=url)
    manifest = next(generate_manifests(1, 1, seed=3))
    with env.engine.begin() as conn:
        row_id = outbound.queue_unsolicited(
            conn, carrier=carriers.get(conn, env.carrier.code), manifest=manifest,
            answers=[outbound.answer_of(manifest.travellers[0],
                                        outbound.directive_for(env.settings, None, ()))],
            message_id=None, flight_id=None, now=T0)  # fmt: skip
    now = T0
    for _attempt in range(outbound.MAX_ATTEMPTS):
        assert outbound.deliver_due(env.engine, env.settings, now) == 0
        now += outbound.BACKOFF_CAP
    with env.engine.connect() as conn:
        row = conn.execute(select(outbound_messages).where(outbound_messages.c.id == row_id)
                           ).mappings().one()  # fmt: skip
    assert (row["status"], row["attempts"]) == ("failed", outbound.MAX_ATTEMPTS)
    assert outbound.deliver_due(env.engine, env.settings, now) == 0
    assert handler.received == []
