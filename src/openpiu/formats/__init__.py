"""Pure codecs, bytes <-> domain objects: no I/O, no database, no clock."""

from __future__ import annotations

from openpiu.errors import ParseError
from openpiu.model import MessageKind, ParsedFile


def parse(kind: MessageKind, raw: bytes, max_bytes: int | None = None) -> ParsedFile:
    """Parse ``raw`` as a message of ``kind`` (see :func:`openpiu.formats.detect.detect`)."""
    if kind is MessageKind.PAXLST:
        from openpiu.formats.paxlst import parse_paxlst

        return parse_paxlst(raw, max_bytes)
    if kind in (MessageKind.PNRGOV, MessageKind.PNRGOV_XML):
        raise ParseError(
            "PNRGOV messages are kept but not yet processed by this version; "
            "run 'piu reprocess' after upgrading"
        )
    raise ParseError(f"message kind {kind.value} is not processed (unsupported type)")
