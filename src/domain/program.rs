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

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, BitFieldPackage, LogicPackage, MoreStringPackage,
    Package,
};
use rhai::{AST, Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position, Scope};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ruleset::Resource;

/// Operations a program may spend on one decision.
pub const MAX_OPERATIONS: u64 = 20_000;
/// The longest string a program may build, in bytes.
pub const MAX_STRING: usize = 256;
/// The most items in an array.
pub const MAX_ARRAY: usize = 256;
/// The most keys in a map.
pub const MAX_MAP: usize = 64;
/// The deepest chain of function calls.
pub const MAX_CALL_LEVELS: usize = 16;
/// The most a robot's memory may hold, as JSON.
pub const MAX_MEMORY_BYTES: usize = 2048;
/// How deep arrays and maps may nest in memory (memory itself is the first level): far more
/// than a program needs, and far less than a JSON reader's limit.
pub const MAX_NESTING: usize = 16;
/// The longest program source.
pub const MAX_SOURCE_BYTES: usize = 32 * 1024;
/// The longest line a robot may say, in characters.
pub const MAX_SAY_CHARS: usize = 80;

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
    source: Arc<str>,
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

fn place(position: Position) -> (usize, usize) {
    (
        position.line().unwrap_or(1),
        position.position().unwrap_or(1),
    )
}

/// What a program chose to do this tick.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Intent {
    /// One tile: `dx` and `dy` each -1, 0 or 1, exactly one of them non-zero.
    Move {
        dx: i64,
        dy: i64,
    },
    /// Dig the tile the robot stands on.
    Mine,
    /// Take from a pile on the robot's tile, or from the store when next to it.
    PickUp {
        resource: Option<Resource>,
    },
    /// Put the cargo into the store when next to it, else onto the ground.
    Drop,
    /// Work on the construction site at (x, y), next to the robot.
    Work {
        x: i64,
        y: i64,
    },
    /// Draw power, next to the headquarters or a battery.
    Charge,
    Wait,
}

/// A robot's memory: what its program keeps from one tick to the next.
pub type Memory = BTreeMap<String, Value>;

