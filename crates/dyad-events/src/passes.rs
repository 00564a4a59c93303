//! The coder's passes over one sentence: candidates (triggers) → scope → participants →
//! modality → type decision → event, then content events folded into their governors.
//! Each pass is a function of its own so that a learned decision can replace one of them.

use crate::coder::{
    actors_end, historical_triggers, is_passive, merge_duplicates, nearest_date_and_place,
    same_actor, EventStage, Group, NearCues, SentenceView, Trigger, CONFLICTUAL_TO_THREATEN,
    COOPERATIVE_TO_AGREE, NEGATED_TO_REJECT,
};
use crate::lexicon::{CameoEntry, TriggerKind, WordClasses};
use crate::speech::Region;
use crate::syntax;
use dyad_core::{Attribution, Doc, Event, EventDate, EventPlace, Quote, Span};
use std::collections::{HashMap, HashSet};

/// The stretch of the sentence a trigger's arguments come from: its speech region, or the
/// narration between speech frames; and the frame when the trigger is a speech cue's own
/// event ("X alleged that ...").
pub(crate) struct TriggerScope<'r> {
    frame: Option<&'r Region>,
    region: Option<&'r Region>,
    lo: usize,
    next_trigger: usize,
}

/// Who acts and on whom, with how each was found (for explanations).
pub(crate) struct Participants {
    pub actors: Vec<usize>,
    pub recipients: Vec<usize>,
    pub why_actor: Option<&'static str>,
    pub why_recipient: Option<&'static str>,
    pub passive: bool,
}

