//! Reported speech: direct quotes in quotation marks and indirect speech introduced by a
//! cue ("X said ...", "according to X, ..."). Each becomes a [`Quote`]; the region of the
//! sentence it covers is returned so that events inside it can be attributed.

use crate::coder::{Group, SentenceView};
use crate::lexicon::{CueKind, Lexicon};
use dyad_core::{Doc, Quote, Span, TokenKind};

/// A stretch of a sentence (token positions, sentence-local) that is someone's speech.
#[derive(Clone, Debug)]
pub struct Region {
    pub tokens: std::ops::Range<usize>,
    pub speaker: Option<usize>,
    pub cue: Span,
    /// Tokens of the cue and the speaker, which belong to no event.
    pub frame: std::ops::Range<usize>,
}

/// Words that may stand between a speaker and the cue ("X has said", "X also told").
const BETWEEN_SPEAKER_AND_CUE: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "earlier",
    "further",
    "then",
    "previously",
];

/// A listed word or a manner adverb ("quickly claimed", "publicly said").
fn between_speaker_and_cue(w: &str) -> bool {
    BETWEEN_SPEAKER_AND_CUE.contains(&w) || (w.len() > 4 && w.ends_with("ly") && w != "only")
}

/// "kept a strict vigil", "observed a minute of silence", "reported two deaths": a
/// cue verb whose object is a noun and which governs no clause does something else than
/// speak. "told reporters" names the addressee, so telling stays speech; so does saying,
/// whose inverted speaker the parse may take for an object ("..., said the ministry").
fn names_a_thing(doc: &Doc, view: &SentenceView, i: usize) -> bool {
    let upos = |k: usize| {
        doc.tokens[view.offset + k]
            .syntax
            .as_ref()
            .map(|x| x.upos.as_str())
    };
    view.parsed
        && !matches!(view.lemma[i].as_str(), "tell" | "say")
        && upos(i) == Some("VERB")
        && view.children[i].iter().any(|&c| {
            view.deprel[c] == "obj" && upos(c) == Some("NOUN") && view.entity_at[c].is_none()
        })
        && !view.children[i]
            .iter()
            .any(|&c| matches!(view.deprel[c].as_str(), "ccomp" | "parataxis" | "xcomp"))
}

