//! Places: a GeoNames gazetteer compiled in, the resolution of place mentions to its
//! entries (candidates → features → ranking, as Mordecai does) and the choice of where each
//! event happened. [`GeoStage`] runs after the event stages and fills `Doc::places` and
//! `Doc::event_places`, and sets each event's `place` to the chosen one. No IO: the data is
//! compiled in (`data/`).

pub mod gazetteer;
pub mod locate;
pub mod mentions;
pub mod resolve;

use dyad_core::tsv::{self, DataError};
use dyad_core::{Doc, Stage};
pub use gazetteer::Gazetteer;
use std::collections::HashMap;

/// The word lists and weights the stage reads (`data/cues.tsv`, `ranking.tsv`,
/// `demonyms.tsv`).
#[derive(Debug, Clone, Default)]
pub struct GeoData {
    pub locative: Vec<String>,
    /// Prepositions that introduce a place only through a place noun ("on the outskirts of").
    pub locative_with_noun: Vec<String>,
    pub place_nouns: Vec<String>,
    /// Place nouns of a country's first-level regions ("governorate"): a name before one
    /// is the region, not the town of that name.
    pub admin_nouns: Vec<String>,
    /// Place nouns of towns ("city"): "the West Bank city of Nablus" names Nablus, not a part
    /// of it.
    pub settlements: Vec<String>,
    /// PLOVER types of what is said, not done: their place hangs on the trigger itself.
    pub verbal: Vec<String>,
    /// Verbs (lemmas) of going somewhere: "to", "into", "toward" introduce their place.
    pub moves_to: Vec<String>,
    /// PLOVER types whose "against" names the matter, not a place of the event ("protested
    /// against the war in Yemen").
    pub against_matter: Vec<String>,
    /// Sites that stand where they are ("a Singapore hotel"): a state before them is a
    /// place, not a nationality.
    pub sites: Vec<String>,
    pub capital: Vec<String>,
    /// Event nouns that take their place after of/on/against ("the siege of Homs").
    pub event_nouns: Vec<String>,
    /// Verbs (lemmas) whose object may be a place ("captured Badme").
    pub place_objects: Vec<String>,
    /// Verbs whose object is a place even when the recognizer took it for a person.
    pub place_only_objects: Vec<String>,
    /// Compass directions that make "of" a locative ("northwest of Kathmandu").
    pub directions: Vec<String>,
    /// Regions of several countries, seas and oceans ("the Middle East", "the Red Sea"):
    /// places of no one country, left without an entry even where a town bears the name.
    pub regions: Vec<String>,
    /// Last words of the names of bodies of water ("Strait", "Shoal"): such a place the
    /// gazetteer lacks lies in no one state.
    pub water_words: Vec<String>,
    /// States where place names take an Arabic article ("al-Raqqa"): a name read without its
    /// article is looked for only there.
    pub article_countries: Vec<String>,
    /// Regions of one country the gazetteer lacks ("Donbas", "Darfur"): name, ISO alpha-3.
    pub regions_in: Vec<(String, String)>,
    /// Words that end the reading back to a preposition ("at least").
    pub stop: Vec<String>,
    pub skip: Vec<String>,
    /// Capitalised words that are never a place on their own ("March", "Parliament").
    pub not_place: Vec<String>,
    /// Capitalised words that end the name of a feature ("Shoal", "Airport").
    pub feature_words: Vec<String>,
    pub weights: HashMap<String, f32>,
    /// Demonym → ISO alpha-3.
    pub demonyms: HashMap<String, String>,
}

impl GeoData {
    pub fn builtin() -> Result<Self, DataError> {
        GeoData::parse(
            include_str!("../data/cues.tsv"),
            include_str!("../data/ranking.tsv"),
            include_str!("../data/demonyms.tsv"),
        )
    }