type Found = Option<(Group, &'static str)>;

/// Whether word `k` has an infinitive marker "to" among its dependents.
fn has_to_marker(view: &SentenceView, k: usize) -> bool {
    view.children[k]
        .iter()
        .any(|&j| view.deprel[j] == "mark" && view.words[j] == "to")
}

/// "So we urged Farmajo to return to talks," the opposition leader said: a first-person
/// subject inside a direct quote is its speaker (the entity index), when the quote names one.
fn first_person_speaker(
    doc: &Doc,
    view: &SentenceView,
    trig: &Trigger,
    quotes: &[Quote],
) -> Option<usize> {
    let first_person = |j: usize| matches!(view.words[j].as_str(), "i" | "we");
    let subject = if view.parsed {
        let k = syntax::trigger_head(view, trig.start, trig.end);
        view.children[k]
            .iter()
            .any(|&j| view.deprel[j] == "nsubj" && first_person(j))
    } else {
        // Word order: the pronoun just before the verb, an auxiliary or adverb between.
        (trig.start.saturating_sub(3)..trig.start).any(first_person)
    };
    if !subject {
        return None;
    }
    let trigger = Span::new(
        view.span(doc, trig.start).start,
        view.span(doc, trig.end - 1).end,
    );
    quotes
        .iter()
        .find(|q| q.direct && q.span.contains(trigger))
        .and_then(|q| q.speaker)
}

fn tag(g: Option<Group>, how: &'static str) -> Found {
    g.map(|g| (g, how))
}

/// Sentence-wide facts every trigger's passes read.
pub(crate) struct SentenceFacts {
    dates: Vec<(usize, usize, String, dyad_core::DatePrecision)>,
    places: Vec<(usize, EventPlace)>,
    historical: Vec<usize>,
    require_dyad: bool,
    allow_no_actor: bool,
}

impl EventStage {
    pub(crate) fn code_sentence(
        &self,
        doc: &Doc,
        s: usize,
        view: &SentenceView,
        regions: &[Region],
        quotes: &[Quote],
    ) -> Vec<Event> {
        let triggers = self.triggers(view, doc);
        let facts = self.sentence_facts(doc, view, &triggers);
        // Content events (trigger → its governor) are not emitted; they lend their
        // participants to the governing event.
        let embedded: HashMap<usize, usize> = self.embedded_triggers(view, &triggers);
        let mut contents: Vec<(usize, Event)> = Vec::new();
        let mut event_of: HashMap<usize, usize> = HashMap::new();
        let mut events = Vec::new();
        // The head of each event's trigger when it is a parsed verb: two different verbs
        // are two happenings ("attacked the train, taking hostages"), never duplicates.
        let mut verb_heads: Vec<Option<usize>> = Vec::new();
        for t in 0..triggers.len() {
            let scope = scope(view, regions, &triggers, t);
            let Some(event) = self.code_trigger(doc, s, view, &triggers, t, &scope, &facts, quotes)
            else {
                continue;
            };
            match embedded.get(&t) {
                Some(&g) => contents.push((g, event)),
                None => {
                    event_of.insert(t, events.len());
                    events.push(event);
                    verb_heads.push(verb_head(doc, view, &triggers[t]));
                }
            }
        }
        fold_contents(doc, &mut events, contents, &event_of);
        merge_duplicates(
            events,
            |a, b| matches!((verb_heads[a], verb_heads[b]), (Some(x), Some(y)) if x != y),
        )
    }

    fn sentence_facts(
        &self,
        doc: &Doc,
        view: &SentenceView,
        triggers: &[Trigger],
    ) -> SentenceFacts {
        let year = doc
            .article
            .date
            .as_deref()
            .and_then(|d| d.get(0..4))
            .and_then(|y| y.parse().ok());
        SentenceFacts {
            dates: crate::coder::dates_in(doc, view),
            places: crate::coder::places_in(doc, view),
            historical: historical_triggers(view, triggers, year),
            require_dyad: doc.article.options.require_dyad == Some(true),
            allow_no_actor: doc.article.options.require_dyad == Some(false),
        }
    }

    /// All passes for one trigger; `None` when it makes no event.
    #[allow(clippy::too_many_arguments)]
    fn code_trigger(
        &self,
        doc: &Doc,
        s: usize,
        view: &SentenceView,
        triggers: &[Trigger],
        t: usize,
        scope: &TriggerScope,
        facts: &SentenceFacts,
        quotes: &[Quote],
    ) -> Option<Event> {
        let trig = &triggers[t];
        if !self.eventive(view, trig, scope.lo) {
            return None;
        }
        let mut p = self.participants(doc, view, trig, scope);
        if p.actors.is_empty() && trig.pattern.kind == TriggerKind::Verb {
            speaker_as_actor(doc, view, trig, quotes, &mut p);
        }
        let base = &self.lex.cameo[&trig.pattern.cameo];
        base.plover.as_ref()?;
        forces_deployed(doc, base, &mut p);
        if newsroom(doc, base, &p) || (facts.require_dyad && p.recipients.is_empty()) {
            return None;
        }
        let (mut context, when, place) =
            self.auxiliary_modes(doc, view, trig, t, scope.lo, &p.actors, facts);
        let anchored = when.is_some() || place.is_some() || made(view, trig);
        if !facts.allow_no_actor
            && no_new_event(doc, view, trig, base, &p, anchored, &self.lex.words)
        {
            return None;
        }
        let trigger = Span::new(
            view.span(doc, trig.start).start,
            view.span(doc, trig.end - 1).end,
        );
        let attributed = attribution(quotes, scope.region, trigger);
        let others = told_of_others(doc, attributed.as_ref(), &p.actors);
        let mut cameo = self.decide_type(self.warned(doc, view, trig)?, &mut context, others);
        if own_ground(doc, &cameo, &p) && self.lex.cameo.contains_key(MOBILIZE_FORCES) {
            cameo = MOBILIZE_FORCES.into();
        }
        if rioting(doc, &cameo, &self.lex.cameo[&cameo], &p.actors)
            && self.lex.cameo.contains_key("145")
        {
            // PLOVER: violence by protesters is a PROTEST (riot), not an ASSAULT.
            cameo = "145".into();
        }
        let entry = &self.lex.cameo[&cameo];
        if let Some(c) = &entry.context {
            context.insert(0, c.clone());
        }
        let confidence = confidence(trig, &p).min(0.95);
        let (actors, recipients, rule) = finish_participants(doc, trig, entry, p, place.as_ref());
        Some(Event {
            sentence: s,
            trigger,
            when,
            place,
            plover: entry.plover.iter().cloned().collect(),
            mode: entry.mode.iter().cloned().collect(),
            context,
            quad: entry.quad,
            scale: entry.scale,
            cameo,
            actors,
            recipients,
            attribution: attributed,
            rule,
            confidence,
        })
    }

    /// The trigger's CAMEO code, read again for a bare "warn" by what it warns of (see
    /// [`syntax::Warning`]); `None` when it warns of nothing anyone does.
    fn warned<'p>(&self, doc: &Doc, view: &SentenceView, trig: &'p Trigger) -> Option<&'p str> {
        let code = trig.pattern.cameo.as_str();
        if !view.parsed || trig.end - trig.start != 1 {
            return Some(code);
        }
        let k = syntax::trigger_head(view, trig.start, trig.end);
        if view.lemma[k] != "warn" {
            return Some(code);
        }
        let code_at = |t: usize| {
            let e = view.entities_of(t).into_iter().next()?;
            Some(doc.entities[e].actor.code.clone()).filter(|c| !c.is_empty())
        };
        let same_side = |a: usize, b: usize| code_at(a).is_some_and(|c| code_at(b) == Some(c));
        match syntax::warning(view, k, same_side) {
            syntax::Warning::Threat => Some(code),
            syntax::Warning::Criticism => Some(CRITICIZE),
            syntax::Warning::Nothing => None,
        }
    }

    /// Candidate filter: does the trigger report an occurrence? Not a participle used as an
    /// adjective ("the banned group", "a freed passenger"), not a noun modifying another
    /// ("rescue train", "support services"), not a habit ("routinely deny").
    fn eventive(&self, view: &SentenceView, trig: &Trigger, lo: usize) -> bool {
        if view.parsed {
            let k = syntax::trigger_head(view, trig.start, trig.end);
            let rel = view.deprel[k].as_str();
            let governor = view.head[k].map(|h| view.lemma[h].as_str());
            // "the banned group": a determiner, possessive or modifier before the
            // participle marks the noun phrase (the parser also says amod for "a Russian
            // official offered concessions", where no such word precedes).
            // "to" right before is the infinitive's, however the tagger read an unknown verb
            // ("had to lathi-charge activists").
            let in_np = k > 0
                && view.words[k - 1] != "to"
                && matches!(
                    view.deprel[k - 1].as_str(),
                    "det" | "nmod:poss" | "amod" | "nummod" | "case" | "det:poss"
                );
            if rel == "amod" && in_np {
                return false;
            }
            // "rescue train", "truce monitors": the noun names a kind of thing; but
            // "mediation effort", "car bomb explosion" are the event itself.
            if rel == "compound"
                && !governor.is_some_and(|g| self.lex.words.event_heads.contains(g))
            {
                return false;
            }
            // "kept tariffs in place to pressure them", "a new income to support their
            // families": a verbal or cooperative purpose is an aim, not an occurrence. Force
            // keeps it ("fired tear gas to disperse the crowd" did disperse it).
            // A modality cue right before ("plans to meet") marks an intention the
            // auxiliary modes code instead.
            let verbal = trig.pattern.cameo.get(..2).is_some_and(|r| r < "14");
            let cue_before = (trig.start.saturating_sub(4).max(lo)..trig.start).any(|j| {
                self.lex
                    .modality
                    .matches_at(&view.words[j..])
                    .iter()
                    .any(|(len, _)| j + len == trig.start)
            });
            if verbal && !cue_before && matches!(rel, "advcl" | "acl") && has_to_marker(view, k) {
                return false;
            }
        }
        let near = trig.start.saturating_sub(3).max(lo);
        !(near..trig.start).any(|k| {
            self.lex
                .modality
                .matches_at(&view.words[k..])
                .iter()
                .any(|(len, cue)| cue.context == "generic" && k + len <= trig.start)
        })
    }

    /// Participants pass: from the parse where there is one, from word order otherwise.
    fn participants(
        &self,
        doc: &Doc,
        view: &SentenceView,
        trig: &Trigger,
        scope: &TriggerScope,
    ) -> Participants {
        let before = view.last_group_in(scope.lo, trig.start);
        let by_agent = (trig.end..(trig.end + 3).min(scope.next_trigger))
            .find(|&k| view.words[k] == "by")
            .and_then(|k| view.group_starting_at(k + 1));
        let parsed_args = (view.parsed && scope.frame.is_none()).then(|| {
            syntax::arguments(
                view,
                trig.start,
                trig.end,
                trig.pattern.kind == TriggerKind::Noun,
                &self.lex.words.topic_verbs,
            )
        });
        let passive = match &parsed_args {
            Some(a) => a.passive,
            None => trig.pattern.kind == TriggerKind::Verb && is_passive(view, trig.start),
        };
        let after = view.first_group_in(trig.end, scope.next_trigger);
        let (actor, recipient) = if let Some(args) = &parsed_args {
            parsed_participants(
                doc,
                view,
                trig,
                args,
                (before, by_agent, after),
                &self.lex.words,
            )
        } else if let Some(f) = scope.frame {
            let speaker = f
                .speaker
                .and_then(|e| view.groups.iter().find(|g| g.members.contains(&e)).cloned());
            (
                tag(speaker, "speaker"),
                tag(
                    view.first_group_in(f.tokens.start, f.tokens.end),
                    "first actor of what was said",
                ),
            )
        } else {
            word_order_participants(trig, passive, before, by_agent, after)
        };
        let why_actor = actor.as_ref().map(|a| a.1);
        let why_recipient = recipient.as_ref().map(|r| r.1);
        let actors: Vec<usize> = expand_pairs(doc, actor.map(|a| a.0.members).unwrap_or_default());
        let recipients: Vec<usize> = recipient
            .map(|r| r.0.members)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| !actors.contains(r) && !actors.iter().any(|a| same_actor(doc, *a, *r)))
            .collect();
        Participants {
            actors,
            recipients,
            why_actor,
            why_recipient,
            passive,
        }
    }

    /// Modality pass: negation, future, hypothetical and historical in `context`, and the
    /// event's date and place (a date after the article's makes the event announced).
    #[allow(clippy::too_many_arguments)]
    fn auxiliary_modes(
        &self,
        doc: &Doc,
        view: &SentenceView,
        trig: &Trigger,
        t: usize,
        lo: usize,
        actors: &[usize],
        facts: &SentenceFacts,
    ) -> (Vec<String>, Option<EventDate>, Option<EventPlace>) {
        let mut context = if view.parsed {
            // The parse says which cues govern the trigger; word order adds only the
            // clause-wide ones ("if ...", "years ago").
            let mut c: Vec<String> =
                syntax::modality(view, syntax::trigger_head(view, trig.start, trig.end))
                    .into_iter()
                    .map(String::from)
                    .collect();
            for m in self.modality(view, lo, trig.start, NearCues::Multiword) {
                if !c.contains(&m) {
                    c.push(m);
                }
            }
            c
        } else {
            self.modality(
                view,
                lo.max(actors_end(view, actors)),
                trig.start,
                NearCues::All,
            )
        };
        if facts.historical.contains(&t) {
            context.push("historical".into());
        }
        let (when, place) =
            nearest_date_and_place(doc, view, trig.start, &facts.dates, &facts.places);
        let later = when
            .as_ref()
            .zip(doc.article.date.as_deref())
            .is_some_and(|(w, a)| w.date.as_str() > a);
        if later && !context.iter().any(|c| c == "future") {
            context.push("future".into());
        }
        (context, when, place)
    }

    /// Type decision: PLOVER codes intentions and refusals by what they are, not as the
    /// action with a mode: promised cooperation is AGREE, an announced or conditional
    /// hostile act is THREATEN, a refused concession is REJECT. Returns the CAMEO code.
    fn decide_type(&self, cameo: &str, context: &mut Vec<String>, others: bool) -> String {
        let entry = &self.lex.cameo[cameo];
        let has = |c: &[String], m: &str| c.iter().any(|x| x == m);
        if has(context, syntax::NOBODY) {
            context.retain(|c| c != syntax::NOBODY && c != "negation");
            context.insert(0, "negation".into());
            return cameo.to_string();
        }
        let convert = |table: &[(&str, &str)]| {
            table
                .iter()
                .find(|(ty, _)| entry.plover.as_deref() == Some(ty))
                .map(|(_, code)| code.to_string())
                .filter(|code| self.lex.cameo.contains_key(code))
        };
        if has(context, "negation") {
            if let Some(code) = convert(NEGATED_TO_REJECT) {
                context.retain(|c| c != "negation");
                return code;
            }
        } else if !others && (has(context, "future") || has(context, "hypothetical")) {
            if let Some(code) = convert(COOPERATIVE_TO_AGREE) {
                context.retain(|c| c != "future" && c != "hypothetical");
                return code;
            }
            // The threat is made now; what it announces stays future or conditional, so
            // the auxiliary mode is kept.
            if let Some(code) = convert(CONFLICTUAL_TO_THREATEN) {
                return code;
            }
        }
        cameo.to_string()
    }
}

