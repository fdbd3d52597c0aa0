"""Names prepared for matching: every Latin reading of a name, tokens with keys.

A name reaches the matcher in one script and one spelling; the matcher needs
all its plausible Latin readings (:func:`openpiu.names.latin_variants`), each
split into tokens that carry the comparable keys of :mod:`openpiu.names`
(skeleton, given-name class, surname stem, consonant key) and a weight.  The
index blocks on the same keys, so the two can never disagree.

Tokens are cached by their text: a list of a million entries holds far fewer
distinct name parts, and each is prepared once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA

from openpiu.names import (
    consonant_key,
    given_key,
    is_known_name,
    latin_variants,
    part_weight,
    skeleton,
    surname_stem,
)
from openpiu.names.normalise import HONORIFICS, TITLES, _parts_of, clean_text, detect_script

# Parts glued to their neighbour in some spellings and not in others
# (ABDUL RAHMAN / ABDULRAHMAN, NASR ULLAH / NASRULLAH, KARIM JON / KARIMJON).
GLUE_BEFORE = frozenset({"ABD", "ABDUL", "ABDEL", "ABDOL", "ABDU", "ABU", "AL", "EL", "UL"})
GLUE_AFTER = frozenset(
    {"ULLAH", "ULLO", "ULLA", "ALLAH", "UDDIN", "UD", "DIN", "ADDIN", "JON", "BEK"}
)

# Russian-style patronymics (Tajik and Uzbek documents in Cyrillic carry them).
# Kazakh/Kyrgyz/Uzbek ones fused to the father's name (AIDOSKYZY, SERIKULY).
PATRONYMIC_ENDINGS = (
    "OVICH",
    "EVICH",
    "OVNA",
    "EVNA",
    "ICH",
    "ICHNA",
    "KYZY",
    "KIZI",
    "QIZI",
    "ULY",
    "UULU",
    "OGLI",
    "UGLI",
)

PARTICLE_WEIGHT = 0.1

# Honorifics long enough to recognise with a typo (SHEKH is one letter from
# SHOKH, a name, and is left out).
_LATIN_HONORIFICS = tuple(h for h in HONORIFICS if h.isascii() and len(h) >= 5 and h != "SHEKH")
_NOT_HONORIFIC = frozenset(
    {"MULLO", "SAYID"}
)  # names in their own right  # a particle that differs costs little (BIN LADEN vs LADEN)


# Compared and hashed by identity: tokens come from the cache of make_token,
# and hashing ten fields on every dictionary lookup was the hot loop's cost.
@dataclass(frozen=True, slots=True, eq=False)
class Token:
    """One name part of one reading, with every key the matcher compares."""

    text: str  # A-Z only
    kind: str  # name | particle | honorific | placeholder
    sk: str  # skeleton: transliteration differences folded
    gk: str  # given-name class, else the skeleton
    stem: str  # surname stem (-OV/-EV/-ZODA... removed), else the skeleton
    suffix: str  # the surname suffix removed, "" when none
    ck: str  # consonant key, used only against Arabic-script readings
    meta: str  # metaphone of the skeleton (blocking against typos)
    weight: float  # evidence weight: rare parts weigh 1.0, MUHAMMAD about 0.2
    arabic: bool  # read from Arabic script: vowels are guesses
    known: bool  # a known distinct name (see names.is_known_name)
    patronymic: bool  # SAIDOVICH, SAIDOVNA: often left out, its absence costs little

    @property
    def is_name(self) -> bool:
        return self.kind == "name"


@lru_cache(maxsize=1 << 18)
def make_token(
    text: str, kind: str = "name", arabic: bool = False, patronymic: bool = False
) -> Token:
    sk = skeleton(text)
    form = surname_stem(text)
    if kind == "name":
        weight = part_weight(text, arabic=arabic)
    elif kind == "particle":
        weight = PARTICLE_WEIGHT
    else:
        weight = 0.0
    return Token(
        text=text, kind=kind, sk=sk, gk=given_key(text), stem=form.stem, suffix=form.suffix,
        ck=consonant_key(text), meta=jellyfish.metaphone(sk) if sk else "", weight=weight,
        arabic=arabic, known=is_known_name(text),
        patronymic=patronymic or (len(text) >= 6 and text.endswith(PATRONYMIC_ENDINGS)),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reading:
    """One Latin reading of one name: its tokens in the written order."""

    tokens: tuple[Token, ...]
    source: str  # the name as written (list or traveller side)
    names: tuple[Token, ...] = ()  # the tokens of kind "name" (set by of())

    @classmethod
    def of(cls, tokens: tuple[Token, ...], source: str) -> Reading:
        return cls(tokens, source, tuple(t for t in tokens if t.kind == "name"))


def _glued(words: list[str]) -> list[str]:
    """Glue ABDUL+RAHMAN, NASR+ULLAH: the spelling without the space."""
    out: list[str] = []
    for word in words:
        if out and (out[-1] in GLUE_BEFORE or word in GLUE_AFTER):
            out[-1] = out[-1] + word
        else:
            out.append(word)
    return out


@lru_cache(maxsize=1 << 16)
def _kind(text: str, kind: str) -> str:
    """A mistyped honorific (MULAH, HAJUJI, SSEYED) is still an honorific."""
    if kind != "name" or len(text) < 5 or text in _NOT_HONORIFIC or is_known_name(text):
        return kind
    first = text[0]
    for honorific in _LATIN_HONORIFICS:
        if honorific[0] == first and OSA.distance(text, honorific, score_cutoff=1) <= 1:
            return "honorific"
    return kind


@lru_cache(maxsize=1 << 16)
def _tokens(variant: str, arabic: bool) -> tuple[Token, ...]:
    # A variant is clean upper-case Latin without commas: classify its words
    # directly (titles dropped) rather than parse it again.
    words = [w for w in variant.split() if w.isalpha() and w not in TITLES]
    parts = _parts_of(words)
    out = []
    for i, p in enumerate(parts):
        # The name before a patronymic particle (AZAMAT in AZAMAT UULU) is the
        # father's name: a patronymic, whose absence on the other side costs little.
        before_patronymic = i + 1 < len(parts) and parts[i + 1].tag == "patronymic"
        out.append(make_token(p.text, _kind(p.text, p.kind), arabic, before_patronymic))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def readings_of(name: str) -> tuple[Reading, ...]:
    """Every distinct Latin reading of a name in any script (bounded)."""
    text = clean_text(name)
    if not text:
        return ()
    arabic = detect_script(text) == "ARABIC"
    seen: set[tuple[str, ...]] = set()
    out: list[Reading] = []
    for variant in sorted(latin_variants(name)):
        words = variant.split()
        glued = _glued(words)
        for form in (words, glued) if glued != words else (words,):
            tokens = _tokens(" ".join(form), arabic)
            key = tuple(t.sk for t in tokens)
            if tokens and key not in seen:
                seen.add(key)
                out.append(Reading.of(tokens, name))
    return tuple(out)


def readings_of_parts(surname: str, given_names: str) -> tuple[Reading, ...]:
    """Readings of a name given as family and given fields (order is not trusted)."""
    return readings_of(f"{given_names} {surname}".strip())
