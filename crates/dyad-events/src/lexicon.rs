//! The event coder's data: the CAMEO→PLOVER table, trigger patterns, speech cues and
//! modality cues, read from the TSV files under `data/`.

use std::collections::{HashMap, HashSet};

pub use dyad_core::tsv::DataError;
use dyad_core::tsv::{list as forms, rows};

/// What a CAMEO code means in PLOVER.
#[derive(Clone, Debug, PartialEq)]
pub struct CameoEntry {
    pub name: String,
    /// `None` where PLOVER has no category (some CAMEO 01 statements).
    pub plover: Option<String>,
    pub mode: Option<String>,
    pub context: Option<String>,
    pub quad: u8,
    pub scale: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerKind {
    Verb,
    Noun,
}

/// A trigger: a sequence of lowercase words and the CAMEO code it signals.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub words: Vec<String>,
    pub kind: TriggerKind,
    pub cameo: String,
    /// `file:line`, for explanations.
    pub origin: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueKind {
    /// "X said", "said X".
    Say,
    /// "according to X".
    According,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Near,
    Clause,
}

/// A modality cue: words and the auxiliary mode they set.
#[derive(Clone, Debug, PartialEq)]
pub struct ModalityCue {
    pub words: Vec<String>,
    pub context: String,
    pub scope: Scope,
}

/// Word sequences indexed by their first word, longest first.
#[derive(Clone, Debug)]
pub struct PhraseIndex<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for PhraseIndex<T> {
    fn default() -> Self {
        PhraseIndex {
            by_first: HashMap::new(),
        }
    }
}

impl<T> PhraseIndex<T> {
    pub fn insert(&mut self, words: Vec<String>, value: T) {
        let list = self.by_first.entry(words[0].clone()).or_default();
        list.push((words, value));
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    /// Every phrase that starts at `words[0]`, longest first, with its length.
    pub fn matches_at<S: AsRef<str>>(&self, words: &[S]) -> Vec<(usize, &T)> {
        let Some(list) = words.first().and_then(|w| self.by_first.get(w.as_ref())) else {
            return Vec::new();
        };
        list.iter()
            .filter(|(phrase, _)| {
                phrase.len() <= words.len()
                    && phrase.iter().zip(words).all(|(p, w)| p == w.as_ref())
            })
            .map(|(phrase, v)| (phrase.len(), v))
            .collect()
    }

    /// Whether some phrase starts with `word`.
    pub fn starts_with(&self, word: &str) -> bool {
        self.by_first.contains_key(word)
    }

    /// The longest phrase starting at `words[0]`.
    pub fn longest_at<S: AsRef<str>>(&self, words: &[S]) -> Option<(usize, &T)> {
        let list = self.by_first.get(words.first()?.as_ref())?;
        list.iter()
            .find(|(phrase, _)| {
                phrase.len() <= words.len()
                    && phrase.iter().zip(words).all(|(p, w)| p == w.as_ref())
            })
            .map(|(phrase, v)| (phrase.len(), v))
    }
}

/// Which dependent of the trigger a frame looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameRelation {
    /// `obj` or `iobj`.
    Object,
    /// `obl` or `nmod` with this preposition as its `case`.
    Oblique(String),
    /// A controlled verb.
    Xcomp,
    /// A clausal complement whose auxiliary is one of the dependents ("said Libya must
    /// hand over ...": a demand).
    ComplementAux,
    /// A clausal complement whose verb is one of the dependents (or any, `*`): "alleged
    /// the journalist had posted false messages".
    Complement,
}

/// A dependency frame (`frames.tsv`): the trigger's lemma fires when a dependent in
/// `relation` (or a noun modifying that dependent) has one of `dependents` as lemma.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// A particle the verb must have ("call off").
    pub particle: Option<String>,
    pub relation: FrameRelation,
    pub dependents: Vec<String>,
    pub pattern: Pattern,
}

/// All of the coder's data.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub cameo: HashMap<String, CameoEntry>,
    pub triggers: PhraseIndex<Pattern>,
    /// Trigger lemma → its dependency frames.
    pub frames: HashMap<String, Vec<Frame>>,
    pub speech: PhraseIndex<CueKind>,
    pub modality: PhraseIndex<ModalityCue>,
    pub words: WordClasses,
}

