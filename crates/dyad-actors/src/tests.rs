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

/// Segments `text`, marks the given names as the recognizer would, and resolves actors.
fn resolve(text: &str, date: Option<&str>, names: &[(&str, &str)]) -> Doc {
    let mut article = Article::new("t", text);
    article.date = date.map(str::to_string);
    let mut doc = Doc::new(article);
    dyad_text::segment(&mut doc);
    for (name, label) in names {
        let start = text.find(name).expect("name in text");
        let span = dyad_core::Span::new(start, start + name.len());
        let sentence = doc.tokens[doc.token_at(start)].sentence;
        doc.names.push(dyad_core::Name {
            span,
            sentence,
            label: label.to_string(),
        });
    }
    doc.names.sort_by_key(|n| n.span.start);
    stage().process(&mut doc);
    doc
}

/// (text, cameo code, identifier, antecedent's text) of every entity.
fn mentions(doc: &Doc) -> Vec<(String, String, Option<String>, Option<String>)> {
    doc.entities
        .iter()
        .map(|e| {
            (
                doc.slice(e.span).to_string(),
                e.actor.cameo(),
                e.actor.identifier.clone(),
                e.antecedent
                    .map(|a| doc.slice(doc.entities[a].span).to_string()),
            )
        })
        .collect()
}

fn mention<'a>(
    list: &'a [(String, String, Option<String>, Option<String>)],
    text: &str,
) -> &'a (String, String, Option<String>, Option<String>) {
    list.iter()
        .find(|m| m.0 == text)
        .unwrap_or_else(|| panic!("no mention {text:?} in {list:#?}"))
}

#[test]
fn office_holders_take_the_role_of_the_article_date() {
    let text = "Biden spoke with Netanyahu by phone.";
    let on = |date: &str| mentions(&resolve(text, Some(date), &[]));
    let m = on("2022-03-01");
    assert_eq!(mention(&m, "Biden").1, "USAGOV");
    // Netanyahu led the opposition between his second and third governments.
    assert_eq!(mention(&m, "Netanyahu").1, "ISROPP");
    let m = on("2024-05-01");
    assert_eq!(mention(&m, "Netanyahu").1, "ISRGOV");
    // After the presidency: a former official.
    let m = on("2026-01-15");
    assert_eq!(mention(&m, "Biden").1, "USAELI");
    assert_eq!(mention(&m, "Biden").2.as_deref(), Some("Joe Biden"));
    // Without a date the role still open in the data is taken.
    let m = mentions(&resolve("Putin and Lavrov met.", None, &[]));
    assert_eq!(mention(&m, "Putin").1, "RUSGOV");
    assert_eq!(mention(&m, "Lavrov").1, "RUSGOV");
}

#[test]
fn roles_explain_themselves_with_dates() {
    let doc = resolve("President Joe Biden arrived.", Some("2021-06-01"), &[]);
    let rule = &doc.entities[0].rule;
    assert!(rule.contains("people.tsv:"), "{rule}");
    assert!(rule.contains("2021-01-20..2025-01-20"), "{rule}");
}

#[test]
fn memberships_change_over_time() {
    let d = stage().dictionary();
    let members = |org: &str, date: &str| -> Vec<String> {
        let mut m: Vec<String> = d
            .members(org, Some(date))
            .iter()
            .map(|m| m.member.clone())
            .collect();
        m.sort();
        m
    };
    let asean = "Association of Southeast Asian Nations";
    assert_eq!(members(asean, "2024-06-01").len(), 10);
    assert!(!members(asean, "2024-06-01").contains(&"TLS".to_string()));
    assert!(members(asean, "2025-11-01").contains(&"TLS".to_string()));
    let ecowas = "Economic Community of West African States";
    for state in ["MLI", "NER", "BFA"] {
        assert!(members(ecowas, "2024-06-01").contains(&state.to_string()));
        assert!(!members(ecowas, "2025-06-01").contains(&state.to_string()));
        assert!(members("Alliance of Sahel States", "2025-06-01").contains(&state.to_string()));
    }
    assert_eq!(members(ecowas, "2025-06-01").len(), 12);
    assert!(members("European Union", "2019-06-01").contains(&"GBR".to_string()));
    assert!(!members("European Union", "2021-06-01").contains(&"GBR".to_string()));
    let of: Vec<&str> = d
        .memberships_of("FIN", "2024-01-01")
        .iter()
        .map(|m| m.organisation.as_str())
        .collect();
    assert!(of.contains(&"North Atlantic Treaty Organization"), "{of:?}");
}

