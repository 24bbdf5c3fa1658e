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

/// A working building was switched off (it makes, uses, stores and houses nothing) or on again.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingSwitched {
    pub building_id: BuildingId,
    pub on: bool,
    pub tick: Tick,
}

/// A site was marked urgent (its materials come first, robots' searches name it first), or no
/// longer.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteMarkedUrgent {
    pub building_id: BuildingId,
    pub urgent: bool,
    pub tick: Tick,
}

/// A building or a site was taken down. The surface clears its tile (`tile_cleared`) and the
/// colony takes back what it can (`materials_reclaimed`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingDemolished {
    pub building_id: BuildingId,
    pub building_type: String,
    /// It was still a site.
    pub site: bool,
    pub tick: Tick,
}
