"""Fast bulk inserts for the hot path (thousands of traveller rows a second).

SQLAlchemy's executemany processes every parameter of every row in Python; for
the wide traveller rows that costs more than the parse.  Here the rows go to the
driver's executemany as tuples: SQLite's C loop, or psycopg's pipelined
executemany.  Values must already be driver-ready (``str``, ``int``, ``float``,
``bool``, ``None``, ``date``, ``datetime``); for SQLite, dates and times are
written as the text SQLAlchemy's SQLite types store and read back (UTC for
aware datetimes, as :func:`openpiu.store.db.to_db` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table


@lru_cache(maxsize=64)
def _time_positions(table: Table, columns: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(
        i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date | DateTime)
    )


def _sqlite_text(value: date) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat()


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    skip_existing: bool = False,
) -> None:
    """INSERT the rows; with ``skip_existing``, rows that hit a unique key are
    skipped (``ON CONFLICT DO NOTHING``, the same words in SQLite and PostgreSQL)."""
    if not rows:
        return
    columns = tuple(columns)
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
        + (" ON CONFLICT DO NOTHING" if skip_existing else "")
    )
    values: list[Any] = [tuple(row) for row in rows]
    if not postgres:
        for i in _time_positions(table, columns):
            for n, row in enumerate(values):
                if row[i] is not None:
                    values[n] = row[:i] + (_sqlite_text(row[i]),) + row[i + 1 :]
    conn.exec_driver_sql(sql, values)
