//! Read model: the colony at a glance.

use std::collections::BTreeMap;
use std::sync::Arc;

use imbl::{HashMap, Vector};
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::{BuildingKind, Terrain, terrain_in};
use crate::domain::colony::tick::{PowerFlow, Score};
use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, GameId, Tick};
use crate::domain::resources::Stock;
use crate::domain::ruleset::{Daylight, Objective, Ruleset};

/// How a mission stands.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissionStatus {
    #[default]
    Running,
    Won {
        tick: Tick,
        score: Score,
    },
    Lost {
        tick: Tick,
        reason: String,
        score: Score,
    },
}

/// One tick of the colony, kept for the charts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Sample {
    pub tick: Tick,
    pub stored: u32,
    pub stock: Stock,
}

/// A colony game's economy as the screen shows it; none in a classic game.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct EconomyView {
    pub rules: Arc<Ruleset>,
    pub stock: Stock,
    /// What the stock was a tick before, for the trend arrows.
    pub previous: Stock,
    pub power: PowerFlow,
    pub day: bool,
    /// Colonists still aboard each ship, landed or not yet.
    pub aboard: Vec<u32>,
    pub living: u32,
    pub lost: u32,
    pub distress: u32,
    /// Whether consumers went without power on the last tick, and on how many ticks in all.
    pub short: bool,
    pub brownout_ticks: u32,
    pub mission: MissionStatus,
    /// The last [`EconomyView::HISTORY`] ticks, oldest first.
    pub history: Vector<Sample>,
}

impl EconomyView {
    /// Ticks of history the charts can show.
    pub const HISTORY: usize = 240;

    fn new(rules: &Ruleset) -> EconomyView {
        EconomyView {
            rules: Arc::new(rules.clone()),
            stock: rules.start.stock,
            previous: rules.start.stock,
            power: PowerFlow {
                stored: rules.start.power,
                capacity: rules
                    .start
                    .buildings
                    .iter()
                    .filter_map(|b| rules.economy(&b.kind))
                    .map(|e| e.storage)
                    .sum(),
                ..PowerFlow::default()
            },
            day: rules.daylight(0).day,
            aboard: rules.mission.ships.iter().map(|s| s.colonists).collect(),
            living: 0,
            lost: 0,
            distress: 0,
            short: false,
            brownout_ticks: 0,
            mission: MissionStatus::Running,
            history: Vector::new(),
        }
    }

    pub fn daylight(&self, tick: Tick) -> Daylight {
        self.rules.daylight(tick)
    }

    /// Colonists on ships that have landed, waiting for a bed.
    pub fn waiting(&self, tick: Tick) -> u32 {
        self.ships()
            .filter(|(ship, _)| ship.tick <= tick)
            .map(|(_, aboard)| aboard)
            .sum()
    }

    /// The next ship still to land: when, and how many it brings.
    pub fn next_ship(&self, tick: Tick) -> Option<(Tick, u32)> {
        self.ships()
            .find(|(ship, aboard)| ship.tick > tick && *aboard > 0)
            .map(|(ship, aboard)| (ship.tick, aboard))
    }

    fn ships(&self) -> impl Iterator<Item = (&crate::domain::ruleset::Ship, u32)> {
        self.rules
            .mission
            .ships
            .iter()
            .zip(self.aboard.iter().copied())
    }
}

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
    pub economy: Option<EconomyView>,
}

impl ColonyView {
    /// The terrain of a tile; regolith off the map.
    pub fn terrain_at(&self, x: u16, y: u16) -> Terrain {
        terrain_in(&self.terrain, x, y)
    }

