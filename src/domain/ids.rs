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
fn natural_key(id: &str) -> Vec<(bool, u128, &str)> {
    let mut key = Vec::new();
    let mut rest = id;
    while let Some(first) = rest.chars().next() {
        let digits = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        if digits {
            let number = run.trim_start_matches('0');
            let value = number.parse::<u128>().unwrap_or(u128::MAX);
            key.push((true, value, ""));
        } else {
            key.push((false, 0, run));
        }
        rest = after;
    }
    key
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

            /// The order people read ids in: runs of digits by their number, so `r2` comes
            /// before `r10`; the text itself settles what the numbers leave equal.
            pub fn natural_cmp(&self, other: &Self) -> std::cmp::Ordering {
                natural_key(&self.0)
                    .cmp(&natural_key(&other.0))
                    .then_with(|| self.0.cmp(&other.0))
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
