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
    /// The feature of the places it is listed with ("Alabama and Georgia": A.ADM1).
    pub feature: Option<&'a str>,
    /// The countries of the towns and regions beside it in its sentence.
    pub near: &'a [String],
}

/// What a mention's neighbours say of it: its country, its admin1 region, the feature
/// its siblings have, and which rule said so.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub feature: Option<String>,
    pub rule: Option<&'static str>,
    /// The countries of the towns and regions resolved beside it in its sentence.
    pub near: Vec<String>,
}

/// Resolves every mention; the i-th place is the i-th mention's. A first pass resolves
/// each mention alone; then its neighbours speak ("Iraq's Anbar", "Paris, Texas", "Alabama
/// and Georgia"), and a name without such evidence takes the reading of the same name
/// elsewhere in the story that had some (one sense per story).
pub fn resolve_all(doc: &Doc, found: &[Mention], data: &GeoData, gaz: &Gazetteer) -> Vec<Place> {
    let ctx = Context::of(doc, gaz);
    // "Gaspé, Quebec": a name after a place and a comma is read as a region first.
    let areas: Vec<Evidence> = (0..found.len()).map(|i| area_of(doc, found, i)).collect();
    let alone: Vec<Place> = found
        .iter()
        .zip(&areas)
        .map(|(m, ev)| resolve_one(doc, m, ev, &ctx, data, gaz))
        .collect();
    let mut near = near_all(&alone);
    let evidence: Vec<Evidence> = (0..found.len())
        .map(|i| {
            let ev = neighbours(doc, found, &alone, i);
            let mut ev = if ev.rule.is_some() {
                ev
            } else {
                areas[i].clone()
            };
            ev.near = std::mem::take(&mut near[i]);
            ev
        })
        .collect();
    let mut places: Vec<Place> = found
        .iter()
        .zip(&evidence)
        .map(|(m, ev)| resolve_one(doc, m, ev, &ctx, data, gaz))
        .collect();
    same_name(doc, found, &evidence, &mut places);
    same_country(doc, found, &mut places);
    places
}

/// Per mention, the countries of the other towns and regions a first reading resolved in its
/// sentence: they say where the sentence is (a state it names may be an actor). Counted once
/// per sentence, so that a sentence listing many places costs linear time.
fn near_all(alone: &[Place]) -> Vec<Vec<String>> {
    fn own(p: &Place) -> Option<&String> {
        let town = p
            .entry
            .as_ref()
            .is_some_and(|e| e.feature.starts_with("P.") || e.feature == "A.ADM1");
        p.country_code.as_ref().filter(|_| town)
    }
    let mut counts: HashMap<usize, Vec<(String, usize)>> = HashMap::new();
    for p in alone {
        if let Some(c) = own(p) {
            let list = counts.entry(p.sentence).or_default();
            match list.iter_mut().find(|(k, _)| k == c) {
                Some(e) => e.1 += 1,
                None => list.push((c.clone(), 1)),
            }
        }
    }
    alone
        .iter()
        .map(|p| {
            let mine = own(p);
            let list = counts.get(&p.sentence).map_or(&[][..], Vec::as_slice);
            list.iter()
                .filter(|(c, n)| *n > usize::from(mine == Some(c)))
                .map(|(c, _)| c.clone())
                .collect()
        })
        .collect()
}

/// An unknown place without a country takes the one another mention of the same name got
/// ("Kolbio" after "in Kolbio, Kenya"): one sense per story.
fn same_country(doc: &Doc, found: &[Mention], places: &mut [Place]) {
    let fold = crate::gazetteer::fold;
    let mut country: std::collections::HashMap<String, String> = Default::default();
    for (m, p) in found.iter().zip(places.iter()) {
        if let (None, Some(c)) = (&p.entry, &p.country_code) {
            country
                .entry(fold(doc.slice(m.span)))
                .or_insert_with(|| c.clone());
        }
    }
    for (m, p) in found.iter().zip(places.iter_mut()) {
        if p.entry.is_none() && p.country_code.is_none() {
            if let Some(c) = country.get(&fold(doc.slice(m.span))) {
                p.country_code = Some(c.clone());
                p.rule = format!("{}; its country as the same name elsewhere", p.rule);
            }
        }
    }
}