    /// Whether a mission objective holds now.
    pub fn objective_done(&self, objective: &Objective) -> bool {
        let Some(economy) = &self.economy else {
            return false;
        };
        match objective {
            Objective::Build { kind, count } => {
                self.by_type.get(kind).map_or(0, |c| c.ready) >= *count
            }
            Objective::Stock { resource, amount } => economy.stock.get(*resource) >= *amount,
            Objective::Colonists { count } => economy.living >= *count,
            Objective::Reach { tick } => self.tick >= *tick,
        }
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

    fn start(&mut self, game_id: GameId, name: &str, player: &str, seed: u64) {
        self.game_id = Some(game_id);
        self.name = name.to_owned();
        self.player = player.to_owned();
        self.seed = seed;
        self.started = true;
    }

    fn map(&mut self, map: &crate::domain::catalogue::SurfaceMap, kinds: &[BuildingKind]) {
        self.map = map.name.clone();
        self.width = map.width;
        self.height = map.height;
        self.terrain = Arc::new(map.terrain.clone());
        self.catalogue = Arc::new(kinds.to_vec());
    }

    /// `project` in place: the fold's hot path, with no copy of the view per event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => {
                self.start(e.game_id, &e.name, &e.player, e.seed);
                self.map(&e.map, &e.catalogue);
                self.tick = e.tick;
            }
            Event::GameStartedV2(e) => {
                self.start(e.game_id, &e.name, &e.player, e.seed);
                self.map(&e.map, &e.catalogue);
                self.tick = e.tick;
                self.economy = Some(EconomyView::new(&e.rules));
            }
            Event::GameloopAdvanced(e) => self.tick = e.tick,
            Event::BuildingSpawned(e) => self.count_spawn(&e.building_id, &e.building_type),
            Event::BuildingSpawnedV2(e) => self.count_spawn(&e.building_id, &e.building_type),
            Event::BuildingPlaced(e) => {
                self.count_spawn(&e.building_id, &e.building_type);
                self.count_ready(&e.building_id);
            }
            Event::ConstructionCompleted(e) => self.count_ready(&e.building_id),
            Event::GameStopped(_) => self.stopped = true,
            Event::ColonyTicked(e) => {
                if let Some(economy) = &mut self.economy {
                    economy.previous = economy.stock;
                    economy.stock = e.stock;
                    economy.power = e.power;
                    economy.day = e.day;
                    economy.distress = e.distress;
                    economy.short = e.short;
                    economy.brownout_ticks += u32::from(economy.short);
                    if economy.history.len() == EconomyView::HISTORY {
                        economy.history.pop_front();
                    }
                    economy.history.push_back(Sample {
                        tick: e.tick,
                        stored: e.power.stored,
                        stock: e.stock,
                    });
                }
            }
            Event::ColonistsLanded(e) => {
                if let Some(economy) = &mut self.economy {
                    if let Some(aboard) = economy.aboard.get_mut(e.ship as usize) {
                        *aboard = e.aboard;
                    }
                    economy.living = e.living;
                }
            }
            Event::ShipDeparted(e) => {
                if let Some(economy) = &mut self.economy {
                    if let Some(aboard) = economy.aboard.get_mut(e.ship as usize) {
                        *aboard = 0;
                    }
                    economy.lost += e.stranded;
                }
            }
            Event::ColonistDied(e) => {
                if let Some(economy) = &mut self.economy {
                    economy.living = e.living;
                    economy.lost += 1;
                }
            }
            Event::MissionWon(e) => {
                if let Some(economy) = &mut self.economy {
                    economy.mission = MissionStatus::Won {
                        tick: e.tick,
                        score: e.score,
                    };
                }
            }
            Event::MissionLost(e) => {
                if let Some(economy) = &mut self.economy {
                    economy.mission = MissionStatus::Lost {
                        tick: e.tick,
                        reason: e.reason.clone(),
                        score: e.score,
                    };
                }
            }
            Event::SitePlanted(_)
            | Event::ConstructionProgressed(_)
            | Event::ColonyFounded(_)
            | Event::PowerShort(_)
            | Event::PowerRestored(_)
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
            | Event::RobotFaulted(_) => {}
        }
    }

    fn count_ready(&mut self, id: &BuildingId) {
        self.under_construction = self.under_construction.saturating_sub(1);
        self.ready += 1;
        if let Some(count) = self.types.get(id).and_then(|t| self.by_type.get_mut(t)) {
            count.under_construction = count.under_construction.saturating_sub(1);
            count.ready += 1;
        }
    }

    pub fn project(mut self, event: &Event) -> ColonyView {
        self.apply(event);
        self
    }
}
