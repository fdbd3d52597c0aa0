"""Score the matcher on the held-out set made by bench/make_holdout.py.

    python bench/holdout.py [--pairs bench/data/holdout_pairs.csv]
                            [--innocents bench/data/holdout_innocents.csv] [--json]

A pair (or a traveller's hit) counts as a match when its band is `alert`.
Prints recall / precision / F1 overall, by group (un_typo, cross_script) and by
kind, the innocent travellers' alert rate against the UN list, and up to 30
misses and 30 false alerts with their features.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
UN_XML = ROOT.parent / "shared" / "data" / "un_consolidated_2026-02-27.xml"


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f}


def dob_relation(a: str, b: str) -> str:
    if not a or not b:
        return "missing"
    if a == b:
        return "equal"
    try:
        da, db = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    except ValueError:
        return "other"
    if (da.month, da.day) == (db.month, db.day) and abs(da.year - db.year) == 1:
        return "one_year"
    if da.year == db.year and (da.month, da.day) == (db.day, db.month):
        return "day_month_swapped"
    return "far" if abs(da.year - db.year) >= 5 else "other"


def features(m) -> list[dict]:
    out = []
    for f in getattr(m, "features", ()) or ():
        out.append(
            {
                "name": f.name,
                "score": round(float(f.score), 3),
                "weight": round(float(f.weight), 3),
                "detail": f.detail,
            }
        )
    return out


def fmt(x) -> str:
    return "  -  " if x is None else f"{x:6.1%}"


LOGIC_V2 = Path(__file__).resolve().parent / "data" / "holdout_logic_v2_scores.csv"


def logic_v2_line(pairs: list[dict[str, str]]) -> str:
    """OpenSanctions logic-v2 on the same pairs, at its threshold 0.70, when its
    scores were computed (bench/logic_v2_scores.py --pairs ... --out ...)."""
    if not LOGIC_V2.exists():
        return ""
    with open(LOGIC_V2, encoding="utf-8") as fh:
        scores = {r["pair_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    tp = fp = fn = 0
    for r in pairs:
        if r["pair_id"] not in scores:
            return ""
        hit, same = scores[r["pair_id"]] >= 0.70, r["label"] == "1"
        tp, fp, fn = tp + (hit and same), fp + (hit and not same), fn + (same and not hit)
    p, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return (f"  logic-v2@0.70: precision {p:.1%}  recall {rc:.1%}  "
            f"F1 {2 * p * rc / max(1e-9, p + rc):.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=DATA / "holdout_pairs.csv")
    ap.add_argument("--innocents", type=Path, default=DATA / "holdout_innocents.csv")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead")
    ap.add_argument("--max-list", type=int, default=30)
    args = ap.parse_args()

    from openpiu.screening import Screener, Subject, match_pair
    from openpiu.screening.loaders import load_un_xml

    # ---- pairs
    with open(args.pairs, encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    t0 = time.perf_counter()
    results = []
    for row in pairs:
        m = match_pair(row["left"], row["right"], row["dob_left"] or None, row["dob_right"] or None)
        results.append((row, m))
    t_pairs = time.perf_counter() - t0

    def tally(keyfn):
        c = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "review": 0, "n": 0})
        for row, m in results:
            for k in keyfn(row):
                d = c[k]
                d["n"] += 1
                alert = m.band == "alert"
                d["review"] += m.band == "review"
                if row["label"] == "1":
                    d["tp" if alert else "fn"] += 1
                else:
                    d["fp" if alert else "tn"] += 1
        return {k: {**v, **prf(v["tp"], v["fp"], v["fn"])} for k, v in sorted(c.items())}

    overall = tally(lambda r: ["all"])["all"]
    by_kind = tally(lambda r: [r["kind"]])
    by_cat = tally(lambda r: [r["kind"].split(":")[0]])
    by_dob = tally(
        lambda r: [
            dob_relation(r["dob_left"], r["dob_right"]) + ("+" if r["label"] == "1" else "-")
        ]
    )

    # precision per group: the group's positives against all negatives of the set
    all_fp = overall["fp"]
    groups = {}
    for g in ("un_typo", "cross_script"):
        d = by_cat.get(g)
        if d:
            groups[g] = {
                **prf(d["tp"], all_fp, d["fn"]),
                "tp": d["tp"],
                "fn": d["fn"],
                "fp_all_neg": all_fp,
            }

    misses = [(r, m) for r, m in results if r["label"] == "1" and m.band != "alert"]
    false_alerts = [(r, m) for r, m in results if r["label"] == "0" and m.band == "alert"]

    def pair_item(r, m):
        return {
            "pair_id": r["pair_id"],
            "kind": r["kind"],
            "left": r["left"],
            "right": r["right"],
            "dob_left": r["dob_left"],
            "dob_right": r["dob_right"],
            "score": round(float(m.score), 3),
            "band": m.band,
            "features": features(m),
        }

    # ---- innocents
    entries = load_un_xml(UN_XML.read_bytes())
    t0 = time.perf_counter()
    screener = Screener(entries)
    t_build = time.perf_counter() - t0
    with open(args.innocents, encoding="utf-8") as fh:
        travellers = list(csv.DictReader(fh))
    alerted, reviewed, inn_hits = 0, 0, []
    t0 = time.perf_counter()
    for t in travellers:
        subj = Subject(
            t["id"],
            surname=t["surname"],
            given_names=t["given_names"],
            dob=t["dob"] or None,
            nationality=t["nationality"] or None,
            gender=t["gender"] or None,
            doc_number=t["doc_number"] or None,
            doc_country=t["doc_country"] or None,
        )
        hits = screener.screen(subj)
        alerts = [h for h in hits if h.band == "alert"]
        if alerts:
            alerted += 1
            best = max(alerts, key=lambda h: h.score)
            inn_hits.append(
                {
                    "id": t["id"],
                    "name": f"{t['surname']} / {t['given_names']}",
                    "dob": t["dob"],
                    "nationality": t["nationality"],
                    "entry_ref": best.entry_ref,
                    "matched_name": best.matched_name,
                    "score": round(float(best.score), 3),
                    "features": features(best),
                }
            )
        elif any(h.band == "review" for h in hits):
            reviewed += 1
    t_inn = time.perf_counter() - t0
    n_inn = len(travellers)

    report = {
        "pairs": {
            "n": len(pairs),
            "positives": sum(r["label"] == "1" for r in pairs),
            "overall": overall,
            "by_group": groups,
            "by_category": by_cat,
            "by_kind": by_kind,
            "by_dob_relation": by_dob,
            "seconds": round(t_pairs, 2),
        },
        "innocents": {
            "n": n_inn,
            "alerted": alerted,
            "alert_rate": alerted / n_inn if n_inn else None,
            "review_only": reviewed,
            "floor_alert_rate": 0.001,
            "screener_build_s": round(t_build, 3),
            "seconds": round(t_inn, 2),
            "travellers_per_s": round(n_inn / t_inn, 1) if t_inn else None,
        },
        "floors": {
            "recall>=0.98": (overall["recall"] or 0) >= 0.98,
            "innocent_alert_rate<=0.001": (alerted / n_inn if n_inn else 1) <= 0.001,
        },
        "misses": [pair_item(r, m) for r, m in misses[: args.max_list]],
        "n_misses": len(misses),
        "false_alerts": [pair_item(r, m) for r, m in false_alerts[: args.max_list]],
        "n_false_alerts": len(false_alerts),
        "innocent_alerts": inn_hits[: args.max_list],
    }
    if args.json:
        json.dump(report, sys.stdout, indent=1, ensure_ascii=False, default=str)
        print()
        return

    o = overall
    print(
        f"PAIRS  n={len(pairs)}  positives={report['pairs']['positives']}  "
        f"({t_pairs:.1f}s)  match = band 'alert'"
    )
    print(
        f"  overall: precision {fmt(o['precision'])}  recall {fmt(o['recall'])}  F1 {fmt(o['f1'])}"
        f"   tp={o['tp']} fn={o['fn']} fp={o['fp']} tn={o['tn']}"
    )
    lv2 = logic_v2_line(pairs)
    if lv2:
        print(lv2)
    for g, d in groups.items():
        print(
            f"  {g:<13} recall {fmt(d['recall'])}  "
            f"precision(vs all negatives) {fmt(d['precision'])}"
            f"  F1 {fmt(d['f1'])}"
        )
    print(
        f"\n  {'kind':<38}{'n':>5}{'tp':>5}{'fn':>5}{'fp':>5}{'tn':>5}{'rev':>5}  "
        f"{'recall':>7} {'falsealert':>10}"
    )
    for k, d in by_kind.items():
        neg = d["fp"] + d["tn"]
        far = d["fp"] / neg if neg else None
        print(
            f"  {k:<38}{d['n']:>5}{d['tp']:>5}{d['fn']:>5}{d['fp']:>5}{d['tn']:>5}{d['review']:>5}"
            f"  {fmt(d['recall']):>7} {fmt(far):>10}"
        )
    print("\n  by DOB relation (+ positives, - negatives):")
    for k, d in by_dob.items():
        neg = d["fp"] + d["tn"]
        print(
            f"    {k:<22} n={d['n']:>4}  recall {fmt(d['recall'])}  "
            f"false-alert {fmt(d['fp'] / neg if neg else None)}"
        )

    i = report["innocents"]
    print(
        f"\nINNOCENTS  n={n_inn}  alerted={alerted}  alert rate {alerted / n_inn:.3%} "
        f"(floor 0.100%)  review-only={reviewed}  "
        f"{i['travellers_per_s']} travellers/s (build {t_build:.2f}s)"
    )
    print("\nFLOORS", report["floors"])

    def show(title, items, n_total):
        print(f"\n{title} ({n_total}, showing {len(items)})")
        for it in items:
            print(
                f"  {it['pair_id']} [{it['kind']}] {it['left']!r} vs {it['right']!r} "
                f"dob {it['dob_left'] or '-'}/{it['dob_right'] or '-'} "
                f"-> {it['score']} {it['band']}"
            )
            for f in it["features"]:
                print(f"      {f['name']}: {f['score']} x {f['weight']}  {f['detail']}")

    show("MISSES", report["misses"], len(misses))
    show("FALSE ALERTS (pairs)", report["false_alerts"], len(false_alerts))
    print(f"\nINNOCENT ALERTS ({alerted}, showing {len(inn_hits[: args.max_list])})")
    for h in inn_hits[: args.max_list]:
        print(
            f"  {h['id']} {h['name']} {h['dob']} {h['nationality']} -> {h['entry_ref']} "
            f"{h['matched_name']!r} {h['score']}"
        )
        for f in h["features"]:
            print(f"      {f['name']}: {f['score']} x {f['weight']}  {f['detail']}")


if __name__ == "__main__":
    main()
