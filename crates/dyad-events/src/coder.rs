//! Coding events sentence by sentence over surface word order.

use crate::lexicon::{
    normalise_word, DataError, FrameRelation, Lexicon, Pattern, Scope, TriggerKind,
};
use crate::speech;
use crate::syntax;
use dyad_core::{
    resolve_date_at, DatePrecision, Doc, EntityKind, Event, EventDate, EventPlace, Quote, Span,
    Stage, TokenKind,
};
use std::collections::HashMap;

/// Words that join coordinated actors ("Peru, Chile and Colombia", "the US as well as Japan").
const COORDINATION: &[&str] = &[",", "and", "&", "as", "well", "both", "the"];
/// Auxiliaries that mark a passive when directly before a verb trigger ("was attacked").
const PASSIVE_AUX: &[&str] = &[
    "was", "were", "been", "being", "is", "are", "be", "got", "get", "gets",
];
/// Adverbs allowed between the auxiliary and the verb ("was reportedly attacked").
const ADVERBS: &[&str] = &[
    "also",
    "reportedly",
    "allegedly",
    "repeatedly",
    "again",
    "not",
    "never",
    "later",
    "then",
];
/// Prepositions that make a following place the event's location, not a participant
/// ("protesters rallied in Nairobi").
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "around",
    "throughout",
    "within",
];
/// Types that PLOVER recodes as AGREE when they are only promised (manual, AGREE).
pub(crate) const COOPERATIVE_TO_AGREE: &[(&str, &str)] = &[
    ("CONSULT", "036"),
    ("SUPPORT", "032"),
    ("COOPERATE", "031"),
    ("AID", "033"),
    ("CONCEDE", "035"),
    ("RETREAT", "0356"),
];

/// PLOVER: an announced or conditional conflictual action is a THREATEN ("will impose
/// sanctions if ...", "would blockade Paris"), with the CAMEO threat code for its kind.
pub(crate) const CONFLICTUAL_TO_THREATEN: &[(&str, &str)] = &[
    ("SANCTION", "1312"),
    ("COERCE", "132"),
    ("PROTEST", "133"),
    ("ASSAULT", "138"),
    ("MOBILIZE", "138"),
];

/// PLOVER: a cooperative action refused or not taken is a REJECT ("declined to resign",
/// "did not agree to the plan"), with the CAMEO rejection code for its kind.
pub(crate) const NEGATED_TO_REJECT: &[(&str, &str)] = &[
    ("AGREE", "120"),
    ("CONCEDE", "124"),
    ("RETREAT", "1246"),
    ("AID", "121"),
    ("COOPERATE", "121"),
];

/// Coordinated entities acting together, in sentence-local token positions.
#[derive(Clone, Debug)]
pub struct Group {
    pub members: Vec<usize>,
    pub start: usize,
    pub end: usize,
}

impl Group {
    pub fn head(&self) -> Option<usize> {
        self.members.first().copied()
    }
}

/// One sentence prepared for coding: normalised words and where the entities are.
pub struct SentenceView {
    /// Index of the sentence's first token in `Doc::tokens`.
    pub offset: usize,
    pub words: Vec<String>,
    pub kinds: Vec<TokenKind>,
    /// Entity index covering each token.
    pub entity_at: Vec<Option<usize>>,
    /// Whether the entity at each position has a country or organisation code.
    pub coded: Vec<bool>,
    pub groups: Vec<Group>,
    /// Whether the language stage parsed the sentence; the fields below are empty if not.
    pub parsed: bool,
    /// Sentence-local head of each token (`None` for the root).
    pub head: Vec<Option<usize>>,
    pub deprel: Vec<String>,
    pub lemma: Vec<String>,
    pub children: Vec<Vec<usize>>,
}

/// "western", "south", "northeastern", "central": a part of a place.
fn direction(w: &str) -> bool {
    if w == "central" {
        return true;
    }
    let mut rest = w.strip_suffix("ern").unwrap_or(w);
    let mut parts = 0;
    while let Some(r) = ["north", "south", "east", "west", "-"]
        .iter()
        .find_map(|d| rest.strip_prefix(d))
    {
        rest = r;
        parts += 1;
    }
    rest.is_empty() && parts > 0
}

