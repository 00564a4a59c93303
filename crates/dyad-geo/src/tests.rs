//! The stage on realistic sentences, run through the text, actor, quote and event stages.

use super::*;
use dyad_actors::{ActorStage, Dictionary};
use dyad_core::{Article, Doc};
use dyad_events::{EventStage, QuoteStage};
use dyad_lang::ner::Gazetteer as Names;
use dyad_lang::stage::{LanguageStage, Models};
use std::sync::OnceLock;

/// The stages before the geo stage, as the pipeline builds them (the name recognizer with
/// the actor dictionary's place and organisation names).
type Stages = (LanguageStage, ActorStage, QuoteStage, EventStage, GeoStage);

fn stages() -> &'static Stages {
    static S: OnceLock<Stages> = OnceLock::new();
    S.get_or_init(|| {
        let dict = Dictionary::builtin().unwrap();
        let (places, orgs, demonyms) = dict.gazetteer_names();
        let names = Names::new(&places, &orgs, &demonyms);
        (
            LanguageStage::new(Models::builtin().unwrap(), names),
            ActorStage::new(dict),
            QuoteStage::builtin().unwrap(),
            EventStage::builtin().unwrap(),
            GeoStage::builtin().unwrap(),
        )
    })
}

fn code(text: &str) -> Doc {
    let mut a = Article::new("t", text);
    a.date = Some("2026-03-03".into());
    let mut doc = Doc::new(a);
    dyad_text::segment(&mut doc);
    let s = stages();
    s.0.process(&mut doc);
    s.1.process(&mut doc);
    s.2.process(&mut doc);
    s.3.process(&mut doc);
    s.4.process(&mut doc);
    doc
}

/// (text, geonameid, country) of every place.
fn places(doc: &Doc) -> Vec<(String, Option<u32>, Option<String>)> {
    doc.places
        .iter()
        .map(|p| {
            (
                doc.slice(p.span).to_string(),
                p.entry.as_ref().map(|e| e.geonameid),
                p.country_code.clone(),
            )
        })
        .collect()
}

/// (place text, method) of the first event.
fn event_place(doc: &Doc) -> (Option<String>, String) {
    let loc = &doc.event_places[0];
    (
        loc.place.map(|p| doc.slice(doc.places[p].span).to_string()),
        loc.method.clone(),
    )
}

#[test]
fn dateline_is_resolved_and_locates_events_without_a_place() {
    let doc = code(
        "NAIROBI, March 3 (Reuters) - Kenyan police arrested dozens of protesters on Monday.\n\nThe opposition condemned the arrests.",
    );
    let p = &doc.places[0];
    assert_eq!(doc.slice(p.span), "NAIROBI");
    assert_eq!(p.entry.as_ref().unwrap().geonameid, 184745);
    assert!(p.rule.starts_with("dateline"), "{}", p.rule);
    assert!(!doc.events.is_empty());
    let last = doc.event_places.last().unwrap();
    assert_eq!(last.method, "dateline");
    let ev = doc.events.last().unwrap();
    assert_eq!(
        ev.place.as_ref().unwrap().country_code.as_deref(),
        Some("KEN")
    );
}

#[test]
fn locative_place_is_the_event_location() {
    let doc = code("Rebels attacked an army base in Goma on Tuesday, Congolese officials said.");
    assert_eq!(event_place(&doc), (Some("Goma".into()), "locative".into()));
    let goma = &doc.places[doc.event_places[0].place.unwrap()];
    let entry = goma.entry.as_ref().unwrap();
    assert_eq!(
        (entry.geonameid, entry.country_code.as_str()),
        (216281, "COD")
    );
    assert!(entry.latitude < 0.0 && entry.longitude > 29.0);
}

#[test]
fn same_named_places_are_told_apart_by_context() {
    let fr = code("French police arrested 20 protesters in Paris on Saturday.");
    assert!(places(&fr).contains(&("Paris".into(), Some(2988507), Some("FRA".into()))));
    let tx = code("Police arrested 20 protesters in Paris, Texas, on Saturday.");
    assert!(places(&tx).contains(&("Paris".into(), Some(4717560), Some("USA".into()))));
}

