//! The game aggregate (stream `game-<id>`): the game loop's clock and the owner of the surface.
//!
//! It is the one authority on which tiles are taken, so it decides whether a site may be
//! planted; the building aggregate is spawned only after the surface said yes.

pub mod commands;
pub mod events;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::domain::catalogue::{BuildingKind, SurfaceMap, Terrain, check_catalogue, terrain_in};
use crate::domain::event::Event;
use crate::domain::game::commands::{GameCommand, PlantSite, StartGame};
use crate::domain::game::events::{
    GameStarted, GameStartedV2, GameStartedV3, GameStopped, GameloopAdvanced, RobotOrdered,
    RobotOrderedV2, SitePlanted, TileCleared,
};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::program::compile;
use crate::domain::rejection::Rejection;
use crate::domain::ruleset::{ProgramSource, RULESET, Ruleset};
use crate::domain::text::check_name;

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub enum Game {
    #[default]
    NotStarted,
    Running(World),
    Stopped(World),
}

/// What the game aggregate remembers of a started game.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct World {
    pub game_id: GameId,
    pub player: String,
    pub tick: Tick,
    /// Shared because they never change after `game_started`; cloning the state stays cheap.
    pub map: Arc<SurfaceMap>,
    pub catalogue: Arc<Vec<BuildingKind>>,
    /// Occupied tiles, `(x, y)` to the building planted there.
    pub tiles: BTreeMap<(u16, u16), BuildingId>,
    /// Every building in use, by id, with its kind: a new site's id is checked without a
    /// scan, and a robot is ordered only from a factory.
    pub kinds: BTreeMap<BuildingId, String>,
    /// Every robot the colony has or has ordered.
    pub robots: BTreeSet<RobotId>,
    /// A colony game's rules; none in a classic game, where any tile takes any building.
    pub rules: Option<Arc<Ruleset>>,
    /// The version of the rules' code: 0 for a classic game, 1 for `game_started_v2`.
    pub ruleset: u32,
    /// Ids of buildings taken down, never used again.
    pub retired: BTreeSet<BuildingId>,
}

impl Game {
    pub fn initial() -> Game {
        Game::NotStarted
    }

    pub fn decide(&self, command: &GameCommand) -> Result<Vec<Event>, Rejection> {
        match (self, command) {
            (Game::NotStarted, GameCommand::StartGame(start)) => start_game(start),
            (Game::NotStarted, _) => Err(Rejection::GameNotStarted),
            (_, GameCommand::StartGame(_)) => Err(Rejection::GameAlreadyStarted),
            (Game::Stopped(_), _) => Err(Rejection::GameStopped),
            (Game::Running(world), GameCommand::AdvanceGameloop { tick }) => {
                let expected = world.tick + 1;
                if *tick != expected {
                    return Err(Rejection::TickOutOfOrder {
                        expected,
                        got: *tick,
                    });
                }
                Ok(vec![Event::GameloopAdvanced(GameloopAdvanced {
                    game_id: world.game_id,
                    tick: *tick,
                })])
            }
            (Game::Running(world), GameCommand::PlantSite(plant)) => plant_site(world, plant),
            (
                Game::Running(world),
                GameCommand::OrderRobot {
                    robot_id,
                    factory,
                    program,
                },
            ) => order_robot(world, robot_id, factory, program.as_ref()),
            (Game::Running(world), GameCommand::ClearTile { building_id }) => {
                Ok(vec![Event::TileCleared(TileCleared {
                    game_id: world.game_id,
                    building_id: building_id.clone(),
                    tick: world.tick,
                })])
            }
            (Game::Running(world), GameCommand::StopGame) => {
                Ok(vec![Event::GameStopped(GameStopped {
                    game_id: world.game_id,
                    tick: world.tick,
                })])
            }
        }
    }

    pub fn evolve(self, event: &Event) -> Game {
        match (self, event) {
            (Game::NotStarted, Event::GameStarted(e)) => Game::Running(World {
                game_id: e.game_id,
                player: e.player.clone(),
                tick: e.tick,
                map: Arc::new(e.map.clone()),
                catalogue: Arc::new(e.catalogue.clone()),
                tiles: BTreeMap::new(),
                kinds: BTreeMap::new(),
                robots: BTreeSet::new(),
                rules: None,
                ruleset: 0,
                retired: BTreeSet::new(),
            }),
            (Game::NotStarted, event) if event.colony_start().is_some() => {
                let Some(e) = event.colony_start() else {
                    return Game::NotStarted;
                };
                let start = &e.rules.start.buildings;
                Game::Running(World {
                    game_id: e.game_id,
                    player: e.player.to_owned(),
                    tick: e.tick,
                    map: Arc::new(e.map.clone()),
                    catalogue: Arc::new(e.catalogue.to_vec()),
                    tiles: start.iter().map(|p| ((p.x, p.y), p.id.clone())).collect(),
                    kinds: start
                        .iter()
                        .map(|p| (p.id.clone(), p.kind.clone()))
                        .collect(),
                    robots: e.rules.start.robots.iter().map(|r| r.id.clone()).collect(),
                    rules: Some(Arc::new(e.rules.clone())),
                    ruleset: e.ruleset,
                    retired: BTreeSet::new(),
                })
            }
            (Game::Running(mut world), Event::GameloopAdvanced(e)) => {
                world.tick = e.tick;
                Game::Running(world)
            }
            (Game::Running(mut world), Event::SitePlanted(e)) => {
                world.tiles.insert((e.x, e.y), e.building_id.clone());
                world
                    .kinds
                    .insert(e.building_id.clone(), e.building_type.clone());
                Game::Running(world)
            }
            (Game::Running(mut world), Event::RobotOrdered(e)) => {
                world.robots.insert(e.robot_id.clone());
                Game::Running(world)
            }
            (Game::Running(mut world), Event::RobotOrderedV2(e)) => {
                world.robots.insert(e.robot_id.clone());
                Game::Running(world)
            }
            (Game::Running(mut world), Event::TileCleared(e)) => {
                world.tiles.retain(|_, id| *id != e.building_id);
                world.kinds.remove(&e.building_id);
                world.retired.insert(e.building_id.clone());
                Game::Running(world)
            }
            (Game::Running(world), Event::GameStopped(_)) => Game::Stopped(world),
            (state, _) => state,
        }
    }
}

