//! The `dyad` command's library side: the assembled pipeline and the input readers, so that
//! integration tests and future front ends (server, store) share them with the CLI.

pub mod corpora;
pub mod explain;
pub mod fuzz;
pub mod input;

use anyhow::{bail, Context};
use dyad_actors::{ActorStage, DataError, Dictionary, PetrarchFile};
use dyad_core::{Article, Doc, Stage};
use dyad_events::petrarch::is_verb_file;
use dyad_events::{PetrarchVerbStage, VerbDictionary};
use dyad_lang::ner::Gazetteer;
use dyad_lang::stage::{LanguageStage, Models};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The stages in order: text → language → actors → events.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

/// The name recognizer's gazetteer, from dyad's own actor dictionaries.
pub fn gazetteer(dict: &Dictionary) -> Gazetteer {
    let (places, orgs, demonyms) = dict.gazetteer_names();
    Gazetteer::new(&places, &orgs, &demonyms)
}

impl Pipeline {
    /// The pipeline over dyad's built-in data and models.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::with_dictionary(Dictionary::builtin()?)
    }

    /// The pipeline with `dict` as the actor dictionaries (PETRARCH ones, say) in place of
    /// the built-in ones; the name recognizer keeps the built-in gazetteer.
    pub fn with_dictionary(dict: Dictionary) -> anyhow::Result<Self> {
        Self::with_dictionaries(dict, None)
    }

    /// The pipeline with `dict` as the actor dictionaries and, when given, PETRARCH verb
    /// dictionaries coding the events: dyad's own coder still finds the quotes, then the
    /// verb stage replaces its events with those the verb patterns code.
    pub fn with_dictionaries(
        dict: Dictionary,
        verbs: Option<VerbDictionary>,
    ) -> anyhow::Result<Self> {
        let lookup = ActorLookup::with_dictionary(dict)?;
        let verbs = verbs.filter(|v| !v.is_empty());
        // dyad's own coder needs the parse only in sentences with a trigger word; PETRARCH
        // verb dictionaries match other words, so with them every sentence is parsed.
        let language = if verbs.is_none() {
            let coder = dyad_events::EventStage::builtin()?;
            lookup
                .language
                .with_parse_filter(Box::new(move |w, l| coder.may_code(w, l)))
        } else {
            lookup.language
        };
        let mut stages: Vec<Box<dyn Stage>> = vec![
            Box::new(dyad_text::TextStage),
            Box::new(language),
            Box::new(lookup.actors),
            Box::new(dyad_events::QuoteStage::builtin()?),
        ];
        // One event coder or the other, both reading the quotes.
        match verbs {
            Some(verbs) => stages.push(Box::new(PetrarchVerbStage::new(
                verbs,
                dyad_events::Lexicon::builtin()?,
            ))),
            None => {
                stages.push(Box::new(dyad_events::EventStage::builtin()?));
                stages.push(Box::new(dyad_events::EventFilterStage::builtin()?));
            }
        }
        // Places last: event locations are chosen for the events that survived the filter.
        stages.push(Box::new(dyad_geo::GeoStage::builtin()?));
        Ok(Pipeline { stages })
    }

    /// The same pipeline with `model` as its event filter (an empty model keeps every
    /// event the rules find: how the filter is trained).
    pub fn with_event_filter(mut self, model: dyad_events::EventFilter) -> Self {
        for stage in &mut self.stages {
            if stage.name() == "event filter" {
                *stage = Box::new(dyad_events::EventFilterStage::new(model.clone()));
            }
        }
        self
    }

    pub fn stages(&self) -> impl Iterator<Item = &dyn Stage> {
        self.stages.iter().map(|s| s.as_ref())
    }

    /// Runs every stage over one article.
    pub fn run(&self, article: Article) -> Doc {
        let mut doc = Doc::new(article);
        for stage in &self.stages {
            stage.process(&mut doc);
        }
        doc
    }

    /// Runs every stage over one article, catching a panic in any of them: one bug hit by
    /// one article must not end the run (the caller reports it and goes on).
    pub fn try_run(&self, article: Article) -> Result<Doc, InternalError> {
        self.try_run_timed(article, &mut [])
    }

    /// [`Pipeline::try_run`], adding each stage's time to `spent` (one slot per stage,
    /// when there are slots).
    pub fn try_run_timed(
        &self,
        article: Article,
        spent: &mut [Duration],
    ) -> Result<Doc, InternalError> {
        let mut doc = Doc::new(article);
        for (k, stage) in self.stages.iter().enumerate() {
            let t = Instant::now();
            guarded(stage.as_ref(), &mut doc)?;
            if let Some(slot) = spent.get_mut(k) {
                *slot += t.elapsed();
            }
        }
        Ok(doc)
    }

    /// A pipeline of the given stages (`dyad parse` runs only text and language).
    pub fn from_stages(stages: Vec<Box<dyn Stage>>) -> Self {
        Pipeline { stages }
    }
}

