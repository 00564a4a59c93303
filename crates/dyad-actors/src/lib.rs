//! The actor layer: dictionaries of states, organisations and sector vocabulary, and the
//! resolver that turns their matches in a sentence into [`Entity`] mentions with PLOVER
//! country codes, sectors and identifiers.
//!
//! The dictionaries are TSV files under `data/`, compiled into the binary; the code here is
//! generic over them. Matching is one Aho-Corasick pass per document.

mod coref;
mod data;
mod petrarch;
mod resolve;

pub use data::{role_on, DataError, Dictionary, Entry, EntryKind, Membership, Role, SectorKind};
pub use petrarch::{chunks, split_code, PetrarchFile, MIN_STEM};
pub use resolve::{describe, ActorStage};

#[cfg(test)]
mod tests;
