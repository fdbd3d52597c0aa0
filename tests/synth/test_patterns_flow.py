"""The example criteria fire on the planted travel patterns through the real flow:
generated files ingested by the pipeline with the examples in force (as
``piu demo`` does), checked against the ground truth by the demo's own
``planted_line``."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from openpiu.accounts import Actor
from openpiu.cli_demo_criteria import install_examples, planted_line
from openpiu.cli_ingest import files_of
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.synth import travel_patterns as tp
from openpiu.synth.output import Quirks, generate
from openpiu.synth.planted import plant, read_day
from openpiu.synth.planted_patterns import pattern_lines
from openpiu.synth.profiles import TAJIKISTAN

# The routes through the Istanbul and Dubai hubs, and one labour route to Moscow.
HUB_DAY = replace(TAJIKISTAN, routes=tuple(
    r for r in TAJIKISTAN.routes
    if r.mix in ("turkey", "gulf") or (r.carrier, r.out_number) == ("SZ", 301)))  # fmt: skip
SHUTTLE = replace(TAJIKISTAN, routes=tuple(
    r for r in TAJIKISTAN.routes if (r.carrier, r.out_number) in (("TK", 259), ("FZ", 988))))
# Higher rates than the demo's, so that a small slice holds every pattern.
RICH = tp.PatternRates(broken=0.05, new_document=0.03, repeated=0.05)


def _counts(text: str) -> dict[str, tuple[int, int]]:
    """pattern -> (bookings alerted, bookings planted), from planted_line's lines."""
    found = re.findall(r"planted pattern (\w+): (\d+) of (\d+) bookings", text)
    return {name: (int(a), int(b)) for name, a, b in found}


def _pipeline(engine: Engine) -> Pipeline:
    install_examples(engine, Actor.local(), datetime.now(UTC))
    return Pipeline(engine, Settings(database_url="sqlite:///unused.db"))


def test_examples_fire_on_the_day_patterns(
    tmp_path: Path, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(tp.RATES, "tajikistan", RICH)
    generate(HUB_DAY, 1, tmp_path, 7)
    plant(tmp_path, 7)
    pipeline = _pipeline(sqlite_engine)
    folders = [str(tmp_path / "paxlst"), str(tmp_path / "pnrgov")]  # the demo's order
    for _name, path in files_of(folders):
        assert path is not None
        pipeline.ingest_bytes(path.read_bytes())
    line = planted_line(sqlite_engine, tmp_path / "watchlists")
    assert line is not None
    counts = _counts(line)
    for name in ("cash_agency_day_before", tp.BROKEN, tp.NEW_DOCUMENT):
        alerted, planted = counts[name]
        assert planted >= 2 and alerted == planted, line
    assert counts[tp.REPEATED] == (0, 0) and "needs 9+ days" in line


def test_repeated_trips_fire_with_the_travellers_history(
    tmp_path: Path, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(tp.RATES, "tajikistan", RICH)
    data = tmp_path / "data"
    generate(SHUTTLE, tp.REPEATED_MIN_DAYS, data, 3, quirks=Quirks.none())
    day = read_day(data)
    pattern = next(p for p in pattern_lines(day.bookings, day.flights, day.by_id)
                   if p["pattern"] == tp.REPEATED)  # fmt: skip
    case = pattern["cases"][0]
    flights = {flight for _locator, flight in case["trips"]}
    # Only the files of the traveller's five flights, in the order they were sent.
    truth = [json.loads(x) for x in (data / "truth.jsonl").read_text("utf-8").splitlines()]
    files = sorted((o["sent_at"], o["path"]) for o in truth
                   if o["type"] == "file" and o["flight"] in flights)  # fmt: skip
    pipeline = _pipeline(sqlite_engine)
    for _sent, path in files:
        pipeline.ingest_bytes((data / path).read_bytes())
    answers = tmp_path / "answers"
    answers.mkdir()
    one = {**pattern, "locators": [case["locator"]], "travellers": [case["traveller"]],
           "cases": [case]}  # fmt: skip
    (answers / "planted.jsonl").write_text(json.dumps(one) + "\n", encoding="utf-8")
    line = planted_line(sqlite_engine, answers)
    assert line is not None and _counts(line)[tp.REPEATED] == (1, 1), line
    # the earlier trips out did not fire: the first has no history, the second one trip
    assert "1 alert(s) in all" in line
