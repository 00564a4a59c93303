//! IndiaPoliceEvents (`../shared/peer/india_police_events/`): Times of India stories of
//! March 2002, mostly lowercased, with per-sentence answers to "did police kill / arrest /
//! use force / do anything". Scored from `dyad annotate` output: the sentences dyad found
//! (boundary recovery) and its events with police (sector `COP`) as actor.

use crate::{as_list, Prf, SuiteError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const LABELS: &[&str] = &["ANY_ACTION", "ARREST", "FORCE", "KILL"];

#[derive(Clone, Debug, PartialEq)]
pub struct PoliceSentence {
    /// Character offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub labels: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PoliceDoc {
    pub id: String,
    pub date: String,
    pub text: String,
    pub sentences: Vec<PoliceSentence>,
}

#[derive(Deserialize)]
struct RawMeta {
    doc_id: Value,
    #[serde(default)]
    date: String,
    full_text: String,
}

#[derive(Deserialize)]
struct RawSent {
    doc_id: Value,
    sent_labels: Vec<String>,
    sent_text: String,
}

fn line_err(line: usize, e: impl ToString) -> SuiteError {
    SuiteError::Line {
        line,
        message: e.to_string(),
    }
}

/// Reads `metadata.jsonl` (texts) and `sents.jsonl` (the gold sentences, in order) and
/// locates each sentence in its document.
pub fn parse_police(metadata: &str, sents: &str) -> Result<Vec<PoliceDoc>, SuiteError> {
    let mut docs: Vec<PoliceDoc> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, line) in metadata
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let m: RawMeta = serde_json::from_str(line).map_err(|e| line_err(i + 1, e))?;
        index.insert(m.doc_id.to_string(), docs.len());
        docs.push(PoliceDoc {
            id: m.doc_id.to_string(),
            date: m.date,
            text: m.full_text,
            sentences: Vec::new(),
        });
    }
    // Byte position reached in each document, and the characters before it.
    let mut pos: Vec<(usize, usize)> = vec![(0, 0); docs.len()];
    for (i, line) in sents
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let s: RawSent = serde_json::from_str(line).map_err(|e| line_err(i + 1, e))?;
        let d = *index
            .get(&s.doc_id.to_string())
            .ok_or_else(|| line_err(i + 1, format!("no document {}", s.doc_id)))?;
        let doc = &mut docs[d];
        let piece = s.sent_text.trim();
        let (byte, chars) = pos[d];
        let at = doc.text[byte..]
            .find(piece)
            .ok_or_else(|| line_err(i + 1, "sentence not found in its document"))?
            + byte;
        let start = chars + doc.text[byte..at].chars().count();
        let end = start + piece.chars().count();
        pos[d] = (at + piece.len(), end);
        doc.sentences.push(PoliceSentence {
            start,
            end,
            labels: s.sent_labels.into_iter().collect(),
        });
    }
    Ok(docs)
}

/// Which questions a coded event answers "yes" to, when police are its actor.
pub fn police_labels(rec: &Value) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let actors = as_list(rec.get("actor"));
    let cameo = rec.get("cameo").and_then(Value::as_str).unwrap_or("");
    // An arrest or a crowd dispersal with no named agent ("22 persons were arrested") is
    // police work.
    let unnamed_police =
        actors.is_empty() && (cameo.starts_with("173") || cameo.starts_with("175"));
    let police = unnamed_police
        || actors.iter().any(|a| {
            as_list(a.get("sector"))
                .iter()
                .any(|s| s.as_str() == Some("COP"))
        });
    let negated = as_list(rec.get("context"))
        .iter()
        .any(|c| c.as_str() == Some("negation"));
    if !police || negated {
        return out;
    }
    out.insert("ANY_ACTION");
    if cameo.starts_with("173") {
        out.insert("ARREST");
    }
    // Killing: CAMEO 1823 kill, 186 assassinate, 20x mass killing.
    let kill = cameo.starts_with("1823") || cameo.starts_with("186") || cameo.starts_with("20");
    if kill {
        out.insert("KILL");
    }
    // Force: violent repression (175), assault (18), fighting (19), mass violence (20).
    if kill || cameo.starts_with("175") || cameo.starts_with("18") || cameo.starts_with("19") {
        out.insert("FORCE");
    }
    out
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoliceScore {
    pub docs: usize,
    pub sentences: usize,
    /// Internal gold boundaries (between two gold sentences) that dyad also has, and
    /// dyad's internal boundaries that the gold has.
    pub boundaries: Prf,
    /// The same over gold boundaries that follow sentence punctuation (`.`, `?`, `!`, `:`
    /// with any closing quotes): the gold also breaks inside words and clauses, where its
    /// splitter stumbled over mis-encoded quote marks ("parishadâ€™ | s kashi").
    pub punctuated: Prf,
    pub labels: BTreeMap<&'static str, Prf>,
    /// ANY_ACTION answered by police events or by a statement whose speaker is police
    /// ("..., police said"): the set's annotators counted a statement as something police
    /// did (their `ann_na`, "police did something else"). Events alone give `labels`.
    pub with_statements: Prf,
    /// Sentences where dyad and the gold disagree on a label, in document order.
    pub errors: Vec<PoliceError>,
}

