"""Criteria lifecycle in the store, on both backends: versions kept and immutable,
approval by a second authenticated person only, every move audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from openpiu import audit
from openpiu import criteria_lifecycle as lifecycle
from openpiu.accounts import Actor
from openpiu.criteria import CriterionError, example_texts
from openpiu.errors import ConflictError, ForbiddenError, NotFoundError
from openpiu.store import criteria as store

NOW = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
ALICE = Actor("alice", ("criteria_author",), "user")
BOB = Actor("bob", ("supervisor",), "user")
CASH = example_texts()["cash_one_way_day_before.yaml"]
KEY = "example-cash-one-way-day-before"


def test_add_then_approve_by_a_second_person(engine: Engine) -> None:
    added = lifecycle.add(engine, ALICE, CASH, "cash.yaml", NOW)
    assert added.created and added.version.status == "draft"
    assert (added.version.key, added.version.version, added.version.author) == (KEY, 1, "alice")
    # The same text again is the same version, not a second one.
    assert not lifecycle.add(engine, ALICE, CASH, "cash.yaml", NOW).created

    with pytest.raises(ForbiddenError, match="cannot approve"):
        lifecycle.approve(engine, ALICE, KEY, NOW)  # the author
    with pytest.raises(ForbiddenError, match="authenticated"):
        lifecycle.approve(engine, Actor.local(), KEY, NOW)  # not logged in as a person
    with pytest.raises(ForbiddenError, match="needs the role"):
        lifecycle.approve(engine, Actor("carol", ("analyst",), "user"), KEY, NOW)

    row = lifecycle.approve(engine, BOB, KEY, NOW)
    assert (row.status, row.approver, row.author) == ("active", "bob", "alice")
    with engine.connect() as conn:
        assert store.active_ids(conn) == (row.id,)
        moves = [(e.action, e.actor, e.details["from"], e.details["to"])
                 for e in audit.events(conn) if e.target_kind == "criterion"]  # fmt: skip
        assert moves == [("criterion.add", "alice", None, "draft"),
                         ("criterion.approve", "bob", "draft", "approved"),
                         ("criterion.activate", "bob", "approved", "active")]  # fmt: skip
        assert audit.verify(conn) == (True, None)
    with pytest.raises(ConflictError, match="is active"):
        lifecycle.approve(engine, BOB, KEY, NOW)


def test_a_new_version_supersedes_and_the_old_text_is_kept(engine: Engine) -> None:
    lifecycle.add(engine, ALICE, CASH, "cash.yaml", NOW)
    lifecycle.approve(engine, BOB, KEY, NOW)
    changed = CASH.replace("score: 40", "score: 45")
    dave = Actor("dave", ("criteria_author",), "user")
    second = lifecycle.add(engine, dave, changed, "cash.yaml", NOW).version
    assert (second.version, second.status) == (2, "draft")
    with pytest.raises(ForbiddenError):
        lifecycle.approve(engine, dave, f"{KEY}@2", NOW)  # Dave wrote version 2
    lifecycle.approve(engine, ALICE, f"{KEY}@2", NOW)  # Alice wrote version 1 only
    with engine.connect() as conn:
        first, latest = store.versions_of(conn, KEY)
        assert (first.status, latest.status) == ("retired", "active")
        assert first.yaml == CASH and latest.yaml == changed  # every text kept as submitted
        assert first.sha256 != latest.sha256
        assert store.find(conn, KEY).version == 2 and store.find(conn, f"{KEY}@1").id == first.id
        with pytest.raises(NotFoundError):
            store.find(conn, f"{KEY}@9")


def test_suspend_resume_retire(engine: Engine) -> None:
    lifecycle.add(engine, ALICE, CASH, "cash.yaml", NOW)
    lifecycle.approve(engine, BOB, KEY, NOW)
    assert lifecycle.suspend(engine, BOB, KEY, NOW).status == "suspended"
    with engine.connect() as conn:
        assert store.active_ids(conn) == ()
    assert lifecycle.approve(engine, BOB, KEY, NOW).status == "active"
    [retired] = lifecycle.retire(engine, BOB, KEY, NOW)
    assert retired.status == "retired"
    with pytest.raises(ConflictError, match="no version left"):
        lifecycle.retire(engine, BOB, KEY, NOW)
    with pytest.raises(ConflictError, match="only a draft"):
        lifecycle.approve(engine, BOB, KEY, NOW)


def test_a_version_past_its_review_date_cannot_be_approved(engine: Engine) -> None:
    late = datetime(2028, 1, 2, tzinfo=UTC)  # the example's review date is 2027-12-31
    lifecycle.add(engine, ALICE, CASH, "cash.yaml", late)
    with pytest.raises(ConflictError, match="due for review"):
        lifecycle.approve(engine, BOB, KEY, late)


def test_refused_criteria_are_not_stored(engine: Engine) -> None:
    meal = CASH.replace("fact: group_size\n      equals: 1", "fact: meal\n      equals: MOML")
    with pytest.raises(CriterionError) as refused:
        lifecycle.add(engine, ALICE, meal, "meal.yaml", NOW)
    assert "not-a-fact" in refused.value.rules
    with engine.connect() as conn:
        assert store.all_versions(conn) == []
