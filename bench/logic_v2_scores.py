"""Score every pair of ``bench/data/name_pairs.csv`` with OpenSanctions' logic-v2.

Runs OUTSIDE the project's venv (nomenklatura is not a dependency of openpiu):

    python3 -m venv /tmp/osvenv
    /tmp/osvenv/bin/pip install nomenklatura followthemoney   # pyicu compiles ~2 min
    /tmp/osvenv/bin/python bench/logic_v2_scores.py

Each side becomes a FollowTheMoney ``Person`` with ``name`` and (when given)
``birthDate``; the left side is the query, the right side the list's result, as
yente does.  Writes ``bench/data/logic_v2_scores.csv`` (``pair_id,score``), which
``bench/screening_quality.py`` reads to print logic-v2 beside our matcher (at
logic-v2's own threshold 0.70).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from followthemoney import model
from nomenklatura.matching import LogicV2

HERE = Path(__file__).resolve().parent


def person(pid: str, name: str, dob: str):  # type: ignore[no-untyped-def]
    entity = model.make_entity("Person")
    entity.id = pid
    entity.add("name", name)
    if dob:
        entity.add("birthDate", dob)
    return entity


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=HERE / "data" / "name_pairs.csv")
    ap.add_argument("--out", type=Path, default=HERE / "data" / "logic_v2_scores.csv")
    args = ap.parse_args(argv)
    config = LogicV2.default_config()
    with args.pairs.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    began = time.perf_counter()
    out = []
    for r in rows:
        q = person(f"{r['pair_id']}-l", r["left"], r["dob_left"])
        c = person(f"{r['pair_id']}-r", r["right"], r["dob_right"])
        res = LogicV2.compare(q, c, config)
        out.append((r["pair_id"], round(float(res.score), 4)))
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["pair_id", "score"])
        w.writerows(out)
    took = time.perf_counter() - began
    print(f"{len(out)} pairs scored with logic-v2 in {took:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
