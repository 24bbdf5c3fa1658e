//! `script run` and `script generate`: scenario scripts, headless.

use super::failure::Failure;
use crate::assets::{self, Assets};
use crate::present;
use crate::scenario::{generate, parse, run};
use crate::store::memory::MemoryStore;
use crate::store::sqlite::SqliteStore;
use std::io::Write;
use std::path::Path;

/// The largest script file read: far past any written by hand or generated.
pub(super) const MAX_SCRIPT_BYTES: u64 = 64 << 20;

pub(super) fn read_script(file: &Path) -> Result<String, Failure> {
    crate::files::read_text(file, MAX_SCRIPT_BYTES, "a script")
        .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))
}

pub(super) fn script_run(
    file: &Path,
    save: Option<&Path>,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let text = read_script(file)?;
    run_script(&file.display().to_string(), &text, save, assets, out)
}

/// Runs a script's text, named `name` in messages; into a new save at `save` if one is given.
pub(super) fn run_script(
    name: &str,
    text: &str,
    save: Option<&Path>,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let script = parse::parse(name, text)?;
    let report = match save {
        None => {
            let (report, session) = run::run(&script, MemoryStore::new(), assets)?;
            write_report(out, &report, &present::state_text(session.projections()))?;
            report
        }
        Some(path) => {
            let store = SqliteStore::create_pending(path)?;
            let (report, session) = run::run(&script, store, assets)?;
            write_report(out, &report, &present::state_text(session.projections()))?;
            session.into_store().publish()?;
            writeln!(out, "saved to {}", path.display())?;
            report
        }
    };
    if report.failures.is_empty() {
        Ok(())
    } else {
        Err(Failure::Check(format!(
            "{} of {} expectations failed",
            report.failures.len(),
            report.failures.len() + report.passed
        )))
    }
}

pub(super) fn generate_script(
    ticks: u64,
    sites: u64,
    overlap: u64,
    seed: u64,
    map: &str,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let map = assets::load_map(assets, map)?;
    let catalogue = assets::load_catalogue(assets)?;
    let plan = generate::Plan {
        ticks,
        sites,
        seed,
        overlap,
        map: &map,
        catalogue: &catalogue,
    };
    out.write_all(
        generate::generate(&plan)
            .map_err(Failure::Input)?
            .as_bytes(),
    )?;
    Ok(())
}

pub(super) fn write_report(
    out: &mut dyn Write,
    report: &run::Report,
    colony: &str,
) -> std::io::Result<()> {
    for shown in &report.shown {
        out.write_all(shown.as_bytes())?;
    }
    write!(out, "{}\n{colony}", report.summary())
}
