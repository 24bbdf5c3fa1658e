//! What a robot is asked to do, and what its choice came to once resolved.

use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::program::memory::{Memory, Value};
use crate::domain::resources::Resource;
use crate::domain::robot::events::Place;

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
/// changed, what it said (a line each, in order) and the messages it sent (to one robot, or
/// none: to every other).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Act {
    pub robot_id: RobotId,
    pub tick: Tick,
    pub step: Step,
    pub memory: Option<Memory>,
    pub said: Vec<String>,
    pub sent: Vec<(Option<RobotId>, Value)>,
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
    /// A construction site planted, its id chosen by the resolution (the first `KIND-N` the
    /// game has never used).
    Plant {
        building_id: BuildingId,
        building_type: String,
        x: u16,
        y: u16,
        cost: u32,
    },
    /// Nothing done: by choice (`reason` none), or because the choice could not be done.
    Wait {
        reason: Option<String>,
    },
    Fault {
        message: String,
    },
}
