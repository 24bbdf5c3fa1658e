//! The keyframe cache: projections every few hundred ticks, and at the end, saved beside a
//! save (`NAME.lunar.keyframes`) so that opening a long game shows it at once.
//!
//! Derived data only, and never trusted as it is. A cache is read only when it proves that it
//! belongs to exactly this log prefix and that its bytes are intact:
//!
//! - it was made by a build with the same core (a fingerprint of `src/domain`);
//! - the save still holds, at the sequence number the cache ends on, the row hash the cache
//!   recorded there; the hash chain makes that hash stand for every row before it, so the
//!   cache covers this very prefix (schema 1 saves have no chain, so they get no cache);
//! - every part of it carries a SHA-256 of its bytes and of that position, checked when read.
//!
//! Each keyframe also records the sequence number it was folded to, so whoever uses one can
//! check it against the log (`Playback` does). Anything that fails is ignored, never shown, and
//! the next full fold writes a fresh cache. Deleting it costs only time.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{StoreError, signed};
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;

/// Which build's projectors made a cache.
pub const CORE: &str = env!("LUNAR_CORE_FINGERPRINT");

const SCHEMA: &str = "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE keyframes (
        seq         INTEGER PRIMARY KEY,
        tick        INTEGER NOT NULL,
        complete    INTEGER NOT NULL,
        projections BLOB    NOT NULL,
        digest      BLOB    NOT NULL
    );
    CREATE INDEX keyframes_by_tick ON keyframes (complete, tick);
";

pub fn path_for(save: &Path) -> PathBuf {
    let mut name = save.as_os_str().to_owned();
    name.push(".keyframes");
    PathBuf::from(name)
}

/// Where a cache stands in its save's log: the last sequence it covers, and that row's hash.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Position {
    pub seq: u64,
    pub mark: String,
}

/// The projections once every event up to `seq` is folded. `complete` says that `seq` is the
/// last event of `tick`, so the keyframe is the state as of that whole tick; the cache's end
/// state is not complete, since its tick may still be growing.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Keyframe {
    pub seq: u64,
    pub tick: Tick,
    pub complete: bool,
    pub projections: Projections,
}

/// What lies beside a save, as `lunar verify` reports it.
pub enum Inspection {
    Absent,
    /// There is a cache, but it cannot be used, for this reason.
    Unusable(String),
    Usable(KeyframeCache),
}

pub struct KeyframeCache {
    conn: Connection,
    end: Position,
    marks: Vec<(String, Vec<Tick>)>,
}

fn fail(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Database {
        path: path.into(),
        reason: e.to_string(),
    }
}

