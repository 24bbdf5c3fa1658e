//! The rules a colony game was started with: what each kind of building costs, draws and makes,
//! the length of the lunar day, what colonists need, the starting kit and the mission.
//!
//! Copied whole into `game_started_v2` (law 3): a save never depends on today's assets. A game
//! started without one (`game_started`) is a classic game and keeps the first release's rules.

use serde::{Deserialize, Serialize};

use crate::domain::catalogue::Terrain;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::resources::{Resource, Stock};

/// The version of the rules' code new colony games are played by, recorded in
/// `game_started_v3`. A rule that changes how a game plays is a new version; a game keeps the
/// version it started with forever (games started with `game_started_v2` are version 1).
///
/// Version 2: robots act in the order their ids read (r2 before r10); a program may say
/// several lines a tick, send messages and plant sites; `world.step_toward` goes around robots
/// that stood still; a fault names the expression it happened at.
///
/// Version 3: the way around still robots never depends on how far other robots' searches of
/// the same tick had grown, so every robot's step is the same on any number of cores.
pub const RULESET: u32 = 3;

/// Who gets power first when there is not enough: life support, then construction sites,
/// then industry (see `economy.rs`).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    LifeSupport,
    Industry,
}

/// What one kind of building costs, draws and makes, each tick it works.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    /// The catalogue key it belongs to.
    pub key: String,
    /// Materials a site needs delivered before work on it can start.
    #[serde(default, skip_serializing_if = "Stock::is_empty")]
    pub cost: Stock,
    /// Where it may stand.
    pub terrain: Vec<Terrain>,
    /// Power drawn each tick it works.
    #[serde(default)]
    pub power: u32,
    /// Power made each tick, day and night.
    #[serde(default)]
    pub generates: u32,
    /// Power made each tick of daylight.
    #[serde(default)]
    pub solar: u32,
    /// Power it can store.
    #[serde(default)]
    pub storage: u32,
    /// Colonists it houses.
    #[serde(default)]
    pub housing: u32,
    /// Units of construction work its crew puts in each tick.
    #[serde(default)]
    pub crew: u32,
    /// What a tick of its work uses up, and what it makes.
    #[serde(default, skip_serializing_if = "Stock::is_empty")]
    pub consumes: Stock,
    #[serde(default, skip_serializing_if = "Stock::is_empty")]
    pub produces: Stock,
    pub tier: Tier,
    /// From ruleset 2, robots it takes to run it: it makes what it makes once for each robot
    /// that works it in a tick, up to this many, and nothing unattended. None runs by itself.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub operators: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Economy {
    /// Whether it needs power to do anything at all.
    pub fn draws(&self) -> bool {
        self.power > 0
    }

    /// The robots it takes to run it in a game of `ruleset`: before ruleset 2, none.
    pub fn operators_in(&self, ruleset: u32) -> u32 {
        if ruleset >= 2 { self.operators } else { 0 }
    }
}

/// A building the colony starts with, standing.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Placed {
    pub id: BuildingId,
    pub kind: String,
    pub x: u16,
    pub y: u16,
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartKit {
    #[serde(default)]
    pub stock: Stock,
    /// Power in store at the start.
    #[serde(default)]
    pub power: u32,
    #[serde(default)]
    pub buildings: Vec<Placed>,
    /// Robots standing ready, each with the program it starts with, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub robots: Vec<RobotKit>,
}

/// A robot the colony starts with.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotKit {
    pub id: RobotId,
    pub x: u16,
    pub y: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramSource>,
}

/// A program as it travels: its name (the file it came from) and its whole source (law 11).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramSource {
    pub name: String,
    pub source: String,
}

/// How robots work, in a colony that has them: then robots, not the headquarters' crews, do
/// the construction work, and they mine, haul and charge as their programs decide.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotRules {
    /// What a battery holds, and what a tick of charging adds (drawing as much power).
    pub battery: u32,
    pub charge_rate: u32,
    /// What a robot carries, of one resource at a time.
    pub cargo: u32,
    /// How far its sensors see, in tiles each way.
    pub radius: u32,
    /// Battery spent on a step, a dig, and a tick of construction work.
    pub move_cost: u32,
    pub mine_cost: u32,
    pub work_cost: u32,
    /// What one dig takes from the ground.
    pub mine_yield: u32,
    /// What a bright regolith tile and a crater tile hold before they are dug out.
    pub regolith_deposit: u32,
    pub ice_deposit: u32,
    /// The kind whose store robots deliver to and take from (the headquarters).
    pub store: String,
    /// The kinds robots charge next to.
    pub chargers: Vec<String>,
    /// The kind that assembles robots, and what one costs.
    pub factory: String,
    pub cost: Stock,
}

/// One thing the mission asks for. The mission is won on the first tick they all hold.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Objective {
    /// At least `count` working buildings of a kind.
    Build { kind: String, count: u32 },
    /// At least `amount` of a resource in store.
    Stock { resource: Resource, amount: u32 },
    /// At least `count` colonists living in the colony.
    Colonists { count: u32 },
    /// The colony still stands at this tick.
    Reach { tick: Tick },
}

/// A colony ship: when it lands, how many colonists it brings, and how long it waits for beds
/// before it leaves with whoever is still aboard (who then count as lost).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ship {
    pub tick: Tick,
    pub colonists: u32,
    pub waits: Tick,
}

