"""Transliteration of Cyrillic and Arabic-script names into Latin spellings.

A name written in Cyrillic reaches a PIU in several Latin spellings at once:
the passport prints the ICAO 9303 form (MUKHAMMAD DZHAMSHED), the press the
English or national-alphabet form (Muhammad Jamshed), a list the BGN/PCGN form.
We do not guess which one a given source used: :func:`latin_variants` returns
all of the plausible forms (bounded, deduplicated), and the skeleton of
:mod:`openpiu.names.equivalence` folds the remaining differences.

ICAO 9303 has no table for the Central Asian letters (checked, see
SCREENING.md §6), so their passport forms below follow what Tajik, Uzbek and
Kazakh passports issued from Russian-style tables print (Ҷ -> DZH, Ҳ -> KH).
"""

from __future__ import annotations

import re

from anyascii import anyascii

from .normalise import clean_text, detect_script

# ICAO Doc 9303 Part 3, Russian table (upper case; input is upper-cased first).
_ICAO_RU: dict[str, str] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH",
    "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
    "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU",
    "Я": "IA",
    # Other Slavic letters of the ICAO table.
    "Ґ": "G", "Є": "IE", "Ї": "I", "І": "I", "Ў": "U", "Ђ": "D", "Ѕ": "DZ", "Ј": "J",
    "Љ": "LJ", "Њ": "NJ", "Џ": "DZ", "Ѓ": "G", "Ќ": "K", "Ћ": "C",
}  # fmt: skip

# Central Asian letters, passport (Russian-style) forms: what ICAO would give
# for the nearest Russian letter.
_ICAO_CA: dict[str, str] = {
    # Tajik
    "Ғ": "G", "Ӣ": "I", "Қ": "K", "Ӯ": "U", "Ҳ": "KH", "Ҷ": "DZH",
    # Kazakh (Қ Ғ shared), Kyrgyz (Ң Ө Ү shared)
    "Ә": "A", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H",
}  # fmt: skip

# BGN/PCGN-like: Y for Й/Ы, YU/YA/YO, Tajik and Uzbek letters as in the
# BGN/PCGN Tajik and Uzbek tables (Ҷ J, Қ Q, Ғ GH, Ҳ H).
_BGN: dict[str, str] = {
    **_ICAO_RU,
    "Й": "Y", "Ы": "Y", "Ъ": "", "Ю": "YU", "Я": "YA", "Ё": "YO", "Є": "YE", "Ї": "YI",
    "Ғ": "GH", "Ӣ": "I", "Қ": "Q", "Ӯ": "U", "Ҳ": "H", "Ҷ": "J",
    "Ә": "A", "Ң": "NG", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H",
}  # fmt: skip

# National Latin alphabets and common English forms (Tajik/Uzbek/Kazakh Latin
# with diacritics dropped, as they appear on documents and in the press).
_NATIONAL: dict[str, str] = {
    **_BGN,
    "Ж": "J", "Х": "KH", "Ҷ": "J", "Ҳ": "H", "Қ": "Q", "Ғ": "G", "Ў": "O",
    "Ң": "N", "Ц": "TS", "Щ": "SH",
}  # fmt: skip

# Press forms: Х as H (Rakhmon / Rahmon), Қ as K, Ғ as GH.
_PRESS: dict[str, str] = {**_NATIONAL, "Х": "H", "Қ": "K", "Ғ": "GH", "Ў": "U"}

_VOWELS_CYR = frozenset("АЕЁИОУЫЭЮЯӢӮӘӨҰҮІЎ")
# BGN/PCGN writes Е as YE at the start of a word and after a vowel or Ъ/Ь.
_YE_AFTER = _VOWELS_CYR | {"Ъ", "Ь"}

CYRILLIC_SCHEMES: dict[str, dict[str, str]] = {
    "icao": {**_ICAO_RU, **_ICAO_CA},
    "bgn": _BGN,
    "national": _NATIONAL,
    "press": _PRESS,
}

MAX_VARIANTS = 8  # bound per name: the index stores every variant


