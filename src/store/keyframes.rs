//! The keyframe cache: projections at every few hundred ticks, and at the end, saved beside a
//! save (`NAME.lunar.keyframes`) so that opening a long game shows it at once.
//!
//! Derived data only. It is keyed to the build's core (a fingerprint of `src/domain`) and to the
//! save's row at the end it covers (that row's hash, or its id in a schema 1 save): a cache made
//! by other code, or for a log that has since diverged, is ignored. Deleting it costs only time.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::StoreError;
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;

/// Which build's projectors made a cache.
pub const CORE: &str = env!("LUNAR_CORE_FINGERPRINT");

const SCHEMA: &str = "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE marks (type TEXT PRIMARY KEY, ticks TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE keyframes (
        tick        INTEGER PRIMARY KEY,
        projections TEXT    NOT NULL
    );
";

pub fn path_for(save: &Path) -> PathBuf {
    let mut name = save.as_os_str().to_owned();
    name.push(".keyframes");
    PathBuf::from(name)
}

/// Where a cache stands in its save's log: the last sequence it covers, and that row's mark.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Position {
    pub seq: u64,
    pub mark: String,
}

pub struct KeyframeCache {
    conn: Connection,
    /// The last sequence number the cache covers: its last keyframe's.
    seq: u64,
}

fn fail(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Database {
        path: path.into(),
        reason: e.to_string(),
    }
}

impl KeyframeCache {
    /// Opens the cache beside `save` if one was made by this build for a log still holding
    /// the row it covers; `mark_at` gives the save's mark of a row.
    pub fn open(save: &Path, mark_at: impl Fn(u64) -> Option<String>) -> Option<KeyframeCache> {
        let path = path_for(save);
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        let meta = |key: &str| -> Option<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .ok()
                .flatten()
        };
        let seq: u64 = meta("seq")?.parse().ok()?;
        let fresh = meta("core").as_deref() == Some(CORE) && mark_at(seq) == meta("mark");
        fresh.then_some(KeyframeCache { conn, seq })
    }

    /// Writes a new cache beside `save`, replacing any old one.
    pub fn write<'a>(
        save: &Path,
        at: &Position,
        keyframes: impl Iterator<Item = (Tick, &'a Projections)>,
        marks: impl Iterator<Item = (&'a str, &'a [Tick])>,
    ) -> Result<(), StoreError> {
        let path = path_for(save);
        let partial = path.with_extension("keyframes-partial");
        let _ = std::fs::remove_file(&partial);
        let mut conn = Connection::open(&partial).map_err(fail(&partial))?;
        let tx = conn.transaction().map_err(fail(&partial))?;
        tx.execute_batch(SCHEMA).map_err(fail(&partial))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('core', ?1), ('seq', ?2), ('mark', ?3)",
            params![CORE, at.seq.to_string(), at.mark],
        )
        .map_err(fail(&partial))?;
        for (kind, ticks) in marks {
            let json = serde_json::to_string(ticks).unwrap_or_default();
            tx.execute(
                "INSERT INTO marks (type, ticks) VALUES (?1, ?2)",
                params![kind, json],
            )
            .map_err(fail(&partial))?;
        }
        {
            let mut insert = tx
                .prepare("INSERT OR REPLACE INTO keyframes (tick, projections) VALUES (?1, ?2)")
                .map_err(fail(&partial))?;
            for (tick, projections) in keyframes {
                let json =
                    serde_json::to_string(projections).map_err(|e| StoreError::Database {
                        path: partial.clone(),
                        reason: e.to_string(),
                    })?;
                insert
                    .execute(params![tick as i64, json])
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

    /// The timeline's marks up to where the cache ends: for each event type, its ticks.
    pub fn marks(&self) -> Vec<(String, Vec<Tick>)> {
        let Ok(mut stmt) = self.conn.prepare("SELECT type, ticks FROM marks") else {
            return Vec::new();
        };
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)));
        rows.into_iter()
            .flatten()
            .flatten()
            .filter_map(|(kind, json)| Some((kind, serde_json::from_str(&json).ok()?)))
            .collect()
    }

    /// The last keyframe: the state once every event up to the cache's end was folded, with
    /// the sequence number of that end.
    pub fn last(&self) -> Option<(Tick, u64, Projections)> {
        let (tick, projections) = self.at_or_before(Tick::MAX)?;
        Some((tick, self.seq, projections))
    }

    /// The nearest keyframe at or before `tick`.
    pub fn at_or_before(&self, tick: Tick) -> Option<(Tick, Projections)> {
        let (at, json): (i64, String) = self
            .conn
            .query_row(
                "SELECT tick, projections FROM keyframes WHERE tick <= ?1 \
                 ORDER BY tick DESC LIMIT 1",
                [i64::try_from(tick).unwrap_or(i64::MAX)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ok()
            .flatten()?;
        Some((u64::try_from(at).ok()?, serde_json::from_str(&json).ok()?))
    }
}
