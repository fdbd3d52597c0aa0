"""Hostile YAML: every attack ends in a CriterionError naming the fault, fast.

The fuzz test throws random YAML-ish text and random data trees at the loader;
nothing but the package's own error may come out, never a traceback or a hang.
"""

from __future__ import annotations

import os
import time

import pytest
import yaml
from criteria_builders import HEADER, criterion_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpiu.criteria import CriterionError, load_criterion
from openpiu.errors import PiuError

EXAMPLES = int(os.environ.get("PIU_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(
    max_examples=EXAMPLES or 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""


def refused(text: str | bytes) -> CriterionError:
    started = time.perf_counter()
    with pytest.raises(CriterionError) as caught:
        load_criterion(text)
    assert time.perf_counter() - started < 2.0
    return caught.value


def test_alias_bomb_is_refused_before_expansion() -> None:
    error = refused(BILLION_LAUGHS)
    assert error.rules == {"yaml-anchor", "yaml-alias"}
    assert error.problems[0].line == 1


def test_aliases_cannot_reuse_a_condition() -> None:
    error = refused(
        criterion_text("""
        all:
          - &travel {fact: one_way, equals: true}
          - *travel
    """)
    )
    assert {p.line for p in error.problems} == {10, 11}


@pytest.mark.parametrize(
    "text",
    [
        "id: !!python/name:os.system x",
        "score: !!int '40'",
        "when: !custom {fact: one_way}",
    ],
)
def test_tags_are_refused(text: str) -> None:
    error = refused(HEADER.replace("score: 40\n", "") + text + "\n")
    assert error.rules == {"yaml-tag"}
    assert error.problems[0].line == 7


def test_a_python_object_document_is_refused() -> None:
    error = refused("!!python/object/apply:os.system ['echo pwned']")
    assert error.rules == {"yaml-tag"} and error.problems[0].line == 1


def test_very_large_input_is_refused_unread() -> None:
    big = HEADER + "when: {fact: one_way, equals: true}\n" + "# padding\n" * 10_000
    error = refused(big)
    assert error.rules == {"too-large"} and error.status == 422
    assert error.problems[0].line is None


def test_deep_nesting_is_refused_without_recursion() -> None:
    deep = criterion_text("{not: " * 5000 + "{fact: one_way, equals: true}" + "}" * 5000)
    assert "too-deep" in refused(deep).rules
    block = "when:\n" + "".join("  " * i + "- \n" for i in range(1, 200))
    assert refused(HEADER + block).rules & {"too-deep", "yaml-syntax"}


def test_duplicate_keys_are_refused() -> None:
    # YAML would keep the last 'fact' silently: a reviewer reads one thing, the
    # engine runs another.
    error = refused(
        criterion_text("""
        fact: one_way
        fact: nationality
        equals: true
    """)
    )
    assert error.rules == {"duplicate-key"} and error.problems[0].line == 10


def test_merge_keys_directives_and_odd_documents_are_refused() -> None:
    assert "yaml-merge" in refused(criterion_text("<<: {fact: one_way}\nequals: true")).rules
    assert "yaml-directive" in refused("%TAG ! tag:evil.com,2000:\n---\nid: x\n").rules
    assert refused("").rules == {"empty"}
    assert refused("just words").rules == {"not-a-mapping"}
    assert refused("- a\n- b\n").rules == {"not-a-mapping"}
    assert refused(b"id: \xff\xfe").rules == {"not-utf8"}
    assert refused("id: x\n---\nid: y\n").rules == {"yaml-syntax"}
    assert refused("a: [1, 2\nb: 3").problems[0].line is not None


def test_keys_must_be_plain_words() -> None:
    error = refused(criterion_text("{fact: one_way, 1: true, [x]: y}"))
    assert error.rules == {"yaml-key"}


# -- fuzz ---------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["all", "any", "not", "fact", "trips", "in", "equals", "between", "at_least", "at_most",
     "includes", "only", "one_way", "nationality", "age", "gender", "payment_forms", "cash",
     "IST", "SYR", "within_days", "to_country", "surname", "MOML", "true", "null", "-1", "1e9",
     "2026-01-01", "&a", "*a", "!!str", "<<", "%", "'", '"', ":", "- ", "[", "]", "{", "}",
     ",", "\n", "  ", "#", "|", ">", "?", "\t", "\x00", "\ufeff", "é"]
)  # fmt: skip


def _check(text: str | bytes) -> None:
    started = time.perf_counter()
    try:
        load_criterion(text)
    except CriterionError as exc:
        assert exc.problems and str(exc)
        assert isinstance(exc, PiuError)
    assert time.perf_counter() - started < 2.0


@FUZZ
@given(st.lists(_WORDS, max_size=80).map("".join))
def test_fuzz_yamlish_text(text: str) -> None:
    _check(text)


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_bytes(data: bytes) -> None:
    _check(data)


_NUMBERS = st.integers(-(10**12), 10**12) | st.floats(allow_nan=True)
_LEAVES = st.none() | st.booleans() | _NUMBERS | st.dates() | _WORDS | st.text(max_size=10)
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_WORDS, inner, max_size=4),
    max_leaves=25,
)


@FUZZ
@given(_TREES)
def test_fuzz_criterion_trees(when: object) -> None:
    _check(HEADER + yaml.safe_dump({"when": when}))
