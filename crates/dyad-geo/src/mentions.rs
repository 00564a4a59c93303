//! Finding place mentions: the dateline, states and cities the actor layer resolved, place
//! names from the recognizer, capitalised names after a locative preposition or a place
//! noun ("in Goma", "the town of Sheykler") and demonyms before "capital".

use crate::{Gazetteer, GeoData};
use dyad_core::{Doc, EntityKind, Span, TokenKind};

/// Where a mention was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Dateline,
    Entity,
    Name,
    Locative,
    PlaceNoun,
    Demonym,
    /// The state that begins an organisation's name ("U.S. Congress").
    Prefix,
    /// A name found as a place elsewhere in the story, named again.
    Again,
    /// The name of a state, region or large town, with no place context.
    Known,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Dateline => "dateline",
            Source::Entity => "entity",
            Source::Name => "name",
            Source::Locative => "locative",
            Source::PlaceNoun => "place noun",
            Source::Demonym => "demonym",
            Source::Prefix => "state in an organisation's name",
            Source::Again => "named as a place elsewhere in the story",
            Source::Known => "the name of a state, region or large town",
        }
    }
}

/// A place mention before resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub sentence: usize,
    /// Token range of the mention.
    pub tokens: std::ops::Range<usize>,
    pub source: Source,
    /// The country the mention itself gives (the actor layer's code).
    pub hint: Option<String>,
    /// The entity the mention is, when the actor layer found it.
    pub entity: Option<usize>,
    /// A gazetteer row fixed by the rule (a demonym's capital).
    pub fixed: Option<u32>,
    /// The token of the locative preposition that governs the mention ("in" of "in the
    /// town of Goma").
    pub locative: Option<usize>,
}

/// Every place mention of the document, in text order, without overlaps.
pub fn find(doc: &Doc, data: &GeoData, gaz: &Gazetteer) -> Vec<Mention> {
    // The passes ask per token whether it is an actor's name: answered from a table made
    // once per document, so that the cost stays linear in a document of many names.
    let actors = actor_tokens(doc, gaz);
    let mut found: Vec<Mention> = Vec::new();
    found.extend(dateline(doc, data, gaz));
    found.extend(entities(doc, data, gaz));
    found.extend(names(doc, gaz, &actors));
    found.extend(state_prefixes(doc, gaz));
    if !doc.caseless() {
        found.extend(capitalised(doc, data, gaz, &actors));
        found.extend(objects(doc, data, gaz, &actors));
    }
    let mut kept = without_overlaps(found);
    if !doc.caseless() {
        let areas: Vec<Mention> = kept
            .iter()
            .filter_map(|m| area_after(doc, data, gaz, &actors, m))
            .collect();
        kept.extend(areas);
        kept = without_overlaps(kept);
    }
    if !doc.caseless() {
        let again = named_again(doc, &actors, &kept);
        kept.extend(again);
        kept = without_overlaps(kept);
    }
    // A state in an organisation's name is not where anything happens ("at East Timor
    // University").
    for m in kept.iter_mut().filter(|m| m.source != Source::Prefix) {
        let ahead = noun_ahead(doc, data, m.tokens.end);
        m.locative = governing_locative_with(doc, data, m.tokens.start, ahead);
    }
    if !doc.caseless() {
        let listed = conjuncts(doc, data, gaz, &actors, &kept);
        // A listed place found already by another pass takes the list's locative too.
        for c in &listed {
            let at = kept.partition_point(|m| m.span.start < c.span.start);
            if let Some(m) = kept.get_mut(at).filter(|m| m.span == c.span) {
                m.locative = m.locative.or(c.locative);
            }
        }
        kept.extend(listed);
        kept = without_overlaps(kept);
    }
    widen_left(doc, data, gaz, &mut kept);
    kept
}

/// A compass word or a state's adjective before a mention that makes, with it, a name the
/// gazetteer knows belongs to the name ("east Jerusalem" is East Jerusalem, "British Indian
/// Ocean Territory").
fn widen_left(doc: &Doc, data: &GeoData, gaz: &Gazetteer, kept: &mut [Mention]) {
    let mut free_before = 0;
    for m in kept.iter_mut() {
        let k = m.tokens.start;
        let widened = k > free_before && doc.tokens[k - 1].sentence == m.sentence && {
            let w = doc.token_text(k - 1);
            data.directions.contains(&w.to_lowercase()) || data.demonyms.contains_key(w)
        };
        if widened {
            let span = Span::new(doc.tokens[k - 1].span.start, m.span.end);
            let text = doc.slice(span);
            if !gaz.lookup(text).is_empty() || data.region(text).is_some() {
                m.span = span;
                m.tokens = k - 1..m.tokens.end;
                // The longer name is another place than the one the actor layer coded.
                m.fixed = None;
                m.hint = None;
                m.entity = None;
            }
        }
        free_before = m.tokens.end;
    }
}

