//! The output contract: PLOVER event records, full-annotation objects and CSV rows, built
//! from a coded [`Doc`]. Offsets here are **character** offsets into the article text (the
//! `Doc`'s byte spans converted), as PLOVER's `text_info` and Python's `str` count them.

use dyad_core::{CharOffsets, DatePrecision, Doc, Entity, EntityKind, Event, Span};
use serde::Serialize;

/// The coder identification written into every record.
pub const CODER: &str = concat!("dyad ", env!("CARGO_PKG_VERSION"));

/// An entity object, as PLOVER's actor/recipient lists hold them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityRecord {
    pub code: String,
    pub sector: Vec<String>,
    pub entity_text: String,
    pub identifier_text: Option<String>,
    pub cameo: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextInfo {
    pub sequence: usize,
    pub start: usize,
    pub end: usize,
}

/// Character offsets of a piece of text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Offsets {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributionRecord {
    pub speaker: Option<EntityRecord>,
    pub cue: String,
    pub start: usize,
    pub end: usize,
}

/// A date taken from the text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DateInfo {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub precision: DatePrecision,
    /// The article date it was resolved against.
    pub article_date: Option<String>,
}

/// PLOVER's location object, with the fields dyad can fill: the place as written, and
/// when the gazetteer knows it the GeoNames entry (id, name, coordinates, admin1 key,
/// feature class.code), with how the event's place was chosen (`method`: locative,
/// object, dateline, story).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocationRecord {
    pub extracted_place: String,
    pub country_code: Option<String>,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// A resolved place mention (`dyad annotate`): where it is, the entry it resolves to, the
/// rule and confidence, and the candidates considered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceRecord {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub entry: Option<dyad_core::GeoEntry>,
    pub country_code: Option<String>,
    pub rule: String,
    pub confidence: f32,
    pub candidates: Vec<dyad_core::GeoCandidate>,
}

/// One PLOVER event record (JSONL line of `dyad code`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PloverRecord {
    pub id: String,
    pub article_id: String,
    /// The event's date: from a date expression in its sentence (see `date_info`), else
    /// the article's date.
    pub date: Option<String>,
    /// Where `date` came from, when the sentence gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_info: Option<DateInfo>,
    pub actor: Vec<EntityRecord>,
    pub recipient: Vec<EntityRecord>,
    pub event: Vec<String>,
    pub mode: Vec<String>,
    pub context: Vec<String>,
    pub cameo: String,
    pub quad_code: u8,
    pub event_scale: f32,
    pub event_text: Vec<String>,
    /// Where the trigger words are.
    pub trigger: Offsets,
    pub text: String,
    pub text_info: TextInfo,
    /// PLOVER's location object: the place named in the sentence.
    pub event_loc: Option<LocationRecord>,
    pub attribution: Option<AttributionRecord>,
    /// The event is reported speech (someone's claim), not the outlet's own account:
    /// `attribution` says whose.
    pub claimed: bool,
    pub coder: &'static str,
    /// The pattern that fired.
    pub rule: String,
    pub confidence: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentenceRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MentionRecord {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    pub code: String,
    pub sector: Vec<String>,
    pub identifier_text: Option<String>,
    pub cameo: String,
    pub rule: String,
    pub confidence: f32,
    /// Index in `entities` of the earlier mention this one refers back to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuoteRecord {
    pub speaker: Option<EntityRecord>,
    /// The speaker's appositive description ("a political scientist at ...").
    pub speaker_description: Option<String>,
    /// For a pronoun or description speaker ("she", "the analyst"), the mention it
    /// resolves to.
    pub speaker_resolved_from: Option<String>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub cue: Option<String>,
    pub direct: bool,
    /// The outlet the speaker spoke to.
    pub outlet: Option<EntityRecord>,
}

