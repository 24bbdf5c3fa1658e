//! The save file: one game's event log in one SQLite database.
//!
//! The file identifies itself twice over: SQLite's `application_id` says it is a Lunar
//! Frontiers save and `user_version` gives the schema version, so that a foreign or newer file
//! is refused before anything reads or writes it. Writers use WAL with `synchronous=FULL`: a
//! committed tick survives a crash. From schema 2, every row carries a SHA-256 chained to the
//! row before it, checked on every read, so an edited, deleted or reordered row is named by its
//! sequence number. A writer holds an advisory lock beside the file: one player per save.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use uuid::Uuid;

use super::compact::{self, Dictionary, Hashed};
use super::rows::{Batch, RowRef};
use super::{EventReader, EventStore, StoreError, TickRange, signed};
use crate::domain::event::{DecodeError, Event};
use crate::domain::ids::{GameId, Tick};
use crate::domain::subject::Subject;
use crate::engine::envelope::{Fact, Metadata, RecordedEvent};

/// "LUNA": SQLite's `PRAGMA application_id` for our saves.
pub const APPLICATION_ID: i64 = 0x4C55_4E41;
/// The save schema this build writes and the newest it reads. Schema 1 had no hash chain;
/// schema 3 may hold the colony's events, so an older build refuses such a save by its version
/// instead of failing on its first colony event; schema 4 is the compact row of
/// [`compact`].
pub const SCHEMA_VERSION: i64 = 4;

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

/// The one-player-per-save lock: an advisory lock on the save file itself, so that every name
/// of one file (a symlink, another path) finds the same lock, released by the system when the
/// process ends however it ends. The player's process id goes in `SAVE.lock` beside the save's
/// real path, for whoever is refused; that file only informs, it never locks, and it is never
/// followed if it is a link.
struct SaveLock {
    _save: File,
    info: Option<PathBuf>,
}

/// Opens `path` for writing without following a symlink at its end; creates it if missing.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

impl SaveLock {
    /// Takes the lock before SQLite opens the file, so that a refusal closes no descriptor
    /// SQLite holds locks through.
    fn take(save: &Path) -> Result<SaveLock, StoreError> {
        let file = File::open(save).map_err(|e| StoreError::Database {
            path: save.into(),
            reason: format!("cannot lock the save: {e}"),
        })?;
        let info = std::fs::canonicalize(save).ok().map(|real| {
            let mut name = real.into_os_string();
            name.push(".lock");
            PathBuf::from(name)
        });
        if file.try_lock().is_err() {
            let pid = info
                .as_deref()
                .and_then(|p| open_no_follow(p).ok())
                .and_then(|mut f| {
                    let mut holder = String::new();
                    f.read_to_string(&mut holder).ok()?;
                    holder.trim().parse().ok()
                });
            return Err(StoreError::Busy {
                path: save.into(),
                pid,
            });
        }
        let written = info.as_deref().and_then(|p| {
            let mut f = open_no_follow(p).ok()?;
            f.set_len(0).ok()?;
            write!(f, "{}", std::process::id()).ok()?;
            Some(p.to_path_buf())
        });
        Ok(SaveLock {
            _save: file,
            info: written,
        })
    }
}

