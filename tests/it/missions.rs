//! Every mission is proven winnable by the solution script shipped beside it, which the suite
//! plays to a win (the sandbox, which has no objectives, to the end of its run without a
//! loss); every save a solution writes verifies; and a colony that does nothing loses every
//! mission that has a deadline.

use std::path::PathBuf;

use lunar::assets::{Assets, list_missions, load_mission};
use lunar::domain::projection::colony::MissionStatus;
use lunar::domain::projection::waits::Waits;
use lunar::engine::audit::audit;
use lunar::store::EventReader;
use lunar::store::memory::MemoryStore;

use crate::support::{assets, lunar, run_script};

/// The most ticks in a row a robot in a mission's solution may wait for a tile another holds.
const MAX_WAIT_STREAK: u64 = 10;

fn solution(id: &str) -> PathBuf {
    assets()
        .join("missions")
        .join(format!("{id}.solution.scenario"))
}

#[test]
fn every_mission_is_won_by_its_solution_and_the_save_verifies() {
    let missions = list_missions(&Assets::BuiltIn).unwrap();
    assert!(
        missions.len() >= 14,
        "thirteen missions in the chain, and the sandbox"
    );
    for mission in missions {
        let path = solution(&mission.id);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Named by its path, so a program beside it is found.
        let (report, session) = run_script(path.to_str().unwrap(), &text, MemoryStore::new());
        assert!(report.failures.is_empty(), "{}", report.summary());
        assert!(report.rejections.is_empty(), "{}", report.summary());
        let economy = session.projections().colony.economy.clone().unwrap();
        let setup = load_mission(&Assets::BuiltIn, &mission.id).unwrap();
        if setup.rules.mission.objectives.is_empty() {
            assert_eq!(economy.mission, MissionStatus::Running, "{}", mission.id);
        } else {
            assert!(
                matches!(economy.mission, MissionStatus::Won { .. }),
                "{}: {:?}",
                mission.id,
                economy.mission
            );
        }
        let events = session.store().read_all().unwrap();
        let findings = audit(&events).findings;
        assert!(findings.is_empty(), "{}: {findings:?}", mission.id);
        // The shipped robots never jam: no robot waits more than ten ticks in a row for a
        // tile another robot holds.
        let mut waits = Waits::default();
        for e in &events {
            waits.apply(&e.event);
        }
        assert!(
            waits.longest_streak() <= MAX_WAIT_STREAK,
            "{}: {:?} waited that many ticks in a row for a tile",
            mission.id,
            waits.longest
        );

        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join("won.lunar");
        let (code, _, err) = lunar(&[
            "script",
            "run",
            path.to_str().unwrap(),
            "--save",
            save.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{}: {err}", mission.id);
        let (code, out, _) = lunar(&["verify", save.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {out}", mission.id);

        // Shared as text, it plays the same game: `export --scenario` of the save, run again,
        // writes a log with the same head hash.
        let (code, script, err) = lunar(&["export", save.to_str().unwrap(), "--scenario"]);
        assert_eq!(code, 0, "{}: {err}", mission.id);
        let exported = dir.path().join("exported.scenario");
        std::fs::write(&exported, &script).unwrap();
        let again = dir.path().join("again.lunar");
        let (code, _, err) = lunar(&[
            "script",
            "run",
            exported.to_str().unwrap(),
            "--save",
            again.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{}: {err}\n{script}", mission.id);
        let (_, verified_again, _) = lunar(&["verify", again.to_str().unwrap()]);
        assert_eq!(head(&out), head(&verified_again), "{}", mission.id);
        assert!(head(&out).is_some(), "{out}");

        // Its par is what the solution scores.
        let scored = lunar::study::scores::score(&events).unwrap();
        assert_eq!(Some(scored.metrics), mission.par, "{}", mission.id);
    }
}

/// The head line `lunar verify` prints: the hash of the last row.
fn head(verified: &str) -> Option<&str> {
    verified
        .lines()
        .find(|l| l.trim_start().starts_with("head "))
}

/// A solution's script on another seed: its `game start` line with `seed=N`.
fn on_seed(text: &str, seed: u64) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("game start ") {
                format!("{l} seed={seed}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A solution's script with its program lines removed: the shipped programs and the same
/// buildings, orders and ticks, and no expectations.
fn shipped(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("program ") && !l.starts_with("expect "))
        .map(|l| {
            l.split(' ')
                .filter(|word| !word.starts_with("program="))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How a mission ended, as the mission card says it: "won at tick 13", "lost at tick 212".
fn outcome(status: &MissionStatus) -> String {
    match status {
        MissionStatus::Won { tick, .. } => format!("won at tick {tick}"),
        MissionStatus::Lost { tick, .. } => format!("lost at tick {tick}"),
        MissionStatus::Running => "running".into(),
    }
}

#[test]
fn the_narrows_has_no_way_round_its_pass() {
    // A second headquarters by the ice once won it without a line of code.
    let script = "game start mission=t4-the-narrows player=ada\nbuild hq id=hq-2 at=24,4\n";
    let (report, _) = run_script("narrows.scenario", script, MemoryStore::new());
    assert_eq!(report.rejections.len(), 1, "{}", report.summary());
    assert!(
        report.rejections[0].message.contains("wrong_terrain"),
        "{}",
        report.summary()
    );
}

#[test]
fn a_mission_whose_ground_varies_is_won_on_five_more_seeds() {
    for mission in list_missions(&Assets::BuiltIn).unwrap() {
        let setup = load_mission(&Assets::BuiltIn, &mission.id).unwrap();
        if setup.rules.mission.varies.is_none() {
            continue;
        }
        let path = solution(&mission.id);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut maps = std::collections::BTreeSet::new();
        for seed in 1..=5 {
            let (report, session) = run_script(
                path.to_str().unwrap(),
                &on_seed(&text, seed),
                MemoryStore::new(),
            );
            assert!(
                report.failures.is_empty(),
                "{} on seed {seed}: {}",
                mission.id,
                report.summary()
            );
            let c = &session.projections().colony;
            assert_eq!(c.seed, seed);
            maps.insert(c.terrain.clone());
        }
        assert_eq!(
            maps.len(),
            5,
            "{}: every seed lays out its own ground",
            mission.id
        );
    }
}

#[test]
fn from_the_fifth_mission_on_the_shipped_programs_lose_and_every_card_says_how_they_do() {
    let mut checked = 0;
    for mission in list_missions(&Assets::BuiltIn).unwrap() {
        let setup = load_mission(&Assets::BuiltIn, &mission.id).unwrap();
        if setup.rules.mission.deadline.is_none() {
            continue;
        }
        let path = solution(&mission.id);
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, session) = run_script(path.to_str().unwrap(), &shipped(&text), MemoryStore::new());
        let status = &session
            .projections()
            .colony
            .economy
            .as_ref()
            .unwrap()
            .mission;
        assert_eq!(
            setup.rules.mission.shipped.as_deref(),
            Some(outcome(status).as_str()),
            "{}: the card's shipped score",
            mission.id
        );
        if mission.order.is_some_and(|n| n >= 5) {
            assert!(
                matches!(status, MissionStatus::Lost { .. }),
                "{}: the shipped programs {}",
                mission.id,
                outcome(status)
            );
            checked += 1;
        }
    }
    assert!(checked >= 9, "{checked} missions from the fifth on");
}

#[test]
fn an_idle_colony_loses_every_mission_with_a_deadline() {
    for mission in list_missions(&Assets::BuiltIn).unwrap() {
        let setup = load_mission(&Assets::BuiltIn, &mission.id).unwrap();
        let Some(deadline) = setup.rules.mission.deadline else {
            continue;
        };
        let script = format!(
            "game start mission={} player=idle\ntick {deadline}\n",
            mission.id
        );
        let (_, session) = run_script("idle.scenario", &script, MemoryStore::new());
        let economy = session.projections().colony.economy.clone().unwrap();
        let MissionStatus::Lost { tick, .. } = economy.mission else {
            panic!("{} idle: {:?}", mission.id, economy.mission);
        };
        assert!(tick <= deadline, "{}", mission.id);
        assert!(session.projections().colony.stopped, "{}", mission.id);
    }
}

#[test]
fn missions_are_listed_in_the_order_they_teach() {
    let (code, out, _) = lunar(&["--assets", assets().to_str().unwrap(), "missions"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "t1-groundbreaking",
            "t2-long-night",
            "t3-first-breath",
            "t4-the-narrows",
            "m5-pick-and-shovel",
            "m6-dusk",
            "m7-relay",
            "m8-prospector",
            "m9-assembly-line",
            "m10-staffing",
            "m11-surveyor",
            "m12-swarm",
            "tranquility",
            "sandbox"
        ]
    );
}

#[test]
fn a_broken_mission_file_is_named_with_its_line_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("assets");
    let status = std::process::Command::new("cp")
        .args(["-r", assets().to_str().unwrap(), copy.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let mission = copy.join("missions/t2-long-night.json");
    let text = std::fs::read_to_string(&mission).unwrap();
    std::fs::write(
        &mission,
        text.replace("\"day_ticks\": 40", "\"day_ticks\": \"forty\""),
    )
    .unwrap();
    let saves = dir.path().join("saves");
    let args = |rest: &[&'static str]| {
        let mut args = vec![
            "--assets",
            copy.to_str().unwrap(),
            "--saves",
            saves.to_str().unwrap(),
        ];
        args.extend_from_slice(rest);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    for command in [
        &["missions"][..],
        &["new", "night", "--mission", "t2-long-night"],
    ] {
        let argv = args(command);
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let (code, out, err) = lunar(&argv);
        assert_eq!((code, out.as_str()), (2, ""), "{command:?}: {err}");
        assert!(
            err.contains(&format!(
                "{}: line 16 column 22: invalid type: string \"forty\", expected u32",
                mission.display()
            )),
            "{command:?}: {err}"
        );
        assert_eq!(err.matches("line 16").count(), 1, "{err}");
    }
    assert!(!saves.join("night.lunar").exists());
}
