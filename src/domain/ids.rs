//! Identifiers shared by commands, events and views.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// One step of the game loop. The game starts at tick 0; the first `gameloop_advanced` is tick 1.
pub type Tick = u64;

/// The game a save holds. One save file holds exactly one game.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Debug,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct GameId(pub Uuid);

impl fmt::Display for GameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An id cut into runs: letters as they are, digits as their number (leading zeros aside).
struct Runs<'a>(&'a str);

impl<'a> Iterator for Runs<'a> {
    type Item = (bool, u128, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let first = self.0.chars().next()?;
        let digits = first.is_ascii_digit();
        let end = self
            .0
            .find(|c: char| c.is_ascii_digit() != digits)
            .unwrap_or(self.0.len());
        let (run, after) = self.0.split_at(end);
        self.0 = after;
        Some(if digits {
            let number = run.trim_start_matches('0');
            (true, number.parse::<u128>().unwrap_or(u128::MAX), "")
        } else {
            (false, 0, run)
        })
    }
}

/// A short, plain name chosen by the player or a script: one that can be typed in a script,
/// shown in a narrow panel and used verbatim in a stream name.
macro_rules! name_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_LEN: usize = 32;

            pub fn parse(s: &str) -> Result<Self, String> {
                let valid = !s.is_empty()
                    && s.len() <= Self::MAX_LEN
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if valid {
                    Ok($name(s.to_owned()))
                } else {
                    Err(format!(
                        concat!("a ", $what, " id is 1 to {} letters, digits, '-' or '_', not {}"),
                        Self::MAX_LEN,
                        super::text::quoted(s)
                    ))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the id obeys `parse`; ids arriving through serde are not checked.
            pub fn is_valid(&self) -> bool {
                Self::parse(&self.0).is_ok()
            }

            /// A key for the order people read ids in: runs of digits by their number, so
            /// `r2` comes before `r10`; the text itself settles what the numbers leave equal.
            /// Robots are sorted by it every tick, so a sort works it out once an id
            /// (`sort_by_cached_key`), not once a comparison.
            pub fn natural_key(&self) -> (Vec<(bool, u128, &str)>, &str) {
                (Runs(&self.0).collect(), &self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_id!(
    /// A building's name (`alpha`, `hq-1`).
    BuildingId,
    "building"
);

name_id!(
    /// A robot's name (`r1`, `miner-2`).
    RobotId,
    "robot"
);

#[cfg(test)]
mod tests {
    use super::RobotId;

    #[test]
    fn robots_sort_in_the_order_people_read_their_ids() {
        let ids: Vec<RobotId> = ["r10", "r2", "miner-02", "r1", "miner-2", "r02", "a", "r"]
            .iter()
            .map(|s| RobotId::parse(s).unwrap())
            .collect();
        let mut sorted: Vec<&RobotId> = ids.iter().collect();
        sorted.sort_by_cached_key(|id| id.natural_key());
        let names: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            ["a", "miner-02", "miner-2", "r", "r1", "r02", "r2", "r10"]
        );
    }
}
