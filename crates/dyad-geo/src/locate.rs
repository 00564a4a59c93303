//! Event location: where each event happened. In order: the nearest place its sentence puts
//! under a locative preposition ("in Goma", "near the town of Rafah"); a place right after the
//! trigger, as its object ("shelled Arbin"); then, in a story of several sentences, the
//! dateline's place, else the story's main place (the entry named most often, first on ties).

use crate::mentions::{Mention, Source};
use crate::GeoData;
use dyad_core::{Doc, EventLocation, EventPlace, TokenKind};
use std::collections::HashMap;

/// How many words may stand between a trigger and a place it takes as object.
const OBJECT_GAP: usize = 8;

/// How many tokens either side of a trigger its place may be: wider than any sentence of
/// news, and a bound on the work per event in a text without sentence breaks.
const WINDOW: usize = 80;

/// One location per event, in `doc.events` order (`doc.places` must be filled).
pub fn locate_all(doc: &Doc, found: &[Mention], data: &GeoData) -> Vec<EventLocation> {
    let fallback = story_place(doc, found);
    (0..doc.events.len())
        .map(|i| locate(doc, found, data, i, fallback.as_ref()))
        .collect()
}

/// The mentions (indices into `found`, which is in text order) within [`WINDOW`] tokens of
/// a trigger: found by binary search, so that the cost per event does not grow with the
/// number of places in the text.
fn near(found: &[Mention], trigger: usize) -> std::ops::Range<usize> {
    let a = found.partition_point(|m| m.tokens.start + WINDOW < trigger);
    let b = a + found[a..].partition_point(|m| m.tokens.start <= trigger + WINDOW);
    a..b
}

fn locate(
    doc: &Doc,
    found: &[Mention],
    data: &GeoData,
    i: usize,
    fallback: Option<&EventLocation>,
) -> EventLocation {
    let trigger = doc.token_at(doc.events[i].trigger.start);
    // A result clause happened where its main verb did ("pounded the Hama governorate,
    // killing 30"), when it names no place of its own.
    let verbs = std::iter::once(trigger).chain(result_head(doc, trigger));
    for verb in verbs {
        if let Some(loc) = placed_from(doc, found, data, i, verb) {
            return loc;
        }
    }
    if doc.sentences.len() > 1 {
        if let Some(f) = fallback {
            return f.clone();
        }
    }
    EventLocation {
        place: None,
        method: "none".into(),
        within: None,
    }
}

/// The verb a result clause hangs on: a participle after a comma, an adverbial clause of
/// that verb (", killing eight people").
fn result_head(doc: &Doc, trigger: usize) -> Option<usize> {
    let syn = doc.tokens[trigger].syntax.as_ref()?;
    let after_comma = trigger > 0 && doc.token_text(trigger - 1) == ",";
    let participle = syn.xpos == "VBG" && syn.deprel == "advcl";
    let head = syn.head?;
    let verb = doc.tokens[head]
        .syntax
        .as_ref()
        .is_some_and(|h| h.upos == "VERB");
    (after_comma && participle && verb).then_some(head)
}

/// The place of event `i` as the sentence gives it around `verb` (its trigger, or the verb
/// its clause hangs on): under a locative, as the verb's object, or modifying a noun.
fn placed_from(
    doc: &Doc,
    found: &[Mention],
    data: &GeoData,
    i: usize,
    trigger: usize,
) -> Option<EventLocation> {
    let here = candidates(doc, found, data, i, trigger);
    if let Some((p, method)) = best_of(doc, found, data, &here, trigger) {
        let p = more_specific(doc, found, data, p);
        let part = contained(doc, found, data, p);
        let unknown = |k: usize| doc.places[k].entry.is_none();
        let mut loc = at(part, method);
        if part != p && unknown(part) && !unknown(p) {
            loc.within = Some(p);
        }
        return Some(loc);
    }
    // A place modifying a noun of the sentence ("3,000 Hong Kong people demonstrated", "the
    // Baghdad headquarters were destroyed"), attached to the trigger.
    let sentence = doc.events[i].sentence;
    let modifier = here.iter().find(|&&p| {
        let next = found[p].tokens.end;
        let noun = next < doc.tokens.len()
            && doc.tokens[next].sentence == sentence
            && (doc.tokens[next]
                .syntax
                .as_ref()
                .is_some_and(|s| s.upos == "NOUN"));
        noun && attached(doc, trigger, &found[p])
    });
    modifier.map(|&p| at(p, "participant"))
}

