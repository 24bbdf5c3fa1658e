//! What a building records, from spawned site to working building.

use serde::{Deserialize, Serialize};

use crate::domain::ids::{BuildingId, Tick};

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingSpawned {
    pub building_id: BuildingId,
    pub building_type: String,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_required: u32,
    pub tick: Tick,
}

/// A building spawned, carrying its kind's name and glyph, so that everything shown about it
/// comes from its own events and nothing from the catalogue in `game_started`. Replaces
/// `building_spawned`, which old saves keep.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingSpawnedV2 {
    pub building_id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_required: u32,
    pub tick: Tick,
}

/// A building the colony started with, standing and working from the first tick.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingPlaced {
    pub building_id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConstructionProgressed {
    pub building_id: BuildingId,
    pub work_done: u32,
    pub work_required: u32,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConstructionCompleted {
    pub building_id: BuildingId,
    pub tick: Tick,
}
