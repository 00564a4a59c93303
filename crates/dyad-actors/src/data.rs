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
        /// Primary first; empty for most international organisations.
        sectors: Vec<String>,
    },
    /// Sector vocabulary ("foreign minister", "troops").
    Sector { sector: String, kind: SectorKind },
    /// A place that is no actor but contains one's name ("South China Sea").
    Region,
    /// An actor known by name whose code depends on the date: office holders ("Joe Biden"
    /// is USA/GOV from 2021-01-20 to 2025-01-20, USA/ELI after), PETRARCH actor entries.
    Named {
        identifier: String,
        /// A person rather than a body (titles and pronouns may refer back to it).
        person: bool,
        roles: Vec<Role>,
    },
    /// A discard phrase ("World Cup"): the sentence, or with `story` the article, is not
    /// coded for events.
    Discard { story: bool },
}

/// One dated role of a [`EntryKind::Named`] actor. Dates are `YYYY-MM-DD`; `from` is
/// inclusive, `to` exclusive; a role with neither is the default outside every dated one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    pub sectors: Vec<String>,
    /// What the role is ("President", "Foreign Minister"), for explanations.
    pub title: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Role {
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether the role is held on `date` (`YYYY-MM-DD`).
    pub fn holds_on(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|f| f <= date)
            && self.to.as_deref().is_none_or(|t| date < t)
    }
}

/// The role that applies on `date`: a dated role held then, else the first undated one;
/// without a date, an open-ended dated role (the current holder), else the undated one.
pub fn role_on<'a>(roles: &'a [Role], date: Option<&str>) -> Option<&'a Role> {
    let dated = |r: &&Role| match date {
        Some(d) => r.is_dated() && r.holds_on(d),
        None => r.from.is_some() && r.to.is_none(),
    };
    roles
        .iter()
        .find(dated)
        .or_else(|| roles.iter().find(|r| !r.is_dated()))
}

impl Membership {
    pub fn holds_on(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|f| f <= date)
            && self.to.as_deref().is_none_or(|t| date < t)
    }
}

/// Membership of a state in an organisation over a period (`to` exclusive, open if `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The organisation's identifier as in the organisation dictionary.
    pub organisation: String,
    pub member: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub origin: String,
}

/// One surface form and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub form: String,
    pub kind: EntryKind,
    /// Proper names match only as written; sector words match in any case.
    pub case_sensitive: bool,
    /// The form's last word is a stem that may continue ("ARGENTIN" → "Argentina",
    /// "Argentine"), as in TABARI/PETRARCH dictionaries written without a final `_`.
    pub stem: bool,
    /// `file:line` of the dictionary row, for explanations.
    pub origin: String,
}

/// All actor dictionaries, indexed by lowercased surface form.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    pub entries: Vec<Entry>,
    /// Lowercased form → indices into `entries`.
    pub by_form: HashMap<String, Vec<usize>>,
    pub memberships: Vec<Membership>,
    /// Codes are PETRARCH codes whose every sector chunk is part of the CAMEO code
    /// ("ARNGOVFRM"); set by the PETRARCH readers.
    pub full_codes: bool,
}

const COUNTRIES: &str = include_str!("../data/countries.tsv");
const IGOS: &str = include_str!("../data/igos.tsv");
const SECTORS: &str = include_str!("../data/sectors.tsv");
const REGIONS: &str = include_str!("../data/regions.tsv");
const PEOPLE: &str = include_str!("../data/people.tsv");
const ORGANISATIONS: &str = include_str!("../data/organisations.tsv");
const TERRITORIES: &str = include_str!("../data/territories.tsv");
const DATED_ORGANISATIONS: &str = include_str!("../data/dated_organisations.tsv");
const MEMBERSHIPS: &str = include_str!("../data/memberships.tsv");

/// A `YYYY-MM-DD` (or `YYYYMMDD`) field, or `None` when empty.
fn date_field(file: &str, line: usize, raw: &str) -> Result<Option<String>, DataError> {
    if raw.is_empty() {
        return Ok(None);
    }
    dyad_core::normalise_date(raw)
        .map(Some)
        .map_err(|e| DataError::new(file, line, e.to_string()))
}

