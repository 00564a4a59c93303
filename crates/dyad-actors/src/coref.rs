//! Mentions beyond the dictionaries, and within-document coreference.
//!
//! After the dictionary pass, this module
//! 1. adds the name recognizer's people and organisations that no dictionary knows, folding
//!    in what surrounds them: a title or type before ("the daily Haaretz"), an apposition
//!    after ("Maria Lopez, a Brazilian economist,"), country and sector words inside ("Kenya
//!    Human Rights Commission");
//! 2. learns acronyms defined in the text ("Southern African Development Community (SADC)");
//! 3. links later mentions to earlier ones, in text order: names met before ("Murkomen"
//!    after "Kipchumba Murkomen"), definite descriptions ("the minister", "the analyst"),
//!    pronouns ("he", "she") and anaphors from `data/anaphors.tsv` ("the bloc" → the
//!    organisation named before). A linked mention carries its antecedent's actor and index.

use std::collections::HashMap;

use dyad_core::{Doc, Entity, EntityKind, Span, TokenKind};

use crate::data::DataError;
use dyad_core::tsv::{list as split_list, rows};

/// What an anaphor may refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refers {
    Person,
    Organisation,
    Country,
    /// "it": a state or organisation, named in this sentence or the one before.
    Body,
    /// "they": a group, state or organisation, named in this sentence or the one before.
    Plural,
}

/// Anaphoric words and phrases (lowercase word sequences) and what they refer to.
#[derive(Clone, Debug, Default)]
pub struct Anaphors {
    forms: Vec<(Vec<String>, Refers, String)>,
}

const ANAPHORS: &str = include_str!("../data/anaphors.tsv");

impl Anaphors {
    pub fn builtin() -> Result<Self, DataError> {
        Self::parse("anaphors.tsv", ANAPHORS)
    }

    /// `forms  refers_to` with refers_to person, organisation or country.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut forms = Vec::new();
        for row in rows(file, text, 2) {
            let (line, c) = row?;
            let refers = match c[1] {
                "person" => Refers::Person,
                "organisation" => Refers::Organisation,
                "country" => Refers::Country,
                "body" => Refers::Body,
                "plural" => Refers::Plural,
                other => {
                    return Err(DataError::new(
                        file,
                        line,
                        format!(
                        "refers_to {other:?} is not person, organisation, country, body or plural"
                    ),
                    ))
                }
            };
            for form in split_list(c[0]) {
                let words = form.split_whitespace().map(str::to_lowercase).collect();
                forms.push((words, refers, format!("{file}:{line}")));
            }
        }
        // Longest first, so that "the organisation" wins over a shorter form.
        forms.sort_by_key(|f: &(Vec<String>, Refers, String)| std::cmp::Reverse(f.0.len()));
        Ok(Anaphors { forms })
    }
}

/// How many sentences back a pronoun, description or anaphor may look for its antecedent.
const WINDOW: usize = 4;

/// An organisation mention over `span` named by its text, taking country and sectors from
/// the mentions `inside` it.
fn organisation_over(
    doc: &Doc,
    span: Span,
    sentence: usize,
    rule: String,
    inside: &[usize],
    entities: &[Entity],
) -> Entity {
    let mut e = Entity {
        span,
        sentence,
        kind: EntityKind::Organisation,
        actor: Default::default(),
        rule,
        confidence: 0.6,
        antecedent: None,
        description: None,
    };
    for &i in inside {
        absorb(&mut e.actor, &entities[i].actor);
        e.rule.push_str(&format!(" + inner {}", entities[i].rule));
    }
    e.actor.identifier = Some(doc.slice(span).to_string());
    e
}

/// Replaces the mentions `inside` (ascending indices) by `e`, keeping the order.
fn replace_inside(entities: &mut Vec<Entity>, inside: &[usize], e: Entity) {
    for &i in inside.iter().rev() {
        entities.remove(i);
    }
    let at = entities.partition_point(|x| x.span.start < e.span.start);
    entities.insert(at, e);
}

/// Takes `from`'s country where `into` has none, and adds its sectors.
fn absorb(into: &mut dyad_core::Actor, from: &dyad_core::Actor) {
    if into.code.is_empty() {
        into.code = from.code.clone();
    }
    for s in &from.sectors {
        if !into.sectors.contains(s) {
            into.sectors.push(s.clone());
        }
    }
}

