"""Criteria and their versions in the store.

A criterion is known by the ``id`` of its YAML (``key`` here).  Every text
submitted becomes a new version with the next number; a version's text, hash,
author and creation time are never updated afterwards, only its status and who
moved it (the lifecycle service decides which moves are allowed and audits
them).  Functions take a Connection and leave committing to the caller.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from openpiu.criteria import Criterion
from openpiu.errors import NotFoundError, PiuError
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import criteria, criterion_versions

STATUSES = ("draft", "approved", "active", "suspended", "retired")
LIVE = ("draft", "approved", "active", "suspended")  # not retired


@dataclass(frozen=True)
class VersionRow:
    """One stored version of a criterion, as listings and the pipeline need it."""

    id: int
    key: str
    version: int
    status: str
    title: str
    purpose: str
    owner: str
    score: int
    review_date: date
    example: bool
    author: str
    created_at: datetime
    approver: str | None
    approved_at: datetime | None
    status_changed_at: datetime
    status_changed_by: str
    sha256: str
    yaml: str

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.version}"

    def overdue(self, today: date) -> bool:
        """Past its review date: it no longer fires until a reviewed version is approved."""
        return self.review_date < today


_COLUMNS = (
    criterion_versions.c.id, criteria.c.key, criterion_versions.c.version,
    criterion_versions.c.status, criterion_versions.c.title, criterion_versions.c.purpose,
    criterion_versions.c.owner, criterion_versions.c.score, criterion_versions.c.review_date,
    criterion_versions.c.example, criterion_versions.c.author, criterion_versions.c.created_at,
    criterion_versions.c.approver, criterion_versions.c.approved_at,
    criterion_versions.c.status_changed_at, criterion_versions.c.status_changed_by,
    criterion_versions.c.sha256, criterion_versions.c.yaml,
)  # fmt: skip
_SELECT = select(*_COLUMNS).join(criteria, criteria.c.id == criterion_versions.c.criterion_id)


def _row(r: Any) -> VersionRow:
    values = dict(r._mapping)
    for name in ("created_at", "approved_at", "status_changed_at"):
        values[name] = as_utc(values[name])
    values["example"] = bool(values["example"])
    return VersionRow(**values)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_version(
    conn: Connection, criterion: Criterion, text: str, author: str, at: datetime
) -> tuple[VersionRow, bool]:
    """Store ``text`` (already validated as ``criterion``) as the next draft version
    of its criterion; returns (version, created).  A text identical to a live
    version is not stored twice: that version comes back with ``created`` False."""
    digest = text_digest(text)
    now = to_db(at)
    criterion_id = conn.scalar(select(criteria.c.id).where(criteria.c.key == criterion.id))
    if criterion_id is None:
        criterion_id = conn.execute(
            insert(criteria).values(key=criterion.id, created_at=now, created_by=author)
        ).inserted_primary_key[0]  # type: ignore[index]
    else:
        same = conn.execute(
            _SELECT.where(criterion_versions.c.criterion_id == criterion_id,
                          criterion_versions.c.sha256 == digest,
                          criterion_versions.c.status.in_(LIVE))
        ).first()  # fmt: skip
        if same is not None:
            return _row(same), False
    latest = conn.scalar(
        select(func.max(criterion_versions.c.version)).where(
            criterion_versions.c.criterion_id == criterion_id
        )
    )
    version_id = conn.execute(
        insert(criterion_versions).values(
            criterion_id=criterion_id, version=(latest or 0) + 1, yaml=text, sha256=digest,
            title=criterion.title, purpose=criterion.purpose.value, owner=criterion.owner,
            score=criterion.score, review_date=criterion.review_date, example=criterion.example,
            status="draft", author=author, created_at=now, status_changed_at=now,
            status_changed_by=author,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
    return get_version(conn, int(version_id)), True


def get_version(conn: Connection, version_id: int) -> VersionRow:
    row = conn.execute(_SELECT.where(criterion_versions.c.id == version_id)).first()
    if row is None:
        raise NotFoundError(f"no criterion version {version_id}")
    return _row(row)


def versions_of(conn: Connection, key: str) -> list[VersionRow]:
    """Every version of the criterion, oldest first."""
    rows = conn.execute(_SELECT.where(criteria.c.key == key).order_by(criterion_versions.c.version))
    return [_row(r) for r in rows]


def find(conn: Connection, ref: str) -> VersionRow:
    """``KEY@N`` is version N; a bare ``KEY`` is the criterion's newest version."""
    key, _, number = ref.partition("@")
    versions = versions_of(conn, key.strip())
    if not versions:
        raise NotFoundError(f"no criterion {key.strip()!r} (piu criteria ls lists them)")
    if not number:
        return versions[-1]
    if not number.strip().isdigit():
        raise PiuError(f"{ref!r}: a version is a number, as in {key}@2")
    for row in versions:
        if row.version == int(number):
            return row
    raise NotFoundError(f"criterion {key!r} has no version {number}")


def set_status(
    conn: Connection, version_id: int, status: str, by: str, at: datetime,
    approved: bool = False,
) -> None:  # fmt: skip
    """Move one version to ``status`` (the caller checked the move and audits it)."""
    if status not in STATUSES:
        raise PiuError(f"unknown criterion status {status!r}")
    values: dict[str, Any] = {"status": status, "status_changed_at": to_db(at),
                              "status_changed_by": by}  # fmt: skip
    if approved:
        values |= {"approver": by, "approved_at": to_db(at)}
    conn.execute(
        update(criterion_versions).where(criterion_versions.c.id == version_id).values(**values)
    )


def all_versions(conn: Connection) -> list[VersionRow]:
    """Every version of every criterion, by criterion then version."""
    rows = conn.execute(_SELECT.order_by(criteria.c.key, criterion_versions.c.version))
    return [_row(r) for r in rows]


def active_ids(conn: Connection) -> tuple[int, ...]:
    """Ids of the active versions: one cheap query that tells a worker whether the
    set it compiled is still the right one."""
    return tuple(
        int(i)
        for i in conn.scalars(
            select(criterion_versions.c.id)
            .where(criterion_versions.c.status == "active")
            .order_by(criterion_versions.c.id)
        )
    )


def active_versions(conn: Connection) -> list[VersionRow]:
    rows = conn.execute(
        _SELECT.where(criterion_versions.c.status == "active").order_by(criterion_versions.c.id)
    )
    return [_row(r) for r in rows]
