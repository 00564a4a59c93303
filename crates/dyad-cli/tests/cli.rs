//! The `dyad` command end to end: input formats, bad input, output contract, eval, bench.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

fn shared(rel: &str) -> PathBuf {
    root().join("../shared").join(rel)
}

fn dyad() -> Command {
    Command::cargo_bin("dyad").unwrap()
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

const RECORD_FIELDS: &[&str] = &[
    "id",
    "article_id",
    "date",
    "actor",
    "recipient",
    "event",
    "mode",
    "context",
    "cameo",
    "quad_code",
    "event_scale",
    "event_text",
    "text",
    "text_info",
    "attribution",
    "coder",
    "confidence",
];
const ENTITY_FIELDS: &[&str] = &[
    "code",
    "sector",
    "entity_text",
    "identifier_text",
    "cameo",
    "start",
    "end",
];
const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

#[test]
fn code_prints_plover_records_for_a_text_file() {
    let path = example("asean-beijing.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = dyad()
        .arg("code")
        .arg(&path)
        .arg("--date")
        .arg("20261120")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = lines(&out.stdout);
    assert!(
        recs.len() >= 5,
        "only {} events in a long article",
        recs.len()
    );
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: &Value, e: &Value| {
        chars[s.as_u64().unwrap() as usize..e.as_u64().unwrap() as usize]
            .iter()
            .collect::<String>()
    };
    let mut ids = std::collections::HashSet::new();
    for r in &recs {
        for f in RECORD_FIELDS {
            assert!(r.get(*f).is_some(), "record lacks {f}: {r}");
        }
        assert!(
            ids.insert(r["id"].as_str().unwrap().to_string()),
            "duplicate id {}",
            r["id"]
        );
        assert_eq!(r["article_id"], "asean-beijing");
        // The event's date is the article's unless its sentence names another.
        match r.get("date_info") {
            Some(info) => {
                assert_eq!(info["article_date"], "2026-11-20");
                assert_eq!(
                    slice(&info["start"], &info["end"]),
                    info["text"].as_str().unwrap()
                );
            }
            None => assert_eq!(r["date"], "2026-11-20"),
        }
        assert!(
            PLOVER_TYPES.contains(&r["event"][0].as_str().unwrap()),
            "{}",
            r["event"]
        );
        // Offsets are characters into the article: the sentence, trigger and actors are there.
        assert_eq!(
            slice(&r["text_info"]["start"], &r["text_info"]["end"]),
            r["text"].as_str().unwrap()
        );
        assert_eq!(
            slice(&r["trigger"]["start"], &r["trigger"]["end"]),
            r["event_text"][0].as_str().unwrap()
        );
        for e in r["actor"]
            .as_array()
            .unwrap()
            .iter()
            .chain(r["recipient"].as_array().unwrap())
        {
            for f in ENTITY_FIELDS {
                assert!(e.get(*f).is_some(), "entity lacks {f}: {e}");
            }
            assert_eq!(
                slice(&e["start"], &e["end"]),
                e["entity_text"].as_str().unwrap()
            );
        }
    }
    // The same input gives the same ids: they are stable.
    let again = dyad()
        .arg("code")
        .arg(&path)
        .arg("--date")
        .arg("20261120")
        .output()
        .unwrap();
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn annotate_prints_one_object_per_article_of_a_jsonl_file() {
    let out = dyad()
        .arg("annotate")
        .arg(example("articles.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 6);
    for d in &docs {
        for f in [
            "id",
            "date",
            "text",
            "sentences",
            "entities",
            "quotes",
            "events",
        ] {
            assert!(d.get(f).is_some(), "annotation lacks {f}");
        }
        assert!(
            d["date"].as_str().unwrap().starts_with("2026-"),
            "dates are normalised: {}",
            d["date"]
        );
        assert!(d["sentences"].as_array().unwrap().len() > 3);
    }
    let sahel = docs.iter().find(|d| d["id"] == "sahel-ecowas").unwrap();
    assert_eq!(sahel["date"], "2026-11-18");
}

#[test]
fn stdin_and_csv() {
    let input = r#"{"id":"s1","date":"2026-11-02","text":"Russia condemned Ukraine. Peru and Chile condemned Venezuela."}"#;
    let out = dyad()
        .args(["code", "--format", "csv", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("event_id,article_id,date,actor_cameo"));
    // One row per dyad: RUS-UKR, PER-VEN, CHL-VEN.
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(
        rows[1].starts_with("s1-0-0,s1,2026-11-02,RUS,RUS,,Russia,UKR"),
        "{}",
        rows[1]
    );
}

#[test]
fn directories_are_read_recursively() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "Russia condemned Ukraine.").unwrap();
    std::fs::write(
        dir.path().join("sub/b.jsonl"),
        "{\"id\":\"b1\",\"text\":\"Chile condemned Peru.\"}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), "Peru condemned Chile.").unwrap();
    let out = dyad().arg("code").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let ids: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|r| r["article_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "b1"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("skipped") && err.contains("notes.md"), "{err}");
}

#[test]
fn bad_records_are_named_and_the_rest_is_coded() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(
        &jsonl,
        b"{\"id\":\"ok1\",\"text\":\"Russia condemned Ukraine.\"}\n{\"id\":\"broken\",\n{\"id\":\"notext\"}\n\xc3\x28\n{\"id\":\"ok2\",\"text\":\"Chile condemned Peru.\"}\n",
    )
    .unwrap();
    let bad_txt = dir.path().join("latin1.txt");
    std::fs::write(&bad_txt, b"Caf\xe9 talks").unwrap();
    let out = dyad()
        .arg("code")
        .arg(&jsonl)
        .arg(&bad_txt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let ids: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|r| r["article_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ok1", "ok2"]);
    let err = String::from_utf8(out.stderr).unwrap();
    let j = jsonl.display();
    assert!(err.contains(&format!("{j}:2: malformed JSON")), "{err}");
    assert!(
        err.contains(&format!("{j}:3: missing field `text`")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{j}:4: invalid UTF-8 at byte 0")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: invalid UTF-8 at byte 3", bad_txt.display())),
        "{err}"
    );
    assert!(err.contains("4 bad records"), "{err}");
}

#[test]
fn bad_date_option_is_a_clear_error() {
    let out = dyad()
        .args(["code", "--date", "2026-02-30"])
        .arg(example("asean-beijing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--date") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn missing_input_file_is_reported() {
    let out = dyad()
        .args(["code", "no/such/file.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no/such/file.jsonl: cannot open"), "{err}");
}

#[test]
fn full_annotation_snapshot() {
    let out = dyad()
        .args(["annotate", "--date", "2026-11-20"])
        .arg(example("asean-beijing.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The coder version changes with every release; the analysis is what is pinned.
    for e in doc["events"].as_array_mut().unwrap() {
        e["coder"] = Value::String("dyad".into());
    }
    insta::assert_json_snapshot!("asean_beijing_annotation", doc);
}

#[test]
fn eval_and_bench_skip_cleanly_without_data() {
    let out = dyad()
        .args(["eval", "/nonexistent/validation.jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped"));
    let out = dyad().args(["bench", "/nonexistent/dir"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped"));
}

#[test]
fn eval_of_a_folder_it_cannot_tell_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("dyad-eval-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.jsonl"), "{\"id\": 1, \"text\": \"x\"}\n").unwrap();
    let out = dyad().arg("eval").arg(&dir).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot tell the suite kind of the folder"),
        "{err}"
    );
}

#[test]
fn bench_reports_throughput_and_memory() {
    let out = dyad()
        .args(["bench", "--seconds", "0"])
        .arg(example("articles.jsonl"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for key in ["articles/s", "sentences/s", "tokens/s", "peak memory"] {
        assert!(text.contains(key), "{text}");
    }
}

#[test]
fn eval_scores_the_peer_suites_when_present() {
    let petrarch = shared("peer/petrarch2/validation.jsonl");
    let plover = shared("peer/plover/PLOVER_GSR_CAMEO.json");
    if !petrarch.exists() || !plover.exists() {
        eprintln!("skipping: ../shared peer suites absent");
        return;
    }
    let out = dyad().arg("eval").arg(&petrarch).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("petrarch unit suite: strict pass ") && last.contains("/279 = "),
        "{last}"
    );
    // The suite's folder stands for its validation.jsonl.
    let folder = dyad()
        .arg("eval")
        .arg(petrarch.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(folder.stdout).unwrap(), text);
    let out = dyad().arg("eval").arg(&plover).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("PLOVER gold records: type found ") && l.contains(" of 322;")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("PLOVER gold actor codes found") && l.contains("/556 = ")),
        "{text}"
    );
}

#[test]
fn actors_lookup_explains_roles_and_memberships() {
    let out = dyad()
        .args([
            "actors",
            "lookup",
            "President Joe Biden",
            "--date",
            "2022-03-01",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"President Joe Biden\"  USA GOV"), "{text}");
    assert!(text.contains("identifier  Joe Biden"), "{text}");
    assert!(text.contains("2021-01-20..2025-01-20"), "{text}");

    let members = |date: &str| {
        let out = dyad()
            .args(["actors", "lookup", "ASEAN", "--json", "--date", date])
            .output()
            .unwrap();
        assert!(out.status.success());
        let v = lines(&out.stdout);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0]["code"], "IGO");
        assert_eq!(v[0]["kind"], "organisation");
        v[0]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let m2024 = members("2024-06-01");
    assert_eq!(m2024.len(), 10, "{m2024:?}");
    assert!(!m2024.contains(&"TLS".to_string()));
    assert!(members("2026-01-01").contains(&"TLS".to_string()));
}

#[test]
fn unknown_dictionaries_dir_is_a_clear_error() {
    let out = dyad()
        .args(["code", "--dictionaries", "/no/such/dir"])
        .arg(example("asean-beijing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--dictionaries /no/such/dir: no such directory"),
        "{err}"
    );
}

#[test]
fn petrarch_dictionaries_replace_the_builtin_actors() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "T.actors.txt",
        "ARNOR_ [ARN]\nGONDOR [GON]\nBAD_ACTOR [XYZ >991399]\n",
    );
    write("T.agents.txt", "GOVERNMENT [~GOV]\n");
    write("T.discards.txt", "+WORLD_CUP\n");
    write(
        "T.verbs.txt",
        "--- MEET [031:032] ---\nMET\n- * NOBODY_AT_ALL [999]\nthis { is malformed\n",
    );
    write("Other.actors.txt", "TURKEY_ [TUR]\n");
    let out = dyad()
        .args(["annotate", "-"])
        .arg("--dictionaries")
        .arg(dir.path().join("T"))
        .write_stdin(
            "{\"id\":\"a\",\"date\":\"2020-01-01\",\"text\":\"The Arnor government met Gondor and Turkey.\"}\n",
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "T.actors.txt:3: date \"991399\" is not a calendar date\n\
             T.actors.txt:3: actor \"BAD ACTOR\" has no code\n\
             T.verbs.txt:4: missing '}'\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("PETRARCH dictionaries: 5 entries from 4 files (T.actors.txt, T.agents.txt, T.discards.txt, T.verbs.txt); verbs: 1 blocks, 4 forms, 1 patterns, 0 synonym sets, 3 warnings"),
        "{err}"
    );
    let doc = &lines(&out.stdout)[0];
    let cameos: Vec<&str> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cameo"].as_str().unwrap())
        .collect();
    // Turkey is in the built-in dictionaries and in Other.actors.txt, which was not read.
    assert_eq!(cameos, ["ARNGOV", "GON"]);
    // The verb file codes the events: MET [031:032], one event each way.
    let events: Vec<(String, String)> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["cameo"].as_str().unwrap().to_string(),
                e["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("031".to_string(), "T.verbs.txt:1".to_string()),
            ("032".to_string(), "T.verbs.txt:1 (reverse)".to_string())
        ]
    );
}

#[test]
fn petrarch_peer_dictionaries_load_with_only_known_bad_lines() {
    let dir = shared("peer/petrarch2/dictionaries");
    if !dir.exists() {
        eprintln!("skipping: {} absent", dir.display());
        return;
    }
    let read = dyad::read_petrarch(&dir, None).unwrap();
    assert_eq!(read.files.len(), 10);
    let verbs = read.verbs.as_ref().expect("verb files read");
    assert!(verbs.blocks.len() > 600);
    let places: Vec<String> = read
        .warnings
        .iter()
        .map(|w| format!("{}:{}", w.file, w.line))
        .collect();
    // Each checked by hand: dates of 7, 9 or 10 digits, a reversed range, codes with a date
    // but no '<', '>' or '-', a phrase before an indented code, untagged comments after
    // codes, a '}' closing a '[', an agent without a code. Verbs: a '*' glued to a word,
    // a code "080!", PETRARCH-2 transformation rules (not supported), two undefined
    // synonym sets, a block header with two codes.
    assert_eq!(
        places,
        [
            "CAMEO.2.0.txt:1735",
            "CAMEO.2.0.txt:5787",
            "CAMEO.2.0.txt:9178",
            "CAMEO.2.0.txt:9179",
            "CAMEO.2.0.txt:9180",
            "CAMEO.2.0.txt:9181",
            "CAMEO.2.0.txt:9183",
            "CAMEO.2.0.txt:9184",
            "CAMEO.2.0.txt:9185",
            "CAMEO.2.0.txt:9186",
            "CAMEO.2.0.txt:8443",
            "CAMEO.2.0.txt:8444",
            "PETR.Validate.verbs.txt:447",
            "Phoenix.Countries.actors.txt:2039",
            "Phoenix.Countries.actors.txt:14190",
            "Phoenix.Countries.actors.txt:18010",
            "Phoenix.Countries.actors.txt:22508",
            "Phoenix.Countries.actors.txt:22519",
            "Phoenix.Countries.actors.txt:31715",
            "Phoenix.Countries.actors.txt:43613",
            "Phoenix.Countries.actors.txt:51384",
            "Phoenix.International.actors.txt:40",
            "Phoenix.International.actors.txt:267",
            "Phoenix.International.actors.txt:3696",
            "Phoenix.International.actors.txt:3726",
            "Phoenix.International.actors.txt:6605",
            "Phoenix.agents.txt:544",
            "Phoenix.agents.txt:1927",
        ],
        "{:#?}",
        read.warnings
    );
    assert!(read.dict.entries.len() > 40_000);
    let lookup = dyad::ActorLookup::with_dictionary(read.dict).unwrap();
    let annan = |date: &str| {
        let mut a = dyad_core::Article::new("t", "Kofi Annan arrived in Baghdad.");
        a.date = Some(date.into());
        let doc = lookup.run(a);
        let e = doc.entities.first().expect("an entity");
        assert_eq!(doc.slice(e.span), "Kofi Annan");
        e.actor.cameo()
    };
    assert_eq!(annan("2000-05-01"), "IGOUNO");
    assert_eq!(annan("2006-12-31"), "IGOUNO");
    assert_eq!(annan("2010-05-01"), "ELI");
    // eval loads dictionaries as `code` does (so it agrees with the reference scorer);
    // DIR/PREFIX restricts them to the suite's own family.
    let suite = shared("peer/petrarch2/validation.jsonl");
    if suite.exists() {
        let out = dyad()
            .arg("eval")
            .arg(&suite)
            .arg("--dictionaries")
            .arg(dir.join("PETR.Validate"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("from 4 files (PETR.Validate.actors.txt"),
            "{err}"
        );
        // With the suite's verb dictionary: strict pass >= 50%, triple F1 >= 0.60.
        let stdout = String::from_utf8(out.stdout).unwrap();
        let last = stdout.lines().last().unwrap();
        let figure = |after: &str, until: char| -> f64 {
            let rest = &last[last.find(after).unwrap() + after.len()..];
            rest[..rest.find(until).unwrap()].trim().parse().unwrap()
        };
        assert!(figure("= ", '%') >= 50.0, "{last}");
        assert!(figure(" F1=", ' ') >= 0.60, "{last}");
    }
}

#[test]
fn explain_shows_the_pattern_and_why_each_actor_was_chosen() {
    let out = dyad()
        .args([
            "explain",
            "Kenyan Interior Minister Kipchumba Murkomen met Ugandan officials in Kampala on Wednesday.",
            "--date",
            "2025-06-06",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "CONSULT (CAMEO 040) trigger \"met\"",
        "because verbs.tsv:",
        "actor: subject (parse)",
        "recipient: object or oblique (parse)",
        "because countries.tsv:",
        "people.tsv:",
        "date       2025-06-04 from \"Wednesday\"",
        "place      \"Kampala\" UGA",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn quotes_prints_speaker_role_outlet_and_words() {
    let out = dyad()
        .args(["quotes", "--tsv"])
        .arg(example("nairobi-analysts.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        ["article", "speaker", "role", "outlet", "kind", "quote"]
    );
    let mbadi = rows
        .iter()
        .find(|r| r[5].starts_with("Kenya's fuel levy"))
        .expect("the Treasury quote");
    assert!(mbadi[1].starts_with("John Mbadi"), "{mbadi:?}");
    assert_eq!(mbadi[3], "Daily Nation");
    assert_eq!(mbadi[4], "reported");
    let she = rows
        .iter()
        .find(|r| r[5].starts_with("This is not only about petrol"))
        .expect("the direct quote");
    assert_eq!(she[1], "Maria Wanjiru (she)");
    assert!(she[2].contains("political scientist"), "{she:?}");
    assert_eq!(she[4], "direct");
}