/// Which tokens overlap one of `spans`, marked span by span from a binary search so that
/// the cost is linear in the tokens covered (a test of every span for every token is
/// quadratic in a long document).
fn covered_tokens(doc: &Doc, spans: impl Iterator<Item = Span>) -> Vec<bool> {
    let toks = &doc.tokens;
    let mut covered = vec![false; toks.len()];
    for span in spans {
        let first = toks.partition_point(|t| t.span.end <= span.start);
        for (k, t) in toks[first..].iter().enumerate() {
            if t.span.start >= span.end {
                break;
            }
            covered[first + k] |= overlaps(t.span, span);
        }
    }
    covered
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn is_person(e: &Entity) -> bool {
    e.kind == EntityKind::Person && e.actor.identifier.is_some()
}

/// Only spaces between `a` and `b`.
fn adjacent(doc: &Doc, a: usize, b: usize) -> bool {
    a <= b && doc.text()[a..b].trim().is_empty()
}

/// Adds recognised names, merges appositions and inner dictionary words, and returns the
/// entities sorted by position.
pub fn add_names(doc: &Doc, entities: Vec<Entity>) -> Vec<Entity> {
    // A name meets only the entities of its own sentence: taking them sentence by sentence
    // keeps a long document linear (the order within a sentence is kept).
    let mut by_sentence: Vec<Vec<Entity>> = vec![Vec::new(); doc.sentences.len()];
    for e in entities {
        by_sentence[e.sentence].push(e);
    }
    for name in &doc.names {
        let entities = &mut by_sentence[name.sentence];
        let kind = match name.label.as_str() {
            "PER" => EntityKind::Person,
            "ORG" => EntityKind::Organisation,
            _ => continue,
        };
        let text = doc.slice(name.span);
        // A name the dictionaries already cover, wholly or as its head, stays theirs.
        let inside: Vec<usize> = (0..entities.len())
            .filter(|&i| overlaps(entities[i].span, name.span))
            .collect();
        let covered = inside.iter().any(|&i| {
            let e = &entities[i];
            // A dictionary mention reaching beyond the name ("State Department
            // spokesperson") says more than the name.
            e.actor.identifier.is_some()
                || matches!(e.kind, EntityKind::Organisation)
                || e.span.start < name.span.start
                || e.span.end > name.span.end
        });
        if covered {
            continue;
        }
        // A type, title or nationality right before the name, possibly with a few
        // lowercase nouns between: "the daily Haaretz", "economist Maria Lopez", "Rwandan
        // Patriotic Front", "U.N. mediator Diego Cordovez".
        let start = modifiers_before(doc, name.span.start);
        let before = (0..entities.len()).rev().find(|&i| {
            let e = &entities[i];
            e.sentence == name.sentence
                && e.span.end <= name.span.start
                && (adjacent(doc, e.span.end, name.span.start) || adjacent(doc, e.span.end, start))
                && e.actor.identifier.is_none()
                && (!e.actor.sectors.is_empty() || !e.actor.code.is_empty())
        });
        let mut entity = Entity {
            span: name.span,
            sentence: name.sentence,
            kind,
            actor: Default::default(),
            rule: format!("name recognizer {} {text:?}", name.label),
            confidence: 0.55,
            antecedent: None,
            description: None,
        };
        // Country and sector words inside an organisation's name give its code and sector.
        for &i in &inside {
            let e = &entities[i];
            absorb(&mut entity.actor, &e.actor);
            entity.rule.push_str(&format!(" + inner {}", e.rule));
            entity.confidence = entity.confidence.max(0.65);
        }
        let mut remove = inside;
        if let Some(b) = before {
            let e = &entities[b];
            entity.span.start = e.span.start;
            absorb(&mut entity.actor, &e.actor);
            if e.kind == EntityKind::Person {
                entity.kind = EntityKind::Person;
            }
            entity.rule = format!("{} + {}", e.rule, entity.rule);
            entity.confidence = entity.confidence.max(0.75);
            remove.push(b);
        }
        entity.actor.identifier = Some(text.to_string());
        remove.sort_unstable();
        remove.dedup();
        for i in remove.into_iter().rev() {
            entities.remove(i);
        }
        entities.push(entity);
    }
    // Acronyms, long names and appositions stay within a sentence too: each pass inserts
    // and removes mentions, which on one document-wide list costs a copy of the list.
    let mut entities: Vec<Entity> = Vec::new();
    for (s, mut mine) in by_sentence.into_iter().enumerate() {
        mine.sort_by_key(|e| (e.span.start, e.span.end));
        define_acronyms(doc, s, &mut mine);
        named_bodies(doc, s, &mut mine);
        merge_appositions(doc, &mut mine);
        entities.append(&mut mine);
    }
    ethnic_residence(doc, &mut entities);
    inherit_countries(doc, &mut entities);
    entities
}

/// "ethnic Albanians in Serbia" are coded by where they live (CAMEO and PLOVER practice),
/// not by the state their name recalls: a mention after "ethnic" followed by "in/of [the]
/// X" takes X's code.
fn ethnic_residence(doc: &Doc, entities: &mut [Entity]) {
    for i in 0..entities.len() {
        let e = &entities[i];
        let before = doc.text()[..e.span.start].trim_end();
        let ethnic = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("ethnic"));
        if !ethnic {
            continue;
        }
        let rest = doc.text()[e.span.end..].trim_start();
        if !rest
            .split_whitespace()
            .next()
            .is_some_and(|w| matches!(w.to_lowercase().as_str(), "in" | "of"))
        {
            continue;
        }
        let after = e.span.end + (doc.text()[e.span.end..].len() - rest.len());
        let place = entities[i + 1..]
            .iter()
            .take_while(|x| x.sentence == e.sentence && x.span.start < after + 24)
            .find(|x| x.kind == EntityKind::Country && !x.actor.code.is_empty())
            .map(|x| (x.actor.code.clone(), doc.slice(x.span).to_string()));
        if let Some((code, name)) = place {
            let e = &mut entities[i];
            if e.actor.code != code {
                e.rule
                    .push_str(&format!(" + ethnic group living in {name:?}"));
                e.actor.code = code;
            }
        }
    }
}

