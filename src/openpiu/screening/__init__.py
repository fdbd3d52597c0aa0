"""Watchlist screening: list entries, loaders, the indexed matcher and its explanations.

Pure code: no database, clock or framework.  ``Screener`` screens travellers
against one list; ``match_pair`` compares two names as traveller and entry.
"""

from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry, diff
from openpiu.screening.features import DEFAULT_KNOBS, Knobs
from openpiu.screening.scorer import ALGORITHM, band_of, match_pair, recompute
from openpiu.screening.screener import Screener
from openpiu.screening.types import BANDS, Band, Feature, Match, Subject

__all__ = [
    "ALGORITHM",
    "BANDS",
    "DEFAULT_KNOBS",
    "Alias",
    "Band",
    "BirthDate",
    "Document",
    "Feature",
    "Knobs",
    "Match",
    "Screener",
    "Subject",
    "WatchlistEntry",
    "band_of",
    "diff",
    "match_pair",
    "recompute",
]
