//! `dyad eval`: score the coder on the gold suites.

use crate::cmd::eval_geo::{eval_event_location, eval_places};
use crate::cmd::eval_news::{eval_case, eval_police, eval_voa};
use crate::cmd::*;
use crate::SuiteKind;
use anyhow::{bail, Context, Result};
use dyad::input::{self, ReadOptions};
use dyad::Pipeline;
use dyad_eval::{PetrarchScore, PloverScore, SuiteInput};
use dyad_output::Writer;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Codes suite inputs in-process and returns their PLOVER records as JSON values, as
/// `dyad code` would print them.
/// Also returns, per record, the actor codes of every entity found in its text.
pub(crate) fn code_suite(pipeline: &Pipeline, inputs: &[&SuiteInput]) -> Result<SuiteOutput> {
    let mut by_id: HashMap<String, Vec<Value>> = HashMap::new();
    let mut entity_codes: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut bad = 0;
    for (n, inp) in inputs.iter().enumerate() {
        let line = serde_json::json!({"id": inp.id, "date": inp.date, "text": inp.text, "config": inp.config});
        // A bad record (one gsr_validation record has an impossible date) is reported and
        // counted; it scores as coded with no events, the rest go on.
        let article =
            match input::parse_record(&line.to_string(), "suite", n + 1, &ReadOptions::default()) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("dyad eval: suite record {} skipped: {e}", inp.id);
                    bad += 1;
                    continue;
                }
            };
        let doc = match pipeline.try_run(article) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("dyad eval: suite record {} skipped: {e}", inp.id);
                bad += 1;
                continue;
            }
        };
        entity_codes
            .entry(inp.id.clone())
            .or_default()
            .extend(doc.entities.iter().map(|e| e.actor.code.clone()));
        let recs = Writer::new(&doc).events();
        by_id.entry(inp.id.clone()).or_default().extend(
            recs.iter()
                .map(|r| serde_json::to_value(r).expect("records serialise")),
        );
    }
    if bad > 0 {
        eprintln!("dyad eval: {bad} suite records skipped (scored as coded with no events)");
    }
    Ok((by_id, entity_codes))
}

pub(crate) type SuiteOutput = (
    HashMap<String, Vec<Value>>,
    HashMap<String, BTreeSet<String>>,
);

/// What to list besides the figures, and where the VOA stories are.
pub(crate) struct Listing {
    pub failures: usize,
    pub errors: usize,
    pub stories: PathBuf,
}

fn guess_kind(suite: &Path) -> Result<SuiteKind> {
    if suite.is_dir() {
        // The event-location set zipped as published, or plain (gold/event_location).
        let location = ["labeled_text.jsonl.zip", "labeled_text.jsonl"];
        return Ok(if location.iter().any(|f| suite.join(f).exists()) {
            SuiteKind::EventLocation
        } else if suite.join("sents.jsonl").exists() {
            SuiteKind::Police
        } else if is_voa_gold(suite) {
            SuiteKind::Voa
        } else {
            bail!(
                "cannot tell the suite kind of the folder {}: no VOA gold (STORY.jsonl files), sents.jsonl or labeled_text.jsonl(.zip) in it; name a suite file or pass --kind",
                suite.display()
            )
        });
    }
    Ok(match suite.extension().and_then(|e| e.to_str()) {
        Some("jsonl") => SuiteKind::Petrarch,
        Some("json") => SuiteKind::Plover,
        Some("zip") => SuiteKind::EventLocation,
        Some("tsv") if is_place_gold(suite) => SuiteKind::Places,
        Some("tsv") => SuiteKind::Case,
        _ => bail!(
            "cannot tell the suite kind of {}; pass --kind petrarch|plover|voa|case|police|event-location|places",
            suite.display()
        ),
    })
}

/// A folder of VOA gold: one `STORY.jsonl` per story, each line a sentence with `story`.
fn is_voa_gold(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let first = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"));
    first.is_some_and(|p| {
        std::fs::read_to_string(&p).is_ok_and(|t| {
            t.lines()
                .next()
                .and_then(|l| serde_json::from_str::<Value>(l).ok())
                .is_some_and(|v| v.get("story").is_some() && v.get("events").is_some())
        })
    })
}

