//! `bench`: the figures, each beside its baseline from the same run.

use super::failure::Failure;
use crate::assets::Assets;
use crate::bench;
use std::io::Write;

/// How big the bench's games are: as asked, else the headline sizes, or the quick ones.
pub(super) struct Size {
    pub ticks: Option<u64>,
    pub buildings: Option<u64>,
    pub seeks: Option<u64>,
    pub robots: Option<u64>,
    pub quick: bool,
}

pub(super) fn bench(
    size: Size,
    json: bool,
    assets: &Assets,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let pick = |asked: Option<u64>, full: u64, quick: u64| {
        asked.unwrap_or(if size.quick { quick } else { full })
    };
    let options = bench::Options {
        ticks: pick(size.ticks, 100_000, 10_000),
        sites: pick(size.buildings, 1_000, 100),
        seeks: pick(size.seeks, 1_000, 200),
        frames: if size.quick { 100 } else { 500 },
        robots: pick(size.robots, 1_000, 200) as usize,
        robot_events: if size.quick { 100_000 } else { 1_000_000 },
        quick: size.quick,
        assets: assets.clone(),
    };
    let report = bench::run(&options, &mut |step| {
        let _ = writeln!(err, "bench: {step}...");
    })?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        write!(out, "{}", bench::table(&report))?;
    }
    Ok(())
}
