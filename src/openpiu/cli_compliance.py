"""``piu compliance report`` (being written)."""

from __future__ import annotations

import typer

compliance_app = typer.Typer(help="Carrier compliance.", no_args_is_help=True)