/// Finds indirect speech in one sentence.
pub fn indirect(lex: &Lexicon, view: &SentenceView, doc: &Doc) -> Vec<Region> {
    let mut out = Vec::new();
    let n = view.words.len();
    let mut i = 0;
    while i < n {
        let Some((len, &kind)) = lex.speech.longest_at(&view.words[i..]) else {
            i += 1;
            continue;
        };
        if view.entity_at[i].is_some() {
            i += 1;
            continue;
        }
        let cue = Span::new(view.span(doc, i).start, view.span(doc, i + len - 1).end);
        let after = i + len;
        match kind {
            CueKind::According => {
                let speaker = view.group_starting_at(after);
                let frame_end = speaker.as_ref().map_or(after, |g| g.end);
                // "According to X, CONTENT" or "CONTENT, according to X."
                let content = if i <= 1 {
                    skip_punct(view, frame_end)..n
                } else {
                    0..i
                };
                // "According to officials." says nothing: no region without content.
                if !content.is_empty() {
                    out.push(Region {
                        tokens: content,
                        speaker: speaker.and_then(|g| g.head()),
                        cue,
                        frame: i..frame_end,
                    });
                }
            }
            CueKind::Say if names_a_thing(doc, view, i) => {}
            CueKind::Say => {
                let mut before = i;
                while before > 0 && between_speaker_and_cue(&view.words[before - 1]) {
                    before -= 1;
                }
                // "Castillejo, who told the meeting that ...": the relative pronoun speaks
                // for the name before it.
                let relative =
                    before >= 2 && view.words[before - 1] == "who" && view.words[before - 2] == ",";
                let subject: Option<Group> = if relative {
                    view.group_ending_at(before - 2)
                } else {
                    view.group_ending_at(before)
                };
                // "..., said the ministry." — an inverted speaker closes its clause.
                let inverted: Option<Group> = if subject.is_none() {
                    view.group_starting_at(after).filter(|g| {
                        g.end >= n
                            || view.kinds[g.end] == TokenKind::Punct
                            || view.words[g.end] == "on"
                    })
                } else {
                    None
                };
                // Without a speaker, the cue needs a subject word before it ("he said",
                // "officials said"); "member states" or "the claim" are not speech.
                let subject_word = before > 0
                    && view.kinds[before - 1] == TokenKind::Word
                    && !matches!(
                        view.words[before - 1].as_str(),
                        "the" | "a" | "an" | "and" | "or" | "to" | "of" | "in" | "which"
                    );
                // "Maria Wanjiru, a political scientist at ..., explained that": the parse
                // finds the subject across the apposition.
                let parsed_subject = (subject.is_none() && inverted.is_none() && view.parsed)
                    .then(|| {
                        view.children[i]
                            .iter()
                            .copied()
                            .find(|&c| view.deprel[c] == "nsubj")
                            .and_then(|c| view.entities_of(c).first().copied())
                    })
                    .flatten();
                if subject.is_none()
                    && inverted.is_none()
                    && !subject_word
                    && parsed_subject.is_none()
                {
                    i += len;
                    continue;
                }
                let speaker = subject
                    .as_ref()
                    .or(inverted.as_ref())
                    .and_then(|g| g.head())
                    .or(parsed_subject);
                let frame_start = subject.as_ref().map_or(before, |g| g.start);
                let frame_end = inverted.as_ref().map_or(after, |g| g.end);
                // Content after the cue if enough words follow ("X said that Y ..."),
                // otherwise before it ("Y ..., X said.").
                let words_after = (frame_end..n)
                    .filter(|&k| view.kinds[k] == TokenKind::Word)
                    .count();
                // ", he said, while ...": a cue between commas reports what came before.
                let parenthetical = frame_start > 0
                    && view.words[frame_start - 1] == ","
                    && frame_end < n
                    && view.words[frame_end] == ",";
                // Content after the cue must be a clause ("told reporters later on
                // Thursday" reports nothing after the cue).
                let has_verb = (frame_end..n).any(|k| {
                    doc.tokens[view.offset + k]
                        .syntax
                        .as_ref()
                        .is_none_or(|x| matches!(x.upos.as_str(), "VERB" | "AUX"))
                });
                let content = if words_after >= 3 && !parenthetical && has_verb {
                    let mut s = frame_end;
                    // A named addressee: "told the newspaper Le Monde that ...".
                    if let Some(g) = view.group_starting_at(s) {
                        if view.words.get(g.end).is_some_and(|w| w == "that") {
                            s = g.end;
                        }
                    }
                    // Skip the addressee and complementiser: "told reporters that".
                    while s < n
                        && matches!(
                            view.words[s].as_str(),
                            "that" | "reporters" | "journalists" | "," | ":"
                        )
                    {
                        s += 1;
                    }
                    s..n
                } else if parenthetical {
                    0..frame_start - 1
                } else {
                    0..frame_start
                };
                if !content.is_empty() {
                    out.push(Region {
                        tokens: content,
                        speaker,
                        cue,
                        frame: frame_start..frame_end,
                    });
                }
            }
        }
        i += len;
    }
    out
}

/// The entity that is the subject of the verb at `k` or of a verb governing it (through
/// participles, complements and conjuncts), outside `quoted`.
fn governing_subject(doc: &Doc, view: &SentenceView, k: usize, quoted: Span) -> Option<usize> {
    if !view.parsed {
        return None;
    }
    let mut k = k;
    for _ in 0..6 {
        let subject = view.children[k]
            .iter()
            .copied()
            .find(|&c| view.deprel[c] == "nsubj");
        if let Some(e) = subject.and_then(|c| {
            view.entities_of(c)
                .into_iter()
                .find(|e| !doc.entities[*e].span.overlaps(quoted))
        }) {
            return Some(e);
        }
        k = view.head[k]?;
    }
    None
}

fn skip_punct(view: &SentenceView, mut i: usize) -> usize {
    while i < view.words.len() && view.kinds[i] == TokenKind::Punct {
        i += 1;
    }
    i
}

