//! `dyad eval` on places: event locations (`shared/peer/event_location/`) and the VOA
//! place gold (`gold/places/voa.tsv`), each reported on its dev and test halves.

use crate::cmd::eval_news::{annotate_all, article, read_stories};
use anyhow::{anyhow, Context, Result};
use dyad::Pipeline;
use dyad_core::Article;
use dyad_eval::places::{self, LocationCase, LocationScore, ResolutionScore};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The data set's JSON text: `labeled_text.jsonl` beside or inside its zip.
fn location_text(path: &Path) -> Result<String> {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    let plain = dir.join("labeled_text.jsonl");
    if plain.exists() {
        return std::fs::read_to_string(&plain)
            .with_context(|| format!("reading {}", plain.display()));
    }
    let zip = if path.is_dir() {
        dir.join("labeled_text.jsonl.zip")
    } else {
        path.to_path_buf()
    };
    let bytes = std::fs::read(&zip).with_context(|| format!("reading {}", zip.display()))?;
    let entries = places::unzip(&bytes).map_err(|e| anyhow!("{}: {e}", zip.display()))?;
    let (_, data) = entries
        .into_iter()
        .find(|(name, _)| name.ends_with("labeled_text.jsonl") && !name.contains("__MACOSX"))
        .ok_or_else(|| anyhow!("{}: no labeled_text.jsonl inside", zip.display()))?;
    String::from_utf8(data).context("labeled_text.jsonl is not UTF-8")
}

pub(crate) fn eval_event_location(pipeline: &Pipeline, path: &Path, errors: usize) -> Result<()> {
    let cases = places::parse_locations(&location_text(path)?).map_err(|e| anyhow!("{e}"))?;
    let articles: Vec<Article> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| Article::new(i.to_string(), c.text.clone()))
        .collect();
    let anns = annotate_all(pipeline, articles);
    let mut scores: BTreeMap<String, LocationScore> = BTreeMap::new();
    let mut listed = 0;
    for (c, ann) in cases.iter().zip(&anns) {
        let records = ann
            .get("events")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let set = if c.relabel { "RELABEL" } else { "other" };
        for key in [
            format!("{set} {}", places::split_of(&c.id)),
            format!("{set} all"),
            "accepted all".into(),
        ] {
            places::score_location(c, &records, scores.entry(key).or_default());
        }
        // Errors are listed from the dev half only, so that test stays unread.
        let dev = places::split_of(&c.id) == "dev";
        if c.relabel && dev && listed < errors && list_error(c, &records) {
            listed += 1;
        }
    }
    for key in ["RELABEL dev", "RELABEL test", "RELABEL all", "accepted all"] {
        let s = scores.get(key).cloned().unwrap_or_default();
        println!(
            "event location {key:<12}: placed right {}/{} = {:.2} where coded at the gold verb ({} of {} records coded there); missed {}, wrong {}, spurious {}",
            s.right, s.coded, s.rate(), s.coded, s.records, s.missed, s.wrong, s.spurious
        );
    }
    Ok(())
}

/// Prints a RELABEL record whose place dyad got wrong; whether it did.
fn list_error(c: &LocationCase, records: &[Value]) -> bool {
    let mut s = LocationScore::default();
    places::score_location(c, records, &mut s);
    if s.coded == 0 || s.right == 1 {
        return false;
    }
    let slice = |a: usize, b: usize| c.text.chars().skip(a).take(b - a).collect::<String>();
    let gold: Vec<String> = c.places.iter().map(|&(a, b)| slice(a, b)).collect();
    let got = records
        .iter()
        .find(|r| {
            r["trigger"]["start"].as_u64().is_some_and(|t| {
                (t as usize) < c.verb.1
                    && c.verb.0 < r["trigger"]["end"].as_u64().unwrap_or(0) as usize
            })
        })
        .map(|r| {
            (
                r["event_loc"]["extracted_place"].clone(),
                r["event_loc"]["method"].clone(),
            )
        });
    println!(
        "miss {} [{} {}] gold {gold:?} got {got:?}: {}",
        c.id.trim(),
        places::split_of(&c.id),
        slice(c.verb.0, c.verb.1),
        c.text
    );
    true
}

pub(crate) fn eval_places(
    pipeline: &Pipeline,
    gold_path: &Path,
    stories: &Path,
    errors: usize,
) -> Result<()> {
    if crate::cmd::missing("eval", stories) {
        return Ok(());
    }
    let text = std::fs::read_to_string(gold_path)
        .with_context(|| format!("reading {}", gold_path.display()))?;
    let gold =
        places::parse_gold_places(&text).map_err(|e| anyhow!("{}: {e}", gold_path.display()))?;
    let by_id = read_stories(stories)?;
    let mut ids: Vec<&String> = gold.iter().map(|g| &g.story).collect();
    ids.dedup();
    let mut bad = 0;
    let mut articles = Vec::new();
    for id in &ids {
        let story = by_id
            .get(*id)
            .ok_or_else(|| anyhow!("no story {id} in {}", stories.display()))?;
        articles.extend(article(
            story.clone(),
            &stories.display().to_string(),
            1,
            &mut bad,
        ));
    }
    let anns: HashMap<String, Value> = ids
        .iter()
        .map(|s| s.to_string())
        .zip(annotate_all(pipeline, articles))
        .collect();
    for split in ["dev", "test", "all"] {
        let part: Vec<_> = gold
            .iter()
            .filter(|g| split == "all" || places::split_of(&g.story) == split)
            .cloned()
            .collect();
        let s = places::score_places(&part, &anns);
        print_resolution(split, &s);
        // Errors are listed from the dev half only, so that test stays unread.
        if split == "dev" {
            for e in s.errors.iter().take(errors) {
                println!("miss {} {:?} gold {} got {}", e.0, e.1, e.2, e.3);
            }
        }
    }
    Ok(())
}

fn print_resolution(split: &str, s: &ResolutionScore) {
    let r = |n: usize| n as f64 / s.mentions.max(1) as f64;
    println!(
        "place resolution {split:<4}: {} gold mentions; found {:.2} ({}/{}); exact entry {:.2} ({}/{}); right country {:.2} ({}/{})",
        s.mentions, r(s.found), s.found, s.mentions, r(s.exact), s.exact, s.mentions, r(s.country), s.country, s.mentions
    );
}
