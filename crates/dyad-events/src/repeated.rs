//! A happening told again is no new event: a wire story reports an attack in its lead and
//! then returns to it ("the train came under attack while passing through a tunnel",
//! "passengers heard a blast and gunfire"). A later event named by a noun, of a type told
//! before in the story, whose sides are among that earlier event's and whose own date or
//! place (if any) are that event's, refers back to it.

use dyad_core::{Doc, Event};

/// How many sentences back the first telling is looked for: a wire story returns to its
/// lead within a few paragraphs, and the bound keeps the pass linear in a long document.
const REACH: usize = 40;

/// Drops the events that tell again a happening coded earlier in the document.
pub(crate) fn drop_retold(doc: &Doc, events: &mut Vec<Event>) {
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for ev in events.drain(..) {
        let retold = noun_trigger(doc, &ev)
            && kept
                .iter()
                .rev()
                .take_while(|first| first.sentence + REACH >= ev.sentence)
                .any(|first| retells(doc, first, &ev));
        if !retold {
            kept.push(ev);
        }
    }
    *events = kept;
}

fn noun_trigger(doc: &Doc, ev: &Event) -> bool {
    doc.tokens
        .get(doc.token_at(ev.trigger.start))
        .and_then(|t| t.syntax.as_ref())
        .is_some_and(|s| s.upos == "NOUN")
}

/// Whether `later` tells `first` again: same type, earlier sentence, sides within the
/// first's, no other date or place.
fn retells(doc: &Doc, first: &Event, later: &Event) -> bool {
    // One side as `Actor::cameo` writes it (country and primary sector, or every sector of a
    // PETRARCH code), compared in place rather than built as a string.
    let side = |e: usize| {
        let a = &doc.entities[e].actor;
        let n = if a.full_code { a.sectors.len() } else { 1 };
        (a.code.as_str(), &a.sectors[..n.min(a.sectors.len())])
    };
    let within =
        |a: &[usize], b: &[usize]| a.iter().all(|&x| b.iter().any(|&y| side(x) == side(y)));
    let same_date = match (&first.when, &later.when) {
        (Some(a), Some(b)) => a.date == b.date,
        _ => true,
    };
    let same_place = match (&first.place, &later.place) {
        (Some(a), Some(b)) => {
            a.country_code == b.country_code && doc.slice(a.span) == doc.slice(b.span)
        }
        (None, Some(_)) => false,
        _ => true,
    };
    first.sentence < later.sentence
        && first.plover == later.plover
        && same_date
        && same_place
        && within(&later.actors, &first.actors)
        && within(&later.recipients, &first.recipients)
}