/// The whole annotation of one article (JSON line of `dyad annotate`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    pub id: String,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub text: String,
    pub sentences: Vec<SentenceRecord>,
    pub entities: Vec<MentionRecord>,
    pub quotes: Vec<QuoteRecord>,
    /// Place mentions resolved to gazetteer entries.
    pub places: Vec<PlaceRecord>,
    pub events: Vec<PloverRecord>,
}

/// The longest `text` a record carries, in bytes: a longer sentence is shown as a window
/// of this size around the trigger (`text_info` gives where the window is).
pub const MAX_TEXT_BYTES: usize = 4096;

/// Builds records for one document; holds its byte→char map.
pub struct Writer<'a> {
    doc: &'a Doc,
    chars: CharOffsets,
}

impl<'a> Writer<'a> {
    pub fn new(doc: &'a Doc) -> Self {
        Writer {
            doc,
            chars: CharOffsets::new(doc.text()),
        }
    }

    fn offsets(&self, span: Span) -> (usize, usize) {
        (self.chars.char(span.start), self.chars.char(span.end))
    }

    pub fn entity(&self, e: &Entity) -> EntityRecord {
        let (start, end) = self.offsets(e.span);
        EntityRecord {
            code: e.actor.code.clone(),
            sector: e.actor.sectors.clone(),
            entity_text: self.doc.slice(e.span).to_string(),
            identifier_text: e.actor.identifier.clone(),
            cameo: e.actor.cameo(),
            start,
            end,
        }
    }

    /// The event's position among the events of its sentence.
    fn nth_in_sentence(&self, index: usize) -> usize {
        let ev = &self.doc.events[index];
        self.doc.events[..index]
            .iter()
            .filter(|e| e.sentence == ev.sentence)
            .count()
    }

    /// The part of the sentence a record shows: all of it, unless it is longer than
    /// [`MAX_TEXT_BYTES`] (a huge word, a text without sentence ends), then a window of that
    /// size around the trigger, so that records do not each repeat a huge sentence.
    fn text_window(&self, sentence: Span, trigger: Span) -> Span {
        if sentence.len() <= MAX_TEXT_BYTES {
            return sentence;
        }
        let text = self.doc.text();
        let mid = trigger.start.clamp(sentence.start, sentence.end);
        let mut start = mid.saturating_sub(MAX_TEXT_BYTES / 2).max(sentence.start);
        let mut end = (start + MAX_TEXT_BYTES).min(sentence.end);
        start = end.saturating_sub(MAX_TEXT_BYTES).max(sentence.start);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Span::new(start, end)
    }

    pub fn event(&self, index: usize) -> PloverRecord {
        self.numbered_event(index, self.nth_in_sentence(index))
    }

    /// The record of event `index`, the `nth` of its sentence. Its id is stable: article,
    /// sentence and that position.
    fn numbered_event(&self, index: usize, nth: usize) -> PloverRecord {
        let ev: &Event = &self.doc.events[index];
        let shown = self.text_window(self.doc.sentences[ev.sentence].span, ev.trigger);
        let (start, end) = self.offsets(shown);
        let (ts, te) = self.offsets(ev.trigger);
        PloverRecord {
            id: format!("{}-{}-{}", self.doc.article.id, ev.sentence, nth),
            article_id: self.doc.article.id.clone(),
            date: ev
                .when
                .as_ref()
                .map(|w| w.date.clone())
                .or_else(|| self.doc.article.date.clone()),
            date_info: ev.when.as_ref().map(|w| {
                let (start, end) = self.offsets(w.span);
                DateInfo {
                    text: self.doc.slice(w.span).to_string(),
                    start,
                    end,
                    precision: w.precision,
                    article_date: self.doc.article.date.clone(),
                }
            }),
            actor: ev
                .actors
                .iter()
                .map(|&a| self.entity(&self.doc.entities[a]))
                .collect(),
            recipient: ev
                .recipients
                .iter()
                .map(|&r| self.entity(&self.doc.entities[r]))
                .collect(),
            event: ev.plover.clone(),
            mode: ev.mode.clone(),
            context: ev.context.clone(),
            cameo: ev.cameo.clone(),
            quad_code: ev.quad,
            event_scale: ev.scale,
            event_text: vec![self.doc.slice(ev.trigger).to_string()],
            trigger: Offsets { start: ts, end: te },
            text: self.doc.slice(shown).to_string(),
            text_info: TextInfo {
                sequence: ev.sentence,
                start,
                end,
            },
            event_loc: self.location(index),
            claimed: ev.attribution.is_some(),
            attribution: ev.attribution.as_ref().map(|a| {
                let (start, end) = self.offsets(a.cue);
                AttributionRecord {
                    speaker: a.speaker.map(|s| self.entity(&self.doc.entities[s])),
                    cue: self.doc.slice(a.cue).to_string(),
                    start,
                    end,
                }
            }),
            coder: CODER,
            rule: ev.rule.clone(),
            confidence: round(ev.confidence),
        }
    }