impl SentenceView {
    pub(crate) fn new(doc: &Doc, s: usize) -> Self {
        let range = doc.sentences[s].tokens.clone();
        let offset = range.start;
        let words: Vec<String> = range
            .clone()
            .map(|i| normalise_word(doc.token_text(i)))
            .collect();
        let kinds = range.clone().map(|i| doc.tokens[i].kind).collect();
        let mut entity_at = vec![None; words.len()];
        let mut coded = vec![false; words.len()];
        let mut spans = Vec::new();
        // Entities are in text order (the actor stage sorts them): a binary search finds
        // the sentence's, where a scan of all of them for every sentence is quadratic.
        let first = doc.entities.partition_point(|e| e.sentence < s);
        for (e, ent) in doc
            .entities
            .iter()
            .enumerate()
            .skip(first)
            .take_while(|(_, e)| e.sentence == s)
            // A mention with neither country nor sector (a recognised name nothing more is
            // known about) cannot fill a CAMEO/PLOVER actor slot.
            .filter(|(_, e)| {
                e.sentence == s && !(e.actor.code.is_empty() && e.actor.sectors.is_empty())
            })
        {
            let a = doc.token_at(ent.span.start) - offset;
            let b = (doc.token_at(ent.span.end) - offset).min(words.len());
            for slot in &mut entity_at[a..b] {
                *slot = Some(e);
            }
            for slot in &mut coded[a..b] {
                *slot = !ent.actor.code.is_empty();
            }
            spans.push((e, a, b));
        }
        let groups = group(&words, &spans);
        // A sentence the language stage skipped has syntax without relations.
        let parsed = range.clone().all(|i| {
            doc.tokens[i]
                .syntax
                .as_ref()
                .is_some_and(|s| !s.deprel.is_empty())
        });
        let (mut head, mut deprel, mut lemma) = (Vec::new(), Vec::new(), Vec::new());
        let mut children = vec![Vec::new(); if parsed { words.len() } else { 0 }];
        if parsed {
            for (k, i) in range.clone().enumerate() {
                let syn = doc.tokens[i].syntax.as_ref().expect("parsed");
                let h = syn.head.map(|h| h - offset);
                if let Some(h) = h {
                    children[h].push(k);
                }
                head.push(h);
                deprel.push(syn.deprel.clone());
                lemma.push(syn.lemma.clone());
            }
        }
        SentenceView {
            offset,
            words,
            kinds,
            entity_at,
            coded,
            groups,
            parsed,
            head,
            deprel,
            lemma,
            children,
        }
    }

    /// The entities an argument headed at token `k` stands for: the entity covering it or
    /// the nearest one in its subtree, plus those of its conjuncts ("Peru, Chile and
    /// Colombia").
    pub fn entities_of(&self, k: usize) -> Vec<usize> {
        self.entities_below(k, false)
    }

    /// [`Self::entities_of`] for the one who acts: a place phrase inside the noun phrase
    /// ("a wave of attacks across Pakistan", "the blast in Kabul") says where the noun happened,
    /// not who it stands for. (An object's place is kept: PLOVER's recipient of "exploded
    /// bombs in Kabul" is Afghanistan.)
    pub fn actor_entities_of(&self, k: usize) -> Vec<usize> {
        self.entities_below(k, true)
    }

    fn entities_below(&self, k: usize, skip_places: bool) -> Vec<usize> {
        let mut out = Vec::new();
        if let Some(e) = self.entity_in_subtree(k, skip_places) {
            out.push(e);
        }
        for &c in &self.children[k] {
            if self.deprel[c] == "conj" {
                if let Some(e) = self.entity_in_subtree(c, skip_places) {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                }
            }
        }
        out
    }

