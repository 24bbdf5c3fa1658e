//! Read model: the colony at a glance.

use std::collections::BTreeMap;
use std::sync::Arc;

use imbl::Vector;
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::{BuildingKind, Terrain, terrain_in};
use crate::domain::colony::tick::{PowerFlow, Score};
use crate::domain::event::Event;
use crate::domain::fasthash::FastImMap;
use crate::domain::ids::{BuildingId, GameId, Tick};
use crate::domain::resources::{Resource, Stock};
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
    pub living: u32,
    pub day: bool,
}

/// What one tick made and used of each resource and of power.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Flow {
    pub made: Stock,
    pub used: Stock,
    pub power_made: u32,
    pub power_used: u32,
}

/// A rate: what was made and used of one thing, on the last tick and on average over the last
/// [`EconomyView::RATE_TICKS`] ticks (in tenths, so that a rate of a third of a unit a tick
/// still shows).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Rate {
    pub made: u32,
    pub used: u32,
    pub made_tenths: u64,
    pub used_tenths: u64,
}

impl Rate {
    /// The average net change a tick, in tenths.
    pub fn net_tenths(&self) -> i64 {
        i64::try_from(self.made_tenths).unwrap_or(i64::MAX)
            - i64::try_from(self.used_tenths).unwrap_or(i64::MAX)
    }
}

/// A colony game's economy as the screen shows it; none in a classic game.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct EconomyView {
    pub rules: Arc<Ruleset>,
    pub stock: Stock,
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
    /// The whole game for the statistics screen, one sample every `record_every` ticks (the
    /// step doubles whenever the record would pass [`EconomyView::RECORD`] samples, so a long
    /// game costs no more than a short one).
    pub record: Vector<Sample>,
    pub record_every: u64,
    /// What each of the last [`EconomyView::RATE_TICKS`] ticks made and used, oldest first.
    /// A game of ruleset 1 recorded only what was in store: there, made and used are the rise
    /// and the fall of the stock.
    pub flows: Vector<Flow>,
}

impl EconomyView {
    /// Ticks of history the charts can show.
    pub const HISTORY: usize = 240;
    /// Samples the statistics screen keeps of the whole game, at most.
    pub const RECORD: usize = 2000;
    /// Ticks a rate's average is taken over.
    pub const RATE_TICKS: usize = 10;

    fn new(rules: &Ruleset) -> EconomyView {
        EconomyView {
            rules: Arc::new(rules.clone()),
            stock: rules.start.stock,
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
            record: Vector::new(),
            record_every: 1,
            flows: Vector::new(),
        }
    }

    /// The rate of a resource: made and used on the last tick, and on average.
    pub fn rate(&self, resource: Resource) -> Rate {
        self.rate_of(|f| (f.made.get(resource), f.used.get(resource)))
    }

    /// The rate of power: made and used on the last tick, and on average.
    pub fn power_rate(&self) -> Rate {
        self.rate_of(|f| (f.power_made, f.power_used))
    }

    fn rate_of(&self, of: impl Fn(&Flow) -> (u32, u32)) -> Rate {
        let (made, used) = self.flows.back().map_or((0, 0), &of);
        let n = self.flows.len().max(1) as u64;
        let (made_sum, used_sum) = self
            .flows
            .iter()
            .map(&of)
            .fold((0u64, 0u64), |(m, u), (a, b)| {
                (m + u64::from(a), u + u64::from(b))
            });
        Rate {
            made,
            used,
            made_tenths: made_sum * 10 / n,
            used_tenths: used_sum * 10 / n,
        }
    }

    /// Ticks until `resource` runs out at the average rate, if it is falling.
    pub fn runs_out_in(&self, resource: Resource) -> Option<u64> {
        let falling = -self.rate(resource).net_tenths();
        (falling > 0).then(|| u64::from(self.stock.get(resource)) * 10 / falling.unsigned_abs())
    }

    /// Ticks from `tick` to the end of the next night: the stretch a colony must get through
    /// on what it has. Where night never falls, a day's worth.
    pub fn horizon(&self, tick: Tick) -> u64 {
        let light = self.daylight(tick);
        let night = u64::from(self.rules.night_ticks);
        match (light.day, light.until_change) {
            (_, u32::MAX) => u64::from(self.rules.day_ticks).min(100),
            (true, change) => u64::from(change) + night,
            (false, change) => u64::from(change),
        }
    }

