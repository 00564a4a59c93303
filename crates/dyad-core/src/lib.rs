//! The document model shared by every dyad stage.
//!
//! One [`Doc`] flows through the pipeline (text → actors → events → output). Each stage reads
//! the layers before it and adds its own; none does IO. Every span is a **byte range into
//! `Doc::text`**, the article text exactly as it was read; the output layer converts byte
//! ranges to character (Unicode scalar) offsets for the JSON records.

use serde::{Deserialize, Serialize};
use std::ops::Range;

mod date;
pub mod petrarch;
pub mod tsv;
pub use date::{normalise_date, resolve_date_at, DateError, DatePrecision};

/// A half-open byte range `[start, end)` into the original article text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Coder options an input record may carry (the PETRARCH suite's `config` object).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoderOptions {
    /// Emit an event only when both an actor and a recipient were found.
    pub require_dyad: Option<bool>,
}

impl CoderOptions {
    /// Reads the options dyad understands from a free-form JSON object. Values may be JSON
    /// booleans or the strings "True"/"False" that the PETRARCH suite uses.
    pub fn from_json(value: &serde_json::Value) -> Self {
        let flag = |key: &str| match value.get(key) {
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(serde_json::Value::String(s)) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Some(true),
                "false" | "0" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        };
        CoderOptions {
            require_dyad: flag("require_dyad"),
        }
    }
}

/// One news article as read from the input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    /// Publication date, normalised to `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub text: String,
    #[serde(default)]
    pub options: CoderOptions,
}

impl Article {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Article {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }
}

/// Coarse token classes from the tokenizer; the language layer adds tags later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Quote,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Index of the sentence holding this token.
    pub sentence: usize,
    /// Added by the language stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syntax: Option<Syntax>,
}

/// The language stage's analysis of one token (Universal Dependencies conventions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Syntax {
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// Index in `Doc::tokens` of the head; `None` for the sentence root.
    pub head: Option<usize>,
    pub deprel: String,
}

/// A name found by the recognizer: a person, organisation or location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Name {
    pub span: Span,
    pub sentence: usize,
    /// "PER", "ORG" or "LOC".
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    /// Indices into `Doc::tokens`.
    pub tokens: Range<usize>,
}

/// What kind of thing a mention names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A state, named or by demonym or capital.
    Country,
    /// An international or non-state organisation.
    Organisation,
    /// A named or titled person.
    Person,
    /// A collective: "troops", "the government", "Russian police".
    Group,
}

/// The political identity of a mention: PLOVER's country code, sectors and identifier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// ISO 3166 alpha-3, or a PLOVER non-state code (IGO, UNO, EUR, NGO, IMG, MNC, ...);
    /// empty when no country is known ("police", "gunmen").
    pub code: String,
    /// PLOVER sector codes, primary first.
    pub sectors: Vec<String>,
    /// The specific identity: a person's name, an organisation's canonical name.
    pub identifier: Option<String>,
    /// The actor comes from PETRARCH dictionaries, whose CAMEO codes keep every sector
    /// ("ARNGOVFRM"); dyad's own codes keep only the primary one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub full_code: bool,
}

impl Actor {
    /// The CAMEO-style actor code: country plus primary sector ("RUSGOV"), `---` standing in
    /// for an unknown country ("---COP").
    pub fn cameo(&self) -> String {
        let country = if self.code.is_empty() {
            "---"
        } else {
            &self.code
        };
        if self.full_code {
            return std::iter::once(country)
                .chain(self.sectors.iter().map(String::as_str))
                .collect();
        }
        match self.sectors.first() {
            Some(s) => format!("{country}{s}"),
            None => country.to_string(),
        }
    }
}

/// A mention of an actor in the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub span: Span,
    pub sentence: usize,
    pub kind: EntityKind,
    pub actor: Actor,
    /// The dictionary entries or rule that produced the mention, for explanation.
    pub rule: String,
    pub confidence: f32,
    /// For a later mention ("Murkomen", "the minister", "he", "the bloc"): the index in
    /// `Doc::entities` of the earlier mention it refers to, whose actor it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<usize>,
    /// An appositive description folded into this mention ("a political scientist at
    /// Nairobi University" after "Maria Lopez,").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Span>,
}