    /// Breadth-first search below `k` for an entity, not entering clauses or conjuncts. A
    /// sector word modifying a noun that is no actor ("military" in "military aid") does not
    /// stand for that noun.
    fn entity_in_subtree(&self, k: usize, skip_places: bool) -> Option<usize> {
        let mut frontier = vec![k];
        for depth in 0..4 {
            let found = frontier.iter().find_map(|&t| {
                let e = self.entity_at[t]?;
                let modifier = depth > 0
                    && self.parsed
                    && matches!(self.deprel[t].as_str(), "amod" | "compound")
                    && self.head[t].is_some_and(|h| self.entity_at[h].is_none())
                    && !self.coded[t];
                (!modifier).then_some(e)
            });
            if let Some(e) = found {
                return Some(e);
            }
            frontier = frontier
                .iter()
                .flat_map(|&t| self.children[t].iter().copied())
                .filter(|&c| {
                    let r = self.deprel[c].split(':').next().unwrap_or("");
                    let clause = matches!(
                        r,
                        "conj" | "acl" | "advcl" | "ccomp" | "xcomp" | "parataxis" | "cc" | "punct"
                    );
                    let place = skip_places && r == "nmod" && self.locative(c);
                    !clause && !place
                })
                .collect();
        }
        None
    }

    /// A place phrase: a preposition of place as its case.
    fn locative(&self, k: usize) -> bool {
        self.children[k]
            .iter()
            .any(|&c| self.deprel[c] == "case" && LOCATIVE.contains(&self.words[c].as_str()))
    }

    pub fn span(&self, doc: &Doc, local: usize) -> Span {
        doc.tokens[self.offset + local].span
    }

    /// The group that ends right before position `pos`.
    pub fn group_ending_at(&self, pos: usize) -> Option<Group> {
        self.groups.iter().find(|g| g.end == pos).cloned()
    }

    /// The group that starts at `pos`, after an optional article.
    pub fn group_starting_at(&self, pos: usize) -> Option<Group> {
        let pos = if matches!(
            self.words.get(pos).map(String::as_str),
            Some("the" | "a" | "an")
        ) {
            pos + 1
        } else {
            pos
        };
        self.groups.iter().find(|g| g.start == pos).cloned()
    }

    /// Whether the group is a place introduced by a locative preposition.
    fn is_location(&self, g: &Group) -> bool {
        let mut k = g.start;
        // "in the", "in western", "in the southern": an article and a direction between.
        for _ in 0..2 {
            if k > 0 && (self.words[k - 1] == "the" || direction(&self.words[k - 1])) {
                k -= 1;
            }
        }
        k > 0 && LOCATIVE.contains(&self.words[k - 1].as_str())
    }

    /// The nearest participant group wholly inside `lo..hi`, searching back from `hi`.
    pub(crate) fn last_group_in(&self, lo: usize, hi: usize) -> Option<Group> {
        self.groups
            .iter()
            .rev()
            .find(|g| g.start >= lo && g.end <= hi && !self.is_location(g))
            .cloned()
    }

    /// The first participant group wholly inside `lo..hi`.
    pub(crate) fn first_group_in(&self, lo: usize, hi: usize) -> Option<Group> {
        self.groups
            .iter()
            .find(|g| g.start >= lo && g.end <= hi && !self.is_location(g))
            .cloned()
    }
}

/// Joins entities into coordinated groups. A run joined only by commas is a list only when
/// an "and" closes it ("Peru, Chile and Colombia"); "In Beijing, Chinese officials" is not.
fn group(words: &[String], spans: &[(usize, usize, usize)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut pending_commas: Vec<usize> = Vec::new();
    for &(e, a, b) in spans {
        // Two mentions inside one token ("Union-led" after "African") share a group.
        if let Some(last) = groups.last_mut().filter(|g| a < g.end) {
            last.members.push(e);
            last.end = last.end.max(b);
            continue;
        }
        let gap = groups.last().map(|g| &words[g.end..a]);
        let joins = gap.is_some_and(|gap| {
            !gap.is_empty()
                && gap.iter().all(|w| COORDINATION.contains(&w.as_str()))
                && gap.iter().any(|w| w != "the")
        });
        if joins {
            let last = groups.last_mut().unwrap();
            if words[last.end..a]
                .iter()
                .any(|w| w == "and" || w == "&" || w == "as")
            {
                pending_commas.clear();
            } else {
                pending_commas.push(last.members.len());
            }
            last.members.push(e);
            last.end = b;
        } else {
            split_unclosed(&mut groups, &mut pending_commas, spans);
            groups.push(Group {
                members: vec![e],
                start: a,
                end: b,
            });
        }
    }
    split_unclosed(&mut groups, &mut pending_commas, spans);
    groups
}

/// Undoes comma joins at the end of the last group that no "and" closed.
fn split_unclosed(
    groups: &mut Vec<Group>,
    pending: &mut Vec<usize>,
    spans: &[(usize, usize, usize)],
) {
    if let Some(&first_cut) = pending.first() {
        let last = groups.pop().unwrap();
        let bounds = |e: usize| spans.iter().find(|s| s.0 == e).map(|s| (s.1, s.2)).unwrap();
        let mut cuts = vec![0];
        cuts.extend(pending.iter().copied());
        cuts.push(last.members.len());
        let _ = first_cut;
        for w in cuts.windows(2) {
            let members = last.members[w[0]..w[1]].to_vec();
            let start = bounds(members[0]).0;
            let end = bounds(*members.last().unwrap()).1;
            groups.push(Group {
                members,
                start,
                end,
            });
        }
        pending.clear();
    }
}

/// A trigger found in a sentence.
pub(crate) struct Trigger<'a> {
    pub start: usize,
    pub end: usize,
    pub pattern: &'a Pattern,
}

