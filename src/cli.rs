//! The command line: parse flags, do one thing, map every error to an exit code here.
//!
//! Exit codes: 0 success, 1 a check failed (an expectation, a verify finding), 2 bad input
//! (a flag, a script line, a file that is not a save).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::assets::{self, Assets};
use crate::bench;
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;
use crate::engine::audit::{Auditor, Invariant};
use crate::engine::envelope::RecordedEvent;
use crate::invocation;
use crate::playback::{CacheCheck, Playback, seek_state};
use crate::present;
use crate::runtime;
use crate::saves;
use crate::scenario::{generate, parse, run};
use crate::store::keyframes::{Inspection, KeyframeCache};
use crate::store::memory::MemoryStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, StoreError, TickRange};

#[derive(Parser, Debug)]
#[command(
    name = "lunar",
    version,
    about = "Lunar Frontiers: an event-sourced colony game"
)]
struct Cli {
    /// A folder of assets (laid out as the game's assets/) to use instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// Where saved games live [default: $LUNAR_SAVES, else the checkout's saves/ when run
    /// from it, else the platform's data folder; `lunar saves` shows which].
    #[arg(long, global = true, value_name = "DIR")]
    saves: Option<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Subcommand, Debug)]
enum Commands {
    /// Play a saved game live (default: the one played last, or a new one).
    Play {
        /// A save's name in the saves folder, or a path.
        save: Option<String>,
    },
    /// Start a new game in the saves folder and play it.
    New {
        name: String,
        /// The mission to play (see `lunar missions`); default: the sandbox.
        #[arg(long, conflicts_with = "classic")]
        mission: Option<String>,
        /// A classic game: the first release's rules, with no economy and no goal.
        #[arg(long)]
        classic: bool,
        /// A classic game's map, from assets/maps.
        #[arg(long, requires = "classic", default_value = "crater")]
        map: String,
        /// Default: the mission's, or for a classic game drawn from its id.
        #[arg(long, allow_hyphen_values = true)]
        seed: Option<u64>,
    },
    /// List the missions: the tutorial chain in order, then the rest.
    Missions,
    /// List the saved games.
    Saves,
    /// Measure the engine on a generated game, each figure beside a same-run baseline.
    Bench {
        #[arg(long, allow_hyphen_values = true, default_value_t = 100_000, value_parser = ticks())]
        ticks: u64,
        /// Sites planted over the game (about nine under construction at a time).
        #[arg(long, allow_hyphen_values = true, default_value_t = 1_000, value_parser = sites())]
        buildings: u64,
        /// Random seeks timed for the seek figures.
        #[arg(long, allow_hyphen_values = true, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        seeks: u64,
        #[arg(long)]
        json: bool,
    },
    /// Watch a saved game again, read-only: scrub, inspect, branch.
    Replay {
        /// A save's name in the saves folder, or a path.
        save: String,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Copy a save's log up to a tick into a new save; the original is only read.
    Branch {
        save: String,
        #[arg(long, allow_hyphen_values = true, value_name = "T")]
        at_tick: Tick,
        /// The new save's name in the saves folder (like `new`'s NAME).
        new: String,
    },
    /// Copy an older save into a new save of the current schema, checked tick by tick.
    ///
    /// The original is only read; the copy is read back and must project exactly as the
    /// original at every tick, or it is removed.
    Upgrade {
        save: String,
        /// The new save's name in the saves folder (like `new`'s NAME).
        new: String,
    },
    /// Run the demo scenario and print the colony.
    Demo,
    /// Run scenario scripts headless.
    #[command(subcommand)]
    Script(ScriptCommand),
    /// Print a save's event log.
    Events(EventsArgs),
    /// Print a save's projections as of a tick.
    State(StateArgs),
    /// Print a completion script for a shell.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page, in roff.
    Man,
    /// Print the JSON Schema (2020-12) of a line of `lunar events --json`.
    Schema,
    /// Replay a save twice and check every invariant of its log.
    Verify {
        /// A save's name in the saves folder, or a path.
        save: String,
    },
}

#[derive(Subcommand, Debug)]
enum ScriptCommand {
    /// Run a script and print a summary; in memory unless --save is given.
    Run {
        file: PathBuf,
        /// Write the game to a new save file instead of keeping it in memory.
        #[arg(long, value_name = "PATH")]
        save: Option<PathBuf>,
    },
    /// Print a long generated scenario: sites planted throughout, ten events a tick or so.
    Generate {
        #[arg(long, allow_hyphen_values = true, default_value_t = 100_000, value_parser = ticks())]
        ticks: u64,
        #[arg(long, allow_hyphen_values = true, default_value_t = 1_000, value_parser = sites())]
        sites: u64,
        /// How many sites are under construction at a time, about.
        #[arg(long, allow_hyphen_values = true, default_value_t = 9, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        overlap: u64,
        #[arg(long, allow_hyphen_values = true, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "large")]
        map: String,
        /// A colony game on this mission instead: a working colony, growing as it goes.
        #[arg(long, conflicts_with_all = ["sites", "overlap", "map"])]
        mission: Option<String>,
    },
}

/// A game's length in ticks, as scripts allow it.
fn ticks() -> clap::builder::RangedU64ValueParser {
    clap::value_parser!(u64).range(1..=parse::MAX_TICKS)
}

/// Sites in a generated game: at least one, and no more than the largest map could hold (the
/// map chosen then says whether they fit).
fn sites() -> clap::builder::RangedU64ValueParser {
    clap::value_parser!(u64).range(1..=u64::from(u16::MAX) * u64::from(u16::MAX))
}

#[derive(Args, Debug)]
struct LiveArgs {
    /// Milliseconds between ticks at normal speed, for live play.
    #[arg(long, allow_hyphen_values = true, global = true, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    tick_ms: u64,
    /// No bell when a building completes.
    #[arg(long, global = true)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct EventsArgs {
    /// A save's name in the saves folder, or a path.
    save: String,
    /// One JSON object a line (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// text (columns), json (one object a line) or cloudevents (CloudEvents 1.0 JSON, one a line).
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
    #[arg(long, allow_hyphen_values = true, value_name = "A")]
    from_tick: Option<Tick>,
    #[arg(long, allow_hyphen_values = true, value_name = "B")]
    to_tick: Option<Tick>,
}

/// Recording a replay instead of showing it.
#[derive(Args, Debug)]
struct ExportArgs {
    /// Record the playback screen to an asciicast v2 file (FILE.cast) instead of showing it.
    #[arg(long, value_name = "FILE.cast")]
    export: Option<PathBuf>,
    /// The first tick recorded [default: 0].
    #[arg(
        long,
        requires = "export",
        allow_hyphen_values = true,
        value_name = "A"
    )]
    from_tick: Option<Tick>,
    /// The last tick recorded [default: the save's last].
    #[arg(
        long,
        requires = "export",
        allow_hyphen_values = true,
        value_name = "B"
    )]
    to_tick: Option<Tick>,
    /// Ticks a second in the recording, 1 being the game's normal speed (0.25 to 1000).
    #[arg(long, requires = "export", default_value_t = 4.0, value_parser = speed)]
    speed: f64,
    /// The recorded screen's size in columns and rows (at least 64x20).
    #[arg(long, requires = "export", default_value = "120x40", value_parser = screen_size)]
    size: (u16, u16),
}

