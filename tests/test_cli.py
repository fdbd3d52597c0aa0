"""``piu`` on both backends: ingest, parse, flights, flight, messages, reprocess, db, user.

Most tests call the entry point in-process (``openpiu.cli.main``, the function the
console script runs, with its error handler and exit codes) for speed; a few run
the installed ``.venv/bin/piu`` to check the real thing end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from openpiu import accounts, audit
from openpiu.errors import AuthError
from openpiu.model import MessageKind
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store.db import make_engine
from openpiu.store.schema import users

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "paxlst_example.edi"
PIU = Path(sys.executable).parent / "piu"
PNRGOV = (b"UNA:+.? 'UNB+IATA:1+ZZAIR+PIU+250315:0412+77'UNH+1+PNRGOV:11:1:IA+ZZ0123'"
          b"MSG+:22'ORG+ZZ:DYU'UNT+4+1'UNZ+1+77'")  # no TVL: no dated flight
KEY = "ZZ123/2025-03-15"


@pytest.fixture
def example() -> bytes:
    if not EXAMPLE.exists():
        pytest.skip(f"shared example {EXAMPLE} absent")
    return EXAMPLE.read_bytes()


@pytest.fixture
def files(tmp_path: Path, example: bytes) -> dict[str, Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    out = {
        "example": folder / "a_example.edi",
        "pnrgov": folder / "b_pnrgov.edi",
        "truncated": folder / "c_truncated.edi",
        "garbage": tmp_path / "garbage.txt",
    }
    out["example"].write_bytes(example)
    out["pnrgov"].write_bytes(PNRGOV)
    out["truncated"].write_bytes(example[:example.index(b"TDT+")])
    out["garbage"].write_bytes(b"this is not a message\n")
    (folder / ".hidden").write_bytes(b"ignored")
    return out


# -- ingest ------------------------------------------------------------------------------

def test_ingest_file_then_again(piu, files) -> None:  # type: ignore[no-untyped-def]
    first = piu("ingest", str(files["example"]))
    assert first.code == 0, first
    assert "1 processed" in first.out and "2 traveller(s)" in first.out
    again = piu("ingest", str(files["example"]))
    assert again.code == 0 and "1 duplicate" in again.out


def test_ingest_folder_and_stdin(piu, files, example) -> None:  # type: ignore[no-untyped-def]
    result = piu("ingest", str(files["example"].parent))
    assert result.code == 0, result
    summary = result.out.strip().splitlines()[-1]
    assert "ingested 3 file(s)" in summary  # the hidden file is skipped
    assert "1 processed" in summary and "2 quarantined" in summary
    assert "quarantined" in result.err and "TDT" in result.err  # reason and position
    from_stdin = piu("ingest", "-", stdin=example)
    assert from_stdin.code == 0 and "1 duplicate" in from_stdin.out
    rejected = piu("ingest", str(files["garbage"]))
    assert rejected.code == 0 and "1 rejected" in rejected.out
    listed = piu("messages")
    assert "received 4 = processed 1 + duplicate 1 + quarantined 2" in listed.out
    assert "rejected before the vault: 1" in listed.out


def test_ingest_unreadable_file(piu, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = piu("ingest", str(tmp_path / "nope.edi"))
    assert result.code == 1 and "cannot read" in result.err
    assert "Traceback" not in result.out + result.err


# -- parse -------------------------------------------------------------------------------

def test_parse_json(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("parse", str(files["example"]), "--json")
    assert result.code == 0, result
    data = json.loads(result.out)  # ONE JSON object, nothing else on stdout
    assert data["kind"] == "paxlst" and data["messages"] == 1
    [flight] = data["flights"]
    assert flight["id"] == KEY
    assert [(leg["departure_airport"], leg["arrival_airport"]) for leg in flight["legs"]] == [
        ("IST", "DYU")]
    assert data["warnings"] == []
    by_name = {t["surname"]: t for t in data["travellers"]}
    oreilly = by_name["O'REILLY"]
    for field in ("surname", "given_names", "dob", "gender", "nationality", "documents", "role"):
        assert field in oreilly
    assert (oreilly["given_names"], oreilly["dob"], oreilly["gender"], oreilly["nationality"],
            oreilly["role"]) == ("SEAN PATRICK", "1985-01-01", "M", "IRL", "passenger")
    assert [d["number"] for d in oreilly["documents"]] == ["PA1234567", "TJ0098765"]


def test_parse_garbage_exits_2_in_one_line(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("parse", str(files["garbage"]), "--json")
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "EDIFACT" in lines[0]
    assert "Traceback" not in result.err


def test_parse_truncated(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("parse", str(files["truncated"]), "--json")
    assert "Traceback" not in result.out + result.err
    if result.code == 0:
        data = json.loads(result.out)
        assert data["warnings"], "a truncated message must carry warnings"
    else:
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def test_parse_pnrgov_is_a_clean_refusal(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("parse", str(files["pnrgov"]))
    assert "Traceback" not in result.out + result.err
    # Refused in one line until PNR processing lands (a later issue).
    assert result.code == 0 or (result.code == 2 and len(result.err.strip().splitlines()) == 1)


# -- reading the store ---------------------------------------------------------------------

def test_flights_and_flight(piu, files, env) -> None:  # type: ignore[no-untyped-def]
    assert piu("flights").out.startswith("no flights yet")
    piu("ingest", str(files["example"]))
    listing = piu("flights")
    assert listing.code == 0
    [line] = listing.out.strip().splitlines()
    assert KEY in line and "ZZ0123" in line and "IST-DYU" in line and "2 passenger(s)" in line

    shown = piu("flight", KEY)
    assert shown.code == 0, shown
    assert "O'REILLY" in shown.out and "PA1234567" in shown.out and "TJ0098765" in shown.out
    assert "RAHIMOVA" in shown.out and "1 version(s)" in shown.out
    assert piu("flight", "ZZ0123/2025-03-15").code == 0  # the designator as sent works too
    engine = make_engine(env)
    try:
        with engine.connect() as conn:
            views = audit.events(conn, action="flight.manifest.view")
            assert audit.verify(conn) == (True, None)
    finally:
        engine.dispose()
    assert len(views) == 2
    assert views[0].actor.startswith("local:") and views[0].target_kind == "flight"
    assert views[0].details == {"travellers": 2}

    missing = piu("flight", "ZZ999/2025-03-15")
    assert missing.code == 1 and "no flight" in missing.err and "Traceback" not in missing.err
    malformed = piu("flight", "nonsense")
    assert malformed.code == 1 and "ZZ123/2025-03-15" in malformed.err


def test_messages_by_status(piu, files) -> None:  # type: ignore[no-untyped-def]
    piu("ingest", str(files["example"].parent))
    result = piu("messages", "--status", "quarantined")
    assert result.code == 0
    rows = [line for line in result.out.splitlines() if line.lstrip()[:1].isdigit()]
    assert len(rows) == 2 and all(r.split()[2] == "quarantined" for r in rows)
    assert any("PNRGOV" in r for r in rows) and any("TDT" in r for r in rows)


def test_db_upgrade(piu) -> None:  # type: ignore[no-untyped-def]
    first = piu("db", "upgrade")
    assert first.code == 0 and "database at revision" in first.out
    assert piu("db", "upgrade").out == first.out  # idempotent


def test_reprocess_is_audited(piu, env, example) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(env)
    try:
        piu("db", "upgrade")
        tiny = Pipeline(engine, Settings(database_url=env, max_message_bytes=100))
        receipt = tiny.vault.receive(example, channel="file", sender=None, kind=MessageKind.PAXLST)
        assert tiny.process(receipt.message_id).status == "quarantined"
        result = piu("reprocess")
        assert result.code == 0, result
        assert "1 processed" in result.out
        assert tiny.vault.get(receipt.message_id).status == "processed"
        with engine.connect() as conn:
            [event] = audit.events(conn, action="messages.reprocess")
        assert event.target_ids == [receipt.message_id] and event.details == {"processed": 1}
        assert piu("reprocess").out.strip().endswith("nothing to do")
    finally:
        engine.dispose()


# -- accounts ------------------------------------------------------------------------------

def _password(output: str) -> str:
    [line] = [x for x in output.splitlines() if x.startswith("password: ")]
    return line.removeprefix("password: ").strip()


def test_users_and_authentication(piu, files, env) -> None:  # type: ignore[no-untyped-def]
    created = piu("user", "create", "alice", "--role", "analyst")
    assert created.code == 0, created
    password = _password(created.out)
    assert len(password) >= 16
    engine = make_engine(env)
    try:
        with engine.connect() as conn:
            stored = conn.scalar(select(users.c.password_hash).where(users.c.username == "alice"))
    finally:
        engine.dispose()
    assert stored and password not in stored

    listing = piu("user", "ls")
    assert listing.code == 0 and "alice" in listing.out and "analyst" in listing.out
    for secret in ("$argon2", stored, password):
        assert secret not in listing.out

    # Acting as alice: the right password works, a wrong one fails cleanly.
    ok = piu("ingest", str(files["example"]), PIU_USER="alice", PIU_PASSWORD=password)
    assert ok.code == 0 and "1 processed" in ok.out
    wrong = piu("ingest", str(files["pnrgov"]), PIU_USER="alice", PIU_PASSWORD="wrong")
    assert wrong.code == 1
    assert "invalid username or password" in wrong.err and "Traceback" not in wrong.err
    # An analyst cannot create accounts.
    refused = piu("user", "create", "bob", "--role", "analyst", PIU_USER="alice",
                  PIU_PASSWORD=password)
    assert refused.code == 1 and "needs the role admin" in refused.err

    disabled = piu("user", "disable", "alice")
    assert disabled.code == 0 and "disabled user alice" in disabled.out
    assert "disabled" in piu("user", "ls").out
    after = piu("ingest", str(files["pnrgov"]), PIU_USER="alice", PIU_PASSWORD=password)
    assert after.code == 1 and "invalid username or password" in after.err

    engine = make_engine(env)
    try:
        with engine.connect() as conn:
            actions = [e.action for e in audit.events(conn)]
            ingests = audit.events(conn, action="messages.ingest")
    finally:
        engine.dispose()
    assert actions.count("user.create") == 1 and actions.count("user.disable") == 1
    assert [e.actor for e in ingests] == ["alice"]


def test_require_login_without_user_refuses(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("ingest", str(files["example"]), PIU_CLI_REQUIRE_LOGIN="true")
    assert result.code == 1 and "PIU_USER" in result.err and "Traceback" not in result.err
    assert "no flights yet" in piu("flights").out


def test_user_without_password_and_no_terminal(piu, files) -> None:  # type: ignore[no-untyped-def]
    result = piu("ingest", str(files["example"]), PIU_USER="alice")
    assert result.code == 1 and "PIU_PASSWORD" in result.err


# -- the installed console script ------------------------------------------------------------

@pytest.mark.skipif(not PIU.exists(), reason="console script piu not installed in the venv")
def test_console_script_end_to_end(tmp_path: Path, example: bytes) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIU_")}
    env["PIU_DATABASE_URL"] = f"sqlite:///{tmp_path}/piu.db"
    (tmp_path / "m.edi").write_bytes(example)
    (tmp_path / "bad.txt").write_bytes(b"garbage")
    ingest = subprocess.run([str(PIU), "ingest", str(tmp_path / "m.edi")], env=env,
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "1 processed" in ingest.stdout
    bad = subprocess.run([str(PIU), "parse", str(tmp_path / "bad.txt")], env=env,
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_unknown_command_and_missing_argument_are_usage_errors(piu) -> None:  # type: ignore[no-untyped-def]
    for args in (("no-such-command",), ("parse",), ("flight",)):
        result = piu(*args)
        assert result.code == 2, (args, result)
        assert "Traceback" not in result.out + result.err


def test_demo_ingests_its_data_folder_and_summarises(piu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A prepared folder (truth.jsonl present) is ingested as it is, not generated.
    samples = Path(__file__).resolve().parents[1] / "src" / "openpiu" / "samples"
    data = tmp_path / "demo-data"
    (data / "paxlst").mkdir(parents=True)
    (data / "pnrgov").mkdir()
    (data / "truth.jsonl").write_text("")
    for sample in samples.iterdir():
        folder = "pnrgov" if "pnr" in sample.name else "paxlst"
        (data / folder / sample.name).write_bytes(sample.read_bytes())
    first = piu("demo", "--data", str(data), "--no-serve")
    assert first.code == 0, first
    assert "quarantined 0" in first.out and "flights: 4" in first.out
    assert "Traceback" not in first.out + first.err
    again = piu("demo", "--data", str(data), "--no-serve")
    assert again.code == 0 and "duplicate" in again.out
    # Each run prints the demo logins with passwords made for that run; the
    # first run's passwords no longer open anything.
    def logins(out: str) -> dict[str, str]:
        return {line.split()[0]: line.split()[1] for line in out.splitlines()
                if line.startswith("  demo-")}  # fmt: skip

    before, after = logins(first.out), logins(again.out)
    assert {"demo-analyst", "demo-supervisor", "demo-auditor"} <= after.keys()
    assert all(before[name] != after[name] for name in after)
    engine = make_engine(os.environ["PIU_DATABASE_URL"])
    with engine.begin() as conn:
        assert accounts.authenticate(conn, "demo-analyst", after["demo-analyst"]).roles == (
            "analyst",)
        with pytest.raises(AuthError):
            accounts.authenticate(conn, "demo-analyst", before["demo-analyst"])
    engine.dispose()


def test_audit_export_writes_the_chain_as_json_lines(piu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert piu("user", "create", "alice", "--role", "analyst").code == 0
    out = tmp_path / "audit.jsonl"
    result = piu("audit", "export", "--since", "2020-01-01", "--output", str(out))
    assert result.code == 0 and "chain intact" in result.err, result
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["action"] for e in lines] == ["user.create"]
    assert lines[0]["hash"] and lines[0]["target_ids"]
    assert piu("audit", "export", "--since", "yesterday").code == 2


def test_user_totp_prints_a_provisioning_uri(piu) -> None:  # type: ignore[no-untyped-def]
    assert piu("user", "create", "carol", "--role", "analyst").code == 0
    result = piu("user", "totp", "carol")
    assert result.code == 0 and "otpauth://totp/" in result.out and "carol" in result.out
    assert piu("user", "totp", "nobody").code == 1
