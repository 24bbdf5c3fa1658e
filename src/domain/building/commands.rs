//! What a building is asked to do.

use crate::domain::ids::{BuildingId, Tick};

/// Decided by the building aggregate named in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BuildingCommand {
    /// Issued by the game-loop process manager once the surface accepted a site.
    SpawnBuilding(SpawnBuilding),
    /// Issued by the game-loop process manager on every tick for each building under
    /// construction, with the work it got (in a colony, possibly none).
    AdvanceConstruction {
        building_id: BuildingId,
        ticks: u32,
        tick: Tick,
    },
    /// Issued by the game-loop process manager for each building a colony starts with.
    PlaceBuilding(PlaceBuilding),
    /// The player switches a working building off or on. `tick` is the current tick, which
    /// the engine stamps (see `Command::stamp`).
    Switch {
        building_id: BuildingId,
        on: bool,
        tick: Tick,
    },
    /// The player marks a site urgent, or no longer.
    MarkUrgent {
        building_id: BuildingId,
        urgent: bool,
        tick: Tick,
    },
    /// The player takes a building or a site down.
    Demolish { building_id: BuildingId, tick: Tick },
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlaceBuilding {
    pub building_id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SpawnBuilding {
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
