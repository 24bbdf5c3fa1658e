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
    BuildingDemolished, BuildingPlaced, BuildingSpawnedV2, BuildingSwitched, ConstructionCompleted,
    ConstructionProgressed, SiteMarkedUrgent,
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
        kind: String,
        work_done: u32,
        work_required: u32,
        urgent: bool,
    },
    Ready {
        id: BuildingId,
        kind: String,
        /// Switched on: it makes, uses, stores and houses what its kind does.
        on: bool,
    },
    /// Taken down: nothing more happens to it.
    Demolished { id: BuildingId },
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
            (
                Building::Unspawned,
                BuildingCommand::AdvanceConstruction { building_id, .. }
                | BuildingCommand::Switch { building_id, .. }
                | BuildingCommand::MarkUrgent { building_id, .. }
                | BuildingCommand::Demolish { building_id, .. },
            ) => Err(Rejection::BuildingNotFound {
                building_id: building_id.clone(),
            }),
            (Building::Demolished { id }, _) => Err(Rejection::Demolished {
                building_id: id.clone(),
            }),
            (Building::Ready { id, .. }, BuildingCommand::AdvanceConstruction { .. }) => {
                Err(Rejection::AlreadyComplete {
                    building_id: id.clone(),
                })
            }
            (
                Building::Ready { id, on, .. },
                BuildingCommand::Switch {
                    on: wanted, tick, ..
                },
            ) => {
                if on == wanted {
                    let state = if *on { "on" } else { "off" };
                    return Err(Rejection::AlreadySo {
                        building_id: id.clone(),
                        what: format!("{id} is {state} already"),
                    });
                }
                Ok(vec![Event::BuildingSwitched(BuildingSwitched {
                    building_id: id.clone(),
                    on: *wanted,
                    tick: *tick,
                })])
            }
            (Building::UnderConstruction { id, .. }, BuildingCommand::Switch { .. }) => {
                Err(Rejection::NotBuilt {
                    building_id: id.clone(),
                })
            }
            (
                Building::UnderConstruction { id, urgent, .. },
                BuildingCommand::MarkUrgent {
                    urgent: wanted,
                    tick,
                    ..
                },
            ) => {
                if urgent == wanted {
                    let state = if *urgent { "urgent" } else { "not urgent" };
                    return Err(Rejection::AlreadySo {
                        building_id: id.clone(),
                        what: format!("{id} is {state} already"),
                    });
                }
                Ok(vec![Event::SiteMarkedUrgent(SiteMarkedUrgent {
                    building_id: id.clone(),
                    urgent: *wanted,
                    tick: *tick,
                })])
            }
            (Building::Ready { id, .. }, BuildingCommand::MarkUrgent { .. }) => {
                Err(Rejection::NotASite {
                    building_id: id.clone(),
                })
            }
            (
                Building::Ready { id, kind, .. } | Building::UnderConstruction { id, kind, .. },
                BuildingCommand::Demolish { tick, .. },
            ) => Ok(vec![Event::BuildingDemolished(BuildingDemolished {
                building_id: id.clone(),
                building_type: kind.clone(),
                site: matches!(self, Building::UnderConstruction { .. }),
                tick: *tick,
            })]),
            (
                Building::UnderConstruction {
                    id,
                    work_done,
                    work_required,
                    ..
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
                kind: e.building_type.clone(),
                work_done: 0,
                work_required: e.work_required,
                urgent: false,
            },
            (Building::Unspawned, Event::BuildingSpawnedV2(e)) => Building::UnderConstruction {
                id: e.building_id.clone(),
                kind: e.building_type.clone(),
                work_done: 0,
                work_required: e.work_required,
                urgent: false,
            },
            (
                Building::UnderConstruction {
                    id,
                    kind,
                    work_required,
                    urgent,
                    ..
                },
                Event::ConstructionProgressed(e),
            ) => Building::UnderConstruction {
                id,
                kind,
                work_done: e.work_done,
                work_required,
                urgent,
            },
            (Building::UnderConstruction { id, kind, .. }, Event::ConstructionCompleted(_)) => {
                Building::Ready { id, kind, on: true }
            }
            (Building::Unspawned, Event::BuildingPlaced(e)) => Building::Ready {
                id: e.building_id.clone(),
                kind: e.building_type.clone(),
                on: true,
            },
            (Building::Ready { id, kind, .. }, Event::BuildingSwitched(e)) => {
                Building::Ready { id, kind, on: e.on }
            }
            (
                Building::UnderConstruction {
                    id,
                    kind,
                    work_done,
                    work_required,
                    ..
                },
                Event::SiteMarkedUrgent(e),
            ) => Building::UnderConstruction {
                id,
                kind,
                work_done,
                work_required,
                urgent: e.urgent,
            },
            (
                Building::UnderConstruction { id, .. } | Building::Ready { id, .. },
                Event::BuildingDemolished(_),
            ) => Building::Demolished { id },
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
