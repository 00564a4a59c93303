//! Behaviour of the coder on hand-written sentences, run through the text and actor stages.

use super::*;
use dyad_actors::ActorStage;
use dyad_core::{Article, Doc, Stage};
use std::sync::OnceLock;

fn stages() -> &'static (ActorStage, QuoteStage, EventStage) {
    static S: OnceLock<(ActorStage, QuoteStage, EventStage)> = OnceLock::new();
    S.get_or_init(|| {
        (
            ActorStage::builtin().unwrap(),
            QuoteStage::builtin().unwrap(),
            EventStage::builtin().unwrap(),
        )
    })
}

fn code_article(article: Article) -> Doc {
    let mut doc = Doc::new(article);
    dyad_text::segment(&mut doc);
    stages().0.process(&mut doc);
    stages().1.process(&mut doc);
    stages().2.process(&mut doc);
    doc
}

fn code(text: &str) -> Doc {
    let mut a = Article::new("t", text);
    a.date = Some("2026-11-20".into());
    code_article(a)
}

/// (PLOVER type, actor codes, recipient codes, context) of every event.
type Summary = (String, Vec<String>, Vec<String>, Vec<String>);

fn summary(doc: &Doc) -> Vec<Summary> {
    let codes = |ids: &[usize]| {
        ids.iter()
            .map(|&i| doc.entities[i].actor.cameo())
            .collect::<Vec<_>>()
    };
    doc.events
        .iter()
        .map(|e| {
            (
                e.plover.join("+"),
                codes(&e.actors),
                codes(&e.recipients),
                e.context.clone(),
            )
        })
        .collect()
}

fn only(text: &str) -> Summary {
    let doc = code(text);
    let s = summary(&doc);
    assert_eq!(s.len(), 1, "expected one event in {text:?}, got {s:?}");
    s.into_iter().next().unwrap()
}

fn has_context(s: &Summary, c: &str) -> bool {
    s.3.iter().any(|x| x == c)
}

#[test]
fn builtin_data_loads_and_is_consistent() {
    let lex = Lexicon::builtin().expect("built-in event data loads");
    // Every PLOVER type has at least one trigger pattern.
    for ty in [
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ] {
        assert!(
            lex.cameo.values().any(|e| e.plover.as_deref() == Some(ty)),
            "no CAMEO code maps to {ty}"
        );
    }
}

#[test]
fn active_voice_actor_then_recipient() {
    let s = only("Russia condemned Ukraine on Tuesday.");
    assert_eq!(
        (s.0.as_str(), s.1.as_slice(), s.2.as_slice()),
        ("ACCUSE", &["RUS".to_string()][..], &["UKR".to_string()][..])
    );
    assert!(
        s.3.is_empty(),
        "a plain factual sentence has no auxiliary mode: {:?}",
        s.3
    );
}

#[test]
fn passive_voice_reverses_the_roles() {
    let s = only("Ukraine was attacked by Russia overnight.");
    assert_eq!(s.0, "ASSAULT");
    assert_eq!(s.1, ["RUS"]);
    assert_eq!(s.2, ["UKR"]);
}

#[test]
fn coordinated_actors_stay_one_list() {
    let s = only("Peru, Chile and Colombia condemned Venezuela.");
    assert_eq!(s.1, ["PER", "CHL", "COL"]);
    assert_eq!(s.2, ["VEN"]);
}

#[test]
fn titled_person_is_the_actor() {
    let s = only("Chinese Foreign Minister Wang Yi met Indonesian officials in Beijing.");
    assert_eq!(s.0, "CONSULT");
    assert_eq!(s.1, ["CHNGOV"]);
    assert_eq!(s.2, ["IDNGOV"]);
}

#[test]
fn negation_is_marked() {
    assert!(has_context(
        &only("Russia did not attack Ukraine."),
        "negation"
    ));
    assert!(has_context(
        &only("Japan has never recognised Taiwan."),
        "negation"
    ));
    assert!(!has_context(&only("Russia attacked Ukraine."), "negation"));
}

#[test]
fn future_is_marked_and_promised_cooperation_is_agree() {
    // An announced hostile act is a THREATEN (PLOVER), still marked future.
    let s = only("China will impose sanctions on Japan.");
    assert_eq!(s.0, "THREATEN");
    assert!(has_context(&s, "future"));
    // PLOVER: a promised meeting is AGREE, not a future CONSULT.
    let s = only("Kenya plans to meet Uganda next month.");
    assert_eq!(s.0, "AGREE");
    assert!(!has_context(
        &only("China imposed sanctions on Japan."),
        "future"
    ));
}

#[test]
fn hypothetical_is_marked() {
    let doc = code("If talks fail, Poland would impose sanctions on Belarus.");
    let s = summary(&doc);
    assert!(
        s.iter()
            .any(|e| e.0 == "THREATEN" && e.3.iter().any(|c| c == "hypothetical")),
        "{s:?}"
    );
    assert!(!has_context(
        &only("Poland imposed sanctions on Belarus."),
        "hypothetical"
    ));
}

