"""The variations a planted entry may carry, and the look-alikes it must avoid.

Each builder returns an :class:`~openpiu.synth.planted_lists.Entry` made from a
traveller's ground-truth record (truth.jsonl), or ``None`` when that traveller
cannot carry the variation (no Cyrillic original, only one Latin spelling, ...):
the planter then tries the next traveller.  Spellings come from the generator's
own tables and transliteration (read, not changed), so a variation is always one
a real list and a real passport could show for the same person.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import pycountry

from openpiu.synth import names_data as data
from openpiu.synth.names import _table
from openpiu.synth.people import DOC_FORMATS, passport
from openpiu.synth.planted_lists import Entry, given_keys, surname_key
from openpiu.synth.translit import ICAO_RUS, icao, mrz_clean, russianise

Rec = dict[str, Any]
DOC_COUNTRIES = (*sorted(DOC_FORMATS), "DEU")
_NATIONAL = {"tajik": "tgk", "uzbek": "uzb", "kazakh": "kaz", "kyrgyz": "kir"}
# BGN/PCGN-like Russian romanisation, as the press and many lists write it.
_BGN = {**ICAO_RUS, "Й": "Y", "Ю": "YU", "Я": "YA", "Ё": "YO", "Ы": "Y", "Ъ": ""}
_MALE = {"tajik": data.TAJIK_MALE, "uzbek": data.UZBEK_MALE, "kyrgyz": data.KYRGYZ_MALE,
         "kazakh": data.KAZAKH_MALE, "russian": data.RUSSIAN_MALE}  # fmt: skip
_ENDING = re.compile(r"(ОВА|ЕВА|ОВ|ЕВ|ЗОДА|Ӣ)$")
_CULTURE_COUNTRY = {"tajik": ("TJK",), "uzbek": ("UZB",), "kyrgyz": ("KGZ",),
                    "kazakh": ("KAZ",), "russian": ("RUS",), "afghan": ("AFG",),
                    "arab": ("SAU", "ARE", "SYR", "IRQ"), "turkish": ("TUR",),
                    "chinese": ("CHN",)}  # fmt: skip
_UNRELATED_CULTURES = (
    "tajik:35 afghan:20 uzbek:10 arab:10 russian:8 kyrgyz:5 kazakh:5 turkish:4 chinese:3"
)
NOMS = ("Abu", "Mullo", "Amir", "Qori", "Domullo")


def passport_name(t: Rec) -> str:
    return " ".join(x for x in t["names"]["passport"][::-1] if x)


def _bgn(text: str) -> str:
    return "".join(_BGN.get(ch, ch) for ch in russianise(text))


@lru_cache(maxsize=1)
def _arab_siblings() -> dict[str, list[str]]:
    """Latin form -> every Latin form of the same Arabic-script name (the tables'
    ``orig=LATIN1|LATIN2`` entries), MRZ-cleaned as passports print them."""
    out: dict[str, list[str]] = {}
    for spec in (data.AFGHAN_MALE, data.AFGHAN_FEMALE, data.AFGHAN_SURNAMES, data.ARAB_MALE,
                 data.ARAB_FEMALE, data.ARAB_SURNAMES):  # fmt: skip
        for item in spec.split():
            forms = [mrz_clean(f.replace("_", " ")) for f in item.split("=")[1].rsplit(":")[0]
                     .split("|")]  # fmt: skip
            for f in forms:
                out[f] = forms
    return out


def _arab_alt(text: str, rng: random.Random) -> tuple[str, bool]:
    toks, out, i, changed = text.split(), [], 0, False
    sib = _arab_siblings()
    while i < len(toks):
        for width in (2, 1):
            chunk = " ".join(toks[i : i + width])
            if i + width <= len(toks) and chunk in sib and len(sib[chunk]) > 1:
                out.append(rng.choice([f for f in sib[chunk] if f != chunk]))
                i, changed = i + width, True
                break
        else:
            out.append(toks[i])
            i += 1
    return " ".join(out), changed


def alt_latin(n: Rec, rng: random.Random) -> tuple[str, str] | None:
    """Another true Latin spelling of the passport name (``n`` = the record's
    ``names``): the national scheme for a Russian-style passport and vice versa,
    BGN for Russian names, another common romanisation for Arabic-script names."""
    (o_s, o_g), (p_s, p_g) = n["original"], n["passport"]
    if n["truncated"]:
        return None  # the passport lost letters: keep this variation clean
    if n["script"] == "Cyrl":
        lang = _NATIONAL.get(n.get("culture", ""), "")
        if n["scheme"] == "rus" and lang:
            alt = (icao(o_s, lang), icao(o_g, lang))
        else:
            alt = (icao(russianise(o_s)), icao(russianise(o_g)))
        if (mrz_clean(alt[0]), mrz_clean(alt[1])) == (p_s, p_g):
            alt = (_bgn(o_s), _bgn(o_g))
        alt = (mrz_clean(alt[0]), mrz_clean(alt[1]))
        return None if alt == (p_s, p_g) else alt
    if n["script"] == "Arab" and not n["mononym"]:
        (s, c1), (g, c2) = _arab_alt(p_s, rng), _arab_alt(p_g, rng)
        return (s, g) if c1 or c2 else None
    return None


def _case(rng: random.Random) -> Callable[[str], str]:
    return str.title if rng.random() < 0.6 else str.upper


def _entry(parts: list[str], surname: str, given: str, **kw: Any) -> Entry:
    return Entry("", [p for p in parts if p], surname, given, **kw)


def _name(kind: str, t: Rec, rng: random.Random) -> tuple[Entry, str] | None:
    """The name side of a hit; returns the entry and a detail of what varies."""
    n = {**t["names"], "culture": t["culture"]}
    (o_s, o_g), (p_s, p_g) = n["original"], n["passport"]
    c = _case(rng)
    if (
        kind == "script_cyrillic"
        and n["script"] == "Cyrl"
        or (kind == "script_arabic" and n["script"] == "Arab")
    ):
        s, g = c(o_s), c(o_g)
        return _entry([g, s], s, g, original=" ".join(x for x in (g, s) if x)), n["script"]
    if kind == "transliteration":
        alt = alt_latin(n, rng)
        return (_entry([c(alt[1]), c(alt[0])], c(alt[0]), c(alt[1])), "other spelling"
                ) if alt else None  # fmt: skip
    if kind == "surname_form" and t["culture"] in _NATIONAL and _ENDING.search(o_s):
        stem, end = _ENDING.sub("", o_s), _ENDING.search(o_s).group(1)  # type: ignore[union-attr]
        if end in ("ЗОДА", "Ӣ"):
            new = stem + ("ОВА" if t["gender"] == "F" else "ОВ")  # the pre-2007 Russian form
        else:
            # The post-2007 Tajik forms; elsewhere the bare stem.
            new = stem + "ЗОДА" if t["culture"] == "tajik" and rng.random() < 0.4 else stem
        latin = mrz_clean(icao(new, _NATIONAL[t["culture"]]))
        if latin == p_s or not p_g:
            return None
        return _entry([c(p_g), c(latin)], c(latin), c(p_g)), f"{p_s} as {latin}"
    if kind == "name_order" and p_g and not n["mononym"]:
        # The clerk put the family name in the given-name field and vice versa.
        return _entry([c(p_s), c(p_g)], c(p_g), c(p_s)), "surname and given swapped"
    if kind == "missing_middle" and p_g and not n["mononym"]:
        toks = p_g.split()
        if len(toks) >= 2:
            drop = rng.randrange(1, len(toks))
            g = " ".join(toks[:drop] + toks[drop + 1 :])
            return _entry([c(g), c(p_s)], c(p_s), c(g)), f"entry lacks {toks[drop]}"
        if t["culture"] in _MALE:
            father = icao(russianise(_table(_MALE[t["culture"]]).pick(rng)))
            suffix = (
                ("EVNA" if t["gender"] == "F" else "EVICH")
                if father[-1] in "AEIOUY"
                else ("OVNA" if t["gender"] == "F" else "OVICH")
            )
            pat = mrz_clean(father.rstrip("AEIOUY") if father[-1] in "AEIOUY" and
                            len(father) > 3 else father) + suffix  # fmt: skip
            return (_entry([c(p_g), c(pat), c(p_s)], c(p_s), c(f"{p_g} {pat}")),
                    f"entry adds patronymic {pat}")  # fmt: skip
        return None
    if kind == "alias" and p_g:
        alt = alt_latin(n, rng)
        alias = f"{c(alt[1])} {c(alt[0])}" if alt else f"{c(p_s)}, {c(p_g)}"
        nom = f"{rng.choice(NOMS)} {rng.choice(('Hamza', 'Umar', 'Talha', 'Bakr', 'Dovud'))}"
        head, _, tail = nom.partition(" ")
        return _entry([head, tail], tail, head, aliases=[alias]), f"good alias {alias}"
    return None


def _dob(kind: str, dob: str, rng: random.Random) -> tuple[str, bool] | None:
    d = date.fromisoformat(dob)
    if kind == "dob_off_by_one":
        y = d.year + rng.choice((-1, 1))
        return d.replace(year=y, day=min(d.day, 28) if d.month == 2 else d.day).isoformat(), False
    if kind == "dob_day_month_swapped":
        return (
            (date(d.year, d.day, d.month).isoformat(), False)
            if d.day <= 12 and d.day != d.month
            else None
        )
    if kind == "dob_year_only":
        return str(d.year), False
    if kind == "dob_approximate":
        return str(d.year), True
    if kind == "dob_range":
        lo, hi = rng.randint(0, 3), rng.randint(0, 3)
        return f"{d.year - lo}..{d.year + max(hi, 1 - lo)}", False
    return dob, False


def hit_entry(kind: str, t: Rec, rng: random.Random) -> tuple[Entry, list[str]] | None:
    """An entry that must hit traveller ``t`` through variation ``kind``."""
    variations = [kind]
    if kind.startswith("dob_") or kind == "doc_typo":
        second = rng.choice(("transliteration", "name_order", "none"))
        built = _name(second, t, rng) if second != "none" else None
        if built is None:
            (p_s, p_g), c = t["names"]["passport"], _case(rng)
            built = (_entry([c(p_g), c(p_s)], c(p_s), c(p_g)), "")
        else:
            variations.append(second)
    else:
        built = _name(kind, t, rng)
    if built is None:
        return None
    entry, _detail = built
    dob = _dob(kind, t["dob"], rng)
    if dob is None:
        return None
    entry.dob, entry.approximate = dob
    if not kind.startswith("dob_") and rng.random() < 0.15:
        entry.dob = t["dob"][:4]
        variations.append("dob_year_only")
    entry.gender = t["gender"] if rng.random() < 0.7 else "U"
    entry.nationality = [t["nationality"]] if rng.random() < 0.9 else []
    if kind == "doc_typo":
        d = t["document"]
        entry.doc_type, entry.doc_country = "P", d["country"]
        entry.doc_number = typo(d["number"], rng, {d["number"]})
    return entry, variations


class TravellerIndex:
    """Coarse name keys of every person in the day (passport and booking forms)."""

    def __init__(self, people: Iterable[Rec]) -> None:
        self.by_skey: dict[str, list[tuple[set[str], int, str]]] = defaultdict(list)
        self.givens: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.docs: set[tuple[str, str]] = set()
        for t in people:
            year = int(t["dob"][:4])
            n = t["names"]
            for s, g in (n["passport"], n["booking"]):
                self.by_skey[surname_key(s)].append((given_keys(g), year, t["id"]))
            if n["passport"][1]:
                self.givens[(t["culture"], t["gender"])].append(n["passport"][1].split()[0])
            self.docs.add((t["document"]["number"], t["document"]["country"]))

    def near(self, surname: str, given: str, year: int | None = None,
             window: int = 0) -> set[str]:  # fmt: skip
        """Ids of people sharing the surname key and a given-name key (and, with a
        year, born less than ``window`` years apart)."""
        keys = given_keys(given)
        return {
            pid
            for gk, y, pid in self.by_skey.get(surname_key(surname), ())
            if (not keys or gk & keys) and (year is None or abs(y - year) < window)
        }

    def clear(self, surname: str, given: str) -> bool:
        return not self.near(surname, given) and not self.near(given, surname)

    def unique(self, t: Rec) -> bool:
        p_s, p_g = t["names"]["passport"]
        return self.near(p_s, p_g, int(t["dob"][:4]), 2) <= {t["id"]}


def typo(number: str, rng: random.Random, avoid: set[str]) -> str:
    """One character changed as a clerk mistypes: a digit for a digit, O for 0."""
    confuse = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
    while True:
        i = rng.randrange(len(number))
        ch = number[i]
        if ch in confuse and rng.random() < 0.3:
            new = confuse[ch]
        else:
            pool = "0123456789" if ch.isdigit() else "ABCDEFGHJKLMNPRSTUVWXYZ"
            new = rng.choice([x for x in pool if x != ch])
        out = number[:i] + new + number[i + 1 :]
        if out not in avoid:
            return out


def reformat(number: str, i: int) -> str:
    """The same number written with spaces, dashes or lower case."""
    if i % 3 == 0:
        return " ".join(number[j : j + 3] for j in range(0, len(number), 3))
    if i % 3 == 1:
        return f"{number[:2]}-{number[2:]}"
    low = number.lower()
    return low if low != number else f"{number[:4]} {number[4:]}"


def random_doc(rng: random.Random, today: date) -> tuple[str, str]:
    country = rng.choice(DOC_COUNTRIES)
    dob = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return passport(rng, country, dob, today).number, country


def list_code(profile: str) -> str:
    try:
        return str(pycountry.countries.lookup(profile).alpha_2)
    except LookupError:
        return "NL"
