//! From dictionary matches to entity mentions.
//!
//! Matches that touch (separated by spaces or a possessive) form one mention: "Kenya's
//! Interior Minister Kipchumba Murkomen" is a country, a title and a name, hence KEN/GOV
//! with the identifier "Kipchumba Murkomen".

use crate::coref::{self, Anaphors};
use crate::data::{role_on, DataError, Dictionary, EntryKind, Role, SectorKind};
use crate::petrarch::chunks;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use dyad_core::{Actor, Discard, Doc, Entity, EntityKind, Span, Stage, TokenKind};

/// The actor resolver as a pipeline stage.
pub struct ActorStage {
    dict: Dictionary,
    matcher: AhoCorasick,
    /// Pattern id → lowercased form (a key of `dict.by_form`).
    forms: Vec<String>,
    anaphors: Anaphors,
}

/// One dictionary match in the text.
#[derive(Debug, Clone)]
struct Hit {
    span: Span,
    /// Entries whose form and case fit the text.
    entries: Vec<usize>,
}

/// Particles that may sit inside a personal name ("Mohammed bin Salman", "Ursula von der Leyen").
const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "de", "del", "der", "di", "dos", "du", "ibn", "la", "van", "von",
];

/// Capitalised words that follow a title without being a name ("Minister On Monday" never
/// occurs, but "President Said" does in headlines).
const NOT_NAMES: &[&str] = &[
    "A",
    "An",
    "And",
    "As",
    "At",
    "But",
    "For",
    "He",
    "In",
    "It",
    "Of",
    "On",
    "She",
    "The",
    "They",
    "To",
    "We",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl ActorStage {
    pub fn new(dict: Dictionary) -> Self {
        let forms: Vec<String> = dict.by_form.keys().cloned().collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&forms)
            .expect("dictionary forms build an automaton");
        ActorStage {
            dict,
            matcher,
            forms,
            anaphors: Anaphors::builtin().expect("built-in anaphor list is valid"),
        }
    }

    /// The stage over dyad's built-in dictionaries.
    pub fn builtin() -> Result<Self, DataError> {
        Ok(Self::new(Dictionary::builtin()?))
    }

    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    fn hits(&self, text: &str) -> Vec<Hit> {
        let caseless = dyad_core::is_caseless(text);
        let mut out = Vec::new();
        let mut pos = 0;
        // Leftmost-longest matching, but a longest match that is not a valid hit ("The
        // Sudan" inside "The Sudanese") must not hide the shorter or later ones: retry with
        // a shorter haystack, then from the next character.
        let mut limit = text.len();
        while pos < text.len() {
            let input = Input::new(text).span(pos..limit);
            let Some(m) = self.matcher.find(input) else {
                if limit < text.len() {
                    pos = next_char(text, pos);
                    limit = text.len();
                    continue;
                }
                break;
            };
            if limit < text.len() && m.start() != pos {
                // Nothing shorter starts here.
                pos = next_char(text, pos);
                limit = text.len();
                continue;
            }
            match self.hit(text, m.start(), m.end(), m.pattern().as_usize(), caseless) {
                Some(hit) => {
                    pos = hit.span.end;
                    limit = text.len();
                    out.push(hit);
                }
                None if m.end() > m.start() + 1 => {
                    pos = m.start();
                    limit = m.end() - 1;
                    while !text.is_char_boundary(limit) {
                        limit -= 1;
                    }
                }
                None => {
                    pos = next_char(text, m.start());
                    limit = text.len();
                }
            }
        }
        out
    }

    /// The hit for a match of pattern `pattern` at `s..e`, if it is one: whole words, the
    /// right case, not a region.
    fn hit(&self, text: &str, s: usize, e: usize, pattern: usize, caseless: bool) -> Option<Hit> {
        let mut end = e;
        // Whole words only: no letter or digit on either side, except that a stem entry
        // ("ARGENTIN") may continue with letters to the end of its word ("Argentina").
        let before = text[..s].chars().next_back();
        let word_end = e + text[e..]
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(text.len() - e);
        let stemmed = word_end > e;
        if stemmed {
            end = word_end;
        }
        let after = text[end..].chars().next();
        if before.is_some_and(|c| c.is_alphanumeric()) || after.is_some_and(|c| c.is_alphanumeric())
        {
            return None;
        }
        let surface = &text[s..e];
        let entries: Vec<usize> = self.dict.by_form[&self.forms[pattern]]
            .iter()
            .copied()
            .filter(|&i| {
                let entry = &self.dict.entries[i];
                (entry.stem || !stemmed)
                    && (!entry.case_sensitive
                        || entry.form == surface
                        || is_caps_of(surface, &entry.form)
                        || (caseless && is_lower_of(surface, &entry.form)))
            })
            .collect();
        // A region match consumes its text: "South China Sea" is not China.
        let region = entries
            .iter()
            .any(|&i| self.dict.entries[i].kind == EntryKind::Region);
        if entries.is_empty() {
            return None;
        }
        if region {
            // Consumed: an empty hit list would let "China" inside it match; return a hit
            // the caller drops.
            return Some(Hit {
                span: Span::new(s, end),
                entries: Vec::new(),
            });
        }
        Some(Hit {
            span: Span::new(s, end),
            entries,
        })
    }

    /// Builds the entity for a run of touching hits, absorbing a personal name after a title.
    fn entity(&self, doc: &Doc, sentence: usize, chunk: &[Hit]) -> Entity {
        let mut actor = Actor::default();
        let mut kind = EntityKind::Country;
        let mut rules = Vec::new();
        let mut confidence: f32 = 0.0;
        let mut last_is_title = false;
        for hit in chunk {
            // Proper names before sector words when a form is both.
            let entry = &self.dict.entries[hit.entries[0]];
            rules.push(format!("{} {:?}", entry.origin, doc.slice(hit.span)));
            last_is_title = false;
            match &entry.kind {
                EntryKind::CountryName { code }
                | EntryKind::CountryAdjective { code }
                | EntryKind::City { code } => {
                    if actor.code.is_empty() {
                        actor.code = code.clone();
                    }
                    confidence = confidence.max(match entry.kind {
                        EntryKind::CountryName { .. } => 0.9,
                        EntryKind::CountryAdjective { .. } => 0.8,
                        _ => 0.7,
                    });
                }
                EntryKind::Organisation {
                    code,
                    identifier,
                    sectors,
                } => {
                    if actor.code.is_empty() {
                        actor.code = code.clone();
                    }
                    if actor.identifier.is_none() {
                        actor.identifier = Some(identifier.clone());
                    }
                    for s in sectors.iter().flat_map(|s| chunks(s)) {
                        push_sector(&mut actor.sectors, &s);
                    }
                    kind = EntityKind::Organisation;
                    confidence = confidence.max(0.9);
                }
                EntryKind::Sector { sector, kind: sk } => {
                    // PETRARCH agents carry several 3-letter sectors ("GOVFRM").
                    for s in chunks(sector) {
                        push_sector(&mut actor.sectors, &s);
                    }
                    if kind != EntityKind::Organisation {
                        kind = match sk {
                            SectorKind::Group => EntityKind::Group,
                            SectorKind::Title | SectorKind::Person => EntityKind::Person,
                        };
                    }
                    last_is_title = *sk == SectorKind::Title;
                    confidence = confidence.max(0.6);
                }
                EntryKind::Named {
                    identifier,
                    person,
                    roles,
                } => {
                    if let Some(role) = role_on(roles, doc.article.date.as_deref()) {
                        if actor.code.is_empty() {
                            actor.code = role.code.clone();
                        }
                        for s in &role.sectors {
                            push_sector(&mut actor.sectors, s);
                        }
                        rules.push(format!("role {}", describe(role)));
                    } else if let Some(first) = roles
                        .iter()
                        .filter(|r| r.from.is_some())
                        .min_by_key(|r| r.from.clone())
                        .or(roles.first())
                    {
                        // Before any listed role: the person's country, no sector.
                        if actor.code.is_empty() {
                            actor.code = first.code.clone();
                        }
                        rules.push(format!(
                            "no role on the article date; country of {}",
                            describe(first)
                        ));
                    }
                    actor.identifier = Some(identifier.clone());
                    kind = if *person {
                        EntityKind::Person
                    } else {
                        EntityKind::Organisation
                    };
                    confidence = confidence.max(0.9);
                }
                EntryKind::Region | EntryKind::Discard { .. } => {}
            }
        }
        // PLOVER's PRE (partially recognised entity) is added to the other sectors, never
        // the primary one: "Transnistrian authorities" is MDA GOV with PRE.
        actor.sectors.sort_by_key(|s| s == "PRE");
        let mut span = Span::new(chunk[0].span.start, chunk[chunk.len() - 1].span.end);
        if last_is_title {
            if let Some(name) = name_after(doc, sentence, span.end) {
                actor.identifier = Some(doc.slice(name).to_string());
                rules.push(format!("name after title {:?}", doc.slice(name)));
                span.end = name.end;
                kind = EntityKind::Person;
                confidence = (confidence + 0.15).min(0.95);
            }
        }
        actor.full_code = self.dict.full_codes;
        Entity {
            span,
            sentence,
            kind,
            actor,
            rule: rules.join(" + "),
            confidence,
            antecedent: None,
            description: None,
        }
    }
}