fn scope<'r>(
    view: &SentenceView,
    regions: &'r [Region],
    triggers: &[Trigger],
    t: usize,
) -> TriggerScope<'r> {
    let trig = &triggers[t];
    let n = view.words.len();
    let frame = regions.iter().find(|r| r.frame.contains(&trig.start));
    let region = regions
        .iter()
        .find(|r| r.tokens.contains(&trig.start))
        .filter(|_| frame.is_none());
    let (lo, hi) = match region {
        Some(r) => (r.tokens.start, r.tokens.end),
        None => {
            let lo = regions
                .iter()
                .map(|r| r.frame.end)
                .filter(|&e| e <= trig.start)
                .max()
                .unwrap_or(0);
            let hi = regions
                .iter()
                .map(|r| r.frame.start)
                .filter(|&b| b >= trig.end)
                .min()
                .unwrap_or(n);
            (lo, hi)
        }
    };
    let next_trigger = triggers.get(t + 1).map_or(hi, |x| x.start.min(hi));
    TriggerScope {
        frame,
        region,
        lo,
        next_trigger,
    }
}

/// Participants read off the parse; where it names no actor we know (fragments,
/// headlines, "officials"), word order decides.
fn parsed_participants(
    doc: &Doc,
    view: &SentenceView,
    trig: &Trigger,
    args: &syntax::Arguments,
    (before, by_agent, after): (Option<Group>, Option<Group>, Option<Group>),
    words: &WordClasses,
) -> (Found, Found) {
    let group = |members: Vec<usize>| {
        (!members.is_empty()).then_some(Group {
            members,
            start: 0,
            end: 0,
        })
    };
    let as_group = |k: Option<usize>| k.and_then(|k| group(view.entities_of(k)));
    let parsed_actor = if args.pair {
        "first of the pair after \"between\" (parse)"
    } else if args.passive {
        "passive agent (parse)"
    } else if trig.pattern.kind == TriggerKind::Noun {
        "noun's modifier or governing verb's subject (parse)"
    } else {
        "subject (parse)"
    };
    let cause = || {
        tag(
            as_group(cause_of(
                view,
                syntax::trigger_head(view, trig.start, trig.end),
                &words.causes,
            )),
            "the one behind the cause: killed in police firing (parse)",
        )
    };
    let actor_group = args.actor.and_then(|k| {
        let mut members = view.actor_entities_of(k);
        if args.pair {
            members.truncate(1);
        }
        group(members)
    });
    let actor = tag(actor_group, parsed_actor).or_else(|| {
        if args.passive {
            tag(by_agent, "by-phrase (word order)").or_else(cause)
        } else if view.lemma[syntax::trigger_head(view, trig.start, trig.end)] == "die" {
            cause()
        } else {
            tag(
                before.clone(),
                "nearest actor before the trigger (word order)",
            )
        }
    });
    // The first candidate that stands for an actor with a country, else the first that
    // stands for any actor.
    let candidates: Vec<Group> = args
        .recipient
        .iter()
        .chain(&args.other_recipients)
        .filter_map(|&k| as_group(Some(k)))
        .collect();
    let coded = |g: &Group| {
        g.members
            .iter()
            .any(|&e| !doc.entities[e].actor.code.is_empty())
    };
    let best = candidates
        .iter()
        .find(|g| coded(g))
        .or(candidates.first())
        .cloned();
    let parsed_recipient = if args.pair {
        "second of the pair after \"between\" (parse)"
    } else if args.passive {
        "passive subject (parse)"
    } else {
        "object or oblique (parse)"
    };
    let recipient = tag(best, parsed_recipient).or_else(|| {
        if args.passive {
            tag(before, "nearest actor before the trigger (word order)")
        } else if args.topic {
            None
        } else {
            tag(after, "first actor after the trigger (word order)")
        }
    });
    (actor, recipient)
}