#[test]
fn historical_is_marked_by_an_earlier_year() {
    let s = only("In 1994, Rwanda accused France of arming militias.");
    assert!(has_context(&s, "historical"), "{s:?}");
    assert!(!has_context(
        &only("Rwanda accused France of arming militias."),
        "historical"
    ));
}

#[test]
fn reported_speech_is_attributed_to_the_speaker() {
    let doc = code("Kenya said Somalia attacked its troops.");
    let ev = doc
        .events
        .iter()
        .find(|e| e.plover == ["ASSAULT"])
        .expect("an assault");
    let att = ev.attribution.as_ref().expect("attributed");
    assert_eq!(doc.entities[att.speaker.unwrap()].actor.code, "KEN");
    assert_eq!(doc.slice(att.cue), "said");
    assert_eq!(doc.entities[ev.actors[0]].actor.code, "SOM");

    let doc = code("According to the Malian government, Algerian troops attacked the rebels.");
    let ev = &doc.events[0];
    assert_eq!(doc.entities[ev.actors[0]].actor.cameo(), "DZAMIL");
    let att = ev.attribution.as_ref().expect("attributed");
    assert_eq!(doc.slice(att.cue), "According to");
    assert_eq!(doc.entities[att.speaker.unwrap()].actor.cameo(), "MLIGOV");

    let doc = code("Somalia attacked Kenyan troops.");
    assert!(
        doc.events[0].attribution.is_none(),
        "the outlet's own account is not a claim"
    );
}

#[test]
fn direct_quotes_have_speakers_and_attribute_their_events() {
    let doc = code("“We will never accept the sanctions imposed by Washington,” Venezuelan Foreign Minister Yvan Gil said.");
    let q = &doc.quotes[0];
    assert!(q.direct);
    assert_eq!(
        doc.entities[q.speaker.unwrap()].actor.identifier.as_deref(),
        Some("Yvan Gil")
    );
    assert_eq!(doc.slice(q.cue.unwrap()), "said");
}

#[test]
fn require_dyad_drops_events_without_recipient() {
    let mut a = Article::new(
        "t",
        "Protesters rallied in Nairobi. Russia condemned Ukraine.",
    );
    a.options.require_dyad = Some(true);
    let doc = code_article(a);
    assert!(doc.events.iter().all(|e| !e.recipients.is_empty()));
    assert_eq!(doc.events.len(), 1);
}

#[test]
fn every_event_points_back_to_the_text() {
    let doc = code("Chinese Foreign Minister Wang Yi met his ASEAN counterparts in Beijing. Manila rejected the claim on Friday.");
    assert!(!doc.events.is_empty());
    for e in &doc.events {
        let sentence = doc.sentences[e.sentence].span;
        assert!(sentence.contains(e.trigger));
        for &a in e.actors.iter().chain(&e.recipients) {
            assert_eq!(doc.entities[a].sentence, e.sentence);
        }
        assert!(e.rule.contains("verbs.tsv:"), "{}", e.rule);
        assert!(e.confidence > 0.0 && e.confidence <= 1.0);
    }
}

#[test]
fn discarded_sentences_and_stories_are_not_coded() {
    let text = "Turkey condemned Greece on Monday. Russia attacked Ukraine on Tuesday.";
    let coded = |discard: Option<(usize, bool)>| {
        let mut a = Article::new("t", text);
        a.date = Some("2026-11-20".into());
        let mut doc = Doc::new(a);
        dyad_text::segment(&mut doc);
        stages().0.process(&mut doc);
        if let Some((sentence, story)) = discard {
            doc.discards.push(dyad_core::Discard {
                span: doc.sentences[sentence].span,
                sentence,
                story,
                rule: "t.discards.txt:1".into(),
            });
        }
        stages().1.process(&mut doc);
        stages().2.process(&mut doc);
        doc.events.iter().map(|e| e.sentence).collect::<Vec<_>>()
    };
    assert_eq!(coded(None), [0, 1]);
    assert_eq!(coded(Some((0, false))), [1]);
    assert_eq!(coded(Some((1, true))), Vec::<usize>::new());
}

#[test]
fn a_bare_attribution_codes_nothing_and_keeps_the_rest() {
    // Issue 11: these panicked the coder ("index out of bounds") or the writer.
    for text in [
        "According to",
        "According to Reuters.",
        "Russia attacked Ukraine. As stated by officials.",
    ] {
        let doc = code(text);
        assert!(
            doc.quotes.iter().all(|q| q.span.start <= q.span.end),
            "{text}"
        );
    }
    let doc = code("According to officials. Russia attacked Ukraine on Monday.");
    let s = summary(&doc);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].0, "ASSAULT");
    assert!(doc.quotes.iter().all(|q| q.span.start <= q.span.end));
}
