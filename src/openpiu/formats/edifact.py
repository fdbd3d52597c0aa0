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

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from openpiu.errors import ParseError, Position

# Default service characters when no UNA is present (ISO 9735).
DEFAULT_UNA = ":+.? '"

# Syntax identifier -> codec.  UNOA/UNOB are subsets of ASCII; IATA is what PNRGOV
# senders put in UNB (IATA:1) and is plain ASCII in practice.
_CODECS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
    "IATA": "ascii",
}

_UNB_SYNTAX = re.compile(rb"UNB[^A-Za-z0-9\s]\s*([A-Z]{4})")
# Where an interchange or a bare message starts; everything before is envelope noise.
# The six UNA characters are matched as characters, not bytes: a UTF-8 multi-byte
# character there (a typographic apostrophe U+2019 as terminator, §7) would otherwise
# hide the UNA, which was then dropped as "Type-B envelope" without saying why.
_UNA_SIX = rb"(?:[\xc2-\xf4][\x80-\xbf]{1,3}|.){6}"
_START = re.compile(rb"UNA" + _UNA_SIX + rb"\s*UNB|UNB[^A-Za-z0-9\s]|UNH[^A-Za-z0-9\s]", re.DOTALL)
_UNA_AT = re.compile(rb"UNA(?=" + _UNA_SIX + rb"\s*UNB)", re.DOTALL)
_CONTROL = str.maketrans("", "", "\x00\x01\x02\x03\x04\x1a\x1c\x1d\x1e\x1f\r\n")
_HAS_CONTROL = re.compile("[\x00-\x04\x1a\x1c-\x1f]")
_CONTROL_BUT_LINES = str.maketrans("", "", "\x00\x01\x02\x03\x04\x1a\x1c\x1d\x1e\x1f")


@dataclass(frozen=True, slots=True)
class ServiceChars:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @classmethod
    def from_una(cls, six: str) -> ServiceChars:
        return cls(six[0], six[1], six[2], six[3], six[4], six[5])

    def usable(self) -> bool:
        """Distinct, non-alphanumeric separators; a terminator that is not a space."""
        seps = (self.component, self.element, self.terminator)
        if len(set(seps)) != 3 or any(c.isalnum() or c.isspace() for c in seps):
            return False
        if self.release in seps or self.release.isalnum():
            return False
        return self.terminator.isascii()


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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parse builds many small objects.

    A parse creates hundreds of thousands of lists and strings and no reference
    cycles; the collector's repeated passes over them cost about half the parse
    time.  Reference counting still frees everything as usual.  On the way out, what
    the parse kept is settled by :func:`_settle_young` rather than scanned.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _settle_young()
            gc.enable()


# Objects moved to the oldest generation by _settle_young since the last full collection
# (an estimate from the young generations' counts), and the full-collection count then.
_settled = 0
_full_collections = 0
# About 100 parsed pushes of 100 PNRs; a full collection of a worker's heap every so
# often costs far less than the young scans it replaces.
_SETTLE_LIMIT = 1_000_000
_someone_froze = False


def _settle_young() -> None:
    """Move the young generations to the oldest one without scanning them.

    While the collector was paused, every container the parse kept (the result,
    about 9,000 objects per 100 PNRs) piled up in generation 0.  Re-enabling it
    makes the next allocation scan all of them, and generation 1 scans them again
    later, though the caller still holds them all: in the PNRGOV benchmark that was
    about 15 % of the parse.  ``gc.freeze()`` then ``gc.unfreeze()`` moves
    generations 0 and 1 to generation 2 in constant time, so they are scanned only
    by full collections, like any long-lived data.

    Why this stays safe in a long-running worker:

    * the parsers build no reference cycles, so their garbage is freed by reference
      counting whatever generation it sits in;
    * other code's young garbage cycles moved along only wait for the next full
      collection.  CPython starts full collections by counting what its own young
      collections promote, which does not include these objects, so they are counted
      here and a full collection is run once they pass ``_SETTLE_LIMIT``: cyclic
      garbage can wait, but never accumulate without bound;
    * a process that froze objects itself (``gc.freeze()`` before ``fork`` to keep
      pages shared) is left alone, since ``unfreeze`` would thaw its objects too.
    """
    global _settled, _full_collections, _someone_froze
    if _someone_froze or gc.get_freeze_count():  # O(1) while nothing is frozen
        _someone_froze = True  # checking would cost a walk of the frozen objects
        return
    young, gen1_runs, _ = gc.get_count()
    threshold0 = gc.get_threshold()[0]
    full = gc.get_stats()[2]["collections"]
    if full != _full_collections:  # a full collection ran since: start counting again
        _full_collections, _settled = full, 0
    _settled += young + gen1_runs * threshold0
    gc.freeze()
    gc.unfreeze()
    if _settled > _SETTLE_LIMIT:
        gc.collect()
        _full_collections, _settled = gc.get_stats()[2]["collections"], 0


