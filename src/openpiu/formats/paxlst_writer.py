"""Write UN/EDIFACT PAXLST (D:05B, WCO/IATA/ICAO air profile) from a :class:`Manifest`.

The writer is the mirror of the parser: tests round-trip through it, the benchmark
feeds the parser with it, and the synthetic-traffic generator builds its corpus on
it.  It therefore writes what a *well-behaved* carrier sends (STANDARDS.md §1):
every count right, every special character released, the declared character set
matching the bytes.  Deliberate faults (§7) are the generator's business, applied
on top of these clean segments, never here.

:class:`EdifactWriter` knows only EDIFACT syntax (separators, release, trimming);
the ``_paxlst_*`` functions know only the PAXLST segment table.  Another message
type (CUSRES, PNRGOV) can reuse the former unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache, partial

from openpiu.errors import ConfigError
from openpiu.formats.dates import cached_strftime
from openpiu.model import Contact, Manifest, Role, TravelDocument, Traveller

DEFAULT_UNA = ":+.? '"
DEFAULT_MESSAGE_TYPE = "PAXLST:D:05B:UN:IATA"

# An element is absent (None / ""), one simple value, or a composite of components.
Component = str | int | None
Element = Component | Sequence[Component]

_CONTACT_CODES = {"phone": "TE", "fax": "FX", "email": "EM"}


class EdifactWriter:
    """Builds escaped EDIFACT segments with one set of service characters.

    ``una`` is the six-character service string advice: component separator,
    element separator, decimal mark, release character, repetition separator
    (a space means "not used", as in syntax version 3 and the IATA profile) and
    segment terminator.
    """

    def __init__(self, una: str = DEFAULT_UNA, *, newline: bool = True) -> None:
        if len(una) != 6:
            raise ConfigError(f"UNA service string must be 6 characters, got {una!r}")
        self.una = una
        self.component, self.element, self.decimal = una[0], una[1], una[2]
        self.release, self.repetition, self.terminator = una[3], una[4], una[5]
        significant = [self.component, self.element, self.release, self.terminator]
        if self.repetition != " ":
            significant.append(self.repetition)
        if len(set(significant)) != len(significant) or any(c.isalnum() for c in significant):
            raise ConfigError(
                f"UNA service characters must be distinct and not alphanumeric: {una!r}"
            )
        # A line break after the terminator is cosmetic; skip it when the terminator
        # already is one, or a reader would see an empty segment.
        self.eol = self.terminator + ("\n" if newline and self.terminator != "\n" else "")
        # Every character with a syntax role must be released when it is data.
        self._specials = frozenset(significant)
        # One C-speed search per value; the release itself is the rare path.
        pattern = re.compile("[" + "".join(re.escape(c) for c in significant) + "]")
        self._needs_release = needs = pattern.search
        release = self.release
        self._release_all = release_all = partial(pattern.sub, lambda m: release + m.group())
        self._done: dict[tuple[str, tuple[Element, ...]], str] = {}

        def escape(value: str) -> str:
            # A closure, not a method: called for every value of a large corpus.
            return value if needs(value) is None else release_all(value)

        self.escape: Callable[[str], str] = escape

    def number(self, value: float | int) -> str:
        """A numeric value with the declared decimal mark and no needless ``.0``."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return text if self.decimal == "." else text.replace(".", self.decimal)

    def segment(self, tag: str, *elements: Element) -> str:
        """One segment with its terminator, e.g. ``segment("NAT", "2", "TJK")``.

        Elements are escaped, empty trailing components and elements omitted.  The
        generator's and the benchmarks' hottest function (hundreds of thousands of
        calls a day of traffic): the same segments recur (LOC, NAT, a flight's TVL,
        a traveller's ticket in each push), so finished ones are remembered.  A
        ``bool`` would share ``1``'s entry; none is ever passed.
        """
        key = (tag, elements)
        try:
            text = self._done.get(key)
        except TypeError:  # a list among the elements: not hashable, build it
            return self._build(tag, elements)
        if text is None:
            text = self._build(tag, elements)
            if len(self._done) >= 20_000:  # bounded: a flight repeats within itself
                self._done.clear()
            self._done[key] = text
        return text

    def _build(self, tag: str, elements: tuple[Element, ...]) -> str:
        needs, release_all = self._needs_release, self._release_all
        parts = [tag]
        append = parts.append
        for e in elements:
            if e is None:
                append("")
            elif e.__class__ is str:
                append(e if needs(e) is None else release_all(e))
            elif isinstance(e, str | int):
                v = str(e)
                append(v if needs(v) is None else release_all(v))
            else:
                comps = []
                for c in e:
                    if c is None:
                        comps.append("")
                    else:
                        v = c if c.__class__ is str else str(c)
                        comps.append(v if needs(v) is None else release_all(v))
                while comps and not comps[-1]:
                    comps.pop()  # trailing empty components are omitted, never sent as ':'
                append(self.component.join(comps))
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        return self.element.join(parts) + self.eol

    def una_segment(self) -> str:
        return "UNA" + self.una + ("\n" if self.eol != self.terminator else "")


