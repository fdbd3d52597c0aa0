"""UN/EDIFACT tokenizer: service string, release character, envelopes.

Pure functions from bytes to segments.  Carriers deviate from the syntax rules
in many small ways (STANDARDS.md §7), so the reader is lenient where the meaning
stays clear and reports each deviation as a warning:

* the UNA service string is honoured, whatever characters it names; when it is
  unusable as declared, the separators are inferred from the UNB segment;
* Type-B teletype lines, control characters and text after the last segment
  terminator are stripped;
* line breaks anywhere (between segments, inside them, inside a tag) are removed;
* the bytes are decoded by the UNB syntax identifier, with a predictable fallback;
* envelope control counts and references are checked, and a mismatch is a warning.

What cannot be read at all raises :class:`~openpiu.errors.ParseError` naming the
position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpiu.errors import ParseError, Position
from openpiu.formats.edifact_syntax import (
    CONTROL,
    CONTROL_BUT_LINES,
    DEFAULT_UNA,
    HAS_CONTROL,
    UNA_AT,
    ServiceChars,
    decode,
    read_service_chars,
    release_char,
    service_chars_of,
    strip_envelope,
)
from openpiu.formats.gcpause import gc_paused

__all__ = [
    "DEFAULT_UNA",
    "US",
    "Interchange",
    "Message",
    "Segment",
    "ServiceChars",
    "component_of",
    "decode",
    "gc_paused",
    "group_messages",
    "messages_of_type",
    "read",
    "service_chars_of",
    "split_segments",
]

# Inside a Segment, components are joined by this control character, whatever the
# carrier's component separator was.  Control characters are stripped from the text
# before splitting, so it can never be data; and a released component separator
# ("?:") is data again after splitting, so it cannot be mistaken for a boundary.
US = "\x1f"


class Segment:
    """One segment: its tag, its data elements, its place in the input.

    ``parts`` holds each data element as one string, its components joined by
    :data:`US`.  Most elements carry a single value, and splitting every element
    into a list up front would cost more than the rest of the parse; components are
    split on demand by :meth:`get` and :func:`component`.
    """

    __slots__ = ("tag", "parts", "index")

    def __init__(self, tag: str, parts: list[str], index: int = 0) -> None:
        self.tag = tag
        self.parts = parts
        self.index = index  # 1-based position in the input (UNA counts as one)

    @classmethod
    def of(cls, tag: str, elements: list[list[str]], index: int = 0) -> Segment:
        """A segment from elements given as lists of components."""
        return cls(tag, [US.join(e) for e in elements], index)

    @property
    def elements(self) -> list[list[str]]:
        """Every element as its list of components."""
        return [p.split(US) for p in self.parts]

    def get(self, element: int, component: int = 0) -> str:
        """The component's text (stripped), or ``""`` when the segment lacks it."""
        return component_of(self.parts, element, component)

    def components(self, element: int) -> list[str]:
        """One element's components (an empty list when the element is absent)."""
        parts = self.parts
        return parts[element].split(US) if element < len(parts) else []

    def position(self, element: int | None = None, component: int | None = None) -> Position:
        return Position(segment=self.index, tag=self.tag, element=element, component=component)

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.elements!r}, index={self.index})"


def component_of(parts: list[str], element: int, component: int = 0) -> str:
    """Component ``component`` of element ``element``, stripped; ``""`` if absent.

    A module-level function because parsers call it for nearly every value.
    """
    if element >= len(parts):
        return ""
    value = parts[element]
    if US in value:
        split = value.split(US)
        return split[component].strip() if component < len(split) else ""
    return value.strip() if component == 0 else ""


@dataclass(slots=True)
class Message:
    """UNH ... UNT and what surrounds it."""

    header: Segment  # UNH
    body: list[Segment]
    trailer: Segment | None  # UNT, None for a fragment
    interchange: Segment | None  # the UNB it sits in
    group: Segment | None  # the UNG it sits in
    warnings: list[str] = field(default_factory=list)

    @property
    def message_type(self) -> str:
        """UNH S009, e.g. ``PAXLST:D:05B:UN:IATA``."""
        return ":".join(c for c in (self.header.elements[1] if len(self.header.elements) > 1
                                    else []))

    @property
    def type_code(self) -> str:
        return self.header.get(1, 0).strip().upper()


@dataclass(slots=True)
class Interchange:
    chars: ServiceChars
    syntax: str | None
    messages: list[Message]
    warnings: list[str]


