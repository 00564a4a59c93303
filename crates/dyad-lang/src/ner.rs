//! The name recognizer: an averaged structured-perceptron IOB2 tagger over PER, ORG and LOC,
//! trained on UNER English-EWT. Decoding is exact second-order Viterbi over valid IOB2
//! sequences, and training decodes the same way (Collins' structured perceptron). A word's
//! features split into those that do not depend on the labels before it (one weight per
//! label) and a few that go with the previous label (one weight per label pair, so a single
//! look-up scores every history); the label bigram and trigram weights are read once per
//! model.
//!
//! Features: the word (as written and lowercased), its shape, prefixes, suffixes and
//! character trigrams, two words and shapes either side, the two previous labels,
//! the UPOS of the word and its neighbours, the run of capitalised/PROPN words it sits in,
//! how the whole sentence is cased, and matches in a [`Gazetteer`] that the caller builds
//! from dyad's own actor data (places, organisations, demonyms).

use std::collections::HashMap;

use crate::perceptron::{feature, write_string, IdMap, Model, ModelError, Reader, Trainer};

/// IOB2 labels: odd indices are B-, even non-zero ones I- of the same type.
const LABELS: [&str; 7] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];
const TYPES: [&str; 3] = ["PER", "ORG", "LOC"];
/// Gazetteer kinds, in the order of [`Gazetteer::new`]'s arguments. NORP matters because
/// UNER leaves demonyms ("Chinese") unlabelled although they look like names.
const KINDS: usize = 3;
/// Feature values of the gazetteer bits (see [`Gazetteer::tag`]).
const GAZ_BITS: [&str; 4 * KINDS] = [
    "LOC-B", "LOC-I", "LOC-E", "LOC-S", "ORG-B", "ORG-I", "ORG-E", "ORG-S", "NORP-B", "NORP-I",
    "NORP-E", "NORP-S",
];

const MAGIC: &[u8] = b"DYNR3";

/// The project's own name lists (see the file's header).
const NAMES_TSV: &str = include_str!("../data/names.tsv");
/// Feature values of the [`Lexicon`] bits.
const LEX_BITS: [&str; 12] = [
    "given", "surname", "org-cue", "loc-cue", "org-B", "org-I", "org-E", "org-S", "place-B",
    "place-I", "place-E", "place-S",
];

/// Given names, surnames, organisation and place cue words, and well-known organisations,
/// matched case-insensitively (the casing is a feature of its own).
struct Lexicon {
    /// Lowercased word (hashed with [`feature`]) → bits 0–3 of [`LEX_BITS`].
    words: IdMap<u16>,
    /// Organisation (kind 0) and place (kind 1) names: first lowercased word → the
    /// following words and the kind, longest first. Keys hashed as in `words`.
    names: IdMap<Vec<(Vec<String>, u8)>>,
}

impl Lexicon {
    fn builtin() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::parse(NAMES_TSV))
    }

    fn parse(text: &str) -> Lexicon {
        let mut words: IdMap<u16> = IdMap::default();
        let mut names: IdMap<Vec<(Vec<String>, u8)>> = IdMap::default();
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let Some((kind, name)) = line.split_once('\t') else {
                continue;
            };
            let bit = match kind {
                "given" => 0,
                "surname" => 1,
                "org-cue" => 2,
                "loc-cue" => 3,
                "org" | "place" => {
                    let kind = (kind == "place") as u8;
                    let mut w: Vec<String> =
                        name_words(name).iter().map(|x| x.to_lowercase()).collect();
                    if !w.is_empty() {
                        let rest = w.split_off(1);
                        let e = names.entry(feature(&[&w[0]])).or_default();
                        if !e.contains(&(rest.clone(), kind)) {
                            e.push((rest, kind));
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            *words.entry(feature(&[&name.to_lowercase()])).or_default() |= 1 << bit;
        }
        for e in names.values_mut() {
            e.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        }
        Lexicon { words, names }
    }

    /// Per word, its bits (see [`LEX_BITS`]); `lower` is the sentence lowercased.
    fn tag(&self, lower: &[String]) -> Vec<u16> {
        let keys: Vec<u64> = lower.iter().map(|w| feature(&[w])).collect();
        let mut out: Vec<u16> = keys
            .iter()
            .map(|k| self.words.get(k).copied().unwrap_or(0))
            .collect();
        for i in 0..lower.len() {
            let Some(list) = self.names.get(&keys[i]) else {
                continue;
            };
            // The longest match of each kind.
            let mut seen = [false; 2];
            for (rest, kind) in list {
                let end = i + rest.len();
                if seen[*kind as usize]
                    || end >= lower.len()
                    || !rest.iter().zip(&lower[i + 1..]).all(|(a, b)| a == b)
                {
                    continue;
                }
                seen[*kind as usize] = true;
                let base = 4 + 4 * *kind as usize;
                if end == i {
                    out[i] |= 1 << (base + 3);
                } else {
                    out[i] |= 1 << base;
                    for f in &mut out[i + 1..end] {
                        *f |= 1 << (base + 1);
                    }
                    out[end] |= 1 << (base + 2);
                }
            }
        }
        out
    }
}

/// Perceptrons averaged into the model (see [`Recognizer::train`]).
const ENSEMBLE: usize = 8;

/// Weights below this (after averaging) are pruned when a model is frozen.
const MIN_WEIGHT: f32 = 0.01;
/// Per mille of training words whose own identity is hidden, so that the model also learns
/// to recognise names it has never seen from shape, context, UPOS and gazetteer.
const WORD_DROPOUT: u64 = 250;

fn label_index(tag: &str) -> usize {
    LABELS.iter().position(|l| *l == tag).unwrap_or(0)
}

fn is_inside(l: usize) -> bool {
    l != 0 && l.is_multiple_of(2)
}

/// Entity type index (into [`TYPES`]) of a non-O label.
fn type_of(l: usize) -> usize {
    (l - 1) / 2
}

/// Whether label `l` may follow `prev` in IOB2: I-X only after B-X or I-X.
fn allowed(prev: usize, l: usize) -> bool {
    !is_inside(l) || (prev != 0 && type_of(prev) == type_of(l))
}

/// Entity spans (start, end exclusive, type index) of a label sequence. A stray I-X opens
/// an entity as if it were B-X (lenient reading of gold files).
fn spans(labels: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut prev = 0;
    for (i, &raw) in labels.iter().enumerate() {
        let l = if allowed(prev, raw) { raw } else { raw - 1 };
        if !is_inside(l) {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t));
            }
            if l != 0 {
                open = Some((i, type_of(l)));
            }
        }
        prev = l;
    }
    if let Some((s, t)) = open {
        out.push((s, labels.len(), t));
    }
    out
}

