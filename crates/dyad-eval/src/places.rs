//! Place scoring. Two sets:
//!
//! - **Event location** (Halterman, "Geolocating Political Events in Text", 2019;
//!   `shared/peer/event_location/`): sentences with one event verb and the span(s) of the
//!   place where it happened, if any. Where dyad codes an event at the gold verb (its trigger
//!   overlaps the verb), its `event_loc` is right when it overlaps a gold location span, or
//!   is absent when the gold has none.
//! - **Place resolution** (`gold/places/voa.tsv`): place mentions of the VOA stories resolved
//!   by hand to GeoNames ids. A gold mention is found when an annotated place overlaps it;
//!   its entry is exact when the ids agree (for a place the gazetteer lacks, `-`, when the
//!   found place has no entry), and its country right when the country codes agree.
//!
//! Both split their items into dev and test by a hash of the item id, fixed here.

use crate::SuiteError;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;

/// FNV-1a of the id: even → dev, odd → test.
pub fn split_of(id: &str) -> &'static str {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.trim().bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    if h.is_multiple_of(2) {
        "dev"
    } else {
        "test"
    }
}

/// One event-location record: its text, the verb and the gold place spans (characters).
#[derive(Clone, Debug, PartialEq)]
pub struct LocationCase {
    pub id: String,
    pub text: String,
    pub verb: (usize, usize),
    pub places: Vec<(usize, usize)>,
    /// The paper's gold standard (`source: RELABEL`).
    pub relabel: bool,
}

/// The entries of a zip archive (stored or deflated), by name.
pub fn unzip(bytes: &[u8]) -> Result<HashMap<String, Vec<u8>>, SuiteError> {
    let bad = |m: &str| SuiteError::File(format!("zip: {m}"));
    let u16at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let u32at = |i: usize| {
        bytes
            .get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let eocd = (0..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(&[0x50, 0x4b, 0x05, 0x06]))
        .ok_or_else(|| bad("no end of central directory"))?;
    let count = u16at(eocd + 10).ok_or_else(|| bad("short"))?;
    let mut at = u32at(eocd + 16).ok_or_else(|| bad("short"))?;
    let mut out = HashMap::new();
    for _ in 0..count {
        let field = |k: usize| u32at(at + k).ok_or_else(|| bad("truncated directory"));
        let short = |k: usize| u16at(at + k).ok_or_else(|| bad("truncated directory"));
        let (method, size) = (short(10)?, field(20)?);
        let (name_len, extra, comment) = (short(28)?, short(30)?, short(32)?);
        let local = field(42)?;
        let name = String::from_utf8_lossy(&bytes[at + 46..at + 46 + name_len]).into_owned();
        let lname = u16at(local + 26).ok_or_else(|| bad("bad local header"))?;
        let lextra = u16at(local + 28).ok_or_else(|| bad("bad local header"))?;
        let start = local + 30 + lname + lextra;
        let data = bytes
            .get(start..start + size)
            .ok_or_else(|| bad("truncated entry"))?;
        let content = match method {
            0 => data.to_vec(),
            8 => {
                let mut v = Vec::new();
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut v)
                    .map_err(|e| bad(&e.to_string()))?;
                v
            }
            m => return Err(bad(&format!("{name}: compression method {m}"))),
        };
        out.insert(name, content);
        at += 46 + name_len + extra + comment;
    }
    Ok(out)
}

/// The accepted records with exactly one verb, from the JSON array of the data set.
pub fn parse_locations(text: &str) -> Result<Vec<LocationCase>, SuiteError> {
    let all: Vec<Value> =
        serde_json::from_str(text).map_err(|e| SuiteError::File(format!("event_location: {e}")))?;
    Ok(all.iter().filter_map(location_case).collect())
}