/// The event coder as a pipeline stage.
pub struct EventStage {
    pub(crate) lex: Lexicon,
}

impl EventStage {
    pub fn new(lex: Lexicon) -> Self {
        EventStage { lex }
    }

    /// Whether a sentence (lowercased words, lemmas) holds a word that can start a
    /// trigger or a dependency frame: only those sentences can yield events, so only they
    /// need a parse.
    pub fn may_code(&self, words: &[String], lemmas: &[String]) -> bool {
        words
            .iter()
            .any(|w| self.lex.triggers.starts_with(&normalise_word(w)))
            || lemmas.iter().any(|l| self.lex.frames.contains_key(l))
    }

    pub fn builtin() -> Result<Self, DataError> {
        Ok(Self::new(Lexicon::builtin()?))
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    pub(crate) fn triggers<'a>(&'a self, view: &SentenceView, doc: &Doc) -> Vec<Trigger<'a>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < view.words.len() {
            // A capitalised word inside a sentence is a name ("Peace Square"), not a trigger.
            let raw = doc.token_text(view.offset + i);
            let capitalised = i > 0
                && raw.chars().next().is_some_and(|c| c.is_uppercase())
                && view.kinds[i - 1] != TokenKind::Quote;
            if view.entity_at[i].is_none() && !capitalised {
                let surface = self.lex.triggers.longest_at(&view.words[i..]);
                // A frame over the parse beats a bare one-word row, not a phrase row.
                let frame = surface
                    .is_none_or(|(len, _)| len == 1)
                    .then(|| self.frame_at(view, i))
                    .flatten();
                if let Some(pattern) = frame {
                    out.push(Trigger {
                        start: i,
                        end: i + 1,
                        pattern,
                    });
                    i += 1;
                    continue;
                }
                if let Some((len, pattern)) = surface {
                    out.push(Trigger {
                        start: i,
                        end: i + len,
                        pattern,
                    });
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// Triggers that are the content of another trigger's event rather than events of
    /// their own: what was agreed, demanded, threatened, refused or alleged ("agreed to
    /// cooperate", "demanded the withdrawal of Serbian forces", "accused X of attacking").
    /// PLOVER codes the governing event; the embedded one has not happened, so coding it
    /// as a fact would be wrong. Needs the parse.
    pub(crate) fn embedded_triggers(
        &self,
        view: &SentenceView,
        triggers: &[Trigger],
    ) -> HashMap<usize, usize> {
        if !view.parsed {
            return HashMap::new();
        }
        let mut at: HashMap<usize, usize> = HashMap::new();
        for (t, trig) in triggers.iter().enumerate() {
            at.insert(syntax::trigger_head(view, trig.start, trig.end), t);
        }
        let governs = |t: usize| {
            self.lex.cameo[&triggers[t].pattern.cameo]
                .plover
                .as_deref()
                .is_some_and(|p| CONTENT_TAKING.contains(&p))
        };
        let mut out = HashMap::new();
        for (t, trig) in triggers.iter().enumerate() {
            let mut k = syntax::trigger_head(view, trig.start, trig.end);
            for _ in 0..3 {
                let rel = view.deprel[k].split(':').next().unwrap_or("");
                // Not advcl: "pledged ... as Wang accused Manila", "summoned the ambassador
                // to lodge a protest" are events of their own.
                if !matches!(rel, "xcomp" | "ccomp" | "obj" | "obl" | "acl" | "nmod") {
                    break;
                }
                let Some(h) = view.head[k] else { break };
                if let Some(&g) = at.get(&h) {
                    // A noun trigger that a verb trigger acts on is that verb's event:
                    // "lifted the blockade", "cancelled the visit", "halted the aid".
                    let acted_on = trig.pattern.kind == TriggerKind::Noun
                        && triggers[g].pattern.kind == TriggerKind::Verb
                        && matches!(rel, "obj" | "obl" | "nmod");
                    if g != t && (governs(g) || acted_on) {
                        out.insert(t, g);
                    }
                    break;
                }
                k = h;
            }
        }
        out
    }

    /// The first dependency frame of the word at `i` that its dependents fire.
    fn frame_at(&self, view: &SentenceView, i: usize) -> Option<&Pattern> {
        if !view.parsed {
            return None;
        }
        // The lemma, or a form the lemmatizer may have missed ("upgraded" → "upgrad").
        let w = view.words[i].as_str();
        // Borrowed guesses first; the one that needs a new string only when they fail.
        let frames = [
            Some(view.lemma[i].as_str()),
            w.strip_suffix('d'),
            w.strip_suffix("ed"),
            w.strip_suffix("ing"),
            w.strip_suffix('s'),
            w.strip_suffix("es"),
        ]
        .into_iter()
        .flatten()
        .find_map(|g| self.lex.frames.get(g))
        .or_else(|| {
            w.strip_suffix("ing")
                .and_then(|x| self.lex.frames.get(&format!("{x}e")))
        })?;
        // A gerund the parser attached to the noun before it ("in police <- firing") is
        // that noun's head in the text: it counts as a modifier too.
        let has_lemma = |k: usize, set: &[String]| {
            // The word's singular too, where the lemmatizer kept a plural ("troops").
            let singular = view.words[k].strip_suffix('s').unwrap_or(&view.words[k]);
            set.iter().any(|d| d == "*" || d == singular)
                || set.contains(&view.lemma[k])
                || view.children[k].iter().any(|&m| {
                    let modifier = matches!(
                        view.deprel[m].split(':').next(),
                        Some("nmod" | "compound" | "amod")
                    ) || (view.deprel[m] == "acl" && view.words[m].ends_with("ing"));
                    modifier && set.contains(&view.lemma[m])
                })
        };
        let case_of = |k: usize| {
            view.children[k]
                .iter()
                .find(|&&c| view.deprel[c] == "case")
                .map(|&c| view.words[c].as_str())
        };
        frames.iter().find_map(|f| {
            if let Some(p) = &f.particle {
                let has = view.children[i]
                    .iter()
                    .any(|&c| view.deprel[c] == "compound:prt" && view.words[c] == *p);
                if !has {
                    return None;
                }
            }
            // An oblique may hang on the object ("designated the Houthis <- as a terrorist
            // organization").
            let on_object = view.children[i]
                .iter()
                .filter(|&&c| {
                    matches!(f.relation, FrameRelation::Oblique(_)) && view.deprel[c] == "obj"
                })
                .flat_map(|&c| view.children[c].iter());
            let fired = view.children[i].iter().chain(on_object).any(|&c| {
                let rel = view.deprel[c].as_str();
                let fits = match &f.relation {
                    FrameRelation::Object => matches!(rel, "obj" | "iobj"),
                    // "told members to draft": the parser may hang the infinitive on the
                    // object (acl) instead of the verb (xcomp).
                    FrameRelation::Xcomp => {
                        rel == "xcomp"
                            || (matches!(rel, "obj" | "iobj") && to_infinitive_of(view, c))
                    }
                    // "alleged the journalist had posted": the parser may take the
                    // clause's subject for an object with the clause hung on it.
                    FrameRelation::Complement => {
                        rel == "ccomp"
                            || (rel == "obj"
                                && view.children[c].iter().any(|&v| {
                                    view.deprel[v] == "acl"
                                        && view.children[v].iter().any(|&a| view.deprel[a] == "aux")
                                }))
                    }
                    FrameRelation::ComplementAux => {
                        return rel == "ccomp"
                            && view.children[c].iter().any(|&a| {
                                view.deprel[a] == "aux" && f.dependents.contains(&view.words[a])
                            });
                    }
                    FrameRelation::Oblique(p) => {
                        matches!(rel.split(':').next(), Some("obl" | "nmod"))
                            && case_of(c) == Some(p.as_str())
                    }
                };
                fits && has_lemma(c, &f.dependents)
            });
            fired.then_some(&f.pattern)
        })
    }

    /// The auxiliary modes set by cues before the trigger within `lo..start`: clause-wide
    /// cues always, cues near the trigger only when `near_cues` is set.
    pub(crate) fn modality(
        &self,
        view: &SentenceView,
        lo: usize,
        start: usize,
        near_cues: NearCues,
    ) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let near = start.saturating_sub(4).max(lo);
        for k in lo..start {
            for (len, cue) in self.lex.modality.matches_at(&view.words[k..]) {
                // Multiword near cues ("plans to", "is expected to") are unambiguous enough
                // to count even where the parse is trusted over word order.
                let near_ok = match near_cues {
                    NearCues::All => true,
                    NearCues::Multiword => len > 1,
                };
                let fits =
                    k + len <= start && (cue.scope == Scope::Clause || (near_ok && k >= near));
                if fits && !found.contains(&cue.context) {
                    found.push(cue.context.clone());
                }
            }
        }
        found
    }
}

/// PLOVER types whose events take another event as their content ("agreed to meet",
/// "demanded a withdrawal").
const CONTENT_TAKING: &[&str] = &["AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE"];

/// The named news outlet the speaker of `q` spoke to, in the sentence of its cue: a
/// mention with the JRN sector and a name ("told the newspaper Le Monde", "in an interview
/// with the Daily Nation", "told Reuters"), outside the quoted words and not the speaker;
/// the nearest to the cue.
/// Per sentence, the range of its entities in `Doc::entities`, when they are in text
/// order (as the actor stage leaves them); `None` otherwise. Built once per document so that
/// per-quote lookups stay linear in a long one.
/// Whether the noun at `k` has an infinitive "to ..." hanging on it (acl with mark "to").
fn to_infinitive_of(view: &SentenceView, k: usize) -> bool {
    view.children[k].iter().any(|&a| {
        view.deprel[a] == "acl"
            && view.children[a]
                .iter()
                .any(|&m| view.deprel[m] == "mark" && view.words[m] == "to")
    })
}

pub(crate) fn entity_runs(doc: &Doc) -> Option<Vec<std::ops::Range<usize>>> {
    let ents = &doc.entities;
    if !ents.windows(2).all(|w| w[0].sentence <= w[1].sentence) {
        return None;
    }
    let mut runs = Vec::with_capacity(doc.sentences.len());
    let mut from = 0;
    for s in 0..doc.sentences.len() {
        let to = from + ents[from..].partition_point(|e| e.sentence <= s);
        runs.push(from..to);
        from = to;
    }
    Some(runs)
}

/// For each sentence, the indices of the quotes whose span overlaps it.
pub(crate) fn quotes_by_sentence(doc: &Doc, quotes: &[Quote]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); doc.sentences.len()];
    if doc.tokens.is_empty() {
        return out;
    }
    let sentence_at = |at: usize| doc.tokens[doc.token_at(at).min(doc.tokens.len() - 1)].sentence;
    for (i, q) in quotes.iter().enumerate() {
        let first = sentence_at(q.span.start);
        let last = sentence_at(q.span.end.saturating_sub(1).max(q.span.start)).max(first);
        let last = last.min(out.len() - 1);
        for list in &mut out[first..=last] {
            list.push(i);
        }
    }
    out
}