/// A noun trigger a light verb makes happen: "arrests have been made", "carried out
/// raids", "staged an attack" tell an occurrence as a verb would.
fn made(view: &SentenceView, trig: &Trigger) -> bool {
    if !view.parsed {
        return false;
    }
    let k = syntax::trigger_head(view, trig.start, trig.end);
    let light = view.head[k].is_some_and(|h| {
        matches!(
            view.lemma[h].as_str(),
            "make" | "carry" | "conduct" | "stage" | "mount" | "effect"
        )
    });
    light && matches!(view.deprel[k].as_str(), "obj" | "nsubj:pass")
}

/// The one behind a cause phrase ("police" of "in police firing") of the verb at `k`, when
/// the entity layer knows it: `None` otherwise.
fn cause_of(view: &SentenceView, k: usize, causes: &HashSet<String>) -> Option<usize> {
    let cause = |c: usize| causes.contains(&view.lemma[c]);
    view.children[k].iter().copied().find_map(|c| {
        let phrase = view.deprel[c].starts_with("obl")
            && view.children[c].iter().any(|&m| {
                view.deprel[m] == "case" && matches!(view.words[m].as_str(), "in" | "during")
            });
        if !phrase {
            return None;
        }
        // "in [police] firing": the cause with the one behind it as its modifier (the
        // modifier itself, which the cause noun does not stand for); or, as the parser
        // also reads it, "in [police] <- firing" (the gerund attached to the actor's noun).
        let modifier = || {
            view.children[c].iter().copied().find(|&m| {
                matches!(view.deprel[m].as_str(), "compound" | "amod" | "nmod:poss")
                    && view.entity_at[m].is_some()
            })
        };
        let attached = view.entity_at[c].is_some()
            && view.children[c]
                .iter()
                .any(|&m| matches!(view.deprel[m].as_str(), "acl" | "amod") && cause(m));
        // "in police | firing" split by the parse: the cause right after the actor's noun,
        // hung on the verb beside it.
        let split = view.entity_at[c].is_some()
            && view.head.get(c + 1) == Some(&Some(k))
            && cause(c + 1)
            && !view.children[c + 1]
                .iter()
                .any(|&m| view.deprel[m] == "case");
        if cause(c) {
            modifier()
        } else {
            (attached || split).then_some(c)
        }
    })
}