/// The mentions that may be event `i`'s place around `trigger`: in its sentence and near,
/// not its own participant, not a nationality, and not the place of a matter spoken of.
fn candidates(
    doc: &Doc,
    found: &[Mention],
    data: &GeoData,
    i: usize,
    trigger: usize,
) -> Vec<usize> {
    let ev = &doc.events[i];
    // What is said happens where the saying does: a place of the matter spoken of ("accused
    // the army of shelling villages in Idlib", "protested against the siege of Mariupol") is not it.
    // Only a verb says something; a noun trigger ("negotiations in Manila") is a happening.
    let said = doc.tokens[trigger]
        .syntax
        .as_ref()
        .is_none_or(|s| s.upos == "VERB");
    let verbal = said && ev.plover.iter().any(|t| data.verbal.contains(t));
    let matter = ev.plover.iter().any(|t| data.against_matter.contains(t));
    // The event's own participants are not its place; on its main verb's turn, the word-order
    // actor a result clause may have got ("pounded Hama, killing 30": Hama) does not count.
    let own = trigger == doc.token_at(ev.trigger.start);
    near(found, trigger)
        .filter(|&p| found[p].sentence == ev.sentence)
        .filter(|&p| !own || !is_participant(doc, i, &found[p]))
        .filter(|&p| !is_nationality(doc, data, p, &found[p]))
        .filter(|&p| !verbal || hung_on_verb(doc, data, trigger, &found[p]))
        .filter(|&p| !matter || !under_against(doc, trigger, &found[p]))
        .collect()
}

/// The best of the candidates under a locative preposition (distance from the preposition)
/// or taken by the trigger as object or passive subject (distance from the trigger): a place
/// the parse attaches to another verb comes after those attached to the trigger; then the
/// nearest, a locative on a tie. A place under a direction ("north of Baghdad") is a
/// reference point, after a place named under a preposition ("in Baquba, north of Baghdad").
fn best_of(
    doc: &Doc,
    found: &[Mention],
    data: &GeoData,
    here: &[usize],
    trigger: usize,
) -> Option<(usize, &'static str)> {
    let moves = data.moves_to(doc, trigger);
    let locative = here.iter().filter_map(|&p| {
        let to = || destination(doc, data, trigger, &found[p]);
        found[p]
            .locative
            .or_else(|| moves.then(to).flatten())
            .map(|prep| {
                let direction = data
                    .directions
                    .contains(&doc.token_text(prep).to_lowercase());
                (
                    p,
                    prep.abs_diff(trigger),
                    usize::from(direction),
                    "locative",
                )
            })
    });
    let takes_place = data.takes_place(doc, trigger).is_some();
    let object = here
        .iter()
        .filter(|&&p| takes_place && is_object(doc, data, trigger, &found[p]))
        .map(|&p| (p, found[p].tokens.start - trigger, 0, "object"));
    // "The border village of Kafr Zita was shelled": the passive subject of a place-taking verb.
    let subject = here
        .iter()
        .filter(|&&p| takes_place && is_passive_subject(doc, data, trigger, &found[p]))
        .map(|&p| (p, trigger.abs_diff(found[p].tokens.start), 0, "object"));
    locative
        .chain(object)
        .chain(subject)
        .min_by_key(|&(p, d, rank, method)| {
            let attached = attached(doc, trigger, &found[p]);
            (rank, !attached, d, method == "object")
        })
        .map(|(p, _, _, method)| (p, method))
}

fn at(place: usize, method: &str) -> EventLocation {
    EventLocation {
        place: Some(place),
        method: method.into(),
        within: None,
    }
}

