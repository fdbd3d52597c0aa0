"""The sensitive-data policy of a jurisdiction, as configuration (YAML).

EU defaults ship in ``policies/eu.yaml``; ``PIU_PRIVACY_POLICY`` names another
file.  A policy says which Annex I items may be kept, which SSR/OSI codes are
sensitive (grouped by rule id) and which free-text terms make a remark sensitive.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from openpiu.errors import ConfigError


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    jurisdiction: str
    legal_basis: str = ""
    annex_items: frozenset[int] = Field(default_factory=lambda: frozenset(range(1, 20)))
    sensitive_codes: dict[str, frozenset[str]] = Field(default_factory=dict)
    always_keep_codes: frozenset[str] = frozenset()
    sensitive_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("annex_items")
    @classmethod
    def _items_in_range(cls, value: frozenset[int]) -> frozenset[int]:
        wrong = sorted(i for i in value if not 1 <= i <= 19)
        if wrong:
            raise ValueError(f"Annex I has items 1 to 19, not {wrong}")
        return value

    @field_validator("sensitive_codes")
    @classmethod
    def _upper_codes(cls, value: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        return {rule: frozenset(c.strip().upper() for c in codes) for rule, codes in value.items()}

    @cached_property
    def code_rules(self) -> dict[str, str]:
        """SSR code -> rule id (``ssr.<group>``)."""
        return {
            code: f"ssr.{rule}"
            for rule, codes in self.sensitive_codes.items()
            for code in codes
            if code not in self.always_keep_codes
        }

    @cached_property
    def term_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """(rule id, pattern) per group: any listed word beginning, or a listed code."""
        patterns = []
        for rule, terms in self.sensitive_terms.items():
            words = "|".join(re.escape(t.upper()) for t in terms if t.strip())
            if words:
                patterns.append((f"text.{rule}", re.compile(rf"(?<![A-Z0-9])(?:{words})")))
        codes = "|".join(re.escape(c) for c in sorted(self.code_rules))
        if codes:
            patterns.append(
                ("text.sensitive_code", re.compile(rf"(?<![A-Z0-9])(?:{codes})(?![A-Z0-9])"))
            )
        return patterns

    @cached_property
    def any_term(self) -> re.Pattern[str] | None:
        """One pattern for all the groups of :attr:`term_patterns`, each group named
        ``g<n>``; a single search per text instead of one per group."""
        if not self.term_patterns:
            return None
        parts = [
            f"(?P<g{n}>{pattern.pattern})" for n, (_, pattern) in enumerate(self.term_patterns)
        ]
        return re.compile("|".join(parts))

    @cached_property
    def group_rules(self) -> dict[str, str]:
        return {f"g{n}": rule for n, (rule, _) in enumerate(self.term_patterns)}


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at ``path``, or the EU defaults."""
    try:
        if path is None:
            text = resources.files("openpiu.privacy").joinpath("policies/eu.yaml").read_text()
            where = "the built-in EU policy"
        else:
            text = Path(path).read_text(encoding="utf-8")
            where = str(path)
        data = yaml.safe_load(text)
        return Policy.model_validate(data)
    except OSError as exc:
        raise ConfigError(f"privacy policy {path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"privacy policy {where}: not valid YAML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"privacy policy {where}: {field}: {first['msg']}") from None
