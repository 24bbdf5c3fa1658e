//! Robot programs: Rhai scripts run in a sandbox, one decision a tick.
//!
//! Rhai won over Lua and WebAssembly because it is pure Rust (nothing to install, one build on
//! every machine), its sandbox is configuration rather than a wrapper (an operation budget
//! instead of a clock; limits on strings, arrays, maps, call depth and expression depth), it can
//! be built without floats, time or modules, so a program cannot see the machine it runs on, and
//! its maps are ordered, so nothing iterates differently from one process to the next.
//!
//! A program is compiled once, when it is uploaded. Each tick it runs with five variables in
//! scope: `me` (the robot), `memory` (a map it keeps between ticks), `tick`, `day` and `world`
//! (what its sensors see), and its last value is its action. A syntax error refuses the upload;
//! an error while running, or running past a limit, faults the robot, never the game. Every
//! limit is set explicitly, so a debug and a release build stop a program at the same place.

pub mod api;
pub mod faults;
pub mod limits;
pub mod memory;
pub mod sandbox;
#[cfg(test)]
mod tests;
pub mod trace;

use rhai::{AST, Dynamic, Map, Position, Scope};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

use crate::domain::program::api::{Intent, Me, Sensors};
use crate::domain::program::faults::{article, fault, place};
use crate::domain::program::limits::MAX_SOURCE_BYTES;
use crate::domain::program::memory::{
    Memory, Value, check_memory, check_value, from_dynamic, from_dynamic_map, to_dynamic,
    to_dynamic_map,
};
use crate::domain::program::sandbox::{engine, engine_for};
use rhai::Engine;

/// A program's SHA-256, in hex: what names the program that decided an action.
pub fn hash_of(source: &str) -> String {
    Sha256::digest(source.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The name a program gives itself: the head of its first line, when that is a comment
/// (`// Builder: works on...` is "builder"), up to a colon, a full stop or a comma, at most 24
/// characters. A program from a file is named after the file; one without (written in the
/// editor) after this, so the same program is called the same wherever it comes from.
pub fn name_of(source: &str) -> Option<String> {
    let first = source.lines().next()?.trim();
    let comment = first.strip_prefix("//")?.trim_start_matches('/').trim();
    let head = comment.split([':', '.', ',']).next().unwrap_or("").trim();
    let name: String = head
        .chars()
        .filter(|c| !c.is_control())
        .take(24)
        .collect::<String>()
        .trim()
        .to_lowercase();
    (!name.is_empty()).then_some(name)
}

/// Why a program was refused at upload.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// A program ready to run. Two are equal when their sources are.
#[derive(Clone)]
pub struct Compiled {
    pub hash: String,
    ast: Arc<AST>,
    /// Read back to name the expression a fault happened at.
    pub source: Arc<str>,
}

impl PartialEq for Compiled {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

impl Eq for Compiled {}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Compiled({})", &self.hash[..12.min(self.hash.len())])
    }
}

/// Checks and compiles a program.
pub fn compile(source: &str) -> Result<Compiled, SyntaxError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(SyntaxError {
            line: 1,
            column: 1,
            message: format!(
                "a program holds at most {MAX_SOURCE_BYTES} bytes; this one has {}",
                source.len()
            ),
        });
    }
    let ast = engine().compile(source).map_err(|e| {
        let (line, column) = place(e.position());
        SyntaxError {
            line,
            column,
            message: e.0.to_string(),
        }
    })?;
    Ok(Compiled {
        hash: hash_of(source),
        ast: Arc::new(ast),
        source: source.into(),
    })
}

/// Everything a program is given for one decision.
pub struct Inputs<'a> {
    pub me: Me,
    pub tick: u64,
    pub day: bool,
    pub memory: &'a Memory,
    pub sensors: Sensors,
    /// What other robots sent it on the tick before: sender and value, in the order sent.
    pub inbox: &'a [(String, Value)],
}

/// What a program decided: its action, the memory it keeps, what it said (a line each) and
/// what it sent (to one robot, or none: to every other).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decision {
    pub intent: Intent,
    pub memory: Memory,
    pub said: Vec<String>,
    pub sent: Vec<(Option<String>, Value)>,
}

