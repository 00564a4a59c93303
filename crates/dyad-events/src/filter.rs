//! A learned decision over the coder's candidate events: is this a reported event? A
//! linear model (averaged perceptron) over features of the event, its trigger, its
//! participants and its rule, trained by `dyad train --event-filter` on the project's
//! real-news gold (`gold/voa/dev`) and stored as a TSV of weights
//! (`data/event_filter.tsv`). Rules find candidates; the model only removes.

use dyad_core::{Doc, Event, Stage};
use std::collections::HashMap;

use crate::lexicon::DataError;

const WEIGHTS: &str = include_str!("../data/event_filter.tsv");

/// Feature names of one event (sparse, binary).
pub fn features(doc: &Doc, e: &Event) -> Vec<String> {
    let mut f = Vec::with_capacity(24);
    let kind = e.plover.first().map_or("-", String::as_str);
    let trigger = doc.slice(e.trigger).to_lowercase();
    let tok = doc.token_at(e.trigger.start);
    let syn = doc.tokens.get(tok).and_then(|t| t.syntax.as_ref());
    let upos = syn.map_or("-", |s| s.upos.as_str());
    let deprel = syn.map_or("-", |s| s.deprel.split(':').next().unwrap_or("-"));
    let lemma = syn
        .map_or(trigger.as_str(), |s| s.lemma.as_str())
        .to_lowercase();
    f.push("bias".into());
    f.push(format!("type={kind}"));
    f.push(format!("cameo2={}", e.cameo.get(0..2).unwrap_or("")));
    f.push(format!("lemma={lemma}"));
    f.push(format!("type_upos={kind}_{upos}"));
    f.push(format!("deprel={deprel}"));
    f.push(format!("type_deprel={kind}_{deprel}"));
    let coded = |ids: &[usize]| ids.iter().any(|&i| !doc.entities[i].actor.code.is_empty());
    f.push(format!(
        "actor={}",
        match (e.actors.is_empty(), coded(&e.actors)) {
            (true, _) => "none",
            (false, true) => "coded",
            (false, false) => "uncoded",
        }
    ));
    f.push(format!("recipient={}", !e.recipients.is_empty()));
    f.push(format!("type_actor={kind}_{}", !e.actors.is_empty()));
    f.push(format!("claimed={}", e.attribution.is_some()));
    for c in &e.context {
        f.push(format!("context={c}"));
    }
    for part in e.rule.split("; ") {
        if let Some(how) = part.strip_prefix("actor: ") {
            f.push(format!("why_actor={how}"));
        } else if let Some(how) = part.strip_prefix("recipient: ") {
            f.push(format!("why_recipient={how}"));
        }
    }
    f.push(format!("origin={}", e.rule.split(':').next().unwrap_or("")));
    f.push(format!("passive={}", e.rule.contains("(passive)")));
    f.push(format!("multiword={}", trigger.contains(' ')));
    let sentence = &doc.sentences[e.sentence];
    let words = sentence.tokens.len();
    f.push(format!("long={}", words > 40));
    let pos = tok.saturating_sub(sentence.tokens.start) * 3 / words.max(1);
    f.push(format!("third={pos}"));
    f
}

/// The model: feature weights and the stage that applies them.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    weights: HashMap<String, f32>,
}

impl EventFilter {
    /// The shipped weights; an empty file means no filtering.
    pub fn builtin() -> Result<Self, DataError> {
        Self::parse("event_filter.tsv", WEIGHTS)
    }

    /// `feature<TAB>weight` lines; `#` comments.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut weights = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, w) = line
                .rsplit_once('\t')
                .ok_or_else(|| DataError::new(file, i + 1, "expected feature<TAB>weight"))?;
            let w: f32 = w
                .parse()
                .map_err(|_| DataError::new(file, i + 1, format!("bad weight {w:?}")))?;
            weights.insert(name.to_string(), w);
        }
        Ok(EventFilter { weights })
    }

    pub fn from_weights(weights: HashMap<String, f32>) -> Self {
        EventFilter { weights }
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    pub fn score(&self, features: &[String]) -> f32 {
        features.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    /// Writes the model as TSV, strongest weights first.
    pub fn to_tsv(weights: &HashMap<String, f32>, header: &str) -> String {
        let mut rows: Vec<(&String, &f32)> = weights.iter().filter(|(_, w)| **w != 0.0).collect();
        rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
        let mut out = String::from(header);
        for (f, w) in rows {
            out.push_str(&format!("{f}\t{w:.4}\n"));
        }
        out
    }
}

/// An averaged perceptron for keep (true) / drop (false), trained over several epochs in
/// a fixed order (deterministic).
pub fn train(examples: &[(Vec<String>, bool)], epochs: usize) -> HashMap<String, f32> {
    let mut w: HashMap<String, f32> = HashMap::new();
    let mut total: HashMap<String, f32> = HashMap::new();
    let mut stamp: HashMap<String, usize> = HashMap::new();
    let mut step = 0usize;
    for _ in 0..epochs {
        for (feats, keep) in examples {
            step += 1;
            let score: f32 = feats.iter().filter_map(|f| w.get(f)).sum();
            if (score >= 0.0) != *keep {
                let delta = if *keep { 1.0 } else { -1.0 };
                for f in feats {
                    let last = stamp.get(f).copied().unwrap_or(0);
                    let cur = w.get(f).copied().unwrap_or(0.0);
                    *total.entry(f.clone()).or_default() += cur * (step - last) as f32;
                    stamp.insert(f.clone(), step);
                    w.insert(f.clone(), cur + delta);
                }
            }
        }
    }
    w.iter()
        .map(|(f, &cur)| {
            let last = stamp.get(f).copied().unwrap_or(0);
            let sum = total.get(f).copied().unwrap_or(0.0) + cur * (step - last) as f32;
            (f.clone(), sum / step.max(1) as f32)
        })
        .collect()
}

/// Removes the events the model scores below zero (nothing when it has no weights).
pub struct EventFilterStage {
    model: EventFilter,
}

impl EventFilterStage {
    pub fn new(model: EventFilter) -> Self {
        EventFilterStage { model }
    }
    pub fn builtin() -> Result<Self, DataError> {
        Ok(Self::new(EventFilter::builtin()?))
    }
}

impl Stage for EventFilterStage {
    fn name(&self) -> &'static str {
        "event filter"
    }
    fn process(&self, doc: &mut Doc) {
        if self.model.is_empty() {
            return;
        }
        let keep: Vec<bool> = doc
            .events
            .iter()
            .map(|e| self.model.score(&features(doc, e)) >= 0.0)
            .collect();
        let mut i = 0;
        doc.events.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_perceptron_learns_a_separable_rule_and_round_trips() {
        let ex = |f: &[&str], y| (f.iter().map(|s| s.to_string()).collect::<Vec<_>>(), y);
        let data = vec![
            ex(&["bias", "lemma=attack", "actor=coded"], true),
            ex(&["bias", "lemma=support", "actor=none"], false),
            ex(&["bias", "lemma=meet", "actor=coded"], true),
            ex(&["bias", "lemma=support", "actor=coded"], false),
        ];
        let w = train(&data, 10);
        let text = EventFilter::to_tsv(&w, "# test\n");
        let m = EventFilter::parse("t", &text).unwrap();
        for (f, y) in &data {
            assert_eq!(m.score(f) >= 0.0, *y, "{f:?}");
        }
        assert!(EventFilter::parse("t", "x\tnot-a-number\n").is_err());
    }
}