/// Prepositions that tie a mention to a place: "opposition groups in Zimbabwe", "leaders of
/// Romania", "delegates from Chad".
const PLACE_CASES: &[&str] = &["in", "of", "from"];

/// A person, group or organisation mention with a sector or name but no country takes one
/// from the sentence: the state in a prepositional phrase right after it ("opposition
/// groups in Zimbabwe"), else the only state the sentence names ("Judge Alejandro Rivera
/// opened investigations against 28 Chilean officials" → CHL). With two or more states and
/// no phrase, it stays unknown.
fn inherit_countries(doc: &Doc, entities: &mut [Entity]) {
    let main_state = main_state(entities);
    // Distinct codes of every actor the sentence names: an organisation ("ASEAN member
    // states, including Timor-Leste") makes the state no longer the only one.
    // Entities in text order hold each sentence's as one run, found by a binary search:
    // a scan of the whole list for every entity is quadratic in a long document.
    let in_order = entities.windows(2).all(|w| w[0].sentence <= w[1].sentence);
    let states = |s: usize, ents: &[Entity]| -> Vec<String> {
        let from = if in_order {
            ents.partition_point(|e| e.sentence < s)
        } else {
            0
        };
        let mut codes: Vec<String> = ents[from..]
            .iter()
            .take_while(|e| !in_order || e.sentence == s)
            // A news outlet's country is not the story's ("told the newspaper Le Monde").
            .filter(|e| e.sentence == s && !e.actor.sectors.iter().any(|x| x == "JRN"))
            .map(|e| e.actor.code.clone())
            .filter(|c| !c.is_empty())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    for i in 0..entities.len() {
        let e = &entities[i];
        if !e.actor.code.is_empty()
            || (e.actor.sectors.is_empty() && e.actor.identifier.is_none())
            || e.kind == EntityKind::Country
        {
            continue;
        }
        // "in/of/from [the] X" within the next three words, also after a participle that
        // locates ("militants based in Afghanistan", "present on Afghan soil").
        let rest = doc.text()[e.span.end..].trim_start();
        let (rest, cases) = match locating_participle(rest) {
            Some(after) => (after, LOCATED_CASES),
            None => (rest, PLACE_CASES),
        };
        let mut words = rest.split_whitespace();
        let local = words
            .next()
            .filter(|w| cases.contains(&w.to_lowercase().as_str()))
            .and_then(|_| {
                let after = e.span.end + (doc.text()[e.span.end..].len() - rest.len());
                entities[i + 1..]
                    .iter()
                    .take_while(|x| x.sentence == e.sentence && x.span.start < after + 24)
                    // A state, or a body the mention belongs to ("top diplomats from the
                    // Group of Seven", "fighters of the Baloch Liberation Army").
                    .find(|x| {
                        matches!(x.kind, EntityKind::Country | EntityKind::Organisation)
                            && !x.actor.code.is_empty()
                    })
                    .map(|x| (x.actor.code.clone(), format!("{:?}", doc.slice(x.span))))
            });
        // An organisation known only by its name may be a place ("Diaoyutai State
        // Guesthouse"); reporters are often foreign press: neither takes the only state.
        let place_like = e.kind == EntityKind::Organisation && e.actor.sectors.is_empty();
        let press = e.actor.sectors.iter().any(|s| s == "JRN");
        let sole_ok = !place_like && !press;
        let found = local.or_else(|| {
            if !sole_ok {
                return None;
            }
            let codes = states(e.sentence, entities);
            match codes.len() {
                // "The group also opposes Chinese investment" in a story about Pakistan: a
                // state named only after an unnamed mention, in what it does, is not its
                // own (a named person's apposition names theirs: "Lim, an analyst at a
                // Singapore university").
                1 if e.actor.identifier.is_none()
                    && main_state.as_ref().is_some_and(|m| *m != codes[0])
                    && !named_before(entities, i, &codes[0]) =>
                {
                    main_state
                        .clone()
                        .map(|c| (c, "the story's main state".into()))
                }
                1 => Some((codes[0].clone(), "the only state in the sentence".into())),
                // "Opposition lawmakers have denounced the extension" in a story about
                // Somalia: the story's own state.
                0 => main_state
                    .clone()
                    .map(|c| (c, "the story's main state".into())),
                _ => None,
            }
        });
        if let Some((code, why)) = found {
            let e = &mut entities[i];
            e.actor.code = code;
            e.rule.push_str(&format!(" + country from {why}"));
            e.confidence *= 0.8;
        }
    }
}

/// Whether one of the (at most 64) entities of the sentence before `entities[i]` has the
/// code `code`; bounded so that a text without sentence breaks stays linear.
fn named_before(entities: &[Entity], i: usize, code: &str) -> bool {
    let e = &entities[i];
    entities[..i]
        .iter()
        .rev()
        .take(64)
        .take_while(|x| x.sentence == e.sentence)
        .any(|x| x.span.end <= e.span.start && x.actor.code == code)
}

/// Words that place a group where it is rather than say what it does.
const LOCATING: &[&str] = &[
    "based",
    "present",
    "operating",
    "active",
    "hiding",
    "stationed",
];

/// Prepositions after a locating participle.
const LOCATED_CASES: &[&str] = &["in", "on", "inside", "from"];

/// The text after a locating participle ("based", "present"), from its preposition on.
fn locating_participle(rest: &str) -> Option<&str> {
    let (word, after) = rest.split_once(char::is_whitespace)?;
    LOCATING
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
        .then(|| after.trim_start())
}

/// The state a story is about: the code of most state mentions (outlets left out), when it
/// has at least 3 of them and 40% of all, clearly ahead of the next.
fn main_state(entities: &[Entity]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for e in entities {
        let c = e.actor.code.as_str();
        let is_state = c.len() == 3 && !crate::data::is_international_code(c);
        if is_state && !e.actor.sectors.iter().any(|x| x == "JRN") {
            *counts.entry(c).or_default() += 1;
            total += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (best, n) = *ranked.first()?;
    let second = ranked.get(1).map_or(0, |x| x.1);
    (n >= 3 && n * 5 >= total * 2 && n > second + 1).then(|| best.to_string())
}

/// Last words of an organisation's name ("Kenya Human Rights Commission", "Kenya Union of
/// Journalists", "Kenya Private Sector Alliance").
const BODY_HEADS: &[&str] = &[
    "Alliance",
    "Commission",
    "Union",
    "Association",
    "Council",
    "Party",
    "Front",
    "Movement",
    "Federation",
    "Authority",
    "Agency",
    "Institute",
    "Foundation",
    "Ministry",
    "Committee",
    "Coalition",
    "Assembly",
    "League",
    "Organisation",
    "Organization",
    "Society",
    "Network",
    "Forum",
    "Board",
    "Bureau",
    "Centre",
    "Center",
    "Corporation",
    "Company",
    "Bank",
    "Journalists",
    "Workers",
    "Teachers",
    "Doctors",
    "Lawyers",
];

/// A run of capitalised words that names an organisation by its type ("Kenya Private
/// Sector Alliance", "Kenya Union of Journalists"), with a country or sector word inside
/// it, becomes one organisation mention when nothing names it already.
fn named_bodies(doc: &Doc, sentence: usize, entities: &mut Vec<Entity>) {
    let toks = &doc.tokens;
    let range = doc.sentences[sentence].tokens.clone();
    let mut t = range.start;
    while t < range.end {
        let cap = |k: usize| {
            toks[k].kind == TokenKind::Word
                && doc
                    .token_text(k)
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
        };
        if !cap(t) {
            t += 1;
            continue;
        }
        // The run: capitalised words, with joiners between them.
        let mut end = t;
        let mut last_head = None;
        let mut k = t;
        while k < toks.len() && toks[k].sentence == sentence {
            if cap(k) {
                end = k;
                if BODY_HEADS.contains(&doc.token_text(k)) {
                    last_head = Some(k);
                }
            } else if !(matches!(doc.token_text(k), "of" | "for" | "and" | "on")
                && k + 1 < toks.len()
                && cap(k + 1))
            {
                break;
            }
            k += 1;
        }
        let start = if doc.token_text(t) == "The" { t + 1 } else { t };
        if let Some(h) = last_head.filter(|&h| h > start) {
            let span = Span::new(toks[start].span.start, toks[h].span.end);
            let inside: Vec<usize> = (0..entities.len())
                .filter(|&i| overlaps(entities[i].span, span))
                .collect();
            let contained = inside
                .iter()
                .all(|&i| entities[i].span.start >= span.start && entities[i].span.end <= span.end);
            let named = inside.iter().any(|&i| {
                entities[i].actor.identifier.is_some()
                    || entities[i].kind == EntityKind::Organisation
            });
            let coded = inside.iter().any(|&i| {
                !entities[i].actor.code.is_empty() || !entities[i].actor.sectors.is_empty()
            });
            if contained && !named && coded {
                let rule = format!("organisation name {:?}", doc.slice(span));
                let e = organisation_over(doc, span, sentence, rule, &inside, entities);
                replace_inside(entities, &inside, e);
            }
        }
        t = end.max(t) + 1;
    }
}

/// Small words allowed inside an organisation's long name.
const NAME_JOINERS: &[&str] = &[
    "of", "for", "and", "on", "in", "the", "de", "du", "des", "la", "le", "et", "&",
];

/// "The Kenya Human Rights Commission (KHRC)": the capitalised words before a parenthesised
/// acronym whose initials spell it become one organisation mention (country and sector
/// words inside it give its code and sector), and the acronym in parentheses is part of
/// that mention rather than a second actor. Later uses of the acronym are linked by
/// [`link`].
fn define_acronyms(doc: &Doc, sentence: usize, entities: &mut Vec<Entity>) {
    let toks = &doc.tokens;
    let range = doc.sentences[sentence].tokens.clone();
    for t in range.start.max(1)..range.end.min(toks.len().saturating_sub(2)) {
        if doc.token_text(t) != "(" || doc.token_text(t + 2) != ")" {
            continue;
        }
        let acr = doc.token_text(t + 1);
        let letters: Vec<char> = acr.chars().filter(|c| c.is_alphabetic()).collect();
        if !(2..=8).contains(&letters.len())
            || !acr
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            continue;
        }
        // Walk back over capitalised words and joiners; find where the initials spell it.
        let mut start = None;
        let mut initials: Vec<char> = Vec::new();
        let mut k = t;
        while k > 0 && t - k < letters.len() + 4 {
            k -= 1;
            if toks[k].sentence != sentence {
                break;
            }
            let w = doc.token_text(k);
            let first = w.chars().next().unwrap_or(' ');
            if first.is_uppercase() && toks[k].kind == TokenKind::Word {
                initials.insert(0, first);
                if initials == letters {
                    start = Some(k);
                }
            } else if !NAME_JOINERS.contains(&w.to_lowercase().as_str()) {
                break;
            }
        }
        let Some(k) = start else { continue };
        // A leading "The" is the article, not part of the name.
        let k = if doc.token_text(k) == "The" && initials.first() != Some(&'T') {
            k + 1
        } else {
            k
        };
        let long = Span::new(toks[k].span.start, toks[t - 1].span.end);
        let paren = Span::new(toks[t].span.start, toks[t + 2].span.end);
        // The acronym may be known where its long form is not ("International Labor
        // Office (ILO)"): the long form then takes the acronym's actor.
        let known = entities
            .iter()
            .find(|e| {
                e.span.start >= paren.start && e.span.end <= paren.end && !e.actor.code.is_empty()
            })
            .cloned();
        entities.retain(|e| !(e.span.start >= paren.start && e.span.end <= paren.end));
        if entities
            .iter()
            .any(|e| e.span == long && !e.actor.code.is_empty())
        {
            continue;
        }
        let inside: Vec<usize> = (0..entities.len())
            .filter(|&i| overlaps(entities[i].span, long))
            .collect();
        if inside
            .iter()
            .any(|&i| entities[i].span.start < long.start || entities[i].span.end > long.end)
        {
            continue;
        }
        let rule = format!("acronym definition {:?} ({acr})", doc.slice(long));
        let mut entity = organisation_over(doc, long, sentence, rule, &inside, entities);
        if let Some(k) = known.filter(|_| entity.actor.code.is_empty()) {
            entity.rule.push_str(&format!(" + acronym {}", k.rule));
            entity.actor = k.actor;
            entity.confidence = k.confidence;
        }
        replace_inside(entities, &inside, entity);
    }
}

/// Where a run of up to two lowercase common nouns ending right before byte `at` begins
/// ("mediator" in "U.N. mediator Diego Cordovez"); `at` itself when there is none.
fn modifiers_before(doc: &Doc, at: usize) -> usize {
    let mut t = doc.token_at(at);
    let mut start = at;
    for _ in 0..2 {
        if t == 0 {
            break;
        }
        t -= 1;
        let text = doc.token_text(t);
        let noun = doc.tokens[t]
            .syntax
            .as_ref()
            .is_some_and(|s| s.upos == "NOUN");
        if !noun || !text.chars().all(|c| c.is_lowercase() || c == '-') {
            break;
        }
        start = doc.tokens[t].span.start;
    }
    start
}

/// "Maria Lopez, a Brazilian economist," and "Kipchumba Murkomen, Kenya's interior
/// minister,": the description's country and sector go to the named person, and the
/// description is no separate actor.
fn merge_appositions(doc: &Doc, entities: &mut Vec<Entity>) {
    let mut i = 0;
    while i + 1 < entities.len() {
        let (a, b) = (&entities[i], &entities[i + 1]);
        let gap = doc.text()[a.span.end..b.span.start.max(a.span.end)].to_lowercase();
        let gap = gap.trim();
        let apposition = a.sentence == b.sentence
            && is_person(a)
            && b.actor.identifier.is_none()
            && appositive_gap(gap);
        // "A National Police Service spokeswoman, Rose Nyaboke, said": the description
        // comes first, the name after it.
        let reverse = !apposition
            && a.sentence == b.sentence
            && is_person(b)
            && a.actor.identifier.is_none()
            && !a.actor.sectors.is_empty()
            && gap == ","
            && doc.text()[b.span.end..].trim_start().starts_with(',');
        if reverse {
            let a = entities.remove(i);
            fold_description(doc, &mut entities[i], &a, a.span, "apposition before it");
            i += 1;
            continue;
        }
        if apposition {
            let b = entities.remove(i + 1);
            let a = &mut entities[i];
            // The whole description: "a political scientist at the University of
            // Nairobi", up to the comma that closes it.
            let text = doc.text();
            let from = a.span.end
                + text[a.span.end..b.span.start]
                    .find(|c: char| c.is_alphanumeric())
                    .unwrap_or(0);
            let sentence_end = doc.sentences[b.sentence].span.end;
            let to = text[b.span.end..sentence_end]
                .find(',')
                .filter(|&k| k < 80)
                .map_or(b.span.end, |k| b.span.end + k);
            fold_description(
                doc,
                a,
                &b,
                Span::new(from, to.max(b.span.end)),
                "apposition",
            );
        }
        i += 1;
    }
}

/// Folds the description mention `desc` into the named person `host`: its country and
/// sectors, the description's span, and the reason.
fn fold_description(doc: &Doc, host: &mut Entity, desc: &Entity, span: Span, how: &str) {
    host.description = Some(span);
    absorb(&mut host.actor, &desc.actor);
    host.rule = format!(
        "{} + {how} {:?} ({})",
        host.rule,
        doc.slice(desc.span),
        desc.rule
    );
    host.confidence = host.confidence.max(0.75);
}

/// ", a", ", the", "(": what separates a name from its description, possibly with up to
/// three lowercase modifiers ("Lim Wei Ming, a maritime security analyst").
fn appositive_gap(gap: &str) -> bool {
    let Some(rest) = gap.strip_prefix(',').or_else(|| gap.strip_prefix('(')) else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    match words.split_first() {
        None => true,
        Some((first, mods)) => {
            matches!(*first, "a" | "an" | "the")
                && mods.len() <= 3
                && mods
                    .iter()
                    .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
        }
    }
}

/// A later mention waiting for its antecedent.
#[derive(Clone, Debug)]
enum Pending {
    /// A word of a name met before, or an acronym defined before.
    Alias(String),
    Anaphor(Refers, String),
}

/// Adds acronym uses, name repetitions, pronouns and anaphors, and links every later
/// mention (these and definite descriptions already among `entities`) to its antecedent.
pub fn link(doc: &Doc, entities: Vec<Entity>, anaphors: &Anaphors) -> Vec<Entity> {
    // Acronyms defined as "Long Name (ACR)" → the long name's entity (by span start).
    let mut acronyms: HashMap<String, usize> = HashMap::new();
    // The "(ACR)" right after its long form is part of that mention.
    let mut definitions: Vec<Span> = Vec::new();
    for e in &entities {
        let rest = &doc.text()[e.span.end..];
        if let Some(inner) = rest.strip_prefix(" (").and_then(|r| r.split_once(')')) {
            let acr = inner.0;
            if (2..=8).contains(&acr.len())
                && acr
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && (!e.actor.code.is_empty() || e.actor.identifier.is_some())
            {
                acronyms.insert(acr.to_string(), e.span.start);
                definitions.push(Span::new(e.span.end, e.span.end + acr.len() + 3));
            }
        }
    }
    // Candidate later mentions from the tokens, where no entity is.
    let mut pending: Vec<(Span, usize, Pending)> = Vec::new();
    let taken = covered_tokens(doc, entities.iter().map(|e| e.span).chain(definitions));
    let toks = &doc.tokens;
    let mut t = 0;
    while t < toks.len() {
        let tok = &toks[t];
        if tok.kind != TokenKind::Word || taken[t] {
            t += 1;
            continue;
        }
        let text = doc.token_text(t);
        // Anaphors: word sequences within the sentence.
        let hit = anaphors.forms.iter().find(|(words, ..)| {
            words.iter().enumerate().all(|(k, w)| {
                toks.get(t + k).is_some_and(|x| {
                    x.sentence == tok.sentence && doc.token_text(t + k).to_lowercase() == *w
                })
            })
        });
        if let Some((words, refers, origin)) = hit {
            let last = &toks[t + words.len() - 1];
            // "her" as a possessive ("her visit") is no actor mention; "it" and "they"
            // count only as arguments the parse shows (not "it is expected that").
            // The phrase's head is its last word ("the two countries").
            let deprel = last.syntax.as_ref().map_or("", |s| s.deprel.as_str());
            let possessive = deprel == "nmod:poss";
            // "it" as an object is mostly a thing ("want it to protect ...").
            let subject = matches!(deprel, "nsubj" | "nsubj:pass");
            let argument = subject
                || (*refers != Refers::Body
                    && matches!(deprel, "obj" | "iobj" | "obl" | "obl:agent"));
            let vague = matches!(refers, Refers::Body | Refers::Plural);
            if !possessive && (argument || !vague) {
                pending.push((
                    Span::new(tok.span.start, last.span.end),
                    tok.sentence,
                    Pending::Anaphor(*refers, origin.clone()),
                ));
            }
            t += words.len();
            continue;
        }
        let capital = text.chars().next().is_some_and(|c| c.is_uppercase());
        if capital && text.chars().count() >= 2 {
            pending.push((tok.span, tok.sentence, Pending::Alias(text.to_string())));
        }
        t += 1;
    }
    // Merge pending mentions into the entity list in text order, then resolve in order.
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len() + pending.len());
    let mut slots: Vec<Option<Pending>> = Vec::new();
    let mut placeholders: Vec<bool> = Vec::new();
    let mut p = pending.into_iter().peekable();
    for e in entities {
        while p.peek().is_some_and(|x| x.0.start < e.span.start) {
            let (span, sentence, what) = p.next().unwrap();
            out.push(placeholder(span, sentence));
            slots.push(Some(what));
            placeholders.push(true);
        }
        // A sector word that is also an anaphor: "the organisation", "the watchdog".
        let anaphor = definite(doc, &e).then(|| {
            let words: Vec<String> = std::iter::once("the".to_string())
                .chain(doc.slice(e.span).split_whitespace().map(str::to_lowercase))
                .collect();
            anaphors
                .forms
                .iter()
                .find(|f| f.0 == words)
                .map(|f| Pending::Anaphor(f.1, f.2.clone()))
        });
        out.push(e);
        slots.push(anaphor.flatten());
        placeholders.push(false);
    }
    for (span, sentence, what) in p {
        out.push(placeholder(span, sentence));
        slots.push(Some(what));
        placeholders.push(true);
    }
    // Name words of people met so far → entity index; acronyms by span start → index.
    let mut names: HashMap<String, usize> = HashMap::new();
    // What pronouns said of a person so far (root entity → 'm' or 'f'), so that "she"
    // skips a man named more recently.
    let mut gender: HashMap<usize, char> = HashMap::new();
    let root_of = |out: &[Entity], mut k: usize| {
        while let Some(a) = out[k].antecedent {
            k = a;
        }
        k
    };
    let mut by_start: HashMap<usize, usize> = HashMap::new();
    let mut keep = vec![true; out.len()];
    for i in 0..out.len() {
        by_start.insert(out[i].span.start, i);
        // A bare recognised name with no code ("KHRC") may be an alias of an earlier actor.
        let bare = slots[i].is_none()
            && out[i].actor.code.is_empty()
            && out[i].actor.identifier.as_deref() == Some(doc.slice(out[i].span));
        if bare {
            slots[i] = Some(Pending::Alias(doc.slice(out[i].span).to_string()));
        }
        // The same named person again ("Murkomen" from the dictionary after "Interior
        // Minister Kipchumba Murkomen"): the first mention says more, in this article's words.
        let repeated = (slots[i].is_none() && is_person(&out[i]))
            .then(|| names.get(out[i].actor.identifier.as_deref().unwrap_or_default()))
            .flatten()
            .copied();
        let antecedent = match &slots[i] {
            _ if repeated.is_some() => repeated.map(|a| (a, "same name")),
            Some(Pending::Alias(word)) => {
                let found = names.get(word).copied().map(|a| (a, "name"));
                found.or_else(|| {
                    acronyms
                        .get(word)
                        .filter(|&&start| start < out[i].span.start)
                        .and_then(|start| by_start.get(start).copied())
                        .map(|a| (a, "acronym"))
                })
            }
            Some(Pending::Anaphor(refers, _)) => {
                // "both sides", "the two countries" point to a pair told before, not to a
                // mention earlier in their own sentence ("an analyst at a Singapore
                // university said the two sides ...").
                let pair = {
                    let t = doc.slice(out[i].span).to_lowercase();
                    t.starts_with("both ") || t.starts_with("the two ")
                };
                let this_sentence = out[i].sentence;
                let near = |e: &Entity| {
                    e.sentence + 1 >= this_sentence && !(pair && e.sentence == this_sentence)
                };
                let pronoun = pronoun_gender(doc.slice(out[i].span));
                let before = &out[..i];
                let fits_gender = |j: usize| {
                    let known = gender.get(&root_of(before, j)).copied().or_else(|| {
                        // A gendered title: "spokeswoman", "chairman".
                        let t = doc.slice(before[j].span).to_lowercase();
                        t.split_whitespace().find_map(title_gender)
                    });
                    pronoun.is_none() || known.is_none() || known == pronoun
                };
                find_antecedent(before, &keep, out[i].sentence, |j, e| match refers {
                    Refers::Person => is_person(e) && fits_gender(j),
                    Refers::Organisation => {
                        e.kind == EntityKind::Organisation && !e.actor.code.is_empty()
                    }
                    Refers::Country => e.kind == EntityKind::Country && !e.actor.code.is_empty(),
                    Refers::Body => {
                        near(e)
                            && matches!(e.kind, EntityKind::Country | EntityKind::Organisation)
                            && !e.actor.code.is_empty()
                    }
                    // Not a named person; "Palestinian leaders" (a title, plural) is fine.
                    Refers::Plural => {
                        near(e)
                            && !is_person(e)
                            && (!e.actor.code.is_empty() || !e.actor.sectors.is_empty())
                    }
                })
                .map(|a| (a, "anaphor"))
            }
            None if is_description(doc, &out[i]) => {
                let head = doc
                    .slice(out[i].span)
                    .split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .to_lowercase();
                let sectors = out[i].actor.sectors.clone();
                // The same title word first ("the minister" → "Interior Minister X"), else
                // the same sector ("the analyst" → "X, a political scientist").
                find_antecedent(&out[..i], &keep, out[i].sentence, |_, e| {
                    is_person(e) && doc.slice(e.span).to_lowercase().contains(&head)
                })
                .or_else(|| {
                    find_antecedent(&out[..i], &keep, out[i].sentence, |_, e| {
                        is_person(e) && e.actor.sectors.first() == sectors.first()
                    })
                })
                .map(|a| (a, "description"))
            }
            None => None,
        };
        match antecedent {
            Some((a, how)) => {
                if let Some(g) = pronoun_gender(doc.slice(out[i].span)) {
                    gender.insert(root_of(&out, a), g);
                }
                let source = out[a].clone();
                let e = &mut out[i];
                let what = match &slots[i] {
                    Some(Pending::Anaphor(_, origin)) => format!("{how} {origin}"),
                    _ => how.to_string(),
                };
                e.rule = format!(
                    "coreference ({what}) {:?} → {:?}",
                    doc.slice(e.span),
                    doc.slice(source.span)
                );
                e.actor = source.actor.clone();
                // "the bloc" after "ECOWAS envoys" is ECOWAS, not its envoys; "the country"
                // is the state. A bare name ("Hamas") keeps its own sectors.
                let bare = source.actor.identifier.as_deref() == Some(doc.slice(source.span));
                if matches!(
                    &slots[i],
                    Some(Pending::Anaphor(Refers::Organisation | Refers::Country, _))
                ) && !bare
                {
                    e.actor.sectors.clear();
                }
                e.kind = source.kind;
                e.confidence = (source.confidence * 0.85).min(0.8);
                e.antecedent = Some(a);
            }
            None if placeholders[i] => keep[i] = false,
            None => {}
        }
        if keep[i] && is_person(&out[i]) {
            if let Some(id) = &out[i].actor.identifier {
                names
                    .entry(id.clone())
                    .or_insert(out[i].antecedent.unwrap_or(i));
                for w in id.split_whitespace() {
                    if w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase) {
                        names.insert(w.to_string(), out[i].antecedent.unwrap_or(i));
                    }
                }
            }
        }
    }
    // Drop unresolved placeholders and renumber antecedents.
    let mut index = vec![usize::MAX; out.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            index[i] = n;
            n += 1;
        }
    }
    out.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(mut e, _)| {
            e.antecedent = e.antecedent.map(|a| index[a]);
            e
        })
        .collect()
}

