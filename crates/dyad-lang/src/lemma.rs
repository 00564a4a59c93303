//! A lemmatizer learned from a treebank: an exception table for the words seen in training,
//! longest-suffix rewrite rules for unseen words, and hand-written English rules when no
//! learned rule applies (or nothing was learned).
//!
//! Lemmas are produced by *scripts*: choose a base (the form, or its lowercase), strip
//! characters from its end, append a string. "condemned" → strip 2; "met" → strip 3, append
//! "meet"; "The" → lowercase. A script learned from one form applies to its other casings.
//!
//! Lookup order: (lowercased form, UPOS, XPOS) → (lowercased form, UPOS) → learned suffix
//! rule for the UPOS/XPOS pair (UPOS alone for verbs), cased as the treebank cases such
//! words → hand-written rule. Each table keeps only the entries that do better on the
//! training tokens than what the lookup would fall back to, which keeps the model at about
//! 60 kB.

use crate::conllu::TreeSentence;
use crate::perceptron::{self, IdMap, ModelError, Reader};
use std::borrow::Cow;
use std::collections::HashMap;

const MAGIC: &[u8; 4] = b"DYLM";
const VERSION: u32 = 1;

/// Longest suffix (in chars) a learned rule looks at.
const MAX_SUFFIX: usize = 6;
/// A learned suffix rule needs this many training word types behind it...
const MIN_SUPPORT: usize = 2;
/// ...and this share of them agreeing, else the hand-written rules decide.
const MIN_SHARE: f64 = 0.6;
/// The script id of a suffix rule that defers to the hand-written rules.
const DEFER: u32 = u32::MAX;

/// How a lemma is made from a form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Script {
    /// Start from the lowercased form (else from the form as it is).
    lower: bool,
    /// Chars removed from the end of the base.
    strip: u8,
    append: String,
}

impl Script {
    const IDENTITY: Script = Script {
        lower: true,
        strip: 0,
        append: String::new(),
    };

    /// The script turning `form` into `lemma`, preferring the base that shares the longer
    /// prefix with the lemma (lowercase on ties, so that all-lowercase forms agree).
    fn between(form: &str, lemma: &str) -> Script {
        let low = form.to_lowercase();
        let make = |base: &str, lower: bool| {
            let shared: usize = base
                .chars()
                .zip(lemma.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let strip = base.chars().count() - shared;
            let byte = lemma
                .char_indices()
                .nth(shared)
                .map_or(lemma.len(), |(i, _)| i);
            (
                shared,
                Script {
                    lower,
                    strip: strip.min(255) as u8,
                    append: lemma[byte..].to_string(),
                },
            )
        };
        let (a, sa) = make(&low, true);
        let (b, sb) = make(form, false);
        if b > a {
            sb
        } else {
            sa
        }
    }

    /// Applies the script; None when the base is shorter than the strip.
    fn apply(&self, form: &str) -> Option<String> {
        let mut base = if self.lower {
            form.to_lowercase()
        } else {
            form.to_string()
        };
        for _ in 0..self.strip {
            base.pop()?;
        }
        base.push_str(&self.append);
        Some(base)
    }
}

/// Numbers scripts in order of first use.
#[derive(Default)]
struct Interner {
    list: Vec<Script>,
    ids: HashMap<Script, u32>,
}

impl Interner {
    fn id(&mut self, s: &Script) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        self.list.push(s.clone());
        self.ids.insert(s.clone(), (self.list.len() - 1) as u32);
        (self.list.len() - 1) as u32
    }
}

/// The trained lemmatizer.
pub struct Lemmatizer {
    scripts: Vec<Script>,
    /// (lowercased form, UPOS, XPOS, script), kept as strings for writing.
    fine: Vec<(String, String, String, u32)>,
    /// (lowercased form, UPOS, script).
    coarse: Vec<(String, String, u32)>,
    /// (UPOS/XPOS category, reversed suffix, script) of the learned suffix rules.
    rules: Vec<(String, String, u32)>,
    /// (UPOS/XPOS category, shape class) where unseen words keep their case.
    case_modes: Vec<(String, u32, u32)>,
    fine_map: IdMap<u32>,
    coarse_map: IdMap<u32>,
    rule_map: IdMap<u32>,
    case_map: IdMap<u32>,
}

// ---------------------------------------------------------------------------------------
// Keys (hashes, so that lookups allocate nothing)

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(FNV_PRIME)
}

