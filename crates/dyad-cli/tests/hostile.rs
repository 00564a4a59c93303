//! Hostile input end to end (issue 11): directory cycles and FIFOs, text without sentence
//! ends, invisible characters, huge words and nesting, write errors and closed pipes. Each
//! case must end within its time bound, lose no other article and keep the output contract:
//! every line is JSON, record ids are unique and every span's `text[start:end]` (in
//! characters) is its text.
//!
//! Time bounds are for the unoptimised test build on a loaded 2-core machine; the release
//! figures are in the README.

use serde_json::Value;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

/// Waits for `child` at most `limit`; kills it and fails the test when it takes longer.
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    // Drain stdout on a thread: a full pipe would block the child.
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output {
                status,
                stdout: reader.join().unwrap(),
                stderr: err_reader.join().unwrap(),
            };
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `dyad ARGS` on `stdin`, within `secs` seconds.
fn run(args: &[&str], stdin: &[u8], secs: u64) -> Output {
    let mut child = dyad()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = finish(child, Duration::from_secs(secs), &args.join(" "));
    writer.join().unwrap();
    out
}

fn jsonl(records: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (id, text) in records {
        let line = serde_json::json!({"id": id, "text": text, "date": "2025-03-14"});
        out.extend(line.to_string().bytes());
        out.push(b'\n');
    }
    out
}

/// Checks the output contract of `dyad code` on the articles `texts` (id → text): every
/// line is a JSON record, ids are unique, and each span is its text in characters.
fn check_records(stdout: &[u8], texts: &[(String, String)]) -> usize {
    let by_id: std::collections::HashMap<&str, Vec<char>> = texts
        .iter()
        .map(|(id, t)| (id.as_str(), t.chars().collect()))
        .collect();
    let mut ids = HashSet::new();
    let mut n = 0;
    for line in String::from_utf8(stdout.to_vec()).unwrap().lines() {
        let r: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            ids.insert(r["id"].as_str().unwrap().to_string()),
            "repeated id: {line}"
        );
        let chars = &by_id[r["article_id"].as_str().unwrap()];
        let span = |v: &Value| -> String {
            let (s, e) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
            chars[s as usize..e as usize].iter().collect()
        };
        assert_eq!(span(&r["text_info"]), r["text"].as_str().unwrap());
        // No record repeats a huge sentence: it shows a window around the trigger.
        assert!(r["text"].as_str().unwrap().len() <= dyad_output::MAX_TEXT_BYTES);
        for who in ["actor", "recipient"] {
            for a in r[who].as_array().unwrap() {
                assert_eq!(span(a), a["entity_text"].as_str().unwrap());
            }
        }
        assert_eq!(span(&r["trigger"]), r["event_text"][0].as_str().unwrap());
        n += 1;
    }
    n
}

