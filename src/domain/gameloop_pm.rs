//! The game-loop process manager: one per game, from `game_started` to `game_stopped`.
//!
//! It keeps its own list of buildings under construction (law 7: never a projection) and turns
//! each `gameloop_advanced` into one `advance_construction` per building on that list, in the
//! order the buildings were spawned. It also turns an accepted site into its building.

use std::sync::Arc;

use super::catalogue::BuildingKind;
use super::command::{BuildingCommand, Command, SpawnBuilding};
use super::event::Event;
use super::ids::BuildingId;

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct GameloopPm {
    running: bool,
    under_construction: Vec<BuildingId>,
    /// From `game_started`: the names and glyphs a spawned building carries.
    kinds: Arc<Vec<BuildingKind>>,
}

impl GameloopPm {
    pub fn initial() -> GameloopPm {
        GameloopPm::default()
    }

    /// `evolve` in place, for the engine's fold.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => {
                self.running = true;
                self.kinds = Arc::new(e.catalogue.clone());
            }
            Event::BuildingSpawned(e) => self.under_construction.push(e.building_id.clone()),
            Event::BuildingSpawnedV2(e) => self.under_construction.push(e.building_id.clone()),
            Event::ConstructionCompleted(e) => {
                self.under_construction.retain(|id| *id != e.building_id)
            }
            Event::GameStopped(_) => {
                self.running = false;
                self.under_construction.clear();
            }
            Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::ConstructionProgressed(_) => {}
        }
    }

    pub fn evolve(mut self, event: &Event) -> GameloopPm {
        self.apply(event);
        self
    }

    pub fn react(&self, event: &Event) -> Vec<Command> {
        if !self.running {
            return Vec::new();
        }
        match event {
            Event::GameloopAdvanced(e) => self
                .under_construction
                .iter()
                .map(|id| {
                    Command::Building(BuildingCommand::AdvanceConstruction {
                        building_id: id.clone(),
                        ticks: 1,
                        tick: e.tick,
                    })
                })
                .collect(),
            Event::SitePlanted(e) => {
                let kind = self.kinds.iter().find(|k| k.key == e.building_type);
                vec![Command::Building(BuildingCommand::SpawnBuilding(
                    SpawnBuilding {
                        building_id: e.building_id.clone(),
                        building_type: e.building_type.clone(),
                        name: kind.map_or_else(|| e.building_type.clone(), |k| k.name.clone()),
                        glyph: kind.map_or('?', |k| k.glyph),
                        x: e.x,
                        y: e.y,
                        player: e.player.clone(),
                        work_required: e.work_required,
                        tick: e.tick,
                    },
                ))]
            }
            _ => Vec::new(),
        }
    }
}