#[test]
fn unknown_place_keeps_its_text_and_the_country_of_its_sentence() {
    let doc = code("Gunmen killed three villagers in the town of Sheykler, Syrian officials said.");
    assert!(places(&doc).contains(&("Sheykler".into(), None, Some("SYR".into()))));
    assert_eq!(
        event_place(&doc),
        (Some("Sheykler".into()), "locative".into())
    );
}

#[test]
fn demonym_before_capital_names_the_capital() {
    let doc = code("Thousands of protesters marched in the Kenyan capital on Friday.");
    let p = &doc.places[0];
    assert_eq!(doc.slice(p.span), "Kenyan capital");
    assert_eq!(p.entry.as_ref().unwrap().geonameid, 184745);
}

#[test]
fn the_actor_is_not_the_location_but_a_place_attacked_is() {
    let doc = code("Russia attacked Ukraine on Monday.");
    assert_eq!(event_place(&doc), (Some("Ukraine".into()), "object".into()));
    let doc = code("Russia said on Monday that it would never talk to the rebels.");
    assert!(doc.event_places.iter().all(|l| l.place.is_none()));
}

#[test]
fn lookup_explains_the_ranking() {
    let stage = &stages().4;
    let any = stage.lookup("Paris", None);
    assert_eq!(any[0].geonameid, 2988507);
    let us = stage.lookup("Paris", Some("USA"));
    assert_eq!(us[0].country_code, "USA");
    assert!(us.len() > 5);
}

#[test]
fn data_files_parse() {
    let d = GeoData::builtin().unwrap();
    assert!(d.locative.contains(&"in".to_string()));
    assert_eq!(d.demonyms.get("Kenyan").map(String::as_str), Some("KEN"));
    assert!(d.weight("hint_country") > 0.0);
    let bad = GeoData::parse(
        "kind\tforms\nnowhere\tx\n",
        "feature\tweight\n",
        "iso3\tforms\n",
    );
    assert_eq!(
        bad.unwrap_err().to_string(),
        "cues.tsv:2: unknown kind nowhere"
    );
}

#[test]
fn neighbours_say_where_a_place_is() {
    let doc = code("Tariffs hit farms in Alabama and Georgia, officials said.");
    assert!(places(&doc).contains(&("Georgia".into(), Some(4197000), Some("USA".into()))));
    // First-level regions outside the US are entries: Al Anbar governorate, Ontario.
    let doc = code("An airstrike killed him in Iraq's Anbar desert on Thursday.");
    assert!(places(&doc).contains(&("Anbar".into(), Some(99592), Some("IRQ".into()))));
    let doc = code("Trump raised tariffs after Canada's Ontario premier cut power exports.");
    let ontario = places(&doc).into_iter().find(|p| p.0 == "Ontario");
    assert_eq!(
        ontario,
        Some(("Ontario".into(), Some(6093943), Some("CAN".into())))
    );
}

#[test]
fn provinces_of_every_country_and_regions_of_several() {
    let doc = code("Gunmen attacked a bus in Pakistan's Balochistan province on Sunday.");
    let got = places(&doc);
    assert!(got.contains(&("Balochistan".into(), Some(1183606), Some("PAK".into()))));
    assert_eq!(
        event_place(&doc),
        (Some("Balochistan".into()), "locative".into())
    );
    // A sea bordered by many countries has no entry and no country, though a Sudanese state
    // and an Egyptian governorate bear its name.
    let doc =
        code("Houthi forces attacked two ships in the Red Sea on Tuesday, Yemeni officials said.");
    let sea = places(&doc).into_iter().find(|p| p.0 == "Red Sea");
    assert_eq!(sea, Some(("Red Sea".into(), None, None)));
}

#[test]
fn a_direction_of_a_place_locates_but_yields_to_a_plain_locative() {
    let doc = code("A roadside bomb exploded 50 km northwest of Kabul on Monday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Kabul"));
    let doc =
        code("Also in Baquba, north of Baghdad, hundreds of students demonstrated on Monday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Baquba"));
}