/// The word classes of `words.tsv` that the coder's passes read.
#[derive(Clone, Debug, Default)]
pub struct WordClasses {
    /// Nouns that name an undertaking ("mediation effort").
    pub event_heads: HashSet<String>,
    /// Violent nouns that cause a death or injury ("killed in police firing").
    pub causes: HashSet<String>,
    /// Verbs that comment on an event told before ("described the talks as candid").
    pub commenting: HashSet<String>,
    /// Nouns that name a claim someone made ("rejected the accusation").
    pub claim_nouns: HashSet<String>,
    /// Verbs whose object is a topic ("discussed China's role").
    pub topic_verbs: HashSet<String>,
}

const CAMEO: &str = include_str!("../data/cameo.tsv");
const VERBS: &str = include_str!("../data/verbs.tsv");
const FRAMES: &str = include_str!("../data/frames.tsv");
const SPEECH: &str = include_str!("../data/speech.tsv");
const MODALITY: &str = include_str!("../data/modality.tsv");
const WORDS: &str = include_str!("../data/words.tsv");

fn err(file: &str, line: usize, message: String) -> DataError {
    DataError::new(file, line, message)
}

fn words(phrase: &str) -> Vec<String> {
    phrase.split_whitespace().map(normalise_word).collect()
}

/// Lowercases and folds the typographic apostrophe, as tokens are compared.
pub fn normalise_word(w: &str) -> String {
    w.to_lowercase().replace('\u{2019}', "'")
}

impl Lexicon {
    /// dyad's built-in data.
    pub fn builtin() -> Result<Self, DataError> {
        let mut lex = Lexicon::default();
        lex.add_cameo("cameo.tsv", CAMEO)?;
        lex.add_triggers("verbs.tsv", VERBS)?;
        lex.add_frames("frames.tsv", FRAMES)?;
        lex.add_speech("speech.tsv", SPEECH)?;
        lex.add_modality("modality.tsv", MODALITY)?;
        lex.add_words("words.tsv", WORDS)?;
        Ok(lex)
    }

