//! A tick of labour resolved on a small field.
//!
//! The field is 6x3, with the headquarters (store and charger) at (0,0):
//!
//! ```text
//!   H.....
//!   .*,^..      * crater (ice), , dust, ^ rock; the rest bright regolith
//!   ......
//! ```

use crate::domain::building::events::BuildingPlaced;
use crate::domain::catalogue::SurfaceMap;
use crate::domain::event::Event;
use crate::domain::field::Field;
use crate::domain::fixtures::{
    catalogue, deployed, id, robot_id, robot_rules, rules, spawned, uploaded,
};
use crate::domain::ids::Tick;
use crate::domain::labour::{Plan, plan, plan_on};
use crate::domain::program::memory::Value;
use crate::domain::resources::{Resource, Stock};
use crate::domain::robot::Robot;
use crate::domain::robot::commands::{RobotCommand, Step};
use crate::domain::robot::events::Place;

fn robot_map() -> SurfaceMap {
    SurfaceMap {
        name: "yard".into(),
        width: 6,
        height: 3,
        terrain: vec!["......".into(), ".*,^..".into(), "......".into()],
    }
}

/// A field with the headquarters at (0,0), its store holding `stock` and its batteries
/// `power`, and these robots: id, place, battery and program.
fn field(stock: Stock, power: u32, robots: &[(&str, u16, u16, u32, &str)]) -> Field {
    field_on(&robot_map(), stock, power, robots, 1)
}

/// [`field`] on another map.
fn field_on(
    map: &SurfaceMap,
    stock: Stock,
    power: u32,
    robots: &[(&str, u16, u16, u32, &str)],
    ruleset: u32,
) -> Field {
    let mut rules = rules();
    rules.robots = Some(robot_rules());
    rules.start.stock = stock;
    rules.start.power = power;
    rules.start.buildings.clear();
    let mut field = Field::of(&rules, map, &catalogue(), ruleset).unwrap();
    field.apply(&Event::BuildingPlaced(BuildingPlaced {
        building_id: id("hq"),
        building_type: "hq".into(),
        name: "Headquarters".into(),
        glyph: 'H',
        x: 0,
        y: 0,
        player: "px42".into(),
        tick: 0,
    }));
    for (name, x, y, battery, source) in robots {
        field.apply(&deployed(name, *x, *y, *battery));
        field.apply(&uploaded(name, source));
    }
    field
}

/// Runs `ticks` ticks of labour, each robot's act recorded as the robot records it.
fn work(mut field: Field, ticks: Tick) -> (Field, Vec<Plan>) {
    let mut plans = Vec::new();
    for tick in 1..=ticks {
        let plan = plan(&field, tick);
        for act in &plan.acts {
            let state = Robot::Present(field.robots[&act.robot_id].as_robot(&act.robot_id));
            for event in state.decide(&RobotCommand::Act(act.clone())).unwrap() {
                field.apply(&event);
            }
        }
        plans.push(plan);
    }
    (field, plans)
}

fn steps(plan: &Plan) -> Vec<(String, Step)> {
    plan.acts
        .iter()
        .map(|a| (a.robot_id.to_string(), a.step.clone()))
        .collect()
}

fn wait(reason: &str) -> Step {
    Step::Wait {
        reason: Some(reason.into()),
    }
}

#[test]
fn one_robot_per_tile_and_the_lower_id_goes_first() {
    // Both want (4,0). r1 goes first and takes it; r2 finds it taken.
    let (_, plans) = work(
        field(
            Stock::default(),
            0,
            &[
                ("r1", 4, 1, 20, "move(0, -1)"),
                ("r2", 5, 0, 20, "move(-1, 0)"),
            ],
        ),
        1,
    );
    assert_eq!(
        steps(&plans[0]),
        [
            (
                "r1".into(),
                Step::Move {
                    x: 4,
                    y: 0,
                    cost: 1
                }
            ),
            ("r2".into(), wait("(4,0) is taken by robot r1")),
        ]
    );
}

