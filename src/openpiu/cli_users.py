"""``piu user``: accounts with roles (argon2id password hashes)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from openpiu import accounts, audit
from openpiu.errors import PiuError
from openpiu.session import cli_actor, open_pipeline
from openpiu.store import db

users_app = typer.Typer(help="Accounts and their roles.", no_args_is_help=True)
# Piped output is read by scripts and people alike: keep tables wide enough.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


@users_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="3-64 characters: a-z 0-9 . _ -")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            "-r",
            help=("Repeat for several: " + ", ".join(r.value for r in accounts.Role)),
        ),
    ],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account.  Without --password-stdin a password is generated and
    printed once; it is never stored in clear."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN)
    generated = not password_stdin
    password = accounts.generate_password() if generated else sys.stdin.readline().rstrip("\n")
    with db.writer(pipeline.engine).begin() as conn:
        user_id = accounts.create_user(conn, username, password, role, created_by=actor.name)
        audit.record(
            conn,
            actor,
            "user.create",
            target_kind="user",
            target_ids=[user_id],
            details={"roles": sorted(accounts.parse_roles(role))},
        )
    out.print(f"created user {username} ({', '.join(sorted(role))})")
    if generated:
        out.print(f"password: {password}")
        out.print("(shown once; give it to the user over a safe channel)")


@users_app.command("ls")
def list_users() -> None:
    """List accounts (never their passwords)."""
    pipeline = open_pipeline()
    with pipeline.engine.connect() as conn:
        users = accounts.list_users(conn)
    if not users:
        out.print("no accounts yet: piu user create NAME --role admin")
    for user in users:
        state = "active" if user.active else f"disabled {user.disabled_at:%Y-%m-%d}"
        out.print(
            f"{user.username}\t{','.join(user.roles)}\t{state}\t"
            f"created {user.created_at:%Y-%m-%d} by {user.created_by or '-'}"
        )


@users_app.command("disable")
def disable(username: str) -> None:
    """Disable an account: it can no longer log in; its history stays."""
    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN)
    if actor.kind == "user" and actor.name == username:
        raise PiuError("you cannot disable your own account", status=409)
    with db.writer(pipeline.engine).begin() as conn:
        accounts.disable_user(conn, username)
        audit.record(conn, actor, "user.disable", target_kind="user", target_ids=[username])
    out.print(f"disabled user {username}")


@users_app.command("totp")
def totp(username: str) -> None:
    """Give an account a TOTP second factor (authenticator app): prints the
    provisioning URI once; from then on the web sign-in asks for the code."""
    from openpiu.web.signin import enrol_totp

    pipeline = open_pipeline()
    actor = cli_actor(pipeline.engine)
    accounts.require(actor, accounts.Role.ADMIN)
    with db.writer(pipeline.engine).begin() as conn:
        uri = enrol_totp(conn, username)
        audit.record(conn, actor, "user.totp_enrolled", target_kind="user", target_ids=[username])
    out.print(f"second factor set for {username}; add this to the authenticator app:")
    out.print(uri)
