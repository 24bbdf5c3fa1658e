//! Commands: requests in the imperative. Never stored; replay never re-runs them.

use crate::domain::building::commands::BuildingCommand;
use crate::domain::colony::commands::ColonyCommand;
use crate::domain::game::Game;
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
            Command::Building(
                BuildingCommand::Switch { building_id, .. }
                | BuildingCommand::MarkUrgent { building_id, .. }
                | BuildingCommand::Demolish { building_id, .. },
            ) => {
                game.ok_or(Rejection::GameNotStarted)?;
                Subject::Building(building_id.clone())
            }
            Command::Colony(ColonyCommand::Found { game_id, .. }) => Subject::Colony(*game_id),
            Command::Colony(ColonyCommand::Settle { .. } | ColonyCommand::Reclaim { .. }) => {
                Subject::Colony(game.ok_or(Rejection::GameNotStarted)?)
            }
            Command::Robot(c) => {
                game.ok_or(Rejection::GameNotStarted)?;
                Subject::Robot(c.robot_id().clone())
            }
        })
    }

    /// Whether the game, as it stands, takes a player's command at all; the aggregate the
    /// command goes to decides the rest. From ruleset 2 a stopped game takes nothing but
    /// game commands (which it refuses itself); switching, urgency and taking down came with
    /// ruleset 2.
    pub fn admitted_by(&self, game: &Game) -> Result<(), Rejection> {
        let (world, stopped) = match game {
            Game::NotStarted => return Ok(()),
            Game::Running(world) => (world, false),
            Game::Stopped(world) => (world, true),
        };
        if matches!(self, Command::Game(_)) {
            return Ok(());
        }
        if stopped && world.ruleset >= 2 {
            return Err(Rejection::GameStopped);
        }
        let steering = matches!(
            self,
            Command::Building(
                BuildingCommand::Switch { .. }
                    | BuildingCommand::MarkUrgent { .. }
                    | BuildingCommand::Demolish { .. }
            )
        );
        if steering && world.ruleset < 2 {
            return Err(Rejection::NotInRuleset {
                what: "switching, urgent sites or taking buildings down".into(),
                ruleset: world.ruleset,
            });
        }
        Ok(())
    }

    /// Gives a command that records the current tick the engine's, so that no caller can
    /// record an action out of the log's order.
    pub fn stamp(&mut self, now: Tick) {
        match self {
            Command::Robot(RobotCommand::UploadProgram { tick, .. })
            | Command::Building(
                BuildingCommand::Switch { tick, .. }
                | BuildingCommand::MarkUrgent { tick, .. }
                | BuildingCommand::Demolish { tick, .. },
            ) => *tick = now,
            _ => {}
        }
    }

    /// The command's name as the brief spells it; metadata records it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Game(GameCommand::StartGame(_)) => "start_game",
            Command::Game(GameCommand::AdvanceGameloop { .. }) => "advance_gameloop",
            Command::Game(GameCommand::PlantSite(_)) => "plant_site",
            Command::Game(GameCommand::StopGame) => "stop_game",
            Command::Game(GameCommand::ClearTile { .. }) => "clear_tile",
            Command::Building(BuildingCommand::SpawnBuilding(_)) => "spawn_building",
            Command::Building(BuildingCommand::AdvanceConstruction { .. }) => {
                "advance_construction"
            }
            Command::Building(BuildingCommand::PlaceBuilding(_)) => "place_building",
            Command::Building(BuildingCommand::Switch { .. }) => "switch_building",
            Command::Building(BuildingCommand::MarkUrgent { .. }) => "mark_urgent",
            Command::Building(BuildingCommand::Demolish { .. }) => "demolish",
            Command::Colony(ColonyCommand::Found { .. }) => "found_colony",
            Command::Colony(ColonyCommand::Settle { .. }) => "settle_colony",
            Command::Colony(ColonyCommand::Reclaim { .. }) => "reclaim",
            Command::Game(GameCommand::OrderRobot { .. }) => "order_robot",
            Command::Robot(RobotCommand::Deploy(_)) => "deploy_robot",
            Command::Robot(RobotCommand::UploadProgram { .. }) => "upload_program",
            Command::Robot(RobotCommand::Act(_)) => "act",
        }
    }
}
