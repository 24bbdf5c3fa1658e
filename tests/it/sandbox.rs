//! What a hostile robot program, program file or save can do to the game: nothing that hangs
//! it, loses a save or prints what is not JSON where JSON was asked for.

use std::path::Path;

use lunar::domain::event::Event;

use lunar::domain::ids::RobotId;
use lunar::domain::program::limits::{MAX_MEMORY_BYTES, MAX_NESTING};
use lunar::domain::program::memory::{Memory, Value, check_memory};
use lunar::domain::robot::events::{RobotFaulted, RobotSaid, RobotWaited};
use lunar::engine::envelope::{Metadata, RecordedEvent, Source, event_id};
use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, EventStore};
use proptest::prelude::*;

use crate::support::lunar;

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A robot game whose robot r1 runs `source` for `ticks` ticks, saved.
fn robot_save(source: &str, ticks: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.rhai"), source).unwrap();
    let script = dir.path().join("game.scenario");
    std::fs::write(
        &script,
        format!("game start mission=t1-groundbreaking\nprogram r1 file=p.rhai\ntick {ticks}\n"),
    )
    .unwrap();
    let save = dir.path().join("game.lunar");
    let (code, out, err) = lunar(&["script", "run", arg(&script), "--save", arg(&save)]);
    assert_eq!(code, 0, "{out}{err}");
    (dir, save)
}

#[test]
fn a_program_that_sleeps_faults_its_robot_and_the_game_goes_on() {
    let (_dir, save) = robot_save("sleep(1000000); wait()", 3);
    let (code, out, err) = lunar(&["state", arg(&save), "--json"]);
    assert_eq!(code, 0, "{err}");
    let state: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r1 = &state["robots"][0];
    assert_eq!(r1["status"], "faulted", "{out}");
    assert!(
        r1["fault"]
            .as_str()
            .unwrap()
            .contains("there is no function sleep"),
        "{out}"
    );
    assert_eq!(state["tick"], 3);
}

#[test]
fn memory_nested_too_deep_faults_the_robot_and_the_save_stays_whole() {
    let (_dir, save) = robot_save(
        "let a = 0; for i in 0..126 { a = [a]; } memory.d = a; wait()",
        3,
    );
    for command in [&["verify"][..], &["events", "--json"], &["state", "--json"]] {
        let mut args = command.to_vec();
        args.insert(1, arg(&save));
        let (code, out, err) = lunar(&args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let (_, out, _) = lunar(&["state", arg(&save), "--json"]);
    assert!(out.contains("nests arrays and maps"), "{out}");
}

#[test]
fn a_program_file_that_is_no_regular_file_or_too_large_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.rhai");
    std::fs::write(&big, "// ".repeat(20_000)).unwrap();
    let mut refused = vec!["/dev/zero".to_owned(), arg(&big).to_owned()];
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.rhai");
        let name = std::ffi::CString::new(arg(&fifo)).unwrap();
        // SAFETY: a valid, NUL-terminated path and a mode.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        refused.push(arg(&fifo).to_owned());
    }
    for file in refused {
        let script = dir.path().join("s.scenario");
        std::fs::write(
            &script,
            format!("game start mission=t1-groundbreaking\nprogram r1 file={file}\n"),
        )
        .unwrap();
        let (code, out, err) = lunar(&["script", "run", arg(&script)]);
        assert_eq!(code, 2, "{file}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("not a regular file") || err.contains("at most 32768 bytes"),
            "{file}: {err}"
        );
        assert!(err.contains("s.scenario:2:"), "{err}");
    }
}

/// Every line of `text` is JSON, and no character of it is a control character a terminal acts
/// on (the line breaks between objects aside).
fn json_lines_hold(text: &str) {
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
}

#[test]
fn c1_controls_and_del_come_out_of_json_as_json_escapes() {
    let (_dir, save) = robot_save(
        "// caf\u{85} and \u{7f}\nme.say(\"caf\u{85}\u{9b}31m\"); memory.m = \"\u{7f}\"; \
         if tick == 2 { throw \"bad \u{85}\" } wait()",
        3,
    );
    let (code, out, err) = lunar(&["events", arg(&save), "--json"]);
    assert_eq!(code, 0, "{err}");
    json_lines_hold(&out);
    assert!(out.contains("caf\\u0085\\u009b31m"), "{out}");
    let (code, out, _) = lunar(&["events", arg(&save), "--format", "cloudevents"]);
    assert_eq!(code, 0);
    json_lines_hold(&out);
    let (code, out, _) = lunar(&["state", arg(&save), "--json"]);
    assert_eq!(code, 0);
    let state: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        state["robots"][0]["fault"]
            .as_str()
            .unwrap()
            .contains("bad \u{85}")
    );
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    // Text keeps escaping for the terminal.
    let (_, text, _) = lunar(&["events", arg(&save)]);
    assert!(text.contains("caf\\u{85}"), "{text}");
}

