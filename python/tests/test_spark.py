"""The Spark job on local[2]: the same events as `dyad code`, bad records on the side."""

import json
import os
import shutil
import sys

import pytest

from conftest import EXAMPLES, VOA, cli_records, jsonl, normal

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java runtime", allow_module_level=True)

from dyad import spark as dyad_spark  # noqa: E402


@pytest.fixture(scope="module")
def session():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (SparkSession.builder.master("local[2]").appName("dyad-test")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    yield s
    s.stop()


def events(session, out) -> list:
    """The output's PLOVER records, canonical, in the CLI's order (article, then event)."""
    rows = session.read.parquet(str(out)).select("record", "date", "article_id").collect()
    for r in rows:
        # The partition column (read back as a date) is the record's date.
        assert json.loads(r["record"])["date"] == str(r["date"])
    return [normal(json.loads(r["record"])) for r in rows]


def in_cli_order(records: list, cli: list) -> list:
    order = {r: k for k, r in enumerate(cli)}
    return sorted(records, key=lambda r: order.get(r, -1))


def test_voa_stories_give_the_cli_events(session, tmp_path):
    if not VOA.exists():
        pytest.skip(f"{VOA} not present")
    out = tmp_path / "events"
    counts = dyad_spark.run(session, str(VOA), str(out), partitions=4)
    cli = cli_records("code", str(VOA))
    mine = events(session, out)
    assert (counts["events"], counts["bad_records"]) == (len(cli), 0)
    assert counts["coder_seconds"] > 0
    assert in_cli_order(mine, cli) == cli
    assert (out / "date=2025-03-14").is_dir()


def test_parquet_input_and_bad_records_on_the_side(session, tmp_path):
    records = jsonl(EXAMPLES / "articles.jsonl")
    rows = records + [
        {"id": "bad-date", "text": "Peru met Chile.", "date": "2026-13-01"},
        {"id": "no-text", "date": "2026-01-01"},
        {"text": "An article without an id.", "date": "2026-01-01"},
    ]
    src = tmp_path / "in.parquet"
    session.createDataFrame(
        [(r.get("id"), r.get("text"), r.get("date"), r.get("title")) for r in rows],
        "id string, text string, date string, title string").write.parquet(str(src))
    out, bad = tmp_path / "events", tmp_path / "bad"
    counts = dyad_spark.run(session, str(src), str(out), str(bad))
    assert counts["bad_records"] == 3
    cli = cli_records("code", str(EXAMPLES / "articles.jsonl"))
    assert in_cli_order(events(session, out), cli) == cli
    reasons = {r["id"]: r["reason"] for r in session.read.parquet(str(bad)).collect()}
    assert reasons == {
        "bad-date": 'date "2026-13-01" does not exist',
        "no-text": "missing field `text`",
        None: "missing field `id`",
    }


def test_command_line(tmp_path):
    out = tmp_path / "events"
    code = dyad_spark.main([str(EXAMPLES / "articles.jsonl"), str(out), "--master", "local[2]"])
    assert code == 0
    assert list(out.glob("date=*/*.parquet"))