#[test]
fn from_ruleset_2_robots_go_in_the_order_their_ids_read() {
    // Both want (4,0): r2 reads before r10, though "r10" sorts first as text.
    let robots = [
        ("r10", 4, 1, 20, "move(0, -1)"),
        ("r2", 5, 0, 20, "move(-1, 0)"),
    ];
    let first = |ruleset| {
        let (_, plans) = work(
            field_on(&robot_map(), Stock::default(), 0, &robots, ruleset),
            1,
        );
        steps(&plans[0])
            .into_iter()
            .find(|(_, step)| matches!(step, Step::Move { .. }))
            .map(|(robot, _)| robot)
    };
    assert_eq!(first(1).as_deref(), Some("r10"));
    assert_eq!(first(2).as_deref(), Some("r2"));
}

#[test]
fn a_tile_left_by_a_lower_id_is_free_and_one_not_yet_left_is_not() {
    // A line of three moving east: r1 leads, so r2 and r3 follow into the tiles it frees.
    // Turned around, the lowest id is last in line and everyone behind it waits.
    let east = work(
        field(
            Stock::default(),
            0,
            &[
                ("r1", 3, 2, 20, "move(1, 0)"),
                ("r2", 2, 2, 20, "move(1, 0)"),
                ("r3", 1, 2, 20, "move(1, 0)"),
            ],
        ),
        1,
    )
    .1;
    assert!(
        steps(&east[0])
            .iter()
            .all(|(_, s)| matches!(s, Step::Move { .. }))
    );
    let west = work(
        field(
            Stock::default(),
            0,
            &[
                ("r1", 1, 2, 20, "move(1, 0)"),
                ("r2", 2, 2, 20, "move(1, 0)"),
                ("r3", 3, 2, 20, "move(1, 0)"),
            ],
        ),
        1,
    )
    .1;
    assert_eq!(
        steps(&west[0]),
        [
            ("r1".into(), wait("(2,2) is taken by robot r2")),
            ("r2".into(), wait("(3,2) is taken by robot r3")),
            (
                "r3".into(),
                Step::Move {
                    x: 4,
                    y: 2,
                    cost: 1
                }
            ),
        ]
    );
}

#[test]
fn rock_buildings_and_the_edge_stop_a_robot() {
    let (_, plans) = work(
        field(
            Stock::default(),
            0,
            &[
                ("r1", 3, 0, 20, "move(0, 1)"),
                ("r2", 1, 0, 20, "move(-1, 0)"),
                ("r3", 5, 2, 20, "move(1, 0)"),
                ("r4", 5, 1, 20, "move(1, 1)"),
            ],
        ),
        1,
    );
    assert_eq!(
        steps(&plans[0]),
        [
            ("r1".into(), wait("(3,1) is rock")),
            ("r2".into(), wait("(0,0) is taken by hq")),
            ("r3".into(), wait("(6,2) is off the map")),
            (
                "r4".into(),
                wait("a step is one tile: move(1, 0), move(-1, 0), move(0, 1) or move(0, -1)")
            ),
        ]
    );
}

#[test]
fn a_flat_battery_stops_a_robot_but_it_can_still_charge() {
    let (field, plans) = work(
        field(
            Stock::default(),
            7,
            &[
                ("r1", 4, 2, 0, "move(0, -1)"),
                ("r2", 1, 0, 0, "charge()"),
                ("r3", 0, 1, 0, "charge()"),
            ],
        ),
        1,
    );
    assert_eq!(
        steps(&plans[0]),
        [
            ("r1".into(), wait("the battery is flat")),
            ("r2".into(), Step::Charge { units: 5 }),
            ("r3".into(), Step::Charge { units: 2 }),
        ],
        "five a tick, from batteries that held seven"
    );
    assert_eq!(plans[0].labour.drawn, 7);
    assert_eq!(field.robots[&robot_id("r2")].battery, 5);
}

