//! Who said what, as a stage of its own before any event coder: direct quotes (between
//! quotation marks, across sentences) and reported speech ("X said that ...", "according to
//! X, ..."), with speakers and the outlets spoken to. Both dyad's coder and the PETRARCH
//! verb coder read `Doc::quotes` to attribute the events inside them.

use crate::coder::{entity_runs, outlet, quotes_by_sentence, SentenceView};
use crate::lexicon::{DataError, Lexicon};
use crate::speech;
use dyad_core::{Doc, Quote, Span, Stage};

pub struct QuoteStage {
    lex: Lexicon,
}

impl QuoteStage {
    pub fn new(lex: Lexicon) -> Self {
        QuoteStage { lex }
    }

    pub fn builtin() -> Result<Self, DataError> {
        Ok(Self::new(Lexicon::builtin()?))
    }
}

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn process(&self, doc: &mut Doc) {
        let views: Vec<SentenceView> = (0..doc.sentences.len())
            .map(|s| SentenceView::new(doc, s))
            .collect();
        let mut quotes = speech::direct(&self.lex, doc, &views);
        // Each sentence's reported speech meets only the direct quotes over it.
        let by_sentence = quotes_by_sentence(doc, &quotes);
        let mut reported = Vec::new();
        for (s, view) in views.iter().enumerate() {
            reported.extend(add_reported(
                &self.lex,
                doc,
                s,
                view,
                &mut quotes,
                &by_sentence[s],
            ));
        }
        quotes.extend(reported);
        quotes.sort_by_key(|q| q.span.start);
        let runs = entity_runs(doc);
        for q in &mut quotes {
            q.outlet = outlet(doc, runs.as_deref(), q);
        }
        doc.quotes = quotes;
    }
}

/// Reported speech in sentence `s` becomes a quote too, unless a direct quote already
/// covers it; returns the new quotes. `over` lists the direct quotes over the sentence.
/// The innermost region speaks a quoted phrase: Castillejo's words "according to a
/// diplomat" are still Castillejo's.
fn add_reported(
    lex: &Lexicon,
    doc: &Doc,
    s: usize,
    view: &SentenceView,
    direct: &mut [Quote],
    over: &[usize],
) -> Vec<Quote> {
    let mut regions = speech::indirect(lex, view, doc);
    regions.sort_by_key(|r| r.tokens.len());
    let mut added: Vec<Quote> = Vec::new();
    for r in regions {
        let span = Span::new(
            view.span(doc, r.tokens.start).start,
            view.span(doc, r.tokens.end - 1).end,
        );
        // A quoted phrase inside someone's reported speech is theirs ("told Le Monde that
        // the government had 'criminalised dissent'").
        let claim = |q: &mut Quote| {
            if q.sentence == s && q.speaker.is_none() && span.contains(q.span) {
                q.speaker = r.speaker;
                q.cue = q.cue.or(Some(r.cue));
            }
        };
        over.iter().for_each(|&i| claim(&mut direct[i]));
        added.iter_mut().for_each(claim);
        let covered = over.iter().any(|&i| direct[i].span.overlaps(span))
            || added.iter().any(|q| q.span.overlaps(span));
        if !covered {
            added.push(Quote {
                span,
                sentence: s,
                speaker: r.speaker,
                cue: Some(r.cue),
                direct: false,
                outlet: None,
            });
        }
    }
    added
}
