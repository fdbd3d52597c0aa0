"""Alembic environment for openpiu.

Normally run through :func:`openpiu.store.db.upgrade`, which passes an open
connection (``config.attributes["connection"]``) inside its own transaction and
lock.  Run standalone (``alembic -c src/openpiu/store/migrations/alembic.ini ...``
for authoring new revisions), it connects to ``sqlalchemy.url`` or, when that is
unset, to ``PIU_DATABASE_URL``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from openpiu.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead, so
        # later revisions written with op.batch_alter_table work on both backends.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from openpiu.settings import get_settings
    from openpiu.store.db import make_engine

    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("openpiu migrations run online only (offline SQL is not supported)")
run_migrations_online()
