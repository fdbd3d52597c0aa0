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

from anyascii import anyascii

# Ordered rewrite steps; each step is one regex applied to the whole part.
# Order matters: multi-letter ICAO digraphs first, then the Y/I fold, then the
# doubled letters it may create, then the vowel-glide folds.
_STEPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("SHCH|SCH"), "SH"),  # Щ: ICAO SHCH, German-style SCH
    (re.compile("DZH|DJ|ZH"), "J"),  # Ж/Ҷ: ICAO ZH/DZH, French DJ, national J
    (re.compile("KH"), "H"),  # Х/Ҳ: ICAO KH, national H
    (re.compile("GH"), "G"),  # Ғ: GH or G
    (re.compile("Q"), "K"),  # Қ: Q (national) or K (passport)
    (re.compile("W"), "V"),  # و / В: W or V
    (re.compile("OO|OU"), "U"),  # English/French renderings of a long U
    (re.compile("EE"), "I"),  # English rendering of a long I (NAEEM, SAEED)
    (re.compile("^X"), "H"),  # Uzbek Latin X is Х (XOJAEV = KHODZHAEV)
    (re.compile("X"), "KS"),  # elsewhere X is KS (ALEXANDER = ALEKSANDR)
    (re.compile("Y"), "I"),  # Й/Ы/ی: Y or I
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters (MUHAMMAD, HUSSEIN)
    (re.compile("IU"), "U"),  # Ю: ICAO IU, BGN YU (Y already I), plain U
    (re.compile("IA"), "A"),  # Я: ICAO IA, BGN YA, plain A
    (re.compile("^IE"), "E"),  # Е at the start: BGN YE, ICAO E
    (re.compile("([AEOU])IE"), r"\1E"),  # Е after a vowel: BGN YE, ICAO E (XOJAYEV)
    (re.compile(r"(.)\1+"), r"\1"),  # again: the folds above may double letters
)


def ascii_upper(part: str) -> str:
    """A-Z only, via anyascii for anything else (a safety net for odd input)."""
    text = part if part.isascii() else anyascii(part)
    return re.sub(r"[^A-Z]", "", text.upper())


def skeleton(part: str) -> str:
    """The comparable form of one Latin name part (see module docstring)."""
    text = ascii_upper(part)
    for pattern, repl in _STEPS:
        text = pattern.sub(repl, text)
    return text


_VOWELS_RE = re.compile("[AEIOUY]")


def consonant_key(part: str) -> str:
    """The consonants of the skeleton (doubled letters already folded).

    Arabic script writes no short vowels and often no initial ain or alif, so
    an Arabic-script name only meets its Latin spellings on this key
    (محمد -> MHMD = MUHAMMAD; عزيز -> ZZ = AZIZ; حداد -> HDD = HADDAD).
    """
    return _VOWELS_RE.sub("", skeleton(part))


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


def given_key(part: str) -> str:
    """The class when known, else the skeleton: the comparable given-name form."""
    return given_name_class(part) or skeleton(part)


# --- Frequency weights ------------------------------------------------------------