impl Drop for SaveLock {
    fn drop(&mut self) {
        // Removed while the save is still locked; removing a path never follows a link.
        if let Some(info) = &self.info {
            let _ = std::fs::remove_file(info);
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

/// A new save written under a hidden temporary name until it is whole, so an interrupted
/// creation never leaves a save that looks finished, nor one that blocks a retry.
struct Pending {
    temp: PathBuf,
    published: bool,
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

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// `DIR/.NAME.PID.partial` for the save `DIR/NAME`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "save".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Removes what runs killed while writing a new save left in `dir`: `.NAME.PID.partial` files
/// (and their `-wal`, `-shm` or `-journal`) whose process is gone. A process that is still
/// there (or a number reused since) keeps its file; nothing else is touched.
pub fn sweep_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(stem) = [
            ".partial",
            ".partial-wal",
            ".partial-shm",
            ".partial-journal",
        ]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix)) else {
            continue;
        };
        let Some(pid) = stem
            .strip_prefix('.')
            .and_then(|s| s.rsplit_once('.'))
            .and_then(|(_, pid)| pid.parse::<libc::pid_t>().ok())
            .filter(|pid| *pid > 0)
        else {
            continue;
        };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What a save says about itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SaveInfo {
    /// Set by the first `game_started`; a save made but never started has none.
    pub game_id: Option<GameId>,
}

impl SqliteStore {
    /// Starts a new save that appears at `path` only when [`SqliteStore::publish`] is called;
    /// until then it is written under a hidden temporary name beside it, removed if it is
    /// dropped unpublished. Refuses a path where anything already is.
    pub fn create_pending(path: &Path) -> Result<SqliteStore, StoreError> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::NotAFile { path: path.into() }),
            Ok(_) => return Err(StoreError::Exists { path: path.into() }),
            Err(_) => {}
        }
        if let Some(dir) = path.parent() {
            sweep_partials(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            });
        }
        let temp = temp_path(path);
        let mut store = SqliteStore::create(&temp)?;
        store.pending = Some(Pending {
            temp,
            published: false,
        });
        store.path = path.into();
        Ok(store)
    }

    /// Gives a pending save its name, whole: the connection is closed first (so its WAL is
    /// checkpointed into the file) and the file is then linked into place, which never replaces
    /// anything that appeared there meanwhile.
    pub fn publish(mut self) -> Result<PathBuf, StoreError> {
        let path = self.path.clone();
        let Some(mut pending) = self.pending.take() else {
            return Ok(path);
        };
        self.rest();
        let memory = Connection::open_in_memory().map_err(db(&path))?;
        let conn = std::mem::replace(&mut self.conn, memory);
        conn.close().map_err(|(_, e)| db(&path)(e))?;
        std::fs::hard_link(&pending.temp, &path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: path.clone() },
            _ => StoreError::Database {
                path: path.clone(),
                reason: format!("cannot name the new save: {e}"),
            },
        })?;
        pending.published = true;
        let _ = std::fs::remove_file(&pending.temp);
        Ok(path)
    }

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
        let result = SaveLock::take(path).and_then(|lock| Self::initialise(path, lock));
        if result.is_err() {
            // Only the empty file this call just made is removed; nothing else was there.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    fn initialise(path: &Path, lock: SaveLock) -> Result<SqliteStore, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(db(path))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(db(path))?;
        let tx = conn.transaction().map_err(db(path))?;
        tx.execute_batch(compact::SCHEMA).map_err(db(path))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(db(path))?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(db(path))?;
        tx.commit().map_err(db(path))?;
        let store = SqliteStore {
            conn,
            path: path.into(),
            schema: SCHEMA_VERSION,
            declared: SCHEMA_VERSION,
            game: Cell::new(None),
            dictionary: RefCell::default(),
            tail: Cell::new(None),
            pending: None,
            _lock: Some(lock),
            writing: Cell::new(true),
            made: Vec::new(),
        };
        store.configure_writer()?;
        Ok(store)
    }

    /// Opens a save to play on, as its only writer. Nothing is written until an append.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        check_file(path)?;
        check_writable(path)?;
        let lock = SaveLock::take(path)?;
        let mut store = Self::open_checked(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        store._lock = Some(lock);
        store.configure_writer()?;
        store.check_index_tail()?;
        Ok(store)
    }

    /// Puts the save in write-ahead mode before the first append (a reader can follow a game
    /// being played without blocking its writer); opening and reading change nothing.
    fn write_ahead(&self) -> Result<(), StoreError> {
        if !self.writing.get() {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(db(&self.path))?;
            self.writing.set(true);
        }
        Ok(())
    }

    /// A written save at rest: its write-ahead log folded into the file and the file back in
    /// rollback mode, so that reading it later (`lunar saves`, `replay`) leaves no `-wal` or
    /// `-shm` beside it. Best effort: with a reader still attached, the file stays as it is,
    /// which is only untidy.
    fn rest(&self) {
        if self.writing.get() {
            let _ = self
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                });
        }
    }

    /// Refuses to play on a compact save whose tick index does not end where its log does:
    /// every tick appended would be refused as going back in time.
    fn check_index_tail(&self) -> Result<(), StoreError> {
        if self.schema < 4 {
            return Ok(());
        }
        let last = compact::tick_of(
            &self.conn,
            signed(max_seq(&self.conn).map_err(db(&self.path))?),
        )
        .map_err(db(&self.path))?;
        let last = last.unwrap_or(0);
        self.first_seq_from(last, true)?;
        self.first_seq_from(last, false).map(|_| ())
    }

    /// Opens a save to read; SQLite itself then refuses every write.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_checked(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
    }

    fn open_checked(path: &Path, mode: OpenFlags) -> Result<SqliteStore, StoreError> {
        check_file(path)?;
        let beside = |suffix: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        let absent: Vec<PathBuf> = if mode.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) {
            ["-wal", "-shm"]
                .map(beside)
                .into_iter()
                .filter(|p| std::fs::symlink_metadata(p).is_err())
                .collect()
        } else {
            Vec::new()
        };
        let mut conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(db(path))?;
        let not_a_save = |reason: &str| StoreError::NotASave {
            path: path.into(),
            reason: reason.into(),
        };
        let application_id = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.pragma_query_value(None, "application_id", |r| r.get(0))
        };
        let mut first_read = application_id(&conn);
        let unwritable_folder = matches!(
            first_read
                .as_ref()
                .err()
                .and_then(rusqlite::Error::sqlite_error_code),
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)
        );
        if mode.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) && unwritable_folder {
            // A WAL save in a folder no one can write to: SQLite cannot make its shared-memory
            // file there, and no writer can be running, so the file is read as immutable.
            let uri = format!("file:{}?immutable=1", path.display());
            conn = Connection::open_with_flags(
                uri,
                mode | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(db(path))?;
            first_read = application_id(&conn);
        }
        let application_id: i64 = first_read.map_err(|e| match e.sqlite_error_code() {
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
        // A chain cannot be shed by lowering the version: a file whose rows carry hashes is
        // read as the chained save it is, and `verify` says the version was lowered. So is a
        // compact row read as one.
        let has = |column: &str| -> Result<bool, StoreError> {
            conn.query_row(
                "SELECT COUNT(*) > 0 FROM pragma_table_info('events') WHERE name = ?1",
                [column],
                |r| r.get(0),
            )
            .map_err(db(path))
        };
        let declared = found;
        let found = if has("meta")? {
            found.max(4)
        } else if has("hash")? {
            found.max(2)
        } else {
            found
        };
        let store = SqliteStore {
            conn,
            path: path.into(),
            declared,
            schema: found,
            game: Cell::new(None),
            dictionary: RefCell::default(),
            tail: Cell::new(None),
            pending: None,
            _lock: None,
            writing: Cell::new(false),
            made: absent,
        };
        store.game.set(store.info()?.game_id);
        if store.schema >= 4 {
            store.refresh_dictionary()?;
        }
        // Reads map the file instead of copying it page by page through the kernel; a failed
        // mapping only means the ordinary reads.
        let _ = store.conn.pragma_update(None, "mmap_size", 1_i64 << 30);
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
        Ok(SaveInfo { game_id })
    }

    /// Creates `path` holding the events of `source` up to and including `at_tick`: a prefix of
    /// its log, byte for byte the same events, recording where it came from. The source is only
    /// read; the new save appears only once it is whole. Returns how many events it holds.
    pub fn branch(
        source: &impl EventReader,
        from: &str,
        at_tick: Tick,
        path: &Path,
    ) -> Result<u64, StoreError> {
        let events = source.read(TickRange {
            from: None,
            to: Some(at_tick),
        })?;
        let store = SqliteStore::create_pending(path)?;
        let tx = store.conn.unchecked_transaction().map_err(db(path))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('branched_from', ?1), ('branched_at_tick', ?2)",
            params![from, signed(at_tick).to_string()],
        )
        .map_err(db(path))?;
        store.insert(&tx, &events)?;
        tx.commit().map_err(db(path))?;
        store.publish()?;
        Ok(events.len() as u64)
    }

    /// Writes every event of `source` into a new save for `path`, in this build's schema: the
    /// same events, ids and metadata, in a file of the current format. The source is only
    /// read, a bounded number of events at a time. The copy stays pending (see
    /// [`SqliteStore::create_pending`]) so that it can be checked before it appears: publish
    /// it, or drop it to remove it. Returns it with how many events it holds.
    pub fn copy(source: &impl EventReader, path: &Path) -> Result<(SqliteStore, u64), StoreError> {
        /// Events a transaction of the copy holds: memory stays bounded on a long game.
        const CHUNK: usize = 10_000;
        let mut store = SqliteStore::create_pending(path)?;
        let mut pending = Vec::with_capacity(CHUNK);
        let mut failed = None;
        let mut copied = 0;
        source.scan_range(TickRange::default(), &mut |e| {
            if failed.is_some() {
                return;
            }
            pending.push(e);
            if pending.len() == CHUNK {
                copied += pending.len() as u64;
                failed = store.append(&pending).err();
                pending.clear();
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        copied += pending.len() as u64;
        store.append(&pending)?;
        Ok((store, copied))
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
                Event::GameStartedV2(g) => Some((g.name.clone(), Some(g.rules.mission.id.clone()))),
                _ => None,
            })
            .unwrap_or_default();
        Ok(SaveSummary {
            colony,
            mission,
            last_tick: u64::try_from(last_tick).unwrap_or(0),
            buildings: u64::try_from(buildings).unwrap_or(0),
        })
    }

    /// The columns read back, in the order `Row` lists them, then the hash (schema 2), or a
    /// compact row's columns (schema 4).
    fn select(&self, filter: &str) -> String {
        let columns = match self.schema {
            4.. => compact::COLUMNS,
            2 | 3 => "seq, id, stream, version, type, tick, data, metadata, hash",
            _ => "seq, id, stream, version, type, tick, data, metadata",
        };
        format!("SELECT {columns} FROM events WHERE {filter} ORDER BY seq")
    }

    /// A stored hash as the chain compares it.
    fn carried(&self, stored: &[u8]) -> Option<[u8; 32]> {
        if self.schema >= 4 {
            compact::carried(stored)
        } else {
            stored.try_into().ok()
        }
    }

    /// Reads the streams and names numbered since the dictionary was last read, and the game's
    /// id if the save has named it since.
    fn refresh_dictionary(&self) -> Result<(), StoreError> {
        Arc::make_mut(&mut self.dictionary.borrow_mut())
            .refresh(&self.conn)
            .map_err(db(&self.path))?;
        if self.game.get().is_none() {
            self.game.set(self.info()?.game_id);
        }
        Ok(())
    }

    /// A stream's number in a compact save, if it has one.
    fn stream_id(&self, stream: &str) -> Result<Option<i64>, StoreError> {
        if let Some(id) = self.dictionary.borrow().stream_id(stream) {
            return Ok(Some(id));
        }
        self.refresh_dictionary()?;
        Ok(self.dictionary.borrow().stream_id(stream))
    }

    /// A compact row as the chain checks it and decoding reads it, its id and metadata in
    /// `hashed`, its stream, type and command as numbers for the batch to name.
    fn compact_row<'r>(
        &self,
        row: &'r rusqlite::Row<'_>,
        hashed: &'r mut Hashed,
    ) -> Result<RowRead<'r>, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            path: self.path.clone(),
            seq: row
                .get::<_, i64>(0)
                .ok()
                .and_then(|s| u64::try_from(s).ok())
                .unwrap_or(0),
            reason,
        };
        if self.game.get().is_none() {
            self.refresh_dictionary()?;
        }
        let read = |hashed: &mut Hashed| {
            compact::read_row(row, self.game.get(), &self.dictionary.borrow(), hashed)
                .map_err(corrupt)
        };
        let read = match read(hashed)? {
            Some(read) => Some(read),
            None => {
                self.refresh_dictionary()?;
                read(hashed)?
            }
        };
        let Some((numbers, names)) = read else {
            return Err(corrupt(
                "its stream, type or command is not in the save's tables".into(),
            ));
        };
        let data = match row.get_ref(5) {
            Ok(rusqlite::types::ValueRef::Text(bytes)) => bytes,
            _ => return Err(corrupt("its data is not text".into())),
        };
        let hashed = &*hashed;
        let stored = RowRef {
            schema: self.schema,
            game: self.game.get(),
            seq: numbers.seq,
            id: &hashed.id,
            stream: &[],
            version: numbers.version,
            event_type: &[],
            tick: numbers.tick,
            data,
            metadata: &hashed.metadata,
            command: &[],
        };
        Ok((stored, numbers.carried, Some(names)))
    }

    /// The sequence numbers `range` covers, as `[from, to)`: a compact save has no index on
    /// every row's tick, but its rows are in tick order and it knows each tick's first row.
    /// What the ticks table says is checked against the rows it points to before it is used.
    fn seqs_of(&self, range: TickRange) -> Result<(i64, i64), StoreError> {
        let from = match range.from {
            None => 0,
            Some(tick) => self.first_seq_from(tick, true)?,
        };
        let to = match range.to {
            None => i64::MAX,
            Some(tick) => self.first_seq_from(tick, false)?,
        };
        Ok((from, to))
    }

    /// The first row of tick `tick` or later (`inclusive`), or of a later tick, or past the
    /// end, as the ticks table says and the rows confirm.
    fn first_seq_from(&self, tick: u64, inclusive: bool) -> Result<i64, StoreError> {
        let from = if inclusive {
            tick
        } else {
            tick.saturating_add(1)
        };
        let claim = compact::first_seq_from(&self.conn, tick, inclusive).map_err(db(&self.path))?;
        if let Some(reason) =
            compact::check_claim(&self.conn, from, claim).map_err(db(&self.path))?
        {
            return Err(StoreError::BadIndex {
                path: self.path.clone(),
                reason,
            });
        }
        Ok(claim.map_or(i64::MAX, |(_, seq)| seq))
    }

    /// For `lunar verify`: every way the tick index disagrees with the rows (a compact save's
    /// `ticks` table; older schemas index the rows themselves).
    pub fn index_findings(&self) -> Result<Vec<String>, StoreError> {
        if self.schema < 4 {
            return Ok(Vec::new());
        }
        compact::index_findings(&self.conn).map_err(db(&self.path))
    }

    /// The hash of the last row before `seq`, which the row at `seq` must follow.
    fn hash_before(&self, seq: u64) -> Result<[u8; 32], StoreError> {
        let hash: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT hash FROM events WHERE seq < ?1 ORDER BY seq DESC LIMIT 1",
                [signed(seq)],
                |r| r.get(0),
            )
            .optional()
            .map_err(db(&self.path))?;
        Ok(hash.and_then(|h| self.carried(&h)).unwrap_or(GENESIS))
    }

    /// Reads rows in order, checking each against the chain, and hands each event on. With
    /// `breaks`, a row off the chain is noted there and reading goes on; without, it is an error.
    /// A row is checked against the row before it in the log: the previous row read when that is
    /// the one, else looked up, so any selection of rows is checked alike.
    ///
    /// Hashing costs about as much as reading, so a long read copies rows out in batches and a
    /// second thread checks and decodes each batch while this one reads the next and hands on
    /// the one before; nothing of a batch is handed on before its verdict. A short read (every
    /// seek) stays on this thread.
    fn visit_rows<T: Send>(
        &self,
        rows: &mut rusqlite::Rows<'_>,
        mut breaks: Option<&mut Vec<u64>>,
        decode: fn(&Path, RowRef<'_>) -> Result<T, StoreError>,
        visit: &mut dyn FnMut(T),
    ) -> Result<(), StoreError> {
        if self.schema < 2 {
            while let Some(row) = rows.next().map_err(db(&self.path))? {
                let (stored, _) = self.raw_row(row)?;
                visit(decode(&self.path, stored)?);
            }
            return Ok(());
        }
        let mut previous = None;
        let (first, failed) = self.read_batch(rows, &mut previous);
        if first.len() < BATCH_ROWS {
            let decoded = Self::decode_batch(&self.path, &first, decode);
            self.hand_on(&first, decoded, &first.off_chain(), breaks, visit)?;
            return failed.map_or(Ok(()), Err);
        }
        std::thread::scope(|scope| {
            let (to_checker, unchecked) = mpsc::sync_channel::<Arc<Batch>>(1);
            let (to_reader, verdicts) = mpsc::sync_channel(1);
            let path = self.path.clone();
            scope.spawn(move || {
                for batch in unchecked {
                    let checked = (batch.off_chain(), Self::decode_batch(&path, &batch, decode));
                    if to_reader.send(checked).is_err() {
                        break;
                    }
                }
            });
            let first = Arc::new(first);
            let _ = to_checker.send(Arc::clone(&first));
            let mut current = (first, failed);
            loop {
                let (batch, failed) = current;
                let more = failed.is_none() && batch.len() == BATCH_ROWS;
                let next = more.then(|| {
                    let (next, failed) = self.read_batch(rows, &mut previous);
                    let next = Arc::new(next);
                    let _ = to_checker.send(Arc::clone(&next));
                    (next, failed)
                });
                // A checker that is gone (it cannot fail, but if it did) leaves the work here.
                let (off_chain, decoded) = verdicts.recv().unwrap_or_else(|_| {
                    let decoded = Self::decode_batch(&self.path, &batch, decode);
                    (batch.off_chain(), decoded)
                });
                self.hand_on(&batch, decoded, &off_chain, breaks.as_deref_mut(), visit)?;
                if let Some(e) = failed {
                    return Err(e);
                }
                match next {
                    Some(next) => current = next,
                    None => return Ok(()),
                }
            }
        })
    }

    /// Reads up to [`BATCH_ROWS`] rows, each with the hash it must follow. A row that cannot be
    /// read ends the batch, and its error comes after the rows before it.
    fn read_batch(
        &self,
        rows: &mut rusqlite::Rows<'_>,
        previous: &mut Option<(u64, [u8; 32])>,
    ) -> (Batch, Option<StoreError>) {
        let mut batch = Batch::with_capacity(
            BATCH_ROWS,
            self.schema,
            self.game.get(),
            Arc::clone(&self.dictionary.borrow()),
        );
        let mut hashed = Hashed::default();
        while batch.len() < BATCH_ROWS {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => return (batch, Some(db(&self.path)(e))),
            };
            let read = if self.schema >= 4 {
                self.compact_row(row, &mut hashed)
            } else {
                self.raw_row(row)
                    .map(|(stored, carried)| (stored, carried, None))
            };
            let (stored, carried, names) = match read {
                Ok(read) => read,
                Err(e) => return (batch, Some(e)),
            };
            let follows = match *previous {
                Some((seq, hash)) if seq + 1 == stored.seq => hash,
                _ => match self.hash_before(stored.seq) {
                    Ok(hash) => hash,
                    Err(e) => return (batch, Some(e)),
                },
            };
            *previous = Some((stored.seq, carried.unwrap_or(GENESIS)));
            if names.is_some() && !Arc::ptr_eq(&batch.dictionary, &self.dictionary.borrow()) {
                // The dictionary grew for this row: the batch names rows by the newest.
                batch.dictionary = Arc::clone(&self.dictionary.borrow());
            }
            batch.push(&stored, names, carried, follows);
        }
        (batch, None)
    }

    /// Decodes a batch's rows in order, up to the first that will not decode.
    fn decode_batch<T>(
        path: &Path,
        batch: &Batch,
        decode: fn(&Path, RowRef<'_>) -> Result<T, StoreError>,
    ) -> (Vec<T>, Option<StoreError>) {
        let mut decoded = Vec::with_capacity(batch.len());
        for index in 0..batch.len() {
            match decode(path, batch.row(index)) {
                Ok(value) => decoded.push(value),
                Err(e) => return (decoded, Some(e)),
            }
        }
        (decoded, None)
    }

    /// Hands on a batch's decoded events as reading them one by one would: a row off the chain
    /// (`off_chain`, indexes in order) is an error before it or anything after it is used, or,
    /// with `breaks`, is noted there; a row that would not decode is an error after the rows
    /// before it, and no row after it was reached.
    fn hand_on<T>(
        &self,
        batch: &Batch,
        (decoded, undecodable): (Vec<T>, Option<StoreError>),
        off_chain: &[usize],
        breaks: Option<&mut Vec<u64>>,
        visit: &mut dyn FnMut(T),
    ) -> Result<(), StoreError> {
        let reached = decoded.len();
        let mut off_chain = off_chain.iter().copied().filter(|&i| i <= reached);
        match breaks {
            Some(breaks) => breaks.extend(off_chain.map(|i| batch.seq(i))),
            None => {
                if let Some(first) = off_chain.next() {
                    decoded.into_iter().take(first).for_each(visit);
                    return Err(StoreError::Tampered {
                        path: self.path.clone(),
                        seq: batch.seq(first),
                    });
                }
            }
        }
        decoded.into_iter().for_each(visit);
        undecodable.map_or(Ok(()), Err)
    }

    /// Streams rows after `after_seq` up to `to_tick`, decoded by `decode`.
    fn scan_with<T: Send>(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        decode: fn(&Path, RowRef<'_>) -> Result<T, StoreError>,
        visit: &mut dyn FnMut(T),
    ) -> Result<(), StoreError> {
        let (filter, to) = if self.schema >= 4 {
            let range = TickRange {
                from: None,
                to: to_tick,
            };
            ("seq > ?1 AND seq < ?2", self.seqs_of(range)?.1)
        } else {
            ("seq > ?1 AND tick <= ?2", to_tick.map_or(i64::MAX, signed))
        };
        let mut stmt = self
            .conn
            .prepare_cached(&self.select(filter))
            .map_err(db(&self.path))?;
        let mut rows = stmt
            .query(params![signed(after_seq), to])
            .map_err(db(&self.path))?;
        self.visit_rows(&mut rows, None, decode, visit)
    }

    /// For `lunar verify`: every event in order, streamed, and the rows that break the hash
    /// chain (none for a schema 1 save, which has no chain), without stopping at the first.
    pub fn scan_for_audit(
        &self,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<Vec<u64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&self.select("1"))
            .map_err(db(&self.path))?;
        let mut rows = stmt.query([]).map_err(db(&self.path))?;
        let mut breaks = Vec::new();
        self.visit_rows(&mut rows, Some(&mut breaks), Self::decode, visit)?;
        Ok(breaks)
    }

    /// A row's hash, in hex, for a keyframe cache to check against; `None` without a chain.
    pub fn mark_at(&self, seq: u64) -> Option<String> {
        if self.schema < 2 {
            return None;
        }
        self.conn
            .query_row(
                "SELECT hex(hash) FROM events WHERE seq = ?1",
                [signed(seq)],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
    }

    /// The schema the file was written with.
    pub fn schema(&self) -> i64 {
        self.schema
    }

    /// The schema the file claims, when that is lower than the one its rows were written with.
    pub fn lowered_schema(&self) -> Option<i64> {
        (self.declared < self.schema).then_some(self.declared)
    }

    /// The last row's sequence number and hash (hex), which stand for the whole log: two copies
    /// with the same head hold the same events. `None` for an empty log or one with no chain.
    pub fn head(&self) -> Result<Option<(u64, String)>, StoreError> {
        let last = self.last_seq()?;
        Ok(self.mark_at(last).map(|h| (last, h)))
    }

    fn raw_row<'r>(
        &self,
        row: &'r rusqlite::Row<'_>,
    ) -> Result<(RowRef<'r>, Option<[u8; 32]>), StoreError> {
        let seq: i64 = row.get(0).map_err(db(&self.path))?;
        let seq = u64::try_from(seq).unwrap_or(0);
        let corrupt = |reason: String| StoreError::Corrupt {
            path: self.path.clone(),
            seq,
            reason,
        };
        let text = |i: usize| -> Result<&'r [u8], StoreError> {
            match row.get_ref(i) {
                Ok(rusqlite::types::ValueRef::Text(bytes)) => Ok(bytes),
                Ok(other) => Err(corrupt(format!(
                    "column {i} holds {:?}, not text",
                    other.data_type()
                ))),
                Err(e) => Err(corrupt(format!("column {i}: {e}"))),
            }
        };
        let unsigned = |i: usize, name: &str| -> Result<u64, StoreError> {
            row.get::<_, i64>(i)
                .ok()
                .and_then(|v| u64::try_from(v).ok())
                .ok_or_else(|| corrupt(format!("{name} is not a whole number")))
        };
        let stored = RowRef {
            schema: self.schema,
            game: None,
            seq,
            id: text(1)?,
            stream: text(2)?,
            version: unsigned(3, "version")?,
            event_type: text(4)?,
            tick: unsigned(5, "tick")?,
            data: text(6)?,
            metadata: text(7)?,
            command: &[],
        };
        let hash = if self.schema >= 2 {
            row.get_ref(8)
                .ok()
                .and_then(|v| v.as_blob().ok())
                .and_then(|h| self.carried(h))
        } else {
            None
        };
        Ok((stored, hash))
    }

    /// The event alone, checked against its tick column: all a fold needs.
    fn decode_fact(path: &Path, row: RowRef<'_>) -> Result<Fact, StoreError> {
        let event = Self::decode_event(path, &row)?;
        Ok(Fact {
            seq: row.seq,
            version: row.version,
            event,
        })
    }

    fn decode_event(path: &Path, row: &RowRef<'_>) -> Result<Event, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            path: path.to_owned(),
            seq: row.seq,
            reason,
        };
        let event_type = std::str::from_utf8(row.event_type)
            .map_err(|e| corrupt(format!("type is not text: {e}")))?;
        let stream = std::str::from_utf8(row.stream)
            .map_err(|e| corrupt(format!("stream is not text: {e}")))?;
        let subject = Subject::id_in_stream(stream).unwrap_or_default();
        let event = Event::decode_compact(event_type, subject, row.tick, row.data).map_err(
            |e| match e {
                DecodeError::UnknownType(event_type) => StoreError::UnknownEvent {
                    path: path.to_owned(),
                    seq: row.seq,
                    event_type,
                },
                DecodeError::BadData { .. } => corrupt(e.to_string()),
            },
        )?;
        if event.tick() != row.tick {
            return Err(corrupt(format!(
                "its tick column says {} but its data says {}",
                row.tick,
                event.tick()
            )));
        }
        Ok(event)
    }

    fn decode(path: &Path, row: RowRef<'_>) -> Result<RecordedEvent, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            path: path.to_owned(),
            seq: row.seq,
            reason,
        };
        let (id, metadata) = if row.schema >= 4 {
            compact::unpack(row.id, row.metadata, row.command, row.game, row.seq)
                .map_err(corrupt)?
        } else {
            let id = Uuid::try_parse_ascii(row.id).map_err(|e| corrupt(format!("id: {e}")))?;
            let metadata: Metadata = serde_json::from_slice(row.metadata)
                .map_err(|e| corrupt(format!("metadata: {e}")))?;
            (id, metadata)
        };
        let event = Self::decode_event(path, &row)?;
        let stream = std::str::from_utf8(row.stream)
            .map_err(|e| corrupt(format!("stream is not text: {e}")))?;
        Ok(RecordedEvent {
            seq: row.seq,
            id,
            stream: stream.to_owned(),
            version: row.version,
            event,
            metadata,
        })
    }
}

