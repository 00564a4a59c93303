//! CASE 2021 shared task 2 (`../shared/peer/case2021/`): short ACLED-style snippets with
//! one event type each, scored through `data/case2021.tsv` (CASE type → PLOVER types).

use crate::{as_list, current_type, ratio, SuiteError};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

const MAPPING: &str = include_str!("../data/case2021.tsv");

/// CASE type → accepted PLOVER types (empty: PLOVER has no type for it).
pub fn mapping() -> Result<BTreeMap<String, Vec<String>>, SuiteError> {
    let mut out = BTreeMap::new();
    for (i, line) in MAPPING.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("case\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(SuiteError::Line {
                line: i + 1,
                message: format!("case2021.tsv: expected case<TAB>plover, got {line:?}"),
            });
        }
        let types = match cols[1] {
            "-" => Vec::new(),
            t => t.split('|').map(str::to_string).collect(),
        };
        out.insert(cols[0].to_string(), types);
    }
    Ok(out)
}

#[derive(Clone, Debug, PartialEq)]
pub struct CaseSnippet {
    pub id: String,
    pub text: String,
    pub label: String,
}

/// Reads the task's TSV (`id`, `EventSnippet`, `SubType`, with a header row).
pub fn parse_case(tsv: &str) -> Result<Vec<CaseSnippet>, SuiteError> {
    let mut out = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        if i == 0 || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            return Err(SuiteError::Line {
                line: i + 1,
                message: format!("expected 3 tab-separated fields, got {}", cols.len()),
            });
        }
        out.push(CaseSnippet {
            id: cols[0].to_string(),
            text: cols[1].to_string(),
            label: cols[2].trim().to_string(),
        });
    }
    Ok(out)
}

/// The snippet's predicted type: the most frequent coded type, ties to the earliest.
pub fn top_type(records: &[Value]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in records {
        let Some(t) = as_list(r.get("event")).first().and_then(|v| v.as_str()) else {
            continue;
        };
        let t = current_type(&t.to_uppercase());
        match counts.iter_mut().find(|(k, _)| *k == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(t, _)| t)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseScore {
    /// Snippets whose CASE type maps to PLOVER.
    pub mapped: usize,
    /// ... whose top coded type is an accepted type.
    pub correct: usize,
    /// ... where some coded event has an accepted type.
    pub found: usize,
    /// ... where nothing was coded.
    pub empty: usize,
    /// Snippets left out (no PLOVER type), and how many of them got an event.
    pub excluded: usize,
    pub excluded_coded: usize,
    /// CASE type → (correct, total).
    pub by_type: BTreeMap<String, (usize, usize)>,
    /// (CASE type, top coded type or "-") → count, over mapped snippets.
    pub confusion: BTreeMap<(String, String), usize>,
    /// (id, CASE type, top coded type) of the wrong ones.
    pub errors: Vec<(String, String, String)>,
}

impl CaseScore {
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.mapped)
    }
    pub fn found_rate(&self) -> f64 {
        ratio(self.found, self.mapped)
    }
}

pub fn score_case(
    snippets: &[CaseSnippet],
    map: &BTreeMap<String, Vec<String>>,
    predicted: &HashMap<String, Vec<Value>>,
) -> CaseScore {
    let mut s = CaseScore::default();
    let none = Vec::new();
    for snip in snippets {
        let recs = predicted.get(&snip.id).unwrap_or(&none);
        let accepted = map.get(&snip.label).cloned().unwrap_or_default();
        if accepted.is_empty() {
            s.excluded += 1;
            s.excluded_coded += usize::from(!recs.is_empty());
            continue;
        }
        s.mapped += 1;
        let top = top_type(recs);
        let ok = top.as_ref().is_some_and(|t| accepted.contains(t));
        let any = recs.iter().any(|r| {
            as_list(r.get("event"))
                .iter()
                .filter_map(|v| v.as_str())
                .any(|t| accepted.contains(&current_type(&t.to_uppercase())))
        });
        s.correct += usize::from(ok);
        s.found += usize::from(any);
        s.empty += usize::from(recs.is_empty());
        let per = s.by_type.entry(snip.label.clone()).or_default();
        per.0 += usize::from(ok);
        per.1 += 1;
        let got = top.unwrap_or_else(|| "-".into());
        *s.confusion
            .entry((snip.label.clone(), got.clone()))
            .or_default() += 1;
        if !ok {
            s.errors.push((snip.id.clone(), snip.label.clone(), got));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_mapping_reads_and_excludes_types_plover_lacks() {
        let m = mapping().unwrap();
        assert_eq!(m["ARREST"], vec!["COERCE"]);
        assert!(m["NATURAL_DISASTER"].is_empty());
        assert_eq!(m.len(), 30);
    }

    #[test]
    fn the_top_type_decides_and_excluded_snippets_are_counted_apart() {
        let snips = parse_case(
            "id\tEventSnippet\tSubType\n1\tPolice detained ten.\tARREST\n2\tA quake hit.\tNATURAL_DISASTER\n3\tRebels shelled a town.\tART_MISS_ATTACK\n",
        )
        .unwrap();
        let mut pred = HashMap::new();
        pred.insert("1".to_string(), vec![json!({"event":["COERCE"]})]);
        pred.insert("2".to_string(), vec![json!({"event":["AID"]})]);
        pred.insert(
            "3".to_string(),
            vec![json!({"event":["THREATEN"]}), json!({"event":["FIGHT"]})],
        );
        let s = score_case(&snips, &mapping().unwrap(), &pred);
        assert_eq!((s.mapped, s.correct, s.found), (2, 1, 2));
        assert_eq!((s.excluded, s.excluded_coded), (1, 1));
        assert_eq!(s.errors[0].2, "THREATEN");
    }
}