fn word_order_participants(
    trig: &Trigger,
    passive: bool,
    before: Option<Group>,
    by_agent: Option<Group>,
    after: Option<Group>,
) -> (Found, Found) {
    if by_agent.is_some() && (passive || trig.pattern.kind == TriggerKind::Noun) {
        (
            tag(by_agent, "by-phrase (word order)"),
            tag(before, "nearest actor before the trigger (word order)"),
        )
    } else if passive {
        (
            None,
            tag(before, "nearest actor before the trigger (word order)"),
        )
    } else {
        (
            tag(before, "nearest actor before the trigger (word order)"),
            tag(after, "first actor after the trigger (word order)"),
        )
    }
}

/// Violence, coercion and protest are events even when the text names no perpetrator
/// ("a bomb exploded in Izmir on Thursday", "22 people were arrested", "thousands marched"),
/// as PLOVER codes them with an unknown actor: a verb, or a noun with a victim, a date or a
/// place of its own (so that "the attack" referring back is not a new event). So is the
/// release of someone named ("Mech Dara was released on bail"), the end of a detention.
fn unattributed_violence(entry: &CameoEntry, noun: bool, p: &Participants, anchored: bool) -> bool {
    let material = matches!(
        entry.plover.as_deref(),
        Some("ASSAULT" | "COERCE" | "PROTEST")
    );
    let release = entry.mode.as_deref() == Some("release") && !p.recipients.is_empty();
    (material && (!noun || !p.recipients.is_empty() || anchored)) || (release && !noun)
}

