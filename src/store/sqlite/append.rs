//! Appending to the log, in the file's own schema, and new saves copied from old ones.

use super::{GENESIS, Row, SqliteStore, Tail, db, max_seq};
use crate::domain::fasthash::FastMap;
use crate::domain::ids::{GameId, Tick};
use crate::engine::envelope::RecordedEvent;
use crate::store::compact::{self};
use crate::store::{EventReader, EventStore, StoreError, TickRange, signed};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use std::path::Path;
use std::sync::Arc;

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

/// Records the game a save holds; a save holds one.
pub(super) fn record_game(tx: &Connection, game: GameId) -> Result<(), StoreError> {
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
pub(super) fn follows_log(
    tx: &Connection,
    path: &Path,
    events: &[RecordedEvent],
) -> Result<u64, StoreError> {
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
pub(super) fn insert_events(
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
        if let Some(game) = e.event.started_game() {
            record_game(tx, game)?;
        }
    }
    Ok(())
}

impl SqliteStore {
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

    /// Inserts events in the open transaction in the file's schema.
    pub(super) fn insert(
        &self,
        tx: &Connection,
        events: &[RecordedEvent],
    ) -> Result<(), StoreError> {
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
        self.check_versions(tx, events, &rows)?;
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

    /// Refuses `events` (numbered as `rows`) unless each follows its stream's last version,
    /// and counts them as its last (schema 5, which has no index to refuse them; an append
    /// that fails after this forgets every version it knew, see [`SqliteStore::forget_since`]).
    fn check_versions(
        &self,
        tx: &Connection,
        events: &[RecordedEvent],
        rows: &[(compact::Row, [u8; 32])],
    ) -> Result<(), StoreError> {
        if self.schema < 5 {
            return Ok(());
        }
        let mut known = self.versions.borrow_mut();
        let versions = match &mut *known {
            Some(versions) => versions,
            None => known.insert(compact::versions(tx).map_err(db(&self.path))?),
        };
        let mut after: FastMap<i64, u64> = FastMap::default();
        for (e, (row, _)) in events.iter().zip(rows) {
            let last = after
                .get(&row.stream)
                .or_else(|| versions.get(&row.stream))
                .copied()
                .unwrap_or(0);
            if e.version <= last {
                return Err(StoreError::Conflict {
                    reason: format!(
                        "{} is at version {last}: version {} of event {} is already recorded",
                        e.stream, e.version, e.seq
                    ),
                });
            }
            after.insert(row.stream, e.version);
        }
        versions.extend(after);
        Ok(())
    }

    /// Forgets what a failed append numbered or named: the file never held it.
    pub(super) fn forget_since(&self, game: Option<GameId>) {
        self.game.set(game);
        self.tail.set(None);
        *self.versions.borrow_mut() = None;
        *self.dictionary.borrow_mut() = Arc::default();
    }
}