/// Names of places, organisations and demonyms, matched as whole word sequences, case
/// sensitively (dyad's dictionaries are written that way: "US" is not "us").
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// First word → (the following words, kind), longest first.
    entries: HashMap<String, Vec<(Vec<String>, u8)>>,
}

/// Splits a name as EWT tokenizes: hyphens, a trailing comma and a possessive "'s" are
/// words of their own ("Guinea-Bissau" → Guinea - Bissau).
fn name_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in name.split_whitespace() {
        let mut tail = Vec::new();
        let mut p = piece;
        if let Some(x) = p.strip_suffix(',') {
            tail.push(",");
            p = x;
        }
        if let Some(x) = p.strip_suffix("'s") {
            tail.push("'s");
            p = x;
        }
        for (k, part) in p.split('-').enumerate() {
            if k > 0 {
                out.push("-".to_string());
            }
            if !part.is_empty() {
                out.push(part.to_string());
            }
        }
        out.extend(tail.into_iter().rev().map(String::from));
    }
    out
}

impl Gazetteer {
    /// Each list holds multiword names as written ("United States", "ASEAN", "Chinese").
    pub fn new(places: &[String], organisations: &[String], demonyms: &[String]) -> Gazetteer {
        let mut entries: HashMap<String, Vec<(Vec<String>, u8)>> = HashMap::new();
        for (kind, list) in [places, organisations, demonyms].iter().enumerate() {
            for name in list.iter() {
                let mut words = name_words(name);
                if words.is_empty() {
                    continue;
                }
                let rest = words.split_off(1);
                let e = entries.entry(words.pop().unwrap()).or_default();
                if !e.contains(&(rest.clone(), kind as u8)) {
                    e.push((rest, kind as u8));
                }
            }
        }
        for e in entries.values_mut() {
            e.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        }
        Gazetteer { entries }
    }

    pub fn empty() -> Gazetteer {
        Gazetteer::default()
    }

    /// Per word, a bit set of its gazetteer positions: for kind k, bit 4k = begins a
    /// multiword match, 4k+1 = inside one, 4k+2 = ends one, 4k+3 = a one-word match. Only the
    /// longest match of each kind starting at a word counts; matches may overlap.
    fn tag(&self, words: &[&str]) -> Vec<u16> {
        let mut flags = vec![0u16; words.len()];
        if self.entries.is_empty() {
            return flags;
        }
        for i in 0..words.len() {
            let Some(list) = self.entries.get(words[i]) else {
                continue;
            };
            let mut seen = [false; KINDS];
            for (rest, kind) in list {
                let k = *kind as usize;
                let end = i + rest.len();
                if seen[k] || end >= words.len() {
                    continue;
                }
                if rest.iter().zip(&words[i + 1..]).all(|(a, b)| a == b) {
                    seen[k] = true;
                    if end == i {
                        flags[i] |= 1 << (4 * k + 3);
                    } else {
                        flags[i] |= 1 << (4 * k);
                        for f in &mut flags[i + 1..end] {
                            *f |= 1 << (4 * k + 1);
                        }
                        flags[end] |= 1 << (4 * k + 2);
                    }
                }
            }
        }
        flags
    }
}

/// A recognized name: words `start..end` of the sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub start: usize,
    pub end: usize,
    /// "PER", "ORG" or "LOC".
    pub label: &'static str,
}

/// Entity-level counts: a prediction is right only with the exact span and type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NerScore {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl NerScore {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    fn add(&mut self, want: &[(usize, usize, usize)], got: &[(usize, usize, usize)]) {
        let tp = got.iter().filter(|g| want.contains(g)).count();
        self.tp += tp;
        self.fp += got.len() - tp;
        self.fn_ += want.len() - tp;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A trained name recognizer.
#[derive(Clone, Debug)]
pub struct Recognizer {
    /// Per-label weights of the label-independent and transition features.
    model: Model,
    /// Per (previous label, label) weights of the history features (see [`H`]).
    hist: Model,
    /// The model's transition scores, read once.
    trans: Transitions,
}

/// Collapsed word shape: "Kenyan" → "Xx", "U.S." → "X.X.", "2023" → "d".
fn shape(w: &str) -> String {
    let mut s = String::new();
    let mut last = '\0';
    for c in w.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if m != last {
            s.push(m);
            last = m;
        }
    }
    s
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// How the sentence is cased as a whole: web text is often all lower or all upper case (or
/// a headline), where a capital says little about names.
fn sentence_case(words: &[&str]) -> &'static str {
    let (mut alpha, mut cap, mut upper) = (0, 0, 0);
    for w in words {
        if w.chars().next().is_some_and(char::is_alphabetic) {
            alpha += 1;
            cap += is_capitalised(w) as usize;
            upper += (w.len() > 1 && !w.chars().any(char::is_lowercase)) as usize;
        }
    }
    if alpha < 3 {
        "short"
    } else if upper * 2 > alpha {
        "upper"
    } else if cap * 2 > alpha {
        "title"
    } else if cap <= 1 {
        "lower"
    } else {
        "normal"
    }
}

