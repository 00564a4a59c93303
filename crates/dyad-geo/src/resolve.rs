//! Resolution: each mention's gazetteer candidates, scored by feature type, population, the
//! article's and the sentence's countries and the country the mention itself gives; the best
//! wins, with a confidence (its share of the softmax) and the candidates kept for tracing.

use crate::mentions::Mention;
use crate::{Gazetteer, GeoData};
use dyad_core::{Doc, GeoCandidate, Place};
use std::collections::{HashMap, HashSet};

/// How many candidates a place keeps for tracing.
const KEPT: usize = 5;

/// The countries an article and its sentences name (states, demonyms, resolved cities).
#[derive(Debug, Default)]
pub struct Context {
    /// Country code → share of the article's country mentions.
    pub article: HashMap<String, f32>,
    /// Per sentence, the countries it names.
    pub sentences: HashMap<usize, HashSet<String>>,
}

impl Context {
    /// Every mention the actor layer gave a state's code (states, demonyms, "Syrian
    /// officials") counts.
    pub fn of(doc: &Doc, gaz: &Gazetteer) -> Self {
        let mut c = Context::default();
        let mut total = 0.0;
        for e in &doc.entities {
            if gaz.country(&e.actor.code).is_none() {
                continue;
            }
            *c.article.entry(e.actor.code.clone()).or_default() += 1.0;
            total += 1.0;
            c.sentences
                .entry(e.sentence)
                .or_default()
                .insert(e.actor.code.clone());
        }
        for v in c.article.values_mut() {
            *v /= total;
        }
        c
    }
}

/// What the ranking knows of a mention besides its text.
pub struct Query<'a> {
    pub text: &'a str,
    pub sentence: Option<usize>,
    pub hint: Option<&'a str>,
    /// An admin1 key the mention names ("Paris, Texas" → US.TX).
    pub admin1: Option<&'a str>,
}

/// Resolves every mention; the i-th place is the i-th mention's.
pub fn resolve_all(doc: &Doc, found: &[Mention], data: &GeoData, gaz: &Gazetteer) -> Vec<Place> {
    let ctx = Context::of(doc, gaz);
    let mut places: Vec<Place> = found
        .iter()
        .map(|m| resolve_one(doc, m, None, &ctx, data, gaz))
        .collect();
    // "Goma, Congo", "Paris, Texas": a state or country right after a comma says where.
    for i in 0..found.len().saturating_sub(1) {
        let between = doc.text().get(found[i].span.end..found[i + 1].span.start);
        let Some(next) = places[i + 1].entry.as_ref() else {
            continue;
        };
        let area = next.feature == "A.PCLI" || next.feature == "A.ADM1";
        if between.map(str::trim) == Some(",") && area {
            let admin1 = (next.feature == "A.ADM1").then(|| next.admin1.clone());
            let hint = (next.country_code.clone(), admin1);
            places[i] = resolve_one(doc, &found[i], Some(hint), &ctx, data, gaz);
        }
    }
    places
}

fn resolve_one(
    doc: &Doc,
    m: &Mention,
    area: Option<(String, Option<String>)>,
    ctx: &Context,
    data: &GeoData,
    gaz: &Gazetteer,
) -> Place {
    let text = doc.slice(m.span);
    let hint = area.as_ref().map(|a| a.0.as_str()).or(m.hint.as_deref());
    let query = Query {
        text,
        sentence: Some(m.sentence),
        hint,
        admin1: area.as_ref().and_then(|a| a.1.as_deref()),
    };
    let rows: Vec<u32> = match m.fixed {
        Some(r) => vec![r],
        None => gaz.lookup(text).to_vec(),
    };
    let ranked = rank(&query, &rows, ctx, data, gaz);
    let source = m.source.as_str();
    match ranked.first() {
        Some(best) => {
            let row = gaz
                .by_id(best.geonameid)
                .expect("candidates come from the gazetteer");
            let why = why(best, &ranked, &query, area.is_some());
            Place {
                span: m.span,
                sentence: m.sentence,
                rule: format!("{source}; {why}"),
                entry: Some(gaz.entry(row)),
                country_code: Some(best.country_code.clone()).filter(|c| !c.is_empty()),
                confidence: confidence(&ranked),
                candidates: ranked.into_iter().take(KEPT).collect(),
            }
        }
        None => Place {
            span: m.span,
            sentence: m.sentence,
            rule: format!("{source}; not in the gazetteer"),
            entry: None,
            country_code: hint
                .map(str::to_string)
                .or_else(|| sole_country(ctx, m.sentence)),
            confidence: 0.3,
            candidates: Vec::new(),
        },
    }
}