/// A state's name used as a nationality ("near a US convoy"): a country before a noun
/// other than a place noun ("the Belarus capital").
fn is_nationality(doc: &Doc, data: &GeoData, p: usize, m: &Mention) -> bool {
    let country = doc.places[p]
        .entry
        .as_ref()
        .is_some_and(|e| e.feature == "A.PCLI");
    let next = m.tokens.end;
    country
        && next < doc.tokens.len()
        && {
            let word = doc.token_text(next).to_lowercase();
            !data.place_nouns.contains(&word) && !data.sites.contains(&word)
        }
        && doc.tokens[next]
            .syntax
            .as_ref()
            .is_some_and(|s| s.upos == "NOUN")
}

/// The mention is one of the event's actors ("Russia attacked Ukraine": Russia acted, the
/// attack happened in Ukraine).
fn is_participant(doc: &Doc, event: usize, m: &Mention) -> bool {
    let ev = &doc.events[event];
    m.entity.is_some_and(|e| ev.actors.contains(&e))
}

/// The place named inside place `p` right after it ("in Syria's western Hama province" →
/// Hama, "in the Belarus capital Minsk" → Minsk), else `p`: at most four words between,
/// each a possessive, an adjective of the cue list or a place noun.
fn more_specific(doc: &Doc, found: &[Mention], data: &GeoData, p: usize) -> usize {
    let Some(next) = found.get(p + 1) else {
        return p;
    };
    // Far apart, they are not one phrase (and the gap's text is not read: a bound on the
    // work per event).
    if next.tokens.start > found[p].tokens.end + 12 || next.sentence != found[p].sentence {
        return p;
    }
    let gap = doc
        .text()
        .get(found[p].span.end..next.span.start)
        .unwrap_or("");
    let words: Vec<String> = gap.split_whitespace().map(str::to_lowercase).collect();
    let adjective = |w: &str| {
        let at = doc.token_at(found[p].span.end + gap.find(w).unwrap_or(0));
        doc.tokens[at]
            .syntax
            .as_ref()
            .is_some_and(|s| s.upos == "ADJ")
    };
    // A possessive is the container of a place named under its own preposition shortly
    // after ("at Iraq's key oil terminal in the southern city of Basra" → Basra).
    let possessive = matches!(words.first().map(String::as_str), Some("'s" | "\u{2019}s"));
    if possessive
        && next.locative.is_some()
        && words.len() <= 10
        && next.sentence == found[p].sentence
    {
        return p + 1;
    }
    // "Kidal region north of Mali's capital": a reference point, not a place inside.
    let reference = words
        .windows(2)
        .any(|w| w[1] == "of" && data.directions.contains(&w[0]));
    let inside = !reference
        && words.iter().all(|w| {
            // Some archives lost the apostrophe ("Syria   s northern Aleppo province").
            matches!(w.as_str(), "'s" | "\u{2019}s" | "s")
                || data.skip.contains(w)
                || data.place_nouns.contains(w)
                || adjective(w)
        });
    if inside && words.len() <= 4 && next.sentence == found[p].sentence {
        p + 1
    } else {
        p
    }
}

