//! The one routing table: which aggregate an event belongs to and a command is decided by.
//!
//! A subject names one aggregate instance and its stream. Events and commands each say their
//! subject; the engine keeps one state per subject and never matches on event or command types
//! to route them, so a new aggregate is a new variant here and a new file beside this one.

use std::fmt;

use super::ids::{BuildingId, GameId, RobotId};

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Subject {
    /// The game loop's clock and the surface: stream `game-<id>`.
    Game(GameId),
    /// A building, from site to working building: stream `bldg-<id>`.
    Building(BuildingId),
    /// A colony game's stores, power grid, colonists and mission: stream `colony-<game id>`.
    Colony(GameId),
    /// A robot: its place, battery, cargo and program: stream `robot-<id>`.
    Robot(RobotId),
}

impl Subject {
    /// The stream its events are stored in.
    pub fn stream(&self) -> String {
        self.to_string()
    }

    /// The id a stream's name ends with: what its events' subject field holds.
    pub fn id_in_stream(stream: &str) -> Option<&str> {
        let (kind, id) = stream.split_once('-')?;
        matches!(kind, "game" | "bldg" | "colony" | "robot").then_some(id)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Game(id) => write!(f, "game-{id}"),
            Subject::Building(id) => write!(f, "bldg-{id}"),
            Subject::Colony(id) => write!(f, "colony-{id}"),
            Subject::Robot(id) => write!(f, "robot-{id}"),
        }
    }
}
