//! The averaged perceptron shared by the tagger, the parser and the name recognizer, and its
//! compact frozen form.
//!
//! Features are 64-bit hashes of feature strings ([`feature`]). Training keeps dense rows
//! with averaging bookkeeping; [`Trainer::freeze`] averages, prunes near-zero weights and
//! stores the rest sparsely as (class, i16) pairs with one scale per model, which keeps the
//! shipped weights at a few MB and loading at a few milliseconds.

use crate::table::FeatureTable;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a over the parts of a feature, with a separator byte so that ("ab","c") ≠ ("a","bc").
pub fn feature(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Keys are already hashes: the map needs no second hash.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Mix once so that keys with equal low bits spread over buckets.
        self.0 = n ^ (n >> 29);
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

struct Row {
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
}

/// A multiclass averaged perceptron under training.
pub struct Trainer {
    n_classes: usize,
    rows: IdMap<Row>,
    /// Number of updates seen (the averaging clock).
    clock: u32,
}

impl Trainer {
    pub fn new(n_classes: usize) -> Self {
        assert!(n_classes <= 256, "classes are stored as u8");
        Trainer {
            n_classes,
            rows: IdMap::default(),
            clock: 0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Current (not averaged) scores.
    pub fn scores(&self, feats: &[u64]) -> Vec<f32> {
        let mut s = vec![0.0; self.n_classes];
        for f in feats {
            if let Some(row) = self.rows.get(f) {
                for (x, w) in s.iter_mut().zip(&row.w) {
                    *x += w;
                }
            }
        }
        s
    }

    /// Adds the current (not averaged) scores of `feats` into `out` (length `n_classes`).
    pub fn add_scores(&self, feats: &[u64], out: &mut [f32]) {
        for f in feats {
            if let Some(row) = self.rows.get(f) {
                for (x, w) in out.iter_mut().zip(&row.w) {
                    *x += w;
                }
            }
        }
    }

    /// Adds `delta` to the weights of `feats` for `class` (a structured update's half).
    pub fn add(&mut self, feats: &[u64], class: usize, delta: f32) {
        for &f in feats {
            self.bump(f, class, delta);
        }
    }

    /// Advances the averaging clock; call once per training example.
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    fn bump(&mut self, f: u64, class: usize, delta: f32) {
        let n = self.n_classes;
        let clock = self.clock;
        let row = self.rows.entry(f).or_insert_with(|| Row {
            w: vec![0.0; n],
            total: vec![0.0; n],
            stamp: vec![0; n],
        });
        row.total[class] += (clock - row.stamp[class]) as f64 * row.w[class] as f64;
        row.stamp[class] = clock;
        row.w[class] += delta;
    }

    /// The perceptron update: reward the truth, penalise the guess.
    pub fn update(&mut self, truth: usize, guess: usize, feats: &[u64]) {
        if truth == guess {
            return;
        }
        for &f in feats {
            self.bump(f, truth, 1.0);
            self.bump(f, guess, -1.0);
        }
    }

    /// Averages the weights and keeps those with |w| ≥ `min_abs`.
    pub fn freeze(&self, min_abs: f32) -> Model {
        let clock = self.clock.max(1) as f64;
        let mut keys: Vec<u64> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let mut rows: Vec<(u64, Vec<(u8, f32)>)> = Vec::new();
        let mut max_abs: f32 = 0.0;
        for k in keys {
            let row = &self.rows[&k];
            let mut entries = Vec::new();
            for c in 0..self.n_classes {
                let total = row.total[c] + (self.clock - row.stamp[c]) as f64 * row.w[c] as f64;
                let avg = (total / clock) as f32;
                if avg.abs() >= min_abs {
                    entries.push((c as u8, avg));
                    max_abs = max_abs.max(avg.abs());
                }
            }
            if !entries.is_empty() {
                rows.push((k, entries));
            }
        }
        Model::from_rows(self.n_classes, rows, max_abs)
    }
}

impl Model {
    /// A model from sparse rows sorted by key; `max_abs` is the largest |weight|.
    fn from_rows(n_classes: usize, rows: Vec<(u64, Vec<(u8, f32)>)>, max_abs: f32) -> Model {
        let scale = if max_abs > 0.0 {
            max_abs / i16::MAX as f32
        } else {
            1.0
        };
        let mut m = Model {
            n_classes,
            scale,
            index: FeatureTable::with_capacity(rows.len()),
            offsets: vec![0],
            classes: Vec::new(),
            weights: Vec::new(),
            packed: Vec::new(),
        };
        for (k, entries) in rows {
            let start = m.classes.len() as u32;
            for (c, w) in entries {
                m.classes.push(c);
                m.weights.push((w / scale).round() as i16);
            }
            m.index.insert(k, start, m.classes.len() as u32);
            m.offsets.push(m.classes.len() as u32);
        }
        m.packed = pack(&m.classes, &m.weights);
        m
    }

    /// The mean of models over the same classes (a model scoring the mean of their
    /// scores), keeping weights with |w| ≥ `min_abs`. Averaging perceptrons trained on
    /// differently shuffled data lowers the variance that the order of updates brings.
    pub fn mean(models: &[Model], min_abs: f32) -> Model {
        let n_classes = models.first().map_or(0, |m| m.n_classes);
        let mut sums: IdMap<Vec<f32>> = IdMap::default();
        for m in models {
            assert_eq!(m.n_classes, n_classes, "models over different classes");
            for (k, (a, b)) in m.index.iter() {
                let row = sums.entry(k).or_insert_with(|| vec![0.0; n_classes]);
                for e in a as usize..b as usize {
                    row[m.classes[e] as usize] += m.weights[e] as f32 * m.scale;
                }
            }
        }
        let n = models.len().max(1) as f32;
        let mut keys: Vec<u64> = sums.keys().copied().collect();
        keys.sort_unstable();
        let mut rows = Vec::new();
        let mut max_abs: f32 = 0.0;
        for k in keys {
            let entries: Vec<(u8, f32)> = sums[&k]
                .iter()
                .enumerate()
                .map(|(c, w)| (c as u8, w / n))
                .filter(|(_, w)| w.abs() >= min_abs)
                .collect();
            for (_, w) in &entries {
                max_abs = max_abs.max(w.abs());
            }
            if !entries.is_empty() {
                rows.push((k, entries));
            }
        }
        Model::from_rows(n_classes, rows, max_abs)
    }
}

/// One entry per (class, weight) in a u32, so that scoring a feature reads one slice.
fn pack(classes: &[u8], weights: &[i16]) -> Vec<u32> {
    classes
        .iter()
        .zip(weights)
        .map(|(&c, &w)| c as u32 | ((w as u16 as u32) << 16))
        .collect()
}

/// A frozen, averaged, sparse perceptron.
#[derive(Clone, Debug, Default)]
pub struct Model {
    n_classes: usize,
    scale: f32,
    /// Feature → its entries' range in `packed` (and in `classes`/`weights`).
    index: FeatureTable,
    offsets: Vec<u32>,
    classes: Vec<u8>,
    weights: Vec<i16>,
    /// `classes` and `weights` interleaved: one cache line per feature when scoring.
    packed: Vec<u32>,
}

/// A model file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model data: {0}")]
pub struct ModelError(pub String);

impl Model {
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_features(&self) -> usize {
        self.index.len()
    }

    /// Adds the scores of `feats` into `out` (length `n_classes`).
    pub fn scores_into(&self, feats: &[u64], out: &mut [f32]) {
        // Integer sums in a 256-slot buffer indexed by the class byte: no bounds checks and
        // no int→float conversion per weight (the sums are exact either way).
        let mut acc = [0i32; 256];
        let touch = |a: u32| self.packed.get(a as usize).map_or(0, |&e| u64::from(e));
        self.index.gather(feats, touch, |a, b| {
            for e in &self.packed[a as usize..b as usize] {
                acc[(e & 0xff) as usize] += i32::from((e >> 16) as u16 as i16);
            }
        });
        // One multiplication per class instead of one per weight.
        for (x, &a) in out.iter_mut().zip(&acc) {
            *x = a as f32 * self.scale;
        }
    }

    /// Adds the scores of `feats` into `out` (cheaper than [`Model::scores_into`] for a
    /// handful of features).
    pub fn add_scores(&self, feats: &[u64], out: &mut [f32]) {
        for &f in feats {
            if let Some((a, b)) = self.index.get(f) {
                for e in &self.packed[a as usize..b as usize] {
                    if let Some(x) = out.get_mut((e & 0xff) as usize) {
                        *x += f32::from((e >> 16) as u16 as i16) * self.scale;
                    }
                }
            }
        }
    }

    pub fn scores(&self, feats: &[u64]) -> Vec<f32> {
        let mut out = vec![0.0; self.n_classes];
        self.scores_into(feats, &mut out);
        out
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, r)| (k, r.0)).collect();
        keys.sort_unstable_by_key(|(_, r)| *r);
        out.extend_from_slice(b"DYPM");
        out.extend_from_slice(&(self.n_classes as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for (k, _) in &keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for o in &self.offsets {
            out.extend_from_slice(&o.to_le_bytes());
        }
        out.extend_from_slice(&self.classes);
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    /// Reads a model written by [`Model::write`]; returns it and the bytes after it.
    pub fn read(bytes: &[u8]) -> Result<(Model, &[u8]), ModelError> {
        let mut r = Reader(bytes);
        if r.take(4)? != b"DYPM" {
            return Err(ModelError("not a perceptron model".into()));
        }
        let n_classes = r.u32()? as usize;
        let scale = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
        let n_rows = r.u32()? as usize;
        let n_entries = r.u32()? as usize;
        let keys = r.take(n_rows * 8)?;
        let offsets: Vec<u32> = r
            .take((n_rows + 1) * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        if offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().is_some_and(|&e| e as usize != n_entries)
            || n_entries >= u32::MAX as usize
        {
            return Err(ModelError("perceptron offsets are inconsistent".into()));
        }
        let mut index = FeatureTable::with_capacity(n_rows);
        for (i, k) in keys.chunks_exact(8).enumerate() {
            index.insert(
                u64::from_le_bytes(k.try_into().unwrap()),
                offsets[i],
                offsets[i + 1],
            );
        }
        let classes = r.take(n_entries)?.to_vec();
        let weights: Vec<i16> = r
            .take(n_entries * 2)?
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let packed = pack(&classes, &weights);
        Ok((
            Model {
                n_classes,
                scale,
                index,
                offsets,
                classes,
                weights,
                packed,
            },
            r.0,
        ))
    }
}

/// A little-endian cursor over model bytes.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError("truncated".into()));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    /// Checks a model's magic bytes and format version.
    pub fn header(&mut self, magic: &[u8], version: u32, what: &str) -> Result<(), ModelError> {
        if self.take(magic.len())? != magic {
            return Err(ModelError(format!("not a {what} model")));
        }
        let found = self.u32()?;
        if found != version {
            return Err(ModelError(format!(
                "{what} model version {found}, expected {version}"
            )));
        }
        Ok(())
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    /// A length-prefixed UTF-8 string.
    pub fn string(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| ModelError("invalid UTF-8".into()))
    }
    /// A length-prefixed list of strings.
    pub fn strings(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.string()).collect()
    }
}

/// Writes a length-prefixed string.
pub fn write_string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Writes a length-prefixed list of strings.
pub fn write_strings(out: &mut Vec<u8>, list: &[String]) {
    out.extend_from_slice(&(list.len() as u32).to_le_bytes());
    for s in list {
        write_string(out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        // Class = which of two features is present.
        let (a, b, bias) = (feature(&["a"]), feature(&["b"]), feature(&["bias"]));
        let data = [(vec![a, bias], 0usize), (vec![b, bias], 1)];
        let mut t = Trainer::new(2);
        for _ in 0..5 {
            for (f, y) in &data {
                let s = t.scores(f);
                let guess = if s[1] > s[0] { 1 } else { 0 };
                t.update(*y, guess, f);
                t.tick();
            }
        }
        let m = t.freeze(1e-6);
        let best = |f: &[u64]| {
            let s = m.scores(f);
            if s[1] > s[0] {
                1
            } else {
                0
            }
        };
        assert_eq!(best(&[a, bias]), 0);
        assert_eq!(best(&[b, bias]), 1);
        let mut bytes = Vec::new();
        m.write(&mut bytes);
        bytes.extend_from_slice(b"rest");
        let (back, rest) = Model::read(&bytes).unwrap();
        assert_eq!(rest, b"rest");
        assert_eq!(back.scores(&[a]), m.scores(&[a]));
        assert!(Model::read(&bytes[..10]).is_err());
    }

    #[test]
    fn feature_hash_separates_parts() {
        assert_ne!(feature(&["ab", "c"]), feature(&["a", "bc"]));
        assert_eq!(feature(&["w", "Peru"]), feature(&["w", "Peru"]));
    }
}