def decode(data: bytes, warnings: list[str]) -> tuple[str, str | None]:
    """Decode by the UNB syntax identifier; fall back predictably and say so."""
    match = _UNB_SYNTAX.search(data[:4096])
    syntax = match.group(1).decode("ascii") if match else None
    codec = _CODECS.get(syntax or "", "ascii")
    if syntax and syntax not in _CODECS:
        warnings.append(f"unknown syntax identifier {syntax}; decoded as ASCII/UTF-8")
    try:
        return data.decode(codec), syntax
    except UnicodeDecodeError as exc:
        declared = syntax or "no syntax identifier"
        for fallback in ("utf-8", "latin-1"):
            if fallback == codec:
                continue
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                continue
            warnings.append(
                f"bytes do not match {declared} (first bad byte at offset {exc.start}); "
                f"decoded as {fallback}"
            )
            return text, syntax
    raise ParseError("undecodable bytes", position=Position(offset=0))  # pragma: no cover


def _strip_envelope(data: bytes, warnings: list[str]) -> bytes:
    """Drop BOM, Type-B teletype lines and anything before the first service segment."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    match = _START.search(data)
    if match is None:
        raise ParseError(
            "not an EDIFACT message: no UNA, UNB or UNH segment found",
            position=Position(offset=0),
        )
    if match.start() > 0:
        prefix = data[: match.start()]
        if prefix.strip(b" \t\r\n\x00\x01\x02\x03"):
            warnings.append(
                f"{match.start()} bytes before the interchange (Type-B envelope) ignored"
            )
        data = data[match.start():]
    return data


def _service_chars(text: str, warnings: list[str]) -> tuple[ServiceChars, str]:
    """Read UNA if present; check it against UNB; infer the separators if unusable."""
    if text.startswith("UNA"):
        declared = ServiceChars.from_una(text[3:9])
        rest = text[9:].lstrip(" \t\r\n")
        if declared.usable() and _unb_agrees(rest, declared):
            return _check_release(declared, rest, warnings), rest
        inferred = _infer_chars(rest)
        warnings.append(
            f"UNA service string {text[3:9]!r} unusable as declared; "
            f"separators inferred from UNB: {_describe(inferred)}"
        )
        return inferred, rest
    default = ServiceChars()
    if text.startswith("UNB") and not _unb_agrees(text, default):
        inferred = _infer_chars(text)
        warnings.append(f"no UNA and UNB is not in default syntax; inferred {_describe(inferred)}")
        return inferred, text
    return default, text


def _check_release(chars: ServiceChars, text: str, warnings: list[str]) -> ServiceChars:
    """A backslash declared as release character that the message never uses, while
    ``?`` releases separators, is a typo in the UNA (§7): honouring it would cut
    ``O?'REILLY`` in two.  Only that UNA pays for this check; other unusual release
    characters are taken as declared (a literal ``?`` in a name is legitimate there)."""
    rel = chars.release
    if rel != "\\" or rel in text:
        return chars
    if any("?" + c in text for c in (chars.terminator, chars.element, chars.component, "?")):
        warnings.append(f"UNA release character {rel!r} never used, '?' releases instead; "
                        f"read with '?'")
        return ServiceChars(chars.component, chars.element, chars.decimal, "?",
                            chars.repetition, chars.terminator)
    return chars


def _release(chars: ServiceChars) -> str:
    """The release character to honour; a space in the UNA means none is used (a
    space as release would glue ``ZZ AIRLINES`` into ``ZZAIRLINES``).  NUL never
    survives the control-character strip, so it never matches."""
    return "\x00" if chars.release.isspace() else chars.release


def _unb_agrees(text: str, chars: ServiceChars) -> bool:
    if not text.startswith("UNB"):
        return text.startswith("UNH") and text[3:4] == chars.element
    compact = text[:600].replace("\r", "").replace("\n", "")
    return compact[3:4] == chars.element and chars.terminator in compact


def _infer_chars(text: str) -> ServiceChars:
    """Separators from UNB's shape: ``UNB<e>UNOA<c>4<e>...`` and the char before UNH/UNG."""
    compact = text[:4096].replace("\r", "").replace("\n", "")
    element = compact[3:4] or "+"
    component = ":"
    syntax = re.match(r"UNB.\s*[A-Z]{4}(.)", compact)
    if syntax and not syntax.group(1).isalnum() and syntax.group(1) != element:
        component = syntax.group(1)
    terminator = "'"
    nxt = re.search(r"(\S)\s*UN[GHZ]" + re.escape(element), compact[3:])
    if nxt and not nxt.group(1).isalnum():
        terminator = nxt.group(1)
    return ServiceChars(component, element, ".", "?", " ", terminator)


