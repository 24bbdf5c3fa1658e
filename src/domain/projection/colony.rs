//! Read model: the colony at a glance.

use std::collections::BTreeMap;
use std::sync::Arc;

use imbl::HashMap;
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::{BuildingKind, Terrain};
use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, GameId, Tick};

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct TypeCount {
    pub total: u32,
    pub under_construction: u32,
    pub ready: u32,
}

/// Cheap to copy: what never changes after `game_started` is shared, and the rest is small or
/// persistent.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct ColonyView {
    pub game_id: Option<GameId>,
    pub name: String,
    pub player: String,
    pub seed: u64,
    pub map: String,
    pub width: u16,
    pub height: u16,
    pub terrain: Arc<Vec<String>>,
    pub catalogue: Arc<Vec<BuildingKind>>,
    pub tick: Tick,
    pub started: bool,
    pub stopped: bool,
    pub buildings: u32,
    pub under_construction: u32,
    pub ready: u32,
    pub by_type: BTreeMap<String, TypeCount>,
    /// Which type each building is, so a completion can be counted against it.
    types: HashMap<BuildingId, String>,
}

impl ColonyView {
    /// The terrain of a tile; regolith off the map. Drawn for every tile of every frame, so it
    /// indexes bytes: `SurfaceMap::check` admits only ASCII terrain.
    pub fn terrain_at(&self, x: u16, y: u16) -> Terrain {
        self.terrain
            .get(usize::from(y))
            .and_then(|row| row.as_bytes().get(usize::from(x)))
            .and_then(|b| Terrain::from_char(char::from(*b)))
            .unwrap_or(Terrain::Regolith)
    }

    pub fn kind(&self, key: &str) -> Option<&BuildingKind> {
        self.catalogue.iter().find(|k| k.key == key)
    }

    fn count_spawn(&mut self, id: &BuildingId, building_type: &str) {
        self.buildings += 1;
        self.under_construction += 1;
        let count = self.by_type.entry(building_type.to_owned()).or_default();
        count.total += 1;
        count.under_construction += 1;
        self.types.insert(id.clone(), building_type.to_owned());
    }

    /// `project` in place: the fold's hot path, with no copy of the view per event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => {
                self.game_id = Some(e.game_id);
                self.name = e.name.clone();
                self.player = e.player.clone();
                self.seed = e.seed;
                self.map = e.map.name.clone();
                self.width = e.map.width;
                self.height = e.map.height;
                self.terrain = Arc::new(e.map.terrain.clone());
                self.catalogue = Arc::new(e.catalogue.clone());
                self.tick = e.tick;
                self.started = true;
            }
            Event::GameloopAdvanced(e) => self.tick = e.tick,
            Event::BuildingSpawned(e) => self.count_spawn(&e.building_id, &e.building_type),
            Event::BuildingSpawnedV2(e) => self.count_spawn(&e.building_id, &e.building_type),
            Event::ConstructionCompleted(e) => {
                self.under_construction = self.under_construction.saturating_sub(1);
                self.ready += 1;
                if let Some(count) = self
                    .types
                    .get(&e.building_id)
                    .and_then(|t| self.by_type.get_mut(t))
                {
                    count.under_construction = count.under_construction.saturating_sub(1);
                    count.ready += 1;
                }
            }
            Event::GameStopped(_) => self.stopped = true,
            Event::SitePlanted(_) | Event::ConstructionProgressed(_) => {}
        }
    }

    pub fn project(mut self, event: &Event) -> ColonyView {
        self.apply(event);
        self
    }
}