#[test]
fn demonyms_and_small_towns_do_not_read_as_places() {
    // Canadian is a town in Texas; Patten one in Maine.
    let doc = code("A suicide bomber attacked a Canadian convoy near Kabul last week.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Kabul"));
    assert!(!places(&doc).iter().any(|p| p.0 == "Canadian"));
    let doc = code("Police were patrolling outside Patten's hotel on Monday.");
    assert!(!places(&doc).iter().any(|p| p.0 == "Patten"));
}

#[test]
fn a_place_named_as_lying_in_another_is_the_location() {
    let doc =
        code("A car bomb exploded in the Shiite slum of Sadr City in eastern Baghdad on Friday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Sadr City"));
    // Not across other words: "Kabul" lies under its own "near".
    let doc = code("A bomb exploded in Jalalabad on Monday and another near Kabul.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Jalalabad"));
}

#[test]
fn a_possessive_country_yields_to_the_place_named_inside_it() {
    let doc = code(
        "Three sailors were killed in an attack at Iraq's key oil terminal in the southern city of Basra.",
    );
    assert_eq!(event_place(&doc).0.as_deref(), Some("Basra"));
}

#[test]
fn dateline_after_a_headline_locates_the_story() {
    let doc = code(
        "China and ASEAN pledge to finish sea code\n\nBEIJING, Nov. 20 (Dyad Wire) — Ministers met on Friday.\n\nChina condemned the Philippines on Monday.",
    );
    assert!(doc.places.iter().any(|p| p.rule.starts_with("dateline")));
    let last = doc.event_places.last().unwrap();
    assert_eq!(last.method, "dateline");
}

#[test]
fn the_more_specific_place_and_the_object_of_a_place_taking_verb() {
    let doc = code("A car bomb killed 34 people in Syria's western Hama province on Friday.");
    assert_eq!(event_place(&doc), (Some("Hama".into()), "locative".into()));
    let doc = code("Eritrean troops captured Badme at the start of the war.");
    assert_eq!(event_place(&doc), (Some("Badme".into()), "object".into()));
}

#[test]
fn a_state_adjective_or_kind_of_town_before_the_place_noun() {
    let doc = code(
        "A suicide bomber blew himself up at a market in the northwest Nigerian city of \
         Sokoto on Sunday.",
    );
    assert_eq!(event_place(&doc).0.as_deref(), Some("Sokoto"));
    let doc = code("Gunmen attacked a bar in the Mexican resort city of Acapulco on Friday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Acapulco"));
}

#[test]
fn an_unknown_part_of_a_known_place_takes_its_coordinates() {
    let doc = code("A car bomb exploded inside the Qadam Jadid area of Damascus on Thursday.");
    assert_eq!(
        event_place(&doc),
        (Some("Qadam Jadid".to_string()), "locative".to_string())
    );
    let loc = &doc.event_places[0];
    let within = loc.within.expect("the known place around it");
    assert_eq!(doc.slice(doc.places[within].span), "Damascus");
    assert!(doc.places[within].entry.is_some());
}

#[test]
fn a_state_before_a_site_is_where_it_stands() {
    let doc = code("Filipino workers marched on a Singapore hotel on Monday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Singapore"));
    // A state before what moves or belongs to it stays its nationality.
    let doc = code("A roadside bomb exploded near a US convoy on Monday.");
    assert_ne!(event_place(&doc).0.as_deref(), Some("US"));
}

/// The geonameid of the place whose text is `text`.
fn entry_of(doc: &Doc, text: &str) -> Option<u32> {
    places(doc)
        .into_iter()
        .find(|p| p.0 == text)
        .and_then(|p| p.1)
}

