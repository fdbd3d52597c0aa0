"""Delete sensitive data on receipt, keep only what Annex I allows.

Runs between parse and store, on the domain objects: sensitive SSR/OSI codes,
free text that reveals a sensitive category, and any Annex I item the
jurisdiction does not keep are removed; card numbers become brand + last four +
a keyed hash.  Each removal is counted under a rule id; the count is all that is
ever logged (never the code, the text, or the id of a one-traveller PNR).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpiu.model import BookedTraveller, Booking, PnrPush, SpecialService
from openpiu.privacy.policy import Policy

# SSR codes whose text is structured data (documents, contacts, names, seats), not
# free remarks: terms are not searched in them (a surname is not a belief).
STRUCTURED_CODES = frozenset(
    {
        "DOCS",
        "DOCO",
        "DOCA",
        "FOID",
        "CTCE",
        "CTCM",
        "CTCH",
        "CTCB",
        "CTCR",
        "FQTV",
        "FQTR",
        "FQTU",
        "FQTS",
        "SEAT",
        "NSST",
        "TKNE",
        "TKNA",
        "TKNM",
        "INFT",
        "CHLD",
        "PCTC",
        "ADTK",
        "GRPS",
        "TKTL",
        "ASVC",
        "XBAG",
        "PETC",
        "RQST",
    }
)


@dataclass
class FilterReport:
    removed: Counter[str] = field(default_factory=Counter)  # rule id -> count

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def card_digest(number: str, key: bytes) -> str:
    """Keyed hash of a card number's digits: links bookings paid by one card
    without keeping the number (and without a dictionary attack on 10^16 numbers)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()


def sensitive_rule(text: str, policy: Policy) -> str | None:
    """The rule id a piece of free text breaks, or None."""
    pattern = policy.any_term
    match = pattern.search(text.upper()) if pattern is not None else None
    return policy.group_rules[match.lastgroup or ""] if match is not None else None


def filter_push(push: PnrPush, policy: Policy, link_key: bytes | None) -> FilterReport:
    """Filter ``push`` in place; returns what was removed, by rule.  Without a
    ``link_key`` (parse-only use) cards keep brand and last four but get no hash."""
    report = FilterReport()
    for booking in push.bookings:
        _filter_booking(booking, policy, link_key, report)
    push.warnings = _clean_texts(push.warnings, policy, report, "warning")
    return report


def _filter_booking(
    booking: Booking, policy: Policy, key: bytes | None, report: FilterReport
) -> None:
    booking.services = _services(booking.services, policy, report)
    booking.remarks = _clean_texts(booking.remarks, policy, report)
    booking.history = [h for h in booking.history if not _drop_text(h.what or "", policy, report)]
    booking.warnings = _clean_texts(booking.warnings, policy, report, "warning")
    for payment in booking.payments:
        _mask_card(payment, key)
    for traveller in booking.travellers:
        _filter_traveller(traveller, policy, key, report)
    _annex(booking, policy, report)


def _filter_traveller(
    t: BookedTraveller, policy: Policy, key: bytes | None, report: FilterReport
) -> None:
    t.services = _services(t.services, policy, report)
    t.remarks = _clean_texts(t.remarks, policy, report)
    for payment in t.payments:
        _mask_card(payment, key)


def _services(
    services: Iterable[SpecialService], policy: Policy, report: FilterReport
) -> list[SpecialService]:
    kept = []
    rules = policy.code_rules
    for service in services:
        code = service.code.upper()
        rule = rules.get(code)
        if (
            rule is None
            and code not in policy.always_keep_codes
            and code not in STRUCTURED_CODES
            and service.text
        ):
            rule = sensitive_rule(service.text, policy)
        if rule is not None:
            report.removed[rule] += 1
            continue
        kept.append(service)
    return kept


def _drop_text(text: str, policy: Policy, report: FilterReport) -> bool:
    rule = sensitive_rule(text, policy)
    if rule is not None:
        report.removed[rule] += 1
        return True
    return False


def _clean_texts(
    texts: Iterable[str], policy: Policy, report: FilterReport, kind: str = "text"
) -> list[str]:
    """Drop free texts that reveal a sensitive category; a warning is replaced by a
    neutral line instead (so the count of warnings stays true)."""
    kept = []
    for text in texts:
        rule = sensitive_rule(text, policy)
        if rule is None:
            kept.append(text)
            continue
        report.removed[rule] += 1
        if kind == "warning":
            kept.append("a warning was withheld: it quoted data removed as sensitive")
    return kept


def _mask_card(payment: object, key: bytes | None) -> None:
    number = getattr(payment, "card_number", None)
    if not number:
        return
    digits = "".join(ch for ch in number if ch.isdigit())
    payment.card_last4 = digits[-4:] or None  # type: ignore[attr-defined]
    # A masked number (XXXXXXXXXXXX1111) cannot be linked beyond its last four.
    payment.card_hash = card_digest(number, key) if key and len(digits) >= 12 else None  # type: ignore[attr-defined]
    payment.card_number = None  # type: ignore[attr-defined]


# Annex I items and the fields that carry them (booking level, traveller level).
_ANNEX_BOOKING = {
    5: ("contacts", "addresses"),
    6: ("payments",),
    7: ("itinerary",),
    9: ("originator",),
    11: ("split_locators",),
    12: ("remarks", "services"),
    16: ("excess_baggage",),
    19: ("history",),
}
_ANNEX_TRAVELLER = {
    5: ("contacts", "addresses"),
    6: ("payments",),
    8: ("frequent_flyers",),
    10: ("checkins",),
    12: ("remarks", "services"),
    13: ("tickets", "fare_basis"),
    14: ("seats",),
    16: ("bags",),
    18: ("documents", "dob", "gender", "nationality"),
}


def _annex(booking: Booking, policy: Policy, report: FilterReport) -> None:
    """Blank every field whose Annex I item the jurisdiction does not keep."""
    allowed = policy.annex_items
    for item, names in _ANNEX_BOOKING.items():
        if item not in allowed:
            for name in names:
                if getattr(booking, name):
                    report.removed[f"annex.item_{item}"] += 1
                    setattr(booking, name, None if name == "originator" else [])
    for traveller in booking.travellers:
        for item, names in _ANNEX_TRAVELLER.items():
            if item not in allowed:
                for name in names:
                    if getattr(traveller, name):
                        report.removed[f"annex.item_{item}"] += 1
                        empty: list[object] | None = (
                            [] if isinstance(getattr(traveller, name), list) else None
                        )
                        setattr(traveller, name, empty)