fn speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.25..=1000.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "expected a speed from 0.25 to 1000, found {text:?}"
        )),
    }
}

fn screen_size(text: &str) -> Result<(u16, u16), String> {
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
enum EventFormat {
    Text,
    Json,
    Cloudevents,
}

#[derive(Args, Debug)]
struct StateArgs {
    /// A save's name in the saves folder, or a path.
    save: String,
    /// Default: the last tick.
    #[arg(long, allow_hyphen_values = true, value_name = "N")]
    at_tick: Option<Tick>,
    #[arg(long)]
    json: bool,
}

/// A command that did not succeed, and the exit code that says why.
enum Failure {
    /// Exit 1: the work ran, and a check it made failed.
    Check(String),
    /// Exit 2: the input was wrong; nothing was changed.
    Input(String),
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Input(e.to_string())
    }
}

/// Runs the command line and returns the process's exit code. Every text output is made safe
/// for a terminal on its way out; a reader that stops early is a normal end.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut out = present::Printable::new(out);
    let mut err = present::Printable::new(err);
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and the version are what was asked for, so they go to standard output.
            let _ = if e.use_stderr() {
                write!(err, "{}", e.render())
            } else {
                write!(out, "{}", e.render())
            };
            return u8::try_from(e.exit_code()).unwrap_or(2);
        }
    };
    let result = run_command(cli, &mut out, &mut err);
    if out.closed() {
        return 0;
    }
    match result {
        Ok(()) => 0,
        Err(Failure::Check(message)) => {
            let _ = writeln!(err, "lunar: {message}");
            1
        }
        Err(Failure::Input(message)) => {
            let _ = writeln!(err, "lunar: {message}");
            2
        }
    }
}