#[test]
fn bad_people_and_membership_rows_are_refused_with_their_line() {
    let mut d = Dictionary::builtin().unwrap();
    let err = d
        .add_named(
            "p.tsv",
            "identifier\taliases\tcode\tsector\ttitle\tfrom\tto\tnote\nX Y\t\tUSA\tGOV\tPresident\t2021-02-30\t\t\n",
            true,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "p.tsv:2: date \"2021-02-30\" does not exist"
    );
    let err = d
        .add_memberships(
            "m.tsv",
            "organisation\tmember\tfrom\tto\tnote\nNo Such Union\tFRA\t\t\t\n",
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("m.tsv:2: organisation \"No Such Union\""),
        "{err}"
    );
}

#[test]
fn later_mentions_of_a_titled_person_resolve_to_them() {
    let doc = resolve(
        "Kenyan Interior Minister Kipchumba Murkomen said police would act. \
         Murkomen told reporters the protests had been infiltrated. \
         The minister later met opposition leaders. He said they agreed to talks.",
        Some("2025-07-01"),
        &[],
    );
    let m = mentions(&doc);
    let first = "Kenyan Interior Minister Kipchumba Murkomen";
    assert_eq!(mention(&m, first).1, "KENGOV");
    for later in ["Murkomen", "minister", "He"] {
        let x = mention(&m, later);
        assert_eq!(x.1, "KENGOV", "{later}");
        assert_eq!(x.2.as_deref(), Some("Kipchumba Murkomen"), "{later}");
        assert!(x.3.is_some(), "{later} has an antecedent");
    }
    // Unrelated sector mentions stay unlinked.
    assert_eq!(mention(&m, "opposition leaders").3, None);
}

#[test]
fn appositions_give_unknown_people_country_and_sector() {
    let text = "Maria Lopez, a Brazilian economist, said the deal was fragile. \
                The analyst added that markets were nervous. She said investors would wait.";
    let doc = resolve(text, None, &[("Maria Lopez", "PER")]);
    let m = mentions(&doc);
    assert_eq!(mention(&m, "Maria Lopez").1, "BRAEDU");
    // The description is part of the person's mention, not a second actor.
    assert!(m.iter().all(|x| x.0 != "Brazilian economist"), "{m:#?}");
    for later in ["analyst", "She"] {
        assert_eq!(
            mention(&m, later).2.as_deref(),
            Some("Maria Lopez"),
            "{later}"
        );
    }
    assert_eq!(mention(&m, "investors").1, "---BUS");
}

#[test]
fn unknown_person_with_title_and_nationality() {
    let m = mentions(&resolve(
        "A Brazilian economist warned of inflation.",
        None,
        &[],
    ));
    assert_eq!(mention(&m, "Brazilian economist").1, "BRAEDU");
}

#[test]
fn organisation_types_give_named_outlets_a_sector() {
    // An outlet no dictionary lists gets its sector from the type word before it.
    let doc = resolve(
        "The daily Kathimerini reported that the talks had stalled.",
        None,
        &[("Kathimerini", "ORG")],
    );
    let m = mentions(&doc);
    let k = mention(&m, "daily Kathimerini");
    assert_eq!(k.1, "---JRN");
    assert_eq!(k.2.as_deref(), Some("Kathimerini"));
    // A listed one keeps its country too.
    let m = mentions(&resolve("The daily Haaretz reported it.", None, &[]));
    let h = mention(&m, "daily Haaretz");
    assert_eq!(h.1, "ISRJRN");
    assert_eq!(h.2.as_deref(), Some("Haaretz"));
}

#[test]
fn acronyms_defined_in_the_text_resolve_later() {
    let doc = resolve(
        "The Kenya Human Rights Commission (KHRC) condemned the arrests. \
         KHRC said dozens were detained.",
        None,
        &[],
    );
    let m = mentions(&doc);
    let long = mention(&m, "Kenya Human Rights Commission");
    assert_eq!(long.1, "KEN");
    let later = mention(&m, "KHRC");
    assert_eq!(later.2.as_deref(), Some("Kenya Human Rights Commission"));
    assert_eq!(later.3.as_deref(), Some("Kenya Human Rights Commission"));
    // The parenthesised acronym is part of the first mention: KHRC appears once.
    assert_eq!(m.iter().filter(|x| x.0 == "KHRC").count(), 1, "{m:#?}");
}

#[test]
fn the_bloc_refers_to_the_organisation_named_before() {
    let doc = resolve(
        "The Southern African Development Community (SADC) met in Harare on Monday. \
         The bloc called for calm in Mozambique.",
        None,
        &[],
    );
    let m = mentions(&doc);
    let bloc = mention(&m, "The bloc");
    assert_eq!(bloc.1, "IGO");
    assert_eq!(
        bloc.2.as_deref(),
        Some("Southern African Development Community")
    );
    assert_eq!(mention(&m, "Mozambique").3, None);
}