fn check_code(file: &str, line: usize, code: &str) -> Result<(), DataError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(DataError::new(
            file,
            line,
            format!("actor code {code:?} is not three capital letters"),
        ))
    }
}

impl Dictionary {
    /// The dictionaries shipped with dyad.
    pub fn builtin() -> Result<Self, DataError> {
        let mut d = Dictionary::default();
        d.add_countries("countries.tsv", COUNTRIES)?;
        d.add_organisations("igos.tsv", IGOS)?;
        d.add_sectors("sectors.tsv", SECTORS)?;
        d.add_regions("regions.tsv", REGIONS)?;
        d.add_organisations("organisations.tsv", ORGANISATIONS)?;
        d.add_organisations("territories.tsv", TERRITORIES)?;
        d.add_named("people.tsv", PEOPLE, true)?;
        d.add_named("dated_organisations.tsv", DATED_ORGANISATIONS, false)?;
        d.add_memberships("memberships.tsv", MEMBERSHIPS)?;
        Ok(d)
    }

    /// The forms of places (states, cities, regions), of organisations and of demonyms: the
    /// name recognizer's gazetteer lists.
    pub fn gazetteer_names(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (mut places, mut orgs, mut demonyms) = (Vec::new(), Vec::new(), Vec::new());
        for e in &self.entries {
            match &e.kind {
                EntryKind::CountryName { .. } | EntryKind::City { .. } | EntryKind::Region => {
                    places.push(e.form.clone())
                }
                EntryKind::Organisation { .. } => orgs.push(e.form.clone()),
                EntryKind::CountryAdjective { .. } => demonyms.push(e.form.clone()),
                EntryKind::Sector { .. } | EntryKind::Named { .. } | EntryKind::Discard { .. } => {}
            }
        }
        (places, orgs, demonyms)
    }

    /// `identifier  aliases  code  sector  title  from  to  note`: one row per dated role; rows
    /// with the same identifier add roles to one actor (a person, or with `person` false an
    /// organisation such as the Taliban), and a row without dates is the default outside
    /// every dated role (for people usually ELI, a former official).
    pub fn add_named(&mut self, file: &str, text: &str, person: bool) -> Result<(), DataError> {
        // identifier → (aliases, roles, first line)
        let mut people: Vec<(String, Vec<String>, Vec<Role>, usize)> = Vec::new();
        for row in rows(file, text, 8) {
            let (line, c) = row?;
            check_code(file, line, c[2])?;
            let role = Role {
                code: c[2].to_string(),
                sectors: split_list(c[3]).map(str::to_string).collect(),
                title: c[4].to_string(),
                from: date_field(file, line, c[5])?,
                to: date_field(file, line, c[6])?,
            };
            if let (Some(f), Some(t)) = (&role.from, &role.to) {
                if f >= t {
                    return Err(DataError::new(
                        file,
                        line,
                        format!("role ends ({t}) before it starts ({f})"),
                    ));
                }
            }
            match people.iter_mut().find(|p| p.0 == c[0]) {
                Some(p) => {
                    p.1.extend(split_list(c[1]).map(str::to_string));
                    p.2.push(role);
                }
                None => people.push((
                    c[0].to_string(),
                    split_list(c[1]).map(str::to_string).collect(),
                    vec![role],
                    line,
                )),
            }
        }
        for (identifier, aliases, roles, line) in people {
            let kind = EntryKind::Named {
                identifier: identifier.clone(),
                person,
                roles,
            };
            let forms =
                std::iter::once(identifier.as_str()).chain(aliases.iter().map(String::as_str));
            self.push_forms(forms, &kind, true, &format!("{file}:{line}"));
        }
        Ok(())
    }

