"""Pure codecs, bytes <-> domain objects: no I/O, no database, no clock."""

from __future__ import annotations

from openpiu.errors import ParseError
from openpiu.model import MessageKind, ParsedFile


def parse(kind: MessageKind, raw: bytes, max_bytes: int | None = None) -> ParsedFile:
    """Parse ``raw`` as a message of ``kind`` (see :func:`openpiu.formats.detect.detect`)."""
    if kind is MessageKind.PAXLST:
        from openpiu.formats.paxlst import parse_paxlst

        return parse_paxlst(raw, max_bytes)
    if kind is MessageKind.PNRGOV:
        from openpiu.formats.pnrgov import parse_pnrgov

        return parse_pnrgov(raw, max_bytes)
    if kind is MessageKind.PNRGOV_XML:
        try:
            from openpiu.formats.pnrgov_xml import parse_pnrgov_xml
        except ImportError:
            raise ParseError("PNRGOV XML is not processed by this version") from None
        return parse_pnrgov_xml(raw, max_bytes)
    raise ParseError(f"message kind {kind.value} is not processed (unsupported type)")
