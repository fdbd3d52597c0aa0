"""The criteria language: what validates, and every bypass refused with its line."""

from __future__ import annotations

import pytest
from criteria_builders import HEADER, criterion_text

from openpiu.criteria import (
    CriteriaPolicy,
    Criterion,
    CriterionError,
    Offence,
    example_texts,
    load_criterion,
)
from openpiu.criteria.conditions import AllOf, FactTest


def refused(text: str | bytes, policy: CriteriaPolicy | None = None) -> CriterionError:
    with pytest.raises(CriterionError) as caught:
        load_criterion(text, policy)
    return caught.value


def only_problem(text: str | bytes, policy: CriteriaPolicy | None = None):  # noqa: ANN201
    error = refused(text, policy)
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


# -- what validates -------------------------------------------------------------------


def test_examples_validate_and_are_marked_as_examples() -> None:
    texts = example_texts()
    assert 3 <= len(texts) <= 5
    for name, text in texts.items():
        criterion = load_criterion(text, source=name)
        assert criterion.example and criterion.id.startswith("example-")
        assert "EXAMPLE ONLY" in text


def test_a_criterion_reads_as_typed_values() -> None:
    c = load_criterion(
        criterion_text("""
        all:
          - {fact: payment_forms, includes: CASH}
          - {fact: destination, in: [dyu, IST]}
          - {fact: booking_lead_days, between: [0, 1]}
          - {fact: nationality, in: [TJK]}
    """)
    )
    assert isinstance(c, Criterion) and c.purpose is Offence.DRUG_TRAFFICKING
    assert isinstance(c.when, AllOf)
    tests = [t for t in c.when.all if isinstance(t, FactTest)]
    assert tests[0].value == "cash"
    assert tests[1].value == frozenset({"DYU", "IST"})  # normalised to upper case
    assert tests[2].value == (0, 1)


def test_a_protected_fact_may_narrow_a_travel_pattern() -> None:
    load_criterion(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - any:
              - {fact: age, between: [18, 30]}
              - {fact: payment_forms, includes: cash}
          - {fact: gender, equals: M}
    """)
    )


def test_not_can_carry_an_exculpatory_travel_element() -> None:
    load_criterion(
        criterion_text("""
        all:
          - {fact: destination_country, equals: SYR}
          - not: {fact: visa_present, equals: true}
    """)
    )


# -- the bypasses the issue names ------------------------------------------------------


def test_set_membership_over_meal_and_ssr_codes_is_refused() -> None:
    error = refused(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {fact: via_airports, includes_any: [MOML, KSML, HNML]}
          - {fact: agency_code, in: [WCHR]}
    """)
    )
    by_line = {p.line: p for p in error.problems}
    assert "not a known IATA airport code" in by_line[11].message
    assert "not an agency number" in by_line[12].message
    assert error.rules == {"bad-value"}


def test_a_fact_named_after_ssr_or_meal_is_refused() -> None:
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {fact: meal, in: [MOML]}
    """)
    )
    assert problem.rule == "not-a-fact" and problem.line == 11
    assert "religion or health" in problem.message


def test_a_regex_on_a_name_is_refused() -> None:
    error = refused(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - fact: surname
            matches: "^AL[- ]"
    """)
    )
    assert error.rules == {"not-a-fact", "unknown-operator"}
    lines = {p.rule: p.line for p in error.problems}
    assert lines == {"not-a-fact": 11, "unknown-operator": 12}
    assert "no pattern, regex or free-text operator" in str(error)


def test_a_regex_operator_on_an_allowed_fact_is_refused() -> None:
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {fact: agency_code, regex: ".*"}
    """)
    )
    assert problem.rule == "unknown-operator" and problem.line == 11


def test_nationality_age_and_gender_together_are_refused() -> None:
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: nationality, equals: SYR}
          - {fact: age, between: [18, 30]}
          - {fact: gender, equals: M}
    """)
    )
    assert problem.rule == "no-travel-element" and problem.line == 9


def test_nationality_alone_is_refused() -> None:
    problem = only_problem(
        criterion_text("""
        fact: nationality
        in: [SYR, IRQ]
    """)
    )
    assert problem.rule == "no-travel-element"
    assert "art. 6(4)" in problem.message


def test_an_any_branch_of_protected_facts_only_is_refused() -> None:
    problem = only_problem(
        criterion_text("""
        any:
          - {fact: one_way, equals: true}
          - all:
              - {fact: nationality, equals: SYR}
              - {fact: gender, equals: M}
    """)
    )
    assert problem.rule == "protected-only-branch"
    assert problem.line == 12 and problem.column == 11  # the first protected test
    assert "nationality (line 12) and gender (line 13)" in problem.message


