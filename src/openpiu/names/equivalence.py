"""Passport-spelling equivalences, surname stems, given-name classes, weights.

The skeleton folds the differences between the Latin spellings of one name
that come from transliteration, not from a different name: MUKHAMMAD and
MUHAMMAD, DZHAMSHED and JAMSHED, IUSUF and YUSUF.  It deliberately keeps
vowels other than those rules (MAHMUD stays apart from MUHAMMAD), so it can
serve as an exact blocking key; fuzzy comparison is the scorer's job.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from openpiu.names import frequency_data

# Ordered rewrite steps; each step is one regex applied to the whole part.
# Order matters: multi-letter ICAO digraphs first, then the Y/I fold, then the
# doubled letters it may create, then the vowel-glide folds.
# Each step carries the letters it needs: a step whose letters are absent is
# skipped (most parts need three or four of the eighteen), which makes the
# skeleton cheap enough for a million names.
_STEPS: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("CH",), re.compile("SHCH|SCH"), "SH"),  # Щ: ICAO SHCH, German-style SCH
    (("ZH", "DJ"), re.compile("DZH|DJ|ZH"), "J"),  # Ж/Ҷ: ICAO ZH/DZH, French DJ, national J
    (("KH",), re.compile("KH"), "H"),  # Х/Ҳ: ICAO KH, national H
    (("GH",), re.compile("GH"), "G"),  # Ғ: GH or G
    (("Q",), re.compile("Q"), "K"),  # Қ: Q (national) or K (passport)
    (("W",), re.compile("W"), "V"),  # و / В: W or V
    (("OO", "OU"), re.compile("OO|OU"), "U"),  # English/French renderings of a long U
    (("EE",), re.compile("EE"), "I"),  # English rendering of a long I (NAEEM, SAEED)
    (("X",), re.compile("^X"), "H"),  # Uzbek Latin X is Х (XOJAEV = KHODZHAEV)
    (("X",), re.compile("X"), "KS"),  # elsewhere X is KS (ALEXANDER = ALEKSANDR)
    (("Y",), re.compile("Y"), "I"),  # Й/Ы/ی: Y or I
    ((), re.compile(r"(.)\1+"), r"\1"),  # doubled letters (MUHAMMAD, HUSSEIN)
    (("IU",), re.compile("IU"), "U"),  # Ю: ICAO IU, BGN YU (Y already I), plain U
    (("IA",), re.compile("IA"), "A"),  # Я: ICAO IA, BGN YA, plain A
    (("IE",), re.compile("^IE"), "E"),  # Е at the start: BGN YE, ICAO E
    (("IO",), re.compile("([^AEIOU])IO([^AEIOU])"), r"\1E\2"),  # Ё: ICAO E, BGN YO (FEDOR)
    (("IE",), re.compile("([AEOU])IE"), r"\1E"),  # Е after a vowel: BGN YE, ICAO E (XOJAYEV)
    ((), re.compile(r"(.)\1+"), r"\1"),  # again: the folds above may double letters
)


_NOT_AZ = re.compile("[^A-Z]")


def ascii_upper(part: str) -> str:
    """A-Z only, via anyascii for anything else (a safety net for odd input)."""
    text = (part if part.isascii() else anyascii(part)).upper()
    return text if text.isalpha() and text.isascii() else _NOT_AZ.sub("", text)


@lru_cache(maxsize=1 << 18)
def skeleton(part: str) -> str:
    """The comparable form of one Latin name part (see module docstring)."""
    text = ascii_upper(part)
    for needs, pattern, repl in _STEPS:
        if not needs or needs[0] in text or (len(needs) > 1 and needs[1] in text):
            text = pattern.sub(repl, text)
    return text


_VOWELS_RE = re.compile("[AEIOUY]")


@lru_cache(maxsize=1 << 18)
def consonant_key(part: str) -> str:
    """The consonants of the skeleton (doubled letters already folded).

    Arabic script writes no short vowels and often no initial ain or alif, so
    an Arabic-script name only meets its Latin spellings on this key
    (محمد -> MHMD = MUHAMMAD; عزيز -> ZZ = AZIZ; حداد -> HDD = HADDAD).
    """
    sk = skeleton(part)
    if len(sk) > 3 and sk.endswith("H") and sk[-2] in "AEIOU":
        sk = sk[:-1]  # ABDULLAH / ABDULLA, RAHMATULLAH / RAHMATULLA: a silent final H
    return _VOWELS_RE.sub("", sk)


# --- Surnames ------------------------------------------------------------------

# Suffixes on the skeleton, longest first.  Tajik family names changed after
# 2007: RAKHMONOV, RAHMON and RAHMONZODA are one name in practice.  -I is the
# Tajik/Persian adjectival form (NAZAROV -> NAZARI) and only counts on long stems.
_SURNAME_SUFFIXES: tuple[str, ...] = (
    "ZODA", "ZADE", "ZADEH", "ZADA", "ZOD", "OVA", "EVA", "OV", "EV", "I",
    # Kazakh/Kyrgyz/Uzbek patronymic surnames (SERIKULY = SERIKOV), on the skeleton.
    "ULI", "ULU", "KIZI", "OGLI", "UGLI", "OGLU",
)  # fmt: skip

# Feminine surname forms: KHARITONOVA is not KHARITONOV's holder.
FEMININE_SUFFIXES = frozenset({"OVA", "EVA"})
MASCULINE_SUFFIXES = frozenset({"OV", "EV"})
_MIN_STEM = 3


@dataclass(frozen=True, slots=True)
class SurnameForm:
    """A family name reduced to its stem; ``suffix`` keeps the form as a tag."""

    stem: str
    suffix: str  # one of _SURNAME_SUFFIXES, or "" for the bare stem


@lru_cache(maxsize=1 << 18)
def surname_stem(part: str) -> SurnameForm:
    """Reduce a family name to a stem shared by its Russian, Tajik and -ZODA forms."""
    sk = skeleton(part)
    for suffix in sorted(_SURNAME_SUFFIXES, key=len, reverse=True):
        min_stem = _MIN_STEM + 1 if suffix == "I" else _MIN_STEM
        if sk.endswith(suffix) and len(sk) - len(suffix) >= min_stem:
            return SurnameForm(sk[: -len(suffix)], suffix)
    return SurnameForm(sk, "")


# --- Given-name classes ---------------------------------------------------------

# One class per name across cultures and transliterations.  Keys name the
# class; the spellings are stored by skeleton, so spellings that the skeleton
# already folds (MUKHAMMAD = MUHAMMAD) need not be listed.  Deliberately
# separate: MAHMUD (a different name with the same root) is not MUHAMMAD.
GIVEN_NAME_CLASSES: dict[str, tuple[str, ...]] = {
    "MUHAMMAD": ("MUHAMMAD", "MUHAMMED", "MOHAMMAD", "MOHAMMED", "MOHAMAD", "MOHAMED",
                 "MAGOMED", "MAGOMET", "MAMED", "MAMMAD", "MEHMET", "MEHMED", "MUHAMMET",
                 "MOHAMMET", "MAHOMED", "MOHD", "MUHAMAD", "MOKHAMMAD", "MOKHAMMED"),
    "ALI": ("ALI", "ALY", "ALIY"),
    "AHMAD": ("AHMAD", "AHMED", "AHMET", "AHMAT", "EHMED", "AKHMAD", "AKHMED", "AKHMET"),
    "ABDULLAH": ("ABDULLAH", "ABDULLA", "ABDULLO", "ABDULLOH", "ABDULLOKH", "ABDALLAH",
                 "ABDALLA", "ABDOULLAH", "ABDULAH"),
    "HUSSEIN": ("HUSSEIN", "HUSAYN", "HUSSAIN", "HUSAIN", "HUSEYN", "HUSEYIN", "KHUSEIN",
                "KHUSAIN", "GUSEIN", "GUSEYN", "GUSEINOV", "HOSSEIN", "HOSEIN", "HUSAYIN",
                "KHUSAYN", "HUSEIN"),
    "HASAN": ("HASAN", "HASSAN", "KHASAN", "GASAN", "HASSON", "HASAN"),
    "JAMSHED": ("JAMSHED", "JAMSHID", "DZHAMSHED", "DZHAMSHID", "DJAMSHED", "JAMSHEED"),
    "YUSUF": ("YUSUF", "YUSUP", "IUSUF", "IUSUP", "YOUSEF", "YOUSSEF", "YOUSUF", "YUSOF",
              "JUSUF", "YUSIF", "YOUSSOUF", "YUSUPH"),
    "IBRAHIM": ("IBRAHIM", "IBROHIM", "IBROKHIM", "IBRAGIM", "EBRAHIM", "IBRAKHIM",
                "IBRAHIMA", "EBRAHEEM"),
    "MAHMUD": ("MAHMUD", "MAHMOOD", "MAHMOUD", "MAKHMUD", "MAHMUT", "MAHMOUT"),
    "UMAR": ("UMAR", "OMAR", "UMER", "OMER", "OMAR"),
    "USMAN": ("USMAN", "OSMAN", "UTHMAN", "OTHMAN", "USMON", "OSMON"),
    "YAKUB": ("YAKUB", "YAQUB", "YAQOOB", "YAKUP", "YOKUB", "IAKUB", "JAKUB", "YAKOUB"),
    "ISMAIL": ("ISMAIL", "ISMOIL", "ISMAEL", "ESMAIL", "SMAIL", "ISMAYIL"),
    "MUSTAFA": ("MUSTAFA", "MOSTAFA", "MUSTAPHA", "MUSTAFO"),
    "KHALID": ("KHALID", "KHALED", "HALID", "KHOLID"),
    "ALEKSANDR": ("ALEKSANDR", "ALEXANDER", "ALEXANDR", "ALEKSANDER", "OLEKSANDR", "ALEXANDRE"),
    "ABDURRAHMAN": ("ABDURRAHMAN", "ABDULRAHMAN", "ABDURAKHMAN", "ABDURAHMON",
                    "ABDURAKHMON", "ABDELRAHMAN", "ABDORAHMAN"),
    "RAHMAN": ("RAHMAN", "RAKHMAN", "RAHMON", "RAKHMON", "REHMAN"),
    "SULAYMAN": ("SULAYMAN", "SULAIMAN", "SULEIMAN", "SULEYMAN", "SULAYMON", "SULAIMON",
                 "SOLEIMAN", "SULEYMON"),
    "ISKANDAR": ("ISKANDAR", "ISKANDER", "ISKENDER"),
    "FATIMA": ("FATIMA", "FATIMAH", "FATEMEH", "FOTIMA", "FATMA"),
    "DAVUD": ("DAVUD", "DAUD", "DAWOOD", "DAWUD", "DOVUD", "DAVOOD"),
    "EMOMALI": ("EMOMALI", "IMOMALI", "IMAMALI"),
    "ABUBAKR": ("ABUBAKR", "ABUBAKAR", "ABUBAKIR", "ABUBAKER"),
    "KARIM": ("KARIM", "KAREEM", "KERIM"),
    "RASHID": ("RASHID", "RASHEED", "RASHIT", "RASHED"),
    "SAID": ("SAID", "SAEED", "SAIED"),
    "ISA": ("ISA", "ISO", "EISA", "ESA"),
    "MUSA": ("MUSA", "MOUSSA", "MOUSA", "MUSO"),
}  # fmt: skip

_CLASS_BY_SKELETON: dict[str, str] = {}
for _cls, _spellings in GIVEN_NAME_CLASSES.items():
    for _spelling in _spellings:
        # First class wins on a collision, so the table order decides.
        _CLASS_BY_SKELETON.setdefault(skeleton(_spelling), _cls)


def given_name_class(part: str) -> str | None:
    """The class of a given-name part (e.g. "MAGOMED" -> "MUHAMMAD"), or None."""
    return _CLASS_BY_SKELETON.get(skeleton(part))


@lru_cache(maxsize=1 << 18)
def given_key(part: str) -> str:
    """The class when known, else the skeleton: the comparable given-name form."""
    return given_name_class(part) or skeleton(part)


# --- Frequency weights ------------------------------------------------------------

# Rough share of people (per 1,000) bearing the part anywhere in their name,
# in the Central Asian / Middle Eastern traveller population a PIU sees.
# Order-of-magnitude estimates from public given-name and surname statistics
# (and consistent with the traffic generator's tables); only the ranking and
# the order of magnitude matter, since the weight is logarithmic.
NAME_FREQUENCY_PER_MILLE: dict[str, float] = {**frequency_data.NAME_FREQUENCY_PER_MILLE}
# Known-name checks (two known names are two names, not a typo) use only names at
# least this frequent: a rare name one letter from a rare name is more often a typo.
KNOWN_MIN_PER_MILLE = 2.0

_FREQ_BY_KEY: dict[str, float] = {}
for _name, _freq in NAME_FREQUENCY_PER_MILLE.items():
    _FREQ_BY_KEY[given_key(_name)] = max(_freq, _FREQ_BY_KEY.get(given_key(_name), 0.0))

DEFAULT_PER_MILLE = 0.05  # an unlisted part: rare, full evidence
MIN_WEIGHT = 0.15  # even MUHAMMAD counts for something


# A surname made from a given name (SAFARZODA, KARIMOV) is rarer than the given
# name but far from rare: this share of the given name's frequency is assumed.
SURNAME_FROM_GIVEN = 0.3


_FREQ_BY_CONSONANTS: dict[str, float] = {}
for _key, _freq in _FREQ_BY_KEY.items():
    _ck = consonant_key(_key)
    if len(_ck) >= 2:
        _FREQ_BY_CONSONANTS[_ck] = max(_freq, _FREQ_BY_CONSONANTS.get(_ck, 0.0))


@lru_cache(maxsize=1 << 18)
def part_weight(part: str, *, arabic: bool = False) -> float:
    """Evidence weight of one name part in [MIN_WEIGHT, 1.0].

    Information content relative to an unlisted (rare) part:
    log(1/f) / log(1/f_default), so MUHAMMAD (15 %) weighs about 0.19 and an
    unlisted name 1.0.
    """
    per_mille = _FREQ_BY_KEY.get(given_key(part))
    if per_mille is None and arabic:
        # An Arabic-script part read letter by letter (MHMD) weighs what the
        # commonest name with its consonants weighs (MUHAMMAD).
        per_mille = _FREQ_BY_CONSONANTS.get(consonant_key(part))
    if per_mille is None:
        stem = surname_stem(part)
        from_given = _FREQ_BY_KEY.get(given_key(stem.stem)) if stem.suffix else None
        per_mille = SURNAME_FROM_GIVEN * from_given if from_given else DEFAULT_PER_MILLE
    freq = max(per_mille, DEFAULT_PER_MILLE) / 1000.0
    weight = math.log(1.0 / freq) / math.log(1000.0 / DEFAULT_PER_MILLE)
    return round(min(1.0, max(MIN_WEIGHT, weight)), 4)


@lru_cache(maxsize=1 << 18)
def is_known_name(part: str) -> bool:
    """A name of the class table or the frequency table: a real, distinct name.

    Two known names one letter apart (SAFAR and JAFAR) are two names, not a typo.
    """
    key = given_key(part)
    if _FREQ_BY_KEY.get(key, 0.0) >= KNOWN_MIN_PER_MILLE or key in GIVEN_NAME_CLASSES:
        return True
    stem = surname_stem(part)  # GHAFARI, KARIMOV: a surname made of a known name
    return bool(stem.suffix) and _FREQ_BY_KEY.get(given_key(stem.stem), 0.0) >= KNOWN_MIN_PER_MILLE
