//! The command line: parse flags, do one thing, map every error to an exit code here. Each
//! group of commands is a file (`play`, `read`, `manage`, `script`, `perf`); this one only
//! parses and dispatches.
//!
//! May use: everything; nothing uses it but `main`.
//!
//! Exit codes: 0 success, 1 a check failed (an expectation, a verify finding), 2 bad input
//! (a flag, a script line, a file that is not a save).

mod args;
mod failure;
mod manage;
mod perf;
mod play;
mod read;
mod script;
mod study;

use crate::assets::{self, Assets};
use crate::domain::ids::Tick;
use crate::present;
use crate::runtime;
use crate::saves;
use crate::scenario::{generate, parse};
use args::{EventsArgs, ExportArgs, LiveArgs, StateArgs};
use clap::{CommandFactory, Parser, Subcommand};
use failure::Failure;
use manage::{branch, list_saves, upgrade};
use perf::bench;
use play::{SANDBOX, color, demo, list_missions, new_game, play_path, replay};
use read::{events, state, verify};
use script::{generate_script, script_run};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use study::{Try, compare, export, scores, trace, whatif};

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
        /// Ticks of the generated classic game [default: 100000; 10000 with --quick].
        #[arg(long, allow_hyphen_values = true, value_parser = ticks())]
        ticks: Option<u64>,
        /// Sites planted over the game (about nine under construction at a time) [default:
        /// 1000; 100 with --quick].
        #[arg(long, allow_hyphen_values = true, value_parser = sites())]
        buildings: Option<u64>,
        /// Random seeks timed for the seek figures [default: 1000; 200 with --quick].
        #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        seeks: Option<u64>,
        /// Robots in the robot game [default: 1000; 200 with --quick].
        #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u64).range(20..=100_000))]
        robots: Option<u64>,
        /// Every figure on smaller games, in well under a minute: for checking a change, not
        /// the headline figures.
        #[arg(long)]
        quick: bool,
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
    /// Run a robot's program again as a past tick began: the lines it ran, what it read, the
    /// action it chose and what came of it. Exits 1 when that differs from the log.
    Trace {
        /// A save's name in the saves folder, or a path.
        save: String,
        #[arg(long)]
        robot: String,
        #[arg(long, allow_hyphen_values = true, value_name = "T")]
        at_tick: Tick,
        #[arg(long)]
        json: bool,
    },
    /// Try a program from a past tick: branch the game as the tick began, give the robots the
    /// program, play on headless (the player's later commands given again) and compare.
    Whatif {
        /// A save's name in the saves folder, or a path; it is only read.
        save: String,
        /// A robot's id, several joined by commas, or `all`.
        #[arg(long)]
        robot: String,
        #[arg(long, allow_hyphen_values = true, value_name = "T")]
        at_tick: Tick,
        /// A program file, or the name of a shipped program.
        #[arg(long, value_name = "FILE")]
        program: String,
        /// Ticks to play from T on [default: to the mission's deadline, or without one as far
        /// as the original went].
        #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        ticks: Option<u64>,
        /// The branch's name in the saves folder [default: SAVE-whatif-T].
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set two games of one mission side by side: outcome, each measure, the first tick they
    /// differ.
    Compare {
        a: String,
        b: String,
        #[arg(long)]
        json: bool,
    },
    /// Every attempt at each mission in the saves folder: its measures, the best, the par.
    Scores {
        #[arg(long)]
        json: bool,
    },
    /// Print a game as a scenario script: the player's commands and programs with the ticks
    /// between them. `lunar script run` of it plays the same game again.
    Export {
        /// A save's name in the saves folder, or a path.
        save: String,
        /// As a scenario script (the one format there is, named so that others can follow).
        #[arg(long, required = true)]
        scenario: bool,
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
        None => play::play(&saves_dir, None, &cli.live, &assets, out),
        Some(Commands::Play { save }) => {
            play::play(&saves_dir, save.as_deref(), &cli.live, &assets, out)
        }
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
            robots,
            quick,
            json,
        }) => {
            let size = perf::Size {
                ticks,
                buildings,
                seeks,
                robots,
                quick,
            };
            bench(size, json, &assets, out, err)
        }
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
        Some(Commands::Trace {
            save,
            robot,
            at_tick,
            json,
        }) => trace(
            &saves::resolve(&saves_dir, &save),
            &robot,
            at_tick,
            json,
            out,
        ),
        Some(Commands::Whatif {
            save,
            robot,
            at_tick,
            program,
            ticks,
            name,
            json,
        }) => whatif(
            &saves_dir,
            &saves::resolve(&saves_dir, &save),
            &Try {
                robot: &robot,
                at_tick,
                program: &program,
                ticks,
                name: name.as_deref(),
            },
            &assets,
            json,
            out,
        ),
        Some(Commands::Compare { a, b, json }) => compare(
            &saves::resolve(&saves_dir, &a),
            &saves::resolve(&saves_dir, &b),
            json,
            out,
        ),
        Some(Commands::Scores { json }) => scores(&saves_dir, &assets, json, out),
        Some(Commands::Export { save, scenario: _ }) => {
            export(&saves::resolve(&saves_dir, &save), out)
        }
    }
}
