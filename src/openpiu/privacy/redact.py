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


# Elements whose text is free text (remarks, OSI, SSR text), where terms are sought;
# names and document fields are never searched for terms.
_XML_FREE_TEXT = ("text", "remark", "osi", "freetext", "comment", "ssr", "specialservice")


def redact_xml(raw: bytes, policy: Policy) -> tuple[bytes, Counter[str]]:
    """PNRGOV XML without the elements that carry sensitive codes or free text."""
    removed: Counter[str] = Counter()
    try:
        from xml.etree import ElementTree

        from defusedxml import ElementTree as SafeTree
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return raw, removed
    try:
        root = SafeTree.fromstring(raw)
    except Exception:  # hostile or broken XML is quarantined as it is, unredacted bytes
        return raw, removed  # stay in the vault only for the quarantine retention
    parents = {child: parent for parent in root.iter() for child in parent}
    doomed = []
    for element in root.iter():
        rule = _xml_rule(element, policy)
        if rule is not None and element is not root:
            removed[rule] += 1
            doomed.append(element)
    for element in doomed:
        parent = parents.get(element)
        if parent is not None and element in list(parent):
            parent.remove(element)
    if not removed:
        return raw, removed
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True), removed


def _xml_rule(element: object, policy: Policy) -> str | None:
    tag = str(getattr(element, "tag", "")).rsplit("}", 1)[-1].lower()
    attrib: dict[str, str] = getattr(element, "attrib", {})
    text = (getattr(element, "text", None) or "").strip()
    values = [v.strip().upper() for v in attrib.values()] + ([text.upper()] if text else [])
    for value in values:
        rule = policy.code_rules.get(value)
        if rule is not None:
            return rule
    if any(tag.startswith(name) for name in _XML_FREE_TEXT) and text:
        code = next(
            (v for v in values if v in STRUCTURED_CODES or v in policy.always_keep_codes), None
        )
        if code is None:
            return sensitive_rule(text, policy)
    return None
