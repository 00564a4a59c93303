"""The module against the command line: the same records, byte for byte after JSON
normalisation, on the bundled examples; errors as exceptions naming the record."""

import json

import pytest

import dyad
from conftest import EXAMPLES, PETRARCH, VOA, cli_records, jsonl, normal, run_cli

DATE = "2026-11-20"
TXT = sorted(EXAMPLES.glob("*.txt"))


def test_records_match_the_cli_on_the_jsonl_examples(coder):
    path = EXAMPLES / "articles.jsonl"
    mine = [normal(r) for r in coder.code(jsonl(path))]
    assert len(mine) > 20
    assert mine == cli_records("code", str(path))


def test_texts_with_ids_and_a_date_match_the_cli_on_the_txt_examples(coder):
    texts = [p.read_text(encoding="utf-8") for p in TXT]
    mine = [normal(r) for r in coder.code(texts, dates=DATE, ids=[p.stem for p in TXT])]
    assert {json.loads(r)["article_id"] for r in mine} == {p.stem for p in TXT}
    assert mine == cli_records("code", *map(str, TXT), "--date", DATE)


def test_annotations_match_the_cli(coder):
    path = EXAMPLES / "articles.jsonl"
    mine = [normal(a) for a in dyad.annotate(jsonl(path))]
    assert mine == cli_records("annotate", str(path))
    assert all(json.loads(a)["entities"] for a in mine)


def test_explain_is_the_cli_text():
    text = (EXAMPLES / "asean-beijing.txt").read_text(encoding="utf-8")
    mine = dyad.explain(text, date=DATE)
    assert "CONSULT (CAMEO 043) trigger \"hosted\"" in mine
    assert mine == run_cli("explain", text, "--date", DATE)


def test_records_match_the_cli_on_the_voa_stories(coder):
    if not VOA.exists():
        pytest.skip(f"{VOA} not present")
    mine = [normal(r) for r in coder.code(jsonl(VOA))]
    assert len(mine) > 500
    assert mine == cli_records("code", str(VOA))


def test_petrarch_dictionaries_as_the_cli_reads_them():
    if not PETRARCH.exists():
        pytest.skip(f"{PETRARCH} not present")
    petrarch = dyad.Coder(dictionaries=PETRARCH, threads=1)
    path = EXAMPLES / "articles.jsonl"
    mine = [normal(r) for r in petrarch.code(jsonl(path))]
    assert mine != [normal(r) for r in dyad.code(jsonl(path))]
    assert mine == cli_records("code", str(path), "--dictionaries", str(PETRARCH))


def test_a_bad_record_raises_naming_it_and_the_others_are_coded(coder):
    records = [
        {"id": "good", "text": "Russia's foreign minister met his Chinese counterpart in Beijing.",
         "date": "2026-11-18"},
        {"id": "bad-date", "text": "Peru met Chile.", "date": "2026-13-01"},
        {"id": "no-text"},
    ]
    with pytest.raises(dyad.RecordError) as e:
        coder.code(records)
    assert (e.value.id, e.value.index) == ("bad-date", 1)
    assert "2026-13-01" in str(e.value) and "does not exist" in str(e.value)
    assert isinstance(e.value, ValueError)
    kept = coder.code(records, errors="ignore")
    assert {r["article_id"] for r in kept} == {"good"}
    assert kept[0]["event"] == ["CONSULT"]
    with pytest.warns(UserWarning) as caught:
        assert coder.code(records, errors="warn") == kept
    assert [str(w.message) for w in caught] == [
        "dyad: record 1 (id 'bad-date'): date \"2026-13-01\" does not exist",
        "dyad: record 2 (id 'no-text'): missing field `text`",
    ]


def test_texts_get_ids_and_repeated_ids_are_renamed_as_the_cli_does(coder):
    text = "Russia's foreign minister met his Chinese counterpart in Beijing on Tuesday."
    assert {r["article_id"] for r in coder.code([text, text], dates="2026-11-18")} == {
        "text-1", "text-2"}
    with pytest.warns(UserWarning, match="repeated"):
        ids = [r["article_id"] for r in coder.code([text, text], dates="2026-11-18",
                                                   ids=["a", "a"])]
    assert ids == ["a", "a#2"]


def test_one_thread_and_all_threads_code_alike():
    records = [dict(r, id=f"{r['id']}-{k}") for k in range(3)
               for r in jsonl(EXAMPLES / "articles.jsonl")]
    one = dyad.Coder(threads=1)
    assert one.threads == 1 and one.load_seconds > 0
    assert one.code(records) == dyad.code(records)


def test_code_frame_gives_one_row_per_event(coder):
    pd = pytest.importorskip("pandas")
    rows = jsonl(EXAMPLES / "articles.jsonl")
    df = pd.DataFrame({"key": [r["id"] for r in rows], "body": [r["text"] for r in rows],
                       "day": pd.to_datetime([r["date"] for r in rows], format="mixed")})
    frame = coder.code_frame(df, text="body", date="day", id="key")
    records = coder.code(rows)
    assert len(frame) == len(records)
    assert list(frame["id"]) == [r["id"] for r in records]
    assert list(frame["cameo"]) == [r["cameo"] for r in records]
    assert "trigger.start" in frame.columns and "event_loc.country_code" in frame.columns
    assert list(frame["date"]) == [r["date"] for r in records]


def test_the_stubs_name_what_the_extension_module_has():
    import ast
    from pathlib import Path

    from dyad import _dyad

    stub = ast.parse((Path(dyad.__file__).parent / "_dyad.pyi").read_text())
    cls = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Coder")
    stubbed = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)} | {
        n.target.id for n in cls.body if isinstance(n, ast.AnnAssign)}
    public = {n for n in dir(_dyad.Coder) if not n.startswith("_")}
    assert public == stubbed - {"__init__"}


def test_line_separators_inside_a_text_survive_the_way_back(coder, tmp_path):
    # serde_json leaves U+2028 and U+0085 unescaped: records must not be split on them.
    record = {"id": "sep", "date": "2026-11-18",
              "text": "Russia's foreign minister Sergei Lavrov met\u2028his Chinese "
                      "counterpart Wang Yi\u0085in Beijing on Tuesday."}
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    mine = coder.code([record])
    assert any("\u2028" in r["text"] and "\u0085" in r["text"] for r in mine)
    assert [normal(r) for r in mine] == cli_records("code", str(path))