@lru_cache(maxsize=64)
def cached_writer(una: str = DEFAULT_UNA, newline: bool = True) -> EdifactWriter:
    """A shared :class:`EdifactWriter` (its only state is its cache of segments)."""
    return EdifactWriter(una, newline=newline)


_yymmdd_text = cached_strftime("%y%m%d")
_stamp_text = cached_strftime("%y%m%d%H%M")


def _yymmdd(d: date | None) -> str | None:
    return _yymmdd_text(d) if d else None


def _stamp(dt: datetime | None) -> str | None:
    return _stamp_text(dt) if dt else None


def _party(value: str | None, default: str) -> tuple[str, str]:
    """``ID`` or ``ID:QUAL`` as an UNB/UNG party; ZZ (mutually agreed) by default."""
    ident, _, qual = (value or default).partition(":")
    return ident, qual or "ZZ"


def _prepared_at(manifest: Manifest) -> datetime:
    if manifest.envelope.prepared_at:
        return manifest.envelope.prepared_at
    if manifest.flight and manifest.flight.legs and manifest.flight.legs[0].departure_local:
        return manifest.flight.legs[0].departure_local
    if manifest.flight and manifest.flight.flight_date:
        fd = manifest.flight.flight_date
        return datetime(fd.year, fd.month, fd.day)
    return datetime(2000, 1, 1)  # deterministic: the writer never reads the clock


def common_access_ref(manifest: Manifest) -> str | None:
    """UNH 0068: as given, else the usual ``ZZ0123/250315/0815`` flight key."""
    if manifest.envelope.common_access_ref:
        return manifest.envelope.common_access_ref
    flight = manifest.flight
    if flight is None:
        return None
    dep = flight.legs[0].departure_local if flight.legs else None
    if dep:
        return f"{flight.designator}/{dep:%y%m%d/%H%M}"
    return (
        f"{flight.designator}/{flight.flight_date:%y%m%d}"
        if flight.flight_date
        else flight.designator
    )


def _contacts(contacts: Iterable[Contact]) -> list[Element]:
    return [(c.value, _CONTACT_CODES.get(c.kind.lower(), c.kind.upper())) for c in contacts]


def _traveller(w: EdifactWriter, t: Traveller) -> list[str]:
    # The fixed-shape segments are f-strings: their last value is never empty, so
    # nothing is trimmed, and codes and dates (alphanumeric) need no release; only
    # data goes through ``esc``.  Same bytes as ``w.segment``, without its generic
    # per-element work (these run once for each of a day's 8,000 travellers).
    e, c, eol, esc = w.element, w.component, w.eol, w.escape
    crew = t.role is Role.CREW
    qualifier = ("DDT" if crew else "DDU") if t.in_transit else ("FM" if crew else "FL")
    # The model keeps one given-names string; the first word is 3036 "given", the
    # rest the middle names, so "SEAN PATRICK" reads back as it went in.
    given, _, middle = t.given_names.partition(" ")
    a = t.address
    if a is None and t.surname:
        name = esc(t.surname)
        if given or middle:
            name += c + esc(given) + (c + esc(middle) if middle else "")
        out = [f"NAD{e}{qualifier}{e}{e}{e}{name}{eol}"]
    else:
        addr: list[Element] = [a.street, a.city, a.subdivision, a.postcode, a.country] if a else []
        out = [w.segment("NAD", qualifier, None, None, (t.surname, given, middle), *addr)]
    if t.gender:
        out.append(f"ATT{e}2{e}{e}{esc(t.gender)}{eol}")
    if t.dob:
        out.append(f"DTM{e}329{c}{_yymmdd_text(t.dob)}{eol}")
    if t.bag_count is not None:
        out.append(f"MEA{e}CT{e}{e}{c}{esc(str(t.bag_count))}{eol}")
    if t.bag_weight is not None:
        unit = esc(t.bag_weight_unit or "KGM")
        out.append(f"MEA{e}WT{e}{e}{unit}{c}{esc(w.number(t.bag_weight))}{eol}")
    if t.verified is not None:
        out.append(f"GEI{e}4{e}{'173' if t.verified else '174'}{eol}")
    for tag, count in t.bag_tags:
        # Every tag is new: an f-string, not the segment cache (the same bytes).
        out.append(f"FTX{e}BAG{e}{e}{e}{esc(tag)}{c}{count}{eol}" if tag and count
                   else w.segment("FTX", "BAG", None, None, (tag, count)))  # fmt: skip
    for code, value in (
        ("22", t.clearance),
        ("174", t.residence_country),
        ("178", t.embarkation),
        ("179", t.debarkation),
    ):
        if value:
            out.append(f"LOC{e}{code}{e}{esc(value)}{eol}")
    if t.place_of_birth or t.birth_country:
        town = " ".join(p for p in (t.place_of_birth, t.birth_country) if p)
        out.append(f"LOC{e}180{e}{c * 3}{esc(town)}{eol}")
    if t.contacts:
        out.append(w.segment("COM", *_contacts(t.contacts)))
    if crew and t.crew_role:
        out.append(f"EMP{e}1{e}{esc(t.crew_role)}{c}110{c}111{eol}")
    if t.nationality:
        out.append(f"NAT{e}2{e}{esc(t.nationality)}{eol}")
    for code, value in (
        ("AVF", t.record_locator),
        ("ABO", t.passenger_ref),
        ("SEA", t.seat),
        ("AEA", t.government_ref),
        ("CR", t.frequent_flyer),
        ("YZY", t.ticket),
    ):
        if value:
            out.append(f"RFF{e}{code}{c}{esc(value)}{eol}")
    for doc in t.documents:
        out.extend(_document(w, doc))
    return out