/// Runs one stage, turning a panic into an [`InternalError`] naming the stage.
fn guarded(stage: &dyn Stage, doc: &mut Doc) -> Result<(), InternalError> {
    GUARDED.with(|g| g.set(true));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stage.process(doc)));
    GUARDED.with(|g| g.set(false));
    let Err(payload) = caught else {
        return Ok(());
    };
    Err(InternalError {
        id: doc.article.id.clone(),
        stage: stage.name(),
        message: panic_message(payload.as_ref()),
        location: PANIC_LOCATION.with(|l| l.take()),
    })
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// A panic inside a stage, caught by [`Pipeline::try_run`].
#[derive(Debug, Clone, PartialEq)]
pub struct InternalError {
    pub id: String,
    pub stage: &'static str,
    pub message: String,
    /// Where it panicked, when the hook of [`quiet_panics`] recorded it.
    pub location: Option<String>,
}

impl std::fmt::Display for InternalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: internal error in the {} stage: {}",
            self.id, self.stage, self.message
        )?;
        if let Some(l) = &self.location {
            write!(f, " (at {l})")?;
        }
        Ok(())
    }
}

thread_local! {
    static PANIC_LOCATION: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Inside [`Pipeline::try_run`], replaces the default panic message (printed from whatever
/// thread, mid-output) with a record of where it happened, which goes into its error;
/// elsewhere panics print as usual.
pub fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_print_failure(&panic_message(info.payload())) {
            // `println!` to a closed pipe or a full disk: main reports it as a write error.
        } else if GUARDED.with(|g| g.get()) {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANIC_LOCATION.with(|l| l.set(at));
        } else {
            default(info);
        }
    }));
}

/// Whether a panic is `println!`'s failure to write stdout (a closed pipe, a full disk).
pub fn is_print_failure(message: &str) -> bool {
    message.starts_with("failed printing to stdout")
}

/// The stages up to the actors (text → language → actors), keeping the dictionary at hand
/// for `dyad actors lookup`.
pub struct ActorLookup {
    language: LanguageStage,
    actors: ActorStage,
}

impl ActorLookup {
    pub fn with_dictionary(dict: Dictionary) -> anyhow::Result<Self> {
        let language = LanguageStage::new(Models::builtin()?, gazetteer(&Dictionary::builtin()?));
        Ok(ActorLookup {
            language,
            actors: ActorStage::new(dict),
        })
    }

    pub fn dictionary(&self) -> &Dictionary {
        self.actors.dictionary()
    }

    pub fn run(&self, article: Article) -> Doc {
        let mut doc = Doc::new(article);
        dyad_text::TextStage.process(&mut doc);
        self.language.process(&mut doc);
        self.actors.process(&mut doc);
        doc
    }
}

/// PETRARCH dictionaries as read by [`read_petrarch`].
pub struct PetrarchDictionaries {
    pub dict: Dictionary,
    /// The verb dictionaries (`*.verbs.txt`, `CAMEO.*.txt`), when there are any.
    pub verbs: Option<VerbDictionary>,
    /// The files read, in reading order.
    pub files: Vec<PathBuf>,
    /// Malformed lines (skipped), with file and line.
    pub warnings: Vec<DataError>,
    pub elapsed: Duration,
}

