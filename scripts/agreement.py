#!/usr/bin/env python3
"""Agreement between two annotations of the same VOA stories (docs/annotation.md).

  agreement.py gold/voa/dev gold/voa/second

Scores the second annotation against the first with the rules of `dyad eval` (sentence
by sentence; negated events left out; type pairs; events = type + an actor code in common
when the first names one + a recipient code among the second's recipients or actors when
the first names one). The figures are the ceiling a coder can be expected to reach.
Sentences are aligned by their text, so both files must keep the same split.
"""
import json
import os
import sys

UNO_EUR = {"UNO", "EUR"}


def codes(ents):
    out = set()
    for e in ents or []:
        c = (e.get("code") or "").upper()
        if c in UNO_EUR:
            out.add("IGO")
        out.add(c)
    return out


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                evs = [e for e in r.get("events", []) if "negation" not in (e.get("aux") or [])]
                out[r["text"]] = evs
    return out


def matches(g, c):
    ga, gr = codes(g.get("actor")), codes(g.get("recipient"))
    ca, cr = codes(c.get("actor")), codes(c.get("recipient"))
    return (g["type"] == c["type"]
            and (not ga or ga & ca)
            and (not gr or gr & (ca | cr)))


def main():
    first, second = sys.argv[1], sys.argv[2]
    t = {"tp": 0, "fp": 0, "fn": 0}
    e = {"tp": 0, "fp": 0, "fn": 0}
    stories = 0
    for name in sorted(os.listdir(second)):
        a_path = os.path.join(first, name)
        if not name.endswith(".jsonl") or not os.path.exists(a_path):
            continue
        stories += 1
        a, b = load(a_path), load(os.path.join(second, name))
        for text, ga in a.items():
            gb = b.get(text, [])
            left = [x["type"] for x in gb]
            for x in ga:
                if x["type"] in left:
                    left.remove(x["type"])
                    t["tp"] += 1
                else:
                    t["fn"] += 1
            t["fp"] += len(left)
            taken = [False] * len(gb)
            for x in ga:
                hit = next((i for i, y in enumerate(gb) if not taken[i] and matches(x, y)), None)
                if hit is None:
                    e["fn"] += 1
                else:
                    taken[hit] = True
                    e["tp"] += 1
            e["fp"] += taken.count(False)

    def prf(d):
        p = d["tp"] / max(1, d["tp"] + d["fp"])
        r = d["tp"] / max(1, d["tp"] + d["fn"])
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P={p:.3f} R={r:.3f} F1={f:.3f} (tp {d['tp']} fp {d['fp']} fn {d['fn']})"

    print(f"{stories} stories annotated twice")
    print("event types:", prf(t))
    print("events (type + actor + recipient):", prf(e))


if __name__ == "__main__":
    main()