/// A list's separators: "A, B and C".
fn list_gap(gap: &str) -> bool {
    matches!(gap, "," | "and" | "or" | ", and" | ", or")
}

/// Evidence that mention `i` names the region of the place before it ("Gaspé, Quebec",
/// "Paris, Texas"): a comma between, and no list going on ("Washington, New York and
/// Chicago").
fn area_of(doc: &Doc, found: &[Mention], i: usize) -> Evidence {
    let after_comma = i > 0
        && found[i - 1].sentence == found[i].sentence
        && between(doc, &found[i - 1], &found[i]) == ",";
    let listed = (i + 1 < found.len() && list_gap(between(doc, &found[i], &found[i + 1])))
        || (i > 1 && list_gap(between(doc, &found[i - 2], &found[i - 1])));
    if after_comma && !listed {
        Evidence {
            feature: Some("A.ADM1".into()),
            rule: Some("region after a place and a comma"),
            ..Default::default()
        }
    } else {
        Evidence::default()
    }
}

/// The text between two mentions, trimmed.
fn between<'a>(doc: &'a Doc, a: &Mention, b: &Mention) -> &'a str {
    doc.text()
        .get(a.span.end..b.span.start)
        .map_or("", str::trim)
}

/// Evidence from the mentions beside mention `i`: a possessive before it ("Iraq's Anbar"),
/// a state or country after a comma ("Paris, Texas"), a US state it is listed with.
fn neighbours(doc: &Doc, found: &[Mention], alone: &[Place], i: usize) -> Evidence {
    let entry = |k: usize| alone.get(k).and_then(|p| p.entry.as_ref());
    // A country or continent needs no possessive or comma to say where it is.
    let area = entry(i).is_some_and(|e| matches!(e.feature.as_str(), "A.PCLI" | "L.CONT"));
    if !area && i > 0 && matches!(between(doc, &found[i - 1], &found[i]), "'s" | "\u{2019}s") {
        if let Some(c) = &alone[i - 1].country_code {
            return Evidence {
                country: Some(c.clone()),
                rule: Some("possessive"),
                ..Default::default()
            };
        }
    }
    let next = (i + 1 < found.len()).then(|| between(doc, &found[i], &found[i + 1]));
    // "in Washington, New York and Chicago": a list of places, not a place and its
    // state.
    let in_list = (i + 2 < found.len() && list_gap(between(doc, &found[i + 1], &found[i + 2])))
        || (i > 0 && list_gap(between(doc, &found[i - 1], &found[i])));
    if let (Some(","), Some(e), false, false) = (next, entry(i + 1), area, in_list) {
        if e.feature == "A.PCLI" || e.feature == "A.ADM1" {
            return Evidence {
                country: Some(e.country_code.clone()),
                admin1: (e.feature == "A.ADM1").then(|| e.admin1.clone()),
                rule: Some("area after a comma"),
                ..Default::default()
            };
        }
    }
    let listed =
        |k: usize, gap: &str| list_gap(gap) && entry(k).is_some_and(|e| e.feature == "A.ADM1");
    let sibling = [
        i.checked_sub(1)
            .filter(|&k| listed(k, between(doc, &found[k], &found[i]))),
        next.filter(|g| listed(i + 1, g)).map(|_| i + 1),
    ];
    match sibling.into_iter().flatten().next().and_then(entry) {
        Some(e) => Evidence {
            country: Some(e.country_code.clone()),
            feature: Some(e.feature.clone()),
            rule: Some("listed with a state"),
            ..Default::default()
        },
        None => Evidence::default(),
    }
}