/// Refuses what cannot be a save before SQLite is asked to open it: nothing there, a
/// directory, an empty file.
fn check_file(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Err(_) => Err(StoreError::NotFound { path: path.into() }),
        Ok(m) if !m.is_file() => Err(StoreError::NotAFile { path: path.into() }),
        Ok(m) if m.len() == 0 => Err(StoreError::NotASave {
            path: path.into(),
            reason: "the file is empty".into(),
        }),
        Ok(_) => Ok(()),
    }
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

/// Refuses, before anything is opened, a save that could be read but not played on: the file,
/// or the folder its write-ahead log goes in, cannot be written by this user.
fn check_writable(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::ffi::OsStrExt;
    let writable = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            // SAFETY: a NUL-terminated path; access only reads it.
            .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
    };
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if writable(path) && writable(folder) {
        return Ok(());
    }
    Err(StoreError::Database {
        path: path.into(),
        reason: format!(
            "the save cannot be written here: {}",
            std::io::Error::from_raw_os_error(libc::EACCES)
        ),
    })
}

fn max_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let max: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
    Ok(u64::try_from(max).unwrap_or(0))
}

impl EventReader for SqliteStore {
    fn scan_range(
        &self,
        range: TickRange,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        let (filter, from, to) = if self.schema >= 4 {
            let (from, to) = self.seqs_of(range)?;
            ("seq >= ?1 AND seq < ?2", from, to)
        } else {
            (
                "tick >= ?1 AND tick <= ?2",
                range.from.map_or(i64::MIN, signed),
                range.to.map_or(i64::MAX, signed),
            )
        };
        let mut stmt = self
            .conn
            .prepare_cached(&self.select(filter))
            .map_err(db(&self.path))?;
        let mut rows = stmt.query(params![from, to]).map_err(db(&self.path))?;
        self.visit_rows(&mut rows, None, Self::decode, visit)
    }

    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        self.scan_with(after_seq, to_tick, Self::decode, visit)
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        max_seq(&self.conn).map_err(db(&self.path))
    }

    fn tick_at(&self, seq: u64) -> Result<Option<Tick>, StoreError> {
        let tick: Option<i64> = self
            .conn
            .prepare_cached("SELECT tick FROM events WHERE seq = ?1")
            .and_then(|mut stmt| stmt.query_row([signed(seq)], |r| r.get(0)).optional())
            .map_err(db(&self.path))?;
        Ok(tick.and_then(|t| u64::try_from(t).ok()))
    }

    fn read_stream(
        &self,
        stream: &str,
        to_tick: Option<Tick>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = Vec::new();
        if self.schema >= 4 {
            let Some(id) = self.stream_id(stream)? else {
                return Ok(events);
            };
            let range = TickRange {
                from: None,
                to: to_tick,
            };
            let to = self.seqs_of(range)?.1;
            let mut stmt = self
                .conn
                .prepare_cached(&self.select("stream = ?1 AND seq < ?2"))
                .map_err(db(&self.path))?;
            let mut rows = stmt.query(params![id, to]).map_err(db(&self.path))?;
            self.visit_rows(&mut rows, None, Self::decode, &mut |e| events.push(e))?;
            return Ok(events);
        }
        let mut stmt = self
            .conn
            .prepare_cached(&self.select("stream = ?1 AND tick <= ?2"))
            .map_err(db(&self.path))?;
        let to = to_tick.map_or(i64::MAX, signed);
        let mut rows = stmt.query(params![stream, to]).map_err(db(&self.path))?;
        self.visit_rows(&mut rows, None, Self::decode, &mut |e| events.push(e))?;
        Ok(events)
    }

    fn scan_facts(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        self.scan_with(after_seq, to_tick, Self::decode_fact, visit)
    }
}

