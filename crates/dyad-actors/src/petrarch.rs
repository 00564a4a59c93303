//! Reading PETRARCH/TABARI dictionaries: `*.actors.txt`, `*.agents.txt` and
//! `*.discards.txt` (the verb and issue files are the event coder's business).
//!
//! Conventions, as the PETRARCH2 reader and the files' own headers describe them:
//!
//! - `#` starts a comment to the end of the line; `<!-- ... -->` blocks may span lines, and a
//!   line starting with `<` is a comment; blank lines are skipped.
//! - Words of a phrase are joined by `_` or a space (dyad treats both as adjacent words).
//!   A final `_` means the last word is matched exactly; without it the last word is a
//!   TABARI stem ("ARGENTIN" → "Argentina") — but only when it has at least
//!   [`MIN_STEM`] letters: the PETRARCH validation suite has short codes-as-names ("ENT",
//!   "THE_KU", "THE_AU") that PETRARCH2, which does not stem, matches as whole words, and
//!   stemming them would turn "entire" into an Ent and "The Kuwait" into THE_KU.
//! - Actors: `PHRASE [CODE]`, then `+SYNONYM` lines, then indented code lines
//!   `[CODE]`, `[CODE 770101-120812]`, `[CODE >050501]`, `[CODE <061231]` (several may
//!   share a line). Dates are YYYYMMDD or YYMMDD (YY ≤ 30 is 20YY, as in KEDS/TABARI);
//!   every bound is inclusive. An undated code is the default.
//! - Agents: `PHRASE {PLURALS} [~CODE]` (sector after the actor code) or `[CODE~]` (an
//!   organisation code before it); `{}` suppresses the automatic regular plural;
//!   `!NAME! = A, B, C` defines a substitution set used inside phrases as `!NAME!`.
//! - Discards: `+PHRASE` discards the story, `PHRASE` the sentence.
//!
//! Every function here reads one file's text and returns the problems it found, one per
//! malformed line, with file and line; everything else is loaded.

use crate::data::{DataError, Dictionary, Entry, EntryKind, Role, SectorKind};
use dyad_core::petrarch::content_lines;
use std::collections::HashMap;

/// The shortest final word read as a TABARI stem (see the module notes).
pub const MIN_STEM: usize = 4;

/// Which PETRARCH dictionary a file is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PetrarchFile {
    Actors,
    Agents,
    Discards,
}

impl PetrarchFile {
    /// `X.actors.txt`, `X.agents.txt`, `X.discards.txt` (any case); `None` for other files
    /// (verbs, CAMEO tables, issue coding, prepositions).
    pub fn of(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".actors.txt") {
            Some(PetrarchFile::Actors)
        } else if lower.ends_with(".agents.txt") {
            Some(PetrarchFile::Agents)
        } else if lower.ends_with(".discards.txt") {
            Some(PetrarchFile::Discards)
        } else {
            None
        }
    }
}

/// A phrase as dyad matches it: words joined by single spaces, and whether its last word
/// is a stem.
fn phrase_form(raw: &str) -> Option<(String, bool)> {
    let raw = raw.trim();
    let exact = raw.ends_with('_');
    let form = raw
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if form.is_empty() {
        return None;
    }
    let last = form.rsplit(' ').next().unwrap_or("");
    let stem = !exact && last.chars().filter(|c| c.is_alphabetic()).count() >= MIN_STEM;
    Some((form, stem))
}

/// The `[...]` groups of a line, and the text before the first one.
fn brackets(line: &str) -> Result<(&str, Vec<&str>, &str), String> {
    let head_end = line.find('[').unwrap_or(line.len());
    let mut groups = Vec::new();
    let mut rest = &line[head_end..];
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after
            .find(']')
            .ok_or_else(|| format!("unclosed '[' in {:?}", line.trim()))?;
        groups.push(after[..close].trim());
        rest = &after[close + 1..];
    }
    Ok((&line[..head_end], groups, rest.trim()))
}

