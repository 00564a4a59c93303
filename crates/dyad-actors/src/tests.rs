use super::*;
use dyad_core::{Article, Doc, EntityKind, Stage};
use std::sync::OnceLock;

fn stage() -> &'static ActorStage {
    static STAGE: OnceLock<ActorStage> = OnceLock::new();
    STAGE.get_or_init(|| ActorStage::builtin().expect("built-in dictionaries load"))
}

/// (text, code, sectors, identifier) of every entity.
fn entities(text: &str) -> Vec<(String, String, Vec<String>, Option<String>)> {
    let mut doc = Doc::new(Article::new("t", text));
    dyad_text::segment(&mut doc);
    stage().process(&mut doc);
    doc.entities
        .iter()
        .map(|e| {
            (
                doc.slice(e.span).to_string(),
                e.actor.code.clone(),
                e.actor.sectors.clone(),
                e.actor.identifier.clone(),
            )
        })
        .collect()
}

fn find<'a>(
    list: &'a [(String, String, Vec<String>, Option<String>)],
    text: &str,
) -> &'a (String, String, Vec<String>, Option<String>) {
    list.iter()
        .find(|e| e.0 == text)
        .unwrap_or_else(|| panic!("no entity {text:?} in {list:?}"))
}

#[test]
fn titles_names_and_nationalities_make_one_person() {
    let e = entities("Chinese Foreign Minister Wang Yi met in Beijing with his counterparts.");
    let wang = find(&e, "Chinese Foreign Minister Wang Yi");
    assert_eq!(wang.1, "CHN");
    assert_eq!(wang.2, ["GOV"]);
    assert_eq!(wang.3.as_deref(), Some("Wang Yi"));
    assert_eq!(find(&e, "Beijing").1, "CHN");
}

#[test]
fn possessive_country_and_sector_join() {
    let e = entities("Kenya's police arrested dozens of protesters in Nairobi on Tuesday.");
    let police = find(&e, "Kenya's police");
    assert_eq!(
        (police.1.as_str(), police.2.as_slice()),
        ("KEN", &["COP".to_string()][..])
    );
    assert_eq!(find(&e, "protesters").2, ["CVL"]);
    assert_eq!(find(&e, "Nairobi").1, "KEN");
}

#[test]
fn organisations_by_name_and_acronym() {
    let e = entities(
        "The Association of Southeast Asian Nations and the UN Security Council met. ASEAN agreed.",
    );
    let asean = find(&e, "Association of Southeast Asian Nations");
    assert_eq!(asean.1, "IGO");
    assert_eq!(
        asean.3.as_deref(),
        Some("Association of Southeast Asian Nations")
    );
    assert_eq!(find(&e, "ASEAN").3, asean.3);
    assert_eq!(find(&e, "UN Security Council").1, "UNO");
}

#[test]
fn proper_names_are_case_sensitive() {
    // "us" the pronoun and "chad" the word are not states.
    let e = entities("They told us the chad was missing, then Chad and the US agreed.");
    let codes: Vec<&str> = e.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(codes, ["TCD", "USA"]);
}

#[test]
fn historical_and_alternate_names_resolve() {
    for (name, code) in [
        ("Kiev", "UKR"),
        ("Kyiv", "UKR"),
        ("Burma", "MMR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
    ] {
        let e = entities(&format!("Officials in {name} spoke."));
        assert_eq!(find(&e, name).1, code, "{name}");
    }
}

#[test]
fn sector_without_country_keeps_an_empty_code() {
    let e = entities("Unknown gunmen attacked troops near the border.");
    let troops = find(&e, "troops");
    assert_eq!(troops.1, "");
    assert_eq!(troops.2, ["MIL"]);
}

#[test]
fn entity_kinds_and_rules_explain_the_match() {
    let mut doc = Doc::new(Article::new("t", "Russian troops crossed into Ukraine."));
    dyad_text::segment(&mut doc);
    stage().process(&mut doc);
    assert_eq!(doc.entities[0].kind, EntityKind::Group);
    assert!(
        doc.entities[0].rule.contains("countries.tsv:"),
        "{}",
        doc.entities[0].rule
    );
    assert!(
        doc.entities[0].rule.contains("sectors.tsv:"),
        "{}",
        doc.entities[0].rule
    );
    assert_eq!(doc.entities[1].kind, EntityKind::Country);
}

#[test]
fn malformed_dictionary_rows_name_file_and_line() {
    let mut d = Dictionary::default();
    let err = d
        .add_sectors(
            "my.tsv",
            "forms\tsector\tkind\ntroops\tMIL\tgroup\nbad row\tMIL\n",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "my.tsv:3: expected 3 tab-separated columns, found 2"
    );
    let err = d
        .add_countries(
            "c.tsv",
            "iso3\tname\tnames\tadjectives\tcities\nxx\tX\t\t\t\n",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "c.tsv:2: country code \"xx\" is not three capital letters"
    );
}

#[test]
fn regions_are_not_the_states_they_name() {
    let e = entities("Beijing sent ships into the South China Sea and aid to Latin America.");
    let codes: Vec<&str> = e.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(codes, ["Beijing"]);
}
