//! What the log holds around each event: position, identity, stream, version and provenance.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::event::Event;
use crate::domain::ids::{GameId, Tick};

/// Who asked for the command at the root of a chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Player,
    Injector,
    ProcessManager,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Player => "player",
            Source::Injector => "injector",
            Source::ProcessManager => "process_manager",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The event that led to the command that produced this event; none for a root command.
    pub causation_id: Option<Uuid>,
    /// The root command of the chain this event belongs to.
    pub correlation_id: Uuid,
    pub source: Source,
    /// The name of the command that produced this event.
    pub command: String,
    /// Wall-clock milliseconds since the Unix epoch, when the shell knows it. Never read by the
    /// domain; scripts leave it out so that their logs are byte-for-byte reproducible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at_ms: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RecordedEvent {
    /// Position in the whole log, from 1, gapless.
    pub seq: u64,
    pub id: Uuid,
    pub stream: String,
    /// Position in its stream, from 1, gapless.
    pub version: u64,
    pub event: Event,
    pub metadata: Metadata,
}

impl RecordedEvent {
    pub fn tick(&self) -> Tick {
        self.event.tick()
    }
}

/// What folding needs of a recorded event: its place in the log and in its stream, and the
/// fact itself. Replay reads only this, skipping ids and metadata it never looks at.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fact {
    pub seq: u64,
    pub version: u64,
    pub event: Event,
}

/// Where a root command comes from, as the shell knows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Origin {
    pub source: Source,
    pub recorded_at_ms: Option<u64>,
}

impl Origin {
    pub fn player() -> Origin {
        Origin {
            source: Source::Player,
            recorded_at_ms: None,
        }
    }

    pub fn injector() -> Origin {
        Origin {
            source: Source::Injector,
            recorded_at_ms: None,
        }
    }
}

/// Ids are derived, not drawn: the same log always carries the same ids, so a script's output
/// can be snapshot-tested and a resumed game writes what an uninterrupted one would.
fn derived_id(game: GameId, kind: u8, seq: u64) -> Uuid {
    let game = game.0.as_bytes();
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&game[..6]);
    bytes[6] = kind;
    bytes[7] = game[7];
    bytes[8..].copy_from_slice(&seq.to_be_bytes());
    Uuid::new_v8(bytes)
}

/// The id of the event at `seq`.
pub fn event_id(game: GameId, seq: u64) -> Uuid {
    derived_id(game, 0, seq)
}

/// The id of the root command whose first event is at `seq`.
pub fn command_id(game: GameId, seq: u64) -> Uuid {
    derived_id(game, 1, seq)
}

/// The sequence number an id was derived from, if it is the event id (`command` false) or root
/// command id (`command` true) that `game` gives that sequence number.
pub fn derived_seq(game: GameId, id: Uuid, command: bool) -> Option<u64> {
    let bytes = id.as_bytes();
    // The top two bits of byte 8 hold the UUID's variant, not the sequence number's.
    let seq = u64::from_be_bytes(bytes[8..].try_into().ok()?) & (u64::MAX >> 2);
    (derived_id(game, u8::from(command), seq) == id).then_some(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let game = GameId(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef));
        assert_eq!(event_id(game, 7), event_id(game, 7));
        assert_ne!(event_id(game, 7), event_id(game, 8));
        assert_ne!(event_id(game, 7), command_id(game, 7));
        assert_eq!(event_id(game, 1).get_version_num(), 8);
        assert_eq!(derived_seq(game, event_id(game, 7), false), Some(7));
        assert_eq!(derived_seq(game, command_id(game, 7), true), Some(7));
        assert_eq!(derived_seq(game, command_id(game, 7), false), None);
        let other = GameId(Uuid::from_u128(1));
        assert_eq!(derived_seq(other, event_id(game, 7), false), None);
    }
}
