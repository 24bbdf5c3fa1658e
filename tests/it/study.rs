//! Studying games after the fact: every logged decision traced again agrees with the log, a
//! tampered log does not, a what-if with the program a robot already ran changes nothing and
//! one with another changes the ending, and games compare and score from their logs alone.

use std::path::{Path, PathBuf};

use lunar::domain::event::Event;
use lunar::domain::ids::RobotId;
use lunar::domain::ruleset::ProgramSource;
use lunar::store::EventReader;
use lunar::store::memory::MemoryStore;
use lunar::store::sqlite::SqliteStore;
use lunar::study::trace::desyncs;
use lunar::study::whatif::{Request, whatif};

use crate::support::{assets, lunar, run_script, solution, solution_save};

fn program(path: &str) -> ProgramSource {
    let file = assets().join(path);
    ProgramSource {
        name: file.file_stem().unwrap().to_string_lossy().into_owned(),
        source: std::fs::read_to_string(file).unwrap(),
    }
}

#[test]
fn every_decision_in_the_solutions_traces_to_what_the_log_holds() {
    for id in ["t4-the-narrows", "m7-relay", "m8-prospector"] {
        let (path, text) = solution(id);
        let (_, session) = run_script(path.to_str().unwrap(), &text, MemoryStore::new());
        let events = session.store().read_all().unwrap();
        assert_eq!(desyncs(&events), vec![], "{id}");
    }
}

#[test]
fn a_tampered_move_is_a_desync_the_trace_names() {
    let (path, text) = solution("m7-relay");
    let (_, session) = run_script(path.to_str().unwrap(), &text, MemoryStore::new());
    let mut events = session.store().read_all().unwrap();
    let moved = events
        .iter_mut()
        .find_map(|e| match &mut e.event {
            Event::RobotMoved(m) if m.tick == 40 => Some(m),
            _ => None,
        })
        .unwrap();
    moved.battery += 1;
    let (robot, tick) = (moved.robot_id.clone(), moved.tick);
    // The wrong battery is folded on, so later ticks may differ too; the first is the edit.
    assert_eq!(desyncs(&events).first(), Some(&(robot.clone(), tick)));
    let report = lunar::study::trace::trace(&events, &robot, tick).unwrap();
    assert!(report.desync);
    assert!(lunar::study::trace::text(&report).contains("DESYNC"));
}

