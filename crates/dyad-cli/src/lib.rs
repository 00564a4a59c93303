//! The `dyad` command's library side: the assembled pipeline and the input readers, so that
//! integration tests and future front ends (server, store) share them with the CLI.

pub mod corpora;
pub mod input;

use dyad_actors::{Dictionary, EntryKind};
use dyad_core::{Article, Doc, Stage};
use dyad_lang::ner::Gazetteer;
use dyad_lang::stage::{LanguageStage, Models};
use std::time::{Duration, Instant};

/// The stages in order: text → language → actors → events.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

/// The name recognizer's gazetteer, from dyad's own actor dictionaries.
pub fn gazetteer(dict: &Dictionary) -> Gazetteer {
    let (mut places, mut orgs, mut demonyms) = (Vec::new(), Vec::new(), Vec::new());
    for e in &dict.entries {
        match &e.kind {
            EntryKind::CountryName { .. } | EntryKind::City { .. } | EntryKind::Region => {
                places.push(e.form.clone())
            }
            EntryKind::Organisation { .. } => orgs.push(e.form.clone()),
            EntryKind::CountryAdjective { .. } => demonyms.push(e.form.clone()),
            EntryKind::Sector { .. } | EntryKind::Named { .. } | EntryKind::Discard { .. } => {}
        }
    }
    Gazetteer::new(&places, &orgs, &demonyms)
}

impl Pipeline {
    /// The pipeline over dyad's built-in data and models.
    pub fn builtin() -> anyhow::Result<Self> {
        let dict = Dictionary::builtin()?;
        let language = LanguageStage::new(Models::builtin()?, gazetteer(&dict));
        Ok(Pipeline {
            stages: vec![
                Box::new(dyad_text::TextStage),
                Box::new(language),
                Box::new(dyad_actors::ActorStage::new(dict)),
                Box::new(dyad_events::EventStage::builtin()?),
            ],
        })
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

    /// Runs every stage, adding each one's time to `spent` (one slot per stage).
    pub fn run_timed(&self, article: Article, spent: &mut [Duration]) -> Doc {
        let mut doc = Doc::new(article);
        for (stage, slot) in self.stages.iter().zip(spent.iter_mut()) {
            let t = Instant::now();
            stage.process(&mut doc);
            *slot += t.elapsed();
        }
        doc
    }
}
