"""Words the pages show from data (statuses, bands, event kinds), listed here so
that ``make i18n`` extracts them for translation; templates translate them with
``_(value)`` at render time."""

from __future__ import annotations

from openpiu.marks import N_

WORDS = (
    # alert bands and statuses
    N_("alert"), N_("review"), N_("none"),
    N_("open"), N_("dismissed"), N_("confirmed"), N_("referred"), N_("closed"),
    # alert history
    N_("raised"), N_("updated"), N_("unchanged"), N_("reopened"), N_("band_changed"),
    N_("suppressed"), N_("noted"),
    # sources
    N_("watchlist"), N_("criterion"),
    # manifest and booking states
    N_("listed"), N_("cancelled"), N_("on_flight"), N_("left"),
    # referrals and requests
    N_("pending"), N_("approved"), N_("rejected"), N_("withdrawn"),
    N_("disclosed"), N_("partial"), N_("refused"),
    # criteria
    N_("draft"), N_("active"), N_("suspended"), N_("retired"),
    # messages
    N_("processed"), N_("duplicate"), N_("quarantined"), N_("held"), N_("received"),
    # receiving authorities (settings.referral_authorities, "_" shown as a space)
    N_("border guard"), N_("police"), N_("customs"), N_("security service"),
    # watchlist entries: requested actions and kinds
    N_("notify"), N_("inspect"), N_("contact"), N_("no_board"), N_("person"), N_("entity"),
    # backtest oversight dimensions
    N_("gender"), N_("age band"), N_("nationality"),
)  # fmt: skip
