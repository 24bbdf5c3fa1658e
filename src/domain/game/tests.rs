//! The game aggregate: given events, when a command, then events or a rejection.

use crate::domain::event::Event;
use crate::domain::fixtures::{
    advanced, colony_start, colony_started, plant, planted, start, started, stopped,
};
use crate::domain::game::Game;
use crate::domain::game::commands::{GameCommand, StartGame};
use crate::domain::ruleset::RULESET;

fn check_game(given: &[Event], when: GameCommand, then: Result<Vec<Event>, &str>) {
    let state = given.iter().fold(Game::initial(), |s, e| s.evolve(e));
    let outcome = state.decide(&when).map_err(|r| r.code());
    assert_eq!(outcome, then, "given {given:?}\nwhen {when:?}");
}

#[test]
fn a_game_starts_once_at_tick_zero() {
    check_game(&[], GameCommand::StartGame(start()), Ok(vec![started()]));
    check_game(
        &[started()],
        GameCommand::StartGame(start()),
        Err("game_already_started"),
    );
}

#[test]
fn a_game_with_a_broken_map_or_catalogue_does_not_start() {
    let mut bad_map = start();
    bad_map.map.terrain.pop();
    check_game(&[], GameCommand::StartGame(bad_map), Err("invalid_game"));
    let mut bad_catalogue = start();
    bad_catalogue.catalogue[1].key = "hq".into();
    check_game(
        &[],
        GameCommand::StartGame(bad_catalogue),
        Err("invalid_game"),
    );
}

#[test]
fn names_that_could_garble_a_terminal_are_refused() {
    let long = "n".repeat(65);
    for (name, player) in [
        ("Esc\u{1b}]0;pwned\u{7}", "p"),
        ("nul\0", "p"),
        ("", "p"),
        (long.as_str(), "p"),
        (" padded", "p"),
        ("Colony", "tab\there"),
        ("Colony", "nobody-should-have-a-name-this-long"),
    ] {
        let mut command = start();
        command.name = name.into();
        command.player = player.into();
        check_game(&[], GameCommand::StartGame(command), Err("invalid_name"));
    }
    let GameCommand::PlantSite(mut site) = plant("a", "hq", 0, 0) else {
        unreachable!()
    };
    site.player = Some("bell\u{7}".into());
    check_game(
        &[started()],
        GameCommand::PlantSite(site),
        Err("invalid_name"),
    );
}

#[test]
fn nothing_happens_before_the_game_starts() {
    let commands = [
        GameCommand::AdvanceGameloop { tick: 1 },
        plant("a", "hq", 0, 0),
        GameCommand::StopGame,
    ];
    for command in commands {
        check_game(&[], command, Err("game_not_started"));
    }
}

#[test]
fn ticks_advance_one_at_a_time() {
    check_game(
        &[started(), advanced(1)],
        GameCommand::AdvanceGameloop { tick: 2 },
        Ok(vec![advanced(2)]),
    );
    for wrong in [1, 3, 0] {
        check_game(
            &[started(), advanced(1)],
            GameCommand::AdvanceGameloop { tick: wrong },
            Err("tick_out_of_order"),
        );
    }
}

#[test]
fn a_site_is_planted_at_the_current_tick_with_the_catalogue_work() {
    check_game(
        &[started(), advanced(1), advanced(2)],
        plant("a", "hq", 3, 2),
        Ok(vec![planted("a", "hq", 3, 2, 3, 2)]),
    );
}

#[test]
fn a_site_may_override_its_work() {
    let mut command = plant("a", "oxygen", 0, 0);
    if let GameCommand::PlantSite(p) = &mut command {
        p.work_ticks = Some(9);
    }
    check_game(
        &[started()],
        command.clone(),
        Ok(vec![planted("a", "oxygen", 0, 0, 9, 0)]),
    );
    if let GameCommand::PlantSite(p) = &mut command {
        p.work_ticks = Some(0);
    }
    check_game(&[started()], command, Err("no_work"));
}

