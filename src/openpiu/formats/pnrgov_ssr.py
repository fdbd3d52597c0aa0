"""PNRGOV ``SSR`` segments: special service requests at PNR, traveller and segment level.

``SSR+CODE:STATUS:QTY:AIRLINE:::FROM:TO:FREE TEXT+SEAT::TRAVELLER REF``.  DOCS,
DOCO, DOCA, FOID, CTCE/CTCM, FQTV and SEAT become model fields; every other code
(meals, wheelchairs, UMNR, ...) is kept as a SpecialService.  Sensitive codes are
parsed like any other: the privacy filter removes them after the parse.  For that
reason no warning here ever carries an SSR's code or text, only tags and
segment numbers.

A mixin of :class:`~openpiu.formats.pnrgov_pnr.PnrReader` rather than an object
holding the reader: a reader that points back at its owner is a reference cycle,
and the parse must leave none behind (see ``edifact.gc_paused``).
"""

from __future__ import annotations

from datetime import date

from openpiu.formats import edifact
from openpiu.formats import pnrgov_segments as values
from openpiu.formats.pnrgov_segments import CHK, HIST, PAX_SECTIONS, SEG
from openpiu.model import (
    BookedTraveller,
    Booking,
    FrequentFlyer,
    ItinerarySegment,
    Seat,
    SpecialService,
)

US = edifact.US
_c = edifact.component_of
# SSRs about one person: at PNR level they wait until the travellers are known.
_PERSONAL = frozenset(("DOCS", "DOCO", "DOCA", "FOID", "FQTV", "SEAT", "CTCE", "CTCM"))


