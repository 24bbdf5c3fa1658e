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