const LENGTHS: [&str; 6] = ["0", "1", "2", "3", "4", "5+"];

/// Per-sentence values shared by the features of all its words.
struct Context<'a> {
    words: Vec<&'a str>,
    lower: Vec<String>,
    shapes: Vec<String>,
    upos: Option<Vec<&'a str>>,
    gaz: Vec<u16>,
    /// Per word, its [`Lexicon`] bits.
    lex: Vec<u16>,
    /// Per word, the run of name-like words (capitalised or PROPN) it belongs to: the run's
    /// last word often gives the type ("... Foundation", "... Street").
    chunk: Vec<Option<(usize, usize)>>,
    case: &'static str,
}

impl<'a> Context<'a> {
    fn new(words: Vec<&'a str>, upos: Vec<&'a str>, gazetteer: &Gazetteer) -> Self {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lex = Lexicon::builtin().tag(&lower);
        let shapes = words.iter().map(|w| shape(w)).collect();
        let gaz = gazetteer.tag(&words);
        // Tags that do not line up with the words are ignored rather than misread.
        let upos = (upos.len() == words.len() && !words.is_empty()).then_some(upos);
        let namey =
            |i: usize| is_capitalised(words[i]) || upos.as_ref().is_some_and(|u| u[i] == "PROPN");
        let mut chunk = vec![None; words.len()];
        let mut i = 0;
        while i < words.len() {
            if namey(i) {
                let mut j = i + 1;
                while j < words.len() && namey(j) {
                    j += 1;
                }
                chunk[i..j].iter_mut().for_each(|c| *c = Some((i, j)));
                i = j;
            } else {
                i += 1;
            }
        }
        let case = sentence_case(&words);
        Context {
            words,
            lower,
            shapes,
            upos,
            gaz,
            lex,
            chunk,
            case,
        }
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    fn lower_at(&self, i: isize) -> &str {
        if i < 0 {
            "<s>"
        } else if i as usize >= self.len() {
            "</s>"
        } else {
            &self.lower[i as usize]
        }
    }

    fn shape_at(&self, i: isize) -> &str {
        if i < 0 || i as usize >= self.len() {
            "#"
        } else {
            &self.shapes[i as usize]
        }
    }

    fn upos_at(&self, i: isize) -> &str {
        match &self.upos {
            Some(u) if i >= 0 && (i as usize) < u.len() => u[i as usize],
            _ => "#",
        }
    }

    fn lex_at(&self, i: isize) -> u16 {
        if i < 0 || i as usize >= self.len() {
            0
        } else {
            self.lex[i as usize]
        }
    }

    fn gaz_at(&self, i: isize) -> u16 {
        if i < 0 || i as usize >= self.len() {
            0
        } else {
            self.gaz[i as usize]
        }
    }

    /// The features of word `i`: into `out` those that do not depend on the previous
    /// labels, into `hist` those that go with the previous label (see [`H`]). The
    /// label bigram and trigram features are the same for every word (see [`Transitions`]).
    /// `unseen` leaves out the word's own identity (training only, see [`WORD_DROPOUT`]).
    fn features(&self, i: usize, unseen: bool, out: &mut Vec<u64>, hist: &mut Vec<u64>) {
        out.clear();
        hist.clear();
        let ii = i as isize;
        let lw = self.lower[i].as_str();
        let sh = self.shapes[i].as_str();
        let initial = if i == 0 { "1" } else { "0" };
        out.push(feature(&["b"]));
        out.push(feature(&["s", sh]));
        out.push(feature(&["is", initial, sh]));
        out.push(feature(&["cs", self.case, sh]));
        hist.push(feature(&["t1s", sh]));
        if !unseen {
            out.push(feature(&["w", self.words[i]]));
            out.push(feature(&["l", lw]));
            out.push(feature(&["il", initial, lw]));
            out.push(feature(&["ll-", self.lower_at(ii - 1), lw]));
            out.push(feature(&["ll+", lw, self.lower_at(ii + 1)]));
            hist.push(feature(&["t1l", lw]));
        }
        // Affixes and trigrams generalise to unseen names ("-stan", "burg").
        let chars: Vec<usize> = lw.char_indices().map(|c| c.0).chain([lw.len()]).collect();
        let n = chars.len() - 1;
        for k in 1..=4.min(n) {
            out.push(feature(&["pre", &lw[..chars[k]]]));
            out.push(feature(&["suf", &lw[chars[n - k]..]]));
        }
        if n > 4 {
            for k in 0..=n - 3 {
                out.push(feature(&["tri", &lw[chars[k]..chars[k + 3]]]));
            }
        }
        for (d, name) in [(-2, "-2"), (-1, "-1"), (1, "+1"), (2, "+2")] {
            out.push(feature(&["l", name, self.lower_at(ii + d)]));
            out.push(feature(&["s", name, self.shape_at(ii + d)]));
        }
        out.push(feature(&[
            "ss",
            self.shape_at(ii - 1),
            sh,
            self.shape_at(ii + 1),
        ]));
        if self.upos.is_some() {
            let u = self.upos_at(ii);
            out.push(feature(&["u", u]));
            out.push(feature(&["us", u, sh]));
            out.push(feature(&["u-1", self.upos_at(ii - 1), u]));
            out.push(feature(&["u+1", u, self.upos_at(ii + 1)]));
            out.push(feature(&[
                "u3",
                self.upos_at(ii - 1),
                u,
                self.upos_at(ii + 1),
            ]));
            out.push(feature(&["u-2", self.upos_at(ii - 2)]));
            out.push(feature(&["u+2", self.upos_at(ii + 2)]));
            hist.push(feature(&["tu", u]));
            if !unseen {
                out.push(feature(&["ul", u, lw]));
            }
        }
        if let Some((a, b)) = self.chunk[i] {
            let pos = match (i == a, i + 1 == b) {
                (true, true) => "S",
                (true, false) => "B",
                (false, true) => "E",
                _ => "I",
            };
            out.push(feature(&["cp", pos, LENGTHS[(b - a).min(5)]]));
            out.push(feature(&["cb", pos, self.lower_at(a as isize - 1)]));
            out.push(feature(&["ca", pos, self.lower_at(b as isize)]));
            hist.push(feature(&["cpt", pos]));
            out.push(feature(&["ccase", pos, self.case]));
            if !unseen {
                out.push(feature(&["cf", pos, &self.lower[a]]));
                out.push(feature(&["cl", pos, &self.lower[b - 1]]));
            }
            // The run's first and last words: "Georgetown University", "John Smith".
            for (end, w) in [("f", a), ("l", b - 1)] {
                for (bit, value) in LEX_BITS.iter().enumerate().take(4) {
                    if self.lex[w] & (1 << bit) != 0 {
                        out.push(feature(&["cx", end, pos, value]));
                    }
                }
            }
        }
        for (d, name) in [(-1, "-1"), (0, "0"), (1, "+1")] {
            let x = self.lex_at(ii + d);
            for (bit, value) in LEX_BITS.iter().enumerate() {
                if x & (1 << bit) != 0 {
                    // Matching ignores case, so the match goes with how the word is cased.
                    let cased = if is_capitalised(self.words[(ii + d) as usize]) {
                        "C"
                    } else {
                        "c"
                    };
                    out.push(feature(&["x", name, value, cased]));
                    if d == 0 {
                        out.push(feature(&["xs", value, sh]));
                        hist.push(feature(&["xt", value, cased]));
                    }
                }
            }
        }
        for (d, name) in [(-1, "-1"), (0, "0"), (1, "+1")] {
            let g = self.gaz_at(ii + d);
            for (bit, value) in GAZ_BITS.iter().enumerate() {
                if g & (1 << bit) != 0 {
                    out.push(feature(&["g", name, value]));
                    if d == 0 {
                        hist.push(feature(&["gt", value]));
                        out.push(feature(&["gs", value, sh]));
                    }
                }
            }
        }
    }
}

const N: usize = LABELS.len();

/// Classes of the history model: (previous label, label) pairs, `N * prev + label`, so
/// that one look-up of a history feature scores every previous label.
const H: usize = N * N;

/// The label bigram ("t1") and trigram ("t2") features of labels `p2 p1` before a word.
fn transition_features(p2: usize, p1: usize) -> [u64; 2] {
    [
        feature(&["t1", LABELS[p1]]),
        feature(&["t2", LABELS[p2], LABELS[p1]]),
    ]
}

/// Scores of the transition features: `[p2][p1][label]`, the same for every word.
type Transitions = [[[f32; N]; N]; N];

/// The weights the decoder reads: a frozen model or one under training.
trait Scorer {
    fn add_scores(&self, feats: &[u64], out: &mut [f32]);
    /// Scores of the features that do not depend on the labels before (many of them).
    fn static_scores(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        self.add_scores(feats, out);
    }
}

impl Scorer for Model {
    fn add_scores(&self, feats: &[u64], out: &mut [f32]) {
        Model::add_scores(self, feats, out)
    }
    fn static_scores(&self, feats: &[u64], out: &mut [f32]) {
        self.scores_into(feats, out)
    }
}

impl Scorer for Trainer {
    fn add_scores(&self, feats: &[u64], out: &mut [f32]) {
        Trainer::add_scores(self, feats, out)
    }
}

/// The weights the decoder reads: per label (`stat`, also holding the transitions) and per
/// (previous label, label) pair (`hist`, see [`H`]).
#[derive(Clone, Copy)]
struct Weights<'a> {
    stat: &'a dyn Scorer,
    hist: &'a dyn Scorer,
}