/// A mention without evidence of its own takes the place of the same name elsewhere in the
/// story that had some.
fn same_name(doc: &Doc, found: &[Mention], evidence: &[Evidence], places: &mut [Place]) {
    let fold = crate::gazetteer::fold;
    // The first mention of each name that evidence resolved, found in one pass (a scan
    // per mention would make a document of many names quadratic).
    let mut first: std::collections::HashMap<String, usize> = Default::default();
    for k in (0..found.len()).filter(|&k| evidence[k].rule.is_some()) {
        first.entry(fold(doc.slice(found[k].span))).or_insert(k);
    }
    for i in 0..found.len() {
        if evidence[i].rule.is_some() || found[i].hint.is_some() {
            continue;
        }
        let model = first.get(&fold(doc.slice(found[i].span))).copied();
        if let Some(k) = model {
            let mut p = places[k].clone();
            p.span = places[i].span;
            p.sentence = places[i].sentence;
            p.rule = format!(
                "{}; as the same name earlier or later",
                found[i].source.as_str()
            );
            places[i] = p;
        }
    }
}

fn resolve_one(
    doc: &Doc,
    m: &Mention,
    ev: &Evidence,
    ctx: &Context,
    data: &GeoData,
    gaz: &Gazetteer,
) -> Place {
    let text = doc.slice(m.span);
    if let Some(country) = data.region(text) {
        return region(m, country);
    }
    let (rows, variant, admin) = entries_of(m, text, data, gaz);
    let hint = ev.country.as_deref().or(m.hint.as_deref());
    let query = Query {
        text: variant.name(text),
        sentence: Some(m.sentence),
        hint,
        admin1: ev.admin1.as_deref(),
        feature: ev.feature.as_deref().or(admin.then_some("A.ADM1")),
        near: &ev.near,
    };
    let ranked = rank(&query, &rows, ctx, data, gaz);
    let mut source = match m.locative {
        Some(prep) => format!("{} under \"{}\"", m.source.as_str(), doc.token_text(prep)),
        None => m.source.as_str().to_string(),
    };
    if let Some(how) = variant.describe() {
        source = format!("{source}, {how}");
    }
    // The context names the country and no entry of that name lies in it: the place is
    // one the gazetteer lacks ("Canada's Ontario" is no Ontario of California).
    // A capital, state or country named alone stands ("Guatemala's Washington embassy").
    let minor = ranked.first().is_some_and(|c| c.feature == "P.PPL");
    let conflict = minor && hint.is_some_and(|h| !ranked.iter().any(|c| c.country_code == h));
    let Some(best) = ranked.first().filter(|_| !conflict) else {
        let rule = unknown_rule(&source, conflict.then_some(hint.unwrap_or("")), ev.rule);
        let (country, how) = unknown_country(text, hint, m.sentence, &ev.near, ctx, data);
        let rule = how.map_or(rule.clone(), |how| format!("{rule}; {how}"));
        return unknown(m, rule, country, ranked);
    };
    let row = gaz
        .by_id(best.geonameid)
        .expect("candidates come from the gazetteer");
    let why = why(best, &ranked, &query, ev.rule);
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

/// Why a mention got no entry: none goes by its name, or none of that name lies in the
/// country its context gives (`conflict`), with the rule that gave it.
fn unknown_rule(source: &str, conflict: Option<&str>, evidence: Option<&str>) -> String {
    match (conflict, evidence) {
        (Some(c), Some(r)) => format!("{source}; no entry of that name in {c} ({r})"),
        (Some(c), None) => format!("{source}; no entry of that name in {c}"),
        (None, _) => format!("{source}; not in the gazetteer"),
    }
}

/// The gazetteer rows a mention may be, how its text was read for them, and whether a kind
/// word names a first-level region: then only regions count ("Deir Ezzor Governorate" is the
/// region, not its town; "Amur Region" is no town called Amur when no region goes by it).
fn entries_of<'a>(
    m: &Mention,
    text: &'a str,
    data: &GeoData,
    gaz: &'a Gazetteer,
) -> (Vec<u32>, Variant<'a>, bool) {
    let (mut rows, variant) = match m.fixed {
        Some(r) => (vec![r], Variant::Text),
        None => lookup_variant(text, data, gaz),
    };
    let admin = matches!(variant, Variant::Kind(k, _) if data.admin_nouns.iter().any(|a| a.eq_ignore_ascii_case(k)));
    if admin {
        rows.retain(|&r| gaz.feature(r).starts_with("A."));
    }
    (rows, variant, admin)
}