/// Every other occurrence of a name found as a place ("in Croix des Bouquets", then
/// "the Croix des Bouquets market"): one sense per story. Not over a person's or
/// organisation's name; one pass over the tokens, keyed by a name's first word.
fn named_again(doc: &Doc, actors: &[Cover], kept: &[Mention]) -> Vec<Mention> {
    let by_first = names_found(doc, actors, kept);
    if by_first.is_empty() {
        return Vec::new();
    }
    let mut covered = vec![false; doc.tokens.len()];
    for m in kept {
        covered[m.tokens.clone()].fill(true);
    }
    let mut out = Vec::new();
    for k in 0..doc.tokens.len() {
        let capital = doc
            .token_text(k)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        if covered[k] || !capital {
            continue;
        }
        let Some(names) = by_first.get(&doc.token_text(k).to_lowercase()) else {
            continue;
        };
        let fits = |(name, over): &&(Vec<String>, bool)| {
            let end = k + name.len();
            end <= doc.tokens.len()
                && doc.tokens[end - 1].sentence == doc.tokens[k].sentence
                && (k..end).all(|j| {
                    doc.token_text(j).to_lowercase() == name[j - k]
                        && (*over || !is_sure_actor_name(actors, j))
                })
        };
        let longest = names.iter().filter(fits).max_by_key(|(n, _)| n.len());
        if let Some((name, _)) = longest {
            let span = Span::new(
                doc.tokens[k].span.start,
                doc.tokens[k + name.len() - 1].span.end,
            );
            out.push(mention(doc, span, Source::Again));
        }
    }
    out
}

/// Each name found as a place (lowercased words), keyed by its first word, with whether it
/// was taken for a place over a person's or organisation's name (a dateline the recognizer
/// read as a person): then its other occurrences may be too.
type Names = std::collections::HashMap<String, Vec<(Vec<String>, bool)>>;

/// The names [`named_again`] looks for. Names compare without case: a dateline's
/// "VILLAFRANCA" is the story's "Villafranca".
fn names_found(doc: &Doc, actors: &[Cover], kept: &[Mention]) -> Names {
    let mut by_first = Names::default();
    for m in kept.iter().filter(|m| m.source != Source::Prefix) {
        let named = doc
            .slice(m.span)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let w: Vec<String> = m
            .tokens
            .clone()
            .map(|k| doc.token_text(k).to_lowercase())
            .collect();
        let over = m.tokens.clone().any(|k| is_actor_name(actors, k));
        let list = by_first.entry(w[0].clone()).or_default();
        // Any finding over an actor's name lets the others read over one too.
        match list.iter_mut().find(|(n, _)| *n == w) {
            Some(seen) => seen.1 |= over,
            None if named => list.push((w, over)),
            None => {}
        }
    }
    by_first
}

/// Places listed after a place ("the villages of Kafr Zita, Latamna and Morek", "in Gaza and
/// the West Bank"): each takes the locative of the one before it.
fn conjuncts(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    kept: &[Mention],
) -> Vec<Mention> {
    let mut out = Vec::new();
    for m in kept {
        // After a place noun the list is of places even where the recognizer took a name
        // for a person ("the towns of Latamna and Morek").
        let k = m.tokens.start;
        let noun_at = |j: usize| data.is_place_noun(doc, j);
        let after_noun = (k >= 1 && noun_at(k - 1))
            || (k >= 2 && matches!(doc.token_text(k - 1), "of" | ":" | ",") && noun_at(k - 2));
        let mut head = m.clone();
        while let Some(mut next) = conjunct_after(doc, data, gaz, actors, &head, after_noun) {
            next.locative = head.locative;
            out.push(next.clone());
            head = next;
        }
    }
    out
}

/// The place listed right after `m`: after "and", "or", ", and", or after a comma when the
/// list goes on after it. A name the gazetteer lacks counts only in a list of places that
/// are not states ("the villages of Bama, Gwoza and Konduga"); a person's or
/// organisation's name only with `over_actors`.
fn conjunct_after(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    m: &Mention,
    over_actors: bool,
) -> Option<Mention> {
    let same = |k: usize| doc.tokens.get(k).is_some_and(|t| t.sentence == m.sentence);
    let word = |k: usize| doc.token_text(k).to_lowercase();
    let mut k = m.tokens.end;
    let comma = same(k) && word(k) == ",";
    if comma {
        k += 1;
    }
    let conjunction = same(k) && matches!(word(k).as_str(), "and" | "or");
    if conjunction {
        k += 1;
    }
    if !comma && !conjunction {
        return None;
    }
    if same(k) && word(k) == "the" {
        k += 1;
    }
    if !same(k) || !is_capitalised(doc, k) || (is_sure_actor_name(actors, k) && !over_actors) {
        return None;
    }
    // Listed after a place, a name the recognizer guessed a person's is a place the
    // gazetteer knows ("families in Dadaab and Kakuma").
    let guessed = !over_actors && is_actor_name(actors, k);
    let over_actors = over_actors || guessed;
    let unknown_ok = m.source != Source::Entity && !guessed;
    let next = run_over(doc, data, gaz, actors, k, unknown_ok, over_actors)?;
    // A comma alone lists only when the list goes on ("A, B and C", "A, B, C").
    let after = next.tokens.end;
    let goes_on = same(after) && matches!(word(after).as_str(), "," | "and" | "or");
    (conjunction || goes_on).then_some(next)
}

