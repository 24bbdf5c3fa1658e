//! What the colony records: its founding, each settled tick, and the tick's consequences.

use serde::{Deserialize, Serialize};

use crate::domain::colony::tick::{Delivery, PowerFlow, Score, StatusChange, Work};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::resources::{Resource, Stock};
use crate::domain::ruleset::Ruleset;

/// The colony's stores and grid came into being with the game's rules.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColonyFounded {
    pub game_id: GameId,
    pub rules: Box<Ruleset>,
    pub tick: Tick,
}

/// One tick of the colony settled: what was made and used, where the power went, what each
/// site and idle building did, and what is in store after.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColonyTicked {
    pub game_id: GameId,
    pub tick: Tick,
    pub day: bool,
    pub power: PowerFlow,
    pub stock: Stock,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivered: Vec<Delivery>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<Work>,
    /// Buildings that stopped or started doing nothing, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<StatusChange>,
    /// Whether any consumer went without power: a brown-out tick.
    #[serde(default, skip_serializing_if = "is_false")]
    pub short: bool,
    /// Ticks in a row the colonists have had too little oxygen or water.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub distress: u32,
}

/// One tick of the colony settled, as `colony_ticked` records it, and with what the tick
/// made and used of each resource (ruleset 2), so that rates are read off the log.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColonyTickedV2 {
    pub game_id: GameId,
    pub tick: Tick,
    pub day: bool,
    pub power: PowerFlow,
    pub stock: Stock,
    /// Made: by buildings, and put into the store by robots.
    #[serde(default, skip_serializing_if = "Stock::is_empty")]
    pub made: Stock,
    /// Used: by colonists and buildings, delivered to sites, taken by robots, paid for robots.
    #[serde(default, skip_serializing_if = "Stock::is_empty")]
    pub used: Stock,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivered: Vec<Delivery>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<Work>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<StatusChange>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub short: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub distress: u32,
}

/// A settled colony tick as its readers need it, whichever schema recorded it.
pub struct Ticked<'a> {
    pub game_id: GameId,
    pub tick: Tick,
    pub day: bool,
    pub power: PowerFlow,
    pub stock: Stock,
    /// What was made and used, where the log says (from ruleset 2).
    pub flow: Option<(Stock, Stock)>,
    pub delivered: &'a [Delivery],
    pub work: &'a [Work],
    pub changes: &'a [StatusChange],
    pub short: bool,
    pub distress: u32,
}

impl ColonyTicked {
    pub fn ticked(&self) -> Ticked<'_> {
        Ticked {
            game_id: self.game_id,
            tick: self.tick,
            day: self.day,
            power: self.power,
            stock: self.stock,
            flow: None,
            delivered: &self.delivered,
            work: &self.work,
            changes: &self.changes,
            short: self.short,
            distress: self.distress,
        }
    }
}

impl ColonyTickedV2 {
    pub fn ticked(&self) -> Ticked<'_> {
        Ticked {
            game_id: self.game_id,
            tick: self.tick,
            day: self.day,
            power: self.power,
            stock: self.stock,
            flow: Some((self.made, self.used)),
            delivered: &self.delivered,
            work: &self.work,
            changes: &self.changes,
            short: self.short,
            distress: self.distress,
        }
    }
}

/// The store paid for robots ordered from a factory, oldest order first; each is deployed at
/// its factory.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotsAssembled {
    pub game_id: GameId,
    pub robots: Vec<RobotId>,
    pub tick: Tick,
}

pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// The lights went out: these consumers went without power, in the documented order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerShort {
    pub game_id: GameId,
    pub tick: Tick,
    pub unpowered: Vec<BuildingId>,
    pub needed: u32,
    pub available: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerRestored {
    pub game_id: GameId,
    pub tick: Tick,
}

/// Colonists came down from ship `ship` (its place in the mission's list) into housing;
/// `aboard` still wait on it for a bed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColonistsLanded {
    pub game_id: GameId,
    pub tick: Tick,
    pub ship: u32,
    pub count: u32,
    pub aboard: u32,
    pub living: u32,
}

/// The ship waited as long as it could and left with the colonists who found no bed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipDeparted {
    pub game_id: GameId,
    pub tick: Tick,
    pub ship: u32,
    pub stranded: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColonistDied {
    pub game_id: GameId,
    pub tick: Tick,
    pub cause: Resource,
    pub living: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissionWon {
    pub game_id: GameId,
    pub tick: Tick,
    pub score: Score,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissionLost {
    pub game_id: GameId,
    pub tick: Tick,
    pub reason: String,
    pub score: Score,
}

/// What came back to the store from a building taken down: what had been delivered to a site,
/// or half the cost of a finished building.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialsReclaimed {
    pub game_id: GameId,
    pub building_id: BuildingId,
    pub stock: Stock,
    pub tick: Tick,
}
