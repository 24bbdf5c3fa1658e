//! The game-loop process manager: one per game, from `game_started` to `game_stopped`.
//!
//! It keeps its own list of buildings (law 7: never a projection) and turns each
//! `gameloop_advanced` into one `advance_construction` per building under construction, in the
//! order the buildings were spawned. In a classic game each gets a tick of work; in a colony
//! game it first asks the colony to settle the tick, then passes each site the work the colony
//! gave it. It also turns an accepted site into its building, a colony game's rules into its
//! colony and starting buildings, and a mission's end into the game's.
//!
//! In a colony with robots it keeps a [`Field`], and each tick first runs every robot's program
//! and resolves what they chose (`labour.rs`), telling each robot its outcome, then settles the
//! colony with the robots' work; robots the colony paid for come out of their factories.

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::domain::building::commands::{BuildingCommand, PlaceBuilding, SpawnBuilding};
use crate::domain::catalogue::BuildingKind;
use crate::domain::colony::commands::ColonyCommand;
use crate::domain::colony::tick::Standing;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::field::Field;
use crate::domain::game::commands::{GameCommand, PlantSite};
use crate::domain::game::events::ColonyStart;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::labour;
use crate::domain::robot::commands::{DeployRobot, RobotCommand};

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct GameloopPm {
    running: bool,
    /// Whether the game is a colony game (it has a colony to settle each tick).
    colony: bool,
    /// Every building, in the order it was spawned or placed.
    buildings: Vec<Standing>,
    /// From `game_started`: the names and glyphs a spawned building carries.
    kinds: Arc<Vec<BuildingKind>>,
    /// The surface as robots see it, in a colony with robots.
    field: Option<Field>,
    /// The version of the rules' code the game is played by.
    ruleset: u32,
}

impl GameloopPm {
    pub fn initial() -> GameloopPm {
        GameloopPm::default()
    }

    fn add(&mut self, id: &BuildingId, kind: &str, ready: bool) {
        self.buildings.push(Standing {
            id: id.clone(),
            kind: kind.to_owned(),
            ready,
            on: true,
            urgent: false,
        });
    }

