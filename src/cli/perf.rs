//! `bench`: the figures, each beside its baseline from the same run.

use super::Failure;
use crate::assets::Assets;
use crate::bench;
use std::io::Write;

#[allow(clippy::too_many_arguments)]
pub(super) fn bench(
    ticks: u64,
    buildings: u64,
    seeks: u64,
    json: bool,
    assets: &Assets,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let options = bench::Options {
        ticks,
        sites: buildings,
        seeks,
        frames: 500,
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
