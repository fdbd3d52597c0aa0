"""Watchlist screening: list entries, loaders for the lists we read, and their diff."""

from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry, diff

__all__ = ["Alias", "BirthDate", "Document", "WatchlistEntry", "diff"]
