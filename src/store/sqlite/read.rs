//! Reading the log: rows checked against the hash chain, in batches a second core checks, and
//! the tick index checked against the rows it points to.

use super::{BATCH_ROWS, GENESIS, RowRead, SqliteStore, db, max_seq};
use crate::domain::event::{DecodeError, Event};
use crate::domain::ids::Tick;
use crate::domain::subject::Subject;
use crate::engine::envelope::{Fact, Metadata, RecordedEvent};
use crate::store::compact::{self, Hashed};
use crate::store::row::RowRef;
use crate::store::rows::Batch;
use crate::store::{EventReader, StoreError, TickRange, signed};
use rusqlite::{OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, mpsc};
use uuid::Uuid;

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
        self.visit_rows(&mut rows, None, Self::decode, None, visit)
    }

    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        self.scan_with(after_seq, to_tick, Self::decode, None, visit)
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
            // Past the log's end there are no runs to seek.
            let end = max_seq(&self.conn).map_err(db(&self.path))?;
            let to = self.seqs_of(range)?.1.min(signed(end).saturating_add(1));
            let sql = if self.schema >= 5 {
                // One seek into the stream index for each run of rows up to the last one
                // wanted: the runs are counted out by a recursive table, and the planner told
                // to take them first.
                format!(
                    "WITH RECURSIVE runs(n) AS \
                     (SELECT 0 UNION ALL SELECT n + 1 FROM runs WHERE n < {last}) \
                     SELECT {columns} FROM runs CROSS JOIN events \
                     ON {run} = runs.n AND stream = ?1 WHERE seq < ?2 ORDER BY seq",
                    last = compact::run_of!("(?2 - 1)"),
                    run = compact::run_of!("seq"),
                    columns = compact::COLUMNS,
                )
            } else {
                self.select("stream = ?1 AND seq < ?2")
            };
            let mut stmt = self.conn.prepare_cached(&sql).map_err(db(&self.path))?;
            let mut rows = stmt.query(params![id, to]).map_err(db(&self.path))?;
            self.visit_rows(&mut rows, None, Self::decode, None, &mut |e| events.push(e))?;
            return Ok(events);
        }
        let mut stmt = self
            .conn
            .prepare_cached(&self.select("stream = ?1 AND tick <= ?2"))
            .map_err(db(&self.path))?;
        let to = to_tick.map_or(i64::MAX, signed);
        let mut rows = stmt.query(params![stream, to]).map_err(db(&self.path))?;
        self.visit_rows(&mut rows, None, Self::decode, None, &mut |e| events.push(e))?;
        Ok(events)
    }

    fn scan_facts(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        self.scan_with(after_seq, to_tick, Self::decode_fact, None, visit)
    }

    fn scan_facts_ahead(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        ahead: &mut (dyn FnMut(&Fact) + Send),
        visit: &mut dyn FnMut(Fact),
    ) -> Result<(), StoreError> {
        self.scan_with(after_seq, to_tick, Self::decode_fact, Some(ahead), visit)
    }
}

impl SqliteStore {
    /// The columns read back, in the order `Row` lists them, then the hash (schema 2), or a
    /// compact row's columns (schema 4).
    pub(super) fn select(&self, filter: &str) -> String {
        let columns = match self.schema {
            4.. => compact::COLUMNS,
            2 | 3 => "seq, id, stream, version, type, tick, data, metadata, hash",
            _ => "seq, id, stream, version, type, tick, data, metadata",
        };
        format!("SELECT {columns} FROM events WHERE {filter} ORDER BY seq")
    }

    /// A stored hash as the chain compares it.
    pub(super) fn carried(&self, stored: &[u8]) -> Option<[u8; 32]> {
        if self.schema >= 4 {
            compact::carried(stored)
        } else {
            stored.try_into().ok()
        }
    }

    /// Reads the streams and names numbered since the dictionary was last read, and the game's
    /// id if the save has named it since.
    pub(super) fn refresh_dictionary(&self) -> Result<(), StoreError> {
        Arc::make_mut(&mut self.dictionary.borrow_mut())
            .refresh(&self.conn)
            .map_err(db(&self.path))?;
        if self.game.get().is_none() {
            self.game.set(self.info()?.game_id);
        }
        Ok(())
    }

    /// A stream's number in a compact save, if it has one.
    pub(super) fn stream_id(&self, stream: &str) -> Result<Option<i64>, StoreError> {
        if let Some(id) = self.dictionary.borrow().stream_id(stream) {
            return Ok(Some(id));
        }
        self.refresh_dictionary()?;
        Ok(self.dictionary.borrow().stream_id(stream))
    }

