//! What a scenario script says: its statements and expectations, each with where it stands in
//! the file, as the parser leaves them and the runner reads them.

use crate::domain::ids::{BuildingId, RobotId, Tick};
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParseError {
    pub file: String,
    pub at: Location,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.at.line, self.at.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Script {
    pub file: String,
    pub statements: Vec<(Location, Statement)>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Statement {
    /// A classic game, or with `mission` a colony game on the mission's map (and seed,
    /// unless given).
    GameStart {
        seed: Option<u64>,
        map: String,
        player: String,
        name: Option<String>,
        mission: Option<String>,
        /// The rules' version a mission is played by; the newest unless given.
        ruleset: Option<u32>,
    },
    /// Advance the game loop this many ticks.
    Tick(u32),
    /// Advance the game loop claiming to enter exactly this tick (to test ordering).
    TickAt(Tick),
    Build {
        building_type: String,
        id: BuildingId,
        x: i32,
        y: i32,
        ticks: Option<u32>,
        player: Option<String>,
    },
    /// Upload a program to robots.
    Program {
        robots: Robots,
        program: ProgramRef,
    },
    /// Order a robot from a factory, to come out running `program` (`file=none` for an idle
    /// robot; the builder unless given, from ruleset 2).
    Order {
        robot: RobotId,
        factory: BuildingId,
        program: Option<ProgramRef>,
    },
    /// Switch a building off or on.
    Switch {
        building: BuildingId,
        on: bool,
    },
    /// Mark a site urgent, or no longer.
    Urgent {
        building: BuildingId,
        urgent: bool,
    },
    /// Take a building or a site down.
    Demolish {
        building: BuildingId,
    },
    Stop,
    /// Close the game and open it again from its log.
    Reopen,
    Show(Show),
    Expect(Expectation),
}

/// A program a statement gives: a file (a path relative to the script, or a bare name from
/// `assets/programs`), or its name and source written out in the script after `<<END`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ProgramRef {
    File(String),
    Inline { name: String, source: String },
}

/// The robots a statement speaks of.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Robots {
    These(Vec<RobotId>),
    /// Every robot the colony has when the statement runs.
    All,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Show {
    Events {
        json: bool,
        from_tick: Option<Tick>,
        to_tick: Option<Tick>,
    },
    State {
        json: bool,
        at_tick: Option<Tick>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Readiness {
    Ready,
    UnderConstruction,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Expectation {
    Tick(Tick),
    Building {
        id: BuildingId,
        readiness: Option<Readiness>,
        progress: Option<u8>,
        completed: Option<Tick>,
        spawned: Option<Tick>,
        /// Switched on (`on`) or off (`off`).
        on: Option<bool>,
        /// A site marked `urgent`.
        urgent: bool,
    },
    /// No building or site by this id stands (never planted, or taken down).
    NoBuilding(BuildingId),
    Event {
        present: bool,
        event_type: String,
        count: Option<usize>,
        building: Option<BuildingId>,
        tick: Option<Tick>,
    },
    Rejected(Option<String>),
    Accepted,
    Colony {
        buildings: Option<u32>,
        under_construction: Option<u32>,
        ready: Option<u32>,
        stopped: Option<bool>,
    },
    /// A resource (`power` is what batteries hold) compared with an amount.
    Resource {
        name: String,
        compare: Compare,
        amount: u32,
    },
    Mission(MissionState),
    /// How many colonists live in the colony.
    Colonists(u32),
    /// A robot's place, whether it is faulted, and its battery.
    Robot {
        id: RobotId,
        at: Option<(u16, u16)>,
        faulted: Option<bool>,
        battery: Option<(Compare, u32)>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Compare {
    AtLeast,
    AtMost,
    Exactly,
}

impl Compare {
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::AtLeast => ">=",
            Compare::AtMost => "<=",
            Compare::Exactly => "==",
        }
    }

    pub fn holds(self, found: u32, amount: u32) -> bool {
        match self {
            Compare::AtLeast => found >= amount,
            Compare::AtMost => found <= amount,
            Compare::Exactly => found == amount,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MissionState {
    Won,
    Lost,
    Running,
}
