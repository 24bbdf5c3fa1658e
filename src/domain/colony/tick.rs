//! The figures of one colony tick: what settling it takes (the buildings, the robots'
//! labour) and what it reports (deliveries, work, power, each building's status, the score).

use serde::{Deserialize, Serialize};

use crate::domain::ids::{BuildingId, Tick};
use crate::domain::resources::{Resource, Stock};

/// A building as the process manager knows it when it asks for a tick to be settled.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Standing {
    pub id: BuildingId,
    pub kind: String,
    pub ready: bool,
    /// Switched on (a building switched off makes, uses, stores and houses nothing).
    pub on: bool,
    /// A site marked urgent: its materials come first.
    pub urgent: bool,
}

/// Where the power went in one tick.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct PowerFlow {
    /// Made this tick, by solar arrays and generators.
    pub produced: u32,
    /// Wanted by every consumer that could work.
    pub demand: u32,
    /// Given to consumers.
    pub used: u32,
    /// In batteries after the tick, and what they can hold.
    pub stored: u32,
    pub capacity: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub building: BuildingId,
    pub stock: Stock,
}

/// Construction work a site received this tick.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub building: BuildingId,
    pub units: u32,
}

/// Why a construction site got no work this tick.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// Materials still to be delivered.
    Materials(Stock),
    /// Every crew is busy on an older site.
    Crew,
    /// No robot worked on it this tick.
    Robot,
    Power,
}

/// Why a working building did nothing this tick.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdleReason {
    Power,
    /// Too little of this input in store.
    Input(Resource),
    /// No robot ran it this tick (ruleset 2: see `Economy::operators`).
    Operator,
}

/// Why a building does nothing: a site waiting, or a working building idle.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Waiting(WaitReason),
    Idle(IdleReason),
}

impl Status {
    /// Whether it is for want of power: a brown-out.
    pub fn unpowered(&self) -> bool {
        matches!(
            self,
            Status::Waiting(WaitReason::Power) | Status::Idle(IdleReason::Power)
        )
    }
}

/// A building's status changed on a tick: `now` is why it does nothing from then on, or none
/// when it works again. Only changes are recorded: a colony at night would otherwise say of
/// every idle building, every tick, that it is still idle.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub building: BuildingId,
    pub now: Option<Status>,
}

/// How a mission ended, in numbers. See [`Score::points`] for how they add up.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub won: bool,
    pub ticks: Tick,
    pub colonists: u32,
    pub lost: u32,
    pub buildings: u32,
    pub brownout_ticks: u32,
    pub banked: u64,
    /// Ticks to spare before the deadline (none without one).
    pub spare: Tick,
    pub points: i64,
}

impl Score {
    /// Winning is worth 1,000; each colonist living 100, each one lost -250; every tick to
    /// spare before the deadline 2; every ten units in store 1; every tick of brown-out -1.
    pub fn points(
        won: bool,
        colonists: u32,
        lost: u32,
        spare: Tick,
        banked: u64,
        brownout: u32,
    ) -> i64 {
        let won = if won { 1000 } else { 0 };
        won + 100 * i64::from(colonists) - 250 * i64::from(lost)
            + 2 * i64::try_from(spare).unwrap_or(0)
            + i64::try_from(banked / 10).unwrap_or(0)
            - i64::from(brownout)
    }
}

/// What the robots did this tick that settling it needs: the work they put into each site,
/// what they put into the store and took from it, and the power they drew from its batteries.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Labour {
    pub work: Vec<(BuildingId, u32)>,
    pub delivered: Stock,
    pub withdrawn: Stock,
    pub drawn: u32,
}

impl Labour {
    /// The units of work robots put into building `id` this tick.
    pub fn units_at(&self, id: &BuildingId) -> u32 {
        self.work
            .iter()
            .filter(|(b, _)| b == id)
            .map(|(_, units)| units)
            .sum()
    }
}