def test_the_issue_example_any_nationality_or_one_way_is_refused() -> None:
    problem = only_problem(
        criterion_text("""
        any:
          - {fact: nationality, equals: SYR}
          - {fact: one_way, equals: true}
    """)
    )
    assert problem.rule == "protected-only-branch" and problem.line == 10


def test_not_over_all_opens_a_protected_branch() -> None:
    # not(one_way and nationality X) = not one_way, or not nationality X: the second
    # fires for everyone who is not of nationality X.
    problem = only_problem(
        criterion_text("""
        not:
          all:
            - {fact: one_way, equals: true}
            - {fact: nationality, equals: SYR}
    """)
    )
    assert problem.rule == "protected-only-branch" and problem.line == 12


def test_double_not_is_seen_through() -> None:
    problem = only_problem(
        criterion_text("""
        any:
          - {fact: one_way, equals: true}
          - not: {not: {fact: age, at_least: 60}}
    """)
    )
    assert problem.rule == "protected-only-branch" and problem.line == 11


def test_a_tautology_cannot_pose_as_the_travel_element() -> None:
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: nationality, equals: SYR}
          - any:
              - {fact: one_way, equals: true}
              - {fact: one_way, equals: false}
    """)
    )
    assert problem.rule == "always-true" and problem.line == 11  # the any


def test_a_negated_tautology_inside_not_all_is_seen() -> None:
    error = refused(
        criterion_text("""
        all:
          - {fact: nationality, equals: SYR}
          - not:
              all:
                - {fact: broken_travel, equals: true}
                - not: {fact: broken_travel, equals: true}
    """)
    )
    assert "always-true" in error.rules


@pytest.mark.parametrize(
    "test",
    [
        "{fact: group_size, at_least: 0}",
        "{fact: payment_forms, only: [cash, card, cheque, agency, government, miscellaneous, "
        "other]}",
        "{fact: bag_weight_kg, between: [0, 10000]}",
    ],
)
def test_a_range_over_the_whole_span_is_refused(test: str) -> None:
    problem = only_problem(
        criterion_text(f"""
        all:
          - {{fact: nationality, equals: SYR}}
          - {test}
    """)
    )
    assert problem.rule == "always-true" and problem.line == 11


# -- unknown facts, wrong operators, wrong values ---------------------------------------


def test_unknown_fact_is_named_with_a_suggestion() -> None:
    problem = only_problem(
        criterion_text("""
        fact: booking_lead_day
        at_most: 1
    """)
    )
    assert problem.rule == "unknown-fact" and problem.line == 9 and problem.column == 9
    assert "did you mean 'booking_lead_days'" in problem.message


@pytest.mark.parametrize(
    ("test", "message"),
    [
        ("{fact: destination, between: [IST, IST]}", "'between' does not apply to destination"),
        ("{fact: one_way, in: [true]}", "'in' does not apply to one_way"),
        ("{fact: payment_forms, equals: cash}", "'equals' does not apply to payment_forms"),
    ],
)
def test_operators_that_do_not_fit_the_fact_are_refused(test: str, message: str) -> None:
    problem = only_problem(
        criterion_text(f"""
        all:
          - {{fact: broken_travel, equals: true}}
          - {test}
    """)
    )
    assert problem.rule == "operator-not-allowed" and problem.line == 11
    assert message in problem.message


@pytest.mark.parametrize(
    ("test", "message"),
    [
        ("{fact: destination_country, in: [SY]}", "not an ISO 3166 alpha-3"),
        ("{fact: destination_country, in: [Syria]}", "not an ISO 3166 alpha-3"),
        ("{fact: origin, equals: 'Mohammed'}", "not a known IATA airport code"),
        ("{fact: booking_lead_days, at_most: '1'}", "expected a whole number"),
        ("{fact: booking_lead_days, at_most: 1.5}", "expected a whole number"),
        ("{fact: group_size, at_least: true}", "expected a whole number"),
        ("{fact: one_way, equals: 'yes please'}", "expected true or false"),
        ("{fact: payment_forms, includes: bitcoin}", "not one of cash, card"),
        ("{fact: departure_date, at_least: '15 March'}", "expected a date"),
        ("{fact: booking_lead_days, between: [5, 1]}", "low end is above the high end"),
        ("{fact: booking_lead_days, between: [1]}", "between takes two values"),
        ("{fact: booking_lead_days, at_most: 99999999}", "outside the plausible range"),
        ("{fact: agency_code, in: [SMITH]}", "not an agency number"),
        ("{fact: destination, in: []}", "non-empty list"),
    ],
)
def test_values_must_fit_the_facts_type(test: str, message: str) -> None:
    problem = only_problem(
        criterion_text(f"""
        all:
          - {{fact: broken_travel, equals: true}}
          - {test}
    """)
    )
    assert problem.rule == "bad-value" and problem.line == 11, problem
    assert message in problem.message


def test_a_set_is_bounded() -> None:
    codes = ", ".join(["IST"] * 201)
    problem = only_problem(
        criterion_text(f"""
        all:
          - {{fact: broken_travel, equals: true}}
          - {{fact: destination, in: [{codes}]}}
    """)
    )
    assert problem.rule == "bad-value" and "at most 200" in problem.message


def test_a_fact_test_takes_one_operator() -> None:
    problem = only_problem(
        criterion_text("""
        fact: booking_lead_days
        at_least: 0
        at_most: 1
    """)
    )
    assert "exactly one operator" in problem.message and problem.line == 9
    problem = only_problem(criterion_text("{fact: one_way}"))
    assert "no operator" in problem.message


def test_trips_needs_a_bound_and_typed_places() -> None:
    error = refused(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - trips: {to_country: [SYRIA], within_days: 90, at_least: 2}
          - trips: {within_days: 30}
          - trips: {to_country: SYR, within_days: 9000, at_least: 1}
    """)
    )
    assert {p.line for p in error.problems} == {11, 12, 13}
    assert "not an ISO 3166 alpha-3" in str(error) and "at_least or at_most" in str(error)