/// A PETRARCH2 folder (`validation.jsonl` in it) stands for its suite file.
fn suite_file(suite: &Path) -> PathBuf {
    let inner = suite.join("validation.jsonl");
    if suite.is_dir() && inner.is_file() {
        inner
    } else {
        suite.to_path_buf()
    }
}

/// A place gold file: its header (after comments) starts with the columns story, start, end.
fn is_place_gold(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| {
        t.lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .is_some_and(|l| l.starts_with("story\tstart\tend"))
    })
}

pub(crate) fn eval(
    suite: &Path,
    kind: Option<SuiteKind>,
    dictionaries: Option<&Path>,
    listing: Listing,
) -> Result<ExitCode> {
    if crate::cmd::missing("eval", suite) {
        return Ok(ExitCode::SUCCESS);
    }
    let suite = &suite_file(suite);
    let kind = match kind {
        Some(k) => k,
        None => guess_kind(suite)?,
    };
    // Dictionaries load exactly as `dyad code --dictionaries` loads them, so that eval agrees
    // with the reference scorer given the same arguments; `DIR/PREFIX` picks one family
    // (`dictionaries/PETR.Validate` for the PETRARCH suite).
    let (dict, verbs) = dictionary(dictionaries, None, false)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let name = suite.display();
    let read =
        || std::fs::read_to_string(suite).with_context(|| format!("reading {}", suite.display()));
    match kind {
        SuiteKind::Voa => eval_voa(&pipeline, suite, &listing.stories, listing.errors)?,
        SuiteKind::Case => eval_case(&pipeline, suite, listing.errors)?,
        SuiteKind::Police => eval_police(&pipeline, suite, listing.errors)?,
        SuiteKind::EventLocation => eval_event_location(&pipeline, suite, listing.errors)?,
        SuiteKind::Places => eval_places(&pipeline, suite, &listing.stories, listing.errors)?,
        SuiteKind::Petrarch => {
            let text = read()?;
            let cases =
                dyad_eval::parse_petrarch(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let (pred, _) = code_suite(
                &pipeline,
                &cases.iter().map(|c| &c.input).collect::<Vec<_>>(),
            )?;
            let s = dyad_eval::score_petrarch(&cases, &pred);
            print_petrarch(&s, listing.failures);
        }
        SuiteKind::Plover => {
            let text = read()?;
            let cases =
                dyad_eval::parse_plover(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let (pred, entity_codes) = code_suite(
                &pipeline,
                &cases.iter().map(|c| &c.input).collect::<Vec<_>>(),
            )?;
            print_plover(&dyad_eval::score_plover(&cases, &pred));
            let (found, total) = dyad_eval::actor_share(&cases, &entity_codes);
            println!(
                "PLOVER gold actor codes found among the sentence's entities: {found}/{total} = {:.1}%",
                100.0 * found as f64 / total.max(1) as f64
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_petrarch(s: &PetrarchScore, failures: usize) {
    for (id, gold, got) in s.failures.iter().take(failures) {
        println!("fail {id} expected {gold:?} got {got:?}");
    }
    println!("{:<10} passed/total", "category");
    for (cat, (p, t)) in &s.by_category {
        println!("{cat:<10} {p}/{t}");
    }
    println!(
        "root-relaxed: strict pass {}/{} = {:.1}%; triples F1={:.3}",
        s.root_passed,
        s.records,
        100.0 * s.root_passed as f64 / s.records.max(1) as f64,
        s.root_triples.f1()
    );
    println!(
        "petrarch unit suite: strict pass {}/{} = {:.1}%; triples P={:.3} R={:.3} F1={:.3} (PETRARCH2: 32.3%, F1 0.413)",
        s.passed,
        s.records,
        100.0 * s.pass_rate(),
        s.triples.precision(),
        s.triples.recall(),
        s.triples.f1()
    );
}

pub(crate) fn print_plover(s: &PloverScore) {
    for (t, (f, n)) in &s.by_type {
        println!("{t:<10} type found {f}/{n}");
    }
    println!(
        "PLOVER gold records: type found {:.1}% of {}; full events P={:.3} R={:.3} F1={:.3}",
        100.0 * s.type_rate(),
        s.records,
        s.precision(),
        s.recall(),
        s.f1()
    );
}
