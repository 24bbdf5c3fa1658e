//! The one sandboxed interpreter: what it lets a program call, and how each value and action
//! a program uses is registered.

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, BitFieldPackage, LogicPackage, MoreStringPackage,
    Package,
};
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Map};
use std::sync::OnceLock;

use crate::domain::program::api::{Intent, Me, Seen, Sensors};
use crate::domain::program::limits::{
    MAX_ARRAY, MAX_ARRAY_2, MAX_CALL_LEVELS, MAX_MAP, MAX_MAP_2, MAX_OPERATIONS, MAX_SAY_CHARS,
    MAX_SAYS, MAX_SENDS, MAX_STRING, MAX_STRING_2,
};
use crate::domain::resources::Resource;
use crate::domain::ruleset::{Daylight, RULESET};

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
    if let Some(post) = s.post {
        map.insert("post".into(), post.into());
    }
    if let Some(busy) = s.busy {
        map.insert("busy".into(), busy.into());
    }
    map.into()
}

/// One step toward (x, y): along the axis with further to go, east-west on a tie.
pub(crate) fn toward(me: &Me, x: i64, y: i64) -> Intent {
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

/// The sandboxed interpreter a game of `ruleset` runs its programs in, built once from the
/// constants above: the same in every process, so it is as much a constant as they are. From
/// ruleset 2 the sizes an array or map may reach are counted over everything they hold (Rhai
/// sums nested data), large enough for `world.buildings()` of a big colony; ruleset 1 keeps
/// its own.
pub(crate) fn engine_for(ruleset: u32) -> &'static Engine {
    static FIRST: OnceLock<Engine> = OnceLock::new();
    static SECOND: OnceLock<Engine> = OnceLock::new();
    let slot = if ruleset >= 2 { &SECOND } else { &FIRST };
    slot.get_or_init(|| build_for(ruleset))
}

/// A fresh interpreter for `ruleset`, for [`engine_for`] and for the traced runs that add a
/// debugger to it.
pub(crate) fn build_for(ruleset: u32) -> Engine {
    if ruleset >= 2 {
        build(MAX_STRING_2, MAX_ARRAY_2, MAX_MAP_2)
    } else {
        build(MAX_STRING, MAX_ARRAY, MAX_MAP)
    }
}

/// The interpreter programs are compiled by: what compiles is the same in every ruleset.
pub(crate) fn engine() -> &'static Engine {
    engine_for(RULESET)
}

fn build(max_string: usize, max_array: usize, max_map: usize) -> Engine {
    // Rhai seeds its function-lookup hashes randomly per process unless told otherwise;
    // fixing the seed keeps even its internals the same between processes. An error only
    // says a seed was already set.
    let _ = rhai::config::hashing::set_hashing_seed(Some([0x4c55_4e41, 1, 2, 3]));
    let mut engine = Engine::new_raw();
    engine.register_global_module(Builtins::new().as_shared_module());
    engine.disable_symbol("eval");
    engine.set_max_operations(MAX_OPERATIONS);
    engine.set_max_string_size(max_string);
    engine.set_max_array_size(max_array);
    engine.set_max_map_size(max_map);
    engine.set_max_call_levels(MAX_CALL_LEVELS);
    engine.set_max_expr_depths(64, 32);
    engine.set_max_variables(256);
    engine.set_max_functions(64);
    engine.set_optimization_level(rhai::OptimizationLevel::Simple);
    register_robot(&mut engine);
    register_world(&mut engine);
    register_actions(&mut engine);
    engine
}

/// An action as a trace shows what a call gave: as the program would write it.
struct Called(Intent);

impl std::fmt::Debug for Called {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.as_call())
    }
}

/// The fault of a program that reaches for what a game's ruleset does not have.
fn not_in(ruleset: u32, what: &str) -> Box<EvalAltResult> {
    format!("{what} came with ruleset 2; this game plays ruleset {ruleset}").into()
}

fn send(me: &mut Me, to: Option<String>, value: Dynamic) -> Result<(), Box<EvalAltResult>> {
    if me.ruleset < 2 {
        return Err(not_in(me.ruleset, "messages"));
    }
    if me.sent.len() >= MAX_SENDS {
        return Err(format!("a robot sends at most {MAX_SENDS} messages a tick").into());
    }
    me.sent.push((to, value));
    Ok(())
}