pub(crate) fn outlet(
    doc: &Doc,
    runs: Option<&[std::ops::Range<usize>]>,
    q: &Quote,
) -> Option<usize> {
    let cue = q.cue?;
    let sentence = doc.tokens[doc.token_at(cue.start).min(doc.tokens.len() - 1)].sentence;
    let range = runs
        .and_then(|r| r.get(sentence).cloned())
        .unwrap_or(0..doc.entities.len());
    doc.entities[range.clone()]
        .iter()
        .zip(range)
        .map(|(e, i)| (i, e))
        .filter(|(i, e)| {
            e.sentence == sentence
                && Some(*i) != q.speaker
                && !e.span.overlaps(q.span)
                && e.actor.identifier.is_some()
                && e.actor.sectors.iter().any(|s| s == "JRN")
        })
        .min_by_key(|(_, e)| e.span.start.abs_diff(cue.start))
        .map(|(i, _)| i)
}

/// Which modality cues before a trigger count by word order alone.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum NearCues {
    All,
    Multiword,
}

/// One event per happening: in "will impose new sanctions on Iran" both the verb (a frame)
/// and the noun "sanctions" fire SANCTION with the same actors. Events of one sentence with
/// the same PLOVER type and actors are one event when one's recipients include the
/// other's; the one with more recipients (then the higher confidence) stays. `distinct`
/// says, by the events' indices, which two are different happenings whatever their types.
pub(crate) fn merge_duplicates(
    events: Vec<Event>,
    distinct: impl Fn(usize, usize) -> bool,
) -> Vec<Event> {
    let mut out: Vec<(usize, Event)> = Vec::with_capacity(events.len());
    for (j, ev) in events.into_iter().enumerate() {
        let same = out.iter().position(|(i, o)| {
            !distinct(*i, j)
                && o.plover == ev.plover
                && o.actors == ev.actors
                && (ev.recipients.iter().all(|r| o.recipients.contains(r))
                    || o.recipients.iter().all(|r| ev.recipients.contains(r)))
        });
        match same {
            Some(i) => {
                let better = (ev.recipients.len(), ev.confidence)
                    > (out[i].1.recipients.len(), out[i].1.confidence);
                if better {
                    out[i] = (j, ev);
                }
            }
            None => out.push((j, ev)),
        }
    }
    out.into_iter().map(|(_, ev)| ev).collect()
}