/// Finds direct quotes across the document: text between paired quotation marks. A quote
/// is kept when it has a speech cue next to it or is long enough to be speech rather than a
/// scare quote.
pub fn direct(lex: &Lexicon, doc: &Doc, views: &[SentenceView]) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut open: Option<usize> = None;
    for (i, tok) in doc.tokens.iter().enumerate() {
        if tok.kind != TokenKind::Quote {
            continue;
        }
        let t = doc.token_text(i);
        let opening = matches!(t, "\u{201C}" | "\u{00AB}" | "\u{201E}");
        let closing = matches!(t, "\u{201D}" | "\u{00BB}");
        let straight = t == "\"";
        match open {
            None if opening || straight => open = Some(i),
            Some(o) if closing || straight => {
                open = None;
                if i > o + 1 {
                    let span = Span::new(doc.tokens[o + 1].span.start, doc.tokens[i - 1].span.end);
                    if let Some(q) = attribute(lex, doc, views, o, i, span) {
                        quotes.push(q);
                    }
                }
            }
            _ => {}
        }
    }
    // A quote with no cue and no speaker of its own right after one with a speaker goes
    // on in the same voice.
    for i in 1..quotes.len() {
        let (prev, cur) = (&quotes[i - 1], &quotes[i]);
        // Only a quote that opens its sentence: a quoted phrase inside someone else's
        // sentence is theirs.
        let opens_sentence = doc.sentences[cur.sentence].span.start + 3 >= cur.span.start;
        if cur.speaker.is_none()
            && cur.cue.is_none()
            && prev.speaker.is_some()
            && cur.sentence <= prev.sentence + 1
            && opens_sentence
        {
            quotes[i].speaker = quotes[i - 1].speaker;
        }
    }
    quotes
}

/// Finds the cue and speaker of a direct quote between tokens `open` and `close`.
fn attribute(
    lex: &Lexicon,
    doc: &Doc,
    views: &[SentenceView],
    open: usize,
    close: usize,
    span: Span,
) -> Option<Quote> {
    let words = doc.slice(span).split_whitespace().count();
    // After the quote: "..." she said / "..." said X / "...", X told reporters.
    let s = doc.tokens[close].sentence;
    let view = &views[s];
    let local = close - view.offset;
    let mut found: Option<(Span, Option<usize>)> = None;
    // The cue comes right after the quote ("...," said X) or after its speaker ("...," X
    // said / she said), never further: a later "said" belongs to other words.
    let mut k = local + 1;
    while k < view.words.len() && view.kinds[k] == TokenKind::Punct {
        k += 1;
    }
    let subject = view.group_starting_at(k);
    let cue_at = match &subject {
        Some(g) => g.end,
        None if k < view.words.len() && lex.speech.longest_at(&view.words[k..]).is_none() => k + 1,
        None => k,
    };
    if let Some((len, CueKind::Say)) = view
        .words
        .get(cue_at..)
        .and_then(|w| lex.speech.longest_at(w))
    {
        let cue = Span::new(
            view.span(doc, cue_at).start,
            view.span(doc, cue_at + len - 1).end,
        );
        let speaker = subject
            .or_else(|| view.group_starting_at(cue_at + len))
            .and_then(|g| g.head());
        found = Some((cue, speaker));
    }
    // Before the quote: X said: "..."
    if found.is_none() {
        let s = doc.tokens[open].sentence;
        let view = &views[s];
        let local = open - view.offset;
        for k in (local.saturating_sub(5)..local).rev() {
            if let Some((len, CueKind::Say)) = lex.speech.longest_at(&view.words[k..]) {
                let cue = Span::new(view.span(doc, k).start, view.span(doc, k + len - 1).end);
                // "..., saying instability 'must not ...'": a participle's speaker is its
                // governing verb's subject.
                let speaker = view
                    .group_ending_at(k)
                    .and_then(|g| g.head())
                    .or_else(|| governing_subject(doc, view, k, span));
                found = Some((cue, speaker));
                break;
            }
        }
    }
    if found.is_none() && words < 4 {
        return None;
    }
    // No cue: a quoted phrase belongs to the subject of the clause it sits in ("Kimutai
    // accused the opposition of 'sponsoring criminals'").
    let clause_subject = || {
        let view = &views[doc.tokens[open].sentence];
        (open + 1 < view.offset + view.words.len())
            .then(|| governing_subject(doc, view, open + 1 - view.offset, span))
            .flatten()
    };
    let speaker = match found {
        Some(f) => f.1,
        None => clause_subject(),
    };
    Some(Quote {
        span,
        sentence: doc.tokens[open].sentence,
        speaker,
        cue: found.map(|f| f.0),
        direct: true,
        outlet: None,
    })
}
