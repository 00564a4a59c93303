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

// --- PETRARCH/TABARI dictionaries -------------------------------------------------------

const ACTORS: &str = "<!-- TEST ACTORS
  spanning lines -->
# a comment
ARGENTIN  [ARG]
ARNOR_  [ARN]   # exact word
ENT  [ENT]
THE_KU [USAEDU]
HAMAS [PSEREBHMS]
PALESTINIAN [pse]
BOROMIR  [---]

GOLLUM  # no default code
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
JAVIER_DE_CUELLAR_\t[IGOUNO 820101-911231] [ELI]
BAD_DATES_ [XYZ]
\t[XYZGOV 2004017-20061201]
\t[XYZMIL 991231-990101]
LEONID_BREZHNEV_
LEONID_ILYICH_BREZHNEV
\t[RUSGOV 641014-821110]
+ORPHAN [ORP] trailing words
";

const AGENTS: &str = "!PERSON! = MAN, MEN, WOMAN
FOREIGN_MINISTER [~GOVFRM] # jap
POLICE {} [ ~COP]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
AUTHORITY [~GOV]
CONGRESS!PERSON! [~LEG]
!NOSUCH!_OF_THINGS [~GOV]
MSF {}  [NGO~]
NO_CODE_HERE
";

const DISCARDS: &str = "# Story-level discards have a '+'.
+TYPHOON
BASEBALL_
";

fn petrarch_stage() -> (ActorStage, Vec<DataError>) {
    let mut d = Dictionary::default();
    let mut w = d.add_petrarch_actors("t.actors.txt", ACTORS);
    w.extend(d.add_petrarch_agents("t.agents.txt", AGENTS));
    w.extend(d.add_petrarch_discards("t.discards.txt", DISCARDS));
    (ActorStage::new(d), w)
}

fn run(stage: &ActorStage, text: &str, date: &str) -> Doc {
    let mut a = Article::new("t", text);
    a.date = Some(date.into());
    let mut doc = Doc::new(a);
    dyad_text::segment(&mut doc);
    stage.process(&mut doc);
    doc
}