/// A gold label dyad missed, or one it gave that the gold does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct PoliceError {
    pub doc: String,
    pub label: &'static str,
    pub missed: bool,
    /// The gold sentence.
    pub text: String,
}

impl PoliceScore {
    pub fn boundary_recall(&self) -> f64 {
        self.boundaries.recall()
    }
}

/// Internal sentence starts, each moved to its first letter or digit: where an opening
/// quote mark goes (end of one sentence or start of the next) is no boundary error.
fn starts(chars: &[char], sentences: &[(usize, usize)]) -> BTreeSet<usize> {
    sentences
        .iter()
        .skip(1)
        .map(|s| {
            (s.0..chars.len())
                .find(|&i| chars[i].is_alphanumeric())
                .unwrap_or(s.0)
        })
        .collect()
}

/// `annotations`: per document id, the `dyad annotate` object (sentences and events).
pub fn score_police(docs: &[PoliceDoc], annotations: &HashMap<String, Value>) -> PoliceScore {
    let mut s = PoliceScore::default();
    for doc in docs {
        let Some(ann) = annotations.get(&doc.id) else {
            continue;
        };
        s.docs += 1;
        s.sentences += doc.sentences.len();
        score_boundaries(&mut s, doc, ann);
        score_labels(&mut s, doc, ann);
    }
    s
}

fn score_boundaries(s: &mut PoliceScore, doc: &PoliceDoc, ann: &Value) {
    let gold: Vec<(usize, usize)> = doc.sentences.iter().map(|x| (x.start, x.end)).collect();
    let got: Vec<(usize, usize)> = as_list(ann.get("sentences"))
        .iter()
        .filter_map(|x| {
            Some((
                x.get("start")?.as_u64()? as usize,
                x.get("end")?.as_u64()? as usize,
            ))
        })
        .collect();
    let chars: Vec<char> = doc.text.chars().collect();
    let (g, c) = (starts(&chars, &gold), starts(&chars, &got));
    s.boundaries.tp += g.intersection(&c).count();
    s.boundaries.fn_ += g.difference(&c).count();
    s.boundaries.fp += c.difference(&g).count();
    let punctuated: Vec<(usize, usize)> = std::iter::once((0, 0))
        .chain(
            gold.iter()
                .skip(1)
                .copied()
                .filter(|x| after_punctuation(&chars, x.0)),
        )
        .collect();
    let p = starts(&chars, &punctuated);
    s.punctuated.tp += p.intersection(&c).count();
    s.punctuated.fn_ += p.difference(&c).count();
}

/// Whether the text before `at` ends a sentence: `.?!:` before any spaces and quote marks
/// (also their mis-encoded forms, "â€�").
fn after_punctuation(chars: &[char], at: usize) -> bool {
    chars[..at]
        .iter()
        .rev()
        .find(|c| {
            !(c.is_whitespace()
                || "\"'\u{201D}\u{2019}\u{00E2}\u{20AC}\u{2122}\u{FFFD}\u{009D}`".contains(**c))
        })
        .is_some_and(|c| ".?!:".contains(*c))
}