/// What covers a token: no actor's name, only the recognizer's guess that a bare name the
/// gazetteer knows is a person's ("families in Kakuma", a Kenyan camp), or a person's or
/// organisation's name of the actor layer or the recognizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cover {
    None,
    Guess,
    Actor,
}

/// A person the recognizer alone found, named so or by the same name again.
fn recognizer_person(doc: &Doc, e: &dyad_core::Entity) -> bool {
    let mut root = e;
    // Bounded: a chain of antecedents points back in the text, but a bad one must not loop.
    for _ in 0..doc.entities.len() {
        match root.antecedent.and_then(|a| doc.entities.get(a)) {
            Some(a) if root.rule.starts_with("coreference (same name)") => root = a,
            _ => break,
        }
    }
    e.kind == EntityKind::Person && root.rule.starts_with("name recognizer PER")
}

/// For each token, what actor's name covers it.
fn actor_tokens(doc: &Doc, gaz: &Gazetteer) -> Vec<Cover> {
    let mut marks = vec![Cover::None; doc.tokens.len()];
    // A bare name the recognizer alone called a person's, which the gazetteer knows.
    let guess =
        |span: Span, recognizer: bool| recognizer && !gaz.lookup(doc.slice(span)).is_empty();
    let actor_entities = doc
        .entities
        .iter()
        .filter(|e| matches!(e.kind, EntityKind::Person | EntityKind::Organisation))
        .map(|e| (e.span, guess(e.span, recognizer_person(doc, e))));
    let actor_names = doc
        .names
        .iter()
        .filter(|n| n.label != "LOC")
        .map(|n| (n.span, guess(n.span, n.label == "PER")));
    for (span, guessed) in actor_entities.chain(actor_names) {
        let cover = if guessed { Cover::Guess } else { Cover::Actor };
        let mut k = doc.token_at(span.start).saturating_sub(1);
        while k < doc.tokens.len() && doc.tokens[k].span.start < span.end {
            if doc.tokens[k].span.overlaps(span) {
                marks[k] = marks[k].max(cover);
            }
            k += 1;
        }
    }
    marks
}

/// Whether a name ending before token `end` is a kind of place by its last word or the
/// word after it ("the Baghdad International Airport", "the Saipatae-Yaha Road", "Tabqa
/// town"): then "to", "on", "from"... introduce it as "in" does.
fn noun_ahead(doc: &Doc, data: &GeoData, end: usize) -> bool {
    let last = end.checked_sub(1).map(|k| doc.token_text(k));
    let next = doc
        .tokens
        .get(end)
        .map(|_| doc.token_text(end).to_lowercase());
    last.is_some_and(|w| data.feature_words.iter().any(|f| f == w))
        || next.is_some_and(|w| data.place_nouns.contains(&w))
}

/// Keeps, of overlapping mentions, the longer (the earlier-found on a tie), in text order.
fn without_overlaps(mut found: Vec<Mention>) -> Vec<Mention> {
    let mut by_len: Vec<usize> = (0..found.len()).collect();
    by_len.sort_by_key(|&i| std::cmp::Reverse(found[i].span.len()));
    let mut keep = vec![false; found.len()];
    // Kept spans are disjoint, so only the kept one starting last before a span's end can
    // overlap it: a lookup in an ordered map instead of a scan (linear cost overall).
    let mut kept: std::collections::BTreeMap<usize, usize> = Default::default();
    for &i in &by_len {
        let span = found[i].span;
        let clash = span.end > span.start
            && kept
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, &end)| end > span.start);
        keep[i] = !clash;
        if keep[i] && span.end > span.start {
            kept.insert(span.start, span.end);
        }
    }
    let mut k = 0;
    found.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    found.sort_by_key(|m| m.span.start);
    found
}

fn mention(doc: &Doc, span: Span, source: Source) -> Mention {
    let first = doc.token_at(span.start);
    let mut last = first;
    while last + 1 < doc.tokens.len() && doc.tokens[last + 1].span.start < span.end {
        last += 1;
    }
    Mention {
        span,
        sentence: doc.tokens.get(first).map_or(0, |t| t.sentence),
        tokens: first..last + 1,
        source,
        hint: None,
        entity: None,
        fixed: None,
        locative: None,
    }
}

