//! Auditing a log: does every recorded fact follow from the rules?
//!
//! Rather than restating the rules, the audit re-runs them: each chain's root event names the
//! command that started it, the engine decides that command again from the state the log had
//! reached, and whatever it produces must be exactly what the log holds. An event written by
//! hand, dropped, reordered or recorded for a rejected action makes the two differ.

use std::collections::HashMap;
use std::fmt;

use crate::domain::command::{Command, GameCommand, PlantSite, StartGame};
use crate::domain::event::Event;

use super::envelope::{Origin, RecordedEvent};
use super::{Engine, EngineError, project_all};

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

/// How many chains may be rebuilt after a mismatch before the audit stops re-running rules;
/// each rebuild folds the log again, so a thoroughly broken log would otherwise be quadratic.
const MAX_REBUILDS: usize = 20;

pub fn audit(events: &[RecordedEvent]) -> AuditReport {
    let mut findings = structural_findings(events);
    findings.extend(rule_findings(events));
    if let Some(finding) = determinism_finding(events) {
        findings.push(finding);
    }
    findings.sort_by_key(|f| (f.seq.unwrap_or(u64::MAX), f.invariant));
    let streams: std::collections::HashSet<&str> =
        events.iter().map(|e| e.stream.as_str()).collect();
    AuditReport {
        events: events.len(),
        last_tick: events.last().map_or(0, RecordedEvent::tick),
        streams: streams.len(),
        findings,
    }
}

fn structural_findings(events: &[RecordedEvent]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut finding = |seq: u64, invariant, detail: String| {
        findings.push(Finding {
            seq: Some(seq),
            invariant,
            detail,
        })
    };
    let mut versions: HashMap<&str, u64> = HashMap::new();
    let mut work: HashMap<String, (u32, u32)> = HashMap::new();
    let mut last_tick = 0;
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if e.seq != expected_seq {
            finding(
                e.seq,
                Invariant::SequenceGapless,
                format!("expected sequence number {expected_seq} here"),
            );
        }
        let version = versions.entry(e.stream.as_str()).or_insert(0);
        if e.version != *version + 1 {
            finding(
                e.seq,
                Invariant::VersionsContiguous,
                format!(
                    "{} version {} follows version {}",
                    e.stream, e.version, version
                ),
            );
        }
        *version = e.version;
        if e.tick() < last_tick {
            finding(
                e.seq,
                Invariant::TicksMonotone,
                format!("tick {} comes after tick {last_tick}", e.tick()),
            );
        }
        last_tick = last_tick.max(e.tick());
        let subject = e.event.stream();
        if subject != e.stream {
            finding(
                e.seq,
                Invariant::EventInItsStream,
                format!(
                    "{} about {subject} is stored in {}",
                    e.event.type_name(),
                    e.stream
                ),
            );
        }
        match &e.event {
            Event::BuildingSpawned(s) => {
                work.insert(s.building_id.to_string(), (0, s.work_required));
            }
            Event::BuildingSpawnedV2(s) => {
                work.insert(s.building_id.to_string(), (0, s.work_required));
            }
            Event::ConstructionProgressed(p) => {
                let id = p.building_id.to_string();
                let required = work.get(&id).map_or(p.work_required, |w| w.1);
                if p.work_done > required || p.work_required != required {
                    finding(
                        e.seq,
                        Invariant::WorkWithinRequired,
                        format!(
                            "{id} progressed to {}/{} but requires {required}",
                            p.work_done, p.work_required
                        ),
                    );
                }
                work.insert(id, (p.work_done, required));
            }
            Event::ConstructionCompleted(c) => {
                let id = c.building_id.to_string();
                match work.get(&id) {
                    Some(&(done, required)) if done == required => {}
                    Some(&(done, required)) => finding(
                        e.seq,
                        Invariant::WorkWithinRequired,
                        format!("{id} completed with {done}/{required} work done"),
                    ),
                    None => finding(
                        e.seq,
                        Invariant::WorkWithinRequired,
                        format!("{id} completed but was never spawned"),
                    ),
                }
            }
            Event::GameStarted(_)
            | Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::GameStopped(_) => {}
        }
    }
    findings
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
        Event::BuildingSpawned(_)
        | Event::BuildingSpawnedV2(_)
        | Event::ConstructionProgressed(_)
        | Event::ConstructionCompleted(_) => return None,
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

fn rule_findings(events: &[RecordedEvent]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut engine = Engine::new();
    let mut rebuilds = 0;
    let mut start = 0;
    while start < events.len() && rebuilds < MAX_REBUILDS {
        let root = &events[start];
        let end = events[start + 1..]
            .iter()
            .position(|e| e.metadata.causation_id.is_none())
            .map_or(events.len(), |offset| start + 1 + offset);
        let chain = &events[start..end];
        let mut finding = |seq, detail| {
            findings.push(Finding {
                seq: Some(seq),
                invariant: Invariant::RulesReproduceLog,
                detail,
            })
        };
        let command = match (&root.metadata.causation_id, implied_command(&root.event)) {
            (None, Some(command)) => command,
            _ => {
                finding(
                    root.seq,
                    format!(
                        "{} cannot start a chain; only a command's consequences can",
                        root.event.type_name()
                    ),
                );
                chain.iter().for_each(|e| engine.apply(e));
                start = end;
                continue;
            }
        };
        let origin = Origin {
            source: root.metadata.source,
            recorded_at_ms: root.metadata.recorded_at_ms,
        };
        match engine.execute(command, origin) {
            Ok(produced) if same_chain(&produced, chain) => {}
            Ok(produced) => {
                let k = produced
                    .iter()
                    .zip(chain)
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
                finding(seq, detail);
                engine = Engine::replay(&events[..end]);
                rebuilds += 1;
            }
            Err(EngineError::Rejected(rejection)) => {
                finding(
                    root.seq,
                    format!(
                        "{} records an action the rules reject: {rejection}",
                        root.event.type_name()
                    ),
                );
                chain.iter().for_each(|e| engine.apply(e));
            }
            Err(error @ EngineError::Cascade { .. }) => {
                finding(root.seq, error.to_string());
                engine = Engine::replay(&events[..end]);
                rebuilds += 1;
            }
        }
        start = end;
    }
    findings
}

fn determinism_finding(events: &[RecordedEvent]) -> Option<Finding> {
    let first = (Engine::replay(events), project_all(events));
    let second = (Engine::replay(events), project_all(events));
    (first != second).then(|| Finding {
        seq: None,
        invariant: Invariant::ReplayDeterministic,
        detail: "two replays of the same log produced different state".into(),
    })
}
