//! Scoring against the two public peer suites, by the same rules as the reference scorer
//! `shared/tools/score_suite.py`: it reads predictions through the output contract (PLOVER
//! records as JSON values), so `dyad eval` and the script agree.
//!
//! No IO here: suites arrive as strings, predictions as JSON values grouped by article.

pub mod case2021;
pub mod india;
pub mod places;
pub mod realnews;

use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuiteError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("{0}")]
    File(String),
}

/// An input the coder must code: what `dyad code` would read from the suite.
#[derive(Clone, Debug, PartialEq)]
pub struct SuiteInput {
    pub id: String,
    pub date: String,
    pub text: String,
    pub config: Value,
}

/// (actor, recipient, CAMEO code), as the PETRARCH suite lists them.
pub type Triple = (String, String, String);

#[derive(Clone, Debug, PartialEq)]
pub struct PetrarchCase {
    pub input: SuiteInput,
    pub category: String,
    pub expected: BTreeSet<Triple>,
}

#[derive(Deserialize)]
struct RawPetrarch {
    id: String,
    #[serde(default)]
    date: String,
    text: String,
    #[serde(default)]
    expected: Vec<RawTriple>,
    #[serde(default = "yes")]
    evaluate: bool,
    #[serde(default)]
    category: String,
    #[serde(default)]
    config: Value,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct RawTriple {
    source: String,
    target: String,
    code: String,
}

/// Reads the PETRARCH2 unit suite (JSONL); records with `evaluate: false` are left out, as
/// the reference scorer does.
pub fn parse_petrarch(text: &str) -> Result<Vec<PetrarchCase>, SuiteError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let raw: RawPetrarch = serde_json::from_str(line).map_err(|e| SuiteError::Line {
            line: i + 1,
            message: e.to_string(),
        })?;
        if !raw.evaluate {
            continue;
        }
        out.push(PetrarchCase {
            input: SuiteInput {
                id: raw.id,
                date: raw.date,
                text: raw.text,
                config: raw.config,
            },
            category: raw.category,
            expected: raw
                .expected
                .into_iter()
                .map(|t| (t.source, t.target, t.code))
                .collect(),
        });
    }
    Ok(out)
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }
    /// Counts one yes/no decision: wanted by the gold, given by dyad.
    pub fn add(&mut self, want: bool, have: bool) {
        match (want, have) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => {}
        }
    }
}

pub(crate) fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PetrarchScore {
    pub records: usize,
    pub passed: usize,
    pub triples: Prf,
    /// The same after cutting codes to their two-digit root.
    pub root_passed: usize,
    pub root_triples: Prf,
    /// category → (passed, total)
    pub by_category: BTreeMap<String, (usize, usize)>,
    /// (id, expected, got) of failed records.
    pub failures: Vec<(String, BTreeSet<Triple>, BTreeSet<Triple>)>,
}

impl PetrarchScore {
    pub fn pass_rate(&self) -> f64 {
        ratio(self.passed, self.records)
    }
}

pub(crate) fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) if s.is_empty() => vec![],
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
    }
}

fn entity_code(e: &Value) -> String {
    let pick = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    pick("cameo")
        .or_else(|| pick("code"))
        .unwrap_or_else(|| "---".into())
}

/// The triples a set of predicted records expands to (actor × recipient, `---` for none).
pub fn triples(records: &[Value]) -> BTreeSet<Triple> {
    let mut got = BTreeSet::new();
    for ev in records {
        let side = |k: &str| {
            let v: Vec<String> = as_list(ev.get(k)).into_iter().map(entity_code).collect();
            if v.is_empty() {
                vec!["---".to_string()]
            } else {
                v
            }
        };
        let code = match ev.get("cameo") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        for a in side("actor") {
            for b in side("recipient") {
                got.insert((a.clone(), b, code.clone()));
            }
        }
    }
    got
}

fn root(set: &BTreeSet<Triple>) -> BTreeSet<Triple> {
    set.iter()
        .map(|(a, b, c)| (a.clone(), b.clone(), c.chars().take(2).collect()))
        .collect()
}

fn add(prf: &mut Prf, gold: &BTreeSet<Triple>, got: &BTreeSet<Triple>) {
    prf.tp += gold.intersection(got).count();
    prf.fp += got.difference(gold).count();
    prf.fn_ += gold.difference(got).count();
}

