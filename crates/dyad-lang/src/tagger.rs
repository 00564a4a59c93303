//! A greedy averaged-perceptron POS tagger that predicts UPOS and XPOS together.
//!
//! Each class is a "UPOS/XPOS" pair seen in training, so the pair is always consistent and
//! UPOS distinctions that XPOS does not make (ADP vs SCONJ for `IN`, AUX vs VERB for `VB*`,
//! DET vs PRON for `DT`) are learned directly.
//!
//! Decoding is greedy, right to left, then left to right with the first pass's scores added
//! in; the second pass only looks at the tokens the first was unsure of. Right to left is
//! the better single direction on EWT (by 0.1-0.2 points), and the two together add about
//! 0.1 point on dev, 0.1-0.3 on test.
//!
//! Features are mixed from hashes precomputed once per token, so no strings are built per
//! feature. Besides word, affix, shape and tag-history features, the tagger uses an
//! *ambiguity class* lexicon (the set of classes a word took in training) for the words on
//! the not-yet-tagged side. Frequent unambiguous words are tagged from a dictionary without
//! the classifier.

use crate::conllu::TreeSentence;
use crate::perceptron::{self, IdMap, Model, ModelError, Reader, Trainer};
use std::collections::HashMap;

/// A predicted tag pair; the strings live in the [`Tagger`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub upos: &'a str,
    pub xpos: &'a str,
}

/// Token-level accuracy counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagScore {
    pub tokens: usize,
    pub upos_correct: usize,
    pub xpos_correct: usize,
}

impl TagScore {
    pub fn upos(&self) -> f64 {
        self.upos_correct as f64 / self.tokens.max(1) as f64
    }
    pub fn xpos(&self) -> f64 {
        self.xpos_correct as f64 / self.tokens.max(1) as f64
    }
}

/// The trained tagger.
pub struct Tagger {
    upos: Vec<String>,
    xpos: Vec<String>,
    /// Frequent unambiguous words (exact form) and their class, kept as strings for writing.
    dict_words: Vec<String>,
    dict_classes: Vec<u8>,
    /// Ambiguity classes of lowercased words, kept as strings for writing.
    amb_words: Vec<String>,
    amb_codes: Vec<u32>,
    lex: Lexicon,
    /// The right-to-left pass.
    backward: Option<Model>,
    /// The left-to-right pass, run after `backward` with its scores added.
    forward: Option<Model>,
    /// Tokens the backward pass decides by this margin skip the forward pass.
    skip_margin: f32,
}

const MAGIC: &[u8; 4] = b"DYTG";
const VERSION: u32 = 1;

/// Tag dictionary: a word seen this often...
const DICT_MIN_COUNT: usize = 20;
/// ...with this share of one class skips the classifier (0.97 cost 0.1 points of accuracy).
const DICT_MIN_SHARE: f64 = 0.995;
/// Words seen at least this often get an ambiguity class.
const AMB_MIN_COUNT: usize = 2;
/// A class belongs to a word's ambiguity class from this share on.
const AMB_MIN_SHARE: f64 = 0.1;
/// Candidate backward-pass margins above which the forward pass is skipped, tried from the
/// safest down.
const SKIP_MARGINS: [f32; 5] = [40.0, 30.0, 20.0, 15.0, 10.0];
/// Folds of the jackknifed ambiguity classes.
const FOLDS: usize = 10;

// ---------------------------------------------------------------------------------------
// Hashing

const K: u64 = 0x9E37_79B9_7F4A_7C15;
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over chars: affixes are char slices of the lowercased word.
fn hash_chars(cs: &[char]) -> u64 {
    cs.iter()
        .fold(FNV_OFFSET, |h, &c| (h ^ c as u64).wrapping_mul(FNV_PRIME))
}

fn hash_str(s: &str) -> u64 {
    s.bytes()
        .fold(FNV_OFFSET, |h, b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
}

/// Equal to `hash_chars` of the lowercased chars.
fn hash_lower(s: &str) -> u64 {
    s.chars()
        .flat_map(char::to_lowercase)
        .fold(FNV_OFFSET, |h, c| (h ^ c as u64).wrapping_mul(FNV_PRIME))
}

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(26) ^ x).wrapping_mul(K)
}

/// Final avalanche: the model's map uses the key's bits almost as they are.
#[inline]
fn fin(mut h: u64) -> u64 {
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^ (h >> 29)
}

#[inline]
fn f1(t: u64, a: u64) -> u64 {
    fin(mix(t.wrapping_mul(K), a))
}

#[inline]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    fin(mix(mix(t.wrapping_mul(K), a), b))
}

#[inline]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    fin(mix(mix(mix(t.wrapping_mul(K), a), b), c))
}

// ---------------------------------------------------------------------------------------
// Tokens

/// Everything the features need about one token, computed once per sentence.
#[derive(Clone, Copy, Default)]
struct Tok {
    exact: u64,
    low: u64,
    pre: [u64; 3],
    suf: [u64; 4],
    shape: u64,
    short_shape: u64,
    flags: u64,
    amb: u64,
}

const F_HYPHEN: u64 = 1;
const F_DIGIT: u64 = 2;
const F_UPPER: u64 = 4;
const F_ALLUPPER: u64 = 8;
const F_TITLE: u64 = 16;
const F_PUNCT: u64 = 32;
const F_FIRST: u64 = 64;

/// Word lists learned from the training data.
#[derive(Default)]
struct Lexicon {
    /// hash of exact form → class.
    dict: IdMap<u8>,
    /// hash of lowercased form → ambiguity-class code.
    amb: IdMap<u32>,
}

