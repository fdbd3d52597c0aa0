"""Sensitive data deleted on receipt, on both backends (issue 3, item 4).

Each test ingests a PNR through :class:`Pipeline` and then looks for the sensitive
codes and terms *everywhere* they could hide: every row of every table, the
database files themselves (SQLite file, ``-wal`` and ``-shm``; a ``pg_dump`` of the
test schema on PostgreSQL), the vault's raw copy, the logs of the whole ingest
(DEBUG) and the outcome.  Names are not free text: a surname such as CHURCH stays.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, update
from sqlalchemy.engine import make_url

from openpiu.errors import ConfigError
from openpiu.formats.pnrgov import parse_pnrgov
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.formats.pnrgov_xml_writer import write_pnrgov_xml
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    FrequentFlyer,
    HistoryItem,
    ItinerarySegment,
    Leg,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    Seat,
    SpecialService,
    Ticket,
    TravelDocument,
)
from openpiu.pipeline import Pipeline
from openpiu.privacy.policy import load_policy
from openpiu.settings import Settings
from openpiu.store import pnr_queries
from openpiu.store.bookings import versions_of
from openpiu.store.schema import messages, metadata, privacy_removals

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "pnrgov_example.edi"
XML_EXAMPLE = Path(__file__).parent / "formats" / "pnrgov_xml_corpus" / "example.xml"
T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)
FULL_CARD = "4111111111111111"
# Every sensitive item the built PNR carries, and what must survive beside them.
CODES = ("MOML", "KSML", "HNML", "DBML", "GFML", "WCHR", "MEDA", "BLND")
SENSITIVE = CODES + ("HALAL", "MUSLIM", "DIABETIC", "KOSHER")
KEPT = ("UMNR", "CHURCH", "CALL BEFORE DEPARTURE", "SEN001")


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": "sqlite:///unused.db"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine, settings(), clock=lambda: T0)


@pytest.fixture
def example() -> bytes:
    if not EXAMPLE.exists():
        pytest.skip(f"shared example {EXAMPLE} absent")
    return EXAMPLE.read_bytes()


# -- where data could hide ---------------------------------------------------------

def all_rows(engine: Engine) -> str:
    """Every row of every table, as text (bytes decoded), on either backend."""
    parts = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        value = bytes(value).decode("latin-1")
                    parts.append(str(value))
    return "\n".join(parts)


def pg_dump(engine: Engine) -> bytes:
    """``pg_dump --data-only`` of the test schema (skip visibly without pg_dump)."""
    binary = shutil.which("pg_dump") or ("/usr/bin/pg_dump" if Path("/usr/bin/pg_dump").exists()
                                         else None)
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump not on PATH (required under CI=true)")
        pytest.skip("pg_dump not on PATH: PostgreSQL dump not checked")
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    url = make_url(engine.url.render_as_string(hide_password=False))
    command = [binary, "--data-only", "-n", str(schema), "-h", url.host or "127.0.0.1",
               "-p", str(url.port or 5432), "-U", url.username or "postgres",
               url.database or "postgres"]
    env = dict(os.environ, PGPASSWORD=url.password or "", PGCONNECT_TIMEOUT="5")
    done = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"COPY" in done.stdout  # the dump really holds the schema's data
    return done.stdout


def database_bytes(engine: Engine) -> bytes:
    """The bytes at rest: the SQLite file with its -wal and -shm, or a PG dump."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        found = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
        assert path in found
        return b"".join(p.read_bytes() for p in found)
    return pg_dump(engine)


def forms(term: str) -> list[bytes]:
    """A term as plain bytes and as the hex a bytea column dumps to."""
    raw = term.encode()
    return [raw, raw.hex().encode(), raw.lower()]


def assert_no_trace(engine: Engine, terms: tuple[str, ...], *texts: str) -> None:
    rows = all_rows(engine)
    at_rest = database_bytes(engine)
    for term in terms:
        assert term not in rows, f"{term} in a table row"
        for form in forms(term):
            assert form not in at_rest, f"{term} in the database bytes ({form!r})"
        for text in texts:
            assert term not in text.upper(), f"{term} in {text[:200]!r}"


# -- built messages ----------------------------------------------------------------

def flight() -> Flight:
    dep = datetime(2025, 3, 15, 8, 15)
    return Flight("ZZ", "123", "ZZ123", dep.date(),
                  [Leg("IST", "DYU", dep, None, datetime(2025, 3, 15, 14, 30), None)])


