//! The game-loop process manager: given events, when an event, then the commands it issues.

use crate::domain::building::Building;
use crate::domain::building::commands::{BuildingCommand, PlaceBuilding, SpawnBuilding};
use crate::domain::building::events::BuildingPlaced;
use crate::domain::colony::commands::ColonyCommand;
use crate::domain::colony::events::MissionWon;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::fixtures::{advance, rules, spawned_v1};
use crate::domain::fixtures::{
    advanced, colony_started, completed, founded, game_id, id, planted, spawned, standing, started,
    stopped,
};
use crate::domain::game::commands::GameCommand;
use crate::domain::gameloop::GameloopPm;
use crate::domain::projection::Projections;

fn check_pm(given: &[Event], when: Event, then: Vec<Command>) {
    let state = given
        .iter()
        .chain(std::iter::once(&when))
        .fold(GameloopPm::initial(), |s, e| s.evolve(e));
    assert_eq!(state.react(&when), then, "given {given:?}\nwhen {when:?}");
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
fn the_process_manager_founds_the_colony_and_settles_it_each_tick() {
    let rules = rules();
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
            ruleset: 1,
        })],
    );
    // Each site is passed the work the colony gave it, none included.
    let mut ticked = match crate::domain::colony::Colony::initial()
        .evolve(&founded(rules))
        .decide(&ColonyCommand::Settle {
            tick: 1,
            buildings: vec![standing("hq", "hq", true), standing("s1", "solar", false)],
            labour: None,
            orders: Vec::new(),
            ruleset: 1,
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
    let score = crate::domain::colony::tick::Score {
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
