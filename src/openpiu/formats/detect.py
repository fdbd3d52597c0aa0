"""Which kind of message a byte string is, from its header or root element.

Not a substring search: an EDIFACT interchange is read up to its first UNH and
the message type taken from that segment; an XML document is known by the name of
its root element.  Input that is neither EDIFACT nor XML is refused before it
reaches the vault (DESIGN.md: *rejected*), everything else is kept.
"""

from __future__ import annotations

import re

from openpiu.errors import ParseError, PiuError, Position
from openpiu.formats import edifact
from openpiu.model import MessageKind

_EDIFACT_TYPES = {
    "PAXLST": MessageKind.PAXLST,
    "PNRGOV": MessageKind.PNRGOV,
    "CUSRES": MessageKind.CUSRES,
}
_XML_ROOTS = {"IATA_PNRGOV_NotifRQ": MessageKind.PNRGOV_XML}
# The first element after the XML declaration, comments and a DOCTYPE.
_XML_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_UNH = re.compile(rb"UNH[^A-Za-z0-9\s]")
_SNIFF_LIMIT = 65536  # the header must be within the first 64 KiB


def looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def detect(data: bytes) -> tuple[MessageKind, str]:
    """(kind, message type as named in the input); ParseError when neither EDIFACT
    nor XML, which callers count as *rejected*."""
    if not data.strip():
        raise ParseError("empty input", position=Position(offset=0))
    if looks_like_xml(data):
        match = _XML_ROOT.search(data[:_SNIFF_LIMIT])
        if match is None:
            raise ParseError("XML without a root element", position=Position(offset=0))
        root = match.group(1).decode("ascii", "replace")
        return _XML_ROOTS.get(root, MessageKind.UNKNOWN), root
    head = data[:_SNIFF_LIMIT]
    unh = _UNH.search(head)
    if unh is None:
        raise ParseError(
            "not an EDIFACT message or XML document: no UNH segment found",
            position=Position(offset=0),
        )
    # Read just past the first UNH: enough for its message type, cheap for big files.
    try:
        interchanges = edifact.read(head[: unh.end() + 512])
    except PiuError as exc:
        raise ParseError(
            f"not a readable EDIFACT message: {exc.detail}", position=exc.position
        ) from None
    for interchange in interchanges:
        for message in interchange.messages:
            code = message.type_code
            return _EDIFACT_TYPES.get(code, MessageKind.UNKNOWN), code or "(none)"
    raise ParseError("no UNH message header could be read", position=Position(tag="UNH"))
