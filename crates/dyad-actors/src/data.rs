//! Reading the actor dictionaries (TSV) into one table of surface forms.

use std::collections::HashMap;

pub use dyad_core::tsv::DataError;
use dyad_core::tsv::{list as split_list, rows};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectorKind {
    /// A role that can precede a name: "Foreign Minister Wang Yi".
    Title,
    /// A collective or body: "troops", "the government".
    Group,
    /// A person noun that is not a title: "a farmer".
    Person,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A state's name ("China", "Ivory Coast").
    CountryName { code: String },
    /// A demonym or adjective ("Chinese", "Kenyans").
    CountryAdjective { code: String },
    /// A capital, city or institution used as a metonym ("Beijing", "Kremlin").
    City { code: String },
    /// An organisation ("ASEAN", "United Nations Security Council").
    Organisation {
        code: String,
        identifier: String,
        sector: Option<String>,
    },
    /// Sector vocabulary ("foreign minister", "troops").
    Sector { sector: String, kind: SectorKind },
    /// A place that is no actor but contains one's name ("South China Sea").
    Region,
}

/// One surface form and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub form: String,
    pub kind: EntryKind,
    /// Proper names match only as written; sector words match in any case.
    pub case_sensitive: bool,
    /// `file:line` of the dictionary row, for explanations.
    pub origin: String,
}

/// All actor dictionaries, indexed by lowercased surface form.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    pub entries: Vec<Entry>,
    /// Lowercased form → indices into `entries`.
    pub by_form: HashMap<String, Vec<usize>>,
}

const COUNTRIES: &str = include_str!("../data/countries.tsv");
const IGOS: &str = include_str!("../data/igos.tsv");
const SECTORS: &str = include_str!("../data/sectors.tsv");
const REGIONS: &str = include_str!("../data/regions.tsv");

impl Dictionary {
    /// The dictionaries shipped with dyad.
    pub fn builtin() -> Result<Self, DataError> {
        let mut d = Dictionary::default();
        d.add_countries("countries.tsv", COUNTRIES)?;
        d.add_organisations("igos.tsv", IGOS)?;
        d.add_sectors("sectors.tsv", SECTORS)?;
        d.add_regions("regions.tsv", REGIONS)?;
        Ok(d)
    }

    pub fn push(&mut self, entry: Entry) {
        let key = entry.form.to_lowercase();
        let list = self.by_form.entry(key).or_default();
        // The same form listed twice with the same meaning is kept once.
        if list.iter().any(|&i| self.entries[i].kind == entry.kind) {
            return;
        }
        list.push(self.entries.len());
        self.entries.push(entry);
    }

    /// `iso3  name  names  adjectives  cities`
    pub fn add_countries(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 5) {
            let (line, c) = row?;
            let code = c[0].to_string();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(DataError::new(
                    file,
                    line,
                    format!("country code {code:?} is not three capital letters"),
                ));
            }
            let origin = format!("{file}:{line}");
            let mut add = |form: &str, kind: EntryKind| {
                self.push(Entry {
                    form: form.to_string(),
                    kind,
                    case_sensitive: true,
                    origin: origin.clone(),
                })
            };
            for name in std::iter::once(c[1]).chain(split_list(c[2])) {
                add(name, EntryKind::CountryName { code: code.clone() });
            }
            for adj in split_list(c[3]) {
                add(adj, EntryKind::CountryAdjective { code: code.clone() });
            }
            for city in split_list(c[4]) {
                add(city, EntryKind::City { code: code.clone() });
            }
        }
        Ok(())
    }

    /// `code  identifier  names  acronyms  sector`
    pub fn add_organisations(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 5) {
            let (line, c) = row?;
            let kind = EntryKind::Organisation {
                code: c[0].to_string(),
                identifier: c[1].to_string(),
                sector: (!c[4].is_empty()).then(|| c[4].to_string()),
            };
            for form in std::iter::once(c[1])
                .chain(split_list(c[2]))
                .chain(split_list(c[3]))
            {
                self.push(Entry {
                    form: form.to_string(),
                    kind: kind.clone(),
                    case_sensitive: true,
                    origin: format!("{file}:{line}"),
                });
            }
        }
        Ok(())
    }

    /// `forms`
    pub fn add_regions(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 1) {
            let (line, c) = row?;
            for form in split_list(c[0]) {
                self.push(Entry {
                    form: form.to_string(),
                    kind: EntryKind::Region,
                    case_sensitive: true,
                    origin: format!("{file}:{line}"),
                });
            }
        }
        Ok(())
    }

    /// `forms  sector  kind`
    pub fn add_sectors(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 3) {
            let (line, c) = row?;
            let kind = match c[2] {
                "title" => SectorKind::Title,
                "group" => SectorKind::Group,
                "person" => SectorKind::Person,
                other => {
                    return Err(DataError::new(
                        file,
                        line,
                        format!("sector kind {other:?} is not title, group or person"),
                    ))
                }
            };
            for form in split_list(c[0]) {
                self.push(Entry {
                    form: form.to_string(),
                    kind: EntryKind::Sector {
                        sector: c[1].to_string(),
                        kind,
                    },
                    case_sensitive: false,
                    origin: format!("{file}:{line}"),
                });
            }
        }
        Ok(())
    }
}