impl EventStore for SqliteStore {
    fn append(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError> {
        self.write_ahead()?;
        let tx = self.conn.unchecked_transaction().map_err(db(&self.path))?;
        let game = self.game.get();
        let done = self
            .insert(&tx, events)
            .and_then(|()| tx.commit().map_err(db(&self.path)));
        if done.is_err() {
            self.forget_since(game);
        }
        done
    }
}

impl SqliteStore {
    /// Inserts events in the open transaction in the file's schema.
    fn insert(&self, tx: &Connection, events: &[RecordedEvent]) -> Result<(), StoreError> {
        if self.schema < 4 {
            return insert_events(tx, &self.path, self.schema, events);
        }
        let tail = match self.tail.get() {
            Some(tail) => tail,
            None => {
                let seq = max_seq(tx).map_err(db(&self.path))?;
                // The log's last tick is its last row's; the index must agree before anything
                // is added to it.
                let tick = compact::tick_of(tx, signed(seq)).map_err(db(&self.path))?;
                let indexed = compact::last_tick(tx).map_err(db(&self.path))?;
                if indexed != tick {
                    let says = indexed.map_or("no tick".into(), |t| format!("tick {t}"));
                    let is = tick.map_or("no tick".into(), |t| format!("tick {t}"));
                    return Err(StoreError::BadIndex {
                        path: self.path.clone(),
                        reason: format!("it ends at {says}; the log ends at {is}"),
                    });
                }
                Tail {
                    seq,
                    hash: self.hash_before(seq + 1)?,
                    tick,
                }
            }
        };
        if let Some(first) = events.first()
            && first.seq != tail.seq + 1
        {
            return Err(StoreError::Conflict {
                reason: format!("event {} does not follow event {}", first.seq, tail.seq),
            });
        }
        let mut previous = tail.hash;
        let mut shared = self.dictionary.borrow_mut();
        let dictionary = Arc::make_mut(&mut shared);
        if dictionary.is_empty() {
            // The one writer keeps its dictionary whole, but one a failed append forgot, or
            // one never read, is read first.
            dictionary.refresh(tx).map_err(db(&self.path))?;
        }
        let mut rows = Vec::with_capacity(events.len());
        for (e, data) in events.iter().zip(compact::encode_all(events)) {
            if let Some(game) = e.event.started_game() {
                record_game(tx, game)?;
                self.game.set(Some(game));
            }
            let (row, hash) = compact::Row::of(e, data, self.game.get(), dictionary, &previous)?;
            previous = hash;
            rows.push((row, hash));
        }
        let firsts = compact::first_rows(tail.tick, rows.iter().map(|(row, _)| row))?;
        compact::insert(tx, dictionary, &rows, &firsts).map_err(|(seq, err)| {
            let at = seq.and_then(|seq| events.iter().find(|e| e.seq == seq));
            match (err.sqlite_error_code(), at) {
                (Some(ErrorCode::ConstraintViolation), Some(e)) => StoreError::Conflict {
                    reason: format!(
                        "{} version {} or event {} is already recorded",
                        e.stream, e.version, e.seq
                    ),
                },
                _ => db(&self.path)(err),
            }
        })?;
        if let Some((row, hash)) = rows.last() {
            self.tail.set(Some(Tail {
                seq: row.seq,
                hash: *hash,
                tick: Some(row.tick),
            }));
        }
        Ok(())
    }