#[test]
fn sites_off_the_map_on_taken_tiles_or_of_unknown_kinds_are_rejected() {
    let given = [started(), planted("a", "hq", 1, 1, 3, 0)];
    for (x, y) in [(-1, 0), (0, -1), (4, 0), (0, 3), (i32::MAX, 0)] {
        check_game(&given, plant("b", "hq", x, y), Err("off_map"));
    }
    check_game(&given, plant("b", "hq", 1, 1), Err("tile_taken"));
    check_game(&given, plant("a", "hq", 2, 2), Err("duplicate_building"));
    check_game(&given, plant("b", "casino", 2, 2), Err("unknown_type"));
}

#[test]
fn a_stopped_game_refuses_everything() {
    let given = [started(), stopped(0)];
    for command in [
        GameCommand::AdvanceGameloop { tick: 1 },
        plant("a", "hq", 0, 0),
        GameCommand::StopGame,
    ] {
        check_game(&given, command, Err("game_stopped"));
    }
    check_game(
        &[started(), advanced(1)],
        GameCommand::StopGame,
        Ok(vec![stopped(1)]),
    );
}

#[test]
fn a_colony_game_starts_with_its_rules_and_builds_only_where_the_ground_allows() {
    let legacy = StartGame {
        ruleset: 1,
        ..colony_start()
    };
    check_game(
        &[],
        GameCommand::StartGame(legacy),
        Ok(vec![colony_started()]),
    );
    let Ok(current) = Game::initial().decide(&GameCommand::StartGame(colony_start())) else {
        panic!("a colony game under the newest ruleset starts");
    };
    assert!(
        matches!(&current[..], [Event::GameStartedV3(e)] if e.ruleset == RULESET),
        "{current:?}"
    );
    let future = StartGame {
        ruleset: RULESET + 1,
        ..colony_start()
    };
    check_game(&[], GameCommand::StartGame(future), Err("invalid_game"));
    // The map: row 0 "....", row 1 ".*..", row 2 "..^.". The HQ stands at (0,0).
    let cases = [
        (plant("i", "ice", 1, 1), Ok("ice on the crater")),
        (plant("i", "ice", 2, 0), Err("wrong_terrain")),
        (plant("s", "solar", 1, 1), Err("wrong_terrain")),
        (plant("s", "solar", 2, 2), Err("wrong_terrain")),
        (plant("s", "solar", 0, 0), Err("tile_taken")),
        (plant("s", "solar", 3, 2), Ok("solar on regolith")),
    ];
    let state = Game::initial().evolve(&colony_started());
    for (command, expected) in cases {
        let outcome = state.decide(&command).map(|_| ()).map_err(|r| r.code());
        assert_eq!(outcome.is_ok(), expected.is_ok(), "{command:?}");
        if let Err(code) = expected {
            assert_eq!(outcome, Err(code), "{command:?}");
        }
    }
}

#[test]
fn starting_robots_start_only_with_programs_that_compile() {
    use crate::domain::fixtures::{robot_rules, rules};
    use crate::domain::ids::RobotId;
    use crate::domain::ruleset::{ProgramSource, RobotKit};
    let program = |source: &str| ProgramSource {
        name: "p".into(),
        source: source.into(),
    };
    let kit = |id: &str, x: u16, source: &str| RobotKit {
        id: RobotId::parse(id).unwrap(),
        x,
        y: 0,
        program: Some(program(source)),
    };
    let with = |kits: Vec<RobotKit>| {
        let mut rules = rules();
        rules.robots = Some(robot_rules());
        rules.start.robots = kits;
        StartGame {
            rules: Some(Box::new(rules)),
            ..colony_start()
        }
    };
    // Robots that share a program: it is compiled once and every one of them starts.
    let shared = with(vec![kit("r1", 1, "wait()"), kit("r2", 2, "wait()")]);
    assert!(
        Game::initial()
            .decide(&GameCommand::StartGame(shared))
            .is_ok()
    );
    // A broken program is named with the first robot to carry it.
    let broken = with(vec![
        kit("r1", 1, "wait()"),
        kit("r2", 2, "move(1,"),
        kit("r3", 3, "move(1,"),
    ]);
    let refused = Game::initial().decide(&GameCommand::StartGame(broken));
    let Err(rejection) = refused else {
        panic!("a robot whose program does not compile cannot start: {refused:?}");
    };
    assert_eq!(rejection.code(), "invalid_game");
    assert!(
        rejection
            .to_string()
            .contains("starting robot r2's program p"),
        "{rejection}"
    );
}