/// A phrase from a discard list ("World Cup", "typhoon") that marks a sentence, or with
/// `story` the whole article, as outside political event coding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discard {
    pub span: Span,
    pub sentence: usize,
    pub story: bool,
    /// `file:line` of the list entry.
    pub rule: String,
}

/// Reported speech: what was said, by whom, with which cue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted or reported content.
    pub span: Span,
    pub sentence: usize,
    /// Index into `Doc::entities`.
    pub speaker: Option<usize>,
    /// The cue: "said", "according to", "told reporters".
    pub cue: Option<Span>,
    /// True for words in quotation marks, false for indirect ("X said that ...").
    pub direct: bool,
    /// The news outlet the speaker spoke to ("told the newspaper Le Monde", "in an
    /// interview with the Daily Nation"): index into `Doc::entities`.
    #[serde(default)]
    pub outlet: Option<usize>,
}

/// Who an event is attributed to, when it is reported speech rather than the news outlet's
/// own account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Index into `Doc::entities`; `None` when the speaker is unnamed ("officials said").
    pub speaker: Option<usize>,
    pub cue: Span,
}

/// A coded event. Actors and recipients are entity indices, so every field points back
/// to the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub sentence: usize,
    /// The trigger words.
    pub trigger: Span,
    pub cameo: String,
    /// PLOVER event types (usually one).
    pub plover: Vec<String>,
    pub mode: Vec<String>,
    /// PLOVER contexts, including the auxiliary modes negation/hypothetical/future/historical.
    pub context: Vec<String>,
    pub quad: u8,
    pub scale: f32,
    pub actors: Vec<usize>,
    pub recipients: Vec<usize>,
    pub attribution: Option<Attribution>,
    /// The pattern that fired, for explanation.
    pub rule: String,
    pub confidence: f32,
    /// When it happened, where the sentence says ("on Friday", "Nov. 14").
    #[serde(default)]
    pub when: Option<EventDate>,
    /// Where it happened: the place named with a locative preposition ("in Beijing").
    #[serde(default)]
    pub place: Option<EventPlace>,
}

/// An event's date from a date expression in its sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// `YYYY-MM-DD`; for week, month or year precision the first day of the period.
    pub date: String,
    pub precision: DatePrecision,
    /// The expression.
    pub span: Span,
}

/// An event's location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    pub span: Span,
    /// The entity naming the place, when the actor layer resolved it (a state or city).
    pub entity: Option<usize>,
    /// ISO 3166 alpha-3 of the place, when known.
    pub country_code: Option<String>,
}

/// A gazetteer entry (GeoNames).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoEntry {
    pub geonameid: u32,
    pub name: String,
    /// GeoNames feature class and code ("P.PPLC", "A.PCLI", "A.ADM1").
    pub feature: String,
    pub population: u64,
    /// GeoNames admin1 key ("KE.05"); empty for a country.
    pub admin1: String,
    /// ISO 3166 alpha-3 (PLOVER's KOS for Kosovo).
    pub country_code: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// A gazetteer entry considered for a mention, with its ranking score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoCandidate {
    pub geonameid: u32,
    pub name: String,
    pub feature: String,
    pub country_code: String,
    pub population: u64,
    pub score: f32,
}

/// A place mention (geo stage): the entry it resolves to, if any, with the candidates
/// considered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub span: Span,
    pub sentence: usize,
    /// How the mention was found ("entity", "name", "dateline", "locative", "demonym") and
    /// why its entry won.
    pub rule: String,
    pub entry: Option<GeoEntry>,
    /// The entry's country, or for an unknown place the country its context gives.
    pub country_code: Option<String>,
    pub confidence: f32,
    pub candidates: Vec<GeoCandidate>,
}

/// Where an event happened: a place mention, and the method that chose it ("locative",
/// "participant", "sentence", "dateline", "story"), or no place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventLocation {
    /// Index into `Doc::places`.
    pub place: Option<usize>,
    pub method: String,
    /// A known place the chosen one lies in, when the chosen one is not in the gazetteer
    /// ("the Qadam Jadid area of Damascus"): its entry stands for the coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<usize>,
}

/// Whether a text is written without capitals (archives that lowercase everything, as the
/// Times of India stories of IndiaPoliceEvents): fewer than 1.5 in 100 letters are capitals
/// (2 to 7 in the VOA stories).
/// Sentence breaks and proper names then cannot rely on case.
pub fn is_caseless(text: &str) -> bool {
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= 20 && upper * 200 < letters * 3
}