fn run_command(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let assets = cli.assets.clone().map_or(Assets::BuiltIn, Assets::Folder);
    let saves_dir = saves::dir(cli.saves.clone());
    if saves_dir.exists() && !saves_dir.is_dir() {
        return Err(Failure::Input(format!(
            "{}: not a folder; saves are kept in a folder (--saves DIR or $LUNAR_SAVES)",
            saves_dir.display()
        )));
    }
    match cli.command {
        None => play(&saves_dir, None, &cli.live, &assets, out),
        Some(Commands::Play { save }) => play(&saves_dir, save.as_deref(), &cli.live, &assets, out),
        Some(Commands::New {
            name,
            mission,
            classic,
            map,
            seed,
        }) => {
            let rules = if classic {
                saves::NewRules::Classic { map: &map }
            } else {
                saves::NewRules::Mission(mission.as_deref().unwrap_or(SANDBOX))
            };
            new_game(&saves_dir, &name, rules, seed, &assets)
                .and_then(|path| play_path(&saves_dir, &path, &cli.live, &assets, out))
        }
        Some(Commands::Missions) => list_missions(&assets, out),
        Some(Commands::Saves) => list_saves(&saves_dir, out),
        Some(Commands::Bench {
            ticks,
            buildings,
            seeks,
            json,
        }) => bench(ticks, buildings, seeks, json, &assets, out, err),
        Some(Commands::Replay {
            save,
            export:
                ExportArgs {
                    export: Some(file),
                    from_tick,
                    to_tick,
                    speed,
                    size: (width, height),
                },
        }) => {
            let export = runtime::cast::Export {
                from: from_tick,
                to: to_tick,
                speed,
                width,
                height,
                color: color(),
            };
            let recorded =
                runtime::cast::export(&saves::resolve(&saves_dir, &save), &file, &export)?;
            writeln!(
                out,
                "recorded ticks {} to {} of {} into {}: {} frames, {:.1} seconds",
                recorded.from,
                recorded.to,
                save,
                recorded.file.display(),
                recorded.frames,
                recorded.seconds
            )?;
            Ok(())
        }
        Some(Commands::Replay { save, .. }) => replay(
            &saves_dir,
            &saves::resolve(&saves_dir, &save),
            &cli.live,
            &assets,
            out,
        ),
        Some(Commands::Branch { save, at_tick, new }) => saves::check_name(&new)
            .map_err(Failure::from)
            .and_then(|()| {
                branch(
                    &saves_dir,
                    &saves::resolve(&saves_dir, &save),
                    at_tick,
                    &saves::resolve(&saves_dir, &new),
                    out,
                )
            }),
        Some(Commands::Upgrade { save, new }) => saves::check_name(&new)
            .map_err(Failure::from)
            .and_then(|()| {
                upgrade(
                    &saves::resolve(&saves_dir, &save),
                    &saves::resolve(&saves_dir, &new),
                    out,
                )
            }),
        Some(Commands::Demo) => demo(&assets, out),
        // Both are written whole into memory first: `generate` panics on a failed write, and a
        // reader that stops early (`| head`) is a normal end here.
        Some(Commands::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "lunar", &mut script);
            out.write_all(&script).map_err(Failure::from)
        }
        Some(Commands::Schema) => {
            let schema = serde_json::to_string_pretty(&crate::schema::events_line())?;
            writeln!(out, "{schema}").map_err(Failure::from)
        }
        Some(Commands::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            out.write_all(&page).map_err(Failure::from)
        }
        Some(Commands::Script(ScriptCommand::Run { file, save })) => {
            script_run(&file, save.as_deref(), &assets, out)
        }
        Some(Commands::Script(ScriptCommand::Generate {
            mission: Some(mission),
            ticks,
            ..
        })) => {
            let setup = assets::load_mission(&assets, &mission)?;
            let text =
                generate::generate_colony(&setup, &mission, ticks).map_err(Failure::Input)?;
            Ok(out.write_all(text.as_bytes())?)
        }
        Some(Commands::Script(ScriptCommand::Generate {
            ticks,
            sites,
            overlap,
            seed,
            map,
            mission: None,
        })) => generate_script(ticks, sites, overlap, seed, &map, &assets, out),
        Some(Commands::Events(args)) => events(&saves::resolve(&saves_dir, &args.save), &args, out),
        Some(Commands::State(args)) => state(&saves::resolve(&saves_dir, &args.save), &args, out),
        Some(Commands::Verify { save }) => verify(&saves::resolve(&saves_dir, &save), out),
    }
}

