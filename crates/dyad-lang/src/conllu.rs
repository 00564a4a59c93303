//! CoNLL-U reading and writing (basic trees only: multiword-token ranges and empty nodes are
//! skipped), plus the `word TAB tag` NER format of the UNER files.

/// One syntactic word of a treebank sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root, else the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    /// Whether a space follows the word in the original text (`SpaceAfter=No` absent).
    pub space_after: bool,
}

/// A sentence of a treebank.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeSentence {
    pub id: String,
    pub text: String,
    pub words: Vec<Word>,
}

/// A malformed line, with its number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

/// Parses CoNLL-U text into sentences.
pub fn parse(text: &str) -> Result<Vec<TreeSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = TreeSentence::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(v) = c.strip_prefix("sent_id =") {
                cur.id = v.trim().to_string();
            } else if let Some(v) = c.strip_prefix("text =") {
                cur.text = v.trim().to_string();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let err = |message: String| ConlluError {
            line: i + 1,
            message,
        };
        if cols.len() != 10 {
            return Err(err(format!("expected 10 columns, found {}", cols.len())));
        }
        // Multiword-token ranges ("3-4") and empty nodes ("8.1") are not basic-tree words.
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let head = match cols[6] {
            "_" => 0,
            h => h
                .parse()
                .map_err(|_| err(format!("head {h:?} is not a number")))?,
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            space_after: !cols[9].split('|').any(|m| m == "SpaceAfter=No"),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Writes sentences as CoNLL-U.
pub fn write(sentences: &[TreeSentence]) -> String {
    let mut s = String::new();
    for sent in sentences {
        if !sent.id.is_empty() {
            s.push_str(&format!("# sent_id = {}\n", sent.id));
        }
        if !sent.text.is_empty() {
            s.push_str(&format!("# text = {}\n", sent.text));
        }
        for (i, w) in sent.words.iter().enumerate() {
            let or = |x: &str| {
                if x.is_empty() {
                    "_".to_string()
                } else {
                    x.to_string()
                }
            };
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}\n",
                i + 1,
                w.form,
                or(&w.lemma),
                or(&w.upos),
                or(&w.xpos),
                or(&w.feats),
                w.head,
                or(&w.deprel),
                if w.space_after { "_" } else { "SpaceAfter=No" }
            ));
        }
        s.push('\n');
    }
    s
}

/// NER sentences: words and their IOB2 tags.
pub type NerSentences = Vec<(Vec<String>, Vec<String>)>;

/// Parses the `word TAB tag` NER files (blank line between sentences) into
/// (words, IOB2 tags) per sentence.
pub fn parse_ner(text: &str) -> Result<NerSentences, ConlluError> {
    let mut out = Vec::new();
    let (mut words, mut tags) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !words.is_empty() {
                out.push((std::mem::take(&mut words), std::mem::take(&mut tags)));
            }
            continue;
        }
        let (w, t) = line.split_once('\t').ok_or(ConlluError {
            line: i + 1,
            message: "expected word TAB tag".into(),
        })?;
        words.push(w.to_string());
        tags.push(t.trim().to_string());
    }
    if !words.is_empty() {
        out.push((words, tags));
    }
    Ok(out)
}

/// Treebanks for the models' tests, read where present (`shared/corpora`, beside the
/// repository): a test without its data says so and passes.
#[cfg(test)]
pub(crate) mod corpora {
    use super::TreeSentence;

    pub(crate) const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpora");

    pub(crate) fn read(path: &str) -> Option<Vec<TreeSentence>> {
        let text = std::fs::read_to_string(path).ok()?;
        Some(super::parse(&text).expect("valid CoNLL-U"))
    }

    /// EWT dev.
    pub(crate) fn ewt_dev() -> Option<Vec<TreeSentence>> {
        let path = format!("{DIR}/ud-english-ewt/en_ewt-ud-dev.conllu");
        let dev = read(&path);
        if dev.is_none() {
            eprintln!("{path} absent: skipped");
        }
        dev
    }

    /// EWT train (unpacked to `/tmp/ewt-train.conllu`), dev and test.
    pub(crate) fn ewt_splits() -> Option<[Vec<TreeSentence>; 3]> {
        let (Some(train), Some(dev), Some(test)) = (
            read("/tmp/ewt-train.conllu"),
            read(&format!("{DIR}/ud-english-ewt/en_ewt-ud-dev.conllu")),
            read(&format!("{DIR}/ud-english-ewt/en_ewt-ud-test.conllu")),
        ) else {
            eprintln!("EWT data absent (/tmp/ewt-train.conllu or the shared corpora): skipped");
            return None;
        };
        Some([train, dev, test])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = s1\n# text = Peru's troops left.\n1-2\tPeru's\t_\t_\t_\t_\t_\t_\t_\t_\n1\tPeru\tPeru\tPROPN\tNNP\t_\t3\tnmod:poss\t_\t_\n2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n3\ttroops\ttroop\tNOUN\tNNS\t_\t4\tnsubj\t_\t_\n4\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n4.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_basic_trees_and_round_trips() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].id, "s1");
        let forms: Vec<&str> = s[0].words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["Peru", "'s", "troops", "left", "."]);
        assert_eq!(s[0].words[3].lemma, "leave");
        assert!(!s[0].words[3].space_after);
        assert_eq!(parse(&write(&s)).unwrap(), s);
    }

    #[test]
    fn malformed_lines_name_their_number() {
        let err = parse("1\tx\n").unwrap_err();
        assert_eq!(err.to_string(), "line 1: expected 10 columns, found 2");
    }

    #[test]
    fn ner_blocks() {
        let s = parse_ner("President\tO\nBush\tB-PER\n\nHi\tO\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1, ["O", "B-PER"]);
    }
}
