//! Hostile text: invisible characters, symbols after a full stop, sentences without end.

use dyad_core::{Article, Doc};
use dyad_text::{segment, tokenize, MAX_SENTENCE_TOKENS};

fn sents(text: &str) -> Vec<String> {
    let mut doc = Doc::new(Article::new("t", text));
    segment(&mut doc);
    doc.sentences
        .iter()
        .map(|s| doc.slice(s.span).to_string())
        .collect()
}

#[test]
fn an_emoji_nul_or_bom_after_a_full_stop_keeps_the_sentence_break() {
    for junk in [
        "\u{1F600}",
        "\u{0}",
        "\u{FEFF}",
        "\u{200B}",
        "\u{1F600}\u{FE0F} \u{2764}",
    ] {
        let text = format!("Russia attacked Ukraine on Monday. {junk} China met Japan.");
        let s = sents(&text);
        assert_eq!(s.len(), 2, "{junk:?}: {s:?}");
        assert!(s[1].starts_with("China"), "{junk:?}: {s:?}");
    }
    // Without a capital after it, a symbol does not make a break either.
    assert_eq!(sents("It rose 5 p.c. \u{1F600} on the day.").len(), 1);
}

#[test]
fn invisible_characters_make_no_tokens_and_zero_width_ones_do_not_split_a_word() {
    let text = "\u{FEFF}Rus\u{200B}sia\u{0} attacked\u{200B} Ukraine";
    let words: Vec<&str> = tokenize(text)
        .iter()
        .map(|(s, _)| &text[s.range()])
        .collect();
    assert_eq!(words, ["Rus\u{200B}sia", "attacked", "Ukraine"]);
}

#[test]
fn a_text_without_sentence_punctuation_is_cut_into_bounded_sentences() {
    let text = "Russia attacked Ukraine and China met Japan ".repeat(200);
    let mut doc = Doc::new(Article::new("t", &text));
    segment(&mut doc);
    assert_eq!(doc.tokens.len(), 1400);
    assert!(doc.sentences.len() >= 1400 / MAX_SENTENCE_TOKENS);
    assert!(doc
        .sentences
        .iter()
        .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    // The pieces still cover every token in order, and the article gets one warning.
    let covered: usize = doc.sentences.iter().map(|s| s.tokens.len()).sum();
    assert_eq!(covered, doc.tokens.len());
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
}

#[test]
fn a_long_sentence_is_cut_after_a_comma_when_there_is_one() {
    let text = format!("{}, {}.", "word ".repeat(200), "more ".repeat(200));
    let mut doc = Doc::new(Article::new("t", &text));
    segment(&mut doc);
    assert!(doc.slice(doc.sentences[0].span).ends_with(','));
}

#[test]
fn a_one_megabyte_word_is_one_token() {
    let text = format!("Russia {} Ukraine.", "a".repeat(1 << 20));
    let toks = tokenize(&text);
    assert_eq!(toks.len(), 4);
    assert_eq!(toks[1].0.len(), 1 << 20);
}
