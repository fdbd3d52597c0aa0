"""The container layout (compose.yml, Dockerfile) stays true to the CLI and keeps
no secret."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.main import get_command

from openpiu.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_compose_services_run_commands_the_cli_has() -> None:
    compose = yaml.safe_load((ROOT / "compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "intake", "postgres", "rabbitmq"} <= services.keys()
    cli = get_command(app)
    for name in ("web", "worker", "intake"):
        command = services[name]["command"]
        assert command[0] == "piu", name
        group = cli
        for word in command[1:]:
            if word.startswith("-"):
                break
            sub = group.commands.get(word)  # type: ignore[attr-defined]
            assert sub is not None, f"{name}: piu has no command {word!r}"
            group = sub


def test_no_password_is_written_down() -> None:
    text = (ROOT / "compose.yml").read_text()
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if re.search(r"PASSWORD|PASS:|://\w+:", line):
            assert "${" in line and ":?" in line, f"a secret must come from the environment: {line}"
    assert "PASSWORD" not in (ROOT / "Dockerfile").read_text()
