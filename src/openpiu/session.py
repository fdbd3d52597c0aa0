"""Who the CLI acts as, and the pipeline it acts on.

State-changing commands act as an authenticated account when ``PIU_USER`` is set
(password from ``PIU_PASSWORD`` or a prompt), and otherwise as the local
operating-system account (``local:<login>``): whoever can run ``piu`` on this
machine can already open its database file.  A jurisdiction that wants every
command tied to a named account sets ``PIU_CLI_REQUIRE_LOGIN=true``.  Either way
the actor is written to the audit trail.
"""

from __future__ import annotations

import getpass
import sys

from sqlalchemy import Engine

from openpiu import accounts
from openpiu.errors import AuthError
from openpiu.pipeline import Pipeline
from openpiu.settings import get_settings


def open_pipeline() -> Pipeline:
    """The pipeline on the configured store, migrated to the latest schema."""
    return Pipeline.from_url(get_settings().database_url)


def cli_actor(engine: Engine) -> accounts.Actor:
    settings = get_settings()
    if settings.user:
        password = settings.password
        if password is None:
            if not sys.stdin.isatty():
                raise AuthError(
                    "PIU_USER is set but PIU_PASSWORD is not, and there is no "
                    "terminal to ask for it"
                )
            password = getpass.getpass(f"password for {settings.user}: ")
        with engine.begin() as conn:
            return accounts.authenticate(conn, settings.user, password)
    if settings.cli_require_login:
        raise AuthError("PIU_CLI_REQUIRE_LOGIN is on: set PIU_USER (and PIU_PASSWORD)")
    return accounts.Actor.local()
