"""``N_``: marks a string for translation without translating it (gettext's
convention), so ``make i18n`` finds labels kept in data tables of the core; the
web UI translates them when it shows them."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext name
    return message