# Rough share of people (per 1,000) bearing the part anywhere in their name,
# in the Central Asian / Middle Eastern traveller population a PIU sees.
# Order-of-magnitude estimates from public given-name and surname statistics
# (and consistent with the traffic generator's tables); only the ranking and
# the order of magnitude matter, since the weight is logarithmic.
NAME_FREQUENCY_PER_MILLE: dict[str, float] = {
    # Given names and name elements shared across the region.
    "MUHAMMAD": 150.0, "ALI": 60.0, "AHMAD": 40.0, "ABDUL": 40.0, "KHAN": 30.0,
    "HUSSEIN": 25.0, "HASAN": 25.0, "ABDULLAH": 20.0, "RAHMAN": 15.0, "IBRAHIM": 12.0,
    "YUSUF": 12.0, "UMAR": 10.0, "MAHMUD": 10.0, "SAYED": 10.0, "FATIMA": 10.0,
    "MUSTAFA": 8.0, "KARIM": 8.0, "JAMSHED": 8.0, "ISMAIL": 8.0, "NUR": 8.0, "SHAH": 8.0,
    "RUSTAM": 8.0, "AMIR": 8.0, "JAN": 8.0, "GUL": 8.0, "USMAN": 6.0, "SAID": 6.0,
    "KHALID": 6.0, "AISHA": 6.0, "MARYAM": 6.0, "MADINA": 6.0, "ALEKSANDR": 6.0,
    "RASHID": 5.0, "FIRDAVS": 5.0, "SHERZOD": 5.0, "DILSHOD": 5.0, "AZIZ": 5.0,
    "ALISHER": 5.0, "TIMUR": 5.0, "RUSLAN": 5.0, "HAMID": 5.0, "ZAINAB": 5.0,
    "SERGEI": 5.0, "ELENA": 5.0, "FARRUKH": 4.0, "BAHROM": 4.0, "UMED": 4.0, "ZAFAR": 4.0,
    "PARVIZ": 4.0, "BAKHTIYOR": 4.0, "SARDOR": 4.0, "ANVAR": 4.0, "NURLAN": 4.0,
    "DANIYAR": 4.0, "ARMAN": 4.0, "SALIM": 4.0, "MALIKA": 4.0, "ZARINA": 4.0,
    "KHADIJA": 4.0, "DMITRII": 4.0, "ANDREI": 4.0, "OLGA": 4.0, "TATIANA": 4.0,
    "NATALIA": 4.0, "IRINA": 4.0, "ANNA": 4.0, "SAFAR": 3.0, "JAFAR": 3.0, "FARID": 3.0,
    "NASIR": 3.0, "WALI": 3.0, "QASIM": 3.0, "HAMZA": 3.0, "BILAL": 3.0, "IMRAN": 3.0,
    "TARIQ": 3.0, "OTABEK": 3.0, "JAVOHIR": 3.0, "BOBUR": 3.0, "AKMAL": 3.0, "ASKAR": 3.0,
    "ERLAN": 3.0, "AIDAR": 3.0, "AZAMAT": 3.0, "IVAN": 3.0, "VLADIMIR": 3.0,
    "MIKHAIL": 3.0, "NIGINA": 3.0, "GULNOZA": 3.0, "DILNOZA": 3.0, "SITORA": 3.0,
    "NARGIZA": 3.0, "AIGUL": 3.0, "MIR": 3.0, "DIN": 3.0, "ULLAH": 3.0, "NAJIB": 2.0,
    "KHALIL": 3.0, "SAMIR": 3.0, "SAMER": 1.0,
    "GHAFAR": 2.0, "NAIM": 2.0, "RASUL": 3.0, "SHARIF": 3.0, "HAIDAR": 3.0, "ABBAS": 3.0,
    "JAMAL": 3.0, "KAMAL": 3.0, "ABDURRAHMAN": 8.0, "QADIR": 3.0, "JAWID": 3.0,
    "NAZIA": 2.0, "KUMAR": 5.0, "SINGH": 8.0, "ZAHID": 2.0, "SHAFIQ": 2.0, "RAFI": 2.0,
    "AKBAR": 4.0, "SAIFULLAH": 1.0, "NAJIBULLAH": 1.0, "HABIB": 3.0,
    "JALIL": 2.0, "ZAKIR": 2.0, "NURIDDIN": 2.0, "EMOMALI": 0.5,
    # Surnames: the region's most frequent (Tajik/Uzbek -OV/-ZODA, Afghan/Iranian -I).
    "ALIEV": 6.0, "MOHAMMADI": 6.0, "AHMADI": 5.0, "RAHIMOV": 4.0, "KARIMOV": 4.0,
    "RAHIMI": 4.0, "KARIMI": 4.0, "HUSSAINI": 4.0, "IVANOV": 3.0, "HAIDARI": 3.0,
    "SAFAROV": 3.0, "NAZAROV": 3.0, "YUSUPOV": 3.0, "SHARIPOV": 3.0, "SAIDOV": 3.0,
    "RAJABOV": 3.0, "ISMOILOV": 3.0, "AKHMEDOV": 3.0, "HASANOV": 3.0, "HUSEINOV": 3.0,
    "ABDULLOEV": 3.0, "MIRZOEV": 3.0, "SULTONOV": 2.0, "KURBONOV": 2.0, "ODINAEV": 2.0,
    # Chinese surnames a Central Asian PIU sees on Urumqi flights.
    "WANG": 20.0, "LI": 20.0, "ZHANG": 18.0, "LIU": 12.0, "CHEN": 10.0, "YANG": 8.0,
}  # fmt: skip

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


def is_known_name(part: str) -> bool:
    """A name of the class table or the frequency table: a real, distinct name.

    Two known names one letter apart (SAFAR and JAFAR) are two names, not a typo.
    """
    key = given_key(part)
    if key in _FREQ_BY_KEY or key in GIVEN_NAME_CLASSES:
        return True
    stem = surname_stem(part)  # GHAFARI, KARIMOV: a surname made of a known name
    return bool(stem.suffix) and given_key(stem.stem) in _FREQ_BY_KEY