#[test]
fn mining_yields_until_the_tile_is_dug_out_and_dust_yields_nothing() {
    // Regolith tiles hold 4 and a dig takes 2; the cargo holds 4.
    let (field, plans) = work(
        field(
            Stock::default(),
            0,
            &[("r1", 4, 2, 20, "mine()"), ("r2", 2, 1, 20, "mine()")],
        ),
        3,
    );
    let dig = |amount, left| Step::Mine {
        resource: Resource::Regolith,
        amount,
        left,
        cost: 2,
    };
    assert_eq!(steps(&plans[0])[0].1, dig(2, 2));
    assert_eq!(steps(&plans[1])[0].1, dig(2, 0));
    assert_eq!(steps(&plans[2])[0].1, wait("this tile is dug out"));
    assert_eq!(steps(&plans[0])[1].1, wait("dust holds nothing to dig"));
    assert_eq!(
        field.robots[&robot_id("r1")].cargo,
        Some((Resource::Regolith, 4))
    );
}

#[test]
fn every_program_sees_the_world_as_the_tick_began() {
    // r1 steps away from (4,0) first; r2's program still sees it there, because every program
    // decides against the start-of-tick world.
    let (field, _) = work(
        field(
            Stock::default(),
            0,
            &[
                ("r1", 4, 0, 20, "move(1, 0)"),
                (
                    "r2",
                    4,
                    1,
                    20,
                    "memory.above = world.robot_at(4, 0); wait()",
                ),
            ],
        ),
        1,
    );
    assert_eq!(
        field.robots[&robot_id("r2")].memory["above"],
        Value::Text("r1".into())
    );
}

#[test]
fn hauling_takes_from_and_gives_to_the_store_next_to_it() {
    let (field, plans) = work(
        field(
            Stock {
                ice: 3,
                ..Stock::default()
            },
            0,
            &[
                (
                    "r1",
                    1,
                    0,
                    20,
                    "if me.load == 0 { pick_up(\"ice\") } else { drop() }",
                ),
                ("r2", 0, 1, 20, "pick_up(\"ice\")"),
            ],
        ),
        2,
    );
    assert_eq!(
        steps(&plans[0]),
        [
            (
                "r1".into(),
                Step::PickUp {
                    from: Place::Store,
                    at: (1, 0),
                    resource: Resource::Ice,
                    amount: 3
                }
            ),
            ("r2".into(), wait("the store has no ice")),
        ]
    );
    assert_eq!(plans[0].labour.withdrawn.ice, 3);
    assert_eq!(steps(&plans[1])[0].1, Step::Drop { into: Place::Store });
    assert_eq!(plans[1].labour.delivered.ice, 3);
    assert_eq!(field.robots[&robot_id("r1")].cargo, None);
}

#[test]
fn what_is_dropped_away_from_the_store_lies_in_a_pile_to_pick_up() {
    let (field, plans) = work(
        field(
            Stock::default(),
            0,
            &[(
                "r1",
                4,
                2,
                20,
                "if tick == 1 { mine() } else if tick == 2 { drop() } else { pick_up() }",
            )],
        ),
        3,
    );
    assert_eq!(
        steps(&plans[1])[0].1,
        Step::Drop {
            into: Place::Ground
        }
    );
    assert_eq!(
        steps(&plans[2])[0].1,
        Step::PickUp {
            from: Place::Ground,
            at: (4, 2),
            resource: Resource::Regolith,
            amount: 2
        }
    );
    assert!(field.piles.is_empty());
}

#[test]
fn work_goes_to_a_site_next_to_the_robot() {
    let mut yard = field(
        Stock::default(),
        0,
        &[
            ("r1", 4, 1, 20, "work(5, 2)"),
            ("r2", 2, 2, 20, "work(5, 2)"),
        ],
    );
    yard.apply(&spawned("s1", "solar", 5, 2, 3, 0));
    let (_, plans) = work(yard, 1);
    assert_eq!(
        steps(&plans[0]),
        [
            (
                "r1".into(),
                Step::Work {
                    site: id("s1"),
                    cost: 2
                }
            ),
            ("r2".into(), wait("s1 is not next to it")),
        ]
    );
    assert_eq!(plans[0].labour.work, [(id("s1"), 1)]);
}

#[test]
fn a_failing_program_faults_its_robot_and_the_others_go_on() {
    let (field, plans) = work(
        field(
            Stock::default(),
            0,
            &[("r1", 4, 2, 20, "loop {}"), ("r2", 5, 2, 20, "move(0, -1)")],
        ),
        2,
    );
    assert!(
        matches!(&steps(&plans[0])[0].1, Step::Fault { message } if message.contains("budget")),
        "{:?}",
        plans[0]
    );
    assert!(field.robots[&robot_id("r1")].faulted);
    assert_eq!(
        steps(&plans[1]).len(),
        1,
        "a faulted robot is not run again"
    );
    assert_eq!(steps(&plans[1])[0].0, "r2");
}

