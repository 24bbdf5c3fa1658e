//! What the game aggregate records: the game started and stopped, ticks, sites planted on
//! the surface and robots ordered.

use serde::{Deserialize, Serialize};

use crate::domain::catalogue::{BuildingKind, SurfaceMap};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::ruleset::{ProgramSource, Ruleset};

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameStarted {
    pub game_id: GameId,
    pub name: String,
    pub seed: u64,
    pub player: String,
    pub map: SurfaceMap,
    pub catalogue: Vec<BuildingKind>,
    pub tick: Tick,
}

/// A colony game began: `game_started` with the rules it is played by (law 3: everything the
/// rules need, copied from the assets of the day).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameStartedV2 {
    pub game_id: GameId,
    pub name: String,
    pub seed: u64,
    pub player: String,
    pub map: SurfaceMap,
    pub catalogue: Vec<BuildingKind>,
    pub rules: Box<Ruleset>,
    pub tick: Tick,
}

/// A colony game began under ruleset `ruleset` (see [`crate::domain::ruleset::RULESET`]):
/// `game_started_v2`, whose games keep ruleset 1 forever, with the rules' version beside them.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameStartedV3 {
    pub game_id: GameId,
    pub name: String,
    pub seed: u64,
    pub player: String,
    pub map: SurfaceMap,
    pub catalogue: Vec<BuildingKind>,
    pub rules: Box<Ruleset>,
    pub ruleset: u32,
    pub tick: Tick,
}

/// A colony game's start as every reader needs it, whichever schema recorded it.
pub struct ColonyStart<'a> {
    pub game_id: GameId,
    pub name: &'a str,
    pub seed: u64,
    pub player: &'a str,
    pub map: &'a SurfaceMap,
    pub catalogue: &'a [BuildingKind],
    pub rules: &'a Ruleset,
    /// 1 for `game_started_v2`.
    pub ruleset: u32,
    pub tick: Tick,
}

impl GameStartedV2 {
    pub fn colony_start(&self) -> ColonyStart<'_> {
        ColonyStart {
            game_id: self.game_id,
            name: &self.name,
            seed: self.seed,
            player: &self.player,
            map: &self.map,
            catalogue: &self.catalogue,
            rules: &self.rules,
            ruleset: 1,
            tick: self.tick,
        }
    }
}

impl GameStartedV3 {
    pub fn colony_start(&self) -> ColonyStart<'_> {
        ColonyStart {
            game_id: self.game_id,
            name: &self.name,
            seed: self.seed,
            player: &self.player,
            map: &self.map,
            catalogue: &self.catalogue,
            rules: &self.rules,
            ruleset: self.ruleset,
            tick: self.tick,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameloopAdvanced {
    pub game_id: GameId,
    pub tick: Tick,
}

/// The surface accepted a construction site: the tile is now taken.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitePlanted {
    pub game_id: GameId,
    pub building_id: BuildingId,
    pub building_type: String,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_required: u32,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameStopped {
    pub game_id: GameId,
    pub tick: Tick,
}

/// The player ordered a robot from a factory; it is assembled when the factory stands and the
/// store can pay for it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotOrdered {
    pub game_id: GameId,
    pub robot_id: RobotId,
    pub factory: BuildingId,
    pub tick: Tick,
}

/// The player ordered a robot from a factory with the program it comes out running (none only
/// when asked for); it is assembled when the factory stands and the store can pay for it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotOrderedV2 {
    pub game_id: GameId,
    pub robot_id: RobotId,
    pub factory: BuildingId,
    pub program: Option<ProgramSource>,
    pub tick: Tick,
}

/// The tile of a building taken down is free again; its id is never used again.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TileCleared {
    pub game_id: GameId,
    pub building_id: BuildingId,
    pub tick: Tick,
}