fn hash_str(h: u64, s: &str) -> u64 {
    fnv(s.bytes().fold(h, |h, b| fnv(h, b as u64)), 0x1f)
}

fn hash_lower(h: u64, s: &str) -> u64 {
    fnv(
        s.chars()
            .flat_map(char::to_lowercase)
            .fold(h, |h, c| fnv(h, c as u64)),
        0x1f,
    )
}

fn fine_key(form: &str, upos: &str, xpos: &str) -> u64 {
    hash_str(hash_str(hash_lower(FNV_OFFSET ^ 1, form), upos), xpos)
}

fn coarse_key(form: &str, upos: &str) -> u64 {
    hash_str(hash_lower(FNV_OFFSET ^ 2, form), upos)
}

/// Shape class of a form for the case decision of unseen words.
fn case_shape(form: &str) -> u64 {
    let letters = form.chars().filter(|c| c.is_alphabetic());
    let (mut upper, mut lower) = (0, 0);
    for c in letters {
        if c.is_uppercase() {
            upper += 1;
        } else {
            lower += 1;
        }
    }
    if upper == 0 {
        0
    } else if lower == 0 && upper >= 2 {
        // Names in capitals ("KENNEDY") are lemmatized in title case, acronyms ("NATO") not.
        let vowels = form.chars().filter(|c| "AEIOU".contains(*c)).count();
        if upper >= 4 && vowels >= 2 {
            4
        } else {
            2
        }
    } else if upper == 1 && form.starts_with(char::is_uppercase) {
        1
    } else {
        3
    }
}

fn case_key(upos: &str, xpos: &str, form: &str) -> u64 {
    fnv(rule_root(upos, xpos) ^ 4, case_shape(form))
}

/// Rule keys are extended one char at a time from the end of the lowercased form.
fn rule_root(upos: &str, xpos: &str) -> u64 {
    let (upos, xpos) = rule_cat(upos, xpos);
    hash_str(hash_str(FNV_OFFSET ^ 3, upos), xpos)
}

fn rule_key_of(upos: &str, xpos: &str, rev_suffix: &str) -> u64 {
    rev_suffix
        .chars()
        .fold(rule_root(upos, xpos), |h, c| fnv(h, c as u64))
}

/// The category string of a rule (the XPOS may be empty).
fn category(upos: &str, xpos: &str) -> String {
    let (u, x) = rule_cat(upos, xpos);
    format!("{u}\t{x}")
}

/// The tags a suffix rule is learned and looked up under.
fn rule_cat<'a>(upos: &'a str, xpos: &'a str) -> (&'a str, &'a str) {
    // Verb morphology hardly depends on the XPOS, and VBD/VBN, VB/VBP are often confused.
    if matches!(upos, "VERB" | "AUX") {
        (upos, "")
    } else {
        (upos, xpos)
    }
}

// ---------------------------------------------------------------------------------------
// Hand-written rules

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Undoes consonant doubling ("stopp" → "stop") or restores a dropped "e" ("mak" → "make")
/// on a stem left by removing -ing/-ed/-er/-est.
fn restore_stem(stem: &str) -> String {
    let cs: Vec<char> = stem.chars().collect();
    let n = cs.len();
    if n >= 3
        && cs[n - 1] == cs[n - 2]
        && !is_vowel(cs[n - 1])
        && !matches!(cs[n - 1], 'l' | 's' | 'z' | 'f')
    {
        return cs[..n - 1].iter().collect();
    }
    let vowel_groups = cs
        .iter()
        .enumerate()
        .filter(|&(i, &c)| is_vowel(c) && (i == 0 || !is_vowel(cs[i - 1])))
        .count();
    let needs_e = n >= 2
        && (matches!(cs[n - 1], 'v' | 'u' | 'z')
            || matches!(
                (cs[n - 2], cs[n - 1]),
                ('r' | 'd', 'g') | ('a' | 'i' | 'u', 'c')
            )
            || (n >= 3
                && vowel_groups == 1
                && !is_vowel(cs[n - 1])
                && !matches!(cs[n - 1], 'w' | 'x' | 'y')
                && is_vowel(cs[n - 2])
                && !is_vowel(cs[n - 3])));
    if needs_e {
        format!("{stem}e")
    } else {
        stem.to_string()
    }
}

