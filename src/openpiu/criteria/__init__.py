"""Pre-determined criteria: risk rules that people write, approve and answer for.

The pure core (no database, no web framework, no clock):

* :mod:`.facts` -- :class:`TravelFacts`, the allow-list of what a criterion may read;
* :mod:`.catalogue` -- each fact's kind, protected flag and operators;
* :mod:`.language` -- the YAML language, validated with pydantic: :func:`load_criterion`;
* :mod:`.guardrails` -- the rules of law and a jurisdiction's :class:`CriteriaPolicy`;
* :mod:`.evaluate` -- :func:`evaluate` (with an explanation) and :func:`fires`;
* :mod:`.compiled` -- :class:`CriteriaSet`, the fast path for screening many
  travellers against many criteria (closures and a guard index).

Typical use by an adapter::

    criterion = load_criterion(path.read_bytes(), policy, source=str(path))
    result = evaluate(criterion, facts)
    if result.fired:
        ... result.score, result.checks ...
"""

from openpiu.criteria.catalogue import FACTS, PROTECTED_FACTS, FactSpec, Kind, Op
from openpiu.criteria.compiled import (
    CompiledCriterion,
    CriteriaSet,
    compile_criterion,
    facts_read,
)
from openpiu.criteria.evaluate import Check, Evaluation, evaluate, fires
from openpiu.criteria.facts import (
    BookingChannel,
    CheckInStatus,
    Gender,
    PastTrip,
    PaymentForm,
    TravelFacts,
    TravelLeg,
    Weekday,
)
from openpiu.criteria.guardrails import CriteriaPolicy
from openpiu.criteria.language import Criterion, example_texts, load_criterion
from openpiu.criteria.offences import Offence
from openpiu.criteria.problems import CriterionError, Problem

__all__ = [
    "FACTS",
    "PROTECTED_FACTS",
    "BookingChannel",
    "Check",
    "CompiledCriterion",
    "CriteriaSet",
    "CheckInStatus",
    "CriteriaPolicy",
    "Criterion",
    "CriterionError",
    "Evaluation",
    "FactSpec",
    "Gender",
    "Kind",
    "Offence",
    "Op",
    "PastTrip",
    "PaymentForm",
    "Problem",
    "TravelFacts",
    "TravelLeg",
    "Weekday",
    "compile_criterion",
    "evaluate",
    "example_texts",
    "facts_read",
    "fires",
    "load_criterion",
]
