"""Planted cases with known answers (issue 4, item 2): watchlists built from a
generated day's ground truth, so screening (issue 5) can measure itself.

``plant(out_dir, seed)`` reads ``out_dir/truth.jsonl`` and writes under
``out_dir/watchlists/``:

* ``national_watchlist.xml`` (UN consolidated list shape) and
  ``national_watchlist.csv`` (DESIGN.md watchlist CSV): the same entries.
  Planted hits match a traveller only through real-world variation (another
  script, transliteration, surname form, name order, a middle name or
  patronymic on one side only, a fuzzy date of birth, a document-number typo);
  decoys look like a traveller but must not match; unrelated entries clear every
  traveller by construction (:func:`planted_lists.surname_key` / ``given_keys``).
* ``lost_stolen.csv``: document-only list with planted and decoy documents.
* ``planted.jsonl``: the answers, one JSON object a line (see ``_write``).

A large run is sampled: planting reads whole flights from the start of
``truth.jsonl`` up to about :data:`MAX_TRAVELLERS` travellers, so memory stays
bounded; decoys and unrelated entries are then checked against that sample only.

Travel patterns for the criteria issue (:mod:`openpiu.synth.planted_patterns`)
are of two sorts: *selected* from facts the generator records (bookings carry
payment, channel, agency, creation time), and *planted* by the generator itself
(broken itineraries via a hub, new passports on late tickets, repeated short
trips), which it marks in the booking lines.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpiu.synth import planted_decoys as pd
from openpiu.synth import planted_lists as pl
from openpiu.synth import planted_variants as pv
from openpiu.synth.planted_lists import Entry
from openpiu.synth.planted_patterns import pattern_lines

N_PER_KIND = 6
N_DECOYS = 6
N_UNRELATED = 400
HIT_KINDS = ("script_cyrillic", "script_arabic", "transliteration", "surname_form",
             "name_order", "missing_middle", "alias", "dob_off_by_one",
             "dob_day_month_swapped", "dob_year_only", "dob_approximate", "dob_range",
             "doc_typo")  # fmt: skip
DECOY_KINDS = ("decoy_birth_decade", "decoy_second_name", "decoy_common_given",
               "decoy_expired")  # fmt: skip
OWNERS = (
    "State Committee for National Security",
    "Drug Control Agency",
    "Financial Monitoring Department",
    "Border Troops",
    "Ministry of Internal Affairs",
)
BASES = (
    "Law on Combating Terrorism, art. 11",
    "Criminal Procedure Code, art. 98",
    "Law on Combating Money Laundering, art. 7",
    "Court order",
    "Interpol diffusion",
)
ACTIONS = ("notify", "notify", "inspect", "contact", "no_board")


@dataclass
class Day:
    """What the planting needs from truth.jsonl."""

    travellers: list[dict[str, Any]]  # adult passengers, file order
    by_id: dict[str, dict[str, Any]]
    bookings: list[dict[str, Any]]
    flights: dict[str, dict[str, Any]]
    first_date: date
    profile: str


# Most travellers planting reads (about 4 KB each as dicts): a large profile's day
# (420,000) or many days would not fit in memory.  Past this many, reading stops at
# the end of the current flight, so the sample is whole flights from the start.
MAX_TRAVELLERS = 80_000


def read_day(out_dir: Path, max_travellers: int = MAX_TRAVELLERS) -> Day:
    everyone: list[dict[str, Any]] = []
    bookings, flights, profile = [], {}, ""
    with (out_dir / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            kind = o["type"]
            if kind == "traveller":
                everyone.append(o)
            elif kind == "booking":
                bookings.append(o)
            elif kind == "flight":
                flights[o["key"]] = o
                if len(everyone) >= max_travellers:
                    break
            elif kind == "profile":
                profile = o["name"]
    first = min(date.fromisoformat(k.split("/")[1]) for k in flights)
    adult_before = first.replace(year=first.year - 18)
    adults = [t for t in everyone if t["role"] == "passenger"
              and date.fromisoformat(t["dob"]) <= adult_before]  # fmt: skip
    return Day(adults, {t["id"]: t for t in everyone}, bookings, flights, first, profile)


class Planter:
    def __init__(self, day: Day, seed: int) -> None:
        self.day = day
        self.rng = random.Random(seed)
        self.index = pv.TravellerIndex(day.by_id.values())
        self.used: set[str] = set()
        self.entries: list[Entry] = []
        self.records: list[tuple[dict[str, Any], Entry | None]] = []
        pool = list(day.travellers)
        self.rng.shuffle(pool)
        self.pool = pool

    def _meta(self, e: Entry, expired: bool = False) -> Entry:
        rng, today = self.rng, self.day.first_date
        e.action, e.legal_basis, e.owner = (rng.choice(ACTIONS), rng.choice(BASES),
                                            rng.choice(OWNERS))  # fmt: skip
        e.listed_on = (today - timedelta(days=rng.randint(30, 3000))).isoformat()
        e.expires = (
            (today - timedelta(days=rng.randint(10, 400)))
            if expired
            else (today + timedelta(days=rng.randint(90, 1500)))
        ).isoformat()
        self.entries.append(e)
        return e

    def _order(self) -> list[dict[str, Any]]:
        # Each kind starts at its own place in the pool, so travellers one kind
        # rejects do not pile up at the front of the next kind's queue.
        start = self.rng.randrange(len(self.pool))
        return self.pool[start:] + self.pool[:start]

    # -- hits ------------------------------------------------------------------------
    def hits(self) -> None:
        for kind in HIT_KINDS:
            made = 0
            for t in self._order():
                if made == N_PER_KIND:
                    break
                if t["id"] in self.used or not self.index.unique(t):
                    continue
                built = pv.hit_entry(kind, t, self.rng)
                if built is None:
                    continue
                entry, variations = built
                self.used.add(t["id"])
                self._meta(entry)
                self.records.append(
                    (
                        {
                            "type": "hit",
                            "traveller": t["id"],
                            "kind": kind,
                            "variations": variations,
                            "expect": "alert",
                            "traveller_name": pv.passport_name(t),
                        },
                        entry,
                    )
                )
                made += 1

    # -- decoys ----------------------------------------------------------------------
    def decoys(self) -> None:
        for kind in DECOY_KINDS:
            made = 0
            for t in self._order():
                if made == N_DECOYS:
                    break
                if t["id"] in self.used:
                    continue
                built = pd.decoy_entry(kind, t, self.rng, self.index, self.day.first_date)
                if built is None:
                    continue
                entry, differs = built
                self.used.add(t["id"])
                self._meta(entry, expired=kind == "decoy_expired")
                self.records.append(
                    (
                        {
                            "type": "decoy",
                            "near": t["id"],
                            "kind": kind,
                            "differs": differs,
                            "expect": "no_alert",
                            "formats": ["csv"] if entry.csv_only else ["csv", "xml"],
                            "traveller_name": pv.passport_name(t),
                        },
                        entry,
                    )
                )
                made += 1

    def unrelated(self) -> int:
        rng = random.Random(f"unrelated:{self.rng.random()}")
        made = tries = 0
        while made < N_UNRELATED and tries < N_UNRELATED * 20:
            tries += 1
            e = pd.unrelated_entry(rng, self.index, self.day.first_date)
            if e is not None:
                self._meta(e)
                made += 1
        return made

    # -- lost and stolen documents ---------------------------------------------------
    def lost_stolen(self) -> list[tuple[str, str, str]]:
        rng, docs = self.rng, self.index.docs
        rows: list[tuple[str, str, str]] = []
        picked = [t for t in self.pool if t["id"] not in self.used][: 4 * N_DECOYS]
        for i, t in enumerate(picked):
            d = t["document"]
            self.used.add(t["id"])
            if i < N_DECOYS:
                kind, number, country = "doc_exact", d["number"], d["country"]
            elif i < 2 * N_DECOYS:
                kind, number, country = "doc_formatting", pv.reformat(d["number"], i), d["country"]
            elif i < 3 * N_DECOYS:
                kind, number = "doc_other_country", d["number"]
                country = next(c for c in pv.DOC_COUNTRIES if c != d["country"]
                               and (number, c) not in docs)  # fmt: skip
            else:
                kind, country = "doc_near_number", d["country"]
                number = pv.typo(d["number"], rng, {n for n, _ in docs})
            rows.append(("P", number, country))
            hit = kind in ("doc_exact", "doc_formatting")
            self.records.append(({
                "type": "document_hit" if hit else "document_decoy", "list": "lost_stolen",
                ("traveller" if hit else "near"): t["id"], "kind": kind,
                "doc_number": number, "doc_country": country,
                "traveller_doc": [d["number"], d["country"]],
                "expect": "hit" if hit else "no_hit"}, None))  # fmt: skip
        today = self.day.first_date
        while len(rows) < 150:
            n, c = pv.random_doc(rng, today)
            if (n, c) not in docs and n not in {r[1] for r in rows}:
                rows.append(("P", n, c))
        rng.shuffle(rows)
        return rows

    # -- travel patterns (criteria issue) ---------------------------------------------
    def patterns(self) -> list[dict[str, Any]]:
        day = self.day
        return pattern_lines(day.bookings, day.flights, day.by_id)


def plant(out_dir: Path, seed: int) -> dict[str, int]:
    """Plant watchlists for the generated day under ``out_dir``; returns counts by kind."""
    out_dir = Path(out_dir)
    day = read_day(out_dir)
    p = Planter(day, seed)
    p.hits()
    p.decoys()
    n_unrelated = p.unrelated()
    docs = p.lost_stolen()
    patterns = p.patterns()
    # Shuffle before numbering: ids and references must not betray hits or decoys.
    p.rng.shuffle(p.entries)
    code = pv.list_code(day.profile)
    for i, e in enumerate(p.entries, 1):
        e.entry_id, e.list_ref = f"NWL-{i:06d}", f"{code}i.{i:03d}"
    wl = out_dir / "watchlists"
    wl.mkdir(parents=True, exist_ok=True)
    generated = f"{day.first_date - timedelta(days=1)}T00:00:00.000Z"
    (wl / "national_watchlist.xml").write_bytes(pl.watchlist_xml(p.entries, generated, code))
    (wl / "national_watchlist.csv").write_bytes(pl.watchlist_csv(p.entries).encode("utf-8"))
    (wl / "lost_stolen.csv").write_bytes(pl.lost_stolen_csv(docs).encode("utf-8"))
    counts: dict[str, int] = defaultdict(int)
    lines = []
    for rec, entry in p.records:
        if entry is not None:
            rec = {
                **rec,
                "list": "national_watchlist",
                "entry_id": entry.entry_id,
                "list_ref": entry.list_ref,
                "entry_name": entry.full_name,
            }
        counts[f"{rec['type']}:{rec['kind']}"] += 1
        lines.append(rec)
    for pat in patterns:
        counts[f"pattern:{pat['pattern']}"] += len(pat.get("locators") or pat.get("clusters") or [])
        lines.append(pat)
    counts["unrelated"] = n_unrelated
    counts["entries"] = len(p.entries)
    counts["lost_stolen_rows"] = len(docs)
    summary = {"type": "summary", "seed": seed, **dict(sorted(counts.items()))}
    with (wl / "planted.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for rec in [*lines, summary]:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    return dict(sorted(counts.items()))
