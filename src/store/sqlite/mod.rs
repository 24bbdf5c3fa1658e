//! The save file: one game's event log in one SQLite database.
//!
//! The file identifies itself twice over: SQLite's `application_id` says it is a Lunar
//! Frontiers save and `user_version` gives the schema version, so that a foreign or newer file
//! is refused before anything reads or writes it. Writers use WAL with `synchronous=FULL`: a
//! committed tick survives a crash. From schema 2, every row carries a SHA-256 chained to the
//! row before it, checked on every read, so an edited, deleted or reordered row is named by its
//! sequence number. A writer holds an advisory lock beside the file: one player per save.

mod append;
mod files;
mod lock;
mod partial;
mod read;

use super::compact::Dictionary;
use super::row::RowRef;
use super::{EventReader, StoreError, TickRange};
use crate::domain::event::Event;
use crate::domain::fasthash::FastMap;
use crate::domain::ids::{GameId, Tick};
use crate::engine::envelope::RecordedEvent;
use rusqlite::{Connection, ErrorCode, OptionalExtension};
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

use lock::SaveLock;
use partial::Pending;
pub use partial::sweep_partials;

/// "LUNA": SQLite's `PRAGMA application_id` for our saves.
pub const APPLICATION_ID: i64 = 0x4C55_4E41;

/// The save schema this build writes and the newest it reads. Schema 1 had no hash chain;
/// schema 3 may hold the colony's events, so an older build refuses such a save by its version
/// instead of failing on its first colony event; schema 4 is the compact row of
/// [`compact`]; schema 5 the same rows, their streams indexed so that a tick adds to the index
/// cheaply, and each stream's versions kept increasing by the writer instead of by an index.
pub const SCHEMA_VERSION: i64 = 5;

/// Rows a long read hands to the chain checker at a time: enough that handing over costs
/// nothing beside the hashing, few enough that a seek's few hundred rows never leave the
/// reading thread.
const BATCH_ROWS: usize = 2048;

/// The chain's start: what the first row's hash follows.
pub(super) const GENESIS: [u8; 32] = [0; 32];

/// Where the log ends: its last row's sequence number, hash and tick.
#[derive(Clone, Copy)]
struct Tail {
    seq: u64,
    hash: [u8; 32],
    tick: Option<u64>,
}

/// A row as read: as the chain sees it, the hash it carries, and a compact row's stream, type
/// and command as numbers.
type RowRead<'r> = (RowRef<'r>, Option<[u8; 32]>, Option<[i64; 3]>);

/// One stored row, as its columns hold it.
pub(super) struct Row {
    pub(super) seq: u64,
    pub(super) id: String,
    pub(super) stream: String,
    pub(super) version: u64,
    pub(super) event_type: String,
    pub(super) tick: u64,
    pub(super) data: String,
    pub(super) metadata: String,
}

impl Row {
    pub(super) fn of(e: &RecordedEvent) -> Result<Row, StoreError> {
        Ok(Row {
            seq: e.seq,
            id: e.id.hyphenated().to_string(),
            stream: e.stream.clone(),
            version: e.version,
            event_type: e.event.type_name().to_owned(),
            tick: e.tick(),
            data: e.event.encode_data(),
            metadata: serde_json::to_string(&e.metadata).map_err(|err| StoreError::Conflict {
                reason: format!("event {} metadata: {err}", e.seq),
            })?,
        })
    }

    pub(super) fn hash(&self, previous: &[u8; 32]) -> [u8; 32] {
        self.as_ref().hash(previous)
    }

    fn as_ref(&self) -> RowRef<'_> {
        RowRef {
            schema: 3,
            game: None,
            seq: self.seq,
            id: self.id.as_bytes(),
            stream: self.stream.as_bytes(),
            version: self.version,
            event_type: self.event_type.as_bytes(),
            tick: self.tick,
            data: self.data.as_bytes(),
            metadata: self.metadata.as_bytes(),
            command: &[],
        }
    }
}

