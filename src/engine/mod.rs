//! The pure dispatch loop: route a command to its aggregate, decide, then feed the new events
//! to the process manager and dispatch what it asks for, until nothing is left.
//!
//! The engine holds every aggregate in memory, folded from the log; it never touches a store.
//! The shell appends what [`Engine::execute`] returns in one transaction.

pub mod audit;
pub mod envelope;

use std::collections::{HashMap, VecDeque};

use uuid::Uuid;

use crate::domain::building::Building;
use crate::domain::command::{BuildingCommand, Command, GameCommand};
use crate::domain::event::Event;
use crate::domain::game::Game;
use crate::domain::gameloop_pm::GameloopPm;
use crate::domain::ids::{BuildingId, GameId, Tick};
use crate::domain::projection::Projections;
use crate::domain::rejection::Rejection;
use envelope::{Metadata, Origin, RecordedEvent, Source, command_id, event_id};

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum EngineError {
    /// The command was refused; the engine is unchanged.
    Rejected(Rejection),
    /// A command the process manager issued was refused. That is a bug in the rules, not bad
    /// input; the engine's state is then unspecified and the caller must rebuild it from the log.
    Cascade {
        command: &'static str,
        rejection: Rejection,
    },
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Rejected(r) => r.fmt(f),
            EngineError::Cascade { command, rejection } => write!(
                f,
                "internal error: the process manager's {command} was rejected: {rejection}"
            ),
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Engine {
    game: Game,
    game_id: Option<GameId>,
    game_version: u64,
    buildings: HashMap<BuildingId, (Building, u64)>,
    pm: GameloopPm,
    last_seq: u64,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Folds a log from empty state.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a RecordedEvent>) -> Engine {
        let mut engine = Engine::new();
        for event in events {
            engine.apply(event);
        }
        engine
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    pub fn game_id(&self) -> Option<GameId> {
        self.game_id
    }

    pub fn game(&self) -> &Game {
        &self.game
    }

    /// The current tick, or `None` before the game starts.
    pub fn tick(&self) -> Option<Tick> {
        match &self.game {
            Game::NotStarted => None,
            Game::Running(w) | Game::Stopped(w) => Some(w.tick),
        }
    }

    /// Evolves the aggregates and the process manager by one recorded event. Never fails: an
    /// event that means nothing to a state leaves it as it was (law 2).
    pub fn apply(&mut self, recorded: &RecordedEvent) {
        self.apply_at(recorded.seq, recorded.version, &recorded.event);
    }

    /// [`Engine::apply`] for an event at `seq`, version `version` of its stream.
    pub fn apply_at(&mut self, seq: u64, version: u64, event: &Event) {
        match event {
            Event::GameStarted(_)
            | Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::GameStopped(_) => {
                if let Event::GameStarted(e) = event {
                    self.game_id.get_or_insert(e.game_id);
                }
                self.game = std::mem::take(&mut self.game).evolve(event);
                self.game_version = version;
            }
            Event::BuildingSpawned(e) => self.evolve_building(&e.building_id, version, event),
            Event::BuildingSpawnedV2(e) => self.evolve_building(&e.building_id, version, event),
            Event::ConstructionProgressed(e) => {
                self.evolve_building(&e.building_id, version, event)
            }
            Event::ConstructionCompleted(e) => self.evolve_building(&e.building_id, version, event),
        }
        self.pm.apply(event);
        self.last_seq = seq;
    }

    fn evolve_building(&mut self, id: &BuildingId, version: u64, event: &Event) {
        match self.buildings.get_mut(id) {
            Some(slot) => {
                slot.0 = std::mem::take(&mut slot.0).evolve(event);
                slot.1 = version;
            }
            None => {
                let building = Building::initial().evolve(event);
                self.buildings.insert(id.clone(), (building, version));
            }
        }
    }

    fn decide(&self, command: &Command) -> Result<Vec<Event>, Rejection> {
        match command {
            Command::Game(c) => self.game.decide(c),
            Command::Building(c) => {
                let id = match c {
                    BuildingCommand::SpawnBuilding(s) => &s.building_id,
                    BuildingCommand::AdvanceConstruction { building_id, .. } => building_id,
                };
                match self.buildings.get(id) {
                    Some((building, _)) => building.decide(c),
                    None => Building::initial().decide(c),
                }
            }
        }
    }

    fn next_version(&self, event: &Event) -> u64 {
        let building = match event {
            Event::BuildingSpawned(e) => &e.building_id,
            Event::BuildingSpawnedV2(e) => &e.building_id,
            Event::ConstructionProgressed(e) => &e.building_id,
            Event::ConstructionCompleted(e) => &e.building_id,
            Event::GameStarted(_)
            | Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::GameStopped(_) => return self.game_version + 1,
        };
        self.buildings.get(building).map_or(0, |(_, v)| *v) + 1
    }

    /// Decides `command` and everything the process manager asks for in response, evolving the
    /// state as it goes, and returns the new events in log order.
    pub fn execute(
        &mut self,
        command: Command,
        origin: Origin,
    ) -> Result<Vec<RecordedEvent>, EngineError> {
        let first = self.decide(&command).map_err(EngineError::Rejected)?;
        let game_id = match (&command, self.game_id) {
            (Command::Game(GameCommand::StartGame(start)), _) => start.game_id,
            (_, Some(id)) => id,
            (_, None) => return Err(EngineError::Rejected(Rejection::GameNotStarted)),
        };
        let correlation_id = command_id(game_id, self.last_seq + 1);
        let mut recorded = Vec::new();
        let mut queue: VecDeque<(Command, Uuid)> = VecDeque::new();
        let mut batch = (first, None, command.name(), origin.source);
        loop {
            let (events, causation_id, command_name, source) = batch;
            for event in events {
                let seq = self.last_seq + 1;
                let record = RecordedEvent {
                    seq,
                    id: event_id(game_id, seq),
                    stream: event.stream(),
                    version: self.next_version(&event),
                    metadata: Metadata {
                        causation_id,
                        correlation_id,
                        source,
                        command: command_name.to_owned(),
                        recorded_at_ms: origin.recorded_at_ms,
                    },
                    event,
                };
                self.apply(&record);
                for next in self.pm.react(&record.event) {
                    queue.push_back((next, record.id));
                }
                recorded.push(record);
            }
            let Some((next, cause)) = queue.pop_front() else {
                break;
            };
            let events = self
                .decide(&next)
                .map_err(|rejection| EngineError::Cascade {
                    command: next.name(),
                    rejection,
                })?;
            batch = (events, Some(cause), next.name(), Source::ProcessManager);
        }
        Ok(recorded)
    }
}

/// Folds every projection from the log.
pub fn project_all<'a>(events: impl IntoIterator<Item = &'a RecordedEvent>) -> Projections {
    events.into_iter().fold(Projections::default(), |mut p, e| {
        p.apply(&e.event);
        p
    })
}

#[cfg(test)]
mod tests;