/// The longest colony name, and the longest player name.
pub const MAX_COLONY_NAME: usize = 64;

pub const MAX_PLAYER_NAME: usize = 32;

fn check_player(player: &str) -> Result<(), Rejection> {
    check_name("a player name", player, MAX_PLAYER_NAME)
        .map_err(|reason| Rejection::InvalidName { reason })
}

fn start_game(start: &StartGame) -> Result<Vec<Event>, Rejection> {
    check_name("a colony name", &start.name, MAX_COLONY_NAME)
        .map_err(|reason| Rejection::InvalidName { reason })?;
    check_player(&start.player)?;
    let invalid = |reason: String| Rejection::InvalidGame { reason };
    start.map.check().map_err(invalid)?;
    check_catalogue(&start.catalogue).map_err(invalid)?;
    let Some(rules) = &start.rules else {
        return Ok(vec![Event::GameStarted(GameStarted {
            game_id: start.game_id,
            name: start.name.clone(),
            seed: start.seed,
            player: start.player.clone(),
            map: start.map.clone(),
            catalogue: start.catalogue.clone(),
            tick: 0,
        })]);
    };
    let keys: Vec<&str> = start.catalogue.iter().map(|k| k.key.as_str()).collect();
    rules.check(&keys).map_err(invalid)?;
    let mut taken = BTreeSet::new();
    for placed in &rules.start.buildings {
        let on_map = placed.x < start.map.width && placed.y < start.map.height;
        if !on_map || !taken.insert((placed.x, placed.y)) || !placed.id.is_valid() {
            return Err(invalid(format!(
                "the starting building {} at ({},{}) is off the map, on a taken tile, or \
                 badly named",
                placed.id, placed.x, placed.y
            )));
        }
    }
    // Robots share a few programs: each is compiled once, not once a robot (the bench's
    // thousand robots took 833M instructions to start, most of them compiling).
    let mut compiled = BTreeSet::new();
    for kit in &rules.start.robots {
        if let Some(program) = &kit.program
            && compiled.insert(program.source.as_str())
        {
            compile(&program.source).map_err(|e| {
                invalid(format!(
                    "the starting robot {}'s program {} does not compile: {e}",
                    kit.id, program.name
                ))
            })?;
        }
        let on_map = kit.x < start.map.width && kit.y < start.map.height;
        let rock = terrain_in(&start.map.terrain, kit.x, kit.y) == Terrain::Rock;
        if !on_map || rock || !taken.insert((kit.x, kit.y)) {
            return Err(invalid(format!(
                "the starting robot {} at ({},{}) is off the map, on rock, or on a taken tile",
                kit.id, kit.x, kit.y
            )));
        }
    }
    if start.ruleset <= 1 {
        return Ok(vec![Event::GameStartedV2(GameStartedV2 {
            game_id: start.game_id,
            name: start.name.clone(),
            seed: start.seed,
            player: start.player.clone(),
            map: start.map.clone(),
            catalogue: start.catalogue.clone(),
            rules: rules.clone(),
            tick: 0,
        })]);
    }
    if start.ruleset > RULESET {
        return Err(invalid(format!(
            "ruleset {} is newer than this build's ({RULESET})",
            start.ruleset
        )));
    }
    Ok(vec![Event::GameStartedV3(GameStartedV3 {
        game_id: start.game_id,
        name: start.name.clone(),
        seed: start.seed,
        player: start.player.clone(),
        map: start.map.clone(),
        catalogue: start.catalogue.clone(),
        rules: rules.clone(),
        ruleset: start.ruleset,
        tick: 0,
    })])
}

