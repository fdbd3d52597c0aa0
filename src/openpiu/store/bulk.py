"""Fast bulk inserts for the hot path (thousands of traveller rows a second).

SQLAlchemy's executemany processes every parameter of every row in Python; for
the wide traveller rows that costs more than the parse.  Here the rows go to the
driver's executemany as tuples: SQLite's C loop, or psycopg's pipelined
executemany.  Values must already be driver-ready (``str``, ``int``, ``float``,
``bool``, ``None``, ``date``); for SQLite, ``Date`` columns are written as ISO
text, which is what SQLAlchemy's SQLite ``Date`` type stores and reads back.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table


@lru_cache(maxsize=64)
def _date_positions(table: Table, columns: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(
        i
        for i, name in enumerate(columns)
        if isinstance(table.c[name].type, Date) and not isinstance(table.c[name].type, DateTime)
    )


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    if not rows:
        return
    columns = tuple(columns)
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    values: list[Any] = [tuple(row) for row in rows]
    if not postgres:
        for i in _date_positions(table, columns):
            for n, row in enumerate(values):
                if row[i] is not None:
                    values[n] = row[:i] + (row[i].isoformat(),) + row[i + 1 :]
    conn.exec_driver_sql(sql, values)