/// A wire dateline: capitals at the start of the text before a comma or dash
/// ("NAIROBI, March 3 (Reuters) -", "KYIV, UKRAINE —").
fn dateline(doc: &Doc, data: &GeoData, gaz: &Gazetteer) -> Option<Mention> {
    // The first sentences: a headline may stand before the dateline.
    doc.sentences
        .iter()
        .take(3)
        .find_map(|s| dateline_at(doc, data, gaz, s.tokens.start))
}

/// A dateline at token `start`: up to four all-capital words before a comma or dash.
fn dateline_at(doc: &Doc, data: &GeoData, gaz: &Gazetteer, start: usize) -> Option<Mention> {
    let mut k = start;
    while k < doc.tokens.len().min(start + 4) {
        let t = doc.token_text(k);
        let caps = t.chars().any(char::is_alphabetic)
            && !t.chars().any(char::is_lowercase)
            && t.len() >= 3;
        if !caps {
            break;
        }
        k += 1;
    }
    let next = doc.tokens.get(k).map(|_| doc.token_text(k))?;
    if k == start || !matches!(next, "," | "—" | "–" | "-" | "--") {
        return None;
    }
    let span = Span::new(doc.tokens[start].span.start, doc.tokens[k - 1].span.end);
    let text = doc.slice(span);
    if data.not_place.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        return None;
    }
    let mut m = mention(doc, span, Source::Dateline);
    if gaz.lookup(text).is_empty() {
        // "VILLAFRANCA, SPAIN —": a town the gazetteer lacks, in the state the dateline names.
        m.hint = Some(dateline_state(doc, gaz, k)?);
    }
    Some(m)
}

/// The state a dateline names after its town and a comma, before its dash: `", SPAIN —"`
/// starting at the comma token `comma`.
fn dateline_state(doc: &Doc, gaz: &Gazetteer, comma: usize) -> Option<String> {
    if doc.token_text(comma) != "," {
        return None;
    }
    let start = comma + 1;
    let dash = (start..doc.tokens.len().min(start + 3))
        .find(|&j| matches!(doc.token_text(j), "—" | "–" | "-" | "--"))?;
    let span = Span::new(
        doc.tokens.get(start)?.span.start,
        doc.tokens[dash.checked_sub(1)?].span.end,
    );
    let state = *gaz
        .lookup(doc.slice(span))
        .iter()
        .find(|&&r| gaz.feature(r) == "A.PCLI")?;
    Some(gaz.rows[state as usize].country().to_string())
}

/// States and cities the actor layer resolved; a demonym only before "capital".
fn entities<'a>(
    doc: &'a Doc,
    data: &'a GeoData,
    gaz: &'a Gazetteer,
) -> impl Iterator<Item = Mention> + 'a {
    doc.entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Country && e.antecedent.is_none())
        .filter_map(move |(i, e)| {
            let text = doc.slice(e.span);
            let code = (!e.actor.code.is_empty()).then(|| e.actor.code.clone());
            let mut m = mention(doc, e.span, Source::Entity);
            m.entity = Some(i);
            m.hint = code.clone();
            if let Some(iso3) = data.demonyms.get(text) {
                let next = m.tokens.end;
                let cue = next < doc.tokens.len()
                    && data.capital.contains(&doc.token_text(next).to_lowercase());
                if !cue {
                    return None;
                }
                m.span = Span::new(e.span.start, doc.tokens[next].span.end);
                m.tokens = m.tokens.start..next + 1;
                m.source = Source::Demonym;
                m.fixed = Some(gaz.capital(iso3)?);
                return Some(m);
            }
            (!gaz.lookup(text).is_empty()).then_some(m)
        })
}

/// The state that begins the name of an organisation of it ("U.S. State Department",
/// "U.S. Congress"): a mention of that state.
fn state_prefixes<'a>(doc: &'a Doc, gaz: &'a Gazetteer) -> impl Iterator<Item = Mention> + 'a {
    doc.entities
        .iter()
        .filter(|e| e.kind != EntityKind::Country && e.antecedent.is_none())
        .filter_map(move |e| {
            let first = doc.token_at(e.span.start);
            let last = (first..doc.tokens.len())
                .take_while(|&k| doc.tokens[k].span.end <= e.span.end)
                .last()?;
            (first..last.min(first + 3)).find_map(|end| {
                let span = Span::new(e.span.start, doc.tokens[end].span.end);
                let state = gaz
                    .lookup(doc.slice(span))
                    .iter()
                    .find(|&&r| gaz.feature(r) == "A.PCLI")?;
                let mut m = mention(doc, span, Source::Prefix);
                m.hint = Some(gaz.rows[*state as usize].country().to_string());
                Some(m)
            })
        })
}