/// The place named right before place `p` as lying in it ("the slum of Sadr City in eastern
/// Baghdad" → Sadr City), else `p`: "in" (or ", in") and at most two articles or adjectives
/// of the cue list between, and not a country.
fn contained(doc: &Doc, found: &[Mention], data: &GeoData, p: usize) -> usize {
    let Some(before) = p.checked_sub(1).map(|k| &found[k]) else {
        return p;
    };
    if before.sentence != found[p].sentence || found[p].tokens.start > before.tokens.end + 3 {
        return p;
    }
    let gap = doc
        .text()
        .get(before.span.end..found[p].span.start)
        .unwrap_or("")
        .to_lowercase();
    let words: Vec<&str> = gap.split_whitespace().collect();
    // A settlement noun names what follows ("the West Bank city of Nablus" is Nablus, in the
    // West Bank); other place nouns name a part of it ("the Kafr Souseh area of Damascus").
    let noun = |x: &str| {
        data.place_nouns.iter().any(|s| s == x) && !data.settlements.iter().any(|s| s == x)
    };
    let inside = match words.as_slice() {
        // "In Cucuta, in northern Norte de Santander province".
        ["in", rest @ ..] | [",", "in", rest @ ..] => {
            rest.iter().all(|w| data.skip.iter().any(|s| s == w))
        }
        // "the Qadam Jadid area of Damascus", "a district of Zabul province": a
        // part named by its kind of place (in its name or after it), then "of" and the whole.
        ["of", ..] => doc
            .slice(doc.places[p - 1].span)
            .split_whitespace()
            .last()
            .is_some_and(|x| noun(&x.to_lowercase())),
        [kind, "of", ..] => noun(kind),
        _ => false,
    };
    let country = doc.places[p - 1]
        .entry
        .as_ref()
        .is_some_and(|e| matches!(e.feature.as_str(), "A.PCLI" | "L.CONT"));
    if inside && !country {
        p - 1
    } else {
        p
    }
}

/// The heads above the mention's first token, nearest first, up to the sentence root (or a
/// token without a parse). At most the window's width of steps: a parse's depth in news is
/// far less, and a bad parse must not loop.
fn ancestors<'a>(doc: &'a Doc, m: &Mention) -> impl Iterator<Item = usize> + 'a {
    let bound = doc.sentences[m.sentence].tokens.len().min(2 * WINDOW);
    std::iter::successors(Some(m.tokens.start), |&k| {
        doc.tokens[k].syntax.as_ref().and_then(|s| s.head)
    })
    .skip(1)
    .take(bound)
}

/// Whether the parse attaches the place to the trigger: the first verb above the place's
/// first token is the trigger (or the sentence has no parse).
fn attached(doc: &Doc, trigger: usize, m: &Mention) -> bool {
    for k in ancestors(doc, m) {
        if k == trigger {
            return true;
        }
        let upos = doc.tokens[k].syntax.as_ref().map(|s| s.upos.as_str());
        if matches!(upos, Some("VERB" | "AUX")) {
            return false;
        }
    }
    true
}

/// Whether the parse hangs the place on the trigger itself, through no verb but a clause
/// before it and no noun but place nouns (or the sentence has no parse).
fn hung_on_verb(doc: &Doc, data: &GeoData, trigger: usize, m: &Mention) -> bool {
    for k in ancestors(doc, m) {
        if k == trigger {
            return true;
        }
        if m.tokens.contains(&k) {
            continue;
        }
        let Some(syn) = doc.tokens[k].syntax.as_ref() else {
            return true;
        };
        let place_noun = data.is_place_noun(doc, k);
        // "Speaking in Geneva, the minister accused...": a clause before the trigger sets
        // the scene of the saying.
        let scene = k < trigger && syn.deprel == "advcl";
        let verb = matches!(syn.upos.as_str(), "VERB" | "AUX") && !scene;
        if verb || (syn.upos == "NOUN" && !place_noun) {
            return false;
        }
    }
    true
}

/// Whether the place is the passive subject of the trigger, or named in it through place
/// nouns ("the border village of Kafr Zita was shelled", "Much of Grozny was destroyed").
fn is_passive_subject(doc: &Doc, data: &GeoData, trigger: usize, m: &Mention) -> bool {
    if m.tokens.start >= trigger {
        return false;
    }
    let mut k = m.tokens.start;
    for head in ancestors(doc, m) {
        if head == trigger {
            return doc.tokens[k]
                .syntax
                .as_ref()
                .is_some_and(|s| s.deprel == "nsubj:pass");
        }
        let word = doc.token_text(head).to_lowercase();
        let part = m.tokens.contains(&head) || data.place_nouns.contains(&word) || word == "much";
        if !part {
            return false;
        }
        k = head;
    }
    false
}

