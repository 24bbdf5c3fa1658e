//! The colony's rules, given events and a tick to settle, then the events it records.

use crate::domain::colony::Colony;
use crate::domain::colony::commands::ColonyCommand;
use crate::domain::colony::tick::{IdleReason, Labour, Standing, Status, WaitReason};
use crate::domain::event::Event;
use crate::domain::fixtures::robot_rules;
use crate::domain::fixtures::{founded, id, rules, standing};
use crate::domain::ids::RobotId;
use crate::domain::resources::{Resource, Stock};
use crate::domain::ruleset::{Objective, Ruleset, Ship};

/// Settles `tick` for a colony founded with `rules` that went through `given`, and returns
/// what it records.
fn settle(rules: Ruleset, given: &[Event], tick: u64, buildings: &[Standing]) -> Vec<Event> {
    let state = std::iter::once(founded(rules))
        .chain(given.iter().cloned())
        .fold(Colony::initial(), |s, e| s.evolve(&e));
    state
        .decide(&ColonyCommand::Settle {
            tick,
            buildings: buildings.to_vec(),
            labour: None,
            orders: Vec::new(),
            ruleset: 1,
        })
        .unwrap()
}

/// Settles ticks 1..=n with the same buildings, folding each tick's events into the next.
fn run(rules: Ruleset, ticks: u64, buildings: &[Standing]) -> Vec<Vec<Event>> {
    let mut given = Vec::new();
    let mut all = Vec::new();
    for tick in 1..=ticks {
        let events = settle(rules.clone(), &given, tick, buildings);
        given.extend(events.iter().cloned());
        all.push(events);
    }
    all
}

fn ticked(events: &[Event]) -> &crate::domain::colony::events::ColonyTicked {
    match &events[0] {
        Event::ColonyTicked(t) => t,
        other => panic!("the first event is {other:?}"),
    }
}

/// What a settled tick says changed for a building: why it does nothing from now on.
fn status<'a>(
    t: &'a crate::domain::colony::events::ColonyTicked,
    building: &str,
) -> Option<&'a Status> {
    t.changes
        .iter()
        .find(|c| c.building == id(building))
        .and_then(|c| c.now.as_ref())
}

fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::type_name).collect()
}

#[test]
fn life_support_gets_power_first_and_the_rest_go_without_in_order() {
    let mut rules = rules();
    rules.start.stock = Stock {
        ice: 10,
        water: 10,
        ..Stock::default()
    };
    // The HQ makes 2 a tick and stores nothing yet: the oxygen generator (life support) takes
    // both; the ice extractor (industry) goes without.
    let buildings = [
        standing("hq", "hq", true),
        standing("ice1", "ice", true),
        standing("oxy1", "oxygen", true),
    ];
    let events = settle(rules, &[], 1, &buildings);
    assert_eq!(names(&events), ["colony_ticked", "power_short"]);
    let t = ticked(&events);
    assert_eq!((t.power.produced, t.power.demand, t.power.used), (2, 4, 2));
    assert_eq!(t.changes.len(), 1);
    assert_eq!(status(t, "ice1"), Some(&Status::Idle(IdleReason::Power)));
    assert!(t.short);
    assert_eq!((t.stock.water, t.stock.oxygen, t.stock.ice), (9, 3, 10));
    let Event::PowerShort(short) = &events[1] else {
        unreachable!()
    };
    assert_eq!(short.unpowered, [id("ice1")]);
}

#[test]
fn a_brown_out_is_recorded_when_it_starts_and_when_it_ends() {
    let mut rules = rules();
    rules.start.stock.ice = 100;
    rules.economy[0].storage = 0;
    // By day the solar array covers everything; at night (ticks 10 to 14) it does not, and
    // nothing stores power.
    let buildings = [
        standing("hq", "hq", true),
        standing("s1", "solar", true),
        standing("ice1", "ice", true),
        standing("ice2", "ice", true),
    ];
    let ticks = run(rules, 16, &buildings);
    let marks: Vec<(u64, &str)> = ticks
        .iter()
        .enumerate()
        .flat_map(|(i, events)| {
            events
                .iter()
                .filter(|e| matches!(e, Event::PowerShort(_) | Event::PowerRestored(_)))
                .map(move |e| (i as u64 + 1, e.type_name()))
        })
        .collect();
    assert_eq!(marks, [(10, "power_short"), (15, "power_restored")]);
    assert!(ticked(&ticks[9]).power.produced == 2 && !ticked(&ticks[9]).day);
}

