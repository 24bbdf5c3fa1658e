//! Given events, when a command, then events (or a rejection): one `check` per decider.

use super::building::Building;
use super::command::{BuildingCommand, Command, GameCommand, SpawnBuilding};
use super::event::{BuildingPlaced, Event, MissionWon};
use super::fixtures::*;
use super::game::Game;
use super::gameloop_pm::GameloopPm;
use super::ids::RobotId;
use super::projection::Projections;
use super::rejection::Rejection;

fn check_game(given: &[Event], when: GameCommand, then: Result<Vec<Event>, &str>) {
    let state = given.iter().fold(Game::initial(), |s, e| s.evolve(e));
    let outcome = state.decide(&when).map_err(|r| r.code());
    assert_eq!(outcome, then, "given {given:?}\nwhen {when:?}");
}

fn check_building(given: &[Event], when: BuildingCommand, then: Result<Vec<Event>, &str>) {
    let state = given.iter().fold(Building::initial(), |s, e| s.evolve(e));
    let outcome = state.decide(&when).map_err(|r| r.code());
    assert_eq!(outcome, then, "given {given:?}\nwhen {when:?}");
}

fn check_pm(given: &[Event], when: Event, then: Vec<Command>) {
    let state = given
        .iter()
        .chain(std::iter::once(&when))
        .fold(GameloopPm::initial(), |s, e| s.evolve(e));
    assert_eq!(state.react(&when), then, "given {given:?}\nwhen {when:?}");
}

