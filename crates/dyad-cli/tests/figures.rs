//! The README's figures, protected: each development figure must hold (with a small margin
//! below the measured value). Where `../shared` is present (development machine, CI) the data
//! must be there too: a missing file fails the test instead of skipping it. Without
//! `../shared` at all (a bare clone elsewhere) they skip.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The data file under `../shared`, or `None` when there is no `../shared` at all.
fn shared(rel: &str) -> Option<PathBuf> {
    let base = root().join("../shared");
    if !base.is_dir() {
        eprintln!("skipping: no ../shared beside the repository");
        return None;
    }
    let p = base.join(rel);
    assert!(
        p.exists(),
        "../shared is present but {} is missing",
        p.display()
    );
    Some(p)
}

/// `dyad eval ARGS...` and its stdout.
fn eval(args: &[&str]) -> String {
    let out = Command::cargo_bin("dyad")
        .unwrap()
        .current_dir(root())
        .arg("eval")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The number after `key` on the first line starting with `line`.
fn figure(text: &str, line: &str, key: &str) -> f64 {
    let l = text
        .lines()
        .find(|l| l.starts_with(line))
        .unwrap_or_else(|| panic!("no line {line:?} in\n{text}"));
    let rest = &l[l.find(key).unwrap_or_else(|| panic!("no {key:?} in {l}")) + key.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse().unwrap()
}

#[test]
fn voa_dev_gold() {
    let Some(stories) = shared("corpora/voa/voa_stories.jsonl") else {
        return;
    };
    let out = eval(&["gold/voa/dev", "--stories", stories.to_str().unwrap()]);
    assert!(
        out.contains("real news: 28 stories, 905 sentences"),
        "{out}"
    );
    assert!(figure(&out, "event types:", "F1=") >= 0.50, "{out}");
    assert!(
        figure(&out, "events (type + actor + recipient):", "F1=") >= 0.40,
        "{out}"
    );
    assert!(
        figure(&out, "sentences with an event:", "F1=") >= 0.65,
        "{out}"
    );
}

#[test]
fn case2021_snippets() {
    let Some(tsv) = shared("peer/case2021/test_set_final_release_with_labels.tsv") else {
        return;
    };
    let out = eval(&[tsv.to_str().unwrap()]);
    assert!(
        figure(&out, "CASE 2021 task 2:", "type accuracy ") >= 0.76,
        "{out}"
    );
}

#[test]
fn india_police_events() {
    let Some(dir) = shared("peer/india_police_events") else {
        return;
    };
    let out = eval(&[dir.to_str().unwrap()]);
    assert!(
        figure(&out, "IndiaPoliceEvents:", "boundaries recovered ") >= 88.0,
        "{out}"
    );
    assert!(
        figure(&out, "IndiaPoliceEvents:", "after sentence punctuation ") >= 97.5,
        "{out}"
    );
    assert!(figure(&out, "ARREST", "F1=") >= 0.62, "{out}");
    assert!(figure(&out, "ANY_ACTION", "F1=") >= 0.33, "{out}");
}

#[test]
fn plover_gold_and_petrarch_suite() {
    let Some(plover) = shared("peer/plover/PLOVER_GSR_CAMEO.json") else {
        return;
    };
    let out = eval(&[plover.to_str().unwrap()]);
    assert!(figure(&out, "PLOVER gold records:", "F1=") >= 0.48, "{out}");
    let suite = shared("peer/petrarch2/validation.jsonl").unwrap();
    let dicts = shared("peer/petrarch2/dictionaries").unwrap();
    let out = eval(&[
        suite.to_str().unwrap(),
        "--dictionaries",
        dicts.to_str().unwrap(),
    ]);
    assert!(figure(&out, "petrarch unit suite:", "= ") >= 59.1, "{out}");
    // gsr_validation's record with an impossible date is skipped, not fatal.
    let gsr = shared("peer/petrarch2/universalpetrarch/gsr_validation.jsonl").unwrap();
    let out = eval(&[gsr.to_str().unwrap()]);
    assert!(out.contains("/78 = "), "{out}");
}

#[test]
fn event_location_dev() {
    let Some(dir) = shared("peer/event_location") else {
        return;
    };
    let out = eval(&[dir.to_str().unwrap()]);
    assert!(
        figure(&out, "event location RELABEL dev", "= ") >= 0.80,
        "{out}"
    );
    assert!(
        figure(&out, "event location RELABEL test", "= ") >= 0.70,
        "{out}"
    );
}

#[test]
fn place_resolution_dev() {
    let Some(stories) = shared("corpora/voa/voa_stories.jsonl") else {
        return;
    };
    let out = eval(&[
        "gold/places/voa.tsv",
        "--stories",
        stories.to_str().unwrap(),
    ]);
    assert!(
        out.contains("place resolution all : 572 gold mentions"),
        "{out}"
    );
    assert!(
        figure(&out, "place resolution dev", "exact entry ") >= 0.95,
        "{out}"
    );
    assert!(
        figure(&out, "place resolution dev", "right country ") >= 0.95,
        "{out}"
    );
    assert!(
        figure(&out, "place resolution test", "exact entry ") >= 0.85,
        "{out}"
    );
}

#[test]
fn held_out_place_sets_are_read_whole() {
    let Some(stories) = shared("corpora/voa/voa_stories.jsonl") else {
        return;
    };
    // The VOA event-location set: a plain labeled_text.jsonl folder, every record read.
    let out = eval(&["gold/event_location"]);
    assert!(out.contains("of 159 records coded there"), "{out}");
    assert!(
        figure(&out, "event location RELABEL all", "= ") >= 0.80,
        "{out}"
    );
    for (file, n) in [
        ("gold/places/voa-fresh.tsv", 324),
        ("gold/places/voa-fresh2.tsv", 344),
        ("gold/places/voa-fresh3.tsv", 356),
        ("gold/places/voa-fresh4.tsv", 280),
        ("gold/places/voa-fresh5.tsv", 485),
    ] {
        let out = eval(&[file, "--stories", stories.to_str().unwrap()]);
        let all = format!("place resolution all : {n} gold mentions");
        assert!(out.contains(&all), "{file}: {out}");
        assert!(
            figure(&out, "place resolution all", "exact entry ") >= 0.90,
            "{file}: {out}"
        );
        assert!(
            figure(&out, "place resolution all", "right country ") >= 0.93,
            "{file}: {out}"
        );
    }
}