/// Place names from the recognizer, a possessive splitting one in two ("Iraq's Anbar").
fn names<'a>(
    doc: &'a Doc,
    gaz: &'a Gazetteer,
    actors: &'a [Cover],
) -> impl Iterator<Item = Mention> + 'a {
    doc.names
        .iter()
        .filter(|n| n.label == "LOC")
        .flat_map(|n| split_possessive(doc, n.span))
        .map(move |span| mention(doc, span, Source::Name))
        .map(move |m| without_actor_edges(doc, gaz, actors, m))
}

/// A name the gazetteer lacks that begins or ends with an actor's name is the place between
/// ("Africa Macron": a heading run into the next sentence).
fn without_actor_edges(doc: &Doc, gaz: &Gazetteer, actors: &[Cover], m: Mention) -> Mention {
    let (mut first, mut last) = (m.tokens.start, m.tokens.end);
    if last - first < 2 || !gaz.lookup(doc.slice(m.span)).is_empty() {
        return m;
    }
    while first + 1 < last && is_sure_actor_name(actors, first) {
        first += 1;
    }
    while last - 1 > first && is_sure_actor_name(actors, last - 1) {
        last -= 1;
    }
    let span = Span::new(doc.tokens[first].span.start, doc.tokens[last - 1].span.end);
    // The actor's name must end at the edge: "Carlos Garcia" is a person's name through.
    let unchanged = (first, last) == (m.tokens.start, m.tokens.end);
    if unchanged
        || (first..last).any(|k| is_actor_name(actors, k))
        || gaz.lookup(doc.slice(span)).is_empty()
    {
        return m;
    }
    mention(doc, span, m.source)
}

fn split_possessive(doc: &Doc, span: Span) -> Vec<Span> {
    let text = doc.slice(span);
    let cut = ["'s ", "\u{2019}s "]
        .iter()
        .find_map(|p| text.find(p).map(|k| (k, p.len())));
    match cut {
        Some((k, len)) => vec![
            Span::new(span.start, span.start + k),
            Span::new(span.start + k + len, span.end),
        ],
        None => vec![span],
    }
}

/// A capitalised word, an Arabic article before one ("al-Tijara"), or a lowercase particle
/// between two ("Croix des Bouquets", "Rio de Janeiro").
fn is_capitalised(doc: &Doc, k: usize) -> bool {
    let t = &doc.tokens[k];
    let w = doc.token_text(k);
    let name = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let article = crate::gazetteer::ARTICLES
        .iter()
        .any(|a| w.starts_with(a) && name(&w[a.len()..]));
    let word = |j: usize| {
        doc.tokens
            .get(j)
            .filter(|t| t.kind == TokenKind::Word && t.sentence == doc.tokens[k].sentence)
    };
    let particle = PARTICLES.contains(&w)
        && k > 0
        && word(k - 1).is_some()
        && name(doc.token_text(k - 1))
        && word(k + 1).is_some()
        && name(doc.token_text(k + 1));
    t.kind == TokenKind::Word && (name(w) || article || particle)
}

/// Lowercase words inside place names of several languages ("Rio de Janeiro", "Croix des
/// Bouquets", "Ciudad del Este", "Bandar Seri Begawan" needs none).
const PARTICLES: [&str; 14] = [
    "de", "des", "du", "del", "della", "da", "do", "dos", "das", "la", "le", "les", "di", "van",
];

/// The token is covered by a person or organisation: an entity of the actor layer or a
/// name of the recognizer (`actors` from [`actor_tokens`]).
fn is_actor_name(actors: &[Cover], k: usize) -> bool {
    actors.get(k).is_some_and(|&c| c != Cover::None)
}

/// An actor's name that is more than the recognizer's guess at a bare place name.
fn is_sure_actor_name(actors: &[Cover], k: usize) -> bool {
    actors.get(k) == Some(&Cover::Actor)
}

/// Capitalised names the context makes places: after a locative preposition ("in Goma",
/// "near Al-Dawr"), after "<place noun> of" or "<place noun>," ("the town of Sheykler",
/// "the regional capital, Grozny") or before a place noun ("Makhmur district"). An unknown
/// name counts too, unless it is a person's or organisation's.
fn capitalised(doc: &Doc, data: &GeoData, gaz: &Gazetteer, actors: &[Cover]) -> Vec<Mention> {
    let mut out = Vec::new();
    for k in 1..doc.tokens.len() {
        let before = doc.token_text(k - 1).to_lowercase();
        let inside_run = is_capitalised(doc, k - 1) && !data.locative.contains(&before);
        if !is_capitalised(doc, k) || inside_run {
            continue;
        }
        let noun_at = |j: usize| data.is_place_noun(doc, j);
        // "the town of Sheykler", "the regional capital, Grozny", "the capital Baku".
        let after_noun =
            (matches!(before.as_str(), "of" | ",") && k >= 2 && noun_at(k - 2)) || noun_at(k - 1);
        // Only a well-known place reads on over a person's or organisation's name: a town
        // of a few thousand shares its name with too many people ("Patten's hotel") and
        // words ("East Timor University").
        let known = gaz
            .lookup(doc.token_text(k))
            .iter()
            .any(|&r| gaz.is_major(r));
        let over_actors = known || after_noun;
        if is_actor_name(actors, k) && !over_actors {
            continue;
        }
        let mut end = k;
        while end < doc.tokens.len() && is_capitalised(doc, end) {
            end += 1;
        }
        let after_locative =
            governing_locative_with(doc, data, k, noun_ahead(doc, data, end)).is_some();
        let before_noun = before_place_noun(doc, data, k, end);
        // After a verb of going, "to" takes only a name the gazetteer knows ("returned to
        // Garissa", not "marched to the Legislative Assembly").
        let placed = after_noun || after_locative || before_noun;
        if placed || going_to(doc, data, k) {
            out.extend(run_over(doc, data, gaz, actors, k, placed, over_actors));
        } else if bare_major(doc, data, gaz, actors, k, end) {
            let span = Span::new(doc.tokens[k].span.start, doc.tokens[end - 1].span.end);
            out.push(mention(doc, span, Source::Known));
        }
    }
    out
}

