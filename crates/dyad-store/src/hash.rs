//! Stable hashes (FNV-1a, SplitMix64) and MinHash signatures for near-duplicate articles.
//! Written out here rather than taken from `std` because the values are stored in the
//! database and must not change with the Rust version.

/// Hash functions in a MinHash signature.
pub const PERMUTATIONS: usize = 64;
/// LSH bands: two articles are compared when one band of their signatures is equal.
/// With 16 bands of 4 rows a pair at Jaccard 0.7 is a candidate with probability 0.99.
pub const BANDS: usize = 16;
const ROWS: usize = PERMUTATIONS / BANDS;
/// Words per shingle.
const SHINGLE: usize = 3;

pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a over several fields, each followed by a separator byte so that ("ab", "c") and
/// ("a", "bc") differ.
pub fn fnv64_fields<'a>(fields: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut buf = Vec::new();
    for f in fields {
        buf.extend_from_slice(f.as_bytes());
        buf.push(0x1f);
    }
    fnv64(&buf)
}

pub fn hex(h: u64) -> String {
    format!("{h:016x}")
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash signature of the text's lowercased word 3-shingles; `None` for a text
/// without words (such articles are never grouped by similarity).
pub fn minhash(text: &str) -> Option<Vec<u64>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    let seeds: Vec<u64> = (0..PERMUTATIONS as u64).map(|i| mix(i + 1)).collect();
    let mut sig = vec![u64::MAX; PERMUTATIONS];
    for shingle in words.windows(SHINGLE.min(words.len())) {
        let h = fnv64_fields(shingle.iter().map(String::as_str));
        for (slot, seed) in sig.iter_mut().zip(&seeds) {
            *slot = (*slot).min(mix(h ^ seed));
        }
    }
    Some(sig)
}

/// One key per LSH band (the band's index is part of the key).
pub fn bands(sig: &[u64]) -> Vec<i64> {
    sig.chunks(ROWS)
        .enumerate()
        .map(|(b, rows)| {
            let mut bytes = (b as u64).to_le_bytes().to_vec();
            rows.iter().for_each(|r| bytes.extend(r.to_le_bytes()));
            fnv64(&bytes) as i64
        })
        .collect()
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / PERMUTATIONS as f64
}

pub fn to_blob(sig: &[u64]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn from_blob(blob: &[u8]) -> Vec<u64> {
    blob.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Howard Hinnant's `days_from_civil`).
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.get(..10)?.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-03-01"), Some(19783));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2024-13-01"), None);
    }

    #[test]
    fn near_copies_are_similar_and_other_texts_are_not() {
        let base =
            "The foreign ministers of the two countries met in Geneva on Tuesday to discuss \
                    the ceasefire, the exchange of prisoners and the reopening of the border \
                    crossings that were closed last year after the fighting began in the north.";
        let edited = base
            .replace("Tuesday", "Wednesday")
            .replace("north", "north east");
        let other = "Heavy rain flooded the capital and thousands of residents left their homes \
                     as the river rose above its banks for the second time this month.";
        let (a, b, c) = (
            minhash(base).unwrap(),
            minhash(&edited).unwrap(),
            minhash(other).unwrap(),
        );
        assert!(similarity(&a, &b) > 0.6, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1);
        assert_eq!(from_blob(&to_blob(&a)), a);
        assert!(bands(&a).iter().zip(bands(&b)).any(|(x, y)| *x == y));
    }
}
