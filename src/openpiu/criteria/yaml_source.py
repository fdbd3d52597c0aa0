"""Read a criterion's YAML safely, keeping the line and column of every value.

Criteria are written by people and may come from anyone with an account, so the
reader assumes hostile input and answers every fault with a :class:`Problem`, never
a traceback or a hang:

* the text is capped in size before the parser sees it;
* the token stream is checked first, iteratively (no recursion), for what a
  criterion never needs and an attacker likes: anchors and aliases (the "billion
  laughs" bomb), tags (``!!python/object`` and friends), directives, and deep
  nesting;
* only then is the document composed with the safe loader and turned into plain
  Python, keyed by its path, refusing duplicate keys (YAML would silently keep the
  last one, so a reviewer could approve a text that means something else).

The result maps each path (``("when", "all", 0, "fact")``) to its position, so any
later rule, pydantic's or the guardrails', can name the line it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from openpiu.criteria.problems import CriterionError, Path, Problem

MAX_BYTES = 64 * 1024  # a real criterion is a few hundred bytes; 64 KiB is generous
MAX_DEPTH = 24  # nesting of mappings and sequences, all/any/not included
MAX_TOKENS = 20_000

_OPENERS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_FORBIDDEN_TOKENS: tuple[tuple[type, str, str], ...] = (
    (yaml.AliasToken, "yaml-alias", "aliases (*name) are not allowed in a criterion"),
    (yaml.AnchorToken, "yaml-anchor", "anchors (&name) are not allowed in a criterion"),
    (yaml.TagToken, "yaml-tag", "tags (!name, !!type) are not allowed in a criterion"),
    (yaml.DirectiveToken, "yaml-directive", "directives (%YAML, %TAG) are not allowed"),
)
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(slots=True)
class SourceDocument:
    """Plain data read from YAML, and where each piece of it stood."""

    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path) -> tuple[int | None, int | None, Path]:
        """Line and column of ``path``, or of its nearest ancestor that exists."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                line, column = self.positions[probe]
                return line, column, tuple(path)
            probe = probe[:-1]
        root = self.positions.get(())
        return (root[0], root[1], tuple(path)) if root else (None, None, tuple(path))

    def problem(self, rule: str, message: str, path: Path) -> Problem:
        line, column, where = self.locate(path)
        return Problem(rule, message, line, column, where)


def read_yaml(
    text: str | bytes, source: str = "criterion", max_bytes: int = MAX_BYTES
) -> SourceDocument:
    """Parse ``text`` into a :class:`SourceDocument` or raise :class:`CriterionError`."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > max_bytes:
        raise CriterionError(
            [Problem("too-large", f"{len(raw)} bytes; a criterion may hold at most {max_bytes}")],
            source,
        )
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CriterionError(
            [Problem("not-utf8", f"not UTF-8 text (byte {exc.start})")], source
        ) from None
    try:
        _check_tokens(decoded, source)
        node = yaml.compose(decoded, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CriterionError([_yaml_problem(exc)], source) from None
    except RecursionError:  # the token check should stop this first; belt and braces
        raise CriterionError([Problem("too-deep", "nested too deeply")], source) from None
    if node is None:
        raise CriterionError([Problem("empty", "the document is empty")], source)
    document = SourceDocument(data=None)
    problems: list[Problem] = []
    document.data = _plain(node, (), document, problems)
    if problems:
        raise CriterionError(problems, source)
    return document


def _check_tokens(text: str, source: str) -> None:
    problems: list[Problem] = []
    depth = 0
    for count, token in enumerate(yaml.scan(text, Loader=yaml.SafeLoader)):
        if count > MAX_TOKENS:
            problems.append(Problem("too-large", f"more than {MAX_TOKENS} YAML tokens"))
            break
        mark = token.start_mark
        for kind, rule, message in _FORBIDDEN_TOKENS:
            if isinstance(token, kind):
                problems.append(Problem(rule, message, mark.line + 1, mark.column + 1))
        if isinstance(token, _OPENERS):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(
                    Problem(
                        "too-deep",
                        f"nested more than {MAX_DEPTH} levels deep",
                        mark.line + 1,
                        mark.column + 1,
                    )
                )
                break
        elif isinstance(token, _CLOSERS):
            depth -= 1
        if len(problems) >= 20:  # enough to act on; a hostile file could hold thousands
            break
    if problems:
        raise CriterionError(problems, source)


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return Problem("yaml-syntax", f"not valid YAML: {what}")
    return Problem("yaml-syntax", f"not valid YAML: {what}", mark.line + 1, mark.column + 1)


# Scalars only (int, float, bool, null, date, str), with the safe loader's rules.
_SCALARS = yaml.constructor.SafeConstructor()


def _plain(node: yaml.Node, path: Path, doc: SourceDocument, problems: list[Problem]) -> Any:
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        try:
            return _SCALARS.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            problems.append(doc.problem("yaml-value", f"cannot read this value ({exc})", path))
            return None
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == _MERGE_TAG:
                problems.append(
                    Problem("yaml-merge", "merge keys (<<) are not allowed", line, column, path)
                )
            elif not isinstance(key, str) or key_node.tag != "tag:yaml.org,2002:str":
                problems.append(
                    Problem("yaml-key", "a key must be a plain word", line, column, path)
                )
            elif key in result:
                problems.append(
                    Problem("duplicate-key", f"'{key}' is given twice", line, column, (*path, key))
                )
            else:
                result[key] = _plain(value_node, (*path, key), doc, problems)
        return result
    problems.append(doc.problem("yaml-node", "unexpected YAML node", path))  # pragma: no cover
    return None
