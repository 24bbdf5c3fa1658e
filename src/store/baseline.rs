//! Raw rusqlite, for `lunar bench` to measure the store against: the same serialized rows in
//! the same tables with the same durability, and nothing of ours in between. Here so that only
//! `store/` touches SQLite.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;
use super::compact::{self, Dictionary, Row, SCHEMA};
use super::sqlite::GENESIS;
use crate::domain::event::Event;
use crate::domain::subject::Subject;
use crate::engine::envelope::RecordedEvent;

/// A row as the save holds it, ready to insert: serialized, with its hash, the names it was
/// the first to use and, if it is its tick's first row, that.
pub struct RawRow {
    row: Row,
    hash: [u8; 32],
    names: Vec<(&'static str, i64, Box<str>)>,
    first_of_tick: bool,
}

/// Serializes and chains events exactly as the store would write them.
pub fn rows_of(events: &[RecordedEvent]) -> Result<Vec<RawRow>, StoreError> {
    let game = events.iter().find_map(|e| e.event.started_game());
    let mut dictionary = Dictionary::default();
    let mut previous = GENESIS;
    let mut last_tick = None;
    events
        .iter()
        .zip(compact::encode_all(events))
        .map(|(e, data)| {
            let (row, hash) = Row::of(e, data, game, &mut dictionary, &previous)?;
            previous = hash;
            let first_of_tick = last_tick != Some(row.tick);
            last_tick = Some(row.tick);
            Ok(RawRow {
                names: dictionary.take_fresh(),
                row,
                hash,
                first_of_tick,
            })
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
    /// A new file with the save's tables, WAL and `synchronous=FULL`.
    pub fn create(path: &Path) -> Result<RawLog, StoreError> {
        let conn = Connection::open(path).map_err(fail(path))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(fail(path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail(path))?;
        conn.execute_batch(SCHEMA).map_err(fail(path))?;
        Ok(RawLog { conn })
    }

    /// Inserts rows in one transaction with prepared statements.
    pub fn insert(&mut self, rows: &[RawRow]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        let mut insert = compact::insert_row(&tx)?;
        for r in rows {
            for (table, id, name) in &r.names {
                compact::write_name(&tx, table, *id, name)?;
            }
            if r.first_of_tick {
                compact::write_tick(&tx, r.row.tick, r.row.seq)?;
            }
            compact::write_row(&mut insert, &r.row, &r.hash)?;
        }
        drop(insert);
        tx.commit()
    }
}

/// Reads every row of a save with one `SELECT` and decodes each payload into its event type;
/// returns how many it decoded.
pub fn select_and_decode(path: &Path) -> Result<u64, StoreError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(fail(path))?;
    let names = |table: &str| -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare(&format!("SELECT id, name FROM {table}"))?;
        let mut names = Vec::new();
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            let id = usize::try_from(id).unwrap_or_default();
            names.resize(names.len().max(id + 1), String::new());
            names[id] = name;
        }
        Ok(names)
    };
    let streams = names("streams").map_err(fail(path))?;
    let types = names("names").map_err(fail(path))?;
    let mut stmt = conn
        .prepare("SELECT stream, type, tick, data FROM events ORDER BY seq")
        .map_err(fail(path))?;
    let mut rows = stmt.query([]).map_err(fail(path))?;
    let mut decoded = 0;
    while let Some(row) = rows.next().map_err(fail(path))? {
        fn name<'t>(table: &'t [String], row: &rusqlite::Row<'_>, i: usize) -> Option<&'t str> {
            let id: i64 = row.get(i).ok()?;
            table.get(usize::try_from(id).ok()?).map(String::as_str)
        }
        let (Some(stream), Some(event_type)) = (name(&streams, row, 0), name(&types, row, 1))
        else {
            continue;
        };
        let tick: i64 = row.get(2).map_err(fail(path))?;
        let tick = u64::try_from(tick).unwrap_or_default();
        let data = row
            .get_ref(3)
            .map_err(fail(path))?
            .as_bytes()
            .unwrap_or_default();
        let subject = Subject::id_in_stream(stream).unwrap_or_default();
        if Event::decode_compact(event_type, subject, tick, data).is_ok() {
            decoded += 1;
        }
    }
    Ok(decoded)
}