/// `YYMMDD` or `YYYYMMDD` → `YYYY-MM-DD`.
fn petrarch_date(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if !raw.bytes().all(|b| b.is_ascii_digit()) || !(raw.len() == 6 || raw.len() == 8) {
        return Err(format!("date {raw:?} is neither YYMMDD nor YYYYMMDD"));
    }
    let n = |s: &str| s.parse::<u32>().expect("digits");
    let (year, md) = if raw.len() == 6 {
        let yy = n(&raw[..2]);
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &raw[2..])
    } else {
        (n(&raw[..4]), &raw[4..])
    };
    let (month, day) = (n(&md[..2]), n(&md[2..]));
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("date {raw:?} is not a calendar date"));
    }
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day after a `YYYY-MM-DD` date (PETRARCH end dates are inclusive, dyad's exclusive).
fn next_day(date: &str) -> String {
    let n = |r: std::ops::Range<usize>| date[r].parse::<u32>().expect("normalised date");
    let (mut y, mut m, mut d) = (n(0..4), n(5..7), n(8..10));
    d += 1;
    if d > days_in_month(y, m) {
        d = 1;
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    format!("{y:04}-{m:02}-{d:02}")
}

/// Splits a PETRARCH code into dyad's country code (`---` → empty) and 3-character sector
/// chunks: `PSEREBHMS` → (`PSE`, [`REB`, `HMS`]). Lowercase codes (`pse`) are upper-cased;
/// of alternatives (`ELR/GAL`) the first is kept.
pub fn split_code(code: &str) -> Result<(String, Vec<String>), String> {
    let first = code
        .split('/')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    if first.chars().count() < 3
        || !first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '#'))
    {
        return Err(format!("code {code:?} is not a PETRARCH actor code"));
    }
    let country = if first.starts_with("---") {
        String::new()
    } else {
        first[..3].to_string()
    };
    Ok((country, chunks(&first[3..])))
}