    /// `class  forms`: the word classes of [`WordClasses`].
    pub fn add_words(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 2) {
            let (line, c) = row?;
            let w = &mut self.words;
            let set = match c[0] {
                "event_head" => &mut w.event_heads,
                "cause" => &mut w.causes,
                "commenting" => &mut w.commenting,
                "claim_noun" => &mut w.claim_nouns,
                "topic_verb" => &mut w.topic_verbs,
                other => return Err(err(file, line, format!("unknown word class {other:?}"))),
            };
            set.extend(forms(c[1]).map(normalise_word));
        }
        Ok(())
    }

    /// `cameo  name  plover  mode  context  quad  scale`
    pub fn add_cameo(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 7) {
            let (line, c) = row?;
            let opt = |s: &str| (!s.is_empty() && s != "-").then(|| s.to_string());
            let quad = c[5]
                .parse::<u8>()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| err(file, line, format!("quad {:?} is not 1-4", c[5])))?;
            let scale = c[6]
                .parse::<f32>()
                .map_err(|_| err(file, line, format!("scale {:?} is not a number", c[6])))?;
            self.cameo.insert(
                c[0].to_string(),
                CameoEntry {
                    name: c[1].to_string(),
                    plover: opt(c[2]),
                    mode: opt(c[3]),
                    context: opt(c[4]),
                    quad,
                    scale,
                },
            );
        }
        Ok(())
    }

    /// `kind  forms  then  cameo`; codes must be in the CAMEO table already loaded.
    pub fn add_triggers(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 4) {
            let (line, c) = row?;
            let kind = match c[0] {
                "verb" => TriggerKind::Verb,
                "noun" => TriggerKind::Noun,
                other => {
                    return Err(err(
                        file,
                        line,
                        format!("kind {other:?} is not verb or noun"),
                    ))
                }
            };
            if !self.cameo.contains_key(c[3]) {
                return Err(err(
                    file,
                    line,
                    format!("CAMEO code {:?} is not in the CAMEO table", c[3]),
                ));
            }
            for form in forms(c[1]) {
                let mut w = words(form);
                w.extend(words(c[2]));
                self.triggers.insert(
                    w,
                    Pattern {
                        words: Vec::new(),
                        kind,
                        cameo: c[3].to_string(),
                        origin: format!("{file}:{line}"),
                    },
                );
            }
        }
        // Keep each pattern's own words for explanations.
        for list in self.triggers.by_first.values_mut() {
            for (w, p) in list.iter_mut() {
                p.words = w.clone();
            }
        }
        Ok(())
    }

    /// `lemmas  relation  dependents  cameo`; codes must be in the CAMEO table.
    pub fn add_frames(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 4) {
            let (line, c) = row?;
            let relation = match c[1] {
                "obj" => FrameRelation::Object,
                "xcomp" => FrameRelation::Xcomp,
                "ccomp/aux" => FrameRelation::ComplementAux,
                "ccomp" => FrameRelation::Complement,
                r => match r.strip_prefix("obl:") {
                    Some(p) if !p.is_empty() => FrameRelation::Oblique(p.to_string()),
                    _ => {
                        return Err(err(
                            file,
                            line,
                            format!(
                                "relation {r:?} is not obj, xcomp, ccomp, ccomp/aux or obl:PREP"
                            ),
                        ))
                    }
                },
            };
            if !self.cameo.contains_key(c[3]) {
                return Err(err(
                    file,
                    line,
                    format!("CAMEO code {:?} is not in the CAMEO table", c[3]),
                ));
            }
            let dependents: Vec<String> = forms(c[2]).map(normalise_word).collect();
            if dependents.is_empty() {
                return Err(err(file, line, "no dependents listed".into()));
            }
            for lemma in forms(c[0]) {
                let mut parts = lemma.split_whitespace().map(normalise_word);
                let head = parts.next().unwrap_or_default();
                let particle = parts.next();
                self.frames.entry(head.clone()).or_default().push(Frame {
                    particle,
                    relation: relation.clone(),
                    dependents: dependents.clone(),
                    pattern: Pattern {
                        words: vec![head],
                        kind: TriggerKind::Verb,
                        cameo: c[3].to_string(),
                        origin: format!("{file}:{line}"),
                    },
                });
            }
        }
        Ok(())
    }

    /// `forms  kind`
    pub fn add_speech(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 2) {
            let (line, c) = row?;
            let kind = match c[1] {
                "say" => CueKind::Say,
                "according" => CueKind::According,
                other => {
                    return Err(err(
                        file,
                        line,
                        format!("cue kind {other:?} is not say or according"),
                    ))
                }
            };
            for form in forms(c[0]) {
                self.speech.insert(words(form), kind);
            }
        }
        Ok(())
    }

    /// `forms  context  scope`
    pub fn add_modality(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        for row in rows(file, text, 3) {
            let (line, c) = row?;
            if !matches!(
                c[1],
                "negation" | "future" | "hypothetical" | "historical" | "generic"
            ) {
                return Err(err(
                    file,
                    line,
                    format!(
                        "{:?} is not one of PLOVER's auxiliary modes (or generic)",
                        c[1]
                    ),
                ));
            }
            let scope = match c[2] {
                "near" => Scope::Near,
                "clause" => Scope::Clause,
                other => {
                    return Err(err(
                        file,
                        line,
                        format!("scope {other:?} is not near or clause"),
                    ))
                }
            };
            for form in forms(c[0]) {
                let w = words(form);
                self.modality.insert(
                    w.clone(),
                    ModalityCue {
                        words: w,
                        context: c[1].to_string(),
                        scope,
                    },
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod word_tests {
    use super::*;

    #[test]
    fn word_classes_load_and_a_bad_class_names_its_line() {
        let lex = Lexicon::builtin().unwrap();
        assert!(lex.words.topic_verbs.contains("discuss"));
        assert!(lex.words.claim_nouns.contains("accusations"));
        assert!(lex.words.causes.contains("airstrike"));
        let mut lex = Lexicon::default();
        let text = "class\tforms\nevent_head\teffort\nfeeling\tangry\n";
        let e = lex.add_words("words.tsv", text).unwrap_err().to_string();
        assert!(
            e.contains("words.tsv") && e.contains('3') && e.contains("feeling"),
            "{e}"
        );
    }
}
