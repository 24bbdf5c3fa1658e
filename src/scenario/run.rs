//! Running a script headless against the real engine and store.

use std::fmt::Write as _;
use std::path::Path;

use uuid::Uuid;

use super::script::{
    Expectation, Location, MissionState, ProgramRef, Readiness, Robots, Script, Show, Statement,
};
use crate::assets;
use crate::assets::Assets;
use crate::domain::building::commands::BuildingCommand;
use crate::domain::command::Command;
use crate::domain::game::Game;
use crate::domain::game::commands::{GameCommand, PlantSite, StartGame};
use crate::domain::ids::GameId;
use crate::domain::program;
use crate::domain::projection::colony::MissionStatus;
use crate::domain::rejection::Rejection;
use crate::domain::resources::Resource;
use crate::domain::robot::commands::RobotCommand;
use crate::domain::ruleset::{ProgramSource, RULESET};
use crate::engine::envelope::Origin;
use crate::playback::state_at;
use crate::present;
use crate::session::{Outcome, Session, SessionError};
use crate::store::{EventStore, TickRange};

/// Scripts derive their game id from what they start, so the same script gives the same log.
const SCRIPT_NAMESPACE: Uuid = Uuid::from_u128(0x6c75_6e61_722d_6672_6f6e_7469_6572_7321);

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Noted {
    pub at: Location,
    pub message: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Report {
    pub file: String,
    pub statements: usize,
    pub ticks: u64,
    pub events: u64,
    pub rejections: Vec<Noted>,
    /// Ticks a `tick N` asked for after the game had ended: not played, and no mistake (a
    /// mission ends when it ends).
    pub after_end: u64,
    pub passed: usize,
    pub failures: Vec<Noted>,
    /// What `show` statements printed, in order.
    pub shown: Vec<String>,
}

impl Report {
    fn locate(&self, at: Location) -> String {
        format!("{}:{}:{}", self.file, at.line, at.column)
    }

    /// The report as a person reads it; failures and rejections name `file:line:column`.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{}: {}, {}, {} recorded, {} rejected\n",
            self.file,
            present::plural(self.statements as u64, "statement"),
            present::plural(self.ticks, "tick"),
            present::plural(self.events, "event"),
            self.rejections.len()
        );
        if self.after_end > 0 {
            let _ = writeln!(
                out,
                "the game had ended: {} after it not played",
                present::plural(self.after_end, "tick")
            );
        }
        for r in &self.rejections {
            let _ = writeln!(out, "  {}: rejected {}", self.locate(r.at), r.message);
        }
        let _ = writeln!(
            out,
            "expectations: {} passed, {} failed",
            self.passed,
            self.failures.len()
        );
        for f in &self.failures {
            let _ = writeln!(out, "  {}: {}", self.locate(f.at), f.message);
        }
        out
    }
}

