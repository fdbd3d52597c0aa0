"""Domain types shared by every step of the flow.

Plain dataclasses with ``__slots__``: the parsers build many of them in hot loops,
and the store and the CLI read them without a framework in between.  Times follow
the house rule: flight times are kept as the carrier sent them (local, naive) and
in UTC beside them; everything the platform itself stamps is UTC.

The types are shaped for PNR data too (a booking reuses ``Traveller``,
``TravelDocument`` and ``Leg``), so the API and PNR pictures of one person can be
linked through :func:`openpiu.identity.person_key`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class MessageKind(StrEnum):
    PAXLST = "paxlst"
    PNRGOV = "pnrgov"
    PNRGOV_XML = "pnrgov_xml"
    CUSRES = "cusres"
    UNKNOWN = "unknown"


class MessageStatus(StrEnum):
    """Where a vaulted message stands.  received = processed + duplicate + quarantined
    (+ the few still ``received`` or ``held`` at any instant)."""

    RECEIVED = "received"  # in the vault, not yet parsed
    HELD = "held"  # one part of a multi-part message, waiting for the others
    PROCESSED = "processed"
    QUARANTINED = "quarantined"


class Role(StrEnum):
    PASSENGER = "passenger"
    CREW = "crew"


class ListAction(StrEnum):
    """What a manifest message does to the flight's picture (BGM 1001 + 1004)."""

    FULL = "full"  # a complete list: replaces the travellers of its kind
    CHANGE = "change"  # CP: changes data of the travellers it names
    CANCEL = "cancel"  # XR / RP: the travellers it names are off the flight
    CLOSE = "close"  # 266 CL/CLNB/CLOB: flight closed (list may follow)
    CANCEL_FLIGHT = "cancel_flight"  # 266 XF
    CHANGE_FLIGHT = "change_flight"  # 266 CF


@dataclass(slots=True)
class TravelDocument:
    doc_type: str  # P passport, V visa, I/A/C identity cards, IP, AC, F, ...
    number: str
    issuing_country: str | None = None  # ISO 3166 alpha-3
    expiry: date | None = None
    issue_date: date | None = None


@dataclass(slots=True)
class Address:
    street: str | None = None
    city: str | None = None
    subdivision: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(slots=True)
class Contact:
    kind: str  # phone, fax, email
    value: str


@dataclass(slots=True)
class Leg:
    """One hop of a flight, times local (as sent) and in UTC."""

    departure_airport: str | None
    arrival_airport: str | None
    departure_local: datetime | None = None
    departure_utc: datetime | None = None
    arrival_local: datetime | None = None
    arrival_utc: datetime | None = None


@dataclass(slots=True)
class Flight:
    carrier: str  # airline designator, e.g. ZZ
    number: str  # flight number without leading zeros, e.g. 123
    designator: str  # as the carrier sent it, e.g. ZZ0123
    flight_date: date | None  # local departure date of the first leg
    legs: list[Leg] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The flight's ID across the platform: ``ZZ123/2025-03-15``."""
        day = self.flight_date.isoformat() if self.flight_date else "unknown"
        return f"{self.carrier}{self.number}/{day}"

    @property
    def origin(self) -> str | None:
        return self.legs[0].departure_airport if self.legs else None

    @property
    def destination(self) -> str | None:
        return self.legs[-1].arrival_airport if self.legs else None


@dataclass(slots=True)
class Traveller:
    """A passenger or crew member as one message describes them."""

    role: Role
    surname: str
    given_names: str = ""
    in_transit: bool = False
    gender: str | None = None  # M, F, U, X
    dob: date | None = None
    nationality: str | None = None  # alpha-3
    residence_country: str | None = None
    place_of_birth: str | None = None
    birth_country: str | None = None
    address: Address | None = None
    contacts: list[Contact] = field(default_factory=list)
    embarkation: str | None = None  # airport codes
    debarkation: str | None = None
    clearance: str | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    seat: str | None = None
    record_locator: str | None = None  # RFF AVF
    passenger_ref: str | None = None  # RFF ABO, unique passenger reference
    government_ref: str | None = None  # RFF AEA
    frequent_flyer: str | None = None  # RFF CR
    ticket: str | None = None  # RFF YZY
    bag_count: int | None = None
    bag_weight: float | None = None
    bag_weight_unit: str | None = None  # KGM or LBR
    bag_tags: list[tuple[str, int]] = field(default_factory=list)  # (first tag, count)
    verified: bool | None = None  # GEI 173 / 174
    crew_role: str | None = None  # EMP: CR1..CR5

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


@dataclass(slots=True)
class ReportingParty:
    name: str | None = None
    contacts: list[Contact] = field(default_factory=list)


@dataclass(slots=True)
class Envelope:
    """What the EDIFACT service segments say about one message."""

    syntax: str | None = None  # e.g. UNOA:4
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime | None = None  # UNB date/time as sent
    interchange_ref: str | None = None
    application_ref: str | None = None  # UNB 0026, e.g. APIS
    message_ref: str | None = None  # UNH 0062
    message_type: str | None = None  # e.g. PAXLST:D:05B:UN:IATA
    common_access_ref: str | None = None  # UNH 0068, opaque
    part_number: int = 1
    final_part: bool = True


@dataclass(slots=True)
class Manifest:
    """One PAXLST message (or an assembled multi-part one) in domain terms."""

    envelope: Envelope
    document_code: str  # BGM 1001: 745, 250, 266, 336, 655
    document_subcode: str | None  # BGM 1004: CP, XR, RP, CL, CLNB, CLOB, XF, CF, ...
    action: ListAction
    flight: Flight | None
    travellers: list[Traveller] = field(default_factory=list)
    transaction_ref: str | None = None  # RFF TN
    reporting_party: ReportingParty | None = None
    declared_passengers: int | None = None  # CNT 42
    declared_crew: int | None = None  # CNT 41
    warnings: list[str] = field(default_factory=list)
    legacy: bool = False  # US-EDIFACT PAXLST 001:000

    @property
    def list_role(self) -> Role:
        """Which kind of traveller a full list replaces."""
        return Role.CREW if self.document_code in ("250", "336") else Role.PASSENGER

    @property
    def complete(self) -> bool:
        return self.envelope.part_number == 1 and self.envelope.final_part


@dataclass(slots=True)
class ParsedFile:
    """What a parser returns for one input: its messages and file-level warnings."""

    kind: MessageKind
    manifests: list[Manifest] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
