"""dyad on Spark: ``python -m dyad.spark INPUT OUTPUT``.

Codes articles (JSONL, as ``dyad code`` reads them, or Parquet with the same columns) on a
Spark cluster and writes their PLOVER events as Parquet, partitioned by event date
(``OUTPUT/date=2025-03-14/part-*.parquet``). Records that cannot be coded go to a side
output with their reasons (``OUTPUT_bad_records`` unless ``--bad-records`` says otherwise;
written when there are any).

Each executor's Python worker loads one :class:`dyad.Coder` (once, on its first partition)
and codes its partitions in batches (``mapPartitions``). Spark already runs one task per
core, so each coder uses one thread unless ``--threads`` says otherwise.

Each event row carries the columns most queries need (``id``, ``article_id``, ``event``,
``mode``, ``context``, ``cameo``, ``quad_code``, ``event_scale``, actor and recipient
codes, ``confidence``) and ``record``: the whole PLOVER record as ``dyad code`` prints it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

# The executor-side coder, loaded once per Python worker process.
_CODER = None
_CODER_KEY: Optional[Tuple[Optional[str], int]] = None

EVENT_COLUMNS = [
    ("id", "string"),
    ("article_id", "string"),
    ("date", "string"),
    ("event", "array<string>"),
    ("mode", "array<string>"),
    ("context", "array<string>"),
    ("cameo", "string"),
    ("quad_code", "int"),
    ("event_scale", "double"),
    ("actor_code", "array<string>"),
    ("recipient_code", "array<string>"),
    ("country_code", "string"),
    ("claimed", "boolean"),
    ("confidence", "double"),
    ("record", "string"),
]
BAD_COLUMNS = [("id", "string"), ("status", "string"), ("reason", "string"),
               ("record", "string")]


def _schema(columns: List[Tuple[str, str]]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns)


def executor_coder(dictionaries: Optional[str], threads: int):
    """The coder of this Python worker process, loaded on first use."""
    global _CODER, _CODER_KEY
    if _CODER is None or _CODER_KEY != (dictionaries, threads):
        # Absolute: spark-submit may run this file as a script, outside its package.
        from dyad import Coder

        _CODER = Coder(dictionaries, threads=threads)
        _CODER_KEY = (dictionaries, threads)
    return _CODER


def _event_row(record: str) -> tuple:
    """A PLOVER record (one line of `dyad code`) as an output row; the line itself is kept
    as it is in `record`."""
    rec = json.loads(record)
    loc = rec.get("event_loc") or {}
    return (
        rec.get("id"), rec.get("article_id"), rec.get("date"), rec.get("event"),
        rec.get("mode"), rec.get("context"), rec.get("cameo"), rec.get("quad_code"),
        None if rec.get("event_scale") is None else float(rec["event_scale"]),
        [a.get("code") for a in rec.get("actor") or []],
        [a.get("code") for a in rec.get("recipient") or []],
        loc.get("country_code"), rec.get("claimed"),
        None if rec.get("confidence") is None else float(rec["confidence"]),
        record,
    )


def _line_id(line: str) -> Tuple[bool, Optional[str]]:
    """Whether a JSONL line names its article, and the name. Unreadable lines count as
    named: the coder says why they are bad."""
    try:
        value = json.loads(line)
    except ValueError:
        return True, None
    if not isinstance(value, dict):
        return True, None
    rid = value.get("id")
    return rid not in (None, ""), None if rid is None else str(rid)


def code_partition(lines: Iterable[str], dictionaries: Optional[str] = None,
                   threads: int = 1, batch: int = 64,
                   default_date: Optional[str] = None, timer=None) -> Iterator[tuple]:
    """Codes one partition of JSONL records: ``("event", row)`` per event and
    ``("bad", row)`` per record that could not be coded. ``timer``, a Spark accumulator,
    adds up the seconds spent loading and in the coder."""
    started = time.perf_counter()
    coder = executor_coder(dictionaries, threads)
    if timer is not None:
        timer.add(time.perf_counter() - started)
    it = iter(lines)
    while True:
        chunk = [line for line in itertools.islice(it, batch) if line.strip()]
        if not chunk:
            return
        keep, ids = [], []
        for line in chunk:
            named, rid = _line_id(line)
            if named:
                keep.append(line)
                ids.append(rid)
            else:
                # Ids are the events' keys: on a cluster a missing one cannot be made
                # unique from a line number as `dyad code` does.
                yield ("bad", (None, "input", "missing field `id`", line[:2000]))
        started = time.perf_counter()
        results = coder.code_lines(keep, "code", default_date, "spark")
        if timer is not None:
            timer.add(time.perf_counter() - started)
        for line, known, (rid, status, payload, _notes) in zip(keep, ids, results):
            if status == "ok":
                # Not splitlines(): a record may hold U+2028 and the like unescaped.
                for record in filter(None, payload.split("\n")):
                    yield ("event", _event_row(record))
            else:
                yield ("bad", (rid or known, status, payload, line[:2000]))


def _plain(value: Any) -> Any:
    """A Parquet value as JSON: dates and timestamps as ISO text, the rest as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_lines(spark, path: str, fmt: str, partitions: int):
    """The input as an RDD of JSONL records in at least ``partitions`` partitions where
    the input splits: JSONL lines as they are (so that they are read exactly as `dyad code`
    reads them; split by byte ranges, no shuffle), Parquet rows turned into such records."""
    if fmt == "auto":
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") else "jsonl"
    if fmt == "jsonl":
        return spark.sparkContext.textFile(path, minPartitions=partitions)
    df = spark.read.parquet(path)
    return df.rdd.map(lambda row: json.dumps(
        {k: v for k, v in row.asDict().items() if v is not None},
        ensure_ascii=False, default=_plain))