/// The date and place of an event whose trigger starts at `at`: the nearest date
/// expression and locative place of the sentence.
pub(crate) fn date_and_place(
    doc: &Doc,
    view: &SentenceView,
    at: usize,
) -> (Option<EventDate>, Option<EventPlace>) {
    nearest_date_and_place(doc, view, at, &dates_in(doc, view), &places_in(doc, view))
}

pub(crate) fn nearest_date_and_place(
    doc: &Doc,
    view: &SentenceView,
    at: usize,
    dates: &[(usize, usize, String, DatePrecision)],
    places: &[(usize, EventPlace)],
) -> (Option<EventDate>, Option<EventPlace>) {
    let nearest = |k: usize| k.abs_diff(at);
    let when = dates
        .iter()
        .min_by_key(|d| nearest(d.0))
        .map(|d| EventDate {
            date: d.2.clone(),
            precision: d.3,
            span: Span::new(view.span(doc, d.0).start, view.span(doc, d.0 + d.1 - 1).end),
        });
    let place = places
        .iter()
        .min_by_key(|p| nearest(p.0))
        .map(|p| p.1.clone());
    (when, place)
}

/// Date expressions of the sentence resolved against the article date: (position, words,
/// date, precision).
pub(crate) fn dates_in(
    doc: &Doc,
    view: &SentenceView,
) -> Vec<(usize, usize, String, DatePrecision)> {
    let Some(article) = doc.article.date.as_deref() else {
        return Vec::new();
    };
    let raw: Vec<&str> = (0..view.words.len())
        .map(|k| doc.token_text(view.offset + k))
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        if view.entity_at[k].is_none() {
            if let Some((date, precision, len)) = resolve_date_at(article, &raw[k..]) {
                out.push((k, len, date, precision));
                k += len;
                continue;
            }
        }
        k += 1;
    }
    out
}

