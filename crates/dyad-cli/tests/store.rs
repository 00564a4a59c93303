//! The event store end to end: `dyad ingest`, `query`, `export`; dedup against a corpus
//! of known copies; crash safety under SIGKILL.

use assert_cmd::Command;
use dyad_store::Store;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn dyad() -> Command {
    Command::cargo_bin("dyad").unwrap()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The output of `cmd`, which must succeed.
fn succeed(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn ingest(db: &Path, input: &Path) -> String {
    let out = succeed(dyad().args(["ingest", "--db"]).arg(db).arg(input));
    assert!(out.stdout.is_empty(), "ingest prints nothing on stdout");
    String::from_utf8(out.stderr).unwrap()
}

/// A store in a temporary directory (kept while the value lives) holding the dedup test
/// corpus, with what `dyad ingest` reported.
fn dedup_store() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dedup.db");
    let report = ingest(&db, &data("store_dedup.jsonl"));
    (dir, db, report)
}

fn query(db: &Path, args: &[&str]) -> Vec<Value> {
    let out = succeed(dyad().args(["query", "--db"]).arg(db).args(args));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Pairwise precision and recall of a grouping against the truth (item → group label).
fn pair_scores(got: &BTreeMap<String, String>, want: &BTreeMap<String, String>) -> (f64, f64) {
    let pairs = |g: &BTreeMap<String, String>| -> BTreeSet<(String, String)> {
        let items: Vec<_> = g.iter().collect();
        let mut out = BTreeSet::new();
        for (i, (a, ga)) in items.iter().enumerate() {
            for (b, gb) in &items[i + 1..] {
                if ga == gb {
                    out.insert((a.to_string(), b.to_string()));
                }
            }
        }
        out
    };
    let (g, w) = (pairs(got), pairs(want));
    let hit = g.intersection(&w).count() as f64;
    (hit / g.len().max(1) as f64, hit / w.len().max(1) as f64)
}

/// The test corpus: three wire stories reprinted with small edits by other outlets, and
/// three independent articles, one of which reports the same meeting as a wire story.
/// Each record carries its true `story` and the real-world happening (`world`) it reports.
#[test]
fn stories_and_events_of_known_copies_are_grouped_exactly() {
    let (_dir, db, _) = dedup_store();
    let truth: Vec<Value> = std::fs::read_to_string(data("store_dedup.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let field = |id: &str, k: &str| -> String {
        let rec = truth.iter().find(|r| r["id"] == id).unwrap();
        rec[k].as_str().unwrap().to_string()
    };
    let store = Store::open(&db).unwrap();
    let conn = store.connection();
    let got_stories: BTreeMap<String, String> = conn
        .prepare("SELECT id, story FROM articles")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want_stories = got_stories
        .keys()
        .map(|id| (id.clone(), field(id, "story")))
        .collect();
    let (p, r) = pair_scores(&got_stories, &want_stories);
    eprintln!("stories: pairwise precision {p:.3}, recall {r:.3}");
    assert_eq!((p, r), (1.0, 1.0));
    // Mentions of one event: same key and the same real-world happening.
    let mentions: Vec<(String, String, String, String)> = conn
        .prepare(
            "SELECT e.id, e.root, e.ekey, a.id FROM events e JOIN articles a ON a.pk = e.article",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(mentions.len() >= 20, "{} mentions", mentions.len());
    let got: BTreeMap<String, String> = mentions
        .iter()
        .map(|(id, root, _, _)| (id.clone(), root.clone()))
        .collect();
    let want: BTreeMap<String, String> = mentions
        .iter()
        .map(|(id, _, key, article)| (id.clone(), format!("{key} {}", field(article, "world"))))
        .collect();
    let (p, r) = pair_scores(&got, &want);
    eprintln!("event merges: pairwise precision {p:.3}, recall {r:.3}");
    assert_eq!((p, r), (1.0, 1.0));
    // The Moscow meeting: three copies of the wire story and an independent report.
    let meeting = query(
        &db,
        &["--actor", "CHN", "--recipient", "RUS", "--type", "CONSULT"],
    );
    assert_eq!(meeting.len(), 1);
    let d = &meeting[0]["dedup"];
    assert_eq!(
        (
            d["mentions"].as_i64(),
            d["articles"].as_i64(),
            d["sources"].as_i64()
        ),
        (Some(4), Some(4), Some(4))
    );
    assert!(d["confidence"].as_f64().unwrap() > meeting[0]["confidence"].as_f64().unwrap());
    // The shelling ten days later is another event.
    let shelling = query(&db, &["--actor", "UKR", "--type", "ASSAULT"]);
    assert_eq!(shelling.len(), 2);
    assert_eq!(query(&db, &["--min-sources", "3"]).len(), 5);
}

#[test]
fn reingest_skips_replaces_and_queries_filter() {
    let (dir, db, first) = dedup_store();
    let input = data("store_dedup.jsonl");
    assert!(first.contains("11 new, 0 replaced, 0 unchanged"), "{first}");
    let again = ingest(&db, &input);
    assert!(again.contains("0 new, 0 replaced, 11 unchanged"), "{again}");
    let before = Store::open(&db).unwrap().digest().unwrap();
    // One article changed: replaced, nothing duplicated.
    let changed = dir.path().join("changed.jsonl");
    let text = std::fs::read_to_string(&input).unwrap();
    std::fs::write(
        &changed,
        text.replace(
            "Germany sent humanitarian aid",
            "France sent humanitarian aid",
        ),
    )
    .unwrap();
    let third = ingest(&db, &changed);
    assert!(third.contains("0 new, 1 replaced, 10 unchanged"), "{third}");
    let after = Store::open(&db).unwrap().digest().unwrap();
    assert_eq!(before.counts, after.counts);
    assert_ne!(before.hash, after.hash);
    assert_eq!(query(&db, &["--actor", "FRA", "--type", "AID"]).len(), 1);
    assert_eq!(query(&db, &["--actor", "DEU", "--type", "AID"]).len(), 0);
    // A bloc on the event's date; text search; a time series.
    assert_eq!(query(&db, &["--actor-member-of", "G7"]).len(), 4);
    let text = query(&db, &["--text", "Kharkiv"]);
    assert!(text.iter().all(|r| r["event"][0] == "ASSAULT"), "{text:?}");
    let weeks = query(&db, &["--count-by", "week", "--by", "quad"]);
    assert!(
        weeks
            .iter()
            .any(|w| w["period"] == "2025-05-05" && w["key"] == "1"),
        "{weeks:?}"
    );
}

#[test]
fn export_round_trips_through_parquet_and_csv() {
    let (dir, db, _) = dedup_store();
    let pq = dir.path().join("all.parquet");
    let csv_path = dir.path().join("all.csv");
    for (format, path) in [("parquet", &pq), ("csv", &csv_path)] {
        dyad()
            .args(["export", "--db"])
            .arg(&db)
            .args(["--format", format, "-o"])
            .arg(path)
            .assert()
            .success();
    }
    let from_parquet = dyad_store::read_parquet_rows(&pq).unwrap();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, dyad_store::CSV_COLUMNS);
    let from_csv: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let events: i64 = Store::open(&db)
        .unwrap()
        .connection()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(from_parquet.len() as i64, events);
    assert_eq!(from_parquet, from_csv);
    // Event locations resolved by the geo stage come out as columns (Kharkiv, Moscow).
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let located: Vec<&Vec<String>> = from_csv
        .iter()
        .filter(|r| !r[col("geonameid")].is_empty())
        .collect();
    assert!(!located.is_empty());
    assert!(located
        .iter()
        .all(|r| r[col("latitude")].parse::<f64>().is_ok()
            && !r[col("place_method")].is_empty()
            && !r[col("country")].is_empty()));
}

#[test]
fn bad_stores_and_bad_input_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "this is not a database, just text ".repeat(200)).unwrap();
    let out = dyad().args(["query", "--db"]).arg(&junk).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("junk.db: not a SQLite database, or corrupt"),
        "{err}"
    );
    let missing = dyad()
        .args(["query", "--db"])
        .arg(dir.path().join("none.db"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such store"));
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"ok\",\"text\":\"Peru met Chile.\"}\n{oops\n",
    )
    .unwrap();
    let out = dyad()
        .args(["ingest", "--db"])
        .arg(dir.path().join("b.db"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.jsonl:2: malformed JSON"));
}

/// A corpus of `n` articles of eight coded sentences each, varied by index.
fn corpus(path: &Path, n: usize) {
    let actors = [
        "Russian", "Chinese", "Japanese", "German", "French", "Iranian",
    ];
    let targets = ["Ukraine", "India", "Brazil", "Egypt", "Turkey", "Poland"];
    let mut out = String::new();
    for i in 0..n {
        let (a, t) = (actors[i % 6], targets[(i / 6) % 6]);
        let text = format!(
            "{a} officials met leaders of {t} in Geneva on Monday. {a} forces shelled positions \
             in {t}, officials said. {t} accused the {a} government of lying. The {a} foreign \
             minister condemned {t} for the attack number {i}. {t} rejected a proposal from the \
             {a} delegation. {a} diplomats praised {t} for its help. Aid from the {a} Red Cross \
             arrived in {t} on Tuesday. Report {i} ends here with {t} and {a} noted.",
        );
        let day = 1 + i % 28;
        out.push_str(&serde_json::json!({"id": format!("k{i:03}"), "date": format!("2025-02-{day:02}"), "source": format!("s{}", i % 5), "text": text}).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Kill `dyad ingest` with SIGKILL at 24 seeded random moments after its fixed cost (a run
/// that finishes first does not count and resets the store), each time checking that the
/// store opens and holds only whole articles, then finish the run: the store must equal
/// that of an uninterrupted run (row counts and content hash).
#[test]
fn ingest_killed_at_random_moments_ends_as_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    corpus(&input, 40);
    let clean = dir.path().join("clean.db");
    let started = Instant::now();
    ingest(&clean, &input);
    let full = started.elapsed();
    // The fixed cost of a run (models, dictionaries, gazetteer) and its first article.
    let one = dir.path().join("one.jsonl");
    corpus(&one, 1);
    let started = Instant::now();
    ingest(&dir.path().join("one.db"), &one);
    let first = started.elapsed().min(full);
    let want = Store::open(&clean).unwrap().digest().unwrap();
    assert!(
        want.counts.iter().any(|(t, n)| t == "events" && *n > 100),
        "{:?}",
        want.counts
    );

    let db = dir.path().join("killed.db");
    let mut seed: u64 = 12;
    let (mut killed, mut runs, mut midway) = (0, 0, 0);
    // A run pays the fixed cost, then codes what the store lacks: kills are spread over that,
    // scaled by what the runs so far say of the machine's load (a run that ends before its
    // kill shrinks the scale; a kill before the run stored anything grows it).
    let (mut stored, mut scale) = (0i64, 1.0f64);
    while killed < 24 {
        runs += 1;
        assert!(
            runs < 100,
            "only {killed} of {runs} runs were killed before finishing"
        );
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let frac = (seed >> 11) as f64 / (1u64 << 53) as f64;
        let rest = (full - first).mul_f64((40 - stored.min(40)) as f64 / 40.0);
        let wait = (first + rest.mul_f64(frac)).mul_f64(scale);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dyad"))
            .args(["ingest", "--quiet", "--batch", "2", "--db"])
            .arg(&db)
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait.max(Duration::from_millis(5)));
        // std's kill is SIGKILL on Unix: no chance to clean up.
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        } else {
            // It finished: start again from nothing, so that later kills still land
            // mid-run.
            child.wait().unwrap();
            for f in ["killed.db", "killed.db-wal", "killed.db-shm"] {
                let _ = std::fs::remove_file(dir.path().join(f));
            }
            (stored, scale) = (0, scale * 0.8);
            continue;
        }
        child.wait().unwrap();
        let now = if db.exists() {
            assert_whole_articles(&db)
        } else {
            0
        };
        if now == stored {
            scale *= 1.25;
        }
        midway += usize::from(now > 0 && now < 40);
        stored = now;
    }
    assert!(
        midway >= 5,
        "only {midway} kills landed while articles were being stored"
    );
    assert!(
        killed >= 20,
        "only {killed} runs were killed before finishing"
    );
    ingest(&db, &input);
    assert_eq!(Store::open(&db).unwrap().digest().unwrap(), want);
}

/// Every stored article has all its sentences, and every event belongs to an event group.
/// Returns the number of articles stored.
fn assert_whole_articles(db: &Path) -> i64 {
    let store = Store::open(db).expect("a killed store opens cleanly");
    let c = store.connection();
    let partial: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM articles a
             WHERE a.sentences != (SELECT COUNT(*) FROM sentences s WHERE s.article = a.pk)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0);
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM events e WHERE NOT EXISTS
               (SELECT 1 FROM event_groups g WHERE g.root = e.root)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    c.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap()
}
