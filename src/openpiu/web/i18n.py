"""Translations for the web UI: gettext catalogues read from ``web/locale``.

The ``.po`` files are the source (translators edit them; ``make i18n`` extracts
new strings with Babel); they are compiled in memory when the app starts, so
no binary ``.mo`` file is kept in git and no build step is needed.  The language
of a page is the user's choice (kept with the session), else the browser's
``Accept-Language``, else English.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("piu_language", default=DEFAULT)


@cache
def translations(language: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def use(language: str) -> None:
    """Make ``language`` the one the next strings are translated into (this
    context only: each request renders in its own)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


def gettext_(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def choose(chosen: str | None, accept_language: str | None) -> str:
    """The session's choice, else the first supported language the browser asks for."""
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
