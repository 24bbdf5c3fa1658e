//! What the player did in a game, read back off its log as the commands that did it: each
//! root command the player gave (one that did not follow from another), with the tick it came
//! in. A game is its start, these, and the ticks between; `export` writes them as a script
//! and `whatif` gives them again on a branch.

use crate::domain::building::commands::BuildingCommand;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::game::commands::{GameCommand, PlantSite};
use crate::domain::ids::Tick;
use crate::domain::robot::commands::RobotCommand;
use crate::engine::envelope::{RecordedEvent, Source};

/// A command the player gave, and the tick it came in (after that tick's own events).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Input {
    pub tick: Tick,
    pub command: Command,
}

/// The command that recorded `event`, when the player gave it; none for the game's start,
/// which is told apart, and for everything the rules did of themselves.
fn command_of(event: &Event) -> Option<Command> {
    Some(match event {
        Event::SitePlanted(e) => Command::Game(GameCommand::PlantSite(PlantSite {
            building_id: e.building_id.clone(),
            building_type: e.building_type.clone(),
            x: i32::from(e.x),
            y: i32::from(e.y),
            player: Some(e.player.clone()),
            work_ticks: Some(e.work_required),
        })),
        Event::ProgramUploaded(e) => Command::Robot(RobotCommand::UploadProgram {
            robot_id: e.robot_id.clone(),
            name: e.name.clone(),
            source: e.source.clone(),
            tick: e.tick,
        }),
        Event::RobotOrdered(e) => Command::Game(GameCommand::OrderRobot {
            robot_id: e.robot_id.clone(),
            factory: e.factory.clone(),
            program: None,
        }),
        Event::RobotOrderedV2(e) => Command::Game(GameCommand::OrderRobot {
            robot_id: e.robot_id.clone(),
            factory: e.factory.clone(),
            program: e.program.clone(),
        }),
        Event::BuildingSwitched(e) => Command::Building(BuildingCommand::Switch {
            building_id: e.building_id.clone(),
            on: e.on,
            tick: e.tick,
        }),
        Event::SiteMarkedUrgent(e) => Command::Building(BuildingCommand::MarkUrgent {
            building_id: e.building_id.clone(),
            urgent: e.urgent,
            tick: e.tick,
        }),
        Event::BuildingDemolished(e) => Command::Building(BuildingCommand::Demolish {
            building_id: e.building_id.clone(),
            tick: e.tick,
        }),
        Event::GameStopped(_) => Command::Game(GameCommand::StopGame),
        _ => return None,
    })
}

/// Every command the player gave in `events`, in order.
pub fn player_inputs(events: &[RecordedEvent]) -> Vec<Input> {
    let mut tick = 0;
    let mut inputs = Vec::new();
    for recorded in events {
        if let Event::GameloopAdvanced(a) = &recorded.event {
            tick = a.tick;
        }
        let root =
            recorded.metadata.source == Source::Player && recorded.metadata.causation_id.is_none();
        if let Some(command) = root.then(|| command_of(&recorded.event)).flatten() {
            inputs.push(Input { tick, command });
        }
    }
    inputs
}
