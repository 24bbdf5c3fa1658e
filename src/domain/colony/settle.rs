//! One tick of a colony, settled: a pure function from the colony as it stood, the buildings
//! and the tick, to the events that say what happened.
//!
//! The order of things in a tick, which the README's rules repeat for players:
//!
//! 1. Materials go from the store to construction sites, urgent sites first, then oldest
//!    first: each site takes
//!    all it still needs, or nothing while the store holds too little (so a costly site never
//!    hoards what a cheaper one behind it could be built with). A building switched off takes
//!    no part in anything below: it makes, uses, stores and houses nothing.
//! 2. Colonists aboard ships that have landed move in, as many as there are free beds, the
//!    earliest ship first; a ship that has waited its time leaves with whoever is still aboard.
//! 3. Colonists' oxygen and water are set aside first; then each building that turns inputs
//!    into outputs claims its inputs from what was in store at the start of the tick (life
//!    support first, then industry, each in the order built). One that finds too little idles.
//! 4. Crew work goes to fully supplied sites, oldest first, one unit a site. In a colony with
//!    robots there are no crews: a supplied site gets the work robots put into it this tick.
//!
//! Before all of this, in a colony with robots, what they took from the store and put into it
//! this tick settles, and the power they drew leaves the batteries; after the sites' materials,
//! robots ordered from factories that stand are paid for, oldest first, each whole or not yet.
//! 5. Power: what solar arrays (by day) and generators make, plus what batteries hold, goes to
//!    consumers in a fixed order: life support, then construction sites (so the colony can
//!    always build its way out of a shortage), then industry, each in the order built. One
//!    that needs more than is left goes without (a brown-out) and the rest is offered to the
//!    next. Batteries keep what is left, up to their capacity.
//! 6. Powered buildings make their outputs, which are in store for the next tick; colonists
//!    breathe and drink. A colonist lasts `grace` ticks without enough, then one dies a tick.
//! 7. The mission is checked: lost if more colonists died than it allows or its deadline
//!    passed, won on the first tick all its objectives hold.

use std::collections::BTreeMap;

use crate::domain::colony::events::{
    ColonistDied, ColonistsLanded, ColonyTicked, ColonyTickedV2, MissionLost, MissionWon,
    PowerRestored, PowerShort, RobotsAssembled, ShipDeparted,
};
use crate::domain::colony::state::ColonyState;
use crate::domain::colony::tick::{
    Delivery, IdleReason, Labour, PowerFlow, Score, Standing, Status, StatusChange, WaitReason,
    Work,
};
use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::resources::{Resource, Stock};
use crate::domain::ruleset::{Economy, Objective, Tier};

/// A consumer of power this tick, in the order power is offered.
struct Consumer<'a> {
    id: &'a BuildingId,
    need: u32,
    site: bool,
}