def split_segments(
    text: str, chars: ServiceChars, first_index: int = 1, warnings: list[str] | None = None
) -> list[Segment]:
    """Split decoded text into segments, honouring the release character.

    Tags with spaces around them or in lower case (`` UNB``, ``UNG ``) are read, and
    counted in one warning when ``warnings`` is given."""
    if chars.terminator not in "\r\n":
        text = text.replace("\r", "").replace("\n", "")
        if HAS_CONTROL.search(text):
            text = text.translate(CONTROL)
    elif HAS_CONTROL.search(text):
        text = text.translate(CONTROL_BUT_LINES)
    rel, term, elem, comp = release_char(chars), chars.terminator, chars.element, chars.component
    if comp != US:
        text = text.replace(comp, US)
    pieces = text.split(term)
    if rel + term in text:
        pieces = _rejoin_released(pieces, rel, term)
    segments: list[Segment] = []
    append = segments.append
    index = first_index
    odd_tags = 0
    for raw in pieces:
        if rel in raw:
            segment = _split_released(raw, rel, elem, comp, index)
            if segment is not None:
                append(segment)
                index += 1
                if raw[:3] != segment.tag:
                    odd_tags += 1
            continue
        parts = raw.split(elem)
        tag = parts[0]
        if len(tag) != 3 or not tag.isupper():
            # Spaces around a tag, lower case, or an empty piece between terminators.
            tag = tag.strip().upper()
            if not tag and not raw.strip():
                continue
            odd_tags += 1
        del parts[0]
        append(Segment(tag, parts, index))
        index += 1
    if odd_tags and warnings is not None:
        warnings.append(
            f"{odd_tags} segment tag(s) with spaces or in lower case read as upper-case tags"
        )
    return segments


def _rejoin_released(pieces: list[str], rel: str, term: str) -> list[str]:
    """Undo splits at a released terminator (``?'``): that apostrophe is data.

    Only the pieces that end in an odd run of release characters are looked at
    (found by comprehensions, not a loop over every segment), and each chain of
    them is joined once: linear even for a megabyte of ``?'`` in one segment.
    """
    ends = [i for i, piece in enumerate(pieces) if piece[-1:] == rel]
    releasing = [i for i in ends if (len(pieces[i]) - len(pieces[i].rstrip(rel))) % 2]
    if not releasing:
        return pieces
    out: list[str] = []
    start = k = 0
    last = len(pieces) - 1
    while k < len(releasing):
        first = chain_end = releasing[k]
        while k + 1 < len(releasing) and releasing[k + 1] == chain_end + 1:
            k += 1
            chain_end += 1
        stop = min(chain_end + 1, last)  # the piece after the last released terminator
        out.extend(pieces[start:first])
        out.append(term.join(pieces[first : stop + 1]))
        start = stop + 1
        k += 1
    out.extend(pieces[start:])
    return out


@lru_cache(maxsize=32)
def _released_patterns(rel: str, elem: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(element separator not released, a released character) for one UNA."""
    r, e = re.escape(rel), re.escape(elem)
    return re.compile(f"(?<!{r})((?:{r}{r})*){e}"), re.compile(f"{r}(.)", re.DOTALL)


def _split_released(raw: str, rel: str, elem: str, comp: str, index: int) -> Segment | None:
    """Split one segment that uses the release character: a character after it is
    data, whatever it is (``??`` is a literal release character).  Component
    boundaries arrive here already as :data:`US`; a released one is data again."""
    separator, released = _released_patterns(rel, elem)
    split = separator.split(raw)
    # re.split gives: element, release pairs before the separator, element, ...
    elements = [split[k] + (split[k + 1] if k + 1 < len(split) else "")
                for k in range(0, len(split), 2)]

    def literal(match: re.Match[str]) -> str:
        char = match.group(1)
        return comp if char == US else char

    parts = [released.sub(literal, element) if rel in element else element
             for element in elements]
    tag = parts[0].strip().upper()
    if not tag and len(parts) == 1:
        return None
    del parts[0]
    return Segment(tag, parts, index)


def messages_of_type(
    data: bytes, type_code: str, max_bytes: int | None = None
) -> tuple[list[tuple[Message, ServiceChars]], list[str]]:
    """Every message of one type (``PAXLST``, ``PNRGOV``) in the input, each with its
    interchange's separators, and the file's warnings (messages of other types are
    skipped and named there).  ParseError when there is none of that type."""
    found: list[tuple[Message, ServiceChars]] = []
    warnings: list[str] = []
    others: list[str] = []
    for interchange in read(data, max_bytes):
        warnings.extend(interchange.warnings)
        for message in interchange.messages:
            if message.type_code == type_code:
                found.append((message, interchange.chars))
            else:
                others.append(message.type_code or "(none)")
    if others:
        warnings.append(f"non-{type_code} message(s) skipped: {', '.join(others)}")
    if not found:
        raise ParseError(
            f"no {type_code} message found (UNH message type is {', '.join(others) or 'missing'})",
            position=Position(tag="UNH"),
        )
    return found, warnings


def read(data: bytes, max_bytes: int | None = None) -> list[Interchange]:
    """Bytes -> interchanges (one file may hold several, each with its own UNA)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise ParseError(
            f"message of {len(data)} bytes exceeds the maximum of {max_bytes} bytes",
            status=413,
            position=Position(offset=max_bytes),
        )
    warnings: list[str] = []
    data = strip_envelope(data, warnings)
    starts = [m.start() for m in UNA_AT.finditer(data)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    chunks = [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)], strict=True)]
    result = []
    for number, chunk in enumerate(chunks):
        interchange = _read_one(chunk, warnings if number == 0 else [])
        result.append(interchange)
    return result