fn strip_plural(w: &str) -> String {
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return format!("{s}y");
    }
    if let Some(s) = w.strip_suffix("lves") {
        return format!("{s}lf");
    }
    for end in ["sses", "shes", "ches", "xes", "zes"] {
        if w.ends_with(end) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

fn verb_lemma(w: &str, xpos: &str) -> String {
    match w {
        "is" | "am" | "are" | "was" | "were" | "been" | "being" | "be" | "'m" | "'re" => {
            return "be".into()
        }
        "has" | "had" | "having" | "'ve" => return "have".into(),
        "does" | "did" | "done" => return "do".into(),
        _ => {}
    }
    // Without an XPOS the suffix alone decides; with one, "bring"/VB and "need"/VBP stay.
    let any = xpos.is_empty();
    if any || matches!(xpos, "VBD" | "VBN") {
        if let Some(s) = w.strip_suffix("ied").filter(|s| s.len() >= 2) {
            return format!("{s}y");
        }
        if let Some(s) = w.strip_suffix("ed").filter(|s| s.len() >= 2) {
            return restore_stem(s);
        }
    }
    if any || xpos == "VBG" {
        if let Some(s) = w.strip_suffix("ing").filter(|s| s.len() >= 2) {
            return restore_stem(s);
        }
    }
    if xpos == "VBZ" || (any && w.ends_with('s')) {
        if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
            return format!("{s}y");
        }
        for end in ["sses", "shes", "ches", "xes", "zes", "oes"] {
            if w.ends_with(end) {
                return w[..w.len() - 2].to_string();
            }
        }
        if let Some(s) = w
            .strip_suffix('s')
            .filter(|s| s.len() >= 2 && !s.ends_with('s'))
        {
            return s.to_string();
        }
    }
    w.to_string()
}

fn adj_lemma(w: &str, xpos: &str) -> String {
    let (y, plain) = match xpos {
        "JJR" | "RBR" => ("ier", "er"),
        "JJS" | "RBS" => ("iest", "est"),
        _ => return w.to_string(),
    };
    if let Some(s) = w.strip_suffix(y).filter(|s| s.len() >= 2) {
        return format!("{s}y");
    }
    if let Some(s) = w.strip_suffix(plain).filter(|s| s.len() >= 2) {
        return restore_stem(s);
    }
    w.to_string()
}

/// "3,500,000": EWT lemmas drop the digit-group commas.
fn is_grouped_number(form: &str) -> bool {
    form.contains(',')
        && form.starts_with(|c: char| c.is_ascii_digit())
        && form
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// The hand-written fallback.
fn rule_lemma<'a>(form: &'a str, upos: &str, xpos: &str) -> Cow<'a, str> {
    if upos == "PROPN" || form == "I" {
        return Cow::Borrowed(form);
    }
    let low = form.to_lowercase();
    let lemma = match upos {
        "VERB" | "AUX" => verb_lemma(&low, xpos),
        "NOUN" if xpos == "NNS" || (xpos.is_empty() && low.ends_with('s')) => strip_plural(&low),
        "ADJ" | "ADV" => adj_lemma(&low, xpos),
        _ => low,
    };
    if lemma == form {
        Cow::Borrowed(form)
    } else {
        Cow::Owned(lemma)
    }
}

/// Token counts of (surface form, lemma).
type Tokens<'a> = HashMap<(&'a str, &'a str), usize>;
/// Tokens by (lowercased form, UPOS, XPOS).
type ByFine<'a> = HashMap<(String, &'a str, &'a str), Tokens<'a>>;

/// How unseen words of a (category, shape class) are cased in the lemma.
const CASE_LOWER: u32 = 0;
const CASE_KEEP: u32 = 1;
const CASE_TITLE: u32 = 2;

