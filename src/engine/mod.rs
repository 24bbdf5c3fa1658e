//! The pure dispatch loop: route a command to its aggregate, decide, then feed the new events
//! to the process manager and dispatch what it asks for, until nothing is left.
//!
//! The engine holds every aggregate in memory, folded from the log; it never touches a store.
//! The shell appends what [`Engine::execute`] returns in one transaction.
//!
//! May use: the domain and uuid; never a store, a clock or the terminal.

pub mod audit;
pub mod envelope;

use std::collections::VecDeque;

use uuid::Uuid;

use crate::domain::building::Building;
use crate::domain::colony::Colony;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::fasthash::FastMap;
use crate::domain::field::Field;
use crate::domain::game::Game;
use crate::domain::game::commands::GameCommand;
use crate::domain::gameloop::GameloopPm;
use crate::domain::ids::{GameId, RobotId, Tick};
use crate::domain::projection::Projections;
use crate::domain::rejection::Rejection;
use crate::domain::robot::Robot;
use crate::domain::subject::{AsSubject, Subject};
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

/// One aggregate's state, whatever its kind: the engine keeps one per [`Subject`].
#[derive(Clone, PartialEq, Eq, Debug)]
enum Aggregate {
    Game(Game),
    Building(Building),
    Colony(Colony),
    Robot(Robot),
}

impl Aggregate {
    fn initial(subject: &Subject) -> Aggregate {
        match subject {
            Subject::Game(_) => Aggregate::Game(Game::initial()),
            Subject::Building(_) => Aggregate::Building(Building::initial()),
            Subject::Colony(_) => Aggregate::Colony(Colony::initial()),
            Subject::Robot(_) => Aggregate::Robot(Robot::initial()),
        }
    }

    fn decide(&self, command: &Command) -> Result<Vec<Event>, Rejection> {
        match (self, command) {
            (Aggregate::Game(state), Command::Game(c)) => state.decide(c),
            (Aggregate::Building(state), Command::Building(c)) => state.decide(c),
            (Aggregate::Colony(state), Command::Colony(c)) => state.decide(c),
            (Aggregate::Robot(state), Command::Robot(c)) => state.decide(c),
            // A command's subject is what chose this aggregate, so its kind always matches.
            _ => Err(Rejection::Misrouted {
                command: command.name(),
            }),
        }
    }

    fn evolve(&mut self, event: &Event) {
        match self {
            Aggregate::Game(state) => *state = std::mem::take(state).evolve(event),
            Aggregate::Building(state) => *state = std::mem::take(state).evolve(event),
            Aggregate::Colony(state) => *state = std::mem::take(state).evolve(event),
            Aggregate::Robot(state) => *state = std::mem::take(state).evolve(event),
        }
    }
}

/// An aggregate and the version its stream has reached.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Slot {
    state: Aggregate,
    version: u64,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Engine {
    game_id: Option<GameId>,
    aggregates: FastMap<Subject, Slot>,
    pm: GameloopPm,
    last_seq: u64,
}

/// What the game aggregate is before its stream exists.
static NOT_STARTED: Game = Game::NotStarted;

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

    /// The surface as the robots see it now, in a colony with robots: what a robot's program
    /// decides against at the start of a tick.
    pub fn field(&self) -> Option<&Field> {
        self.pm.field()
    }

    /// Robot `id` as its aggregate stands.
    pub fn robot(&self, id: &RobotId) -> Robot {
        match self
            .aggregates
            .get(&Subject::Robot(id.clone()))
            .map(|s| &s.state)
        {
            Some(Aggregate::Robot(robot)) => robot.clone(),
            _ => Robot::initial(),
        }
    }

    pub fn game_id(&self) -> Option<GameId> {
        self.game_id
    }

    pub fn game(&self) -> &Game {
        let slot = self
            .game_id
            .and_then(|id| self.aggregates.get(&Subject::Game(id)));
        match slot.map(|s| &s.state) {
            Some(Aggregate::Game(game)) => game,
            _ => &NOT_STARTED,
        }
    }

    /// The current tick, or `None` before the game starts.
    pub fn tick(&self) -> Option<Tick> {
        match self.game() {
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
        if let Some(id) = event.started_game() {
            self.game_id.get_or_insert(id);
        }
        let subject = event.subject_ref();
        // Found by the borrowed subject: the id is copied only the once a stream begins.
        let slot = match self.aggregates.get_mut(&subject as &dyn AsSubject) {
            Some(slot) => slot,
            None => self
                .aggregates
                .entry(subject.to_subject())
                .or_insert_with_key(|subject| Slot {
                    state: Aggregate::initial(subject),
                    version: 0,
                }),
        };
        slot.state.evolve(event);
        slot.version = version;
        self.pm.apply(event);
        self.last_seq = seq;
    }

    fn decide(&self, command: &Command) -> Result<Vec<Event>, Rejection> {
        let subject = command.subject(self.game_id)?;
        match self.aggregates.get(&subject) {
            Some(slot) => slot.state.decide(command),
            None => Aggregate::initial(&subject).decide(command),
        }
    }

    fn next_version(&self, event: &Event) -> u64 {
        self.aggregates
            .get(&event.subject_ref() as &dyn AsSubject)
            .map_or(0, |slot| slot.version)
            + 1
    }

    /// Decides `command` and everything the process manager asks for in response, evolving the
    /// state as it goes, and returns the new events in log order.
    pub fn execute(
        &mut self,
        mut command: Command,
        origin: Origin,
    ) -> Result<Vec<RecordedEvent>, EngineError> {
        command.stamp(self.tick().unwrap_or(0));
        command
            .admitted_by(self.game())
            .map_err(EngineError::Rejected)?;
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
