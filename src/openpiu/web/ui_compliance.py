"""Carrier compliance: the page ``/compliance`` and its JSON twin
``/api/v1/compliance``, one service (:func:`openpiu.compliance.report`) behind both.

Counts, flights and carrier codes only, no person: the dashboard permission
suffices and no look is audited.  Each carrier's row carries an anchor
(``#carrier-CODE``) and its feed status, so the dashboard can link a carrier
straight to ``/compliance?carrier=CODE#carrier-CODE``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from openpiu import carriers, compliance
from openpiu.web.access import READ_DASHBOARD, Principal, allow
from openpiu.web.forms import optional_date

router = APIRouter()
DEFAULT_DAYS = 7  # the page opens on the last week's flights


def _query(request: Request, since: str, carrier: str
           ) -> tuple[compliance.Report, list[str]]:  # fmt: skip
    now = datetime.now(UTC)
    since_ = optional_date(since, "since") or (now.date() - timedelta(days=DEFAULT_DAYS))
    code = carrier.strip().upper()[:16] or None
    with request.app.state.engine.begin() as conn:
        result = compliance.report(conn, since_, now, code)
        registered = [c.code for c in carriers.list_carriers(conn)]
    return result, registered


@router.get("/compliance", include_in_schema=False)
def compliance_page(request: Request, since: str = "", carrier: str = "",
                    principal: Principal = allow(READ_DASHBOARD)) -> Response:  # fmt: skip
    result, registered = _query(request, since, carrier)
    context: dict[str, Any] = {"report": result, "registered": registered,
                               "kinds": compliance.SCHEDULED_KINDS,
                               "quality_fields": compliance.QUALITY}  # fmt: skip
    page: Response = request.app.state.renderer.page(request, "compliance/report.html", context)
    return page


@router.get("/api/v1/compliance")
def compliance_json(request: Request, since: str = "", carrier: str = "",
                    principal: Principal = allow(READ_DASHBOARD)) -> Response:  # fmt: skip
    """Per carrier and flight: pushes expected, on time, late or missing; the
    quality of the API data; refusals and compliance events (counts only)."""
    result, _registered = _query(request, since, carrier)
    return JSONResponse(compliance.to_json(result))
