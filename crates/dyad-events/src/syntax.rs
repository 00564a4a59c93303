//! Arguments and modality read off the dependency parse: the subject of "denounced" is the
//! actor and its object the recipient; "was rebuked by X" reverses them; a controlled or
//! coordinated verb ("plans to meet", "attacked ... and killed") inherits its governor's
//! subject; a relative clause's subject is the noun it modifies.

use crate::coder::SentenceView;
use std::collections::HashSet;

/// Prepositions that make an oblique a recipient ("met with X", "sanctions on X").
const RECIPIENT_CASES: &[&str] = &[
    "with", "to", "against", "on", "upon", "toward", "towards", "into", "from", "at",
];

/// Relations under which a verb has no subject of its own and takes its governor's.
const INHERIT_SUBJECT: &[&str] = &["xcomp", "conj", "advcl", "acl"];

/// Arguments found in the parse, as sentence-local token positions of their heads.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Arguments {
    pub actor: Option<usize>,
    pub recipient: Option<usize>,
    /// Further recipient heads, in order of preference, for when `recipient` stands for no
    /// actor ("offered its troops to Lebanon": the object is a thing, the oblique the
    /// recipient; "promised to continue aid to Mozambique": the controlled verb's oblique).
    pub other_recipients: Vec<usize>,
    pub passive: bool,
    /// The verb's object is a topic (`topic_verb` of `words.tsv`): a recipient needs an oblique.
    pub topic: bool,
    /// "talks between China and Japan": `actor` is the first of a pair, `recipient` the
    /// second; the actor stands for its own head only, not its conjuncts.
    pub pair: bool,
}

fn rel(view: &SentenceView, k: usize) -> &str {
    view.deprel[k].as_str()
}

/// The first child of `k` with relation `r` (subtypes included when `r` has none).
fn child(view: &SentenceView, k: usize, r: &str) -> Option<usize> {
    view.children[k].iter().copied().find(|&c| {
        let d = rel(view, c);
        d == r || (!r.contains(':') && d.split(':').next() == Some(r))
    })
}

fn case_of(view: &SentenceView, k: usize) -> Option<&str> {
    view.children[k]
        .iter()
        .find(|&&c| rel(view, c) == "case")
        .map(|&c| view.words[c].as_str())
}

/// The subject of `k`: its own, or inherited along xcomp/conj/advcl, or, for a relative
/// clause, the noun it modifies.
fn subject(view: &SentenceView, k: usize, depth: usize) -> Option<(usize, bool)> {
    if depth > 4 {
        return None;
    }
    if let Some(s) = child(view, k, "nsubj:pass") {
        return Some((s, true));
    }
    if let Some(s) = child(view, k, "nsubj") {
        // "which signed": the relative pronoun stands for the modified noun.
        if matches!(view.words[s].as_str(), "which" | "who" | "that") && rel(view, k) == "acl:relcl"
        {
            return view.head[k].map(|h| (h, false));
        }
        return Some((s, false));
    }
    let base = rel(view, k).split(':').next().unwrap_or("");
    if INHERIT_SUBJECT.contains(&base) {
        let h = view.head[k]?;
        // A participle modifying a noun ("troops stationed in X") has that noun as subject;
        // with its agent ("books banned by the Taliban") the noun is the passive's patient.
        if base == "acl" {
            // The parser's agent needs its "by" (it also tags a misread object so).
            let agent = view.children[k].iter().any(|&c| {
                matches!(rel(view, c), "obl:agent" | "obl") && case_of(view, c) == Some("by")
            });
            return Some((h, agent));
        }
        return subject(view, h, depth + 1).map(|(s, _)| (s, false));
    }
    None
}

/// The trigger's head word: the one whose head lies outside the trigger.
pub fn trigger_head(view: &SentenceView, start: usize, end: usize) -> usize {
    (start..end)
        .find(|&k| view.head[k].is_none_or(|h| h < start || h >= end))
        .unwrap_or(start)
}