def sensitive_push() -> PnrPush:
    """One booking with sensitive codes of every group, sensitive remarks (traveller,
    booking, SSR text, history), an unaccompanied minor and a surname CHURCH."""
    dep = datetime(2025, 3, 15, 8, 15)
    t = BookedTraveller(ref="1", surname="CHURCH", given_names="ANNA", raw_given_names="ANNAMS",
                        title="MS", passenger_type="A", dob=date(2014, 1, 2), gender="F",
                        nationality="GBR")
    t.documents.append(TravelDocument("P", "123456789", "GBR", date(2030, 1, 1)))
    t.services += [SpecialService(code, "HK", None, "ZZ")
                   for code in CODES]
    t.services.append(SpecialService("UMNR", "HK", "UNACCOMPANIED MINOR 11 YEARS", "ZZ"))
    t.services.append(SpecialService("OTHS", "HK", "PAX DIABETIC NEEDS INSULIN", "ZZ"))
    t.remarks += ["PAX REQUESTS HALAL MEAL", "CALL BEFORE DEPARTURE"]
    t.frequent_flyers.append(FrequentFlyer("ZZ", "987654321", "GOLD"))
    t.tickets.append(Ticket("1234567890999", "T", fare_total=310.0, currency="USD"))
    t.payments.append(Payment("card", "CC", "VI", None, card_number=FULL_CARD,
                              card_expiry="0927"))
    t.seats.append(Seat("10A", "IST-DYU"))
    segment = ItinerarySegment("ZZ", "123", "IST", "DYU", dep, None,
                               datetime(2025, 3, 15, 14, 30), None, "Y", "HK")
    booking = Booking("SEN001", "ZZ", [("ZZ", "SEN001"), ("1A", "XQ7788")],
                      created_at=datetime(2025, 3, 1, 9, 0), travellers=[t],
                      itinerary=[segment], remarks=["OSI PAX MUSLIM PRAYER TIMES"],
                      history=[HistoryItem("A", datetime(2025, 3, 2, 9, 0), "KOSHER MEAL ADDED")])
    env = Envelope(message_ref="1", prepared_at=datetime(2025, 3, 13, 8, 0), interchange_ref="5")
    return PnrPush(env, PushKind.FULL, flight(), Originator("ZZ", "IST"), bookings=[booking])


def stored_data(engine: Engine, locator: str) -> dict[str, object]:
    with engine.connect() as conn:
        (found,) = pnr_queries.find_bookings(conn, locator)
        return versions_of(conn, found["id"])[-1]["data"]  # type: ignore[no-any-return]