/// Creates a new game to play: everything is checked, the terminal included, before anything
/// is written.
fn new_game(
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
const SANDBOX: &str = "sandbox";

fn list_missions(assets: &Assets, out: &mut dyn Write) -> Result<(), Failure> {
    let missions = assets::list_missions(assets)?;
    writeln!(out, "{:<20} {:<20} goal", "mission", "title")?;
    for m in missions {
        let title = match m.order {
            Some(n) => format!("{n}. {}", m.title),
            None => m.title,
        };
        writeln!(out, "{:<20} {:<20} {}", m.id, title, m.goal)?;
    }
    writeln!(
        out,
        "\nplay one with: {}",
        invocation::suggest(&saves::default_dir(), "new NAME --mission ID")
    )?;
    Ok(())
}

/// Plays the named save, else the newest, else the first mission of the tutorial.
fn play(
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
fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Watches a save; a branch made there is played, and quitting it comes back to the replay at
/// the tick it branched from.
fn replay(
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
fn suggest(dir: &Path, verb: &str, save: &Path) -> String {
    if save.parent() == Some(dir) {
        invocation::suggest(dir, &format!("{verb} {}", runtime::save_name(save)))
    } else {
        invocation::suggest(&saves::default_dir(), &format!("{verb} {}", save.display()))
    }
}

/// Ticks whose events are compared and folded at once while an upgrade is checked.
const UPGRADE_TICKS: Tick = 1000;

fn upgrade(source: &Path, target: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let original = SqliteStore::open_read_only(source)?;
    let schema = original.schema();
    if schema >= crate::store::sqlite::SCHEMA_VERSION {
        return Err(Failure::Input(format!(
            "{} is already of schema {schema}, the current one: there is nothing to upgrade",
            source.display()
        )));
    }
    // The copy is written under a hidden name and must hold the same events and fold, tick by
    // tick, to the same projections before it takes its own.
    let (copy, count) = SqliteStore::copy(&original, target)?;
    let end = original.summary()?.last_tick;
    let (mut before, mut after) = (Projections::default(), Projections::default());
    let mut compared = 0;
    let mut from = 0;
    let same_tick = |a: &RecordedEvent, b: &RecordedEvent| a.tick() == b.tick();
    let differs = 'chunks: loop {
        let range = TickRange {
            from: Some(from),
            to: Some(from.saturating_add(UPGRADE_TICKS - 1)),
        };
        let (old, new) = (original.read(range)?, copy.read(range)?);
        if old != new {
            let at = old
                .iter()
                .zip(&new)
                .position(|(a, b)| a != b)
                .unwrap_or(old.len().min(new.len()));
            break Some(format!(
                "event {} differs",
                old.get(at).or(new.get(at)).map_or(0, |e| e.seq)
            ));
        }
        for (a, b) in old.chunk_by(same_tick).zip(new.chunk_by(same_tick)) {
            a.iter().for_each(|e| before.apply(&e.event));
            b.iter().for_each(|e| after.apply(&e.event));
            compared += 1;
            if before != after {
                break 'chunks Some(format!("the projections differ at tick {}", a[0].tick()));
            }
        }
        if from.saturating_add(UPGRADE_TICKS) > end {
            break None;
        }
        from += UPGRADE_TICKS;
    };
    if let Some(why) = differs {
        drop(copy);
        return Err(Failure::Check(format!(
            "the copy of {} was not faithful ({why}) and was removed; the original is untouched",
            source.display()
        )));
    }
    copy.publish()?;
    writeln!(
        out,
        "upgraded {} (schema {schema}) into {} (schema {}): {count} events, the same \
         projections at all {compared} ticks",
        source.display(),
        target.display(),
        crate::store::sqlite::SCHEMA_VERSION,
    )?;
    Ok(())
}

fn branch(
    dir: &Path,
    source: &Path,
    at_tick: Tick,
    target: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = SqliteStore::open_read_only(source)?;
    let last = store.summary()?.last_tick;
    if at_tick > last {
        return Err(Failure::Input(format!(
            "{}: tick {at_tick} is past the end of the game, which is at tick {last}",
            source.display()
        )));
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
    }
    let events = SqliteStore::branch(&store, &saves::origin(source), at_tick, target)?;
    writeln!(
        out,
        "branched {} at tick {at_tick} into {} ({}); play it with: {}",
        source.display(),
        target.display(),
        present::plural(events, "event"),
        suggest(dir, "play", target)
    )?;
    Ok(())
}

/// Plays a save; when the player asks for the next mission on the outcome screen, or the same
/// one again, starts it in a new save and plays that, and so on.
fn play_path(
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

/// The saves, each branch under the save it came from, and which one `lunar` alone opens.
fn list_saves(dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let mut listings = Vec::new();
    let mut unreadable = Vec::new();
    for listing in saves::list(dir) {
        match listing {
            Ok(l) => listings.push(l),
            Err(reason) => unreadable.push(reason),
        }
    }
    writeln!(out, "saves in {}", dir.display())?;
    if listings.is_empty() && unreadable.is_empty() {
        writeln!(
            out,
            "none yet; start one with: {}",
            invocation::suggest(dir, "new NAME")
        )?;
        return Ok(());
    }
    let parent = |l: &saves::Listing| {
        listings
            .iter()
            .position(|p| p.path != l.path && saves::is_branch_of(l, &p.path))
    };
    let parents: Vec<Option<usize>> = listings.iter().map(parent).collect();
    let newest = saves::newest(dir);
    writeln!(
        out,
        "{:<24} {:<20} {:>8} {:>10}  last played",
        "save", "colony", "tick", "buildings"
    )?;
    // Roots in name order, each followed by its branches, depth first.
    let mut stack: Vec<(usize, usize)> = (0..listings.len())
        .rev()
        .filter(|i| parents[*i].is_none())
        .map(|i| (i, 0))
        .collect();
    let mut shown = vec![false; listings.len()];
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut shown[i], true) {
            continue;
        }
        let l = &listings[i];
        let indent = if depth == 0 {
            String::new()
        } else {
            format!("{}└ ", "  ".repeat(depth - 1))
        };
        let mut notes = Vec::new();
        if let Some((_, tick)) = &l.branched_from {
            notes.push(format!("branched at tick {tick}"));
        }
        if newest.as_deref() == Some(l.path.as_path()) {
            notes.push("<- `lunar` opens this".into());
        }
        writeln!(
            out,
            "{:<24} {:<20} {:>8} {:>10}  {}  {}",
            format!("{indent}{}", runtime::save_name(&l.path)),
            l.colony,
            l.tick,
            l.buildings,
            l.modified.map_or_else(|| "-".into(), saves::format_time),
            notes.join(", ")
        )?;
        for child in (0..listings.len()).rev() {
            if parents[child] == Some(i) {
                stack.push((child, depth + 1));
            }
        }
    }
    for reason in unreadable {
        writeln!(out, "{reason}")?;
    }
    Ok(())
}

fn demo(assets: &Assets, out: &mut dyn Write) -> Result<(), Failure> {
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

/// The largest script file read: far past any written by hand or generated.
const MAX_SCRIPT_BYTES: u64 = 64 << 20;

fn read_script(file: &Path) -> Result<String, Failure> {
    crate::files::read_text(file, MAX_SCRIPT_BYTES, "a script")
        .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))
}

