//! `dyad query`: deduplicated events from a store, as rows or as time series.

use crate::cmd::export::{open_existing, RowFormat, RowWriter};
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use dyad_actors::{Dictionary, EntryKind};
use dyad_store::{Bloc, By, CountRow, Filter, Period};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct QueryArgs {
    #[arg(long)]
    db: PathBuf,
    /// Actor codes (PLOVER `RUS`, or CAMEO `RUSGOV`); comma-separated alternatives.
    #[arg(long, value_delimiter = ',')]
    actor: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    recipient: Vec<String>,
    /// Codes on either side.
    #[arg(long, value_delimiter = ',')]
    either: Vec<String>,
    /// A member of the bloc (EU, NATO, ASEAN, African Union, ...) on the event's date, on
    /// either side.
    #[arg(long, value_name = "BLOC")]
    member_of: Option<String>,
    /// A member of the bloc on the event's date as the actor.
    #[arg(long, value_name = "BLOC")]
    actor_member_of: Option<String>,
    /// A member of the bloc on the event's date as the recipient.
    #[arg(long, value_name = "BLOC")]
    recipient_member_of: Option<String>,
    /// PLOVER event types (ASSAULT, CONSULT, ...).
    #[arg(long = "type", value_delimiter = ',')]
    types: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    mode: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    context: Vec<String>,
    /// Quad classes 1-4 (verbal/material cooperation, verbal/material conflict).
    #[arg(long, value_delimiter = ',')]
    quad: Vec<u8>,
    /// First date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<String>,
    /// Last date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: Option<String>,
    /// Event location country codes.
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Only events reported by at least this many distinct sources.
    #[arg(long)]
    min_sources: Option<i64>,
    /// Full-text search over the events' sentences (SQLite FTS5 syntax: words, "phrases",
    /// OR, NOT, prefix*).
    #[arg(long)]
    text: Option<String>,
    #[arg(long)]
    limit: Option<usize>,
    /// Every mention of the selected events rather than one row per event.
    #[arg(long)]
    mentions: bool,
    #[arg(long, value_enum, default_value_t = RowFormat::Jsonl)]
    format: RowFormat,
    /// Output file (required for Parquet; stdout otherwise).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Count events per period instead of listing them.
    #[arg(long, value_enum)]
    count_by: Option<PeriodArg>,
    /// With --count-by, one series per dyad, actor, recipient, type or quad class.
    #[arg(long, value_enum, requires = "count_by")]
    by: Option<ByArg>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum PeriodArg {
    Day,
    Week,
    Month,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ByArg {
    Dyad,
    Actor,
    Recipient,
    Type,
    Quad,
}

pub(crate) fn query(args: &QueryArgs) -> Result<ExitCode> {
    let filter = filter(args)?;
    let store = open_existing(&args.db)?;
    if let Some(period) = args.count_by {
        let period = match period {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
            PeriodArg::Month => Period::Month,
        };
        let by = args.by.map(|b| match b {
            ByArg::Dyad => By::Dyad,
            ByArg::Actor => By::Actor,
            ByArg::Recipient => By::Recipient,
            ByArg::Type => By::Type,
            ByArg::Quad => By::Quad,
        });
        let rows = store.count_by(&filter, period, by)?;
        write_counts(&rows, args.format, by.is_some())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut writer = RowWriter::create(args.format, args.output.as_deref())?;
    store.query(&filter, args.mentions, &mut writer)?;
    writer.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn filter(args: &QueryArgs) -> Result<Filter> {
    let dict = if [
        &args.member_of,
        &args.actor_member_of,
        &args.recipient_member_of,
    ]
    .iter()
    .any(|b| b.is_some())
    {
        Some(Dictionary::builtin()?)
    } else {
        None
    };
    let bloc = |name: &Option<String>| -> Result<Option<Bloc>> {
        match (name, &dict) {
            (Some(n), Some(d)) => Ok(Some(bloc(d, n)?)),
            _ => Ok(None),
        }
    };
    for d in [&args.from, &args.to].into_iter().flatten() {
        if dyad_core::normalise_date(d).ok().as_deref() != Some(d.as_str()) {
            bail!("--from/--to {d:?}: expected a date YYYY-MM-DD");
        }
    }
    Ok(Filter {
        actor: args.actor.clone(),
        recipient: args.recipient.clone(),
        either: args.either.clone(),
        actor_bloc: bloc(&args.actor_member_of)?,
        recipient_bloc: bloc(&args.recipient_member_of)?,
        either_bloc: bloc(&args.member_of)?,
        types: args.types.clone(),
        modes: args.mode.clone(),
        contexts: args.context.clone(),
        quad: args.quad.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        country: args.country.clone(),
        min_sources: args.min_sources,
        text: args.text.clone(),
        limit: args.limit,
        offset: None,
    })
}

/// The bloc named `name` (acronym, name or identifier, any case) with its dated
/// memberships from dyad-actors' `memberships.tsv`.
pub(crate) fn bloc(dict: &Dictionary, name: &str) -> Result<Bloc> {
    let wanted = name.trim().to_lowercase();
    let identifier = dict.entries.iter().find_map(|e| match &e.kind {
        EntryKind::Organisation { identifier, .. }
            if e.form.to_lowercase() == wanted || identifier.to_lowercase() == wanted =>
        {
            Some(identifier.clone())
        }
        _ => None,
    });
    let members = identifier
        .as_deref()
        .map(|id| dict.members(id, None))
        .unwrap_or_default();
    if members.is_empty() {
        let mut known: Vec<&str> = dict
            .memberships
            .iter()
            .map(|m| m.organisation.as_str())
            .collect();
        known.dedup();
        bail!(
            "--member-of {name:?}: no bloc with dated memberships by that name (known: {})",
            known.join(", ")
        );
    }
    Ok(Bloc {
        name: name.to_string(),
        members: members
            .iter()
            .map(|m| (m.member.clone(), m.from.clone(), m.to.clone()))
            .collect(),
    })
}

fn write_counts(rows: &[CountRow], format: RowFormat, keyed: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        RowFormat::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
        }
        RowFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let mut header = vec!["period"];
            if keyed {
                header.push("key");
            }
            header.extend(["events", "scale_sum", "mentions", "sources"]);
            w.write_record(&header)?;
            for r in rows {
                let mut rec = vec![r.period.clone()];
                if keyed {
                    rec.push(r.key.clone().unwrap_or_default());
                }
                rec.extend([
                    r.events.to_string(),
                    r.scale_sum.to_string(),
                    r.mentions.to_string(),
                    r.sources.to_string(),
                ]);
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
        RowFormat::Parquet => bail!("--count-by writes jsonl or csv"),
    }
    out.flush()?;
    Ok(())
}
