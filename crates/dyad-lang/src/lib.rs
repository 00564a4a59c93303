//! dyad's language core: a POS tagger, a lemmatizer, a dependency parser and a name
//! recognizer, trained on Universal Dependencies English-EWT and UNER by `dyad train`, with
//! their weights shipped in `models/` and compiled into the binary.
//!
//! No IO here: training takes parsed corpora, models read and write byte buffers.

pub mod conllu;
pub mod lemma;
pub mod ner;
pub mod parser;
pub mod perceptron;
pub mod stage;
pub mod table;
pub mod tagger;
pub mod train;
