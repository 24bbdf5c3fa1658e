//! What a robot records: where it came out, the programs it was given and everything it did.

use serde::{Deserialize, Serialize};

use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::program::memory::{Memory, Value};
use crate::domain::resources::Resource;

/// A robot stands on the surface, charged, with empty hands and no program.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotDeployed {
    pub robot_id: RobotId,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    pub capacity: u32,
    pub cargo_capacity: u32,
    pub tick: Tick,
}

/// A robot was given a program: its whole source (law 11) and the SHA-256 that names it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramUploaded {
    pub robot_id: RobotId,
    pub name: String,
    pub source: String,
    pub hash: String,
    pub tick: Tick,
}

/// What a robot's program keeps, when the action that follows changed it.
pub(crate) type Remembered = Option<Memory>;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotMoved {
    pub robot_id: RobotId,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

/// A robot dug the tile it stands on; `left` is what the tile still holds.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotMined {
    pub robot_id: RobotId,
    pub x: u16,
    pub y: u16,
    pub resource: Resource,
    pub amount: u32,
    pub left: u32,
    pub battery: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

/// Where a robot took cargo from or put it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The colony's store, at the building next to the robot.
    Store,
    /// A pile on the tile the robot stands on.
    Ground,
}

/// A robot took cargo: from the store, or from the pile at (x, y), on or next to its tile.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotPickedUp {
    pub robot_id: RobotId,
    pub from: Place,
    pub x: u16,
    pub y: u16,
    pub resource: Resource,
    pub amount: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotDropped {
    pub robot_id: RobotId,
    pub into: Place,
    pub x: u16,
    pub y: u16,
    pub resource: Resource,
    pub amount: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

/// A robot put a tick of work into a construction site next to it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotWorked {
    pub robot_id: RobotId,
    pub site: BuildingId,
    pub battery: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

/// A robot drew power from the colony's batteries.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotCharged {
    pub robot_id: RobotId,
    pub units: u32,
    pub battery: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotSaid {
    pub robot_id: RobotId,
    pub text: String,
    pub tick: Tick,
}

/// A robot did nothing this tick: it chose to wait (recorded only when its memory changed), or
/// what it chose could not be done, for `reason`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotWaited {
    pub robot_id: RobotId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}

/// A robot's program failed or ran past a limit; the robot stands still until it is given a
/// program again.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotFaulted {
    pub robot_id: RobotId,
    pub message: String,
    pub tick: Tick,
}

/// A robot's program sent a message: to one robot, or to every other (`to` none). It is in the
/// recipients' inbox on the next tick.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotSent {
    pub robot_id: RobotId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<RobotId>,
    pub value: Value,
    pub tick: Tick,
}

/// A robot planted a construction site, paid for by the colony as if the player had planted
/// it; the surface then records the site as it does the player's.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobotPlanted {
    pub robot_id: RobotId,
    pub building_id: BuildingId,
    pub building_type: String,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Remembered,
    pub tick: Tick,
}
