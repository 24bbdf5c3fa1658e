//! The flags several commands share, as clap reads them: live play's pace, the ranges and
//! formats of reading a log, recording a replay.

use std::path::PathBuf;

use clap::Args;

use crate::domain::ids::Tick;

#[derive(Args, Debug)]
pub(super) struct LiveArgs {
    /// Milliseconds between ticks at normal speed, for live play.
    #[arg(long, allow_hyphen_values = true, global = true, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub(super) tick_ms: u64,
    /// No bell when a building completes.
    #[arg(long, global = true)]
    pub(super) quiet: bool,
}

#[derive(Args, Debug)]
pub(super) struct EventsArgs {
    /// A save's name in the saves folder, or a path.
    pub(super) save: String,
    /// One JSON object a line (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub(super) json: bool,
    /// text (columns), json (one object a line) or cloudevents (CloudEvents 1.0 JSON, one a line).
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    pub(super) format: EventFormat,
    #[arg(long, allow_hyphen_values = true, value_name = "A")]
    pub(super) from_tick: Option<Tick>,
    #[arg(long, allow_hyphen_values = true, value_name = "B")]
    pub(super) to_tick: Option<Tick>,
}

/// Recording a replay instead of showing it.
#[derive(Args, Debug)]
pub(super) struct ExportArgs {
    /// Record the playback screen to an asciicast v2 file (FILE.cast) instead of showing it.
    #[arg(long, value_name = "FILE.cast")]
    pub(super) export: Option<PathBuf>,
    /// The first tick recorded [default: 0].
    #[arg(
        long,
        requires = "export",
        allow_hyphen_values = true,
        value_name = "A"
    )]
    pub(super) from_tick: Option<Tick>,
    /// The last tick recorded [default: the save's last].
    #[arg(
        long,
        requires = "export",
        allow_hyphen_values = true,
        value_name = "B"
    )]
    pub(super) to_tick: Option<Tick>,
    /// Ticks a second in the recording, 1 being the game's normal speed (0.25 to 1000).
    #[arg(long, requires = "export", default_value_t = 4.0, value_parser = speed)]
    pub(super) speed: f64,
    /// The recorded screen's size in columns and rows (at least 64x20).
    #[arg(long, requires = "export", default_value = "120x40", value_parser = screen_size)]
    pub(super) size: (u16, u16),
}

pub(super) fn speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.25..=1000.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "expected a speed from 0.25 to 1000, found {text:?}"
        )),
    }
}

pub(super) fn screen_size(text: &str) -> Result<(u16, u16), String> {
    let parsed = text
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse::<u16>().ok()?, h.parse::<u16>().ok()?)));
    match parsed {
        Some((w, h)) if (64..=500).contains(&w) && (20..=200).contains(&h) => Ok((w, h)),
        _ => Err(format!(
            "expected WIDTHxHEIGHT from 64x20 to 500x200, such as 120x40, found {text:?}"
        )),
    }
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum EventFormat {
    Text,
    Json,
    Cloudevents,
}

#[derive(Args, Debug)]
pub(super) struct StateArgs {
    /// A save's name in the saves folder, or a path.
    pub(super) save: String,
    /// Default: the last tick.
    #[arg(long, allow_hyphen_values = true, value_name = "N")]
    pub(super) at_tick: Option<Tick>,
    #[arg(long)]
    pub(super) json: bool,
}