/// The "to", "into" or "toward" after the trigger that introduces the place ("traveled to
/// Tehran", "marched into the capital, Paris").
fn destination(doc: &Doc, data: &GeoData, trigger: usize, m: &Mention) -> Option<usize> {
    if m.tokens.start <= trigger {
        return None;
    }
    let prep = crate::mentions::governing_preposition(doc, data, m.tokens.start)?;
    let word = doc.token_text(prep).to_lowercase();
    (prep > trigger && GeoData::is_destination(&word)).then_some(prep)
}

/// Whether the parse puts the place inside an "against" phrase below the trigger ("protested
/// against the war in Yemen").
fn under_against(doc: &Doc, trigger: usize, m: &Mention) -> bool {
    let sentence = &doc.sentences[m.sentence].tokens;
    let against = |k: usize| {
        sentence.clone().any(|j| {
            doc.tokens[j].syntax.as_ref().is_some_and(|s| {
                s.head == Some(k)
                    && s.deprel == "case"
                    && doc.token_text(j).eq_ignore_ascii_case("against")
            })
        })
    };
    std::iter::once(m.tokens.start)
        .chain(ancestors(doc, m))
        .take_while(|&k| k != trigger)
        .any(against)
}

/// A place shortly after the trigger with only articles, adjectives, numbers, nouns and
/// "of" between ("shelled the settlements of Arbin", "captured Kodori"), and not itself
/// modifying a noun ("killed a US adviser").
fn is_object(doc: &Doc, data: &GeoData, trigger: usize, m: &Mention) -> bool {
    let start = m.tokens.start;
    if start <= trigger || start - trigger > OBJECT_GAP + 1 {
        return false;
    }
    let between = (trigger + 1..start).all(|k| {
        let word = doc.tokens[k].kind == TokenKind::Word
            && doc
                .token_text(k)
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
        let upos = doc.tokens[k].syntax.as_ref().map(|s| s.upos.as_str());
        let nominal = matches!(upos, None | Some("DET" | "ADJ" | "NUM" | "NOUN"));
        word && (nominal || doc.token_text(k) == "of")
    });
    let after = m.tokens.end;
    // "pounded the Hama governorate" names a place; "killed a US adviser" a person.
    let place_noun = |k: usize| data.is_place_noun(doc, k);
    let modifier = after < doc.tokens.len()
        && doc.tokens[after].sentence == m.sentence
        && (doc.tokens[after]
            .syntax
            .as_ref()
            .is_some_and(|s| s.upos == "NOUN" && !place_noun(after))
            || matches!(doc.token_text(after), "'s" | "\u{2019}s"));
    between && !modifier
}

/// The dateline's place, else the resolved entry named most often (first on ties).
fn story_place(doc: &Doc, found: &[Mention]) -> Option<EventLocation> {
    if let Some(p) = found.iter().position(|m| m.source == Source::Dateline) {
        return Some(at(p, "dateline"));
    }
    let mut counts: HashMap<u32, (usize, usize)> = HashMap::new();
    for (p, place) in doc.places.iter().enumerate() {
        if let Some(e) = &place.entry {
            let c = counts.entry(e.geonameid).or_insert((0, p));
            c.0 += 1;
        }
    }
    let (_, (_, first)) = counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    Some(at(first, "story"))
}

/// Sets each event's `place` from its location (the span, the entity naming it, the
/// country), or clears it.
pub fn set_event_places(doc: &mut Doc) {
    // The first entity of each span, looked up once per event (a scan per event would
    // make a document of many events and names quadratic).
    let mut entity_at: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (k, e) in doc.entities.iter().enumerate() {
        entity_at.entry((e.span.start, e.span.end)).or_insert(k);
    }
    for i in 0..doc.events.len() {
        let place = doc.event_places[i].place.map(|p| {
            let pl = &doc.places[p];
            EventPlace {
                span: pl.span,
                entity: entity_at.get(&(pl.span.start, pl.span.end)).copied(),
                country_code: pl.country_code.clone(),
            }
        });
        doc.events[i].place = place;
    }
}
