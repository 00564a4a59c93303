//! `dyad places lookup`: the gazetteer candidates for a name and why one wins.

use crate::cmd::*;
use anyhow::{bail, Result};
use dyad_geo::GeoStage;
use std::io::Write;
use std::process::ExitCode;

/// The ISO alpha-3 code of `country` given as a code or a name the gazetteer knows.
fn country_code(stage: &GeoStage, country: &str) -> Result<String> {
    let gaz = stage.gazetteer();
    let upper = country.to_uppercase();
    if gaz.country(&upper).is_some() {
        return Ok(upper);
    }
    let named = gaz
        .lookup(country)
        .iter()
        .find(|&&r| gaz.feature(r) == "A.PCLI");
    match named {
        Some(&r) => Ok(gaz.rows[r as usize].country().to_string()),
        None => bail!("--country {country}: not a country code or name the gazetteer knows"),
    }
}

pub(crate) fn places_lookup(
    name: &str,
    country: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<ExitCode> {
    let start = std::time::Instant::now();
    let stage = GeoStage::builtin()?;
    eprintln!(
        "dyad: gazetteer: {} entries, decompressed and indexed in {:.0} ms",
        stage.gazetteer().rows.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let code = country.map(|c| country_code(&stage, c)).transpose()?;
    let ranked = stage.lookup(name, code.as_deref());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        for c in ranked.iter().take(limit) {
            write_json(&mut out, c)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(best) = ranked.first() else {
        writeln!(out, "{name:?}: not in the gazetteer")?;
        return Ok(ExitCode::FAILURE);
    };
    writeln!(
        out,
        "{:>5} {:>9} {:<8} {:<4} {:>11}  name",
        "score", "geonameid", "feature", "ctry", "population"
    )?;
    for c in ranked.iter().take(limit) {
        writeln!(
            out,
            "{:>5.2} {:>9} {:<8} {:<4} {:>11}  {}",
            c.score, c.geonameid, c.feature, c.country_code, c.population, c.name
        )?;
    }
    let entry = stage.gazetteer().entry(
        stage
            .gazetteer()
            .by_id(best.geonameid)
            .expect("ranked from the gazetteer"),
    );
    writeln!(
        out,
        "winner: {} ({}, {}, admin1 {}) at {}, {}: {}",
        entry.name,
        entry.feature,
        entry.country_code,
        if entry.admin1.is_empty() {
            "-"
        } else {
            &entry.admin1
        },
        entry.latitude,
        entry.longitude,
        why(&ranked, code.as_deref())
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Why the first candidate wins over the second, from the features the ranking weighs.
fn why(ranked: &[dyad_core::GeoCandidate], country: Option<&str>) -> String {
    let best = &ranked[0];
    let mut reasons = Vec::new();
    if country == Some(best.country_code.as_str()) {
        reasons.push(format!("in the given country {}", best.country_code));
    }
    match best.feature.as_str() {
        "A.PCLI" => reasons.push("a country".into()),
        "P.PPLC" => reasons.push("a capital".into()),
        "A.ADM1" => reasons.push("a first-order region".into()),
        _ => {}
    }
    match ranked.get(1) {
        Some(second) => {
            if best.population > second.population {
                reasons.push(format!(
                    "more people than {} {} ({})",
                    second.name, second.country_code, second.population
                ));
            }
            reasons.push(format!(
                "score {:.2} against {:.2}",
                best.score, second.score
            ));
        }
        None => reasons.push("the only entry of that name".into()),
    }
    reasons.join("; ")
}