fn location_case(v: &Value) -> Option<LocationCase> {
    if v.get("answer").and_then(Value::as_str) != Some("accept") {
        return None;
    }
    let spans = v.get("spans")?.as_array()?;
    let tokens = v.get("tokens").and_then(Value::as_array);
    let of = |label: &str| -> Vec<(usize, usize)> {
        spans
            .iter()
            .filter(|s| s.get("label").and_then(Value::as_str) == Some(label))
            .filter_map(|s| char_span(s, tokens))
            .collect()
    };
    let verbs = of("VERB");
    if verbs.len() != 1 {
        return None;
    }
    Some(LocationCase {
        id: match v.get("_id")? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        text: v.get("text")?.as_str()?.to_string(),
        verb: verbs[0],
        places: of("LOCATION"),
        relabel: v.get("source").and_then(Value::as_str) == Some("RELABEL"),
    })
}

/// A span's character offsets, from its tokens when the record has them: some gold spans
/// carry token numbers in `start`/`end` ("Vienna" at 1..1).
fn char_span(span: &Value, tokens: Option<&Vec<Value>>) -> Option<(usize, usize)> {
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).map(|n| n as usize);
    let by_tokens = tokens.and_then(|t| {
        let first = t.get(num(span, "token_start")?)?;
        let last = t.get(num(span, "token_end")?)?;
        Some((num(first, "start")?, num(last, "end")?))
    });
    by_tokens.or_else(|| Some((num(span, "start")?, num(span, "end")?)))
}

/// Counts of one event-location score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocationScore {
    pub records: usize,
    /// Records where dyad coded an event at the gold verb.
    pub coded: usize,
    pub right: usize,
    /// Of the coded: gold has a place and dyad gave none / another; gold has none and
    /// dyad gave one.
    pub missed: usize,
    pub wrong: usize,
    pub spurious: usize,
}

impl LocationScore {
    pub fn rate(&self) -> f64 {
        crate::ratio(self.right, self.coded)
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn span_of(v: Option<&Value>) -> Option<(usize, usize)> {
    let v = v?;
    Some((
        v.get("start")?.as_u64()? as usize,
        v.get("end")?.as_u64()? as usize,
    ))
}

/// Scores one case against the records coded from its text.
pub fn score_location(case: &LocationCase, records: &[Value], s: &mut LocationScore) {
    s.records += 1;
    let at_verb = records
        .iter()
        .find(|r| span_of(r.get("trigger")).is_some_and(|t| overlaps(t, case.verb)));
    let Some(rec) = at_verb else { return };
    s.coded += 1;
    let got = span_of(rec.get("event_loc").filter(|l| !l.is_null()));
    match (got, case.places.is_empty()) {
        (None, true) => s.right += 1,
        (None, false) => s.missed += 1,
        (Some(_), true) => s.spurious += 1,
        (Some(g), false) if case.places.iter().any(|&p| overlaps(p, g)) => s.right += 1,
        (Some(_), false) => s.wrong += 1,
    }
}

/// One hand-resolved place mention of a VOA story (character offsets).
#[derive(Clone, Debug, PartialEq)]
pub struct GoldPlace {
    pub story: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `None`: the place is not in the gazetteer.
    pub geonameid: Option<u32>,
    pub country: String,
}

/// Rows of `story start end text geonameid country` after a header; `#` comments.
pub fn parse_gold_places(text: &str) -> Result<Vec<GoldPlace>, SuiteError> {
    let mut out = Vec::new();
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1);
    for (i, line) in rows {
        let bad = |m: &str| SuiteError::Line {
            line: i + 1,
            message: m.to_string(),
        };
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 6 {
            return Err(bad("expected 6 tab-separated columns"));
        }
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad("bad offset"));
        out.push(GoldPlace {
            story: c[0].to_string(),
            start: num(c[1])?,
            end: num(c[2])?,
            text: c[3].to_string(),
            geonameid: match c[4] {
                "-" => None,
                id => Some(id.parse().map_err(|_| bad("bad geonameid"))?),
            },
            country: c[5].to_string(),
        });
    }
    Ok(out)
}

