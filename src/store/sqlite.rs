//! The save file: one game's event log in one SQLite database.
//!
//! The file identifies itself twice over: SQLite's `application_id` says it is a Lunar
//! Frontiers save and `user_version` gives the schema version, so that a foreign or newer file
//! is refused before anything reads or writes it. Writers use WAL with `synchronous=FULL`: a
//! committed tick survives a crash.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use uuid::Uuid;

use super::{EventReader, EventStore, StoreError, TickRange};
use crate::domain::event::Event;
use crate::domain::ids::{GameId, Tick};
use crate::engine::envelope::{Metadata, RecordedEvent};

/// "LUNA": SQLite's `PRAGMA application_id` for our saves.
pub const APPLICATION_ID: i64 = 0x4C55_4E41;
/// The save schema this build writes and the newest it reads.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE events (
        seq      INTEGER PRIMARY KEY,
        id       TEXT    NOT NULL UNIQUE,
        stream   TEXT    NOT NULL,
        version  INTEGER NOT NULL,
        type     TEXT    NOT NULL,
        tick     INTEGER NOT NULL,
        data     TEXT    NOT NULL,
        metadata TEXT    NOT NULL,
        UNIQUE (stream, version)
    );
    CREATE INDEX events_by_tick ON events (tick);
";

/// A save at a glance.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SaveSummary {
    pub colony: String,
    pub last_tick: u64,
    pub buildings: u64,
}

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

/// What a save says about itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SaveInfo {
    pub schema_version: i64,
    /// Set by the first `game_started`; a save made but never started has none.
    pub game_id: Option<GameId>,
}

impl SqliteStore {
    /// Creates a new, empty save. Refuses to touch a file that already exists.
    pub fn create(path: &Path) -> Result<SqliteStore, StoreError> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path);
        if let Err(e) = file {
            return Err(match e.kind() {
                std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: path.into() },
                _ => StoreError::Database {
                    path: path.into(),
                    reason: format!("cannot create the save: {e}"),
                },
            });
        }
        let result = Self::initialise(path);
        if result.is_err() {
            // Only the empty file this call just made is removed; nothing else was there.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    fn initialise(path: &Path) -> Result<SqliteStore, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(db(path))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(db(path))?;
        let tx = conn.transaction().map_err(db(path))?;
        tx.execute_batch(SCHEMA).map_err(db(path))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(db(path))?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(db(path))?;
        tx.commit().map_err(db(path))?;
        let store = SqliteStore {
            conn,
            path: path.into(),
        };
        store.configure_writer()?;
        Ok(store)
    }

    /// Opens a save to play on. Nothing is written until an append.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let store = Self::open_checked(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        store.configure_writer()?;
        Ok(store)
    }

    /// Opens a save to read; SQLite itself then refuses every write.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_checked(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
    }

    fn open_checked(path: &Path, mode: OpenFlags) -> Result<SqliteStore, StoreError> {
        match std::fs::metadata(path) {
            Err(_) => return Err(StoreError::NotFound { path: path.into() }),
            Ok(m) if !m.is_file() => return Err(StoreError::NotAFile { path: path.into() }),
            Ok(_) => {}
        }
        let conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(db(path))?;
        let not_a_save = |reason: &str| StoreError::NotASave {
            path: path.into(),
            reason: reason.into(),
        };
        let application_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => not_a_save("it is not a SQLite database"),
                _ => db(path)(e),
            })?;
        if application_id != APPLICATION_ID {
            return Err(not_a_save(
                "it is a SQLite database, but not one this game wrote",
            ));
        }
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db(path))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.into(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found < 1 {
            return Err(not_a_save("it has no schema version"));
        }
        let store = SqliteStore {
            conn,
            path: path.into(),
        };
        store.info()?;
        Ok(store)
    }

    fn configure_writer(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(db(&self.path))?;
        self.conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db(&self.path))
    }

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
        Ok(SaveInfo {
            schema_version: SCHEMA_VERSION,
            game_id,
        })
    }

    /// Creates `path` holding the events of `source` up to and including `at_tick`: a prefix of
    /// its log, byte for byte the same events, recording where it came from. The source is only
    /// read.
    pub fn branch(
        source: &impl EventReader,
        from: &str,
        at_tick: Tick,
        path: &Path,
    ) -> Result<SqliteStore, StoreError> {
        let events = source.read(TickRange {
            from: None,
            to: Some(at_tick),
        })?;
        let mut store = SqliteStore::create(path)?;
        let written = (|| {
            let tx = store.conn.transaction().map_err(db(path))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('branched_from', ?1), ('branched_at_tick', ?2)",
                params![from, signed(at_tick).to_string()],
            )
            .map_err(db(path))?;
            insert_events(&tx, path, &events)?;
            tx.commit().map_err(db(path))
        })();
        if let Err(error) = written {
            drop(store);
            // Only the file this call created goes; the source is untouched.
            let _ = std::fs::remove_file(path);
            return Err(error);
        }
        Ok(store)
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
        let (last_tick, buildings): (i64, i64) = self
            .conn
            .query_row(
                "SELECT COALESCE(MAX(tick), 0),
                        COALESCE(SUM(type = 'building_spawned'), 0) FROM events",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db(&self.path))?;
        let first = self.read(TickRange {
            from: None,
            to: Some(0),
        })?;
        let colony = first
            .iter()
            .find_map(|e| match &e.event {
                Event::GameStarted(g) => Some(g.name.clone()),
                _ => None,
            })
            .unwrap_or_default();
        Ok(SaveSummary {
            colony,
            last_tick: u64::try_from(last_tick).unwrap_or(0),
            buildings: u64::try_from(buildings).unwrap_or(0),
        })
    }

    fn decode_row(&self, row: &rusqlite::Row<'_>) -> Result<RecordedEvent, StoreError> {
        let seq: i64 = row.get(0).map_err(db(&self.path))?;
        let seq = u64::try_from(seq).unwrap_or(0);
        let corrupt = |reason: String| StoreError::Corrupt {
            path: self.path.clone(),
            seq,
            reason,
        };
        let text = |i: usize| -> Result<String, StoreError> {
            row.get::<_, String>(i)
                .map_err(|e| corrupt(format!("column {i}: {e}")))
        };
        let id = Uuid::parse_str(&text(1)?).map_err(|e| corrupt(format!("id: {e}")))?;
        let unsigned = |i: usize, name: &str| -> Result<u64, StoreError> {
            row.get::<_, i64>(i)
                .ok()
                .and_then(|v| u64::try_from(v).ok())
                .ok_or_else(|| corrupt(format!("{name} is not a whole number")))
        };
        let version = unsigned(3, "version")?;
        let tick = unsigned(5, "tick")?;
        let event = Event::decode(&text(4)?, &text(6)?).map_err(|e| corrupt(e.to_string()))?;
        if event.tick() != tick {
            return Err(corrupt(format!(
                "its tick column says {tick} but its data says {}",
                event.tick()
            )));
        }
        let metadata: Metadata =
            serde_json::from_str(&text(7)?).map_err(|e| corrupt(format!("metadata: {e}")))?;
        Ok(RecordedEvent {
            seq,
            id,
            stream: text(2)?,
            version,
            event,
            metadata,
        })
    }
}