/// Runs one decision. The error is the fault, in words, with the line and column it happened at.
pub fn run(program: &Compiled, inputs: Inputs<'_>) -> Result<Decision, String> {
    let ruleset = inputs.me.ruleset;
    run_on(engine_for(ruleset), program, inputs, &mut Scope::new())
}

/// The scope a program runs in: itself, its memory, the tick, the light, the world, its inbox.
fn scope_for<'a>(inputs: Inputs<'_>, scope: &mut Scope<'a>) {
    let ruleset = inputs.me.ruleset;
    scope.push("me", inputs.me);
    scope.push("memory", to_dynamic_map(inputs.memory));
    scope.push_constant("tick", i64::try_from(inputs.tick).unwrap_or(i64::MAX));
    scope.push_constant("day", inputs.day);
    scope.push_constant("world", inputs.sensors);
    if ruleset >= 2 {
        scope.push_constant("inbox", inbox(inputs.inbox));
    }
}

/// The value of a Rhai expression in a robot's context, as the replay's console shows it:
/// in the same sandbox and budget as its program, and read-only (nothing it does is kept).
pub fn evaluate_in(expression: &str, inputs: Inputs<'_>) -> Result<String, String> {
    let ruleset = inputs.me.ruleset;
    let engine = engine_for(ruleset);
    let ast = engine
        .compile_expression(expression)
        .map_err(|e| format!("{}: {}", place_text(e.position()), e.0))?;
    let mut scope = Scope::new();
    scope_for(inputs, &mut scope);
    let value = engine
        .eval_ast_with_scope::<Dynamic>(&mut scope, &ast)
        .map_err(|e| fault(&e, expression, ruleset))?;
    Ok(match value.clone().try_cast::<Intent>() {
        Some(intent) => intent.as_call(),
        None if value.is_unit() => "()".into(),
        None => value.to_string(),
    })
}

fn place_text(at: Position) -> String {
    let (line, column) = place(at);
    format!("{line}:{column}")
}

/// [`run`] on `engine`, in `scope` (which a traced run keeps its notes in).
pub(crate) fn run_on(
    engine: &Engine,
    program: &Compiled,
    inputs: Inputs<'_>,
    scope: &mut Scope<'_>,
) -> Result<Decision, String> {
    let ruleset = inputs.me.ruleset;
    scope_for(inputs, scope);
    let result = engine
        .eval_ast_with_scope::<Dynamic>(scope, &program.ast)
        .map_err(|e| fault(&e, &program.source, ruleset))?;
    let intent = if result.is_unit() {
        Intent::Wait
    } else {
        result.clone().try_cast::<Intent>().ok_or_else(|| {
            let kind = format!("{} {}", article(result.type_name()), result.type_name());
            if ruleset < 2 {
                return format!(
                    "a program ends with an action such as move(1, 0) or wait(), not {kind}"
                );
            }
            // The value came from the program's last statement (or a `return`).
            let at = program.ast.statements().last().map(|s| s.position());
            let (line, column) = place(at.unwrap_or(Position::NONE));
            format!(
                "{line}:{column}: a program ends with an action such as move(1, 0) or wait(), \
                 not {kind}"
            )
        })?
    };
    let memory = match scope.get_value::<Map>("memory") {
        Some(map) => from_dynamic_map(&map)?,
        None => return Err("memory must stay a map, such as #{ seen: 3 }".into()),
    };
    check_memory(&memory)?;
    let me = scope.get_value::<Me>("me");
    let said = me.as_ref().map(|me| me.said.clone()).unwrap_or_default();
    let sent = me
        .map(|me| me.sent)
        .unwrap_or_default()
        .into_iter()
        .map(|(to, value)| {
            let value = from_dynamic(&value)?;
            check_value(&value, "a message")?;
            Ok((to, value))
        })
        .collect::<Result<_, String>>()?;
    Ok(Decision {
        intent,
        memory,
        said,
        sent,
    })
}

/// The inbox as a program reads it: an array of `#{from, value}`, in the order sent.
fn inbox(mail: &[(String, Value)]) -> rhai::Array {
    mail.iter()
        .map(|(from, value)| {
            let mut map = Map::new();
            map.insert("from".into(), from.clone().into());
            map.insert("value".into(), to_dynamic(value));
            Dynamic::from(map)
        })
        .collect()
}
