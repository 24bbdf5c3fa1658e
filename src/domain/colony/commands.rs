//! What the colony is asked to do.

use crate::domain::colony::tick::{Labour, Standing};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::ruleset::Ruleset;

/// Decided by the colony aggregate; issued by the game-loop process manager.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ColonyCommand {
    Found {
        game_id: GameId,
        rules: Box<Ruleset>,
    },
    /// Settle tick `tick`, with every building as the process manager knows it, in the order
    /// they were spawned; in a colony with robots, with what the robots did and the robots
    /// ordered from factories that stand, oldest first.
    Settle {
        tick: Tick,
        buildings: Vec<Standing>,
        labour: Option<Labour>,
        orders: Vec<RobotId>,
        /// The game's ruleset: from 2, the tick records what it made and used.
        ruleset: u32,
    },
    /// Take back what can be taken from a building of kind `kind` taken down at `tick`: a
    /// site's deliveries, or half a finished building's cost.
    Reclaim {
        building_id: BuildingId,
        kind: String,
        site: bool,
        tick: Tick,
    },
}