def cyrillic_to_latin(text: str, scheme: str = "icao") -> str:
    """Transliterate Cyrillic letters of ``text`` by one scheme; others unchanged."""
    table = CYRILLIC_SCHEMES[scheme]
    upper = text.upper()
    out: list[str] = []
    prev = " "
    for ch in upper:
        if (
            scheme in ("bgn", "national", "press")
            and ch == "Е"
            and (not prev.isalpha() or prev in _YE_AFTER)
        ):
            out.append("YE")
        else:
            # Unknown Cyrillic letters fall back to anyascii, never to "?".
            out.append(table.get(ch, ch if ch.isascii() else anyascii(ch).upper()))
        prev = ch
    return "".join(out)


# --- Arabic / Persian script -------------------------------------------------

# Letter forms unified before lookup: Arabic vs Persian yeh/kaf, hamza seats,
# teh marbuta as heh (Persian writes فاطمه for فاطمة).
_ARABIC_UNIFY = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه",
     "ؤ": "و", "ئ": "ی", "ۀ": "ه"}
)  # fmt: skip

# Very common names whose vowels a letter table cannot guess.  Keys are
# unified (see above); values list the spellings met in practice, most usual first.
COMMON_ARABIC: dict[str, tuple[str, ...]] = {
    "محمد": ("MUHAMMAD", "MOHAMMAD", "MOHAMMED", "MUHAMMED", "MOHAMED"),
    "احمد": ("AHMAD", "AHMED"),
    "علی": ("ALI",),
    "عبدالله": ("ABDULLAH", "ABDALLAH", "ABDULLA"),
    "عبد": ("ABD", "ABDUL"),
    "حسین": ("HUSSEIN", "HUSAYN", "HOSSEIN", "HUSAIN"),
    "حسن": ("HASAN", "HASSAN"),
    "محمود": ("MAHMUD", "MAHMOUD", "MAHMOOD"),
    "ابراهیم": ("IBRAHIM", "EBRAHIM"),
    "یوسف": ("YUSUF", "YOUSEF", "YOUSUF"),
    "عمر": ("UMAR", "OMAR"),
    "عثمان": ("USMAN", "OSMAN", "UTHMAN"),
    "خالد": ("KHALID", "KHALED"),
    "مصطفی": ("MUSTAFA", "MOSTAFA"),
    "اسامه": ("USAMA", "OSAMA"),
    "عبدالرحمن": ("ABDULRAHMAN", "ABDURRAHMAN", "ABDEL RAHMAN"),
    "رحمن": ("RAHMAN", "REHMAN"),
    "جمشید": ("JAMSHID", "JAMSHED"),
    "نور": ("NUR", "NOOR"),
    "سید": ("SAYED", "SAYYID", "SYED"),
    "حاجی": ("HAJI",),
    "ملا": ("MULLAH", "MULLA"),
    "فاطمه": ("FATIMA", "FATEMEH"),
    "کریم": ("KARIM", "KAREEM"),
    "رحیم": ("RAHIM", "RAHEEM"),
    "امین": ("AMIN", "AMEEN"),
    "جلال": ("JALAL",),
    "الله": ("ULLAH", "ALLAH"),
    "بن": ("BIN",),
    "ابن": ("IBN",),
    "ابو": ("ABU",),
    "خان": ("KHAN",),
}

# Letter table for names not in COMMON_ARABIC: consonants plus long vowels.
# Short vowels are not written, so this yields a consonant-heavy form; the
# matcher compares it through consonant keys, not as a spelling.
_ARABIC_LETTERS: dict[str, str] = {
    "ا": "A", "ب": "B", "پ": "P", "ت": "T", "ث": "S", "ج": "J", "چ": "CH", "ح": "H",
    "خ": "KH", "د": "D", "ذ": "Z", "ر": "R", "ز": "Z", "ژ": "ZH", "س": "S", "ش": "SH",
    "ص": "S", "ض": "Z", "ط": "T", "ظ": "Z", "ع": "", "غ": "GH", "ف": "F", "ق": "Q",
    "ک": "K", "گ": "G", "ل": "L", "م": "M", "ن": "N", "و": "U", "ه": "H", "ی": "I",
    "ء": "",
}  # fmt: skip