/// The one country a sentence names, if it names exactly one.
fn sole_country(ctx: &Context, sentence: usize) -> Option<String> {
    let set = ctx.sentences.get(&sentence)?;
    (set.len() == 1)
        .then(|| set.iter().next().cloned())
        .flatten()
}

/// Candidates scored and sorted, best first (ties: larger population, then lower id).
pub fn rank(
    q: &Query,
    rows: &[u32],
    ctx: &Context,
    data: &GeoData,
    gaz: &Gazetteer,
) -> Vec<GeoCandidate> {
    let mut out: Vec<GeoCandidate> = rows
        .iter()
        .map(|&r| {
            let row = &gaz.rows[r as usize];
            GeoCandidate {
                geonameid: row.geonameid,
                name: row.name.to_string(),
                feature: gaz.feature(r).to_string(),
                country_code: row.country().to_string(),
                population: row.population,
                score: score(q, r, ctx, data, gaz),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.population.cmp(&a.population))
            .then(a.geonameid.cmp(&b.geonameid))
    });
    out
}

/// The linear score of one candidate (weights in `data/ranking.tsv`).
fn score(q: &Query, r: u32, ctx: &Context, data: &GeoData, gaz: &Gazetteer) -> f32 {
    let row = &gaz.rows[r as usize];
    let country = row.country();
    let mut s = data.weight(&format!("feature:{}", gaz.feature(r)));
    s += data.weight("population") * ((row.population as f32) + 1.0).log10() / 8.0;
    s += data.weight("doc_country") * ctx.article.get(country).copied().unwrap_or(0.0);
    let in_sentence = q
        .sentence
        .and_then(|k| ctx.sentences.get(&k))
        .is_some_and(|set| set.contains(country));
    if in_sentence {
        s += data.weight("sentence_country");
    }
    if q.hint == Some(country) {
        s += data.weight("hint_country");
    }
    if q.admin1.is_some_and(|a| *row.admin1 == *a) {
        s += data.weight("hint_country");
    }
    if crate::gazetteer::fold(&row.name) == crate::gazetteer::fold(q.text) {
        s += data.weight("primary_name");
    }
    s
}

/// The winner's share of the candidates' softmax.
fn confidence(ranked: &[GeoCandidate]) -> f32 {
    let Some(best) = ranked.first() else {
        return 0.0;
    };
    let total: f32 = ranked.iter().map(|c| (c.score - best.score).exp()).sum();
    ((1.0 / total) * 100.0).round() / 100.0
}

/// Why the winner won, in words.
fn why(best: &GeoCandidate, ranked: &[GeoCandidate], q: &Query, area: bool) -> String {
    let mut reasons = vec![format!("{} of {} candidates", best.feature, ranked.len())];
    if area {
        reasons.push("named area after a comma".into());
    } else if q.hint == Some(best.country_code.as_str()) {
        reasons.push(format!("actor country {}", best.country_code));
    }
    if let Some(second) = ranked.get(1) {
        reasons.push(format!(
            "score {:.2} over {:.2} ({} {})",
            best.score, second.score, second.name, second.country_code
        ));
    }
    reasons.join(", ")
}

/// The source label of a place's rule ("dateline", "entity", ...).
pub fn source_of(place: &Place) -> &str {
    place.rule.split(';').next().unwrap_or("")
}
