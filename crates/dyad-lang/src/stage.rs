//! The language stage: tags, lemmatizes, parses and recognizes names in every sentence of a
//! `Doc`, with the models shipped in `models/`.

use crate::lemma::Lemmatizer;
use crate::ner::{Gazetteer, Recognizer};
use crate::parser::{ParseInput, Parser};
use crate::perceptron::ModelError;
use crate::tagger::Tagger;
use dyad_core::{Doc, Name, Span, Stage, Syntax};

/// The four models of the language core.
pub struct Models {
    pub tagger: Tagger,
    pub lemmatizer: Lemmatizer,
    pub parser: Parser,
    pub recognizer: Recognizer,
}

/// File names of the models under `models/`, as `dyad train` writes them.
pub const MODEL_FILES: [&str; 4] = ["tagger.bin", "lemma.bin", "parser.bin", "ner.bin"];

impl Models {
    /// The models compiled into the binary.
    pub fn builtin() -> Result<Models, ModelError> {
        Models::from_bytes([
            include_bytes!("../models/tagger.bin"),
            include_bytes!("../models/lemma.bin"),
            include_bytes!("../models/parser.bin"),
            include_bytes!("../models/ner.bin"),
        ])
    }

    /// The built-in tagger alone (for retraining the recognizer when the built-in one is
    /// from an older feature set).
    pub fn builtin_tagger() -> Result<Tagger, ModelError> {
        Tagger::from_bytes(include_bytes!("../models/tagger.bin"))
    }

    /// Models from their serialized bytes, in [`MODEL_FILES`] order.
    pub fn from_bytes(bytes: [&[u8]; 4]) -> Result<Models, ModelError> {
        Ok(Models {
            tagger: Tagger::from_bytes(bytes[0])?,
            lemmatizer: Lemmatizer::from_bytes(bytes[1])?,
            parser: Parser::from_bytes(bytes[2])?,
            recognizer: Recognizer::from_bytes(bytes[3])?,
        })
    }

    /// Serialized bytes, in [`MODEL_FILES`] order.
    pub fn to_bytes(&self) -> [Vec<u8>; 4] {
        [
            self.tagger.to_bytes(),
            self.lemmatizer.to_bytes(),
            self.parser.to_bytes(),
            self.recognizer.to_bytes(),
        ]
    }
}

/// Treebank spelling of typographic characters, which the models were trained on.
pub fn model_form(token: &str) -> std::borrow::Cow<'_, str> {
    if token.is_ascii() {
        return std::borrow::Cow::Borrowed(token);
    }
    std::borrow::Cow::Owned(
        token
            .chars()
            // Zero-width characters inside a word ("Rus\u{200B}sia") are not part of it.
            .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => '"',
                '\u{2013}' | '\u{2014}' => '-',
                c => c,
            })
            .collect(),
    )
}

/// One sentence's analysis, in word order.
pub struct Analysis {
    pub lemma: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    /// 0 = root, else 1-based index of the head word.
    pub head: Vec<usize>,
    pub deprel: Vec<String>,
    /// (start, end exclusive, label) in word indices.
    pub names: Vec<(usize, usize, &'static str)>,
}

/// Decides from a sentence's lowercased words and lemmas whether it needs a parse.
pub type ParseFilter = Box<dyn Fn(&[String], &[String]) -> bool + Send + Sync>;

pub struct LanguageStage {
    models: Models,
    gazetteer: Gazetteer,
    parse_filter: Option<ParseFilter>,
}

impl LanguageStage {
    pub fn new(models: Models, gazetteer: Gazetteer) -> Self {
        LanguageStage {
            models,
            gazetteer,
            parse_filter: None,
        }
    }

    /// Parses only the sentences `filter` accepts; the others are tagged, lemmatised and
    /// searched for names, and their tokens carry no head and an empty relation. The
    /// parser is most of the stage's time, and a coder needs the parse only where a
    /// trigger word occurs.
    pub fn with_parse_filter(mut self, filter: ParseFilter) -> Self {
        self.parse_filter = Some(filter);
        self
    }

    pub fn models(&self) -> &Models {
        &self.models
    }

    /// Analyses one sentence given as words.
    pub fn analyse(&self, words: &[&str]) -> Analysis {
        let m = &self.models;
        let tags = m.tagger.tag(words);
        let upos: Vec<&str> = tags.iter().map(|t| t.upos).collect();
        let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
        let lemma: Vec<String> = words
            .iter()
            .zip(&tags)
            .map(|(w, t)| m.lemmatizer.lemma(w, t.upos, t.xpos).into_owned())
            .collect();
        let wanted = self.parse_filter.as_ref().is_none_or(|f| {
            let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            f(&lower, &lemma)
        });
        let (head, deprel) = if wanted {
            let arcs = m.parser.parse(&ParseInput {
                words,
                upos: &upos,
                xpos: &xpos,
            });
            (
                arcs.iter().map(|a| a.head).collect(),
                arcs.iter().map(|a| a.deprel.to_string()).collect(),
            )
        } else {
            (vec![0; words.len()], vec![String::new(); words.len()])
        };
        let names = m.recognizer.recognize(words, &upos, &self.gazetteer);
        Analysis {
            lemma,
            upos: upos.iter().map(|s| s.to_string()).collect(),
            xpos: xpos.iter().map(|s| s.to_string()).collect(),
            head,
            deprel,
            names: names.iter().map(|n| (n.start, n.end, n.label)).collect(),
        }
    }
}

impl Stage for LanguageStage {
    fn name(&self) -> &'static str {
        "language"
    }

    fn process(&self, doc: &mut Doc) {
        let mut names = Vec::new();
        for s in 0..doc.sentences.len() {
            let range = doc.sentences[s].tokens.clone();
            let forms: Vec<std::borrow::Cow<str>> = range
                .clone()
                .map(|i| model_form(doc.token_text(i)))
                .collect();
            let words: Vec<&str> = forms.iter().map(|f| f.as_ref()).collect();
            let a = self.analyse(&words);
            let names_of_sentence = a.names.clone();
            // Move the strings into the tokens rather than copying them.
            let fields = a
                .lemma
                .into_iter()
                .zip(a.upos)
                .zip(a.xpos)
                .zip(a.deprel)
                .zip(a.head);
            for (i, ((((lemma, upos), xpos), deprel), head)) in range.clone().zip(fields) {
                doc.tokens[i].syntax = Some(Syntax {
                    lemma,
                    upos,
                    xpos,
                    head: (head > 0).then(|| range.start + head - 1),
                    deprel,
                });
            }
            for &(start, end, label) in &names_of_sentence {
                names.push(Name {
                    span: Span::new(
                        doc.tokens[range.start + start].span.start,
                        doc.tokens[range.start + end - 1].span.end,
                    ),
                    sentence: s,
                    label: label.to_string(),
                });
            }
        }
        doc.names = names;
    }
}
