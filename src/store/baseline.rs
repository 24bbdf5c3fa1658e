//! Raw rusqlite, for `lunar bench` to measure the store against: the same serialized rows in
//! the same table with the same durability, and nothing of ours in between. Here so that only
//! `store/` touches SQLite.

use std::path::Path;

use rusqlite::{Connection, params};

use super::StoreError;
use super::sqlite::{GENESIS, Row, SCHEMA};
use crate::domain::event::Event;
use crate::engine::envelope::RecordedEvent;

/// A row as the save holds it, ready to insert: serialized, with its hash.
pub struct RawRow {
    row: Row,
    hash: [u8; 32],
}

/// Serializes and chains events exactly as the store would write them.
pub fn rows_of(events: &[RecordedEvent]) -> Result<Vec<RawRow>, StoreError> {
    let mut previous = GENESIS;
    events
        .iter()
        .map(|e| {
            let row = Row::of(e)?;
            let hash = row.hash(&previous);
            previous = hash;
            Ok(RawRow { row, hash })
        })
        .collect()
}

fn fail(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Database {
        path: path.into(),
        reason: e.to_string(),
    }
}

pub struct RawLog {
    conn: Connection,
}

impl RawLog {
    /// A new file with the save's table, WAL and `synchronous=FULL`.
    pub fn create(path: &Path) -> Result<RawLog, StoreError> {
        let conn = Connection::open(path).map_err(fail(path))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(fail(path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail(path))?;
        conn.execute_batch(SCHEMA).map_err(fail(path))?;
        Ok(RawLog { conn })
    }

    /// Inserts rows in one transaction with a prepared statement.
    pub fn insert(&mut self, rows: &[RawRow]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (seq, id, stream, version, type, tick, data, metadata, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in rows {
                let row = &r.row;
                insert.execute(params![
                    row.seq as i64,
                    row.id,
                    row.stream,
                    row.version as i64,
                    row.event_type,
                    row.tick as i64,
                    row.data,
                    row.metadata,
                    r.hash,
                ])?;
            }
        }
        tx.commit()
    }
}

/// Reads every row of a save with one `SELECT` and decodes each payload into its event type;
/// returns how many it decoded.
pub fn select_and_decode(path: &Path) -> Result<u64, StoreError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(fail(path))?;
    let mut stmt = conn
        .prepare("SELECT type, data FROM events ORDER BY seq")
        .map_err(fail(path))?;
    let mut rows = stmt.query([]).map_err(fail(path))?;
    let mut decoded = 0;
    while let Some(row) = rows.next().map_err(fail(path))? {
        let event_type: String = row.get(0).map_err(fail(path))?;
        let data: String = row.get(1).map_err(fail(path))?;
        if Event::decode(&event_type, &data).is_ok() {
            decoded += 1;
        }
    }
    Ok(decoded)
}