    /// The event's place, with its gazetteer entry and method when the geo stage ran.
    fn location(&self, index: usize) -> Option<LocationRecord> {
        let p = self.doc.events[index].place.as_ref()?;
        let (start, end) = self.offsets(p.span);
        let geo = self.doc.event_places.get(index);
        // An unknown part of a known place takes the known place's entry.
        let entry = geo.and_then(|g| {
            g.place
                .and_then(|k| self.doc.places[k].entry.as_ref())
                .or_else(|| g.within.and_then(|k| self.doc.places[k].entry.as_ref()))
        });
        Some(LocationRecord {
            extracted_place: self.doc.slice(p.span).to_string(),
            country_code: p.country_code.clone(),
            start,
            end,
            geonameid: entry.map(|e| e.geonameid),
            placename: entry.map(|e| e.name.clone()),
            latitude: entry.map(|e| e.latitude),
            longitude: entry.map(|e| e.longitude),
            admin1: entry.map(|e| e.admin1.clone()).filter(|a| !a.is_empty()),
            feature: entry.map(|e| e.feature.clone()),
            method: geo.map(|g| g.method.clone()),
        })
    }

    pub fn places(&self) -> Vec<PlaceRecord> {
        self.doc
            .places
            .iter()
            .map(|p| {
                let (start, end) = self.offsets(p.span);
                PlaceRecord {
                    text: self.doc.slice(p.span).to_string(),
                    start,
                    end,
                    entry: p.entry.clone(),
                    country_code: p.country_code.clone(),
                    rule: p.rule.clone(),
                    confidence: round(p.confidence),
                    candidates: p.candidates.clone(),
                }
            })
            .collect()
    }

    pub fn events(&self) -> Vec<PloverRecord> {
        self.records().collect()
    }