#[test]
fn batteries_carry_the_day_into_the_night() {
    let mut rules = rules();
    rules.start.stock.ice = 100;
    let buildings = [
        standing("hq", "hq", true),
        standing("s1", "solar", true),
        standing("s2", "solar", true),
        standing("b1", "battery", true),
        standing("ice1", "ice", true),
        standing("ice2", "ice", true),
    ];
    // By day 10 made, 4 used: 6 a tick goes to the batteries; at night 2 made, 4 used.
    let ticks = run(rules, 15, &buildings);
    assert_eq!(ticked(&ticks[8]).power.stored, 54);
    assert!(
        ticks
            .iter()
            .all(|events| names(events) == ["colony_ticked"])
    );
    assert_eq!(ticked(&ticks[13]).power.stored, 44);
    assert_eq!(ticked(&ticks[14]).power.stored, 50, "dawn");
}

#[test]
fn a_site_waits_for_materials_then_crew_then_power() {
    let mut rules = rules();
    rules.start.stock.regolith = 3;
    let site = |ready| standing("s1", "solar", ready);
    // Three regolith in store, five needed: the site takes none and waits for all five.
    let events = settle(
        rules.clone(),
        &[],
        1,
        &[standing("hq", "hq", true), site(false)],
    );
    let t = ticked(&events);
    assert!(t.delivered.is_empty());
    assert_eq!(t.stock.regolith, 3);
    assert_eq!(
        status(t, "s1"),
        Some(&Status::Waiting(WaitReason::Materials(Stock {
            regolith: 5,
            ..Stock::default()
        })))
    );
    assert!(t.work.is_empty());
    // A costlier site ahead does not hoard: the cheaper one behind it is supplied first.
    let mut costly = rules.clone();
    costly.economy[1].cost.regolith = 3;
    costly.economy[2].cost.regolith = 10;
    let line = [
        standing("hq", "hq", true),
        standing("b1", "battery", false),
        site(false),
    ];
    let t = settle(costly, &[], 1, &line);
    let t = ticked(&t);
    assert_eq!(t.delivered.len(), 1);
    assert_eq!(t.delivered[0].building, id("s1"));
    // Supplied, but the only crew is busy on an older site.
    rules.start.stock.regolith = 10;
    let both = [
        standing("hq", "hq", true),
        standing("s0", "solar", false),
        site(false),
    ];
    let t = settle(rules.clone(), &[], 1, &both);
    let t = ticked(&t);
    assert_eq!(t.work.len(), 1);
    assert_eq!(t.work[0].building, id("s0"));
    assert_eq!(status(t, "s1"), Some(&Status::Waiting(WaitReason::Crew)));
    // Supplied and crewed, but the colony has no power to spare for construction.
    rules.economy[0].generates = 0;
    let t = settle(rules, &[], 1, &[standing("hq", "hq", true), site(false)]);
    assert_eq!(
        status(ticked(&t), "s1"),
        Some(&Status::Waiting(WaitReason::Power))
    );
}

#[test]
fn inputs_come_from_the_store_as_it_was_at_the_start_of_the_tick() {
    let mut rules = rules();
    rules.economy[0].generates = 20;
    let buildings = [
        standing("hq", "hq", true),
        standing("ice1", "ice", true),
        standing("w1", "water", true),
    ];
    // No ice in store at tick 1: the water generator idles while the extractor makes some.
    let ticks = run(rules, 2, &buildings);
    let first = ticked(&ticks[0]);
    assert_eq!(
        status(first, "w1"),
        Some(&Status::Idle(IdleReason::Input(Resource::Ice)))
    );
    assert_eq!((first.stock.ice, first.stock.water), (2, 0));
    let second = ticked(&ticks[1]);
    // It works again: the change is recorded once, then nothing while it works on.
    assert_eq!(second.changes.len(), 1);
    assert_eq!(status(second, "w1"), None);
    assert_eq!((second.stock.ice, second.stock.water), (2, 2));
}