/// 3-character chunks of a sector string ("GOVFRM" → GOV, FRM); a short tail is kept.
pub fn chunks(s: &str) -> Vec<String> {
    s.as_bytes()
        .chunks(3)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

/// One `[CODE dates]` group as a role.
fn role(group: &str, origin: &str) -> Result<Role, String> {
    let group = group.trim();
    let (code, rest) = match group.find(char::is_whitespace) {
        Some(k) => (&group[..k], group[k..].trim()),
        None => (group, ""),
    };
    let (country, sectors) = split_code(code)?;
    let (mut from, mut to) = (None, None);
    if let Some(d) = rest.strip_prefix('<') {
        to = Some(next_day(&petrarch_date(d)?));
    } else if let Some(d) = rest.strip_prefix('>') {
        from = Some(petrarch_date(d)?);
    } else if let Some((a, b)) = rest.split_once('-') {
        let (a, b) = (petrarch_date(a)?, petrarch_date(b)?);
        if b < a {
            return Err(format!("date range ends ({b}) before it starts ({a})"));
        }
        from = Some(a);
        to = Some(next_day(&b));
    } else if !rest.is_empty() {
        return Err(format!("cannot read the date restriction {rest:?}"));
    }
    Ok(Role {
        code: country,
        sectors,
        title: origin.to_string(),
        from,
        to,
    })
}

impl Dictionary {
    fn push_petrarch(&mut self, form: String, stem: bool, kind: EntryKind, origin: String) {
        self.full_codes = true;
        self.push(Entry {
            form,
            kind,
            case_sensitive: false,
            stem,
            origin,
        });
    }

    /// Reads a PETRARCH/TABARI `.actors` file into [`EntryKind::Named`] entries (one per
    /// phrase and synonym, sharing the actor's roles).
    pub fn add_petrarch_actors(&mut self, file: &str, text: &str) -> Vec<DataError> {
        struct Pending {
            line: usize,
            phrases: Vec<(String, bool)>,
            roles: Vec<Role>,
        }
        let mut warnings = Vec::new();
        let mut current: Option<Pending> = None;
        // Stores a finished actor. One without any code is handed back: as PETRARCH reads a
        // file, a primary phrase without codes shares those of the next actor (files list
        // synonyms without their '+' this way: "LEONID_BREZHNEV_" then
        // "LEONID_ILYICH_BREZHNEV" then the codes); at the end of the file it is an error.
        let flush = |d: &mut Dictionary,
                     p: Option<Pending>,
                     at_end: bool,
                     warnings: &mut Vec<DataError>|
         -> Option<Pending> {
            let p = p?;
            if p.roles.is_empty() {
                if at_end {
                    warnings.push(DataError::new(
                        file,
                        p.line,
                        format!("actor {:?} has no code", p.phrases[0].0),
                    ));
                    return None;
                }
                return Some(p);
            }
            let kind = EntryKind::Named {
                identifier: p.phrases[0].0.clone(),
                person: false,
                roles: p.roles,
            };
            for (form, stem) in p.phrases {
                d.push_petrarch(form, stem, kind.clone(), format!("{file}:{}", p.line));
            }
            None
        };
        for (line, text) in content_lines(text) {
            let indented = text.starts_with(char::is_whitespace);
            let body = text.trim();
            let (head, groups, tail) = match brackets(body) {
                Ok(x) => x,
                Err(e) => {
                    warnings.push(DataError::new(file, line, e));
                    continue;
                }
            };
            if !tail.is_empty() {
                // Loaded all the same: PETRARCH ignores text after the codes.
                warnings.push(DataError::new(
                    file,
                    line,
                    format!("text {tail:?} after the codes ignored (a comment without '#'?)"),
                ));
            }
            let mut roles = Vec::new();
            for g in &groups {
                match role(g, &format!("{file}:{line}")) {
                    Ok(r) => roles.push(r),
                    Err(e) => warnings.push(DataError::new(file, line, e)),
                }
            }
            let head = head.trim();
            let synonym = head.strip_prefix('+');
            if indented && synonym.is_none() && !head.is_empty() {
                // PETRARCH reads an indented line as a code line whatever precedes the code.
                warnings.push(DataError::new(
                    file,
                    line,
                    format!("text {head:?} before the codes of an indented line ignored"),
                ));
            }
            if head.is_empty() || (indented && synonym.is_none()) {
                // A code line: `\t[CODE dates]`.
                match current.as_mut() {
                    Some(p) => p.roles.extend(roles),
                    None if groups.is_empty() => {}
                    None => warnings.push(DataError::new(file, line, "codes before any actor")),
                }
                continue;
            }
            if let Some(syn) = synonym {
                let Some(p) = current.as_mut() else {
                    warnings.push(DataError::new(file, line, "synonym before any actor"));
                    continue;
                };
                match phrase_form(syn) {
                    Some(f) => p.phrases.push(f),
                    None => warnings.push(DataError::new(file, line, "empty synonym")),
                }
                p.roles.extend(roles);
                continue;
            }
            let pending = flush(self, current.take(), false, &mut warnings);
            let Some(f) = phrase_form(head) else {
                current = pending;
                warnings.push(DataError::new(file, line, "empty actor phrase"));
                continue;
            };
            let (first, mut phrases) = match pending {
                Some(p) => (p.line, p.phrases),
                None => (line, Vec::new()),
            };
            phrases.push(f);
            current = Some(Pending {
                line: first,
                phrases,
                roles,
            });
        }
        flush(self, current.take(), true, &mut warnings);
        warnings
    }

    /// Reads a PETRARCH `.agents` file: `[~CODE]` agents become title sectors (every
    /// 3-character chunk of CODE), `[CODE~]` ones organisations; regular plurals are added
    /// unless `{...}` gives them.
    pub fn add_petrarch_agents(&mut self, file: &str, text: &str) -> Vec<DataError> {
        let mut warnings = Vec::new();
        let mut sets: HashMap<String, Vec<String>> = HashMap::new();
        for (line, text) in content_lines(text) {
            let body = text.trim();
            let warn = |w: &mut Vec<DataError>, m: String| w.push(DataError::new(file, line, m));
            // `!PERSON! = MAN, MEN, WOMAN`
            if body.starts_with('!') && body.contains('=') && !body.contains('[') {
                let (name, list) = body.split_once('=').expect("has =");
                let name = name.trim();
                if name.len() < 3 || !name.ends_with('!') {
                    warn(
                        &mut warnings,
                        format!("substitution set name {name:?} is not !NAME!"),
                    );
                    continue;
                }
                let items: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                sets.insert(name.to_string(), items);
                continue;
            }
            let (head, groups, tail) = match brackets(body) {
                Ok(x) => x,
                Err(e) => {
                    warn(&mut warnings, e);
                    continue;
                }
            };
            if !tail.is_empty() {
                warn(
                    &mut warnings,
                    format!("text {tail:?} after the code ignored (a comment without '#'?)"),
                );
            }
            if groups.len() != 1 {
                warn(
                    &mut warnings,
                    format!("expected one [code] for agent, found {}", groups.len()),
                );
                continue;
            }
            let code = groups[0]
                .replace(char::is_whitespace, "")
                .to_ascii_uppercase();
            let (phrase, plurals) = match head.find('{') {
                Some(k) => match head[k..].find('}') {
                    Some(e) => (&head[..k], Some(&head[k + 1..k + e])),
                    None => {
                        warn(&mut warnings, "missing '}'".to_string());
                        continue;
                    }
                },
                None => (head, None),
            };
            let phrase = phrase.trim();
            if phrase.is_empty() {
                warn(&mut warnings, "agent without a phrase".into());
                continue;
            }
            let origin = format!("{file}:{line}");
            let kind = if let Some(sector) = code.strip_prefix('~') {
                if sector.len() < 3 || !sector.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    warn(&mut warnings, format!("agent code {code:?} is not ~XXX"));
                    continue;
                }
                EntryKind::Sector {
                    sector: sector.to_string(),
                    kind: SectorKind::Title,
                }
            } else if let Some(org) = code.strip_suffix('~') {
                if org.len() < 3 || !org.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    warn(&mut warnings, format!("agent code {code:?} is not XXX~"));
                    continue;
                }
                EntryKind::Organisation {
                    code: org[..3].to_string(),
                    identifier: phrase_form(phrase).map(|f| f.0).unwrap_or_default(),
                    sectors: (org.len() > 3)
                        .then(|| org[3..].to_string())
                        .into_iter()
                        .collect(),
                }
            } else {
                warn(
                    &mut warnings,
                    format!("agent code {code:?} has no '~' (~XXX or XXX~)"),
                );
                continue;
            };
            // Substitution sets expand without further plurals.
            if let Some(k) = phrase.find('!') {
                let end = phrase[k + 1..].find('!').map(|e| k + 1 + e);
                let Some(end) = end else {
                    warn(&mut warnings, "unclosed substitution marker".into());
                    continue;
                };
                let name = &phrase[k..=end];
                let Some(items) = sets.get(name) else {
                    warn(
                        &mut warnings,
                        format!("substitution set {name} is not defined"),
                    );
                    continue;
                };
                for item in items {
                    let expanded = format!("{}{}{}", &phrase[..k], item, &phrase[end + 1..]);
                    if let Some((form, _)) = phrase_form(&expanded) {
                        self.push_petrarch(form, false, kind.clone(), origin.clone());
                    }
                }
                continue;
            }
            let Some((form, _)) = phrase_form(phrase) else {
                continue;
            };
            let plural_forms: Vec<String> = match plurals {
                Some(p) => p
                    .split(',')
                    .filter_map(phrase_form)
                    .map(|(f, _)| f)
                    .collect(),
                None => vec![regular_plural(&form)],
            };
            self.push_petrarch(form, false, kind.clone(), origin.clone());
            for p in plural_forms {
                self.push_petrarch(p, false, kind.clone(), origin.clone());
            }
        }
        warnings
    }

    /// Reads a PETRARCH `.discards` file: `+PHRASE` discards the story, `PHRASE` the
    /// sentence.
    pub fn add_petrarch_discards(&mut self, file: &str, text: &str) -> Vec<DataError> {
        let mut warnings = Vec::new();
        for (line, text) in content_lines(text) {
            let body = text.trim();
            let (story, phrase) = match body.strip_prefix('+') {
                Some(p) => (true, p),
                None => (false, body),
            };
            match phrase_form(phrase) {
                Some((form, stem)) => self.push_petrarch(
                    form,
                    stem,
                    EntryKind::Discard { story },
                    format!("{file}:{line}"),
                ),
                None => warnings.push(DataError::new(file, line, "empty discard phrase")),
            }
        }
        warnings
    }

    /// Reads one PETRARCH file by the kind its name says; `None` for files this reader
    /// does not handle (verbs, CAMEO, issues, prepositions).
    pub fn add_petrarch_file(&mut self, file: &str, text: &str) -> Option<Vec<DataError>> {
        Some(match PetrarchFile::of(file)? {
            PetrarchFile::Actors => self.add_petrarch_actors(file, text),
            PetrarchFile::Agents => self.add_petrarch_agents(file, text),
            PetrarchFile::Discards => self.add_petrarch_discards(file, text),
        })
    }
}