#[test]
fn spellings_of_one_transliterated_name_meet() {
    // The gazetteer writes Deir ez-Zor (170794), Dar‘ā (170905), Ālbū Kamāl (174448).
    let doc = code("Government troops shelled rebel positions in Deir Ezzor on Monday.");
    assert_eq!(entry_of(&doc, "Deir Ezzor"), Some(170794));
    let doc = code("Protesters gathered in Dara\u{2019}a on Friday.");
    assert_eq!(entry_of(&doc, "Dara\u{2019}a"), Some(170905));
    let doc = code("Two car bombs exploded in Abukamal near the Iraqi border.");
    assert_eq!(entry_of(&doc, "Abukamal"), Some(174448));
    // A lowercase article joined by a hyphen stays part of the name.
    let doc = code("Shelling hit the eastern city of Deir ez-Zor overnight.");
    assert_eq!(entry_of(&doc, "Deir ez-Zor"), Some(170794));
}

#[test]
fn a_name_without_its_article_or_with_its_kind() {
    // "Al-Raqqa" is Ar Raqqah (172955) without the article.
    let doc = code("Warplanes bombed targets in Al-Raqqa on Sunday.");
    assert_eq!(entry_of(&doc, "Al-Raqqa"), Some(172955));
    let rule = &doc
        .places
        .iter()
        .find(|p| doc.slice(p.span) == "Al-Raqqa")
        .unwrap()
        .rule;
    assert!(rule.contains("read as \"Raqqa\""), "{rule}");
    // "X Governorate" is the region X (the first-level entry), not its town.
    let doc = code("Clashes spread across the Idlib Governorate on Tuesday.");
    let idlib = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span).starts_with("Idlib"))
        .unwrap();
    assert_eq!(
        idlib.entry.as_ref().map(|e| e.feature.as_str()),
        Some("A.ADM1")
    );
    // "X village": the town X.
    let doc = code("Gunmen killed two farmers in Beledweyne district on Friday.");
    let b = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span).starts_with("Beledweyne"))
        .unwrap();
    assert_eq!(b.country_code.as_deref(), Some("SOM"));
}

#[test]
fn places_listed_after_a_place_are_places() {
    let doc = code("Rebels shelled the villages of Kafr Nabudah, Habit and Abedin on Monday.");
    let found: Vec<String> = places(&doc).into_iter().map(|p| p.0).collect();
    for v in ["Kafr Nabudah", "Habit", "Abedin"] {
        assert!(found.contains(&v.to_string()), "{v} in {found:?}");
    }
    let doc = code("Protests were held in Kabul and Herat on Monday.");
    let herat = doc
        .places
        .iter()
        .position(|p| doc.slice(p.span) == "Herat")
        .unwrap();
    assert_eq!(doc.places[herat].country_code.as_deref(), Some("AFG"));
    // A name after a known state's name and "and" is no place unless the gazetteer knows it.
    let doc = code("Officials in Syria and Jamal Hussein said the talks had failed.");
    assert!(!places(&doc).iter().any(|p| p.0.contains("Jamal")));
}

#[test]
fn a_small_town_at_the_head_of_a_longer_name_is_part_of_it() {
    // Khan is a town's alternate name in the gazetteer; Khan Shaykhun is not.
    let doc = code("Airstrikes hit the town of Khan Sheikhoun on Tuesday.");
    assert!(places(&doc).iter().any(|p| p.0 == "Khan Sheikhoun"));
    // What follows a place that is no part of a name leaves it alone.
    let doc = code("Speaking in Kabul Monday, the minister denied the report.");
    assert!(places(&doc).iter().any(|p| p.0 == "Kabul"));
}

/// (place text, method) of the event whose trigger is `word`.
fn place_of_trigger(doc: &Doc, word: &str) -> Option<String> {
    let i = doc
        .events
        .iter()
        .position(|e| doc.slice(e.trigger) == word)
        .unwrap_or_else(|| panic!("no event at {word:?}"));
    doc.event_places[i]
        .place
        .map(|p| doc.slice(doc.places[p].span).to_string())
}

#[test]
fn a_result_clause_happened_where_its_main_verb_did() {
    let doc = code("Militants stormed the town of Tal Afar on Friday, killing 12 policemen.");
    assert_eq!(
        place_of_trigger(&doc, "killing").as_deref(),
        Some("Tal Afar")
    );
    // The place the main verb struck.
    let doc = code("Warplanes pounded the Hama governorate overnight, killing 30 civilians.");
    assert_eq!(place_of_trigger(&doc, "killing").as_deref(), Some("Hama"));
    // Its own place wins.
    let doc = code(
        "Rebels shelled Aleppo on Friday, killing 12 people in the town of Azaz near the border.",
    );
    assert_eq!(place_of_trigger(&doc, "killing").as_deref(), Some("Azaz"));
}

