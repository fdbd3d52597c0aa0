"""Name normalisation: one raw name string -> tagged parts.

Pure functions only (no database, clock or framework), so that the screening
index, the scorer and the ingest pipeline all see the *same* parts for the
same input.  Nothing here transliterates: parts keep their own script, and
:mod:`openpiu.names.translit` turns them into Latin spellings afterwards.

Choices (documented because they change who matches whom):

* Titles (MR, MRS, DR, ...) carry no identity and are dropped outright.
* Religious or social honorifics (HAJI, SHEIKH, MULLAH, SAYED, ...) are often
  written *into* the registered name of Afghan and Pakistani travellers
  (a passport may read "SAYED MOHAMMAD"), while a list writes them only
  sometimes.  They are therefore kept as parts of kind ``honorific``: the
  matcher treats them as optional, neither required nor penalised.  When a
  name consists of honorifics only, they are kept as ordinary names.
* Particles (AL, BIN, ULY, VAN, ...) are tagged, not dropped: "BIN LADEN" and
  "LADEN" differ, but a missing particle must cost little.
* Placeholders (FNU, LNU, UNKNOWN) are kept as kind ``placeholder`` so the
  matcher can ignore them while the record still shows them.
* Glued titles ("JOHNMR" in a PNR TIF) are only stripped on request
  (:func:`strip_glued_title`), because a real name may end in the same letters
  (ALEXANDR ends in DR).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Script = Literal["LATIN", "CYRILLIC", "ARABIC", "HAN", "OTHER"]
PartKind = Literal["name", "particle", "honorific", "placeholder"]

# Titles that never belong to the identity.  CHD/INF are PNR passenger-type
# codes that airlines glue to the given name like a title.
TITLES: frozenset[str] = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "MX", "DR", "PROF", "CHD", "INF", "SIR"}
)

# Honorifics: kept as optional parts (see module docstring).
HONORIFICS: frozenset[str] = frozenset(
    {
        "HAJI", "HAJJI", "HADJI", "HAJJ", "ALHAJ", "ALHAJI", "ALHAJJ",
        "SHEIKH", "SHAIKH", "SHEIKHH", "SHAYKH", "SHEKH",
        "MULLAH", "MULLA", "MOLLA", "MAULAVI", "MAWLAWI", "MAULVI", "MAWLAVI", "MAULANA",
        "QARI", "SAYED", "SAYYID", "SAYYED", "SAIYID", "SYED", "SEYED", "SEYYED",
        # The same in Arabic/Persian script.
        "حاجی", "حاجي", "شیخ", "شيخ", "ملا", "سید", "سيد", "مولوی", "مولوي", "قاری", "قاري",
    }
)  # fmt: skip

# Particles and the role each one plays; the tag travels with the part.
PARTICLES: dict[str, str] = {
    # Arabic article and filiation (son/daughter/father/mother of).
    "AL": "article", "EL": "article", "UL": "article", "ED": "article",
    "BIN": "filiation", "IBN": "filiation", "BEN": "filiation", "BINT": "filiation",
    "BINTI": "filiation", "ABU": "kunya", "UMM": "kunya", "OM": "kunya",
    # Turkic patronymic markers: Kazakh ULY/KYZY, Kyrgyz UULU/KYZY, Uzbek OGLI,
    # Azerbaijani OGLU/QIZI.
    "ULY": "patronymic", "UULU": "patronymic", "KYZY": "patronymic", "KIZI": "patronymic",
    "QIZI": "patronymic", "OGLI": "patronymic", "OGLU": "patronymic", "UGLI": "patronymic",
    # European nobiliary/locative particles.
    "VAN": "locative", "VON": "locative", "DE": "locative", "DER": "locative",
    "DEN": "locative", "DA": "locative", "DI": "locative", "DOS": "locative",
    "DAS": "locative", "DEL": "locative", "DU": "locative", "LA": "locative", "LE": "locative",
    # Arabic script forms.
    "بن": "filiation", "ابن": "filiation", "بنت": "filiation", "ابو": "kunya", "ام": "kunya",
    # Cyrillic forms met in Kazakh/Kyrgyz documents.
    "УЛЫ": "patronymic", "УУЛУ": "patronymic", "КЫЗЫ": "patronymic", "ҚЫЗЫ": "patronymic",
}  # fmt: skip

# BEN is also an English given name; it is only a particle between two names.
_INNER_ONLY_PARTICLES: frozenset[str] = frozenset({"BEN", "LA", "LE", "DA", "DI", "DU", "OM"})

PLACEHOLDERS: frozenset[str] = frozenset({"FNU", "LNU", "NFN", "NLN", "UNKNOWN", "UNK", "XXX"})

# Apostrophe-like characters vanish (O'REILLY == OREILLY; Uzbek O'G'LI == OGLI);
# every other punctuation mark separates parts.
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u02b9\u0060\u00b4\u2032"
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
# Arabic short-vowel marks and tatweel are optional in writing: drop them so
# that vocalised and unvocalised spellings compare equal.
_ASCII_PUNCT = re.compile("[^A-Z0-9,]")
_JOINERS_RE = re.compile("[\u200b\u200d\u00ad\u2060]")
_ARABIC_OPTIONAL_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


@dataclass(frozen=True, slots=True)
class NamePart:
    """One token of a name, upper case, in its own script."""

    text: str
    script: Script
    kind: PartKind = "name"
    tag: str = ""  # the particle role or the placeholder word; empty for names


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A normalised name.

    ``parts`` keeps the written order.  ``family_first`` is True when the input
    said so ("Family, Given"), None when the order is unknown (the matcher then
    aligns parts in any order).
    """

    raw: str
    parts: tuple[NamePart, ...]
    family_first: bool | None = None
    family_count: int = 0  # parts before the comma, when family_first
    titles: tuple[str, ...] = field(default=())

    @property
    def names(self) -> tuple[NamePart, ...]:
        """The parts that carry identity (no particle, honorific or placeholder)."""
        return tuple(p for p in self.parts if p.kind == "name")

    @property
    def is_mononym(self) -> bool:
        return len(self.names) == 1

    @property
    def has_placeholder(self) -> bool:
        return any(p.kind == "placeholder" for p in self.parts)


