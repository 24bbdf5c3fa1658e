//! The building aggregate: given events, when a command, then events or a rejection.

use crate::domain::building::Building;
use crate::domain::building::commands::{BuildingCommand, SpawnBuilding};
use crate::domain::building::events::{BuildingDemolished, BuildingSwitched, SiteMarkedUrgent};
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

fn switch(on: bool) -> BuildingCommand {
    BuildingCommand::Switch {
        building_id: id("a"),
        on,
        tick: 4,
    }
}

fn urgent(urgent: bool) -> BuildingCommand {
    BuildingCommand::MarkUrgent {
        building_id: id("a"),
        urgent,
        tick: 4,
    }
}

fn demolish() -> BuildingCommand {
    BuildingCommand::Demolish {
        building_id: id("a"),
        tick: 4,
    }
}

fn switched(on: bool) -> Event {
    Event::BuildingSwitched(BuildingSwitched {
        building_id: id("a"),
        on,
        tick: 4,
    })
}

fn demolished(site: bool) -> Event {
    Event::BuildingDemolished(BuildingDemolished {
        building_id: id("a"),
        building_type: "solar".into(),
        site,
        tick: 4,
    })
}

#[test]
fn a_working_building_switches_off_and_on_and_a_site_does_not() {
    let site = [spawned("a", "solar", 0, 0, 3, 0)];
    let built = [spawned("a", "solar", 0, 0, 3, 0), completed("a", 3)];
    check_building(&site, switch(false), Err("not_built"));
    check_building(&built, switch(false), Ok(vec![switched(false)]));
    check_building(&built, switch(true), Err("already_so"));
    let off = [&built[..], &[switched(false)]].concat();
    check_building(&off, switch(false), Err("already_so"));
    check_building(&off, switch(true), Ok(vec![switched(true)]));
    check_building(&[], switch(false), Err("building_not_found"));
}

#[test]
fn only_a_site_is_marked_urgent() {
    let site = [spawned("a", "solar", 0, 0, 3, 0)];
    let marked = Event::SiteMarkedUrgent(SiteMarkedUrgent {
        building_id: id("a"),
        urgent: true,
        tick: 4,
    });
    check_building(&site, urgent(true), Ok(vec![marked.clone()]));
    check_building(&site, urgent(false), Err("already_so"));
    check_building(&[site[0].clone(), marked], urgent(true), Err("already_so"));
    let built = [site[0].clone(), completed("a", 3)];
    check_building(&built, urgent(true), Err("not_a_site"));
}

#[test]
fn a_building_or_a_site_is_taken_down_once_and_then_takes_nothing() {
    let site = [spawned("a", "solar", 0, 0, 3, 0)];
    check_building(&site, demolish(), Ok(vec![demolished(true)]));
    let built = [site[0].clone(), completed("a", 3)];
    check_building(&built, demolish(), Ok(vec![demolished(false)]));
    let gone = [&built[..], &[demolished(false)]].concat();
    for command in [demolish(), switch(false), urgent(true), advance("a", 5)] {
        check_building(&gone, command, Err("demolished"));
    }
}
