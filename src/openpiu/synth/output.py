"""Write synthetic traffic to disk as carriers send it, with carrier quirks, and a
ground-truth JSON-lines file beside it.

Layout under ``out``::

    paxlst/<sent date>/<flight>_<date>_<pax|crew>[_pNN][_resend].edi
    pnrgov/<sent date>/<flight>_<date>_<T-72|T-24|close>[_resend].edi|.xml
    truth.jsonl     one JSON object a line: traveller, booking, flight, file, missing

Quirks are of two sorts: carrier *habits* (a share of carriers always does it:
non-default UNA, Type-B envelope, ``//`` for ``@``, multi-part PAXLST, DOCS with a
field missing, PNRGOV in XML) and per-message *events* (duplicated, late, missing,
truncated in transmission).  They are drawn from their own ``random.Random`` so
changing the rates never changes the travellers.  Everything is streamed: a
flight's objects are dropped once written.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from openpiu.formats.paxlst_writer import write_paxlst, write_paxlst_parts
from openpiu.formats.pnrgov_xml_writer import write_pnrgov_xml
from openpiu.synth import messages
from openpiu.synth.people import json_text, person_json
from openpiu.synth.pnr_edi import FlightPnr
from openpiu.synth.profiles import Profile, get_profile
from openpiu.synth.traffic import DEFAULT_START, FlightPlan, Party, Traffic

_ALT_UNA = {"paxlst": (":*.? $", ":+,? '"), "pnrgov": (":+.? '", ":*.? $")}
_DOCS_ISSUER = re.compile(rb"(DOCS[^\n]*?/P)/[A-Z]{3}/")
HABITS = ("una", "typeb", "email_slashes", "multipart", "docs_shift", "xml")
# One encoder for every truth line: json.dumps with options builds a new one a call.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Quirks:
    """Rates of carrier quirks.  Habits are shares of carriers; events, of messages."""

    una: float = 0.15
    typeb: float = 0.2
    email_slashes: float = 0.3
    multipart: float = 0.25
    docs_shift: float = 0.1
    xml: float = 0.15
    duplicate: float = 0.01
    late: float = 0.03  # passenger lists only, sent 45 min to 5 h after departure
    missing: float = 0.005
    truncated: float = 0.002  # cut before UNH: meant to be rejected by the parser
    part_size: int = 40  # travellers per PAXLST part

    @classmethod
    def none(cls) -> Quirks:
        return cls(**{f.name: 0 for f in fields(cls) if f.name != "part_size"})


class TrafficWriter:
    def __init__(self, out: Path, profile: Profile, seed: int,
                 quirks: Quirks | None = None) -> None:  # fmt: skip
        self.out, self.profile, self.quirks = out, profile, quirks or Quirks()
        out.mkdir(parents=True, exist_ok=True)
        self.truth: IO[str] = (out / "truth.jsonl").open("w", encoding="utf-8", newline="\n",
                                                        buffering=1 << 20)
        self.rng = random.Random(f"quirks:{seed}")
        q = self.quirks
        self.habits = {code: {h for h in HABITS if self.rng.random() < getattr(q, h)}
                       for code in sorted(profile.carriers)}  # fmt: skip
        self.una = {code: {k: self.rng.choice(v) for k, v in _ALT_UNA.items()}
                    for code in sorted(profile.carriers)}  # fmt: skip
        self.ref = 0
        self.stats: dict[str, int] = {"flights": 0, "travellers": 0, "crew": 0, "bookings": 0,
                                      "files": 0, "bytes": 0, "missing": 0}  # fmt: skip
        self.dirs: set[Path] = set()
        self._line({"type": "profile", "name": profile.name, "seed": seed,
                    "habits": {c: sorted(h) for c, h in self.habits.items()}})  # fmt: skip

    def _line(self, obj: dict[str, Any]) -> None:
        self.truth.write(_to_json(obj) + "\n")

    def _next_ref(self, n: int = 1) -> str:
        ref = self.ref + 1
        self.ref += n
        return str(ref).zfill(9)

    # -- one flight ----------------------------------------------------------------
    def flight(self, traffic: Traffic, plan: FlightPlan) -> None:
        for party in plan.parties:
            for p in party.pax:
                self._record(p.person)
        for person, _ in plan.crew:
            self._record(person)
        habits = self.habits[plan.carrier.code]
        edi = None
        if "xml" not in habits:
            una = self.una[plan.carrier.code]["pnrgov"] if "una" in habits else ":+.?*'"
            edi = FlightPnr(plan, una, self.profile.pnr_recipient, "email_slashes" in habits)
        for stage in messages.STAGES:
            self._pnr(plan, stage, habits, edi)
        dep = plan.departure
        self._paxlst(plan, "crew", messages.crew_list(plan, self.profile.api_recipient,
                     self._next_ref(), dep - timedelta(minutes=60)), habits)  # fmt: skip
        late = self.rng.random() < self.quirks.late
        sent = dep + timedelta(minutes=self.rng.randint(45, 300) if late else 5)
        n_parts = 1
        if "multipart" in habits:
            boarded = sum(1 for pa in plan.parties for p in pa.pax if p.status == "boarded")
            n_parts = max(1, -(-boarded // self.quirks.part_size))
        manifest = messages.passenger_list(traffic, plan, self.profile.api_recipient,
                                           self._next_ref(n_parts), sent)  # fmt: skip
        self._paxlst(plan, "pax", manifest, habits, ["late"] if late else [])
        self._truth_flight(plan)

    def _record(self, person: Any) -> None:
        if not person.recorded:
            person.recorded = True
            self.truth.write(person_json(person) + "\n")

    def _pnr(self, plan: FlightPlan, stage: str, habits: set[str],
             edi: FlightPnr | None) -> None:  # fmt: skip
        if self.rng.random() < self.quirks.missing:
            self._missing(plan, stage)
            return
        ref = self._next_ref()
        applied: list[str] = []
        if edi is None:  # the XML habit: through the model
            model, chosen = messages.push(plan, stage, self.profile.pnr_recipient, ref,
                                          slashes="email_slashes" in habits)  # fmt: skip
            if not chosen and model.kind.value == "update":
                return  # nothing changed: no update push is sent
            data, ext, kind = write_pnrgov_xml(model), "xml", "pnrgov_xml"
            assert model.envelope.prepared_at is not None
            sent = model.envelope.prepared_at
            applied.append("xml")
        else:
            pushed = edi.push(stage, ref)
            if pushed is None:
                return  # nothing changed: no update push is sent
            data, sent, chosen = pushed
            ext, kind = "edi", "pnrgov"
            if "una" in habits:
                applied.append("una")
            if "docs_shift" in habits:
                data, n = _DOCS_ISSUER.subn(rb"\1/", data)
                if n:
                    applied.append("docs_shift")
        if "email_slashes" in habits and any(p.email for p in chosen):
            applied.insert(0, "email_slashes")
        self._emit("pnrgov", kind, plan, stage, [data], ext, sent, applied, habits)

    def _paxlst(self, plan: FlightPlan, label: str, manifest: Any, habits: set[str],
                applied: list[str] | None = None) -> None:  # fmt: skip
        applied = list(applied or [])
        if self.rng.random() < self.quirks.missing:
            self._missing(plan, label)
            return
        una = self.una[plan.carrier.code]["paxlst"] if "una" in habits else ":+.? '"
        if "una" in habits:
            applied.append("una")
        if "multipart" in habits and label == "pax":
            parts = write_paxlst_parts(manifest, self.quirks.part_size, una=una)
            if len(parts) > 1:
                applied.append("multipart")
        else:
            parts = [write_paxlst(manifest, una=una)]
        self._emit("paxlst", "paxlst", plan, label, parts, "edi",
                   manifest.envelope.prepared_at, applied, habits)  # fmt: skip

    def _emit(self, folder: str, kind: str, plan: FlightPlan, label: str, parts: list[bytes],
              ext: str, sent: datetime, applied: list[str], habits: set[str]) -> None:  # fmt: skip
        f = plan.flight
        base = f"{f.designator}_{f.flight_date:%Y%m%d}_{label}"
        for i, data in enumerate(parts, 1):
            quirks = list(applied)
            expect = "processed" if i == len(parts) else "held"
            if "typeb" in habits and ext == "edi":
                data = _type_b(data, self.profile, f.carrier, sent)
                quirks.append("typeb")
            if self.rng.random() < self.quirks.truncated:
                # Cut before the message header (UNH, or the XML root element): the
                # parser can only refuse it.
                cut = data.find(b"UNH") if ext == "edi" else data.find(b"<IATA")
                data = data[: self.rng.randint(1, max(1, cut - 1))]
                quirks.append("truncated")
                expect = "rejected"
            name = f"{base}_p{i:02d}" if len(parts) > 1 else base
            self._file(folder, kind, plan, label, f"{name}.{ext}", data, sent, quirks, expect)
            if expect != "rejected" and self.rng.random() < self.quirks.duplicate:
                again = sent + timedelta(minutes=self.rng.randint(5, 90))
                self._file(folder, kind, plan, label, f"{name}_resend.{ext}", data, again,
                           [*quirks, "duplicate"], "duplicate")  # fmt: skip

    def _file(self, folder: str, kind: str, plan: FlightPlan, label: str, name: str,
              data: bytes, sent: datetime, quirks: list[str], expect: str) -> None:  # fmt: skip
        directory = self.out / folder / f"{sent:%Y-%m-%d}"
        if directory not in self.dirs:
            directory.mkdir(parents=True, exist_ok=True)
            self.dirs.add(directory)
        path = directory / name
        path.write_bytes(data)
        self.stats["files"] += 1
        self.stats["bytes"] += len(data)
        self._line({"type": "file", "path": str(path.relative_to(self.out)), "kind": kind,
                    "flight": plan.flight.key, "message": label, "sent_at": sent.isoformat(),
                    "quirks": quirks, "expect": expect})  # fmt: skip

    def _missing(self, plan: FlightPlan, label: str) -> None:
        self.stats["missing"] += 1
        self._line({"type": "missing", "flight": plan.flight.key, "message": label,
                    "quirks": ["missing"]})  # fmt: skip

    def _truth_flight(self, plan: FlightPlan) -> None:
        f, leg = plan.flight, plan.flight.legs[0]
        status: dict[str, list[str]] = {"boarded": [], "no_show": [], "cancelled": []}
        # Booking lines composed as text, as json writes these dicts (compact,
        # ensure_ascii=False, keys in this order): one per booking, 3,000 a day.
        head = f'{{"type":"booking","flight":{json_text(f.key)},"locator":'
        system = json_text(plan.carrier.system)
        lines = []
        for party in plan.parties:
            changes = ",".join(f'{{"at":"{at.isoformat()}","what":{json_text(what)},'
                               f'"traveller":{json_text(pid)}}}'
                               for at, what, pid in party.changes)  # fmt: skip
            booked_as = ",".join(f"[{json_text(p.surname)},{json_text(p.given)}]"
                                 for p in party.pax)  # fmt: skip
            lines.append(
                f'{head}{json_text(party.locator)},"system":{system},'
                f'"created":"{party.created.isoformat()}","kind":{json_text(party.kind)},'
                f'"channel":{json_text(party.channel)},'
                f'"agency":{json_text(party.agency.name if party.agency else None)},'
                f'"payment":{json_text(party.payment)},'
                f'"cancelled":{"true" if party.cancelled else "false"},'
                f'"travellers":[{",".join(json_text(p.person.pid) for p in party.pax)}],'
                f'"booked_as":[{booked_as}],'
                f'"changes":[{changes}]{_journey(plan, party)}}}\n')  # fmt: skip
            for p in party.pax:
                status.get(p.status, status["cancelled"]).append(p.person.pid)
        self.truth.write("".join(lines))
        self._line({
            "type": "flight", "key": f.key, "carrier": f.carrier, "number": f.number,
            "origin": leg.departure_airport, "destination": leg.arrival_airport,
            "departure_local": leg.departure_local.isoformat() if leg.departure_local else None,
            "arrival_local": leg.arrival_local.isoformat() if leg.arrival_local else None,
            "equipment": plan.route.equipment, "seats": plan.seats, **status,
            "crew": [p.pid for p, _ in plan.crew],
        })  # fmt: skip
        self.stats["flights"] += 1
        self.stats["bookings"] += len(plan.parties)
        self.stats["travellers"] += sum(len(p.pax) for p in plan.parties)
        self.stats["crew"] += len(plan.crew)

    def close(self) -> None:
        self._line({"type": "summary", **self.stats})
        self.truth.close()


def _journey(plan: FlightPlan, party: Party) -> str:
    """The booking line's optional tail: ``"itinerary"``, every leg of a connecting
    booking in order (``[designator, from, to, local departure]``), and
    ``"planted"``, the travel pattern planted in it (see travel_patterns.py).
    Absent for the usual single-flight booking."""
    out = ""
    if party.before or party.after:
        f, leg = plan.flight, plan.flight.legs[0]
        legs = [*((f"{s.carrier}{s.number}", s.departure_airport, s.arrival_airport,
                   s.departure_local) for s in party.before),
                (f"{f.carrier}{f.number}", leg.departure_airport, leg.arrival_airport,
                 leg.departure_local),
                *((f"{s.carrier}{s.number}", s.departure_airport, s.arrival_airport,
                   s.departure_local) for s in party.after)]  # fmt: skip
        out += ',"itinerary":[' + ",".join(
            f'[{json_text(d)},{json_text(a)},{json_text(b)},'
            f'{json_text(t.isoformat() if t else None)}]' for d, a, b, t in legs) + "]"
    if party.planted:
        out += f',"planted":{json_text(party.planted)}'
    return out


def _type_b(data: bytes, profile: Profile, carrier: str, sent: datetime) -> bytes:
    """A Type-B teletype envelope around the interchange (SOH, address lines, STX
    ... ETX), as messages relayed through SITA or ARINC arrive."""
    head = (f"\x01QK {profile.api_recipient[:7]}\r\n.{profile.airports[0]}KK{carrier} "
            f"{sent:%d%H%M}\r\n\x02").encode("ascii")  # fmt: skip
    return head + data + b"\x03"


def generate(profile: Profile, days: int, out: Path, seed: int, *,
             start: Any = DEFAULT_START, quirks: Quirks | None = None) -> dict[str, Any]:
    """Generate ``days`` days of traffic under ``out``; returns the figures."""
    began = time.perf_counter()
    traffic = Traffic(profile, seed, start)
    writer = TrafficWriter(out, profile, seed, quirks)
    try:
        for day in range(days):
            for plan in traffic.day(day):
                writer.flight(traffic, plan)
    finally:
        writer.close()
    seconds = time.perf_counter() - began
    return {**writer.stats, "profile": profile.name, "days": days, "seed": seed,
            "out": str(out), "seconds": round(seconds, 3),
            "travellers_per_second": round(writer.stats["travellers"] / seconds, 1)
            if seconds else None}  # fmt: skip


def synth_main(profile: str, days: int, out: Path, seed: int) -> dict[str, Any]:
    """Entry point for ``piu synth``: the profile by name, default quirk rates."""
    return generate(get_profile(profile), days, Path(out), seed)