fn score_labels(s: &mut PoliceScore, doc: &PoliceDoc, ann: &Value) {
    let events = as_list(ann.get("events"));
    for sent in &doc.sentences {
        let mut got = BTreeSet::new();
        for e in &events {
            let Some(t) = e.pointer("/trigger/start").and_then(Value::as_u64) else {
                continue;
            };
            if (t as usize) >= sent.start && (t as usize) < sent.end {
                got.extend(police_labels(e));
            }
        }
        let spoke = as_list(ann.get("quotes"))
            .iter()
            .any(|q| police_speaks(q, sent));
        let (want, have) = (
            sent.labels.contains("ANY_ACTION"),
            spoke || got.contains("ANY_ACTION"),
        );
        s.with_statements.add(want, have);
        for &label in LABELS {
            let (want, have) = (sent.labels.contains(label), got.contains(label));
            s.labels.entry(label).or_default().add(want, have);
            if want != have {
                s.errors.push(PoliceError {
                    doc: doc.id.clone(),
                    label,
                    missed: want,
                    text: doc
                        .text
                        .chars()
                        .skip(sent.start)
                        .take(sent.end - sent.start)
                        .collect(),
                });
            }
        }
    }
}

/// Whether quote `q` of a `dyad annotate` object has police (sector `COP`) as speaker,
/// named inside `sent`.
fn police_speaks(q: &Value, sent: &PoliceSentence) -> bool {
    let Some(speaker) = q.get("speaker") else {
        return false;
    };
    let inside = speaker
        .get("start")
        .and_then(Value::as_u64)
        .is_some_and(|at| (at as usize) >= sent.start && (at as usize) < sent.end);
    inside
        && as_list(speaker.get("sector"))
            .iter()
            .any(|s| s.as_str() == Some("COP"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sentences_boundaries_and_police_labels_are_scored() {
        let meta = json!({"doc_id": 7, "date": "2002-03-01",
            "full_text": "ahmedabad: police arrested ten men. a mob burnt shops."})
        .to_string();
        let sents = [
            json!({"doc_id": 7, "sent_id": 0, "sent_labels": ["ARREST", "ANY_ACTION"], "sent_text": "ahmedabad: police arrested ten men."}),
            json!({"doc_id": 7, "sent_id": 1, "sent_labels": [], "sent_text": "a mob burnt shops."}),
        ]
        .map(|v| v.to_string())
        .join("\n");
        let docs = parse_police(&meta, &sents).unwrap();
        assert_eq!(docs[0].sentences[1].start, 36);
        let ann = json!({
            "sentences": [{"start": 0, "end": 35}, {"start": 36, "end": 54}],
            "events": [{"actor": [{"code": "IND", "sector": ["COP"]}], "cameo": "173",
                        "context": [], "trigger": {"start": 18, "end": 26}}]
        });
        let mut anns = HashMap::new();
        anns.insert("7".to_string(), ann);
        let s = score_police(&docs, &anns);
        assert_eq!(s.boundary_recall(), 1.0);
        assert_eq!(s.labels["ARREST"].tp, 1);
        assert_eq!(s.labels["ANY_ACTION"].tp, 1);
        assert_eq!(s.labels["KILL"].fp, 0);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.with_statements.tp, 1);
        // Without the event, both labels of the first sentence are listed as missed.
        anns.get_mut("7").unwrap()["events"] = json!([]);
        let s = score_police(&docs, &anns);
        let missed: Vec<_> = s.errors.iter().map(|e| (e.label, e.missed)).collect();
        assert_eq!(missed, [("ANY_ACTION", true), ("ARREST", true)]);
        assert_eq!(s.errors[0].text, "ahmedabad: police arrested ten men.");
        // A statement by police answers "did police do anything" (not ARREST); one by
        // someone else does not.
        anns.get_mut("7").unwrap()["quotes"] = json!([
            {"speaker": {"sector": ["COP"], "start": 11}},
            {"speaker": {"sector": ["GOV"], "start": 36}}
        ]);
        let s = score_police(&docs, &anns);
        assert_eq!(s.with_statements.tp, 1);
        assert_eq!(s.with_statements.fp, 0);
        assert_eq!(s.labels["ANY_ACTION"].tp, 0);
    }
}
