"""Signing in and out, and choosing the language (pages, and the same for the API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from openpiu.errors import AuthError
from openpiu.web import i18n, signin
from openpiu.web.access import SIGNED_IN, Principal, allow

router = APIRouter()


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(signin.COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.app.state.settings.cookie_secure)  # fmt: skip


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return request.app.state.renderer.page(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", include_in_schema=False)
def login(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
          code: Annotated[str | None, Form()] = None, next: Annotated[str, Form()] = "/"
          ) -> Response:
    app = request.app
    try:
        token, _ = signin.sign_in(app.state.engine, app.state.signin_policy, username, password,
                                  code, _client(request))  # fmt: skip
    except AuthError as exc:
        return app.state.renderer.page(request, "login.html",
                                       {"next": _safe_next(next), "error": exc.detail,
                                        "username": username[:64]}, status=401)  # fmt: skip
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_cookie(request, response, token)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, principal: Principal = allow(SIGNED_IN)) -> Response:
    signin.sign_out(request.app.state.engine, request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(signin.COOKIE, path="/")
    return response


@router.post("/language", include_in_schema=False)
def language(request: Request, language: Annotated[str, Form()],
             next: Annotated[str, Form()] = "/", principal: Principal = allow(SIGNED_IN)
             ) -> Response:
    chosen = language if language in i18n.LANGUAGES else i18n.DEFAULT
    signin.set_language(request.app.state.engine, request, chosen)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie("piu_lang", chosen, samesite="strict", path="/",
                        secure=request.app.state.settings.cookie_secure)  # fmt: skip
    return response


class Credentials(BaseModel):
    username: str
    password: str
    code: str | None = None


@router.post("/api/v1/session", tags=["session"])
def api_sign_in(request: Request, credentials: Credentials, response: Response
                ) -> dict[str, object]:
    """Sign in; the session cookie is set, and the CSRF token to send back in the
    ``X-CSRF-Token`` header of every state-changing call is returned."""
    app = request.app
    token, principal = signin.sign_in(app.state.engine, app.state.signin_policy,
                                      credentials.username, credentials.password,
                                      credentials.code, _client(request))  # fmt: skip
    _set_cookie(request, response, token)
    return {"user": principal.actor.name, "roles": list(principal.actor.roles),
            "csrf_token": principal.csrf_token}  # fmt: skip


@router.get("/api/v1/session", tags=["session"])
def api_session(principal: Principal = allow(SIGNED_IN)) -> dict[str, object]:
    return {"user": principal.actor.name, "roles": list(principal.actor.roles),
            "permissions": sorted(principal.permissions), "csrf_token": principal.csrf_token}


@router.delete("/api/v1/session", tags=["session"])
def api_sign_out(request: Request, response: Response,
                 principal: Principal = allow(SIGNED_IN)) -> dict[str, str]:
    signin.sign_out(request.app.state.engine, request)
    response.delete_cookie(signin.COOKIE, path="/")
    return {"status": "signed out"}