fn digest(end: &Position, parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in [CORE.as_bytes(), &end.seq.to_be_bytes(), end.mark.as_bytes()]
        .into_iter()
        .chain(parts.iter().copied())
    {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.finalize().to_vec()
}

fn keyframe_digest(end: &Position, seq: u64, tick: Tick, complete: bool, bytes: &[u8]) -> Vec<u8> {
    digest(
        end,
        &[
            &seq.to_be_bytes(),
            &tick.to_be_bytes(),
            &[u8::from(complete)],
            bytes,
        ],
    )
}

impl KeyframeCache {
    /// Opens the cache beside `save` if it proves itself; `mark_at` gives the save's row hash
    /// at a sequence number (none for a save without a chain).
    pub fn open(save: &Path, mark_at: impl Fn(u64) -> Option<String>) -> Option<KeyframeCache> {
        match KeyframeCache::inspect(save, mark_at) {
            Inspection::Usable(cache) => Some(cache),
            Inspection::Absent | Inspection::Unusable(_) => None,
        }
    }

    /// What lies beside `save`, and why a cache there cannot be used.
    pub fn inspect(save: &Path, mark_at: impl Fn(u64) -> Option<String>) -> Inspection {
        let path = path_for(save);
        if std::fs::symlink_metadata(&path).is_err() {
            return Inspection::Absent;
        }
        let unusable = |why: &str| Inspection::Unusable(why.to_owned());
        let Ok(conn) = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) else {
            return unusable("it cannot be opened");
        };
        let meta = |key: &str| -> Option<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .ok()
                .flatten()
        };
        let (Some(core), Some(seq), Some(mark), Some(marks), Some(stamp)) = (
            meta("core"),
            meta("seq").and_then(|s| s.parse::<u64>().ok()),
            meta("mark"),
            meta("marks"),
            meta("digest"),
        ) else {
            return unusable("it is damaged");
        };
        if core != CORE {
            return unusable("another build made it");
        }
        let end = Position { seq, mark };
        match mark_at(seq) {
            None => return unusable("the save has no hash chain, or no row where it ends"),
            Some(m) if m != end.mark => return unusable("it was made from another log"),
            Some(_) => {}
        }
        if hex(&digest(&end, &[marks.as_bytes()])) != stamp {
            return unusable("its contents were changed");
        }
        let Ok(marks) = serde_json::from_str(&marks) else {
            return unusable("it is damaged");
        };
        let cache = KeyframeCache { conn, end, marks };
        if cache.last().is_none() {
            return unusable("its end state is missing or damaged");
        }
        Inspection::Usable(cache)
    }

    /// Writes a new cache beside `save`, replacing any old one. `keyframes` must end with the
    /// state at `at`.
    pub fn write<'a>(
        save: &Path,
        at: &Position,
        keyframes: impl Iterator<Item = (u64, Tick, bool, &'a Projections)>,
        marks: impl Iterator<Item = (&'a str, &'a [Tick])>,
    ) -> Result<(), StoreError> {
        let path = path_for(save);
        let partial = path.with_extension("keyframes-partial");
        let _ = std::fs::remove_file(&partial);
        let mut conn = Connection::open_with_flags(
            &partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NOFOLLOW,
        )
        .map_err(fail(&partial))?;
        let tx = conn.transaction().map_err(fail(&partial))?;
        tx.execute_batch(SCHEMA).map_err(fail(&partial))?;
        let marks: Vec<(&str, &[Tick])> = marks.collect();
        let marks = serde_json::to_string(&marks).map_err(|e| StoreError::Database {
            path: partial.clone(),
            reason: e.to_string(),
        })?;
        let stamp = hex(&digest(at, &[marks.as_bytes()]));
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('core', ?1), ('seq', ?2), ('mark', ?3), \
             ('marks', ?4), ('digest', ?5)",
            params![CORE, at.seq.to_string(), at.mark, marks, stamp],
        )
        .map_err(fail(&partial))?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO keyframes (seq, tick, complete, projections, digest) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(fail(&partial))?;
            for (seq, tick, complete, projections) in keyframes {
                let bytes = serde_json::to_vec(projections).map_err(|e| StoreError::Database {
                    path: partial.clone(),
                    reason: e.to_string(),
                })?;
                let stamp = keyframe_digest(at, seq, tick, complete, &bytes);
                insert
                    .execute(params![signed(seq), signed(tick), complete, bytes, stamp])
                    .map_err(fail(&partial))?;
            }
        }
        tx.commit().map_err(fail(&partial))?;
        drop(conn);
        std::fs::rename(&partial, &path).map_err(|e| StoreError::Database {
            path: path.clone(),
            reason: e.to_string(),
        })
    }

    /// Removes the cache beside `save`, if any: a cache found to disagree with its log. Removing
    /// a name never follows a link.
    pub fn remove(save: &Path) {
        let _ = std::fs::remove_file(path_for(save));
    }

    /// Where the cache ends.
    pub fn end(&self) -> &Position {
        &self.end
    }

    /// The timeline's marks up to where the cache ends: for each event type, its ticks.
    pub fn marks(&self) -> &[(String, Vec<Tick>)] {
        &self.marks
    }

    /// The state at the cache's end, if intact.
    pub fn last(&self) -> Option<Keyframe> {
        self.at_seq(self.end.seq)
    }

    /// The latest whole-tick keyframe at or before `tick`, if intact.
    pub fn at_or_before(&self, tick: Tick) -> Option<Keyframe> {
        self.load(
            "SELECT seq, tick, complete, projections, digest FROM keyframes \
             WHERE complete = 1 AND tick <= ?1 ORDER BY tick DESC LIMIT 1",
            signed(tick),
        )
    }

    /// Every keyframe's sequence number, in order, for checking each against the log.
    pub fn sequences(&self) -> Vec<u64> {
        let Ok(mut stmt) = self.conn.prepare("SELECT seq FROM keyframes ORDER BY seq") else {
            return Vec::new();
        };
        stmt.query_map([], |r| r.get::<_, i64>(0))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|s| u64::try_from(s).ok())
            .collect()
    }

    /// The keyframe folded to `seq`, if intact.
    pub fn at_seq(&self, seq: u64) -> Option<Keyframe> {
        self.load(
            "SELECT seq, tick, complete, projections, digest FROM keyframes WHERE seq = ?1",
            signed(seq),
        )
    }

    fn load(&self, sql: &str, arg: i64) -> Option<Keyframe> {
        let (seq, tick, complete, bytes, stamp): (i64, i64, bool, Vec<u8>, Vec<u8>) = self
            .conn
            .query_row(sql, [arg], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()
            .ok()
            .flatten()?;
        let (seq, tick) = (u64::try_from(seq).ok()?, u64::try_from(tick).ok()?);
        if seq > self.end.seq || keyframe_digest(&self.end, seq, tick, complete, &bytes) != stamp {
            return None;
        }
        let projections: Projections = serde_json::from_slice(&bytes).ok()?;
        (projections.colony.tick == tick).then_some(Keyframe {
            seq,
            tick,
            complete,
            projections,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