fn code(texts: &[(String, String)], secs: u64) -> (Output, usize) {
    let records: Vec<(&str, &str)> = texts
        .iter()
        .map(|(i, t)| (i.as_str(), t.as_str()))
        .collect();
    let out = run(&["code", "-q", "-"], &jsonl(&records), secs);
    let n = check_records(&out.stdout, texts);
    (out, n)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CLEAN: &str = "Russia attacked Ukraine on Monday. China met Japan in Beijing.";

/// The hostile article between two clean ones: it must end in time, and both neighbours
/// must still be coded.
fn between_clean(name: &str, hostile: String, secs: u64) -> Output {
    let texts = vec![
        ("before".to_string(), CLEAN.to_string()),
        (name.to_string(), hostile),
        ("after".to_string(), CLEAN.to_string()),
    ];
    let (out, _) = code(&texts, secs);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for id in ["\"before-0-0\"", "\"after-1-0\""] {
        assert!(stdout.contains(id), "{name}: {id} lost; {}", stderr(&out));
    }
    out
}

#[test]
fn text_without_sentence_punctuation_is_cut_and_coded_in_bounded_time() {
    let line = "Russia attacked Ukraine and China met Japan in talks on trade ".repeat(2000);
    let out = between_clean("noend", line, 120);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("noend: warning:") && stderr(&out).contains("sentences of more than"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn huge_words_nesting_and_coordination_end_in_bounded_time() {
    let cases = [
        (
            "bigword",
            format!("Russia {} attacked Ukraine.", "x".repeat(1 << 20)),
        ),
        (
            "quotes",
            format!("{}Russia attacked Ukraine.", "\"".repeat(100_000)),
        ),
        (
            "brackets",
            format!(
                "{}Russia attacked Ukraine.{}",
                "(".repeat(50_000),
                "]".repeat(50_000)
            ),
        ),
        (
            "names",
            format!("{} met Japan.", vec!["China"; 10_000].join(" and ")),
        ),
        ("lower", CLEAN.to_lowercase().repeat(200)),
        ("upper", CLEAN.to_uppercase().repeat(200)),
        ("nul", "Russia\0attacked\0Ukraine.\0".repeat(1000)),
    ];
    for (name, text) in cases {
        let started = Instant::now();
        between_clean(name, text, 120);
        eprintln!("{name}: {:?}", started.elapsed());
    }
}

#[test]
fn the_reproducers_of_issue_11_keep_every_article() {
    let texts: Vec<(String, String)> = [
        (
            "emoji",
            "Russia attacked Ukraine on Monday. \u{1F600} China met Japan.",
        ),
        (
            "feff",
            "Russia attacked Ukraine on Monday. \u{FEFF}China met Japan.",
        ),
        (
            "nul",
            "Russia attacked Ukraine on Monday.\u{0} China met Japan.",
        ),
        ("zw", "Rus\u{200B}sia attacked\u{200B} Ukraine on Monday."),
        (
            "attribution",
            "According to officials. Russia attacked Ukraine on Monday.",
        ),
        ("bare", "According to"),
    ]
    .iter()
    .map(|(i, t)| (i.to_string(), t.to_string()))
    .collect();
    let (out, _) = code(&texts, 60);
    assert!(out.status.success(), "{}", stderr(&out));
    let records: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actor_of = |id: &str| -> Vec<String> {
        records
            .iter()
            .filter(|r| r["id"] == id)
            .flat_map(|r| r["actor"].as_array().unwrap().iter())
            .map(|a| a["entity_text"].as_str().unwrap().to_string())
            .collect()
    };
    // China meets Japan in a sentence of its own: not the previous sentence's actor.
    for id in ["emoji", "feff", "nul"] {
        assert_eq!(actor_of(&format!("{id}-1-0")), ["China"], "{id}");
    }
    // The zero-width space no longer loses the event.
    assert!(records.iter().any(|r| r["article_id"] == "zw"));
}

#[test]
fn invalid_utf8_and_a_bom_are_reported_or_read_and_the_rest_is_coded() {
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend(jsonl(&[("a", CLEAN)]));
    input.extend(b"{\"id\":\"b\",\"text\":\"\xff\xfe\"}\n");
    input
        .extend(b"{\"id\":123456789012345678901234567890,\"text\":\"Russia attacked Ukraine.\"}\n");
    let out = run(&["code", "-q", "-"], &input, 60);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>:2: invalid UTF-8"),
        "{}",
        stderr(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"a-0-0\""));
    assert!(stdout.contains("\"123456789012345678901234567890-0-0\""));
}

#[test]
fn repeated_article_ids_are_warned_and_record_ids_stay_unique() {
    let input = jsonl(&[("a", CLEAN), ("a", CLEAN)]);
    let out = run(&["code", "-"], &input, 60);
    assert!(
        stderr(&out).contains("article id \"a\" repeated"),
        "{}",
        stderr(&out)
    );
    let texts = vec![
        ("a".to_string(), CLEAN.to_string()),
        ("a#2".to_string(), CLEAN.to_string()),
    ];
    assert_eq!(check_records(&out.stdout, &texts), 4);
}

#[test]
fn the_examples_and_voa_stories_keep_the_output_contract() {
    let mut texts = Vec::new();
    let mut input = Vec::new();
    let voa = root().join("../shared/corpora/voa/voa_stories.jsonl");
    for file in [root().join("examples/articles.jsonl"), voa] {
        let Ok(data) = std::fs::read_to_string(&file) else {
            continue;
        };
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = format!("{}", texts.len());
            texts.push((id.clone(), v["text"].as_str().unwrap().to_string()));
            input.extend(
                serde_json::json!({"id": id, "text": v["text"]})
                    .to_string()
                    .bytes(),
            );
            input.push(b'\n');
        }
    }
    let out = run(&["code", "-q", "-"], &input, 600);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(check_records(&out.stdout, &texts) > 0);
}

#[cfg(unix)]
#[test]
fn directory_cycles_and_fifos_neither_repeat_nor_block() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.txt"), CLEAN).unwrap();
    std::fs::write(dir.path().join("sub/b.txt"), CLEAN).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("x")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("y")).unwrap();
    let fifo = dir.path().join("sub/f.txt");
    let has_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let out = run(&["code", dir.path().to_str().unwrap()], b"", 60);
    assert!(out.status.success(), "{}", stderr(&out));
    let articles: HashSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["article_id"].to_string())
        .collect();
    assert_eq!(articles.len(), 2, "{articles:?}");
    assert!(
        stderr(&out).contains("dyad: 2 articles"),
        "{}",
        stderr(&out)
    );
    if has_fifo {
        assert!(
            stderr(&out).contains("f.txt (not a regular file)"),
            "{}",
            stderr(&out)
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_loudly_in_every_command() {
    let example = root().join("examples/articles.jsonl");
    let example = example.to_str().unwrap();
    let commands: [&[&str]; 7] = [
        &["code", example],
        &["annotate", example],
        &["parse", example],
        &["quotes", example],
        &["explain", CLEAN],
        &["actors", "lookup", "President Joe Biden"],
        &["bench", "--seconds", "0", example],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let child = dyad()
            .args(args)
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = finish(child, Duration::from_secs(120), &args.join(" "));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("No space left on device"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_closed_pipe_ends_every_reading_command_promptly() {
    // 40 copies of the examples: minutes of work if the command read on.
    let one = std::fs::read(root().join("examples/articles.jsonl")).unwrap();
    let input: Vec<u8> = (0..40).flat_map(|_| one.iter().copied()).collect();
    for cmd in ["code", "annotate", "parse", "quotes"] {
        let mut child = dyad()
            .args([cmd, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let data = input.clone();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
        let mut first = [0u8; 1];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let out = finish(child, Duration::from_secs(60), cmd);
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        writer.join().unwrap();
    }
}
