"""One exception hierarchy for the whole core.

Every error the core raises is a :class:`PiuError`.  It carries a human-readable
``detail``, the HTTP-like ``status`` an adapter should answer with, and, for bad
input, the ``position`` of the fault.  Adapters (the CLI today, the web API later)
have a single handler that turns it into an exit code or an HTTP answer, so the core
never imports a web framework or a terminal library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Position:
    """Where in a message a fault sits: 1-based segment number, tag, element, component."""

    segment: int | None = None
    tag: str | None = None
    element: int | None = None
    component: int | None = None
    offset: int | None = None  # byte offset, when no segment could be identified

    def __str__(self) -> str:
        parts: list[str] = []
        if self.segment is not None:
            parts.append(f"segment {self.segment}")
        if self.tag:
            parts.append(self.tag)
        if self.element is not None:
            parts.append(f"element {self.element}")
        if self.component is not None:
            parts.append(f"component {self.component}")
        if self.offset is not None and self.segment is None:
            parts.append(f"byte {self.offset}")
        return " ".join(parts) if parts else "message"


class PiuError(Exception):
    """Base of every error the core raises on purpose."""

    status: int = 400

    def __init__(self, detail: str, status: int | None = None, position: Position | None = None):
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        self.position = position

    def __str__(self) -> str:
        if self.position is not None:
            return f"{self.detail} (at {self.position})"
        return self.detail


class ParseError(PiuError):
    """The bytes are not a message we can read; ``position`` says where it broke."""

    status = 422


class TooLargeError(PiuError):
    """The input exceeds the configured maximum message size."""

    status = 413


class NotFoundError(PiuError):
    status = 404


class AuthError(PiuError):
    """Not authenticated (wrong or missing credentials)."""

    status = 401


class ForbiddenError(PiuError):
    """Authenticated, but the role does not allow the action."""

    status = 403


class ConflictError(PiuError):
    status = 409


class ConfigError(PiuError):
    """A setting is missing or unsafe."""

    status = 500
