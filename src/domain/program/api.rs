//! What a program sees and chooses: the robot (`me`), its sensors (`world`) and its actions.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

use rhai::Dynamic;

use crate::domain::resources::Resource;
use crate::domain::ruleset::{Daylight, RULESET};

/// What a program chose to do this tick.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Intent {
    /// One tile: `dx` and `dy` each -1, 0 or 1, exactly one of them non-zero.
    Move {
        dx: i64,
        dy: i64,
    },
    /// Dig the tile the robot stands on.
    Mine,
    /// Take from a pile on the robot's tile, or from the store when next to it.
    PickUp {
        resource: Option<Resource>,
    },
    /// Put the cargo into the store when next to it, else onto the ground.
    Drop,
    /// Work on the construction site at (x, y), next to the robot.
    Work {
        x: i64,
        y: i64,
    },
    /// Draw power, next to the headquarters or a battery.
    Charge,
    /// Plant a construction site of a kind at (x, y), as the player does.
    Plant {
        kind: String,
        x: i64,
        y: i64,
    },
    Wait,
}

impl Intent {
    /// The action as a program writes it: `move(1, 0)`, `mine()`, `plan("solar", 4, 5)`.
    pub fn as_call(&self) -> String {
        match self {
            Intent::Move { dx, dy } => format!("move({dx}, {dy})"),
            Intent::Mine => "mine()".into(),
            Intent::PickUp { resource: None } => "pick_up()".into(),
            Intent::PickUp { resource: Some(r) } => format!("pick_up({:?})", r.name()),
            Intent::Drop => "drop()".into(),
            Intent::Work { x, y } => format!("work({x}, {y})"),
            Intent::Charge => "charge()".into(),
            Intent::Wait => "wait()".into(),
            Intent::Plant { kind, x, y } => format!("plan({kind:?}, {x}, {y})"),
        }
    }
}

/// The robot as its program sees it.
#[derive(Clone, Debug)]
pub struct Me {
    pub id: String,
    pub x: i64,
    pub y: i64,
    pub battery: i64,
    pub capacity: i64,
    pub cargo: Option<(Resource, i64)>,
    pub cargo_capacity: i64,
    /// The version of the rules' code the game is played by (see `ruleset::RULESET`).
    pub ruleset: u32,
    pub(crate) said: Vec<String>,
    /// Messages sent this tick: to one robot, or to every other (none).
    pub(crate) sent: Vec<(Option<String>, Dynamic)>,
    /// Where a traced run notes what the program read of itself; none otherwise.
    pub(crate) reads: Option<Reads>,
}

impl Me {
    /// `value`, noted as what `me.{what}` gave when the run is traced.
    pub(crate) fn noted<T: std::fmt::Debug>(&self, what: &str, value: T) -> T {
        note(&self.reads, || format!("me.{what}"), value)
    }

    pub fn new(id: &str, x: i64, y: i64) -> Me {
        Me {
            id: id.to_owned(),
            x,
            y,
            battery: 0,
            capacity: 0,
            cargo: None,
            cargo_capacity: 0,
            ruleset: RULESET,
            said: Vec::new(),
            sent: Vec::new(),
            reads: None,
        }
    }
}

/// A building as a robot's sensors see it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Seen {
    pub id: String,
    pub kind: String,
    pub x: i64,
    pub y: i64,
    /// Still under construction.
    pub site: bool,
    /// A site whose materials are in: work on it counts.
    pub supplied: bool,
    /// Ticks of work a site still needs.
    pub work_left: i64,
    /// A working building a robot runs with `work(x, y)`; none before ruleset 2, whose
    /// programs never saw the key.
    pub post: Option<bool>,
    /// A post some robot (perhaps the one asking) ran on the tick before (ruleset 2).
    pub busy: Option<bool>,
}

/// What a robot's sensors can ask of the world as it stood at the start of the tick. Searches
/// take the robot's place and its sensors' radius; ties go to the lowest y, then x.
pub trait Surroundings: Send + Sync {
    fn ground(&self, x: i64, y: i64) -> Option<&'static str>;
    fn deposit(&self, x: i64, y: i64) -> i64;
    fn pile(&self, x: i64, y: i64) -> Option<(Resource, i64)>;
    fn robot_at(&self, x: i64, y: i64) -> Option<String>;
    fn building_at(&self, x: i64, y: i64) -> Option<Seen>;
    /// The nearest place of a kind: "regolith", "ice" or "pile" within the radius; "site" (one
    /// with its materials in, needing work), "store" or "charger" anywhere (the colony tells
    /// its robots where those are).
    fn nearest(&self, what: &str, x: i64, y: i64, radius: i64) -> Option<(i64, i64)>;
    /// Every construction site, nearest first.
    fn sites(&self, x: i64, y: i64) -> Vec<Seen>;
    /// Every finished building, nearest first (ruleset 2).
    fn buildings(&self, x: i64, y: i64) -> Vec<Seen>;
    /// Other robots within the radius: id and place.
    fn robots(&self, x: i64, y: i64, radius: i64) -> Vec<(String, i64, i64)>;
    /// The power in the colony's batteries: what charging can draw on.
    fn power(&self) -> i64;
    /// How much of a resource the colony's store holds.
    fn store(&self, resource: Resource) -> i64;
    /// The first step of a shortest way from `from` to `to` (or, when a building stands on
    /// `to`, to a free tile next to it), around rock and buildings (the map is known); none
    /// when already there or there is no way. A robot in the way is stepped around where that
    /// costs no ground, else waited for, or swapped with when it is coming the other way.
    fn step_toward(&self, from: (i64, i64), to: (i64, i64)) -> Option<(i64, i64)>;
    /// A step to a free tile further from `away`, if there is one: to get out of the way.
    fn step_away(&self, from: (i64, i64), away: (i64, i64)) -> Option<(i64, i64)>;
}

/// The `world` a program reads: the surroundings, seen from the robot, out to its radius.
#[derive(Clone)]
pub struct Sensors {
    pub x: i64,
    pub y: i64,
    pub radius: i64,
    /// Where this tick falls in the lunar day.
    pub light: Daylight,
    /// The version of the rules' code the game is played by: what the world offers.
    pub ruleset: u32,
    pub world: Arc<dyn Surroundings>,
    /// Where a traced run notes what the program read of the world; none otherwise.
    pub reads: Option<Reads>,
}

/// What a traced program read of the world, in order: the call and the value it gave.
pub type Reads = Arc<Mutex<Vec<(String, String)>>>;

impl Sensors {
    pub(crate) fn sees(&self, x: i64, y: i64) -> bool {
        (x - self.x).abs().max((y - self.y).abs()) <= self.radius
    }

    /// `value`, noted as what `what` gave when the run is traced.
    pub(crate) fn noted<T: std::fmt::Debug>(&self, what: impl FnOnce() -> String, value: T) -> T {
        note(&self.reads, what, value)
    }
}

/// `value`, noted in `reads` as what `what` gave, when there is a trace to note it in.
fn note<T: std::fmt::Debug>(reads: &Option<Reads>, what: impl FnOnce() -> String, value: T) -> T {
    if let Some(reads) = reads {
        let shown = format!("{value:?}");
        reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((what(), shown));
    }
    value
}