def _document(w: EdifactWriter, doc: TravelDocument) -> list[str]:
    e, c, eol = w.element, w.component, w.eol
    if doc.number:
        out = [f"DOC{e}{w.escape(doc.doc_type)}{c}110{c}111{e}{w.escape(doc.number)}{eol}"]
    else:
        out = [w.segment("DOC", (doc.doc_type, "110", "111"), doc.number)]
    if doc.expiry:
        out.append(f"DTM{e}36{c}{_yymmdd_text(doc.expiry)}{eol}")
    if doc.issue_date:
        out.append(f"DTM{e}182{c}{_yymmdd_text(doc.issue_date)}{eol}")
    if doc.issuing_country:
        out.append(f"LOC{e}91{e}{w.escape(doc.issuing_country)}{eol}")
    return out


def _message(
    w: EdifactWriter,
    manifest: Manifest,
    travellers: Sequence[Traveller],
    part: tuple[int, bool],
) -> list[str]:
    """UNH ... UNT of one message (or one part) as a list of segments."""
    env = manifest.envelope
    msg_ref = env.message_ref or "1"
    msg_type = (env.message_type or DEFAULT_MESSAGE_TYPE).split(":")
    seq = (f"{part[0]:02d}", "F" if part[1] else "C")
    segs = [w.segment("UNH", msg_ref, msg_type, common_access_ref(manifest), seq)]
    segs.append(w.segment("BGM", manifest.document_code, manifest.document_subcode))
    if manifest.transaction_ref:
        # 1060 revision number 1: the guide's example and GTAS fixtures send it.
        segs.append(w.segment("RFF", ("TN", manifest.transaction_ref, None, None, "1")))
    rp = manifest.reporting_party
    if rp is not None:
        segs.append(w.segment("NAD", "MS", None, None, rp.name))
        if rp.contacts:
            segs.append(w.segment("COM", *_contacts(rp.contacts)))
    flight = manifest.flight
    if flight is not None:
        segs.append(w.segment("TDT", "20", flight.designator, None, None, flight.carrier))
        # One LOC 125/87 pair per leg (GTAS reads repeated pairs as legs).
        for leg in flight.legs:
            if leg.departure_airport:
                segs.append(w.segment("LOC", "125", leg.departure_airport))
                if leg.departure_local:
                    segs.append(w.segment("DTM", ("189", _stamp(leg.departure_local), "201")))
            if leg.arrival_airport:
                segs.append(w.segment("LOC", "87", leg.arrival_airport))
                if leg.arrival_local:
                    segs.append(w.segment("DTM", ("232", _stamp(leg.arrival_local), "201")))
    for t in travellers:
        segs.extend(_traveller(w, t))
    # CNT carries the flight's totals (a part carries the whole flight's, §7).
    n_pax = sum(1 for t in manifest.travellers if t.role is Role.PASSENGER)
    n_crew = len(manifest.travellers) - n_pax
    pax = manifest.declared_passengers if manifest.declared_passengers is not None else n_pax
    crew = manifest.declared_crew if manifest.declared_crew is not None else n_crew
    if pax or manifest.list_role is Role.PASSENGER:
        segs.append(w.segment("CNT", ("42", pax)))
    if crew or manifest.list_role is Role.CREW:
        segs.append(w.segment("CNT", ("41", crew)))
    segs.append(w.segment("UNT", len(segs) + 1, msg_ref))  # UNH..UNT inclusive
    return segs