    pub fn parse(cues: &str, ranking: &str, demonyms: &str) -> Result<Self, DataError> {
        let mut d = GeoData::default();
        for row in tsv::rows("cues.tsv", cues, 2) {
            let (line, c) = row?;
            // "region:UKR": regions of that one country.
            if let Some(iso3) = c[0].strip_prefix("region:") {
                if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(DataError::new(
                        "cues.tsv",
                        line,
                        format!("bad country {iso3}"),
                    ));
                }
                let forms = tsv::list(c[1]).map(|f| (f.to_string(), iso3.to_string()));
                d.regions_in.extend(forms);
                continue;
            }
            let list = match c[0] {
                "locative" => &mut d.locative,
                "locative_with_noun" => &mut d.locative_with_noun,
                "place_noun" => &mut d.place_nouns,
                "admin_noun" => &mut d.admin_nouns,
                "settlement" => &mut d.settlements,
                "verbal" => &mut d.verbal,
                "moves_to" => &mut d.moves_to,
                "against_matter" => &mut d.against_matter,
                "site" => &mut d.sites,
                "capital" => &mut d.capital,
                "event_noun" => &mut d.event_nouns,
                "place_object" => &mut d.place_objects,
                "place_only_object" => &mut d.place_only_objects,
                "stop" => &mut d.stop,
                "direction" => &mut d.directions,
                "region" => &mut d.regions,
                "skip" => &mut d.skip,
                "not_place" => &mut d.not_place,
                "feature_word" => &mut d.feature_words,
                "article_country" => &mut d.article_countries,
                "water_word" => &mut d.water_words,
                k => {
                    return Err(DataError::new(
                        "cues.tsv",
                        line,
                        format!("unknown kind {k}"),
                    ))
                }
            };
            list.extend(tsv::list(c[1]).map(str::to_string));
        }
        for row in tsv::rows("ranking.tsv", ranking, 2) {
            let (line, c) = row?;
            let w = c[1]
                .parse()
                .map_err(|_| DataError::new("ranking.tsv", line, "bad weight"))?;
            d.weights.insert(c[0].to_string(), w);
        }
        for row in tsv::rows("demonyms.tsv", demonyms, 2) {
            let (_, c) = row?;
            for form in tsv::list(c[1]) {
                d.demonyms.insert(form.to_string(), c[0].to_string());
            }
        }
        Ok(d)
    }

    /// Whether the verb at token `k` takes a place as object (its lemma, or its form
    /// beginning with a listed verb: the lemmatizer gives "shel" for "shelled"); `Some(true)`
    /// when the object is a place even if taken for a person.
    pub fn takes_place(&self, doc: &dyad_core::Doc, k: usize) -> Option<bool> {
        let lemma = doc.lemma(k).to_lowercase();
        let form = doc.token_text(k).to_lowercase();
        let listed = |list: &[String]| {
            list.iter()
                .any(|v| *v == lemma || form.starts_with(v.as_str()))
        };
        if listed(&self.place_only_objects) {
            Some(true)
        } else {
            listed(&self.place_objects).then_some(false)
        }
    }

    /// Whether token `k` is a place noun ("town", "province").
    pub fn is_place_noun(&self, doc: &dyad_core::Doc, k: usize) -> bool {
        self.place_nouns.contains(&doc.token_text(k).to_lowercase())
    }

    /// Whether `word` (lowercase) introduces where a verb of going goes: "to", "into", "toward".
    pub fn is_destination(word: &str) -> bool {
        matches!(word, "to" | "into" | "toward" | "towards")
    }

    /// Whether the verb at token `k` is one of going somewhere ("traveled to Tehran").
    pub fn moves_to(&self, doc: &dyad_core::Doc, k: usize) -> bool {
        let lemma = doc.lemma(k).to_lowercase();
        self.moves_to.contains(&lemma)
    }

    /// Whether `name` is a region the cues list: `Some(None)` for one of several countries,
    /// `Some(Some(iso3))` for one of that country.
    pub fn region(&self, name: &str) -> Option<Option<&str>> {
        if self.regions.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            return Some(None);
        }
        self.regions_in
            .iter()
            .find(|(r, _)| r.eq_ignore_ascii_case(name))
            .map(|(_, c)| Some(c.as_str()))
    }

    pub fn weight(&self, key: &str) -> f32 {
        self.weights.get(key).copied().unwrap_or(0.0)
    }
}

/// The geo stage: place mentions → gazetteer entries → event locations.
pub struct GeoStage {
    data: GeoData,
}

impl GeoStage {
    /// The stage with the built-in data; the gazetteer is decompressed on first use.
    pub fn builtin() -> Result<Self, DataError> {
        Ok(GeoStage {
            data: GeoData::builtin()?,
        })
    }

    pub fn data(&self) -> &GeoData {
        &self.data
    }

    /// The built-in gazetteer (decompressed on the first call).
    pub fn gazetteer(&self) -> &'static Gazetteer {
        Gazetteer::builtin()
    }

    /// The candidates for a name out of context, ranked as in a text whose only country is
    /// `country` (ISO alpha-3), best first: what `dyad places lookup` prints.
    pub fn lookup(&self, name: &str, country: Option<&str>) -> Vec<dyad_core::GeoCandidate> {
        let query = resolve::Query {
            text: name,
            sentence: None,
            hint: country,
            admin1: None,
            feature: None,
            near: &[],
        };
        let gaz = self.gazetteer();
        resolve::rank(
            &query,
            gaz.lookup(name),
            &resolve::Context::default(),
            &self.data,
            gaz,
        )
    }
}

impl Stage for GeoStage {
    fn name(&self) -> &'static str {
        "geo"
    }

    fn process(&self, doc: &mut Doc) {
        let gaz = self.gazetteer();
        let found = mentions::find(doc, &self.data, gaz);
        let places = resolve::resolve_all(doc, &found, &self.data, gaz);
        doc.places = places;
        doc.event_places = locate::locate_all(doc, &found, &self.data);
        locate::set_event_places(doc);
    }
}

#[cfg(test)]
mod tests;
