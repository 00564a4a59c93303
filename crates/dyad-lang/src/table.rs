//! The frozen perceptron's feature index: feature hash → the range of its weights.
//!
//! Scoring is bound by memory latency, not arithmetic: a parser transition looks up about a
//! hundred features in tables of several MB that live in L3. A general hash map puts a
//! feature's control byte, key and value on different cache lines and runs a branchy probe per
//! feature, so only a few lookups are in flight at once. This table keeps key and range in
//! one 16-byte slot with linear probing, and [`FeatureTable::gather`] first touches every
//! feature's slot in a tight loop, so that their cache misses overlap, before probing.

/// One slot: a feature hash and its entries `start..end`; `start == EMPTY` marks a free slot.
#[derive(Clone, Copy, Debug)]
struct Slot {
    key: u64,
    start: u32,
    end: u32,
}

const EMPTY: u32 = u32::MAX;

impl Slot {
    const FREE: Slot = Slot {
        key: 0,
        start: EMPTY,
        end: EMPTY,
    };

    fn is_free(&self) -> bool {
        self.start == EMPTY
    }
}

#[derive(Clone, Debug, Default)]
pub struct FeatureTable {
    slots: Vec<Slot>,
    mask: usize,
    len: usize,
}

/// Features looked up per batch in [`FeatureTable::gather`] (a stack buffer; longer lists
/// go in several batches).
const BATCH: usize = 128;

impl FeatureTable {
    /// A table for `n` features, at most half full so that probes stay short.
    pub fn with_capacity(n: usize) -> FeatureTable {
        let cap = (n.max(1) * 2).next_power_of_two();
        FeatureTable {
            slots: vec![Slot::FREE; cap],
            mask: cap - 1,
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn home(&self, key: u64) -> usize {
        // Keys are already hashes; fold the high bits in so that low bits alone do not decide.
        (key ^ (key >> 32)) as usize & self.mask
    }

    /// Inserts or replaces `key`'s range `start..end` (`start` below `u32::MAX`).
    pub fn insert(&mut self, key: u64, start: u32, end: u32) {
        assert!(start != EMPTY, "range start {start} is reserved");
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut i = self.home(key);
        loop {
            let s = &mut self.slots[i];
            if s.is_free() || s.key == key {
                if s.is_free() {
                    self.len += 1;
                }
                *s = Slot { key, start, end };
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        *self = FeatureTable::with_capacity(old.len().max(8));
        for s in old.into_iter().filter(|s| !s.is_free()) {
            self.insert(s.key, s.start, s.end);
        }
    }

    /// The range of `key`'s entries.
    pub fn get(&self, key: u64) -> Option<(u32, u32)> {
        self.probe_from(self.home(key), key)
    }

    /// Calls `each(start, end)` for every feature of `feats` present in the table, in order.
    /// `touch(start)` is called for all of a batch's ranges before the first `each`, so that
    /// the caller can start the loads of the weights too.
    pub fn gather(
        &self,
        feats: &[u64],
        mut touch: impl FnMut(u32) -> u64,
        mut each: impl FnMut(u32, u32),
    ) {
        let mut homes = [0usize; BATCH];
        let mut found = [(0u32, 0u32); BATCH];
        for chunk in feats.chunks(BATCH) {
            // Touch every home slot first: independent loads whose misses overlap.
            let mut touched = 0u64;
            for (h, &f) in homes.iter_mut().zip(chunk) {
                *h = self.home(f);
                touched ^= self.slots[*h].key;
            }
            let mut n = 0;
            for (&h, &f) in homes.iter().zip(chunk) {
                if let Some(r) = self.probe_from(h, f) {
                    found[n] = r;
                    n += 1;
                    touched ^= touch(r.0);
                }
            }
            std::hint::black_box(touched);
            for &(a, b) in &found[..n] {
                each(a, b);
            }
        }
    }

    fn probe_from(&self, mut i: usize, key: u64) -> Option<(u32, u32)> {
        loop {
            let s = self.slots[i];
            if s.is_free() {
                return None;
            }
            if s.key == key {
                return Some((s.start, s.end));
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Every stored feature and its range, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, (u32, u32))> + '_ {
        self.slots
            .iter()
            .filter(|s| !s.is_free())
            .map(|s| (s.key, (s.start, s.end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_through_growth_and_collisions() {
        let mut t = FeatureTable::with_capacity(2);
        // Keys that share their home slot collide and must probe past each other.
        let keys: Vec<u64> = (0..1000u64).map(|k| k << 40 | k).collect();
        for (i, &k) in keys.iter().enumerate() {
            t.insert(k, i as u32 * 3, i as u32 * 3 + 2);
        }
        assert_eq!(t.len(), 1000);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k), Some((i as u32 * 3, i as u32 * 3 + 2)));
        }
        assert_eq!(t.get(0xdead_beef), None);
        t.insert(keys[5], 7, 8);
        assert_eq!(t.len(), 1000);
        assert_eq!(t.get(keys[5]), Some((7, 8)));
        let mut seen = Vec::new();
        let probe = [keys[1], 42, keys[2]];
        t.gather(&probe, |_| 0, |a, b| seen.push((a, b)));
        assert_eq!(seen, vec![(3, 5), (6, 8)]);
        assert_eq!(t.iter().count(), 1000);
    }

    #[test]
    fn gathers_lists_longer_than_one_batch() {
        let mut t = FeatureTable::with_capacity(500);
        for k in 0..500u64 {
            t.insert(k * 7919, k as u32, k as u32 + 1);
        }
        let feats: Vec<u64> = (0..500u64).map(|k| k * 7919).collect();
        let mut n = 0;
        t.gather(
            &feats,
            |_| 0,
            |a, b| {
                assert_eq!(b, a + 1);
                n += 1
            },
        );
        assert_eq!(n, 500);
    }
}
