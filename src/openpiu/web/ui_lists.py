"""Watchlists and criteria pages: lists, entries, imports, version diffs, lookouts;
criteria with their versions, approval by a second person, and backtests.

Each page calls the service the CLI calls (:mod:`openpiu.lookouts`,
:mod:`openpiu.criteria_lifecycle`, :mod:`openpiu.criteria_backtest`) and renders
its result.  A form refused for its content comes back filled in, with every
problem listed (status 422), so nothing typed is lost.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from openpiu import criteria_lifecycle as lifecycle
from openpiu import lookouts
from openpiu.criteria import CriterionError, load_criterion
from openpiu.criteria_backtest import backtest
from openpiu.errors import NotFoundError, PiuError
from openpiu.screening_service import LIST_FORMATS
from openpiu.store import criteria as criteria_store
from openpiu.store import watchlists as list_store
from openpiu.web.access import (
    ADD_LOOKOUTS,
    APPROVE_CRITERIA,
    MANAGE_WATCHLISTS,
    READ_CRITERIA,
    READ_WATCHLISTS,
    WRITE_CRITERIA,
    Principal,
    allow,
    audit_look,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
BACKTEST_DAYS = 30  # the period a backtest form proposes


def _now() -> datetime:
    return datetime.now(UTC)


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.renderer.page(request, template, context, status=status)  # type: ignore[no-any-return]


def _problems(exc: PiuError) -> list[str]:
    return list(getattr(exc, "problems", None) or [exc.detail])


# -- watchlists -----------------------------------------------------------------------


@router.get("/watchlists")
def watchlist_index(request: Request, principal: Principal = allow(READ_WATCHLISTS)) -> Response:
    with request.app.state.engine.begin() as conn:
        lists = list_store.list_watchlists(conn)
    return _page(request, "watchlists/index.html", {"lists": lists})


# Declared before /watchlists/{name}, which would take "import" for a list's name.
@router.get("/watchlists/import")
def import_form(request: Request, principal: Principal = allow(MANAGE_WATCHLISTS)) -> Response:
    return _page(request, "watchlists/import.html", {"formats": LIST_FORMATS, "form": {}})


@router.post("/watchlists/import")
def import_list(
    request: Request,
    name: Annotated[str, Form()],
    list_format: Annotated[str, Form(alias="format")],
    file: Annotated[UploadFile, File()],
    principal: Principal = allow(MANAGE_WATCHLISTS),
) -> Response:
    raw = file.file.read()
    source = file.filename or "upload"
    form = {"name": name, "format": list_format}
    try:
        change = lookouts.import_list(
            request.app.state.engine,
            request.app.state.settings,
            principal.actor,
            name.strip(),
            list_format,
            raw,
            source,
            _now(),
        )
    except PiuError as exc:
        if exc.status != 422:
            raise
        return _page(
            request,
            "watchlists/import.html",
            {"formats": LIST_FORMATS, "form": form, "problems": _problems(exc)},
            422,
        )
    return _page(request, "watchlists/version.html", _change_context(change))


def _change_context(change: lookouts.Change) -> dict[str, Any]:
    r = change.result
    return {
        "name": r.name,
        "version": r.version,
        "unchanged": r.unchanged,
        "diff": {"added": r.added, "changed": r.changed, "removed": r.removed},
        "rescreen": change.rescreen,
        "entry_id": change.entry_id,
        "just_saved": True,
    }


@router.get("/watchlists/{name}")
def watchlist_view(
    request: Request,
    name: str,
    q: str = "",
    page: int = 1,
    principal: Principal = allow(READ_WATCHLISTS, personal="watchlist_entry"),
) -> Response:
    page = max(1, page)
    with request.app.state.engine.begin() as conn:
        found = lookouts.entry_page(conn, name, q, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        versions = lookouts.versions(conn, name)
        audit_look(
            conn,
            request,
            principal,
            "watchlist_entry",
            # The ids shown, not the filter: a typed name is personal data itself.
            [f"{name}/{e.entry_id}" for e in found.entries],
        )
    return _page(
        request,
        "watchlists/list.html",
        {
            "name": name,
            "listing": found,
            "q": q,
            "page": page,
            "versions": versions,
            "pages": max(1, -(-found.total // PAGE_SIZE)),
        },
    )


@router.get("/watchlists/{name}/versions/{version}")
def version_view(
    request: Request, name: str, version: int, principal: Principal = allow(READ_WATCHLISTS)
) -> Response:
    with request.app.state.engine.begin() as conn:
        diff = list_store.version_diff(conn, name, version)
    return _page(
        request,
        "watchlists/version.html",
        {"name": name, "version": version, "diff": diff, "unchanged": False},
    )


def entry_form(
    full_name: Annotated[str, Form()] = "",
    surname: Annotated[str, Form()] = "",
    given_names: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    dob: Annotated[str, Form()] = "",
    nationality: Annotated[str, Form()] = "",
    doc_type: Annotated[str, Form()] = "",
    doc_number: Annotated[str, Form()] = "",
    doc_country: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "notify",
    legal_basis: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> lookouts.EntryForm:
    return lookouts.EntryForm(
        full_name,
        surname,
        given_names,
        aliases,
        dob,
        nationality,
        doc_type,
        doc_number,
        doc_country,
        action,
        legal_basis,
        expires,
        note,
    )


@router.get("/watchlists/{name}/entries/{entry_id}/edit")
def edit_form(
    request: Request,
    name: str,
    entry_id: str,
    principal: Principal = allow(MANAGE_WATCHLISTS, personal="watchlist_entry"),
) -> Response:
    return _edit_page(request, principal, name, entry_id, None)


def _edit_page(request: Request, principal: Principal, name: str, entry_id: str,
               form: lookouts.EntryForm | None, problems: Any = None, status: int = 200
               ) -> Response:
    """The entry's edit form: the stored entry (a look at it, audited), with the
    form as sent again when it was refused."""
    with request.app.state.engine.begin() as conn:
        entry = lookouts.entry(conn, name, entry_id)
        audit_look(
            conn, request, principal, "watchlist_entry", [f"{name}/{entry_id}"], purpose="edit"
        )
    context = {"name": name, "entry": entry, "form": form or lookouts.EntryForm.of(entry)}
    if problems is not None:
        context["problems"] = problems
    return _page(request, "watchlists/edit.html", context, status)


@router.post("/watchlists/{name}/entries/{entry_id}/edit")
def edit_entry(
    request: Request,
    name: str,
    entry_id: str,
    form: lookouts.EntryForm = Depends(entry_form),
    principal: Principal = allow(MANAGE_WATCHLISTS),
) -> Response:
    try:
        change = lookouts.edit_entry(
            request.app.state.engine,
            request.app.state.settings,
            principal.actor,
            name,
            entry_id,
            form,
            _now(),
        )
    except PiuError as exc:
        if exc.status != 422:
            raise
        # The form shown again holds the stored entry's other fields: a look.
        return _edit_page(request, principal, name, entry_id, form, _problems(exc), 422)
    return _page(request, "watchlists/version.html", _change_context(change))


@router.get("/lookouts/new")
def lookout_form(request: Request, principal: Principal = allow(ADD_LOOKOUTS)) -> Response:
    return _page(
        request,
        "watchlists/lookout.html",
        {"form": lookouts.EntryForm(), "latest": _latest_expiry()},
    )


def _latest_expiry() -> date:
    return lookouts.one_year_after(_now().date())


@router.post("/lookouts/new")
def add_lookout(
    request: Request,
    form: lookouts.EntryForm = Depends(entry_form),
    principal: Principal = allow(ADD_LOOKOUTS),
) -> Response:
    try:
        change = lookouts.add_lookout(
            request.app.state.engine, request.app.state.settings, principal.actor, form, _now()
        )
    except PiuError as exc:
        if exc.status != 422:
            raise
        return _page(
            request,
            "watchlists/lookout.html",
            {"form": form, "latest": _latest_expiry(), "problems": _problems(exc)},
            422,
        )
    return _page(request, "watchlists/version.html", _change_context(change))


# -- criteria -------------------------------------------------------------------------


def _criteria_context(conn: Any) -> dict[str, Any]:
    by_key: dict[str, list[criteria_store.VersionRow]] = {}
    for row in criteria_store.all_versions(conn):
        by_key.setdefault(row.key, []).append(row)
    return {"criteria": by_key, "today": _now().date()}


@router.get("/criteria")
def criteria_index(request: Request, principal: Principal = allow(READ_CRITERIA)) -> Response:
    with request.app.state.engine.begin() as conn:
        context = _criteria_context(conn)
    return _page(request, "criteria/index.html", {**context, "text": ""})


@router.post("/criteria")
def criteria_add(
    request: Request,
    text: Annotated[str, Form()] = "",
    principal: Principal = allow(WRITE_CRITERIA),
) -> Response:
    try:
        added = lifecycle.add(request.app.state.engine, principal.actor, text, "web form", _now())
    except CriterionError as exc:
        with request.app.state.engine.begin() as conn:
            context = _criteria_context(conn)
        return _page(
            request, "criteria/index.html", {**context, "text": text, "problems": exc.problems}, 422
        )
    return RedirectResponse(f"/criteria/{quote(added.version.key)}", status_code=303)


@router.get("/criteria/{key}")
def criterion_view(
    request: Request, key: str, principal: Principal = allow(READ_CRITERIA)
) -> Response:
    with request.app.state.engine.begin() as conn:
        versions = criteria_store.versions_of(conn, key)
    if not versions:
        raise NotFoundError(f"no criterion {key!r}")
    return _page(
        request,
        "criteria/view.html",
        {"key": key, "versions": versions[::-1], "today": _now().date()},
    )


@router.post("/criteria/{key}/approve")
def criterion_approve(
    request: Request,
    key: str,
    version: Annotated[int, Form()],
    principal: Principal = allow(APPROVE_CRITERIA),
) -> Response:
    lifecycle.approve(request.app.state.engine, principal.actor, f"{key}@{version}", _now())
    return RedirectResponse(f"/criteria/{quote(key)}", status_code=303)


@router.get("/criteria/{key}/backtest")
def criterion_backtest(
    request: Request,
    key: str,
    since: date | None = None,
    version: int | None = None,
    principal: Principal = allow(READ_CRITERIA),
) -> Response:
    """Counts only (hits, rates by route and carrier, precision): no traveller is shown.
    Run only when asked (``since`` given): it reads every stored traveller's facts."""
    ref = f"{key}@{version}" if version else key
    with request.app.state.engine.begin() as conn:
        row = criteria_store.find(conn, ref)
    report = None
    if since is not None:
        criterion = load_criterion(row.yaml, source=row.ref)
        report = backtest(request.app.state.engine, principal.actor, criterion, since)
    proposed = since or _now().date() - timedelta(days=BACKTEST_DAYS)
    return _page(
        request, "criteria/backtest.html", {"row": row, "report": report, "since": proposed}
    )