/// The capitalised run `k..end` stands before a place noun, directly or with one lowercase
/// word that modifies the noun between ("Makhmur district", "the Dadaab refugee camp"; but
/// "Secretary of State" is a title, not a place).
fn before_place_noun(doc: &Doc, data: &GeoData, k: usize, end: usize) -> bool {
    let within =
        |j: usize| j < doc.tokens.len() && doc.tokens[j].sentence == doc.tokens[k].sentence;
    let modifier = |j: usize| {
        let w = doc.token_text(j);
        doc.tokens[j].kind == TokenKind::Word
            && w.chars().next().is_some_and(char::is_lowercase)
            && !matches!(
                doc.tokens[j].syntax.as_ref().map(|s| s.upos.as_str()),
                Some("ADP" | "DET" | "CCONJ" | "SCONJ" | "PRON" | "AUX" | "PART")
            )
            && !matches!(w, "of" | "and" | "or" | "the" | "a" | "an" | "for" | "to")
            && !data.locative.contains(&w.to_lowercase())
    };
    let noun_at = |j: usize| data.is_place_noun(doc, j);
    end > k
        && within(end)
        && (noun_at(end) || (modifier(end) && within(end + 1) && noun_at(end + 1)))
}

/// A whole capitalised run that is the name of a state, region, capital or large city, in
/// no actor's name and not opening its sentence ("the Ghazni provincial council", "the
/// Tuscany tourism board"): a place by its name alone.
fn bare_major(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    k: usize,
    end: usize,
) -> bool {
    // A sentence or a quotation opens with a capital whatever the word ("We", "But").
    let opens = k == 0
        || doc.tokens[k - 1].sentence != doc.tokens[k].sentence
        || !doc.token_text(k - 1).chars().any(char::is_alphanumeric);
    let proper = |j: usize| {
        doc.tokens[j]
            .syntax
            .as_ref()
            .is_none_or(|s| s.upos == "PROPN")
    };
    let text = doc.slice(Span::new(
        doc.tokens[k].span.start,
        doc.tokens[end - 1].span.end,
    ));
    // Only names too well known to be anything else: states, regions, capitals, large cities.
    let well_known = |r: u32| match gaz.feature(r) {
        "P.PPL" => gaz.rows[r as usize].population >= BARE_TOWN,
        _ => true,
    };
    !opens
        && !acronym_of_no_state(doc, gaz, k, end)
        && (k..end).all(|j| !is_actor_name(actors, j) && proper(j))
        && !data.not_place.iter().any(|w| w == text)
        && !data.demonyms.contains_key(text)
        && gaz.lookup(text).iter().any(|&r| well_known(r))
}

/// The people a town needs to be a place by its name alone (see [`bare_major`]).
const BARE_TOWN: u64 = 100_000;

/// A name right after "to" (or "to the") that follows a verb of going ("returned last year
/// to Garissa").
fn going_to(doc: &Doc, data: &GeoData, k: usize) -> bool {
    let word = |j: usize| doc.token_text(j).to_lowercase();
    let prep = match k.checked_sub(1) {
        Some(j) if word(j) == "the" => j.checked_sub(1),
        j => j,
    };
    prep.is_some_and(|j| {
        GeoData::is_destination(&word(j))
            && doc.tokens[j].sentence == doc.tokens[k].sentence
            && (j.saturating_sub(4)..j).any(|v| data.moves_to(doc, v))
    })
}

/// The place named by the capitalised run starting at token `k`: its longest prefix the
/// gazetteer knows, else (with `unknown_ok`) the whole run.
fn run_at(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    k: usize,
    unknown_ok: bool,
) -> Option<Mention> {
    run_over(doc, data, gaz, actors, k, unknown_ok, false)
}