/// The gender a title states ("spokeswoman", "chairman"), if any.
fn title_gender(word: &str) -> Option<char> {
    const FEMALE: &[&str] = &[
        "spokeswoman",
        "chairwoman",
        "congresswoman",
        "businesswoman",
        "policewoman",
        "queen",
        "princess",
        "mrs.",
        "ms.",
        "madam",
    ];
    const MALE: &[&str] = &[
        "spokesman",
        "chairman",
        "congressman",
        "businessman",
        "policeman",
        "king",
        "prince",
        "mr.",
        "sheikh",
    ];
    if FEMALE.contains(&word) {
        Some('f')
    } else if MALE.contains(&word) {
        Some('m')
    } else {
        None
    }
}

/// 'm' for he/him, 'f' for she/her.
fn pronoun_gender(word: &str) -> Option<char> {
    match word.to_lowercase().as_str() {
        "he" | "him" => Some('m'),
        "she" | "her" => Some('f'),
        _ => None,
    }
}

fn placeholder(span: Span, sentence: usize) -> Entity {
    Entity {
        span,
        sentence,
        kind: EntityKind::Person,
        actor: Default::default(),
        rule: String::new(),
        confidence: 0.0,
        antecedent: None,
        description: None,
    }
}

/// "the minister", "The analyst": a title or person noun with the definite article, no
/// country and no name of its own.
fn is_description(doc: &Doc, e: &Entity) -> bool {
    e.kind == EntityKind::Person && definite(doc, e)
}

/// A mention with no country or name of its own, right after "the".
fn definite(doc: &Doc, e: &Entity) -> bool {
    if !e.actor.code.is_empty() || e.actor.identifier.is_some() {
        return false;
    }
    let before = doc.text()[..e.span.start].trim_end();
    before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("the"))
}

/// The nearest earlier kept entity within [`WINDOW`] sentences that satisfies `ok` (given
/// its index and itself): the nearest one if it is a person ("he"/"she" follow the story's
/// latest speaker), else the nearest with a code, else the nearest person without one.
fn find_antecedent(
    before: &[Entity],
    keep: &[bool],
    sentence: usize,
    ok: impl Fn(usize, &Entity) -> bool,
) -> Option<usize> {
    let window = || {
        (0..before.len())
            .rev()
            .take_while(|&j| before[j].sentence + WINDOW >= sentence)
            .filter(|&j| keep[j] && ok(j, &before[j]))
    };
    let nearest = window().next()?;
    if is_person(&before[nearest]) {
        return Some(nearest);
    }
    window()
        .find(|&j| !before[j].actor.code.is_empty())
        .or_else(|| window().find(|&j| is_person(&before[j])))
}
