"""EDIFACT syntax level: the UNA service string, decoding by the UNB syntax
identifier, and what comes before the interchange (BOM, Type-B envelope).

Lenient where carriers deviate (STANDARDS.md §7): an unusable UNA is replaced by
separators inferred from UNB, undecodable bytes fall back predictably; each
deviation is reported as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
UNA_AT = re.compile(rb"UNA(?=" + _UNA_SIX + rb"\s*UNB)", re.DOTALL)
CONTROL = str.maketrans("", "", "\x00\x01\x02\x03\x04\x1a\x1c\x1d\x1e\x1f\r\n")
HAS_CONTROL = re.compile("[\x00-\x04\x1a\x1c-\x1f]")
CONTROL_BUT_LINES = str.maketrans("", "", "\x00\x01\x02\x03\x04\x1a\x1c\x1d\x1e\x1f")


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


def strip_envelope(data: bytes, warnings: list[str]) -> bytes:
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


def read_service_chars(text: str, warnings: list[str]) -> tuple[ServiceChars, str]:
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


def release_char(chars: ServiceChars) -> str:
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


def service_chars_of(data: bytes) -> ServiceChars:
    """The separators an interchange uses, read from its head only (cheap: for
    callers that rework the raw bytes, such as the redaction of a vault copy)."""
    warnings: list[str] = []
    head = strip_envelope(data[:65536], warnings)[:4096]
    text, _syntax = decode(head, warnings)
    return read_service_chars(text, warnings)[0]
