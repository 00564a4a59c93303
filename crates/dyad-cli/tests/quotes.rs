//! Quotes and their speakers on dyad's own sample articles, against a hand-labelled list
//! (`tests/data/quotes_gold.tsv`), and the patterns of reported speech one by one.

use dyad::Pipeline;
use dyad_core::{Article, Doc};
use dyad_output::Writer;
use std::path::PathBuf;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in pipeline"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(id: &str, text: &str, date: &str) -> Doc {
    let mut a = Article::new(id, text);
    a.date = Some(date.into());
    pipeline().run(a)
}

/// The speaker's name as the output gives it: identifier, else the mention's text.
fn speaker_of(doc: &Doc, q: &dyad_core::Quote) -> String {
    q.speaker
        .map(|s| {
            let e = &doc.entities[s];
            e.actor
                .identifier
                .clone()
                .unwrap_or_else(|| doc.slice(e.span).to_string())
        })
        .unwrap_or_default()
}

#[test]
fn speakers_of_the_sample_articles_match_the_hand_labels() {
    let gold =
        std::fs::read_to_string(root().join("crates/dyad-cli/tests/data/quotes_gold.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = gold
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let (mut found, mut right, mut total) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut docs = std::collections::HashMap::new();
    for row in &rows {
        let (article, content, key) = (row[0], row[1], row[2]);
        let doc = docs.entry(article).or_insert_with(|| {
            let text =
                std::fs::read_to_string(root().join(format!("examples/{article}.txt"))).unwrap();
            run(article, &text, "2026-11-20")
        });
        total += 1;
        let at = doc
            .text()
            .find(content)
            .unwrap_or_else(|| panic!("{content:?} not in {article}"));
        let gold_span = dyad_core::Span::new(at, at + content.len());
        let Some(q) = doc.quotes.iter().find(|q| q.span.overlaps(gold_span)) else {
            misses.push(format!("{article}: no quote over {content:?}"));
            continue;
        };
        found += 1;
        let got = speaker_of(doc, q);
        if got.to_lowercase().contains(&key.to_lowercase()) {
            right += 1;
        } else {
            misses.push(format!("{article}: {content:?} said by {got:?}, not {key}"));
        }
    }
    let accuracy = right as f64 / total as f64;
    let overlap = found as f64 / total as f64;
    eprintln!(
        "quotes: {total} labelled, {found} found ({:.1}%), speaker right {right} ({:.1}%)",
        100.0 * overlap,
        100.0 * accuracy
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(total >= 30);
    assert!(
        accuracy >= 0.9,
        "speaker accuracy {accuracy:.3}: {misses:#?}"
    );
    assert!(overlap >= 0.9, "quote overlap {overlap:.3}");
}

#[test]
fn a_chain_of_she_and_the_analyst_resolves_to_the_named_speaker() {
    let doc = run(
        "t",
        "Maria Wanjiru, a political scientist at the University of Nairobi, explained that \
         the protests reflected frustration among young voters. The analyst noted that \
         turnout had fallen. \"This is not only about petrol,\" she added.",
        "2026-11-20",
    );
    let speakers: Vec<String> = doc.quotes.iter().map(|q| speaker_of(&doc, q)).collect();
    assert_eq!(speakers, ["Maria Wanjiru"; 3], "{:#?}", doc.quotes);
    let rec = Writer::new(&doc).annotation();
    assert_eq!(rec.quotes[2].speaker.as_ref().unwrap().entity_text, "she");
    assert_eq!(
        rec.quotes[2].speaker_resolved_from.as_deref(),
        Some("Maria Wanjiru")
    );
    assert!(rec.quotes[0]
        .speaker_description
        .as_deref()
        .is_some_and(|d| d.contains("scientist")));
    assert!(!rec.quotes[2].direct || rec.quotes[2].cue.as_deref() == Some("added"));
}

#[test]
fn outlets_and_cue_forms_are_recorded() {
    let doc = run(
        "t",
        "The levy will not fuel inflation, as stated by Treasury Cabinet Secretary John Mbadi \
         in an interview with the Daily Nation. Opposition leader Martha Achieng told the \
         newspaper Le Monde that the government had silenced its critics.",
        "2026-11-20",
    );
    let rec = Writer::new(&doc).annotation();
    let q0 = &rec.quotes[0];
    assert_eq!(q0.cue.as_deref(), Some("as stated by"));
    assert!(q0.text.starts_with("The levy will not fuel inflation"));
    assert_eq!(
        q0.speaker.as_ref().unwrap().identifier_text.as_deref(),
        Some("John Mbadi")
    );
    assert_eq!(q0.outlet.as_ref().unwrap().entity_text, "Daily Nation");
    assert!(!q0.direct);
    let q1 = rec
        .quotes
        .iter()
        .find(|q| q.cue.as_deref() == Some("told"))
        .expect("told");
    assert_eq!(
        q1.speaker.as_ref().unwrap().identifier_text.as_deref(),
        Some("Martha Achieng")
    );
    assert!(q1
        .outlet
        .as_ref()
        .unwrap()
        .entity_text
        .ends_with("Le Monde"));
    assert_eq!(q1.outlet.as_ref().unwrap().code, "FRA");
}

#[test]
fn direct_quotes_with_straight_and_curly_marks_span_sentences() {
    for (open, close) in [("\"", "\""), ("\u{201C}", "\u{201D}")] {
        let text = format!(
            "{open}We will not be intimidated. Kenyans have a right to protest,{close} \
             Opposition leader Martha Achieng said."
        );
        let doc = run("t", &text, "2026-11-20");
        let q = &doc.quotes[0];
        assert!(q.direct);
        assert!(
            doc.slice(q.span).contains("intimidated. Kenyans"),
            "{:?}",
            doc.slice(q.span)
        );
        assert_eq!(speaker_of(&doc, q), "Martha Achieng");
    }
}
