"""Connecting itineraries: a booking whose journey goes on past the hub, or began
before it.

Central Asian travellers rarely fly point to point only: Dushanbe to Frankfurt
through Istanbul on Turkish, to Delhi through Dubai, from Khujand through
Sheremetyevo to Krasnodar.  The PIU receives such a booking from the carrier of
the flight that touches its country, with *every* leg in the itinerary; the legs
elsewhere (Istanbul-Frankfurt) come with no passenger list of their own, because
that flight never touches the country.  So a connection here is only extra
itinerary segments on a party of a profile flight: the *onward* leg after an
outbound flight, the *feeder* leg before an inbound one.

The services at each hub are data (:data:`TAJIKISTAN_HUBS`): real carriers on
their real hubs (Turkish at IST, flydubai and Emirates at DXB, Aeroflot at SVO,
S7 at DME, ...), plausible numbers and times, sold with the profile carriers
that feed them (online, or an interline pair such as Somon Air and Turkish).
A connection is sold only when it makes (at least :data:`MIN_CONNECT` on the
ground, at most :data:`MAX_CONNECT`): a normal connection is never a stopover.

The planted *broken* itinerary (:meth:`Connector.broken`) is the exception the
criteria issue looks for: the traveller arrives at a hub and the next leg leaves
days later, or from the city's other airport (arrives IST, leaves SAW).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from openpiu.model import ItinerarySegment, Leg
from openpiu.reference import airport_zone, is_airport, to_utc
from openpiu.synth.profiles import block_minutes

MIN_CONNECT = timedelta(minutes=75)
MAX_CONNECT = timedelta(hours=12)
# The other airport of a hub's city: where a broken itinerary leaves from.
OTHER_AIRPORT = {"IST": "SAW", "SAW": "IST", "DXB": "SHJ", "SHJ": "DXB"}


@dataclass(frozen=True, slots=True)
class HubService:
    """A daily service between a hub and a city beyond it, both ways."""

    carrier: str
    number: int  # from the hub; the flight to the hub is number + 1
    hub: str
    far: str
    from_hub: tuple[time, ...]  # local departure times at the hub
    to_hub: tuple[time, ...]  # local departure times at the far airport
    equipment: str
    feeders: frozenset[str]  # profile carriers it is sold with


def _service(carrier: str, number: int, hub: str, far: str, from_hub: str, to_hub: str,
             equipment: str, feeders: str) -> HubService:  # fmt: skip
    def times(text: str) -> tuple[time, ...]:
        return tuple(time.fromisoformat(t) for t in text.split())

    return HubService(carrier, number, hub, far, times(from_hub), times(to_hub), equipment,
                      frozenset(feeders.split()))  # fmt: skip


# (carrier, number, hub, far, departures from the hub, departures to the hub,
#  equipment, profile carriers it connects with)
TAJIKISTAN_HUBS = tuple(_service(*row) for row in (
    ("TK", 1589, "IST", "FRA", "11:15 16:40", "08:30 13:10", "321", "TK SZ"),
    ("TK", 1979, "IST", "LHR", "10:05 17:30", "07:40 12:20", "77W", "TK SZ"),
    ("TK", 1823, "IST", "CDG", "12:10 18:05", "09:20 14:45", "32Q", "TK SZ"),
    ("TK", 1951, "IST", "AMS", "13:25", "09:55", "738", "TK"),
    ("TK", 1, "IST", "JFK", "14:05", "00:30", "77W", "TK"),
    ("TK", 93, "IST", "JED", "11:40 20:15", "03:10 13:05", "333", "TK SZ"),
    ("TK", 2412, "IST", "AYT", "09:45 15:20", "08:05 13:35", "321", "TK SZ"),
    ("PC", 1003, "SAW", "FRA", "08:15", "13:40", "32Q", "SZ TK"),
    ("PC", 1171, "SAW", "AMS", "09:05", "14:25", "32Q", "SZ TK"),
    ("PC", 1233, "SAW", "BER", "07:40", "12:50", "32Q", "SZ TK"),
    ("FZ", 431, "DXB", "DEL", "15:10", "10:35", "7M8", "FZ SZ"),
    ("FZ", 445, "DXB", "BOM", "16:30", "09:10", "7M8", "FZ SZ"),
    ("FZ", 833, "DXB", "JED", "14:20 21:05", "10:40 17:25", "7M8", "FZ SZ"),
    ("EK", 510, "DXB", "DEL", "21:55", "04:25", "77W", "SZ FZ"),
    ("EK", 1, "DXB", "LHR", "14:30", "08:10", "388", "SZ FZ"),
    ("G9", 133, "SHJ", "CAI", "21:40", "08:55", "320", "G9"),
    ("G9", 421, "SHJ", "KTM", "22:50", "13:20", "320", "G9"),
    ("G9", 255, "SHJ", "DEL", "23:30", "07:15", "320", "G9"),
    ("SU", 30, "SVO", "LED", "13:55 16:30", "08:10 12:35", "321", "SU"),
    ("SU", 1130, "SVO", "KRR", "15:05", "07:45", "320", "SU"),
    ("SU", 1110, "SVO", "AER", "14:40 07:30", "06:55 12:20", "321", "SU"),
    ("SU", 1002, "SVO", "KGD", "16:10", "09:40", "320", "SU"),
    ("SU", 1316, "SVO", "MRV", "15:45", "06:30", "320", "SU"),
    ("S7", 1039, "DME", "KRR", "11:20 17:10", "06:50 13:30", "320", "SZ 7J U6"),
    ("S7", 1015, "DME", "AER", "10:35 18:25", "07:40 14:05", "320", "SZ 7J U6"),
    ("S7", 1041, "DME", "MRV", "12:05", "08:15", "320", "SZ 7J"),
    ("U6", 2727, "DME", "UFA", "17:40", "07:10", "320", "U6"),
    ("UT", 459, "VKO", "MRV", "10:05 19:30", "06:40 12:45", "738", "UT SZ 7J"),
    ("UT", 181, "VKO", "KGD", "09:20 20:10", "07:15 13:30", "738", "UT SZ 7J"),
    ("U6", 263, "SVX", "LED", "14:10", "09:05", "320", "U6 SZ"),
    ("S7", 5201, "OVB", "KJA", "12:30", "07:55", "320", "S7"),
    ("KC", 901, "ALA", "NQZ", "21:30 07:50", "06:30 16:45", "320", "KC"),
    ("KC", 909, "ALA", "ICN", "23:40", "09:10", "321", "KC"),
    ("KC", 921, "ALA", "FRA", "07:10", "13:45", "321", "KC"),
    ("HY", 101, "TAS", "JFK", "08:40", "21:30", "763", "HY"),
    ("HY", 231, "TAS", "FRA", "23:10", "13:20", "763", "HY"),
    ("HY", 271, "TAS", "IST", "07:55", "09:45", "320", "HY"),
    ("CZ", 6886, "URC", "CAN", "20:45", "08:20", "321", "CZ SZ"),
    ("CZ", 6902, "URC", "PKX", "21:20 08:35", "07:40 15:10", "321", "CZ SZ"),
    ("CZ", 6888, "URC", "PVG", "22:05", "08:05", "321", "CZ SZ"),
    ("AI", 887, "DEL", "BOM", "17:30 20:45", "09:15 13:00", "32N", "AI"),
    ("AI", 503, "DEL", "BLR", "18:40", "07:45", "32N", "AI"),
))  # fmt: skip

# Share of bookings with a connection, by the route's traffic mix: high where
# the profile's flight goes to a hub, low on the labour routes to Russia.
TAJIKISTAN_SHARES = {"turkey": 0.22, "gulf": 0.16, "germany": 0.06, "kazakhstan": 0.18,
                     "uzbekistan": 0.2, "china": 0.2, "india": 0.12, "russia": 0.05}  # fmt: skip

for _s in TAJIKISTAN_HUBS:
    for _code in (_s.hub, _s.far):
        if not is_airport(_code):
            raise ValueError(f"connection {_s.carrier}{_s.number}: unknown airport {_code}")


def segment(carrier: str, number: int, origin: str, destination: str,
            departure: datetime, equipment: str) -> ItinerarySegment:  # fmt: skip
    """An air segment with its arrival from the great-circle block time."""
    dep_utc = to_utc(departure, origin)
    assert dep_utc is not None
    arr_utc = dep_utc + timedelta(minutes=block_minutes(origin, destination))
    zone = airport_zone(destination)
    arrival = arr_utc.astimezone(zone).replace(tzinfo=None) if zone else None
    return ItinerarySegment(carrier, str(number), origin, destination, departure, dep_utc,
                            arrival, arr_utc, "Y", "HK", equipment=equipment)  # fmt: skip


class Connector:
    """Chooses the connections of a profile's bookings (one ``random.Random``)."""

    def __init__(self, rng: random.Random, services: tuple[HubService, ...],
                 shares: dict[str, float]) -> None:  # fmt: skip
        self.rng, self.shares = rng, shares
        self.by_hub: dict[str, list[HubService]] = {}
        for s in services:
            self.by_hub.setdefault(s.hub, []).append(s)

    def journey(self, carrier: str, mix: str, leg: Leg, outbound: bool, broken_rate: float
                ) -> tuple[tuple[ItinerarySegment, ...], tuple[ItinerarySegment, ...],
                           str | None]:  # fmt: skip
        """The segments before and after a booking's profile flight on ``leg``, and
        how the itinerary is broken when a planted broken one was drawn (at
        ``broken_rate``), else None.  Most bookings get none: one flight only."""
        rng = self.rng
        segs: tuple[ItinerarySegment, ...] = ()
        how = None
        if broken_rate and rng.random() < broken_rate:
            segs, found = self.broken(leg, outbound)
            how = found or None
        else:
            share = self.shares.get(mix)
            if share is not None and rng.random() < share:
                segs = self.normal(carrier, leg, outbound)
        return ((), segs, how) if outbound else (segs, (), how)

    def normal(self, carrier: str, leg: Leg,
               outbound: bool) -> tuple[ItinerarySegment, ...]:  # fmt: skip
        """The onward segment (outbound) or the feeder (inbound) of a sold
        connection at the leg's hub end; empty when none makes."""
        hub = leg.arrival_airport if outbound else leg.departure_airport
        options = [s for s in self.by_hub.get(hub or "", ()) if carrier in s.feeders]
        self.rng.shuffle(options)
        for s in options:
            found = self._onward(s, leg, MIN_CONNECT) if outbound else self._feeder(s, leg)
            if found is not None:
                return (found,)
        return ()

    def _onward(self, s: HubService, leg: Leg, after: timedelta,
                most: timedelta = MAX_CONNECT) -> ItinerarySegment | None:  # fmt: skip
        arrived = leg.arrival_local
        assert arrived is not None
        earliest = arrived + after
        for day in range(3):
            for i, t in enumerate(s.from_hub):
                dep = datetime.combine(earliest.date() + timedelta(days=day), t)
                if earliest <= dep <= arrived + most:
                    return segment(s.carrier, s.number + 2 * i, s.hub, s.far, dep, s.equipment)
        return None

    def _feeder(self, s: HubService, leg: Leg,
                most: timedelta = MAX_CONNECT) -> ItinerarySegment | None:  # fmt: skip
        leaves = leg.departure_local
        assert leaves is not None
        for day in range(0, -3, -1):
            for i, t in enumerate(s.to_hub):
                dep = datetime.combine(leaves.date() + timedelta(days=day), t)
                seg = segment(s.carrier, s.number + 1 + 2 * i, s.far, s.hub, dep, s.equipment)
                assert seg.arrival_local is not None
                gap = leaves - seg.arrival_local
                if MIN_CONNECT <= gap <= most:
                    return seg
        return None

    def broken(self, leg: Leg, outbound: bool) -> tuple[tuple[ItinerarySegment, ...], str]:
        """A planted broken itinerary at the leg's hub end: the next leg (outbound)
        or the one before (inbound) is days away, or at the city's other airport.
        Returns the segment and how it is broken; empty when the hub has no
        service to break with."""
        rng = self.rng
        hub = (leg.arrival_airport if outbound else leg.departure_airport) or ""
        other = OTHER_AIRPORT.get(hub)
        switch = other is not None and bool(self.by_hub.get(other)) and rng.random() < 0.6
        at = other if switch and other else hub
        options = self.by_hub.get(at, [])
        if not options:
            return (), ""
        s = options[rng.randrange(len(options))]
        days = rng.randint(1, 5) if switch else rng.randint(2, 6)
        wait = timedelta(days=days)
        if outbound:
            found = self._onward(s, leg, wait, wait + timedelta(days=1))
        else:
            shifted = Leg(leg.departure_airport, leg.arrival_airport,
                          (leg.departure_local or datetime.min) - wait)  # fmt: skip
            found = self._feeder(s, shifted, timedelta(days=1))
        if found is None:
            return (), ""
        kind = f"other_airport:{hub}-{at}" if switch else f"long_stop:{hub}"
        return (found,), kind
