"""``piu criteria``: validate, add, ls, approve, retire, backtest (in-process, both backends)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpiu.criteria import example_texts

EXAMPLE = example_texts()["cash_one_way_day_before.yaml"]
KEY = "example-cash-one-way-day-before"
HEADER = """\
id: {id}
title: a test criterion
purpose: terrorism
owner: test-team
justification: written for the tests of the criteria command line
review_date: {review}
score: 10
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def account(piu: Any, name: str, role: str) -> str:
    made = piu("user", "create", name, "--role", role)
    assert made.code == 0, made.err
    return next(line.split()[1] for line in made.out.splitlines() if line.startswith("password:"))


def test_validate_refuses_meal_codes_and_nationality_alone(piu: Any, tmp_path: Path) -> None:
    ok = piu("criteria", "validate", write(tmp_path, "ok.yaml", EXAMPLE))
    assert ok.code == 0 and f"valid: {KEY}" in ok.out

    meal = HEADER.format(id="meal", review="2099-01-01") + (
        "when:\n  all:\n    - fact: meal\n      equals: MOML\n"
        "    - fact: one_way\n      equals: true\n")  # fmt: skip
    refused = piu("criteria", "validate", write(tmp_path, "meal.yaml", meal))
    assert refused.code == 2 and refused.clean()
    assert "line 10" in refused.err and "[not-a-fact]" in refused.err
    assert "meal codes are not facts" in refused.err

    alone = HEADER.format(id="nat", review="2099-01-01") + (
        "when:\n  fact: nationality\n  equals: SYR\n"
    )
    refused = piu("criteria", "validate", write(tmp_path, "nat.yaml", alone))
    assert refused.code == 2 and refused.clean() and "[no-travel-element]" in refused.err
    assert "line 9" in refused.err

    protected = HEADER.format(id="prot", review="2099-01-01") + (
        "when:\n  all:\n    - {fact: nationality, equals: SYR}\n    - {fact: age, at_least: 18}\n"
        "    - {fact: gender, equals: M}\n")  # fmt: skip
    refused = piu("criteria", "validate", write(tmp_path, "prot.yaml", protected))
    assert refused.code == 2 and "[no-travel-element]" in refused.err

    missing = piu("criteria", "validate", str(tmp_path / "nowhere.yaml"))
    assert missing.code == 1 and missing.clean() and "cannot read" in missing.err


def test_add_approve_ls_retire(piu: Any, tmp_path: Path) -> None:
    alice = account(piu, "alice", "criteria_author")
    bob = account(piu, "bob", "supervisor")
    as_alice = {"PIU_USER": "alice", "PIU_PASSWORD": alice}
    as_bob = {"PIU_USER": "bob", "PIU_PASSWORD": bob}
    added = piu("criteria", "add", write(tmp_path, "c.yaml", EXAMPLE), **as_alice)
    assert added.code == 0 and f"added {KEY}@1 as a draft, author alice" in added.out

    own = piu("criteria", "approve", KEY, **as_alice)
    assert own.code == 1 and own.clean() and "cannot approve it" in own.err
    local = piu("criteria", "approve", KEY)
    assert local.code == 1 and "not an authenticated account" in local.err

    approved = piu("criteria", "approve", KEY, **as_bob)
    assert approved.code == 0 and "approved by bob" in approved.out
    listed = piu("criteria", "ls")
    assert listed.code == 0 and KEY in listed.out and "active" in listed.out
    assert "OVERDUE" not in listed.out

    retired = piu("criteria", "retire", KEY, **as_bob)
    assert retired.code == 0 and f"{KEY}@1 retired" in retired.out
    assert "retired" in piu("criteria", "ls").out


def test_ls_flags_a_criterion_past_its_review_date(piu: Any, tmp_path: Path) -> None:
    # Stored directly as a draft (add does not check the date; approval does).
    stale = HEADER.format(id="stale-one", review="2001-01-01") + (
        "when:\n  all:\n    - {fact: one_way, equals: true}\n"
        "    - {fact: payment_forms, includes: cash}\n")  # fmt: skip
    assert piu("criteria", "add", write(tmp_path, "s.yaml", stale)).code == 0
    listed = piu("criteria", "ls")
    assert "2001-01-01 OVERDUE" in listed.out and "past their review date" in listed.out
    bob = account(piu, "bob", "supervisor")
    refused = piu("criteria", "approve", "stale-one", PIU_USER="bob", PIU_PASSWORD=bob)
    assert refused.code == 1 and "due for review" in refused.err


def test_backtest_command(piu: Any, tmp_path: Path) -> None:
    ran = piu("criteria", "backtest", write(tmp_path, "c.yaml", EXAMPLE), "--since", "2025-01-01")
    assert ran.code == 0, ran.err
    assert f"backtest of {KEY}" in ran.out and "hits: 0" in ran.out
    assert "spread of hits, for oversight only" in ran.out
    bad = piu("criteria", "backtest", write(tmp_path, "c.yaml", EXAMPLE), "--since", "yesterday")
    assert bad.code == 2 and bad.clean()