def test_header_fields_are_checked() -> None:
    header = HEADER.replace("purpose: drug_trafficking", "purpose: illegal_immigration")
    header = header.replace("score: 40", "score: '40'").replace("id: test-criterion", "id: A B")
    error = refused(criterion_text("{fact: one_way, equals: true}", header))
    assert {p.line for p in error.problems} == {1, 3, 7}
    assert {p.path[0] for p in error.problems} == {"id", "purpose", "score"}


def test_missing_fields_and_unknown_keys_are_named() -> None:
    text = "id: x-1\ntitle: nothing else\ncolour: red\nwhen: {fact: one_way, equals: true}\n"
    error = refused(text)
    missing = {p.path[0] for p in error.problems if p.rule == "missing"}
    assert missing == {"purpose", "owner", "justification", "review_date", "score"}
    assert [p.line for p in error.problems if p.rule == "unknown-key"] == [3]


def test_a_condition_must_say_what_it_is() -> None:
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {either: [1, 2]}
    """)
    )
    assert problem.rule == "not-a-condition" and problem.line == 11


def test_every_problem_is_reported_at_once_in_one_message() -> None:
    error = refused(
        criterion_text("""
        all:
          - {fact: surname, equals: X}
          - {fact: origin, equals: XXXX}
          - {fact: ethnicity, equals: X}
    """)
    )
    assert [p.line for p in error.problems] == [10, 11, 12]
    assert error.status == 422
    assert "line 11, column 30 (when.all[1].equals)" in str(error)


# -- a jurisdiction's policy ------------------------------------------------------------


def test_policy_can_forbid_the_nationality_fact() -> None:
    policy = CriteriaPolicy(forbidden_facts=frozenset({"nationality"}))
    problem = only_problem(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {fact: nationality, equals: SYR}
    """),
        policy,
    )
    assert problem.rule == "forbidden-fact" and problem.line == 11


def test_policy_can_cap_protected_facts() -> None:
    text = criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - {fact: age, at_least: 18}
          - {fact: gender, equals: F}
    """)
    load_criterion(text)
    problem = only_problem(text, CriteriaPolicy(max_protected_facts=1))
    assert problem.rule == "too-many-protected-facts" and problem.line == 12


def test_policy_narrows_purposes_history_and_sets() -> None:
    policy = CriteriaPolicy(
        allowed_purposes=frozenset({Offence.TERRORISM}), max_history_days=30, max_set_size=2
    )
    error = refused(
        criterion_text("""
        all:
          - {fact: destination, in: [IST, DYU, DXB]}
          - trips: {to_country: SYR, within_days: 90, at_least: 1}
    """),
        policy,
    )
    assert error.rules == {"purpose-not-allowed", "history-too-long", "set-too-large"}
    assert sorted(p.line for p in error.problems) == [3, 10, 11]


def test_policy_itself_is_validated() -> None:
    with pytest.raises(ValueError, match="unknown facts"):
        CriteriaPolicy(forbidden_facts=frozenset({"religion"}))
