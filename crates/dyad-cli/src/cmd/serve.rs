//! `dyad serve`: the HTTP API and dashboard of `dyad-serve` over a store, with this
//! binary's pipeline coding pasted texts and its actor data resolving blocs.

use crate::cmd::dictionary;
use crate::cmd::query::bloc;
use anyhow::Result;
use dyad::Pipeline;
use dyad_actors::Dictionary;
use dyad_serve::{Config, Services};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

pub(crate) struct ServeOptions<'a> {
    pub db: &'a Path,
    pub addr: SocketAddr,
    pub dictionaries: Option<&'a Path>,
    pub connections: usize,
    pub no_cache: bool,
}

pub(crate) fn serve(o: &ServeOptions) -> Result<ExitCode> {
    if !o.addr.ip().is_loopback() {
        eprintln!(
            "dyad: warning: listening on {}, reachable from other machines; the API has no authentication",
            o.addr
        );
    }
    let config = Config {
        db: o.db.to_path_buf(),
        addr: o.addr,
        connections: o.connections,
        cache: !o.no_cache,
    };
    dyad_serve::run(&config, services(o.dictionaries)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The pipeline (as `dyad code` builds it) and the bloc lookup (as `dyad query` does).
fn services(dictionaries: Option<&Path>) -> Result<Services> {
    let (dict, verbs) = dictionary(dictionaries, None, true)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let actors = Dictionary::builtin()?;
    let mut blocs: Vec<String> = actors
        .memberships
        .iter()
        .map(|m| m.organisation.clone())
        .collect();
    blocs.sort();
    blocs.dedup();
    Ok(Services {
        code: Box::new(move |article| pipeline.try_run(article).map_err(|e| e.to_string())),
        bloc: Box::new(move |name| bloc(&actors, name).map_err(|e| format!("{e:#}"))),
        blocs,
    })
}
