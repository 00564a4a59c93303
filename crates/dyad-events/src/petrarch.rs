//! PETRARCH/TABARI verb dictionaries (`PETR.Validate.verbs.txt`, `CAMEO.2.0.txt`) and an
//! event coder over them.
//!
//! The file format, as the PETRARCH readers and the files' own headers describe it (comment
//! and line conventions as in `dyad_actors`' PETRARCH reader):
//!
//! - `#` starts a comment to the end of the line (but not inside `[...]`: `[###]` is a
//!   code); `<!-- ... -->` blocks may span lines, and a line starting with `<` is a comment.
//! - `--- NAME [CODE] ---` opens a verb block; `CODE` is the block's default event code.
//! - Verb lines: `VERB`, `VERB {IRREGULAR FORMS}`, `VERB [CODE]` (a code of its own). A
//!   multi-word verb joins its words with `_` (or spaces) and marks the verb word with `+`:
//!   `WIRE_+TAP {WIRE_+TAPPED WIRE_+TAPPING}`, `+CORDON_OFF`; without `+` the first word is
//!   the verb. Regular forms (`-S`/`-ES`/`-IES`, `-ED`/`-D`/`-IED`, `-ING`) are generated;
//!   forms in `{}` are added. Verbs are matched by their surface forms only ("departes" is
//!   no form of DEPART).
//! - `&NAME` opens a synonym set, its `+MEMBER` lines follow (a member may be a phrase or
//!   another `&SET`). A trailing `_` on the name is ignored.
//! - Patterns: `- LOWER * UPPER [CODE]`. `*` is the verb; LOWER words must occur before it
//!   and UPPER words after it, in order. A space allows other words between two pattern
//!   elements, `_` does not (`IN_AND_*_OUT_AGAIN`). Elements: words (exact, any case),
//!   `&SET`, `$` (the source: the next actor there), `+` (the target), `%` (a compound
//!   actor: before the verb the event is coded between its members, after it they are the
//!   targets), `^` (skips one actor). `(...)` and `{...}` groupings (PETRARCH-2 style, in
//!   `CAMEO.2.0.txt`) are read as plain sequences.
//! - Codes: `[043]`, `[174K]`; `[A:B]` codes A from source to target and B back from target
//!   to source ("left for": 032 and 033); `[---]` (or an empty side) codes nothing.
//!
//! The most specific matching pattern wins: the one matching the most words and markers;
//! on a tie, the first in the file. Without a matching pattern the verb's own code, else the
//! block's, is used.

use crate::coder::{Group, SentenceView};
use crate::lexicon::{normalise_word, DataError, Lexicon};
use crate::syntax;
use dyad_core::petrarch::content_lines;
use dyad_core::{Attribution, Doc, Event, Span, Stage};
use std::collections::HashMap;

/// Whether a file in a PETRARCH dictionary directory is a verb dictionary:
/// `*.verbs.txt` (`PETR.Validate.verbs.txt`) or `CAMEO.*.txt` (`CAMEO.2.0.txt`).
pub fn is_verb_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".verbs.txt") || (lower.starts_with("cameo.") && lower.ends_with(".txt"))
}

/// An event code of a block, verb or pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbCode {
    /// Source → target; `None` for `---`.
    pub primary: Option<String>,
    /// Target → source (`[A:B]`).
    pub reverse: Option<String>,
}

impl VerbCode {
    fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let side = |s: &str| -> Result<Option<String>, String> {
            let s = s.trim();
            if s.is_empty() || s == "---" {
                return Ok(None);
            }
            if !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '#' | '?'))
            {
                return Err(format!("event code {raw:?} is not a CAMEO-style code"));
            }
            Ok(Some(s.to_ascii_uppercase()))
        };
        match raw.split_once(':') {
            Some((a, b)) => Ok(VerbCode {
                primary: side(a)?,
                reverse: side(b)?,
            }),
            None => Ok(VerbCode {
                primary: side(raw)?,
                reverse: None,
            }),
        }
    }

    fn is_null(&self) -> bool {
        self.primary.is_none() && self.reverse.is_none()
    }
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    Word(String),
    Synset(String),
    Source,
    Target,
    Compound,
    Skip,
}

/// An element and whether it must be adjacent to its neighbour on the verb's side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub element: Element,
    pub adjacent: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerbPattern {
    /// Elements before the verb, nearest to the verb first.
    pub lower: Vec<Item>,
    /// Elements after the verb, nearest first.
    pub upper: Vec<Item>,
    pub code: VerbCode,
    /// `file:line`.
    pub origin: String,
}

