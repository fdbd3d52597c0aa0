"""Latin forms of names: ICAO Doc 9303 transliteration, MRZ limits, airline spellings.

Passports print names in the MRZ repertoire (A-Z and ``<``), transliterated by the
issuing state.  Russia follows ICAO Doc 9303 Part 3 to the letter since 2013
(SCREENING.md §6).  ICAO has **no** table for the Central Asian letters, so each
state chose its own; the choices here, documented once:

* Tajik (``tgk``): Ғ GH, Қ Q, Ҳ H, Ҷ J, Ӣ I, Ӯ U, the rest as ICAO Russian.  This is
  the national Latin of current Tajik passports (``Ҷамшед`` -> JAMSHED,
  ``Муҳаммад`` -> MUHAMMAD).  Older passports, and names first recorded in Russian,
  go through the Russian spelling instead (``Джамшед`` -> DZHAMSHED,
  ``Мухаммад`` -> MUKHAMMAD): :func:`russianise` gives that Cyrillic form.
* Uzbek (``uzb``): the national Latin alphabet, apostrophes dropped as the MRZ
  does: Ў O, Ғ G, Қ Q, Ҳ H, Х X, Ж J, Й Y, Ё YO, Ю YU, Я YA, Ц TS.
* Kazakh (``kaz``): Ә A, Ғ G, Қ K, Ң N, Ө O, Ұ U, Ү U, Һ H, І I, the rest ICAO.
* Kyrgyz (``kir``): Ж J, Ң N, Ө O, Ү U, the rest ICAO.

The same person therefore has several true Latin forms: exactly the variation a
screening engine must absorb.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache

# ICAO Doc 9303 Part 3, Cyrillic (SCREENING.md §6), upper-case keys only: callers
# upper-case first.  Ь is dropped; Ъ is IE.
ICAO_RUS: dict[str, str] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH",
    "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
    "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU",
    "Я": "IA", "Ґ": "G", "Є": "IE", "Ї": "I", "І": "I", "Ў": "U", "Ђ": "D", "Ѕ": "DZ",
    "Ј": "J", "Љ": "LJ", "Њ": "NJ", "Џ": "DZ", "Ѓ": "G",
}  # fmt: skip

_NATIONAL: dict[str, dict[str, str]] = {
    "tgk": {"Ғ": "GH", "Қ": "Q", "Ҳ": "H", "Ҷ": "J", "Ӣ": "I", "Ӯ": "U"},
    "uzb": {"Ў": "O", "Ғ": "G", "Қ": "Q", "Ҳ": "H", "Х": "X", "Ж": "J", "Й": "Y",
            "Ё": "YO", "Ю": "YU", "Я": "YA", "Ц": "TS", "Ъ": "", "Э": "E"},
    "kaz": {"Ә": "A", "Ғ": "G", "Қ": "K", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U",
            "Һ": "H", "І": "I"},
    "kir": {"Ж": "J", "Ң": "N", "Ө": "O", "Ү": "U"},
}  # fmt: skip
TABLES: dict[str, dict[str, str]] = {"rus": ICAO_RUS}
for _lang, _extra in _NATIONAL.items():
    TABLES[_lang] = {**ICAO_RUS, **_extra}

# Central Asian letters as a Russian clerk writes them (the Soviet-era spelling).
_RUSSIANISE = {
    "Ҷ": "ДЖ", "Ҳ": "Х", "Қ": "К", "Ғ": "Г", "Ӣ": "И", "Ӯ": "У", "Ў": "У", "Ә": "А",
    "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И",
}  # fmt: skip
# ICAO Latin for letters with diacritics (Doc 9303 Part 3): German-style expansion.
_LATIN_EXPAND = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Ø": "OE",
                 "Æ": "AE", "Þ": "TH", "Œ": "OE", "Ð": "D", "Ł": "L", "İ": "I"}  # fmt: skip

MRZ_NAME_LENGTH = 39  # TD3 (passport book) name field


@lru_cache(maxsize=1 << 16)  # pure, and names repeat: a day spells each often
def russianise(text: str) -> str:
    """Central Asian Cyrillic -> the Russian spelling of the same name."""
    return "".join(_RUSSIANISE.get(ch, ch) for ch in text.upper())


@lru_cache(maxsize=1 << 16)
def icao(text: str, lang: str = "rus") -> str:
    """Cyrillic -> ICAO/national Latin, upper case; other characters kept."""
    table = TABLES[lang]
    return "".join(table.get(ch, ch) for ch in text.upper())


@lru_cache(maxsize=1 << 16)
def fold_latin(text: str, expand: bool = True) -> str:
    """Latin with diacritics -> A-Z.  ``expand`` follows ICAO (Ü -> UE); without it
    the diacritic is just dropped (Ü -> U), as Turkish passports and most airline
    booking screens do."""
    out = []
    for ch in text.upper().replace("ı", "I").replace("Ł", "L"):  # Ł has no NFKD base
        if expand and ch in _LATIN_EXPAND:
            out.append(_LATIN_EXPAND[ch])
            continue
        base = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def mrz_clean(text: str) -> str:
    """Keep what the MRZ can hold: A-Z, digits, spaces (``<``); hyphens become
    spaces and apostrophes vanish, as in the MRZ (O'REILLY -> OREILLY)."""
    text = text.upper().replace("-", " ").replace("'", "").replace("’", "")
    kept = "".join(ch for ch in text if ("A" <= ch <= "Z") or ch == " ")
    return " ".join(kept.split())


def mrz_fit(surname: str, given: str, length: int = MRZ_NAME_LENGTH) -> tuple[str, str, bool]:
    """(surname, given, truncated) fitting ``SURNAME<<GIVEN<NAMES`` in ``length``.

    Doc 9303 truncates the secondary identifier (given names) first, then the
    primary one; what is printed on the data page may be longer, but API data is
    read from the MRZ, so that is what a PIU receives.
    """
    used = len(surname) + (2 + len(given) if given else 0)
    if used <= length:
        return surname, given, False
    if len(surname) + 3 <= length and given:
        room = length - len(surname) - 2
        return surname, given[:room].rstrip(), True
    return surname[: length - 2 if given else length].rstrip(), given[:1] if given else "", True


# Spelling habits of booking agents and web forms (airline spelling, STANDARDS §8):
# phonetic simplifications of the Russian-style transliteration, applied to a copy
# of the passport form.  Each is a plain substring rewrite.
AIRLINE_REWRITES: tuple[tuple[str, str], ...] = (
    ("DZH", "J"), ("KH", "H"), ("IU", "YU"), ("IA", "YA"), ("IY", "Y"), ("EV", "YEV"),
    ("MM", "M"), ("SHCH", "SCH"), ("OE", "OYE"), ("Q", "K"), ("GH", "G"), ("UE", "U"),
    ("MUHAMMAD", "MOHAMMAD"), ("MUKHAMMAD", "MUHAMMAD"), ("ZODA", "ZADA"), ("J", "DJ"),
)  # fmt: skip


def airline_spelling(rng: random.Random, latin: str, p_changed: float = 0.35) -> str:
    """The passport form, or (with probability ``p_changed``) a plausible
    mis-spelling an agent types from hearing or from an older document."""
    if rng.random() >= p_changed:
        return latin
    usable = [(a, b) for a, b in AIRLINE_REWRITES if a in latin]
    if not usable:
        return latin
    a, b = rng.choice(usable)
    return latin.replace(a, b, 1 if rng.random() < 0.5 else -1)
