//! Scores: a game's measures, read off its log (the operations by running each decision
//! again, as the log lets), and every attempt at each mission in a saves folder set beside
//! the player's best and the par of the mission's own solution.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::assets::{Assets, list_missions};
use crate::domain::event::Event;
use crate::domain::labour;
use crate::domain::metrics::Metrics;
use crate::engine::Engine;
use crate::engine::envelope::RecordedEvent;
use crate::saves;
use crate::store::EventReader;
use crate::store::sqlite::SqliteStore;

#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
    /// Neither yet: the game was left before its mission ended.
    Running,
}

impl Outcome {
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Running => "running",
        }
    }
}

/// A game's score: the mission it played, how it ended, and its measures.
#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Scored {
    pub mission: String,
    pub title: String,
    pub outcome: Outcome,
    pub metrics: Metrics,
}

/// The score of the game `events` hold; an error for a classic game, which has no mission.
pub fn score(events: &[RecordedEvent]) -> Result<Scored, String> {
    let mut engine = Engine::new();
    let mut mission = None;
    let mut outcome = Outcome::Running;
    let mut metrics = Metrics::default();
    let mut programs: BTreeSet<&str> = BTreeSet::new();
    let (mut operations, mut robot_ticks) = (0u64, 0u64);
    for recorded in events {
        engine.apply(recorded);
        let event = &recorded.event;
        if let Some(start) = event.colony_start() {
            mission = Some((
                start.rules.mission.id.clone(),
                start.rules.mission.title.clone(),
            ));
        }
        if outcome != Outcome::Running {
            continue;
        }
        match event {
            Event::GameloopAdvanced(a) => {
                metrics.ticks = a.tick;
                if let Some(field) = engine.field() {
                    let (robots, spent) = labour::spent(field, a.tick);
                    robot_ticks += robots;
                    operations += spent;
                }
            }
            // The programs a mission starts its robots with come with the game start.
            Event::ProgramUploaded(e) if recorded.metadata.causation_id.is_none() => {
                programs.insert(&e.source);
            }
            Event::RobotOrderedV2(e) => {
                if let Some(p) = &e.program {
                    programs.insert(&p.source);
                }
            }
            Event::ColonyTicked(e) => metrics.energy += u64::from(e.power.used),
            Event::ColonyTickedV2(e) => metrics.energy += u64::from(e.power.used),
            Event::RobotCharged(e) => metrics.energy += u64::from(e.units),
            Event::RobotDeployed(_) => metrics.robots += 1,
            Event::ColonistDied(_) => metrics.colonists_lost += 1,
            Event::MissionWon(e) => {
                outcome = Outcome::Won;
                metrics.ticks = e.tick;
            }
            Event::MissionLost(e) => {
                outcome = Outcome::Lost;
                metrics.ticks = e.tick;
            }
            _ => {}
        }
    }
    let (mission, title) = mission.ok_or("a classic game has no mission to score")?;
    metrics.program_bytes = programs.iter().map(|s| s.len() as u64).sum();
    metrics.operations_per_robot_tick = (operations + robot_ticks / 2)
        .checked_div(robot_ticks)
        .unwrap_or(0);
    Ok(Scored {
        mission,
        title,
        outcome,
        metrics,
    })
}

/// One save's score, as a board lists it.
#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Attempt {
    pub save: String,
    pub outcome: Outcome,
    pub metrics: Metrics,
}

/// Every attempt at one mission: the player's best over their wins, and the mission's par.
#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Board {
    pub mission: String,
    pub title: String,
    pub attempts: Vec<Attempt>,
    pub best: Option<Metrics>,
    pub par: Option<Metrics>,
}

impl Board {
    pub fn wins(&self) -> impl Iterator<Item = &Metrics> {
        self.attempts
            .iter()
            .filter(|a| a.outcome == Outcome::Won)
            .map(|a| &a.metrics)
    }
}

/// Every attempt at each mission in `dir`, by mission id, with the mission's title; saves
/// that cannot be read (their hash chain broken, or not saves) and classic games are left out.
fn played(dir: &Path) -> BTreeMap<String, (String, Vec<Attempt>)> {
    let mut played: BTreeMap<String, (String, Vec<Attempt>)> = BTreeMap::new();
    for listing in saves::list(dir).into_iter().flatten() {
        let Ok(events) =
            SqliteStore::open_read_only(&listing.path).and_then(|store| store.read_all())
        else {
            continue;
        };
        let Ok(scored) = score(&events) else {
            continue;
        };
        let save = listing
            .path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        played
            .entry(scored.mission)
            .or_insert_with(|| (scored.title, Vec::new()))
            .1
            .push(Attempt {
                save,
                outcome: scored.outcome,
                metrics: scored.metrics,
            });
    }
    played
}

/// The boards of every mission played in `dir`, in the missions' order.
pub fn boards(dir: &Path, assets: &Assets) -> Vec<Board> {
    let mut played = played(dir);
    let order = list_missions(assets).unwrap_or_default();
    let mut boards = Vec::new();
    for summary in &order {
        if let Some((title, attempts)) = played.remove(&summary.id) {
            boards.push(board(summary.id.clone(), title, attempts, summary.par));
        }
    }
    // Missions these assets do not have (a save from elsewhere) come last, with no par.
    for (mission, (title, attempts)) in played {
        boards.push(board(mission, title, attempts, None));
    }
    boards
}

/// What the outcome screen sets a finished game beside: its measures, the player's best and
/// the mission's par, and the ticks of every win at the mission in the saves folder.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScoreCard {
    pub outcome: Outcome,
    pub metrics: Metrics,
    pub best: Option<Metrics>,
    pub par: Option<Metrics>,
    pub attempts: usize,
    pub won_in: Vec<u64>,
}

/// The card of the game `events` hold, among the attempts saved in `dir` (which it is one of).
pub fn card(
    events: &[RecordedEvent],
    dir: &Path,
    par: Option<Metrics>,
) -> Result<ScoreCard, String> {
    let scored = score(events)?;
    let attempts = played(dir)
        .remove(&scored.mission)
        .map(|(_, a)| a)
        .unwrap_or_default();
    let board = board(scored.mission, scored.title, attempts, par);
    Ok(ScoreCard {
        outcome: scored.outcome,
        metrics: scored.metrics,
        best: board.best,
        par,
        attempts: board.attempts.len(),
        won_in: board.wins().map(|m| m.ticks).collect(),
    })
}

fn board(mission: String, title: String, attempts: Vec<Attempt>, par: Option<Metrics>) -> Board {
    let mut board = Board {
        mission,
        title,
        attempts,
        best: None,
        par,
    };
    board.best = Metrics::best(board.wins());
    board
}