/// "504 attacks in 2024", "several deadly attacks", "recent attacks": a plural noun with a
/// tally or a vague quantity sums up many happenings, none of which it reports.
fn counted(doc: &Doc, view: &SentenceView, trig: &Trigger) -> bool {
    if !view.parsed || !is_noun(doc, view, trig) {
        return false;
    }
    let k = syntax::trigger_head(view, trig.start, trig.end);
    let plural = doc.tokens[view.offset + k]
        .syntax
        .as_ref()
        .is_some_and(|s| s.xpos == "NNS");
    // "Two blasts killed five", "50 arrests were made": counted, yet told as happening;
    // "lobbed several canisters", "fired 30 rounds": the count is of what was used.
    let used = view.deprel[k] == "obj"
        && view.head[k].is_some_and(|h| {
            matches!(
                view.lemma[h].as_str(),
                "fire" | "lob" | "hurl" | "throw" | "drop" | "detonate" | "plant" | "use"
            )
        });
    let told =
        used || made(view, trig) || matches!(view.deprel[k].as_str(), "nsubj" | "nsubj:pass");
    plural
        && !told
        && view.children[k].iter().any(|&c| {
            // "two grenade attacks in Dakar" is one incident told in parts; "504 attacks in
            // 2024" a tally.
            let tally = view.words[c]
                .replace(',', "")
                .parse::<u32>()
                .is_ok_and(|n| n >= 20);
            (view.deprel[c] == "nummod" && tally)
                || matches!(
                    view.words[c].as_str(),
                    "several"
                        | "many"
                        | "multiple"
                        | "numerous"
                        | "repeated"
                        | "frequent"
                        | "recent"
                        | "dozens"
                        | "hundreds"
                        | "countless"
                )
        })
}

/// A verb with no actor inside a quote whose subject is "we" or "I": its speaker acts.
fn speaker_as_actor(
    doc: &Doc,
    view: &SentenceView,
    trig: &Trigger,
    quotes: &[Quote],
    p: &mut Participants,
) {
    if let Some(speaker) = first_person_speaker(doc, view, trig, quotes) {
        p.recipients
            .retain(|&r| r != speaker && !same_actor(doc, speaker, r));
        p.actors.push(speaker);
        p.why_actor = Some("the quote's speaker (first person)");
    }
}

/// Candidates that tell no new happening: a definite noun after a preposition refers back
/// ("after the attack"), a tally sums up many ("504 attacks"), and an act with no actor is
/// an event only as violence, coercion, protest or a release.
fn no_new_event(
    doc: &Doc,
    view: &SentenceView,
    trig: &Trigger,
    base: &CameoEntry,
    p: &Participants,
    anchored: bool,
    words: &WordClasses,
) -> bool {
    definite(doc, view, trig, &words.commenting)
        || counted(doc, view, trig)
        || (p.actors.is_empty()
            && !unattributed_violence(base, is_noun(doc, view, trig), p, anchored))
}

/// The event's actors and recipients (the host of a visit added as recipient) and its
/// `rule`: the pattern row and how each side was found.
fn finish_participants(
    doc: &Doc,
    trig: &Trigger,
    entry: &CameoEntry,
    p: Participants,
    place: Option<&EventPlace>,
) -> (Vec<usize>, Vec<usize>, String) {
    let Participants {
        actors,
        mut recipients,
        why_actor,
        why_recipient,
        passive,
    } = p;
    let mut why_recipient = why_recipient.filter(|_| !recipients.is_empty());
    if let Some(host) = visited_host(doc, entry, &actors, &recipients, place) {
        recipients.push(host);
        why_recipient = Some("the place visited");
    }
    let rule = format!(
        "{} {:?}{}{}{}",
        trig.pattern.origin,
        trig.pattern.words.join(" "),
        if passive { " (passive)" } else { "" },
        why_actor.map_or(String::new(), |w| format!("; actor: {w}")),
        why_recipient.map_or(String::new(), |w| format!("; recipient: {w}")),
    );
    (actors, recipients, rule)
}

/// The trigger's head token when the parse reads it as a verb.
fn verb_head(doc: &Doc, view: &SentenceView, trig: &Trigger) -> Option<usize> {
    if !view.parsed || trig.pattern.kind != TriggerKind::Verb || is_noun(doc, view, trig) {
        return None;
    }
    Some(syntax::trigger_head(view, trig.start, trig.end))
}

/// Whether the trigger is used as a noun: by the parse's tag ("the attack" from a verb row),
/// else by its pattern.
fn is_noun(doc: &Doc, view: &SentenceView, trig: &Trigger) -> bool {
    if view.parsed {
        let k = syntax::trigger_head(view, trig.start, trig.end);
        if let Some(s) = doc.tokens[view.offset + k].syntax.as_ref() {
            return s.upos == "NOUN";
        }
    }
    trig.pattern.kind == TriggerKind::Noun
}

/// CAMEO "criticize or denounce": a warning of another's act.
const CRITICIZE: &str = "111";