fn script_run(
    file: &Path,
    save: Option<&Path>,
    assets: &Assets,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let text = read_script(file)?;
    run_script(&file.display().to_string(), &text, save, assets, out)
}

/// Runs a script's text, named `name` in messages; into a new save at `save` if one is given.
fn run_script(
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

fn generate_script(
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

#[allow(clippy::too_many_arguments)]
fn bench(
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

fn write_report(out: &mut dyn Write, report: &run::Report, colony: &str) -> std::io::Result<()> {
    for shown in &report.shown {
        out.write_all(shown.as_bytes())?;
    }
    write!(out, "{}\n{colony}", report.summary())
}

fn events(save: &Path, args: &EventsArgs, out: &mut dyn Write) -> Result<(), Failure> {
    if let (Some(from), Some(to)) = (args.from_tick, args.to_tick)
        && from > to
    {
        return Err(Failure::Input(format!(
            "--from-tick {from} is after --to-tick {to}: no tick lies between them"
        )));
    }
    let store = SqliteStore::open_read_only(save)?;
    // The game's id names the source: the save's own record of it, else its first game event's
    // stream; a save never started has none yet.
    let mut game = store.info()?.game_id;
    if game.is_none() {
        store.scan_range(
            TickRange {
                from: None,
                to: Some(0),
            },
            &mut |e| {
                if let (None, crate::domain::subject::Subject::Game(id)) =
                    (&game, e.event.subject())
                {
                    game = Some(id);
                }
            },
        )?;
    }
    let source = match game {
        Some(id) => format!("urn:lunar-frontiers:game:{}", id.0.hyphenated()),
        None => "urn:lunar-frontiers:game".to_owned(),
    };
    let format = if args.json {
        EventFormat::Json
    } else {
        args.format
    };
    let line = |e: &RecordedEvent| match format {
        EventFormat::Text => present::event_line(e),
        EventFormat::Json => present::event_json(e),
        EventFormat::Cloudevents => present::event_cloud(e, &source),
    };
    // Streamed: memory does not grow with the log. A failed write (the reader went away)
    // ends the output; the rest of the log is only read.
    let mut written = Ok(());
    store.scan_range(
        TickRange {
            from: args.from_tick,
            to: args.to_tick,
        },
        &mut |e| {
            if written.is_ok() {
                written = writeln!(out, "{}", line(&e));
            }
        },
    )?;
    Ok(written?)
}

fn state(save: &Path, args: &StateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    // Folded from the log itself: a keyframe cache could only be trusted after a fold as long.
    let mut playback = Playback::new(SqliteStore::open_read_only(save)?);
    let state = seek_state(&mut playback, args.at_tick)?;
    if args.json {
        writeln!(out, "{}", present::state_json(&state))?;
    } else {
        write!(out, "{}", present::state_text(&state))?;
    }
    Ok(())
}

fn verify(save: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let store = SqliteStore::open_read_only(save)?;
    let inspection = KeyframeCache::inspect(save, |seq| store.mark_at(seq));
    let (cache, cache_note) = match inspection {
        Inspection::Absent => (None, Some("no keyframe cache beside the save".to_owned())),
        Inspection::Unusable(why) => (
            None,
            Some(format!(
                "the keyframe cache is not used ({why}); the next replay rebuilds it"
            )),
        ),
        Inspection::Usable(cache) => (Some(cache), None),
    };
    let mut check = CacheCheck::new(cache);
    let mut auditor = Auditor::new();
    let scanned = store.scan_for_audit(&mut |e| {
        let (seq, tick) = (e.seq, e.tick());
        auditor.push(e);
        check.at(seq, tick, auditor.projections());
    });
    let breaks = match scanned {
        Ok(breaks) => breaks,
        Err(StoreError::Corrupt { seq, reason, .. }) => {
            writeln!(out, "verify {}: FAIL", save.display())?;
            writeln!(out, "  seq {seq}: the row cannot be read: {reason}")?;
            return Err(Failure::Check(format!(
                "{}: event {seq} is damaged",
                save.display()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    check.finish();
    let report = auditor.finish();
    writeln!(
        out,
        "verify {}: {} events, {} ticks, {} streams, replayed twice",
        save.display(),
        report.events,
        report.last_tick,
        report.streams
    )?;
    let mut total = report.findings.len() + breaks.len() + check.problems.len();
    match store.head()? {
        Some((seq, hash)) => writeln!(out, "  head  {hash} (seq {seq})")?,
        None if store.schema() >= 2 => writeln!(out, "  head  none: the log is empty")?,
        None => writeln!(out, "  --    no hash chain: written with schema 1")?,
    }
    if store.schema() >= 2 {
        let verdict = if breaks.is_empty() { "ok  " } else { "FAIL" };
        writeln!(out, "  {verdict}  every row continues the hash chain")?;
        const SHOWN: usize = 20;
        for seq in breaks.iter().take(SHOWN) {
            writeln!(
                out,
                "          seq {seq}: breaks the chain: it, or a row before it, was edited, \
                 deleted or reordered"
            )?;
        }
        if breaks.len() > SHOWN {
            writeln!(out, "          and {} more", breaks.len() - SHOWN)?;
        }
        let index = store.index_findings()?;
        if index.is_empty() {
            writeln!(out, "  ok    the tick index agrees with the rows")?;
        } else {
            total += index.len();
            writeln!(out, "  FAIL  the tick index agrees with the rows")?;
            for finding in index.iter().take(SHOWN) {
                writeln!(out, "          {finding}")?;
            }
            if index.len() > SHOWN {
                writeln!(out, "          and {} more", index.len() - SHOWN)?;
            }
        }
        match store.lowered_schema() {
            None => writeln!(
                out,
                "  ok    the file's schema is the one its rows were written with"
            )?,
            Some(declared) => {
                total += 1;
                writeln!(
                    out,
                    "  FAIL  the file says schema {declared}, but its rows carry a hash chain \
                     (schema {}): the version was lowered by hand",
                    store.schema()
                )?;
            }
        }
    }
    for invariant in Invariant::ALL {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.invariant == invariant)
            .collect();
        let verdict = if findings.is_empty() { "ok  " } else { "FAIL" };
        writeln!(out, "  {verdict}  {}", invariant.describe())?;
        for finding in findings {
            writeln!(out, "          {finding}")?;
        }
    }
    let cache_note = cache_note.or_else(|| {
        let first = check.damaged.first()?;
        Some(format!(
            "the keyframe cache is not used where it is damaged ({} from seq {first}); the \
             next replay that folds the whole log rewrites it",
            present::plural(check.damaged.len() as u64, "keyframe")
        ))
    });
    match cache_note {
        Some(note) if check.problems.is_empty() => writeln!(out, "  --    {note}")?,
        None if check.problems.is_empty() => writeln!(
            out,
            "  ok    the keyframe cache agrees with the log ({})",
            present::plural(check.compared as u64, "keyframe")
        )?,
        Some(_) | None => {
            writeln!(out, "  FAIL  the keyframe cache agrees with the log")?;
            for problem in &check.problems {
                writeln!(out, "          {problem}")?;
            }
        }
    }
    if total == 0 {
        writeln!(out, "no findings")?;
        Ok(())
    } else {
        Err(Failure::Check(format!(
            "{}: {}",
            save.display(),
            present::plural(total as u64, "finding")
        )))
    }
}