fn transitions(s: &dyn Scorer) -> Transitions {
    let mut t = [[[0.0; N]; N]; N];
    for (p2, row) in t.iter_mut().enumerate() {
        for (p1, out) in row.iter_mut().enumerate() {
            s.add_scores(&transition_features(p2, p1), out);
        }
    }
    t
}

/// Per word of a sentence: its label-independent features and its history features,
/// each kept flat with word offsets.
#[derive(Default)]
struct Lattice {
    stat: Vec<u64>,
    stat_at: Vec<usize>,
    hist: Vec<u64>,
    hist_at: Vec<usize>,
}

impl Lattice {
    /// `unseen()` says whether to hide the next word's identity.
    fn fill(&mut self, ctx: &Context, mut unseen: impl FnMut() -> bool) {
        let (mut stat, mut hist) = (Vec::with_capacity(128), Vec::with_capacity(16));
        self.stat.clear();
        self.hist.clear();
        self.stat_at.clear();
        self.hist_at.clear();
        self.stat_at.push(0);
        self.hist_at.push(0);
        for i in 0..ctx.len() {
            ctx.features(i, unseen(), &mut stat, &mut hist);
            self.stat.extend_from_slice(&stat);
            self.hist.extend_from_slice(&hist);
            self.stat_at.push(self.stat.len());
            self.hist_at.push(self.hist.len());
        }
    }

    fn stat(&self, i: usize) -> &[u64] {
        &self.stat[self.stat_at[i]..self.stat_at[i + 1]]
    }

    fn hist(&self, i: usize) -> &[u64] {
        &self.hist[self.hist_at[i]..self.hist_at[i + 1]]
    }

    /// The per-label features of word `i` labelled after `p2 p1`, into `out`.
    fn stat_features(&self, i: usize, p2: usize, p1: usize, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(self.stat(i));
        out.extend(transition_features(p2, p1));
    }
}

