//! What the game aggregate is asked to do.

use crate::domain::catalogue::{BuildingKind, SurfaceMap};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::ruleset::{ProgramSource, Ruleset};

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
    /// The player orders a robot from a factory, to come out running `program` (none only
    /// when asked for; ruleset 1 games record no program).
    OrderRobot {
        robot_id: RobotId,
        factory: BuildingId,
        program: Option<ProgramSource>,
    },
    /// Issued by the game-loop process manager once a building was taken down: its tile is
    /// free again.
    ClearTile {
        building_id: BuildingId,
    },
    StopGame,
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
    /// The version of the rules' code a colony game is played by: [`crate::domain::ruleset::RULESET`]
    /// for a new game; 1 records `game_started_v2`, as games before versions did.
    pub ruleset: u32,
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
