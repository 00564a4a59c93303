//! `dyad eval` on real-news sets: the project's VOA gold (`gold/voa/`), CASE 2021 task 2
//! snippets and IndiaPoliceEvents. Articles are coded in parallel; scoring reads only the
//! output contract (records and annotations as JSON values).

use anyhow::{anyhow, Context, Result};
use dyad::input::{self, ReadOptions};
use dyad::Pipeline;
use dyad_core::Article;
use dyad_eval::case2021::{self, CaseScore};
use dyad_eval::india::{self, PoliceScore};
use dyad_eval::realnews::{self, GoldStory, RealScore};
use dyad_eval::Prf;
use dyad_output::Writer;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Codes articles in parallel; each gives its `dyad annotate` object as a JSON value (an
/// article that fails with an internal error is reported and scores as coded with nothing).
pub(crate) fn annotate_all(pipeline: &Pipeline, articles: Vec<Article>) -> Vec<Value> {
    articles
        .into_par_iter()
        .map(|a| match pipeline.try_run(a) {
            Ok(doc) => {
                serde_json::to_value(Writer::new(&doc).annotation()).expect("annotations serialise")
            }
            Err(e) => {
                eprintln!("dyad eval: {e}");
                json!({"events": [], "sentences": []})
            }
        })
        .collect()
}

/// An article from a JSON record as `dyad code` would read it; a bad record is reported and
/// left out (counted by the caller), never the end of the run.
pub(crate) fn article(record: Value, origin: &str, n: usize, bad: &mut usize) -> Option<Article> {
    match input::parse_record(&record.to_string(), origin, n, &ReadOptions::default()) {
        Ok(a) => Some(a),
        Err(e) => {
            eprintln!("{origin}:{n}: skipped: {e}");
            *bad += 1;
            None
        }
    }
}

fn events(ann: &Value) -> Vec<Value> {
    ann.get("events")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The gold files under `dir` (a split folder, or `gold/voa` with `dev/` and `test/`).
fn gold_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = entry?.path();
        if p.is_dir() {
            out.extend(gold_files(&p)?);
        } else if p.extension().is_some_and(|e| e == "jsonl") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

pub(crate) fn read_stories(path: &Path) -> Result<HashMap<String, Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = HashMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: malformed JSON", path.display(), i + 1))?;
        let id = v.get("id").and_then(Value::as_str).unwrap_or_default();
        out.insert(id.to_string(), v);
    }
    Ok(out)
}

/// The gold stories under `dir` with their articles (text, date, title and url from the
/// story file).
pub(crate) fn gold_articles(dir: &Path, stories: &Path) -> Result<Vec<(GoldStory, Article)>> {
    let by_id = read_stories(stories)?;
    let mut out = Vec::new();
    let mut bad = 0;
    for path in gold_files(dir)? {
        let id = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let story = by_id
            .get(&id)
            .ok_or_else(|| anyhow!("{}: no story {id} in {}", path.display(), stories.display()))?;
        let text = story
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let jsonl = std::fs::read_to_string(&path)?;
        let g = realnews::parse_gold_story(&id, &jsonl, text)
            .map_err(|e| anyhow!("{}:{e}", path.display()))?;
        if let Some(a) = article(story.clone(), &path.display().to_string(), 1, &mut bad) {
            out.push((g, a));
        }
    }
    Ok(out)
}

/// A document's PLOVER records as JSON values, as `dyad code` prints them.
pub(crate) fn records_of(doc: &dyad_core::Doc) -> Vec<Value> {
    Writer::new(doc)
        .events()
        .iter()
        .map(|r| serde_json::to_value(r).expect("records serialise"))
        .collect()
}

pub(crate) fn eval_voa(
    pipeline: &Pipeline,
    dir: &Path,
    stories: &Path,
    errors: usize,
) -> Result<()> {
    if crate::cmd::missing("eval", stories) {
        return Ok(());
    }
    let (gold, articles): (Vec<GoldStory>, Vec<Article>) =
        gold_articles(dir, stories)?.into_iter().unzip();
    let anns = annotate_all(pipeline, articles);
    let pairs: Vec<(GoldStory, Vec<Value>)> =
        gold.into_iter().zip(anns.iter().map(events)).collect();
    let s = realnews::score_real(&pairs);
    print_voa(&s, errors);
    Ok(())
}

fn prf(p: &Prf) -> String {
    format!(
        "P={:.3} R={:.3} F1={:.3} (tp {} fp {} fn {})",
        p.precision(),
        p.recall(),
        p.f1(),
        p.tp,
        p.fp,
        p.fn_
    )
}

