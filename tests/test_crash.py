"""A process killed (SIGKILL) after the vault write loses nothing and stores nothing twice.

A child process ingests a message and kills itself at a chosen point: right after
the vault has committed the raw bytes (before the parse), or in the middle of the
store transaction.  After the "restart", :meth:`Pipeline.process_pending`
processes the message exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import queries
from openpiu.store.schema import api_travellers, flight_travellers, manifest_versions, messages
from openpiu.synth.paxlst_gen import generate_manifests

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = """
import os, signal, sys
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import manifests

url, path, where = sys.argv[1], sys.argv[2], sys.argv[3]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if where == "before-parse":
    Pipeline.parse = die  # the vault has committed; nothing else has happened
else:
    manifests.derive_manifest = die  # versions and travellers written, not committed
pipeline = Pipeline.from_url(url, Settings(database_url=url))
pipeline.ingest_bytes(open(path, "rb").read())
print("not killed")
"""


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("where", ["before-parse", "inside-store"])
def test_killed_process_leaves_the_message_to_process_once(
    engine: Engine, db_url: str, tmp_path: Path, where: str
) -> None:
    manifest = next(generate_manifests(1, 5, seed=17))
    raw = write_paxlst(manifest)
    path = tmp_path / "message.edi"
    path.write_bytes(raw)
    child = subprocess.run([sys.executable, "-c", CHILD, db_url, str(path), where],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr

    # After the crash: the message is in the vault, received, with nothing stored.
    pipeline = Pipeline(engine, Settings(database_url=db_url))
    pending = pipeline.vault.pending()
    assert len(pending) == 1
    assert pipeline.vault.raw(pending[0]) == raw
    assert _count(engine, manifest_versions) == 0
    assert _count(engine, api_travellers) == 0
    with engine.connect() as conn:
        c = queries.message_counts(conn)
    assert (c["received"], c["pending"]) == (1, 1)

    # The restart processes it once; a second restart finds nothing to do.
    [outcome] = pipeline.process_pending()
    assert outcome.status == "processed" and outcome.travellers == 5
    assert pipeline.process_pending() == []
    assert pipeline.ingest_bytes(raw).status == "duplicate"
    assert _count(engine, manifest_versions) == 1
    assert _count(engine, api_travellers) == 5
    assert _count(engine, flight_travellers) == 5
    with engine.connect() as conn:
        assert conn.scalar(select(messages.c.status)) == "processed"
        c = queries.message_counts(conn)
    assert c == {"received": 2, "processed": 1, "duplicate": 1, "quarantined": 0, "held": 0,
                 "pending": 0, "rejected": 0}


CHILD_PNR = """
import os, signal, sys
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import bookings

url, path, where = sys.argv[1], sys.argv[2], sys.argv[3]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if where == "before-parse":
    Pipeline.parse = die
else:
    bookings.derive_bookings = die  # bookings, versions, redacted copy written, not committed
pipeline = Pipeline.from_url(url, Settings(database_url=url))
pipeline.ingest_bytes(open(path, "rb").read())
print("not killed")
"""


@pytest.mark.parametrize("where", ["before-parse", "inside-store"])
def test_killed_process_leaves_the_pnr_to_process_once(
    engine: Engine, db_url: str, tmp_path: Path, where: str
) -> None:
    from openpiu.formats.pnrgov_writer import write_pnrgov
    from openpiu.store.schema import booking_versions, bookings
    from openpiu.synth.pnr_gen import push_for, with_changes

    manifest = next(generate_manifests(1, 12, seed=5))
    push = with_changes(push_for(manifest, 72), 24)  # an update carrying a MOML request
    raw = write_pnrgov(push)
    assert b"MOML" in raw
    path = tmp_path / "pnr.edi"
    path.write_bytes(raw)
    child = subprocess.run([sys.executable, "-c", CHILD_PNR, db_url, str(path), where],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr

    pipeline = Pipeline(engine, Settings(database_url=db_url))
    pending = pipeline.vault.pending()
    assert len(pending) == 1 and _count(engine, booking_versions) == 0
    # The crash came before the redaction committed: the original is still there,
    # and it goes as soon as the message is processed.
    [outcome] = pipeline.process_pending()
    assert outcome.status == "processed" and outcome.bookings == len(push.bookings)
    assert b"MOML" not in pipeline.vault.raw(pending[0])
    assert pipeline.process_pending() == []
    assert _count(engine, bookings) == len(push.bookings)
    assert _count(engine, booking_versions) == len(push.bookings)
