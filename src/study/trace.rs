//! `lunar trace`: a robot's program run again against the world at the start of a past tick,
//! as the log rebuilds it, with the lines it ran, what it read, the memory before and after,
//! the operations it spent, the action it chose and what resolution made of it; set beside
//! what the log holds, so a difference (a desync) shows.

use serde::Serialize;

use crate::domain::event::Event;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::labour;
use crate::domain::program::limits::MAX_OPERATIONS;
use crate::domain::program::memory::Memory;
use crate::domain::program::{hash_of, name_of};
use crate::domain::projection::feed::describe;
use crate::domain::robot::commands::RobotCommand;
use crate::domain::subject::Subject;
use crate::engine::Engine;
use crate::engine::envelope::RecordedEvent;
use crate::present::value_text;

/// The engine as tick `tick` began: every event up to and including the tick's
/// `gameloop_advanced`, which is when the robots decide. None when the log never reached it.
pub fn engine_at(events: &[RecordedEvent], tick: Tick) -> Option<(Engine, usize)> {
    let start = events
        .iter()
        .position(|e| matches!(&e.event, Event::GameloopAdvanced(a) if a.tick == tick))?;
    let mut engine = Engine::new();
    for event in &events[..=start] {
        engine.apply(event);
    }
    Some((engine, start))
}

#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Line {
    pub line: usize,
    pub text: String,
}

#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Read {
    pub call: String,
    pub value: String,
}

/// A traced decision, ready to print or to draw.
#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Report {
    pub robot: String,
    pub tick: Tick,
    pub program: String,
    /// Where it stood and what it held as the tick began.
    pub at: (u16, u16),
    pub battery: u32,
    /// The lines it ran, in order.
    pub lines: Vec<Line>,
    pub reads: Vec<Read>,
    pub operations: u64,
    pub budget: u64,
    pub memory_before: String,
    pub memory_after: Option<String>,
    /// The action it chose, or its fault.
    pub chose: String,
    /// What the tick's resolution makes of it, as events would say it.
    pub resolved: Vec<String>,
    /// What the log holds for it at that tick.
    pub logged: Vec<String>,
    /// The re-run and the log disagree.
    pub desync: bool,
}

/// The command name a robot's act records: its events at a tick are the act's.
const ACT: &str = "act";

fn memory_text(memory: &Memory) -> String {
    value_text(&crate::domain::program::memory::Value::Map(memory.clone()))
}

/// What the rules make of a traced decision (the events its act records), and what the log
/// holds for the robot at that tick (`after` is the log from the tick's start on).
fn outcome(
    engine: &Engine,
    robot: &RobotId,
    traced: &labour::Traced,
    after: &[RecordedEvent],
    tick: Tick,
) -> (Vec<Event>, Vec<Event>) {
    let expected = traced
        .act
        .as_ref()
        .and_then(|act| {
            engine
                .robot(robot)
                .decide(&RobotCommand::Act(act.clone()))
                .ok()
        })
        .unwrap_or_default();
    let subject = Subject::Robot(robot.clone());
    let logged = after
        .iter()
        .take_while(|e| e.tick() == tick)
        .filter(|e| e.metadata.command == ACT && e.event.subject() == subject)
        .map(|e| e.event.clone())
        .collect();
    (expected, logged)
}

fn agree(expected: &[Event], logged: &[Event]) -> bool {
    expected.len() == logged.len() && expected.iter().zip(logged).all(|(a, b)| a.same_fact(b))
}

/// Robot `robot`'s decision at `tick`, from `events` (the save's log, up to that tick at least).
pub fn trace(events: &[RecordedEvent], robot: &RobotId, tick: Tick) -> Result<Report, String> {
    let (engine, start) = engine_at(events, tick).ok_or_else(|| never_reached(tick))?;
    trace_on(&engine, &events[start + 1..], robot, tick)
}

pub(super) fn never_reached(tick: Tick) -> String {
    format!("the save never reached tick {tick}")
}