    /// `organisation  member  from  to  note`: the organisation by its identifier in the
    /// organisation dictionary, the member by its ISO code.
    pub fn add_memberships(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 5) {
            let (line, c) = row?;
            let known = self.entries.iter().any(|e| {
                matches!(&e.kind, EntryKind::Organisation { identifier, .. } if identifier == c[0])
            });
            if !known {
                return Err(DataError::new(
                    file,
                    line,
                    format!(
                        "organisation {:?} is not in the organisation dictionary",
                        c[0]
                    ),
                ));
            }
            check_code(file, line, c[1])?;
            self.memberships.push(Membership {
                organisation: c[0].to_string(),
                member: c[1].to_string(),
                from: date_field(file, line, c[2])?,
                to: date_field(file, line, c[3])?,
                origin: format!("{file}:{line}"),
            });
        }
        Ok(())
    }

    /// Members of an organisation (by identifier) on `date`, or every member ever listed
    /// when no date is given.
    pub fn members(&self, organisation: &str, date: Option<&str>) -> Vec<&Membership> {
        self.memberships
            .iter()
            .filter(|m| m.organisation == organisation)
            .filter(|m| date.is_none_or(|d| m.holds_on(d)))
            .collect()
    }

    /// Organisations a state belongs to on `date`.
    pub fn memberships_of(&self, member: &str, date: &str) -> Vec<&Membership> {
        self.memberships
            .iter()
            .filter(|m| m.member == member && m.holds_on(date))
            .collect()
    }

    /// Adds every form in `forms` with one meaning, from one row of a built-in file (whole
    /// words, not stems).
    fn push_forms<'a>(
        &mut self,
        forms: impl IntoIterator<Item = &'a str>,
        kind: &EntryKind,
        case_sensitive: bool,
        origin: &str,
    ) {
        for form in forms {
            for variant in variants(form) {
                self.push(Entry {
                    form: variant,
                    kind: kind.clone(),
                    case_sensitive,
                    stem: false,
                    origin: origin.to_string(),
                });
            }
        }
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
            let names = std::iter::once(c[1]).chain(split_list(c[2]));
            self.push_forms(
                names,
                &EntryKind::CountryName { code: code.clone() },
                true,
                &origin,
            );
            let adjectives = EntryKind::CountryAdjective { code: code.clone() };
            self.push_forms(split_list(c[3]), &adjectives, true, &origin);
            self.push_forms(split_list(c[4]), &EntryKind::City { code }, true, &origin);
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
                sectors: split_list(c[4]).map(str::to_string).collect(),
            };
            let forms = std::iter::once(c[1])
                .chain(split_list(c[2]))
                .chain(split_list(c[3]));
            self.push_forms(forms, &kind, true, &format!("{file}:{line}"));
        }
        Ok(())
    }

    /// `forms`
    pub fn add_regions(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 1) {
            let (line, c) = row?;
            self.push_forms(
                split_list(c[0]),
                &EntryKind::Region,
                true,
                &format!("{file}:{line}"),
            );
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
            let entry = EntryKind::Sector {
                sector: c[1].to_string(),
                kind,
            };
            self.push_forms(split_list(c[0]), &entry, false, &format!("{file}:{line}"));
        }
        Ok(())
    }
}

/// PLOVER's codes for actors that are no state (manual, "Non-state international actors").
pub fn is_international_code(code: &str) -> bool {
    matches!(code, "IGO" | "UNO" | "EUR" | "NGO" | "ISM" | "IMG" | "MNC")
}

/// The spellings news uses for one name: as written, with "of the" for "of" and back
/// ("Alliance of the Sahel States"), hyphens as spaces ("Timor Leste"), and without
/// diacritics ("Cote d'Ivoire", "Medecins Sans Frontieres").
pub fn variants(form: &str) -> Vec<String> {
    let mut out = vec![form.to_string()];
    let mut add = |v: String| {
        if !out.contains(&v) {
            out.push(v);
        }
    };
    if form.contains(" of the ") {
        add(form.replace(" of the ", " of "));
    } else if form.contains(" of ") && form.split_whitespace().count() >= 3 {
        add(form.replacen(" of ", " of the ", 1));
    }
    if form.contains('-') && form.split('-').all(|p| p.chars().count() >= 3) {
        add(form.replace('-', " "));
    }
    let folded = fold_diacritics(form);
    if folded != form {
        add(folded);
    }
    out
}

/// Latin letters with accents as their base letter (the names in dyad's data use few).
fn fold_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'É' => 'E',
            'Ô' => 'O',
            'Ç' => 'C',
            other => other,
        })
        .collect()
}
