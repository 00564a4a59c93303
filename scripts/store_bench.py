#!/usr/bin/env python3
"""Ingest speed against `dyad code`, side by side on the same input, in one run.

The VOA stories (../shared/corpora/voa/voa_stories.jsonl) are repeated under new ids to
20,000+ sentences; `dyad code` and `dyad ingest` (into a fresh store each time) then run
alternately ROUNDS times, so that both see the same machine load, and the medians of their
sentences/s are compared. Needs a release build: `cargo build --release`.

    python3 scripts/store_bench.py [ROUNDS]
"""
import json, os, re, resource, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOA = os.path.join(ROOT, "..", "shared", "corpora", "voa", "voa_stories.jsonl")
DYAD = os.path.join(ROOT, "target", "release", "dyad")


def corpus(path, copies=8):
    stories = [json.loads(l) for l in open(VOA)]
    with open(path, "w") as f:
        for k in range(copies):
            for s in stories:
                f.write(json.dumps(dict(s, id=f"{s['id']}-r{k}")) + "\n")


def rate(args):
    """Sentences, sentences per wall second, sentences per CPU second (user + sys)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True).stderr
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sentences = int(re.search(r"(\d+) sentences", err).group(1))
    seconds = float(re.search(r"in ([\d.]+) s", err).group(1))
    return sentences, sentences / seconds, sentences / cpu


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "voa20k.jsonl")
        corpus(src)
        code, ingest, code_cpu, ingest_cpu = [], [], [], []
        for r in range(rounds):
            n, c, cc = rate([DYAD, "code", src])
            db = os.path.join(tmp, f"store{r}.db")
            m, i, ic = rate([DYAD, "ingest", "--db", db, src])
            assert n == m, (n, m)
            code.append(c)
            ingest.append(i)
            code_cpu.append(cc)
            ingest_cpu.append(ic)
            print(f"round {r + 1}: {n} sentences; code {c:.0f}/s, ingest {i:.0f}/s ({i / c:.0%}); "
                  f"per CPU second {cc:.0f} and {ic:.0f} ({ic / cc:.0%})", file=sys.stderr)
        med = statistics.median
        print(json.dumps({"sentences": n, "rounds": rounds,
                          "code_sentences_per_s": round(med(code)),
                          "ingest_sentences_per_s": round(med(ingest)),
                          "ratio": round(med(ingest) / med(code), 3),
                          "round_ratios": [round(i / c, 3) for i, c in zip(ingest, code)],
                          "code_sentences_per_cpu_s": round(med(code_cpu)),
                          "ingest_sentences_per_cpu_s": round(med(ingest_cpu)),
                          "cpu_ratio": round(med(ingest_cpu) / med(code_cpu), 3),
                          "db_bytes": os.path.getsize(os.path.join(tmp, "store0.db"))}))


if __name__ == "__main__":
    main()
