"""Benchmark: extraction of targets from real work plans, scored against hand-made gold files.

Each gold file in ``bench/plan_gold/`` names a plan's text (kept beside it, with its public source) and
every measurable target a careful reader finds in it: kind, comparison, value, unit, period and month
window, or deadline, and the sentence it comes from (``quote``, a piece of that sentence).

An extracted requirement matches a gold one when it comes from the same sentence and agrees on
comparison, value (both ends of a range), unit, and period with its months or deadline; the indicator's
wording may differ. Precision = matched extracted / extracted, recall = matched gold / gold, one to one.
Per kind: recall by the gold kind, precision by the extracted kind. Per field: over gold targets whose
sentence yielded something, how often the closest extracted requirement agrees on each field.

The plans marked ``held_out`` were annotated and set aside before the extractor was developed further;
``--split dev`` scores only the others. Then a 10-page plan is timed (read from .docx and extracted).

Usage: ``.venv/bin/python bench/plan_extract.py [--split all|dev|held_out] [--gold DIR] [-v]``
The last line is machine-readable: ``RESULT precision=<p> recall=<r> f1=<f>`` (over the chosen split).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shequ.plans.extract.draft import KIND_LABELS, Atom
from shequ.plans.extract.pipeline import extract
from shequ.plans.extract.reading import read_document

GOLD = Path(__file__).resolve().parent / "plan_gold"
FIELDS = ("kind", "comparison", "value", "unit", "period", "deadline")


def _field(atom: Atom | dict, name: str):
    get = atom.get if isinstance(atom, dict) else lambda k: getattr(atom, k)
    if name == "value":
        return (get("value"), get("max_value"))
    if name == "period":
        return (get("period"), tuple(get("months")))
    return get(name)


def agrees(gold: dict, atom: Atom) -> bool:
    return all(_field(gold, f) == _field(atom, f) for f in ("comparison", "value", "unit", "period", "deadline"))


def score_plan(plan: dict, text: str) -> dict:
    draft = extract(text)
    extracted = [(t, a) for t in draft.targets for a in t.atoms()]
    used: set[int] = set()
    out = {"tp": 0, "gold": len(plan["targets"]), "found": len(extracted), "fields": Counter(), "compared": 0}
    out["kind_gold"], out["kind_found"], out["kind_tp_gold"], out["kind_tp_found"] = (Counter() for _ in range(4))
    misses, matched_kinds = [], []
    for g in plan["targets"]:
        out["kind_gold"][g["kind"]] += 1
        pos = text.find(g["quote"])
        same = [i for i, (t, _a) in enumerate(extracted) if t.start <= pos < t.end and i not in used]
        hit = next((i for i in same if agrees(g, extracted[i][1])), None)
        if same:
            best = (
                hit
                if hit is not None
                else max(same, key=lambda i: sum(_field(g, f) == _field(extracted[i][1], f) for f in FIELDS))
            )
            out["compared"] += 1
            for f in FIELDS:
                out["fields"][f] += _field(g, f) == _field(extracted[best][1], f)
        if hit is None:
            misses.append(g)
            continue
        used.add(hit)
        out["tp"] += 1
        out["kind_tp_gold"][g["kind"]] += 1
        matched_kinds.append(extracted[hit][1].kind)
    for i, (_t, a) in enumerate(extracted):
        out["kind_found"][a.kind] += 1
        if i in used:
            out["kind_tp_found"][a.kind] += 1
    out["misses"] = misses
    out["spurious"] = [(t, a) for i, (t, a) in enumerate(extracted) if i not in used]
    return out


def prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / found if found else 1.0
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(name: str, results: list[dict]) -> tuple[float, float, float]:
    tp = sum(r["tp"] for r in results)
    found = sum(r["found"] for r in results)
    gold = sum(r["gold"] for r in results)
    p, r, f = prf(tp, found, gold)
    print(f"\n== {name}: {len(results)} plans, {gold} gold targets, {found} extracted, {tp} matched")
    print(f"   precision {p:.3f}  recall {r:.3f}  f1 {f:.3f}")
    kinds = Counter()
    for key in ("kind_gold", "kind_found", "kind_tp_gold", "kind_tp_found"):
        for res in results:
            for k, v in res[key].items():
                kinds[(key, k)] += v
    print(f"   {'kind':<10}{'gold':>6}{'found':>7}{'precision':>11}{'recall':>8}")
    for kind in KIND_LABELS:
        g, fd = kinds[("kind_gold", kind)], kinds[("kind_found", kind)]
        if not g and not fd:
            continue
        kp = kinds[("kind_tp_found", kind)] / fd if fd else float("nan")
        kr = kinds[("kind_tp_gold", kind)] / g if g else float("nan")
        print(f"   {kind:<10}{g:>6}{fd:>7}{kp:>11.2f}{kr:>8.2f}")
    compared = sum(r["compared"] for r in results)
    agreement = "  ".join(
        f"{fld} {sum(r['fields'][fld] for r in results) / compared:.2f}" for fld in FIELDS if compared
    )
    print(f"   per-field agreement ({compared} gold targets whose sentence yielded something): {agreement}")
    return p, r, f


def ten_page_plan(texts: list[str]) -> bytes:
    """A .docx of about ten A4 pages (≈ 9,000 Chinese characters) made of the plans' own paragraphs."""
    import docx

    document = docx.Document()
    size = 0
    while size < 9000:
        for text in texts:
            for line in text.splitlines():
                if line.strip():
                    document.add_paragraph(line)
                    size += len(line)
            if size >= 9000:
                break
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("all", "dev", "held_out"), default="all")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and spurious targets per plan")
    args = parser.parse_args()

    plans = [json.loads(p.read_text()) for p in sorted(args.gold.glob("*.json"))]
    by_split: dict[str, list[dict]] = {"dev": [], "held_out": []}
    texts = []
    for plan in plans:
        if args.split != "all" and plan.get("split", "dev") != args.split:
            continue
        text = (args.gold / plan["text"]).read_text()
        texts.append(text)
        res = score_plan(plan, text)
        by_split.setdefault(plan.get("split", "dev"), []).append(res)
        p, r, _f = prf(res["tp"], res["found"], res["gold"])
        print(
            f"{plan['id']:<30}{plan.get('split', 'dev'):<10}gold {res['gold']:>3}  found {res['found']:>3}  "
            f"p {p:.2f}  r {r:.2f}"
        )
        if args.verbose:
            for g in res["misses"]:
                print(
                    f"     missed  {g['kind']:<9}{g['comparison']:<8}{g['value']}{g['unit']} {g['period']}"
                    f"{g['months'] or ''} {g['deadline']}  「{g['quote']}」"
                )
            for t, a in res["spurious"]:
                print(
                    f"     extra   {a.kind:<9}{a.comparison:<8}{a.value}{a.unit} {a.period}{a.months or ''} "
                    f"{a.deadline}  「{text[t.quote_start : t.quote_end]}」 in 「{t.basis[:30]}」"
                )
    for split, results in by_split.items():
        if results:
            report(split, results)
    chosen = [r for results in by_split.values() for r in results]
    result = report(args.split, chosen) if len(by_split) > 1 and all(by_split.values()) else None

    data = ten_page_plan(texts or [(args.gold / p["text"]).read_text() for p in plans])
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        text = read_document("十页计划.docx", data)
        draft = extract(text)
        runs.append(time.perf_counter() - started)
    print(
        f"\n10-page plan (.docx, {len(text)} characters, {len(draft.targets)} targets): "
        f"best of 3 {min(runs):.3f} s (read and extract; the target is under 2 s)"
    )
    if result is None:
        result = prf(*(sum(r[k] for r in chosen) for k in ("tp", "found", "gold")))
    p, r, f = result
    print(f"RESULT precision={p:.3f} recall={r:.3f} f1={f:.3f}")


if __name__ == "__main__":
    main()