#[test]
fn a_town_named_after_its_region_is_the_place() {
    let doc = code("Troops raided a refugee camp in the West Bank town of Jenin at dawn.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Jenin"));
    // A part named by a kind of area stays the part.
    let doc = code("A car bomb exploded in the Mezzeh district of Damascus on Thursday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Mezzeh"));
}

#[test]
fn a_reference_point_is_not_inside_and_a_comma_may_precede_in() {
    let doc = code("Rebels seized a base in Kidal region north of Mali's capital on Sunday.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Kidal"));
    let doc = code(
        "In Cucuta, in northern Norte de Santander province, police arrested three smugglers.",
    );
    assert_eq!(event_place(&doc).0.as_deref(), Some("Cucuta"));
}

#[test]
fn what_is_said_happens_where_it_is_said_not_where_its_matter_did() {
    let doc =
        code("The opposition accused the army of shelling villages in Idlib province on Monday.");
    assert_eq!(place_of_trigger(&doc, "accused"), None);
    let doc = code("Speaking in Geneva, the minister accused Russia of war crimes.");
    assert_eq!(place_of_trigger(&doc, "accused").as_deref(), Some("Geneva"));
    // A deed keeps the place of the clause it is told in.
    let doc = code("Gunmen killed two guards while they were patrolling in Kandahar province.");
    assert_eq!(
        place_of_trigger(&doc, "killed").as_deref(),
        Some("Kandahar")
    );
}

#[test]
fn a_place_attacked_may_be_the_passive_subject() {
    let doc = code("The border village of Kafr Zita was shelled by government forces on Monday.");
    assert_eq!(
        event_place(&doc),
        (Some("Kafr Zita".into()), "object".into())
    );
    // The passive subject of a verb that takes no place is a participant only.
    let doc = code("Kenya was accused by rights groups of abuses on Monday.");
    assert_ne!(event_place(&doc).0.as_deref(), Some("Kenya"));
}

#[test]
fn going_somewhere_happens_at_the_destination() {
    let doc = code("The Iranian foreign minister traveled to Baghdad on Sunday for talks.");
    assert_eq!(
        place_of_trigger(&doc, "traveled to").as_deref(),
        Some("Baghdad")
    );
    // "From" is where it started, not where it happened.
    let doc = code("The Iranian foreign minister traveled to Baghdad from Tehran on Sunday.");
    assert_eq!(
        place_of_trigger(&doc, "traveled to").as_deref(),
        Some("Baghdad")
    );
}

#[test]
fn a_place_before_its_kind_is_the_object_a_person_s_nationality_is_not() {
    let doc = code("Government warplanes bombed the Daraa governorate on Friday.");
    assert_eq!(event_place(&doc), (Some("Daraa".into()), "object".into()));
    let doc = code("A gunman shot a US soldier on Monday.");
    assert_ne!(event_place(&doc).0.as_deref(), Some("US"));
}

#[test]
fn a_protest_is_not_where_the_matter_protested_against_is() {
    let doc = code("Thousands of students protested against the war in Yemen on Saturday.");
    assert_ne!(event_place(&doc).0.as_deref(), Some("Yemen"));
    let doc = code("Thousands of students protested in Madrid against the war in Yemen.");
    assert_eq!(event_place(&doc).0.as_deref(), Some("Madrid"));
}

#[test]
fn a_list_of_cities_is_no_place_and_its_state() {
    let doc = code("Protests were held in Washington, New York and Chicago on Saturday.");
    assert_eq!(entry_of(&doc, "Washington"), Some(4140963));
    // A city named like the region it lies in is the city when named bare.
    assert_eq!(entry_of(&doc, "New York"), Some(5128581));
    // After a place and a comma, the name is the region.
    let doc = code("The ministers met in Gaspé, Quebec, on Friday.");
    let quebec = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span) == "Quebec")
        .unwrap();
    assert_eq!(
        quebec.entry.as_ref().map(|e| e.feature.as_str()),
        Some("A.ADM1")
    );
}