#[test]
fn pronouns_without_a_person_before_are_not_actors() {
    let m = mentions(&resolve("He said the border was closed.", None, &[]));
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn national_outlets_companies_and_armed_groups() {
    let m = mentions(&resolve(
        "Gazprom told the newspaper Le Monde that Hamas and the Houthis were not clients.",
        None,
        &[],
    ));
    assert_eq!(mention(&m, "Gazprom").1, "RUSBUS");
    let le_monde = m
        .iter()
        .find(|x| x.0.ends_with("Le Monde"))
        .expect("Le Monde");
    assert_eq!(le_monde.1, "FRAJRN");
    assert_eq!(mention(&m, "Hamas").1, "PSEREB");
    assert_eq!(mention(&m, "Houthis").1, "YEMREB");
}

#[test]
fn organisations_with_dated_roles() {
    let text = "The Taliban rejected the offer.";
    let on = |date: &str| mentions(&resolve(text, Some(date), &[]));
    assert_eq!(mention(&on("2010-05-01"), "Taliban").1, "AFGREB");
    assert_eq!(mention(&on("2023-05-01"), "Taliban").1, "AFGGOV");
}

#[test]
fn partially_recognised_entities_take_the_claimant_and_pre() {
    let doc = resolve(
        "Transnistrian authorities and Somaliland signed a deal.",
        None,
        &[],
    );
    let e = &doc.entities;
    assert_eq!(doc.slice(e[0].span), "Transnistrian authorities");
    assert_eq!(e[0].actor.code, "MDA");
    assert_eq!(e[0].actor.sectors, ["GOV", "PRE"]);
    assert_eq!(e[1].actor.code, "SOM");
    assert_eq!(e[1].actor.sectors, ["PRE"]);
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

#[test]
fn capitals_and_institutions_stand_for_their_states() {
    let e = entities("Washington and the Kremlin traded barbs while Kyiv and Beijing watched.");
    for (name, code) in [
        ("Washington", "USA"),
        ("Kremlin", "RUS"),
        ("Kyiv", "UKR"),
        ("Beijing", "CHN"),
    ] {
        assert_eq!(find(&e, name).1, code, "{name}");
    }
}

#[test]
fn a_longer_match_that_is_no_word_does_not_hide_the_real_one() {
    // "The Sudan" is a name of Sudan; inside "The Sudanese" it must not block "Sudanese".
    let e = entities("The Sudanese government accused the rebels.");
    assert_eq!(find(&e, "Sudanese government").1, "SDN");
}

#[test]
fn mentions_without_a_country_take_the_sentences_state() {
    for (text, name, code) in [
        (
            "Opposition groups in Zimbabwe demanded that the president resign.",
            "Opposition groups",
            "ZWEOPP",
        ),
        (
            "Judge Alejandro Rivera opened investigations against 28 Chilean officials.",
            "Judge Alejandro Rivera",
            "CHLJUD",
        ),
        // Two states and no phrase tying the mention to either: unknown.
        (
            "The minister said France and Germany disagreed.",
            "minister",
            "---GOV",
        ),
        // A participle that says where a group is ties it to that place, not to the other
        // state of the sentence.
        (
            "Pakistan has blamed the attacks on militants based in Afghanistan.",
            "militants",
            "AFGREB",
        ),
        (
            "Islamabad blamed the attack on militants present on Afghan soil.",
            "militants",
            "AFGREB",
        ),
    ] {
        let m = mentions(&resolve(text, None, &[]));
        assert_eq!(mention(&m, name).1, code, "{text}");
    }
}

#[test]
fn the_bloc_is_the_organisation_not_the_people_named_with_it() {
    let m = mentions(&resolve(
        "Kenyan officials met ECOWAS envoys in Abuja. The bloc agreed to talks.",
        None,
        &[],
    ));
    assert_eq!(mention(&m, "ECOWAS envoys").1, "IGOGOV");
    assert_eq!(mention(&m, "The bloc").1, "IGO");
}

#[test]
fn ethnic_groups_are_coded_by_where_they_live() {
    let m = mentions(&resolve(
        "Ethnic Albanians in southern Serbia demanded autonomy, while Albanians in Tirana watched.",
        None,
        &[],
    ));
    let ethnic = m.iter().find(|x| x.0 == "Albanians").expect("Albanians");
    assert_eq!(ethnic.1, "SRB");
    // Without "ethnic", the demonym keeps its state.
    assert_eq!(
        m.iter().filter(|x| x.0 == "Albanians").nth(1).unwrap().1,
        "ALB"
    );
}

#[test]
fn name_variants_of_the_hyphens_and_diacritics_match() {
    use crate::data::variants;
    assert!(
        variants("Alliance of Sahel States").contains(&"Alliance of the Sahel States".to_string())
    );
    assert!(variants("Timor-Leste").contains(&"Timor Leste".to_string()));
    assert!(variants("Côte d'Ivoire").contains(&"Cote d'Ivoire".to_string()));
    // Short hyphenated parts ("al-Shabaab") keep their hyphen only.
    assert_eq!(variants("al-Shabaab"), ["al-Shabaab"]);
}