/// Arguments of the trigger whose words are `start..end`.
pub fn arguments(
    view: &SentenceView,
    start: usize,
    end: usize,
    noun: bool,
    topic_verbs: &HashSet<String>,
) -> Arguments {
    let head = trigger_head(view, start, end);
    let inside = |k: usize| (start..end).contains(&k);
    let mut args = Arguments::default();
    if !noun {
        if let Some((s, passive)) = subject(view, head, 0) {
            args.passive = passive
                || view.children[head]
                    .iter()
                    .any(|&c| rel(view, c) == "aux:pass");
            if args.passive {
                args.recipient = Some(s);
            } else {
                args.actor = Some(s);
            }
        }
        if args.passive {
            args.actor = (start..end)
                .flat_map(|k| view.children[k].iter().copied())
                .find(|&c| {
                    rel(view, c) == "obl:agent"
                        || (rel(view, c) == "obl" && case_of(view, c) == Some("by"))
                });
        }
    }
    if args.recipient.is_none() {
        // Objects first, then obliques and nominal modifiers with a recipient preposition,
        // then the same under a controlled verb or the object noun.
        let topic = !noun && topic_verbs.contains(&view.lemma[head]);
        args.topic = topic;
        let deps: Vec<usize> = (start..end)
            .flat_map(|k| view.children[k].iter().copied())
            .filter(|&c| !inside(c))
            .collect();
        // A topic's own modifiers may still name a party ("discussed trade with Japan").
        let direct: Vec<usize> = deps
            .iter()
            .copied()
            .filter(|&c| !(topic && rel(view, c) == "obj"))
            .collect();
        let mut candidates = recipient_candidates(view, &direct);
        let mut nested: Vec<usize> = Vec::new();
        for &c in &deps {
            if matches!(rel(view, c), "xcomp" | "obj") {
                nested.extend(view.children[c].iter().copied());
            }
        }
        // "said Libya must hand over ...": the complement's subject is whom it concerns.
        let clause_subjects: Vec<usize> = deps
            .iter()
            .filter(|&&c| rel(view, c) == "ccomp")
            .filter_map(|&c| child(view, c, "nsubj"))
            .collect();
        for c in recipient_candidates(view, &nested)
            .into_iter()
            .chain(clause_subjects)
        {
            if !candidates.contains(&c) {
                candidates.push(c);
            }
        }
        let mut it = candidates.into_iter();
        args.recipient = it.next();
        args.other_recipients = it.collect();
    }
    if noun {
        if let Some((a, b)) = between(view, head) {
            args.actor = Some(a);
            args.recipient = Some(b);
            args.other_recipients.clear();
            args.pair = true;
            return args;
        }
        // "Russian airstrikes", "Russia's attack", "an attack by Russia", or the subject of
        // the verb governing the noun ("X launched an attack on Y").
        args.actor = view.children[head]
            .iter()
            .copied()
            .find(|&c| matches!(rel(view, c), "nmod:poss" | "amod" | "compound") && !inside(c))
            .or_else(|| {
                view.children[head]
                    .iter()
                    .copied()
                    .find(|&c| case_of(view, c) == Some("by"))
            })
            .or_else(|| {
                let h = view.head[head]?;
                matches!(rel(view, head), "obj" | "nsubj:pass")
                    .then(|| subject(view, h, 0).map(|s| s.0))
                    .flatten()
            });
    }
    args
}

/// "talks between China and Japan", "a ceasefire between Israel and Hamas": the two sides
/// of a noun's "between" phrase.
fn between(view: &SentenceView, head: usize) -> Option<(usize, usize)> {
    let first = view.children[head]
        .iter()
        .copied()
        .find(|&c| case_of(view, c) == Some("between"))?;
    let second = child(view, first, "conj")?;
    Some((first, second))
}

/// Objects, then obliques and nominal modifiers with a recipient preposition, among `deps`.
fn recipient_candidates(view: &SentenceView, deps: &[usize]) -> Vec<usize> {
    let objects = deps
        .iter()
        .copied()
        .filter(|&c| matches!(rel(view, c), "obj" | "iobj"));
    let obliques = deps.iter().copied().filter(|&c| {
        matches!(rel(view, c).split(':').next(), Some("obl" | "nmod"))
            && case_of(view, c).is_some_and(|p| RECIPIENT_CASES.contains(&p))
    });
    objects.chain(obliques).collect()
}

/// The mode of an event that no one did or underwent: negation, but no refusal (a
/// "nobody claimed responsibility" is no REJECT); read as "negation" in the record.
pub const NOBODY: &str = "negation (nobody)";

/// "no passengers", "nobody", "none of the hostages".
fn none_of(view: &SentenceView, k: usize) -> bool {
    matches!(
        view.words[k].as_str(),
        "nobody" | "none" | "no-one" | "noone"
    ) || view.children[k]
        .iter()
        .any(|&c| rel(view, c) == "det" && view.words[c] == "no")
}

