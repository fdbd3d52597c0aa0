"""The dashboard and the other pages of the application (being written)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from openpiu.web.access import READ_DASHBOARD, Principal, allow

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request, principal: Principal = allow(READ_DASHBOARD)) -> Response:
    return request.app.state.renderer.page(request, "dashboard.html", {})