/// [`run_at`], with `over_actors` reading on over names the recognizer or the actor layer
/// took for a person or organisation.
fn run_over(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    k: usize,
    unknown_ok: bool,
    over_actors: bool,
) -> Option<Mention> {
    let sentence = doc.tokens[k].sentence;
    let mut end = k;
    while end < doc.tokens.len()
        && end - k < 4
        && doc.tokens[end].sentence == sentence
        && is_capitalised(doc, end)
        && (over_actors || !is_actor_name(actors, end))
    {
        end += 1;
    }
    if end == k {
        return None;
    }
    let span = |e: usize| Span::new(doc.tokens[k].span.start, doc.tokens[e - 1].span.end);
    let stop = |e: usize| {
        let text = doc.slice(span(e));
        data.not_place.iter().any(|w| w == text)
    };
    // "Scarborough Shoal", "Baghdad International Airport": a run ending in a feature word
    // names that feature, not the town in it.
    let feature = data
        .feature_words
        .iter()
        .any(|w| w == doc.token_text(end - 1));
    // A demonym names a people even where a town bears it ("a Canadian convoy": Canadian,
    // Texas).
    let demonym = |e: usize| data.demonyms.contains_key(doc.slice(span(e)));
    // A town's name at the head of a longer unknown name is part of it ("Khan Sheikhoun", not
    // a town called Khan): a prefix reads alone only when what follows is no part of a
    // name ("Kabul Monday", "Herat Afghan officials", "Moscow Putin").
    let part_of_name = |e: usize| {
        let w = doc.token_text(e);
        !data.not_place.iter().any(|n| n == w)
            && !data.demonyms.contains_key(w)
            && (over_actors || !is_actor_name(actors, e))
    };
    if lone_non_name(doc, data, gaz, k, end) {
        return None;
    }
    for e in (k + 1..=end).rev() {
        if !gaz.lookup(doc.slice(span(e))).is_empty() && !stop(e) && !demonym(e) {
            if feature && e < end {
                break;
            }
            if e < end && unknown_ok && part_of_name(e) {
                break;
            }
            return Some(mention(doc, span(e), Source::Locative));
        }
    }
    // An unknown name used as a modifier ("a Slovak mountain hut", "a Canadian convoy") is
    // no place, unless what it modifies is a kind of place ("Makhmur district").
    let modifier = end < doc.tokens.len() && is_modified_noun(doc, data, end);
    (unknown_ok && !stop(end) && !modifier && !demonym(end))
        .then(|| mention(doc, span(end), Source::PlaceNoun))
}

/// A run of one token that names no place whatever the gazetteer says: a function word
/// ("The base also houses...") or an acronym of no state.
fn lone_non_name(doc: &Doc, data: &GeoData, gaz: &Gazetteer, k: usize, end: usize) -> bool {
    let function_word = end == k + 1
        && (data.skip.contains(&doc.token_text(k).to_lowercase())
            || matches!(
                doc.tokens[k].syntax.as_ref().map(|s| s.upos.as_str()),
                Some("DET" | "PRON" | "ADP" | "CCONJ" | "SCONJ")
            ));
    function_word || acronym_of_no_state(doc, gaz, k, end)
}

/// A lone all-capitals word ("NATO") names a place only as a state's short form ("UAE",
/// "DRC"): the gazetteer's other entries match it only through their mixed-case names (Nato, a
/// Philippine town), and an unknown acronym is an organisation's.
fn acronym_of_no_state(doc: &Doc, gaz: &Gazetteer, k: usize, end: usize) -> bool {
    let w = doc.token_text(k);
    let acronym = end == k + 1
        && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
        && !w.contains('.');
    acronym && !gaz.lookup(w).iter().any(|&r| gaz.feature(r) == "A.PCLI")
}

/// Token `k` is a noun a name before it modifies ("convoy" of "a Canadian convoy"), not a
/// place noun.
fn is_modified_noun(doc: &Doc, data: &GeoData, k: usize) -> bool {
    let w = doc.token_text(k).to_lowercase();
    if data.place_nouns.contains(&w) || !w.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    match doc.tokens[k].syntax.as_ref() {
        Some(s) => matches!(s.upos.as_str(), "NOUN" | "ADJ"),
        None => w.len() > 3 && !data.skip.contains(&w),
    }
}

/// Capitalised names right after the trigger of an event whose verb takes a place as object
/// ("captured Badme", "patrolled the town of Kakata" is found by its place noun).
fn objects(doc: &Doc, data: &GeoData, gaz: &Gazetteer, actors: &[Cover]) -> Vec<Mention> {
    let mut out = Vec::new();
    for ev in &doc.events {
        let t = doc.token_at(ev.trigger.start);
        let Some(only) = data.takes_place(doc, t) else {
            continue;
        };
        let mut k = t + 1;
        if k < doc.tokens.len() && doc.token_text(k).eq_ignore_ascii_case("the") {
            k += 1;
        }
        let fits = k < doc.tokens.len()
            && doc.tokens[k].sentence == ev.sentence
            && is_capitalised(doc, k)
            && (only || !is_actor_name(actors, k));
        if fits {
            out.extend(run_over(doc, data, gaz, actors, k, true, only));
        }
    }
    out
}

