//! Studying a game after the fact, from its log alone: a robot's decision traced at any tick
//! (`trace`), a fix tried from a tick on (`whatif`), two games set side by side (`compare`),
//! the scores of every attempt at a mission (`scores`), and a game told back as a script
//! (`export`). Everything here reads saves; only `whatif` writes, and only a new save.
//!
//! May use: `domain`, `engine`, `store`, `scenario`, `assets`, `present`. The command line and
//! the replay screen use it; it uses neither.

pub mod compare;
pub mod export;
pub mod inputs;
pub mod scores;
pub mod trace;
pub mod whatif;

use crate::domain::event::Event;
use crate::domain::ids::{RobotId, Tick};
use crate::engine::Engine;
use crate::engine::envelope::RecordedEvent;

/// Ticks between the engines a [`Tracer`] keeps: a trace folds at most this many ticks of log.
const CHECKPOINT_TICKS: Tick = 64;

/// A save's log with the engine kept every [`CHECKPOINT_TICKS`] ticks, folded once, so that
/// tracing any robot at any tick folds only the ticks since the nearest: what the replay's
/// trace panel and console ask of it again and again as the player steps through time.
pub struct Tracer {
    events: Vec<RecordedEvent>,
    /// The engine after the event at the index, as a checkpoint tick began.
    checkpoints: Vec<(usize, Engine)>,
}

impl Tracer {
    pub fn new(events: Vec<RecordedEvent>) -> Tracer {
        let mut engine = Engine::new();
        let mut checkpoints = Vec::new();
        for (i, recorded) in events.iter().enumerate() {
            engine.apply(recorded);
            if let Event::GameloopAdvanced(a) = &recorded.event
                && a.tick % CHECKPOINT_TICKS == 0
            {
                checkpoints.push((i, engine.clone()));
            }
        }
        Tracer {
            events,
            checkpoints,
        }
    }

    /// Every robot the game ever had, each once.
    pub fn robots(&self) -> Vec<RobotId> {
        let mut robots: Vec<RobotId> = self
            .events
            .iter()
            .filter_map(|e| match &e.event {
                Event::RobotDeployed(d) => Some(d.robot_id.clone()),
                _ => None,
            })
            .collect();
        robots.sort();
        robots.dedup();
        robots
    }

    /// The last tick the log reached.
    pub fn last_tick(&self) -> Tick {
        self.events.last().map_or(0, RecordedEvent::tick)
    }

    /// The engine as `tick` began, and the log after that moment.
    fn at(&self, tick: Tick) -> Option<(Engine, &[RecordedEvent])> {
        let start = self
            .events
            .iter()
            .position(|e| matches!(&e.event, Event::GameloopAdvanced(a) if a.tick == tick))?;
        let (from, mut engine) = match self.checkpoints.iter().rev().find(|(i, _)| *i <= start) {
            Some((i, engine)) => (i + 1, engine.clone()),
            None => (0, Engine::new()),
        };
        for event in &self.events[from..=start] {
            engine.apply(event);
        }
        Some((engine, &self.events[start + 1..]))
    }

    /// Robot `robot`'s decision at `tick`, as `lunar trace` reports it.
    pub fn trace(&self, robot: &RobotId, tick: Tick) -> Result<trace::Report, String> {
        let (engine, after) = self.at(tick).ok_or_else(|| trace::never_reached(tick))?;
        trace::trace_on(&engine, after, robot, tick)
    }

    /// The value of `expression` in robot `robot`'s context as `tick` began: read-only, in the
    /// sandbox and budget its program runs in.
    pub fn evaluate(
        &self,
        robot: &RobotId,
        tick: Tick,
        expression: &str,
    ) -> Result<String, String> {
        let (engine, _) = self.at(tick).ok_or_else(|| trace::never_reached(tick))?;
        let field = engine.field().ok_or("a classic game has no robots")?;
        crate::domain::labour::evaluate(field, robot, tick, expression)
            .unwrap_or_else(|| Err(format!("{robot} is not in the colony at tick {tick}")))
    }

    /// The program robot `robot` ran as `tick` began, if it ran one.
    pub fn program(
        &self,
        robot: &RobotId,
        tick: Tick,
    ) -> Option<crate::domain::ruleset::ProgramSource> {
        let (engine, _) = self.at(tick)?;
        let row = engine.field()?.robots.get(robot)?.program.clone()?;
        let compiled = engine.field()?.program(&row)?;
        Some(crate::domain::ruleset::ProgramSource {
            name: crate::domain::program::name_of(&compiled.source)
                .unwrap_or_else(|| "program".into()),
            source: compiled.source.to_string(),
        })
    }
}
