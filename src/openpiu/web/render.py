"""Pages: the Jinja2 environment, its filters, and the context every page gets.

Times are shown where they happen: a departure in the airport's local time with
UTC beside it ("14:05 (09:05 UTC)"), so an analyst in one time zone reads a
flight from another without arithmetic.  Strings are translated through
gettext (``{% trans %}`` and ``_()``), in the language of the request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from openpiu import reference
from openpiu.settings import Settings
from openpiu.web import i18n
from openpiu.web.access import current_principal


def local_time(value: datetime | None, airport: str | None = None, *, with_date: bool = True
               ) -> str:
    """``2026-11-28 14:05 (09:05 UTC)`` in the airport's zone; UTC alone without one."""
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    fmt = "%Y-%m-%d %H:%M" if with_date else "%H:%M"
    zone = reference.airport_zone(airport) if airport else None
    utc = value.astimezone(UTC)
    if zone is None:
        return utc.strftime(fmt) + " UTC"
    return f"{value.astimezone(zone).strftime(fmt)} ({utc.strftime('%H:%M')} UTC)"


def plain_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d")


class Renderer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        env = Environment(loader=PackageLoader("openpiu.web", "templates"),
                          autoescape=select_autoescape(["html"]),
                          extensions=["jinja2.ext.i18n"], trim_blocks=True,
                          lstrip_blocks=True)  # fmt: skip
        env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
        env.filters["local"] = local_time
        env.filters["day"] = plain_date
        env.globals["languages"] = i18n.LANGUAGES
        self.env = env

    def language(self, request: Request) -> str:
        principal = current_principal(request) if request.cookies else None
        chosen = request.cookies.get("piu_lang") or (principal.language if principal else None)
        return i18n.choose(chosen, request.headers.get("accept-language"))

    def html(self, request: Request, template: str, context: dict[str, Any]) -> str:
        language = self.language(request)
        i18n.use(language)
        principal = current_principal(request) if request.cookies else None
        page = {"request": request, "principal": principal, "language": language,
                "csrf_token": principal.csrf_token if principal else "",
                "path": request.url.path, **context}  # fmt: skip
        return self.env.get_template(template).render(page)

    def page(self, request: Request, template: str, context: dict[str, Any],
             *, status: int = 200) -> HTMLResponse:
        return HTMLResponse(self.html(request, template, context), status_code=status)