fn print_voa(s: &RealScore, errors: usize) {
    for e in s.errors.iter().take(errors) {
        println!(
            "{} {}:{} {}\n    {}",
            e.kind, e.story, e.sent, e.event, e.sentence
        );
    }
    println!(
        "{:<10} {:>5} {:>5} {:>5}  P     R     F1",
        "type", "tp", "fp", "fn"
    );
    for (t, p) in &s.by_type {
        println!(
            "{t:<10} {:>5} {:>5} {:>5}  {:.3} {:.3} {:.3}",
            p.tp,
            p.fp,
            p.fn_,
            p.precision(),
            p.recall(),
            p.f1()
        );
    }
    print_confusion(s);
    println!(
        "real news: {} stories, {} sentences, {} gold events, {} coded (negated left out)",
        s.stories, s.sentences, s.gold_events, s.coded_events
    );
    println!("sentences with an event: {}", prf(&s.event_sentences));
    println!(
        "event types: {}; macro F1 {:.3}",
        prf(&s.types),
        s.macro_f1()
    );
    println!("events (type + actor + recipient): {}", prf(&s.events));
    println!(
        "on {} event pairs: mode {:.1}%, auxiliary modes {:.1}%, claimed {:.1}%; speaker {}/{}",
        s.pairs,
        100.0 * s.share(s.mode_agree),
        100.0 * s.share(s.aux_agree),
        100.0 * s.share(s.claimed_agree),
        s.speaker_agree,
        s.speakers
    );
}

fn print_confusion(s: &RealScore) {
    let mut rows: Vec<(&(String, String), &usize)> =
        s.confusion.iter().filter(|((g, c), _)| g != c).collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!("most frequent confusions (gold -> coded, '-' for none):");
    for ((g, c), n) in rows.into_iter().take(15) {
        println!("  {g:<10} -> {c:<10} {n}");
    }
}

pub(crate) fn eval_case(pipeline: &Pipeline, path: &Path, errors: usize) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let snippets = case2021::parse_case(&text).map_err(|e| anyhow!("{}:{e}", path.display()))?;
    let map = case2021::mapping().map_err(|e| anyhow!("{e}"))?;
    let mut bad = 0;
    let (ids, articles): (Vec<String>, Vec<Article>) = snippets
        .iter()
        .enumerate()
        .filter_map(|(n, s)| {
            let rec = json!({"id": s.id, "text": s.text});
            article(rec, &path.display().to_string(), n + 2, &mut bad).map(|a| (s.id.clone(), a))
        })
        .unzip();
    let anns = annotate_all(pipeline, articles);
    let pred: HashMap<String, Vec<Value>> = ids.into_iter().zip(anns.iter().map(events)).collect();
    let s = case2021::score_case(&snippets, &map, &pred);
    print_case(&s, errors, &snippets);
    Ok(())
}

fn print_case(s: &CaseScore, errors: usize, snippets: &[case2021::CaseSnippet]) {
    let text: HashMap<&str, &str> = snippets
        .iter()
        .map(|x| (x.id.as_str(), x.text.as_str()))
        .collect();
    for (id, gold, got) in s.errors.iter().take(errors) {
        let t: String = text
            .get(id.as_str())
            .unwrap_or(&"")
            .chars()
            .take(160)
            .collect();
        println!("wrong {id} {gold} -> {got}\n    {t}");
    }
    for (t, (ok, n)) in &s.by_type {
        println!("{t:<30} {ok}/{n}");
    }
    println!(
        "CASE 2021 task 2: {} snippets mapped to PLOVER: type accuracy {:.3} (top coded type), gold type among coded {:.3}, nothing coded {}; {} left out (no PLOVER type), {} of them coded with an event",
        s.mapped,
        s.accuracy(),
        s.found_rate(),
        s.empty,
        s.excluded,
        s.excluded_coded
    );
}

pub(crate) fn eval_police(pipeline: &Pipeline, dir: &Path, errors: usize) -> Result<()> {
    let read = |name: &str| -> Result<String> {
        let p = dir.join(name);
        std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
    };
    let docs = india::parse_police(&read("metadata.jsonl")?, &read("sents.jsonl")?)
        .map_err(|e| anyhow!("{}: {e}", dir.display()))?;
    let mut bad = 0;
    let (ids, articles): (Vec<String>, Vec<Article>) = docs
        .iter()
        .enumerate()
        .filter_map(|(n, d)| {
            let rec = json!({"id": d.id, "date": d.date, "text": d.text});
            article(rec, "metadata.jsonl", n + 1, &mut bad).map(|a| (d.id.clone(), a))
        })
        .unzip();
    let anns = annotate_all(pipeline, articles);
    let by_id: HashMap<String, Value> = ids.into_iter().zip(anns).collect();
    print_police(&india::score_police(&docs, &by_id), bad, errors);
    Ok(())
}

fn print_police(s: &PoliceScore, bad: usize, errors: usize) {
    for e in s.errors.iter().take(errors) {
        let what = if e.missed { "missed" } else { "false" };
        let text = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
        println!("{what} {} doc {}: {text}", e.label, e.doc);
    }
    for (label, p) in &s.labels {
        println!("{label:<11} {}", prf(p));
    }
    println!(
        "ANY_ACTION with police statements (\"..., police said\"; the set counts them) {}",
        prf(&s.with_statements)
    );
    println!(
        "IndiaPoliceEvents: {} documents ({bad} skipped), {} gold sentences; sentence boundaries recovered {:.1}% (precision {:.1}%); after sentence punctuation {:.1}% of {}",
        s.docs,
        s.sentences,
        100.0 * s.boundary_recall(),
        100.0 * s.boundaries.precision(),
        100.0 * s.punctuated.recall(),
        s.punctuated.tp + s.punctuated.fn_
    );
}
