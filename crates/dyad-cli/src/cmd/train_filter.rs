//! `dyad train --event-filter`: the learned decision over candidate events, trained on the
//! VOA dev gold. Reports a story-level cross-validation (the honest dev estimate: each
//! fold's stories are scored with a model that never saw them) and writes the model trained
//! on all dev stories.

use crate::cmd::eval_news::{gold_articles, records_of};
use anyhow::{Context, Result};
use dyad::Pipeline;
use dyad_core::Doc;
use dyad_eval::realnews::{self, GoldStory, RealScore};
use dyad_events::filter::{self, EventFilter};
use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

const FOLDS: usize = 4;
const EPOCHS: usize = 10;

/// One story: its gold, the unfiltered coding, and per event its features and label.
struct Example {
    gold: GoldStory,
    records: Vec<Value>,
    features: Vec<Vec<String>>,
    labels: Vec<Option<bool>>,
}

fn examples(gold_dir: &Path, stories: &Path) -> Result<Vec<Example>> {
    let pipeline = Pipeline::builtin()?.with_event_filter(EventFilter::default());
    let pairs = gold_articles(gold_dir, stories)?;
    let docs: Vec<(GoldStory, Doc)> = pairs
        .into_par_iter()
        .map(|(g, a)| (g, pipeline.run(a)))
        .collect();
    Ok(docs
        .into_iter()
        .map(|(gold, doc)| {
            let records = records_of(&doc);
            let features = doc
                .events
                .iter()
                .map(|e| filter::features(&doc, e))
                .collect();
            let labels = realnews::label_records(&gold, &records);
            Example {
                gold,
                records,
                features,
                labels,
            }
        })
        .collect())
}

fn training_set<'a>(ex: impl Iterator<Item = &'a Example>) -> Vec<(Vec<String>, bool)> {
    ex.flat_map(|e| {
        e.features
            .iter()
            .zip(&e.labels)
            .filter_map(|(f, l)| l.map(|keep| (f.clone(), keep)))
    })
    .collect()
}

/// The story's records the model keeps.
fn kept(model: &EventFilter, e: &Example) -> Vec<Value> {
    e.records
        .iter()
        .zip(&e.features)
        .filter(|(_, f)| model.score(f) >= 0.0)
        .map(|(r, _)| r.clone())
        .collect()
}

fn line(name: &str, s: &RealScore) -> String {
    format!(
        "{name}: types P={:.3} R={:.3} F1={:.3}; events P={:.3} R={:.3} F1={:.3}",
        s.types.precision(),
        s.types.recall(),
        s.types.f1(),
        s.events.precision(),
        s.events.recall(),
        s.events.f1()
    )
}

/// The score below which an event is dropped, tried on held-out stories: the model is
/// trained on few examples, so dropping only what it is fairly sure of may serve better.
const THRESHOLDS: &[f32] = &[0.0, -0.25, -0.5, -1.0, -2.0];

/// Cross-validated scores with the filter at each threshold.
fn cross_validate(ex: &[Example]) -> (RealScore, Vec<RealScore>) {
    let mut without = Vec::new();
    let mut with: Vec<Vec<(GoldStory, Vec<Value>)>> = vec![Vec::new(); THRESHOLDS.len()];
    for fold in 0..FOLDS {
        let train = training_set(
            ex.iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS != fold)
                .map(|(_, e)| e),
        );
        let weights = filter::train(&train, EPOCHS);
        for (_, e) in ex.iter().enumerate().filter(|(i, _)| i % FOLDS == fold) {
            without.push((e.gold.clone(), e.records.clone()));
            for (k, &t) in THRESHOLDS.iter().enumerate() {
                let model = EventFilter::from_weights(shifted(&weights, t));
                with[k].push((e.gold.clone(), kept(&model, e)));
            }
        }
    }
    (
        realnews::score_real(&without),
        with.iter().map(|w| realnews::score_real(w)).collect(),
    )
}

/// The weights with the decision threshold moved into the bias.
fn shifted(
    weights: &std::collections::HashMap<String, f32>,
    t: f32,
) -> std::collections::HashMap<String, f32> {
    let mut w = weights.clone();
    *w.entry("bias".into()).or_default() -= t;
    w
}

pub(crate) fn train_event_filter(gold_dir: &Path, stories: &Path, out: &Path) -> Result<ExitCode> {
    if crate::cmd::missing("train", stories) {
        return Ok(ExitCode::SUCCESS);
    }
    let ex = examples(gold_dir, stories)?;
    let (before, after) = cross_validate(&ex);
    println!("{}", line("rules alone", &before));
    for (t, s) in THRESHOLDS.iter().zip(&after) {
        println!(
            "{}",
            line(
                &format!("rules + filter at {t:+.2} ({FOLDS}-fold by story)"),
                s
            )
        );
    }
    let (best, best_score) = THRESHOLDS
        .iter()
        .zip(&after)
        .max_by(|a, b| a.1.types.f1().total_cmp(&b.1.types.f1()))
        .expect("thresholds");
    let all = training_set(ex.iter());
    let weights = shifted(&filter::train(&all, EPOCHS), *best);
    let header = format!(
        "# Event filter weights (averaged perceptron, {EPOCHS} epochs) over candidate events,\n\
         # trained by `dyad train --event-filter` on {} VOA dev stories ({} candidate events);\n\
         # threshold {best:+.2} (in the bias). {FOLDS}-fold cross-validation by story on dev:\n\
         # type F1 {:.3} -> {:.3}, event F1 {:.3} -> {:.3}.\n",
        ex.len(),
        all.len(),
        before.types.f1(),
        best_score.types.f1(),
        before.events.f1(),
        best_score.events.f1()
    );
    // Kept only when it helps on held-out stories; otherwise the file stays empty.
    let better =
        best_score.types.f1() > before.types.f1() && best_score.events.f1() >= before.events.f1();
    let text = if better {
        EventFilter::to_tsv(&weights, &header)
    } else {
        format!("{header}# Not better than the rules alone on held-out stories: no weights.\n")
    };
    std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}
