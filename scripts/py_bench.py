#!/usr/bin/env python3
"""Throughput of the command line, the Python module and the Spark job, side by side.

    python scripts/py_bench.py [--repeat 7] [--cli target/release/dyad] [--master local[2]]

Repeats the VOA stories (../shared/corpora/voa) REPEAT times under fresh ids (7 x 2,752
sentences = 19,264), then codes the same file with `dyad code`, with `dyad.Coder().code`
in a fresh interpreter and with `python -m dyad.spark` on local[2], each in its own
process, one after the other. Sentences/s are over the coding time, model load excluded
(stated apart); the Spark figure is the job's time from reading to the last Parquet file
written, executors' model loads included, session start-up stated apart. Checks that the
three give the same events. Needs the module installed (`pip install .`) and, for Spark,
pyspark and a Java runtime.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOA = REPO.parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"

MODULE = r"""
import json, sys, time
t0 = time.perf_counter()
import dyad
coder = dyad.Coder()
loaded = time.perf_counter() - t0
t0 = time.perf_counter()
coder.code("Peru's president met Chile's president in Lima.", dates="2026-11-18")
first = time.perf_counter() - t0
records = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
t1 = time.perf_counter()
events = coder.code(records)
coding = time.perf_counter() - t1
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for r in events:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": loaded, "rust_load": coder.load_seconds, "first": first,
                  "coding": coding, "events": len(events), "threads": coder.threads,
                  "rss": rss}))
"""

SPARK = r"""
import json, os, sys, time
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
t0 = time.perf_counter()
from pyspark.sql import SparkSession
from dyad import spark as job
s = (SparkSession.builder.master(sys.argv[3]).appName("dyad-bench")
     .config("spark.ui.showConsoleProgress", "false").getOrCreate())
s.sparkContext.setLogLevel("ERROR")
started = time.perf_counter() - t0
t1 = time.perf_counter()
counts = job.run(s, sys.argv[1], sys.argv[2], partitions=int(sys.argv[4]))
coding = time.perf_counter() - t1
rows = s.read.parquet(sys.argv[2]).select("record").collect()
with open(sys.argv[2] + ".jsonl", "w", encoding="utf-8") as out:
    for r in rows:
        out.write(r["record"] + "\n")
s.stop()
print(json.dumps({"start": started, "coding": coding, **counts}))
"""


def canonical(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return sorted(json.dumps(json.loads(l), sort_keys=True) for l in f if l.strip())


def make_input(path: Path, repeat: int) -> int:
    """The VOA stories REPEAT times, ids suffixed `-rK`; returns the article count."""
    stories = [json.loads(l) for l in VOA.read_text(encoding="utf-8").split("\n") if l.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for k in range(repeat):
            for s in stories:
                out.write(json.dumps(dict(s, id=f"{s['id']}-r{k}"), ensure_ascii=False) + "\n")
    return repeat * len(stories)


def run_cli(cli: str, src: Path, dst: Path) -> dict:
    t0 = time.perf_counter()
    with open(dst, "w") as out:
        p = subprocess.run([cli, "code", str(src)], stdout=out, stderr=subprocess.PIPE,
                           text=True, check=True)
    wall = time.perf_counter() - t0
    m = re.search(r"(\d+) articles, (\d+) sentences, (\d+) events in ([\d.]+) s", p.stderr)
    articles, sentences, events, coding = m.groups()
    return {"wall": wall, "coding": float(coding), "sentences": int(sentences),
            "events": int(events), "load": wall - float(coding)}


def run_python(code: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cli", default=str(REPO / "target" / "release" / "dyad"))
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=0,
                    help="input partitions for Spark (default: the job's, 4 per core)")
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dyad-bench-"))
    src = tmp / "voa-repeated.jsonl"
    articles = make_input(src, args.repeat)

    cli = run_cli(args.cli, src, tmp / "cli.jsonl")
    n = cli["sentences"]
    print(f"input: {articles} articles, {n} sentences ({args.repeat} x VOA); "
          f"{os.cpu_count()} cores")
    print(f"CLI     {n / cli['coding']:7.1f} sentences/s  coding {cli['coding']:.2f} s, "
          f"load+read {cli['load']:.2f} s, {cli['events']} events")
    mod = run_python(MODULE, str(src), str(tmp / "module.jsonl"))
    print(f"module  {n / mod['coding']:7.1f} sentences/s  coding {mod['coding']:.2f} s, "
          f"load {mod['load']:.2f} s (import + Coder(); pipeline {mod['rust_load']:.2f} s) "
          f"+ first article {mod['first']:.2f} s, peak memory {mod['rss']:.0f} MB, "
          f"{mod['events']} events, {mod['threads']} threads  "
          f"= {cli['coding'] / mod['coding']:.0%} of the CLI")
    same = canonical(tmp / "cli.jsonl") == canonical(tmp / "module.jsonl")
    print(f"module events identical to the CLI's: {same}")
    if not args.no_spark:
        out = tmp / "spark-out"
        sp = run_python(SPARK, str(src), str(out), args.master, str(args.partitions))
        print(f"spark   {n / sp['coding']:7.1f} sentences/s  job {sp['coding']:.2f} s "
              f"({args.master}, executor model loads included; coders busy "
              f"{sp['coder_seconds']:.1f} s in all), session start {sp['start']:.2f} s, "
              f"{sp['events']} events, "
              f"{sp['bad_records']} bad  = {cli['coding'] / sp['coding']:.0%} of the CLI")
        same = canonical(tmp / "cli.jsonl") == canonical(Path(str(out) + ".jsonl"))
        print(f"spark events identical to the CLI's: {same}")
    def per_core_hour(seconds: float, cores: int) -> str:
        return f"{articles / (seconds * cores / 3600):,.0f}"

    cores = os.cpu_count() or 1
    m = re.fullmatch(r"local\[(\d+)\]", args.master)
    line = (f"articles per core-hour: CLI {per_core_hour(cli['coding'], cores)}, "
            f"module {per_core_hour(mod['coding'], cores)}")
    if not args.no_spark and m:
        line += f", spark {per_core_hour(sp['coding'], int(m.group(1)))}"
    print(line)
    print(f"(files in {tmp})")


if __name__ == "__main__":
    main()
