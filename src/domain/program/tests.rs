//! Programs decide, remember, fault and stay within their sandbox.

use std::sync::Arc;

use crate::domain::program::api::{Intent, Me, Seen, Sensors, Surroundings};
use crate::domain::program::limits::MAX_SAYS;
use crate::domain::program::memory::{Memory, Value};
use crate::domain::program::sandbox::engine;
use crate::domain::program::{Decision, Inputs, compile, name_of, run};
use crate::domain::resources::Resource;
use crate::domain::ruleset::{Daylight, RULESET};

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
    fn buildings(&self, _: i64, _: i64) -> Vec<Seen> {
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
    decide_in(source, memory, RULESET, &[])
}

/// Runs `source` once for r1 in a game of ruleset `ruleset`, with `inbox` in its inbox.
fn decide_in(
    source: &str,
    memory: &Memory,
    ruleset: u32,
    inbox: &[(String, Value)],
) -> Result<Decision, String> {
    let program = compile(source).map_err(|e| format!("syntax: {e}"))?;
    let mut me = Me::new("r1", 1, 1);
    me.battery = 50;
    me.capacity = 100;
    me.cargo_capacity = 10;
    me.ruleset = ruleset;
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
                light: Daylight {
                    day: true,
                    until_change: 10,
                },
                ruleset,
                world: Arc::new(Empty),
                reads: None,
            },
            inbox,
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
    assert_eq!(first.said, ["off I go"]);
    let second = decide_with("memory.trips += 1; wait()", &first.memory).unwrap();
    assert_eq!(second.memory["trips"], Value::Int(2));
    assert!(second.said.is_empty());
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
    // Ruleset 1's limits, and its faults in Rhai's words.
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
        let first = decide_in(source, &Memory::new(), 1, &[]);
        let again = decide_in(source, &Memory::new(), 1, &[]);
        let err = first.clone().unwrap_err();
        assert!(err.contains(expected), "{source}: {err}");
        assert_eq!(first, again, "{source}");
    }
    // From ruleset 2 sizes are counted over all a value holds, and the words say so.
    for (source, expected) in [
        ("loop {}", "budget of 20000 operations"),
        ("let s = \"ab\"; loop { s += s; }", "16384 bytes of text"),
        (
            "let a = []; loop { a += [1, 2, 3, 4, 5, 6, 7, 8]; }",
            "1024 array items",
        ),
        ("fn f(n) { f(n + 1) } f(0)", "more than 16 deep"),
    ] {
        let first = decide(source);
        let err = first.clone().unwrap_err();
        assert!(err.contains(expected), "{source}: {err}");
        assert_eq!(first, decide(source), "{source}");
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

#[test]
fn a_program_says_up_to_eight_lines_a_tick_and_ruleset_1_kept_the_last() {
    let source = "for n in 0..10 { me.say(`line ${n}`) } wait()";
    let now = decide(source).unwrap();
    assert_eq!(now.said.len(), MAX_SAYS);
    assert_eq!(now.said[0], "line 0");
    let then = decide_in(source, &Memory::new(), 1, &[]).unwrap();
    assert_eq!(then.said, ["line 9"]);
}

#[test]
fn messages_go_out_checked_and_come_in_through_the_inbox() {
    let sent = decide("me.send(\"r2\", #{ x: 3 }); me.broadcast(7); wait()").unwrap();
    let mut map = std::collections::BTreeMap::new();
    map.insert("x".to_owned(), Value::Int(3));
    assert_eq!(
        sent.sent,
        [
            (Some("r2".to_owned()), Value::Map(map)),
            (None, Value::Int(7))
        ]
    );
    let err = decide("for n in 0..9 { me.broadcast(n) } wait()").unwrap_err();
    assert!(err.contains("8"), "{err}");
    let err = decide_in("me.broadcast(1); wait()", &Memory::new(), 1, &[]).unwrap_err();
    assert!(err.contains("ruleset 2"), "{err}");
    let inbox = [("r2".to_owned(), Value::Int(4))];
    let heard = decide_in(
        "memory.heard = inbox[0].from + \":\" + inbox[0].value; wait()",
        &Memory::new(),
        RULESET,
        &inbox,
    )
    .unwrap();
    assert_eq!(heard.memory["heard"], Value::Text("r2:4".into()));
}

#[test]
fn the_world_tells_the_hours_of_light_left() {
    let source = "memory.n = world.night_in; memory.d = world.day_in; wait()";
    let d = decide(source).unwrap();
    assert_eq!(
        (&d.memory["n"], &d.memory["d"]),
        (&Value::Int(10), &Value::Int(0))
    );
}

#[test]
fn plan_names_a_site_to_plant() {
    assert_eq!(
        decide("plan(\"solar\", 4, 5)").unwrap().intent,
        Intent::Plant {
            kind: "solar".into(),
            x: 4,
            y: 5
        }
    );
}