def _arabic_letters(word: str, medial_waw: str = "") -> str:
    out: list[str] = []
    for i, ch in enumerate(word):
        latin = _ARABIC_LETTERS.get(ch, anyascii(ch).upper())
        # و and ی are consonants (W/V, Y) at the start of a word, vowels inside,
        # but و before alif is a consonant again (پروانه = PARVANA); a final ه
        # after a letter is the vowel -A/-E (فاطمه = FATIMA).
        if i == 0 and ch == "و":
            latin = "V"
        elif i == 0 and ch == "ی":
            latin = "Y"
        elif ch == "و" and word[i + 1 : i + 2] == "ا":
            latin = "V"
        elif ch == "و" and medial_waw and 0 < i < len(word) - 1 and word[i + 1] in "یاي":
            latin = medial_waw  # before a long vowel: a consonant (موسوی = MUSAVI)
        elif ch == "ه" and i == len(word) - 1 and i >= 2:
            latin = "A"
        out.append(latin)
    return "".join(out)


def arabic_to_latin(word: str) -> list[str]:
    """Latin spellings of one Arabic-script word, most usual first."""
    key = word.translate(_ARABIC_UNIFY)
    found = COMMON_ARABIC.get(key)
    if found is None and key.startswith("ال") and key[2:] in COMMON_ARABIC:
        found = tuple("AL" + v for v in COMMON_ARABIC[key[2:]])
    out = list(found or ())
    out.append(_arabic_letters(key))
    if "و" in key[1:-1]:
        # A medial و is U or V (موسوی = MUSAVI / MOUSSAVI): both readings.
        out.append(_arabic_letters(key, medial_waw="V"))
    out.append(re.sub(r"[^A-Z]", "", anyascii(key).upper()))
    return [v for v in out if v]


def _dedupe(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        v = " ".join(v.split())
        if v and v not in seen:
            seen[v] = None
    return list(seen)


_UZBEK_APOSTROPHE = re.compile("([OoGg])[\u02bb\u02bc\u2018\u2019'`]")


def _uzbek_latin(name: str) -> str:
    """Uzbek Latin O' and G' (Ў, Ғ) read as the passport's U and G, X as KH;
    empty when the name has no Uzbek apostrophe letter."""
    if not _UZBEK_APOSTROPHE.search(name):
        return ""
    text = _UZBEK_APOSTROPHE.sub(lambda m: "U" if m.group(1) in "Oo" else "G", name)
    return clean_text(re.sub("[Xx]", "KH", text)).replace(",", " ")


def latin_variants(name: str) -> set[str]:
    """Plausible Latin spellings of ``name`` (upper case, at most MAX_VARIANTS).

    Latin input yields itself plus its ASCII fold (MÜLLER -> MULLER, and the
    ICAO expansion MUELLER).  Cyrillic yields the ICAO, BGN/PCGN, national and
    press forms plus anyascii.  Arabic script yields, per word, the common
    spellings of a small table, a letter transcription and anyascii; the word
    combinations are bounded by taking the n-th choice of every word together.
    """
    text = clean_text(name).replace(",", " ")
    if not text:
        return set()
    uzbek = _uzbek_latin(name)
    if not uzbek and text.isascii():
        # Plain A-Z already (a passport's form): its only reading is itself.
        plain = " ".join(re.sub(r"[^A-Z ]", "", text).split())
        return {plain} if plain else set()
    script = detect_script(text)
    candidates: list[str] = []
    if script == "CYRILLIC":
        candidates += [cyrillic_to_latin(text, s) for s in CYRILLIC_SCHEMES]
    elif script == "ARABIC":
        # Every word's usual spelling, then each word's other readings one at a
        # time (the rest kept usual): bounded, and a mixed pair such as ALI +
        # MUSAVI (a table spelling and a letter reading) is always among them.
        per_word = [arabic_to_latin(w) for w in text.split()]
        first = [w[0] for w in per_word]
        candidates.append(" ".join(first))
        for k, options in enumerate(per_word):
            for option in options[1:]:
                candidates.append(" ".join([*first[:k], option, *first[k + 1 :]]))
    elif script == "LATIN":
        # ICAO MRZ expansion of German/Nordic letters before the plain fold.
        icao = text
        for src, dst in (("Ä", "AE"), ("Ö", "OE"), ("Ü", "UE"), ("Å", "AA"), ("Ø", "OE")):
            icao = icao.replace(src, dst)
        candidates.append(icao)
    candidates.append(anyascii(text).upper())
    if uzbek:
        candidates.insert(0, uzbek)
    cleaned = [re.sub(r"[^A-Z ]", "", c) for c in candidates]
    limit = MAX_VARIANTS * 2 if script == "ARABIC" else MAX_VARIANTS
    return set(_dedupe(cleaned)[:limit])
