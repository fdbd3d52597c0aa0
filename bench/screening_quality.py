"""Watchlist screening quality: precision, recall and F1 by kind of variation.

    .venv/bin/python bench/screening_quality.py [--json] [--misses 20]
                                                [--no-innocents] [--no-planted]

Three measures, each printed as a table (``--json``: one JSON document instead):

1. **Name pairs** (``bench/data/name_pairs.csv``, made by ``bench/make_name_pairs.py``):
   ``match_pair(left, right, dob_left, dob_right)``; a pair is predicted a match
   when its band is ``alert``.  Precision, recall and F1 by kind and overall;
   negative kinds (``neg_*``, ``un_neg_*``) show their false alerts.  When
   ``bench/data/logic_v2_scores.csv`` exists (``bench/logic_v2_scores.py``, run in a
   separate venv with nomenklatura) OpenSanctions logic-v2 is shown beside ours at
   its own threshold, 0.70.  The misses (false negatives, then false alerts) are
   listed with their features, so a developer can see what to improve.
2. **Innocent travellers** (``bench/data/innocents.csv``, 5,000 synthetic
   travellers who are not list persons) screened against the real UN list of
   ``shared/data/``: the share raising an alert (floor: at most 0.1 %).  Skipped,
   with a message, when the shared folder is absent (``PIU_SHARED_DIR`` overrides
   ``../shared``).
3. **Planted cases**: one day of the traffic generator (Tajikistan profile) and
   its planted national watchlist; every planted hit must alert on its entry,
   no decoy may; alerts of the day's other travellers are counted too.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
LOGIC_V2_THRESHOLD = 0.70


def shared_dir() -> Path:
    env = os.environ.get("PIU_SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


# -- metrics ---------------------------------------------------------------------------
@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, label: bool, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif label:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fn + self.fp + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "tp": self.tp, "fn": self.fn, "fp": self.fp, "tn": self.tn,
                "precision": _r(self.precision), "recall": _r(self.recall),
                "f1": _r(self.f1)}  # fmt: skip


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


@dataclass
class PairResult:
    row: dict[str, str]
    score: float
    band: str
    features: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> bool:
        return self.row["label"] == "1"

    @property
    def predicted(self) -> bool:
        return self.band == "alert"


def _features(match: Any) -> list[dict[str, Any]]:
    out = []
    for f in getattr(match, "features", ()) or ():
        out.append({"name": f.name, "score": round(f.score, 3), "weight": f.weight,
                    "detail": f.detail})  # fmt: skip
    return out


# -- 1. name pairs ---------------------------------------------------------------------
def run_pairs(path: Path) -> tuple[list[PairResult], float]:
    from openpiu.screening import match_pair

    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    began = time.perf_counter()
    results = []
    for r in rows:
        m = match_pair(r["left"], r["right"], r["dob_left"] or None, r["dob_right"] or None)
        results.append(PairResult(r, float(m.score), str(m.band), _features(m)))
    return results, time.perf_counter() - began


def tallies(results: list[PairResult], predicted: dict[str, bool] | None = None
            ) -> tuple[dict[str, Tally], dict[str, Tally], Tally]:  # fmt: skip
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_culture: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    for res in results:
        pid = res.row["pair_id"]
        if predicted is not None and pid not in predicted:
            continue
        pred = res.predicted if predicted is None else predicted[pid]
        by_kind[res.row["kind"]].add(res.label, pred)
        by_culture[res.row["culture"]].add(res.label, pred)
        total.add(res.label, pred)
    return dict(by_kind), dict(by_culture), total


def read_logic_v2(path: Path) -> dict[str, float] | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return {r["pair_id"]: float(r["score"]) for r in csv.DictReader(fh)}


def _kind_order(kind: str) -> tuple[int, str]:
    neg = kind.startswith("neg_") or kind.startswith("un_neg")
    return (2 if neg else (1 if kind.startswith("un_") else 0), kind)


def print_pairs(results: list[PairResult], seconds: float, lv2: dict[str, float] | None,
                n_misses: int) -> dict[str, Any]:  # fmt: skip
    by_kind, by_culture, total = tallies(results)
    lv2_pred = {k: v >= LOGIC_V2_THRESHOLD for k, v in lv2.items()} if lv2 else None
    lv2_kind, lv2_culture, lv2_total = tallies(results, lv2_pred) if lv2_pred else ({}, {}, None)
    print(
        f"== Name pairs: {len(results)} from {DATA / 'name_pairs.csv'}; match = band 'alert'"
        f" ({1e6 * seconds / max(1, len(results)):.0f} us/pair)"
    )
    head = f"{'kind':22} {'n':>4} {'pos':>4}  {'prec':>6} {'recall':>6} {'F1':>6}  {'FP':>3}"
    if lv2_total is not None:
        head += (f"   | logic-v2@{LOGIC_V2_THRESHOLD:.2f}: {'prec':>6} {'recall':>6} {'F1':>6} "
                 f"{'FP':>3}")  # fmt: skip
    print(head)
    print("-" * len(head))

    def line(name: str, t: Tally, o: Tally | None) -> None:
        s = (f"{name:22} {t.n:4d} {t.tp + t.fn:4d}  {_pct(t.precision)} {_pct(t.recall)} "
             f"{_pct(t.f1)}  {t.fp:3d}")  # fmt: skip
        if o is not None:
            s += (f"   |                 {_pct(o.precision)} {_pct(o.recall)} {_pct(o.f1)} "
                  f"{o.fp:3d}")  # fmt: skip
        print(s)

    for kind in sorted(by_kind, key=_kind_order):
        line(kind, by_kind[kind], lv2_kind.get(kind) if lv2_total is not None else None)
    print("-" * len(head))
    line("ALL", total, lv2_total)
    print()
    print("culture" + head[len("culture") :])
    for c in sorted(by_culture):
        line(c, by_culture[c], lv2_culture.get(c) if lv2_total is not None else None)
    if lv2 is None:
        print(
            f"\n(logic-v2 not shown: {DATA / 'logic_v2_scores.csv'} absent; "
            "see bench/logic_v2_scores.py)"
        )
    bands = defaultdict(int)
    for res in results:
        bands[(res.row["label"], res.band)] += 1
    print("\nbands by label: " + ", ".join(f"label {k[0]} {k[1]}: {v}"
                                           for k, v in sorted(bands.items())))  # fmt: skip
    fns = [r for r in results if r.label and not r.predicted]
    fps = [r for r in results if not r.label and r.predicted]
    for title, items in (("MISSED (label 1, not alert)", fns), ("FALSE ALERTS (label 0)", fps)):
        print(f"\n{title}: {len(items)}; first {min(n_misses, len(items))} by kind")
        grouped = _round_robin(items, n_misses)
        for kind in sorted(grouped, key=_kind_order):
            print(f"  [{kind}]")
            for r in grouped[kind]:
                row = r.row
                dob = (
                    f"  dob {row['dob_left'] or '-'} / {row['dob_right'] or '-'}"
                    if row["dob_left"] or row["dob_right"]
                    else ""
                )
                lv = f"  lv2 {lv2[row['pair_id']]:.2f}" if lv2 and row["pair_id"] in lv2 else ""
                print(
                    f"    {row['pair_id']} {row['left']!r} ~ {row['right']!r}{dob}: "
                    f"{r.score:.3f} {r.band}{lv}"
                )
                feats = "; ".join(f"{f['name']}={f['score']}" for f in r.features)
                if feats:
                    print(f"        {feats}")
    return {
        "pairs": len(results), "us_per_pair": round(1e6 * seconds / max(1, len(results)), 1),
        "overall": total.to_json(),
        "by_kind": {k: v.to_json() for k, v in sorted(by_kind.items())},
        "by_culture": {k: v.to_json() for k, v in sorted(by_culture.items())},
        "logic_v2": None if lv2_total is None else {
            "threshold": LOGIC_V2_THRESHOLD, "overall": lv2_total.to_json(),
            "by_kind": {k: v.to_json() for k, v in sorted(lv2_kind.items())}},
        "missed": [_miss(r) for r in fns], "false_alerts": [_miss(r) for r in fps],
    }  # fmt: skip


def _round_robin(items: list[PairResult], n: int) -> dict[str, list[PairResult]]:
    """Up to ``n`` items, taken a kind at a time so that every kind shows its first misses."""
    queues: dict[str, list[PairResult]] = defaultdict(list)
    for r in items:
        queues[r.row["kind"]].append(r)
    grouped: dict[str, list[PairResult]] = defaultdict(list)
    taken, depth = 0, 0
    while taken < min(n, len(items)):
        for kind in sorted(queues, key=_kind_order):
            if depth < len(queues[kind]) and taken < n:
                grouped[kind].append(queues[kind][depth])
                taken += 1
        depth += 1
    return grouped


def _miss(r: PairResult) -> dict[str, Any]:
    return {**r.row, "score": round(r.score, 4), "band": r.band, "features": r.features}


# -- 2. innocents against the UN list -------------------------------------------------
def _subject(**kw: Any) -> Any:
    from openpiu.screening import Subject

    return Subject(**{k: (v if v != "" else None) if k in ("dob", "nationality", "gender",
                      "doc_number", "doc_country") else v for k, v in kw.items()})  # fmt: skip


def _screen(screener: Any, subject: Any, on: date | None) -> list[Any]:
    if on is not None and "on" in inspect.signature(screener.screen).parameters:
        return list(screener.screen(subject, on=on))
    return list(screener.screen(subject))


def run_innocents(path: Path, n_examples: int) -> dict[str, Any] | None:
    un = shared_dir() / "data" / "un_consolidated_2026-02-27.xml"
    if not un.exists():
        print(f"== Innocents: SKIPPED, the UN list is not at {un} (set PIU_SHARED_DIR)")
        return None
    from openpiu.screening import Screener
    from openpiu.screening.loaders import load_un_xml

    entries = load_un_xml(un.read_bytes())
    t0 = time.perf_counter()
    screener = Screener(entries)
    built = time.perf_counter() - t0
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    alerted, reviewed, examples = 0, 0, []
    t0 = time.perf_counter()
    for r in rows:
        s = _subject(id=r["id"], surname=r["surname"], given_names=r["given_names"],
                     dob=r["dob"], nationality=r["nationality"], gender=r["gender"],
                     doc_number=r["doc_number"], doc_country=r["doc_country"])  # fmt: skip
        hits = _screen(screener, s, date(2026, 3, 1))
        alerts = [m for m in hits if m.band == "alert"]
        if alerts:
            alerted += 1
            if len(examples) < n_examples:
                m = alerts[0]
                examples.append({"id": r["id"], "name": f"{r['surname']}, {r['given_names']}",
                                 "dob": r["dob"], "entry_ref": m.entry_ref,
                                 "matched_name": m.matched_name, "score": round(m.score, 4),
                                 "features": _features(m)})  # fmt: skip
        elif hits:
            reviewed += 1
    took = time.perf_counter() - t0
    rate = alerted / len(rows) if rows else 0.0
    print(
        f"== Innocents: {len(rows)} synthetic travellers vs the UN list "
        f"({len(entries)} entries; index {built:.2f} s; {len(rows) / took:.0f} travellers/s)"
    )
    print(
        f"   alerted: {alerted} ({100 * rate:.2f}%; floor <= 0.10%)   "
        f"review band only: {reviewed} ({100 * reviewed / max(1, len(rows)):.2f}%)"
    )
    for ex in examples:
        feats = "; ".join(f"{f['name']}={f['score']}" for f in ex["features"])
        print(
            f"    {ex['id']} {ex['name']!r} dob {ex['dob']} -> {ex['entry_ref']} "
            f"{ex['matched_name']!r}: {ex['score']:.3f}\n        {feats}"
        )
    return {"travellers": len(rows), "alerted": alerted, "alert_rate": round(rate, 5),
            "review_only": reviewed, "travellers_per_second": round(len(rows) / took, 1),
            "examples": examples}  # fmt: skip


# -- 3. planted cases of the traffic generator ----------------------------------------
def _traveller_subject(t: dict[str, Any]) -> Any:
    sur, giv = t["names"]["passport"]
    doc = t.get("document") or {}
    return _subject(
        id=t["id"],
        surname=sur,
        given_names=giv,
        dob=t["dob"],
        nationality=t.get("nationality") or "",
        gender=t.get("gender") or "",
        doc_number=doc.get("number") or "",
        doc_country=doc.get("country") or "",
    )


def run_planted(seed: int, n_examples: int) -> dict[str, Any]:
    from openpiu.screening import Screener
    from openpiu.screening.loaders import load_csv
    from openpiu.synth.output import generate
    from openpiu.synth.planted import plant, read_day
    from openpiu.synth.profiles import get_profile

    with tempfile.TemporaryDirectory(prefix="piu-quality-") as tmp:
        out = Path(tmp)
        generate(get_profile("tajikistan"), 1, out, seed)
        plant(out, seed)
        day = read_day(out)
        wl = out / "watchlists"
        entries = load_csv((wl / "national_watchlist.csv").read_text(encoding="utf-8"))
        with (wl / "planted.jsonl").open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh]
    screener = Screener(entries)
    on = day.first_date
    hit_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [alerted, n]
    decoy_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed, decoy_alerts = [], []
    planted_entries: set[str] = set()
    for rec in records:
        if rec.get("type") not in ("hit", "decoy"):
            continue
        planted_entries.add(rec["entry_id"])
        tid = rec["traveller"] if rec["type"] == "hit" else rec["near"]
        t = day.by_id[tid]
        hits = _screen(screener, _traveller_subject(t), on)
        on_entry = [m for m in hits if m.entry_id == rec["entry_id"]]
        alert = bool(on_entry) and on_entry[0].band == "alert"
        tally = hit_kind if rec["type"] == "hit" else decoy_kind
        tally[rec["kind"]][1] += 1
        if alert:
            tally[rec["kind"]][0] += 1
        info = {"kind": rec["kind"], "traveller": rec.get("traveller_name"),
                "entry": rec.get("entry_name"), "entry_id": rec["entry_id"],
                "score": round(on_entry[0].score, 4) if on_entry else None,
                "band": on_entry[0].band if on_entry else "none",
                "features": _features(on_entry[0]) if on_entry else [],
                "detail": rec.get("variations") or rec.get("differs")}  # fmt: skip
        if rec["type"] == "hit" and not alert:
            missed.append(info)
        if rec["type"] == "decoy" and alert:
            decoy_alerts.append(info)
    # Every adult passenger of the day against the list: alerts other than planted hits.
    hit_pairs = {(r["traveller"], r["entry_id"]) for r in records if r.get("type") == "hit"}
    others, t0 = [], time.perf_counter()
    for t in day.travellers:
        for m in _screen(screener, _traveller_subject(t), on):
            if (
                m.band == "alert"
                and (t["id"], m.entry_id) not in hit_pairs
                and m.entry_id not in planted_entries
            ):
                others.append({"id": t["id"], "traveller": " ".join(t["names"]["passport"][::-1]),
                               "entry_id": m.entry_id, "matched_name": m.matched_name,
                               "score": round(m.score, 4)})  # fmt: skip
    took = time.perf_counter() - t0
    n_hits = sum(v[1] for v in hit_kind.values())
    n_found = sum(v[0] for v in hit_kind.values())
    n_decoy_alerts = sum(v[0] for v in decoy_kind.values())
    print(
        f"== Planted cases (tajikistan, 1 day, seed {seed}; {len(entries)} list entries; "
        f"{len(day.travellers)} adult passengers screened at "
        f"{len(day.travellers) / took:.0f}/s)"
    )
    print(f"{'hit kind':24} {'alerted':>8}")
    for k in sorted(hit_kind):
        a, n = hit_kind[k]
        print(f"{k:24} {a:3d}/{n:<4d}")
    print(f"{'ALL hits':24} {n_found:3d}/{n_hits:<4d} recall {_pct(n_found / max(1, n_hits))}")
    print(f"{'decoy kind':24} {'alerts':>8}")
    for k in sorted(decoy_kind):
        a, n = decoy_kind[k]
        print(f"{k:24} {a:3d}/{n:<4d}")
    print(f"other alerts (a traveller on an unrelated entry): {len(others)}")
    for title, items in (("planted hits missed", missed), ("decoys alerted", decoy_alerts),
                         ("other alerts", others)):  # fmt: skip
        if items:
            print(f"  {title} (first {min(n_examples, len(items))}):")
            for it in items[:n_examples]:
                print(f"    {json.dumps(it, ensure_ascii=False)}")
    return {"hits": n_hits, "hits_alerted": n_found, "recall": _r(n_found / max(1, n_hits)),
            "by_kind": {k: {"alerted": v[0], "n": v[1]} for k, v in sorted(hit_kind.items())},
            "decoys": {k: {"alerted": v[0], "n": v[1]} for k, v in sorted(decoy_kind.items())},
            "decoy_alerts": n_decoy_alerts, "other_alerts": len(others),
            "missed": missed, "decoy_alerted": decoy_alerts,
            "other": others[:n_examples]}  # fmt: skip


def print_summary(report: dict[str, Any]) -> None:
    """The issue's floors beside what was measured."""
    pairs = report["name_pairs"]
    ours = pairs["overall"]
    print("\n== Summary (floors of the issue)")
    print(
        f"   name pairs: recall {_pct(ours['recall'])} (floor 98%), precision "
        f"{_pct(ours['precision'])}, F1 {_pct(ours['f1'])}"
    )
    if pairs.get("logic_v2"):
        lv2 = pairs["logic_v2"]["overall"]
        print(f"   logic-v2@{LOGIC_V2_THRESHOLD:.2f} on the same pairs: recall "
              f"{_pct(lv2['recall'])}, precision {_pct(lv2['precision'])}, F1 {_pct(lv2['f1'])} "
              "(ours must be well above)")  # fmt: skip
    inn = report.get("innocents")
    if inn:
        print(
            f"   innocents alerting against the UN list: {100 * inn['alert_rate']:.2f}% "
            f"({inn['alerted']}/{inn['travellers']}; floor <= 0.10%)"
        )
    planted = report.get("planted")
    if planted:
        print(
            f"   planted hits alerted: {planted['hits_alerted']}/{planted['hits']}; decoys "
            f"alerted: {planted['decoy_alerts']}; other alerts: {planted['other_alerts']}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=DATA / "name_pairs.csv")
    ap.add_argument("--innocents", type=Path, default=DATA / "innocents.csv")
    ap.add_argument("--logic-v2", type=Path, default=DATA / "logic_v2_scores.csv")
    ap.add_argument("--misses", type=int, default=20, help="how many misses to list")
    ap.add_argument("--seed", type=int, default=1, help="seed of the planted day")
    ap.add_argument("--no-innocents", action="store_true")
    ap.add_argument("--no-planted", action="store_true")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {}
    real_stdout = sys.stdout
    if args.json:  # the tables go to stderr, the JSON alone to stdout
        sys.stdout = sys.stderr
    try:
        results, seconds = run_pairs(args.pairs)
        report["name_pairs"] = print_pairs(results, seconds, read_logic_v2(args.logic_v2),
                                           args.misses)  # fmt: skip
        if not args.no_innocents:
            print()
            report["innocents"] = run_innocents(args.innocents, args.misses)
        if not args.no_planted:
            print()
            report["planted"] = run_planted(args.seed, args.misses)
        print_summary(report)
    finally:
        sys.stdout = real_stdout
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
