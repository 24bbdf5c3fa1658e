//! Auditing a log: does every recorded fact follow from the rules?
//!
//! Rather than restating the rules, the audit re-runs them: each chain's root event names the
//! command that started it, the engine decides that command again from the state the log had
//! reached, and whatever it produces must be exactly what the log holds. An event written by
//! hand, dropped, reordered or recorded for a rejected action makes the two differ.

use std::collections::HashMap;
use std::fmt;

use crate::domain::command::Command;

use crate::domain::game::commands::{GameCommand, PlantSite, StartGame};

use crate::domain::building::commands::BuildingCommand;
use crate::domain::event::Event;
use crate::domain::robot::commands::RobotCommand;

use super::envelope::{Origin, RecordedEvent};
use super::{Engine, EngineError};
use crate::domain::projection::Projections;

/// The properties a sound log has.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum Invariant {
    SequenceGapless,
    VersionsContiguous,
    TicksMonotone,
    EventInItsStream,
    WorkWithinRequired,
    RulesReproduceLog,
    ReplayDeterministic,
}

impl Invariant {
    pub const ALL: [Invariant; 7] = [
        Invariant::SequenceGapless,
        Invariant::VersionsContiguous,
        Invariant::TicksMonotone,
        Invariant::EventInItsStream,
        Invariant::WorkWithinRequired,
        Invariant::RulesReproduceLog,
        Invariant::ReplayDeterministic,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Invariant::SequenceGapless => "sequence numbers run from 1 without gaps",
            Invariant::VersionsContiguous => "each stream's versions run from 1 without gaps",
            Invariant::TicksMonotone => "ticks never go backwards",
            Invariant::EventInItsStream => "each event sits in the stream it is about",
            Invariant::WorkWithinRequired => {
                "construction never passes its required work, and completes exactly there"
            }
            Invariant::RulesReproduceLog => {
                "every event is what the rules produce (no event for a rejected action)"
            }
            Invariant::ReplayDeterministic => "two replays from empty state agree",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Finding {
    pub seq: Option<u64>,
    pub invariant: Invariant,
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "seq {seq}: {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuditReport {
    pub events: usize,
    pub last_tick: u64,
    pub streams: usize,
    pub findings: Vec<Finding>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// How many chains may differ from the rules before the audit stops re-running them: the first
/// few name what is wrong, and a thoroughly broken log would otherwise list every chain.
const MAX_REBUILDS: usize = 20;

/// Audits a whole log held in memory.
pub fn audit(events: &[RecordedEvent]) -> AuditReport {
    let mut auditor = Auditor::new();
    for e in events {
        auditor.push(e.clone());
    }
    auditor.finish()
}

/// Audits a log one event at a time, in log order, holding only the state folded so far and
/// the chain being read: memory does not grow with the log.
pub struct Auditor {
    events: usize,
    last_tick: u64,
    versions: HashMap<String, u64>,
    work: HashMap<String, (u32, u32)>,
    /// Runs the rules: decides each chain's command again.
    engine: Engine,
    /// The log folded as it is, and a second fold of it for the determinism check.
    logged: Engine,
    twin: Engine,
    projections: Projections,
    twin_projections: Projections,
    /// The chain being read: a root event and its consequences.
    chain: Vec<RecordedEvent>,
    rebuilds: usize,
    findings: Vec<Finding>,
}

impl Default for Auditor {
    fn default() -> Self {
        Auditor::new()
    }
}

impl Auditor {
    pub fn new() -> Auditor {
        Auditor {
            events: 0,
            last_tick: 0,
            versions: HashMap::new(),
            work: HashMap::new(),
            engine: Engine::new(),
            logged: Engine::new(),
            twin: Engine::new(),
            projections: Projections::default(),
            twin_projections: Projections::default(),
            chain: Vec::new(),
            rebuilds: 0,
            findings: Vec::new(),
        }
    }

    /// The projections folded from every event pushed so far.
    pub fn projections(&self) -> &Projections {
        &self.projections
    }

    pub fn push(&mut self, e: RecordedEvent) {
        if e.metadata.causation_id.is_none() && !self.chain.is_empty() {
            self.close_chain();
        }
        self.check_structure(&e);
        self.logged.apply(&e);
        self.twin.apply(&e);
        self.projections.apply(&e.event);
        self.twin_projections.apply(&e.event);
        self.chain.push(e);
    }

    pub fn finish(mut self) -> AuditReport {
        self.close_chain();
        if (&self.logged, &self.projections) != (&self.twin, &self.twin_projections) {
            self.findings.push(Finding {
                seq: None,
                invariant: Invariant::ReplayDeterministic,
                detail: "two replays of the same log produced different state".into(),
            });
        }
        self.findings
            .sort_by_key(|f| (f.seq.unwrap_or(u64::MAX), f.invariant));
        AuditReport {
            events: self.events,
            last_tick: self.last_tick,
            streams: self.versions.len(),
            findings: self.findings,
        }
    }

    fn finding(&mut self, seq: u64, invariant: Invariant, detail: String) {
        self.findings.push(Finding {
            seq: Some(seq),
            invariant,
            detail,
        });
    }

    fn check_structure(&mut self, e: &RecordedEvent) {
        self.events += 1;
        let expected_seq = self.events as u64;
        if e.seq != expected_seq {
            self.finding(
                e.seq,
                Invariant::SequenceGapless,
                format!("expected sequence number {expected_seq} here"),
            );
        }
        let version = self.versions.entry(e.stream.clone()).or_insert(0);
        let previous = std::mem::replace(version, e.version);
        if e.version != previous + 1 {
            self.finding(
                e.seq,
                Invariant::VersionsContiguous,
                format!(
                    "{} version {} follows version {previous}",
                    e.stream, e.version
                ),
            );
        }
        if e.tick() < self.last_tick {
            let detail = format!("tick {} comes after tick {}", e.tick(), self.last_tick);
            self.finding(e.seq, Invariant::TicksMonotone, detail);
        }
        self.last_tick = self.last_tick.max(e.tick());
        let subject = e.event.stream();
        if subject != e.stream {
            let detail = format!(
                "{} about {subject} is stored in {}",
                e.event.type_name(),
                e.stream
            );
            self.finding(e.seq, Invariant::EventInItsStream, detail);
        }
        if let Some(detail) = self.check_work(&e.event) {
            self.finding(e.seq, Invariant::WorkWithinRequired, detail);
        }
    }

    fn check_work(&mut self, event: &Event) -> Option<String> {
        match event {
            Event::BuildingSpawned(s) => {
                self.work
                    .insert(s.building_id.to_string(), (0, s.work_required));
            }
            Event::BuildingSpawnedV2(s) => {
                self.work
                    .insert(s.building_id.to_string(), (0, s.work_required));
            }
            Event::ConstructionProgressed(p) => {
                let id = p.building_id.to_string();
                let required = self.work.get(&id).map_or(p.work_required, |w| w.1);
                self.work.insert(id.clone(), (p.work_done, required));
                if p.work_done > required || p.work_required != required {
                    return Some(format!(
                        "{id} progressed to {}/{} but requires {required}",
                        p.work_done, p.work_required
                    ));
                }
            }
            Event::ConstructionCompleted(c) => {
                let id = c.building_id.to_string();
                return match self.work.get(&id) {
                    Some(&(done, required)) if done == required => None,
                    Some(&(done, required)) => {
                        Some(format!("{id} completed with {done}/{required} work done"))
                    }
                    None => Some(format!("{id} completed but was never spawned")),
                };
            }
            _ => {}
        }
        None
    }

    /// Decides the chain's command again from the state the log had reached before it, and
    /// compares. `logged` already holds the chain.
    fn close_chain(&mut self) {
        let chain = std::mem::take(&mut self.chain);
        let Some(root) = chain.first() else {
            return;
        };
        if self.rebuilds >= MAX_REBUILDS {
            return;
        }
        let command = match (&root.metadata.causation_id, implied_command(&root.event)) {
            (None, Some(command)) => command,
            _ => {
                let detail = format!(
                    "{} cannot start a chain; only a command's consequences can",
                    root.event.type_name()
                );
                self.finding(root.seq, Invariant::RulesReproduceLog, detail);
                self.engine = self.logged.clone();
                return;
            }
        };
        let origin = Origin {
            source: root.metadata.source,
            recorded_at_ms: root.metadata.recorded_at_ms,
        };
        match self.engine.execute(command, origin) {
            Ok(produced) if same_chain(&produced, &chain) => {}
            Ok(produced) => {
                let k = produced
                    .iter()
                    .zip(&chain)
                    .position(|(p, c)| !same_record(p, c))
                    .unwrap_or(produced.len().min(chain.len()));
                let detail = match (produced.get(k), chain.get(k)) {
                    (Some(p), Some(c)) => format!(
                        "the log has {} where the rules produce {}",
                        summary(c),
                        summary(p)
                    ),
                    (Some(p), None) => format!("the log is missing {}", summary(p)),
                    (None, Some(c)) => format!("the rules do not produce {}", summary(c)),
                    (None, None) => "the chain differs from what the rules produce".into(),
                };
                let seq = chain.get(k).map_or(root.seq + k as u64, |c| c.seq);
                self.finding(seq, Invariant::RulesReproduceLog, detail);
                self.engine = self.logged.clone();
                self.rebuilds += 1;
            }
            Err(EngineError::Rejected(rejection)) => {
                let detail = format!(
                    "{} records an action the rules reject: {rejection}",
                    root.event.type_name()
                );
                self.finding(root.seq, Invariant::RulesReproduceLog, detail);
                self.engine = self.logged.clone();
            }
            Err(error @ EngineError::Cascade { .. }) => {
                self.finding(root.seq, Invariant::RulesReproduceLog, error.to_string());
                self.engine = self.logged.clone();
                self.rebuilds += 1;
            }
        }
    }
}

/// The command a root event records, or `None` for events that only a cascade produces.
fn implied_command(event: &Event) -> Option<Command> {
    let command = match event {
        Event::GameStarted(e) => GameCommand::StartGame(StartGame {
            game_id: e.game_id,
            name: e.name.clone(),
            seed: e.seed,
            player: e.player.clone(),
            map: e.map.clone(),
            catalogue: e.catalogue.clone(),
            rules: None,
            ruleset: 0,
        }),
        Event::GameStartedV2(e) => GameCommand::StartGame(StartGame {
            game_id: e.game_id,
            name: e.name.clone(),
            seed: e.seed,
            player: e.player.clone(),
            map: e.map.clone(),
            catalogue: e.catalogue.clone(),
            rules: Some(e.rules.clone()),
            ruleset: 1,
        }),
        Event::GameStartedV3(e) => GameCommand::StartGame(StartGame {
            game_id: e.game_id,
            name: e.name.clone(),
            seed: e.seed,
            player: e.player.clone(),
            map: e.map.clone(),
            catalogue: e.catalogue.clone(),
            rules: Some(e.rules.clone()),
            ruleset: e.ruleset,
        }),
        Event::GameloopAdvanced(e) => GameCommand::AdvanceGameloop { tick: e.tick },
        Event::SitePlanted(e) => GameCommand::PlantSite(PlantSite {
            building_id: e.building_id.clone(),
            building_type: e.building_type.clone(),
            x: i32::from(e.x),
            y: i32::from(e.y),
            player: Some(e.player.clone()),
            work_ticks: Some(e.work_required),
        }),
        Event::GameStopped(_) => GameCommand::StopGame,
        Event::RobotOrdered(e) => GameCommand::OrderRobot {
            robot_id: e.robot_id.clone(),
            factory: e.factory.clone(),
            program: None,
        },
        Event::RobotOrderedV2(e) => GameCommand::OrderRobot {
            robot_id: e.robot_id.clone(),
            factory: e.factory.clone(),
            program: e.program.clone(),
        },
        Event::BuildingSwitched(e) => {
            return Some(Command::Building(BuildingCommand::Switch {
                building_id: e.building_id.clone(),
                on: e.on,
                tick: e.tick,
            }));
        }
        Event::SiteMarkedUrgent(e) => {
            return Some(Command::Building(BuildingCommand::MarkUrgent {
                building_id: e.building_id.clone(),
                urgent: e.urgent,
                tick: e.tick,
            }));
        }
        Event::BuildingDemolished(e) => {
            return Some(Command::Building(BuildingCommand::Demolish {
                building_id: e.building_id.clone(),
                tick: e.tick,
            }));
        }
        Event::ProgramUploaded(e) => {
            return Some(Command::Robot(RobotCommand::UploadProgram {
                robot_id: e.robot_id.clone(),
                name: e.name.clone(),
                source: e.source.clone(),
                tick: e.tick,
            }));
        }
        // Only a process manager's commands produce these.
        Event::BuildingSpawned(_)
        | Event::BuildingSpawnedV2(_)
        | Event::ConstructionProgressed(_)
        | Event::ConstructionCompleted(_)
        | Event::BuildingPlaced(_)
        | Event::ColonyFounded(_)
        | Event::ColonyTicked(_)
        | Event::PowerShort(_)
        | Event::PowerRestored(_)
        | Event::ColonistsLanded(_)
        | Event::ColonistDied(_)
        | Event::ShipDeparted(_)
        | Event::MissionWon(_)
        | Event::MissionLost(_)
        | Event::RobotsAssembled(_)
        | Event::RobotDeployed(_)
        | Event::RobotMoved(_)
        | Event::RobotMined(_)
        | Event::RobotPickedUp(_)
        | Event::RobotDropped(_)
        | Event::RobotWorked(_)
        | Event::RobotCharged(_)
        | Event::RobotSaid(_)
        | Event::RobotWaited(_)
        | Event::RobotFaulted(_)
        | Event::TileCleared(_)
        | Event::MaterialsReclaimed(_)
        | Event::RobotSent(_)
        | Event::RobotPlanted(_)
        | Event::ColonyTickedV2(_) => return None,
    };
    Some(Command::Game(command))
}

/// Whether the rules' event and the logged one are the same record: every envelope field equal
/// and the same fact, whatever schema recorded it.
fn same_record(produced: &RecordedEvent, logged: &RecordedEvent) -> bool {
    produced.seq == logged.seq
        && produced.id == logged.id
        && produced.stream == logged.stream
        && produced.version == logged.version
        && produced.metadata == logged.metadata
        && produced.event.same_fact(&logged.event)
}

fn same_chain(produced: &[RecordedEvent], logged: &[RecordedEvent]) -> bool {
    produced.len() == logged.len() && produced.iter().zip(logged).all(|(p, l)| same_record(p, l))
}

fn summary(e: &RecordedEvent) -> String {
    format!(
        "{} v{} {} {}",
        e.stream,
        e.version,
        e.event.type_name(),
        e.event.encode_data()
    )
}