fn plant_site(world: &World, plant: &PlantSite) -> Result<Vec<Event>, Rejection> {
    if !plant.building_id.is_valid() {
        return Err(Rejection::InvalidBuildingId {
            building_id: plant.building_id.clone(),
        });
    }
    let (kind, (x, y)) = site_fits(
        &world.map,
        &world.catalogue,
        world.rules.as_deref(),
        &plant.building_type,
        (plant.x, plant.y),
        |at| world.tiles.get(&at).cloned(),
    )?;
    if world.kinds.contains_key(&plant.building_id) || world.retired.contains(&plant.building_id) {
        return Err(Rejection::DuplicateBuilding {
            building_id: plant.building_id.clone(),
        });
    }
    if let Some(player) = &plant.player {
        check_player(player)?;
    }
    // In a hands-off mission only robots plant, once the game is under way.
    let by_robot = plant
        .player
        .as_deref()
        .and_then(|p| RobotId::parse(p).ok())
        .is_some_and(|r| world.robots.contains(&r));
    let hands_off = world.rules.as_ref().is_some_and(|r| r.mission.hands_off);
    if hands_off && world.tick > 0 && !by_robot {
        return Err(Rejection::HandsOff);
    }
    let work_required = plant.work_ticks.unwrap_or(kind.work_ticks);
    if work_required == 0 {
        return Err(Rejection::NoWork);
    }
    Ok(vec![Event::SitePlanted(SitePlanted {
        game_id: world.game_id,
        building_id: plant.building_id.clone(),
        building_type: kind.key.clone(),
        x,
        y,
        player: plant.player.clone().unwrap_or_else(|| world.player.clone()),
        work_required,
        tick: world.tick,
    })])
}

/// Whether a site of kind `kind` may stand at `at` on `map`: a kind of the catalogue, on the
/// map, on a free tile (`taken` says what stands where), on ground its kind allows in a colony
/// game. The surface's one rule for every site, the player's and robots' alike; the kind and
/// the tile when it may.
pub fn site_fits<'a>(
    map: &SurfaceMap,
    catalogue: &'a [BuildingKind],
    rules: Option<&Ruleset>,
    kind: &str,
    at: (i32, i32),
    taken: impl Fn((u16, u16)) -> Option<BuildingId>,
) -> Result<(&'a BuildingKind, (u16, u16)), Rejection> {
    let found =
        catalogue
            .iter()
            .find(|k| k.key == kind)
            .ok_or_else(|| Rejection::UnknownBuildingType {
                building_type: kind.to_owned(),
            })?;
    let (x, y) = match (u16::try_from(at.0), u16::try_from(at.1)) {
        (Ok(x), Ok(y)) if x < map.width && y < map.height => (x, y),
        _ => {
            return Err(Rejection::OffMap {
                x: at.0,
                y: at.1,
                width: map.width,
                height: map.height,
            });
        }
    };
    if let Some(by) = taken((x, y)) {
        return Err(Rejection::TileTaken { x, y, by });
    }
    if let Some(rules) = rules {
        let terrain = terrain_in(&map.terrain, x, y);
        let allowed = rules
            .economy(&found.key)
            .map_or(&[][..], |e| e.terrain.as_slice());
        if !allowed.contains(&terrain) {
            return Err(Rejection::WrongTerrain {
                building_type: found.key.clone(),
                name: found.name.clone(),
                x,
                y,
                terrain,
                allowed: allowed.to_vec(),
            });
        }
    }
    Ok((found, (x, y)))
}

fn order_robot(
    world: &World,
    robot_id: &RobotId,
    factory: &BuildingId,
    program: Option<&ProgramSource>,
) -> Result<Vec<Event>, Rejection> {
    let Some(robots) = world.rules.as_ref().and_then(|r| r.robots.as_ref()) else {
        return Err(Rejection::NoRobots);
    };
    if !robot_id.is_valid() {
        return Err(Rejection::InvalidRobotId {
            robot_id: robot_id.clone(),
        });
    }
    if world.robots.contains(robot_id) {
        return Err(Rejection::DuplicateRobot {
            robot_id: robot_id.clone(),
        });
    }
    match world.kinds.get(factory) {
        None => Err(Rejection::BuildingNotFound {
            building_id: factory.clone(),
        }),
        Some(kind) if *kind != robots.factory => Err(Rejection::NotAFactory {
            building_id: factory.clone(),
        }),
        Some(_) if world.ruleset <= 1 => match program {
            Some(_) => Err(Rejection::NotInRuleset {
                what: "robots ordered with a program".into(),
                ruleset: world.ruleset,
            }),
            None => Ok(vec![Event::RobotOrdered(RobotOrdered {
                game_id: world.game_id,
                robot_id: robot_id.clone(),
                factory: factory.clone(),
                tick: world.tick,
            })]),
        },
        Some(_) => {
            if let Some(program) = program {
                compile(&program.source).map_err(|e| Rejection::ProgramInvalid {
                    line: e.line,
                    column: e.column,
                    message: e.message,
                })?;
            }
            Ok(vec![Event::RobotOrderedV2(RobotOrderedV2 {
                game_id: world.game_id,
                robot_id: robot_id.clone(),
                factory: factory.clone(),
                program: program.cloned(),
                tick: world.tick,
            })])
        }
    }
}
