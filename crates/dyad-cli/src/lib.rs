//! The `dyad` command's library side: the assembled pipeline and the input readers, so that
//! integration tests and future front ends (server, store) share them with the CLI.

pub mod input;

use dyad_core::{Article, Doc, Stage};

/// The stages in order: text → actors → events.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The pipeline over dyad's built-in data.
    pub fn builtin() -> anyhow::Result<Self> {
        Ok(Pipeline {
            stages: vec![
                Box::new(dyad_text::TextStage),
                Box::new(dyad_actors::ActorStage::builtin()?),
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
}