#[test]
fn a_region_by_its_kind_is_never_a_town_and_a_demonym_gives_the_country() {
    let doc = code("Moscow moved two brigades into the Amur Region last week.");
    let amur = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span).starts_with("Amur"))
        .unwrap();
    assert!(amur
        .entry
        .as_ref()
        .is_none_or(|e| e.feature.starts_with("A.")));
    let doc = code("Fighting resumed in Iraqi Kurdistan on Monday.");
    let k = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span) == "Iraqi Kurdistan")
        .unwrap();
    assert_eq!(k.country_code.as_deref(), Some("IRQ"));
}

#[test]
fn particles_states_in_names_and_places_gone_to() {
    // A lowercase particle inside a name.
    let doc = code("Police arrested two smugglers in Ciudad del Este on Monday.");
    assert_eq!(entry_of(&doc, "Ciudad del Este"), Some(3439101));
    // The state that begins an organisation's name is a mention of it, but not where things
    // happen.
    let doc = code("A bill passed by the U.S. Congress would cut aid.");
    assert_eq!(entry_of(&doc, "U.S."), Some(6252001));
    let doc = code("Students staged a sit-in at Uganda Christian University on Monday.");
    assert_ne!(event_place(&doc).0.as_deref(), Some("Uganda"));
    // "To" after a verb of going takes a name the gazetteer knows.
    let doc = code("The refugees returned last year to Garissa with their children.");
    assert_eq!(entry_of(&doc, "Garissa"), Some(197745));
    let doc = code("Protesters marched to the Legislative Assembly on Sunday.");
    assert!(places(&doc).iter().all(|p| !p.0.contains("Legislative")));
}

#[test]
fn a_name_found_as_a_place_is_a_place_again_in_the_story() {
    let doc = code(
        "Gangs attacked a police station in Croix des Bouquets on Monday. Inmates broke out \
         of the Croix des Bouquets prison overnight.",
    );
    let again: Vec<&str> = doc
        .places
        .iter()
        .filter(|p| p.entry.as_ref().is_some_and(|e| e.geonameid == 3727135))
        .map(|p| p.rule.as_str())
        .collect();
    assert_eq!(again.len(), 2, "{again:?}");
    // Not over an organisation's name.
    let doc =
        code("Talks were held in Washington on Monday. The Washington Post said they failed.");
    assert_eq!(
        places(&doc).iter().filter(|p| p.0 == "Washington").count(),
        1
    );
}

#[test]
fn a_name_before_a_place_noun_with_one_word_between() {
    let doc = code("Aid convoys reached Dadaab refugee camp on Friday.");
    assert_eq!(entry_of(&doc, "Dadaab"), Some(199209));
}

#[test]
fn a_county_is_a_region_and_korea_alone_is_no_state() {
    let doc = code("Gunmen attacked a bus in Lamu County on Monday.");
    let lamu = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span).starts_with("Lamu"))
        .unwrap();
    assert_eq!(
        lamu.entry.as_ref().map(|e| e.feature.as_str()),
        Some("A.ADM1")
    );
    let doc = code("The envoy oversaw Korea policy at the ministry until last year.");
    let korea = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span) == "Korea")
        .unwrap();
    assert!(korea.entry.is_none() && korea.country_code.is_none());
}

#[test]
fn an_unknown_place_takes_the_country_its_name_got_elsewhere() {
    let doc = code(
        "Clashes erupted in the village of Kolbio in Kenya on Monday. Officials in Washington \
         and London said the fighting in Kolbio had stopped.",
    );
    let kolbio: Vec<&dyad_core::Place> = doc
        .places
        .iter()
        .filter(|p| doc.slice(p.span) == "Kolbio")
        .collect();
    assert_eq!(kolbio.len(), 2);
    assert!(kolbio
        .iter()
        .all(|p| p.country_code.as_deref() == Some("KEN")));
    assert!(kolbio[1]
        .rule
        .contains("its country as the same name elsewhere"));
}

