//! Commands: requests in the imperative. Never stored; replay never re-runs them.

use super::catalogue::{BuildingKind, SurfaceMap};
use super::economy::{Labour, Standing};
use super::event::Place;
use super::ids::{BuildingId, GameId, RobotId, Tick};
use super::program::Memory;
use super::rejection::Rejection;
use super::ruleset::{Resource, Ruleset};
use super::subject::Subject;

/// Every command, split by the aggregate that decides it so that routing cannot go wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Command {
    Game(GameCommand),
    Building(BuildingCommand),
    Colony(ColonyCommand),
    Robot(RobotCommand),
}

/// Decided by the robot aggregate named in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RobotCommand {
    /// Issued by the game-loop process manager for a starting robot or one a factory made.
    Deploy(DeployRobot),
    /// From the player or a script, or the process manager for a starting robot. `tick` is
    /// the current tick, which the engine stamps (see [`Command::stamp`]).
    UploadProgram {
        robot_id: RobotId,
        name: String,
        source: String,
        tick: Tick,
    },
    /// Issued by the game-loop process manager each tick: what the robot's program chose,
    /// resolved against the world.
    Act(Act),
}

impl RobotCommand {
    pub fn robot_id(&self) -> &RobotId {
        match self {
            RobotCommand::Deploy(d) => &d.robot_id,
            RobotCommand::UploadProgram { robot_id, .. } => robot_id,
            RobotCommand::Act(a) => &a.robot_id,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DeployRobot {
    pub robot_id: RobotId,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    pub capacity: u32,
    pub cargo_capacity: u32,
    pub tick: Tick,
}

/// One robot's tick: the outcome of its program's choice, the memory it keeps when that
/// changed, and what it said.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Act {
    pub robot_id: RobotId,
    pub tick: Tick,
    pub step: Step,
    pub memory: Option<Memory>,
    pub said: Option<String>,
}

/// What a robot's choice came to, once resolved. Costs travel with it, from the rules.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Step {
    Move {
        x: u16,
        y: u16,
        cost: u32,
    },
    Mine {
        resource: Resource,
        amount: u32,
        left: u32,
        cost: u32,
    },
    /// From the store, or from the pile at `at`.
    PickUp {
        from: Place,
        at: (u16, u16),
        resource: Resource,
        amount: u32,
    },
    /// All it carries.
    Drop {
        into: Place,
    },
    Work {
        site: BuildingId,
        cost: u32,
    },
    Charge {
        units: u32,
    },
    /// Nothing done: by choice (`reason` none), or because the choice could not be done.
    Wait {
        reason: Option<String>,
    },
    Fault {
        message: String,
    },
}

/// Decided by the game aggregate.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GameCommand {
    StartGame(StartGame),
    /// Enter tick `tick`; it must be the one after the current tick.
    AdvanceGameloop {
        tick: Tick,
    },
    /// The player asks the surface for a construction site.
    PlantSite(PlantSite),
    /// The player orders a robot from a factory.
    OrderRobot {
        robot_id: RobotId,
        factory: BuildingId,
    },
    StopGame,
}

/// Decided by the building aggregate named in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BuildingCommand {
    /// Issued by the game-loop process manager once the surface accepted a site.
    SpawnBuilding(SpawnBuilding),
    /// Issued by the game-loop process manager on every tick for each building under
    /// construction, with the work it got (in a colony, possibly none).
    AdvanceConstruction {
        building_id: BuildingId,
        ticks: u32,
        tick: Tick,
    },
    /// Issued by the game-loop process manager for each building a colony starts with.
    PlaceBuilding(PlaceBuilding),
}

