//! Commands: requests in the imperative. Never stored; replay never re-runs them.

use super::catalogue::{BuildingKind, SurfaceMap};
use super::ids::{BuildingId, GameId, Tick};

/// Every command, split by the aggregate that decides it so that routing cannot go wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Command {
    Game(GameCommand),
    Building(BuildingCommand),
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
    StopGame,
}

/// Decided by the building aggregate named in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BuildingCommand {
    /// Issued by the game-loop process manager once the surface accepted a site.
    SpawnBuilding(SpawnBuilding),
    /// Issued by the game-loop process manager on every tick for each building under construction.
    AdvanceConstruction {
        building_id: BuildingId,
        ticks: u32,
        tick: Tick,
    },
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StartGame {
    pub game_id: GameId,
    pub name: String,
    pub seed: u64,
    pub player: String,
    pub map: SurfaceMap,
    pub catalogue: Vec<BuildingKind>,
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
        }
    }
}