    /// The records one at a time, so that a writer holds one record, not all of a long
    /// document's (each repeats its sentence).
    pub fn records(&self) -> impl Iterator<Item = PloverRecord> + '_ {
        // Positions counted in one pass: counting for each event is quadratic.
        let mut seen: std::collections::HashMap<usize, usize> = Default::default();
        (0..self.doc.events.len()).map(move |i| {
            let nth = seen.entry(self.doc.events[i].sentence).or_default();
            *nth += 1;
            self.numbered_event(i, *nth - 1)
        })
    }

    pub fn annotation(&self) -> Annotation {
        let doc = self.doc;
        Annotation {
            id: doc.article.id.clone(),
            date: doc.article.date.clone(),
            title: doc.article.title.clone(),
            url: doc.article.url.clone(),
            source: doc.article.source.clone(),
            text: doc.text().to_string(),
            sentences: doc
                .sentences
                .iter()
                .map(|s| {
                    let (start, end) = self.offsets(s.span);
                    SentenceRecord {
                        start,
                        end,
                        text: doc.slice(s.span).to_string(),
                    }
                })
                .collect(),
            entities: doc
                .entities
                .iter()
                .map(|e| {
                    let (start, end) = self.offsets(e.span);
                    MentionRecord {
                        text: doc.slice(e.span).to_string(),
                        start,
                        end,
                        kind: e.kind,
                        code: e.actor.code.clone(),
                        sector: e.actor.sectors.clone(),
                        identifier_text: e.actor.identifier.clone(),
                        cameo: e.actor.cameo(),
                        rule: e.rule.clone(),
                        confidence: round(e.confidence),
                        antecedent: e.antecedent,
                    }
                })
                .collect(),
            quotes: doc
                .quotes
                .iter()
                .map(|q| {
                    let (start, end) = self.offsets(q.span);
                    // The first mention of a chain carries the description.
                    let root = |mut i: usize| {
                        while let Some(a) = doc.entities[i].antecedent {
                            i = a;
                        }
                        i
                    };
                    QuoteRecord {
                        speaker: q.speaker.map(|s| self.entity(&doc.entities[s])),
                        speaker_description: q
                            .speaker
                            .and_then(|s| doc.entities[root(s)].description)
                            .map(|d| doc.slice(d).to_string()),
                        speaker_resolved_from: q
                            .speaker
                            .filter(|&s| root(s) != s)
                            .map(|s| doc.slice(doc.entities[root(s)].span).to_string()),
                        text: doc.slice(q.span).to_string(),
                        start,
                        end,
                        cue: q.cue.map(|c| doc.slice(c).to_string()),
                        direct: q.direct,
                        outlet: q.outlet.map(|o| self.entity(&doc.entities[o])),
                    }
                })
                .collect(),
            places: self.places(),
            events: self.events(),
        }
    }

    /// CSV rows, one per actor–recipient dyad (CAMEO style), in [`CSV_HEADER`] order.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for rec in self.events() {
            let none = [None];
            let actors: Vec<Option<&EntityRecord>> = if rec.actor.is_empty() {
                none.to_vec()
            } else {
                rec.actor.iter().map(Some).collect()
            };
            let recipients: Vec<Option<&EntityRecord>> = if rec.recipient.is_empty() {
                none.to_vec()
            } else {
                rec.recipient.iter().map(Some).collect()
            };
            for a in &actors {
                for r in &recipients {
                    let side = |e: &Option<&EntityRecord>| match e {
                        Some(e) => [
                            e.cameo.clone(),
                            e.code.clone(),
                            e.sector.join(";"),
                            e.entity_text.clone(),
                        ],
                        None => ["---".into(), String::new(), String::new(), String::new()],
                    };
                    let mut row = vec![
                        rec.id.clone(),
                        rec.article_id.clone(),
                        rec.date.clone().unwrap_or_default(),
                    ];
                    row.extend(side(a));
                    row.extend(side(r));
                    row.extend([
                        rec.event.join(";"),
                        rec.mode.join(";"),
                        rec.context.join(";"),
                        rec.cameo.clone(),
                        rec.cameo.get(..2).unwrap_or_default().to_string(),
                        rec.quad_code.to_string(),
                        format!("{}", rec.event_scale),
                        rec.event_text.join(" "),
                        rec.attribution
                            .as_ref()
                            .map(|at| {
                                at.speaker
                                    .as_ref()
                                    .map_or("(unnamed)".to_string(), |s| s.entity_text.clone())
                            })
                            .unwrap_or_default(),
                        rec.claimed.to_string(),
                        rec.event_loc
                            .as_ref()
                            .map(|l| l.extracted_place.clone())
                            .unwrap_or_default(),
                        rec.event_loc
                            .as_ref()
                            .and_then(|l| l.country_code.clone())
                            .unwrap_or_default(),
                    ]);
                    row.extend([
                        format!("{}", rec.confidence),
                        rec.text_info.sequence.to_string(),
                        rec.text.clone(),
                    ]);
                    // Last, so that the columns before keep the positions they had.
                    row.extend(action_geo(rec.event_loc.as_ref()));
                    rows.push(row);
                }
            }
        }
        rows
    }
}

