"""PNRGOV XML element names -> model fields: the one place to correct them.

No public IATA PNRGOV XML schema was at hand (STANDARDS §2 marks the element
names [I]).  The names below follow STANDARDS §2 and the OTA conventions the IATA
XML messages build on; every name is a guess until checked against the IATA XSD.
To correct one, edit this table only: the parser
(:mod:`openpiu.formats.pnrgov_xml`) and the writer
(:mod:`openpiu.formats.pnrgov_xml_writer`) both read it.

The table is a tree of *nodes*.  A node maps

* ``fields``: a model value -> candidate *paths*, tried in order, the first
  non-empty one wins (the writer writes the first).  Path syntax, relative to the
  node's element: ``@Attr`` an attribute; ``.`` the element's own text; ``A/B``
  the text of a descendant; ``A/B@Attr`` its attribute; a trailing ``*`` joins
  every match (``AddressLine*``);
* ``children``: child element name -> node name, for repeating sub-structures.

Elements are matched on local names, whatever their namespace.  An element that
is neither a child node, nor on a field path, nor in :data:`IGNORED` is counted
as unknown and reported in one warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from openpiu.model import PushKind

IATA_NAMESPACE = "http://www.iata.org/IATA/2007/00"
ROOT = "IATA_PNRGOV_NotifRQ"
ROOT_NODE = "push"

Paths = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Node:
    fields: dict[str, Paths] = field(default_factory=dict)
    children: dict[str, str] = field(default_factory=dict)  # element name -> node name


_FLIGHT: dict[str, Paths] = {
    "carrier": ("MarketingAirline@Code", "@AirlineCode", "OperatingAirline@Code"),
    "number": ("@FlightNumber", "MarketingAirline@FlightNumber", "OperatingAirline@FlightNumber"),
    "departure_airport": ("DepartureAirport@LocationCode", "DepartureAirport",
                          "@DepartureAirport"),
    "arrival_airport": ("ArrivalAirport@LocationCode", "ArrivalAirport", "@ArrivalAirport"),
    "departure": ("@DepartureDateTime", "DepartureDateTime"),
    "arrival": ("@ArrivalDateTime", "ArrivalDateTime"),
}
_BAGGAGE: dict[str, Paths] = {
    "count": ("@Quantity", "@BagCount"),
    "weight": ("@Weight", "@UnitOfMeasureQuantity"),
    "unit": ("@UnitOfMeasure", "@Unit"),
    "text": (".", "Text"),
}
_ADDRESS: dict[str, Paths] = {
    "street": ("AddressLine*", "StreetNmbr", "@Street"),
    "city": ("CityName", "@City"),
    "subdivision": ("StateProv", "StateProv@StateCode"),
    "postcode": ("PostalCode", "@PostalCode"),
    "country": ("CountryName@Code", "CountryName", "@Country"),
}
_TRAVELLER_REF: Paths = ("@PassengerRPH", "@RPH", "@TravelerRefNumber")

MAP: dict[str, Node] = {
    # -- level 0: the push -------------------------------------------------------------
    "push": Node(
        fields={
            "kind": ("@TransmissionType", "TransmissionType", "@PushType", "@MessageFunction"),
            "declared": ("@PNRCount", "PNRs@PNRCount", "@NumberOfPNRs", "PNRs@Count"),
            "timestamp": ("@TimeStamp", "@Timestamp"),
            "message_ref": ("@TransactionIdentifier", "@EchoToken", "@SequenceNmbr"),
            "version": ("@Version",),
        },
        children={"Originator": "originator", "FlightLeg": "flight_leg", "PNRs": "pnrs",
                  "PNR": "pnr"},  # PNR straight under the root: tolerated
    ),
    "originator": Node(fields={
        "system": ("@AirlineCode", "@SystemCode", "@CompanyShortName"),
        "location": ("@LocationCode", "@CityCode"),
        "agency_id": ("@ID", "@AgencyID"),
    }),
    "flight_leg": Node(fields=dict(_FLIGHT)),
    "pnrs": Node(children={"PNR": "pnr"}),
    # -- one PNR (EDIFACT GR1) ------------------------------------------------------------
    "pnr": Node(
        fields={
            "last_modified": ("@LastModifiedDateTime", "@LastModified"),
            "ticketed": ("@TicketingDateTime", "@TicketIssueDateTime"),
            "group_name": ("@GroupName",),
        },
        children={"BookingRefID": "locator", "POS": "pos", "ContactInfo": "contact",
                  "PrepaidBag": "prepaid_bag", "Passenger": "passenger", "Flight": "segment",
                  "SSR": "ssr", "OSI": "remark", "Remark": "remark", "PaymentInfo": "payment",
                  "SplitPNR": "split", "History": "history"},
    ),
    "locator": Node(fields={
        "locator": ("@ID", "@RecordLocator", "."),
        "system": ("CompanyName@Code", "@CompanyCode", "CompanyName"),
        "created": ("@CreateDateTime", "@DateTime"),
    }),
    "pos": Node(children={"Source": "source"}),
    "source": Node(fields={  # the booking originator / travel agency (EDIFACT ORG)
        "system": ("@AirlineVendorID", "BookingChannel/CompanyName@Code"),
        "location": ("@PseudoCityCode", "@AirportCode"),
        "agency_id": ("RequestorID@ID", "@IATA_Number"),
        "agency_location": ("RequestorID@LocationCode",),
        "kind": ("@AgentType", "BookingChannel@Type"),
        "country": ("@ISOCountry",),
        "currency": ("@ISOCurrency",),
        "agent_id": ("@AgentSine", "@AgentID"),
    }),
    "contact": Node(children={"Telephone": "phone", "PhoneNumber": "phone", "Email": "email",
                              "Address": "address"}),
    "phone": Node(fields={"value": ("@PhoneNumber", ".")}),
    "email": Node(fields={"value": (".", "@EmailAddress")}),
    "address": Node(fields=dict(_ADDRESS)),
    "prepaid_bag": Node(fields=dict(_BAGGAGE)),
    "split": Node(fields={"locator": ("@ID", ".")}),
    "history": Node(children={"HistoryItem": "history_item", "Item": "history_item"}),
    "history_item": Node(fields={"action": ("@Action", "@ActionCode"),
                                 "at": ("@DateTime", "@TimeStamp"), "what": (".", "Text")}),
    # -- a traveller (GR2) and their ticket and payment (GR3, GR4) ------------------------
    "passenger": Node(
        fields={
            "ref": ("@RPH", "@PassengerRPH", "@TravelerRefNumber"),
            "type": ("@PassengerTypeCode", "@PaxType"),
            "surname": ("PersonName/Surname", "Surname", "@Surname"),
            "given": ("PersonName/GivenName", "GivenName", "@GivenName"),
            "middle": ("PersonName/MiddleName",),
            "title": ("PersonName/NamePrefix", "PersonName/NameTitle", "NamePrefix"),
            "unique_ref": ("@UniquePassengerRef", "UniqueID@ID"),
            "dob": ("@BirthDate",),
            "gender": ("@Gender",),
        },
        children={"CustLoyalty": "loyalty", "ExcessBaggage": "excess_bag", "FareInfo": "fare",
                  "SSR": "ssr", "OSI": "remark", "Remark": "remark",
                  "TicketDocument": "ticket", "PaymentInfo": "payment", "DOC_SSR": "doc_ssr",
                  "ContactInfo": "contact", "Bag": "bag"},  # Bag: not tied to a Flight
    ),
    "loyalty": Node(fields={"airline": ("@ProgramID", "@AirlineCode"),
                            "number": ("@MembershipID", "."),
                            "tier": ("@LoyalLevel", "@TierLevel")}),
    "excess_bag": Node(fields=dict(_BAGGAGE)),
    "fare": Node(fields={"fare_basis": ("@FareBasisCode", "FareBasisCode", ".")}),
    "ssr": Node(fields={
        "code": ("@SSRCode", "@Code"),
        "status": ("@Status", "@ActionCode"),
        "airline": ("@AirlineCode", "Airline@Code"),
        "board": ("@BoardPoint",),
        "off": ("@OffPoint",),
        "ref": _TRAVELLER_REF,
        "text": ("Text", "."),
    }),
    "remark": Node(fields={"text": (".", "Text"), "ref": _TRAVELLER_REF}),
    "ticket": Node(
        fields={
            "number": ("@TicketDocumentNbr", "@TicketNumber"),
            "kind": ("@Type", "@TicketType"),
            "issued": ("@DateOfIssue", "@IssueDateTime"),
            "issuing_airline": ("@IssuingAirline",),
            "issuing_location": ("@PlaceOfIssue", "@IssuingLocation"),
            "fare_basis": ("@FareBasisCode",),
            "base": ("BaseFare@Amount",),
            "total": ("TotalFare@Amount",),
            "currency": ("TotalFare@CurrencyCode", "BaseFare@CurrencyCode", "@CurrencyCode"),
        },
        children={"Taxes": "taxes", "Tax": "tax", "PaymentInfo": "payment"},
    ),
    "taxes": Node(children={"Tax": "tax"}),
    "tax": Node(fields={"amount": ("@Amount",), "code": ("@TaxCode", "@Code")}),
    "payment": Node(fields={
        "code": ("@PaymentType", "@FormOfPayment"),
        "amount": ("@PaymentAmount", "@Amount"),
        "currency": ("@CurrencyCode",),
        "card_brand": ("CreditCard@CardType", "PaymentCard@CardCode", "CreditCard@CardCode",
                       "PaymentCard@CardType"),
        "card_number": ("CreditCard@CardNumber", "PaymentCard@CardNumber"),
        "card_expiry": ("CreditCard@ExpireDate", "PaymentCard@ExpireDate",
                        "CreditCard@ExpiryDate"),
        "payer_name": ("CreditCard/CardHolderName", "PaymentCard/CardHolderName", "PayerName"),
        "billing_address": ("CreditCard/BillingAddress", "BillingAddress"),
        "payer_phone": ("CreditCard/Telephone@PhoneNumber", "Telephone@PhoneNumber"),
    }),
    "doc_ssr": Node(children={"DOCS": "docs", "DOCO": "doco", "DOCA": "doca"}),
    "docs": Node(fields={
        "doc_type": ("@DocType",),
        "number": ("@DocID", "@DocNumber"),
        "issuer": ("@DocIssueCountry", "@IssuingCountry"),
        "nationality": ("@DocHolderNationality", "@Nationality"),
        "dob": ("@BirthDate", "@DateOfBirth"),
        "gender": ("@Gender",),
        "expiry": ("@ExpiryDate", "@ExpireDate"),
        "text": ("Text", "."),  # the EDIFACT free text /P/ISS/NUM/... when not split up
    }),
    "doco": Node(fields={
        "doc_type": ("@DocType",),
        "number": ("@DocID", "@DocNumber"),
        "issue_date": ("@DateOfIssue", "@EffectiveDate"),
        "country": ("@ApplicableCountry", "@DocIssueCountry"),
        "text": ("Text", "."),
    }),
    "doca": Node(fields={**_ADDRESS, "kind": ("@AddressType",), "text": ("Text", ".")}),
    # -- itinerary (GR5) and check-in (GR6-7) ---------------------------------------------
    "segment": Node(
        fields={
            **_FLIGHT,
            "booking_class": ("@ResBookDesigCode", "@BookingClass"),
            "status": ("@Status", "@ActionCode"),
            "operating_carrier": ("OperatingAirline@Code",),
            "operating_number": ("OperatingAirline@FlightNumber",),
            "equipment": ("Equipment@AirEquipType", "@Equipment"),
        },
        children={"SSR": "ssr", "Seat": "seat", "CheckIn": "checkin", "CheckInInfo": "checkin"},
    ),
    "seat": Node(fields={"ref": _TRAVELLER_REF, "seat": ("@SeatNumber", ".")}),
    "checkin": Node(
        fields={"ref": _TRAVELLER_REF, "at": ("@CheckInDateTime", "@DateTime"),
                "sequence": ("@SequenceNumber", "@CheckInSequence"),
                "status": ("@Status",), "agent": ("@AgentID", "@AgentSine")},
        children={"Seat": "seat", "Bag": "bag", "Baggage": "bag"},
    ),
    "bag": Node(
        fields={"count": ("@Quantity", "@BagCount"), "weight": ("@Weight",),
                "unit": ("@UnitOfMeasure", "@Unit"), "pool": ("@PoolType", "@Pool")},
        children={"BagTag": "bag_tag"},
    ),
    "bag_tag": Node(fields={"tag": ("@TagNumber", "@Number", "."),
                            "count": ("@Count", "@Quantity"),
                            "destination": ("@Destination", "@FinalDestination"),
                            "airline": ("@AirlineCode",)}),
}

# Known elements deliberately not mapped: no warning for them.
IGNORED = frozenset((
    "DocHolderName", "DocHolderFormattedName", "BookingChannel", "ServiceQuantity",
    "NameSuffix", "Comment",
))

# -- code tables ---------------------------------------------------------------------------

PUSH_KINDS: dict[str, PushKind] = {
    "FULL": PushKind.FULL, "22": PushKind.FULL, "INITIAL": PushKind.FULL,
    "UPDATE": PushKind.UPDATE, "141": PushKind.UPDATE, "CHANGED": PushKind.UPDATE,
    "DELTA": PushKind.UPDATE,
    "CANCEL": PushKind.CANCEL, "CANCELLATION": PushKind.CANCEL, "CANCELLED": PushKind.CANCEL,
}
PUSH_KIND_NAMES = {PushKind.FULL: "Full", PushKind.UPDATE: "Update", PushKind.CANCEL: "Cancel"}

# OTA passenger type codes -> the EDIFACT TIF codes the model keeps (A, C, IN, G).
PASSENGER_TYPES = {"ADT": "A", "ADULT": "A", "CHD": "C", "CNN": "C", "CHILD": "C",
                   "INF": "IN", "INFANT": "IN", "GRP": "G", "GROUP": "G"}
PASSENGER_TYPE_NAMES = {"A": "ADT", "C": "CHD", "IN": "INF", "G": "GRP"}

UNITS = {"KG": "KGM", "KGS": "KGM", "KGM": "KGM", "K": "KGM", "700": "KGM",
         "LB": "LBR", "LBS": "LBR", "LBR": "LBR", "L": "LBR", "701": "LBR"}


# -- compiled paths -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Path:
    steps: tuple[str, ...]  # element names below the node's element
    attr: str | None  # None: the text of the last step (or of the element itself)
    join: bool  # a trailing * : every match, joined


@cache
def compiled(path: str) -> Path:
    join = path.endswith("*")
    path = path.rstrip("*")
    elements, _, attr = path.partition("@")
    steps = tuple(s for s in elements.split("/") if s and s != ".")
    return Path(steps, attr or None, join)


@cache
def known_below(node: str) -> dict[str, object]:
    """The element names a node consumes, as a tree: name -> node name (a child node)
    or a nested dict (elements on field paths)."""
    spec = MAP[node]
    tree: dict[str, object] = {}
    for paths in spec.fields.values():
        for path in paths:
            level = tree
            for step in compiled(path).steps:
                nxt = level.setdefault(step, {})
                if not isinstance(nxt, dict):
                    break
                level = nxt
    tree.update(spec.children)
    return tree


def child_tag(parent: str, node: str) -> str:
    """The element name the writer uses for ``node`` under ``parent``: the first listed."""
    return next(tag for tag, name in MAP[parent].children.items() if name == node)