def removals(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {r.rule: r.count for r in conn.execute(select(privacy_removals))}


# -- the check ---------------------------------------------------------------

def test_example_stored_without_moml(pipeline: Pipeline, engine: Engine, example: bytes,
                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = pipeline.ingest_bytes(example, sender="pnrgov_example.edi")
    assert outcome.status == "processed", outcome
    assert (outcome.kind, outcome.flights, outcome.bookings, outcome.travellers) == (
        "pnrgov", ["ZZ123/2025-03-15"], 1, 1)
    data = stored_data(engine, "ABC123")
    (t,) = data["travellers"]  # type: ignore[index]
    assert (t["surname"], t["given_names"], t["title"]) == ("OREILLY", "SEAN", "MR")
    assert [k["number"] for k in t["tickets"]] == ["1234567890123"]
    (payment,) = t["payments"]
    assert (payment["card_brand"], payment["card_last4"]) == ("VI", "1111")
    assert "card_number" not in payment
    assert ("14C", "actual") in {(s["seat"], s["source"]) for s in t["seats"]}
    assert [s["code"] for s in t["services"]] == []
    raw = pipeline.vault.raw(outcome.message_id or 0)
    assert b"ABC123" in raw and b"SSR+DOCS" in raw and b"MOML" not in raw
    with engine.connect() as conn:
        assert conn.scalar(select(messages.c.redacted)) is True
    assert_no_trace(engine, ("MOML",), caplog.text, repr(outcome))
    # The removal is counted by rule, without the code or the message.
    assert removals(engine) == {"ssr.religious_meal": 1, "raw.ssr.religious_meal": 1}
    assert {c["name"] for c in inspect(engine).get_columns("privacy_removals")} == {
        "day", "rule", "count"}
    # A resent original is still a duplicate, although the vault holds the redacted copy.
    again = pipeline.ingest_bytes(example)
    assert again.status == "duplicate" and again.message_id == outcome.message_id


def test_codes_of_every_group_and_terms_removed_umnr_and_names_kept(
        pipeline: Pipeline, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = pipeline.ingest_bytes(write_pnrgov(sensitive_push()))
    assert outcome.status == "processed", outcome
    data = stored_data(engine, "SEN001")
    (t,) = data["travellers"]  # type: ignore[index]
    assert [(s["code"], s["text"]) for s in t["services"]] == [
        ("UMNR", "UNACCOMPANIED MINOR 11 YEARS")]
    assert t["remarks"] == ["CALL BEFORE DEPARTURE"]
    assert t["surname"] == "CHURCH" and t["documents"][0]["number"] == "123456789"
    assert data["remarks"] == [] and data["history"] == []
    (payment,) = t["payments"]
    assert payment["card_last4"] == "1111" and "card_number" not in payment
    assert payment["card_hash"] and FULL_CARD not in payment["card_hash"]
    assert len(payment["card_hash"]) == 64
    raw = pipeline.vault.raw(outcome.message_id or 0)
    for kept in KEPT:
        assert kept.encode() in raw, kept
    assert b"TIF+CHURCH" in raw and b"/CHURCH/ANNA" in raw
    assert_no_trace(engine, SENSITIVE + (FULL_CARD,), caplog.text, repr(outcome),
                    raw.decode("latin-1"))
    counted = removals(engine)
    assert counted["ssr.religious_meal"] == 3 and counted["raw.ssr.religious_meal"] == 3
    assert counted["ssr.health_meal"] == 2 and counted["ssr.health_service"] == 3
    assert counted["text.religion"] == 3  # traveller remark, OSI, history
    assert counted["text.health"] == 1
    assert all("SEN001" not in rule and "CHURCH" not in rule for rule in counted)


def test_same_card_links_by_hash_masked_card_does_not(engine: Engine) -> None:
    pipeline = Pipeline(engine, settings(link_key="k" * 32), clock=lambda: T0)
    first = sensitive_push()
    second = sensitive_push()
    second.bookings[0].record_locator = "SEN002"
    second.bookings[0].locators = [("ZZ", "SEN002")]
    second.envelope.interchange_ref = "6"
    for push in (first, second):
        assert pipeline.ingest_bytes(write_pnrgov(push)).status == "processed"
    hashes = [stored_data(engine, loc)["travellers"][0]["payments"][0]["card_hash"]  # type: ignore[index]
              for loc in ("SEN001", "SEN002")]
    assert hashes[0] == hashes[1] and hashes[0] is not None


@pytest.mark.parametrize("source", ["corpus", "written"])
def test_xml_example_same_way(pipeline: Pipeline, engine: Engine, example: bytes, source: str,
                              caplog: pytest.LogCaptureFixture) -> None:
    if source == "corpus":
        if not XML_EXAMPLE.exists():
            pytest.skip(f"{XML_EXAMPLE} absent")
        xml = XML_EXAMPLE.read_bytes()
    else:
        (push,) = parse_pnrgov(example).pushes
        xml = write_pnrgov_xml(push)
    assert b"MOML" in xml
    caplog.set_level(logging.DEBUG)
    outcome = pipeline.ingest_bytes(xml, sender="example.xml")
    assert outcome.status == "processed", outcome
    assert outcome.kind == "pnrgov_xml" and outcome.flights == ["ZZ123/2025-03-15"]
    data = stored_data(engine, "ABC123")
    (t,) = data["travellers"]  # type: ignore[index]
    assert t["surname"] == "OREILLY" and t["services"] == []
    assert [p["card_last4"] for p in t["payments"]] == ["1111"]
    raw = pipeline.vault.raw(outcome.message_id or 0)
    assert b"ABC123" in raw and b"MOML" not in raw
    assert_no_trace(engine, ("MOML",), caplog.text, repr(outcome))
    assert removals(engine)["ssr.religious_meal"] == 1


# -- quarantined PNRs are redacted too ----------------------------------------------------

def test_quarantined_pnr_raw_copy_redacted_duplicate_still_detected(
        pipeline: Pipeline, engine: Engine, example: bytes) -> None:
    # No TVL (the flight) and no common access reference: no dated flight; cut after MOML.
    broken = example.replace(b"TVL+150325:0815+IST+DYU+ZZ+123'\n", b"")
    broken = broken.replace(b"+ZZ0123/150325/0815'", b"'")
    broken = broken[: broken.index(b"SSR+MOML:HK:1:ZZ'") + len(b"SSR+MOML:HK:1:ZZ'\n")]
    outcome = pipeline.ingest_bytes(broken)
    assert outcome.status == "quarantined", outcome
    assert "TVL" in (outcome.reason or "") + (outcome.position or "")
    raw = pipeline.vault.raw(outcome.message_id or 0)
    assert b"RCI+ZZ:ABC123" in raw and b"MOML" not in raw
    with engine.connect() as conn:
        assert conn.scalar(select(messages.c.redacted)) is True
    assert_no_trace(engine, ("MOML",))
    again = pipeline.ingest_bytes(broken)
    assert again.status == "duplicate" and again.message_id == outcome.message_id


def test_idempotent_reprocessing_leaves_identical_rows(pipeline: Pipeline, engine: Engine,
                                                       example: bytes) -> None:
    outcome = pipeline.ingest_bytes(example)
    before = snapshot(engine)
    with engine.begin() as conn:
        conn.execute(update(messages).values(status="received"))
    (again,) = pipeline.process_pending()
    assert again.status == "processed"
    assert snapshot(engine) == before
    assert pipeline.vault.raw(outcome.message_id or 0).count(b"SSR+") == 2  # DOCS, SEAT


_SURROGATE = {"id", "version_id", "push_id", "since_push_id"}


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table without the surrogate keys a re-run renumbers."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.c if c.name not in _SURROGATE]
            if table.name in ("messages",):
                columns = [c for c in columns if c.name not in ("processed_at", "attempts")]
            rows = conn.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


# -- the policy is configuration ----------------------------------------------------------

def test_policy_without_frequent_flyer_item(engine: Engine, tmp_path: Path) -> None:
    eu = load_policy()
    policy = tmp_path / "no_ff.yaml"
    items = ", ".join(str(i) for i in sorted(eu.annex_items - {8}))
    text = (Path(__file__).resolve().parents[1] / "src/openpiu/privacy/policies/eu.yaml"
            ).read_text()
    policy.write_text(text.replace(
        "annex_items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]",
        f"annex_items: [{items}]"))
    push = sensitive_push()
    push.bookings[0].travellers[0].services.append(
        SpecialService("FQTV", "HK", "ZZ 987654321", "ZZ"))
    pipeline = Pipeline(engine, settings(privacy_policy=str(policy)), clock=lambda: T0)
    assert 8 not in pipeline.policy.annex_items
    outcome = pipeline.ingest_bytes(write_pnrgov(push))
    assert outcome.status == "processed", outcome
    (t,) = stored_data(engine, "SEN001")["travellers"]  # type: ignore[index]
    assert t["frequent_flyers"] == [] and t["surname"] == "CHURCH"
    assert t["tickets"]  # other items stay
    raw = pipeline.vault.raw(outcome.message_id or 0)
    assert b"FTI+" not in raw and b"FQTV" not in raw
    assert_no_trace(engine, ("987654321",))
    assert removals(engine)["annex.item_8"] >= 1


@pytest.mark.parametrize("items", ["[1, 2, 20]", "[0, 4]"])
def test_policy_with_out_of_range_item_is_refused(tmp_path: Path, items: str,
                                                  sqlite_engine: Engine) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text(f"jurisdiction: XX\nannex_items: {items}\n")
    with pytest.raises(ConfigError) as caught:
        load_policy(policy)
    message = str(caught.value)
    assert str(policy) in message and "annex_items" in message
    assert "Annex I has items 1 to 19" in message
    pipeline = Pipeline(sqlite_engine, settings(privacy_policy=str(policy)))
    with pytest.raises(ConfigError, match="Annex I has items 1 to 19"):
        _ = pipeline.policy


def test_policy_file_missing_or_not_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_policy(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("jurisdiction: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_policy(broken)


def test_custom_terms_and_codes(engine: Engine, tmp_path: Path) -> None:
    policy = tmp_path / "xx.yaml"
    policy.write_text("jurisdiction: XX\nsensitive_codes:\n  custom: [VGML]\n"
                      "sensitive_terms:\n  custom: [PILGRIM]\n")
    push = sensitive_push()
    t = push.bookings[0].travellers[0]
    t.services.append(SpecialService("VGML", "HK", None, "ZZ"))
    t.remarks.append("PILGRIMAGE GROUP")
    pipeline = Pipeline(engine, settings(privacy_policy=str(policy)), clock=lambda: T0)
    outcome = pipeline.ingest_bytes(write_pnrgov(push))
    assert outcome.status == "processed"
    (stored,) = stored_data(engine, "SEN001")["travellers"]  # type: ignore[index]
    codes = {s["code"] for s in stored["services"]}
    assert "VGML" not in codes and "MOML" in codes  # this jurisdiction's lists only
    assert "PILGRIMAGE GROUP" not in stored["remarks"]
    assert_no_trace(engine, ("VGML", "PILGRIM"))
    assert removals(engine)["ssr.custom"] == 1