/// The state or region named after a place and a comma ("Paris, Texas", "Goma, Congo").
fn area_after(
    doc: &Doc,
    data: &GeoData,
    gaz: &Gazetteer,
    actors: &[Cover],
    m: &Mention,
) -> Option<Mention> {
    let comma = m.tokens.end;
    let next = comma + 1;
    let same = |k: usize| doc.tokens.get(k).is_some_and(|t| t.sentence == m.sentence);
    if !same(next) || doc.token_text(comma) != "," || !is_capitalised(doc, next) {
        return None;
    }
    let area = run_at(doc, data, gaz, actors, next, false)?;
    let rows = gaz.lookup(doc.slice(area.span));
    rows.iter()
        .any(|&r| matches!(gaz.feature(r), "A.PCLI" | "A.ADM1"))
        .then_some(area)
}

/// Words that may stand between a locative preposition and its place: articles,
/// adjectives, possessives, numbers, place nouns, "of" ("in the northern city of", "in their
/// north Belfast home"); the tagger's part of speech when the sentence has it, else the list.
fn passable(doc: &Doc, data: &GeoData, j: usize) -> bool {
    let w = doc.token_text(j).to_lowercase();
    if data.skip.contains(&w)
        || data.place_nouns.contains(&w)
        || data.directions.contains(&w)
        || w.ends_with("-held")
        || w.ends_with("-controlled")
    {
        return true;
    }
    let upos = doc.tokens[j].syntax.as_ref().map(|s| s.upos.as_str());
    let lower = w.chars().next().is_some_and(char::is_lowercase);
    // "the northeast Nigerian city of", "the Mexican resort city of": a state's adjective,
    // or a noun naming the kind of town, before a place noun.
    let before_place_noun = doc
        .tokens
        .get(j + 1)
        .is_some_and(|t| t.sentence == doc.tokens[j].sentence)
        && data
            .place_nouns
            .contains(&doc.token_text(j + 1).to_lowercase());
    let state_adjective = data.demonyms.contains_key(doc.token_text(j));
    state_adjective
        || (lower && matches!(upos, Some("DET" | "ADJ" | "NUM" | "PRON" | "CCONJ")))
        || (lower && before_place_noun && upos == Some("NOUN"))
}

/// Any preposition of the cue lists governing a mention that starts at token `k` ("to" of
/// "to the capital, Tehran"), read back as [`governing_locative`] does.
pub fn governing_preposition(doc: &Doc, data: &GeoData, k: usize) -> Option<usize> {
    governing_locative_with(doc, data, k, true)
}

/// The locative preposition governing a mention that starts at token `k`: read back over
/// at most six passable words to "in", "at", "near"... ("on", "from" and the like only
/// with a place noun between: "on the outskirts of Karachi").
pub fn governing_locative(doc: &Doc, data: &GeoData, k: usize) -> Option<usize> {
    governing_locative_with(doc, data, k, false)
}

/// [`governing_locative`], with `noun` when the name itself is a kind of place (see
/// [`noun_ahead`]).
fn governing_locative_with(doc: &Doc, data: &GeoData, k: usize, noun: bool) -> Option<usize> {
    let sentence = doc.tokens.get(k)?.sentence;
    let mut j = k;
    let mut noun = noun;
    for _ in 0..7 {
        if j == 0 {
            return None;
        }
        j -= 1;
        if doc.tokens[j].sentence != sentence {
            return None;
        }
        let w = doc.token_text(j).to_lowercase();
        if data.locative.contains(&w) || (noun && data.locative_with_noun.contains(&w)) {
            return Some(j);
        }

        // "the bombardment of", "the siege on".
        let event_noun = j > 0
            && data
                .event_nouns
                .contains(&doc.token_text(j - 1).to_lowercase());
        if event_noun && matches!(w.as_str(), "of" | "on" | "against") {
            return Some(j);
        }
        // "50 km northwest of Kathmandu", "west of the Duluiyah town".
        let direction = j > 0
            && data
                .directions
                .contains(&doc.token_text(j - 1).to_lowercase());
        if direction && w == "of" {
            return Some(j - 1);
        }
        // "outside the regional capital, Grozny".
        if w == ","
            && j > 0
            && data
                .place_nouns
                .contains(&doc.token_text(j - 1).to_lowercase())
        {
            continue;
        }
        noun |= data.place_nouns.contains(&w);
        if data.stop.contains(&w) || !passable(doc, data, j) {
            return None;
        }
    }
    None
}
