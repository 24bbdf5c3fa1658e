//! Save files made, opened and put to rest: whole or not at all, never through a link, never
//! mistaken for something else.

use super::lock::SaveLock;
use super::partial::{Pending, sweep_partials, temp_path};
use super::{APPLICATION_ID, SCHEMA_VERSION, SqliteStore, db, max_seq};
use crate::store::compact::{self};
use crate::store::{StoreError, signed};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

/// Refuses what cannot be a save before SQLite is asked to open it: nothing there, a
/// directory, an empty file.
pub(super) fn check_file(path: &Path) -> Result<(), StoreError> {
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

/// Refuses, before anything is opened, a save that could be read but not played on: the file,
/// or the folder its write-ahead log goes in, cannot be written by this user.
pub(super) fn check_writable(path: &Path) -> Result<(), StoreError> {
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

    pub(super) fn initialise(path: &Path, lock: SaveLock) -> Result<SqliteStore, StoreError> {
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
            versions: RefCell::default(),
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
    pub(super) fn write_ahead(&self) -> Result<(), StoreError> {
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
    pub(super) fn rest(&self) {
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
    pub(super) fn check_index_tail(&self) -> Result<(), StoreError> {
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

    pub(super) fn open_checked(path: &Path, mode: OpenFlags) -> Result<SqliteStore, StoreError> {
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
            versions: RefCell::default(),
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

    pub(super) fn configure_writer(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(db(&self.path))?;
        self.conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db(&self.path))
    }
}
