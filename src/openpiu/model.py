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




# -- PNR (PNRGOV) -----------------------------------------------------------------
# A push carries bookings; a booking carries its travellers (GR2), itinerary (GR5)
# and the facts the EU PNR Directive's Annex I allows.  Sensitive data never gets
# this far: the privacy filter removes it between parse and store.


class PushKind(StrEnum):
    FULL = "full"  # MSG 22: every PNR on the flight; an absent one left the flight
    UPDATE = "update"  # MSG 141: only changed PNRs; an absent one is unchanged
    CANCEL = "cancel"  # a flight cancellation push (empty SRC/RCI/ORG)


@dataclass(slots=True)
class Originator:
    """ORG: who created or changed the booking (airline office or travel agency)."""

    system: str | None = None  # reservation system / airline code, e.g. 1A
    location: str | None = None  # city or airport code
    agency_id: str | None = None  # IATA/ARC number or office id
    agency_location: str | None = None
    kind: str | None = None  # A airline, T travel agent (ORG 3225)
    country: str | None = None  # alpha-3
    currency: str | None = None
    agent_id: str | None = None


@dataclass(slots=True)
class FrequentFlyer:
    airline: str | None
    number: str
    tier: str | None = None


@dataclass(slots=True)
class SpecialService:
    """An SSR or OSI kept after the privacy filter (never a sensitive code)."""

    code: str
    status: str | None = None
    text: str | None = None
    airline: str | None = None
    segment: str | None = None  # e.g. IST-DYU


@dataclass(slots=True)
class Ticket:
    number: str
    kind: str | None = None  # T ticket, E electronic, ...
    issued: datetime | None = None
    fare_base: float | None = None
    fare_total: float | None = None
    currency: str | None = None
    taxes: list[tuple[float | None, str]] = field(default_factory=list)  # (amount, code)
    fare_basis: str | None = None
    issuing_airline: str | None = None
    issuing_location: str | None = None


@dataclass(slots=True)
class Payment:
    """A form of payment.  A card is kept as brand + last four + a keyed hash (for
    linking), never its number: the parser puts the number in ``card_number`` and
    the privacy filter replaces it before anything is stored."""

    method: str  # card, cash, cheque, miscellaneous, government, agency, other
    code: str | None = None  # the FOP code as sent (CC, CA, CK, MS, GR, ...)
    card_brand: str | None = None
    card_last4: str | None = None
    card_hash: str | None = None
    card_number: str | None = None  # transient: only between parse and privacy filter
    card_expiry: str | None = None
    amount: float | None = None
    currency: str | None = None
    payer_name: str | None = None
    billing_address: str | None = None
    payer_phone: str | None = None


@dataclass(slots=True)
class Bag:
    count: int | None = None
    weight: float | None = None
    unit: str | None = None  # KGM or LBR
    pool: str | None = None  # HP head of pool, MP member
    tags: list[tuple[str, int, str | None]] = field(default_factory=list)  # tag, count, dest
    segment: str | None = None


@dataclass(slots=True)
class Seat:
    seat: str
    segment: str | None = None  # e.g. IST-DYU
    source: str = "requested"  # requested (SSR SEAT / RPI) or actual (SSD at check-in)


@dataclass(slots=True)
class CheckIn:
    segment: str | None = None
    at_local: datetime | None = None
    sequence: str | None = None
    status: str | None = None
    agent: str | None = None


@dataclass(slots=True)
class BookedTraveller:
    """A traveller of a booking (PNRGOV GR2 TIF), as that push gave them."""

    ref: str | None  # TIF reference used for cross-links inside the PNR
    surname: str
    given_names: str  # title stripped
    raw_given_names: str  # as sent, e.g. SEANMR
    title: str | None = None
    passenger_type: str | None = None  # A adult, C child, IN infant, G group
    dob: date | None = None
    gender: str | None = None
    nationality: str | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    services: list[SpecialService] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    unique_ref: str | None = None  # REF unique passenger reference
    fare_basis: str | None = None


@dataclass(slots=True)
class ItinerarySegment:
    carrier: str | None
    number: str | None  # without leading zeros
    departure_airport: str | None
    arrival_airport: str | None
    departure_local: datetime | None = None
    departure_utc: datetime | None = None
    arrival_local: datetime | None = None
    arrival_utc: datetime | None = None
    booking_class: str | None = None
    status: str | None = None  # RPI, e.g. HK
    operating_carrier: str | None = None  # TRA (codeshare)
    operating_number: str | None = None
    equipment: str | None = None  # APD
    kind: str = "air"  # air, or hotel / car / rail ... (GR9 non-air)

    @property
    def route(self) -> str:
        return f"{self.departure_airport or '?'}-{self.arrival_airport or '?'}"


@dataclass(slots=True)
class HistoryItem:
    """PNR history (GR10-12): what changed, when, by whom (as text, filtered)."""

    action: str | None  # SAC action code, e.g. A added, X cancelled
    at: datetime | None = None
    what: str | None = None  # segment tag and a short description


@dataclass(slots=True)
class Booking:
    """One PNR in one push."""

    record_locator: str
    reservation_system: str | None  # RCI company of the first locator
    locators: list[tuple[str | None, str]] = field(default_factory=list)  # (system, locator)
    created_at: datetime | None = None  # RCI creation date/time
    last_modified: datetime | None = None  # DAT 700
    ticketed_at: datetime | None = None  # DAT 710 of the PNR
    originator: Originator | None = None
    travellers: list[BookedTraveller] = field(default_factory=list)
    itinerary: list[ItinerarySegment] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    services: list[SpecialService] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)  # PNR-level FOP
    split_locators: list[str] = field(default_factory=list)  # GR8
    history: list[HistoryItem] = field(default_factory=list)
    excess_baggage: list[str] = field(default_factory=list)
    group_name: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PnrPush:
    """One PNRGOV message: the bookings a carrier pushed for one flight."""

    envelope: Envelope
    kind: PushKind
    flight: Flight | None
    sender: Originator | None = None
    declared_bookings: int | None = None  # EQN
    bookings: list[Booking] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    xml: bool = False


@dataclass(slots=True)
class ParsedFile:
    """What a parser returns for one input: its messages and file-level warnings."""

    kind: MessageKind
    manifests: list[Manifest] = field(default_factory=list)  # PAXLST
    pushes: list[PnrPush] = field(default_factory=list)  # PNRGOV, EDIFACT or XML
    warnings: list[str] = field(default_factory=list)