/// Column names of [`Writer::csv_rows`], GDELT-like (documented in `docs/csv.md`). New
/// columns go at the end, so that a consumer reading by position keeps working.
pub const CSV_HEADER: &[&str] = &[
    "event_id",
    "article_id",
    "date",
    "actor_cameo",
    "actor_code",
    "actor_sector",
    "actor_text",
    "recipient_cameo",
    "recipient_code",
    "recipient_sector",
    "recipient_text",
    "event",
    "mode",
    "context",
    "cameo",
    "cameo_root",
    "quad_code",
    "event_scale",
    "event_text",
    "attributed_to",
    "claimed",
    "event_loc",
    "event_loc_code",
    "confidence",
    "sentence",
    "text",
    // Added with the geo stage, after the older columns (whose positions stay as they were).
    "action_geo_type",
    "action_geo_fullname",
    "action_geo_country",
    "action_geo_adm1",
    "action_geo_lat",
    "action_geo_long",
    "action_geo_feature_id",
    "action_geo_method",
];

/// GDELT-like ActionGeo columns of an event's place: type (1 country, 2 US state, 3 US
/// city, 4 world city, 5 world state), full name, country, admin1, latitude, longitude,
/// GeoNames id, and how the place was chosen. Empty when no entry is known.
fn action_geo(loc: Option<&LocationRecord>) -> [String; 8] {
    let Some(l) = loc.filter(|l| l.geonameid.is_some()) else {
        let method = loc.and_then(|l| l.method.clone()).unwrap_or_default();
        let mut empty: [String; 8] = Default::default();
        empty[7] = method;
        return empty;
    };
    let feature = l.feature.as_deref().unwrap_or("");
    let us = l.country_code.as_deref() == Some("USA");
    let kind = match (feature, us) {
        ("A.PCLI", _) => 1,
        ("A.ADM1", true) => 2,
        (_, true) => 3,
        ("A.ADM1", false) => 5,
        _ => 4,
    };
    let name = l.placename.clone().unwrap_or_default();
    let full = match (&l.country_code, kind) {
        (Some(c), 2..=5) => format!("{name}, {c}"),
        _ => name,
    };
    let num = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
    [
        kind.to_string(),
        full,
        l.country_code.clone().unwrap_or_default(),
        l.admin1.clone().unwrap_or_default(),
        num(l.latitude),
        num(l.longitude),
        l.geonameid.map(|g| g.to_string()).unwrap_or_default(),
        l.method.clone().unwrap_or_default(),
    ]
}