/// The best label sequence of the first `n` words of `lattice` under second-order
/// transitions, valid IOB2 by construction (exact Viterbi over label pairs).
fn viterbi(w: Weights, trans: &Transitions, lattice: &Lattice, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    // delta[a][b]: best score of a prefix whose last two labels are a b.
    let mut delta = [[NEG; N]; N];
    delta[0][0] = 0.0;
    let mut back: Vec<[[u8; N]; N]> = Vec::with_capacity(n);
    let mut stat = [0.0f32; N];
    for i in 0..n {
        w.stat.static_scores(lattice.stat(i), &mut stat);
        let mut hist = [0.0f32; H];
        w.hist.add_scores(lattice.hist(i), &mut hist);
        let mut next = [[NEG; N]; N];
        let mut bp = [[0u8; N]; N];
        for p1 in 0..N {
            if (0..N).all(|p2| delta[p2][p1] == NEG) {
                continue;
            }
            let h = &hist[N * p1..N * (p1 + 1)];
            for l in 0..N {
                if !allowed(p1, l) {
                    continue;
                }
                let (mut best, mut arg) = (NEG, 0);
                for p2 in 0..N {
                    let v = delta[p2][p1] + trans[p2][p1][l];
                    if v > best {
                        (best, arg) = (v, p2);
                    }
                }
                next[p1][l] = best + stat[l] + h[l];
                bp[p1][l] = arg as u8;
            }
        }
        delta = next;
        back.push(bp);
    }
    let (mut a, mut b) = (0, 0);
    for p1 in 0..N {
        for l in 0..N {
            if delta[p1][l] > delta[a][b] {
                (a, b) = (p1, l);
            }
        }
    }
    let mut out = vec![0; n];
    out[n - 1] = b;
    if n > 1 {
        out[n - 2] = a;
    }
    for i in (2..n).rev() {
        out[i - 2] = back[i][out[i - 1]][out[i]] as usize;
    }
    out
}

