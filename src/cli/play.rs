//! `lunar`, `play`, `new`, `missions`, `replay` and `demo`: the commands that start or show a game.

use super::args::LiveArgs;
use super::failure::Failure;
use super::script::run_script;
use crate::assets::{self, Assets};
use crate::invocation;
use crate::present;
use crate::runtime;
use crate::saves;
use crate::store::sqlite::SqliteStore;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates a new game to play: everything is checked, the terminal included, before anything
/// is written.
pub(super) fn new_game(
    dir: &Path,
    name: &str,
    rules: saves::NewRules<'_>,
    seed: Option<u64>,
    assets: &Assets,
) -> Result<PathBuf, Failure> {
    let prepared = saves::prepare(&saves::NewGame {
        dir,
        name,
        rules,
        seed,
        player: saves::player_name(),
        assets,
    })?;
    runtime::require_terminal()?;
    Ok(saves::create(prepared)?)
}

/// The mission `lunar new` plays when none is named.
pub(super) const SANDBOX: &str = "sandbox";

pub(super) fn list_missions(assets: &Assets, out: &mut dyn Write) -> Result<(), Failure> {
    let missions = assets::list_missions(assets)?;
    writeln!(
        out,
        "{:<20} {:<20} {:<24} goal",
        "mission", "title", "shipped programs"
    )?;
    for m in missions {
        let title = match m.order {
            Some(n) => format!("{n}. {}", m.title),
            None => m.title,
        };
        let shipped = m.shipped.unwrap_or_else(|| "-".into());
        writeln!(out, "{:<20} {:<20} {:<24} {}", m.id, title, shipped, m.goal)?;
    }
    writeln!(
        out,
        "\nplay one with: {}",
        invocation::suggest(&saves::default_dir(), "new NAME --mission ID")
    )?;
    Ok(())
}

/// Plays the named save, else the newest, else the first mission of the tutorial.
pub(super) fn play(
    dir: &Path,
    save: Option<&str>,
    live: &LiveArgs,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let path = match save {
        Some(name) => saves::resolve(dir, name),
        None => match saves::newest(dir) {
            Some(path) => path,
            None => {
                let first = assets::first_mission(assets)?;
                new_game(dir, &first, saves::NewRules::Mission(&first), None, assets)?
            }
        },
    };
    play_path(dir, &path, live, assets, out)
}

/// Colour unless `NO_COLOR` is set to anything.
pub(super) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Watches a save; a branch made there is played, and quitting it comes back to the replay at
/// the tick it branched from.
pub(super) fn replay(
    dir: &Path,
    path: &Path,
    live: &LiveArgs,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut at = None;
    loop {
        match runtime::replay::replay(path, color(), at)? {
            runtime::replay::ReplayOutcome::Quit => return Ok(()),
            runtime::replay::ReplayOutcome::Branched { save, tick } => {
                writeln!(out, "branched {} into {}", path.display(), save.display())?;
                play_path(dir, &save, live, assets, out)?;
                at = Some(tick);
            }
        }
    }
}

/// The command that does `verb` to `save` from here.
pub(super) fn suggest(dir: &Path, verb: &str, save: &Path) -> String {
    if save.parent() == Some(dir) {
        invocation::suggest(dir, &format!("{verb} {}", runtime::save_name(save)))
    } else {
        invocation::suggest(&saves::default_dir(), &format!("{verb} {}", save.display()))
    }
}

/// Plays a save; when the player asks for the next mission on the outcome screen, or the same
/// one again, starts it in a new save and plays that, and so on.
pub(super) fn play_path(
    dir: &Path,
    path: &Path,
    live: &LiveArgs,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mission = SqliteStore::open_read_only(path)
        .and_then(|s| s.summary())
        .ok()
        .and_then(|s| s.mission);
    let report = runtime::play(&runtime::PlayOptions {
        save: path.to_path_buf(),
        tick_ms: live.tick_ms,
        quiet: live.quiet,
        color: color(),
        par: mission.as_ref().and_then(|id| {
            let missions = assets::list_missions(assets).ok()?;
            missions.into_iter().find(|m| m.id == *id)?.par
        }),
        next_mission: mission.and_then(|id| assets::next_mission(assets, &id)),
        programs: assets::list_programs(assets),
    })?;
    let next = if report.stopped {
        format!(
            "The game has stopped; watch it again with: {}",
            suggest(dir, "replay", path)
        )
    } else {
        format!("Resume with: {}", suggest(dir, "play", path))
    };
    writeln!(
        out,
        "{} saved at tick {} with {}. {next}",
        path.display(),
        report.tick,
        present::plural(report.buildings, "building"),
    )?;
    match report.next {
        None => Ok(()),
        Some(mission) => {
            let name = saves::free_name(dir, &mission);
            let next = new_game(dir, &name, saves::NewRules::Mission(&mission), None, assets)?;
            play_path(dir, &next, live, assets, out)
        }
    }
}

pub(super) fn demo(assets: &Assets, out: &mut dyn Write) -> Result<(), Failure> {
    let file = "scenarios/demo.scenario";
    let text = assets.text(file)?;
    run_script(
        &assets.path(file).display().to_string(),
        &text,
        None,
        assets,
        out,
    )
}