#[test]
fn trace_shows_the_lines_run_the_reads_and_the_action() {
    let dir = tempfile::tempdir().unwrap();
    let save = solution_save(dir.path(), "m7-relay");
    let (code, out, err) = lunar(&[
        "trace",
        save.to_str().unwrap(),
        "--robot",
        "r3",
        "--at-tick",
        "60",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
    let (code, json, _) = lunar(&[
        "trace",
        save.to_str().unwrap(),
        "--robot",
        "r3",
        "--at-tick",
        "60",
        "--json",
    ]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["desync"], false);
    assert!(report["operations"].as_u64().unwrap() > 0);
    // A tick the game never reached, and a robot that is not there, are one line each.
    let (code, _, err) = lunar(&[
        "trace",
        save.to_str().unwrap(),
        "--robot",
        "r3",
        "--at-tick",
        "9999",
    ]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    let (code, _, err) = lunar(&[
        "trace",
        save.to_str().unwrap(),
        "--robot",
        "r99",
        "--at-tick",
        "60",
    ]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}

#[test]
fn a_whatif_with_the_program_a_robot_runs_is_the_same_game() {
    let dir = tempfile::tempdir().unwrap();
    let save = solution_save(dir.path(), "m7-relay");
    let branch = dir.path().join("same.lunar");
    let hauler = program("missions/programs/m7-pile-hauler.rhai");
    let request = Request {
        robots: Some(vec![RobotId::parse("r3").unwrap()]),
        tick: 60,
        program: &hauler,
        ticks: None,
    };
    let mut reached = Vec::new();
    let report = whatif(&save, &branch, &request, &mut |tick, end| {
        reached.push((tick, end))
    })
    .unwrap();
    assert_eq!(report.unchanged, vec![RobotId::parse("r3").unwrap()]);
    assert_eq!(report.comparison.first_difference, None);
    assert_eq!(report.comparison.a.scored, report.comparison.b.scored);
    assert_eq!(
        reached.first(),
        Some(&(60, 300)),
        "plays from the tick to the deadline"
    );
    assert_eq!(
        reached.last().map(|r| r.0),
        Some(265),
        "and stops when the mission is won"
    );
    // The original is only read, and the branch is a save that verifies.
    let (code, out, _) = lunar(&["verify", branch.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_whatif_gives_the_players_later_commands_again() {
    let text = "game start mission=t2-long-night player=ada\n\
                tick 2\n\
                build solar id=solar-1 at=9,4\n\
                build solar id=solar-2 at=11,4\n\
                tick 3\n\
                build battery id=battery-1 at=9,6\n\
                tick 40\n";
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("t2.lunar");
    let (report, _) = run_script("t2.scenario", text, SqliteStore::create(&save).unwrap());
    assert!(report.failures.is_empty(), "{}", report.summary());
    let builder = program("programs/builder.rhai");
    let request = Request {
        robots: None,
        tick: 2,
        program: &builder,
        // As far as the original went (tick 45), not on to the deadline.
        ticks: Some(44),
    };
    let branch = dir.path().join("branch.lunar");
    let report = whatif(&save, &branch, &request, &mut |_, _| ()).unwrap();
    assert_eq!(report.refused, 0);
    assert_eq!(
        report.unchanged.len(),
        2,
        "both robots already ran the builder"
    );
    assert_eq!(report.comparison.first_difference, None);
    let built = |path: &Path| {
        let events = SqliteStore::open_read_only(path)
            .unwrap()
            .read_all()
            .unwrap();
        events
            .iter()
            .filter(|e| matches!(e.event, Event::SitePlanted(_)))
            .count()
    };
    assert_eq!((built(&save), built(&branch)), (3, 3));
}

#[test]
fn a_whatif_with_another_program_changes_the_ending_from_that_tick() {
    let dir = tempfile::tempdir().unwrap();
    let save = solution_save(dir.path(), "m7-relay");
    let (code, out, err) = lunar(&[
        "--saves",
        dir.path().to_str().unwrap(),
        "whatif",
        "m7-relay",
        "--robot",
        "r3,r4",
        "--at-tick",
        "60",
        "--program",
        assets()
            .join("missions/programs/m7-pile-miner.rhai")
            .to_str()
            .unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["comparison"]["a"]["outcome"], "won");
    assert_eq!(report["comparison"]["b"]["outcome"], "lost");
    assert_eq!(report["comparison"]["first_difference"], 59);
    let branch = PathBuf::from(report["branch"].as_str().unwrap());
    assert_eq!(branch, dir.path().join("m7-relay-whatif-60.lunar"));
    // Both saves are the player's: compare reads them, scores lists them.
    let (code, text, _) = lunar(&[
        "--saves",
        dir.path().to_str().unwrap(),
        "compare",
        "m7-relay",
        "m7-relay-whatif-60",
    ]);
    assert_eq!(code, 0);
    assert!(text.contains("the games first differ at tick 59"), "{text}");
    let (code, json, _) = lunar(&["--saves", dir.path().to_str().unwrap(), "scores", "--json"]);
    assert_eq!(code, 0);
    let boards: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(boards[0]["mission"], "m7-relay");
    assert_eq!(boards[0]["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(
        boards[0]["best"], boards[0]["par"],
        "the one win is the solution"
    );
    drop(save);
}

#[test]
fn compare_refuses_two_missions_and_whatif_a_tick_never_played() {
    let dir = tempfile::tempdir().unwrap();
    let a = solution_save(dir.path(), "t1-groundbreaking");
    let b = solution_save(dir.path(), "t2-long-night");
    let (code, _, err) = lunar(&["compare", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("compare two games of one mission"), "{err}");
    let (code, _, err) = lunar(&[
        "--saves",
        dir.path().to_str().unwrap(),
        "whatif",
        a.to_str().unwrap(),
        "--robot",
        "all",
        "--at-tick",
        "500",
        "--program",
        "builder",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the game ran ticks 1 to 13"), "{err}");
    let (code, _, err) = lunar(&[
        "whatif",
        a.to_str().unwrap(),
        "--robot",
        "all",
        "--at-tick",
        "5",
        "--program",
        "/dev/zero",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!dir.path().join("t1-groundbreaking-whatif-5.lunar").exists());
}