fn register_robot(engine: &mut Engine) {
    engine
        .register_type_with_name::<Me>("Robot")
        .register_get("id", |me: &mut Me| ImmutableString::from(me.id.as_str()))
        // The number in its id, `7` for r7: robots ordered one after another take turns at
        // jobs by it (`me.number % 3`).
        .register_get("number", |me: &mut Me| -> Result<i64, Box<EvalAltResult>> {
            if me.ruleset < 2 {
                return Err(not_in(me.ruleset, "me.number"));
            }
            let digits: String = me.id.chars().filter(char::is_ascii_digit).collect();
            Ok(me.noted("number", digits.parse().unwrap_or(0)))
        })
        .register_get("x", |me: &mut Me| me.noted("x", me.x))
        .register_get("y", |me: &mut Me| me.noted("y", me.y))
        .register_get("battery", |me: &mut Me| me.noted("battery", me.battery))
        .register_get("capacity", |me: &mut Me| me.noted("capacity", me.capacity))
        .register_get("cargo", |me: &mut Me| {
            let cargo = me.cargo.map_or("", |(r, _)| r.name());
            ImmutableString::from(me.noted("cargo", cargo))
        })
        .register_get("load", |me: &mut Me| {
            me.noted("load", me.cargo.map_or(0, |(_, n)| n))
        })
        .register_get("full", |me: &mut Me| {
            me.noted(
                "full",
                me.cargo.is_some_and(|(_, n)| n >= me.cargo_capacity),
            )
        })
        .register_fn("say", |me: &mut Me, text: ImmutableString| {
            let line: String = text.chars().take(MAX_SAY_CHARS).collect();
            if me.ruleset < 2 {
                // Ruleset 1 kept the last line a tick.
                me.said = vec![line];
            } else if me.said.len() < MAX_SAYS {
                me.said.push(line);
            }
        })
        .register_fn(
            "send",
            |me: &mut Me, to: ImmutableString, value: Dynamic| -> Result<(), Box<EvalAltResult>> {
                send(me, Some(to.to_string()), value)
            },
        )
        .register_fn(
            "broadcast",
            |me: &mut Me, value: Dynamic| -> Result<(), Box<EvalAltResult>> {
                send(me, None, value)
            },
        )
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
            let home = s
                .world
                .nearest("store", s.x, s.y, s.radius)
                .map_or(Dynamic::UNIT, point);
            s.noted(|| "world.home".into(), home)
        })
        .register_get("radius", |s: &mut Sensors| s.radius)
        // Ticks until night falls, by day; 0 by night, or where night never falls (so a
        // program checks `world.night_in > 0` before planning for the dark).
        .register_get("night_in", |s: &mut Sensors| match s.light {
            Daylight {
                day: true,
                until_change,
            } if until_change != u32::MAX => i64::from(until_change),
            _ => 0,
        })
        // Ticks until dawn, by night; 0 by day.
        .register_get("day_in", |s: &mut Sensors| {
            if s.light.day {
                0
            } else {
                i64::from(s.light.until_change)
            }
        })
        .register_get("power", |s: &mut Sensors| {
            let power = s.world.power();
            s.noted(|| "world.power".into(), power)
        })
        .register_fn("store", |s: &mut Sensors, name: ImmutableString| {
            let held = Resource::parse(name.as_str()).map_or(0, |r| s.world.store(r));
            s.noted(|| format!("world.store({name:?})"), held)
        })
        .register_fn("ground", |s: &mut Sensors, x: i64, y: i64| {
            let ground = s.sees(x, y).then(|| s.world.ground(x, y)).flatten();
            s.noted(
                || format!("world.ground({x}, {y})"),
                ImmutableString::from(ground.unwrap_or("")),
            )
        })
        .register_fn("deposit", |s: &mut Sensors, x: i64, y: i64| {
            let left = if s.sees(x, y) {
                s.world.deposit(x, y)
            } else {
                0
            };
            s.noted(|| format!("world.deposit({x}, {y})"), left)
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
            let robot = s
                .sees(x, y)
                .then(|| s.world.robot_at(x, y))
                .flatten()
                .map_or(Dynamic::UNIT, Dynamic::from);
            s.noted(|| format!("world.robot_at({x}, {y})"), robot)
        })
        .register_fn("building_at", |s: &mut Sensors, x: i64, y: i64| {
            let building = s
                .sees(x, y)
                .then(|| s.world.building_at(x, y))
                .flatten()
                .map_or(Dynamic::UNIT, seen);
            s.noted(|| format!("world.building_at({x}, {y})"), building)
        })
        .register_fn("step_toward", |s: &mut Sensors, x: i64, y: i64| {
            let step = match s.world.step_toward((s.x, s.y), (x, y)) {
                Some((dx, dy)) => Intent::Move { dx, dy },
                None => Intent::Wait,
            };
            s.noted(|| format!("world.step_toward({x}, {y})"), Called(step))
                .0
        })
        .register_fn("step_away", |s: &mut Sensors, x: i64, y: i64| {
            let step = match s.world.step_away((s.x, s.y), (x, y)) {
                Some((dx, dy)) => Intent::Move { dx, dy },
                None => Intent::Wait,
            };
            s.noted(|| format!("world.step_away({x}, {y})"), Called(step))
                .0
        })
        .register_fn("nearest", |s: &mut Sensors, what: ImmutableString| {
            let place = s
                .world
                .nearest(what.as_str(), s.x, s.y, s.radius)
                .map_or(Dynamic::UNIT, point);
            s.noted(|| format!("world.nearest({what:?})"), place)
        })
        .register_fn(
            "buildings",
            |s: &mut Sensors| -> Result<rhai::Array, Box<EvalAltResult>> {
                if s.ruleset < 2 {
                    return Err(not_in(1, "world.buildings()"));
                }
                Ok(s.world.buildings(s.x, s.y).into_iter().map(seen).collect())
            },
        )
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
        .register_fn("plan", |kind: ImmutableString, x: i64, y: i64| {
            Intent::Plant {
                kind: kind.to_string(),
                x,
                y,
            }
        })
        .register_fn("distance", |x1: i64, y1: i64, x2: i64, y2: i64| {
            (x1 - x2).abs() + (y1 - y2).abs()
        });
}
