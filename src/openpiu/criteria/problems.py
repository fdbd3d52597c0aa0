"""What is wrong with a criterion, and where: the one error the criteria core raises.

A criterion is written by a person, so a refusal must tell that person which line
of their YAML breaks which rule, in words, and all the faults at once rather than
one per attempt.  Each fault is a :class:`Problem` with a stable ``rule`` id that
tests, the CLI and the audit log can rely on; :class:`CriterionError` carries the
list and is a :class:`~openpiu.errors.PiuError`, so the adapters' one handler turns
it into an exit code or an HTTP 422 like any other bad input.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpiu.errors import PiuError

# A path into the YAML document: mapping keys and sequence indexes, from the root.
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule.  ``line`` and ``column`` are 1-based, as editors show them."""

    rule: str  # stable id, e.g. "protected-only-branch", "unknown-fact", "yaml-alias"
    message: str
    line: int | None = None
    column: int | None = None
    path: Path = ()

    @property
    def where(self) -> str:
        place = dotted(self.path)
        if self.line is None:
            return place or "document"
        spot = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{spot} ({place})" if place else spot

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"


def dotted(path: Path) -> str:
    """``("when", "all", 2, "fact")`` -> ``when.all[2].fact``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class CriterionError(PiuError):
    """A criterion (or its YAML) was refused; ``problems`` lists every fault found."""

    status = 422

    def __init__(self, problems: list[Problem], source: str = "criterion"):
        self.problems = tuple(problems)
        self.source = source
        lines = "\n".join(f"  {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source}: refused, {count} {noun}:\n{lines}")

    @property
    def rules(self) -> set[str]:
        """The ids of the rules broken, for callers (and tests) that branch on them."""
        return {p.rule for p in self.problems}