#[test]
fn colonists_land_as_beds_allow_and_die_after_their_grace() {
    let mut rules = rules();
    rules.mission.ships = vec![Ship {
        tick: 2,
        colonists: 3,
        waits: 100,
    }];
    rules.mission.max_losses = 5;
    rules.start.stock = Stock {
        oxygen: 4,
        water: 100,
        ..Stock::default()
    };
    let buildings = [
        standing("hq", "hq", true),
        standing("home", "housing", true),
    ];
    let ticks = run(rules, 8, &buildings);
    assert!(
        names(&ticks[0]) == ["colony_ticked"],
        "nobody before arrival"
    );
    let Event::ColonistsLanded(landed) = &ticks[1][1] else {
        panic!("{:?}", ticks[1]);
    };
    assert_eq!((landed.count, landed.aboard, landed.living), (2, 1, 2));
    // Four oxygen lasts two colonists two ticks; then they last `grace` (2) ticks more. The
    // bed a death frees takes in the third colonist, who fares no better.
    let died: Vec<u64> = ticks
        .iter()
        .enumerate()
        .filter(|(_, events)| events.iter().any(|e| e.type_name() == "colonist_died"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(died, [6, 7, 8]);
    assert!(names(&ticks[6]).contains(&"colonists_landed"));
    let Some(Event::ColonistDied(last)) =
        ticks[7].iter().find(|e| e.type_name() == "colonist_died")
    else {
        unreachable!()
    };
    assert_eq!((last.cause, last.living), (Resource::Oxygen, 0));
}

#[test]
fn a_mission_is_won_when_its_objectives_hold_and_lost_past_its_deadline() {
    let mut rules = rules();
    rules.mission.objectives = vec![
        Objective::Build {
            kind: "solar".into(),
            count: 1,
        },
        Objective::Reach { tick: 3 },
    ];
    rules.mission.deadline = Some(5);
    let built = [standing("hq", "hq", true), standing("s1", "solar", true)];
    let ticks = run(rules.clone(), 3, &built);
    assert_eq!(names(&ticks[2]), ["colony_ticked", "mission_won"]);
    let Event::MissionWon(won) = &ticks[2][1] else {
        unreachable!()
    };
    assert!(won.score.won);
    assert_eq!(won.score.spare, 2);
    // Without the solar array the deadline passes.
    let ticks = run(rules, 5, &[standing("hq", "hq", true)]);
    assert_eq!(names(&ticks[4]), ["colony_ticked", "mission_lost"]);
    // After the end, nothing more is settled.
    let given: Vec<Event> = ticks.into_iter().flatten().collect();
    let ended = std::iter::once(founded(crate::domain::fixtures::rules()))
        .chain(given)
        .fold(Colony::initial(), |s, e| s.evolve(&e));
    assert_eq!(
        ended
            .decide(&ColonyCommand::Settle {
                tick: 6,
                buildings: Vec::new(),
                labour: None,
                orders: Vec::new(),
                ruleset: 1,
            })
            .map_err(|r| r.code()),
        Err("game_stopped")
    );
}

#[test]
fn losing_more_colonists_than_allowed_loses_the_mission() {
    let mut rules = rules();
    rules.mission.ships = vec![Ship {
        tick: 1,
        colonists: 2,
        waits: 100,
    }];
    rules.mission.deadline = Some(100);
    rules.mission.objectives = vec![Objective::Reach { tick: 100 }];
    rules.grace = 0;
    let ticks = run(
        rules,
        1,
        &[
            standing("hq", "hq", true),
            standing("home", "housing", true),
        ],
    );
    assert_eq!(
        names(&ticks[0]),
        [
            "colony_ticked",
            "colonists_landed",
            "colonist_died",
            "mission_lost"
        ]
    );
}

#[test]
fn ticks_are_settled_in_order_only() {
    let state = founded(rules());
    let colony = Colony::initial().evolve(&state);
    let out_of_order = colony.decide(&ColonyCommand::Settle {
        tick: 3,
        buildings: Vec::new(),
        labour: None,
        orders: Vec::new(),
        ruleset: 1,
    });
    assert_eq!(out_of_order.map_err(|r| r.code()), Err("tick_out_of_order"));
}

#[test]
fn a_ship_leaves_with_whoever_found_no_bed_and_they_count_as_lost() {
    let mut rules = rules();
    rules.start.stock = Stock {
        oxygen: 1000,
        water: 1000,
        ..Stock::default()
    };
    rules.mission.ships = vec![
        Ship {
            tick: 1,
            colonists: 3,
            waits: 2,
        },
        Ship {
            tick: 4,
            colonists: 1,
            waits: 5,
        },
    ];
    rules.mission.max_losses = 1;
    // Two beds: two land from the first ship, the third waits two ticks, then the ship goes.
    let ticks = run(
        rules,
        4,
        &[
            standing("hq", "hq", true),
            standing("home", "housing", true),
        ],
    );
    assert_eq!(names(&ticks[0]), ["colony_ticked", "colonists_landed"]);
    assert_eq!(names(&ticks[1]), ["colony_ticked"]);
    let Event::ShipDeparted(left) = &ticks[2][1] else {
        panic!("{:?}", ticks[2]);
    };
    assert_eq!((left.ship, left.stranded), (0, 1));
    // One lost is allowed; the second ship finds no bed yet and waits.
    assert_eq!(names(&ticks[3]), ["colony_ticked"]);
}

/// Settles tick 1 of a colony with robots, with what the robots did and the robots ordered.
fn settle_with_robots(
    mut rules: Ruleset,
    buildings: &[Standing],
    labour: Labour,
    orders: &[&str],
) -> Vec<Event> {
    rules.robots = Some(crate::domain::ruleset::RobotRules {
        factory: "battery".into(),
        cost: Stock {
            regolith: 6,
            ..Stock::default()
        },
        ..robot_rules()
    });
    Colony::initial()
        .evolve(&founded(rules))
        .decide(&ColonyCommand::Settle {
            tick: 1,
            buildings: buildings.to_vec(),
            labour: Some(labour),
            orders: orders.iter().map(|r| RobotId::parse(r).unwrap()).collect(),
            ruleset: 1,
        })
        .unwrap()
}

#[test]
fn with_robots_a_site_gets_the_work_they_put_in_and_no_crew() {
    let mut rules = rules();
    rules.start.stock.regolith = 10;
    let buildings = [
        standing("hq", "hq", true),
        standing("s0", "solar", false),
        standing("s1", "solar", false),
    ];
    let labour = Labour {
        work: vec![(id("s1"), 2)],
        ..Labour::default()
    };
    let events = settle_with_robots(rules, &buildings, labour, &[]);
    let t = ticked(&events);
    // The HQ's crew would have taken the older site; robots worked on the newer one, twice.
    assert_eq!(t.work.len(), 1);
    assert_eq!((t.work[0].building.as_str(), t.work[0].units), ("s1", 2));
    assert_eq!(status(t, "s0"), Some(&Status::Waiting(WaitReason::Robot)));
}

#[test]
fn robots_deliveries_withdrawals_and_charging_settle_before_anything_else() {
    let mut rules = rules();
    rules.start.stock.regolith = 0;
    rules.start.stock.ice = 5;
    rules.start.power = 10;
    rules.economy[0].generates = 0;
    let labour = Labour {
        delivered: Stock {
            regolith: 4,
            ..Stock::default()
        },
        withdrawn: Stock {
            ice: 2,
            ..Stock::default()
        },
        drawn: 7,
        ..Labour::default()
    };
    let events = settle_with_robots(rules, &[standing("hq", "hq", true)], labour, &[]);
    let t = ticked(&events);
    assert_eq!((t.stock.regolith, t.stock.ice), (4, 3));
    assert_eq!(
        t.power.stored, 3,
        "ten in the batteries, seven drawn by robots"
    );
}

#[test]
fn robots_are_paid_for_oldest_first_each_whole_or_not_yet() {
    let mut rules = rules();
    rules.start.stock.regolith = 13;
    let events = settle_with_robots(
        rules,
        &[standing("hq", "hq", true)],
        Labour::default(),
        &["r1", "r2", "r3"],
    );
    let t = ticked(&events);
    let paid: Vec<&str> = events
        .iter()
        .find_map(|e| match e {
            Event::RobotsAssembled(a) => Some(a.robots.iter().map(RobotId::as_str).collect()),
            _ => None,
        })
        .unwrap_or_default();
    assert_eq!(paid, ["r1", "r2"], "six each: the third waits");
    assert_eq!(t.stock.regolith, 1);
}

/// Settles tick 1 under ruleset 2 and returns what it recorded.
fn settle_v2(rules: Ruleset, buildings: &[Standing]) -> Vec<Event> {
    Colony::initial()
        .evolve(&founded(rules))
        .decide(&ColonyCommand::Settle {
            tick: 1,
            buildings: buildings.to_vec(),
            labour: None,
            orders: Vec::new(),
            ruleset: 2,
        })
        .unwrap()
}

#[test]
fn a_building_switched_off_makes_uses_and_wants_nothing() {
    let mut rules = rules();
    rules.start.stock.ice = 10;
    let on = [standing("hq", "hq", true), standing("w", "water", true)];
    let Event::ColonyTickedV2(working) = &settle_v2(rules.clone(), &on)[0] else {
        panic!("ruleset 2 records colony_ticked_v2");
    };
    assert_eq!((working.stock.ice, working.stock.water), (8, 2));
    assert_eq!((working.made.water, working.used.ice), (2, 2));
    assert_eq!(working.power.demand, 2);
    let off = [
        standing("hq", "hq", true),
        Standing {
            on: false,
            ..standing("w", "water", true)
        },
    ];
    let Event::ColonyTickedV2(idle) = &settle_v2(rules, &off)[0] else {
        panic!("ruleset 2 records colony_ticked_v2");
    };
    assert_eq!((idle.stock.ice, idle.stock.water), (10, 0));
    assert!(idle.made.is_empty() && idle.used.is_empty());
    assert_eq!(idle.power.demand, 0);
}

#[test]
fn an_urgent_site_takes_its_materials_first() {
    let mut rules = rules();
    rules.start.stock.regolith = 5;
    let buildings = [
        standing("hq", "hq", true),
        standing("s0", "solar", false),
        Standing {
            urgent: true,
            ..standing("s1", "solar", false)
        },
    ];
    let Event::ColonyTickedV2(t) = &settle_v2(rules, &buildings)[0] else {
        panic!("ruleset 2 records colony_ticked_v2");
    };
    assert_eq!(t.delivered.len(), 1);
    assert_eq!(t.delivered[0].building, id("s1"));
}

#[test]
fn taking_down_gives_back_a_sites_deliveries_or_half_a_buildings_cost() {
    let mut rules = rules();
    rules.start.stock.regolith = 20;
    let founded_with = founded(rules.clone());
    let tick = Colony::initial()
        .evolve(&founded_with)
        .decide(&ColonyCommand::Settle {
            tick: 1,
            buildings: vec![standing("hq", "hq", true), standing("s0", "solar", false)],
            labour: None,
            orders: Vec::new(),
            ruleset: 2,
        })
        .unwrap();
    let colony = std::iter::once(&founded_with)
        .chain(&tick)
        .fold(Colony::initial(), |s, e| s.evolve(e));
    let reclaim = |building: &str, site| ColonyCommand::Reclaim {
        building_id: id(building),
        kind: "solar".into(),
        site,
        tick: 2,
    };
    let given_back = |command| match &colony.decide(&command).unwrap()[..] {
        [Event::MaterialsReclaimed(e)] => e.stock.regolith,
        other => panic!("{other:?}"),
    };
    // The site had its 5 regolith delivered; a finished array cost 5, half of which is 2.
    assert_eq!(given_back(reclaim("s0", true)), 5);
    assert_eq!(given_back(reclaim("s9", false)), 2);
    assert_eq!(given_back(reclaim("s9", true)), 0);
}