/// Decided by the colony aggregate; issued by the game-loop process manager.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ColonyCommand {
    Found {
        game_id: GameId,
        rules: Box<Ruleset>,
    },
    /// Settle tick `tick`, with every building as the process manager knows it, in the order
    /// they were spawned; in a colony with robots, with what the robots did and the robots
    /// ordered from factories that stand, oldest first.
    Settle {
        tick: Tick,
        buildings: Vec<Standing>,
        labour: Option<Labour>,
        orders: Vec<RobotId>,
    },
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlaceBuilding {
    pub building_id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub tick: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StartGame {
    pub game_id: GameId,
    pub name: String,
    pub seed: u64,
    pub player: String,
    pub map: SurfaceMap,
    pub catalogue: Vec<BuildingKind>,
    /// A colony game's rules; none for a classic game.
    pub rules: Option<Box<Ruleset>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlantSite {
    pub building_id: BuildingId,
    pub building_type: String,
    /// Signed so that a site off the left or top edge is a rejection, not a parse error.
    pub x: i32,
    pub y: i32,
    /// Defaults to the game's player.
    pub player: Option<String>,
    /// Overrides the catalogue's work ticks (scenario scripts use it).
    pub work_ticks: Option<u32>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SpawnBuilding {
    pub building_id: BuildingId,
    pub building_type: String,
    pub name: String,
    pub glyph: char,
    pub x: u16,
    pub y: u16,
    pub player: String,
    pub work_required: u32,
    pub tick: Tick,
}

impl Command {
    /// The aggregate that decides it (see [`Subject`]); `game` is the game being played, which
    /// every command but the one that starts it belongs to.
    pub fn subject(&self, game: Option<GameId>) -> Result<Subject, Rejection> {
        Ok(match self {
            // One save holds one game: a second start goes to the game already there.
            Command::Game(GameCommand::StartGame(start)) => {
                Subject::Game(game.unwrap_or(start.game_id))
            }
            Command::Game(_) => Subject::Game(game.ok_or(Rejection::GameNotStarted)?),
            Command::Building(BuildingCommand::SpawnBuilding(s)) => {
                Subject::Building(s.building_id.clone())
            }
            Command::Building(BuildingCommand::AdvanceConstruction { building_id, .. }) => {
                Subject::Building(building_id.clone())
            }
            Command::Building(BuildingCommand::PlaceBuilding(p)) => {
                Subject::Building(p.building_id.clone())
            }
            Command::Colony(ColonyCommand::Found { game_id, .. }) => Subject::Colony(*game_id),
            Command::Colony(ColonyCommand::Settle { .. }) => {
                Subject::Colony(game.ok_or(Rejection::GameNotStarted)?)
            }
            Command::Robot(c) => {
                game.ok_or(Rejection::GameNotStarted)?;
                Subject::Robot(c.robot_id().clone())
            }
        })
    }

    /// Gives a command that records the current tick the engine's, so that no caller can
    /// record an action out of the log's order.
    pub fn stamp(&mut self, now: Tick) {
        if let Command::Robot(RobotCommand::UploadProgram { tick, .. }) = self {
            *tick = now;
        }
    }

    /// The command's name as the brief spells it; metadata records it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Game(GameCommand::StartGame(_)) => "start_game",
            Command::Game(GameCommand::AdvanceGameloop { .. }) => "advance_gameloop",
            Command::Game(GameCommand::PlantSite(_)) => "plant_site",
            Command::Game(GameCommand::StopGame) => "stop_game",
            Command::Building(BuildingCommand::SpawnBuilding(_)) => "spawn_building",
            Command::Building(BuildingCommand::AdvanceConstruction { .. }) => {
                "advance_construction"
            }
            Command::Building(BuildingCommand::PlaceBuilding(_)) => "place_building",
            Command::Colony(ColonyCommand::Found { .. }) => "found_colony",
            Command::Colony(ColonyCommand::Settle { .. }) => "settle_colony",
            Command::Game(GameCommand::OrderRobot { .. }) => "order_robot",
            Command::Robot(RobotCommand::Deploy(_)) => "deploy_robot",
            Command::Robot(RobotCommand::UploadProgram { .. }) => "upload_program",
            Command::Robot(RobotCommand::Act(_)) => "act",
        }
    }
}
