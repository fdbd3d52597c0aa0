"""The vault's raw copy of a PNR, with its sensitive segments taken out.

Once a PNR has been parsed and filtered, the raw bytes kept in the vault are
replaced by this redacted copy (the SHA-256 of the original stays, so a resent
original is still recognised as a duplicate).  Segments are dropped whole: an
SSR with a sensitive code, and an IFT or free-text SSR whose text reveals a
sensitive category.  Everything else stays byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter

from openpiu.errors import PiuError
from openpiu.formats import edifact
from openpiu.privacy.filter import STRUCTURED_CODES, sensitive_rule
from openpiu.privacy.policy import Policy

_FREE_TEXT_TAGS = (b"IFT", b"SSR")
# Fix (tests/test_privacy.py): the redacted copy kept a full card number sent in FOP
# and the segments of Annex I items the jurisdiction does not keep (e.g. FTI when item
# 8, frequent flyer, is off).  A card number (12 to 19 digits) is masked to its last
# four; a segment that carries only an item not kept is dropped whole.
_CARD = re.compile(rb"(?<![0-9])[0-9]{12,19}(?![0-9])")
_ANNEX_TAGS = {
    b"FTI": 8, b"TKT": 13, b"MON": 13, b"PTK": 13, b"TXD": 13, b"FAR": 13,
    b"FOP": 6, b"SSD": 14, b"TRA": 15, b"EBD": 16, b"TBD": 16,
}  # fmt: skip
_ANNEX_SSR = {
    "FQTV": 8, "FQTR": 8, "FQTU": 8, "FQTS": 8, "SEAT": 14, "DOCS": 18, "DOCO": 18,
    "DOCA": 18, "FOID": 18, "CTCE": 5, "CTCM": 5, "CTCH": 5, "CTCB": 5, "CTCR": 5,
}  # fmt: skip


def _mask_card(match: re.Match[bytes]) -> bytes:
    digits = match.group(0)
    return b"X" * (len(digits) - 4) + digits[-4:]


def redact_edifact(raw: bytes, policy: Policy) -> tuple[bytes, Counter[str]]:
    """(redacted bytes, removals by rule id)."""
    removed: Counter[str] = Counter()
    try:
        # The separators from the head alone: the message was just parsed, and the
        # whole of it need not be tokenized again.
        chars = edifact.service_chars_of(raw)
    except PiuError:
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
    dropped = 0  # segments dropped since the last UNH
    for piece in _pieces(raw, term, rel):
        compact = piece.replace(b"\r", b"").replace(b"\n", b"").strip()
        tag = compact[:3].upper()
        if tag == b"UNH":
            dropped = 0
        elif tag == b"UNT" and dropped:
            # Fix: keep UNT's segment count true, or reprocessing the redacted copy
            # warns of a count mismatch the original never had (not idempotent).
            piece = _unt_minus(piece, elem, dropped)
        item = _annex_item(tag, compact, elem, comp)
        if item is not None and item not in policy.annex_items:
            removed[f"annex.item_{item}"] += 1
            dropped += 1
            continue
        if tag == b"FOP" and _CARD.search(piece):
            piece = _CARD.sub(_mask_card, piece)
            removed["card_number"] += 1
        if tag in _FREE_TEXT_TAGS:
            rule = _rule(tag, compact, elem, comp, policy)
            if rule is not None:
                removed[rule] += 1
                dropped += 1
                continue
        kept.append(piece)
    if not removed:
        return raw, removed
    return term.join(kept), removed


def _unt_minus(piece: bytes, elem: bytes, dropped: int) -> bytes:
    head, sep, rest = piece.partition(elem)
    count, sep2, tail = rest.partition(elem)
    if not sep or not count.strip().isdigit():
        return piece
    return head + sep + str(max(int(count) - dropped, 0)).encode() + sep2 + tail


def _annex_item(tag: bytes, compact: bytes, elem: bytes, comp: bytes) -> int | None:
    if tag != b"SSR":
        return _ANNEX_TAGS.get(tag)
    first = compact.split(elem)[1] if elem in compact else b""
    return _ANNEX_SSR.get(first.split(comp)[0].decode("latin-1").strip().upper())


def _rule(tag: bytes, compact: bytes, elem: bytes, comp: bytes, policy: Policy) -> str | None:
    if tag == b"SSR":
        first = compact.split(elem)[1] if elem in compact else b""
        code = first.split(comp)[0].decode("latin-1").strip().upper()
        rule = policy.code_rules.get(code)
        if rule is not None:
            return rule
        if code in policy.always_keep_codes or code in STRUCTURED_CODES:
            return None
    elif tag == b"IFT":
        elements = compact.split(elem)
        qualifier = elements[1].split(comp) if len(elements) > 1 else []
        text = elements[2].lstrip() if len(elements) > 2 else b""
        # Contacts (CTCE/CTCM) and the payer of a form of payment (IFT 4:43) are
        # structured data, not remarks: no sensitive category hides in them.
        if text.startswith(b"CTC") or (len(qualifier) > 1 and qualifier[1] == b"43"):
            return None
    return sensitive_rule(compact.decode("latin-1"), policy)


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
    for element in root.iter():  # card numbers masked to the last four (see _CARD)
        for name, value in list(element.attrib.items()):
            if name.lower().endswith("cardnumber") and _CARD.search(value.encode()):
                element.set(name, _CARD.sub(_mask_card, value.encode()).decode())
                removed["card_number"] += 1
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
