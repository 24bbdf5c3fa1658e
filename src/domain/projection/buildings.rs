//! Read model: every building with its progress, in the order it was spawned.

use imbl::{HashMap, Vector};
use serde::{Deserialize, Serialize};

use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, Tick};

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct BuildingRow {
    pub id: BuildingId,
    #[serde(rename = "type")]
    pub building_type: String,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_done: u32,
    pub work_required: u32,
    pub progress_percent: u8,
    pub ready: bool,
    pub spawned_tick: Tick,
    pub completed_tick: Option<Tick>,
}

/// Persistent collections: a copy shares every row it does not change, so playback can keep a
/// keyframe every few ticks for the cost of the rows that changed in between.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize)]
pub struct BuildingsView {
    rows: Vector<BuildingRow>,
    #[serde(skip)]
    index: HashMap<BuildingId, usize>,
    #[serde(skip)]
    tiles: HashMap<(u16, u16), usize>,
}

/// Whole percent of work done, rounded down so that 100 means ready.
pub fn percent(work_done: u32, work_required: u32) -> u8 {
    if work_required == 0 {
        return 100;
    }
    let pct = u64::from(work_done.min(work_required)) * 100 / u64::from(work_required);
    u8::try_from(pct).unwrap_or(100)
}

impl BuildingsView {
    /// Every building, in the order it was spawned.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = &BuildingRow> + ExactSizeIterator {
        self.rows.iter()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, id: &BuildingId) -> Option<&BuildingRow> {
        self.index.get(id).and_then(|&i| self.rows.get(i))
    }

    pub fn at(&self, x: u16, y: u16) -> Option<&BuildingRow> {
        self.tiles.get(&(x, y)).and_then(|&i| self.rows.get(i))
    }

    fn row_mut(&mut self, id: &BuildingId) -> Option<&mut BuildingRow> {
        let i = *self.index.get(id)?;
        self.rows.get_mut(i)
    }

    pub fn project(mut self, event: &Event) -> BuildingsView {
        match event {
            Event::BuildingSpawned(e) => {
                self.index.insert(e.building_id.clone(), self.rows.len());
                self.tiles.insert((e.x, e.y), self.rows.len());
                self.rows.push_back(BuildingRow {
                    id: e.building_id.clone(),
                    building_type: e.building_type.clone(),
                    x: e.x,
                    y: e.y,
                    player: e.player.clone(),
                    work_done: 0,
                    work_required: e.work_required,
                    progress_percent: 0,
                    ready: false,
                    spawned_tick: e.tick,
                    completed_tick: None,
                });
            }
            Event::ConstructionProgressed(e) => {
                if let Some(row) = self.row_mut(&e.building_id) {
                    row.work_done = e.work_done;
                    row.work_required = e.work_required;
                    row.progress_percent = percent(e.work_done, e.work_required);
                }
            }
            Event::ConstructionCompleted(e) => {
                if let Some(row) = self.row_mut(&e.building_id) {
                    row.ready = true;
                    row.completed_tick = Some(e.tick);
                }
            }
            Event::GameStarted(_)
            | Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::GameStopped(_) => {}
        }
        self
    }
}