fn title_case(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|c| {
            c.to_uppercase()
                .chain(cs.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// The majority casing of the lemmas of word types per (category, shape class), where it is
/// not lowercase: "Urban" ADJ/NNP keeps its case, "KENNEDY" PROPN/NNP becomes "Kennedy",
/// "Troops" NOUN/NNS is lowercased.
fn case_modes(by_fine: &ByFine) -> Vec<(String, u32, u32)> {
    let mut votes: HashMap<(String, u32), [usize; 3]> = HashMap::new();
    for ((_, upos, xpos), toks) in by_fine {
        for (form, lemma) in toks.keys() {
            let shape = case_shape(form) as u32;
            if shape == 0 {
                continue;
            }
            let mode = if lemma.chars().count() > 1 && *lemma == title_case(lemma) && shape >= 2 {
                CASE_TITLE
            } else if lemma.chars().any(char::is_uppercase) {
                CASE_KEEP
            } else {
                CASE_LOWER
            };
            votes.entry((category(upos, xpos), shape)).or_default()[mode as usize] += 1;
        }
    }
    let mut modes: Vec<(String, u32, u32)> = votes
        .into_iter()
        .filter_map(|((cat, shape), v)| {
            let best = (0..3).max_by_key(|&m| (v[m], std::cmp::Reverse(m)))?;
            (best != CASE_LOWER as usize).then_some((cat, shape, best as u32))
        })
        .collect();
    modes.sort();
    modes
}

// ---------------------------------------------------------------------------------------

impl Lemmatizer {
    /// Learns the tables and suffix rules from the gold lemmas of `train`.
    pub fn train(train: &[TreeSentence]) -> Lemmatizer {
        // Tokens grouped by key: (surface form, lemma) → count.
        let mut by_fine: ByFine = HashMap::new();
        for s in train {
            for w in &s.words {
                if w.lemma.is_empty() {
                    continue;
                }
                *by_fine
                    .entry((w.form.to_lowercase(), &w.upos, &w.xpos))
                    .or_default()
                    .entry((&w.form, &w.lemma))
                    .or_default() += 1;
            }
        }

        // Suffix rules from word types (one vote per lowercased form, category and lemma):
        // rare and frequent words count alike, as unseen words are rare ones.
        let mut rule_votes: HashMap<(String, String), HashMap<Script, usize>> = HashMap::new();
        for ((low, upos, xpos), toks) in &by_fine {
            let Some(((_, lemma), _)) = toks.iter().max_by_key(|((f, l), n)| (**n, *f, *l)) else {
                continue;
            };
            let script = Script::between(low, lemma);
            let rev: String = low.chars().rev().collect();
            let n = rev.chars().count();
            // A suffix rule may only rewrite inside the suffix it looks at; it must leave
            // at least one char of the word unseen.
            for len in (script.strip as usize).max(1)..=MAX_SUFFIX.min(n.saturating_sub(1)) {
                let suffix: String = rev.chars().take(len).collect();
                *rule_votes
                    .entry((category(upos, xpos), suffix))
                    .or_default()
                    .entry(Script {
                        lower: true,
                        ..script.clone()
                    })
                    .or_default() += 1;
            }
        }
        let mut scripts = Interner::default();
        // Best script per suffix node with enough support; a node is kept only when it
        // differs from its nearest kept shorter suffix (the lookup's fallback).
        // A node whose types disagree too much defers to the hand-written rules (None),
        // which know e.g. that "stopped" doubles its consonant and "wiped" does not.
        let mut nodes: Vec<((String, String), Option<Script>)> = rule_votes
            .into_iter()
            .filter_map(|(k, votes)| {
                let total: usize = votes.values().sum();
                let best = votes
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
                let sure = best.1 as f64 >= MIN_SHARE * total as f64;
                (total >= MIN_SUPPORT).then_some((k, sure.then_some(best.0)))
            })
            .collect();
        nodes.sort_by(|a, b| {
            (a.0 .0.as_str(), a.0 .1.chars().count(), a.0 .1.as_str()).cmp(&(
                b.0 .0.as_str(),
                b.0 .1.chars().count(),
                b.0 .1.as_str(),
            ))
        });
        let mut kept: HashMap<(String, String), Option<Script>> = HashMap::new();
        for ((cat, suffix), script) in nodes {
            let n = suffix.chars().count();
            let parent = (1..n).rev().find_map(|len| {
                let s: String = suffix.chars().take(len).collect();
                kept.get(&(cat.clone(), s))
            });
            if parent != Some(&script) {
                kept.insert((cat, suffix), script);
            }
        }
        // Sorted before numbering scripts, so that training gives the same bytes every time.
        let mut kept: Vec<((String, String), Option<Script>)> = kept.into_iter().collect();
        kept.sort();
        let rules: Vec<(String, String, u32)> = kept
            .into_iter()
            .map(|((cat, suffix), script)| {
                let id = script.map_or(DEFER, |s| scripts.id(&s));
                (cat, suffix, id)
            })
            .collect();

        let mut lem = Lemmatizer {
            scripts: Vec::new(),
            fine: Vec::new(),
            coarse: Vec::new(),
            rules,
            fine_map: IdMap::default(),
            coarse_map: IdMap::default(),
            rule_map: IdMap::default(),
            case_modes: case_modes(&by_fine),
            case_map: IdMap::default(),
        };
        lem.scripts = scripts.list.clone();
        lem.index();

        // Tables: the script that gets most tokens of a key right, kept if it gets more
        // right than the fallback.
        let best_script = |toks: &Tokens| -> (Script, usize) {
            let mut cands: Vec<Script> = toks.keys().map(|(f, l)| Script::between(f, l)).collect();
            cands.sort();
            cands.dedup();
            cands
                .into_iter()
                .map(|s| {
                    let right = toks
                        .iter()
                        .filter(|((f, l), _)| s.apply(f).as_deref() == Some(*l))
                        .map(|(_, n)| n)
                        .sum::<usize>();
                    (s, right)
                })
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .unwrap_or((Script::IDENTITY, 0))
        };
        let fallback_right = |lem: &Lemmatizer, toks: &Tokens, upos: &str, xpos: &str| -> usize {
            toks.iter()
                .filter(|((f, l), _)| lem.lemma(f, upos, xpos) == *l)
                .map(|(_, n)| n)
                .sum()
        };
        // Coarse keys: tokens of all XPOS of a (form, UPOS), each judged with its own XPOS.
        let mut by_coarse: HashMap<(&str, &str), Vec<(&str, &Tokens)>> = HashMap::new();
        for ((low, upos, xpos), toks) in &by_fine {
            by_coarse.entry((low, upos)).or_default().push((xpos, toks));
        }
        let mut coarse_keys: Vec<&(&str, &str)> = by_coarse.keys().collect();
        coarse_keys.sort();
        let mut coarse = Vec::new();
        for key in coarse_keys {
            let ((low, upos), groups) = (key, &by_coarse[key]);
            let mut all: Tokens = HashMap::new();
            for (_, toks) in groups {
                for (k, n) in toks.iter() {
                    *all.entry(*k).or_default() += n;
                }
            }
            let (script, right) = best_script(&all);
            let before: usize = groups
                .iter()
                .map(|(xpos, toks)| fallback_right(&lem, toks, upos, xpos))
                .sum();
            if right > before {
                coarse.push((low.to_string(), upos.to_string(), scripts.id(&script)));
            }
        }
        coarse.sort();
        lem.coarse = coarse;
        lem.scripts = scripts.list.clone();
        lem.index();
        let mut fine_keys: Vec<&(String, &str, &str)> = by_fine.keys().collect();
        fine_keys.sort();
        let mut fine = Vec::new();
        for key in fine_keys {
            let ((low, upos, xpos), toks) = (key, &by_fine[key]);
            let (script, right) = best_script(toks);
            if right > fallback_right(&lem, toks, upos, xpos) {
                fine.push((
                    low.clone(),
                    upos.to_string(),
                    xpos.to_string(),
                    scripts.id(&script),
                ));
            }
        }
        fine.sort();
        lem.fine = fine;
        lem.scripts = scripts.list;
        lem.index();
        lem
    }

    /// Builds the lookup maps from the string tables.
    fn index(&mut self) {
        self.fine_map = self
            .fine
            .iter()
            .map(|(f, u, x, s)| (fine_key(f, u, x), *s))
            .collect();
        self.coarse_map = self
            .coarse
            .iter()
            .map(|(f, u, s)| (coarse_key(f, u), *s))
            .collect();
        self.rule_map = self
            .rules
            .iter()
            .map(|(cat, suffix, s)| {
                let (u, x) = cat.split_once('\t').unwrap_or((cat, ""));
                (rule_key_of(u, x, suffix), *s)
            })
            .collect();
        self.case_map = self
            .case_modes
            .iter()
            .map(|(cat, shape, mode)| {
                let (u, x) = cat.split_once('\t').unwrap_or((cat, ""));
                (fnv(rule_root(u, x) ^ 4, *shape as u64), *mode)
            })
            .collect();
    }

    /// The lemma of `form` tagged `upos`/`xpos`.
    pub fn lemma<'a>(&'a self, form: &'a str, upos: &str, xpos: &str) -> Cow<'a, str> {
        let known = self
            .fine_map
            .get(&fine_key(form, upos, xpos))
            .or_else(|| self.coarse_map.get(&coarse_key(form, upos)));
        let lemma = match known {
            Some(&s) => self.scripts[s as usize].apply(form),
            None if upos == "NUM" && is_grouped_number(form) => Some(form.replace(',', "")),
            None => self.unseen(form, upos, xpos),
        };
        match lemma {
            Some(l) if l == form => Cow::Borrowed(form),
            Some(l) => Cow::Owned(l),
            None => rule_lemma(form, upos, xpos),
        }
    }

    /// The lemma of a word without a table entry: a learned suffix rule (on the lowercased
    /// form) and the learned casing; None leaves it to the hand-written rules.
    fn unseen(&self, form: &str, upos: &str, xpos: &str) -> Option<String> {
        let mode = self.case_map.get(&case_key(upos, xpos, form)).copied();
        if upos == "PROPN" {
            return (mode == Some(CASE_TITLE)).then(|| title_case(form));
        }
        let &s = self.rule(form, upos, xpos).filter(|&&s| s != DEFER)?;
        let script = &self.scripts[s as usize];
        match mode {
            Some(CASE_KEEP) if script.lower => Script {
                lower: false,
                ..script.clone()
            }
            .apply(form),
            Some(CASE_TITLE) => script.apply(form).map(|l| title_case(&l)),
            _ => script.apply(form),
        }
    }

    /// The longest learned suffix rule matching `form` (never the whole word).
    fn rule(&self, form: &str, upos: &str, xpos: &str) -> Option<&u32> {
        if upos == "PROPN" {
            return None;
        }
        let mut keys = [0u64; MAX_SUFFIX];
        let mut h = rule_root(upos, xpos);
        let mut n = 0;
        let mut chars = form.chars().rev().flat_map(char::to_lowercase).peekable();
        while n < MAX_SUFFIX {
            let Some(c) = chars.next() else { break };
            if chars.peek().is_none() {
                break;
            }
            h = fnv(h, c as u64);
            keys[n] = h;
            n += 1;
        }
        keys[..n].iter().rev().find_map(|k| self.rule_map.get(k))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        let u32s = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
        u32s(&mut out, self.scripts.len());
        for s in &self.scripts {
            out.push(s.lower as u8);
            out.push(s.strip);
            perceptron::write_string(&mut out, &s.append);
        }
        u32s(&mut out, self.fine.len());
        for (f, u, x, s) in &self.fine {
            perceptron::write_string(&mut out, f);
            perceptron::write_string(&mut out, u);
            perceptron::write_string(&mut out, x);
            u32s(&mut out, *s as usize);
        }
        u32s(&mut out, self.coarse.len());
        for (f, u, s) in &self.coarse {
            perceptron::write_string(&mut out, f);
            perceptron::write_string(&mut out, u);
            u32s(&mut out, *s as usize);
        }
        u32s(&mut out, self.rules.len());
        for (c, suffix, s) in &self.rules {
            perceptron::write_string(&mut out, c);
            perceptron::write_string(&mut out, suffix);
            u32s(&mut out, *s as usize);
        }
        u32s(&mut out, self.case_modes.len());
        for (c, shape, mode) in &self.case_modes {
            perceptron::write_string(&mut out, c);
            u32s(&mut out, *shape as usize);
            u32s(&mut out, *mode as usize);
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        let mut r = Reader(bytes);
        r.header(MAGIC, VERSION, "lemmatizer")?;
        let n = r.u32()? as usize;
        let mut scripts = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let head = r.take(2)?;
            scripts.push(Script {
                lower: head[0] != 0,
                strip: head[1],
                append: r.string()?,
            });
        }
        let script = |r: &mut Reader| -> Result<u32, ModelError> {
            let s = r.u32()?;
            if s as usize >= scripts.len() {
                return Err(ModelError("lemmatizer script out of range".into()));
            }
            Ok(s)
        };
        let n = r.u32()? as usize;
        let mut fine = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            fine.push((r.string()?, r.string()?, r.string()?, script(&mut r)?));
        }
        let n = r.u32()? as usize;
        let mut coarse = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            coarse.push((r.string()?, r.string()?, script(&mut r)?));
        }
        let n = r.u32()? as usize;
        let mut rules = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let (c, suffix) = (r.string()?, r.string()?);
            let id = match Reader(r.0).u32()? {
                DEFER => r.u32()?,
                _ => script(&mut r)?,
            };
            rules.push((c, suffix, id));
        }
        let n = r.u32()? as usize;
        let mut case_modes = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            case_modes.push((r.string()?, r.u32()?, r.u32()?));
        }
        if !r.0.is_empty() {
            return Err(ModelError("trailing bytes after the lemmatizer".into()));
        }
        let mut lem = Lemmatizer {
            scripts,
            fine,
            coarse,
            rules,
            fine_map: IdMap::default(),
            coarse_map: IdMap::default(),
            rule_map: IdMap::default(),
            case_modes,
            case_map: IdMap::default(),
        };
        lem.index();
        Ok(lem)
    }

    /// (correct, total) lemmas of `gold`, lemmatized with its gold tags.
    pub fn evaluate(&self, gold: &[TreeSentence]) -> (usize, usize) {
        let mut right = 0;
        let mut total = 0;
        for s in gold {
            for w in &s.words {
                total += 1;
                right += (self.lemma(&w.form, &w.upos, &w.xpos) == w.lemma.as_str()) as usize;
            }
        }
        (right, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::corpora::{self, read, DIR};
    use crate::conllu::Word;

    fn sentence(words: &[(&str, &str, &str, &str)]) -> TreeSentence {
        TreeSentence {
            words: words
                .iter()
                .map(|&(form, lemma, upos, xpos)| Word {
                    form: form.into(),
                    lemma: lemma.into(),
                    upos: upos.into(),
                    xpos: xpos.into(),
                    ..Word::default()
                })
                .collect(),
            ..TreeSentence::default()
        }
    }

    /// A tiny treebank: "met" and "left" are irregular (table entries), the rest are there
    /// to give the tables something ordinary to prune.
    fn tiny() -> Vec<TreeSentence> {
        vec![
            sentence(&[
                ("Troops", "troop", "NOUN", "NNS"),
                ("met", "meet", "VERB", "VBD"),
                ("protesters", "protester", "NOUN", "NNS"),
                ("in", "in", "ADP", "IN"),
                ("Lima", "Lima", "PROPN", "NNP"),
                (".", ".", "PUNCT", "."),
            ]),
            sentence(&[
                ("The", "the", "DET", "DT"),
                ("minister", "minister", "NOUN", "NN"),
                ("left", "leave", "VERB", "VBD"),
                ("and", "and", "CCONJ", "CC"),
                ("I", "I", "PRON", "PRP"),
                ("was", "be", "AUX", "VBD"),
                ("there", "there", "ADV", "RB"),
                (".", ".", "PUNCT", "."),
            ]),
            sentence(&[
                ("Peru", "Peru", "PROPN", "NNP"),
                ("'s", "'s", "PART", "POS"),
                ("army", "army", "NOUN", "NN"),
                ("'s", "be", "AUX", "VBZ"),
                ("met", "meet", "VERB", "VBN"),
                ("them", "they", "PRON", "PRP"),
            ]),
        ]
    }

    #[test]
    fn table_entries_and_rules() {
        let lem = Lemmatizer::train(&tiny());
        // Seen irregular forms, in any case and under a near tag.
        assert_eq!(lem.lemma("met", "VERB", "VBD"), "meet");
        assert_eq!(lem.lemma("Met", "VERB", "VBD"), "meet");
        assert_eq!(lem.lemma("left", "VERB", "VBN"), "leave");
        assert_eq!(lem.lemma("was", "AUX", "VBD"), "be");
        assert_eq!(lem.lemma("'s", "AUX", "VBZ"), "be");
        assert_eq!(lem.lemma("'s", "PART", "POS"), "'s");
        assert_eq!(lem.lemma("them", "PRON", "PRP"), "they");
        // Unseen words, by rule.
        assert_eq!(lem.lemma("condemned", "VERB", "VBD"), "condemn");
        assert_eq!(lem.lemma("stopped", "VERB", "VBD"), "stop");
        assert_eq!(lem.lemma("making", "VERB", "VBG"), "make");
        assert_eq!(lem.lemma("studies", "VERB", "VBZ"), "study");
        assert_eq!(lem.lemma("troops", "NOUN", "NNS"), "troop");
        assert_eq!(lem.lemma("Soldiers", "NOUN", "NNS"), "soldier");
        assert_eq!(lem.lemma("bigger", "ADJ", "JJR"), "big");
        assert_eq!(lem.lemma("3,500,000", "NUM", "CD"), "3500000");
        // Proper nouns keep their form, "I" stays upper case, others are lowercased.
        assert_eq!(lem.lemma("Ecuador", "PROPN", "NNP"), "Ecuador");
        assert_eq!(lem.lemma("Lima", "PROPN", "NNP"), "Lima");
        assert_eq!(lem.lemma("I", "PRON", "PRP"), "I");
        assert_eq!(lem.lemma("The", "DET", "DT"), "the");
        assert!(matches!(
            lem.lemma("minister", "NOUN", "NN"),
            Cow::Borrowed(_)
        ));
        // Odd input does not panic.
        for (form, upos) in [
            ("", "NOUN"),
            ("s", "NOUN"),
            ("ed", "VERB"),
            ("ÉTÉS", "NOUN"),
        ] {
            let _ = lem.lemma(form, upos, "");
        }
    }

    #[test]
    fn hand_written_rules_alone() {
        let lem = Lemmatizer::train(&[]);
        for (form, upos, xpos, lemma) in [
            ("condemned", "VERB", "VBD", "condemn"),
            ("planned", "VERB", "VBN", "plan"),
            ("moved", "VERB", "VBD", "move"),
            ("carried", "VERB", "VBD", "carry"),
            ("running", "VERB", "VBG", "run"),
            ("bring", "VERB", "VB", "bring"),
            ("need", "VERB", "VBP", "need"),
            ("calls", "VERB", "VBZ", "call"),
            ("is", "AUX", "VBZ", "be"),
            ("has", "AUX", "VBZ", "have"),
            ("troops", "NOUN", "NNS", "troop"),
            ("studies", "NOUN", "NNS", "study"),
            ("studies", "VERB", "VBZ", "study"),
            ("boxes", "NOUN", "NNS", "box"),
            ("wolves", "NOUN", "NNS", "wolf"),
            ("news", "NOUN", "NN", "news"),
            ("happiest", "ADJ", "JJS", "happy"),
            ("largest", "ADJ", "JJS", "large"),
            ("Obama", "PROPN", "NNP", "Obama"),
        ] {
            assert_eq!(lem.lemma(form, upos, xpos), lemma, "{form} {upos} {xpos}");
        }
    }

    #[test]
    fn round_trip_and_evaluate() {
        let data = tiny();
        let lem = Lemmatizer::train(&data);
        assert_eq!(lem.to_bytes(), Lemmatizer::train(&data).to_bytes());
        let back = Lemmatizer::from_bytes(&lem.to_bytes()).unwrap();
        for s in &data {
            for w in &s.words {
                assert_eq!(
                    back.lemma(&w.form, &w.upos, &w.xpos),
                    lem.lemma(&w.form, &w.upos, &w.xpos)
                );
            }
        }
        assert_eq!(back.lemma("condemned", "VERB", "VBD"), "condemn");
        let (right, total) = back.evaluate(&data);
        assert_eq!((right, total), (20, 20));
        let bytes = lem.to_bytes();
        assert!(Lemmatizer::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Lemmatizer::from_bytes(b"DYTG\x01\0\0\0").is_err());
    }

    /// Trains on the first 1500 sentences of EWT dev and scores the last 300.
    #[test]
    fn accuracy_smoke_on_ewt_dev() {
        let Some(dev) = corpora::ewt_dev() else {
            return;
        };
        let lem = Lemmatizer::train(&dev[..1500]);
        let (right, total) = lem.evaluate(&dev[dev.len() - 300..]);
        let acc = right as f64 / total as f64;
        eprintln!("lemma accuracy {:.2}% on {total} words", 100.0 * acc);
        assert!(acc > 0.93, "lemma accuracy {acc}");
    }

    /// Full run on EWT train (needs `gunzip -c .../en_ewt-ud-train.conllu.gz >
    /// /tmp/ewt-train.conllu`): `cargo test --release -p dyad-lang -- --ignored --nocapture
    /// lemma`.
    #[test]
    #[ignore]
    fn lemma_full_ewt_run() {
        let Some([train, dev, test]) = corpora::ewt_splits() else {
            return;
        };
        let t0 = std::time::Instant::now();
        let lem = Lemmatizer::train(&train);
        eprintln!("training: {:.1} s", t0.elapsed().as_secs_f64());
        let bytes = lem.to_bytes();
        eprintln!(
            "serialized: {} bytes ({} fine, {} coarse entries, {} rules, {} scripts)",
            bytes.len(),
            lem.fine.len(),
            lem.coarse.len(),
            lem.rules.len(),
            lem.scripts.len()
        );
        let lem = Lemmatizer::from_bytes(&bytes).unwrap();
        let gum = read(&format!("{DIR}/ud-english-gum/en_gum-ud-test.conllu"));
        for (name, data) in [
            ("EWT dev", Some(&dev)),
            ("EWT test", Some(&test)),
            ("GUM test", gum.as_ref()),
        ] {
            let Some(data) = data else { continue };
            let (r, n) = lem.evaluate(data);
            eprintln!(
                "{name}: lemma {:.2}% ({r}/{n}), gold tags",
                100.0 * r as f64 / n as f64
            );
        }
    }
}