impl Lexicon {
    fn new(dict_words: &[String], dict_classes: &[u8], amb_words: &[String], amb: &[u32]) -> Self {
        let mut l = Lexicon::default();
        for (w, c) in dict_words.iter().zip(dict_classes) {
            l.dict.insert(hash_str(w), *c);
        }
        for (w, c) in amb_words.iter().zip(amb) {
            l.amb.insert(hash_lower(w), *c);
        }
        l
    }

    /// Fills `toks` for `words`; `chars` is a reused buffer.
    fn prepare(&self, words: &[&str], toks: &mut Vec<Tok>, chars: &mut Vec<char>) {
        toks.clear();
        for (i, w) in words.iter().enumerate() {
            chars.clear();
            chars.extend(w.chars().flat_map(char::to_lowercase));
            let n = chars.len();
            let mut t = Tok {
                exact: hash_str(w),
                low: hash_chars(chars),
                ..Tok::default()
            };
            for k in 0..3 {
                t.pre[k] = hash_chars(&chars[..(k + 1).min(n)]);
            }
            for k in 0..4 {
                t.suf[k] = hash_chars(&chars[n.saturating_sub(k + 1)..]);
            }
            // Shape: X, x, d or the char itself, with runs cut at 4 (shape) or 1 (short).
            let (mut shape, mut short) = (FNV_OFFSET, FNV_OFFSET);
            let (mut last, mut run) = ('\0', 0);
            let (mut upper, mut lower, mut alnum) = (0, 0, 0);
            let mut flags = if i == 0 { F_FIRST } else { 0 };
            for c in w.chars() {
                let s = if c.is_uppercase() {
                    upper += 1;
                    'X'
                } else if c.is_lowercase() {
                    lower += 1;
                    'x'
                } else if c.is_ascii_digit() {
                    flags |= F_DIGIT;
                    'd'
                } else {
                    if c == '-' {
                        flags |= F_HYPHEN;
                    }
                    c
                };
                alnum += c.is_alphanumeric() as usize;
                if s == last {
                    run += 1;
                } else {
                    (last, run) = (s, 1);
                    short = mix(short, s as u64);
                }
                if run <= 4 {
                    shape = mix(shape, s as u64);
                }
            }
            if upper > 0 {
                flags |= F_UPPER;
                if lower == 0 {
                    flags |= F_ALLUPPER;
                }
                if upper == 1 && w.starts_with(char::is_uppercase) {
                    flags |= F_TITLE;
                }
            }
            if alnum == 0 {
                flags |= F_PUNCT;
            }
            t.shape = shape;
            t.short_shape = short;
            t.flags = flags;
            t.amb = self.amb.get(&t.low).map_or(0, |&c| c as u64 + 1);
            toks.push(t);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Features and decoding

/// Pseudo-word hashes before and after the sentence.
const PAD: [u64; 2] = [0x5354_4152_5431, 0x454E_4431];
/// Tag-history values before the sentence.
const START: [u64; 2] = [1000, 1001];
/// "No such neighbour" for the other per-token values.
const NONE: u64 = 1002;

/// Fills `out` with the features of token `i` of `toks` (in decoding order) given the
/// classes chosen so far (`hist`).
fn features(toks: &[Tok], i: usize, hist: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let t = &toks[i];
    let at = |j: usize| toks.get(j);
    let (m1, m2) = (i.checked_sub(1).and_then(at), i.checked_sub(2).and_then(at));
    let (n1, n2) = (at(i + 1), at(i + 2));
    let p1 = if i >= 1 { hist[i - 1] as u64 } else { START[0] };
    let p2 = match i {
        0 => START[1],
        1 => START[0],
        _ => hist[i - 2] as u64,
    };
    let w_m1 = m1.map_or(PAD[0], |x| x.low);
    let w_m2 = m2.map_or(PAD[0], |x| x.low);
    let w_p1 = n1.map_or(PAD[1], |x| x.low);
    let w_p2 = n2.map_or(PAD[1], |x| x.low);
    // The not-yet-tagged side is known by its ambiguity classes, affixes and shapes.
    let amb1 = n1.map_or(NONE, |x| x.amb);
    let amb2 = n2.map_or(NONE + 1, |x| x.amb);
    let n1_suf3 = n1.map_or(NONE, |x| x.suf[2]);
    let n1_suf2 = n1.map_or(NONE, |x| x.suf[1]);
    let n1_shape = n1.map_or(NONE, |x| x.short_shape);
    let m1_suf3 = m1.map_or(NONE, |x| x.suf[2]);
    let m1_shape = m1.map_or(NONE, |x| x.short_shape);

    out.extend_from_slice(&[
        f1(0, 0),
        f1(1, t.low),
        f1(2, t.pre[0]),
        f1(3, t.pre[1]),
        f1(4, t.pre[2]),
        f1(5, t.suf[0]),
        f1(6, t.suf[1]),
        f1(7, t.suf[2]),
        f1(8, t.suf[3]),
        f1(9, t.shape),
        f1(10, t.short_shape),
        f1(11, t.flags),
        f1(12, t.amb),
        f1(13, p1),
        f1(14, p2),
        f2(15, p1, p2),
        f2(16, p1, t.low),
        f1(17, w_m1),
        f1(18, w_m2),
        f1(19, w_p1),
        f1(20, w_p2),
        f1(21, m1_suf3),
        f1(22, n1_suf3),
        f1(23, n1_suf2),
        f1(24, amb1),
        f1(25, amb2),
        f2(26, amb1, amb2),
        f2(27, p1, amb1),
        f2(28, w_m1, t.low),
        f2(29, t.low, w_p1),
        f2(30, p1, t.suf[2]),
        f2(31, t.amb, amb1),
        f2(32, p1, t.amb),
        f1(33, n1_shape),
        f1(34, m1_shape),
        f2(35, t.flags & F_FIRST, t.shape),
        f3(36, p1, t.amb, amb1),
        f2(37, t.suf[2], amb1),
        f2(38, p1, t.short_shape),
    ]);
}

fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// Buffers reused across tokens and sentences.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    rev: Vec<Tok>,
    chars: Vec<char>,
    feats: Vec<u64>,
    scores: Vec<f32>,
    /// First-pass scores, token by token.
    prior: Vec<f32>,
    hist: Vec<u8>,
}

/// Greedy decoding of one pass over `toks` into `sc.hist`. `prior` holds scores to add,
/// token by token in decoding order, and where its best class leads by `skip` or more it is
/// taken as it is; `keep` receives this pass's scores the same way.
fn decode(
    model: &Model,
    dict: &IdMap<u8>,
    toks: &[Tok],
    prior: Option<(&[f32], f32)>,
    mut keep: Option<&mut Vec<f32>>,
    sc: &mut Scratch,
) {
    sc.hist.clear();
    let n = model.n_classes();
    sc.scores.resize(n, 0.0);
    if let Some(k) = keep.as_deref_mut() {
        k.clear();
        k.resize(toks.len() * n, 0.0);
    }
    for i in 0..toks.len() {
        if let Some(&c) = dict.get(&toks[i].exact) {
            sc.hist.push(c);
            continue;
        }
        if let Some((p, skip)) = prior {
            if let Some(c) = clear_winner(&p[i * n..(i + 1) * n], skip) {
                sc.hist.push(c as u8);
                continue;
            }
        }
        features(toks, i, &sc.hist, &mut sc.feats);
        model.scores_into(&sc.feats, &mut sc.scores);
        if let Some(k) = keep.as_deref_mut() {
            k[i * n..(i + 1) * n].copy_from_slice(&sc.scores);
        }
        if let Some((p, _)) = prior {
            for (s, q) in sc.scores.iter_mut().zip(&p[i * n..(i + 1) * n]) {
                *s += q;
            }
        }
        let c = argmax(&sc.scores) as u8;
        sc.hist.push(c);
    }
}

/// The best class of `scores` if it leads the second by at least `margin`.
fn clear_winner(scores: &[f32], margin: f32) -> Option<usize> {
    let (mut best, mut first, mut second) = (0, f32::NEG_INFINITY, f32::NEG_INFINITY);
    for (i, &s) in scores.iter().enumerate() {
        if s > first {
            (best, first, second) = (i, s, first);
        } else if s > second {
            second = s;
        }
    }
    (first - second >= margin).then_some(best)
}

/// Reverses the order of the `n`-long blocks of `v` (per-token scores).
fn reverse_blocks(v: &mut [f32], n: usize) {
    let t = v.len() / n;
    for i in 0..t / 2 {
        let (a, b) = v.split_at_mut((t - 1 - i) * n);
        a[i * n..(i + 1) * n].swap_with_slice(&mut b[..n]);
    }
}

// ---------------------------------------------------------------------------------------
// Training

/// Minimal LCG for a reproducible shuffle (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Which greedy passes to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Passes {
    Forward,
    Backward,
    Both,
}

/// Training knobs (fixed in the public API; tests may vary them).
#[derive(Clone, Copy, Debug)]
struct Config {
    passes: Passes,
    /// Frozen weights below this are dropped.
    min_abs: f32,
    /// Jackknifed ambiguity classes for the training sentences.
    jackknife: bool,
    dict_min_count: usize,
    dict_min_share: f64,
    /// Features seen fewer times in the training data (with gold history) are not learned.
    min_feature_count: u32,
}

/// Chosen on EWT dev. The pruning keeps the two passes under 3 MB (from 8) with no loss
/// measurable on dev (differences of ±0.1 point are noise between runs there).
const CONFIG: Config = Config {
    passes: Passes::Both,
    min_abs: 0.3,
    jackknife: true,
    dict_min_count: DICT_MIN_COUNT,
    dict_min_share: DICT_MIN_SHARE,
    min_feature_count: 6,
};

/// One training sentence of a pass, in decoding order.
struct Example<'a> {
    toks: &'a [Tok],
    gold: &'a [u8],
}

