//! The event layer: reported speech, trigger patterns, argument assignment and modality.
//!
//! This first coder reads surface word order: the nearest actor group before a trigger is
//! its actor, the first after it its recipient, with passive voice ("was attacked by")
//! reversing them. Events inside reported speech carry an attribution to the speaker;
//! modality cues before a trigger set PLOVER's auxiliary modes in `context`.

mod answers;
mod coder;
pub mod filter;
mod lexicon;
mod passes;
pub mod petrarch;
mod quotes;
mod repeated;
mod speech;
mod syntax;

pub use coder::EventStage;
pub use filter::{EventFilter, EventFilterStage};
pub use lexicon::{normalise_word, CameoEntry, CueKind, DataError, Lexicon, Pattern, TriggerKind};
pub use petrarch::{PetrarchVerbStage, VerbDictionary};
pub use quotes::QuoteStage;

#[cfg(test)]
mod tests;