/// "USA GOV (President) 2021-01-20..2025-01-20", for explanations.
pub fn describe(role: &Role) -> String {
    let mut out = role.code.clone();
    for s in &role.sectors {
        out.push(' ');
        out.push_str(s);
    }
    if !role.title.is_empty() {
        out.push_str(&format!(" ({})", role.title));
    }
    if role.is_dated() {
        out.push_str(&format!(
            " {}..{}",
            role.from.as_deref().unwrap_or(""),
            role.to.as_deref().unwrap_or("")
        ));
    }
    out
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// In a text without capitals, "pakistan" is Pakistan; but not acronyms ("us", "is",
/// "un") nor names that are also common words, which lowercase text cannot tell apart.
fn is_lower_of(surface: &str, form: &str) -> bool {
    const COMMON: &[&str] = &[
        "chad", "china", "georgia", "guinea", "jordan", "may", "turkey", "will", "bill", "mark",
        "grant", "rose", "hope", "faith", "victor", "young", "king", "long", "rice", "bush",
    ];
    let lower = form.to_lowercase();
    surface == lower && form != form.to_uppercase() && !COMMON.contains(&lower.as_str())
}

/// "UNITED NATIONS" in a headline is still the organisation.
fn is_caps_of(surface: &str, form: &str) -> bool {
    surface.chars().count() > 3 && surface == form.to_uppercase() && surface != form
}

fn push_sector(sectors: &mut Vec<String>, s: &str) {
    if !sectors.iter().any(|x| x == s) {
        sectors.push(s.to_string());
    }
}

/// What may separate two hits of one mention: spaces or a possessive ("Kenya's police").
fn joinable(gap: &str) -> bool {
    let g = gap.trim();
    let g = g
        .strip_prefix("'s")
        .or_else(|| g.strip_prefix("\u{2019}s"))
        .or_else(|| g.strip_prefix('\''))
        .or_else(|| g.strip_prefix('\u{2019}'))
        .unwrap_or(g);
    // "-led" joins the leader to the force ("Vietnamese-led forces"); "-backed" does not
    // (the backer is not the actor).
    let g = g.strip_prefix("-led").unwrap_or(g);
    // Modifiers between a country and its title or body: "Taiwan's Vice Foreign Minister",
    // "Romania's new government", "Kenya's former president".
    g.split_whitespace()
        .all(|w| TITLE_MODIFIERS.contains(&w.to_lowercase().as_str()))
}

/// Words that may stand between a country and the title or body it qualifies.
const TITLE_MODIFIERS: &[&str] = &[
    "vice",
    "deputy",
    "former",
    "acting",
    "interim",
    "senior",
    "top",
    "new",
    "chief",
    "junior",
    "outgoing",
    "incoming",
    "ousted",
    "exiled",
    "main",
    "ruling",
    "then",
    "transitional",
    "caretaker",
    "powerful",
    "influential",
    "veteran",
    "longtime",
];

impl ActorStage {
    /// "Cuban democracy activists", "U.S. trade officials", "Afghan women writers": a
    /// state, then one or two lowercase nouns or adjectives that qualify the group, then a
    /// sector word, are one mention (the parse's tags tell the qualifiers).
    fn modified(&self, doc: &Doc, state: &Hit, sector: &Hit) -> bool {
        let kind = |h: &Hit| h.entries.first().map(|&i| &self.dict.entries[i].kind);
        let is_state = matches!(
            kind(state),
            Some(EntryKind::CountryAdjective { .. } | EntryKind::CountryName { .. })
        );
        // A capitalised sector word starts a heading glued to the sentence ("China
        // concerns Politicians in Britain ..."), not the qualified group.
        let lowercase = doc.slice(sector.span).starts_with(char::is_lowercase);
        if !is_state || !lowercase || !matches!(kind(sector), Some(EntryKind::Sector { .. })) {
            return false;
        }
        let (from, to) = (
            doc.token_at(state.span.end),
            doc.token_at(sector.span.start),
        );
        let gap = &doc.tokens[from..to];
        (1..=2).contains(&gap.len())
            && gap.iter().all(|t| {
                let text = doc.slice(t.span);
                text.chars().all(|c| c.is_lowercase() || c == '-')
                    && t.syntax
                        .as_ref()
                        .is_some_and(|x| matches!(x.upos.as_str(), "NOUN" | "ADJ"))
            })
    }
}

/// The capitalised name right after byte `end` in the sentence, if any.
fn name_after(doc: &Doc, sentence: usize, end: usize) -> Option<Span> {
    let range = doc.sentences[sentence].tokens.clone();
    let mut i = doc.token_at(end).max(range.start);
    let mut span: Option<Span> = None;
    let mut pending_particles = 0;
    while i < range.end && i - range.start < range.len() {
        let tok = &doc.tokens[i];
        let text = doc.token_text(i);
        let capital = text.chars().next().is_some_and(|c| c.is_uppercase());
        let is_word = tok.kind == TokenKind::Word;
        if is_word && capital && !NOT_NAMES.contains(&text) {
            span = Some(Span::new(
                span.map_or(tok.span.start, |s| s.start),
                tok.span.end,
            ));
            pending_particles = 0;
        } else if span.is_some()
            && is_word
            && NAME_PARTICLES.contains(&text)
            && pending_particles < 2
        {
            pending_particles += 1;
        } else {
            break;
        }
        // Names are short: stop after four words.
        if span.is_some_and(|s| doc.slice(s).split_whitespace().count() >= 4) {
            break;
        }
        i += 1;
    }
    span
}

impl Stage for ActorStage {
    fn name(&self) -> &'static str {
        "actors"
    }

    fn process(&self, doc: &mut Doc) {
        // Region hits (no entries) only consumed their text.
        let hits: Vec<Hit> = self
            .hits(doc.text())
            .into_iter()
            .filter(|h| !h.entries.is_empty())
            .collect();
        let mut entities = Vec::new();
        let mut discards = Vec::new();
        let mut h = 0;
        for (s, sentence) in doc.sentences.iter().enumerate() {
            while h < hits.len() && hits[h].span.start < sentence.span.start {
                h += 1;
            }
            let mut in_sentence = Vec::new();
            while h < hits.len() && hits[h].span.end <= sentence.span.end {
                let mut hit = hits[h].clone();
                h += 1;
                // Discard phrases mark the sentence or story; they are no mentions.
                hit.entries.retain(|&i| {
                    let entry = &self.dict.entries[i];
                    let EntryKind::Discard { story } = entry.kind else {
                        return true;
                    };
                    if !discards.iter().any(|d: &Discard| d.span == hit.span) {
                        discards.push(Discard {
                            span: hit.span,
                            sentence: s,
                            story,
                            rule: entry.origin.clone(),
                        });
                    }
                    false
                });
                if !hit.entries.is_empty() {
                    in_sentence.push(hit);
                }
            }
            let mut i = 0;
            while i < in_sentence.len() {
                let mut j = i + 1;
                while j < in_sentence.len()
                    && (joinable(
                        &doc.text()[in_sentence[j - 1].span.end..in_sentence[j].span.start],
                    ) || self.modified(doc, &in_sentence[j - 1], &in_sentence[j]))
                {
                    j += 1;
                }
                entities.push(self.entity(doc, s, &in_sentence[i..j]));
                i = j;
            }
        }
        doc.discards = discards;
        let entities = coref::add_names(doc, entities);
        doc.entities = coref::link(doc, entities, &self.anaphors);
    }
}
