//! Fuzz targets: one function per reader and stage, taking arbitrary bytes and panicking
//! only on a bug (a panic in dyad's code, or a broken invariant of the output contract).
//! The stable harness (`tests/fuzz.rs`) and the cargo-fuzz targets (`fuzz/`) both call
//! these, so that a crash found by one is reproduced by the other.

use crate::input::{self, ReadOptions};
use crate::{ActorLookup, Pipeline};
use dyad_core::{Article, Doc};
use std::sync::OnceLock;

/// A named fuzz target.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    ("jsonl", jsonl),
    ("text", text),
    ("tokenizer", tokenizer),
    ("language", language),
    ("actors", actors),
    ("coder", coder),
    ("petrarch", petrarch),
    ("verbs", verbs),
    ("conllu", conllu),
    ("models", models),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    TARGETS.iter().find(|t| t.0 == name).map(|t| t.1)
}

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in pipeline"))
}

fn lookup() -> &'static ActorLookup {
    static L: OnceLock<ActorLookup> = OnceLock::new();
    L.get_or_init(|| {
        ActorLookup::with_dictionary(dyad_actors::Dictionary::builtin().expect("dictionary"))
            .expect("actor lookup")
    })
}

fn article(data: &[u8]) -> Article {
    let mut a = Article::new("fuzz", String::from_utf8_lossy(data).into_owned());
    a.date = Some("2025-03-14".into());
    a
}

/// JSONL records: each line read or reported with its line number, never a panic.
pub fn jsonl(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count();
    input::read_jsonl(
        "fuzz.jsonl",
        "fuzz",
        data,
        &ReadOptions::default(),
        &mut |r| {
            if let Err(e) = r {
                let line: usize = e.place.rsplit(':').next().unwrap().parse().unwrap();
                assert!((1..=lines).contains(&line), "{e}");
            }
        },
    );
}

/// A `.txt` file, written and read back through the command's reader.
pub fn text(data: &[u8]) {
    let dir = std::env::temp_dir().join(format!("dyad-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("a.txt");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    input::read_path(&path, &ReadOptions::default(), &mut |r| {
        if let Ok(a) = r {
            assert_eq!(a.text.as_bytes(), data);
        }
    });
}

/// Tokens cover the text in order without overlap, on char boundaries; sentences are
/// bounded and cover every token.
pub fn tokenizer(data: &[u8]) {
    let mut doc = Doc::new(article(data));
    dyad_text::segment(&mut doc);
    check_layers(&doc);
}

fn check_layers(doc: &Doc) {
    let text = doc.text();
    let mut end = 0;
    for t in &doc.tokens {
        assert!(t.span.start >= end && t.span.end > t.span.start, "{t:?}");
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        end = t.span.end;
    }
    let mut next = 0;
    for s in &doc.sentences {
        assert_eq!(s.tokens.start, next);
        assert!(s.tokens.len() <= dyad_text::MAX_SENTENCE_TOKENS);
        next = s.tokens.end;
    }
    assert_eq!(next, doc.tokens.len());
}

/// Text and language stages: heads inside their sentence, names on token boundaries.
pub fn language(data: &[u8]) {
    let doc = lookup().run(article(data));
    check_layers(&doc);
    for (i, t) in doc.tokens.iter().enumerate() {
        if let Some(h) = t.syntax.as_ref().and_then(|s| s.head) {
            assert_eq!(doc.tokens[h].sentence, t.sentence, "head of {i}");
        }
    }
}

/// The actor resolver: every entity inside its sentence.
pub fn actors(data: &[u8]) {
    let doc = lookup().run(article(data));
    // The coder finds a sentence's entities by a binary search on this order.
    assert!(doc
        .entities
        .windows(2)
        .all(|w| w[0].sentence <= w[1].sentence));
    for e in &doc.entities {
        let s = doc.sentences[e.sentence].span;
        assert!(s.contains(e.span), "{e:?} outside {s:?}");
        if let Some(a) = e.antecedent {
            assert!(a < doc.entities.len());
        }
    }
}

/// The whole pipeline and its output: records and annotation serialise, and every span
/// is its text in characters.
pub fn coder(data: &[u8]) {
    let doc = pipeline().run(article(data));
    check_layers(&doc);
    let w = dyad_output::Writer::new(&doc);
    let chars: Vec<char> = doc.text().chars().collect();
    let span = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let mut ids = std::collections::HashSet::new();
    for r in w.records() {
        assert!(ids.insert(r.id.clone()), "repeated id {}", r.id);
        assert_eq!(span(r.text_info.start, r.text_info.end), r.text);
        assert_eq!(span(r.trigger.start, r.trigger.end), r.event_text[0]);
        for a in r.actor.iter().chain(&r.recipient) {
            assert_eq!(span(a.start, a.end), a.entity_text);
        }
        serde_json::to_string(&r).expect("record serialises");
    }
    let annotation = w.annotation();
    for q in &annotation.quotes {
        assert!(q.text.chars().count() <= chars.len());
    }
    serde_json::to_string(&annotation).expect("annotation serialises");
}

/// PETRARCH actor, agent and discard files: bad lines are warnings, never panics.
pub fn petrarch(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut dict = dyad_actors::Dictionary::default();
    let _ = dict.add_petrarch_actors("fuzz.actors.txt", &text);
    let _ = dict.add_petrarch_agents("fuzz.agents.txt", &text);
    let _ = dict.add_petrarch_discards("fuzz.discards.txt", &text);
}

/// PETRARCH verb dictionaries.
pub fn verbs(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = dyad_events::VerbDictionary::read("fuzz.verbs.txt", &text);
}

/// CoNLL-U treebanks, plain and with names.
pub fn conllu(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = dyad_lang::conllu::parse(&text) {
        let _ = dyad_lang::conllu::parse(&dyad_lang::conllu::write(&s));
    }
    let _ = dyad_lang::conllu::parse_ner(&text);
}

/// Model bytes: a corrupt model is an error, never a panic or a huge allocation.
pub fn models(data: &[u8]) {
    let _ = dyad_lang::tagger::Tagger::from_bytes(data);
    let _ = dyad_lang::parser::Parser::from_bytes(data);
    let _ = dyad_lang::ner::Recognizer::from_bytes(data);
    let _ = dyad_lang::lemma::Lemmatizer::from_bytes(data);
}

/// The shipped models, as seeds for the `models` target: mutations of a real model reach
/// far deeper into the readers than random bytes.
pub fn model_seeds() -> [&'static [u8]; 4] {
    [
        include_bytes!("../../dyad-lang/models/tagger.bin"),
        include_bytes!("../../dyad-lang/models/lemma.bin"),
        include_bytes!("../../dyad-lang/models/parser.bin"),
        include_bytes!("../../dyad-lang/models/ner.bin"),
    ]
}