/// Prepositions that introduce an event's location.
const PLACE_CASES: &[&str] = &["in", "at", "near", "outside", "inside", "across"];

/// Places named after a locative preposition: a state or city the actor layer resolved,
/// or a place name from the recognizer. (position, place).
pub(crate) fn places_in(doc: &Doc, view: &SentenceView) -> Vec<(usize, EventPlace)> {
    let mut out = Vec::new();
    for k in 0..view.words.len().saturating_sub(1) {
        if !PLACE_CASES.contains(&view.words[k].as_str()) {
            continue;
        }
        let at = if view.words[k + 1] == "the" {
            k + 2
        } else {
            k + 1
        };
        if at >= view.words.len() {
            continue;
        }
        let start = view.span(doc, at).start;
        if let Some(e) = view.entity_at[at] {
            let ent = &doc.entities[e];
            if ent.kind == EntityKind::Country && ent.span.start == start {
                out.push((
                    k,
                    EventPlace {
                        span: ent.span,
                        entity: Some(e),
                        country_code: (!ent.actor.code.is_empty()).then(|| ent.actor.code.clone()),
                    },
                ));
                continue;
            }
        }
        // Names are in text order: a binary search keeps a long document linear.
        let from = doc.names.partition_point(|n| n.span.start < start);
        if let Some(name) = doc.names[from..]
            .iter()
            .take_while(|n| n.span.start == start)
            .find(|n| n.label == "LOC")
        {
            out.push((
                k,
                EventPlace {
                    span: name.span,
                    entity: None,
                    country_code: None,
                },
            ));
        }
    }
    out
}