#[test]
fn a_tick_shared_out_over_threads_is_the_tick_decided_on_one() {
    // Three hundred robots on a 40x20 yard, each deciding by where it stands, what it sees
    // and what it remembers: the plan is the same on one thread as on three.
    let map = SurfaceMap {
        name: "wide yard".into(),
        width: 40,
        height: 20,
        terrain: (0..20)
            .map(|y| {
                (0..40)
                    .map(|x| if (x * 3 + y) % 7 == 0 { '*' } else { '.' })
                    .collect()
            })
            .collect(),
    };
    let program = r#"
        memory.seen = (memory.seen ?? 0) + 1;
        let ice = world.nearest("ice");
        if me.x % 3 == 0 && ice != () { world.step_toward(ice.x, ice.y) }
        else if me.y % 2 == 0 { mine() }
        else if me.x % 5 == 0 { me.say(`at ${me.x},${me.y}`); wait() }
        else { move(1, 0) }
    "#;
    let names: Vec<String> = (1..=300).map(|n| format!("r{n}")).collect();
    let robots: Vec<(&str, u16, u16, u32, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let tile = 2 + 2 * i as u16;
            (name.as_str(), tile % 40, tile / 40 % 20, 50, program)
        })
        .collect();
    let field = field_on(&map, Stock::default(), 100, &robots, 1);
    let alone = plan_on(&field, 3, 1);
    assert_eq!(alone.acts.len(), 300);
    let kinds: std::collections::BTreeSet<&str> = alone
        .acts
        .iter()
        .map(|act| match &act.step {
            Step::Move { .. } => "move",
            Step::Mine { .. } => "mine",
            Step::Fault { .. } => "fault",
            _ => "other",
        })
        .collect();
    assert!(
        kinds.contains("move") && kinds.contains("mine") && !kinds.contains("fault"),
        "{kinds:?}"
    );
    assert!(alone.acts.iter().any(|act| !act.said.is_empty()));
    assert_eq!(plan_on(&field, 3, 3), alone);
    assert_eq!(plan(&field, 3), alone);
}

#[test]
fn from_ruleset_2_a_queue_moves_up_in_one_tick_whatever_its_ids() {
    // r1 follows r2 east: under ruleset 1, r1 acts first and finds r2 still there; from
    // ruleset 2 it tries again once r2 has moved.
    let robots = [
        ("r1", 2, 2, 20, "move(1, 0)"),
        ("r2", 3, 2, 20, "move(1, 0)"),
    ];
    let moved = |ruleset| {
        let (field, _) = work(
            field_on(&robot_map(), Stock::default(), 0, &robots, ruleset),
            1,
        );
        field.robots[&robot_id("r1")].at
    };
    assert_eq!(moved(1), (2, 2));
    assert_eq!(moved(2), (3, 2));
}

#[test]
fn from_ruleset_2_a_robot_that_chose_to_wait_gives_way() {
    // r2 stands idle on (3,2); r1 steps onto it and they swap places, whichever acts first.
    for (mover, idle) in [("r1", "r2"), ("r2", "r1")] {
        let robots = [(mover, 2, 2, 20, "move(1, 0)"), (idle, 3, 2, 20, "wait()")];
        let (field, plans) = work(field_on(&robot_map(), Stock::default(), 0, &robots, 2), 1);
        assert_eq!(field.robots[&robot_id(mover)].at, (3, 2), "{plans:?}");
        assert_eq!(field.robots[&robot_id(idle)].at, (2, 2), "{plans:?}");
        // Moved, not moving: it pays nothing.
        assert_eq!(field.robots[&robot_id(idle)].battery, 20);
        let (field, _) = work(field_on(&robot_map(), Stock::default(), 0, &robots, 1), 1);
        assert_eq!(field.robots[&robot_id(mover)].at, (2, 2), "ruleset 1 waits");
    }
}