    /// `evolve` in place, for the engine's fold.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::GameStarted(e) => {
                self.running = true;
                self.kinds = Arc::new(e.catalogue.clone());
            }
            event if event.colony_start().is_some() => {
                if let Some(e) = event.colony_start() {
                    self.running = true;
                    self.colony = true;
                    self.kinds = Arc::new(e.catalogue.to_vec());
                    self.ruleset = e.ruleset;
                    self.field = Field::of(e.rules, e.map, e.catalogue, e.ruleset);
                }
            }
            Event::BuildingSpawned(e) => self.add(&e.building_id, &e.building_type, false),
            Event::BuildingSpawnedV2(e) => self.add(&e.building_id, &e.building_type, false),
            Event::BuildingPlaced(e) => self.add(&e.building_id, &e.building_type, true),
            Event::ConstructionCompleted(e) => {
                if let Some(b) = self.building(&e.building_id) {
                    b.ready = true;
                }
            }
            Event::BuildingSwitched(e) => {
                if let Some(b) = self.building(&e.building_id) {
                    b.on = e.on;
                }
            }
            Event::SiteMarkedUrgent(e) => {
                if let Some(b) = self.building(&e.building_id) {
                    b.urgent = e.urgent;
                }
            }
            Event::BuildingDemolished(e) => self.buildings.retain(|b| b.id != e.building_id),
            Event::GameStopped(_) => {
                self.running = false;
                self.buildings.clear();
            }
            _ => {}
        }
        if let Some(field) = &mut self.field {
            field.apply(event);
        }
    }

    /// The surface as the robots see it, in a colony with robots.
    pub fn field(&self) -> Option<&Field> {
        self.field.as_ref()
    }

    pub fn evolve(mut self, event: &Event) -> GameloopPm {
        self.apply(event);
        self
    }

    fn building(&mut self, id: &BuildingId) -> Option<&mut Standing> {
        self.buildings.iter_mut().find(|b| b.id == *id)
    }

    fn sites(&self) -> impl Iterator<Item = &BuildingId> {
        self.buildings.iter().filter(|b| !b.ready).map(|b| &b.id)
    }

    /// Robots the colony paid for, each on a free tile by its factory.
    fn assemble(&self, robots: &[RobotId], tick: Tick) -> Vec<Command> {
        let Some(field) = &self.field else {
            return Vec::new();
        };
        let mut taken = Vec::new();
        robots
            .iter()
            .filter_map(|robot| {
                let order = field.orders.iter().find(|o| o.robot == *robot)?;
                let at = field.exit_of(&order.factory, &taken)?;
                taken.push(at);
                let rules = &field.robot_rules;
                let deploy = Command::Robot(RobotCommand::Deploy(DeployRobot {
                    robot_id: robot.clone(),
                    x: at.0,
                    y: at.1,
                    battery: rules.battery,
                    capacity: rules.battery,
                    cargo_capacity: rules.cargo,
                    tick,
                }));
                let upload = order.program.as_ref().map(|p| {
                    Command::Robot(RobotCommand::UploadProgram {
                        robot_id: robot.clone(),
                        name: p.name.clone(),
                        source: p.source.clone(),
                        tick,
                    })
                });
                Some(std::iter::once(deploy).chain(upload))
            })
            .flatten()
            .collect()
    }

    /// A colony game's start: the colony founded with its rules, its starting buildings placed
    /// and its robots deployed, each with its program.
    fn start_colony(&self, e: &ColonyStart<'_>) -> Vec<Command> {
        let found = Command::Colony(ColonyCommand::Found {
            game_id: e.game_id,
            rules: Box::new(e.rules.clone()),
        });
        let placed = e.rules.start.buildings.iter().map(|p| {
            let kind = self.kinds.iter().find(|k| k.key == p.kind);
            Command::Building(BuildingCommand::PlaceBuilding(PlaceBuilding {
                building_id: p.id.clone(),
                building_type: p.kind.clone(),
                name: kind.map_or_else(|| p.kind.clone(), |k| k.name.clone()),
                glyph: kind.map_or('?', |k| k.glyph),
                x: p.x,
                y: p.y,
                player: e.player.to_owned(),
                tick: e.tick,
            }))
        });
        let robots = e.rules.robots.iter().flat_map(|rules| {
            e.rules.start.robots.iter().flat_map(move |kit| {
                let deploy = Command::Robot(RobotCommand::Deploy(DeployRobot {
                    robot_id: kit.id.clone(),
                    x: kit.x,
                    y: kit.y,
                    battery: rules.battery,
                    capacity: rules.battery,
                    cargo_capacity: rules.cargo,
                    tick: e.tick,
                }));
                let upload = kit.program.as_ref().map(|p| {
                    Command::Robot(RobotCommand::UploadProgram {
                        robot_id: kit.id.clone(),
                        name: p.name.clone(),
                        source: p.source.clone(),
                        tick: e.tick,
                    })
                });
                std::iter::once(deploy).chain(upload)
            })
        });
        std::iter::once(found).chain(placed).chain(robots).collect()
    }

    pub fn react(&self, event: &Event) -> Vec<Command> {
        if !self.running {
            return Vec::new();
        }
        let advance = |building_id: &BuildingId, ticks: u32, tick| {
            Command::Building(BuildingCommand::AdvanceConstruction {
                building_id: building_id.clone(),
                ticks,
                tick,
            })
        };
        if let Some(e) = event.colony_start() {
            return self.start_colony(&e);
        }
        match event {
            Event::GameloopAdvanced(e) if self.colony => {
                let (acts, labour, orders) = match &self.field {
                    Some(field) => {
                        let plan = labour::plan(field, e.tick);
                        (plan.acts, Some(plan.labour), field.ready_orders())
                    }
                    None => (Vec::new(), None, Vec::new()),
                };
                let settle = Command::Colony(ColonyCommand::Settle {
                    tick: e.tick,
                    buildings: self.buildings.clone(),
                    labour,
                    orders,
                    ruleset: self.ruleset,
                });
                acts.into_iter()
                    .map(|act| Command::Robot(RobotCommand::Act(act)))
                    .chain(std::iter::once(settle))
                    .collect()
            }
            Event::GameloopAdvanced(e) => self.sites().map(|id| advance(id, 1, e.tick)).collect(),
            Event::ColonyTicked(_) | Event::ColonyTickedV2(_) => {
                let Some(e) = event.colony_ticked() else {
                    return Vec::new();
                };
                let advances = self.sites().map(|id| {
                    let units = e
                        .work
                        .iter()
                        .find(|w| w.building == *id)
                        .map_or(0, |w| w.units);
                    advance(id, units, e.tick)
                });
                advances.collect()
            }
            Event::RobotsAssembled(e) => self.assemble(&e.robots, e.tick),
            Event::BuildingDemolished(e) => {
                let clear = Command::Game(GameCommand::ClearTile {
                    building_id: e.building_id.clone(),
                });
                let reclaim = self.colony.then(|| {
                    Command::Colony(ColonyCommand::Reclaim {
                        building_id: e.building_id.clone(),
                        kind: e.building_type.clone(),
                        site: e.site,
                        tick: e.tick,
                    })
                });
                std::iter::once(clear).chain(reclaim).collect()
            }
            // A robot's site is the surface's to accept, as the player's are; the resolution
            // made sure it would be (see `labour`).
            Event::RobotPlanted(e) => vec![Command::Game(GameCommand::PlantSite(PlantSite {
                building_id: e.building_id.clone(),
                building_type: e.building_type.clone(),
                x: i32::from(e.x),
                y: i32::from(e.y),
                player: Some(e.robot_id.to_string()),
                work_ticks: None,
            }))],
            Event::MissionWon(_) | Event::MissionLost(_) => {
                vec![Command::Game(GameCommand::StopGame)]
            }
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