def _read_one(data: bytes, warnings: list[str]) -> Interchange:
    text, syntax = decode(data, warnings)
    chars, body = read_service_chars(text, warnings)
    has_una = text.startswith("UNA")
    trailing = _trailing_text(body, chars)
    if trailing:
        body = body[: len(body) - len(trailing)]
        if trailing.strip(" \t\r\n\x00\x01\x02\x03\x1a"):
            warnings.append(
                f"{len(trailing.strip())} characters after the last segment terminator ignored"
            )
    segments = split_segments(body, chars, 2 if has_una else 1, warnings)
    messages = group_messages(segments, warnings)
    return Interchange(chars=chars, syntax=syntax, messages=messages, warnings=warnings)


def _trailing_text(body: str, chars: ServiceChars) -> str:
    """What follows the last unescaped terminator, when it is not a segment."""
    end = body.rfind(chars.terminator)
    while end > 0 and body[end - 1] == release_char(chars):
        # An escaped terminator is data; look further back.  (A "??'" pair is rare
        # enough at the very end of a file that we do not try to tell it apart.)
        end = body.rfind(chars.terminator, 0, end - 1)
    tail = body[end + 1:] if end >= 0 else body
    compact = tail.strip(" \t\r\n\x00\x01\x02\x03\x1a")
    if not compact:
        return tail
    # A fragment that looks like a segment (an upper-case tag and a separator) is
    # kept, so a truncated last segment is reported as such, not as prose.
    if re.match(r"[A-Z]{3}" + re.escape(chars.element), compact) and "\n" not in compact:
        return ""
    if end < 0:
        return ""
    return tail


_SERVICE = frozenset(("UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"))


def group_messages(segments: list[Segment], warnings: list[str]) -> list[Message]:
    """Group segments into messages and check envelope counts and references.

    Only the service segments are visited one by one; a message body is a slice.
    """
    messages: list[Message] = []
    unb: Segment | None = None
    ung: Segment | None = None
    current: Message | None = None
    start = 0  # index in ``segments`` of the current message's first body segment
    in_group = in_interchange = groups = 0
    stray = 0
    after = 0  # index just past the last segment that belongs somewhere
    service = [i for i, seg in enumerate(segments) if seg.tag in _SERVICE]
    for i in service:
        seg = segments[i]
        tag = seg.tag
        if current is None:
            stray += i - after
        if tag == "UNH":
            if current is not None:
                current.body = segments[start:i]
                current.warnings.append(
                    f"message {current.header.get(0)} has no UNT (truncated before segment "
                    f"{seg.index})"
                )
                messages.append(current)
            current = Message(seg, [], None, unb, ung)
            start = i + 1
        elif tag == "UNT":
            if current is None:
                warnings.append(f"UNT without UNH at segment {seg.index} ignored")
            else:
                current.body = segments[start:i]
                current.trailer = seg
                _check_unt(current)
                messages.append(current)
                in_group += 1
                in_interchange += 1
                current = None
        elif current is not None:
            # An envelope segment inside a message: the message ended without UNT.
            current.body = segments[start:i]
            current.warnings.append(f"message {current.header.get(0)} has no UNT")
            messages.append(current)
            current = None
        if tag == "UNB":
            unb, in_interchange, groups = seg, 0, 0
        elif tag == "UNG":
            ung, in_group = seg, 0
            groups += 1
        elif tag == "UNE":
            _check_count(seg, in_group, ung, 4, "UNE", "UNG", warnings)
            ung = None
        elif tag == "UNZ":
            # UNZ counts the functional groups when there are any, else the messages.
            _check_count(seg, groups or in_interchange, unb, 4, "UNZ", "UNB", warnings)
            unb = None
        after = i + 1
    if current is not None:
        current.body = segments[start:]
        current.warnings.append(f"message {current.header.get(0)} has no UNT (truncated)")
        messages.append(current)
    else:
        stray += len(segments) - after
    if stray:
        warnings.append(f"{stray} segment(s) outside any message ignored")
    if unb is not None and messages:
        warnings.append("interchange has no UNZ trailer")
    return messages


def _check_unt(message: Message) -> None:
    trailer = message.trailer
    assert trailer is not None
    counted = len(message.body) + 2
    declared = trailer.get(0).strip()
    if declared != str(counted):
        message.warnings.append(
            f"UNT segment count {declared or '(empty)'} differs from the {counted} segments present"
        )
    ref, header_ref = trailer.get(1).strip(), message.header.get(0).strip()
    if ref != header_ref:
        message.warnings.append(f"UNT reference {ref!r} differs from UNH reference {header_ref!r}")


def _check_count(
    trailer: Segment,
    counted: int,
    header: Segment | None,
    ref_element: int,
    name: str,
    header_name: str,
    warnings: list[str],
) -> None:
    declared = trailer.get(0).strip()
    if declared != str(counted):
        warnings.append(f"{name} count {declared or '(empty)'} differs from the {counted} present")
    if header is None:
        warnings.append(f"{name} without {header_name} at segment {trailer.index}")
        return
    ref, header_ref = trailer.get(1).strip(), header.get(ref_element).strip()
    if ref != header_ref:
        warnings.append(
            f"{name} reference {ref!r} differs from {header_name} reference {header_ref!r}"
        )