/// A place the gazetteer lacks (or whose entries lie outside the country the context gives).
fn unknown(m: &Mention, rule: String, country: Option<String>, ranked: Vec<GeoCandidate>) -> Place {
    Place {
        span: m.span,
        sentence: m.sentence,
        rule,
        entry: None,
        country_code: country,
        confidence: 0.3,
        candidates: ranked.into_iter().take(KEPT).collect(),
    }
}

/// How a mention's text was read to find its entries.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Variant<'a> {
    /// As written.
    Text,
    /// Without a leading Arabic article ("Al-Raqqa" as "Raqqa").
    Article(&'a str),
    /// Without a trailing kind of place ("Beledweyne district"): the kind, and the name.
    Kind(&'a str, &'a str),
}

impl<'a> Variant<'a> {
    /// The name the entries go by.
    fn name(self, text: &'a str) -> &'a str {
        match self {
            Variant::Text => text,
            Variant::Article(name) | Variant::Kind(_, name) => name,
        }
    }

    fn describe(self) -> Option<String> {
        match self {
            Variant::Text => None,
            Variant::Article(name) => Some(format!("read as \"{name}\"")),
            Variant::Kind(kind, name) => {
                Some(format!("read as \"{name}\" (a {})", kind.to_lowercase()))
            }
        }
    }
}

/// The entries a mention's text names: as written, else without a leading Arabic article
/// ("Al-Raqqa"), else without a trailing kind of place ("Deir Ezzor Governorate",
/// "Beledweyne district"), else without both. Spellings that differ only in spaces,
/// hyphens or apostrophes meet in the gazetteer's key already.
fn lookup_variant<'a>(
    text: &'a str,
    data: &GeoData,
    gaz: &'a Gazetteer,
) -> (Vec<u32>, Variant<'a>) {
    let exact = gaz.lookup(text);
    if !exact.is_empty() {
        return (exact.to_vec(), Variant::Text);
    }
    // Without its Arabic article a name is read only where such names are: "al-Sora" is no
    // Italian town called Sora.
    let arabic = |rows: &[u32]| -> Vec<u32> {
        let arab = |r: u32| {
            let c = gaz.rows[r as usize].country();
            data.article_countries.iter().any(|a| a == c)
        };
        rows.iter().copied().filter(|&r| arab(r)).collect()
    };
    if let Some(name) = crate::gazetteer::without_article(text) {
        let rows = arabic(gaz.lookup(name));
        if !rows.is_empty() {
            return (rows, Variant::Article(name));
        }
    }
    let Some((stem, kind)) = text.rsplit_once(' ') else {
        return (Vec::new(), Variant::Text);
    };
    if !data
        .place_nouns
        .iter()
        .any(|n| n.eq_ignore_ascii_case(kind))
    {
        return (Vec::new(), Variant::Text);
    }
    let rows = gaz.lookup(stem);
    if !rows.is_empty() {
        return (rows.to_vec(), Variant::Kind(kind, stem));
    }
    if let Some(name) = crate::gazetteer::without_article(stem) {
        let rows = arabic(gaz.lookup(name));
        if !rows.is_empty() {
            return (rows, Variant::Kind(kind, name));
        }
    }
    (Vec::new(), Variant::Text)
}

/// A region of several countries, a sea or an ocean: no entry and no country.
fn region(m: &Mention, country: Option<&str>) -> Place {
    let rule = match country {
        Some(c) => format!("{}; a region of {c} the gazetteer lacks", m.source.as_str()),
        None => format!("{}; a region of several countries", m.source.as_str()),
    };
    Place {
        span: m.span,
        sentence: m.sentence,
        rule,
        entry: None,
        country_code: country.map(str::to_string),
        confidence: 0.9,
        candidates: Vec::new(),
    }
}

/// The state of a demonym that begins an unknown place's name ("Iraqi Kurdistan", "Indian
/// Kashmir").
fn demonym_country(text: &str, data: &GeoData) -> Option<String> {
    let (first, rest) = text.split_once(' ')?;
    let capitalised = rest.chars().next().is_some_and(char::is_uppercase);
    data.demonyms.get(first).filter(|_| capitalised).cloned()
}

