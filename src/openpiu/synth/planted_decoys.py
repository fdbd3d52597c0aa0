"""Look-alike decoys (entries near a traveller that must NOT match) and unrelated
entries (that clear every traveller), for the planted watchlist.

A decoy states how it differs (``differs`` in planted.jsonl) and is only kept when
no person of the day shares what it shares *without* the stated difference: a
birth-decade decoy is dropped if anyone with that name was born within ten years,
a second-name decoy if anyone carries that surname with that given name.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from openpiu.synth.names import NameMaker, _table
from openpiu.synth.names_data import TAJIK_MALE, UZBEK_MALE
from openpiu.synth.planted_lists import Entry, given_keys, surname_key
from openpiu.synth.planted_variants import (
    _CULTURE_COUNTRY,
    _UNRELATED_CULTURES,
    NOMS,
    TravellerIndex,
    _case,
    _entry,
    alt_latin,
    random_doc,
)
from openpiu.synth.translit import icao, mrz_clean

Rec = dict[str, Any]
COMMON_GIVEN = ("MUHAMMAD ALI", "ALI AHMAD", "MUHAMMAD", "AHMAD ALI")
_COMMON_KEYS = given_keys("MUHAMMAD ALI AHMAD")


def _latin(t: Rec, rng: random.Random) -> tuple[str, str]:
    """The traveller's name as a list might hold it: passport form or another spelling."""
    n = {**t["names"], "culture": t["culture"]}
    alt = alt_latin(n, rng) if rng.random() < 0.5 else None
    return alt or (n["passport"][0], n["passport"][1])


def decoy_entry(kind: str, t: Rec, rng: random.Random, index: TravellerIndex,
                today: date) -> tuple[Entry, dict[str, Any]] | None:  # fmt: skip
    n = t["names"]
    if n["mononym"] or not n["passport"][1] or n["truncated"]:
        return None
    c = _case(rng)
    s, g = _latin(t, rng)
    year = int(t["dob"][:4])
    if kind == "decoy_birth_decade":
        shift = rng.choice((-1, 1)) * rng.randint(11, 19)
        y = year + shift
        if not 1935 <= y <= today.year - 18 or index.near(s, g, y, 10):
            return None
        dob = t["dob"].replace(str(year), str(y), 1)
        if dob.endswith("02-29"):
            dob = dob[:-2] + "28"
        e = _entry([c(g), c(s)], c(s), c(g), dob=dob, gender=t["gender"])
        return e, {"dob": dob, "traveller_dob": t["dob"], "years_apart": abs(shift)}
    if kind == "decoy_second_name":
        pool = index.givens.get((t["culture"], t["gender"]), [])
        taken = {k for gk, _, _ in index.by_skey.get(surname_key(s), ()) for k in gk}
        for _ in range(20):
            other = rng.choice(pool) if pool else ""
            keys = given_keys(other)
            if keys and not keys & taken and not keys & _COMMON_KEYS:
                e = _entry([c(other), c(s)], c(s), c(other), dob=t["dob"], gender=t["gender"],
                           nationality=[t["nationality"]])  # fmt: skip
                return e, {"given": other, "traveller_given": n["passport"][1]}
        return None
    if kind == "decoy_common_given":
        if t["gender"] != "M" or not given_keys(n["passport"][1]) & _COMMON_KEYS:
            return None
        # A surname made from a given name (Firdavsov, Sherzodzoda): real Tajik and
        # Uzbek forms, and few enough that one nobody in the day carries is found.
        for _ in range(30):
            stem = icao(_table(rng.choice((TAJIK_MALE, UZBEK_MALE))).pick(rng), "tgk")
            other = mrz_clean(stem + rng.choice(("OV", "ZODA", "I")))
            if surname_key(other) not in index.by_skey:
                common = rng.choice(COMMON_GIVEN)
                e = _entry([c(common), c(other)], c(other), c(common), dob=t["dob"], gender="M",
                           nationality=[t["nationality"]])  # fmt: skip
                return e, {
                    "surname": other,
                    "traveller_surname": n["passport"][0],
                    "shared_given": common,
                }
        return None
    if kind == "decoy_expired":
        e = _entry([c(g), c(s)], c(s), c(g), dob=t["dob"], gender=t["gender"],
                   nationality=[t["nationality"]], csv_only=True,
                   notes="entry expired: must not hit")  # fmt: skip
        return e, {"expired": True}
    return None


def unrelated_entry(rng: random.Random, index: TravellerIndex, today: date) -> Entry | None:
    """A listed person nobody in the day resembles (by the coarse keys, any age)."""
    culture = _table(_UNRELATED_CULTURES).pick(rng)
    gender = "M" if rng.random() < 0.85 else "F"
    pn = NameMaker(rng).person(culture, gender, "")
    s, g = pn.passport_surname, pn.passport_given
    if not s or not index.clear(s, g) or (not g and surname_key(s) in index.by_skey):
        return None
    c = _case(rng)
    e = _entry([c(g), c(s)], c(s), c(g), gender=gender if rng.random() < 0.6 else "U",
               nationality=[rng.choice(_CULTURE_COUNTRY[culture])])  # fmt: skip
    if pn.script in ("Cyrl", "Arab") and rng.random() < 0.5:
        e.original = " ".join(x for x in (pn.original_given, pn.original_surname) if x)
    names = {"original": [pn.original_surname, pn.original_given], "passport": [s, g],
             "script": pn.script, "scheme": pn.scheme, "truncated": pn.truncated,
             "mononym": pn.mononym, "culture": culture}  # fmt: skip
    alt = alt_latin(names, rng) if rng.random() < 0.3 else None
    if alt and index.clear(*alt):
        e.aliases.append(f"{c(alt[1])} {c(alt[0])}")
    if g and rng.random() < 0.15:
        e.weak_aliases.append(f"{rng.choice(NOMS)} {c(g.split()[0])}")
    born = date(rng.randint(1950, today.year - 20), rng.randint(1, 12), rng.randint(1, 28))
    r = rng.random()
    if r < 0.7:
        e.dob = born.isoformat()
    elif r < 0.85:
        e.dob = str(born.year)
    elif r < 0.9:
        e.dob, e.approximate = str(born.year), True
    else:
        e.dob = f"{born.year - rng.randint(1, 2)}..{born.year + rng.randint(1, 2)}"
    if rng.random() < 0.4:
        number, country = random_doc(rng, today - timedelta(days=rng.randint(0, 2000)))
        if (number, country) not in index.docs:
            e.doc_type, e.doc_number, e.doc_country = "P", number, country
    return e