fn db(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Database {
        path: path.into(),
        reason: e.to_string(),
    }
}

/// SQLite integers are signed; our counters never come near `i64::MAX`.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn max_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let max: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
    Ok(u64::try_from(max).unwrap_or(0))
}

impl EventReader for SqliteStore {
    fn read(&self, range: TickRange) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, id, stream, version, type, tick, data, metadata FROM events
                 WHERE tick >= ?1 AND tick <= ?2 ORDER BY seq",
            )
            .map_err(db(&self.path))?;
        let from = range.from.map_or(i64::MIN, signed);
        let to = range.to.map_or(i64::MAX, signed);
        let mut rows = stmt.query(params![from, to]).map_err(db(&self.path))?;
        let mut events = Vec::new();
        while let Some(row) = rows.next().map_err(db(&self.path))? {
            events.push(self.decode_row(row)?);
        }
        Ok(events)
    }

    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, id, stream, version, type, tick, data, metadata FROM events
                 WHERE seq > ?1 AND tick <= ?2 ORDER BY seq",
            )
            .map_err(db(&self.path))?;
        let to = to_tick.map_or(i64::MAX, signed);
        let mut rows = stmt
            .query(params![signed(after_seq), to])
            .map_err(db(&self.path))?;
        while let Some(row) = rows.next().map_err(db(&self.path))? {
            visit(self.decode_row(row)?);
        }
        Ok(())
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        max_seq(&self.conn).map_err(db(&self.path))
    }
}

impl EventStore for SqliteStore {
    fn append(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(db(&path))?;
        insert_events(&tx, &path, events)?;
        tx.commit().map_err(db(&path))
    }
}

/// Inserts events in the open transaction, checking they continue the log.
fn insert_events(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    events: &[RecordedEvent],
) -> Result<(), StoreError> {
    let path = path.to_path_buf();
    let last = max_seq(tx).map_err(db(&path))?;
    if let Some(first) = events.first()
        && first.seq != last + 1
    {
        return Err(StoreError::Conflict {
            reason: format!("event {} does not follow event {last}", first.seq),
        });
    }
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO events (seq, id, stream, version, type, tick, data, metadata)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(db(&path))?;
        for e in events {
            let metadata =
                serde_json::to_string(&e.metadata).map_err(|err| StoreError::Conflict {
                    reason: format!("event {} metadata: {err}", e.seq),
                })?;
            insert
                .execute(params![
                    signed(e.seq),
                    e.id.hyphenated().to_string(),
                    e.stream,
                    signed(e.version),
                    e.event.type_name(),
                    signed(e.tick()),
                    e.event.encode_data(),
                    metadata,
                ])
                .map_err(|err| match err.sqlite_error_code() {
                    Some(ErrorCode::ConstraintViolation) => StoreError::Conflict {
                        reason: format!(
                            "{} version {} or event {} is already recorded",
                            e.stream, e.version, e.seq
                        ),
                    },
                    _ => db(&path)(err),
                })?;
            if let Event::GameStarted(started) = &e.event {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('game_id', ?1)",
                    params![started.game_id.to_string()],
                )
                .map_err(|err| StoreError::Conflict {
                    reason: format!("this save already holds a game: {err}"),
                })?;
            }
        }
    }
    Ok(())
}