/// Trains one greedy pass; `dev_score` rates each epoch's frozen model (None: no dev data),
/// and the best epoch's model is returned.
#[allow(clippy::too_many_arguments)]
fn train_pass(
    examples: &[Example],
    n_classes: usize,
    dict: &IdMap<u8>,
    epochs: usize,
    min_abs: f32,
    min_feature_count: u32,
    dev_score: &mut dyn FnMut(&Model) -> Option<(f64, String)>,
    log: &mut dyn FnMut(&str),
) -> Model {
    // Rare features (mostly word pairs) cost size and time and barely help. "Rare" scales
    // with the corpus: the full count from 200,000 words on, none on a small sample.
    let words: usize = examples.iter().map(|e| e.gold.len()).sum();
    let min_feature_count = min_feature_count.min(1 + (words / 40_000) as u32);
    let mut counts: IdMap<u32> = IdMap::default();
    let mut feats = Vec::new();
    if min_feature_count > 1 {
        for ex in examples {
            for i in 0..ex.gold.len() {
                if !dict.contains_key(&ex.toks[i].exact) {
                    features(ex.toks, i, ex.gold, &mut feats);
                    for f in &feats {
                        *counts.entry(*f).or_default() += 1;
                    }
                }
            }
        }
        counts.retain(|_, c| *c >= min_feature_count);
    }
    let mut trainer = Trainer::new(n_classes);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(0x2545_F491_4F6C_DD1D);
    let mut hist = Vec::new();
    let mut best: Option<(f64, usize, Model, String)> = None;
    let mut last = Model::default();
    for epoch in 1..=epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let (mut seen, mut right) = (0usize, 0usize);
        for &e in &order {
            let ex = &examples[e];
            hist.clear();
            for (i, &truth) in ex.gold.iter().enumerate() {
                // Dictionary words are not learned from, as they are not classified.
                let guess = match dict.get(&ex.toks[i].exact) {
                    Some(&c) => c,
                    None => {
                        features(ex.toks, i, &hist, &mut feats);
                        if min_feature_count > 1 {
                            feats.retain(|f| counts.contains_key(f));
                        }
                        let guess = argmax(&trainer.scores(&feats)) as u8;
                        trainer.update(truth as usize, guess as usize, &feats);
                        trainer.tick();
                        guess
                    }
                };
                seen += 1;
                right += (guess == truth) as usize;
                hist.push(guess);
            }
        }
        let model = trainer.freeze(min_abs);
        let train_acc = 100.0 * right as f64 / seen.max(1) as f64;
        match dev_score(&model) {
            Some((score, text)) => {
                log(&format!(
                    "  epoch {epoch}: train {train_acc:.2}%, dev {text}, {} features",
                    model.n_features()
                ));
                if best.as_ref().is_none_or(|(b, ..)| score > *b) {
                    best = Some((score, epoch, model, text));
                }
            }
            None => {
                log(&format!(
                    "  epoch {epoch}: train {train_acc:.2}%, {} features",
                    model.n_features()
                ));
                last = model;
            }
        }
    }
    match best {
        Some((_, epoch, model, text)) => {
            log(&format!("  kept epoch {epoch}: dev {text}"));
            model
        }
        None => last,
    }
}

