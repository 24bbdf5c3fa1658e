//! Read model: the most recent notable events, one readable line each.
//!
//! Plain ticks and per-tick progress are left out: the map and panels show those, and a feed
//! of them would scroll every other line away within a tick.

use std::collections::HashMap;
use std::sync::Arc;

use imbl::Vector;
use serde::{Deserialize, Serialize};

use crate::domain::colony::events::Ticked;

use crate::domain::event::Event;

use crate::domain::ids::Tick;
use crate::domain::resources::{Resource, Stock};
use crate::domain::robot::events::Place;
use crate::domain::ruleset::Ruleset;
use crate::domain::text::with_article;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct FeedLine {
    pub tick: Tick,
    pub text: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct FeedView {
    lines: Vector<FeedLine>,
    /// Display names by building type, from `game_started` (law 3: nothing from the assets).
    names: Arc<HashMap<String, String>>,
    /// A colony game's rules, for its alerts; and what the alerts last said.
    rules: Option<Arc<Ruleset>>,
    day: bool,
    living: u32,
    low: Vec<Resource>,
}

/// How many ticks ahead nightfall is announced, and how few ticks of oxygen or water left
/// count as running low.
pub const WARNING_TICKS: u32 = 10;

impl FeedView {
    /// How many lines the feed keeps; older ones scroll away.
    pub const CAPACITY: usize = 64;

    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &FeedLine> + ExactSizeIterator {
        self.lines.iter()
    }

    fn push(&mut self, tick: Tick, text: String) {
        if self.lines.len() == Self::CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(FeedLine { tick, text });
    }

    fn start(&mut self, catalogue: &[crate::domain::catalogue::BuildingKind]) {
        self.names = Arc::new(
            catalogue
                .iter()
                .map(|k| (k.key.clone(), k.name.clone()))
                .collect(),
        );
    }

    /// What a settled tick tells a player: the light changing soon or now, and oxygen or water
    /// running low (each said once, when it starts).
    fn alerts(&mut self, e: &Ticked<'_>) {
        let Some(rules) = self.rules.clone() else {
            return;
        };
        let light = rules.daylight(e.tick);
        if light.day != self.day {
            let text = if light.day {
                "dawn: the solar arrays wake"
            } else {
                "night fell: the solar arrays rest until dawn"
            };
            self.push(e.tick, text.into());
        } else if light.day && light.until_change == WARNING_TICKS {
            self.push(
                e.tick,
                format!("night falls in {WARNING_TICKS} ticks: charge the batteries"),
            );
        }
        self.day = light.day;
        let low = running_low(&rules, &e.stock, self.living, e.distress);
        for resource in &low {
            if !self.low.contains(resource) {
                self.push(
                    e.tick,
                    format!("{} runs low: the colonists need more", resource.name()),
                );
            }
        }
        self.low = low;
    }

    /// `project` in place: the fold's hot path, with no copy of the view per event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => self.start(&e.catalogue),
            Event::GameStartedV2(_) | Event::GameStartedV3(_) => {
                if let Some(e) = event.colony_start() {
                    self.start(e.catalogue);
                    self.day = e.rules.daylight(e.tick).day;
                    self.rules = Some(Arc::new(e.rules.clone()));
                }
            }
            Event::ColonyTicked(_) | Event::ColonyTickedV2(_) => {
                if let Some(e) = event.colony_ticked() {
                    self.alerts(&e);
                }
                return;
            }
            Event::ColonistsLanded(e) => self.living = e.living,
            Event::ColonistDied(e) => self.living = e.living,
            // A robot's every step belongs to its panel and what it says to the console.
            Event::GameloopAdvanced(_)
            | Event::ConstructionProgressed(_)
            | Event::ColonyFounded(_)
            | Event::RobotMoved(_)
            | Event::RobotMined(_)
            | Event::RobotPickedUp(_)
            | Event::RobotDropped(_)
            | Event::RobotWorked(_)
            | Event::RobotCharged(_)
            | Event::RobotSaid(_)
            | Event::RobotSent(_)
            | Event::RobotWaited(_)
            // The surface's side of a taking down: the building's own event said it.
            | Event::TileCleared(_) => return,
            _ => {}
        }
        self.push(event.tick(), describe(event, &self.names));
    }

    pub fn project(mut self, event: &Event) -> FeedView {
        self.apply(event);
        self
    }
}

