"""PAXLST (Advance Passenger Information) -> :class:`~openpiu.model.Manifest`.

Reads UN/EDIFACT PAXLST of directories D:02B, D:05B, D:12B and D:15B (the
WCO/IATA/ICAO API Guidelines' air profile) and the legacy US-EDIFACT PAXLST
(``PAXLST:001:000`` with UNS/PDT) that still circulates.  The parser is a
single pass over the segments with a small context (reporting party, flight,
traveller, document); segments in unexpected places are attached where their
meaning is clear, and every deviation becomes a warning on the manifest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from openpiu.formats import edifact
from openpiu.formats.dates import (
    parse_date,
    parse_datetime,
    parse_unb_datetime,
    two_digit_dates,
)
from openpiu.formats.paxlst_legacy import read_pdt
from openpiu.model import (
    Address,
    Contact,
    Envelope,
    Flight,
    Leg,
    ListAction,
    Manifest,
    MessageKind,
    ParsedFile,
    ReportingParty,
    Role,
    TravelDocument,
    Traveller,
)
from openpiu.reference import country_alpha3, to_utc

_TRAVELLER_QUALIFIERS = {
    "FL": (Role.PASSENGER, False),
    "FM": (Role.CREW, False),
    "DDU": (Role.PASSENGER, True),
    "DDT": (Role.CREW, True),
}
_CONTACT_KINDS = {"TE": "phone", "FX": "fax", "EM": "email"}
_DESIGNATOR = re.compile(r"^\s*([A-Z]{3}|[A-Z0-9]{2})\s*0*(\d{1,5}[A-Z]?)\s*$")


def parse_paxlst(data: bytes, max_bytes: int | None = None) -> ParsedFile:
    """Parse every PAXLST message in ``data``; raise ParseError if there is none."""
    with edifact.gc_paused():
        return _parse(data, max_bytes)


def _parse(data: bytes, max_bytes: int | None) -> ParsedFile:
    found, warnings = edifact.messages_of_type(data, "PAXLST", max_bytes)
    manifests = [_ManifestReader(message, chars).read() for message, chars in found]
    return ParsedFile(kind=MessageKind.PAXLST, manifests=manifests, warnings=warnings)


def envelope_of(message: edifact.Message) -> Envelope:
    """The service-segment facts of a message (shared with the PNRGOV parser)."""
    unb, unh = message.interchange, message.header
    env = Envelope(message_ref=unh.get(0).strip() or None, message_type=message.message_type)
    env.common_access_ref = unh.get(2).strip() or None
    part = unh.get(3).strip()
    if part:
        env.part_number = _count(part) or 1
        env.final_part = unh.get(3, 1).strip().upper() != "C"
    if unb is not None:
        syntax = [c for c in unb.elements[0][:2] if c] if unb.elements else []
        env.syntax = ":".join(syntax) or None
        env.sender = unb.get(1).strip() or None
        env.recipient = unb.get(2).strip() or None
        env.prepared_at = parse_unb_datetime(unb.get(3), unb.get(3, 1))
        env.interchange_ref = unb.get(4).strip() or None
        env.application_ref = unb.get(6).strip() or None
    return env


def split_designator(designator: str, carrier_hint: str = "") -> tuple[str, str] | None:
    """``ZZ0123`` -> (``ZZ``, ``123``): flight numbers compare without leading zeros."""
    text = designator.strip().upper().replace(" ", "")
    hint = carrier_hint.strip().upper()
    if hint and text.startswith(hint) and text[len(hint):].strip("0").isalnum():
        number = text[len(hint):].lstrip("0") or "0"
        return hint, number
    if text.isdigit():
        # A number alone (TDT+20+0123+++ZZ): the carrier is the hint.  The pattern below
        # would have read "0123" as carrier "01", flight "23"; no IATA designator is
        # all digits.
        return (hint, text.lstrip("0") or "0") if hint else None
    match = _DESIGNATOR.match(text)
    if match:
        return match.group(1), match.group(2).lstrip("0") or "0"
    return None


class _ManifestReader:
    """One pass over one PAXLST message."""

    def __init__(self, message: edifact.Message, chars: edifact.ServiceChars) -> None:
        self.message = message
        self.decimal = chars.decimal
        self.envelope = envelope_of(message)
        self.warnings: list[str] = list(message.warnings)
        self.legacy = message.header.get(1, 1).strip() == "001"
        self.points: list[list[object]] = []  # [airport, departure, arrival] in order
        self.designator = ""
        self.carrier_hint = ""
        self.flight: Flight | None = None
        self.flight_done = False
        self.travellers: list[Traveller] = []
        self.traveller: Traveller | None = None
        self.document: TravelDocument | None = None
        self.party: ReportingParty | None = None
        self.unknown: dict[str, int] = {}
        self.raw_dates: list[tuple[object, str, str, str, edifact.Segment]] = []

    # -- the pass ---------------------------------------------------------------
    def read(self) -> Manifest:
        code, subcode = "745", None
        transaction_ref = None
        declared: dict[str, int] = {}
        handlers = self._handlers()
        for seg in self.message.body:
            tag = seg.tag
            handler = handlers.get(tag)
            if handler is not None:
                handler(seg)
            elif tag == "RFF":
                qualifier, value = _pair(seg.parts)
                qualifier = qualifier.upper()
                if self.traveller is not None:
                    self._rff(qualifier, value)
                elif qualifier == "TN":
                    transaction_ref = value or None
            elif tag == "BGM":
                code = _c(seg.parts, 0) or code
                subcode = _c(seg.parts, 1).upper() or None
            elif tag == "CNT":
                for element in seg.elements:
                    number = _count(element[1]) if len(element) > 1 else None
                    if number is not None:
                        declared[element[0].strip()] = number
                    elif len(element) > 1 and element[1].strip():
                        self.warnings.append(f"CNT value {element[1].strip()[:20]!r} is not "
                                             f"a count (segment {seg.index})")
            elif tag in ("CTA", "UNS", "QTY"):
                pass  # contact name; legacy section control; nothing to keep
            else:
                self.unknown[tag] = self.unknown.get(tag, 0) + 1
        self._finish_flight()
        self._resolve_dates()
        return self._manifest(code, subcode, transaction_ref, declared)

    def _handlers(self) -> dict[str, Callable[[edifact.Segment], None]]:
        return {
            "NAD": self._nad, "DTM": self._dtm, "LOC": self._loc, "DOC": self._doc,
            "ATT": self._att, "NAT": self._nat, "COM": self._com, "MEA": self._mea,
            "GEI": self._gei, "FTX": self._ftx, "EMP": self._emp, "TDT": self._tdt,
            "PDT": self._pdt,
        }

    # -- flight ------------------------------------------------------------------
    def _tdt(self, seg: edifact.Segment) -> None:
        if self.traveller is not None:
            self.warnings.append(f"TDT after the first traveller ignored (segment {seg.index})")
            return
        if not self.designator:
            self.designator = seg.get(1).strip()
            self.carrier_hint = seg.get(4).strip() or seg.get(3).strip()

    def _loc(self, seg: edifact.Segment) -> None:
        parts = seg.parts
        qualifier = parts[0].strip() if parts else ""
        place = parts[1].partition(US)[0].strip().upper() if len(parts) > 1 else ""
        traveller = self.traveller
        if traveller is None:
            if qualifier in ("125", "87", "92", "005", "008"):
                if self.points and self.points[-1][0] == place:
                    return  # the same airport again: arrival there, then departure
                self.points.append([place, None, None])
            # 130 final destination and the master crew list's 188/172: informative.
            return
        if qualifier == "91" and self.document is not None:
            self.document.issuing_country = self._country(place, seg, "issuing country")
        elif qualifier == "178":
            traveller.embarkation = place or None
        elif qualifier == "179":
            traveller.debarkation = place or None
        elif qualifier == "174":
            traveller.residence_country = self._country(place, seg, "residence")
        elif qualifier == "22":
            traveller.clearance = place or None
        elif qualifier == "180":
            self._place_of_birth(seg)

    def _place_of_birth(self, seg: edifact.Segment) -> None:
        assert self.traveller is not None
        pieces = seg.components(1)
        text = " ".join(c.strip() for c in pieces if c.strip())
        words = text.split()
        if words and len(words[-1]) == 3 and country_alpha3(words[-1]):
            self.traveller.birth_country = country_alpha3(words[-1])
            words = words[:-1]
        self.traveller.place_of_birth = " ".join(words) or None

    def _dtm(self, seg: edifact.Segment) -> None:
        qualifier, value = _pair(seg.parts)
        if self.traveller is None:
            if self.points and qualifier in ("189", "232", "554"):
                slot = 1 if qualifier == "189" else 2
                self.points[-1][slot] = value
            return
        if self.document is not None and qualifier in ("36", "182"):
            self.raw_dates.append((self.document, qualifier, value, "doc", seg))
        elif qualifier == "329":
            self.raw_dates.append((self.traveller, qualifier, value, "dob", seg))
        elif qualifier in ("36", "182"):
            self.warnings.append(
                f"document date at segment {seg.index} outside a DOC group ignored")

    def _finish_flight(self) -> None:
        # Called at every traveller; the flight is settled once (a missing or unreadable
        # flight used to repeat its warnings once per traveller).
        if self.flight_done:
            return
        self.flight_done = True
        legs: list[Leg] = []
        points = self.points
        for here, there in zip(points, points[1:], strict=False):
            dep_local = parse_datetime(str(here[1])) if here[1] else None
            arr_local = parse_datetime(str(there[2])) if there[2] else None
            # An unreadable flight time used to vanish without a word.
            if here[1] and dep_local is None:
                self.warnings.append(f"departure time {here[1]!r} at {here[0]} not understood")
            if there[2] and arr_local is None:
                self.warnings.append(f"arrival time {there[2]!r} at {there[0]} not understood")
            legs.append(Leg(
                departure_airport=str(here[0]) or None,
                arrival_airport=str(there[0]) or None,
                departure_local=dep_local,
                departure_utc=to_utc(dep_local, str(here[0])),
                arrival_local=arr_local,
                arrival_utc=to_utc(arr_local, str(there[0])),
            ))
        if len(points) == 1:
            self.warnings.append("only one flight airport (LOC 125 or 87) given")
        if not self.designator:
            return
        split = split_designator(self.designator, self.carrier_hint)
        if split is None:
            self.warnings.append(f"flight designator {self.designator!r} not understood")
            return
        first = legs[0] if legs else None
        when = (first.departure_local or first.arrival_local) if first else None
        flight_date = when.date() if when else self._common_access_date()
        if when is None:
            self.warnings.append("no departure time (DTM 189); flight date taken from UNH")
        self.flight = Flight(split[0], split[1], self.designator, flight_date, legs)

    def _common_access_date(self) -> date | None:
        """Flight date from the UNH common access reference, e.g. ZZ0123/250315/0815."""
        for token in (self.envelope.common_access_ref or "").split("/")[1:]:
            found = parse_date(token, None, "flight") if len(token) == 6 else None
            if found:
                return found
        return None

    # -- travellers --------------------------------------------------------------
    def _nad(self, seg: edifact.Segment) -> None:
        qualifier = _c(seg.parts, 0).upper()
        if qualifier in _TRAVELLER_QUALIFIERS:
            self._finish_flight()
            role, transit = _TRAVELLER_QUALIFIERS[qualifier]
            self._start_traveller(seg, role, transit)
        elif qualifier == "MS":
            self.party = ReportingParty(name=_c(seg.parts, 3) or _c(seg.parts, 1) or None)
        else:
            self.warnings.append(f"NAD qualifier {qualifier!r} at segment {seg.index} ignored")

    def _start_traveller(self, seg: edifact.Segment, role: Role, transit: bool) -> None:
        els = seg.elements
        names = els[3] if len(els) > 3 else []
        if not "".join(names).strip():
            # Some carriers put the name in C082 or C058; take the first that has text.
            names = next((els[i] for i in (1, 2) if len(els) > i and "".join(els[i]).strip()), [])
            if names:
                self.warnings.append(f"name not in NAD element 4 at segment {seg.index}")
        surname = names[0].strip() if names else ""
        given = " ".join(n.strip() for n in names[1:] if n.strip())
        if not surname:
            self.warnings.append(f"traveller without a surname at segment {seg.index}")
        traveller = Traveller(role=role, surname=surname, given_names=given, in_transit=transit)
        address = [p.partition(US)[0].strip() for p in seg.parts[4:9]]
        address += [""] * (5 - len(address))  # street, city, subdivision, postcode, country
        if any(address):
            traveller.address = Address(
                street=" ".join(c.strip() for c in els[4] if c.strip()) or None,
                city=address[1] or None, subdivision=address[2] or None,
                postcode=address[3] or None,
                country=country_alpha3(address[4]) or address[4] or None,
            )
        self.travellers.append(traveller)
        self.traveller, self.document = traveller, None

    def _nat(self, seg: edifact.Segment) -> None:
        if self.traveller is not None:
            code = _first(seg.parts, 1).upper()
            self.traveller.nationality = self._country(code, seg, "nationality")

    def _gei(self, seg: edifact.Segment) -> None:
        if self.traveller is not None:
            flag = _first(seg.parts, 1)
            self.traveller.verified = True if flag == "173" else False if flag == "174" else None

    def _ftx(self, seg: edifact.Segment) -> None:
        if self.traveller is not None and _c(seg.parts, 0).upper() == "BAG":
            tag_no, count = _c(seg.parts, 3), _c(seg.parts, 3, 1)
            if tag_no:
                self.traveller.bag_tags.append((tag_no, _count(count) or 1))

    def _emp(self, seg: edifact.Segment) -> None:
        if self.traveller is not None:
            self.traveller.crew_role = _first(seg.parts, 1) or None

    def _att(self, seg: edifact.Segment) -> None:
        if self.traveller is None:
            return
        value = (_first(seg.parts, 2) or _first(seg.parts, 1)).upper()[:1]
        if value in ("M", "F", "U", "X"):
            self.traveller.gender = value
        elif value:
            self.warnings.append(f"gender {value!r} not understood at segment {seg.index}")

    def _rff(self, qualifier: str, value: str) -> None:
        traveller = self.traveller
        assert traveller is not None
        value = value or ""
        if qualifier == "AVF":
            traveller.record_locator = value or None
        elif qualifier == "ABO":
            traveller.passenger_ref = value or None
        elif qualifier == "SEA":
            traveller.seat = value or None
        elif qualifier == "AEA":
            traveller.government_ref = value or None
        elif qualifier == "CR":
            traveller.frequent_flyer = value or None
        elif qualifier == "YZY":
            traveller.ticket = value or None

    def _com(self, seg: edifact.Segment) -> None:
        contacts = [
            Contact(_CONTACT_KINDS.get(el[1].strip().upper(), "other") if len(el) > 1 else "phone",
                    el[0].strip())
            for el in seg.elements if el and el[0].strip()
        ]
        if self.traveller is not None:
            self.traveller.contacts.extend(contacts)
        elif self.party is not None:
            self.party.contacts.extend(contacts)

    def _mea(self, seg: edifact.Segment) -> None:
        if self.traveller is None:
            return
        kind = _first(seg.parts, 0).upper()
        unit, value = _pair(seg.parts[2:3])
        number = _number(value, self.decimal)
        if number is None:
            if value:
                self.warnings.append(f"MEA value {value!r} not a number at segment {seg.index}")
            return
        if kind == "CT":
            self.traveller.bag_count = int(number)
        elif kind == "WT":
            self.traveller.bag_weight = number
            self.traveller.bag_weight_unit = unit.upper() or None

    def _doc(self, seg: edifact.Segment) -> None:
        if self.traveller is None:
            self.warnings.append(f"DOC before any traveller at segment {seg.index} ignored")
            return
        doc_type, number = _first(seg.parts, 0).upper(), _first(seg.parts, 1).upper()
        if not number:
            self.warnings.append(f"document without a number at segment {seg.index}")
        self.document = TravelDocument(doc_type=doc_type or "?", number=number)
        self.traveller.documents.append(self.document)

    def _pdt(self, seg: edifact.Segment) -> None:
        """Legacy US-EDIFACT passenger detail: a whole traveller in one segment."""
        self._finish_flight()
        traveller, raw_dates = read_pdt(seg, self.warnings)
        self.travellers.append(traveller)
        self.traveller, self.document = traveller, None
        for target, qualifier, value in raw_dates:
            kind = "dob" if qualifier == "329" else "doc"
            self.raw_dates.append((target, qualifier, value, kind, seg))

    def _country(self, code: str, seg: edifact.Segment, what: str) -> str | None:
        if not code:
            return None
        alpha3 = country_alpha3(code)
        if alpha3 is None:
            self.warnings.append(f"{what} {code!r} is not a country code (segment {seg.index})")
            return code[:3]
        return alpha3

    # -- the end -----------------------------------------------------------------
    def _resolve_dates(self) -> None:
        """Two-digit years need the flight date, known only once the legs are read."""
        flight_day = self.flight.flight_date if self.flight else None
        prepared = self.envelope.prepared_at
        ref = flight_day or (prepared.date() if prepared else None)
        kinds = {"329": "birth", "36": "expiry", "182": "issue"}
        read = two_digit_dates(ref)
        for target, qualifier, value, _kind, seg in self.raw_dates:
            parsed = read(value, kinds[qualifier])
            if parsed is None:
                self.warnings.append(f"date {value!r} not understood (segment {seg.index}, "
                                     f"DTM {qualifier})")
                continue
            if qualifier == "329":
                target.dob = parsed  # type: ignore[attr-defined]
            elif qualifier == "36":
                target.expiry = parsed  # type: ignore[attr-defined]
            else:
                target.issue_date = parsed  # type: ignore[attr-defined]

    def _manifest(self, code: str, subcode: str | None, transaction_ref: str | None,
                  declared: dict[str, int]) -> Manifest:
        action = _action(code, subcode)
        if self.flight is None and code != "336":
            self.warnings.append("no flight identification (TDT with a flight number)")
        if self.unknown:
            listed = ", ".join(f"{t}x{n}" for t, n in sorted(self.unknown.items()))
            self.warnings.append(f"segments not used by PAXLST ignored: {listed}")
        if not self.envelope.final_part or self.envelope.part_number > 1:
            more = "" if self.envelope.final_part else " (more parts follow)"
            self.warnings.append(f"part {self.envelope.part_number} of a multi-part message"
                                 f"{more}: incomplete on its own")
        else:
            self._check_totals(declared)
        return Manifest(
            envelope=self.envelope, document_code=code, document_subcode=subcode, action=action,
            flight=self.flight, travellers=self.travellers, transaction_ref=transaction_ref,
            reporting_party=self.party, declared_passengers=declared.get("42"),
            declared_crew=declared.get("41"), warnings=self.warnings, legacy=self.legacy,
        )

    def _check_totals(self, declared: dict[str, int]) -> None:
        for qualifier, role in (("42", Role.PASSENGER), ("41", Role.CREW)):
            if qualifier in declared:
                present = sum(1 for t in self.travellers if t.role is role)
                if present != declared[qualifier]:
                    self.warnings.append(f"CNT {qualifier} declares {declared[qualifier]} "
                                         f"{role.value}s, {present} present")


_c = edifact.component_of
US = edifact.US


def _first(parts: list[str], element: int) -> str:
    """The first component of an element, stripped; ``""`` when absent."""
    return parts[element].partition(US)[0].strip() if element < len(parts) else ""


def _pair(parts: list[str]) -> tuple[str, str]:
    """Qualifier and value of a ``TAG+qualifier:value`` segment (DTM, RFF)."""
    if not parts:
        return "", ""
    qualifier, _, rest = parts[0].partition(US)
    return qualifier.strip(), rest.partition(US)[0].strip()


def _action(code: str, subcode: str | None) -> ListAction:
    if code == "266":
        if subcode in ("CL", "CLNB", "CLOB"):
            return ListAction.CLOSE
        return ListAction.CANCEL_FLIGHT if subcode == "XF" else ListAction.CHANGE_FLIGHT
    if code == "745":
        if subcode == "CP":
            return ListAction.CHANGE
        if subcode in ("XR", "RP"):
            return ListAction.CANCEL
        return ListAction.FULL
    if code == "655":
        return ListAction.CHANGE  # gate passes add people; they never replace the list
    # 250 crew list (its sub-codes name the kind of flight and crew change, and each is
    # a whole list) and 336 master crew list.
    return ListAction.FULL


def _number(value: str, decimal: str) -> float | None:
    """A finite number; ``INF`` and ``NAN`` (which float() accepts) are not numbers
    here: int() of them raised OverflowError / ValueError out of the parser."""
    try:
        number = float(value.replace(decimal, ".") if decimal != "." else value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _count(value: str) -> int | None:
    """A count or sequence number: ASCII digits only, at most 9 of them.

    ``str.isdigit`` accepts superscripts such as ``²`` that int() refuses, and int()
    refuses more than 4300 digits; both escaped the parser as ValueError.
    """
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None