/// "the attack", "Tuesday's attack", "this attack": a definite noun refers back to an
/// event told before, not a new one.
fn definite(doc: &Doc, view: &SentenceView, trig: &Trigger, commenting: &HashSet<String>) -> bool {
    if view.parsed {
        let k = syntax::trigger_head(view, trig.start, trig.end);
        // A verb row used as a noun ("the attack") counts as a noun.
        if !is_noun(doc, view, trig) {
            return false;
        }
        // What a verb acts on is the event itself ("speeded up the withdrawal", "lifted
        // the curfew"), unless the verb comments on it ("described the talks as candid");
        // a phrase after a preposition points back ("after the attack").
        let commented = view.deprel[k] == "obj"
            && view.head[k].is_some_and(|h| commenting.contains(&view.lemma[h]));
        if !commented && !matches!(view.deprel[k].split(':').next(), Some("obl" | "nmod")) {
            return false;
        }
        // "Tuesday's attack" points back; "Russia's attack" names its actor.
        return view.children[k].iter().any(|&c| {
            let rel = view.deprel[c].as_str();
            (rel.starts_with("nmod:poss") && view.entity_at[c].is_none())
                || (rel == "det"
                    && matches!(
                        view.words[c].as_str(),
                        "the" | "this" | "that" | "these" | "those"
                    ))
        });
    }
    if trig.pattern.kind != TriggerKind::Noun {
        return false;
    }
    (trig.start.saturating_sub(3)..trig.start).any(|k| {
        matches!(
            view.words[k].as_str(),
            "the" | "this" | "that" | "these" | "those" | "'s" | "its" | "their"
        )
    })
}

/// Protesters who clash, attack or throw stones riot: all actors are protest crowds.
fn rioting(doc: &Doc, cameo: &str, entry: &CameoEntry, actors: &[usize]) -> bool {
    const CROWDS: &[&str] = &["protest", "demonstrat", "rioter", "mob"];
    // Fighting and beating only: in "police opened fire to disperse demonstrators,
    // killing one", who killed is not the crowd.
    let fighting = cameo.starts_with("19") || cameo.starts_with("182");
    entry.plover.as_deref() == Some("ASSAULT")
        && fighting
        && !actors.is_empty()
        && actors.iter().all(|&a| {
            let text = doc.slice(doc.entities[a].span).to_lowercase();
            CROWDS.iter().any(|c| text.contains(c))
        })
}

/// "Police personnel have been deployed", "two companies of troops were rushed to the
/// border": the forces a passive mobilisation moves are its actor (the state acting through
/// them), not its recipient.
fn forces_deployed(doc: &Doc, entry: &CameoEntry, p: &mut Participants) {
    let force = |&e: &usize| {
        doc.entities[e]
            .actor
            .sectors
            .first()
            .is_some_and(|s| matches!(s.as_str(), "MIL" | "COP" | "PRM" | "SPY"))
    };
    if entry.plover.as_deref() == Some("MOBILIZE")
        && p.passive
        && p.actors.is_empty()
        && !p.recipients.is_empty()
        && p.recipients.iter().all(force)
    {
        p.actors = std::mem::take(&mut p.recipients);
        p.why_actor = Some("the forces moved (passive subject)");
        p.why_recipient = None;
    }
}

/// CAMEO 154, mobilize or increase armed forces.
const MOBILIZE_FORCES: &str = "154";

/// "Petro sent 5,000 troops to Colombia's southern border": troops sent with no other
/// state to protect are a deployment (MOBILIZE), not peacekeeping aid (CAMEO 074, which
/// needs a recipient of another country: "sent troops to Lebanon").
fn own_ground(doc: &Doc, cameo: &str, p: &Participants) -> bool {
    let code = |e: &usize| doc.entities[*e].actor.code.as_str();
    let sides: Vec<&str> = p.actors.iter().map(code).collect();
    cameo == "074"
        && !sides.is_empty()
        && p.recipients
            .iter()
            .all(|r| code(r).is_empty() || sides.contains(&code(r)))
}

/// The newsroom's own doings are no events: "VOA spoke with X", "told VOA", "a request
/// for comment" — a meeting or request with a news outlet (an organisation of sector JRN).
fn newsroom(doc: &Doc, entry: &CameoEntry, p: &Participants) -> bool {
    let outlet = |&e: &usize| {
        let ent = &doc.entities[e];
        ent.kind == dyad_core::EntityKind::Organisation
            && ent.actor.sectors.iter().any(|s| s == "JRN")
    };
    matches!(entry.plover.as_deref(), Some("CONSULT" | "REQUEST"))
        && (p.actors.iter().any(outlet) || p.recipients.iter().any(outlet))
}

/// "both sides", "the two countries", "the two leaders": the pair named before, in this
/// sentence or the two before it (the last two distinct actors of the right kind).
fn expand_pairs(doc: &Doc, ids: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match pair_of(doc, id) {
            Some((a, b)) => out.extend([a, b]),
            None => out.push(id),
        }
    }
    out.dedup();
    out
}

