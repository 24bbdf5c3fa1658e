//! The building aggregate (stream `bldg-<id>`): a construction site until its work is done.
//!
//! It records its own completion: the decision that makes the last tick of work also emits
//! `construction_completed`, so no one else has to notice.

pub mod commands;
pub mod events;
#[cfg(test)]
mod tests;

use crate::domain::building::commands::{BuildingCommand, SpawnBuilding};
use crate::domain::building::events::{
    BuildingPlaced, BuildingSpawnedV2, ConstructionCompleted, ConstructionProgressed,
};
use crate::domain::event::Event;
use crate::domain::ids::BuildingId;
use crate::domain::rejection::Rejection;

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub enum Building {
    #[default]
    Unspawned,
    UnderConstruction {
        id: BuildingId,
        work_done: u32,
        work_required: u32,
    },
    Ready {
        id: BuildingId,
    },
}

impl Building {
    pub fn initial() -> Building {
        Building::Unspawned
    }

    pub fn decide(&self, command: &BuildingCommand) -> Result<Vec<Event>, Rejection> {
        match (self, command) {
            (Building::Unspawned, BuildingCommand::SpawnBuilding(spawn)) => spawn_building(spawn),
            (_, BuildingCommand::SpawnBuilding(spawn)) => Err(Rejection::DuplicateBuilding {
                building_id: spawn.building_id.clone(),
            }),
            (Building::Unspawned, BuildingCommand::PlaceBuilding(p)) => {
                Ok(vec![Event::BuildingPlaced(BuildingPlaced {
                    building_id: p.building_id.clone(),
                    building_type: p.building_type.clone(),
                    name: p.name.clone(),
                    glyph: p.glyph,
                    x: p.x,
                    y: p.y,
                    player: p.player.clone(),
                    tick: p.tick,
                })])
            }
            (_, BuildingCommand::PlaceBuilding(p)) => Err(Rejection::DuplicateBuilding {
                building_id: p.building_id.clone(),
            }),
            (Building::Unspawned, BuildingCommand::AdvanceConstruction { building_id, .. }) => {
                Err(Rejection::BuildingNotFound {
                    building_id: building_id.clone(),
                })
            }
            (Building::Ready { id }, BuildingCommand::AdvanceConstruction { .. }) => {
                Err(Rejection::AlreadyComplete {
                    building_id: id.clone(),
                })
            }
            (
                Building::UnderConstruction {
                    id,
                    work_done,
                    work_required,
                },
                BuildingCommand::AdvanceConstruction { ticks, tick, .. },
            ) => {
                // A colony site that got no work this tick waits; the colony says why.
                if *ticks == 0 {
                    return Ok(Vec::new());
                }
                let work_done = work_done.saturating_add(*ticks).min(*work_required);
                let mut events = vec![Event::ConstructionProgressed(ConstructionProgressed {
                    building_id: id.clone(),
                    work_done,
                    work_required: *work_required,
                    tick: *tick,
                })];
                if work_done == *work_required {
                    events.push(Event::ConstructionCompleted(ConstructionCompleted {
                        building_id: id.clone(),
                        tick: *tick,
                    }));
                }
                Ok(events)
            }
        }
    }

    pub fn evolve(self, event: &Event) -> Building {
        match (self, event) {
            (Building::Unspawned, Event::BuildingSpawned(e)) => Building::UnderConstruction {
                id: e.building_id.clone(),
                work_done: 0,
                work_required: e.work_required,
            },
            (Building::Unspawned, Event::BuildingSpawnedV2(e)) => Building::UnderConstruction {
                id: e.building_id.clone(),
                work_done: 0,
                work_required: e.work_required,
            },
            (
                Building::UnderConstruction {
                    id, work_required, ..
                },
                Event::ConstructionProgressed(e),
            ) => Building::UnderConstruction {
                id,
                work_done: e.work_done,
                work_required,
            },
            (Building::UnderConstruction { id, .. }, Event::ConstructionCompleted(_)) => {
                Building::Ready { id }
            }
            (Building::Unspawned, Event::BuildingPlaced(e)) => Building::Ready {
                id: e.building_id.clone(),
            },
            (state, _) => state,
        }
    }
}

fn spawn_building(spawn: &SpawnBuilding) -> Result<Vec<Event>, Rejection> {
    if spawn.work_required == 0 {
        return Err(Rejection::NoWork);
    }
    Ok(vec![Event::BuildingSpawnedV2(BuildingSpawnedV2 {
        building_id: spawn.building_id.clone(),
        building_type: spawn.building_type.clone(),
        name: spawn.name.clone(),
        glyph: spawn.glyph,
        x: spawn.x,
        y: spawn.y,
        player: spawn.player.clone(),
        work_required: spawn.work_required,
        tick: spawn.tick,
    })])
}