/// Scores predictions (records grouped by `article_id`) on the PETRARCH suite.
pub fn score_petrarch(
    cases: &[PetrarchCase],
    predicted: &HashMap<String, Vec<Value>>,
) -> PetrarchScore {
    let mut s = PetrarchScore {
        records: cases.len(),
        ..Default::default()
    };
    let empty = Vec::new();
    for case in cases {
        let got = triples(predicted.get(&case.input.id).unwrap_or(&empty));
        add(&mut s.triples, &case.expected, &got);
        let (rg, rp) = (root(&case.expected), root(&got));
        add(&mut s.root_triples, &rg, &rp);
        let cat = s.by_category.entry(case.category.clone()).or_default();
        cat.1 += 1;
        if rg == rp {
            s.root_passed += 1;
        }
        if got == case.expected {
            s.passed += 1;
            cat.0 += 1;
        } else {
            s.failures
                .push((case.input.id.clone(), case.expected.clone(), got));
        }
    }
    s
}

/// PLOVER gold: older type names the gold file uses, mapped to current PLOVER.
const OLD_TYPES: &[(&str, &str)] = &[
    ("DEMAND", "REQUEST"),
    ("DISAPPROVE", "ACCUSE"),
    ("INVESTIGATE", "ACCUSE"),
    ("FIGHT", "ASSAULT"),
];
/// CAMEO country codes that differ from ISO 3166.
const CAMEO_TO_ISO: &[(&str, &str)] = &[("JAP", "JPN"), ("ITL", "ITA"), ("VTN", "VAT")];

pub(crate) fn current_type(t: &str) -> String {
    OLD_TYPES
        .iter()
        .find(|(old, _)| *old == t)
        .map_or(t, |(_, new)| new)
        .to_string()
}

#[derive(Clone, Debug, PartialEq)]
pub struct PloverCase {
    pub input: SuiteInput,
    pub event: String,
    pub source: BTreeSet<String>,
    pub target: BTreeSet<String>,
}

pub(crate) fn codes<'a>(ents: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in ents {
        let c = match e {
            Value::Object(_) => e
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
        .to_uppercase();
        let c = CAMEO_TO_ISO
            .iter()
            .find(|(k, _)| *k == c)
            .map_or(c.clone(), |(_, v)| v.to_string());
        // PLOVER's own codes for the UN and EU; older gold says IGO.
        if c == "UNO" || c == "EUR" {
            out.insert("IGO".to_string());
        }
        out.insert(c);
    }
    out
}

/// Reads the PLOVER gold records (a JSON array), skipping DOCUMENT entries and records
/// without text, as the reference scorer does.
pub fn parse_plover(text: &str) -> Result<Vec<PloverCase>, SuiteError> {
    let all: Vec<Value> =
        serde_json::from_str(text).map_err(|e| SuiteError::File(e.to_string()))?;
    let mut out = Vec::new();
    for r in all {
        let event = r.get("event").and_then(Value::as_str).unwrap_or_default();
        let text = r.get("text").and_then(Value::as_str).unwrap_or_default();
        if event == "DOCUMENT" || text.is_empty() {
            continue;
        }
        let side = |k: &str| match r.get(k) {
            Some(Value::Array(a)) => codes(a),
            _ => BTreeSet::new(),
        };
        out.push(PloverCase {
            input: SuiteInput {
                id: r
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                date: r
                    .get("date")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                text: text.to_string(),
                config: Value::Null,
            },
            event: current_type(event),
            source: side("source"),
            target: side("target"),
        });
    }
    Ok(out)
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PloverScore {
    pub records: usize,
    /// Records where some coded event has the gold type.
    pub type_found: usize,
    /// Records where some coded event matches type, actor and recipient.
    pub found: usize,
    pub coded: usize,
    /// Coded events that match their record's gold event.
    pub matched: usize,
    /// type → (found, total)
    pub by_type: BTreeMap<String, (usize, usize)>,
}

impl PloverScore {
    pub fn type_rate(&self) -> f64 {
        ratio(self.type_found, self.records)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.coded)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.records)
    }
    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }
}