    /// Forgets what a failed append numbered or named: the file never held it.
    fn forget_since(&self, game: Option<GameId>) {
        self.game.set(game);
        self.tail.set(None);
        *self.dictionary.borrow_mut() = Arc::default();
    }
}

/// Records the game a save holds; a save holds one.
fn record_game(tx: &Connection, game: GameId) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('game_id', ?1)",
        params![game.to_string()],
    )
    .map(|_| ())
    .map_err(|err| StoreError::Conflict {
        reason: format!("this save already holds a game: {err}"),
    })
}

/// The last sequence number in the log, which `events` must continue.
fn follows_log(tx: &Connection, path: &Path, events: &[RecordedEvent]) -> Result<u64, StoreError> {
    let last = max_seq(tx).map_err(db(path))?;
    if let Some(first) = events.first()
        && first.seq != last + 1
    {
        return Err(StoreError::Conflict {
            reason: format!("event {} does not follow event {last}", first.seq),
        });
    }
    Ok(last)
}

/// Inserts events in the open transaction, checking they continue the log, and chaining their
/// hashes from the last row's (schema 2).
fn insert_events(
    tx: &Connection,
    path: &Path,
    schema: i64,
    events: &[RecordedEvent],
) -> Result<(), StoreError> {
    let last = follows_log(tx, path, events)?;
    let mut previous = GENESIS;
    if schema >= 2 {
        let last_hash: Option<Vec<u8>> = tx
            .query_row(
                "SELECT hash FROM events WHERE seq = ?1",
                [signed(last)],
                |r| r.get(0),
            )
            .optional()
            .map_err(db(path))?;
        if let Some(hash) = last_hash.and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()) {
            previous = hash;
        }
    }
    let sql = if schema >= 2 {
        "INSERT INTO events (seq, id, stream, version, type, tick, data, metadata, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    } else {
        "INSERT INTO events (seq, id, stream, version, type, tick, data, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    };
    let mut insert = tx.prepare_cached(sql).map_err(db(path))?;
    for e in events {
        let row = Row::of(e)?;
        let values = params![
            signed(row.seq),
            row.id,
            row.stream,
            signed(row.version),
            row.event_type,
            signed(row.tick),
            row.data,
            row.metadata,
        ];
        let inserted = if schema >= 2 {
            let hash = row.hash(&previous);
            previous = hash;
            let mut with_hash: Vec<&dyn rusqlite::ToSql> = values.to_vec();
            with_hash.push(&hash);
            insert.execute(with_hash.as_slice())
        } else {
            insert.execute(values)
        };
        inserted.map_err(|err| match err.sqlite_error_code() {
            Some(ErrorCode::ConstraintViolation) => StoreError::Conflict {
                reason: format!(
                    "{} version {} or event {} is already recorded",
                    e.stream, e.version, e.seq
                ),
            },
            _ => db(path)(err),
        })?;
        if let Event::GameStarted(started) = &e.event {
            record_game(tx, started.game_id)?;
        }
    }
    Ok(())
}