#[test]
fn a_dateline_town_the_gazetteer_lacks_takes_the_state_it_names() {
    let doc = code(
        "VILLAFRANCA DEL CAMPO, SPAIN — Farmers blocked a road on Sunday. The Villafranca \
         del Campo wind farm was closed.",
    );
    let first = &doc.places[0];
    assert_eq!(doc.slice(first.span), "VILLAFRANCA DEL CAMPO");
    assert!(first.entry.is_none());
    assert_eq!(first.country_code.as_deref(), Some("ESP"));
    // Named again in another case, though the recognizer took both for a person.
    let again = doc
        .places
        .iter()
        .find(|p| doc.slice(p.span) == "Villafranca del Campo");
    assert_eq!(again.and_then(|p| p.country_code.as_deref()), Some("ESP"));
}

#[test]
fn a_title_or_a_lone_function_word_is_no_place() {
    // "Secretary of State" is a title: the state before it is the mention.
    let doc = code("The U.S. Secretary of State Marta Lind said sanctions would follow.");
    assert_eq!(
        places(&doc),
        vec![("U.S.".into(), Some(6252001), Some("USA".into()))]
    );
    // "The base" begins a sentence; "NATO" is an alliance, not the Philippine town Nato.
    let doc = code(
        "Troops trained at the Vaziani base in Georgia. The base also holds tanks. Turkey \
         keeps its weight in NATO.",
    );
    let texts: Vec<String> = places(&doc).into_iter().map(|p| p.0).collect();
    assert!(
        !texts.iter().any(|t| t == "The" || t == "NATO"),
        "{texts:?}"
    );
}

#[test]
fn a_compass_word_or_demonym_that_makes_a_known_name_belongs_to_it() {
    let doc = code("Police closed the roads in east Jerusalem after the march.");
    assert!(places(&doc).contains(&("east Jerusalem".into(), Some(7303419), Some("PSE".into()))));
    let doc = code("The islands form the British Indian Ocean Territory, a London official said.");
    assert!(places(&doc).contains(&(
        "British Indian Ocean Territory".into(),
        Some(1282588),
        Some("IOT".into())
    )));
}

#[test]
fn an_unknown_place_lies_where_the_towns_of_its_sentence_lie() {
    // The sentence names one state (the US, an actor), but its town is Afghan.
    let doc =
        code("A U.S. drone crashed in the village of Mir Kalay near Kandahar, officials said.");
    let sado = places(&doc).into_iter().find(|p| p.0 == "Mir Kalay");
    assert_eq!(sado, Some(("Mir Kalay".into(), None, Some("AFG".into()))));
}

#[test]
fn a_dotted_short_form_names_its_state() {
    let doc = code("Peacekeepers patrolled towns in western C.A.R. on Tuesday.");
    assert!(places(&doc).contains(&("C.A.R.".into(), Some(239880), Some("CAF".into()))));
}

#[test]
fn a_place_found_once_is_found_again_over_the_recognizers_guess_of_a_person() {
    let doc = code(
        "Aid workers reached Dadaab on Monday. Families sheltering in Dadaab and Kakuma told \
         reporters they had no food.",
    );
    let found = places(&doc);
    assert_eq!(
        found.iter().filter(|p| p.0 == "Dadaab").count(),
        2,
        "{found:?}"
    );
    assert!(found.contains(&("Kakuma".into(), Some(195197), Some("KEN".into()))));
}

#[test]
fn a_heading_run_into_a_sentence_leaves_its_place() {
    let doc = code("Markets in Europe and Africa Macron said on Monday were calm.");
    let texts: Vec<String> = places(&doc).into_iter().map(|p| p.0).collect();
    assert!(texts.contains(&"Africa".to_string()), "{texts:?}");
}