/// What winning means, and the story around it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mission {
    pub id: String,
    pub title: String,
    /// One line: what to do.
    pub goal: String,
    /// A few short paragraphs shown when the game begins.
    pub briefing: Vec<String>,
    pub objectives: Vec<Objective>,
    /// The last tick the objectives may be met on; none for a sandbox.
    pub deadline: Option<Tick>,
    /// The colony ships, in the order they land.
    #[serde(default)]
    pub ships: Vec<Ship>,
    /// How many colonists may be lost before the mission is lost.
    #[serde(default)]
    pub max_losses: u32,
    /// After tick 0 only robots plant sites (`plan`): the player's hand is off the map.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hands_off: bool,
    /// What differs from one seed to the next, in words, for the mission card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub varies: Option<String>,
    /// What the shipped programs score with the solution's buildings, for the mission card
    /// ("lost at tick 212"); a test holds it to the truth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    /// Ticks of daylight, then of night, in each lunar day; the game starts `dawn` ticks after
    /// sunrise.
    pub day_ticks: u32,
    pub night_ticks: u32,
    pub dawn: u32,
    /// What each colonist breathes and drinks each tick.
    pub breathe: u32,
    pub drink: u32,
    /// Ticks a colonist lasts without enough oxygen or water; each tick past that, one dies.
    pub grace: u32,
    /// Power each construction site draws for a tick of work.
    pub site_power: u32,
    pub economy: Vec<Economy>,
    pub start: StartKit,
    pub mission: Mission,
    /// How robots work; none in a colony whose headquarters' crews build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robots: Option<RobotRules>,
}

/// Where a tick falls in the lunar day.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Daylight {
    pub day: bool,
    /// Ticks until the light changes (nightfall by day, dawn by night).
    pub until_change: u32,
}

impl Ruleset {
    pub fn economy(&self, key: &str) -> Option<&Economy> {
        self.economy.iter().find(|e| e.key == key)
    }

    /// What taking down a building of kind `kind` gives back: everything delivered to it while
    /// a site (`delivered`), or half of what it cost once built, rounded down.
    pub fn give_back(&self, kind: &str, delivered: Option<&Stock>) -> Stock {
        if let Some(delivered) = delivered {
            return *delivered;
        }
        let cost = self.economy(kind).map(|e| e.cost).unwrap_or_default();
        let mut half = Stock::default();
        for r in Resource::ALL {
            *half.get_mut(r) = cost.get(r) / 2;
        }
        half
    }

    pub fn daylight(&self, tick: Tick) -> Daylight {
        let cycle = u64::from(self.day_ticks) + u64::from(self.night_ticks);
        if cycle == 0 || self.night_ticks == 0 {
            return Daylight {
                day: true,
                until_change: u32::MAX,
            };
        }
        let at = (tick + u64::from(self.dawn)) % cycle;
        let day = at < u64::from(self.day_ticks);
        let change = if day {
            u64::from(self.day_ticks) - at
        } else {
            cycle - at
        };
        Daylight {
            day,
            until_change: u32::try_from(change).unwrap_or(u32::MAX),
        }
    }

    /// Checks a ruleset the shell assembled: every kind it speaks of exists, the day is not
    /// empty, and the starting buildings are kinds it has.
    pub fn check(&self, kinds: &[&str]) -> Result<(), String> {
        if self.day_ticks == 0 {
            return Err("a lunar day needs at least one tick of daylight".into());
        }
        for e in &self.economy {
            if !kinds.contains(&e.key.as_str()) {
                return Err(format!("the economy speaks of an unknown kind {:?}", e.key));
            }
        }
        for kind in kinds {
            if self.economy(kind).is_none() {
                return Err(format!("kind {kind:?} has no economy"));
            }
        }
        for placed in &self.start.buildings {
            if self.economy(&placed.kind).is_none() {
                return Err(format!(
                    "the starting building {} is of unknown kind {:?}",
                    placed.id, placed.kind
                ));
            }
        }
        for objective in &self.mission.objectives {
            if let Objective::Build { kind, .. } = objective
                && self.economy(kind).is_none()
            {
                return Err(format!("an objective asks for unknown kind {kind:?}"));
            }
        }
        self.check_robots()
    }

    fn check_robots(&self) -> Result<(), String> {
        let Some(robots) = &self.robots else {
            if let Some(kit) = self.start.robots.first() {
                return Err(format!(
                    "the starting robot {} needs robot rules (\"robots\")",
                    kit.id
                ));
            }
            return Ok(());
        };
        // Chargers and the factory may be kinds a mission leaves out; the store may not.
        if self.economy(&robots.store).is_none() {
            return Err(format!(
                "robots deliver to a {:?}, which this colony cannot build",
                robots.store
            ));
        }
        if robots.battery == 0 || robots.cargo == 0 || robots.mine_yield == 0 {
            return Err("a robot needs a battery, room for cargo and a dig that yields".into());
        }
        let mut ids = std::collections::BTreeSet::new();
        for kit in &self.start.robots {
            if !kit.id.is_valid() || !ids.insert(&kit.id) {
                return Err(format!(
                    "the starting robot {} is badly named or named twice",
                    kit.id
                ));
            }
        }
        Ok(())
    }
}
