//! The shipped models on hand-written news sentences: the constructions the event coder
//! depends on (passive voice, coordination, relative clauses, reported speech).

use dyad_lang::ner::Gazetteer;
use dyad_lang::stage::{Analysis, LanguageStage, Models};
use std::sync::OnceLock;

fn stage() -> &'static LanguageStage {
    static S: OnceLock<LanguageStage> = OnceLock::new();
    S.get_or_init(|| {
        let gaz = Gazetteer::new(
            &[
                "Kenya".into(),
                "Beijing".into(),
                "Peru".into(),
                "Chile".into(),
                "Colombia".into(),
            ],
            &["African Union".into()],
            &["Chinese".into()],
        );
        LanguageStage::new(Models::builtin().expect("shipped models load"), gaz)
    })
}

struct Parsed {
    words: Vec<&'static str>,
    a: Analysis,
}

impl Parsed {
    fn idx(&self, w: &str) -> usize {
        self.words
            .iter()
            .position(|x| *x == w)
            .unwrap_or_else(|| panic!("no word {w}"))
    }
    /// (head word, relation) of a word.
    fn arc(&self, w: &str) -> (&str, &str) {
        let k = self.idx(w);
        let h = self.a.head[k];
        (
            if h == 0 { "ROOT" } else { self.words[h - 1] },
            self.a.deprel[k].as_str(),
        )
    }
    fn lemma(&self, w: &str) -> &str {
        &self.a.lemma[self.idx(w)]
    }
}

fn parse(text: &'static str) -> Parsed {
    let words: Vec<&'static str> = text.split(' ').collect();
    let a = stage().analyse(&words);
    Parsed { words, a }
}

#[test]
fn active_subject_and_object() {
    let p = parse("Kenya condemned the attack on Monday .");
    assert_eq!(p.arc("Kenya"), ("condemned", "nsubj"));
    assert_eq!(p.arc("attack"), ("condemned", "obj"));
    assert_eq!(p.arc("condemned"), ("ROOT", "root"));
    assert_eq!(p.a.upos[p.idx("condemned")], "VERB");
}

#[test]
fn passive_voice_marks_the_patient_and_the_agent() {
    let p = parse("The proposal was rejected by the African Union on Friday .");
    assert_eq!(p.arc("proposal"), ("rejected", "nsubj:pass"));
    assert_eq!(p.arc("was"), ("rejected", "aux:pass"));
    assert_eq!(p.arc("Union").0, "rejected");
    assert!(p.arc("Union").1.starts_with("obl"), "{:?}", p.arc("Union"));
    assert_eq!(p.lemma("rejected"), "reject");
    assert_eq!(p.lemma("was"), "be");
}

#[test]
fn coordination_of_actors() {
    let p = parse("Peru , Chile and Colombia signed the agreement in Lima .");
    assert_eq!(p.arc("Peru"), ("signed", "nsubj"));
    assert_eq!(p.arc("Chile"), ("Peru", "conj"));
    assert_eq!(p.arc("Colombia"), ("Peru", "conj"));
    assert_eq!(p.arc("agreement"), ("signed", "obj"));
}

#[test]
fn relative_clause() {
    let p = parse("The minister , who met the envoys yesterday , left for Beijing .");
    assert_eq!(p.arc("met"), ("minister", "acl:relcl"));
    assert_eq!(p.arc("who"), ("met", "nsubj"));
    assert_eq!(p.arc("minister"), ("left", "nsubj"));
    assert_eq!(p.lemma("met"), "meet");
    assert_eq!(p.lemma("left"), "leave");
}

#[test]
fn reported_speech() {
    let p = parse("The ministry said that rebels had attacked the convoy .");
    assert_eq!(p.arc("ministry"), ("said", "nsubj"));
    assert_eq!(p.arc("attacked"), ("said", "ccomp"));
    assert_eq!(p.arc("rebels"), ("attacked", "nsubj"));
    assert_eq!(p.arc("convoy"), ("attacked", "obj"));
}

#[test]
fn names_are_recognized() {
    let p = parse("The minister , Wang Yi , told Reuters that Amnesty International had criticised the government of Kenya .");
    let names: Vec<(String, &str)> =
        p.a.names
            .iter()
            .map(|&(s, e, l)| (p.words[s..e].join(" "), l))
            .collect();
    // The recognizer is below its F1 target (issue 3): the person is found, not always whole.
    assert!(
        p.a.names
            .iter()
            .any(|&(s, e, l)| l == "PER" && (s..e).contains(&4)),
        "{names:?}"
    );
    assert!(
        names.contains(&("Amnesty International".to_string(), "ORG")),
        "{names:?}"
    );
    assert!(names.contains(&("Kenya".to_string(), "LOC")), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|(n, _)| n == "minister" || n == "government"),
        "{names:?}"
    );
}

#[test]
fn every_shipped_model_round_trips() {
    let m = Models::builtin().unwrap();
    let bytes = m.to_bytes();
    assert!(bytes.iter().all(|b| b.len() > 1000));
    let again = Models::from_bytes([&bytes[0], &bytes[1], &bytes[2], &bytes[3]]).unwrap();
    assert_eq!(again.to_bytes(), bytes);
}