class SsrMixin:
    """The SSR handler of :class:`~openpiu.formats.pnrgov_pnr.PnrReader`; the
    attributes are set by ``PnrReader.start``."""

    booking: Booking
    warnings: list[str]
    section: int
    ref_date: date | None
    traveller: BookedTraveller | None
    segment: ItinerarySegment | None
    pending: list[edifact.Segment]

    def describe(self, seg: edifact.Segment, what: str) -> None:
        raise NotImplementedError

    def find_traveller(self, ref: str, surname: str = "",
                       given: str = "") -> BookedTraveller | None:
        raise NotImplementedError

    def add_contact(self, code: str, value: str, seg: edifact.Segment,
                    target: BookedTraveller | None) -> None:
        raise NotImplementedError

    def _ssr(self, seg: edifact.Segment) -> None:
        comps = seg.parts[0].split(US) if seg.parts else [""]
        code = comps[0].strip().upper()
        section = self.section
        if section == HIST:
            status = comps[1].strip().upper() if len(comps) > 1 else ""
            self.describe(seg, f"SSR {code} {status}".strip())
        elif section in PAX_SECTIONS and self.traveller is not None:
            self._ssr_apply(self.traveller, seg, comps, code)
        elif section in (SEG, CHK):
            self._ssr_segment_level(seg, comps, code)
        elif code in _PERSONAL:
            self.pending.append(seg)  # GR1: the travellers come later
        else:
            self.booking.services.append(_service(comps, code))

    def resolve_pending(self, seg: edifact.Segment) -> None:
        """A PNR-level personal SSR, once the travellers are known."""
        comps = seg.parts[0].split(US)
        code = comps[0].strip().upper()
        target = self.find_traveller(_c(seg.parts, 1, 2))
        if target is not None:
            self._ssr_apply(target, seg, comps, code)
        elif code in ("CTCE", "CTCM"):
            self.add_contact(code, _text(seg, comps), seg, None)
        else:
            self.booking.services.append(_service(comps, code))
            self.warnings.append(f"SSR at segment {seg.index} names no traveller; kept on the PNR")

    # -- per traveller ---------------------------------------------------------------
    def _ssr_apply(self, traveller: BookedTraveller, seg: edifact.Segment, comps: list[str],
                   code: str) -> None:
        if code == "DOCS":
            self._docs(traveller, seg, comps)
        elif code == "DOCA":
            address = values.doca_address(_text(seg, comps))
            if address is not None:
                traveller.addresses.append(address)
        elif code == "DOCO":
            document = values.doco_document(_text(seg, comps), self.ref_date)
            if document is not None:
                traveller.documents.append(document)
        elif code == "FOID":
            document = values.foid_document(_text(seg, comps))
            if document is not None:
                traveller.documents.append(document)
        elif code in ("CTCE", "CTCM"):
            self.add_contact(code, _text(seg, comps), seg, traveller)
        elif code == "FQTV":
            _fqtv(traveller, comps, _text(seg, comps))
        elif code == "SEAT":
            seat = _c(seg.parts, 1).upper() or _text(seg, comps).strip("/ ").upper()
            if seat:
                traveller.seats.append(Seat(seat=seat, segment=_route(comps)))
        else:
            traveller.services.append(_service(comps, code))

    def _docs(self, traveller: BookedTraveller, seg: edifact.Segment, comps: list[str]) -> None:
        text = _text(seg, comps)
        fields, shifted = values.docs_fields(text)
        if shifted:
            self.warnings.append(f"DOCS fields shifted by one at segment {seg.index}; realigned")
        document, dob, gender, nationality, infant = values.docs_document(fields, self.ref_date)
        problem = values.apply_docs(traveller, document, dob, gender, nationality, infant,
                                    _service(comps, "DOCS", text))
        if problem == "infant":
            self.warnings.append(f"infant DOCS under an adult at segment {seg.index}; "
                                 "kept as a service, not as the adult's identity")
        elif problem == "no_number":
            self.warnings.append(f"DOCS without a document number at segment {seg.index}")

    # -- per segment -------------------------------------------------------------------
    def _ssr_segment_level(self, seg: edifact.Segment, comps: list[str], code: str) -> None:
        route = _route(comps) or (self.segment.route if self.segment is not None else None)
        if code == "SEAT":
            # Each element after the first: a seat and the traveller it is for.
            for element in seg.parts[1:] or [""]:
                seat_comps = element.split(US)
                seat = seat_comps[0].strip().upper()
                if not seat:
                    continue
                ref = seat_comps[2].strip() if len(seat_comps) > 2 else ""
                target = self.find_traveller(ref)
                if target is None:
                    self.warnings.append(f"seat request at segment {seg.index} names no "
                                         "traveller")
                    continue
                target.seats.append(Seat(seat=seat, segment=route))
            return
        target = self.find_traveller(_c(seg.parts, 1, 2)) if len(seg.parts) > 1 else None
        if target is not None and code in _PERSONAL:
            self._ssr_apply(target, seg, comps, code)
            return
        service = _service(comps, code)
        service.segment = service.segment or route
        (target.services if target is not None else self.booking.services).append(service)


# -- helpers -------------------------------------------------------------------------

def _fqtv(traveller: BookedTraveller, comps: list[str], text: str) -> None:
    value = text.strip("/ ").upper().replace(" ", "")
    airline = comps[3].strip().upper() if len(comps) > 3 and comps[3].strip() else None
    if len(value) > 2 and value[:2].isalnum() and not value[:2].isdigit():
        airline, value = value[:2], value[2:]
    if value and all(f.number != value for f in traveller.frequent_flyers):
        traveller.frequent_flyers.append(FrequentFlyer(airline, value))


def _text(seg: edifact.Segment, comps: list[str]) -> str:
    text = values.free_text(comps, 8)
    if not text:
        # Some carriers put the free text in the next element instead.
        text = next((p.replace(US, ":").strip() for p in seg.parts[1:] if "/" in p), "")
    return text


def _route(comps: list[str]) -> str | None:
    board = comps[6].strip().upper() if len(comps) > 6 else ""
    off = comps[7].strip().upper() if len(comps) > 7 else ""
    return f"{board}-{off}" if board and off else None


def _service(comps: list[str], code: str, text: str | None = None) -> SpecialService:
    n = len(comps)
    status = comps[1].strip().upper() if n > 1 else ""
    airline = comps[3].strip().upper() if n > 3 else ""
    return SpecialService(
        code=code or "?", status=status or None,
        text=(text if text is not None else values.free_text(comps, 8)) or None,
        airline=airline or None, segment=_route(comps),
    )