/// Scores predictions on the PLOVER gold records: a gold event is found when a coded event
/// of the record has its type, shares an actor code and (where the gold has one) a
/// recipient code, which may also sit among the coded actors (PLOVER's reciprocal events).
pub fn score_plover(cases: &[PloverCase], predicted: &HashMap<String, Vec<Value>>) -> PloverScore {
    let mut s = PloverScore {
        records: cases.len(),
        ..Default::default()
    };
    let empty = Vec::new();
    for case in cases {
        let evs = predicted.get(&case.input.id).unwrap_or(&empty);
        s.coded += evs.len();
        let per = s.by_type.entry(case.event.clone()).or_default();
        per.1 += 1;
        let types = |e: &Value| -> Vec<String> {
            as_list(e.get("event"))
                .into_iter()
                .filter_map(Value::as_str)
                .map(|t| current_type(&t.to_uppercase()))
                .collect()
        };
        if evs.iter().any(|e| types(e).contains(&case.event)) {
            s.type_found += 1;
            per.0 += 1;
        }
        let mut hit = false;
        for e in evs {
            let act = codes(as_list(e.get("actor")));
            let rec = codes(as_list(e.get("recipient")));
            let both: BTreeSet<String> = act.union(&rec).cloned().collect();
            let good = types(e).contains(&case.event)
                && (case.source.is_empty() || !act.is_disjoint(&case.source))
                && (case.target.is_empty() || !both.is_disjoint(&case.target));
            if good {
                s.matched += 1;
                hit = true;
            }
        }
        if hit {
            s.found += 1;
        }
    }
    s
}

/// Gold actor codes (actor and recipient, once per record) that appear among the codes of
/// the entities dyad found in the record's text: the actor layer's recall, apart from
/// whether an event was coded. Returns (found, total); gold codes that are not three
/// letters (a few stray values in the gold file) are not counted.
pub fn actor_share(
    cases: &[PloverCase],
    entity_codes: &HashMap<String, BTreeSet<String>>,
) -> (usize, usize) {
    let empty = BTreeSet::new();
    let (mut found, mut total) = (0, 0);
    for case in cases {
        let got = codes(
            entity_codes
                .get(&case.input.id)
                .unwrap_or(&empty)
                .iter()
                .map(|c| Value::String(c.clone()))
                .collect::<Vec<_>>()
                .iter(),
        );
        for gold in case.source.union(&case.target) {
            if gold.len() != 3 || !gold.bytes().all(|b| b.is_ascii_uppercase()) {
                continue;
            }
            total += 1;
            if got.contains(gold) {
                found += 1;
            }
        }
    }
    (found, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn petrarch_scoring_expands_lists_and_compares_sets() {
        let suite = r#"{"id":"A","text":"x","expected":[{"source":"ARN","target":"GON","code":"064"}],"category":"DEMO"}
{"id":"B","text":"y","expected":[],"category":"DEMO"}
{"id":"C","text":"z","expected":[],"evaluate":false}"#;
        let cases = parse_petrarch(suite).unwrap();
        assert_eq!(cases.len(), 2);
        let mut pred = HashMap::new();
        pred.insert(
            "A".to_string(),
            vec![json!({"actor":[{"cameo":"ARN","code":"ARN"}],"recipient":[{"code":"GON"}, {"code":"MOR"}],"cameo":"064"})],
        );
        pred.insert(
            "B".to_string(),
            vec![json!({"actor":[],"recipient":[],"cameo":"010"})],
        );
        let s = score_petrarch(&cases, &pred);
        assert_eq!(s.passed, 0);
        assert_eq!(
            s.triples,
            Prf {
                tp: 1,
                fp: 2,
                fn_: 0
            }
        );
        assert!(s.failures[1]
            .2
            .contains(&("---".into(), "---".into(), "010".into())));
        assert_eq!(s.by_category["DEMO"], (0, 2));
    }

    #[test]
    fn bad_suite_lines_are_reported_with_their_number() {
        let err = parse_petrarch("{\"id\":\"A\",\"text\":\"x\"}\n{oops\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2: "), "{err}");
    }

    #[test]
    fn plover_scoring_maps_old_types_and_codes() {
        let gold = r#"[{"id":"D","event":"DOCUMENT"},
            {"id":"P1","event":"DISAPPROVE","text":"t","source":[{"code":"JAP"}],"target":[{"code":"IGO"}]},
            {"id":"P2","event":"AGREE","text":"u","source":[{"code":"USA"}]}]"#;
        let cases = parse_plover(gold).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].event, "ACCUSE");
        let mut pred = HashMap::new();
        pred.insert(
            "P1".to_string(),
            vec![json!({"event":["ACCUSE"],"actor":[{"code":"JPN"}],"recipient":[{"code":"UNO"}]})],
        );
        pred.insert(
            "P2".to_string(),
            vec![json!({"event":["CONSULT"],"actor":[{"code":"USA"}]})],
        );
        let s = score_plover(&cases, &pred);
        assert_eq!((s.type_found, s.found, s.coded, s.matched), (1, 1, 2, 1));
        assert!((s.f1() - 0.5).abs() < 1e-9);
    }
}