pub fn settle(
    colony: &ColonyState,
    tick: Tick,
    buildings: &[Standing],
    labour: Option<&Labour>,
    orders: &[RobotId],
    ruleset: u32,
) -> Vec<Event> {
    let rules = &colony.rules;
    let game_id = colony.game_id;
    let light = rules.daylight(tick);
    let kind = |b: &Standing| rules.economy(&b.kind);
    let ready: Vec<(&Standing, &Economy)> = buildings
        .iter()
        .filter(|b| b.ready)
        .filter_map(|b| Some((b, kind(b)?)))
        .collect();
    // Urgent sites first, then in the order they were planted.
    let mut sites: Vec<(&Standing, &Economy)> = buildings
        .iter()
        .filter(|b| !b.ready)
        .filter_map(|b| Some((b, kind(b)?)))
        .collect();
    sites.sort_by_key(|(b, _)| !b.urgent);
    // What works this tick: the finished buildings switched on.
    let working: Vec<(&Standing, &Economy)> = ready.iter().filter(|(b, _)| b.on).copied().collect();
    let mut stock = colony.stock;
    let mut batteries = colony.power;
    if let Some(labour) = labour {
        stock.take(&labour.withdrawn);
        stock.add(&labour.delivered);
        batteries = batteries.saturating_sub(labour.drawn);
    }
    let mut events = Vec::new();

    // 1. Materials to sites.
    let mut delivered = Vec::new();
    let mut supplied = Vec::new();
    let mut waiting = Vec::new();
    for (site, economy) in &sites {
        let had = colony.delivered.get(&site.id).copied().unwrap_or_default();
        let missing = had.shortfall(&economy.cost);
        let taken = if stock.covers(&missing) {
            stock.take(&missing);
            missing
        } else {
            Stock::default()
        };
        if !taken.is_empty() {
            delivered.push(Delivery {
                building: site.id.clone(),
                stock: taken,
            });
        }
        let mut now = had;
        now.add(&taken);
        if now.covers(&economy.cost) {
            supplied.push(*site);
        } else {
            waiting.push((
                &site.id,
                WaitReason::Materials(now.shortfall(&economy.cost)),
            ));
        }
    }
    let mut assembled = Vec::new();
    if let Some(robots) = &rules.robots {
        for robot in orders {
            if !stock.covers(&robots.cost) {
                break;
            }
            stock.take(&robots.cost);
            assembled.push(robot.clone());
        }
    }

    // 2. Landing, from the ships that are down, in order; a ship that waited its time
    // leaves with whoever found no bed.
    let beds: u32 = working.iter().map(|(_, e)| e.housing).sum();
    let mut living = colony.living;
    let mut lost = colony.lost;
    let ships = rules.mission.ships.iter().zip(&colony.aboard).enumerate();
    for (index, (ship, &aboard)) in ships.filter(|(_, (s, a))| tick >= s.tick && **a > 0) {
        let ship_index = u32::try_from(index).unwrap_or(u32::MAX);
        let count = aboard.min(beds.saturating_sub(living));
        let aboard = aboard - count;
        if count > 0 {
            living += count;
            events.push(Event::ColonistsLanded(ColonistsLanded {
                game_id,
                tick,
                ship: ship_index,
                count,
                aboard,
                living,
            }));
        }
        if aboard > 0 && tick >= ship.tick + ship.waits {
            lost += aboard;
            events.push(Event::ShipDeparted(ShipDeparted {
                game_id,
                tick,
                ship: ship_index,
                stranded: aboard,
            }));
        }
    }

    // 3. Inputs, colonists' first.
    let needs = Stock {
        oxygen: living.saturating_mul(rules.breathe),
        water: living.saturating_mul(rules.drink),
        ..Stock::default()
    };
    let breathing = stock.take_up_to(&needs);
    let mut idle = Vec::new();
    // Each building that works this tick, with how many times over it makes what it makes:
    // once, or (ruleset 2) once for each robot that ran it.
    let mut workers: Vec<(&Standing, &Economy, u32)> = Vec::new();
    let mut by_tier = working.clone();
    by_tier.sort_by_key(|(_, e)| e.tier);
    for (building, economy) in by_tier {
        let batches = match economy.operators_in(ruleset) {
            0 => 1,
            most => labour.map_or(0, |l| l.units_at(&building.id)).min(most),
        };
        if batches == 0 {
            idle.push((&building.id, IdleReason::Operator));
            continue;
        }
        if economy.produces.is_empty() && economy.consumes.is_empty() {
            // Makes nothing from inputs (housing, power plants, stores): it only draws power,
            // if it draws any.
            if economy.draws() {
                workers.push((building, economy, batches));
            }
            continue;
        }
        let inputs = economy.consumes.times(batches);
        match Resource::ALL
            .into_iter()
            .find(|r| stock.get(*r) < inputs.get(*r))
        {
            Some(missing) => idle.push((&building.id, IdleReason::Input(missing))),
            None => {
                stock.take(&inputs);
                workers.push((building, economy, batches));
            }
        }
    }
    // A generator that burns fuel makes power only when it had its fuel.
    let fuelled = |b: &Standing, e: &Economy| {
        e.consumes.is_empty() || workers.iter().any(|(w, _, _)| w.id == b.id)
    };

    // 4. Crews, or robots, to supplied sites.
    let mut crewed: Vec<(&Standing, u32)> = Vec::new();
    match labour {
        Some(labour) => {
            for site in supplied {
                let units = labour.units_at(&site.id);
                if units == 0 {
                    waiting.push((&site.id, WaitReason::Robot));
                } else {
                    crewed.push((site, units));
                }
            }
        }
        None => {
            let mut crew: u32 = working.iter().map(|(_, e)| e.crew).sum();
            for site in supplied {
                if crew == 0 {
                    waiting.push((&site.id, WaitReason::Crew));
                } else {
                    crew -= 1;
                    crewed.push((site, 1));
                }
            }
        }
    }

    // 5. Power, in the documented order.
    let produced: u32 = working
        .iter()
        .map(|(b, e)| {
            let generated = if fuelled(b, e) { e.generates } else { 0 };
            generated + if light.day { e.solar } else { 0 }
        })
        .sum();
    let capacity: u32 = working.iter().map(|(_, e)| e.storage).sum();
    fn building<'a>((b, e, _): &(&'a Standing, &Economy, u32)) -> Consumer<'a> {
        Consumer {
            id: &b.id,
            need: e.power,
            site: false,
        }
    }
    let (life, industry): (Vec<_>, Vec<_>) = workers
        .iter()
        .partition(|(_, e, _)| e.tier == Tier::LifeSupport);
    let consumers = life
        .into_iter()
        .map(building)
        .chain(crewed.iter().map(|(b, _)| Consumer {
            id: &b.id,
            need: rules.site_power,
            site: true,
        }))
        .chain(industry.into_iter().map(building));
    let mut available = produced.saturating_add(batteries);
    let (mut demand, mut power_used) = (0u32, 0u32);
    let mut unpowered = Vec::new();
    let mut powered = std::collections::BTreeSet::new();
    for c in consumers {
        demand = demand.saturating_add(c.need);
        if c.need <= available {
            available -= c.need;
            power_used += c.need;
            powered.insert(c.id.clone());
        } else {
            unpowered.push(c.id.clone());
            if c.site {
                waiting.push((c.id, WaitReason::Power));
            } else {
                idle.push((c.id, IdleReason::Power));
            }
        }
    }
    let stored = available.min(capacity);

    // 6. Making, breathing.
    let mut made = Stock::default();
    let mut consumed = Stock::default();
    for (building, economy, batches) in &workers {
        let inputs = economy.consumes.times(*batches);
        if powered.contains(&building.id) {
            made.add(&economy.produces.times(*batches));
            consumed.add(&inputs);
        } else {
            stock.add(&inputs);
        }
    }
    stock.add(&made);
    // What the tick made and used of each resource, for its rates.
    let mut used = breathing;
    used.add(&consumed);
    for d in &delivered {
        used.add(&d.stock);
    }
    if let Some(labour) = labour {
        made.add(&labour.delivered);
        used.add(&labour.withdrawn);
    }
    if let Some(robots) = &rules.robots {
        for _ in &assembled {
            used.add(&robots.cost);
        }
    }
    let short_of = Resource::ALL
        .into_iter()
        .find(|r| breathing.get(*r) < needs.get(*r));
    let mut distress = colony.distress;
    match short_of {
        None => distress = 0,
        Some(cause) => {
            distress += 1;
            if distress > rules.grace && living > 0 {
                living -= 1;
                lost += 1;
                events.push(Event::ColonistDied(ColonistDied {
                    game_id,
                    tick,
                    cause,
                    living,
                }));
            }
        }
    }
    let work: Vec<Work> = crewed
        .iter()
        .filter(|(site, _)| powered.contains(&site.id))
        .map(|(site, units)| Work {
            building: site.id.clone(),
            units: *units,
        })
        .collect();
    let now: BTreeMap<&BuildingId, Status> = waiting
        .into_iter()
        .map(|(id, reason)| (id, Status::Waiting(reason)))
        .chain(
            idle.into_iter()
                .map(|(id, reason)| (id, Status::Idle(reason))),
        )
        .collect();
    let changes = buildings
        .iter()
        .filter_map(|b| {
            let was = colony.status.get(&b.id);
            let is = now.get(&b.id);
            (was != is).then(|| StatusChange {
                building: b.id.clone(),
                now: is.cloned(),
            })
        })
        .collect();
    let short = !unpowered.is_empty();
    let power = PowerFlow {
        produced,
        demand,
        used: power_used,
        stored,
        capacity,
    };
    let ticked = if ruleset >= 2 {
        Event::ColonyTickedV2(ColonyTickedV2 {
            game_id,
            tick,
            day: light.day,
            power,
            stock,
            made,
            used,
            delivered,
            work,
            changes,
            short,
            distress,
        })
    } else {
        Event::ColonyTicked(ColonyTicked {
            game_id,
            tick,
            day: light.day,
            power,
            stock,
            delivered,
            work,
            changes,
            short,
            distress,
        })
    };
    events.insert(0, ticked);
    if !assembled.is_empty() {
        events.insert(
            1,
            Event::RobotsAssembled(RobotsAssembled {
                game_id,
                robots: assembled,
                tick,
            }),
        );
    }
    if short && !colony.short {
        events.push(Event::PowerShort(PowerShort {
            game_id,
            tick,
            unpowered,
            needed: demand,
            available: produced.saturating_add(batteries),
        }));
    } else if !short && colony.short {
        events.push(Event::PowerRestored(PowerRestored { game_id, tick }));
    }

    // 7. The mission.
    let mission = &rules.mission;
    let brownout_ticks = colony.brownout_ticks + u32::from(short);
    let score = |won: bool| {
        let spare = match (won, mission.deadline) {
            (true, Some(deadline)) => deadline.saturating_sub(tick),
            _ => 0,
        };
        Score {
            won,
            ticks: tick,
            colonists: living,
            lost,
            buildings: ready.len() as u32,
            brownout_ticks,
            banked: stock.total(),
            spare,
            points: Score::points(won, living, lost, spare, stock.total(), brownout_ticks),
        }
    };
    let holds = |objective: &Objective| match objective {
        Objective::Build { kind, count } => {
            ready.iter().filter(|(b, _)| &b.kind == kind).count() as u64 >= u64::from(*count)
        }
        Objective::Stock { resource, amount } => stock.get(*resource) >= *amount,
        Objective::Colonists { count } => living >= *count,
        Objective::Reach { tick: at } => tick >= *at,
    };
    if lost > mission.max_losses {
        let were = if lost == 1 {
            "1 colonist was lost".to_owned()
        } else {
            format!("{lost} colonists were lost")
        };
        let reason = match mission.max_losses {
            0 => format!("{were}, and this mission allows no losses"),
            most => format!("{were}, and this mission allows at most {most}"),
        };
        events.push(Event::MissionLost(MissionLost {
            game_id,
            tick,
            reason,
            score: score(false),
        }));
    } else if !mission.objectives.is_empty() && mission.objectives.iter().all(holds) {
        events.push(Event::MissionWon(MissionWon {
            game_id,
            tick,
            score: score(true),
        }));
    } else if mission.deadline.is_some_and(|deadline| tick >= deadline) {
        events.push(Event::MissionLost(MissionLost {
            game_id,
            tick,
            reason: "the deadline passed with the objectives unmet".into(),
            score: score(false),
        }));
    }
    events
}
