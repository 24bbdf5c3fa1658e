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