/// "Will", "May"... followed by a finite form no modal takes ("Will was shot", "May has
/// said"): a name (or noun) the parse took for a modal.
fn is_name_not_modal(view: &SentenceView, c: usize) -> bool {
    let next = view.words.get(c + 1).map(String::as_str);
    matches!(
        next,
        Some("was" | "were" | "is" | "are" | "has" | "had" | "did" | "does")
    )
}

/// The auxiliary modes the parse shows on the trigger or the verbs governing it.
pub fn modality(view: &SentenceView, head: usize) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut push = |m: &'static str| {
        if !out.contains(&m) {
            out.push(m)
        }
    };
    let mut k = head;
    let mut via_xcomp = false;
    for _ in 0..4 {
        for &c in &view.children[k] {
            let w = view.words[c].as_str();
            match rel(view, c) {
                "advmod" | "neg" if matches!(w, "not" | "n't" | "never" | "no") => push("negation"),
                // "no passengers were killed", "nobody was arrested": a subject none of whom
                // underwent or did it.
                "nsubj" | "nsubj:pass" if k == head && none_of(view, c) => push(NOBODY),
                // "Will was fatally shot": a name, since no verb form follows a modal.
                "aux" if is_name_not_modal(view, c) => {}
                "aux" => match w {
                    "will" | "'ll" | "shall" => push("future"),
                    "would" | "could" | "might" | "may" | "should" => push("hypothetical"),
                    _ => {}
                },
                "mark" if matches!(w, "if" | "unless" | "whether") => push("hypothetical"),
                _ => {}
            }
        }
        // "were supposed to sign": planned, and not done.
        if via_xcomp && view.lemma[k] == "suppose" {
            push("hypothetical");
        }
        // Controlled verbs: "plans to attack", "is expected to sign".
        if via_xcomp
            && matches!(
                view.lemma[k].as_str(),
                "plan"
                    | "intend"
                    | "aim"
                    | "expect"
                    | "prepare"
                    | "seek"
                    | "hope"
                    | "want"
                    | "vow"
                    | "pledge"
                    | "promise"
                    | "schedule"
                    | "set"
            )
        {
            push("future");
        }
        match (rel(view, k), view.head[k]) {
            ("xcomp", Some(h)) => {
                via_xcomp = true;
                k = h;
            }
            // "a ceasefire could take place": a noun's modality is its predicate's.
            ("nsubj" | "nsubj:pass", Some(h)) if k == head => k = h,
            // "hopes (that) a ceasefire ...", "wants the talks to ...": what is hoped or
            // wished for has not happened.
            ("ccomp" | "obj", Some(h))
                if matches!(view.lemma[h].as_str(), "hope" | "wish" | "want" | "pray") =>
            {
                push("hypothetical");
                break;
            }
            _ => break,
        }
    }
    out
}

/// What a bare "warn" says, by its complement clause.
#[derive(Debug, PartialEq)]
pub enum Warning {
    /// The warner announces its own act ("warned that it would execute the hostages"), or
    /// an act whose doer goes unnamed ("warned that terrorists will not be spared").
    Threat,
    /// The warner says another's act will do harm ("warned that the government's actions
    /// would divide the country"): criticism.
    Criticism,
    /// A prediction or advice ("warned that the situation could get worse", "warned
    /// against hospital care"): no event.
    Nothing,
}

/// Reads the complement of the "warn" at `k`; `same_side(a, b)` says whether the entities
/// at tokens `a` and `b` are one side (one state: "Cairo's security chief warned that
/// police will no longer tolerate rallies" is a threat).
pub fn warning(view: &SentenceView, k: usize, same_side: impl Fn(usize, usize) -> bool) -> Warning {
    let Some(content) = child(view, k, "ccomp") else {
        return Warning::Nothing;
    };
    if child(view, content, "nsubj:pass").is_some() {
        return Warning::Threat;
    }
    let Some(s) = child(view, content, "nsubj") else {
        return Warning::Nothing;
    };
    let pronoun = matches!(
        view.words[s].as_str(),
        "it" | "they" | "we" | "he" | "she" | "i"
    );
    let own = subject(view, k, 0).is_some_and(|(w, _)| same_side(w, s));
    if pronoun || own {
        Warning::Threat
    } else if view.entity_at[s].is_some()
        || view.children[s]
            .iter()
            .any(|&c| view.entity_at[c].is_some())
    {
        Warning::Criticism
    } else {
        Warning::Nothing
    }
}