/// In a sentence that names no country, the country of at least half the article's country
/// mentions: a village the gazetteer lacks lies, most likely, where the story is.
fn main_country(ctx: &Context, sentence: usize) -> Option<String> {
    if ctx
        .sentences
        .get(&sentence)
        .is_some_and(|set| !set.is_empty())
    {
        return None;
    }
    let (code, share) = ctx
        .article
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))?;
    (*share >= 0.5).then(|| code.clone())
}

/// The country of a place the gazetteer lacks, and what gave it: its context (a possessive,
/// an area after a comma), a leading demonym ("Iraqi Kurdistan"), the places resolved in its
/// sentence when they lie in one country ("in the village of Mir Kalay near Kandahar"), the one state its
/// sentence names, or the article's main one.
fn unknown_country(
    text: &str,
    hint: Option<&str>,
    sentence: usize,
    near: &[String],
    ctx: &Context,
    data: &GeoData,
) -> (Option<String>, Option<&'static str>) {
    if let Some(h) = hint {
        return (Some(h.to_string()), None);
    }
    // A sea, strait or shoal lies between states, not in one ("the Taiwan Strait").
    let words: Vec<&str> = text.split_whitespace().collect();
    let water = |w: &&str| data.water_words.iter().any(|x| x == w);
    let water = words.last().is_some_and(water)
        || (words.len() > 2 && water(&words[0]) && words[1] == "of");
    if water {
        return (None, Some("a body of water, of no one state"));
    }
    if let Some(c) = demonym_country(text, data) {
        return (Some(c), Some("its country as its demonym"));
    }
    if let [c] = near {
        return (
            Some(c.clone()),
            Some("its country as the places of its sentence"),
        );
    }
    if let Some(c) = sole_country(ctx, sentence) {
        return (
            Some(c),
            Some("its country as the one state its sentence names"),
        );
    }
    match main_country(ctx, sentence) {
        Some(c) => (Some(c), Some("its country as the article's main state")),
        None => (None, None),
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
    // A first-level region named like a city in it ("New York", "Kabul", "Lagos"): the bare
    // name is the city; the region needs its kind ("New York State") or a list of regions.
    let regions: Vec<(&str, &str)> = rows
        .iter()
        .filter(|&&r| gaz.feature(r) == "A.ADM1")
        .map(|&r| (gaz.rows[r as usize].country(), gaz.admin1(r)))
        .collect();
    let own_region = |r: u32| {
        gaz.feature(r).starts_with("P.")
            && regions.contains(&(gaz.rows[r as usize].country(), gaz.admin1(r)))
    };
    let mut out: Vec<GeoCandidate> = rows
        .iter()
        .map(|&r| {
            let row = &gaz.rows[r as usize];
            let city = if own_region(r) {
                data.weight("city_of_own_region")
            } else {
                0.0
            };
            GeoCandidate {
                geonameid: row.geonameid,
                name: gaz.name(r).to_string(),
                feature: gaz.feature(r).to_string(),
                country_code: row.country().to_string(),
                population: row.population,
                score: score(q, r, ctx, data, gaz) + city,
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
    if q.near.iter().any(|c| c == country) {
        s += data.weight("sentence_place");
    }
    if q.hint == Some(country) {
        s += data.weight("hint_country");
    }
    if q.admin1.is_some_and(|a| gaz.admin1(r) == a) {
        s += data.weight("hint_country");
    }
    if q.feature == Some(gaz.feature(r)) {
        s += data.weight("sibling_feature");
    }
    if crate::gazetteer::key(gaz.name(r)) == crate::gazetteer::key(q.text) {
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
fn why(best: &GeoCandidate, ranked: &[GeoCandidate], q: &Query, rule: Option<&str>) -> String {
    let mut reasons = vec![format!("{} of {} candidates", best.feature, ranked.len())];
    if let Some(rule) = rule {
        reasons.push(format!("{rule} in {}", best.country_code));
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