/// Robot `robot`'s decision at `tick`, on `engine` as the tick began; `after` is the log from
/// there on.
pub fn trace_on(
    engine: &Engine,
    after: &[RecordedEvent],
    robot: &RobotId,
    tick: Tick,
) -> Result<Report, String> {
    let field = engine
        .field()
        .ok_or("this is not a colony game with robots: there is nothing to trace")?;
    let traced = labour::trace(field, robot, tick).ok_or_else(|| {
        format!(
            "{robot} ran no program at tick {tick}: it was not there yet, had none, or was \
             faulted"
        )
    })?;
    let body = field.robots.get(robot);
    let names = Default::default();
    let said =
        |events: &[Event]| -> Vec<String> { events.iter().map(|e| describe(e, &names)).collect() };
    let (expected, logged) = outcome(engine, robot, &traced, after, tick);
    let desync = !agree(&expected, &logged);
    let source: Vec<&str> = traced.source.lines().collect();
    let lines = traced
        .trace
        .lines
        .iter()
        .map(|&line| Line {
            line,
            text: source
                .get(line.wrapping_sub(1))
                .copied()
                .unwrap_or("")
                .to_owned(),
        })
        .collect();
    let (chose, memory_after) = match &traced.decision {
        Ok(d) => (d.intent.as_call(), Some(memory_text(&d.memory))),
        Err(fault) => (format!("faulted: {fault}"), None),
    };
    Ok(Report {
        robot: robot.to_string(),
        tick,
        program: format!(
            "{} ({})",
            name_of(&traced.source).unwrap_or_else(|| "a program".into()),
            &hash_of(&traced.source)[..8]
        ),
        at: body.map_or((0, 0), |b| b.at),
        battery: body.map_or(0, |b| b.battery),
        lines,
        reads: traced
            .trace
            .reads
            .into_iter()
            .map(|(call, value)| Read { call, value })
            .collect(),
        operations: traced.trace.operations,
        budget: MAX_OPERATIONS,
        memory_before: memory_text(&traced.memory),
        memory_after,
        chose,
        resolved: said(&expected),
        logged: said(&logged),
        desync,
    })
}

/// The report as text, for a terminal.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "{} at tick {}, running {}: at ({},{}), battery {}\nmemory before: {}\n\nlines run:\n",
        report.robot,
        report.tick,
        report.program,
        report.at.0,
        report.at.1,
        report.battery,
        report.memory_before
    );
    for line in &report.lines {
        out += &format!("{:>5} | {}\n", line.line, line.text);
    }
    out += "\nread:\n";
    if report.reads.is_empty() {
        out += "  nothing of the world\n";
    }
    for read in &report.reads {
        out += &format!("  {} = {}\n", read.call, read.value);
    }
    out += &format!(
        "\noperations: {} of {}\nmemory after: {}\nchose: {}\nresolved: {}\n",
        report.operations,
        report.budget,
        report
            .memory_after
            .as_deref()
            .unwrap_or("(unchanged: it faulted)"),
        report.chose,
        words(&report.resolved)
    );
    if report.desync {
        out += &format!(
            "DESYNC: the log holds {}, but the rules make {} of it\n",
            words(&report.logged),
            words(&report.resolved)
        );
    } else {
        out += "the log holds the same\n";
    }
    out
}

fn words(lines: &[String]) -> String {
    if lines.is_empty() {
        "nothing (a wait)".into()
    } else {
        lines.join("; ")
    }
}

/// Every robot's decision at every tick of `events` traced in one fold: where the rules and the
/// log disagree, robot and tick. Empty for a sound save.
pub fn desyncs(events: &[RecordedEvent]) -> Vec<(RobotId, Tick)> {
    let mut engine = Engine::new();
    let mut found = Vec::new();
    for (i, recorded) in events.iter().enumerate() {
        engine.apply(recorded);
        let Event::GameloopAdvanced(advanced) = &recorded.event else {
            continue;
        };
        let Some(field) = engine.field() else {
            continue;
        };
        let tick = advanced.tick;
        let later = &events[i + 1..];
        for (robot, traced) in labour::trace_all(field, tick) {
            let (expected, logged) = outcome(&engine, &robot, &traced, later, tick);
            if !agree(&expected, &logged) {
                found.push((robot, tick));
            }
        }
    }
    found
}
