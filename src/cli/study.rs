//! `trace`, `whatif`, `compare`, `scores` and `export`: studying games after the fact.

use super::failure::Failure;
use crate::assets::{self, Assets};
use crate::domain::ids::{RobotId, Tick};
use crate::domain::metrics::{MEASURES, Metrics, histogram};
use crate::domain::program::limits::MAX_SOURCE_BYTES;
use crate::domain::ruleset::ProgramSource;
use crate::present;
use crate::saves;
use crate::store::EventReader;
use crate::store::sqlite::SqliteStore;
use crate::study;
use crate::study::scores::Board;
use std::io::Write;
use std::path::Path;

pub(super) fn trace(
    save: &Path,
    robot: &str,
    tick: Tick,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let robot = RobotId::parse(robot).map_err(|e| Failure::Input(format!("--robot: {e}")))?;
    let events = SqliteStore::open_read_only(save)?.read_all()?;
    let report = study::trace::trace(&events, &robot, tick).map_err(Failure::Input)?;
    if json {
        writeln!(out, "{}", present::to_json_pretty(&report))?;
    } else {
        write!(out, "{}", study::trace::text(&report))?;
    }
    if report.desync {
        return Err(Failure::Check(format!(
            "{robot} at tick {tick}: the rules and the log disagree"
        )));
    }
    Ok(())
}

pub(super) fn export(save: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let events = SqliteStore::open_read_only(save)?.read_all()?;
    let script = study::export::scenario(&events).map_err(Failure::Input)?;
    Ok(out.write_all(script.as_bytes())?)
}

/// What `lunar whatif` was asked to try.
pub(super) struct Try<'a> {
    pub robot: &'a str,
    pub at_tick: Tick,
    pub program: &'a str,
    pub ticks: Option<u64>,
    pub name: Option<&'a str>,
}

/// A program a command names: a bare name from the shipped programs, else a file.
fn program_named(file: &str, assets: &Assets) -> Result<ProgramSource, Failure> {
    if !file.contains(['/', '.']) {
        return assets::load_program(assets, file).map_err(Failure::from);
    }
    let path = Path::new(file);
    let source = crate::files::read_text(path, MAX_SOURCE_BYTES as u64, "a program")
        .map_err(|e| Failure::Input(format!("{file}: {e}")))?;
    let name = path
        .file_stem()
        .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned());
    Ok(ProgramSource { name, source })
}

pub(super) fn whatif(
    dir: &Path,
    save: &Path,
    what: &Try<'_>,
    assets: &Assets,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let robots = match what.robot {
        "all" => None,
        list => Some(
            list.split(',')
                .map(|id| RobotId::parse(id.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure::Input(format!("--robot: {e}")))?,
        ),
    };
    let program = program_named(what.program, assets)?;
    // Read first, so a save that is not one is named before any branch is made.
    SqliteStore::open_read_only(save)?;
    let stem = save
        .file_stem()
        .map_or_else(|| "game".into(), |s| s.to_string_lossy().into_owned());
    let name = match what.name {
        Some(name) => {
            saves::check_name(name)?;
            name.to_owned()
        }
        None => saves::free_name(dir, &format!("{stem}-whatif-{}", what.at_tick)),
    };
    let branch = saves::resolve(dir, &name);
    if branch.exists() {
        return Err(Failure::Input(format!(
            "{}: a save by that name exists; give another with --name",
            branch.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
    let request = study::whatif::Request {
        robots,
        tick: what.at_tick,
        program: &program,
        ticks: what.ticks,
    };
    let report =
        study::whatif::whatif(save, &branch, &request, &mut |_, _| ()).map_err(Failure::Input)?;
    if json {
        writeln!(out, "{}", present::to_json_pretty(&report))?;
        return Ok(());
    }
    let given: Vec<String> = report
        .robots
        .iter()
        .filter(|r| !report.unchanged.contains(r))
        .map(ToString::to_string)
        .collect();
    writeln!(
        out,
        "branched at tick {} into {}; {} given {}",
        report.tick.saturating_sub(1),
        report.branch,
        if given.is_empty() {
            "no robot".into()
        } else {
            given.join(", ")
        },
        program.name
    )?;
    if !report.unchanged.is_empty() {
        let kept: Vec<String> = report.unchanged.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "{} already ran it, and kept its memory",
            kept.join(", ")
        )?;
    }
    if report.refused > 0 {
        writeln!(
            out,
            "{} of your later commands could not be given again on the branch",
            report.refused
        )?;
    }
    write!(out, "{}", study::compare::text(&report.comparison))?;
    Ok(())
}

pub(super) fn compare(a: &Path, b: &Path, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let read = |p: &Path| -> Result<_, Failure> { Ok(SqliteStore::open_read_only(p)?.read_all()?) };
    let name = |p: &Path| {
        p.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    };
    let comparison = study::compare::compare(&read(a)?, &read(b)?, (&name(a), &name(b)))
        .map_err(Failure::Input)?;
    if json {
        writeln!(out, "{}", present::to_json_pretty(&comparison))?;
    } else {
        write!(out, "{}", study::compare::text(&comparison))?;
    }
    Ok(())
}

pub(super) fn scores(
    dir: &Path,
    assets: &Assets,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let boards = study::scores::boards(dir, assets);
    if json {
        writeln!(out, "{}", present::to_json_pretty(&boards))?;
        return Ok(());
    }
    if boards.is_empty() {
        writeln!(out, "no mission has been played in {}", dir.display())?;
        return Ok(());
    }
    for board in &boards {
        write!(out, "{}", board_text(board))?;
    }
    Ok(())
}

/// A mission's attempts as `lunar scores` prints them: best and par, a row a measure, each
/// with a histogram of the wins; then each attempt.
fn board_text(board: &Board) -> String {
    let wins: Vec<&Metrics> = board.wins().collect();
    let mut out = format!(
        "{} · {}: {} attempts, {} won\n",
        board.title,
        board.mission,
        board.attempts.len(),
        wins.len()
    );
    out += &format!("  {:<20} {:>8} {:>8}  wins\n", "", "best", "par");
    for (name, read) in MEASURES {
        let cell = |m: Option<Metrics>| m.map_or_else(|| "-".into(), |m| read(&m).to_string());
        let values: Vec<u64> = wins.iter().map(|m| read(m)).collect();
        out += &format!(
            "  {name:<20} {:>8} {:>8}  {}\n",
            cell(board.best),
            cell(board.par),
            present::bars(&histogram(&values, 8))
        );
    }
    for a in &board.attempts {
        out += &format!(
            "  {:<24} {:<8} {} ticks\n",
            a.save,
            a.outcome.word(),
            a.metrics.ticks
        );
    }
    out
}