def _script_of_char(ch: str) -> Script | None:
    cp = ord(ch)
    if ch.isascii():
        return "LATIN" if ch.isalpha() else None
    if 0x00C0 <= cp <= 0x024F or 0x1E00 <= cp <= 0x1EFF:
        return "LATIN"
    if 0x0400 <= cp <= 0x052F or 0x1C80 <= cp <= 0x1C8F or 0x2DE0 <= cp <= 0x2DFF:
        return "CYRILLIC"
    if 0xA640 <= cp <= 0xA69F:
        return "CYRILLIC"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF:
        return "ARABIC"
    if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "ARABIC"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return "HAN"
    if 0x20000 <= cp <= 0x2FA1F:
        return "HAN"
    return "OTHER" if ch.isalpha() else None


def detect_script(text: str) -> Script:
    """The script of most letters of ``text`` (ties: first seen); OTHER if none."""
    if text.isascii():
        return "LATIN" if text.lower() != text.upper() else "OTHER"  # has a letter
    counts: dict[Script, int] = {}
    for ch in text:
        s = _script_of_char(ch)
        if s is not None:
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return "OTHER"
    return max(counts, key=lambda s: counts[s])


def clean_text(value: str) -> str:
    """NFKC, upper case, apostrophes removed, other punctuation to spaces.

    Commas survive so that :func:`parse_name` can detect "Family, Given".
    """
    if value.isascii():
        # The common case (passport and booking names): the same result, fast.
        text = _ASCII_PUNCT.sub(" ", value.replace("'", "").replace("`", "").upper())
        return " ".join(text.split())
    text = unicodedata.normalize("NFKC", value)
    # casefold then upper: folds ß -> SS and odd case forms consistently.
    text = text.casefold().upper()
    text = unicodedata.normalize("NFC", text)
    text = _APOS_RE.sub("", text)
    text = _ARABIC_OPTIONAL_RE.sub("", text)
    # Zero-width joiners and soft hyphens vanish; a zero-width NON-joiner is a
    # morpheme break (Persian نجیب‌الله = NAJIB ULLAH) and becomes a space below,
    # and the matcher glues the parts back when the other side writes one word.
    text = _JOINERS_RE.sub("", text)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "," or ch == "\u060c":  # Latin and Arabic comma
            out.append(",")
        elif cat[0] in ("L", "N") or cat == "Mn" or cat == "Mc":
            out.append(ch)
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def strip_glued_title(token: str) -> tuple[str, str]:
    """Split a PNR given name with a glued title: "SEANMR" -> ("SEAN", "MR").

    Only for fields known to carry a glued title (PNR TIF).  The longest title
    wins (MRS before MR), and at least two letters must remain.
    """
    for title in sorted(TITLES, key=len, reverse=True):
        if token.endswith(title) and len(token) - len(title) >= 2:
            return token[: -len(title)], title
    return token, ""


