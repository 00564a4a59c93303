//! `POST /api/explain`: how a coded document came about, sentence by sentence, as JSON
//! (what `dyad explain` prints as text): the analysis, the actors with the dictionary rows
//! behind them, and each event with the pattern that fired and its participants.

use dyad_core::Doc;
use serde_json::{json, Value};

/// The explanation of every sentence of `doc`.
pub fn explain(doc: &Doc) -> Value {
    let sentences: Vec<Value> = (0..doc.sentences.len()).map(|s| sentence(doc, s)).collect();
    json!({ "sentences": sentences })
}

fn sentence(doc: &Doc, s: usize) -> Value {
    let sent = &doc.sentences[s];
    let toks = doc.sentence_tokens(s);
    let parsed = toks
        .iter()
        .all(|t| t.syntax.as_ref().is_some_and(|x| !x.deprel.is_empty()));
    let tokens: Vec<Value> = toks
        .iter()
        .enumerate()
        .map(|(k, t)| token(doc, sent.tokens.start + k, t, sent.tokens.start))
        .collect();
    let actors: Vec<Value> = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.sentence == s)
        .map(|(i, _)| mention(doc, i))
        .collect();
    let events: Vec<Value> = doc
        .events
        .iter()
        .filter(|e| e.sentence == s)
        .map(|e| event(doc, e))
        .collect();
    json!({
        "text": doc.slice(sent.span),
        "parsed": parsed,
        "tokens": tokens,
        "actors": actors,
        "events": events,
    })
}

fn token(doc: &Doc, i: usize, t: &dyad_core::Token, first: usize) -> Value {
    let name = doc
        .names
        .iter()
        .find(|n| n.span.start <= t.span.start && t.span.end <= n.span.end)
        .map(|n| n.label.clone());
    let mut v = json!({ "text": doc.token_text(i), "name": name });
    if let Some(x) = &t.syntax {
        v["upos"] = x.upos.clone().into();
        v["xpos"] = x.xpos.clone().into();
        v["lemma"] = x.lemma.clone().into();
        // 1-based within the sentence, 0 for the root, as in CoNLL-U.
        v["head"] = x.head.map_or(0, |h| h + 1 - first).into();
        v["deprel"] = x.deprel.clone().into();
    }
    v
}

fn mention(doc: &Doc, i: usize) -> Value {
    let e = &doc.entities[i];
    json!({
        "index": i,
        "text": doc.slice(e.span),
        "cameo": e.actor.cameo(),
        "kind": e.kind,
        "identifier": e.actor.identifier,
        "confidence": short(e.confidence),
        "rule": e.rule,
    })
}

fn event(doc: &Doc, ev: &dyad_core::Event) -> Value {
    let side = |ids: &[usize]| -> Vec<Value> { ids.iter().map(|&i| mention(doc, i)).collect() };
    json!({
        "type": ev.plover,
        "cameo": ev.cameo,
        "trigger": doc.slice(ev.trigger),
        "confidence": short(ev.confidence),
        "rule": ev.rule,
        "actor": side(&ev.actors),
        "recipient": side(&ev.recipients),
        "context": ev.context,
        "date": ev.when.as_ref().map(|w| json!({"date": w.date, "from": doc.slice(w.span)})),
        "place": ev.place.as_ref().map(|p| json!({"text": doc.slice(p.span), "country": p.country_code})),
        "claimed_by": ev.attribution.as_ref().map(|a| json!({
            "speaker": a.speaker.map(|i| mention(doc, i)),
            "cue": doc.slice(a.cue),
        })),
    })
}

/// An f32 as the f64 of its shortest decimal form (0.9, not 0.8999999761581421), as the
/// records print it.
fn short(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}