def _syntax(body: str) -> tuple[str, str]:
    """(UNB syntax identifier, codec) the data actually needs (STANDARDS.md §8)."""
    if not body.isascii():
        return "UNOW", "utf-8"
    # UNOA is level A, upper case only; lower-case ASCII needs UNOB.
    # (Comparing with upper() is a C-speed test; a per-character loop was the
    # writer's hot spot on benchmark corpora.)
    return ("UNOB" if body.upper() != body else "UNOA"), "ascii"


def _interchange(w: EdifactWriter, manifest: Manifest, message: list[str], ref: str) -> bytes:
    body = "".join(message)
    syntax, codec = _syntax(body)
    env = manifest.envelope
    sender = _party(env.sender, "ZZAIRLINE")
    recipient = _party(env.recipient, "PIUAPI")
    at = _prepared_at(manifest)
    when = (f"{at:%y%m%d}", f"{at:%H%M}")
    group_ref = ref.lstrip("0") or "0"
    version = (env.message_type or DEFAULT_MESSAGE_TYPE).split(":")
    head = [
        w.una_segment(),
        w.segment(
            "UNB", (syntax, "4"), sender, recipient, when, ref, None, env.application_ref or "APIS"
        ),
        w.segment(
            "UNG", version[0], sender, recipient, when, group_ref, "UN", (version[1], version[2])
        ),
    ]
    tail = [w.segment("UNE", 1, group_ref), w.segment("UNZ", 1, ref)]
    return ("".join(head) + body + "".join(tail)).encode(codec)


def _encode_bare(message: list[str]) -> bytes:
    body = "".join(message)
    return body.encode(_syntax(body)[1])


def write_paxlst(
    manifest: Manifest,
    *,
    una: str = DEFAULT_UNA,
    newline: bool = True,
    interchange: bool = True,
) -> bytes:
    """One PAXLST message as bytes.

    With ``interchange`` the message is wrapped in UNA/UNB/UNG ... UNE/UNZ as a carrier
    sends it; without, only UNH ... UNT is returned (for callers that batch several
    messages into one interchange themselves).
    """
    w = cached_writer(una, newline)
    env = manifest.envelope
    message = _message(w, manifest, manifest.travellers, (env.part_number, env.final_part))
    if not interchange:
        return _encode_bare(message)
    return _interchange(w, manifest, message, env.interchange_ref or "1")


def _part_ref(ref: str, index: int) -> str:
    """Each part travels in its own interchange, so each needs its own control ref."""
    if ref.isdigit():
        return str(int(ref) + index).zfill(len(ref))
    return f"{ref}{index}" if index else ref


def write_paxlst_parts(
    manifest: Manifest,
    travellers_per_part: int,
    *,
    una: str = DEFAULT_UNA,
    newline: bool = True,
    interchange: bool = True,
) -> list[bytes]:
    """Split a manifest into parts ``01:C`` ... ``nn:F`` sharing one UNH 0068.

    Every part repeats the header (reporting party, flight, legs) and the flight's
    CNT totals, as carriers do; a manifest that fits in one part yields ``01:F``.
    """
    if travellers_per_part < 1:
        raise ValueError("travellers_per_part must be at least 1")
    w = cached_writer(una, newline)
    # Freeze the 0068 once so every part carries the same key even if it was derived.
    env = replace(manifest.envelope, common_access_ref=common_access_ref(manifest))
    base = replace(manifest, envelope=env)
    chunks = [
        manifest.travellers[i : i + travellers_per_part]
        for i in range(0, len(manifest.travellers), travellers_per_part)
    ] or [[]]
    out: list[bytes] = []
    for index, chunk in enumerate(chunks):
        message = _message(w, base, chunk, (index + 1, index == len(chunks) - 1))
        if interchange:
            out.append(_interchange(w, base, message, _part_ref(env.interchange_ref or "1", index)))
        else:
            out.append(_encode_bare(message))
    return out
