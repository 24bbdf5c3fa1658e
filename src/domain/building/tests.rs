//! The building aggregate: given events, when a command, then events or a rejection.

use crate::domain::building::Building;
use crate::domain::building::commands::{BuildingCommand, SpawnBuilding};
use crate::domain::event::Event;
use crate::domain::fixtures::advance;
use crate::domain::fixtures::{completed, id, progressed, spawned};

fn check_building(given: &[Event], when: BuildingCommand, then: Result<Vec<Event>, &str>) {
    let state = given.iter().fold(Building::initial(), |s, e| s.evolve(e));
    let outcome = state.decide(&when).map_err(|r| r.code());
    assert_eq!(outcome, then, "given {given:?}\nwhen {when:?}");
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
