"""Fast bulk inserts for the hot path (thousands of traveller rows a second).

SQLAlchemy's executemany processes every parameter of every row in Python; for
the wide traveller rows that costs more than the parse.  Here the rows go to the
driver's executemany as tuples: SQLite's C loop, or psycopg's pipelined
executemany.  Values must already be driver-ready: ``str``, ``int``, ``float``,
``bool``, ``None``, and ``date`` (turned into ISO text for SQLite, whose
SQLAlchemy ``Date`` type stores and reads exactly that).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    names = ", ".join(columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(mark for _ in columns)})"
    if not postgres:
        rows = [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]
    conn.exec_driver_sql(sql, list(map(tuple, rows)))