fn advance(building: &str, tick: u64) -> BuildingCommand {
    BuildingCommand::AdvanceConstruction {
        building_id: id(building),
        ticks: 1,
        tick,
    }
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
fn a_building_spawns_once() {
    let spawn = BuildingCommand::SpawnBuilding(SpawnBuilding {
        building_id: id("a"),
        building_type: "hq".into(),
        name: "Headquarters".into(),
        glyph: 'H',
        x: 1,
        y: 2,
        player: "px42".into(),
        work_required: 3,
        tick: 4,
    });
    check_building(&[], spawn.clone(), Ok(vec![spawned("a", "hq", 1, 2, 3, 4)]));
    check_building(
        &[spawned("a", "hq", 1, 2, 3, 4)],
        spawn,
        Err("duplicate_building"),
    );
}

#[test]
fn construction_progresses_and_completes_itself() {
    let given = [spawned("a", "hq", 0, 0, 3, 0), progressed("a", 1, 3, 1)];
    check_building(&given, advance("a", 2), Ok(vec![progressed("a", 2, 3, 2)]));
    let given = [spawned("a", "hq", 0, 0, 3, 0), progressed("a", 2, 3, 2)];
    check_building(
        &given,
        advance("a", 3),
        Ok(vec![progressed("a", 3, 3, 3), completed("a", 3)]),
    );
}

#[test]
fn a_boost_never_passes_the_required_work() {
    let boost = BuildingCommand::AdvanceConstruction {
        building_id: id("a"),
        ticks: 10,
        tick: 1,
    };
    check_building(
        &[spawned("a", "hq", 0, 0, 3, 0)],
        boost,
        Ok(vec![progressed("a", 3, 3, 1), completed("a", 1)]),
    );
}

#[test]
fn only_sites_under_construction_progress() {
    check_building(&[], advance("a", 1), Err("building_not_found"));
    let done = [
        spawned("a", "hq", 0, 0, 1, 0),
        progressed("a", 1, 1, 1),
        completed("a", 1),
    ];
    check_building(&done, advance("a", 2), Err("already_complete"));
    let zero = BuildingCommand::AdvanceConstruction {
        building_id: id("a"),
        ticks: 0,
        tick: 1,
    };
    // A colony site given no work this tick waits, and records nothing (the colony says why).
    check_building(&[spawned("a", "hq", 0, 0, 1, 0)], zero, Ok(vec![]));
}

#[test]
fn the_process_manager_turns_a_site_into_a_building() {
    check_pm(
        &[started()],
        planted("a", "hq", 1, 2, 3, 0),
        vec![Command::Building(BuildingCommand::SpawnBuilding(
            SpawnBuilding {
                building_id: id("a"),
                building_type: "hq".into(),
                name: "Headquarters".into(),
                glyph: 'H',
                x: 1,
                y: 2,
                player: "px42".into(),
                work_required: 3,
                tick: 0,
            },
        ))],
    );
}

#[test]
fn the_process_manager_advances_each_site_in_spawn_order() {
    let given = [
        started(),
        spawned("b", "hq", 0, 0, 3, 0),
        spawned("a", "oxygen", 1, 0, 2, 0),
        spawned("c", "hq", 2, 0, 1, 0),
        completed("c", 1),
    ];
    check_pm(
        &given,
        advanced(2),
        vec![
            Command::Building(advance("b", 2)),
            Command::Building(advance("a", 2)),
        ],
    );
}

#[test]
fn the_process_manager_rests_before_start_and_after_stop() {
    check_pm(&[], advanced(1), vec![]);
    check_pm(
        &[started(), spawned("a", "hq", 0, 0, 3, 0), stopped(0)],
        advanced(1),
        vec![],
    );
}

#[test]
fn projections_follow_a_building_from_site_to_ready() {
    let events = [
        started(),
        planted("a", "hq", 1, 2, 2, 0),
        spawned("a", "hq", 1, 2, 2, 0),
        advanced(1),
        progressed("a", 1, 2, 1),
    ];
    let midway = events
        .iter()
        .fold(Projections::default(), |p, e| p.project(e));
    let row = midway.buildings.get(&id("a")).unwrap();
    assert_eq!((row.progress_percent, row.ready), (50, false));
    assert_eq!(
        (midway.colony.under_construction, midway.colony.ready),
        (1, 0)
    );

    let done = [advanced(2), progressed("a", 2, 2, 2), completed("a", 2)]
        .iter()
        .fold(midway, |p, e| p.project(e));
    let row = done.buildings.get(&id("a")).unwrap();
    assert_eq!(
        (row.progress_percent, row.ready, row.completed_tick),
        (100, true, Some(2))
    );
    assert_eq!((done.colony.tick, done.colony.ready), (2, 1));
    assert_eq!(done.colony.by_type["hq"].ready, 1);
    let last = done.feed.lines().last().unwrap();
    assert_eq!((last.tick, last.text.as_str()), (2, "a is complete"));
}

#[test]
fn the_feed_keeps_only_recent_notable_lines() {
    let mut events = vec![started()];
    for i in 0..100u16 {
        let name = format!("b{i}");
        events.push(spawned(&name, "hq", i % 4, 0, 1, 0));
        events.push(advanced(u64::from(i) + 1));
        events.push(progressed(&name, 1, 1, u64::from(i) + 1));
    }
    let view = events
        .iter()
        .fold(Projections::default(), |p, e| p.project(e));
    assert_eq!(view.feed.lines().len(), 64);
    assert_eq!(
        view.feed.lines().next().unwrap().text,
        "Headquarters b36 is under construction"
    );
}

#[test]
fn every_rejection_code_is_listed() {
    let samples = [
        Rejection::GameNotStarted,
        Rejection::GameAlreadyStarted,
        Rejection::GameStopped,
        Rejection::TickOutOfOrder {
            expected: 1,
            got: 2,
        },
        Rejection::UnknownBuildingType {
            building_type: "x".into(),
        },
        Rejection::OffMap {
            x: 0,
            y: 0,
            width: 1,
            height: 1,
        },
        Rejection::TileTaken {
            x: 0,
            y: 0,
            by: id("a"),
        },
        Rejection::DuplicateBuilding {
            building_id: id("a"),
        },
        Rejection::InvalidBuildingId {
            building_id: id("a"),
        },
        Rejection::NoWork,
        Rejection::BuildingNotFound {
            building_id: id("a"),
        },
        Rejection::AlreadyComplete {
            building_id: id("a"),
        },
        Rejection::InvalidGame { reason: "x".into() },
        Rejection::InvalidName { reason: "x".into() },
        Rejection::WrongTerrain {
            building_type: "x".into(),
            x: 0,
            y: 0,
            terrain: crate::domain::catalogue::Terrain::Rock,
            allowed: Vec::new(),
        },
        Rejection::RobotNotFound {
            robot_id: RobotId::parse("r").unwrap(),
        },
        Rejection::DuplicateRobot {
            robot_id: RobotId::parse("r").unwrap(),
        },
        Rejection::InvalidRobotId {
            robot_id: RobotId::parse("r").unwrap(),
        },
        Rejection::ProgramInvalid {
            line: 1,
            column: 1,
            message: "x".into(),
        },
        Rejection::RobotCannot {
            robot_id: RobotId::parse("r").unwrap(),
            reason: "x".into(),
        },
        Rejection::NoRobots,
        Rejection::NotAFactory {
            building_id: id("a"),
        },
        Rejection::Misrouted { command: "x" },
    ];
    let codes: Vec<&str> = samples.iter().map(Rejection::code).collect();
    assert_eq!(codes, Rejection::CODES);
}

#[test]
fn old_and_new_spawns_are_the_same_fact_to_everyone() {
    let old = [started(), spawned_v1("a", "hq", 1, 2, 2, 0), advanced(1)];
    let new = [started(), spawned("a", "hq", 1, 2, 2, 0), advanced(1)];
    let fold = |events: &[Event]| {
        let projections = events
            .iter()
            .fold(Projections::default(), |p, e| p.project(e));
        let building = events.iter().fold(Building::initial(), |b, e| b.evolve(e));
        let pm = events
            .iter()
            .fold(GameloopPm::initial(), |p, e| p.evolve(e));
        (projections, building, pm.react(&advanced(2)))
    };
    assert_eq!(fold(&old), fold(&new));
    assert!(old[1].same_fact(&new[1]) && new[1].same_fact(&old[1]));
    assert!(!old[1].same_fact(&spawned("a", "hq", 1, 3, 2, 0)));
    let row = fold(&old).0.buildings.get(&id("a")).cloned().unwrap();
    assert_eq!((row.name.as_str(), row.glyph), ("Headquarters", 'H'));
}

#[test]
fn names_read_with_the_right_article() {
    use super::projection::feed::with_article;
    assert_eq!(with_article("Oxygen Generator"), "an Oxygen Generator");
    assert_eq!(with_article("Headquarters"), "a Headquarters");
    assert_eq!(with_article("ice extractor"), "an ice extractor");
}

#[test]
fn a_colony_game_starts_with_its_rules_and_builds_only_where_the_ground_allows() {
    check_game(
        &[],
        GameCommand::StartGame(colony_start()),
        Ok(vec![colony_started()]),
    );
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
fn the_process_manager_founds_the_colony_and_settles_it_each_tick() {
    use super::command::{ColonyCommand, PlaceBuilding};
    let rules = super::fixtures::rules();
    check_pm(
        &[],
        colony_started(),
        vec![
            Command::Colony(ColonyCommand::Found {
                game_id: game_id(),
                rules: Box::new(rules.clone()),
            }),
            Command::Building(BuildingCommand::PlaceBuilding(PlaceBuilding {
                building_id: id("hq"),
                building_type: "hq".into(),
                name: "HQ".into(),
                glyph: 'h',
                x: 0,
                y: 0,
                player: "px42".into(),
                tick: 0,
            })),
        ],
    );
    let placed = Event::BuildingPlaced(BuildingPlaced {
        building_id: id("hq"),
        building_type: "hq".into(),
        name: "HQ".into(),
        glyph: 'h',
        x: 0,
        y: 0,
        player: "px42".into(),
        tick: 0,
    });
    let given = [colony_started(), placed, spawned("s1", "solar", 3, 2, 2, 0)];
    check_pm(
        &given,
        advanced(1),
        vec![Command::Colony(ColonyCommand::Settle {
            tick: 1,
            buildings: vec![standing("hq", "hq", true), standing("s1", "solar", false)],
            labour: None,
            orders: Vec::new(),
        })],
    );
    // Each site is passed the work the colony gave it, none included.
    let mut ticked = match super::colony::Colony::initial()
        .evolve(&founded(rules))
        .decide(&ColonyCommand::Settle {
            tick: 1,
            buildings: vec![standing("hq", "hq", true), standing("s1", "solar", false)],
            labour: None,
            orders: Vec::new(),
        })
        .unwrap()
        .remove(0)
    {
        Event::ColonyTicked(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(ticked.work.len(), 1);
    check_pm(
        &given,
        Event::ColonyTicked(ticked.clone()),
        vec![Command::Building(advance("s1", 1))],
    );
    ticked.work.clear();
    check_pm(
        &given,
        Event::ColonyTicked(ticked),
        vec![Command::Building(BuildingCommand::AdvanceConstruction {
            building_id: id("s1"),
            ticks: 0,
            tick: 1,
        })],
    );
}

#[test]
fn the_end_of_a_mission_stops_the_game() {
    let score = super::economy::Score {
        won: true,
        ticks: 5,
        colonists: 0,
        lost: 0,
        buildings: 1,
        brownout_ticks: 0,
        banked: 0,
        spare: 0,
        points: 1000,
    };
    check_pm(
        &[colony_started()],
        Event::MissionWon(MissionWon {
            game_id: game_id(),
            tick: 5,
            score,
        }),
        vec![Command::Game(GameCommand::StopGame)],
    );
}
