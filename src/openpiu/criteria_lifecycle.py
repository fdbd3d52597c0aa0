"""The life of a criterion: written by one person, approved by another, answered for.

::

    add      -> draft      (the author: criteria_author or admin)
    approve  -> approved -> active   (a second, authenticated account; never the author)
    suspend  -> suspended  (stops firing; ``approve`` again, by a non-author, resumes it)
    retire   -> retired    (for good; a later text is a new version)

Every version is kept as submitted (its YAML text and hash never change), so an
alert can be replayed against the exact rule that raised it.  Activating a
version retires the criterion's other live versions: one criterion has one rule
in force.  A version past its review date is refused at approval and, once
active, stops firing on that date (the pipeline skips it; ``piu criteria ls``
flags it) until a reviewed version, with a new review date, is approved.
Every move is an audit event naming the version and the statuses on each side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine

from openpiu import accounts, audit
from openpiu.accounts import Actor, Role
from openpiu.criteria import CriteriaPolicy, Criterion, load_criterion
from openpiu.errors import ConflictError, ForbiddenError
from openpiu.store import criteria as store
from openpiu.store.criteria import VersionRow
from openpiu.store.db import writer

AUTHOR_ROLES = (Role.CRITERIA_AUTHOR, Role.ADMIN)
APPROVER_ROLES = (Role.SUPERVISOR, Role.CRITERIA_AUTHOR, Role.ADMIN)


def validate(text: str | bytes, source: str, policy: CriteriaPolicy | None = None) -> Criterion:
    """The criterion in ``text``, or :class:`~openpiu.criteria.CriterionError` with
    every problem, each with its line and rule."""
    return load_criterion(text, policy, source=source)


@dataclass(frozen=True)
class Added:
    version: VersionRow
    created: bool  # False: the same text was already stored as this version


def add(
    engine: Engine, actor: Actor, text: str, source: str, now: datetime,
    policy: CriteriaPolicy | None = None,
) -> Added:  # fmt: skip
    """Validate and store ``text`` as a new draft version, authored by ``actor``."""
    accounts.require(actor, *AUTHOR_ROLES)
    criterion = validate(text, source, policy)
    with writer(engine).begin() as conn:
        row, created = store.add_version(conn, criterion, text, actor.name, now)
        if created:
            _audit(conn, actor, "criterion.add", row, None, "draft", now)
    return Added(row, created)


def approve(engine: Engine, actor: Actor, ref: str, now: datetime) -> VersionRow:
    """Approve a draft (or resume a suspended version) and put it in force."""
    accounts.require(actor, *APPROVER_ROLES)
    if actor.kind != "user":
        raise ForbiddenError(
            f"{actor.name} is not an authenticated account: approving a criterion needs a "
            "second person logged in as themselves (PIU_USER and PIU_PASSWORD)"
        )
    with writer(engine).begin() as conn:
        row = store.find(conn, ref)
        if row.author == actor.name:
            raise ForbiddenError(
                f"{actor.name} wrote {row.ref} and cannot approve it: a criterion is "
                "approved by a second person (four eyes)"
            )
        if row.status not in ("draft", "approved", "suspended"):
            raise ConflictError(f"{row.ref} is {row.status}; only a draft or a suspended "
                                "version can be approved")  # fmt: skip
        if row.overdue(now.date()):
            raise ConflictError(
                f"{row.ref} was due for review on {row.review_date}: submit a reviewed "
                "version with a new review_date"
            )
        if row.status == "draft":
            store.set_status(conn, row.id, "approved", actor.name, now, approved=True)
            _audit(conn, actor, "criterion.approve", row, "draft", "approved", now)
        for other in store.versions_of(conn, row.key):
            if other.id != row.id and other.status in store.LIVE:
                store.set_status(conn, other.id, "retired", actor.name, now)
                _audit(conn, actor, "criterion.retire", other, other.status, "retired", now,
                       reason=f"superseded by version {row.version}")  # fmt: skip
        before = "approved" if row.status == "draft" else row.status
        store.set_status(conn, row.id, "active", actor.name, now)
        _audit(conn, actor, "criterion.activate", row, before, "active", now)
        return store.get_version(conn, row.id)


def suspend(engine: Engine, actor: Actor, ref: str, now: datetime) -> VersionRow:
    """Stop an active version firing, pending a decision."""
    return _move(engine, actor, ref, now, ("active",), "suspended", "criterion.suspend")


def retire(engine: Engine, actor: Actor, ref: str, now: datetime) -> list[VersionRow]:
    """Retire a version (``KEY@N``), or every live version of a criterion (``KEY``)."""
    accounts.require(actor, *APPROVER_ROLES)
    with writer(engine).begin() as conn:
        targets = (
            [store.find(conn, ref)]
            if "@" in ref
            else [v for v in store.versions_of(conn, ref.strip()) if v.status in store.LIVE]
        )
        if not targets:
            store.find(conn, ref)  # NotFoundError for an unknown criterion
            raise ConflictError(f"{ref} has no version left to retire")
        for row in targets:
            if row.status == "retired":
                raise ConflictError(f"{row.ref} is already retired")
            store.set_status(conn, row.id, "retired", actor.name, now)
            _audit(conn, actor, "criterion.retire", row, row.status, "retired", now)
        return [store.get_version(conn, row.id) for row in targets]


def _move(
    engine: Engine, actor: Actor, ref: str, now: datetime, allowed: tuple[str, ...],
    status: str, action: str,
) -> VersionRow:  # fmt: skip
    accounts.require(actor, *APPROVER_ROLES)
    with writer(engine).begin() as conn:
        row = store.find(conn, ref)
        if row.status not in allowed:
            raise ConflictError(f"{row.ref} is {row.status}; cannot move it to {status}")
        store.set_status(conn, row.id, status, actor.name, now)
        _audit(conn, actor, action, row, row.status, status, now)
        return store.get_version(conn, row.id)


def _audit(
    conn: Connection, actor: Actor, action: str, row: VersionRow, before: str | None,
    after: str, now: datetime, reason: str | None = None,
) -> None:  # fmt: skip
    details: dict[str, object] = {"version": row.version, "version_id": row.id,
                                  "from": before, "to": after, "sha256": row.sha256}  # fmt: skip
    if reason:
        details["reason"] = reason
    audit.record(conn, actor, action, target_kind="criterion", target_ids=[row.key],
                 details=details, at=now)  # fmt: skip