    /// A compact row as the chain checks it and decoding reads it, its id and metadata in
    /// `hashed`, its stream, type and command as numbers for the batch to name.
    pub(super) fn compact_row<'r>(
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
    pub(super) fn seqs_of(&self, range: TickRange) -> Result<(i64, i64), StoreError> {
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
    pub(super) fn first_seq_from(&self, tick: u64, inclusive: bool) -> Result<i64, StoreError> {
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
    pub(super) fn hash_before(&self, seq: u64) -> Result<[u8; 32], StoreError> {
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
    /// the one before; nothing of a batch is handed on before its verdict. That thread also
    /// shows `ahead` each event `visit` will be handed, once its batch is checked. A short read
    /// (every seek) stays on this thread.
    pub(super) fn visit_rows<T: Send>(
        &self,
        rows: &mut rusqlite::Rows<'_>,
        mut breaks: Option<&mut Vec<u64>>,
        decode: fn(&Path, RowRef<'_>) -> Result<T, StoreError>,
        mut ahead: Option<&mut (dyn FnMut(&T) + Send)>,
        visit: &mut dyn FnMut(T),
    ) -> Result<(), StoreError> {
        if self.schema < 2 {
            while let Some(row) = rows.next().map_err(db(&self.path))? {
                let (stored, _) = self.raw_row(row)?;
                let decoded = decode(&self.path, stored)?;
                if let Some(ahead) = ahead.as_mut() {
                    ahead(&decoded);
                }
                visit(decoded);
            }
            return Ok(());
        }
        let audit = breaks.is_some();
        let mut previous = None;
        let (first, failed) = self.read_batch(rows, &mut previous);
        if first.len() < BATCH_ROWS {
            let decoded = Self::decode_batch(&self.path, &first, decode);
            let off_chain = first.off_chain();
            if let Some(ahead) = ahead {
                show_ahead(&decoded.0, &off_chain, audit, ahead);
            }
            self.hand_on(&first, decoded, &off_chain, breaks, visit)?;
            return failed.map_or(Ok(()), Err);
        }
        std::thread::scope(|scope| {
            let (to_checker, unchecked) = mpsc::sync_channel::<Arc<Batch>>(1);
            let (to_reader, verdicts) = mpsc::sync_channel(1);
            let path = self.path.clone();
            let counting = crate::alloc::counting();
            scope.spawn(move || {
                if counting {
                    crate::alloc::start();
                }
                // Once a batch ends the read with an error, nothing after it is handed on.
                let mut ended = false;
                for batch in unchecked {
                    let (off_chain, decoded) =
                        (batch.off_chain(), Self::decode_batch(&path, &batch, decode));
                    if let Some(ahead) = ahead.as_mut().filter(|_| !ended) {
                        ended = !show_ahead(&decoded.0, &off_chain, audit, ahead)
                            || decoded.1.is_some();
                    }
                    if to_reader.send((off_chain, decoded)).is_err() {
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
                // The checker is gone only if it panicked, and the scope raises that panic
                // again as it ends: nothing here is handed on unchecked.
                let Ok((off_chain, decoded)) = verdicts.recv() else {
                    return Ok(());
                };
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
    pub(super) fn read_batch(
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
    pub(super) fn decode_batch<T>(
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
    pub(super) fn hand_on<T>(
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
    pub(super) fn scan_with<T: Send>(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        decode: fn(&Path, RowRef<'_>) -> Result<T, StoreError>,
        ahead: Option<&mut (dyn FnMut(&T) + Send)>,
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
        self.visit_rows(&mut rows, None, decode, ahead, visit)
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
        self.visit_rows(&mut rows, Some(&mut breaks), Self::decode, None, visit)?;
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

    /// The last row's sequence number and hash (hex), which stand for the whole log: two copies
    /// with the same head hold the same events. `None` for an empty log or one with no chain.
    pub fn head(&self) -> Result<Option<(u64, String)>, StoreError> {
        let last = self.last_seq()?;
        Ok(self.mark_at(last).map(|h| (last, h)))
    }

    pub(super) fn raw_row<'r>(
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
    pub(super) fn decode_fact(path: &Path, row: RowRef<'_>) -> Result<Fact, StoreError> {
        let event = Self::decode_event(path, &row)?;
        Ok(Fact {
            seq: row.seq,
            version: row.version,
            event,
        })
    }

    pub(super) fn decode_event(path: &Path, row: &RowRef<'_>) -> Result<Event, StoreError> {
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

    pub(super) fn decode(path: &Path, row: RowRef<'_>) -> Result<RecordedEvent, StoreError> {
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

/// Shows `ahead` the decoded rows [`SqliteStore::hand_on`] will hand on: all of them when
/// auditing, else those before the first row off the chain. False when a row off the chain
/// ends the read there.
fn show_ahead<T>(
    decoded: &[T],
    off_chain: &[usize],
    audit: bool,
    ahead: &mut (dyn FnMut(&T) + Send),
) -> bool {
    let first_off = off_chain
        .first()
        .copied()
        .filter(|&i| !audit && i <= decoded.len());
    decoded[..first_off.unwrap_or(decoded.len())]
        .iter()
        .for_each(ahead);
    first_off.is_none()
}