#[derive(Debug)]
pub enum RunError {
    /// The script asked for something that cannot be done (a missing map, a tick past the end).
    Script {
        file: String,
        at: Location,
        message: String,
    },
    Session(SessionError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Script { file, at, message } => {
                write!(f, "{file}:{}:{}: {message}", at.line, at.column)
            }
            RunError::Session(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RunError {}

impl From<SessionError> for RunError {
    fn from(e: SessionError) -> Self {
        RunError::Session(e)
    }
}

/// The outcome of the last statement that sent commands, for `expect rejected`.
enum Last {
    Nothing,
    Accepted,
    Rejected(Rejection),
}

/// Runs `script` on `store`, which may already hold a game, and returns the report and the
/// session it leaves open.
pub fn run<S: EventStore>(
    script: &Script,
    store: S,
    assets: &Assets,
) -> Result<(Report, Session<S>), RunError> {
    let mut session = Session::open(store).map_err(SessionError::from)?;
    let mut report = Report {
        file: script.file.clone(),
        ..Report::default()
    };
    let mut last = Last::Nothing;
    for (at, statement) in &script.statements {
        let at = *at;
        report.statements += 1;
        let fail = |message: String| RunError::Script {
            file: script.file.clone(),
            at,
            message,
        };
        let send = |session: &mut Session<S>, report: &mut Report, command: Command, origin| {
            let outcome = session.execute(command, origin)?;
            Ok::<_, RunError>(match outcome {
                Outcome::Recorded(events) => {
                    report.events += events.len() as u64;
                    Last::Accepted
                }
                Outcome::Rejected(rejection) => {
                    report.rejections.push(Noted {
                        at,
                        message: format!("({}): {rejection}", rejection.code()),
                    });
                    Last::Rejected(rejection)
                }
            })
        };
        match statement {
            Statement::GameStart {
                seed,
                map,
                player,
                name,
                mission,
                ruleset,
            } => {
                let asset = |e: assets::AssetError| fail(e.to_string());
                let start = match mission {
                    None => {
                        let map = assets::load_map(assets, map).map_err(asset)?;
                        let name = name.clone().unwrap_or_else(|| "Lunar Colony".into());
                        let seed = seed.unwrap_or(0);
                        let key = format!("{seed}/{}/{player}/{name}", map.name);
                        StartGame {
                            game_id: GameId(Uuid::new_v5(&SCRIPT_NAMESPACE, key.as_bytes())),
                            name,
                            seed,
                            player: player.clone(),
                            map,
                            catalogue: assets::load_catalogue(assets).map_err(asset)?,
                            rules: None,
                            ruleset: 0,
                        }
                    }
                    Some(id) => {
                        let setup =
                            assets::load_mission_seeded(assets, id, *seed).map_err(asset)?;
                        let name = name
                            .clone()
                            .unwrap_or_else(|| setup.rules.mission.title.clone());
                        let seed = setup.seed;
                        let key = format!("{seed}/{}/{player}/{name}/{id}", setup.map.name);
                        StartGame {
                            game_id: GameId(Uuid::new_v5(&SCRIPT_NAMESPACE, key.as_bytes())),
                            name,
                            seed,
                            player: player.clone(),
                            map: setup.map,
                            catalogue: setup.catalogue,
                            rules: Some(Box::new(setup.rules)),
                            ruleset: ruleset.unwrap_or(RULESET),
                        }
                    }
                };
                last = send(
                    &mut session,
                    &mut report,
                    Command::Game(GameCommand::StartGame(start)),
                    Origin::player(),
                )?;
            }
            Statement::Tick(count) => {
                for done in 0..*count {
                    if let Game::Stopped(_) = session.engine().game() {
                        report.after_end += u64::from(count - done);
                        last = Last::Rejected(Rejection::GameStopped);
                        break;
                    }
                    let tick = session.engine().tick().map_or(1, |t| t + 1);
                    last = send(
                        &mut session,
                        &mut report,
                        Command::Game(GameCommand::AdvanceGameloop { tick }),
                        Origin::injector(),
                    )?;
                    if matches!(last, Last::Rejected(_)) {
                        break;
                    }
                    report.ticks += 1;
                }
            }
            Statement::TickAt(tick) => {
                last = send(
                    &mut session,
                    &mut report,
                    Command::Game(GameCommand::AdvanceGameloop { tick: *tick }),
                    Origin::injector(),
                )?;
                if matches!(last, Last::Accepted) {
                    report.ticks += 1;
                }
            }
            Statement::Build {
                building_type,
                id,
                x,
                y,
                ticks,
                player,
            } => {
                let plant = PlantSite {
                    building_id: id.clone(),
                    building_type: building_type.clone(),
                    x: *x,
                    y: *y,
                    player: player.clone(),
                    work_ticks: *ticks,
                };
                last = send(
                    &mut session,
                    &mut report,
                    Command::Game(GameCommand::PlantSite(plant)),
                    Origin::player(),
                )?;
            }
            Statement::Program { robots, program } => {
                let source = program_source(&script.file, program, assets).map_err(fail)?;
                let robots = match robots {
                    Robots::These(ids) => ids.clone(),
                    Robots::All => session
                        .projections()
                        .robots
                        .robots
                        .keys()
                        .cloned()
                        .collect(),
                };
                if robots.is_empty() {
                    return Err(fail("program all: this colony has no robots yet".into()));
                }
                for robot in robots {
                    last = send(
                        &mut session,
                        &mut report,
                        Command::Robot(RobotCommand::UploadProgram {
                            robot_id: robot,
                            name: source.name.clone(),
                            source: source.source.clone(),
                            tick: 0,
                        }),
                        Origin::player(),
                    )?;
                    if matches!(last, Last::Rejected(_)) {
                        break;
                    }
                }
            }
            Statement::Order {
                robot,
                factory,
                program,
            } => {
                // From ruleset 2 a robot comes out running the builder unless told otherwise;
                // `program=none` asks for an idle one, as every ordered robot was before.
                let ruleset = match session.engine().game() {
                    Game::Running(world) | Game::Stopped(world) => world.ruleset,
                    Game::NotStarted => RULESET,
                };
                let program = match program {
                    Some(ProgramRef::File(file)) if file == "none" => None,
                    Some(program) => Some(program.clone()),
                    None if ruleset >= 2 => Some(ProgramRef::File("builder".into())),
                    None => None,
                };
                let program = program
                    .map(|program| program_source(&script.file, &program, assets))
                    .transpose()
                    .map_err(fail)?;
                last = send(
                    &mut session,
                    &mut report,
                    Command::Game(GameCommand::OrderRobot {
                        robot_id: robot.clone(),
                        factory: factory.clone(),
                        program,
                    }),
                    Origin::player(),
                )?;
            }
            Statement::Switch { building, on } => {
                last = send(
                    &mut session,
                    &mut report,
                    Command::Building(BuildingCommand::Switch {
                        building_id: building.clone(),
                        on: *on,
                        tick: 0,
                    }),
                    Origin::player(),
                )?;
            }
            Statement::Urgent { building, urgent } => {
                last = send(
                    &mut session,
                    &mut report,
                    Command::Building(BuildingCommand::MarkUrgent {
                        building_id: building.clone(),
                        urgent: *urgent,
                        tick: 0,
                    }),
                    Origin::player(),
                )?;
            }
            Statement::Demolish { building } => {
                last = send(
                    &mut session,
                    &mut report,
                    Command::Building(BuildingCommand::Demolish {
                        building_id: building.clone(),
                        tick: 0,
                    }),
                    Origin::player(),
                )?;
            }
            Statement::Stop => {
                last = send(
                    &mut session,
                    &mut report,
                    Command::Game(GameCommand::StopGame),
                    Origin::player(),
                )?;
            }
            Statement::Reopen => {
                session = session.reopen().map_err(SessionError::from)?;
            }
            Statement::Show(show) => {
                let text = match show {
                    Show::Events {
                        json,
                        from_tick,
                        to_tick,
                    } => {
                        let events = session
                            .store()
                            .read(TickRange {
                                from: *from_tick,
                                to: *to_tick,
                            })
                            .map_err(SessionError::from)?;
                        let line = if *json {
                            present::event_json
                        } else {
                            present::event_line
                        };
                        events.iter().map(|e| line(e) + "\n").collect()
                    }
                    Show::State { json, at_tick } => {
                        let state =
                            state_at(session.store(), *at_tick).map_err(|e| fail(e.to_string()))?;
                        if *json {
                            present::state_json(&state) + "\n"
                        } else {
                            present::state_text(&state)
                        }
                    }
                };
                report.shown.push(text);
            }
            Statement::Expect(expectation) => {
                match check(expectation, &session, &last).map_err(|e| fail(e.to_string()))? {
                    Ok(()) => report.passed += 1,
                    Err(message) => report.failures.push(Noted { at, message }),
                }
            }
        }
    }
    Ok((report, session))
}

/// A program a script names: a bare name (`miner`) from `assets/programs`, else a path
/// relative to the script's folder. Its name is the file's stem.
fn program_source(
    script: &str,
    program: &ProgramRef,
    assets: &Assets,
) -> Result<ProgramSource, String> {
    let file = match program {
        ProgramRef::File(file) => file,
        ProgramRef::Inline { name, source } => {
            return Ok(ProgramSource {
                name: name.clone(),
                source: source.clone(),
            });
        }
    };
    let bare = !file.contains(['/', '.']);
    if bare {
        return assets::load_program(assets, file).map_err(|e| e.to_string());
    }
    let path = Path::new(script)
        .parent()
        .unwrap_or(Path::new("."))
        .join(file);
    let limit = program::limits::MAX_SOURCE_BYTES as u64;
    let source = crate::files::read_text(&path, limit, "a program")
        .map_err(|e| format!("cannot read the program {}: {e}", path.display()))?;
    let name = path
        .file_stem()
        .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned());
    Ok(ProgramSource { name, source })
}

/// `Ok` when nothing is wrong, else every complaint in one message.
fn all_hold(wrong: Vec<String>) -> Result<(), String> {
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

/// Whether an expectation holds: `Ok(Err(why))` when it does not.
fn check<S: EventStore>(
    expectation: &Expectation,
    session: &Session<S>,
    last: &Last,
) -> Result<Result<(), String>, SessionError> {
    let p = session.projections();
    let verdict = match expectation {
        Expectation::Tick(tick) => match session.engine().tick() {
            Some(now) if now == *tick => Ok(()),
            Some(now) => Err(format!(
                "expected tick {tick}, but the game is at tick {now}"
            )),
            None => Err(format!("expected tick {tick}, but no game has started")),
        },
        Expectation::Building {
            id,
            readiness,
            progress,
            completed,
            spawned,
            on,
            urgent,
        } => match p.buildings.get(id) {
            None => Err(format!("expected building {id}, but there is none")),
            Some(row) => {
                let state = if row.ready {
                    "ready".to_owned()
                } else {
                    format!(
                        "under construction at {}% ({}/{})",
                        row.progress_percent, row.work_done, row.work_required
                    )
                };
                let mut wrong = Vec::new();
                match readiness {
                    Some(Readiness::Ready) if !row.ready => {
                        wrong.push(format!("expected {id} to be ready, but it is {state}"))
                    }
                    Some(Readiness::UnderConstruction) if row.ready => wrong.push(format!(
                        "expected {id} to be under construction, but it is ready"
                    )),
                    _ => {}
                }
                if let Some(pct) = progress.filter(|pct| *pct != row.progress_percent) {
                    wrong.push(format!(
                        "expected {id} at {pct}%, but it is at {}% ({}/{})",
                        row.progress_percent, row.work_done, row.work_required
                    ));
                }
                if completed.is_some() && *completed != row.completed_tick {
                    wrong.push(format!(
                        "expected {id} completed at tick {}, but it {}",
                        completed.unwrap_or_default(),
                        row.completed_tick
                            .map_or("is not complete".to_owned(), |t| format!(
                                "completed at tick {t}"
                            ))
                    ));
                }
                if let Some(tick) = spawned.filter(|t| *t != row.spawned_tick) {
                    wrong.push(format!(
                        "expected {id} spawned at tick {tick}, but it spawned at tick {}",
                        row.spawned_tick
                    ));
                }
                let switch = |on: bool| if on { "on" } else { "off" };
                if let Some(on) = on.filter(|on| *on != row.on) {
                    wrong.push(format!(
                        "expected {id} switched {}, but it is {}",
                        switch(on),
                        switch(row.on)
                    ));
                }
                if *urgent && !row.urgent {
                    wrong.push(format!("expected {id} marked urgent, but it is not"));
                }
                all_hold(wrong)
            }
        },
        Expectation::NoBuilding(id) => match p.buildings.get(id) {
            None => Ok(()),
            Some(row) => Err(format!(
                "expected no building {id}, but a {} stands at ({},{})",
                row.building_type, row.x, row.y
            )),
        },
        Expectation::Event {
            present,
            event_type,
            count,
            building,
            tick,
        } => {
            let events = session.store().read_all()?;
            let found = events
                .iter()
                .filter(|e| e.event.type_name() == event_type)
                .filter(|e| {
                    building.is_none() || e.event.building_id().as_ref() == building.as_ref()
                })
                .filter(|e| tick.is_none_or(|t| e.tick() == t))
                .count();
            let mut what = event_type.clone();
            if let Some(b) = building {
                what += &format!(" for {b}");
            }
            if let Some(t) = tick {
                what += &format!(" at tick {t}");
            }
            match (present, count) {
                (false, _) if found > 0 => Err(format!("expected no {what}, but found {found}")),
                (true, None) if found == 0 => Err(format!("expected a {what}, but found none")),
                (true, Some(n)) if found != *n => {
                    Err(format!("expected {n} {what}, but found {found}"))
                }
                _ => Ok(()),
            }
        }
        Expectation::Rejected(code) => match (last, code) {
            (Last::Rejected(r), Some(code)) if r.code() != code => Err(format!(
                "expected a {code} rejection, but it was rejected as {} ({r})",
                r.code()
            )),
            (Last::Rejected(_), _) => Ok(()),
            (Last::Accepted, _) => Err("expected a rejection, but it was accepted".into()),
            (Last::Nothing, _) => Err("expected a rejection, but no command was sent yet".into()),
        },
        Expectation::Accepted => match last {
            Last::Accepted => Ok(()),
            Last::Rejected(r) => Err(format!("expected acceptance, but it was rejected: {r}")),
            Last::Nothing => Err("expected acceptance, but no command was sent yet".into()),
        },
        Expectation::Colony {
            buildings,
            under_construction,
            ready,
            stopped,
        } => {
            let c = &p.colony;
            let mut wrong = Vec::new();
            let mut compare = |name: &str, want: Option<u32>, have: u32| {
                if let Some(want) = want.filter(|w| *w != have) {
                    wrong.push(format!("expected {want} {name}, but there are {have}"));
                }
            };
            compare("buildings", *buildings, c.buildings);
            compare(
                "under construction",
                *under_construction,
                c.under_construction,
            );
            compare("ready", *ready, c.ready);
            match stopped {
                Some(true) if !c.stopped => {
                    wrong.push("expected the game stopped, but it runs".into())
                }
                Some(false) if c.stopped => {
                    wrong.push("expected the game running, but it stopped".into())
                }
                _ => {}
            }
            all_hold(wrong)
        }
        Expectation::Resource {
            name,
            compare,
            amount,
        } => {
            let found = match &p.colony.economy {
                None => return Ok(Err("this is a classic game: it has no resources".into())),
                Some(economy) if name == "power" => economy.power.stored,
                Some(economy) => Resource::parse(name).map_or(0, |r| economy.stock.get(r)),
            };
            if compare.holds(found, *amount) {
                Ok(())
            } else {
                Err(format!(
                    "expected {name} {} {amount}, but there is {found}",
                    compare.symbol()
                ))
            }
        }
        Expectation::Mission(want) => {
            let Some(economy) = &p.colony.economy else {
                return Ok(Err("this is a classic game: it has no mission".into()));
            };
            let (found, text) = match &economy.mission {
                MissionStatus::Running => (MissionState::Running, "running".to_owned()),
                MissionStatus::Won { tick, .. } => {
                    (MissionState::Won, format!("won at tick {tick}"))
                }
                MissionStatus::Lost { tick, reason, .. } => {
                    (MissionState::Lost, format!("lost at tick {tick}: {reason}"))
                }
            };
            if found == *want {
                Ok(())
            } else {
                Err(format!(
                    "expected the mission {}, but it is {text}",
                    format!("{want:?}").to_lowercase()
                ))
            }
        }
        Expectation::Robot {
            id,
            at,
            faulted,
            battery,
        } => match p.robots.robots.get(id) {
            None => Err(format!("expected robot {id}, but there is none")),
            Some(row) => {
                let mut wrong = Vec::new();
                if let Some((x, y)) = at.filter(|at| *at != (row.x, row.y)) {
                    wrong.push(format!(
                        "expected {id} at ({x},{y}), but it is at ({},{})",
                        row.x, row.y
                    ));
                }
                match (faulted, &row.fault) {
                    (Some(true), None) => wrong.push(format!("expected {id} faulted, but it runs")),
                    (Some(false), Some(fault)) => {
                        wrong.push(format!("expected {id} running, but it faulted: {fault}"))
                    }
                    _ => {}
                }
                if let Some((compare, level)) = battery
                    && !compare.holds(row.battery, *level)
                {
                    wrong.push(format!(
                        "expected {id}'s battery {} {level}, but it is {}",
                        compare.symbol(),
                        row.battery
                    ));
                }
                all_hold(wrong)
            }
        },
        Expectation::Colonists(want) => {
            let living = p.colony.economy.as_ref().map_or(0, |e| e.living);
            if living == *want {
                Ok(())
            } else {
                Err(format!("expected {want} colonists, but {living} live"))
            }
        }
    };
    Ok(verdict)
}