/// Counts of the resolution score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolutionScore {
    pub mentions: usize,
    pub found: usize,
    pub exact: usize,
    pub country: usize,
    /// (story, text, gold id, got id) of the wrong entries.
    pub errors: Vec<(String, String, String, String)>,
}

/// Scores gold mentions against the `places` of each story's annotation.
pub fn score_places(gold: &[GoldPlace], annotations: &HashMap<String, Value>) -> ResolutionScore {
    let mut s = ResolutionScore::default();
    for g in gold {
        s.mentions += 1;
        let places = annotations
            .get(&g.story)
            .and_then(|a| a.get("places"))
            .and_then(Value::as_array);
        let hit = places
            .into_iter()
            .flatten()
            .find(|p| span_of(Some(p)).is_some_and(|sp| overlaps(sp, (g.start, g.end))));
        let Some(p) = hit else {
            s.errors.push((
                g.story.clone(),
                g.text.clone(),
                id_text(g.geonameid),
                "not found".into(),
            ));
            continue;
        };
        s.found += 1;
        let got = p
            .get("entry")
            .and_then(|e| e.get("geonameid"))
            .and_then(Value::as_u64);
        let got = got.map(|v| v as u32);
        // An empty gold country (a region of no one country) wants none.
        let want = (!g.country.is_empty()).then_some(g.country.as_str());
        let country = p
            .get("country_code")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty());
        s.exact += usize::from(got == g.geonameid);
        s.country += usize::from(country == want);
        if got != g.geonameid || country != want {
            let got = format!("{} ({})", id_text(got), country.unwrap_or("-"));
            let gold = format!("{} ({})", id_text(g.geonameid), want.unwrap_or("-"));
            s.errors.push((g.story.clone(), g.text.clone(), gold, got));
        }
    }
    s
}

fn id_text(id: Option<u32>) -> String {
    id.map_or("-".into(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(places: Vec<(usize, usize)>) -> LocationCase {
        LocationCase {
            id: "x".into(),
            text: "Gunmen killed two in Goma.".into(),
            verb: (7, 13),
            places,
            relabel: true,
        }
    }

    #[test]
    fn event_location_is_right_when_it_overlaps_the_gold_or_both_are_empty() {
        let rec = |loc: Value| json!({"trigger": {"start": 7, "end": 13}, "event_loc": loc});
        let goma = json!({"start": 21, "end": 25});
        let mut s = LocationScore::default();
        score_location(&case(vec![(21, 25)]), &[rec(goma.clone())], &mut s);
        score_location(&case(vec![]), &[rec(Value::Null)], &mut s);
        score_location(&case(vec![]), &[rec(goma)], &mut s);
        score_location(&case(vec![(21, 25)]), &[], &mut s);
        assert_eq!((s.records, s.coded, s.right, s.spurious), (4, 3, 2, 1));
    }

    #[test]
    fn gold_places_parse_and_score() {
        let text = "story\tstart\tend\ttext\tgeonameid\tcountry\n1\t21\t25\tGoma\t216281\tCOD\n1\t0\t6\tBunia\t-\tCOD\n";
        let gold = parse_gold_places(text).unwrap();
        let ann = json!({"places": [
            {"start": 21, "end": 25, "entry": {"geonameid": 216281}, "country_code": "COD"},
            {"start": 0, "end": 6, "entry": null, "country_code": "COD"}]});
        let s = score_places(&gold, &HashMap::from([("1".to_string(), ann)]));
        assert_eq!((s.mentions, s.found, s.exact, s.country), (2, 2, 2, 2));
        assert!(parse_gold_places("h\n1\t2\n").is_err());
    }

    #[test]
    fn split_is_stable() {
        assert_eq!(split_of("a"), split_of(" a "));
        let dev = (0..100)
            .filter(|i| split_of(&i.to_string()) == "dev")
            .count();
        assert!((30..70).contains(&dev));
    }
}
