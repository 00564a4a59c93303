//! The project's own real-news gold (`gold/voa/`, written by the rules in
//! `docs/annotation.md`): every sentence of whole stories, with the events a PLOVER coder
//! should find. Coded events are read through the output contract (`dyad annotate` /
//! `dyad code` records as JSON values) and placed in the gold sentence holding their
//! trigger.

use crate::{as_list, codes, current_type, ratio, Prf, SuiteError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const AUX: &[&str] = &["negation", "future", "hypothetical", "historical"];

#[derive(Clone, Debug, PartialEq)]
pub struct GoldEvent {
    pub kind: String,
    pub mode: Option<String>,
    pub aux: BTreeSet<String>,
    pub trigger: String,
    pub actor: BTreeSet<String>,
    pub recipient: BTreeSet<String>,
    pub claimed: bool,
    pub speaker: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoldSentence {
    pub sent: usize,
    pub text: String,
    /// Character offsets into the story text.
    pub start: usize,
    pub end: usize,
    pub events: Vec<GoldEvent>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoldStory {
    pub id: String,
    pub sentences: Vec<GoldSentence>,
}

#[derive(Deserialize)]
struct RawSentence {
    story: String,
    sent: usize,
    text: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    aux: Vec<String>,
    #[serde(default)]
    trigger: String,
    #[serde(default)]
    actor: Vec<Value>,
    #[serde(default)]
    recipient: Vec<Value>,
    #[serde(default)]
    claimed: bool,
    #[serde(default)]
    speaker: Option<String>,
}

impl RawEvent {
    fn into_gold(self) -> GoldEvent {
        GoldEvent {
            kind: current_type(&self.kind.to_uppercase()),
            mode: self.mode.filter(|m| !m.is_empty()),
            aux: self.aux.into_iter().collect(),
            trigger: self.trigger,
            actor: codes(&self.actor),
            recipient: codes(&self.recipient),
            claimed: self.claimed,
            speaker: self.speaker,
        }
    }
}

/// Reads one story's gold file and finds each sentence in the story text, in order.
pub fn parse_gold_story(id: &str, jsonl: &str, story: &str) -> Result<GoldStory, SuiteError> {
    let mut sentences = Vec::new();
    let (mut pos, mut chars_before) = (0usize, 0usize);
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| SuiteError::Line {
            line: i + 1,
            message,
        };
        let raw: RawSentence = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        if raw.story != id {
            return Err(err(format!(
                "story {:?} in the file of story {id}",
                raw.story
            )));
        }
        let at = story[pos..]
            .find(&raw.text)
            .filter(|_| !raw.text.is_empty())
            .ok_or_else(|| err("sentence not found in the story text".into()))?
            + pos;
        chars_before += story[pos..at].chars().count();
        let len = raw.text.chars().count();
        sentences.push(GoldSentence {
            sent: raw.sent,
            start: chars_before,
            end: chars_before + len,
            events: raw.events.into_iter().map(RawEvent::into_gold).collect(),
            text: raw.text,
        });
        chars_before += len;
        pos = at + sentences.last().map_or(0, |s| s.text.len());
    }
    Ok(GoldStory {
        id: id.to_string(),
        sentences,
    })
}

/// A coded event as the scorer sees it.
#[derive(Clone, Debug)]
struct Coded {
    kind: String,
    mode: Vec<String>,
    aux: BTreeSet<String>,
    actor: BTreeSet<String>,
    recipient: BTreeSet<String>,
    trigger: usize,
    trigger_text: String,
    claimed: bool,
    speaker: Option<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    as_list(v)
        .into_iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn coded(rec: &Value) -> Option<Coded> {
    let kind = strings(rec.get("event")).first()?.to_uppercase();
    let context = strings(rec.get("context"));
    let attribution = rec.get("attribution").filter(|a| !a.is_null());
    Some(Coded {
        kind: current_type(&kind),
        mode: strings(rec.get("mode")),
        aux: context
            .into_iter()
            .filter(|c| AUX.contains(&c.as_str()))
            .collect(),
        actor: codes(as_list(rec.get("actor"))),
        recipient: codes(as_list(rec.get("recipient"))),
        trigger: rec.pointer("/trigger/start")?.as_u64()? as usize,
        trigger_text: strings(rec.get("event_text")).join(" "),
        claimed: rec.get("claimed").and_then(Value::as_bool).unwrap_or(false)
            || attribution.is_some(),
        speaker: attribution
            .and_then(|a| a.pointer("/speaker/entity_text"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

fn matches(g: &GoldEvent, c: &Coded) -> bool {
    let both: BTreeSet<&String> = c.actor.iter().chain(&c.recipient).collect();
    g.kind == c.kind
        && (g.actor.is_empty() || !g.actor.is_disjoint(&c.actor))
        && (g.recipient.is_empty() || g.recipient.iter().any(|r| both.contains(r)))
}

/// One miss or false event, for `--errors`.
#[derive(Clone, Debug, PartialEq)]
pub struct RealError {
    pub story: String,
    pub sent: usize,
    /// "miss" (gold event not coded) or "false" (coded event not in the gold).
    pub kind: &'static str,
    pub event: String,
    pub sentence: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RealScore {
    pub stories: usize,
    pub sentences: usize,
    pub gold_events: usize,
    pub coded_events: usize,
    /// Type + actor + recipient.
    pub events: Prf,
    /// Type only, paired within the sentence.
    pub types: Prf,
    /// Does the sentence hold an event at all.
    pub event_sentences: Prf,
    pub by_type: BTreeMap<String, Prf>,
    /// (gold type, coded type) → count; "-" for none.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Over event pairs: how many, and agreement of mode, auxiliary modes, claimed, speaker.
    pub pairs: usize,
    pub mode_agree: usize,
    pub aux_agree: usize,
    pub claimed_agree: usize,
    pub speakers: usize,
    pub speaker_agree: usize,
    pub errors: Vec<RealError>,
}

impl RealScore {
    pub fn share(&self, n: usize) -> f64 {
        ratio(n, self.pairs)
    }
    pub fn speaker_rate(&self) -> f64 {
        ratio(self.speaker_agree, self.speakers)
    }
    pub fn macro_f1(&self) -> f64 {
        let f: Vec<f64> = self.by_type.values().map(Prf::f1).collect();
        if f.is_empty() {
            0.0
        } else {
            f.iter().sum::<f64>() / f.len() as f64
        }
    }
}

fn describe_gold(g: &GoldEvent) -> String {
    format!(
        "{} {:?} -> {:?} \"{}\"",
        g.kind,
        g.actor.iter().collect::<Vec<_>>(),
        g.recipient.iter().collect::<Vec<_>>(),
        g.trigger
    )
}

fn describe_coded(c: &Coded) -> String {
    format!(
        "{} {:?} -> {:?} \"{}\"",
        c.kind,
        c.actor.iter().collect::<Vec<_>>(),
        c.recipient.iter().collect::<Vec<_>>(),
        c.trigger_text
    )
}

/// Scores the coded records of each story (`records`: the story's PLOVER records as JSON
/// values) against its gold. Negated events are left out on both sides.
pub fn score_real(stories: &[(GoldStory, Vec<Value>)]) -> RealScore {
    let mut s = RealScore::default();
    for (gold, records) in stories {
        s.stories += 1;
        let coded: Vec<Coded> = records
            .iter()
            .filter_map(coded)
            .filter(|c| !c.aux.contains("negation"))
            .collect();
        let mut used = vec![false; coded.len()];
        for sent in &gold.sentences {
            let here: Vec<usize> = (0..coded.len())
                .filter(|&i| coded[i].trigger >= sent.start && coded[i].trigger < sent.end)
                .collect();
            for &i in &here {
                used[i] = true;
            }
            let g: Vec<&GoldEvent> = sent
                .events
                .iter()
                .filter(|e| !e.aux.contains("negation"))
                .collect();
            let c: Vec<&Coded> = here.iter().map(|&i| &coded[i]).collect();
            score_sentence(&mut s, &gold.id, sent, &g, &c);
        }
        // Coded events outside every gold sentence (the headline is not annotated).
        for (i, c) in coded.iter().enumerate() {
            if !used[i] && gold.sentences.iter().any(|x| c.trigger < x.end) {
                s.coded_events += 1;
                s.events.fp += 1;
                s.types.fp += 1;
                s.by_type.entry(c.kind.clone()).or_default().fp += 1;
            }
        }
    }
    s
}

/// For each coded record of a story: `Some(true)` when it pairs with a gold event of its
/// type in its sentence, `Some(false)` when not, `None` when the scorer leaves it out
/// (negated, unreadable, outside the annotated sentences). Training labels for a learned
/// decision over candidate events.
pub fn label_records(gold: &GoldStory, records: &[Value]) -> Vec<Option<bool>> {
    let mut out: Vec<Option<bool>> = vec![None; records.len()];
    for sent in &gold.sentences {
        let mut left: Vec<&str> = sent
            .events
            .iter()
            .filter(|e| !e.aux.contains("negation"))
            .map(|e| e.kind.as_str())
            .collect();
        for (i, r) in records.iter().enumerate() {
            let Some(c) = coded(r) else { continue };
            if c.aux.contains("negation") || c.trigger < sent.start || c.trigger >= sent.end {
                continue;
            }
            let hit = left.iter().position(|k| *k == c.kind);
            if let Some(k) = hit {
                left.remove(k);
            }
            out[i] = Some(hit.is_some());
        }
    }
    out
}

fn score_sentence(
    s: &mut RealScore,
    story: &str,
    sent: &GoldSentence,
    g: &[&GoldEvent],
    c: &[&Coded],
) {
    s.sentences += 1;
    s.gold_events += g.len();
    s.coded_events += c.len();
    match (g.is_empty(), c.is_empty()) {
        (false, false) => s.event_sentences.tp += 1,
        (true, false) => s.event_sentences.fp += 1,
        (false, true) => s.event_sentences.fn_ += 1,
        (true, true) => {}
    }
    pair_events(s, story, sent, g, c);
    pair_types(s, g, c);
}

fn pair_events(
    s: &mut RealScore,
    story: &str,
    sent: &GoldSentence,
    g: &[&GoldEvent],
    c: &[&Coded],
) {
    let mut taken = vec![false; c.len()];
    for ge in g {
        let hit = (0..c.len()).find(|&i| !taken[i] && matches(ge, c[i]));
        match hit {
            Some(i) => {
                taken[i] = true;
                s.events.tp += 1;
                agreement(s, ge, c[i]);
            }
            None => {
                s.events.fn_ += 1;
                s.errors.push(RealError {
                    story: story.to_string(),
                    sent: sent.sent,
                    kind: "miss",
                    event: describe_gold(ge),
                    sentence: sent.text.clone(),
                });
            }
        }
    }
    for (i, ce) in c.iter().enumerate() {
        if !taken[i] {
            s.events.fp += 1;
            s.errors.push(RealError {
                story: story.to_string(),
                sent: sent.sent,
                kind: "false",
                event: describe_coded(ce),
                sentence: sent.text.clone(),
            });
        }
    }
}

fn agreement(s: &mut RealScore, g: &GoldEvent, c: &Coded) {
    s.pairs += 1;
    let mode_ok = match &g.mode {
        None => c.mode.is_empty(),
        Some(m) => c.mode.iter().any(|x| x.eq_ignore_ascii_case(m)),
    };
    s.mode_agree += usize::from(mode_ok);
    s.aux_agree += usize::from(g.aux == c.aux);
    s.claimed_agree += usize::from(g.claimed == c.claimed);
    if let (true, Some(want)) = (g.claimed, &g.speaker) {
        s.speakers += 1;
        let got = c.speaker.as_deref().unwrap_or("").to_lowercase();
        let want = want.to_lowercase();
        if !got.is_empty() && (got.contains(&want) || want.contains(&got)) {
            s.speaker_agree += 1;
        }
    }
}

/// Type-level pairing: same types pair up; the rest pair in order for the confusion table.
fn pair_types(s: &mut RealScore, g: &[&GoldEvent], c: &[&Coded]) {
    let mut gold: Vec<&str> = g.iter().map(|e| e.kind.as_str()).collect();
    let mut got: Vec<&str> = c.iter().map(|e| e.kind.as_str()).collect();
    let mut same = Vec::new();
    gold.retain(|t| match got.iter().position(|x| x == t) {
        Some(i) => {
            got.remove(i);
            same.push(*t);
            false
        }
        None => true,
    });
    for t in same {
        s.types.tp += 1;
        s.by_type.entry(t.to_string()).or_default().tp += 1;
        *s.confusion.entry((t.into(), t.into())).or_default() += 1;
    }
    for t in &gold {
        s.types.fn_ += 1;
        s.by_type.entry(t.to_string()).or_default().fn_ += 1;
    }
    for t in &got {
        s.types.fp += 1;
        s.by_type.entry(t.to_string()).or_default().fp += 1;
    }
    let n = gold.len().max(got.len());
    for k in 0..n {
        let a = gold.get(k).copied().unwrap_or("-");
        let b = got.get(k).copied().unwrap_or("-");
        *s.confusion.entry((a.into(), b.into())).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STORY: &str = "Russia attacked Ukraine. Talks failed. “We will talk,” Putin said.";

    fn gold() -> GoldStory {
        let lines = [
            json!({"story":"s","sent":0,"text":"Russia attacked Ukraine.","events":[
                {"type":"ASSAULT","mode":null,"aux":[],"trigger":"attacked",
                 "actor":[{"text":"Russia","code":"RUS"}],"recipient":[{"text":"Ukraine","code":"UKR"}],
                 "claimed":false,"speaker":null}]}),
            json!({"story":"s","sent":1,"text":"Talks failed.","events":[]}),
            json!({"story":"s","sent":2,"text":"“We will talk,” Putin said.","events":[
                {"type":"CONSULT","aux":["future"],"trigger":"talk",
                 "actor":[{"text":"We","code":"RUS"}],"recipient":[],"claimed":true,"speaker":"Putin"}]}),
        ];
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        parse_gold_story("s", &text.join("\n"), STORY).unwrap()
    }

    fn rec(kind: &str, actor: &[&str], recipient: &[&str], start: usize) -> Value {
        let ents = |c: &[&str]| c.iter().map(|c| json!({"code": c})).collect::<Vec<_>>();
        json!({"event":[kind],"actor":ents(actor),"recipient":ents(recipient),
               "trigger":{"start":start,"end":start+1},"context":[],"mode":[],"event_text":["x"]})
    }

    #[test]
    fn sentences_are_located_in_characters() {
        let g = gold();
        assert_eq!(g.sentences[1].start, 25);
        let s = &g.sentences[2];
        let chars: Vec<char> = STORY.chars().collect();
        let got: String = chars[s.start..s.end].iter().collect();
        assert_eq!(got, s.text);
    }

    #[test]
    fn events_pair_by_type_and_codes_within_the_sentence() {
        let coded = vec![
            rec("ASSAULT", &["RUS"], &["UKR"], 7),
            rec("ACCUSE", &["UKR"], &[], 27),
            rec("CONSULT", &["USA"], &[], 45),
        ];
        let s = score_real(&[(gold(), coded)]);
        assert_eq!((s.events.tp, s.events.fp, s.events.fn_), (1, 2, 1));
        // CONSULT has the right type but the wrong actor.
        assert_eq!((s.types.tp, s.types.fp, s.types.fn_), (2, 1, 0));
        assert_eq!(s.confusion[&("-".to_string(), "ACCUSE".to_string())], 1);
        assert_eq!(s.event_sentences.fp, 1);
        assert_eq!(s.errors.iter().filter(|e| e.kind == "miss").count(), 1);
    }

    #[test]
    fn a_bad_gold_sentence_is_reported_with_its_line() {
        let e = parse_gold_story(
            "s",
            "{\"story\":\"s\",\"sent\":0,\"text\":\"Nope.\"}",
            STORY,
        );
        assert!(matches!(e, Err(SuiteError::Line { line: 1, .. })));
    }
}
