"""Travellers' names in three forms: original script, passport (MRZ), booking.

A screening engine meets one person under several spellings: the Cyrillic or
Arabic original a national list holds, the Latin a passport's MRZ prints (ICAO
Doc 9303, or a national scheme, see :mod:`openpiu.synth.translit`) and the
spelling a booking agent typed, title glued on (``RUSTAMMR``).  :class:`PersonName`
carries all three, so the ground truth can later score cross-script matching.

Deterministic: every choice comes from the ``random.Random`` the caller passes.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from openpiu.synth import names_data as data
from openpiu.synth.translit import (
    airline_spelling,
    fold_latin,
    icao,
    mrz_clean,
    mrz_fit,
    russianise,
)

CYRILLIC = ("tajik", "uzbek", "kyrgyz", "kazakh", "russian")
CULTURES = (*CYRILLIC, "afghan", "arab", "turkish", "chinese", "german", "english", "indian",
            "polish", "italian", "romanian", "spanish", "french")


@dataclass(frozen=True, slots=True)
class PersonName:
    culture: str
    script: str  # ISO 15924 of the original: Cyrl, Arab, Latn, Hani
    original_surname: str
    original_given: str
    passport_surname: str  # MRZ form: A-Z and spaces, truncated to the TD3 field
    passport_given: str
    booking_surname: str  # airline spelling, title not included
    booking_given: str
    title: str  # MR, MRS, MS, MSTR, MISS, ...
    scheme: str  # how the passport form was made: rus (ICAO), tgk, uzb, romanised, ...
    truncated: bool = False
    mononym: bool = False

    @property
    def booking_tif(self) -> str:
        """The given name as a reservation system holds it: title glued on."""
        return self.booking_given + self.title


class _Table:
    """A weighted list, sampled with one ``random()`` and a bisect (fast, stable)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, spec: str) -> None:
        pairs = [entry.rsplit(":", 1) for entry in spec.split()]
        self.items = [name for name, _ in pairs]
        self.cum = list(accumulate(float(w) for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect(self.cum, rng.random() * self.total)]


@lru_cache(maxsize=64)
def _table(spec: str) -> _Table:
    return _Table(spec)


def _variants(entry: str) -> tuple[str, list[str]]:
    """``arabic=LATIN1|LATIN2`` -> (original, [Latin forms])."""
    original, _, latin = entry.partition("=")
    return original, latin.replace("_", " ").split("|")


# (male, female, surname-or-stem table, stem-based?) per Cyrillic culture
_CYR = {
    "tajik": (data.TAJIK_MALE, data.TAJIK_FEMALE, data.TAJIK_STEMS, True),
    "uzbek": (data.UZBEK_MALE, data.UZBEK_FEMALE, data.UZBEK_STEMS, True),
    "kyrgyz": (data.KYRGYZ_MALE, data.KYRGYZ_FEMALE, data.KYRGYZ_STEMS, True),
    "kazakh": (data.KAZAKH_MALE, data.KAZAKH_FEMALE, data.KAZAKH_STEMS, True),
    "russian": (data.RUSSIAN_MALE, data.RUSSIAN_FEMALE, data.RUSSIAN_SURNAMES, False),
}
# National scheme of each culture's passports, and the share still issued (or
# first recorded) in the Russian spelling.
_SCHEME = {"tajik": ("tgk", 0.45), "uzbek": ("uzb", 0.4), "kyrgyz": ("kir", 0.4),
           "kazakh": ("kaz", 0.3), "russian": ("rus", 1.0)}  # fmt: skip
# Surname endings of stem cultures: (kind, weight).  ov = -ов/-ев (-ова/-ева).
_ENDINGS = {
    "tajik": (("ov", 50), ("zoda", 35), ("i", 8), ("bare", 7)),
    "uzbek": (("ov", 92), ("bare", 8)),
    "kyrgyz": (("ov", 82), ("uulu", 18)),
    "kazakh": (("ov", 85), ("uly", 15)),
}
_LATIN = {
    "turkish": (data.TURKISH_MALE, data.TURKISH_FEMALE, data.TURKISH_SURNAMES),
    "german": (data.GERMAN_MALE, data.GERMAN_FEMALE, data.GERMAN_SURNAMES),
    "english": (data.ENGLISH_MALE, data.ENGLISH_FEMALE, data.ENGLISH_SURNAMES),
    "indian": (data.INDIAN_MALE, data.INDIAN_FEMALE, data.INDIAN_SURNAMES),
    "polish": (data.POLISH_MALE, data.POLISH_FEMALE, data.POLISH_SURNAMES),
    "italian": (data.ITALIAN_MALE, data.ITALIAN_FEMALE, data.ITALIAN_SURNAMES),
    "romanian": (data.ROMANIAN_MALE, data.ROMANIAN_FEMALE, data.ROMANIAN_SURNAMES),
    "spanish": (data.SPANISH_MALE, data.SPANISH_FEMALE, data.SPANISH_SURNAMES),
    "french": (data.FRENCH_MALE, data.FRENCH_FEMALE, data.FRENCH_SURNAMES),
}
_ARABIC = {
    "afghan": (data.AFGHAN_MALE, data.AFGHAN_FEMALE, data.AFGHAN_SURNAMES),
    "arab": (data.ARAB_MALE, data.ARAB_FEMALE, data.ARAB_SURNAMES),
}
_VOWELS = frozenset("аеёиоуыэюяӣӯўәөұүі")


def _cyr_surname(stem: str, kind: str, gender: str) -> str:
    """A family's surname for one member: Раҳмон + ov -> Раҳмонов / Раҳмонова."""
    female = gender == "F"
    if kind == "ov":
        if stem.endswith("й"):
            base = stem[:-1] + "ев"
        elif stem[-1] in _VOWELS:
            base = stem + "ев"
        else:
            base = stem + "ов"
        return base + ("а" if female else "")
    if kind == "zoda":
        return stem + "зода"
    if kind == "i":
        return stem + "ӣ"
    if kind == "uulu":
        return stem + (" кызы" if female else " уулу")
    if kind == "uly":
        return stem + ("қызы" if female else "ұлы")
    return stem


def _russian_female(surname: str) -> str:
    for male, female in (("ский", "ская"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"),
                         ("ин", "ина"), ("ын", "ына")):  # fmt: skip
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname  # Белых, Шевченко: the same for both


@dataclass(frozen=True, slots=True)
class Family:
    """What relatives share: the surname (before gender endings) and, for Arab
    names, the father's name that children carry as their second name."""

    culture: str
    surname: str  # stem (stem cultures), whole male surname, or an "orig=LATIN" entry
    kind: str = ""  # surname ending kind for stem cultures
    father: str = ""  # Arab: the father's own name entry (children's second name)


class NameMaker:
    """Makes :class:`PersonName` values from the weighted tables."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def family(self, culture: str) -> Family:
        rng = self.rng
        if culture in _CYR:
            _, _, surnames, stems = _CYR[culture]
            stem = _table(surnames).pick(rng)
            if not stems:
                return Family(culture, stem)
            kinds = _ENDINGS[culture]
            kind = _table(" ".join(f"{k}:{w}" for k, w in kinds)).pick(rng)
            if kind == "i" and stem[-1] in _VOWELS:
                kind = "ov"
            return Family(culture, stem, kind)
        if culture in _ARABIC:
            male, _, surnames = _ARABIC[culture]
            return Family(culture, _table(surnames).pick(rng), father=_table(male).pick(rng))
        if culture == "chinese":
            return Family(culture, _table(data.CHINESE_SURNAMES).pick(rng))
        surname = _table(_LATIN[culture][2]).pick(rng)
        if culture == "spanish":  # father's and mother's first surnames
            surname += " " + _table(_LATIN[culture][2]).pick(rng)
        return Family(culture, surname)

    def person(self, culture: str, gender: str, title: str,
               family: Family | None = None) -> PersonName:  # fmt: skip
        fam = family or self.family(culture)
        if culture in _CYR:
            return self._cyrillic(fam, gender, title)
        if culture in _ARABIC:
            return self._arabic(fam, gender, title, family is not None)
        if culture == "chinese":
            return self._chinese(fam, gender, title)
        return self._latin(fam, gender, title)

    # -- per script -------------------------------------------------------------
    def _finish(self, culture: str, script: str, orig: tuple[str, str], latin: tuple[str, str],
                title: str, scheme: str, booking: tuple[str, str] | None = None,
                mononym: bool = False) -> PersonName:  # fmt: skip
        surname, given = mrz_clean(latin[0]), mrz_clean(latin[1])
        p_sur, p_giv, cut = mrz_fit(surname, given)
        rng = self.rng
        if booking is None:
            b_sur = airline_spelling(rng, surname)
            b_giv = airline_spelling(rng, given)
        else:
            b_sur, b_giv = mrz_clean(booking[0]), mrz_clean(booking[1])
        # Booking screens keep the first given name only, more often than not.
        if " " in b_giv and rng.random() < 0.6:
            b_giv = b_giv.split(" ", 1)[0]
        b_sur = b_sur.replace(" ", "") if rng.random() < 0.5 else b_sur
        return PersonName(culture, script, orig[0], orig[1], p_sur, p_giv, b_sur,
                          b_giv.replace(" ", ""), title, scheme, cut, mononym)  # fmt: skip

    def _cyrillic(self, fam: Family, gender: str, title: str) -> PersonName:
        rng = self.rng
        male, female, _, stems = _CYR[fam.culture]
        given = _table(male if gender == "M" else female).pick(rng)
        if stems:
            surname = _cyr_surname(fam.surname, fam.kind, gender)
        else:
            surname = fam.surname if gender == "M" else _russian_female(fam.surname)
        national, p_russian = _SCHEME[fam.culture]
        if rng.random() < p_russian:
            scheme = "rus"
            latin = (icao(russianise(surname)), icao(russianise(given)))
        else:
            scheme = national
            latin = (icao(surname, national), icao(given, national))
        return self._finish(fam.culture, "Cyrl", (surname.upper(), given.upper()), latin,
                            title, scheme)  # fmt: skip

    def _arabic(self, fam: Family, gender: str, title: str, related: bool) -> PersonName:
        rng = self.rng
        male, female, _ = _ARABIC[fam.culture]
        own_o, own_l = _variants(_table(male if gender == "M" else female).pick(rng))
        sur_o, sur_l = _variants(fam.surname)
        # Passport offices romanise by ear: the first (usual) form, sometimes another.
        pick = _latin_variant
        if fam.culture == "afghan" and not related and rng.random() < 0.25:
            # A mononym: one name only.  The MRZ puts it in the surname field; some
            # passports and most bookings fill the empty given name with FNU.
            name = pick(rng, own_l)
            given = "FNU" if rng.random() < 0.3 else ""
            return self._finish(fam.culture, "Arab", (own_o, ""), (name, given), title,
                                "romanised", (name, "FNU"), mononym=True)  # fmt: skip
        given_o, given_l = [own_o], [pick(rng, own_l)]
        if fam.culture == "arab":
            # Ism + father's ism (+ grandfather's): long given names that the MRZ
            # truncates.  Relatives share the father's name; others get their own.
            fo, fl = _variants(fam.father if related else _table(male).pick(rng))
            given_o.append(fo)
            given_l.append(fl[0])
            for p_more in (0.5, 0.25):  # grandfather, great-grandfather
                if rng.random() >= p_more:
                    break
                go, gl = _variants(_table(male).pick(rng))
                given_o.append(go)
                given_l.append(gl[0])
        booking = (rng.choice(sur_l), rng.choice(own_l))
        return self._finish(fam.culture, "Arab", (sur_o, " ".join(given_o)),
                            (pick(rng, sur_l), " ".join(given_l)), title, "romanised",
                            booking)  # fmt: skip

    def _chinese(self, fam: Family, gender: str, title: str) -> PersonName:
        rng = self.rng
        sur_o, sur_l = _variants(fam.surname)
        giv_o, giv_l = _variants(
            _table(data.CHINESE_MALE if gender == "M" else data.CHINESE_FEMALE).pick(rng))
        return self._finish("chinese", "Hani", (sur_o, giv_o), (sur_l[0], giv_l[0]), title,
                            "pinyin", (sur_l[0], giv_l[0]))  # fmt: skip

    def _latin(self, fam: Family, gender: str, title: str) -> PersonName:
        rng = self.rng
        male, female, _ = _LATIN[fam.culture]
        given = _table(male if gender == "M" else female).pick(rng)
        if fam.culture in ("german", "english") and rng.random() < 0.2:
            given += " " + _table(male if gender == "M" else female).pick(rng)
        # ICAO expands umlauts (MÜLLER -> MUELLER); Turkish passports drop the
        # diacritic (ÖZTÜRK -> OZTURK); booking screens mostly drop it too.
        expand = fam.culture == "german"
        surname = fam.surname
        if fam.culture == "polish" and gender == "F" and surname.endswith("ski"):
            surname = surname[:-1] + "a"  # Kowalski -> Kowalska
        latin = (fold_latin(surname, expand), fold_latin(given, expand))
        booking = (fold_latin(surname, expand and rng.random() < 0.5),
                   fold_latin(given, expand and rng.random() < 0.5))
        up = _turkish_upper if fam.culture == "turkish" else str.upper
        return self._finish(fam.culture, "Latn", (up(surname), up(given)), latin,
                            title, "icao-latin" if expand else "latin", booking)  # fmt: skip


def _latin_variant(rng: random.Random, forms: list[str]) -> str:
    return forms[0] if len(forms) == 1 or rng.random() < 0.7 else rng.choice(forms[1:])


def _turkish_upper(text: str) -> str:
    """Turkish case rules: i -> İ, ı -> I (str.upper would lose the dot)."""
    return text.replace("i", "İ").upper()