/// The family of a PETRARCH file: its name up to the first dot ("PETR", "Phoenix").
fn family(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Reads the PETRARCH actor, agent and discard dictionaries (`*.actors.txt`,
/// `*.agents.txt`, `*.discards.txt`) named by `path`:
///
/// - a directory: every such file in it (not in subdirectories), or with `prefix` only the
///   files whose names start with it when there are any;
/// - `DIR/PREFIX`: the files in DIR whose names start with PREFIX
///   (`dictionaries/PETR.Validate`, `dictionaries/Phoenix`).
///
/// and the verb dictionaries (`*.verbs.txt`, `CAMEO.*.txt`) among the same files. Other
/// files (issue coding, prepositions) are not read. Files are read family by family,
/// actors before agents before discards before verbs. Files in
/// Latin-1 rather than UTF-8 are decoded as Latin-1.
pub fn read_petrarch(path: &Path, prefix: Option<&str>) -> anyhow::Result<PetrarchDictionaries> {
    let started = Instant::now();
    let (dir, prefix) = if path.is_dir() {
        (path.to_path_buf(), prefix.map(str::to_string))
    } else {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let name = path.file_name().and_then(|n| n.to_str());
        match (parent, name) {
            (Some(p), Some(n)) if p.is_dir() => (p.to_path_buf(), Some(n.to_string())),
            _ => bail!(
                "--dictionaries {}: no such directory (nor DIR/PREFIX of PETRARCH files)",
                path.display()
            ),
        }
    };
    // `None` marks a verb file.
    let mut found: Vec<(Option<PetrarchFile>, String)> = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let kind = PetrarchFile::of(&name);
        if (kind.is_some() || is_verb_file(&name)) && entry.path().is_file() {
            found.push((kind, name));
        }
    }
    if let Some(p) = &prefix {
        let matching: Vec<_> = found
            .iter()
            .filter(|(_, n)| n.starts_with(p.as_str()))
            .cloned()
            .collect();
        if !matching.is_empty() || !path.is_dir() {
            found = matching;
        }
    }
    if found.is_empty() {
        bail!(
            "--dictionaries {}: no *.actors.txt, *.agents.txt, *.discards.txt or verb files{}",
            path.display(),
            prefix
                .map(|p| format!(" starting with {p:?}"))
                .unwrap_or_default()
        );
    }
    let rank = |k: Option<PetrarchFile>| match k {
        Some(PetrarchFile::Actors) => 0,
        Some(PetrarchFile::Agents) => 1,
        Some(PetrarchFile::Discards) => 2,
        None => 3,
    };
    found.sort_by(|a, b| (family(&a.1), rank(a.0), &a.1).cmp(&(family(&b.1), rank(b.0), &b.1)));
    let mut dict = Dictionary::default();
    let mut verbs: Option<VerbDictionary> = None;
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    for (kind, name) in &found {
        let file = dir.join(name);
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
        };
        if kind.is_none() {
            let w = verbs
                .get_or_insert_with(VerbDictionary::default)
                .add_file(name, &text);
            warnings.extend(w);
        } else if let Some(w) = dict.add_petrarch_file(name, &text) {
            warnings.extend(w);
        }
        files.push(file);
    }
    Ok(PetrarchDictionaries {
        dict,
        verbs,
        files,
        warnings,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::Doc;

    /// A stage with a bug that one article hits.
    struct Fragile;
    impl Stage for Fragile {
        fn name(&self) -> &'static str {
            "fragile"
        }
        fn process(&self, doc: &mut Doc) {
            if doc.text().contains("boom") {
                let empty: Vec<usize> = Vec::new();
                let _ = empty[doc.text().len()];
            }
        }
    }

    #[test]
    fn a_panicking_stage_fails_its_article_only() {
        quiet_panics();
        let p = Pipeline {
            stages: vec![Box::new(dyad_text::TextStage), Box::new(Fragile)],
        };
        let ok = p.try_run(Article::new("a", "Peru met Chile.")).unwrap();
        assert_eq!(ok.sentences.len(), 1);
        let e = p.try_run(Article::new("b", "It went boom.")).unwrap_err();
        assert_eq!(e.stage, "fragile");
        assert!(e
            .to_string()
            .starts_with("b: internal error in the fragile stage: index out of bounds"));
        assert!(e.location.unwrap().contains("lib.rs"));
        // The next article on the same thread is coded as usual.
        assert!(p.try_run(Article::new("c", "Peru met Chile.")).is_ok());
    }
}
