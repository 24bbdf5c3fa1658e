//! What the colony remembers from its own events.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::colony::tick::Status;
use crate::domain::ids::{BuildingId, GameId, Tick};
use crate::domain::resources::Stock;
use crate::domain::ruleset::Ruleset;

/// What the colony remembers from its own events.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ColonyState {
    pub game_id: GameId,
    /// Shared: it never changes after founding, and a state is copied often.
    pub rules: Arc<Ruleset>,
    pub stock: Stock,
    /// Power in batteries.
    pub power: u32,
    /// Materials delivered so far to each site still being built.
    pub delivered: BTreeMap<BuildingId, Stock>,
    /// Colonists still aboard each ship of the mission, landed or not.
    pub aboard: Vec<u32>,
    pub living: u32,
    pub lost: u32,
    /// Ticks in a row colonists have gone short of oxygen or water.
    pub distress: u32,
    /// Why each building that does nothing does nothing.
    pub status: BTreeMap<BuildingId, Status>,
    /// Whether the last tick was a brown-out, and how many ticks were.
    pub short: bool,
    pub brownout_ticks: u32,
    pub tick: Tick,
}

impl ColonyState {
    /// What taking down building `id` of kind `kind` gives back (see [`Ruleset::give_back`]).
    pub fn reclaimable(&self, id: &BuildingId, kind: &str, site: bool) -> Stock {
        let delivered = self.delivered.get(id).copied().unwrap_or_default();
        self.rules.give_back(kind, site.then_some(&delivered))
    }
}
