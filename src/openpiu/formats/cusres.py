"""CUSRES (D:05B, IATA profile): the interactive API answer, one directive per traveller.

Pure: a :class:`Cusres` in, bytes out (and back, for tests and for carriers'
test harnesses).  The shape copies the China NIA iAPI traffic and
``shared/examples/cusres_example.edi`` (STANDARDS.md §3)::

    UNA, UNB ..++IAPI, UNG+CUSRES..+UN+D:05B, UNH+ref+CUSRES:D:05B:UN:IATA+<0068>+01:F
    BGM+962, RFF+TN, RFF+AF, DTM+189, DTM+232, LOC+125, LOC+87
    per traveller: ERP+2, RFF+AVF, RFF+ABO, ERC+<directive>, FTX+AAP+++<text>
    UNT, UNE, UNZ

Escaping, trimming and separators are :class:`EdifactWriter`'s (the PAXLST
writer's), so a released ``?``, ``'`` or ``+`` in a record locator or in a
country's directive text round-trips.  Control characters are dropped: no
reader would keep them, and UNOA/UNOB cannot carry them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from openpiu.errors import ParseError, Position
from openpiu.formats import edifact
from openpiu.formats.paxlst_writer import DEFAULT_UNA, EdifactWriter, cached_writer

MESSAGE_TYPE = ("CUSRES", "D", "05B", "UN", "IATA")
ANSWER_DOCUMENT = "962"  # BGM 1001 seen on iAPI answers
FTX_MAX = 512  # FTX 4440 is an..512
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_STAMP = "%y%m%d%H%M"


@dataclass(frozen=True, slots=True)
class Directive:
    """``ERC`` code and ``FTX+AAP`` text, e.g. ``0Z`` / ``OK TO BOARD``."""

    code: str
    text: str

    @classmethod
    def parse(cls, setting: str) -> Directive:
        """``"0Z:OK TO BOARD"`` -> Directive("0Z", "OK TO BOARD")."""
        code, _, text = setting.partition(":")
        return cls(code.strip(), text.strip())


@dataclass(frozen=True, slots=True)
class Answer:
    """One traveller's line: the carrier's references to him and the directive."""

    record_locator: str | None  # RFF AVF, as the carrier sent it
    passenger_ref: str | None  # RFF ABO, the carrier's unique passenger reference
    directive: Directive


@dataclass(frozen=True)
class Cusres:
    sender: str  # the PIU, "ID" or "ID:QUAL" (the PAXLST's recipient)
    recipient: str  # the carrier (the PAXLST's sender)
    prepared_at: datetime
    interchange_ref: str  # UNB 0020, e.g. 000000418
    answers: tuple[Answer, ...]
    common_access_ref: str | None = None  # UNH 0068, the PAXLST's flight key
    transaction_ref: str | None = None  # RFF TN of the PAXLST
    flight: str | None = None  # RFF AF, the designator, e.g. ZZ0123
    departure: datetime | None = None  # DTM 189, local
    arrival: datetime | None = None  # DTM 232, local
    origin: str | None = None  # LOC 125
    destination: str | None = None  # LOC 87
    document_code: str = ANSWER_DOCUMENT
    application_ref: str = "IAPI"
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def group_ref(self) -> str:
        return self.interchange_ref.lstrip("0") or "0"

    @property
    def message_ref(self) -> str:
        return "RES" + self.group_ref


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return _CONTROL.sub("", value) or None


def _party(value: str) -> tuple[str, str]:
    ident, _, qual = _CONTROL.sub("", value).partition(":")
    return ident or "UNKNOWN", qual or "ZZ"


def _syntax(body: str) -> tuple[str, str]:
    """The UNB syntax identifier the data needs: UNOA (upper case), UNOB, or UNOW."""
    if not body.isascii():
        return "UNOW", "utf-8"
    return ("UNOB" if body.upper() != body else "UNOA"), "ascii"


def _message(w: EdifactWriter, c: Cusres) -> list[str]:
    segs = [w.segment("UNH", c.message_ref, MESSAGE_TYPE, _clean(c.common_access_ref),
                      ("01", "F"))]  # fmt: skip
    segs.append(w.segment("BGM", c.document_code))
    if _clean(c.transaction_ref):
        segs.append(w.segment("RFF", ("TN", _clean(c.transaction_ref))))
    if _clean(c.flight):
        segs.append(w.segment("RFF", ("AF", _clean(c.flight))))
    if c.departure:
        segs.append(w.segment("DTM", ("189", c.departure.strftime(_STAMP), "201")))
    if c.arrival:
        segs.append(w.segment("DTM", ("232", c.arrival.strftime(_STAMP), "201")))
    if _clean(c.origin):
        segs.append(w.segment("LOC", "125", _clean(c.origin)))
    if _clean(c.destination):
        segs.append(w.segment("LOC", "87", _clean(c.destination)))
    for a in c.answers:
        segs.append(w.segment("ERP", "2"))
        if _clean(a.record_locator):
            segs.append(w.segment("RFF", ("AVF", _clean(a.record_locator))))
        if _clean(a.passenger_ref):
            segs.append(w.segment("RFF", ("ABO", _clean(a.passenger_ref))))
        segs.append(w.segment("ERC", _clean(a.directive.code)))
        text = (_clean(a.directive.text) or "")[:FTX_MAX]
        segs.append(w.segment("FTX", "AAP", None, None, text))
    segs.append(w.segment("UNT", len(segs) + 1, c.message_ref))  # UNH..UNT inclusive
    return segs


def write_cusres(c: Cusres, *, una: str = DEFAULT_UNA, newline: bool = True) -> bytes:
    """The answer as one interchange (UNA ... UNZ), every count right."""
    w = cached_writer(una, newline)
    body = "".join(_message(w, c))
    syntax, codec = _syntax(body)
    sender, recipient = _party(c.sender), _party(c.recipient)
    when = (c.prepared_at.strftime("%y%m%d"), c.prepared_at.strftime("%H%M"))
    ref = _CONTROL.sub("", c.interchange_ref) or "1"
    head = [
        w.una_segment(),
        w.segment("UNB", (syntax, "4"), sender, recipient, when, ref, None, c.application_ref),
        w.segment("UNG", "CUSRES", sender, recipient, when, c.group_ref, "UN", ("D", "05B")),
    ]
    tail = [w.segment("UNE", 1, c.group_ref), w.segment("UNZ", 1, ref)]
    return ("".join(head) + body + "".join(tail)).encode(codec)


# -- reading (tests, and a carrier's view of what we sent) -------------------------------


def _value(seg: edifact.Segment, element: int, component: int = 0) -> str:
    """A component as sent (unstripped: spaces are data), "" when absent."""
    comps = seg.components(element)
    return comps[component] if component < len(comps) else ""


def _when(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, _STAMP) if text else None
    except ValueError:
        return None


def read_cusres(data: bytes) -> Cusres:
    """The first CUSRES in ``data``; the tokenizer's envelope warnings (counts,
    references) are kept on ``warnings``.  ParseError when there is none."""
    found, warnings = edifact.messages_of_type(data, "CUSRES")
    message, _chars = found[0]
    warnings = warnings + message.warnings
    unb = message.interchange
    if unb is None:
        raise ParseError("CUSRES without UNB", position=Position(tag="UNB"))
    prepared = _when(unb.get(3, 0) + unb.get(3, 1)) or datetime(1970, 1, 1)
    head: dict[str, str] = {}
    dates: dict[str, datetime | None] = {}
    answers: list[Answer] = []
    current: dict[str, str] | None = None

    def close() -> None:
        if current is not None:
            answers.append(
                Answer(
                    current.get("AVF") or None,
                    current.get("ABO") or None,
                    Directive(current.get("ERC", ""), current.get("FTX", "")),
                )
            )

    for seg in message.body:
        tag = seg.tag
        if tag == "ERP":
            close()
            current = {}
        elif tag == "RFF":
            target = head if current is None else current
            target[_value(seg, 0, 0)] = _value(seg, 0, 1)
        elif tag == "DTM":
            dates[_value(seg, 0, 0)] = _when(_value(seg, 0, 1))
        elif tag == "LOC":
            head["LOC" + _value(seg, 0)] = _value(seg, 1)
        elif tag == "BGM":
            head["BGM"] = _value(seg, 0)
        elif tag in ("ERC", "FTX") and current is not None:
            current[tag] = _value(seg, 0) if tag == "ERC" else _value(seg, 3)
    close()
    party = ":".join(p for p in (unb.get(1, 0), unb.get(1, 1)) if p)
    to = ":".join(p for p in (unb.get(2, 0), unb.get(2, 1)) if p)
    return Cusres(
        sender=party, recipient=to, prepared_at=prepared, interchange_ref=unb.get(4),
        answers=tuple(answers), common_access_ref=_value(message.header, 2) or None,
        transaction_ref=head.get("TN") or None, flight=head.get("AF") or None,
        departure=dates.get("189"), arrival=dates.get("232"),
        origin=head.get("LOC125") or None, destination=head.get("LOC87") or None,
        document_code=head.get("BGM", ""), application_ref=unb.get(6), warnings=warnings,
    )  # fmt: skip
