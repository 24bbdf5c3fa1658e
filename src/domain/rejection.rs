//! Why a command was refused. A rejected command records nothing.

use std::fmt;

use super::catalogue::Terrain;
use super::ids::{BuildingId, RobotId, Tick};
use super::text::{quoted, with_article};

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Rejection {
    GameNotStarted,
    GameAlreadyStarted,
    GameStopped,
    TickOutOfOrder {
        expected: Tick,
        got: Tick,
    },
    UnknownBuildingType {
        building_type: String,
    },
    OffMap {
        x: i32,
        y: i32,
        width: u16,
        height: u16,
    },
    TileTaken {
        x: u16,
        y: u16,
        by: BuildingId,
    },
    DuplicateBuilding {
        building_id: BuildingId,
    },
    InvalidBuildingId {
        building_id: BuildingId,
    },
    NoWork,
    BuildingNotFound {
        building_id: BuildingId,
    },
    AlreadyComplete {
        building_id: BuildingId,
    },
    InvalidGame {
        reason: String,
    },
    /// A colony or player name that could not be shown safely.
    InvalidName {
        reason: String,
    },
    /// In a colony game, a kind of building stands only on some terrain.
    WrongTerrain {
        building_type: String,
        /// The kind's name, as the build menu shows it.
        name: String,
        x: u16,
        y: u16,
        terrain: Terrain,
        allowed: Vec<Terrain>,
    },
    RobotNotFound {
        robot_id: RobotId,
    },
    DuplicateRobot {
        robot_id: RobotId,
    },
    InvalidRobotId {
        robot_id: RobotId,
    },
    /// A program that does not compile, with where.
    ProgramInvalid {
        line: usize,
        column: usize,
        message: String,
    },
    /// What a robot was told to do breaks what only it can vouch for. The resolver checks the
    /// same first, so this says the two disagree.
    RobotCannot {
        robot_id: RobotId,
        reason: String,
    },
    /// Robots belong to colonies that have robot rules.
    NoRobots,
    NotAFactory {
        building_id: BuildingId,
    },
    /// Only a working building can be switched off.
    NotBuilt {
        building_id: BuildingId,
    },
    /// Only a site can be urgent.
    NotASite {
        building_id: BuildingId,
    },
    /// The building was taken down.
    Demolished {
        building_id: BuildingId,
    },
    /// What was asked for is so already.
    AlreadySo {
        building_id: BuildingId,
        what: String,
    },
    /// What the command asks for came with a later ruleset than this game's.
    NotInRuleset {
        what: String,
        ruleset: u32,
    },
    /// A hands-off mission: after tick 0 only robots plant sites.
    HandsOff,
    /// A command reached an aggregate of another kind. The routing table makes this
    /// impossible; it exists so that the engine never has to panic to say so.
    Misrouted {
        command: &'static str,
    },
}

