//! The event log: the only source of truth.
//!
//! Architecture Invariant: this is the only module that touches SQLite.
//!
//! May use: the domain's events and ids, the engine's envelopes, rusqlite, sha2, `crate::cores`.

pub mod baseline;
mod compact;
pub mod keyframes;
pub mod memory;
mod row;
mod rows;
pub mod sqlite;

use std::fmt;
use std::path::PathBuf;

use crate::domain::ids::Tick;
use crate::engine::envelope::{Fact, RecordedEvent};

/// Ticks to read, both ends inclusive; `None` leaves that end open.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TickRange {
    pub from: Option<Tick>,
    pub to: Option<Tick>,
}

impl TickRange {
    pub fn contains(&self, tick: Tick) -> bool {
        self.from.is_none_or(|from| tick >= from) && self.to.is_none_or(|to| tick <= to)
    }
}

/// SQLite integers are signed; our counters never come near `i64::MAX`.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reading the log: all that playback, projections and the command line need.
pub trait EventReader {
    /// Streams, in log order, every event with a tick in `range`, without holding them all.
    fn scan_range(
        &self,
        range: TickRange,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError>;

    /// Every event with a tick in `range`, in log order.
    fn read(&self, range: TickRange) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = Vec::new();
        self.scan_range(range, &mut |e| events.push(e))?;
        Ok(events)
    }

    fn read_all(&self) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read(TickRange::default())
    }

    /// Streams, in log order, every event after `after_seq` with a tick up to `to_tick`, without
    /// holding them all in memory.
    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError>;

    fn last_seq(&self) -> Result<u64, StoreError>;

    /// The tick of the event at `seq`, if the log holds one: how a keyframe is checked against
    /// the log it claims to come from.
    fn tick_at(&self, seq: u64) -> Result<Option<Tick>, StoreError>;

    /// One stream's events up to `to_tick`, in order. Stores with an index on streams use it.
    fn read_stream(
        &self,
        stream: &str,
        to_tick: Option<Tick>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = Vec::new();
        self.scan(0, to_tick, &mut |e| {
            if e.stream == stream {
                events.push(e);
            }
        })?;
        Ok(events)
    }

    /// [`EventReader::scan`] for folding: only what a fold reads. Stores that can skip decoding
    /// ids and metadata do.
    fn scan_facts(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        self.scan(after_seq, to_tick, &mut |e| {
            visit(Fact {
                seq: e.seq,
                version: e.version,
                event: e.event,
            })
        })
    }

    /// [`EventReader::scan_facts`] with a second visitor: `ahead` is shown every fact `visit`
    /// will be handed, in the same order, and nothing else, but maybe sooner and on another
    /// thread. A store that checks and decodes on a second core runs `ahead` there, so a fold
    /// split in two halves is not all added to the reading.
    fn scan_facts_ahead(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        ahead: &mut (dyn FnMut(&Fact) + Send),
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        self.scan_facts(after_seq, to_tick, &mut |fact| {
            ahead(&fact);
            visit(fact);
        })
    }
}

/// A log that can also be appended to.
pub trait EventStore: EventReader {
    /// Appends the events of one command and its whole cascade, all or nothing. Each event's
    /// `seq` must continue the log and its `version` its stream; anything else is a conflict.
    fn append(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError>;
}

/// A borrowed reader reads the same log, so playback can work on a store it does not own.
impl<R: EventReader> EventReader for &R {
    fn scan_range(
        &self,
        range: TickRange,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        (**self).scan_range(range, visit)
    }

    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        (**self).scan(after_seq, to_tick, visit)
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        (**self).last_seq()
    }

    fn tick_at(&self, seq: u64) -> Result<Option<Tick>, StoreError> {
        (**self).tick_at(seq)
    }

    fn scan_facts(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        (**self).scan_facts(after_seq, to_tick, visit)
    }

    fn scan_facts_ahead(
        &self,
        after_seq: u64,
        to_tick: Option<Tick>,
        ahead: &mut (dyn FnMut(&Fact) + Send),
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        (**self).scan_facts_ahead(after_seq, to_tick, ahead, visit)
    }

    fn read_stream(
        &self,
        stream: &str,
        to_tick: Option<Tick>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        (**self).read_stream(stream, to_tick)
    }
}

#[derive(Debug)]
pub enum StoreError {
    /// The file exists already; creating a save never overwrites one.
    Exists {
        path: PathBuf,
    },
    NotFound {
        path: PathBuf,
    },
    NotAFile {
        path: PathBuf,
    },
    /// The file is not a save of this game (empty, random bytes, another database...).
    NotASave {
        path: PathBuf,
        reason: String,
    },
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// A stored row cannot be read back.
    Corrupt {
        path: PathBuf,
        seq: u64,
        reason: String,
    },
    /// A row holds an event type this build does not know: a newer game wrote it.
    UnknownEvent {
        path: PathBuf,
        seq: u64,
        event_type: String,
    },
    /// A row does not follow the hash chain: it, or rows before it, were edited, deleted or
    /// reordered.
    Tampered {
        path: PathBuf,
        seq: u64,
    },
    /// The tick index says something the rows it points to contradict.
    BadIndex {
        path: PathBuf,
        reason: String,
    },
    /// Another process is playing this save.
    Busy {
        path: PathBuf,
        pid: Option<u32>,
    },
    /// An append did not continue the log or a stream where it expected to.
    Conflict {
        reason: String,
    },
    /// The database itself failed (I/O, disk full, locked...).
    Database {
        path: PathBuf,
        reason: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Exists { path } => {
                write!(f, "{}: a save already exists there", path.display())
            }
            StoreError::NotFound { path } => write!(f, "{}: no such save", path.display()),
            StoreError::NotAFile { path } => {
                write!(f, "{}: is a directory, not a save file", path.display())
            }
            StoreError::NotASave { path, reason } => {
                write!(
                    f,
                    "{}: not a Lunar Frontiers save: {reason}",
                    path.display()
                )
            }
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => write!(
                f,
                "{}: saved with schema version {found}, but this build reads up to {supported}; \
                 update the game to open it",
                path.display()
            ),
            StoreError::Corrupt { path, seq, reason } => {
                write!(f, "{}: event {seq} is damaged: {reason}", path.display())
            }
            StoreError::UnknownEvent {
                path,
                seq,
                event_type,
            } => write!(
                f,
                "{}: event {seq} has type {event_type:?}, which this build does not know; \
                 a newer version of the game wrote it",
                path.display()
            ),
            StoreError::Tampered { path, seq } => write!(
                f,
                "{}: event {seq} breaks the hash chain: it, or a row before it, was edited, \
                 deleted or reordered",
                path.display()
            ),
            StoreError::BadIndex { path, reason } => write!(
                f,
                "{}: the tick index is damaged ({reason}); nothing was read from it",
                path.display()
            ),
            StoreError::Busy { path, pid } => {
                let by = pid.map_or_else(String::new, |pid| format!(" by process {pid}"));
                write!(
                    f,
                    "{}: this save is being played{by}; watch it with `lunar replay`",
                    path.display()
                )
            }
            StoreError::Conflict { reason } => write!(f, "append conflict: {reason}"),
            StoreError::Database { path, reason } => write!(f, "{}: {reason}", path.display()),
        }
    }
}

impl std::error::Error for StoreError {}