#[test]
fn a_region_outranks_a_village_of_its_name_but_not_its_own_town() {
    // Regions carry the people of their towns: Chechnya is the Russian republic, not the
    // Ukrainian village; Kasai the Congolese province, not the Japanese town.
    let stage = &stages().4;
    assert_eq!(stage.lookup("Chechnya", None)[0].geonameid, 569665);
    assert_eq!(stage.lookup("Kasai", None)[0].country_code, "COD");
    // A town named like its own region is still the town when named bare.
    let doc = code("Traders in Abidjan reopened their stalls on Monday.");
    assert_eq!(places(&doc)[0].1, Some(2293538));
}

#[test]
fn a_well_known_region_the_gazetteer_lacks_keeps_its_country() {
    let doc = code("Shelling resumed in Donbas, and troops moved into South Waziristan.");
    let found = places(&doc);
    assert!(
        found.contains(&("Donbas".into(), None, Some("UKR".into()))),
        "{found:?}"
    );
    assert!(found.contains(&("South Waziristan".into(), None, Some("PAK".into()))));
    let d = GeoData::builtin().unwrap();
    assert_eq!(d.region("the Sahel".trim_start_matches("the ")), Some(None));
    assert!(GeoData::parse(
        "kind\tforms\nregion:Ukr\tDonbas\n",
        "feature\tweight\n",
        "iso3\tforms\n"
    )
    .is_err());
}

#[test]
fn a_wire_abbreviation_of_a_us_state_places_the_town_before_it() {
    let doc = code("Voters lined up in Bristol, Conn., on Tuesday.");
    let found = places(&doc);
    assert!(
        found.contains(&("Bristol".into(), Some(5282835), Some("USA".into()))),
        "{found:?}"
    );
    assert!(found.iter().any(|p| p.1 == Some(4831725)), "{found:?}");
}

#[test]
fn a_name_without_its_arabic_article_is_looked_for_where_such_names_are() {
    // "Sora" alone is an Italian town; "al-Sora" near Homs is a Syrian place the gazetteer lacks.
    let doc = code("Militias entered the town of al-Sora near Homs at dawn.");
    let found = places(&doc);
    assert!(
        found.contains(&("al-Sora".into(), None, Some("SYR".into()))),
        "{found:?}"
    );
    // Where the stripped name is an Arab town, it still resolves.
    let doc = code("Airstrikes hit targets in Al-Raqqa on Sunday.");
    assert_eq!(places(&doc)[0].2.as_deref(), Some("SYR"));
    assert!(places(&doc)[0].1.is_some());
}

#[test]
fn the_towns_of_a_sentence_say_which_of_a_name_is_meant() {
    // Alone, Bethlehem is the larger South African town; beside Beit Jala, the Palestinian one.
    let stage = &stages().4;
    assert_eq!(stage.lookup("Bethlehem", None)[0].country_code, "ZAF");
    let doc = code("Clashes broke out between Beit Jala and Bethlehem overnight.");
    let found = places(&doc);
    assert!(
        found.contains(&("Bethlehem".into(), Some(284315), Some("PSE".into()))),
        "{found:?}"
    );
}

#[test]
fn a_body_of_water_the_gazetteer_lacks_lies_in_no_one_state() {
    let doc = code("Chinese warships sailed through the Taiwan Strait and near Scarborough Shoal.");
    let found = places(&doc);
    assert!(
        found.contains(&("Taiwan Strait".into(), None, None)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Scarborough Shoal".into(), None, None)),
        "{found:?}"
    );
}

#[test]
fn a_well_known_name_is_a_place_without_a_preposition() {
    let doc = code(
        "Officials said the Ghazni provincial council would meet. \"We \
         saw nothing,\" a SAM operator told reporters.",
    );
    let found = places(&doc);
    assert!(
        found
            .iter()
            .any(|p| p.0 == "Ghazni" && p.2.as_deref() == Some("AFG")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|p| p.0 == "We" || p.0 == "SAM"),
        "{found:?}"
    );
}

#[test]
fn the_gulf_and_the_parts_of_continents_are_regions_of_several_states() {
    let doc = code("Ankara courted Gulf states, while borders closed across Central Europe.");
    let found = places(&doc);
    assert!(found.contains(&("Gulf".into(), None, None)), "{found:?}");
    assert!(
        found.contains(&("Central Europe".into(), None, None)),
        "{found:?}"
    );
}