/// PETRARCH's regular plural of a phrase's last word: Y → IES, S → SES, else + S.
fn regular_plural(form: &str) -> String {
    let upper_y = form.ends_with('Y') || form.ends_with('y');
    if upper_y {
        format!("{}IES", &form[..form.len() - 1])
    } else if form.ends_with('S') || form.ends_with('s') {
        format!("{form}ES")
    } else {
        format!("{form}S")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pivot_and_bounds() {
        assert_eq!(petrarch_date("320101").unwrap(), "1932-01-01");
        assert_eq!(petrarch_date("120812").unwrap(), "2012-08-12");
        assert_eq!(petrarch_date("19950601").unwrap(), "1995-06-01");
        assert!(petrarch_date("2004017").is_err());
        assert!(petrarch_date("20100931").is_err());
        assert_eq!(next_day("1999-12-31"), "2000-01-01");
        assert_eq!(next_day("2012-02-28"), "2012-02-29");
    }

    #[test]
    fn codes_split_into_country_and_sectors() {
        assert_eq!(
            split_code("PSEREBHMS").unwrap(),
            (
                "PSE".to_string(),
                vec!["REB".to_string(), "HMS".to_string()]
            )
        );
        assert_eq!(split_code("pse").unwrap(), ("PSE".to_string(), vec![]));
        assert_eq!(split_code("---").unwrap(), (String::new(), vec![]));
        assert_eq!(
            split_code("---GOV").unwrap(),
            (String::new(), vec!["GOV".to_string()])
        );
        assert!(split_code("s").is_err());
    }

    #[test]
    fn comments_blocks_and_blank_lines() {
        let text = "<!-- one\n two -->\nA # note\n\n<! -- odd -->\nB <!-- x --> C\n";
        let got = content_lines(text);
        assert_eq!(got, vec![(3, "A".to_string()), (6, "B  C".to_string())]);
    }

    #[test]
    fn phrases_and_stems() {
        assert_eq!(phrase_form("ARGENTIN"), Some(("ARGENTIN".into(), true)));
        assert_eq!(phrase_form("ARNOR_"), Some(("ARNOR".into(), false)));
        assert_eq!(phrase_form("ENT"), Some(("ENT".into(), false)));
        assert_eq!(
            phrase_form("CARAS GALADHON"),
            Some(("CARAS GALADHON".into(), true))
        );
        assert_eq!(phrase_form("THE_KU"), Some(("THE KU".into(), false)));
        assert_eq!(regular_plural("AUTHORITY"), "AUTHORITIES");
        assert_eq!(regular_plural("PRESS"), "PRESSES");
        assert_eq!(regular_plural("OPPOSITION GROUP"), "OPPOSITION GROUPS");
    }
}