/// A value a program can keep in memory.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    Unit(()),
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// How many arrays and maps deep it nests: 0 for a number or text.
    pub fn depth(&self) -> usize {
        match self {
            Value::List(items) => 1 + items.iter().map(Value::depth).max().unwrap_or(0),
            Value::Map(map) => 1 + map.values().map(Value::depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// The robot as its program sees it.
#[derive(Clone, Debug)]
pub struct Me {
    pub id: String,
    pub x: i64,
    pub y: i64,
    pub battery: i64,
    pub capacity: i64,
    pub cargo: Option<(Resource, i64)>,
    pub cargo_capacity: i64,
    said: Option<String>,
}

impl Me {
    pub fn new(id: &str, x: i64, y: i64) -> Me {
        Me {
            id: id.to_owned(),
            x,
            y,
            battery: 0,
            capacity: 0,
            cargo: None,
            cargo_capacity: 0,
            said: None,
        }
    }
}

/// A building as a robot's sensors see it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Seen {
    pub id: String,
    pub kind: String,
    pub x: i64,
    pub y: i64,
    /// Still under construction.
    pub site: bool,
    /// A site whose materials are in: work on it counts.
    pub supplied: bool,
    /// Ticks of work a site still needs.
    pub work_left: i64,
}

/// What a robot's sensors can ask of the world as it stood at the start of the tick. Searches
/// take the robot's place and its sensors' radius; ties go to the lowest y, then x.
pub trait Surroundings: Send + Sync {
    fn ground(&self, x: i64, y: i64) -> Option<&'static str>;
    fn deposit(&self, x: i64, y: i64) -> i64;
    fn pile(&self, x: i64, y: i64) -> Option<(Resource, i64)>;
    fn robot_at(&self, x: i64, y: i64) -> Option<String>;
    fn building_at(&self, x: i64, y: i64) -> Option<Seen>;
    /// The nearest place of a kind: "regolith", "ice" or "pile" within the radius; "site" (one
    /// with its materials in, needing work), "store" or "charger" anywhere (the colony tells
    /// its robots where those are).
    fn nearest(&self, what: &str, x: i64, y: i64, radius: i64) -> Option<(i64, i64)>;
    /// Every construction site, nearest first.
    fn sites(&self, x: i64, y: i64) -> Vec<Seen>;
    /// Other robots within the radius: id and place.
    fn robots(&self, x: i64, y: i64, radius: i64) -> Vec<(String, i64, i64)>;
    /// The power in the colony's batteries: what charging can draw on.
    fn power(&self) -> i64;
    /// How much of a resource the colony's store holds.
    fn store(&self, resource: Resource) -> i64;
    /// The first step of a shortest way from `from` to `to` (or, when a building stands on
    /// `to`, to a free tile next to it), around rock and buildings (the map is known); none
    /// when already there or there is no way. A robot in the way is stepped around where that
    /// costs no ground, else waited for, or swapped with when it is coming the other way.
    fn step_toward(&self, from: (i64, i64), to: (i64, i64)) -> Option<(i64, i64)>;
    /// A step to a free tile further from `away`, if there is one: to get out of the way.
    fn step_away(&self, from: (i64, i64), away: (i64, i64)) -> Option<(i64, i64)>;
}

/// The `world` a program reads: the surroundings, seen from the robot, out to its radius.
#[derive(Clone)]
pub struct Sensors {
    pub x: i64,
    pub y: i64,
    pub radius: i64,
    pub world: Arc<dyn Surroundings>,
}

impl Sensors {
    fn sees(&self, x: i64, y: i64) -> bool {
        (x - self.x).abs().max((y - self.y).abs()) <= self.radius
    }
}

/// Everything a program is given for one decision.
pub struct Inputs<'a> {
    pub me: Me,
    pub tick: u64,
    pub day: bool,
    pub memory: &'a Memory,
    pub sensors: Sensors,
}

/// What a program decided: its action, the memory it keeps, and what it said.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decision {
    pub intent: Intent,
    pub memory: Memory,
    pub said: Option<String>,
}

