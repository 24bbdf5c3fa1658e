//! A decision run again with its workings noted: the lines it ran, in order, what it read of
//! the world and the operations it spent. A program is a pure function of what the log holds,
//! so a traced run decides exactly as the run the log recorded did; the notes change nothing.

use std::cell::Cell;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rhai::debugger::{DebuggerCommand, DebuggerEvent};
use rhai::{Array, Engine, Scope};

use crate::domain::program::sandbox::build_for;
use crate::domain::program::{Compiled, Decision, Inputs, run_on};

/// What a traced decision did besides deciding.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Trace {
    /// Each line it ran, in the order it ran them (a line run twice in a row shows once).
    pub lines: Vec<usize>,
    /// What it read of the world, in order: the call, and the value it gave.
    pub reads: Vec<(String, String)>,
    /// Operations spent, of the budget.
    pub operations: u64,
}

/// Where the top of a traced run keeps the debugger's notes, out of any program's reach (no
/// program can name a variable with a `$`).
const NOTES: &str = "$trace";
const SPENT: &str = "$operations";

/// The interpreter of `ruleset` with a debugger that notes every step's line.
fn traced_engine(ruleset: u32) -> &'static Engine {
    static FIRST: OnceLock<Engine> = OnceLock::new();
    static SECOND: OnceLock<Engine> = OnceLock::new();
    let slot = if ruleset >= 2 { &SECOND } else { &FIRST };
    slot.get_or_init(|| {
        let mut engine = build_for(ruleset);
        // Rhai marks its debugger interface volatile (it may change between versions): a
        // trace is only read, never stored, so a change costs a recompile, not a save.
        #[allow(deprecated)]
        engine.register_debugger(
            |_, mut debugger| {
                debugger.set_state(Array::new());
                debugger
            },
            |mut context, event, _, _, at| {
                match event {
                    DebuggerEvent::Step => {
                        if let (Some(line), Some(debugger)) = (at.line(), context.debugger_mut())
                            && let Some(mut lines) = debugger.state_mut().write_lock::<Array>()
                        {
                            let line = i64::try_from(line).unwrap_or(i64::MAX);
                            if lines.last().and_then(|l| l.as_int().ok()) != Some(line) {
                                lines.push(line.into());
                            }
                        }
                    }
                    DebuggerEvent::End => {
                        let spent = context.global_runtime_state().num_operations;
                        let lines = context.debugger().map(|d| d.state().clone());
                        let scope = context.scope_mut();
                        if let Some(lines) = lines {
                            scope.set_value(NOTES, lines);
                        }
                        scope.set_value(SPENT, i64::try_from(spent).unwrap_or(i64::MAX));
                    }
                    _ => {}
                }
                Ok(DebuggerCommand::StepInto)
            },
        );
        engine
    })
}

/// Runs one decision as [`crate::domain::program::run`] does, noting its workings.
pub fn run_traced(program: &Compiled, mut inputs: Inputs<'_>) -> (Result<Decision, String>, Trace) {
    let ruleset = inputs.me.ruleset;
    let reads = Arc::new(Mutex::new(Vec::new()));
    inputs.sensors.reads = Some(Arc::clone(&reads));
    inputs.me.reads = Some(Arc::clone(&reads));
    let mut scope = Scope::new();
    scope.push(NOTES, Array::new());
    scope.push(SPENT, 0_i64);
    let decision = run_on(traced_engine(ruleset), program, inputs, &mut scope);
    let lines = scope
        .get_value::<Array>(NOTES)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|l| l.as_int().ok())
        .filter_map(|l| usize::try_from(l).ok())
        .collect();
    let operations = scope
        .get_value::<i64>(SPENT)
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    let reads = std::mem::take(&mut *reads.lock().unwrap_or_else(PoisonError::into_inner));
    (
        decision,
        Trace {
            lines,
            reads,
            operations,
        },
    )
}

thread_local! {
    /// The operations the counting interpreter's current run has spent: Rhai reports the
    /// count as it goes, to a callback that can keep nothing of its own.
    static COUNTED: Cell<u64> = const { Cell::new(0) };
}

/// The interpreter of `ruleset` that counts the operations a run spends, and nothing more.
fn counting_engine(ruleset: u32) -> &'static Engine {
    static FIRST: OnceLock<Engine> = OnceLock::new();
    static SECOND: OnceLock<Engine> = OnceLock::new();
    let slot = if ruleset >= 2 { &SECOND } else { &FIRST };
    slot.get_or_init(|| {
        let mut engine = build_for(ruleset);
        engine.on_progress(|spent| {
            COUNTED.with(|c| c.set(spent));
            None
        });
        engine
    })
}

/// The operations one decision spends, as it runs again: a score's measure of a program's
/// thrift, which the log does not record.
pub fn operations(program: &Compiled, inputs: Inputs<'_>) -> u64 {
    COUNTED.with(|c| c.set(0));
    // A fault still spent what it ran up to; the count is all that is wanted here.
    let _ = run_on(
        counting_engine(inputs.me.ruleset),
        program,
        inputs,
        &mut Scope::new(),
    );
    COUNTED.with(Cell::get)
}