    /// The resource the colony lives on (what colonists breathe and drink, and what its
    /// buildings consume) that runs out soonest at the average rate, if one runs out before the
    /// [`EconomyView::horizon`]: when, in ticks. What is only built with (a one-off cost that
    /// a new site takes at once) is left out: it would cry wolf at every site.
    pub fn runs_out_soon(&self, tick: Tick) -> Option<(Resource, u64)> {
        let horizon = self.horizon(tick);
        let lives_on = |r: Resource| {
            (r == Resource::Oxygen && self.rules.breathe > 0)
                || (r == Resource::Water && self.rules.drink > 0)
                || self.rules.economy.iter().any(|e| e.consumes.get(r) > 0)
        };
        Resource::ALL
            .into_iter()
            .filter(|r| lives_on(*r))
            .filter_map(|r| Some((r, self.runs_out_in(r)?)))
            .filter(|(_, ticks)| *ticks <= horizon)
            .min_by_key(|(_, ticks)| *ticks)
    }

    /// Records a settled tick: the charts' samples, the statistics' record, the rates' flows.
    fn record_tick(&mut self, sample: Sample, flow: Flow) {
        if self.history.len() == EconomyView::HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(sample);
        if sample.tick.is_multiple_of(self.record_every) {
            self.record.push_back(sample);
            if self.record.len() > EconomyView::RECORD {
                self.record = self.record.iter().step_by(2).copied().collect();
                self.record_every *= 2;
            }
        }
        if self.flows.len() == EconomyView::RATE_TICKS {
            self.flows.pop_front();
        }
        self.flows.push_back(flow);
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
    /// The version of the rules' code the game is played by: 0 for a classic game.
    pub ruleset: u32,
    pub buildings: u32,
    pub under_construction: u32,
    pub ready: u32,
    pub by_type: BTreeMap<String, TypeCount>,
    /// Which type each building is, so a completion can be counted against it.
    types: FastImMap<BuildingId, String>,
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
            Event::GameStartedV2(_) | Event::GameStartedV3(_) => {
                if let Some(e) = event.colony_start() {
                    self.start(e.game_id, e.name, e.player, e.seed);
                    self.map(e.map, e.catalogue);
                    self.tick = e.tick;
                    self.ruleset = e.ruleset;
                    self.economy = Some(EconomyView::new(e.rules));
                }
            }
            Event::BuildingDemolished(e) => self.count_gone(&e.building_id, e.site),
            Event::MaterialsReclaimed(e) => {
                if let Some(economy) = &mut self.economy {
                    economy.stock.add(&e.stock);
                }
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
            Event::ColonyTicked(_) | Event::ColonyTickedV2(_) => {
                if let (Some(economy), Some(e)) = (&mut self.economy, event.colony_ticked()) {
                    let (made, used) = e.flow.unwrap_or_else(|| {
                        (
                            e.stock.shortfall(&economy.stock),
                            economy.stock.shortfall(&e.stock),
                        )
                    });
                    economy.stock = e.stock;
                    economy.power = e.power;
                    economy.day = e.day;
                    economy.distress = e.distress;
                    economy.short = e.short;
                    economy.brownout_ticks += u32::from(economy.short);
                    let sample = Sample {
                        tick: e.tick,
                        stored: e.power.stored,
                        stock: e.stock,
                        living: economy.living,
                        day: e.day,
                    };
                    let flow = Flow {
                        made,
                        used,
                        power_made: e.power.produced,
                        power_used: e.power.used,
                    };
                    economy.record_tick(sample, flow);
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
            | Event::RobotFaulted(_)
            | Event::RobotOrderedV2(_)
            | Event::TileCleared(_)
            | Event::BuildingSwitched(_)
            | Event::SiteMarkedUrgent(_)
            | Event::RobotSent(_)
            | Event::RobotPlanted(_) => {}
        }
    }

    /// A building taken down no longer counts, as a site or as a working building.
    fn count_gone(&mut self, id: &BuildingId, site: bool) {
        self.buildings = self.buildings.saturating_sub(1);
        if site {
            self.under_construction = self.under_construction.saturating_sub(1);
        } else {
            self.ready = self.ready.saturating_sub(1);
        }
        if let Some(count) = self.types.remove(id).and_then(|t| self.by_type.get_mut(&t)) {
            count.total = count.total.saturating_sub(1);
            if site {
                count.under_construction = count.under_construction.saturating_sub(1);
            } else {
                count.ready = count.ready.saturating_sub(1);
            }
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