/// Which of oxygen and water will last `living` colonists fewer than [`WARNING_TICKS`] more
/// ticks (or already fall short).
pub fn running_low(rules: &Ruleset, stock: &Stock, living: u32, distress: u32) -> Vec<Resource> {
    if living == 0 {
        return Vec::new();
    }
    [
        (Resource::Oxygen, rules.breathe),
        (Resource::Water, rules.drink),
    ]
    .into_iter()
    .filter(|(r, rate)| {
        distress > 0 || stock.get(*r) < living.saturating_mul(*rate) * WARNING_TICKS
    })
    .map(|(r, _)| r)
    .collect()
}

/// A stock as words: "40 regolith, 12 ice"; "nothing" when empty.
pub fn stock_words(stock: &Stock) -> String {
    let parts: Vec<String> = Resource::ALL
        .iter()
        .filter(|r| stock.get(**r) > 0)
        .map(|r| format!("{} {}", stock.get(*r), r.name()))
        .collect();
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
    }
}

/// One event as a sentence a person reads; `names` gives building types their display names
/// (from `game_started`: law 3, nothing from the assets).
pub fn describe(event: &Event, names: &HashMap<String, String>) -> String {
    let name = |key: &str| names.get(key).map_or(key, String::as_str).to_owned();
    match event {
        Event::GameStarted(e) => format!(
            "{} founded {} on map {} ({}x{}), seed {}",
            e.player, e.name, e.map.name, e.map.width, e.map.height, e.seed
        ),
        Event::GameStartedV2(e) => format!(
            "{} founded {} on map {} for the mission {}: {}",
            e.player, e.name, e.map.name, e.rules.mission.title, e.rules.mission.goal
        ),
        Event::GameStartedV3(e) => format!(
            "{} founded {} on map {} for the mission {}: {} (ruleset {})",
            e.player, e.name, e.map.name, e.rules.mission.title, e.rules.mission.goal, e.ruleset
        ),
        Event::GameloopAdvanced(e) => format!("tick {} began", e.tick),
        Event::SitePlanted(e) => format!(
            "{} planted {} site {} at ({},{}), {} ticks of work",
            e.player,
            with_article(&name(&e.building_type)),
            e.building_id,
            e.x,
            e.y,
            e.work_required
        ),
        Event::BuildingSpawned(e) => format!(
            "{} {} is under construction",
            name(&e.building_type),
            e.building_id
        ),
        Event::BuildingSpawnedV2(e) => {
            format!("{} {} is under construction", e.name, e.building_id)
        }
        Event::BuildingPlaced(e) => format!(
            "{} {} stands ready at ({},{})",
            e.name, e.building_id, e.x, e.y
        ),
        Event::ConstructionProgressed(e) => format!(
            "{} has {} of {} ticks of work done",
            e.building_id, e.work_done, e.work_required
        ),
        Event::ConstructionCompleted(e) => format!("{} is complete", e.building_id),
        Event::GameStopped(e) => format!("the game stopped at tick {}", e.tick),
        Event::ColonyFounded(e) => format!(
            "the colony opened its stores: {}, {} power",
            stock_words(&e.rules.start.stock),
            e.rules.start.power
        ),
        Event::ColonyTicked(e) => format!(
            "tick {} settled: {} power made, {} used, {} stored; in store {}",
            e.tick,
            e.power.produced,
            e.power.used,
            e.power.stored,
            stock_words(&e.stock)
        ),
        Event::ColonyTickedV2(e) => format!(
            "tick {} settled: {} power made, {} used, {} stored; made {}, used {}; in store {}",
            e.tick,
            e.power.produced,
            e.power.used,
            e.power.stored,
            stock_words(&e.made),
            stock_words(&e.used),
            stock_words(&e.stock)
        ),
        Event::PowerShort(e) => {
            let ids: Vec<String> = e.unpowered.iter().map(ToString::to_string).collect();
            format!(
                "brown-out: {} went without power ({} wanted, {} on hand)",
                ids.join(", "),
                e.needed,
                e.available
            )
        }
        Event::PowerRestored(_) => "power is back: every consumer has what it needs".into(),
        Event::ColonistsLanded(e) if e.aboard > 0 => format!(
            "{} colonists landed; {} still aboard wait for a bed",
            e.count, e.aboard
        ),
        Event::ColonistsLanded(e) => format!("{} colonists landed and moved in", e.count),
        Event::ShipDeparted(e) => format!(
            "the ship could wait no longer and left with {} colonists who found no bed",
            e.stranded
        ),
        Event::ColonistDied(e) => format!(
            "a colonist died for lack of {}; {} live on",
            e.cause.name(),
            e.living
        ),
        Event::MissionWon(e) => {
            format!("mission won at tick {}: {} points", e.tick, e.score.points)
        }
        Event::MissionLost(e) => format!(
            "mission lost at tick {}: {}; {} points",
            e.tick, e.reason, e.score.points
        ),
        Event::RobotOrdered(e) => format!(
            "robot {} was ordered from {}: it comes out once the store can pay for it",
            e.robot_id, e.factory
        ),
        Event::RobotOrderedV2(e) => format!(
            "robot {} was ordered from {}, to run {}: it comes out once the store can pay for it",
            e.robot_id,
            e.factory,
            e.program.as_ref().map_or("no program", |p| p.name.as_str())
        ),
        Event::BuildingSwitched(e) => format!(
            "{} was switched {}",
            e.building_id,
            if e.on { "on" } else { "off" }
        ),
        Event::SiteMarkedUrgent(e) if e.urgent => {
            format!("{} is urgent: its materials come first", e.building_id)
        }
        Event::SiteMarkedUrgent(e) => format!("{} is no longer urgent", e.building_id),
        Event::BuildingDemolished(e) => format!(
            "{} {} was taken down",
            if e.site { "the site" } else { "the building" },
            e.building_id
        ),
        Event::TileCleared(e) => format!("the tile of {} is free again", e.building_id),
        Event::MaterialsReclaimed(e) => format!(
            "{} back in store from {}",
            stock_words(&e.stock),
            e.building_id
        ),
        Event::RobotSent(e) => match &e.to {
            Some(to) => format!("{} sent {} a message", e.robot_id, to),
            None => format!("{} sent every robot a message", e.robot_id),
        },
        Event::RobotPlanted(e) => format!(
            "{} planted {} site {} at ({},{})",
            e.robot_id,
            with_article(&name(&e.building_type)),
            e.building_id,
            e.x,
            e.y
        ),
        Event::RobotsAssembled(e) => {
            let robots: Vec<&str> = e.robots.iter().map(|r| r.as_str()).collect();
            match robots.as_slice() {
                [one] => format!("robot {one} was assembled, paid for from the store"),
                many => format!(
                    "robots {} were assembled, paid for from the store",
                    many.join(", ")
                ),
            }
        }
        Event::RobotDeployed(e) => {
            format!("robot {} stands ready at ({},{})", e.robot_id, e.x, e.y)
        }
        Event::ProgramUploaded(e) => format!(
            "robot {} runs {} ({})",
            e.robot_id,
            e.name,
            &e.hash[..8.min(e.hash.len())]
        ),
        Event::RobotMoved(e) => format!("{} moved to ({},{})", e.robot_id, e.x, e.y),
        Event::RobotMined(e) => format!(
            "{} dug {} {} at ({},{}); {} left there",
            e.robot_id,
            e.amount,
            e.resource.name(),
            e.x,
            e.y,
            e.left
        ),
        Event::RobotPickedUp(e) => format!(
            "{} picked up {} {} from {}",
            e.robot_id,
            e.amount,
            e.resource.name(),
            place(e.from)
        ),
        Event::RobotDropped(e) => format!(
            "{} put {} {} {}",
            e.robot_id,
            e.amount,
            e.resource.name(),
            match e.into {
                Place::Store => "into the store".to_owned(),
                Place::Ground => format!("on the ground at ({},{})", e.x, e.y),
            }
        ),
        Event::RobotWorked(e) => format!("{} worked on {}", e.robot_id, e.site),
        Event::RobotCharged(e) => format!(
            "{} charged {}, battery now {}",
            e.robot_id, e.units, e.battery
        ),
        Event::RobotSaid(e) => format!("{} said: {}", e.robot_id, e.text),
        Event::RobotWaited(e) => match &e.reason {
            Some(reason) => format!("{} could not: {reason}", e.robot_id),
            None => format!("{} waited", e.robot_id),
        },
        Event::RobotFaulted(e) => format!("robot {} faulted: {}", e.robot_id, e.message),
    }
}

fn place(place: Place) -> &'static str {
    match place {
        Place::Store => "the store",
        Place::Ground => "the ground",
    }
}