/// Any value a program could try to keep: text of any characters, numbers at the ends of their
/// range, and arrays and maps nested as deep as 40.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Unit(())),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        "\\PC{0,6}|[\\x00-\\x1f\\x7f-\\u{9f}\"\\\\]{0,6}".prop_map(Value::Text),
    ];
    leaf.prop_recursive(40, 80, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::List),
            prop::collection::btree_map("[a-z\\u{85}]{0,4}", inner, 0..3).prop_map(Value::Map),
        ]
    })
}

fn recorded(seq: u64, event: Event) -> RecordedEvent {
    let game = lunar::domain::ids::GameId(uuid::Uuid::nil());
    RecordedEvent {
        seq,
        id: event_id(game, seq),
        stream: event.stream(),
        version: seq,
        metadata: Metadata {
            causation_id: None,
            correlation_id: event_id(game, seq),
            source: Source::ProcessManager,
            command: "act".into(),
            recorded_at_ms: None,
        },
        event,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The law: whatever memory, line or fault the engine lets a robot record reads back from
    /// a save exactly as it was written, in both codecs.
    #[test]
    fn every_event_the_engine_can_append_reads_back_equal(
        memory in prop::collection::btree_map("[a-z]{1,3}", value(), 0..3),
        said in "\\PC{0,80}|[\\x00-\\x1f\\x7f-\\u{9f}]{0,80}",
        fault in "\\PC{0,40}",
    ) {
        let memory: Memory = memory;
        let kept = check_memory(&memory).is_ok();
        prop_assert_eq!(kept, memory.values().map(Value::depth).max().unwrap_or(0) < MAX_NESTING
            && serde_json::to_string(&memory).unwrap().len() <= MAX_MEMORY_BYTES);
        let robot_id = RobotId::parse("r1").unwrap();
        let mut events = vec![
            Event::RobotSaid(RobotSaid { robot_id: robot_id.clone(), text: said, tick: 1 }),
            Event::RobotFaulted(RobotFaulted { robot_id: robot_id.clone(), message: fault, tick: 1 }),
        ];
        if kept {
            events.push(Event::RobotWaited(RobotWaited {
                robot_id, reason: None, memory: Some(memory), tick: 1,
            }));
        }
        for event in &events {
            let object = Event::decode(event.type_name(), &event.encode_data());
            prop_assert_eq!(object.as_ref(), Ok(event));
            let compact = event.encode_compact(&event.stream());
            let back = Event::decode_compact(event.type_name(), "r1", 1, compact.as_bytes());
            prop_assert_eq!(back.as_ref(), Ok(event));
        }
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::create(&dir.path().join("s.lunar")).unwrap();
        let rows: Vec<RecordedEvent> = events
            .into_iter()
            .enumerate()
            .map(|(i, e)| recorded(i as u64 + 1, e))
            .collect();
        store.append(&rows).unwrap();
        prop_assert_eq!(store.read_all().unwrap(), rows);
    }
}

#[test]
fn a_tick_index_that_contradicts_its_rows_is_refused_and_named() {
    let (dir, save) = robot_save("wait()", 30);
    let edit = |sql: &str| {
        let copy = dir.path().join(format!("edited-{}.lunar", sql.len()));
        std::fs::copy(&save, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        copy
    };
    let shifted = edit("UPDATE ticks SET first_seq = first_seq + 1 WHERE tick >= 10");
    for args in [
        vec!["state", arg(&shifted), "--at-tick", "20"],
        vec![
            "events",
            arg(&shifted),
            "--from-tick",
            "20",
            "--to-tick",
            "20",
        ],
    ] {
        let (code, out, err) = lunar(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("the tick index is damaged"), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    let branch = dir.path().join("branch.lunar");
    let (code, _, err) = lunar(&["branch", arg(&shifted), "--at-tick", "20", arg(&branch)]);
    assert_eq!(code, 2, "{err}");
    assert!(!branch.exists());
    let (code, out, _) = lunar(&["verify", arg(&shifted)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL  the tick index agrees with the rows"),
        "{out}"
    );
    assert!(out.contains("tick 10 begins at event"), "{out}");

    let far = edit("INSERT INTO ticks (tick, first_seq) VALUES (1000000000000, 5)");
    match SqliteStore::open(&far) {
        Err(e) => assert!(e.to_string().contains("the tick index is damaged"), "{e}"),
        Ok(_) => panic!("a save whose index runs past its log opened to be played on"),
    }
    let (code, out, _) = lunar(&["verify", arg(&far)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tick 1000000000000"), "{out}");
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 0, "{out}");
}
