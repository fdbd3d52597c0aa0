"""HTTP intake (issue 8, item 2): carriers push raw messages with their API token;
answers come after the vault has the message; every refusal is answered and
counted; overload answers 503 with Retry-After; a carrier sees only its own
messages and nothing of the analyst application."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from tests.web.conftest import Web

from openpiu import carriers
from openpiu.intake import BACKLOG_EVERY_S
from openpiu.model import MessageKind
from openpiu.settings import Settings
from openpiu.store import db
from openpiu.store.schema import messages, rejections
from openpiu.store.schema_intake import compliance_events
from openpiu.store.vault import Vault, sha256_hex
from openpiu.web import create_app
from openpiu.web.access import SUBMIT_MESSAGES, app_routes, route_guard
from openpiu.work_queue import InProcessQueue

SAMPLES = Path(__file__).parents[2] / "src" / "openpiu" / "samples"
PAXLST = (SAMPLES / "01_TK0256_passengers.edi").read_bytes()
PNRGOV = (SAMPLES / "00_TK0256_pnr_t24.edi").read_bytes()
URL = "/api/v1/messages"


def variant(n: int) -> bytes:
    """The sample passenger list with interchange reference n (distinct bytes)."""
    return PAXLST.replace(b"007000001", f"{n:09d}".encode())


MakeWeb = Callable[..., Web]


@pytest.fixture
def make_web(db_url: str) -> Iterator[MakeWeb]:
    """Apps on one fresh store (SQLite and PostgreSQL), with settings overridden."""
    engines: list[Engine] = []
    apps: list[Any] = []

    def make(**overrides: Any) -> Web:
        settings = Settings(database_url=db_url, cookie_secure=False, **overrides)
        engine = db.make_engine(db_url)
        engines.append(engine)
        app = create_app(settings, engine=engine)
        apps.append(app)
        return Web(app=app, engine=engine, settings=settings)

    yield make
    for app in apps:
        app.state.work.close()
    for engine in engines:
        engine.dispose()


@pytest.fixture
def web(make_web: MakeWeb) -> Web:
    return make_web()


def add_carrier(engine: Engine, code: str, kinds: tuple[str, ...] = ("paxlst", "pnrgov")) -> str:
    with engine.begin() as conn:
        _, token = carriers.add(conn, code, f"{code} airline", kinds=kinds, routes=[],
                                schedule=carriers.DEFAULT_SCHEDULE, reply_url=None,
                                reply_queue=None, created_by="test", at=datetime.now(UTC))
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/edifact"}


def rejected(engine: Engine) -> list[tuple[str | None, str]]:
    with engine.connect() as conn:
        return [(r.sender, r.reason) for r in
                conn.execute(select(rejections).order_by(rejections.c.id))]


def events(engine: Engine) -> list[tuple[str | None, str]]:
    with engine.connect() as conn:
        return [(r.carrier, r.kind) for r in
                conn.execute(select(compliance_events).order_by(compliance_events.c.id))]


def stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(messages)) or 0)


def test_push_is_vaulted_processed_and_a_repeat_is_a_duplicate(web: Web) -> None:
    token = add_carrier(web.engine, "TK")
    client = web.client_of(web.app)
    r = client.post(URL, content=PAXLST, headers=bearer(token))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["duplicate"] is False and body["kind"] == "paxlst"
    assert body["status"] == "received"  # answered once in the vault, before processing
    assert body["status_url"] == f"/api/v1/messages/{body['id']}/status"
    web.app.state.work.join()
    status = client.get(body["status_url"], headers=bearer(token))
    assert status.status_code == 200, status.text
    s = status.json()
    assert (s["id"], s["kind"], s["status"]) == (body["id"], "paxlst", "processed")
    assert s["received_at"] and s["processed_at"] and s["reason"] is None
    assert isinstance(s["warnings"], int)
    # The same bytes again, as `curl -d @file` sends them (form-encoded content type).
    again = client.post(URL, content=PAXLST, headers={
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert again.status_code == 200, again.text
    assert again.json()["duplicate"] is True and again.json()["id"] == body["id"]
    assert again.json()["status"] == "processed"
    counts = Vault(web.engine).counts()
    assert (counts["received"], counts["duplicate"], counts["processed"]) == (2, 1, 1)
    with web.engine.connect() as conn:
        sender, channel = conn.execute(select(messages.c.sender, messages.c.channel)).one()
    assert (sender, channel) == ("TK", "http")
    assert rejected(web.engine) == [] and events(web.engine) == []


def test_refusals_are_answered_and_counted(web: Web) -> None:
    token = add_carrier(web.engine, "SZ", kinds=("paxlst",))
    client = web.client_of(web.app)
    assert client.post(URL, content=PAXLST, headers=bearer("piuc_wrong")).status_code == 401
    assert client.post(URL, content=PAXLST).status_code == 401
    analyst = web.client("analyst")
    r = analyst.post(URL, content=PAXLST, headers=analyst.csrf)
    assert r.status_code == 403  # the analyst role lacks SUBMIT_MESSAGES
    r = client.post(URL, content=PNRGOV, headers=bearer(token))
    assert r.status_code == 403 and "may not send pnrgov" in r.json()["detail"]
    r = client.post(URL, content=b"hello, this is not a message", headers=bearer(token))
    assert r.status_code == 400 and "not an EDIFACT message or XML" in r.json()["detail"]
    assert client.post(URL, content=b"  \n", headers=bearer(token)).status_code == 400
    assert stored(web.engine) == 0  # nothing refused reached the vault
    rows = rejected(web.engine)
    assert [sender for sender, _ in rows] == [None, None, None, "SZ", "SZ", "SZ"]
    assert "token" in rows[0][1] and "may not submit" in rows[2][1]
    assert "may not send pnrgov" in rows[3][1] and "EDIFACT" in rows[4][1]
    assert events(web.engine) == [("SZ", "forbidden"), ("SZ", "refused"), ("SZ", "refused")]


def test_oversize_is_refused_before_it_is_read(make_web: MakeWeb) -> None:
    web = make_web(max_message_bytes=1000)
    token = add_carrier(web.engine, "TK")
    client = web.client_of(web.app)
    r = client.post(URL, content=PAXLST, headers=bearer(token))
    assert r.status_code == 413 and "exceeds the maximum of 1000 bytes" in r.json()["detail"]
    small = client.post(URL, content=b"x" * 1000, headers=bearer(token))
    assert small.status_code == 400  # at the limit it is read, then found not EDIFACT
    # A chunked body without Content-Length: reading stops past the limit.
    served, status = _stream_endless(web.app, token, chunk=100)
    assert status == 413
    assert served <= 12  # 1000 bytes in 100-byte chunks, and one more: not the 10,000 sent
    assert stored(web.engine) == 0
    reasons = [reason for _, reason in rejected(web.engine)]
    assert len(reasons) == 3 and "more than 1100 bytes" in reasons[2]
    assert events(web.engine) == [("TK", "refused")] * 3


def _stream_endless(app: Any, token: str, chunk: int) -> tuple[int, int]:
    """POST a body of 10,000 chunks through the ASGI interface; returns how many
    chunks the app asked for and the status it answered."""
    served = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal served
        served += 1
        if served > 10_000:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"U" * chunk, "more_body": served < 10_000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": URL, "raw_path": URL.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80),
             "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked"),
                         (b"authorization", f"Bearer {token}".encode())]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return served, start["status"]


def test_backlog_answers_503_with_retry_after_and_stores_nothing(make_web: MakeWeb) -> None:
    web = make_web(intake_max_backlog=2, intake_retry_after_seconds=7)
    token = add_carrier(web.engine, "TK")
    vault = Vault(web.engine)
    for n in (1, 2):  # two messages waiting, never handed to the work queue
        vault.receive(variant(n), channel="http", sender="TK", kind=MessageKind.PAXLST)
    client = web.client_of(web.app)
    r = client.post(URL, content=variant(3), headers=bearer(token))
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "7"
    assert "2 messages await processing" in r.json()["detail"]
    assert events(web.engine) == [("TK", "overload")]
    assert rejected(web.engine)[0][0] == "TK"
    with web.engine.connect() as conn:
        found = conn.scalar(select(messages.c.id).where(messages.c.sha256 ==
                                                        sha256_hex(variant(3))))
    assert found is None and stored(web.engine) == 2
    # The backlog drains (what the app's start does: resume), intake takes again.
    assert web.app.state.work.resume() == 2
    web.app.state.work.join()
    time.sleep(BACKLOG_EVERY_S)  # the brake counts the backlog twice a second
    assert client.post(URL, content=variant(3), headers=bearer(token)).status_code == 201


def test_a_carrier_sees_only_its_own_messages(web: Web) -> None:
    tk, sz = add_carrier(web.engine, "TK"), add_carrier(web.engine, "SZ")
    client = web.client_of(web.app)
    pushed = client.post(URL, content=PAXLST, headers=bearer(tk)).json()
    # Processed before the analyst is made: the fixture's account insert is not a
    # writer transaction and would race the worker on SQLite.
    web.app.state.work.join()
    other = client.get(pushed["status_url"], headers=bearer(sz))
    missing = client.get("/api/v1/messages/999999/status", headers=bearer(sz))
    assert other.status_code == missing.status_code == 404  # not 403: ids are not revealed
    assert other.json()["detail"] == f"message {pushed['id']} not found"
    analyst = web.client("analyst")
    assert analyst.get(pushed["status_url"]).status_code == 403
    # SZ pushing the same bytes has sent it too: the duplicate answer and the status.
    dup = client.post(URL, content=PAXLST, headers=bearer(sz))
    assert dup.status_code == 200 and dup.json()["id"] == pushed["id"]
    assert client.get(pushed["status_url"], headers=bearer(sz)).status_code == 200


def test_a_carrier_token_opens_no_analyst_route(web: Web) -> None:
    token = add_carrier(web.engine, "TK")
    client = web.client_of(web.app)
    assert client.get("/api/v1/alerts", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/messages", headers=bearer(token)).status_code == 403
    checked = 0
    for route in app_routes(web.app):
        guard = route_guard(route)
        if guard is None or guard.permission == SUBMIT_MESSAGES:
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in sorted(route.methods - {"HEAD"}):
            r = client.request(method, path, headers=bearer(token))
            assert r.status_code == 403, (method, route.path, r.status_code)
            checked += 1
    assert checked > 20
    # Not even the routes any signed-in account may use (session, language).
    assert client.get("/api/v1/session", headers=bearer(token)).status_code == 403


def test_burst_from_four_threads_is_accounted_for(web: Web) -> None:
    """50 pushes from 4 threads, 5 of them repeats: every push is a receipt."""
    token = add_carrier(web.engine, "TK")
    bodies = [variant(n) for n in range(45)] + [variant(n) for n in range(5)]
    answers: list[int] = []
    lock = threading.Lock()

    def push(share: list[bytes]) -> None:
        client = web.client_of(web.app)
        for body in share:
            r = client.post(URL, content=body, headers=bearer(token))
            with lock:
                answers.append(r.status_code)

    threads = [threading.Thread(target=push, args=(bodies[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == [200] * 5 + [201] * 45
    web.app.state.work.join()
    counts = Vault(web.engine).counts()
    assert counts["received"] == 50 and counts["duplicate"] == 5
    assert counts["processed"] + counts["quarantined"] + counts["held"] == 45
    assert counts["pending"] == 0 and rejected(web.engine) == []


def test_resume_processes_what_a_crash_left_received(engine: Engine) -> None:
    settings = Settings(database_url=str(engine.url))
    receipt = Vault(engine).receive(PAXLST, channel="http", sender="TK", kind=MessageKind.PAXLST)
    work = InProcessQueue(settings, engine)
    try:
        assert work.resume() == 1
        work.join()
        assert Vault(engine).get(receipt.message_id).status == "processed"
        assert work.resume() == 0
    finally:
        work.close()


@pytest.mark.postgres
def test_store_cut_answers_503_and_intake_resumes(postgres_url: str) -> None:
    """The database connection cut (through the tests' own TCP proxy, never the
    machine's server): pushes are answered 503 with Retry-After, nothing is taken
    on; once it is back, pushes are kept again."""
    from sqlalchemy.engine import make_url
    from tests.intake.faultproxy import FaultProxy

    port = make_url(postgres_url).port or 5432
    with FaultProxy(port) as proxy:
        via = make_url(postgres_url).set(port=proxy.port).render_as_string(hide_password=False)
        settings = Settings(database_url=via, cookie_secure=False)
        engine = db.make_engine(via)
        app = create_app(settings, engine=engine)
        try:
            web = Web(app=app, engine=engine, settings=settings)
            token = add_carrier(engine, "TK")
            client = web.client_of(app)
            assert client.post(URL, content=variant(1), headers=bearer(token)).status_code == 201
            proxy.cut()
            cut = client.post(URL, content=variant(2), headers=bearer(token))
            assert cut.status_code == 503, cut.text
            assert cut.headers["retry-after"] and "retry later" in cut.json()["detail"]
            proxy.restore()
            back = client.post(URL, content=variant(2), headers=bearer(token))
            assert back.status_code == 201, back.text
            app.state.work.join()
            assert stored(engine) == 2
        finally:
            app.state.work.close()
            engine.dispose()