def run(spark, input_path: str, output: str, bad_records: Optional[str] = None, *,
        fmt: str = "auto", dictionaries: Optional[str] = None, threads: int = 1,
        batch: int = 64, default_date: Optional[str] = None,
        partitions: Optional[int] = None) -> Dict[str, int]:
    """Codes ``input_path`` into ``output`` (Parquet partitioned by event date) and the
    bad records into ``bad_records``; returns the counts of events and bad records."""
    from pyspark import StorageLevel

    bad_records = bad_records or output.rstrip("/") + "_bad_records"
    cores = spark.sparkContext.defaultParallelism
    # Several tasks per core, so that a slow partition does not hold the others up.
    want = partitions or 4 * cores
    lines = read_lines(spark, input_path, fmt, want)
    if lines.getNumPartitions() < min(want, cores) or (
            partitions and lines.getNumPartitions() != partitions):
        # Compressed files and small Parquet inputs do not split: spread them.
        lines = lines.repartition(want)

    sc = spark.sparkContext
    timer, n_events, n_bad = sc.accumulator(0.0), sc.accumulator(0), sc.accumulator(0)

    def job(part):
        # Counted here rather than by another pass over the cached rows (a task that
        # Spark retries counts twice: the figures are for the log, the files are exact).
        for kind, row in code_partition(part, dictionaries, threads, batch, default_date,
                                        timer):
            (n_events if kind == "event" else n_bad).add(1)
            yield kind, row

    coded = lines.mapPartitions(job).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        events = spark.createDataFrame(
            coded.filter(lambda t: t[0] == "event").map(lambda t: t[1]),
            _schema(EVENT_COLUMNS))
        bad = spark.createDataFrame(
            coded.filter(lambda t: t[0] == "bad").map(lambda t: t[1]), _schema(BAD_COLUMNS))
        # One task per date writes that date's file: without the shuffle every task
        # writes a small file into every date it has (tasks x dates files, and as slow).
        events.repartition("date").write.mode("overwrite").partitionBy("date").parquet(output)
        # Every partition has been coded by now: a run without bad records spares the
        # job that would write none.
        if n_bad.value:
            bad.coalesce(1).write.mode("overwrite").parquet(bad_records)
    finally:
        coded.unpersist()
    return {"events": n_events.value, "bad_records": n_bad.value,
            "coder_seconds": timer.value}


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dyad.spark", description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="JSONL file(s) or Parquet (a path or glob Spark reads)")
    p.add_argument("output", help="output directory (Parquet, partitioned by event date)")
    p.add_argument("--bad-records", help="side output of bad records (default OUTPUT_bad_records)")
    p.add_argument("--format", choices=["auto", "jsonl", "parquet"], default="auto",
                   help="input format (auto: Parquet when the path ends in .parquet)")
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument("--dictionaries", help="PETRARCH dictionary directory (on every executor)")
    p.add_argument("--threads", type=int, default=1, help="threads per coder (default 1)")
    p.add_argument("--batch", type=int, default=64, help="articles per call to the coder")
    p.add_argument("--date", help="date for articles without one")
    p.add_argument("--partitions", type=int,
                   help="input partitions (default: 4 per core, where the input splits)")
    args = p.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("dyad")
    if args.master:
        builder = builder.master(args.master)
    if (args.master or "").startswith("local"):
        # Local workers run this interpreter (a virtual environment's, with dyad in it)
        # rather than whatever `python3` is first on the PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        counts = run(spark, args.input, args.output, args.bad_records, fmt=args.format,
                     dictionaries=args.dictionaries, threads=args.threads, batch=args.batch,
                     default_date=args.date, partitions=args.partitions)
    finally:
        spark.stop()
    print(f"dyad.spark: {counts['events']} events, {counts['bad_records']} bad records",
          file=sys.stderr)
    return 1 if counts["bad_records"] else 0


if __name__ == "__main__":
    sys.exit(main())