/// Ambiguity-class codes of the words seen at least `AMB_MIN_COUNT` times: the (at most 3)
/// classes with a share of at least `AMB_MIN_SHARE`, one byte each.
fn amb_lexicon(lower: &HashMap<String, Vec<usize>>) -> Vec<(String, u32)> {
    let mut amb: Vec<(String, u32)> = lower
        .iter()
        .filter_map(|(w, counts)| {
            let total: usize = counts.iter().sum();
            if total < AMB_MIN_COUNT {
                return None;
            }
            let mut top: Vec<(usize, usize)> = counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0 && n as f64 >= AMB_MIN_SHARE * total as f64)
                .map(|(c, &n)| (n, c))
                .collect();
            top.sort_by(|a, b| b.cmp(a));
            top.truncate(3);
            let mut classes: Vec<usize> = top.into_iter().map(|(_, c)| c).collect();
            classes.sort();
            let code = classes
                .iter()
                .fold(0u32, |acc, &c| (acc << 8) | (c as u32 + 1));
            Some((w.clone(), code))
        })
        .collect();
    amb.sort();
    amb
}

fn argmax_usize(v: &[usize]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

impl Tagger {
    /// Trains for up to `epochs` epochs per pass and keeps the epoch with the best dev UPOS
    /// accuracy (the last one when `dev` is empty).
    pub fn train(
        train: &[TreeSentence],
        dev: &[TreeSentence],
        epochs: usize,
        log: &mut dyn FnMut(&str),
    ) -> Tagger {
        Self::train_with(train, dev, epochs, log, CONFIG)
    }

    fn train_with(
        train: &[TreeSentence],
        dev: &[TreeSentence],
        epochs: usize,
        log: &mut dyn FnMut(&str),
        cfg: Config,
    ) -> Tagger {
        // Classes: UPOS/XPOS pairs by descending frequency, at most 256 (u8).
        let mut pair_counts: HashMap<(&str, &str), usize> = HashMap::new();
        for s in train {
            for w in &s.words {
                *pair_counts.entry((&w.upos, &w.xpos)).or_default() += 1;
            }
        }
        let mut pairs: Vec<((&str, &str), usize)> = pair_counts.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        pairs.truncate(256);
        if pairs.is_empty() {
            // Nothing to learn from: one class, so that the tagger still answers.
            pairs.push((("X", "_"), 0));
        }
        let class_of: HashMap<(&str, &str), u8> = pairs
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (*p, i as u8))
            .collect();
        // A pair beyond the 256 kept maps to the most frequent class with its XPOS.
        let gold_class = |u: &str, x: &str| -> u8 {
            class_of.get(&(u, x)).copied().unwrap_or_else(|| {
                pairs.iter().position(|((_, px), _)| *px == x).unwrap_or(0) as u8
            })
        };
        let upos: Vec<String> = pairs.iter().map(|((u, _), _)| u.to_string()).collect();
        let xpos: Vec<String> = pairs.iter().map(|((_, x), _)| x.to_string()).collect();
        let n_classes = upos.len().max(1);
        let gold: Vec<Vec<u8>> = train
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| gold_class(&w.upos, &w.xpos))
                    .collect()
            })
            .collect();

        // Word lists: the tag dictionary by exact form, ambiguity classes by lowercased form.
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut lower: HashMap<String, Vec<usize>> = HashMap::new();
        // Jackknifed ambiguity classes: a training sentence sees the classes learned from
        // the other folds, so that rare training words look as they will at test time.
        let mut fold_lower: Vec<HashMap<String, Vec<usize>>> = if cfg.jackknife {
            vec![HashMap::new(); FOLDS]
        } else {
            Vec::new()
        };
        for (si, (s, g)) in train.iter().zip(&gold).enumerate() {
            for (w, &c) in s.words.iter().zip(g) {
                let low = w.form.to_lowercase();
                for (f, fl) in fold_lower.iter_mut().enumerate() {
                    if f != si % FOLDS {
                        fl.entry(low.clone()).or_insert_with(|| vec![0; n_classes])[c as usize] +=
                            1;
                    }
                }
                exact.entry(&w.form).or_insert_with(|| vec![0; n_classes])[c as usize] += 1;
                lower.entry(low).or_insert_with(|| vec![0; n_classes])[c as usize] += 1;
            }
        }
        let mut dict: Vec<(String, u8)> = exact
            .iter()
            .filter_map(|(w, counts)| {
                let total: usize = counts.iter().sum();
                let best = argmax_usize(counts);
                (total >= cfg.dict_min_count
                    && counts[best] as f64 >= cfg.dict_min_share * total as f64)
                    .then(|| (w.to_string(), best as u8))
            })
            .collect();
        dict.sort();
        let (dict_words, dict_classes): (Vec<String>, Vec<u8>) = dict.into_iter().unzip();
        let (amb_words, amb_codes): (Vec<String>, Vec<u32>) =
            amb_lexicon(&lower).into_iter().unzip();
        let lex = Lexicon::new(&dict_words, &dict_classes, &amb_words, &amb_codes);
        let fold_lex: Vec<Lexicon> = fold_lower
            .iter()
            .map(|fl| {
                let (w, c): (Vec<String>, Vec<u32>) = amb_lexicon(fl).into_iter().unzip();
                Lexicon::new(&dict_words, &dict_classes, &w, &c)
            })
            .collect();

        // Every sentence's tokens are prepared once, in both directions.
        let mut chars = Vec::new();
        let mut prep = |lex: &Lexicon, s: &TreeSentence| -> (Vec<Tok>, Vec<Tok>) {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let mut toks = Vec::new();
            lex.prepare(&words, &mut toks, &mut chars);
            let rev = toks.iter().rev().copied().collect();
            (toks, rev)
        };
        let train_toks: Vec<(Vec<Tok>, Vec<Tok>)> = train
            .iter()
            .enumerate()
            .map(|(si, s)| prep(fold_lex.get(si % FOLDS).unwrap_or(&lex), s))
            .collect();
        let dev_toks: Vec<(Vec<Tok>, Vec<Tok>)> = dev.iter().map(|s| prep(&lex, s)).collect();
        let dev_gold: Vec<(Vec<&str>, Vec<&str>)> = dev
            .iter()
            .map(|s| {
                (
                    s.words.iter().map(|w| w.upos.as_str()).collect(),
                    s.words.iter().map(|w| w.xpos.as_str()).collect(),
                )
            })
            .collect();
        let gold_rev: Vec<Vec<u8>> = gold
            .iter()
            .map(|g| g.iter().rev().copied().collect())
            .collect();
        let dict_map = &lex.dict;
        // Dev accuracy of a pass, given the backward pass's scores per dev sentence.
        let dev_eval = |model: &Model, reverse: bool, priors: Option<&[Vec<f32>]>| {
            if dev.is_empty() {
                return None;
            }
            let (mut n, mut u, mut x) = (0usize, 0usize, 0usize);
            let mut sc = Scratch::default();
            for (k, ((fwd, rev), (gu, gx))) in dev_toks.iter().zip(&dev_gold).enumerate() {
                let toks = if reverse { rev } else { fwd };
                let prior = priors.map(|p| (p[k].as_slice(), f32::INFINITY));
                decode(model, dict_map, toks, prior, None, &mut sc);
                if reverse {
                    sc.hist.reverse();
                }
                for (j, &c) in sc.hist.iter().enumerate() {
                    n += 1;
                    u += (upos[c as usize] == gu[j]) as usize;
                    x += (xpos[c as usize] == gx[j]) as usize;
                }
            }
            let (u, x) = (100.0 * u as f64 / n as f64, 100.0 * x as f64 / n as f64);
            // UPOS decides; XPOS breaks ties.
            Some((u + x / 1000.0, format!("UPOS {u:.2}% XPOS {x:.2}%")))
        };

        // The backward pass is trained alone; the forward pass is chosen by the dev
        // accuracy of the two combined.
        let (backward, dev_priors) = if cfg.passes != Passes::Forward {
            log("right-to-left pass");
            let examples: Vec<Example> = train_toks
                .iter()
                .zip(&gold_rev)
                .map(|((_, rev), g)| Example { toks: rev, gold: g })
                .collect();
            let model = train_pass(
                &examples,
                n_classes,
                dict_map,
                epochs,
                cfg.min_abs,
                cfg.min_feature_count,
                &mut |m| dev_eval(m, true, None),
                log,
            );
            let mut sc = Scratch::default();
            let priors: Vec<Vec<f32>> = dev_toks
                .iter()
                .map(|(_, rev)| {
                    let mut keep = Vec::new();
                    decode(&model, dict_map, rev, None, Some(&mut keep), &mut sc);
                    reverse_blocks(&mut keep, n_classes);
                    keep
                })
                .collect();
            (Some(model), Some(priors))
        } else {
            (None, None)
        };
        let forward = if cfg.passes != Passes::Backward {
            log("left-to-right pass");
            let examples: Vec<Example> = train_toks
                .iter()
                .zip(&gold)
                .map(|((fwd, _), g)| Example { toks: fwd, gold: g })
                .collect();
            Some(train_pass(
                &examples,
                n_classes,
                dict_map,
                epochs,
                cfg.min_abs,
                cfg.min_feature_count,
                &mut |m| dev_eval(m, false, dev_priors.as_deref()),
                log,
            ))
        } else {
            None
        };
        let mut tagger = Tagger {
            upos,
            xpos,
            dict_words,
            dict_classes,
            amb_words,
            amb_codes,
            lex,
            backward,
            forward,
            skip_margin: f32::INFINITY,
        };
        // Speed: the forward pass is skipped where the backward pass is clearly right. The
        // smallest margin (in score units, which depend on training) that costs no more
        // than 0.02 points of UPOS or XPOS on dev is kept. On EWT the forward pass then
        // runs on about a third of the tokens.
        if tagger.backward.is_some() && tagger.forward.is_some() && !dev.is_empty() {
            let full = tagger.evaluate(dev);
            let mut chosen = f32::INFINITY;
            for margin in SKIP_MARGINS {
                tagger.skip_margin = margin;
                let s = tagger.evaluate(dev);
                log(&format!(
                    "  skip margin {margin}: dev UPOS {:.2}% XPOS {:.2}%",
                    100.0 * s.upos(),
                    100.0 * s.xpos()
                ));
                if s.upos() < full.upos() - 0.0002 || s.xpos() < full.xpos() - 0.0002 {
                    break;
                }
                chosen = margin;
            }
            tagger.skip_margin = chosen;
            log(&format!("  kept skip margin {}", tagger.skip_margin));
        }
        tagger
    }

    /// Tags one sentence of already tokenized words.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag<'_>> {
        let mut sc = Scratch::default();
        self.tag_classes(words, &mut sc);
        sc.hist
            .iter()
            .map(|&c| Tag {
                upos: &self.upos[c as usize],
                xpos: &self.xpos[c as usize],
            })
            .collect()
    }

    /// Leaves the classes of `words` in `sc.hist`.
    fn tag_classes(&self, words: &[&str], sc: &mut Scratch) {
        self.lex.prepare(words, &mut sc.toks, &mut sc.chars);
        let dict = &self.lex.dict;
        let mut prior = std::mem::take(&mut sc.prior);
        let toks = std::mem::take(&mut sc.toks);
        let mut rev = std::mem::take(&mut sc.rev);
        if let Some(b) = &self.backward {
            rev.clear();
            rev.extend(toks.iter().rev().copied());
            let keep = self.forward.is_some().then_some(&mut prior);
            decode(b, dict, &rev, None, keep, sc);
            sc.hist.reverse();
            reverse_blocks(&mut prior, self.upos.len());
        }
        if let Some(f) = &self.forward {
            let p = self
                .backward
                .is_some()
                .then_some((prior.as_slice(), self.skip_margin));
            decode(f, dict, &toks, p, None, sc);
        }
        (sc.prior, sc.toks, sc.rev) = (prior, toks, rev);
    }

    /// Accuracy against gold tags, on gold tokenization.
    pub fn evaluate(&self, gold: &[TreeSentence]) -> TagScore {
        let mut score = TagScore::default();
        let mut sc = Scratch::default();
        let mut words: Vec<&str> = Vec::new();
        for s in gold {
            words.clear();
            words.extend(s.words.iter().map(|w| w.form.as_str()));
            self.tag_classes(&words, &mut sc);
            for (w, &c) in s.words.iter().zip(&sc.hist) {
                score.tokens += 1;
                score.upos_correct += (self.upos[c as usize] == w.upos) as usize;
                score.xpos_correct += (self.xpos[c as usize] == w.xpos) as usize;
            }
        }
        score
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        perceptron::write_strings(&mut out, &self.upos);
        perceptron::write_strings(&mut out, &self.xpos);
        perceptron::write_strings(&mut out, &self.dict_words);
        out.extend_from_slice(&self.dict_classes);
        perceptron::write_strings(&mut out, &self.amb_words);
        for c in &self.amb_codes {
            out.extend_from_slice(&c.to_le_bytes());
        }
        let passes = self.backward.is_some() as u32 | (self.forward.is_some() as u32) << 1;
        out.extend_from_slice(&passes.to_le_bytes());
        out.extend_from_slice(&self.skip_margin.to_le_bytes());
        for m in self.backward.iter().chain(&self.forward) {
            m.write(&mut out);
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut r = Reader(bytes);
        r.header(MAGIC, VERSION, "tagger")?;
        let upos = r.strings()?;
        let xpos = r.strings()?;
        if upos.len() != xpos.len() || upos.is_empty() || upos.len() > 256 {
            return Err(ModelError("bad tagger class list".into()));
        }
        let dict_words = r.strings()?;
        let dict_classes = r.take(dict_words.len())?.to_vec();
        let amb_words = r.strings()?;
        let amb_codes: Vec<u32> = r
            .take(amb_words.len() * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let passes = r.u32()?;
        if passes == 0 || passes > 3 {
            return Err(ModelError(format!("bad tagger pass set {passes}")));
        }
        let skip_margin = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
        let mut rest = r.0;
        let mut read = |present: bool| -> Result<Option<Model>, ModelError> {
            if !present {
                return Ok(None);
            }
            let (m, after) = Model::read(rest)?;
            rest = after;
            if m.n_classes() != upos.len() {
                return Err(ModelError("tagger classes do not match the weights".into()));
            }
            Ok(Some(m))
        };
        let backward = read(passes & 1 != 0)?;
        let forward = read(passes & 2 != 0)?;
        if !rest.is_empty() {
            return Err(ModelError("trailing bytes after the tagger model".into()));
        }
        if dict_classes.iter().any(|&c| c as usize >= upos.len()) {
            return Err(ModelError("tag dictionary class out of range".into()));
        }
        let lex = Lexicon::new(&dict_words, &dict_classes, &amb_words, &amb_codes);
        Ok(Tagger {
            upos,
            xpos,
            dict_words,
            dict_classes,
            amb_words,
            amb_codes,
            lex,
            backward,
            forward,
            skip_margin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;
    use crate::conllu::corpora::{self, read, DIR};

    fn sentence(text: &str) -> TreeSentence {
        TreeSentence {
            words: text
                .split(' ')
                .map(|w| {
                    let mut parts = w.split('/');
                    let form = parts.next().unwrap();
                    conllu::Word {
                        form: form.into(),
                        upos: parts.next().unwrap().into(),
                        xpos: parts.next().unwrap().into(),
                        ..conllu::Word::default()
                    }
                })
                .collect(),
            ..TreeSentence::default()
        }
    }

    fn toy() -> Vec<TreeSentence> {
        [
            "The/DET/DT troops/NOUN/NNS met/VERB/VBD the/DET/DT protesters/NOUN/NNS ./PUNCT/.",
            "Police/NOUN/NNS arrested/VERB/VBD two/NUM/CD men/NOUN/NNS in/ADP/IN Lima/PROPN/NNP ./PUNCT/.",
            "They/PRON/PRP condemned/VERB/VBD the/DET/DT attack/NOUN/NN ./PUNCT/.",
            "The/DET/DT minister/NOUN/NN left/VERB/VBD Peru/PROPN/NNP on/ADP/IN Monday/PROPN/NNP ./PUNCT/.",
            "Rebels/NOUN/NNS attack/VERB/VBP the/DET/DT capital/NOUN/NN ./PUNCT/.",
            "That/SCONJ/IN they/PRON/PRP left/VERB/VBD is/AUX/VBZ clear/ADJ/JJ ./PUNCT/.",
        ]
        .into_iter()
        .map(sentence)
        .collect()
    }

    fn forms(s: &TreeSentence) -> Vec<&str> {
        s.words.iter().map(|w| w.form.as_str()).collect()
    }

    #[test]
    fn learns_a_toy_treebank_and_round_trips() {
        let data = toy();
        let mut lines = Vec::new();
        let tagger = Tagger::train(&data, &data, 8, &mut |l| lines.push(l.to_string()));
        // Both passes log every epoch with its dev accuracy, then the epoch kept.
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains("epoch") && l.contains("dev UPOS"))
                .count(),
            18
        );
        for s in &data {
            let tags = tagger.tag(&forms(s));
            let want: Vec<Tag> = s
                .words
                .iter()
                .map(|w| Tag {
                    upos: &w.upos,
                    xpos: &w.xpos,
                })
                .collect();
            assert_eq!(tags, want);
        }
        let score = tagger.evaluate(&data);
        assert_eq!(score.tokens, 36);
        assert_eq!((score.upos(), score.xpos()), (1.0, 1.0));

        // "attack" after a noun is a verb, after "the" a noun: context, not the word, decides.
        let tags = tagger.tag(&["Rebels", "attack", "the", "capital"]);
        assert_eq!(tags[1].upos, "VERB");

        let bytes = tagger.to_bytes();
        // Training is deterministic.
        assert_eq!(
            Tagger::train(&data, &data, 8, &mut |_| {}).to_bytes(),
            bytes
        );
        let back = Tagger::from_bytes(&bytes).unwrap();
        for s in &data {
            assert_eq!(back.tag(&forms(s)), tagger.tag(&forms(s)));
        }
        assert!(Tagger::from_bytes(&bytes[..bytes.len() - 3]).is_err());
        assert!(Tagger::from_bytes(b"DYLM\x01\0\0\0").is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Tagger::from_bytes(&longer).is_err());
    }

    #[test]
    fn odd_input_and_empty_training() {
        let tagger = Tagger::train(&toy(), &[], 2, &mut |_| {});
        assert!(tagger.tag(&[]).is_empty());
        let odd = [
            "",
            "ÉTÉ",
            "—",
            "123,456",
            "x-ray",
            "U.S.",
            "😀",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
        ];
        let tags = tagger.tag(&odd);
        assert_eq!(tags.len(), odd.len());
        // Nothing learned: still a valid tagger that answers.
        let empty = Tagger::train(&[], &[], 1, &mut |_| {});
        assert_eq!(empty.tag(&["word"]).len(), 1);
        let back = Tagger::from_bytes(&empty.to_bytes()).unwrap();
        assert_eq!(back.tag(&["word"]).len(), 1);
        assert_eq!(TagScore::default().upos(), 0.0);
    }

    /// Trains on the first 1500 sentences of EWT dev and scores the last 300.
    #[test]
    fn accuracy_smoke_on_ewt_dev() {
        let Some(dev) = corpora::ewt_dev() else {
            return;
        };
        let (train, test) = (&dev[..1500], &dev[dev.len() - 300..]);
        // One pass and two epochs keep this test quick in debug builds.
        let cfg = Config {
            passes: Passes::Backward,
            ..CONFIG
        };
        let tagger = Tagger::train_with(train, &[], 2, &mut |l| eprintln!("{l}"), cfg);
        let s = tagger.evaluate(test);
        eprintln!(
            "UPOS {:.2}% XPOS {:.2}% on {} words",
            100.0 * s.upos(),
            100.0 * s.xpos(),
            s.tokens
        );
        assert!(s.upos() > 0.85, "UPOS {}", s.upos());
        assert!(s.xpos() > 0.82, "XPOS {}", s.xpos());
    }

    /// Tokens per second tagging `data` ten times, by wall clock and by thread CPU time.
    fn speed(tagger: &Tagger, data: &[TreeSentence]) -> String {
        let sents: Vec<Vec<&str>> = data.iter().map(forms).collect();
        let (t0, c0) = (std::time::Instant::now(), thread_cpu_seconds());
        let mut n = 0;
        for _ in 0..10 {
            for s in &sents {
                n += tagger.tag(s).len();
            }
        }
        let (dt, dc) = (t0.elapsed().as_secs_f64(), thread_cpu_seconds() - c0);
        format!(
            "{:.0} tokens/s wall, {:.0} tokens/s of thread CPU time",
            n as f64 / dt,
            n as f64 / dc
        )
    }

    /// Speed of a model saved by the full run with DYAD_TAGGER_SAVE=/tmp/dyad-tagger.bin.
    #[test]
    #[ignore]
    fn tagger_speed_of_saved_model() {
        let test = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpora/ud-english-ewt/en_ewt-ud-test.conllu"
        );
        let (Ok(bytes), Some(test)) = (std::fs::read("/tmp/dyad-tagger.bin"), read(test)) else {
            eprintln!("no saved model or EWT test: skipped");
            return;
        };
        let t0 = std::time::Instant::now();
        let tagger = Tagger::from_bytes(&bytes).unwrap();
        eprintln!("load: {:.1} ms", 1000.0 * t0.elapsed().as_secs_f64());
        for _ in 0..3 {
            eprintln!("speed: {}", speed(&tagger, &test));
        }
    }

    /// (correct, total) lemmas of `gold` lemmatized with the tagger's tags.
    fn lemmas_with_predicted_tags(
        tagger: &Tagger,
        lemmatizer: &crate::lemma::Lemmatizer,
        gold: &[TreeSentence],
    ) -> (usize, usize) {
        let (mut right, mut total) = (0, 0);
        for s in gold {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (w, t) in s.words.iter().zip(tagger.tag(&words)) {
                total += 1;
                right += (lemmatizer.lemma(&w.form, t.upos, t.xpos) == w.lemma.as_str()) as usize;
            }
        }
        (right, total)
    }

    /// CPU time of this thread (Linux; 0 elsewhere), so that speed is not skewed by load.
    fn thread_cpu_seconds() -> f64 {
        let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
            return 0.0;
        };
        let after = stat.rsplit_once(')').map_or("", |(_, a)| a);
        let f: Vec<f64> = after
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        // utime and stime, fields 14 and 15, in clock ticks of 1/100 s.
        (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
    }

    /// Full training run on EWT train (needs `gunzip -c
    /// shared/corpora/ud-english-ewt/en_ewt-ud-train.conllu.gz > /tmp/ewt-train.conllu`):
    /// `cargo test --release -p dyad-lang -- --ignored --nocapture tagger`. Prints accuracy on
    /// EWT dev/test and GUM test (tags, and lemmas with gold and predicted tags), model size
    /// and speed. `DYAD_TAGGER_EPOCHS` (default 12) and `DYAD_TAGGER_CFG` (e.g.
    /// `passes=b,min_abs=0.05,min_feature_count=1`) rerun the experiments behind [`CONFIG`];
    /// `DYAD_TAGGER_SAVE=/tmp/dyad-tagger.bin` keeps the model for `tagger_speed_of_saved_model`.
    #[test]
    #[ignore]
    fn tagger_full_ewt_run() {
        let Some([train, dev, test]) = corpora::ewt_splits() else {
            return;
        };
        let epochs = std::env::var("DYAD_TAGGER_EPOCHS")
            .ok()
            .and_then(|e| e.parse().ok())
            .unwrap_or(12);
        let mut cfg = CONFIG;
        for kv in std::env::var("DYAD_TAGGER_CFG")
            .unwrap_or_default()
            .split(',')
        {
            match kv.split_once('=') {
                Some(("passes", v)) => {
                    cfg.passes = match v {
                        "f" => Passes::Forward,
                        "b" => Passes::Backward,
                        _ => Passes::Both,
                    }
                }
                Some(("jackknife", v)) => cfg.jackknife = v == "1",
                Some(("min_abs", v)) => cfg.min_abs = v.parse().unwrap(),
                Some(("dict_min_count", v)) => cfg.dict_min_count = v.parse().unwrap(),
                Some(("dict_min_share", v)) => cfg.dict_min_share = v.parse().unwrap(),
                Some(("min_feature_count", v)) => cfg.min_feature_count = v.parse().unwrap(),
                _ => {}
            }
        }
        eprintln!("{cfg:?}");
        let t0 = std::time::Instant::now();
        let tagger = Tagger::train_with(&train, &dev, epochs, &mut |l| eprintln!("{l}"), cfg);
        eprintln!("training: {:.1} s", t0.elapsed().as_secs_f64());
        let bytes = tagger.to_bytes();
        eprintln!("serialized: {} bytes", bytes.len());
        let tagger = Tagger::from_bytes(&bytes).unwrap();
        if let Ok(path) = std::env::var("DYAD_TAGGER_SAVE") {
            std::fs::write(path, &bytes).unwrap();
        }
        let lemmatizer = crate::lemma::Lemmatizer::train(&train);
        let gum = read(&format!("{DIR}/ud-english-gum/en_gum-ud-test.conllu"));
        for (name, data) in [
            ("EWT dev", Some(&dev)),
            ("EWT test", Some(&test)),
            ("GUM test", gum.as_ref()),
        ] {
            let Some(data) = data else { continue };
            let s = tagger.evaluate(data);
            let (gold_right, n) = lemmatizer.evaluate(data);
            let (lemma_right, _) = lemmas_with_predicted_tags(&tagger, &lemmatizer, data);
            eprintln!(
                "{name}: UPOS {:.2}% XPOS {:.2}% ({} tokens); lemma {:.2}% with gold tags, \
                 {:.2}% with predicted tags",
                100.0 * s.upos(),
                100.0 * s.xpos(),
                s.tokens,
                100.0 * gold_right as f64 / n as f64,
                100.0 * lemma_right as f64 / n as f64,
            );
        }
        eprintln!("speed: {}", speed(&tagger, &test));
    }
}