fn round(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::{Actor, Article, Attribution, Sentence, Token, TokenKind};

    fn doc() -> Doc {
        let text = "Türkiye condemned Greece, officials said.";
        let mut d = Doc::new(Article::new("a1", text));
        d.article.date = Some("2026-11-20".into());
        d.tokens.push(Token {
            span: Span::new(0, 8),
            kind: TokenKind::Word,
            sentence: 0,
            syntax: None,
        });
        d.sentences.push(Sentence {
            span: Span::new(0, text.len()),
            tokens: 0..1,
        });
        let ent = |s: usize, e: usize, code: &str| Entity {
            span: Span::new(s, e),
            sentence: 0,
            kind: EntityKind::Country,
            actor: Actor {
                code: code.into(),
                sectors: vec![],
                identifier: None,
                full_code: false,
            },
            rule: "test".into(),
            confidence: 0.9,
            antecedent: None,
            description: None,
        };
        let g = text.find("Greece").unwrap();
        d.entities = vec![ent(0, 8, "TUR"), ent(g, g + 6, "GRC")];
        let c = text.find("condemned").unwrap();
        let said = text.find("said").unwrap();
        d.events.push(Event {
            sentence: 0,
            trigger: Span::new(c, c + 9),
            cameo: "111".into(),
            plover: vec!["ACCUSE".into()],
            mode: vec!["disapprove".into()],
            context: vec![],
            quad: 3,
            scale: -2.0,
            actors: vec![0],
            recipients: vec![1],
            attribution: Some(Attribution {
                speaker: None,
                cue: Span::new(said, said + 4),
            }),
            rule: "verbs.tsv:1".into(),
            confidence: 0.8,
            when: None,
            place: None,
        });
        d
    }

    #[test]
    fn action_geo_columns_follow_gdelt_types() {
        let loc = LocationRecord {
            extracted_place: "Goma".into(),
            country_code: Some("COD".into()),
            start: 0,
            end: 4,
            geonameid: Some(216281),
            placename: Some("Goma".into()),
            latitude: Some(-1.6741),
            longitude: Some(29.2285),
            admin1: Some("CD.11".into()),
            feature: Some("P.PPL".into()),
            method: Some("locative".into()),
        };
        let cols = action_geo(Some(&loc));
        assert_eq!(cols[0], "4");
        assert_eq!(cols[1], "Goma, COD");
        assert_eq!(cols[6], "216281");
        assert_eq!(cols[7], "locative");
        assert_eq!(action_geo(None), <[String; 8]>::default());
        assert_eq!(CSV_HEADER.len(), Writer::new(&doc()).csv_rows()[0].len());
    }

    #[test]
    fn record_offsets_are_characters() {
        let d = doc();
        let rec = Writer::new(&d).event(0);
        // "Türkiye" is 8 bytes but 7 characters.
        assert_eq!(rec.actor[0].end, 7);
        assert_eq!(rec.recipient[0].start, "Türkiye condemned ".chars().count());
        assert_eq!(rec.trigger, Offsets { start: 8, end: 17 });
        assert_eq!(rec.id, "a1-0-0");
        assert_eq!(rec.attribution.as_ref().unwrap().cue, "said");
    }

    #[test]
    fn record_serialises_with_plover_field_names() {
        let d = doc();
        let v = serde_json::to_value(Writer::new(&d).event(0)).unwrap();
        for key in [
            "id",
            "article_id",
            "date",
            "actor",
            "recipient",
            "event",
            "mode",
            "context",
            "cameo",
            "quad_code",
            "event_scale",
            "event_text",
            "text",
            "text_info",
            "attribution",
            "coder",
            "confidence",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["actor"][0]["cameo"], "TUR");
        assert_eq!(v["text_info"]["sequence"], 0);
    }

    #[test]
    fn csv_has_one_row_per_dyad_matching_the_header() {
        let mut d = doc();
        d.events[0].actors = vec![0, 1];
        d.events[0].recipients = vec![];
        let rows = Writer::new(&d).csv_rows();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
        assert_eq!(rows[1][3], "GRC");
        assert_eq!(rows[1][7], "---");
        assert_eq!(rows[0][19], "(unnamed)");
    }

    #[test]
    fn csv_columns_before_the_geo_stage_keep_their_positions() {
        // The header as released before the ActionGeo columns: consumers read by position.
        let before = [
            "event_id",
            "article_id",
            "date",
            "actor_cameo",
            "actor_code",
            "actor_sector",
            "actor_text",
            "recipient_cameo",
            "recipient_code",
            "recipient_sector",
            "recipient_text",
            "event",
            "mode",
            "context",
            "cameo",
            "cameo_root",
            "quad_code",
            "event_scale",
            "event_text",
            "attributed_to",
            "claimed",
            "event_loc",
            "event_loc_code",
            "confidence",
            "sentence",
            "text",
        ];
        assert_eq!(CSV_HEADER[..before.len()], before);
        let d = doc();
        let row = &Writer::new(&d).csv_rows()[0];
        assert_eq!(row[25], d.article.text);
        assert_eq!(row[24], "0");
    }
}