/// A verb form: the verb word with the words that must stand right before and after it.
#[derive(Clone, Debug, PartialEq)]
pub struct VerbForm {
    pub before: Vec<String>,
    pub verb: String,
    pub after: Vec<String>,
    /// Index into [`VerbDictionary::blocks`].
    pub block: usize,
    /// The verb line's own code, if it has one.
    pub code: Option<VerbCode>,
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerbBlock {
    pub name: String,
    pub code: VerbCode,
    pub origin: String,
    pub patterns: Vec<VerbPattern>,
}

/// The verb dictionaries read so far.
#[derive(Clone, Debug, Default)]
pub struct VerbDictionary {
    pub blocks: Vec<VerbBlock>,
    /// Synonym sets by upper-case name without `&`; members as element sequences.
    pub synsets: HashMap<String, Vec<Vec<Element>>>,
    /// Verb forms by their (lower-case) verb word.
    pub forms: HashMap<String, Vec<VerbForm>>,
    /// Synset references seen in patterns, to check once everything is read.
    references: Vec<(String, String, usize)>,
    /// Index of each file's first block, in reading order.
    file_starts: Vec<usize>,
}

/// Splits `TEXT [CODE] rest` into the text, the bracket groups and what follows them.
fn split_codes(line: &str) -> Result<(&str, Vec<&str>, &str), String> {
    let head_end = line.find('[').unwrap_or(line.len());
    let mut groups = Vec::new();
    let mut rest = &line[head_end..];
    while let Some(open) = rest.find('[') {
        if !rest[..open].trim().is_empty() {
            break;
        }
        let after = &rest[open + 1..];
        let close = after
            .find(']')
            .ok_or_else(|| format!("unclosed '[' in {:?}", line.trim()))?;
        groups.push(after[..close].trim());
        rest = &after[close + 1..];
    }
    Ok((&line[..head_end], groups, rest.trim()))
}

/// Regular forms of a verb word: -S, -ED, -ING with PETRARCH's spelling rules.
fn regular_forms(verb: &str) -> Vec<String> {
    let v = verb;
    let vowel = |c: char| "aeiou".contains(c);
    let before_y = v.len() > 1 && v.ends_with('y') && !v[..v.len() - 1].ends_with(vowel);
    let s = if before_y {
        format!("{}ies", &v[..v.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|e| v.ends_with(e)) {
        format!("{v}es")
    } else {
        format!("{v}s")
    };
    let ed = if v.ends_with('e') {
        format!("{v}d")
    } else if before_y {
        format!("{}ied", &v[..v.len() - 1])
    } else {
        format!("{v}ed")
    };
    let ing = if v.ends_with('e') && !v.ends_with("ee") && v.len() > 2 {
        format!("{}ing", &v[..v.len() - 1])
    } else {
        format!("{v}ing")
    };
    vec![s, ed, ing]
}

/// A verb phrase `WIRE_+TAP` as (before, verb, after), lower-case.
fn verb_phrase(raw: &str) -> Option<(Vec<String>, String, Vec<String>)> {
    let words: Vec<&str> = raw
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let marked = words.iter().position(|w| w.starts_with('+') && w.len() > 1);
    let k = marked.unwrap_or(0);
    let clean = |w: &str| normalise_word(w.trim_start_matches('+'));
    let before = words[..k].iter().map(|w| clean(w)).collect();
    let after = words[k + 1..].iter().map(|w| clean(w)).collect();
    let verb = clean(words[k]);
    (!verb.is_empty()).then_some((before, verb, after))
}

/// The elements of a pattern or synonym-set member, with their adjacency to the previous
/// element in text order; `*` comes back as `None`.
fn elements(raw: &str) -> Result<Vec<(Option<Element>, bool)>, String> {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '{' | '}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = Vec::new();
    for token in cleaned.split_whitespace() {
        for (k, part) in token.split('_').enumerate() {
            if part.is_empty() {
                continue;
            }
            let joined = k > 0 && !token.split('_').nth(k - 1).unwrap_or("").is_empty();
            let el = match part {
                "*" => None,
                "$" => Some(Element::Source),
                "+" => Some(Element::Target),
                "%" => Some(Element::Compound),
                "^" => Some(Element::Skip),
                p if p.starts_with('&') => {
                    let name = p[1..].trim_end_matches('_').to_ascii_uppercase();
                    if name.is_empty() {
                        return Err("'&' without a synonym-set name".into());
                    }
                    Some(Element::Synset(name))
                }
                p if p.contains('*') => return Err(format!("'*' inside the word {p:?}")),
                p => Some(Element::Word(normalise_word(p))),
            };
            out.push((el, joined));
        }
    }
    Ok(out)
}

impl VerbDictionary {
    /// Reads one verb file; returns one warning per malformed line (skipped).
    pub fn read(file: &str, text: &str) -> (Self, Vec<DataError>) {
        let mut d = VerbDictionary::default();
        let w = d.add_file(file, text);
        (d, w)
    }

    /// Adds a verb file to the dictionary; returns one warning per malformed line.
    pub fn add_file(&mut self, file: &str, text: &str) -> Vec<DataError> {
        enum Context {
            None,
            Synset(String),
            Block(usize),
        }
        let mut warnings = Vec::new();
        let mut ctx = Context::None;
        let mut verbs_in_block = 0usize;
        let first_block = self.blocks.len();
        self.file_starts.push(first_block);
        let refs_before = self.references.len();
        for (line, text) in content_lines(text) {
            let body = text.trim();
            let origin = format!("{file}:{line}");
            let warn = |w: &mut Vec<DataError>, m: String| w.push(DataError::new(file, line, m));
            if let Some(rest) = body.strip_prefix("---") {
                if let Context::Block(b) = ctx {
                    if verbs_in_block == 0 {
                        warnings.push(DataError::new(
                            file,
                            line,
                            format!(
                                "verb block {:?} before this line has no verbs",
                                self.blocks[b].name
                            ),
                        ));
                    }
                }
                let rest = rest.trim_end_matches(|c: char| c == '-' || c.is_whitespace());
                let (name, groups, tail) = match split_codes(rest) {
                    Ok(x) => x,
                    Err(e) => {
                        warn(&mut warnings, e);
                        ctx = Context::None;
                        continue;
                    }
                };
                if !tail.is_empty() {
                    warn(
                        &mut warnings,
                        format!("text {tail:?} after the block code ignored"),
                    );
                }
                let code = match groups.first().map(|g| VerbCode::parse(g)) {
                    Some(Ok(c)) => c,
                    Some(Err(e)) => {
                        warn(&mut warnings, e);
                        VerbCode {
                            primary: None,
                            reverse: None,
                        }
                    }
                    None => {
                        warn(&mut warnings, "verb block without a [code]".into());
                        VerbCode {
                            primary: None,
                            reverse: None,
                        }
                    }
                };
                if groups.len() > 1 {
                    warn(
                        &mut warnings,
                        format!("verb block has {} codes; the first is used", groups.len()),
                    );
                }
                self.blocks.push(VerbBlock {
                    name: name.trim().to_string(),
                    code,
                    origin,
                    patterns: Vec::new(),
                });
                ctx = Context::Block(self.blocks.len() - 1);
                verbs_in_block = 0;
                continue;
            }
            if let Some(name) = body.strip_prefix('&') {
                let name = name.trim().trim_end_matches('_').to_ascii_uppercase();
                if name.is_empty() || name.contains(char::is_whitespace) {
                    warn(
                        &mut warnings,
                        format!("synonym-set name {body:?} is not &NAME"),
                    );
                    ctx = Context::None;
                    continue;
                }
                self.synsets.entry(name.clone()).or_default();
                ctx = Context::Synset(name);
                continue;
            }
            if body.starts_with('~') {
                warn(
                    &mut warnings,
                    "PETRARCH-2 transformation rule ('~') not supported, skipped".into(),
                );
                continue;
            }
            if let Some(pat) = body.strip_prefix('-') {
                let Context::Block(b) = ctx else {
                    warn(&mut warnings, "pattern outside a verb block".into());
                    continue;
                };
                match self.pattern(pat, &origin) {
                    Ok(p) => {
                        for r in p.lower.iter().chain(&p.upper) {
                            if let Element::Synset(n) = &r.element {
                                self.references.push((n.clone(), file.to_string(), line));
                            }
                        }
                        self.blocks[b].patterns.push(p);
                    }
                    Err(e) => warn(&mut warnings, e),
                }
                continue;
            }
            match &ctx {
                Context::Synset(name) => {
                    let Some(member) = body.strip_prefix('+') else {
                        warn(
                            &mut warnings,
                            format!("{body:?} in synonym set &{name} lacks '+'"),
                        );
                        continue;
                    };
                    match elements(member) {
                        Ok(els)
                            if !els.is_empty()
                                && els.iter().all(|(e, _)| {
                                    matches!(e, Some(Element::Word(_) | Element::Synset(_)))
                                }) =>
                        {
                            let els: Vec<Element> =
                                els.into_iter().filter_map(|(e, _)| e).collect();
                            self.synsets.get_mut(name).expect("opened").push(els);
                        }
                        Ok(_) => warn(
                            &mut warnings,
                            format!("synonym-set member {member:?} is not a phrase"),
                        ),
                        Err(e) => warn(&mut warnings, e),
                    }
                }
                Context::Block(b) => {
                    let b = *b;
                    match self.verb_line(body, b, &origin) {
                        Ok(n) => verbs_in_block += n,
                        Err(e) => warn(&mut warnings, e),
                    }
                }
                Context::None => warn(
                    &mut warnings,
                    format!("{body:?} outside any verb block or synonym set"),
                ),
            }
        }
        if let Context::Block(b) = ctx {
            if verbs_in_block == 0 && b >= first_block {
                let o = &self.blocks[b].origin;
                let line = o
                    .rsplit(':')
                    .next()
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                warnings.push(DataError::new(
                    file,
                    line,
                    format!("verb block {:?} has no verbs", self.blocks[b].name),
                ));
            }
        }
        // Synonym sets may be defined after the patterns that use them; check at the end.
        for (name, f, line) in &self.references[refs_before..] {
            if !self.synsets.contains_key(name) {
                warnings.push(DataError::new(
                    f,
                    *line,
                    format!("synonym set &{name} is not defined"),
                ));
            }
        }
        warnings
    }

    /// `VERB {FORMS} [CODE]`: adds the verb's forms; returns how many verb lines it was.
    fn verb_line(&mut self, body: &str, block: usize, origin: &str) -> Result<usize, String> {
        let (head, groups, tail) = split_codes(body)?;
        if !tail.is_empty() {
            return Err(format!("text {tail:?} after the verb's code"));
        }
        let code = match groups.first() {
            Some(g) => Some(VerbCode::parse(g)?),
            None => None,
        };
        let (main, irregular) = match head.find('{') {
            Some(k) => {
                let end = head[k..].find('}').ok_or("missing '}'")?;
                (&head[..k], Some(&head[k + 1..k + end]))
            }
            None => (head, None),
        };
        let (before, verb, after) = verb_phrase(main).ok_or("empty verb")?;
        if !verb.chars().any(|c| c.is_alphabetic()) {
            return Err(format!("verb {:?} has no letters", main.trim()));
        }
        let mut forms: Vec<(Vec<String>, String, Vec<String>)> =
            vec![(before.clone(), verb.clone(), after.clone())];
        for f in regular_forms(&verb) {
            forms.push((before.clone(), f, after.clone()));
        }
        if let Some(list) = irregular {
            // Multi-word irregular forms are written whole (`+BROKE_DOWN`); single words are
            // forms of the verb word.
            for item in list.split_whitespace() {
                let Some((b, v, a)) = verb_phrase(item) else {
                    continue;
                };
                if b.is_empty() && a.is_empty() && (!before.is_empty() || !after.is_empty()) {
                    forms.push((before.clone(), v, after.clone()));
                } else {
                    forms.push((b, v, a));
                }
            }
        }
        for (before, verb, after) in forms {
            let list = self.forms.entry(verb.clone()).or_default();
            if list
                .iter()
                .any(|f| f.block == block && f.before == before && f.after == after)
            {
                continue;
            }
            list.push(VerbForm {
                before,
                verb,
                after,
                block,
                code: code.clone(),
                origin: origin.to_string(),
            });
        }
        Ok(1)
    }

    fn pattern(&self, raw: &str, origin: &str) -> Result<VerbPattern, String> {
        let (text, groups, tail) = split_codes(raw)?;
        if !tail.is_empty() {
            return Err(format!("text {tail:?} after the pattern's code"));
        }
        let code = VerbCode::parse(groups.first().ok_or("pattern without a [code]")?)?;
        let els = elements(text)?;
        let stars = els.iter().filter(|(e, _)| e.is_none()).count();
        if stars != 1 {
            return Err(format!(
                "pattern {:?} needs exactly one '*', has {stars}",
                text.trim()
            ));
        }
        let star = els.iter().position(|(e, _)| e.is_none()).expect("one star");
        // Lower elements nearest the verb first; each is adjacent when the element after it
        // (towards the verb) was joined to it by '_'.
        let lower: Vec<Item> = (0..star)
            .rev()
            .map(|k| Item {
                element: els[k].0.clone().expect("not the star"),
                adjacent: els[k + 1].1,
            })
            .collect();
        let upper: Vec<Item> = els[star + 1..]
            .iter()
            .map(|(e, joined)| Item {
                element: e.clone().expect("not the star"),
                adjacent: *joined,
            })
            .collect();
        Ok(VerbPattern {
            lower,
            upper,
            code,
            origin: origin.to_string(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Which file (in reading order) a block comes from.
    fn file_of(&self, block: usize) -> usize {
        self.file_starts
            .partition_point(|&s| s <= block)
            .saturating_sub(1)
    }

    /// Number of verb forms (generated ones included) and patterns.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.forms.values().map(Vec::len).sum(),
            self.blocks.iter().map(|b| b.patterns.len()).sum(),
        )
    }

    /// Word sequences a synonym set stands for (nested sets expanded).
    fn members(&self, name: &str, depth: usize) -> Vec<Vec<String>> {
        let Some(list) = self.synsets.get(name) else {
            return Vec::new();
        };
        let mut out: Vec<Vec<String>> = Vec::new();
        for member in list {
            let mut seqs: Vec<Vec<String>> = vec![Vec::new()];
            for el in member {
                match el {
                    Element::Word(w) => seqs.iter_mut().for_each(|s| s.push(w.clone())),
                    Element::Synset(n) if depth < 4 => {
                        let subs = self.members(n, depth + 1);
                        seqs = seqs
                            .iter()
                            .flat_map(|s| {
                                subs.iter().map(move |x| {
                                    let mut s = s.clone();
                                    s.extend(x.iter().cloned());
                                    s
                                })
                            })
                            .collect();
                    }
                    _ => seqs.clear(),
                }
            }
            out.extend(seqs.into_iter().filter(|s| !s.is_empty()));
        }
        out
    }
}

/// Where a pattern's markers matched.
#[derive(Clone, Debug, Default)]
struct Bindings {
    source: Option<Group>,
    target: Option<Group>,
    /// `%` before the verb: code between the members.
    reciprocal: Option<Group>,
    /// `%` after the verb: the targets.
    compound_target: Option<Group>,
}

/// A sentence as the matcher sees it.
struct Words<'a> {
    words: &'a [String],
    groups: &'a [Group],
}

impl VerbDictionary {
    /// Matches `items` after the verb from `pos`; returns the score (words and markers
    /// matched).
    fn match_upper(
        &self,
        s: &Words,
        items: &[Item],
        pos: usize,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Some(item) = items.first() else {
            return Some(0);
        };
        let n = s.words.len();
        let starts: Vec<usize> = if item.adjacent {
            vec![pos]
        } else {
            (pos..n).collect()
        };
        match &item.element {
            Element::Word(w) => {
                for p in starts {
                    if p < n && &s.words[p] == w {
                        if let Some(sc) = self.match_upper(s, &items[1..], p + 1, b) {
                            return Some(sc + 1);
                        }
                    }
                }
                None
            }
            Element::Synset(name) => {
                let members = self.members(name, 0);
                for p in starts {
                    for m in &members {
                        if p + m.len() <= n && s.words[p..p + m.len()] == m[..] {
                            if let Some(sc) = self.match_upper(s, &items[1..], p + m.len(), b) {
                                return Some(sc + m.len());
                            }
                        }
                    }
                }
                None
            }
            marker => {
                let g = s
                    .groups
                    .iter()
                    .find(|g| {
                        g.start >= pos
                            && (!item.adjacent
                                || s.words[pos..g.start].iter().all(|w| is_article(w)))
                    })?
                    .clone();
                if *marker == Element::Compound && g.members.len() < 2 {
                    return None;
                }
                let sc = self.match_upper(s, &items[1..], g.end, b)?;
                bind(b, marker, g, false);
                Some(sc + 1)
            }
        }
    }

    /// Matches `items` (nearest the verb first) before `end`.
    fn match_lower(
        &self,
        s: &Words,
        items: &[Item],
        end: usize,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Some(item) = items.first() else {
            return Some(0);
        };
        let ends: Vec<usize> = if item.adjacent {
            vec![end]
        } else {
            (1..=end).rev().collect()
        };
        match &item.element {
            Element::Word(w) => {
                for e in ends {
                    if e >= 1 && &s.words[e - 1] == w {
                        if let Some(sc) = self.match_lower(s, &items[1..], e - 1, b) {
                            return Some(sc + 1);
                        }
                    }
                }
                None
            }
            Element::Synset(name) => {
                let members = self.members(name, 0);
                for e in ends {
                    for m in &members {
                        if m.len() <= e && s.words[e - m.len()..e] == m[..] {
                            if let Some(sc) = self.match_lower(s, &items[1..], e - m.len(), b) {
                                return Some(sc + m.len());
                            }
                        }
                    }
                }
                None
            }
            marker => {
                let g = s
                    .groups
                    .iter()
                    .rev()
                    .find(|g| g.end <= end && (!item.adjacent || g.end == end))?
                    .clone();
                if *marker == Element::Compound && g.members.len() < 2 {
                    return None;
                }
                let sc = self.match_lower(s, &items[1..], g.start, b)?;
                bind(b, marker, g, true);
                Some(sc + 1)
            }
        }
    }
}

fn is_article(w: &str) -> bool {
    matches!(w, "the" | "a" | "an")
}

fn bind(b: &mut Bindings, marker: &Element, g: Group, lower: bool) {
    match marker {
        Element::Source => b.source = Some(g),
        Element::Target => b.target = Some(g),
        Element::Compound if lower => b.reciprocal = Some(g),
        Element::Compound => b.compound_target = Some(g),
        _ => {}
    }
}

/// The event coder over PETRARCH verb dictionaries, as a pipeline stage in place of
/// dyad's own coder; like it, it reads the quotes of [`crate::QuoteStage`].
pub struct PetrarchVerbStage {
    verbs: VerbDictionary,
    lex: Lexicon,
}

/// A verb found in a sentence: its token range and the forms that matched there.
struct VerbHit<'a> {
    start: usize,
    end: usize,
    forms: Vec<&'a VerbForm>,
}

impl PetrarchVerbStage {
    pub fn new(verbs: VerbDictionary, lex: Lexicon) -> Self {
        PetrarchVerbStage { verbs, lex }
    }

    pub fn verbs(&self) -> &VerbDictionary {
        &self.verbs
    }

    /// The verbs of a sentence: tokens tagged as verbs (or modal auxiliaries), or any
    /// token when the sentence was not parsed, whose form the dictionary lists, with the
    /// longest multi-word form at each place.
    fn verbs_in(&self, doc: &Doc, view: &SentenceView) -> Vec<VerbHit<'_>> {
        let mut out = Vec::new();
        let n = view.words.len();
        for i in 0..n {
            if view.entity_at[i].is_some() {
                continue;
            }
            if view.parsed {
                let syn = doc.tokens[view.offset + i].syntax.as_ref().expect("parsed");
                if !(syn.upos == "VERB" || (syn.upos == "AUX" && syn.xpos == "MD")) {
                    continue;
                }
            }
            let Some(list) = self.verbs.forms.get(&view.words[i]) else {
                continue;
            };
            let fits = |f: &VerbForm| {
                i >= f.before.len()
                    && i + 1 + f.after.len() <= n
                    && view.words[i - f.before.len()..i] == f.before[..]
                    && view.words[i + 1..i + 1 + f.after.len()] == f.after[..]
            };
            // When several files list the form, the one read last wins; of its forms, the
            // longest.
            let Some(last_file) = list
                .iter()
                .filter(|f| fits(f))
                .map(|f| self.verbs.file_of(f.block))
                .max()
            else {
                continue;
            };
            let mine = |f: &&VerbForm| fits(f) && self.verbs.file_of(f.block) == last_file;
            let best = list
                .iter()
                .filter(mine)
                .map(|f| f.before.len() + f.after.len())
                .max()
                .unwrap_or(0);
            let forms: Vec<&VerbForm> = list
                .iter()
                .filter(|f| mine(f) && f.before.len() + f.after.len() == best)
                .collect();
            let f = forms[0];
            out.push(VerbHit {
                start: i - f.before.len(),
                end: i + 1 + f.after.len(),
                forms,
            });
        }
        out
    }

    fn code_sentence(&self, doc: &Doc, s: usize, view: &SentenceView) -> Vec<Event> {
        let words = Words {
            words: &view.words,
            groups: &view.groups,
        };
        let require_dyad = doc.article.options.require_dyad != Some(false);
        let mut events = Vec::new();
        for hit in self.verbs_in(doc, view) {
            // The most specific pattern of the verb's blocks; ties go to the first.
            let mut best: Option<(usize, &VerbPattern, Bindings)> = None;
            let mut blocks: Vec<usize> = hit.forms.iter().map(|f| f.block).collect();
            blocks.dedup();
            for &b in &blocks {
                for p in &self.verbs.blocks[b].patterns {
                    let mut bind_l = Bindings::default();
                    let Some(lo) = self
                        .verbs
                        .match_lower(&words, &p.lower, hit.start, &mut bind_l)
                    else {
                        continue;
                    };
                    let mut bind_u = Bindings::default();
                    let Some(up) = self
                        .verbs
                        .match_upper(&words, &p.upper, hit.end, &mut bind_u)
                    else {
                        continue;
                    };
                    let score = lo + up;
                    if best.as_ref().is_none_or(|(sc, _, _)| score > *sc) {
                        let merged = Bindings {
                            source: bind_l.source.or(bind_u.source),
                            target: bind_l.target.or(bind_u.target),
                            reciprocal: bind_l.reciprocal,
                            compound_target: bind_u.compound_target,
                        };
                        best = Some((score, p, merged));
                    }
                }
            }
            let (code, rule, bindings, confidence) = match &best {
                Some((_, p, bnd)) => (p.code.clone(), p.origin.clone(), bnd.clone(), 0.7),
                None => {
                    let own = hit
                        .forms
                        .iter()
                        .find_map(|f| f.code.clone().map(|c| (c, f.origin.clone())));
                    let block = hit
                        .forms
                        .iter()
                        .map(|f| &self.verbs.blocks[f.block])
                        .find(|b| !b.code.is_null())
                        .map(|b| (b.code.clone(), b.origin.clone()));
                    let Some((c, o)) = own.or(block) else {
                        continue;
                    };
                    (c, o, Bindings::default(), 0.6)
                }
            };
            if code.is_null() {
                continue;
            }
            let (sources, targets, reciprocal) = self.participants(doc, view, &hit, &bindings);
            let (when, place) = crate::coder::date_and_place(doc, view, hit.start);
            let trigger = Span::new(
                view.span(doc, hit.start).start,
                view.span(doc, hit.end - 1).end,
            );
            let context: Vec<String> = if view.parsed {
                syntax::modality(view, syntax::trigger_head(view, hit.start, hit.end))
                    .into_iter()
                    .map(String::from)
                    .collect()
            } else {
                Vec::new()
            };
            let attribution = doc
                .quotes
                .iter()
                .find(|q| q.span.contains(trigger) && q.cue.is_some())
                .map(|q| Attribution {
                    speaker: q.speaker,
                    cue: q.cue.expect("checked"),
                });
            let make = |cameo: &str, actors: Vec<usize>, recipients: Vec<usize>, reverse: bool| {
                let entry = self
                    .lex
                    .cameo
                    .get(cameo)
                    .or_else(|| cameo.get(..3).and_then(|c| self.lex.cameo.get(c)))
                    .or_else(|| cameo.get(..2).and_then(|c| self.lex.cameo.get(c)));
                let mut ctx: Vec<String> =
                    entry.and_then(|e| e.context.clone()).into_iter().collect();
                ctx.extend(context.iter().cloned());
                Event {
                    sentence: s,
                    trigger,
                    cameo: cameo.to_string(),
                    plover: entry.and_then(|e| e.plover.clone()).into_iter().collect(),
                    mode: entry.and_then(|e| e.mode.clone()).into_iter().collect(),
                    context: ctx,
                    quad: entry.map_or(0, |e| e.quad),
                    scale: entry.map_or(0.0, |e| e.scale),
                    actors,
                    recipients,
                    attribution: attribution.clone(),
                    rule: format!("{rule}{}", if reverse { " (reverse)" } else { "" }),
                    confidence,
                    when: when.clone(),
                    place: place.clone(),
                }
            };
            if let Some(members) = reciprocal {
                for &a in &members {
                    let others: Vec<usize> = members.iter().copied().filter(|&b| b != a).collect();
                    for (c, rev) in [(&code.primary, false), (&code.reverse, true)] {
                        if let Some(c) = c {
                            if rev && code.reverse == code.primary {
                                continue;
                            }
                            events.push(make(c, vec![a], others.clone(), rev));
                        }
                    }
                }
                continue;
            }
            let complete = !sources.is_empty() && !targets.is_empty();
            if require_dyad && !complete {
                continue;
            }
            if sources.is_empty() && targets.is_empty() {
                continue;
            }
            if let Some(c) = &code.primary {
                events.push(make(c, sources.clone(), targets.clone(), false));
            }
            if let Some(c) = &code.reverse {
                if complete {
                    events.push(make(c, targets, sources, true));
                }
            }
        }
        events
    }

    /// Sources and targets of a verb: the pattern's markers first, then the parse (subject,
    /// object, passive agent), then word order (the nearest actor before the verb, the
    /// first after it). `%` before the verb gives the reciprocal members instead.
    fn participants(
        &self,
        doc: &Doc,
        view: &SentenceView,
        hit: &VerbHit,
        b: &Bindings,
    ) -> (Vec<usize>, Vec<usize>, Option<Vec<usize>>) {
        if let Some(g) = &b.reciprocal {
            return (Vec::new(), Vec::new(), Some(g.members.clone()));
        }
        let widen = |ents: Vec<usize>| -> Vec<usize> {
            let mut out: Vec<usize> = Vec::new();
            for e in ents {
                let group = view.groups.iter().find(|g| g.members.contains(&e));
                for m in group.map_or(vec![e], |g| g.members.clone()) {
                    if !out.contains(&m) {
                        out.push(m);
                    }
                }
            }
            out
        };
        let args = view.parsed.then(|| {
            syntax::arguments(view, hit.start, hit.end, false, &self.lex.words.topic_verbs)
        });
        let of = |k: Option<usize>| k.map(|k| widen(view.entities_of(k))).unwrap_or_default();
        let before = view
            .groups
            .iter()
            .rev()
            .find(|g| g.end <= hit.start)
            .map(|g| g.members.clone())
            .unwrap_or_default();
        let after = view
            .groups
            .iter()
            .find(|g| g.start >= hit.end)
            .map(|g| g.members.clone())
            .unwrap_or_default();
        let (mut parse_src, mut parse_tgt) = (Vec::new(), Vec::new());
        if let Some(a) = &args {
            if a.passive && a.actor.is_some() {
                // "X was opposed by Y": Y acts on X.
                parse_src = of(a.actor);
                parse_tgt = of(a.recipient);
            } else if a.passive {
                // Without an agent PETRARCH codes the subject as the source.
                parse_src = of(a.recipient);
            } else {
                parse_src = of(a.actor);
                parse_tgt = of(a.recipient);
            }
        }
        // A subject the parse found that is no actor ("a hafling was reported") leaves the
        // verb without a source; only a missing or pronoun subject falls back to word order.
        let subject = args.as_ref().and_then(|a| {
            if a.passive && a.actor.is_none() {
                a.recipient
            } else {
                a.actor
            }
        });
        let nominal_subject = subject.is_some_and(|k| {
            doc.tokens[view.offset + k]
                .syntax
                .as_ref()
                .is_some_and(|s| matches!(s.upos.as_str(), "NOUN" | "PROPN"))
        });
        let mut sources = match &b.source {
            Some(g) => g.members.clone(),
            None if !parse_src.is_empty() => parse_src,
            None if nominal_subject && parse_src.is_empty() => Vec::new(),
            None => before,
        };
        let targets = match (&b.target, &b.compound_target) {
            (Some(g), _) | (None, Some(g)) => g.members.clone(),
            _ if !parse_tgt.is_empty() => parse_tgt,
            _ => after,
        };
        // A target marked before the verb ("NOTED + *") took the subject: the source is the
        // actor before it.
        if b.source.is_none() {
            if let Some(t) = &b.target {
                if sources.iter().any(|s| t.members.contains(s)) {
                    sources = view
                        .groups
                        .iter()
                        .rev()
                        .find(|g| g.end <= t.start)
                        .map(|g| g.members.clone())
                        .unwrap_or_default();
                }
            }
        }
        let same = |a: usize, r: usize| {
            let (x, y) = (&doc.entities[a].actor, &doc.entities[r].actor);
            a == r || (x.cameo() == y.cameo())
        };
        let targets: Vec<usize> = targets
            .into_iter()
            .filter(|&r| !sources.iter().any(|&a| same(a, r)))
            .collect();
        (sources, targets, None)
    }
}

impl Stage for PetrarchVerbStage {
    fn name(&self) -> &'static str {
        "verbs"
    }

    fn process(&self, doc: &mut Doc) {
        let story_discarded = doc.discards.iter().any(|d| d.story);
        let mut events = Vec::new();
        if !story_discarded {
            for s in 0..doc.sentences.len() {
                if doc.discards.iter().any(|d| d.sentence == s) {
                    continue;
                }
                let view = SentenceView::new(doc, s);
                events.extend(self.code_sentence(doc, s, &view));
            }
        }
        doc.events = events;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_actors::{ActorStage, Dictionary};
    use dyad_core::Article;

    const VERBS: &str = "\
<!-- a tiny verb dictionary -->
&TIES_
+DIPLOMATIC
+ECONOMIC
+TRADE_PACT

&NEG
+DID N'T
+WILL NOT

--- RESTORE  [064]  ---
RESTORE    # comment
- * &TIES TIES  [901]
- * FULL_TIES  [902]
- &NEG *  [112]
- % *  [036:036]

--- BREAK [1717] ---
BREAK { BROKE BROKEN }
+BREAK_DOWN {+BROKE_DOWN +BROKEN_DOWN}
WIRE_+TAP {WIRE_+TAPPED} [1711]
- * TREATY  [161]
- + * IN $  [075]

--- LEFT  [032:033]  ---
LEFT

--- SAY [---] ---
SAY {SAID}
- * PLEASED [041]
";

    #[test]
    fn reads_blocks_forms_synsets_and_patterns() {
        let (d, w) = VerbDictionary::read("t.verbs.txt", VERBS);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(d.blocks.len(), 4);
        assert_eq!(d.blocks[0].code.primary.as_deref(), Some("064"));
        assert_eq!(d.blocks[2].code.reverse.as_deref(), Some("033"));
        assert!(d.blocks[3].code.is_null());
        // Regular and irregular forms, multi-word verbs with the verb word marked.
        for form in [
            "restores",
            "restored",
            "restoring",
            "broke",
            "broken",
            "breaks",
        ] {
            assert!(d.forms.contains_key(form), "{form}");
        }
        let down: Vec<_> = d.forms["broke"]
            .iter()
            .filter(|f| f.after == ["down"])
            .collect();
        assert_eq!(down.len(), 1);
        let tap = &d.forms["tapped"][0];
        assert_eq!(tap.before, ["wire"]);
        assert_eq!(tap.code.as_ref().unwrap().primary.as_deref(), Some("1711"));
        assert_eq!(d.members("TIES", 0).len(), 3);
        assert_eq!(d.members("TIES", 0)[2], ["trade", "pact"]);
        let p = &d.blocks[0].patterns[1];
        assert_eq!(p.upper[0].element, Element::Word("full".into()));
        assert!(!p.upper[0].adjacent);
        assert!(p.upper[1].adjacent);
        let p = &d.blocks[1].patterns[1];
        assert_eq!(p.lower[0].element, Element::Target);
        assert_eq!(p.upper[1].element, Element::Source);
        assert_eq!(p.origin, "t.verbs.txt:23");
    }

    #[test]
    fn codes_and_malformed_lines() {
        assert_eq!(
            VerbCode::parse("013:012").unwrap(),
            VerbCode {
                primary: Some("013".into()),
                reverse: Some("012".into())
            }
        );
        assert!(VerbCode::parse("---").unwrap().is_null());
        assert_eq!(
            VerbCode::parse("174k").unwrap().primary.as_deref(),
            Some("174K")
        );
        assert!(VerbCode::parse("08 0").is_err());
        let text = "\
--- GOOD [010] ---
GOOD
- * NO_STAR_HERE * [011]
- * UNCLOSED [012
- * &MISSING [013]
- * FINE [###]  # a hash inside a code is a code
+STRAY_VERB
~ a (a b ATTACK) SAY = a b 015
--- EMPTY [020] ---
--- LAST [030] ---- 
LAST
";
        let (d, w) = VerbDictionary::read("bad.txt", text);
        let lines: Vec<usize> = w.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 8, 10, 5], "{w:?}");
        assert!(w.iter().all(|e| e.file == "bad.txt"));
        // The rest is loaded: the good pattern, the stray multi-word verb, the last block.
        assert_eq!(d.blocks[0].patterns.len(), 2);
        assert_eq!(d.blocks[0].patterns[1].code.primary.as_deref(), Some("###"));
        assert!(d.forms.contains_key("stray"));
        assert_eq!(d.blocks.len(), 3);
        assert_eq!(d.blocks[2].code.primary.as_deref(), Some("030"));
    }

    fn code(
        text: &str,
        require_dyad: Option<bool>,
    ) -> Vec<(Vec<String>, Vec<String>, String, String)> {
        let mut dict = Dictionary::default();
        let w = dict.add_petrarch_actors(
            "t.actors.txt",
            "ARNOR_ [ARN]\nGONDOR_ [GON]\nOSGILIATH_ [OSG]\nMORDOR_ [MOR]\n",
        );
        assert!(w.is_empty());
        let (verbs, w) = VerbDictionary::read("t.verbs.txt", VERBS);
        assert!(w.is_empty());
        let stage = PetrarchVerbStage::new(verbs, Lexicon::builtin().unwrap());
        let mut article = Article::new("t", text);
        article.options.require_dyad = require_dyad;
        let mut doc = Doc::new(article);
        dyad_text::segment(&mut doc);
        ActorStage::new(dict).process(&mut doc);
        crate::QuoteStage::builtin().unwrap().process(&mut doc);
        stage.process(&mut doc);
        let codes = |ids: &[usize]| ids.iter().map(|&i| doc.entities[i].actor.cameo()).collect();
        doc.events
            .iter()
            .map(|e| {
                (
                    codes(&e.actors),
                    codes(&e.recipients),
                    e.cameo.clone(),
                    e.rule.clone(),
                )
            })
            .collect()
    }

    fn triples(text: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (a, r, c, _) in code(text, None) {
            for x in &a {
                for y in &r {
                    out.push((x.clone(), y.clone(), c.clone()));
                }
            }
        }
        out
    }

    fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn codes_sentences_with_patterns_synsets_and_markers() {
        // Default code of the block, and the pattern file:line as the rule.
        let got = code("Arnor will restore relations with Gondor.", None);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, "064");
        assert_eq!(got[0].3, "t.verbs.txt:11");
        // Synset member, words in between allowed by a space.
        assert_eq!(
            triples("Arnor restored trade pact ties with Gondor."),
            vec![t("ARN", "GON", "901")]
        );
        // '_' forbids words in between: "full economic ties" is not FULL_TIES.
        assert_eq!(
            triples("Arnor restored full economic ties with Gondor."),
            vec![t("ARN", "GON", "901")]
        );
        assert_eq!(
            triples("Arnor restored full ties with Gondor."),
            vec![t("ARN", "GON", "902")]
        );
        // A synset before the verb; contractions as the Treebank splits them.
        assert_eq!(
            triples("Arnor didn't restore relations with Gondor."),
            vec![t("ARN", "GON", "112")]
        );
        // Irregular and multi-word forms.
        assert_eq!(
            triples("Arnor broke down the treaty with Gondor."),
            vec![t("ARN", "GON", "161")]
        );
        assert_eq!(
            triples("Arnor wire tapped Gondor."),
            vec![t("ARN", "GON", "1711")]
        );
        // Source and target markers: "+ * IN $".
        assert_eq!(
            triples("Arnor will break in Gondor."),
            vec![t("GON", "ARN", "075")]
        );
        // Paired codes: 032 there, 033 back.
        assert_eq!(
            triples("Arnor left for Gondor."),
            vec![t("ARN", "GON", "032"), t("GON", "ARN", "033")]
        );
        // A compound subject with '%': coded between the members.
        let mut got = triples("Arnor and Osgiliath will restore their friendship.");
        got.sort();
        assert_eq!(got, vec![t("ARN", "OSG", "036"), t("OSG", "ARN", "036")]);
        // Compound targets stay one event with a list (the scorer expands it).
        let got = code("Arnor restored relations with Gondor and Mordor.", None);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, vec!["GON".to_string(), "MOR".to_string()]);
        // A null code codes nothing; unknown forms neither ("restores" yes, "restorez" no).
        assert!(triples("Arnor said Gondor was nice.").is_empty());
        assert!(triples("Arnor restorez relations with Gondor.").is_empty());
    }

    #[test]
    fn require_dyad_option() {
        assert!(code("Arnor said it was pleased.", None).is_empty());
        assert!(code("Arnor said it was pleased.", Some(true)).is_empty());
        let got = code("Arnor said it was pleased.", Some(false));
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].0.clone(), got[0].1.len(), got[0].2.as_str()),
            (vec!["ARN".to_string()], 0, "041")
        );
    }

    #[test]
    fn peer_verb_files_load() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/peer/petrarch2/dictionaries");
        for (name, max_warnings, min_blocks) in [
            ("PETR.Validate.verbs.txt", 1, 250),
            ("CAMEO.2.0.txt", 16, 390),
        ] {
            let Ok(bytes) = std::fs::read(dir.join(name)) else {
                eprintln!("skipped: {name} not found");
                continue;
            };
            let text: String = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
            };
            let (d, w) = VerbDictionary::read(name, &text);
            assert!(w.len() <= max_warnings, "{name}: {w:?}");
            assert!(
                d.blocks.len() >= min_blocks,
                "{name}: {} blocks",
                d.blocks.len()
            );
            assert!(w.iter().all(|e| e.file == name && e.line > 0));
        }
    }
}
