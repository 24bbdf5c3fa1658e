//! Read model: every building with its progress, in the order it was spawned.

use std::sync::Arc;

use imbl::Vector;
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::BuildingKind;
use crate::domain::colony::tick::Status;
use crate::domain::event::Event;
use crate::domain::fasthash::FastImMap;
use crate::domain::ids::{BuildingId, Tick};
use crate::domain::resources::Stock;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct BuildingRow {
    pub id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_done: u32,
    pub work_required: u32,
    pub progress_percent: u8,
    pub ready: bool,
    pub spawned_tick: Tick,
    pub completed_tick: Option<Tick>,
    /// In a colony game: materials delivered to the site so far.
    pub delivered: Stock,
    /// In a colony game: why it does nothing, since when; none while it works.
    pub note: Option<Note>,
    /// Switched on (a working building the player switched off makes and uses nothing).
    pub on: bool,
    /// A site the player marked urgent.
    pub urgent: bool,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Note {
    pub since: Tick,
    pub status: Status,
}

/// Persistent collections: a copy shares every row it does not change, so playback can keep a
/// keyframe every few ticks for the cost of the rows that changed in between.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct BuildingsView {
    rows: Vector<BuildingRow>,
    index: FastImMap<BuildingId, usize>,
    /// Derived from the rows; rebuilt when a stored view is loaded.
    #[serde(skip)]
    tiles: FastImMap<(u16, u16), usize>,
    /// From `game_started`: names and glyphs for buildings spawned before they were carried on
    /// the spawn event itself.
    kinds: Arc<Vec<BuildingKind>>,
}

/// A view as stored in a keyframe cache: everything but what the rows give back.
#[derive(Deserialize)]
struct Stored {
    rows: Vector<BuildingRow>,
    index: FastImMap<BuildingId, usize>,
    kinds: Arc<Vec<BuildingKind>>,
}

impl From<Stored> for BuildingsView {
    fn from(stored: Stored) -> BuildingsView {
        let tiles = stored
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| ((row.x, row.y), i))
            .collect();
        BuildingsView {
            rows: stored.rows,
            index: stored.index,
            tiles,
            kinds: stored.kinds,
        }
    }
}

/// What a spawn says about a building, in either schema.
struct Spawn<'a> {
    id: &'a BuildingId,
    building_type: &'a str,
    name: String,
    glyph: char,
    x: u16,
    y: u16,
    player: &'a str,
    work_required: u32,
    tick: Tick,
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

    fn spawn(&mut self, s: Spawn<'_>) {
        self.index.insert(s.id.clone(), self.rows.len());
        self.tiles.insert((s.x, s.y), self.rows.len());
        self.rows.push_back(BuildingRow {
            id: s.id.clone(),
            building_type: s.building_type.to_owned(),
            name: s.name,
            glyph: s.glyph,
            x: s.x,
            y: s.y,
            player: s.player.to_owned(),
            work_done: 0,
            work_required: s.work_required,
            progress_percent: 0,
            ready: false,
            spawned_tick: s.tick,
            completed_tick: None,
            delivered: Stock::default(),
            note: None,
            on: true,
            urgent: false,
        });
    }

    /// A building taken down: its row goes, and the rows after it move up.
    fn remove(&mut self, id: &BuildingId) {
        let Some(i) = self.index.get(id).copied() else {
            return;
        };
        self.rows.remove(i);
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (row.id.clone(), i))
            .collect();
        self.tiles = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| ((row.x, row.y), i))
            .collect();
    }

    /// `project` in place: the fold's hot path, with no copy of the view per event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => self.kinds = Arc::new(e.catalogue.clone()),
            Event::GameStartedV2(e) => self.kinds = Arc::new(e.catalogue.clone()),
            Event::GameStartedV3(e) => self.kinds = Arc::new(e.catalogue.clone()),
            Event::BuildingSwitched(e) => {
                if let Some(row) = self.row_mut(&e.building_id) {
                    row.on = e.on;
                }
            }
            Event::SiteMarkedUrgent(e) => {
                if let Some(row) = self.row_mut(&e.building_id) {
                    row.urgent = e.urgent;
                }
            }
            Event::BuildingDemolished(e) => self.remove(&e.building_id),
            Event::BuildingPlaced(e) => {
                self.spawn(Spawn {
                    id: &e.building_id,
                    building_type: &e.building_type,
                    name: e.name.clone(),
                    glyph: e.glyph,
                    x: e.x,
                    y: e.y,
                    player: &e.player,
                    work_required: 0,
                    tick: e.tick,
                });
                if let Some(row) = self.row_mut(&e.building_id) {
                    row.ready = true;
                    row.progress_percent = 100;
                    row.completed_tick = Some(e.tick);
                }
            }
            Event::ColonyTicked(_) | Event::ColonyTickedV2(_) => {
                let Some(e) = event.colony_ticked() else {
                    return;
                };
                for d in e.delivered {
                    if let Some(row) = self.row_mut(&d.building) {
                        row.delivered.add(&d.stock);
                    }
                }
                for change in e.changes {
                    if let Some(row) = self.row_mut(&change.building) {
                        row.note = change.now.clone().map(|status| Note {
                            since: e.tick,
                            status,
                        });
                    }
                }
            }
            Event::BuildingSpawned(e) => {
                let kind = self.kinds.iter().find(|k| k.key == e.building_type);
                let spawn = Spawn {
                    id: &e.building_id,
                    building_type: &e.building_type,
                    name: kind.map_or_else(|| e.building_type.clone(), |k| k.name.clone()),
                    glyph: kind.map_or('?', |k| k.glyph),
                    x: e.x,
                    y: e.y,
                    player: &e.player,
                    work_required: e.work_required,
                    tick: e.tick,
                };
                self.spawn(spawn);
            }
            Event::BuildingSpawnedV2(e) => self.spawn(Spawn {
                id: &e.building_id,
                building_type: &e.building_type,
                name: e.name.clone(),
                glyph: e.glyph,
                x: e.x,
                y: e.y,
                player: &e.player,
                work_required: e.work_required,
                tick: e.tick,
            }),
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
            Event::GameloopAdvanced(_)
            | Event::SitePlanted(_)
            | Event::GameStopped(_)
            | Event::ColonyFounded(_)
            | Event::PowerShort(_)
            | Event::PowerRestored(_)
            | Event::ColonistsLanded(_)
            | Event::ColonistDied(_)
            | Event::ShipDeparted(_)
            | Event::MissionWon(_)
            | Event::MissionLost(_)
            | Event::RobotOrdered(_)
            | Event::RobotsAssembled(_)
            | Event::RobotDeployed(_)
            | Event::ProgramUploaded(_)
            | Event::RobotMoved(_)
            | Event::RobotMined(_)
            | Event::RobotPickedUp(_)
            | Event::RobotDropped(_)
            | Event::RobotWorked(_)
            | Event::RobotCharged(_)
            | Event::RobotSaid(_)
            | Event::RobotWaited(_)
            | Event::RobotFaulted(_)
            | Event::RobotOrderedV2(_)
            | Event::TileCleared(_)
            | Event::MaterialsReclaimed(_)
            | Event::RobotSent(_)
            | Event::RobotPlanted(_) => {}
        }
    }

    pub fn project(mut self, event: &Event) -> BuildingsView {
        self.apply(event);
        self
    }
}