impl Rejection {
    /// Every code [`Rejection::code`] can return.
    pub const CODES: &'static [&'static str] = &[
        "game_not_started",
        "game_already_started",
        "game_stopped",
        "tick_out_of_order",
        "unknown_type",
        "off_map",
        "tile_taken",
        "duplicate_building",
        "invalid_building_id",
        "no_work",
        "building_not_found",
        "already_complete",
        "invalid_game",
        "invalid_name",
        "wrong_terrain",
        "robot_not_found",
        "duplicate_robot",
        "invalid_robot_id",
        "program_invalid",
        "robot_cannot",
        "no_robots",
        "not_a_factory",
        "not_built",
        "not_a_site",
        "demolished",
        "already_so",
        "not_in_ruleset",
        "hands_off",
        "misrouted",
    ];

    /// A stable code scripts can expect (`expect rejected tile_taken`).
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::GameNotStarted => "game_not_started",
            Rejection::GameAlreadyStarted => "game_already_started",
            Rejection::GameStopped => "game_stopped",
            Rejection::TickOutOfOrder { .. } => "tick_out_of_order",
            Rejection::UnknownBuildingType { .. } => "unknown_type",
            Rejection::OffMap { .. } => "off_map",
            Rejection::TileTaken { .. } => "tile_taken",
            Rejection::DuplicateBuilding { .. } => "duplicate_building",
            Rejection::InvalidBuildingId { .. } => "invalid_building_id",
            Rejection::NoWork => "no_work",
            Rejection::BuildingNotFound { .. } => "building_not_found",
            Rejection::AlreadyComplete { .. } => "already_complete",
            Rejection::InvalidGame { .. } => "invalid_game",
            Rejection::InvalidName { .. } => "invalid_name",
            Rejection::WrongTerrain { .. } => "wrong_terrain",
            Rejection::RobotNotFound { .. } => "robot_not_found",
            Rejection::DuplicateRobot { .. } => "duplicate_robot",
            Rejection::InvalidRobotId { .. } => "invalid_robot_id",
            Rejection::ProgramInvalid { .. } => "program_invalid",
            Rejection::RobotCannot { .. } => "robot_cannot",
            Rejection::NoRobots => "no_robots",
            Rejection::NotAFactory { .. } => "not_a_factory",
            Rejection::NotBuilt { .. } => "not_built",
            Rejection::NotASite { .. } => "not_a_site",
            Rejection::Demolished { .. } => "demolished",
            Rejection::AlreadySo { .. } => "already_so",
            Rejection::NotInRuleset { .. } => "not_in_ruleset",
            Rejection::HandsOff => "hands_off",
            Rejection::Misrouted { .. } => "misrouted",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::GameNotStarted => write!(f, "no game has been started"),
            Rejection::GameAlreadyStarted => write!(f, "the game has already started"),
            Rejection::GameStopped => write!(f, "the game has stopped"),
            Rejection::TickOutOfOrder { expected, got } => {
                write!(f, "tick {got} is out of order; the next tick is {expected}")
            }
            Rejection::UnknownBuildingType { building_type } => {
                write!(
                    f,
                    "there is no building type {} in this game's catalogue",
                    quoted(building_type)
                )
            }
            Rejection::OffMap {
                x,
                y,
                width,
                height,
            } => write!(f, "({x},{y}) is off the {width}x{height} map"),
            Rejection::TileTaken { x, y, by } => write!(f, "tile ({x},{y}) is taken by {by}"),
            Rejection::DuplicateBuilding { building_id } => {
                write!(f, "a building called {building_id} already exists")
            }
            Rejection::InvalidBuildingId { building_id } => write!(
                f,
                "{} is not a building id (1 to {} letters, digits, '-' or '_')",
                quoted(building_id.as_str()),
                BuildingId::MAX_LEN
            ),
            Rejection::NoWork => write!(f, "construction needs at least 1 tick of work"),
            Rejection::BuildingNotFound { building_id } => {
                write!(f, "there is no building called {building_id}")
            }
            Rejection::AlreadyComplete { building_id } => {
                write!(f, "{building_id} is already complete")
            }
            Rejection::InvalidGame { reason } => write!(f, "the game cannot start: {reason}"),
            Rejection::InvalidName { reason } => f.write_str(reason),
            Rejection::WrongTerrain {
                name,
                x,
                y,
                terrain,
                allowed,
                ..
            } => {
                let allowed: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
                if allowed.is_empty() {
                    return write!(
                        f,
                        "{} cannot be built here, on any ground",
                        with_article(name)
                    );
                }
                write!(
                    f,
                    "({x},{y}) is {}; {} stands only on {}",
                    terrain.name(),
                    with_article(name),
                    allowed.join(" or ")
                )
            }
            Rejection::RobotNotFound { robot_id } => {
                write!(f, "there is no robot called {robot_id}")
            }
            Rejection::DuplicateRobot { robot_id } => {
                write!(f, "a robot called {robot_id} already exists")
            }
            Rejection::InvalidRobotId { robot_id } => write!(
                f,
                "{} is not a robot id (1 to {} letters, digits, '-' or '_')",
                quoted(robot_id.as_str()),
                RobotId::MAX_LEN
            ),
            Rejection::ProgramInvalid {
                line,
                column,
                message,
            } => write!(
                f,
                "the program does not compile: {line}:{column}: {message}"
            ),
            Rejection::RobotCannot { robot_id, reason } => {
                write!(f, "{robot_id} cannot do that: {reason}")
            }
            Rejection::NoRobots => write!(f, "this colony has no robots"),
            Rejection::NotAFactory { building_id } => {
                write!(f, "{building_id} is not a robot factory")
            }
            Rejection::NotBuilt { building_id } => write!(
                f,
                "{building_id} is still a site: only a working building can be switched"
            ),
            Rejection::NotASite { building_id } => write!(
                f,
                "{building_id} is built already: only a site can be urgent"
            ),
            Rejection::Demolished { building_id } => {
                write!(f, "{building_id} was taken down")
            }
            Rejection::AlreadySo { what, .. } => f.write_str(what),
            Rejection::NotInRuleset { what, ruleset } => write!(
                f,
                "this game is played by ruleset {ruleset}, which has no {what}: a new game has"
            ),
            Rejection::HandsOff => f.write_str(
                "in this mission only robots plant sites once the game is under way: a \
                 program's plan(kind, x, y) does",
            ),
            Rejection::Misrouted { command } => {
                write!(f, "internal error: {command} reached the wrong aggregate")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::id;

    #[test]
    fn every_rejection_code_is_listed() {
        let samples = [
            Rejection::GameNotStarted,
            Rejection::GameAlreadyStarted,
            Rejection::GameStopped,
            Rejection::TickOutOfOrder {
                expected: 1,
                got: 2,
            },
            Rejection::UnknownBuildingType {
                building_type: "x".into(),
            },
            Rejection::OffMap {
                x: 0,
                y: 0,
                width: 1,
                height: 1,
            },
            Rejection::TileTaken {
                x: 0,
                y: 0,
                by: id("a"),
            },
            Rejection::DuplicateBuilding {
                building_id: id("a"),
            },
            Rejection::InvalidBuildingId {
                building_id: id("a"),
            },
            Rejection::NoWork,
            Rejection::BuildingNotFound {
                building_id: id("a"),
            },
            Rejection::AlreadyComplete {
                building_id: id("a"),
            },
            Rejection::InvalidGame { reason: "x".into() },
            Rejection::InvalidName { reason: "x".into() },
            Rejection::WrongTerrain {
                building_type: "x".into(),
                name: "X".into(),
                x: 0,
                y: 0,
                terrain: crate::domain::catalogue::Terrain::Rock,
                allowed: Vec::new(),
            },
            Rejection::RobotNotFound {
                robot_id: RobotId::parse("r").unwrap(),
            },
            Rejection::DuplicateRobot {
                robot_id: RobotId::parse("r").unwrap(),
            },
            Rejection::InvalidRobotId {
                robot_id: RobotId::parse("r").unwrap(),
            },
            Rejection::ProgramInvalid {
                line: 1,
                column: 1,
                message: "x".into(),
            },
            Rejection::RobotCannot {
                robot_id: RobotId::parse("r").unwrap(),
                reason: "x".into(),
            },
            Rejection::NoRobots,
            Rejection::NotAFactory {
                building_id: id("a"),
            },
            Rejection::NotBuilt {
                building_id: id("a"),
            },
            Rejection::NotASite {
                building_id: id("a"),
            },
            Rejection::Demolished {
                building_id: id("a"),
            },
            Rejection::AlreadySo {
                building_id: id("a"),
                what: "a is on already".into(),
            },
            Rejection::NotInRuleset {
                what: "x".into(),
                ruleset: 1,
            },
            Rejection::HandsOff,
            Rejection::Misrouted { command: "x" },
        ];
        let codes: Vec<&str> = samples.iter().map(Rejection::code).collect();
        assert_eq!(codes, Rejection::CODES);
    }
}