def _describe(chars: ServiceChars) -> str:
    return (
        f"component {chars.component!r}, element {chars.element!r}, "
        f"release {chars.release!r}, terminator {chars.terminator!r}"
    )


def split_segments(
    text: str, chars: ServiceChars, first_index: int = 1, warnings: list[str] | None = None
) -> list[Segment]:
    """Split decoded text into segments, honouring the release character.

    Tags with spaces around them or in lower case (`` UNB``, ``UNG ``) are read, and
    counted in one warning when ``warnings`` is given."""
    if chars.terminator not in "\r\n":
        text = text.replace("\r", "").replace("\n", "")
        if _HAS_CONTROL.search(text):
            text = text.translate(_CONTROL)
    elif _HAS_CONTROL.search(text):
        text = text.translate(_CONTROL_BUT_LINES)
    rel, term, elem, comp = _release(chars), chars.terminator, chars.element, chars.component
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

    Linear in the input: the pieces of one segment are collected and joined once.
    (Gluing them one by one, and copying each glued piece to count its trailing
    release characters, was quadratic: a 1 MB segment full of ``?'`` took seconds.)
    """
    out: list[str] = []
    pending: list[str] = []
    for piece in pieces:
        if piece[-1:] == rel:  # rare: count the run of release characters at the end
            n = j = len(piece)
            while j and piece[j - 1] == rel:
                j -= 1
            if (n - j) % 2:  # an odd run releases the terminator
                pending.append(piece)
                continue
        if pending:
            pending.append(piece)
            piece = term.join(pending)
            pending = []
        out.append(piece)
    if pending:
        out.append(term.join(pending))
    return out


def _split_released(raw: str, rel: str, elem: str, comp: str, index: int) -> Segment | None:
    """Split one segment character by character: a character after the release
    character is data, whatever it is (``??`` is a literal release character).
    Component boundaries arrive here already as :data:`US`."""
    parts: list[str] = []
    buf: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == rel and i + 1 < n:
            nxt = raw[i + 1]
            buf.append(comp if nxt == US else nxt)
            i += 2
            continue
        if ch == elem:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    tag = parts[0].strip().upper()
    if not tag and len(parts) == 1:
        return None
    del parts[0]
    return Segment(tag, parts, index)


def read(data: bytes, max_bytes: int | None = None) -> list[Interchange]:
    """Bytes -> interchanges (one file may hold several, each with its own UNA)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise ParseError(
            f"message of {len(data)} bytes exceeds the maximum of {max_bytes} bytes",
            status=413,
            position=Position(offset=max_bytes),
        )
    warnings: list[str] = []
    data = _strip_envelope(data, warnings)
    starts = [m.start() for m in _UNA_AT.finditer(data)] or [0]
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
    chars, body = _service_chars(text, warnings)
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
    while end > 0 and body[end - 1] == _release(chars):
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