fn pair_of(doc: &Doc, id: usize) -> Option<(usize, usize)> {
    use dyad_core::EntityKind;
    let e = &doc.entities[id];
    let text = doc.slice(e.span).to_lowercase();
    // Only the word before matters: lowercasing the whole prefix made long documents quadratic.
    let word_before = doc.text()[..e.span.start]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let paired = word_before.eq_ignore_ascii_case("two")
        || word_before.eq_ignore_ascii_case("both")
        || text.starts_with("both ")
        || text.starts_with("the two ");
    if !paired {
        return None;
    }
    let wanted = |k: EntityKind| {
        if ["leader", "president", "minister", "head"]
            .iter()
            .any(|w| text.contains(w))
        {
            k == EntityKind::Person
        } else if ["countr", "nation", "government", "state"]
            .iter()
            .any(|w| text.contains(w))
        {
            k == EntityKind::Country
        } else {
            text.contains("side") || text.contains("parties")
        }
    };
    let mut found: Vec<usize> = Vec::new();
    for (i, x) in doc.entities[..id].iter().enumerate().rev() {
        // The pair was named before this sentence.
        if x.sentence == e.sentence {
            continue;
        }
        if x.sentence + 2 < e.sentence {
            break;
        }
        let new_code = !found
            .iter()
            .any(|&f| doc.entities[f].actor.code == x.actor.code);
        if wanted(x.kind) && !x.actor.code.is_empty() && new_code {
            found.push(i);
            if found.len() == 2 {
                return Some((found[1], found[0]));
            }
        }
    }
    None
}

/// A future or hoped-for act that a speaker tells of others ("Macron hopes a ceasefire
/// between Armenia and Azerbaijan could take place"): a prediction or a wish, not the actors'
/// promise or threat, so it keeps its type with the auxiliary mode.
fn told_of_others(doc: &Doc, attributed: Option<&Attribution>, actors: &[usize]) -> bool {
    let Some(speaker) = attributed.and_then(|a| a.speaker) else {
        return false;
    };
    // Only a known third party: a spokesperson or outlet of unknown side reports the
    // actors' own plans.
    let code = |e: usize| doc.entities[e].actor.code.as_str();
    !code(speaker).is_empty()
        && !actors.is_empty()
        && actors
            .iter()
            .all(|&a| a != speaker && !code(a).is_empty() && code(a) != code(speaker))
}

/// Whose words the trigger is in: a direct quote with a cue, else the reported-speech
/// region it stands in.
fn attribution(quotes: &[Quote], region: Option<&Region>, trigger: Span) -> Option<Attribution> {
    quotes
        .iter()
        .find(|q| q.span.contains(trigger) && q.cue.is_some())
        .map(|q| Attribution {
            speaker: q.speaker,
            cue: q.cue.unwrap(),
        })
        .or_else(|| {
            region.map(|r| Attribution {
                speaker: r.speaker,
                cue: r.cue,
            })
        })
}

fn confidence(trig: &Trigger, p: &Participants) -> f32 {
    let mut c: f32 = 0.45;
    if !p.actors.is_empty() {
        c += 0.2;
    }
    if !p.recipients.is_empty() {
        c += 0.15;
    }
    if trig.pattern.words.len() > 1 {
        c += 0.1;
    }
    if trig.pattern.kind == TriggerKind::Noun {
        c -= 0.1;
    }
    c
}

/// A visit or arrival without a named host: the place is the host ("arrived in Amman on a
/// visit" → JOR), as PLOVER codes CONSULT visits.
fn visited_host(
    doc: &Doc,
    entry: &CameoEntry,
    actors: &[usize],
    recipients: &[usize],
    place: Option<&EventPlace>,
) -> Option<usize> {
    if !recipients.is_empty() || entry.plover.as_deref() != Some("CONSULT") {
        return None;
    }
    let e = place?.entity?;
    let host = &doc.entities[e].actor.code;
    let own = actors.iter().any(|&a| &doc.entities[a].actor.code == host);
    (!host.is_empty() && !own).then_some(e)
}

/// "demanded that Israel ease restrictions": the content's actor is whom the demand is
/// made of; "agreed to provide aid for Poland": its recipient is the governing event's too.
fn fold_contents(
    doc: &Doc,
    events: &mut [Event],
    contents: Vec<(usize, Event)>,
    event_of: &HashMap<usize, usize>,
) {
    for (g, content) in contents {
        let Some(&i) = event_of.get(&g) else { continue };
        let gov = &mut events[i];
        if !gov.recipients.is_empty() {
            continue;
        }
        let not_gov = |a: &usize| {
            !gov.actors.contains(a) && !gov.actors.iter().any(|&b| same_actor(doc, b, *a))
        };
        let others: Vec<usize> = content.actors.iter().copied().filter(not_gov).collect();
        let from = if others.is_empty() {
            content.recipients
        } else {
            others
        };
        let recipients: Vec<usize> = from.into_iter().filter(not_gov).collect();
        gov.recipients = recipients;
        if !gov.recipients.is_empty() {
            gov.rule.push_str(" + recipient from its content");
        }
    }
}
