//! A rejection answers a claim told before: "China accused Manila of provoking the clash.
//! Manila rejected the accusation", "a charge New Delhi quickly rejected". The rejection's
//! recipient is whoever made the claim, which the rejecting sentence itself rarely names.

use crate::coder::SentenceView;
use dyad_core::{Doc, Event};
use std::collections::HashSet;

/// How many sentences back the claim may have been told.
const REACH: usize = 8;

/// Gives each REJECT without a recipient whose object is a claim noun (`claim_noun` of
/// `words.tsv`) the actors of the latest ACCUSE event against the rejecting side (one of
/// its recipients has the country of one of the rejecting actors), up to [`REACH`]
/// sentences before.
pub(crate) fn answer_claims(
    doc: &Doc,
    views: &[SentenceView],
    events: &mut [Event],
    claim_nouns: &HashSet<String>,
) {
    let code = |e: &usize| doc.entities[*e].actor.code.as_str();
    // (sentence, accusers, codes of the accused) of each ACCUSE so far.
    let mut claims: Vec<(usize, Vec<usize>, Vec<&str>)> = Vec::new();
    for ev in events.iter_mut() {
        let is = |t: &str| ev.plover.iter().any(|p| p == t);
        if is("REJECT") && ev.recipients.is_empty() {
            let rejecting: Vec<&str> = ev
                .actors
                .iter()
                .map(code)
                .filter(|c| !c.is_empty())
                .collect();
            let claimant = claims
                .iter()
                .rev()
                .take_while(|(s, _, _)| ev.sentence.saturating_sub(*s) <= REACH)
                .find(|(_, _, accused)| accused.iter().any(|c| rejecting.contains(c)))
                .map(|(_, a, _)| a.clone())
                .filter(|a| !a.iter().any(|x| ev.actors.contains(x)));
            if let Some(actors) = claimant {
                if rejects_a_claim(doc, &views[ev.sentence], ev, claim_nouns) {
                    ev.recipients = actors;
                    ev.rule.push_str("; recipient: who made the claim rejected");
                }
            }
        }
        if is("ACCUSE") && !ev.actors.is_empty() {
            let accused = ev
                .recipients
                .iter()
                .map(code)
                .filter(|c| !c.is_empty())
                .collect();
            claims.push((ev.sentence, ev.actors.clone(), accused));
        }
    }
}

/// "rejected the baseless allegations": a claim noun among the few words after the
/// trigger; "a charge New Delhi rejected": one right before the rejecting actor.
fn rejects_a_claim(
    doc: &Doc,
    view: &SentenceView,
    ev: &Event,
    claim_nouns: &HashSet<String>,
) -> bool {
    // Sentence-local position of the first token starting at or after a text offset.
    let local = |at: usize| doc.token_at(at).checked_sub(view.offset);
    let claim = |k: usize| view.words.get(k).is_some_and(|w| claim_nouns.contains(w));
    if local(ev.trigger.end).is_some_and(|a| (a..a + 4).any(claim)) {
        return true;
    }
    let first_actor = ev.actors.iter().map(|&a| doc.entities[a].span.start).min();
    first_actor.and_then(local).is_some_and(|k| {
        k > 0 && (claim(k - 1) || (k > 1 && claim(k - 2) && view.words[k - 1] == "that"))
    })
}