/// The annotated document: the article plus every layer the stages add.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub article: Article,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    /// Names from the recognizer (language stage).
    pub names: Vec<Name>,
    pub entities: Vec<Entity>,
    /// Discard-list matches (actor stage); the event stage codes nothing they cover.
    pub discards: Vec<Discard>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    /// Place mentions resolved to gazetteer entries (geo stage), in text order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    /// Where each event happened and how that was chosen (geo stage): one per event, in
    /// `events` order; empty when the geo stage did not run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_places: Vec<EventLocation>,
    /// What a stage changed to keep its cost bounded (a split over-long sentence), for the
    /// front end to report on stderr; never part of the output records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Doc {
    pub fn new(article: Article) -> Self {
        Doc {
            article,
            ..Default::default()
        }
    }
    pub fn text(&self) -> &str {
        &self.article.text
    }
    /// See [`is_caseless`].
    pub fn caseless(&self) -> bool {
        is_caseless(self.text())
    }
    /// The text under a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.article.text[span.range()]
    }
    pub fn sentence_tokens(&self, sentence: usize) -> &[Token] {
        &self.tokens[self.sentences[sentence].tokens.clone()]
    }
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }
    /// The lemma of token `i`, or its lowercased text before the language stage ran.
    pub fn lemma(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match &self.tokens[i].syntax {
            Some(s) => std::borrow::Cow::Borrowed(&s.lemma),
            None => std::borrow::Cow::Owned(self.token_text(i).to_lowercase()),
        }
    }
    /// Index of the first token starting at or after byte `at`.
    pub fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < at)
    }
}

/// A pipeline stage: reads the layers before it and adds its own. Stages do no IO.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn process(&self, doc: &mut Doc);
}

/// Converts byte offsets of one text into character (Unicode scalar) offsets, as PLOVER's
/// `start`/`end` and Python's string indexing count them.
pub struct CharOffsets {
    /// For ASCII-only text the map is the identity and stays empty.
    byte_to_char: Vec<u32>,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharOffsets {
                byte_to_char: Vec::new(),
            };
        }
        let mut map = vec![0u32; text.len() + 1];
        let mut chars = 0u32;
        for (i, b) in text.bytes().enumerate() {
            // A UTF-8 continuation byte belongs to the char started before it.
            if b & 0xC0 != 0x80 {
                map[i] = chars;
                chars += 1;
            } else {
                map[i] = chars - 1;
            }
        }
        map[text.len()] = chars;
        CharOffsets { byte_to_char: map }
    }
    pub fn char(&self, byte: usize) -> usize {
        if self.byte_to_char.is_empty() {
            byte
        } else {
            self.byte_to_char[byte] as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_scalars_not_bytes() {
        let text = "Côte d'Ivoire and Türkiye met.";
        let map = CharOffsets::new(text);
        let byte = text.find("Türkiye").unwrap();
        assert_eq!(map.char(byte), 18);
        assert_eq!(map.char(text.len()), text.chars().count());
        assert_eq!(CharOffsets::new("plain").char(3), 3);
    }

    #[test]
    fn cameo_actor_code_uses_dashes_for_unknown_country() {
        let police = Actor {
            code: String::new(),
            sectors: vec!["COP".into()],
            identifier: None,
            full_code: false,
        };
        assert_eq!(police.cameo(), "---COP");
        let rus = Actor {
            code: "RUS".into(),
            sectors: vec!["GOV".into(), "MIL".into()],
            identifier: None,
            full_code: false,
        };
        assert_eq!(rus.cameo(), "RUSGOV");
        let petrarch = Actor {
            full_code: true,
            ..rus
        };
        assert_eq!(petrarch.cameo(), "RUSGOVMIL");
    }

    #[test]
    fn options_accept_petrarch_strings() {
        let v: serde_json::Value = serde_json::json!({"require_dyad": "False", "comma_min": "2"});
        assert_eq!(CoderOptions::from_json(&v).require_dyad, Some(false));
        let v: serde_json::Value = serde_json::json!({"require_dyad": true});
        assert_eq!(CoderOptions::from_json(&v).require_dyad, Some(true));
    }
}
