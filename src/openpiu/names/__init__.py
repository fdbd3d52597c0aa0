"""Name analysis for screening: normalisation, transliteration, equivalences.

Pure code (no database, clock or framework).  The matcher and the blocking
index build on these functions; see each module for the documented choices.
"""

from .equivalence import (
    SurnameForm,
    consonant_key,
    given_key,
    given_name_class,
    is_known_name,
    part_weight,
    skeleton,
    surname_stem,
)
from .normalise import (
    NamePart,
    ParsedName,
    clean_text,
    detect_script,
    parse_name,
    parse_structured,
    strip_glued_title,
)
from .translit import arabic_to_latin, cyrillic_to_latin, latin_variants

__all__ = [
    "NamePart",
    "ParsedName",
    "SurnameForm",
    "arabic_to_latin",
    "clean_text",
    "consonant_key",
    "cyrillic_to_latin",
    "detect_script",
    "given_key",
    "given_name_class",
    "is_known_name",
    "latin_variants",
    "parse_name",
    "parse_structured",
    "part_weight",
    "skeleton",
    "strip_glued_title",
    "surname_stem",
]
