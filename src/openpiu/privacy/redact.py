"""The vault's raw copy of a PNR, with its sensitive segments taken out.

Once a PNR has been parsed and filtered, the raw bytes kept in the vault are
replaced by this redacted copy (the SHA-256 of the original stays, so a resent
original is still recognised as a duplicate).  Segments are dropped whole: an
SSR with a sensitive code, and an IFT or free-text SSR whose text reveals a
sensitive category.  Everything else stays byte for byte.
"""

from __future__ import annotations

from collections import Counter

from openpiu.errors import PiuError
from openpiu.formats import edifact
from openpiu.privacy.filter import STRUCTURED_CODES, sensitive_rule
from openpiu.privacy.policy import Policy

_FREE_TEXT_TAGS = (b"IFT", b"SSR")


def redact_edifact(raw: bytes, policy: Policy) -> tuple[bytes, Counter[str]]:
    """(redacted bytes, removals by rule id)."""
    removed: Counter[str] = Counter()
    try:
        chars = edifact.read(raw)[0].chars
    except (PiuError, IndexError):
        return raw, removed  # nothing readable: the message is quarantined as it is
    term, rel = (
        chars.terminator.encode("latin-1", "replace"),
        chars.release.encode("latin-1", "replace"),
    )
    elem, comp = (
        chars.element.encode("latin-1", "replace"),
        chars.component.encode("latin-1", "replace"),
    )
    if len(term) != 1:
        return raw, removed
    kept: list[bytes] = []
    for piece in _pieces(raw, term, rel):
        compact = piece.replace(b"\r", b"").replace(b"\n", b"").strip()
        tag = compact[:3].upper()
        if tag in _FREE_TEXT_TAGS:
            rule = _rule(tag, compact, elem, comp, policy)
            if rule is not None:
                removed[rule] += 1
                continue
        kept.append(piece)
    if not removed:
        return raw, removed
    return term.join(kept), removed


def _rule(tag: bytes, compact: bytes, elem: bytes, comp: bytes, policy: Policy) -> str | None:
    text = compact.decode("latin-1").upper()
    if tag == b"SSR":
        first = compact.split(elem)[1] if elem in compact else b""
        code = first.split(comp)[0].decode("latin-1").strip().upper()
        rule = policy.code_rules.get(code)
        if rule is not None:
            return rule
        if code in policy.always_keep_codes or code in STRUCTURED_CODES:
            return None
    return sensitive_rule(text, policy)


def _pieces(raw: bytes, term: bytes, rel: bytes) -> list[bytes]:
    """Split on the terminator, gluing back pieces split at a released one."""
    pieces = raw.split(term)
    out: list[bytes] = []
    carry: bytes | None = None
    for piece in pieces:
        if carry is not None:
            piece, carry = carry + term + piece, None
        trailing = len(piece) - len(piece.rstrip(rel))
        if trailing % 2 == 1:
            carry = piece
        else:
            out.append(piece)
    if carry is not None:
        out.append(carry)
    return out
