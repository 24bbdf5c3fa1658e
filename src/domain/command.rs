//! Commands: requests in the imperative. Never stored; replay never re-runs them.

use crate::domain::building::commands::BuildingCommand;
use crate::domain::colony::commands::ColonyCommand;
use crate::domain::game::commands::GameCommand;
use crate::domain::ids::{GameId, Tick};
use crate::domain::rejection::Rejection;
use crate::domain::robot::commands::RobotCommand;
use crate::domain::subject::Subject;

/// Every command, split by the aggregate that decides it so that routing cannot go wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Command {
    Game(GameCommand),
    Building(BuildingCommand),
    Colony(ColonyCommand),
    Robot(RobotCommand),
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
