//! Robots across the whole program: the same log from two processes, and `verify` re-running
//! every program to catch an action or a program the log was edited to claim.

use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::support::{lunar, root, save_from, succeeds};

/// Eight ticks of "Groundbreaking" with r1 running the shipped miner (r2 keeps its builder).
const MINING: &str = "game start mission=t1-groundbreaking player=ada
program r1 file=miner
tick 8
";

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `lunar ARGS` in a process of its own: its standard output, which must be a success.
fn run_binary(args: &[&str]) -> String {
    succeeds(
        Command::new(env!("CARGO_BIN_EXE_lunar"))
            .args(args)
            .current_dir(root()),
    )
}

#[test]
fn the_same_script_writes_the_same_log_in_two_processes() {
    // Tranquility Base's solution: 1,200 ticks of four robots running three shipped programs.
    // Each process seeds its own hash maps at random, so any order taken from one would show.
    let dir = tempfile::tempdir().unwrap();
    let script = "assets/missions/tranquility.solution.scenario";
    let logs: Vec<(String, String)> = ["first", "second"]
        .iter()
        .map(|name| {
            let save = dir.path().join(format!("{name}.lunar"));
            run_binary(&["script", "run", script, "--save", arg(&save)]);
            let saves = arg(dir.path());
            let events = run_binary(&["--saves", saves, "events", name, "--json"]);
            let verified = run_binary(&["--saves", saves, "verify", name]);
            let head = verified
                .lines()
                .find(|l| l.trim_start().starts_with("head "))
                .unwrap_or_else(|| panic!("no head hash in {verified}"))
                .to_owned();
            (events, head)
        })
        .collect();
    let robot_events = logs[0]
        .0
        .lines()
        .filter(|l| l.contains("\"stream\":\"robot-"))
        .count();
    assert!(robot_events > 2_500, "{robot_events} robot events");
    assert!(
        logs[0].0 == logs[1].0,
        "the two processes wrote different logs"
    );
    assert_eq!(logs[0].1, logs[1].1);
}

/// Recomputes every row's hash as the store does, as someone forging a save would.
fn rechain(save: &Path) {
    let conn = rusqlite::Connection::open(save).unwrap();
    // Each row's numbers (seq, version, tick) and texts (id, stream, type, data, metadata).
    let rows: Vec<([i64; 3], [String; 5])> = conn
        .prepare(
            "SELECT seq, version, tick, id, stream, type, data, metadata FROM events ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                [r.get(0)?, r.get(1)?, r.get(2)?],
                [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut previous = [0u8; 32];
    for (numbers, texts) in rows {
        let mut h = Sha256::new();
        h.update(previous);
        for n in numbers {
            h.update((n as u64).to_be_bytes());
        }
        for text in &texts {
            h.update((text.len() as u64).to_be_bytes());
            h.update(text.as_bytes());
        }
        previous = h.finalize().into();
        conn.execute(
            "UPDATE events SET hash = ?1 WHERE seq = ?2",
            rusqlite::params![previous.to_vec(), numbers[0]],
        )
        .unwrap();
    }
}

/// Edits a save with `sql`, rechains it, and returns verify's first finding (exit 1 expected).
fn verify_forged(sql: &str) -> String {
    let (_dir, save) = save_from(MINING);
    let conn = rusqlite::Connection::open(&save).unwrap();
    assert_eq!(conn.execute(sql, []).unwrap(), 1, "{sql}");
    drop(conn);
    rechain(&save);
    let (code, out, err) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{sql}\n{out}{err}");
    assert!(
        out.contains("ok    every row continues the hash chain"),
        "a rechained save keeps its chain, so only the rules can catch it: {out}"
    );
    out.lines()
        .find(|l| l.trim_start().starts_with("seq "))
        .unwrap_or_else(|| panic!("no finding in {out}"))
        .to_owned()
}

#[test]
fn verify_names_a_forged_robot_action() {
    let (_dir, save) = save_from(MINING);
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 0, "{out}");

    // r1 claims to have dug five at tick 6 where the rules give it two.
    let finding = verify_forged(
        "UPDATE events SET data = replace(data, '\"amount\":2', '\"amount\":5') \
         WHERE type = 'robot_mined' AND tick = 6",
    );
    assert!(
        finding.contains("the log has robot-r1")
            && finding.contains("robot_mined")
            && finding.contains("\"amount\":5")
            && finding.contains("where the rules produce")
            && finding.contains("\"amount\":2"),
        "{finding}"
    );
}

#[test]
fn verify_names_the_first_action_a_changed_program_does_not_take() {
    // The log is edited to say r1 was given a miner that digs regolith (with that source's own
    // hash), but every action it holds is the ice miner's: re-running the program on record
    // disagrees at r1's first step.
    let (_dir, save) = save_from(MINING);
    let conn = rusqlite::Connection::open(&save).unwrap();
    let (seq, data): (i64, String) = conn
        .query_row(
            "SELECT seq, data FROM events WHERE type = 'program_uploaded' \
             AND stream = 'robot-r1' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut uploaded: serde_json::Value = serde_json::from_str(&data).unwrap();
    let source = uploaded["source"].as_str().unwrap();
    assert!(source.contains("const DIG = \"either\";"));
    let changed = source.replace("const DIG = \"either\";", "const DIG = \"regolith\";");
    uploaded["hash"] = serde_json::Value::String(lunar::domain::program::hash_of(&changed));
    uploaded["source"] = serde_json::Value::String(changed);
    drop(conn);

    let finding = verify_forged(&format!(
        "UPDATE events SET data = '{}' WHERE seq = {seq}",
        uploaded.to_string().replace('\'', "''")
    ));
    assert!(
        finding.contains("the log has robot-r1")
            && finding.contains("\"tick\":1")
            && finding.contains("where the rules produce robot-r1"),
        "{finding}"
    );
}

#[test]
fn every_example_in_the_robot_reference_compiles() {
    let text = std::fs::read_to_string(root().join("docs/robots.md")).unwrap();
    let examples: Vec<&str> = text
        .split("```rhai\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(examples.len() >= 5, "{} examples", examples.len());
    for example in examples {
        if let Err(e) = lunar::domain::program::compile(example) {
            panic!("{e} in\n{example}");
        }
    }
}