/// A small deterministic generator for shuffling and word dropout (no dependency).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn upos_of(upos: &[Vec<String>], s: usize) -> Vec<&str> {
    upos.get(s)
        .map(|u| u.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn words_of(words: &[String]) -> Vec<&str> {
    words.iter().map(String::as_str).collect()
}

/// The labels of [`spans`] of `labels`: a stray I-X becomes B-X.
fn valid_labels(labels: &[usize]) -> Vec<usize> {
    let mut out = vec![0; labels.len()];
    for (a, b, t) in spans(labels) {
        out[a] = 2 * t + 1;
        out[a + 1..b].fill(2 * t + 2);
    }
    out
}

fn gold_labels(tags: &[String]) -> Vec<usize> {
    tags.iter().map(|t| label_index(t)).collect()
}

impl Recognizer {
    fn new(model: Model, hist: Model) -> Recognizer {
        let trans = transitions(&model);
        Recognizer { model, hist, trans }
    }

    fn weights(&self) -> Weights<'_> {
        Weights {
            stat: &self.model,
            hist: &self.hist,
        }
    }

    /// Trains for `epochs` passes over `train` (shuffled), keeping the epoch that scores best
    /// on `dev` (the last one if `dev` is empty). `upos` and `dev_upos` are aligned with the
    /// sentences and words, or empty (then the UPOS features are absent). The model is the
    /// mean of [`ENSEMBLE`] averaged perceptrons, each seeing the sentences in its own order.
    pub fn train(
        train: &[(Vec<String>, Vec<String>)],
        upos: &[Vec<String>],
        dev: &[(Vec<String>, Vec<String>)],
        dev_upos: &[Vec<String>],
        gazetteer: &Gazetteer,
        epochs: usize,
        log: &mut dyn FnMut(&str),
    ) -> Recognizer {
        // Contexts and gold labels do not change between epochs.
        let data: Vec<(Context, Vec<usize>)> = train
            .iter()
            .enumerate()
            .map(|(s, (words, tags))| {
                let ctx = Context::new(words_of(words), upos_of(upos, s), gazetteer);
                // Gold read leniently (a stray I-X begins a name), as the decoder can only
                // produce valid IOB2.
                (ctx, valid_labels(&gold_labels(tags)))
            })
            .collect();
        // Several perceptrons see the data in different orders; their mean is the model.
        let mut members: Vec<(Trainer, Trainer, XorShift, Vec<usize>)> = (0..ENSEMBLE as u64)
            .map(|k| {
                let seed = 0x9e37_79b9_7f4a_7c15 ^ k.wrapping_mul(0x2545_f491_4f6c_dd1d);
                (
                    Trainer::new(N),
                    Trainer::new(H),
                    XorShift(seed),
                    (0..data.len()).collect(),
                )
            })
            .collect();
        let mut lattice = Lattice::default();
        let (mut gold_feats, mut guess_feats) = (Vec::new(), Vec::new());
        let mut kept: Option<(f64, Recognizer)> = None;
        for epoch in 1..=epochs {
            let (mut right, mut total) = (0usize, 0usize);
            for (trainer, htrainer, rng, order) in &mut members {
                for i in (1..order.len()).rev() {
                    order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
                }
                for &s in order.iter() {
                    let (ctx, gold) = &data[s];
                    // The structured perceptron: decode the whole sentence as at run time,
                    // then reward the gold sequence's features and penalise the guess's
                    // wherever a label or its history differs.
                    lattice.fill(ctx, || rng.next() % 1000 < WORD_DROPOUT);
                    let trans = transitions(trainer);
                    let w = Weights {
                        stat: trainer,
                        hist: htrainer,
                    };
                    let guess = viterbi(w, &trans, &lattice, gold.len());
                    let at = |v: &[usize], i: usize, k: usize| if i >= k { v[i - k] } else { 0 };
                    for i in 0..gold.len() {
                        let (g, p) = (gold[i], guess[i]);
                        right += (g == p) as usize;
                        total += 1;
                        let (g1, g2) = (at(gold, i, 1), at(gold, i, 2));
                        let (q1, q2) = (at(&guess, i, 1), at(&guess, i, 2));
                        if (g, g1, g2) != (p, q1, q2) {
                            lattice.stat_features(i, g2, g1, &mut gold_feats);
                            lattice.stat_features(i, q2, q1, &mut guess_feats);
                            trainer.add(&gold_feats, g, 1.0);
                            trainer.add(&guess_feats, p, -1.0);
                            htrainer.add(lattice.hist(i), N * g1 + g, 1.0);
                            htrainer.add(lattice.hist(i), N * q1 + p, -1.0);
                        }
                        trainer.tick();
                        htrainer.tick();
                    }
                }
            }
            let mean = |trainers: Vec<&Trainer>| {
                let models: Vec<Model> = trainers.iter().map(|t| t.freeze(MIN_WEIGHT)).collect();
                Model::mean(&models, MIN_WEIGHT)
            };
            let rec = Recognizer::new(
                mean(members.iter().map(|m| &m.0).collect()),
                mean(members.iter().map(|m| &m.1).collect()),
            );
            let mut line = format!(
                "ner epoch {epoch}: train label accuracy {:.4}",
                ratio(right, total)
            );
            let value = if dev.is_empty() {
                epoch as f64
            } else {
                let sc = rec.evaluate(dev, dev_upos, gazetteer);
                line += &format!(
                    ", dev P {:.4} R {:.4} F1 {:.4}",
                    sc.precision(),
                    sc.recall(),
                    sc.f1()
                );
                sc.f1()
            };
            log(&line);
            if kept.as_ref().is_none_or(|(v, _)| value > *v) {
                kept = Some((value, rec));
            }
        }
        kept.map(|(_, r)| r)
            .unwrap_or_else(|| Recognizer::new(Model::default(), Model::default()))
    }

    /// The best-scoring valid label sequence of a sentence.
    fn decode(&self, ctx: &Context) -> Vec<usize> {
        let mut lattice = Lattice::default();
        lattice.fill(ctx, || false);
        viterbi(self.weights(), &self.trans, &lattice, ctx.len())
    }

    /// The names in a sentence. `upos` is the tagger's prediction for `words`, or empty.
    pub fn recognize(&self, words: &[&str], upos: &[&str], gazetteer: &Gazetteer) -> Vec<Name> {
        let ctx = Context::new(words.to_vec(), upos.to_vec(), gazetteer);
        spans(&self.decode(&ctx))
            .into_iter()
            .map(|(start, end, t)| Name {
                start,
                end,
                label: TYPES[t],
            })
            .collect()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        write_string(&mut out, &LABELS.join(" "));
        self.model.write(&mut out);
        self.hist.write(&mut out);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Recognizer, ModelError> {
        let mut r = Reader(bytes);
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError("not a name recognizer model".into()));
        }
        if r.string()? != LABELS.join(" ") {
            return Err(ModelError("name recognizer labels differ".into()));
        }
        let (model, rest) = Model::read(r.0)?;
        let (hist, rest) = Model::read(rest)?;
        if model.n_classes() != N || hist.n_classes() != H || !rest.is_empty() {
            return Err(ModelError("name recognizer model is malformed".into()));
        }
        Ok(Recognizer::new(model, hist))
    }

    /// Entity-level (exact span and type) precision/recall/F1 against IOB2 gold.
    pub fn evaluate(
        &self,
        gold: &[(Vec<String>, Vec<String>)],
        upos: &[Vec<String>],
        gazetteer: &Gazetteer,
    ) -> NerScore {
        let mut sc = NerScore::default();
        for (s, (words, tags)) in gold.iter().enumerate() {
            let ctx = Context::new(words_of(words), upos_of(upos, s), gazetteer);
            sc.add(&spans(&gold_labels(tags)), &spans(&self.decode(&ctx)));
        }
        sc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    /// "word/B-PER" pairs; a word without a tag is O.
    fn sentence(s: &str) -> (Vec<String>, Vec<String>) {
        s.split_whitespace()
            .map(|t| match t.rsplit_once('/') {
                Some((w, tag)) if tag.contains('-') => (w.to_string(), tag.to_string()),
                _ => (t.to_string(), "O".to_string()),
            })
            .unzip()
    }

    #[test]
    fn decoding_is_valid_iob2() {
        // Gold files: I-PER after O, and I-ORG after B-PER, each open a new entity.
        let l = [0, 2, 2, 4, 0, 5, 6];
        assert_eq!(spans(&l), vec![(1, 3, 0), (3, 4, 1), (5, 7, 2)]);
        assert_eq!(valid_labels(&l), [0, 1, 2, 3, 0, 5, 6]);
        // Whatever the weights, every decoded sequence is valid: random per-word features
        // with random weights.
        let mut rng = XorShift(7);
        let (mut t, mut th) = (Trainer::new(N), Trainer::new(H));
        let feats: Vec<u64> = (0..40).map(|k| feature(&[&k.to_string()])).collect();
        for _ in 0..2000 {
            let f = feats[(rng.next() % 40) as usize];
            t.add(
                &[f],
                (rng.next() % 7) as usize,
                (rng.next() % 100) as f32 - 50.0,
            );
            th.add(
                &[f],
                (rng.next() % 49) as usize,
                (rng.next() % 100) as f32 - 50.0,
            );
        }
        for p2 in 0..N {
            for p1 in 0..N {
                t.add(
                    &transition_features(p2, p1),
                    (rng.next() % 7) as usize,
                    30.0,
                );
            }
        }
        let trans = transitions(&t);
        for n in 0..30 {
            let lattice = Lattice {
                stat: (0..n).map(|_| feats[(rng.next() % 40) as usize]).collect(),
                stat_at: (0..=n).collect(),
                hist: (0..n).map(|_| feats[(rng.next() % 40) as usize]).collect(),
                hist_at: (0..=n).collect(),
            };
            let w = Weights {
                stat: &t,
                hist: &th,
            };
            let l = viterbi(w, &trans, &lattice, n);
            assert_eq!(l.len(), n);
            assert_eq!(valid_labels(&l), l);
            // Exact: no single-label change of a valid sequence scores higher.
            let score = |l: &[usize]| -> f32 {
                let mut f = Vec::new();
                let mut sum = 0.0;
                for i in 0..l.len() {
                    let at = |k: usize| if i >= k { l[i - k] } else { 0 };
                    lattice.stat_features(i, at(2), at(1), &mut f);
                    let mut sc = [0.0; N];
                    t.add_scores(&f, &mut sc);
                    let mut h = [0.0; H];
                    th.add_scores(lattice.hist(i), &mut h);
                    sum += sc[l[i]] + h[N * at(1) + l[i]];
                }
                sum
            };
            let best = score(&l);
            for i in 0..n {
                for x in 0..N {
                    let mut m = l.clone();
                    m[i] = x;
                    if valid_labels(&m) == m {
                        assert!(score(&m) <= best + 1e-3, "{m:?} beats {l:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn gazetteer_matches_multiword_names() {
        let g = Gazetteer::new(
            &strings("Beijing Guinea-Bissau"),
            &[
                "United Nations".into(),
                "UN".into(),
                "Children's Fund".into(),
            ],
            &strings("Chinese"),
        );
        let words = [
            "the", "United", "Nations", "and", "Chinese", "Children", "'s", "Fund", "UN",
        ];
        let f = g.tag(&words);
        assert_eq!(f[0], 0);
        assert_eq!(f[1], 1 << 4); // begins an ORG
        assert_eq!(f[2], 1 << 6); // ends it
        assert_eq!(f[3], 0);
        assert_eq!(f[4], 1 << 11); // a one-word demonym
        assert_eq!(&f[5..8], &[1 << 4, 1 << 5, 1 << 6]);
        assert_eq!(f[8], 1 << 7); // a one-word ORG
                                  // A name cut off by the sentence end, and case, do not match.
        assert_eq!(g.tag(&["United"]), vec![0]);
        assert_eq!(g.tag(&["un", "beijing"]), vec![0, 0]);
        assert_eq!(g.tag(&["Guinea", "-", "Bissau"]), vec![1, 2, 4]);
        assert_eq!(name_words("Guinea-Bissau"), ["Guinea", "-", "Bissau"]);
        assert_eq!(
            name_words("Educational, Fund's"),
            ["Educational", ",", "Fund", "'s"]
        );
        assert!(Gazetteer::empty().tag(&["UN"]).iter().all(|&x| x == 0));
    }

    #[test]
    fn learns_tiny_data_and_round_trips() {
        let train: Vec<_> = [
            "Kenyan President William/B-PER Ruto/I-PER met Wang/B-PER Yi/I-PER in Beijing/B-LOC .",
            "The United/B-ORG Nations/I-ORG sent aid to Nairobi/B-LOC .",
            "Chinese officials met John/B-PER Smith/I-PER in Paris/B-LOC .",
            "Ruto/B-PER spoke to the United/B-ORG Nations/I-ORG .",
        ]
        .iter()
        .map(|s| sentence(s))
        .collect();
        let g = Gazetteer::new(
            &strings("Beijing Nairobi Paris"),
            &["United Nations".to_string()],
            &strings("Kenyan Chinese"),
        );
        let mut lines = Vec::new();
        let r = Recognizer::train(&train, &[], &[], &[], &g, 10, &mut |l| {
            lines.push(l.to_string())
        });
        assert_eq!(lines.len(), 10);
        let words = [
            "Kenyan",
            "President",
            "William",
            "Ruto",
            "met",
            "Wang",
            "Yi",
            "in",
            "Beijing",
            ".",
        ];
        let name = |start, end, label| Name { start, end, label };
        let want = vec![name(2, 4, "PER"), name(5, 7, "PER"), name(8, 9, "LOC")];
        assert_eq!(r.recognize(&words, &[], &g), want);
        let bytes = r.to_bytes();
        let back = Recognizer::from_bytes(&bytes).unwrap();
        assert_eq!(back.recognize(&words, &[], &g), want);
        assert_eq!(back.evaluate(&train, &[], &g), r.evaluate(&train, &[], &g));
        assert!(Recognizer::from_bytes(MAGIC).is_err());
        assert!(Recognizer::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Recognizer::from_bytes(b"DYPM....").is_err());
        assert!(r.recognize(&[], &[], &g).is_empty());
    }

    #[test]
    fn scores_are_entity_level() {
        let sc = NerScore {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert_eq!(sc.precision(), 0.75);
        assert_eq!(sc.recall(), 0.6);
        assert!((sc.f1() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(NerScore::default().f1(), 0.0);
        // A right span with the wrong type is one false positive and one miss.
        let mut sc = NerScore::default();
        sc.add(&[(0, 2, 0), (3, 4, 2)], &[(0, 2, 0), (3, 4, 1)]);
        assert_eq!((sc.tp, sc.fp, sc.fn_), (1, 1, 1));
    }

    fn corpus(name: &str) -> Option<String> {
        let path = format!(
            "{}/../../../shared/corpora/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).ok()
    }

    #[test]
    fn smoke_trains_on_uner_dev() {
        let Some(text) = corpus("uner-english-ewt/en_ewt-uner-dev.tsv") else {
            eprintln!("UNER dev absent: skipping");
            return;
        };
        let data = crate::conllu::parse_ner(&text).unwrap();
        // UPOS from the EWT dev treebank, which UNER dev follows sentence by sentence.
        let upos = corpus("ud-english-ewt/en_ewt-ud-dev.conllu")
            .map(|t| upos_of_conllu(&t))
            .filter(|u| u.len() == data.len())
            .unwrap_or_default();
        let n = data.len();
        let (train, test) = (&data[..1700], &data[n - 300..]);
        let (train_upos, test_upos) = if upos.is_empty() {
            (&[][..], &[][..])
        } else {
            (&upos[..1700], &upos[n - 300..])
        };
        let g = actor_gazetteer();
        let r = Recognizer::train(train, train_upos, &[], &[], &g, 4, &mut |_| {});
        let sc = r.evaluate(test, test_upos, &g);
        eprintln!(
            "smoke: P {:.3} R {:.3} F1 {:.3}",
            sc.precision(),
            sc.recall(),
            sc.f1()
        );
        assert!(sc.f1() > 0.4, "{sc:?}");
    }

    /// Gazetteer lists from dyad's actor files, as the caller builds them.
    fn actor_gazetteer() -> Gazetteer {
        let dir = format!("{}/../dyad-actors/data", env!("CARGO_MANIFEST_DIR"));
        // Rows after the comments and the header, as lists of |-separated values per column.
        let rows = |file: &str| -> Vec<Vec<Vec<String>>> {
            let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .skip(1)
                .map(|l| {
                    l.split('\t')
                        .map(|c| {
                            c.split('|')
                                .filter(|x| !x.is_empty())
                                .map(String::from)
                                .collect()
                        })
                        .collect()
                })
                .collect()
        };
        let (mut places, mut orgs, mut demonyms) = (Vec::new(), Vec::new(), Vec::new());
        // countries.tsv: iso3, name, names, adjectives, cities.
        for row in rows("countries.tsv") {
            for (k, col) in row.into_iter().enumerate() {
                match k {
                    1 | 2 | 4 => places.extend(col),
                    3 => demonyms.extend(col),
                    _ => {}
                }
            }
        }
        // igos.tsv: code, identifier, names, acronyms, sector.
        for row in rows("igos.tsv") {
            for col in row.into_iter().skip(1).take(3) {
                orgs.extend(col);
            }
        }
        Gazetteer::new(&places, &orgs, &demonyms)
    }

    fn upos_of_conllu(text: &str) -> Vec<Vec<String>> {
        crate::conllu::parse(text)
            .unwrap()
            .into_iter()
            .map(|s| s.words.into_iter().map(|w| w.upos).collect())
            .collect()
    }

    /// `cargo test --release -p dyad-lang -- --ignored --nocapture ner`
    #[test]
    #[ignore]
    fn ner_full_run() {
        let read = |name: &str| corpus(name).unwrap_or_else(|| panic!("{name} missing"));
        let ner = |name: &str| crate::conllu::parse_ner(&read(name)).unwrap();
        let train = ner("uner-english-ewt/en_ewt-uner-train.prerelease2022.tsv");
        let dev = ner("uner-english-ewt/en_ewt-uner-dev.tsv");
        let test = ner("uner-english-ewt/en_ewt-uner-test.tsv");
        let train_upos = std::fs::read_to_string("/tmp/ewt-train.conllu")
            .map(|t| upos_of_conllu(&t))
            .unwrap_or_else(|_| {
                eprintln!("/tmp/ewt-train.conllu absent: training without UPOS");
                Vec::new()
            });
        let dev_upos = upos_of_conllu(&read("ud-english-ewt/en_ewt-ud-dev.conllu"));
        let test_upos = upos_of_conllu(&read("ud-english-ewt/en_ewt-ud-test.conllu"));
        for (sents, upos) in [
            (&train, &train_upos),
            (&dev, &dev_upos),
            (&test, &test_upos),
        ] {
            if !upos.is_empty() {
                assert_eq!(sents.len(), upos.len());
                for ((w, _), u) in sents.iter().zip(upos.iter()) {
                    assert_eq!(w.len(), u.len());
                }
            }
        }
        let g = actor_gazetteer();
        let epochs = 12;
        let t0 = std::time::Instant::now();
        let r = Recognizer::train(&train, &train_upos, &dev, &dev_upos, &g, epochs, &mut |l| {
            eprintln!("{l}")
        });
        let train_secs = t0.elapsed().as_secs_f64();
        let bytes = r.to_bytes();
        let r = Recognizer::from_bytes(&bytes).unwrap();
        for (name, data, upos) in [("dev", &dev, &dev_upos), ("test", &test, &test_upos)] {
            let sc = r.evaluate(data, upos, &g);
            eprintln!(
                "{name}: P {:.2} R {:.2} F1 {:.2} (tp {} fp {} fn {})",
                100.0 * sc.precision(),
                100.0 * sc.recall(),
                100.0 * sc.f1(),
                sc.tp,
                sc.fp,
                sc.fn_
            );
            // Per type, to see where the errors are.
            let mut per = [NerScore::default(); 3];
            for (s, (words, tags)) in data.iter().enumerate() {
                let ctx = Context::new(words_of(words), upos_of(upos, s), &g);
                let (want, got) = (spans(&gold_labels(tags)), spans(&r.decode(&ctx)));
                for (t, sc) in per.iter_mut().enumerate() {
                    let of = |v: &[(usize, usize, usize)]| -> Vec<(usize, usize, usize)> {
                        v.iter().copied().filter(|x| x.2 == t).collect()
                    };
                    sc.add(&of(&want), &of(&got));
                }
            }
            for (t, sc) in per.iter().enumerate() {
                eprintln!(
                    "  {}: P {:.2} R {:.2} F1 {:.2}",
                    TYPES[t],
                    100.0 * sc.precision(),
                    100.0 * sc.recall(),
                    100.0 * sc.f1()
                );
            }
        }
        // Throughput of recognize() over the test set, several times.
        let sentences: Vec<(Vec<&str>, Vec<&str>)> = test
            .iter()
            .zip(&test_upos)
            .map(|((w, _), u)| (words_of(w), u.iter().map(String::as_str).collect()))
            .collect();
        let t0 = std::time::Instant::now();
        let mut tokens = 0;
        for _ in 0..5 {
            for (w, u) in &sentences {
                std::hint::black_box(r.recognize(w, u, &g));
                tokens += w.len();
            }
        }
        eprintln!(
            "model {} bytes ({} features); trained in {train_secs:.1} s (up to {epochs} epochs); \
             {:.0} tokens/s",
            bytes.len(),
            r.model.n_features(),
            tokens as f64 / t0.elapsed().as_secs_f64()
        );
    }
}