def _classify(token: str, index: int, count: int) -> NamePart:
    script = detect_script(token)
    if token in PLACEHOLDERS:
        return NamePart(token, script, "placeholder", token)
    role = PARTICLES.get(token)
    if role is not None and count > 1:
        inner = 0 < index < count - 1
        if token not in _INNER_ONLY_PARTICLES or inner:
            # A particle as last token ("HASAN AL") is a truncation: keep it
            # tagged all the same; the matcher gives particles little weight.
            return NamePart(token, script, "particle", role)
    if token in HONORIFICS:
        return NamePart(token, script, "honorific", "honorific")
    return NamePart(token, script)


def _parts_of(tokens: list[str]) -> list[NamePart]:
    parts = [_classify(t, i, len(tokens)) for i, t in enumerate(tokens)]
    if parts and all(p.kind in ("honorific", "particle", "placeholder") for p in parts):
        # Nothing else left: honorifics are then the name itself ("SAYED").
        parts = [NamePart(p.text, p.script) if p.kind == "honorific" else p for p in parts]
    return parts


def parse_name(value: str, *, glued_title: bool = False) -> ParsedName:
    """Normalise one full name string into tagged parts.

    ``glued_title`` enables :func:`strip_glued_title` on the last token (PNR).
    """
    text = clean_text(value)
    titles: list[str] = []
    family_first: bool | None = None
    family_count = 0
    segments = [s.split() for s in text.split(",")]
    segments = [s for s in segments if s]
    if len(segments) >= 2:
        # "Family, Given": the first segment is the family name.  More commas
        # (a suffix list, "SMITH, JOHN, JR") fold into the given segment.
        family_first = True
    tokens_by_segment: list[list[str]] = []
    for seg in segments:
        kept = []
        for tok in seg:
            if tok in TITLES:
                titles.append(tok)
            else:
                kept.append(tok)
        tokens_by_segment.append(kept)
    if glued_title and tokens_by_segment and tokens_by_segment[-1]:
        last = tokens_by_segment[-1]
        last[-1], title = strip_glued_title(last[-1])
        if title:
            titles.append(title)
    tokens = [t for seg in tokens_by_segment for t in seg]
    if family_first:
        family_count = len(tokens_by_segment[0])
        if family_count == 0 or family_count == len(tokens):
            family_first, family_count = None, 0
    return ParsedName(
        raw=value,
        parts=tuple(_parts_of(tokens)),
        family_first=family_first,
        family_count=family_count,
        titles=tuple(titles),
    )


def parse_structured(family: str, given: str, *, glued_title: bool = False) -> ParsedName:
    """Parse a name given as separate family and given fields (API, PNR)."""
    family_text = clean_text(family).replace(",", " ")
    given_text = clean_text(given).replace(",", " ")
    if not family_text:
        return parse_name(given_text, glued_title=glued_title)
    if not given_text:
        return parse_name(family_text)
    return parse_name(f"{family_text}, {given_text}", glued_title=glued_title)