/// Runs one decision. The error is the fault, in words, with the line and column it happened at.
pub fn run(program: &Compiled, inputs: Inputs<'_>) -> Result<Decision, String> {
    let mut scope = Scope::new();
    scope.push("me", inputs.me);
    scope.push("memory", to_dynamic_map(inputs.memory));
    scope.push_constant("tick", i64::try_from(inputs.tick).unwrap_or(i64::MAX));
    scope.push_constant("day", inputs.day);
    scope.push_constant("world", inputs.sensors);
    let result = engine()
        .eval_ast_with_scope::<Dynamic>(&mut scope, &program.ast)
        .map_err(|e| fault(&e, &program.source))?;
    let intent = if result.is_unit() {
        Intent::Wait
    } else {
        result.clone().try_cast::<Intent>().ok_or_else(|| {
            // The value came from the program's last statement (or a `return`).
            let at = program.ast.statements().last().map(|s| s.position());
            let (line, column) = place(at.unwrap_or(Position::NONE));
            format!(
                "{line}:{column}: a program ends with an action such as move(1, 0) or wait(), \
                 not {} {}",
                article(result.type_name()),
                result.type_name()
            )
        })?
    };
    let memory = match scope.get_value::<Map>("memory") {
        Some(map) => from_dynamic_map(&map)?,
        None => return Err("memory must stay a map, such as #{ seen: 3 }".into()),
    };
    check_memory(&memory)?;
    let said = scope.get_value::<Me>("me").and_then(|me| me.said);
    Ok(Decision {
        intent,
        memory,
        said,
    })
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A fault in words a player can act on, placed at `line:column`. Rhai's own words name its
/// internals ("Indexer unavailable: () [i64]"); for the faults players meet most, the words
/// name the expression in their program instead, read back from the source at that place.
fn fault(error: &EvalAltResult, source: &str) -> String {
    // A fault inside a function the program defined is placed where it happened, and says
    // which call it was in.
    if let EvalAltResult::ErrorInFunctionCall(name, _, inner, at) = error {
        let (line, column) = place(*at);
        return format!(
            "{} (in {name}, called at {line}:{column})",
            fault(inner, source)
        );
    }
    let (line, column) = place(error.position());
    let before = || expression_before(source, line, column);
    let what = match error {
        EvalAltResult::ErrorTooManyOperations(..) => {
            format!("ran past its budget of {MAX_OPERATIONS} operations a tick")
        }
        EvalAltResult::ErrorStackOverflow(..) => {
            format!("called functions more than {MAX_CALL_LEVELS} deep")
        }
        EvalAltResult::ErrorDataTooLarge(what, ..) => format!(
            "{what}: strings hold at most {MAX_STRING} bytes, arrays {MAX_ARRAY} items, \
             maps {MAX_MAP} keys"
        ),
        EvalAltResult::ErrorIndexingType(what, ..) => {
            let kind = what.trim_start_matches("Indexer unavailable: ");
            let kind = kind.split(" [").next().unwrap_or(kind);
            match (before(), kind) {
                (Some(name), "()") => {
                    format!("{name} is not set (it is ()), so it cannot be indexed")
                }
                (Some(name), kind) => format!(
                    "{name} is {} {kind}, which cannot be indexed",
                    article(kind)
                ),
                (None, kind) => format!("{} {kind} cannot be indexed", article(kind)),
            }
        }
        EvalAltResult::ErrorFunctionNotFound(signature, ..) => {
            not_found(signature, source, line, column)
        }
        EvalAltResult::ErrorPropertyNotFound(name, ..) => format!("there is no {name}"),
        EvalAltResult::ErrorVariableNotFound(name, ..) => {
            format!("{name} is not defined here: `let {name} = ...` first")
        }
        EvalAltResult::ErrorDotExpr(text, ..) => property_fault(text, before()),
        EvalAltResult::ErrorRuntime(value, ..) => format!("the program threw: {value}"),
        other => {
            // Rhai appends the place in parentheses; ours goes first.
            let text = other.to_string();
            match text.rfind(" (line ") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    };
    format!("{line}:{column}: {what}")
}

/// "Function not found: + ((), i64)" or "Function not found: sleep (i64)", in a player's words.
fn not_found(signature: &str, source: &str, line: usize, column: usize) -> String {
    let (name, types) = signature
        .trim_start_matches("Function not found: ")
        .split_once(" (")
        .map_or((signature, ""), |(name, rest)| {
            (name, rest.trim_end_matches(')'))
        });
    let operator = !name.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    if operator {
        if types.split(", ").next() == Some("()")
            && let Some(left) = expression_before(source, line, column)
        {
            return format!("{left} is not set (it is ()), so {name} cannot use it");
        }
        if types.contains("()") {
            return format!("{name} cannot use () (a value not set), as in {name} ({types})");
        }
        return format!("{name} does not work on ({types})");
    }
    format!("there is no function {name}({types}): docs/robots.md lists what a program can call")
}

/// "Unknown property 'foo' - a getter is not registered for type 'Robot'" and the like.
fn property_fault(text: &str, expression: Option<String>) -> String {
    let quoted = |text: &str| text.split('\'').nth(1).map(str::to_owned);
    let property = quoted(text).unwrap_or_default();
    let on = text
        .rsplit("type '")
        .next()
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or("");
    let setting = text.starts_with("No writable property");
    match (on, expression) {
        ("()", Some(name)) if setting => {
            format!("{name} is not set (it is ()), so it has no .{property} to set")
        }
        ("()", Some(name)) => format!("{name} is not set (it is ()), so it has no .{property}"),
        ("Robot", _) => format!("me has no .{property}: docs/robots.md lists what a robot has"),
        ("World", _) => format!("world has no .{property}: docs/robots.md lists what it has"),
        (kind, _) => format!("{} {kind} has no .{property}", article(kind)),
    }
}

/// The expression that ends just before `line:column` of `source` (a variable, a property
/// chain such as `memory.ice`), if there is one.
fn expression_before(source: &str, line: usize, column: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let chars: Vec<char> = text.chars().take(column.saturating_sub(1)).collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let start = chars[..end]
        .iter()
        .rposition(|c| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |i| i + 1);
    let expression: String = chars[start..end].iter().collect();
    let trimmed = expression.trim_matches('.');
    (!trimmed.is_empty() && !trimmed.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| trimmed.to_owned())
}

fn to_dynamic(value: &Value) -> Dynamic {
    match value {
        Value::Unit(()) => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Int(n) => (*n).into(),
        Value::Text(s) => s.clone().into(),
        Value::List(items) => items.iter().map(to_dynamic).collect::<Vec<_>>().into(),
        Value::Map(map) => to_dynamic_map(map).into(),
    }
}

fn to_dynamic_map(memory: &BTreeMap<String, Value>) -> Map {
    memory
        .iter()
        .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
        .collect()
}

/// Checks what a robot would keep against memory's limits: its size as JSON, and how deep its
/// arrays and maps nest, so that every event carrying it reads back (a JSON reader refuses
/// values nested past its own limit).
pub fn check_memory(memory: &Memory) -> Result<(), String> {
    let depth = 1 + memory.values().map(Value::depth).max().unwrap_or(0);
    if depth > MAX_NESTING {
        return Err(format!(
            "memory nests arrays and maps {depth} deep; a robot keeps at most {MAX_NESTING}"
        ));
    }
    let bytes = serde_json::to_string(memory).map_or(usize::MAX, |s| s.len());
    if bytes > MAX_MEMORY_BYTES {
        return Err(format!(
            "memory holds {bytes} bytes; a robot keeps at most {MAX_MEMORY_BYTES}"
        ));
    }
    Ok(())
}

fn from_dynamic(value: &Dynamic) -> Result<Value, String> {
    if value.is_unit() {
        return Ok(Value::Unit(()));
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(n) = value.as_int() {
        return Ok(Value::Int(n));
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        return Ok(Value::Text(s.to_string()));
    }
    if let Some(items) = value.read_lock::<rhai::Array>() {
        return items
            .iter()
            .map(from_dynamic)
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    if let Some(map) = value.read_lock::<Map>() {
        return from_dynamic_map(&map).map(Value::Map);
    }
    Err(format!(
        "memory keeps numbers, text, true and false, arrays and maps, not {} {}",
        article(value.type_name()),
        value.type_name()
    ))
}

fn from_dynamic_map(map: &Map) -> Result<BTreeMap<String, Value>, String> {
    map.iter()
        .map(|(k, v)| Ok((k.to_string(), from_dynamic(v)?)))
        .collect()
}

fn point((x, y): (i64, i64)) -> Dynamic {
    let mut map = Map::new();
    map.insert("x".into(), x.into());
    map.insert("y".into(), y.into());
    map.into()
}

fn seen(s: Seen) -> Dynamic {
    let mut map = Map::new();
    map.insert("id".into(), s.id.into());
    map.insert("kind".into(), s.kind.into());
    map.insert("x".into(), s.x.into());
    map.insert("y".into(), s.y.into());
    map.insert("site".into(), s.site.into());
    map.insert("supplied".into(), s.supplied.into());
    map.insert("work_left".into(), s.work_left.into());
    map.into()
}

/// One step toward (x, y): along the axis with further to go, east-west on a tie.
fn toward(me: &Me, x: i64, y: i64) -> Intent {
    let (dx, dy) = (x - me.x, y - me.y);
    match (dx, dy) {
        (0, 0) => Intent::Wait,
        _ if dx.abs() >= dy.abs() => Intent::Move {
            dx: dx.signum(),
            dy: 0,
        },
        _ => Intent::Move {
            dx: 0,
            dy: dy.signum(),
        },
    }
}

rhai::def_package! {
    /// What a program may call besides the robot's own functions: Rhai's standard library
    /// without its language core, which can block the thread (`sleep`), end the script from
    /// outside the budget (`exit`) or parse JSON into values nested past what a save can hold
    /// (`parse_json`), and without blobs and time. `builtins.txt` beside this file lists every
    /// function the engine registers; a test holds the engine to it, so an upgrade of Rhai that
    /// adds one fails until someone has read it.
    Builtins(lib):
        ArithmeticPackage,
        BasicStringPackage,
        BasicIteratorPackage,
        BasicFnPackage,
        BitFieldPackage,
        LogicPackage,
        BasicMathPackage,
        BasicArrayPackage,
        BasicMapPackage,
        MoreStringPackage
    {}
}

/// The one sandboxed interpreter, built once from the constants above: the same in every
/// process, so it is as much a constant as they are.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // Rhai seeds its function-lookup hashes randomly per process unless told otherwise;
        // fixing the seed keeps even its internals the same between processes. An error only
        // says a seed was already set.
        let _ = rhai::config::hashing::set_hashing_seed(Some([0x4c55_4e41, 1, 2, 3]));
        let mut engine = Engine::new_raw();
        engine.register_global_module(Builtins::new().as_shared_module());
        engine.disable_symbol("eval");
        engine.set_max_operations(MAX_OPERATIONS);
        engine.set_max_string_size(MAX_STRING);
        engine.set_max_array_size(MAX_ARRAY);
        engine.set_max_map_size(MAX_MAP);
        engine.set_max_call_levels(MAX_CALL_LEVELS);
        engine.set_max_expr_depths(64, 32);
        engine.set_max_variables(256);
        engine.set_max_functions(64);
        engine.set_optimization_level(rhai::OptimizationLevel::Simple);
        register_robot(&mut engine);
        register_world(&mut engine);
        register_actions(&mut engine);
        engine
    })
}

fn register_robot(engine: &mut Engine) {
    engine
        .register_type_with_name::<Me>("Robot")
        .register_get("id", |me: &mut Me| ImmutableString::from(me.id.as_str()))
        .register_get("x", |me: &mut Me| me.x)
        .register_get("y", |me: &mut Me| me.y)
        .register_get("battery", |me: &mut Me| me.battery)
        .register_get("capacity", |me: &mut Me| me.capacity)
        .register_get("cargo", |me: &mut Me| {
            ImmutableString::from(me.cargo.map_or("", |(r, _)| r.name()))
        })
        .register_get("load", |me: &mut Me| me.cargo.map_or(0, |(_, n)| n))
        .register_get("full", |me: &mut Me| {
            me.cargo.is_some_and(|(_, n)| n >= me.cargo_capacity)
        })
        .register_fn("say", |me: &mut Me, text: ImmutableString| {
            me.said = Some(text.chars().take(MAX_SAY_CHARS).collect());
        })
        .register_fn("next_to", |me: &mut Me, x: i64, y: i64| {
            let (dx, dy) = ((x - me.x).abs(), (y - me.y).abs());
            dx.max(dy) == 1
        });
}

fn register_world(engine: &mut Engine) {
    engine
        .register_type_with_name::<Sensors>("World")
        // The nearest store (a headquarters): where cargo is delivered, wherever it is.
        .register_get("home", |s: &mut Sensors| {
            s.world
                .nearest("store", s.x, s.y, s.radius)
                .map_or(Dynamic::UNIT, point)
        })
        .register_get("radius", |s: &mut Sensors| s.radius)
        .register_get("power", |s: &mut Sensors| s.world.power())
        .register_fn("store", |s: &mut Sensors, name: ImmutableString| {
            Resource::parse(name.as_str()).map_or(0, |r| s.world.store(r))
        })
        .register_fn("ground", |s: &mut Sensors, x: i64, y: i64| {
            let ground = s.sees(x, y).then(|| s.world.ground(x, y)).flatten();
            ImmutableString::from(ground.unwrap_or(""))
        })
        .register_fn("deposit", |s: &mut Sensors, x: i64, y: i64| {
            if s.sees(x, y) {
                s.world.deposit(x, y)
            } else {
                0
            }
        })
        .register_fn("pile", |s: &mut Sensors, x: i64, y: i64| {
            match s.sees(x, y).then(|| s.world.pile(x, y)).flatten() {
                Some((resource, amount)) => {
                    let mut map = Map::new();
                    map.insert("resource".into(), resource.name().into());
                    map.insert("amount".into(), amount.into());
                    Dynamic::from(map)
                }
                None => Dynamic::UNIT,
            }
        })
        .register_fn("robot_at", |s: &mut Sensors, x: i64, y: i64| {
            s.sees(x, y)
                .then(|| s.world.robot_at(x, y))
                .flatten()
                .map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_fn("building_at", |s: &mut Sensors, x: i64, y: i64| {
            s.sees(x, y)
                .then(|| s.world.building_at(x, y))
                .flatten()
                .map_or(Dynamic::UNIT, seen)
        })
        .register_fn("step_toward", |s: &mut Sensors, x: i64, y: i64| {
            match s.world.step_toward((s.x, s.y), (x, y)) {
                Some((dx, dy)) => Intent::Move { dx, dy },
                None => Intent::Wait,
            }
        })
        .register_fn("step_away", |s: &mut Sensors, x: i64, y: i64| {
            match s.world.step_away((s.x, s.y), (x, y)) {
                Some((dx, dy)) => Intent::Move { dx, dy },
                None => Intent::Wait,
            }
        })
        .register_fn("nearest", |s: &mut Sensors, what: ImmutableString| {
            s.world
                .nearest(what.as_str(), s.x, s.y, s.radius)
                .map_or(Dynamic::UNIT, point)
        })
        .register_fn("sites", |s: &mut Sensors| {
            s.world
                .sites(s.x, s.y)
                .into_iter()
                .map(seen)
                .collect::<rhai::Array>()
        })
        .register_fn("robots", |s: &mut Sensors| {
            s.world
                .robots(s.x, s.y, s.radius)
                .into_iter()
                .map(|(id, x, y)| {
                    let mut map = Map::new();
                    map.insert("id".into(), id.into());
                    map.insert("x".into(), x.into());
                    map.insert("y".into(), y.into());
                    Dynamic::from(map)
                })
                .collect::<rhai::Array>()
        });
}

fn register_actions(engine: &mut Engine) {
    engine
        .register_type_with_name::<Intent>("Action")
        .register_fn("move", |dx: i64, dy: i64| Intent::Move { dx, dy })
        .register_fn("move_toward", |me: &mut Me, x: i64, y: i64| {
            toward(me, x, y)
        })
        .register_fn("mine", || Intent::Mine)
        .register_fn("pick_up", || Intent::PickUp { resource: None })
        .register_fn(
            "pick_up",
            |name: ImmutableString| -> Result<Intent, Box<EvalAltResult>> {
                match Resource::parse(name.as_str()) {
                    Some(resource) => Ok(Intent::PickUp {
                        resource: Some(resource),
                    }),
                    None => Err(format!(
                        "there is no resource {name:?}; there are regolith, ice, water and oxygen"
                    )
                    .into()),
                }
            },
        )
        .register_fn("drop", || Intent::Drop)
        .register_fn("work", |x: i64, y: i64| Intent::Work { x, y })
        .register_fn("charge", || Intent::Charge)
        .register_fn("wait", || Intent::Wait)
        .register_fn("distance", |x1: i64, y1: i64, x2: i64, y2: i64| {
            (x1 - x2).abs() + (y1 - y2).abs()
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A world of regolith where whatever is searched for is at (3, 4).
    struct Empty;

    impl Surroundings for Empty {
        fn ground(&self, _: i64, _: i64) -> Option<&'static str> {
            Some("regolith")
        }
        fn deposit(&self, _: i64, _: i64) -> i64 {
            5
        }
        fn pile(&self, _: i64, _: i64) -> Option<(Resource, i64)> {
            None
        }
        fn robot_at(&self, _: i64, _: i64) -> Option<String> {
            None
        }
        fn building_at(&self, _: i64, _: i64) -> Option<Seen> {
            None
        }
        fn nearest(&self, _: &str, _: i64, _: i64, _: i64) -> Option<(i64, i64)> {
            Some((3, 4))
        }
        fn sites(&self, _: i64, _: i64) -> Vec<Seen> {
            Vec::new()
        }
        fn robots(&self, _: i64, _: i64, _: i64) -> Vec<(String, i64, i64)> {
            Vec::new()
        }
        fn power(&self) -> i64 {
            60
        }
        fn store(&self, _: Resource) -> i64 {
            12
        }
        fn step_toward(&self, _: (i64, i64), _: (i64, i64)) -> Option<(i64, i64)> {
            Some((-1, 0))
        }
        fn step_away(&self, _: (i64, i64), _: (i64, i64)) -> Option<(i64, i64)> {
            Some((1, 0))
        }
    }

    fn decide(source: &str) -> Result<Decision, String> {
        decide_with(source, &Memory::new())
    }

    fn decide_with(source: &str, memory: &Memory) -> Result<Decision, String> {
        let program = compile(source).map_err(|e| format!("syntax: {e}"))?;
        let mut me = Me::new("r1", 1, 1);
        me.battery = 50;
        me.capacity = 100;
        me.cargo_capacity = 10;
        run(
            &program,
            Inputs {
                me,
                tick: 7,
                day: true,
                memory,
                sensors: Sensors {
                    x: 1,
                    y: 1,
                    radius: 5,
                    world: Arc::new(Empty),
                },
            },
        )
    }

    #[test]
    fn the_last_value_is_the_action() {
        assert_eq!(
            decide("move(1, 0)").unwrap().intent,
            Intent::Move { dx: 1, dy: 0 }
        );
        assert_eq!(decide("mine()").unwrap().intent, Intent::Mine);
        assert_eq!(decide("").unwrap().intent, Intent::Wait);
        assert_eq!(
            decide("let p = world.nearest(\"ice\"); me.move_toward(p.x, p.y)")
                .unwrap()
                .intent,
            Intent::Move { dx: 0, dy: 1 }
        );
        assert_eq!(
            decide("if tick == 7 && day && me.battery == 50 { pick_up(\"ice\") } else { wait() }")
                .unwrap()
                .intent,
            Intent::PickUp {
                resource: Some(Resource::Ice)
            }
        );
    }

    #[test]
    fn memory_persists_and_what_is_said_is_kept() {
        let first = decide("memory.trips = 1; me.say(\"off I go\"); wait()").unwrap();
        assert_eq!(first.said.as_deref(), Some("off I go"));
        let second = decide_with("memory.trips += 1; wait()", &first.memory).unwrap();
        assert_eq!(second.memory["trips"], Value::Int(2));
        assert_eq!(second.said, None);
    }

    #[test]
    fn a_program_is_named_by_its_first_comment_line() {
        assert_eq!(
            name_of("// Builder: works on sites\nwait()").as_deref(),
            Some("builder")
        );
        assert_eq!(
            name_of("/// Ice runner. Wins\n").as_deref(),
            Some("ice runner")
        );
        assert_eq!(name_of("wait() // no\n"), None);
        assert_eq!(name_of("//   \n"), None);
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let err = compile("let x = 1;\nlet y = x +;\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 12), "{err}");
    }

    #[test]
    fn hostile_programs_fault_at_the_same_place_every_time() {
        for (source, expected) in [
            ("loop {}", "budget of 20000 operations"),
            (
                "let s = \"ab\"; loop { s += s; }",
                "strings hold at most 256 bytes",
            ),
            ("fn f(n) { f(n + 1) } f(0)", "more than 16 deep"),
            (
                "let a = []; loop { a += [1, 2, 3, 4, 5, 6, 7, 8]; }",
                "arrays 256 items",
            ),
            // Growing a map key by key is stopped by the budget before it is large.
            (
                "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
                "budget of 20000",
            ),
            ("9223372036854775807 + 1", "Addition overflow"),
            ("1 / 0", "Division by zero"),
            ("eval(\"1\")", "eval"),
            ("42", "not an i64"),
            ("memory = 3; wait()", "memory must stay a map"),
            ("memory.me = me; wait()", "memory keeps numbers"),
            (
                "let s = \"\"; for i in 0..40 { s += \"0123456789\"; } memory.s = s; wait()",
                "strings hold",
            ),
        ] {
            let first = decide(source);
            let again = decide(source);
            let err = first.clone().unwrap_err();
            assert!(err.contains(expected), "{source}: {err}");
            assert_eq!(first, again, "{source}");
        }
    }

    #[test]
    fn memory_nested_past_its_limit_faults_the_robot() {
        let source = "let a = 0; for i in 0..126 { a = [a]; } memory.d = a; wait()";
        let err = decide(source).unwrap_err();
        assert!(err.contains("a robot keeps at most 16"), "{err}");
        let deepest = "let a = 0; for i in 0..15 { a = [a]; } memory.d = a; wait()";
        let kept = decide(deepest).unwrap();
        let json = serde_json::to_string(&kept.memory).unwrap();
        assert_eq!(serde_json::from_str::<Memory>(&json).unwrap(), kept.memory);
    }

    #[test]
    fn common_faults_name_the_expression_they_happened_at() {
        for (source, expected) in [
            (
                "let x = memory.ice[0]; wait()",
                "1:19: memory.ice is not set (it is ()), so it cannot be indexed",
            ),
            (
                "memory.trips += 1; wait()",
                "1:14: memory.trips is not set (it is ()), so + cannot use it",
            ),
            ("me.foo", "1:4: me has no .foo"),
            ("zz + 1", "1:1: zz is not defined here"),
            ("\nlet a = 1;\n  42", "3:3: a program ends with an action"),
            (
                "fn f(a) { a[0] } f(()); wait()",
                "1:12: a is not set (it is ()), so it cannot be indexed (in f, called at 1:18)",
            ),
            ("throw \"bad\";", "1:1: the program threw: bad"),
            ("sleep(3)", "1:1: there is no function sleep(i64)"),
            (
                "memory.x.y = 1; wait()",
                "memory.x is not set (it is ()), so it has no .y to set",
            ),
        ] {
            let err = decide(source).unwrap_err();
            assert!(
                err.starts_with(expected) || err.contains(expected),
                "{source}: {err}"
            );
        }
    }

    #[test]
    fn memory_is_bounded() {
        let source =
            "for i in 0..60 { memory[`key${i}`] = \"0123456789012345678901234567890\"; } wait()";
        let err = decide(source).unwrap_err();
        assert!(err.contains("a robot keeps at most 2048"), "{err}");
    }

    #[test]
    fn the_engine_registers_only_the_functions_on_the_allow_list() {
        let allowed: std::collections::BTreeSet<&str> = include_str!("builtins.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let registered: std::collections::BTreeSet<String> =
            engine().gen_fn_signatures(true).into_iter().collect();
        let added: Vec<&String> = registered
            .iter()
            .filter(|s| !allowed.contains(s.as_str()))
            .collect();
        let gone: Vec<&&str> = allowed
            .iter()
            .filter(|s| !registered.contains(**s))
            .collect();
        assert!(
            added.is_empty() && gone.is_empty(),
            "functions not on the allow-list: {added:#?}\nlisted but not registered: {gone:#?}"
        );
    }

    #[test]
    fn nothing_a_program_calls_can_block_or_reach_outside() {
        for source in [
            "sleep(1000000); wait()",
            "exit(); wait()",
            "parse_json(\"[1]\"); wait()",
            "timestamp(); wait()",
            "blob(10); wait()",
            "print(\"x\"); debug(\"y\"); wait()",
        ] {
            let result = decide(source);
            if source.starts_with("print") {
                assert!(result.is_ok(), "{source}: {result:?}");
            } else {
                let err = result.unwrap_err();
                assert!(err.contains("there is no function"), "{source}: {err}");
            }
        }
    }

    #[test]
    fn sensors_see_only_their_radius() {
        let d = decide("memory.near = world.ground(6, 6); memory.far = world.ground(7, 7); wait()")
            .unwrap();
        assert_eq!(d.memory["near"], Value::Text("regolith".into()));
        assert_eq!(d.memory["far"], Value::Text(String::new()));
    }
}
