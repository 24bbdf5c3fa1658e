//! Robots across the whole program: the same log from two processes, and `verify` re-running
//! every program to catch an action or a program the log was edited to claim.

use std::path::Path;
use std::process::Command;

use lunar::domain::command::Command as EngineCommand;
use lunar::domain::event::Event;
use lunar::domain::game::commands::GameCommand;
use lunar::domain::ids::RobotId;
use lunar::domain::robot::commands::RobotCommand;
use lunar::engine::envelope::Origin;
use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, EventStore};

use crate::support::{lunar, root, run_script, save_from, succeeds};

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

/// Rewrites a save with one event edited by `edit` (which says whether it edited the event it
/// was given), through the store itself, as someone forging a save with the game's own code
/// would: the hash chain is whole, so only the rules can catch it. Returns verify's first
/// finding (exit 1 expected).
fn verify_forged(mut edit: impl FnMut(&mut Event) -> bool) -> String {
    let (dir, save) = save_from(MINING);
    let mut events = SqliteStore::open_read_only(&save)
        .unwrap()
        .read_all()
        .unwrap();
    let mut edited = 0;
    for e in &mut events {
        edited += usize::from(edit(&mut e.event));
    }
    assert_eq!(edited, 1, "one event is forged");
    let forged = dir.path().join("forged.lunar");
    SqliteStore::create(&forged)
        .unwrap()
        .append(&events)
        .unwrap();
    let (code, out, err) = lunar(&["verify", arg(&forged)]);
    assert_eq!(code, 1, "{out}{err}");
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
    let finding = verify_forged(|event| match event {
        Event::RobotMined(mined) if mined.tick == 6 && mined.amount == 2 => {
            mined.amount = 5;
            true
        }
        _ => false,
    });
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
    let finding = verify_forged(|event| match event {
        Event::ProgramUploaded(uploaded)
            if uploaded.robot_id.as_str() == "r1"
                && uploaded.source.contains("const DIG = \"either\";") =>
        {
            let changed = uploaded
                .source
                .replace("const DIG = \"either\";", "const DIG = \"regolith\";");
            uploaded.hash = lunar::domain::program::hash_of(&changed);
            uploaded.source = changed;
            true
        }
        _ => false,
    });
    assert!(
        finding.contains("the log has robot-r1")
            && finding.contains("\"tick\":1")
            && finding.contains("where the rules produce robot-r1"),
        "{finding}"
    );
}

#[test]
fn every_example_in_the_robot_reference_compiles_and_runs() {
    let text = std::fs::read_to_string(root().join("docs/robots.md")).unwrap();
    let examples: Vec<&str> = text
        .split("```rhai\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(examples.len() >= 8, "{} examples", examples.len());
    for example in examples {
        if let Err(e) = lunar::domain::program::compile(example) {
            panic!("{e} in\n{example}");
        }
        // Each runs for a few ticks as r1's program in the sandbox without faulting.
        let (_, mut session) = run_script(
            "docs.scenario",
            "game start mission=sandbox player=docs\n",
            lunar::store::memory::MemoryStore::new(),
        );
        let upload = EngineCommand::Robot(RobotCommand::UploadProgram {
            robot_id: RobotId::parse("r1").unwrap(),
            name: "example".into(),
            source: example.into(),
            tick: 0,
        });
        session.execute(upload, Origin::player()).unwrap();
        for tick in 1..=3 {
            let advance = EngineCommand::Game(GameCommand::AdvanceGameloop { tick });
            session.execute(advance, Origin::injector()).unwrap();
        }
        let r1 = &session.projections().robots.robots[&RobotId::parse("r1").unwrap()];
        assert_eq!(r1.fault, None, "in\n{example}");
    }
}