/// (text, CAMEO code) of every entity.
fn cameos(doc: &Doc) -> Vec<(String, String)> {
    doc.entities
        .iter()
        .map(|e| (doc.slice(e.span).to_string(), e.actor.cameo()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn petrarch_malformed_lines_are_reported_and_the_rest_loaded() {
    let (stage, warnings) = petrarch_stage();
    let got: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        got,
        [
            "t.actors.txt:19: date \"2004017\" is neither YYMMDD nor YYYYMMDD",
            "t.actors.txt:20: date range ends (1999-01-01) before it starts (1999-12-31)",
            "t.actors.txt:24: text \"trailing words\" after the codes ignored (a comment without '#'?)",
            "t.agents.txt:7: substitution set !NOSUCH! is not defined",
            "t.agents.txt:9: expected one [code] for agent, found 0",
        ]
    );
    // BAD_DATES keeps its good default code; the synonym with trailing words is loaded.
    let doc = run(&stage, "Bad Dates met Orphan.", "2000-01-01");
    assert_eq!(
        cameos(&doc),
        pairs(&[("Bad Dates", "XYZ"), ("Orphan", "ORP")])
    );
}

#[test]
fn petrarch_stems_exact_words_and_short_names() {
    let (stage, _) = petrarch_stage();
    let doc = run(
        &stage,
        "Argentina and the Argentine navy met Arnor, not Arnorian envoys, in the entire Ent realm.",
        "2000-01-01",
    );
    assert_eq!(
        cameos(&doc),
        pairs(&[
            ("Argentina", "ARG"),
            ("Argentine", "ARG"),
            ("Arnor", "ARN"),
            ("Ent", "ENT"),
        ])
    );
    // "THE_KU" is two short words: no stem, so "The Kuwait" is no match.
    let doc = run(&stage, "The Kuwait envoy met The KU.", "2000-01-01");
    assert_eq!(cameos(&doc), pairs(&[("The KU", "USAEDU")]));
}

#[test]
fn petrarch_codes_split_into_country_and_sectors() {
    let (stage, _) = petrarch_stage();
    let doc = run(
        &stage,
        "Hamas and Palestinian groups met Boromir.",
        "2000-01-01",
    );
    let e = &doc.entities;
    assert_eq!(
        (e[0].actor.code.as_str(), e[0].actor.sectors.as_slice()),
        ("PSE", &["REB".to_string(), "HMS".to_string()][..])
    );
    assert_eq!(e[0].actor.cameo(), "PSEREBHMS");
    assert_eq!(e[1].actor.cameo(), "PSE");
    assert_eq!(e[2].actor.code, "");
    assert_eq!(e[2].actor.cameo(), "---");
    assert!(e[0].rule.starts_with("t.actors.txt:8 "), "{}", e[0].rule);
}

#[test]
fn petrarch_dated_codes_pick_the_role_of_the_article_date() {
    let (stage, _) = petrarch_stage();
    for (date, code) in [
        ("1990-01-01", "HOB"),
        ("1995-06-01", "HOB"), // "<950601" includes the day itself
        ("1995-06-02", "HOBGOV"),
        ("1999-08-15", "HOBGOV"),
        ("1999-08-16", "HOBREB"),
        ("2020-01-01", "HOBREB"),
    ] {
        let doc = run(&stage, "Smeagol left.", date);
        assert_eq!(cameos(&doc), pairs(&[("Smeagol", code)]), "on {date}");
    }
    // Several codes on one line; an undated one is the default.
    let doc = run(&stage, "Javier de Cuellar spoke.", "1990-05-05");
    assert_eq!(doc.entities[0].actor.cameo(), "IGOUNO");
    let doc = run(&stage, "Javier de Cuellar spoke.", "1995-05-05");
    assert_eq!(doc.entities[0].actor.cameo(), "ELI");
    // A phrase without codes shares the next actor's, as PETRARCH reads it.
    let doc = run(&stage, "Leonid Brezhnev spoke.", "1970-05-05");
    assert_eq!(doc.entities[0].actor.cameo(), "RUSGOV");
    assert_eq!(
        doc.entities[0].actor.identifier.as_deref(),
        Some("LEONID BREZHNEV")
    );
}

#[test]
fn petrarch_agents_plurals_substitutions_and_organisations() {
    let (stage, _) = petrarch_stage();
    let doc = run(
        &stage,
        "Arnor's foreign ministers, the attorneys general, the authorities, congressmen, \
         policemen and MSF met.",
        "2000-01-01",
    );
    assert_eq!(
        cameos(&doc),
        pairs(&[
            ("Arnor's foreign ministers", "ARNGOVFRM"),
            ("attorneys general", "---GOV"),
            ("authorities", "---GOV"),
            ("congressmen", "---LEG"),
            ("MSF", "NGO"),
        ])
    );
    // `{}`: no automatic plural.
    let doc = run(&stage, "The polices met.", "2000-01-01");
    assert!(doc.entities.is_empty(), "{:?}", cameos(&doc));
}

#[test]
fn petrarch_discards_mark_sentences_and_stories() {
    let (stage, _) = petrarch_stage();
    let doc = run(
        &stage,
        "Arnor played baseball. Arnor met Argentina. Typhoons hit Arnor.",
        "2000-01-01",
    );
    let d: Vec<(String, usize, bool)> = doc
        .discards
        .iter()
        .map(|d| (doc.slice(d.span).to_string(), d.sentence, d.story))
        .collect();
    assert_eq!(
        d,
        [
            ("baseball".to_string(), 0, false),
            ("Typhoons".to_string(), 2, true)
        ]
    );
    assert_eq!(doc.discards[0].rule, "t.discards.txt:3");
    // Discards are no entities.
    assert_eq!(doc.entities.len(), 4);
}

#[test]
fn builtin_cameo_codes_keep_one_sector() {
    let e = entities("Kenya's police arrested dozens.");
    assert_eq!(find(&e, "Kenya's police").2, ["COP"]);
    assert!(!stage().dictionary().full_codes);
}