/// A save at a glance.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SaveSummary {
    pub colony: String,
    /// The mission a colony game plays; none for a classic game.
    pub mission: Option<String>,
    pub last_tick: u64,
    pub buildings: u64,
}

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The file's schema: schema 1 saves are read and appended to without a hash chain.
    schema: i64,
    /// The schema the file says it has, which a hand edit may have lowered below `schema`.
    declared: i64,
    /// The game the log's ids derive from (schema 4), once the save names it.
    game: Cell<Option<GameId>>,
    /// The streams and names a schema 4 save has numbered, as far as this store has read them.
    dictionary: RefCell<Arc<Dictionary>>,
    /// The log's last row as this writer last wrote it, so that an append of a compact save
    /// need not ask the file where the log ends.
    tail: Cell<Option<Tail>>,
    /// Each stream's last version by stream number (schema 5), as this writer last wrote
    /// them: read from the log before its first append, forgotten when an append fails.
    versions: RefCell<Option<FastMap<i64, u64>>>,
    /// A save still being written under a temporary name; after `conn`, so that it is removed
    /// only once the connection is closed.
    pending: Option<Pending>,
    /// Held by writers only.
    _lock: Option<SaveLock>,
    /// Whether this writer has put the save in write-ahead mode (see [`SqliteStore::rest`]).
    writing: Cell<bool>,
    /// The `-wal` and `-shm` files SQLite made beside a save in WAL mode for this reader, which
    /// were not there before it opened: removed when it closes if no writer has come since.
    made: Vec<PathBuf>,
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.rest();
        if self.made.is_empty() {
            return;
        }
        // The connection is closed before its files go; a save someone began to play since
        // (their lock on the file says so) keeps them, and so does a log with anything in it.
        if let Ok(memory) = Connection::open_in_memory() {
            let _ = std::mem::replace(&mut self.conn, memory).close();
        }
        let Ok(save) = File::open(&self.path) else {
            return;
        };
        let unplayed = save.try_lock().is_ok();
        let empty = |p: &&PathBuf| std::fs::metadata(p).is_ok_and(|m| m.len() == 0);
        let wal_empty = self
            .made
            .iter()
            .filter(|p| p.to_string_lossy().ends_with("-wal"))
            .all(|p| empty(&p) || !p.exists());
        if unplayed && wal_empty {
            for made in &self.made {
                let _ = std::fs::remove_file(made);
            }
        }
    }
}

/// What a save says about itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SaveInfo {
    /// Set by the first `game_started`; a save made but never started has none.
    pub game_id: Option<GameId>,
}

/// A database error as a player can act on it.
fn db(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| {
        let reason = match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => {
                format!("the file is damaged (truncated or overwritten): {e}")
            }
            Some(ErrorCode::DiskFull) => format!("the disk is full; nothing more was saved: {e}"),
            Some(ErrorCode::SystemIoFailure) => {
                format!("cannot read or write the disk (is it full?); nothing more was saved: {e}")
            }
            Some(ErrorCode::ReadOnly) => format!("the save cannot be written here: {e}"),
            Some(ErrorCode::CannotOpen) => format!("cannot open the file or its folder: {e}"),
            _ => e.to_string(),
        };
        StoreError::Database {
            path: path.into(),
            reason,
        }
    }
}

fn max_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let max: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
    Ok(u64::try_from(max).unwrap_or(0))
}

impl SqliteStore {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn info(&self) -> Result<SaveInfo, StoreError> {
        let game_id: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'game_id'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| StoreError::NotASave {
                path: self.path.clone(),
                reason: format!("its meta table cannot be read: {e}"),
            })?;
        let game_id = match game_id {
            None => None,
            Some(text) => Some(GameId(Uuid::parse_str(&text).map_err(|_| {
                StoreError::NotASave {
                    path: self.path.clone(),
                    reason: format!("its game id {text:?} is not a UUID"),
                }
            })?)),
        };
        Ok(SaveInfo { game_id })
    }

    /// Where a branched save came from: the save and the tick.
    pub fn branched_from(&self) -> Result<Option<(String, Tick)>, StoreError> {
        let meta = |key: &str| -> Result<Option<String>, StoreError> {
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(db(&self.path))
        };
        Ok(match (meta("branched_from")?, meta("branched_at_tick")?) {
            (Some(from), Some(tick)) => tick.parse().ok().map(|tick| (from, tick)),
            _ => None,
        })
    }

    /// What `lunar saves` shows, read without folding the log.
    pub fn summary(&self) -> Result<SaveSummary, StoreError> {
        let sql = if self.schema >= 4 {
            "SELECT (SELECT COALESCE((SELECT tick FROM events ORDER BY seq DESC LIMIT 1), 0)),
                    (SELECT COUNT(*) FROM events WHERE type IN (SELECT id FROM names
                        WHERE name IN ('building_spawned', 'building_spawned_v2',
                                       'building_placed')))"
        } else {
            "SELECT COALESCE(MAX(tick), 0),
                    COALESCE(SUM(type IN ('building_spawned', 'building_spawned_v2',
                                          'building_placed')), 0) FROM events"
        };
        let (last_tick, buildings): (i64, i64) = self
            .conn
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db(&self.path))?;
        let first = self.read(TickRange {
            from: None,
            to: Some(0),
        })?;
        let (colony, mission) = first
            .iter()
            .find_map(|e| match &e.event {
                Event::GameStarted(g) => Some((g.name.clone(), None)),
                event => event
                    .colony_start()
                    .map(|g| (g.name.to_owned(), Some(g.rules.mission.id.clone()))),
            })
            .unwrap_or_default();
        Ok(SaveSummary {
            colony,
            mission,
            last_tick: u64::try_from(last_tick).unwrap_or(0),
            buildings: u64::try_from(buildings).unwrap_or(0),
        })
    }

    /// The schema the file was written with.
    pub fn schema(&self) -> i64 {
        self.schema
    }

    /// The schema the file claims, when that is lower than the one its rows were written with.
    pub fn lowered_schema(&self) -> Option<i64> {
        (self.declared < self.schema).then_some(self.declared)
    }
}