/// Triggers dated by a year before the article's ("in 1994", "since 2014"): each such
/// phrase belongs to the nearest trigger before it, or else to the first after it.
pub(crate) fn historical_triggers(
    view: &SentenceView,
    triggers: &[Trigger],
    year: Option<i32>,
) -> Vec<usize> {
    let Some(year) = year else { return Vec::new() };
    let mut out = Vec::new();
    for k in 1..view.words.len() {
        let old = matches!(view.words[k - 1].as_str(), "in" | "during" | "since")
            && view.words[k].len() == 4
            && view.words[k]
                .parse::<i32>()
                .is_ok_and(|y| (1800..year).contains(&y));
        if !old || triggers.is_empty() {
            continue;
        }
        let owner = triggers.iter().rposition(|t| t.end <= k).unwrap_or(0);
        if !out.contains(&owner) {
            out.push(owner);
        }
    }
    out
}

/// The local token position after the last actor, so that modality cues are read between the
/// actor and the trigger ("Russia will not attack", not "... which will ...").
pub(crate) fn actors_end(view: &SentenceView, actors: &[usize]) -> usize {
    view.entity_at
        .iter()
        .rposition(|e| e.is_some_and(|e| actors.contains(&e)))
        .map_or(0, |p| p + 1)
}

pub(crate) fn same_actor(doc: &Doc, a: usize, b: usize) -> bool {
    let (a, b) = (&doc.entities[a].actor, &doc.entities[b].actor);
    !a.code.is_empty() && a.code == b.code && a.sectors == b.sectors
}

pub(crate) fn is_passive(view: &SentenceView, start: usize) -> bool {
    let mut k = start;
    while k > 0
        && (ADVERBS.contains(&view.words[k - 1].as_str()) || view.words[k - 1].ends_with("ly"))
    {
        k -= 1;
    }
    k > 0 && PASSIVE_AUX.contains(&view.words[k - 1].as_str())
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }

    /// Needs the quotes of [`crate::QuoteStage`]: events inside them are attributed.
    fn process(&self, doc: &mut Doc) {
        let views: Vec<SentenceView> = (0..doc.sentences.len())
            .map(|s| SentenceView::new(doc, s))
            .collect();
        let mut events = Vec::new();
        // Discard phrases (actor stage) keep their sentence, or the whole story, uncoded.
        let story_discarded = doc.discards.iter().any(|d| d.story);
        let discarded: std::collections::HashSet<usize> =
            doc.discards.iter().map(|d| d.sentence).collect();
        // Each sentence reads only the quotes over it: all of them per event is quadratic.
        let by_sentence = quotes_by_sentence(doc, &doc.quotes);
        for (s, view) in views.iter().enumerate() {
            if story_discarded || discarded.contains(&s) {
                continue;
            }
            let regions = speech::indirect(&self.lex, view, doc);
            let quotes: Vec<Quote> = by_sentence[s]
                .iter()
                .map(|&i| doc.quotes[i].clone())
                .collect();
            events.extend(self.code_sentence(doc, s, view, &regions, &quotes));
        }
        crate::answers::answer_claims(doc, &views, &mut events, &self.lex.words.claim_nouns);
        crate::repeated::drop_retold(doc, &mut events);
        doc.events = events;
    }
}
