//! Schema 4, the compact save: what a row holds once everything derivable is derived.
//!
//! A schema 3 row spelled out its id, stream, type, causation and correlation as text and
//! carried a 32-byte hash, about 560 bytes an event in a robot game. Here an event's id, its
//! causation and its correlation are sequence numbers (the ids are derived from the game id
//! and those, as the engine makes them), streams and the names of types and commands are small
//! integers into tables of their own, the data is the compact form of
//! [`crate::domain::compact`], the tick index is a table of each tick's first row, and the hash
//! chain keeps 8 bytes of each row's SHA-256. What a row cannot say that way (an id the game did
//! not derive, as schema 1 saves have) it keeps whole in `id` and `metadata`, so that nothing is
//! ever lost.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::rows::RowRef;
use super::{StoreError, signed};
use crate::domain::ids::GameId;
use crate::engine::envelope::{Metadata, RecordedEvent, Source, command_id, derived_seq, event_id};

pub(super) const SCHEMA: &str = "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE streams (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE names (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE events (
        seq      INTEGER PRIMARY KEY,
        stream   INTEGER NOT NULL,
        version  INTEGER NOT NULL,
        type     INTEGER NOT NULL,
        tick     INTEGER NOT NULL,
        cause    INTEGER, -- the causing event's seq less the root's; NULL for a root's events
        root     INTEGER, -- seq less the seq of its root command's first event
        origin   INTEGER, -- the command's name id * 4 + 0 player, 1 injector, 2 process manager
        at       INTEGER, -- recorded_at_ms
        data     TEXT    NOT NULL, -- domain::compact
        hash     BLOB    NOT NULL, -- 8 bytes of SHA-256(previous hash, the row resolved)
        id       BLOB,    -- the id, only when the game id and seq do not give it
        metadata TEXT,    -- the whole metadata, only when the four columns above cannot say it
        UNIQUE (stream, version)
    );
    CREATE TABLE ticks (
        tick      INTEGER PRIMARY KEY,
        first_seq INTEGER NOT NULL
    );
";

/// The columns a read selects, in the order [`read_row`] takes them.
pub(super) const COLUMNS: &str =
    "seq, stream, version, type, tick, cause, root, origin, at, data, hash, id, metadata";

/// Bytes of each row's SHA-256 the chain keeps: forging a row that keeps the chain means
/// finding a second preimage of 64 bits, far beyond anyone editing a save.
pub(super) const HASH_BYTES: usize = 8;

/// How a source is numbered in `origin`, beside its command's name: `name id * 4 + code`.
fn source_code(source: Source) -> i64 {
    match source {
        Source::Player => 0,
        Source::Injector => 1,
        Source::ProcessManager => 2,
    }
}

fn source_of(code: i64) -> Option<Source> {
    match code {
        0 => Some(Source::Player),
        1 => Some(Source::Injector),
        2 => Some(Source::ProcessManager),
        _ => None,
    }
}

/// The streams and names a save has numbered, both ways.
#[derive(Default)]
pub(super) struct Dictionary {
    streams: Table,
    names: Table,
}

#[derive(Default)]
struct Table {
    by_id: Vec<Option<Box<str>>>,
    ids: HashMap<Box<str>, i64>,
    /// Numbered here but not yet written to the file.
    fresh: Vec<(i64, Box<str>)>,
}

impl Table {
    fn get(&self, id: i64) -> Option<&str> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.by_id.get(i))
            .and_then(|name| name.as_deref())
    }

    fn add(&mut self, id: i64, name: &str) {
        let Ok(index) = usize::try_from(id) else {
            return;
        };
        if self.by_id.len() <= index {
            self.by_id.resize(index + 1, None);
        }
        self.by_id[index] = Some(name.into());
        self.ids.insert(name.into(), id);
    }

    fn next_id(&self) -> i64 {
        (self.by_id.len() as i64).max(1)
    }

    fn load(&mut self, conn: &Connection, table: &str) -> rusqlite::Result<()> {
        let after = self.by_id.len().saturating_sub(1) as i64;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, name FROM {table} WHERE id > ?1 ORDER BY id"
        ))?;
        let mut rows = stmt.query([after])?;
        while let Some(row) = rows.next()? {
            self.add(row.get(0)?, &row.get::<_, String>(1)?);
        }
        Ok(())
    }

    /// The id of `name`, numbering it if new.
    fn id_of(&mut self, name: &str) -> i64 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.next_id();
        self.add(id, name);
        self.fresh.push((id, name.into()));
        id
    }
}

impl Dictionary {
    /// Reads what the file numbered since this was last read: a reader following a writer
    /// meets streams that were new after it opened.
    pub(super) fn refresh(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.streams.load(conn, "streams")?;
        self.names.load(conn, "names")
    }

    pub(super) fn stream(&self, id: i64) -> Option<&str> {
        self.streams.get(id)
    }

    pub(super) fn name(&self, id: i64) -> Option<&str> {
        self.names.get(id)
    }

    pub(super) fn stream_id(&self, name: &str) -> Option<i64> {
        self.streams.ids.get(name).copied()
    }

    /// What was numbered since this was last asked, as `(table, id, name)`, to be written.
    pub(super) fn take_fresh(&mut self) -> Vec<(&'static str, i64, Box<str>)> {
        let streams = self
            .streams
            .fresh
            .drain(..)
            .map(|(id, n)| ("streams", id, n));
        let names = self.names.fresh.drain(..).map(|(id, n)| ("names", id, n));
        streams.chain(names).collect()
    }

    /// Writes what was numbered since the last write, within the caller's transaction.
    pub(super) fn write_fresh(&mut self, tx: &Connection) -> rusqlite::Result<()> {
        for (table, id, name) in self.take_fresh() {
            write_name(tx, table, id, &name)?;
        }
        Ok(())
    }
}

/// Records that `id` numbers `name` in `table` (`streams` or `names`).
pub(super) fn write_name(
    tx: &Connection,
    table: &str,
    id: i64,
    name: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!("INSERT INTO {table} (id, name) VALUES (?1, ?2)"))?
        .execute(params![id, name])
        .map(|_| ())
}

/// One event as a schema 4 row, ready to insert.
pub(crate) struct Row {
    pub(super) seq: u64,
    pub(super) stream: i64,
    pub(super) version: u64,
    pub(super) event_type: i64,
    pub(super) tick: u64,
    pub(super) cause: Option<i64>,
    pub(super) root: Option<i64>,
    pub(super) origin: Option<i64>,
    pub(super) at: Option<i64>,
    pub(super) data: String,
    /// The id, when it is not the one the game id and sequence number give.
    pub(super) id: Option<[u8; 16]>,
    /// The whole metadata, when the columns above cannot say it.
    pub(super) metadata: Option<String>,
    /// What the chain hashes, resolved: the id, the stream's and type's names, the metadata.
    hashed: Hashed,
}

/// A row's parts as the chain sees them, whatever the columns they were stored in.
#[derive(Default)]
pub(super) struct Hashed {
    pub(super) id: [u8; 16],
    pub(super) stream: String,
    pub(super) event_type: String,
    pub(super) metadata: Vec<u8>,
}

impl Row {
    /// Numbers `e`'s stream, type and command in `dictionary` and derives what derives from
    /// `game`.
    pub(super) fn of(
        e: &RecordedEvent,
        game: Option<GameId>,
        dictionary: &mut Dictionary,
    ) -> Result<Row, StoreError> {
        let event_type = e.event.type_name();
        let stream = dictionary.streams.id_of(&e.stream);
        let type_id = dictionary.names.id_of(event_type);
        let derived = game.map(|g| event_id(g, e.seq));
        let id = (derived != Some(e.id)).then(|| *e.id.as_bytes());
        let mut row = Row {
            seq: e.seq,
            stream,
            version: e.version,
            event_type: type_id,
            tick: e.tick(),
            cause: None,
            root: None,
            origin: None,
            at: None,
            data: e.event.encode_compact(&e.stream),
            id,
            metadata: None,
            hashed: Hashed {
                id: *e.id.as_bytes(),
                stream: e.stream.clone(),
                event_type: event_type.to_owned(),
                metadata: Vec::new(),
            },
        };
        match game.and_then(|g| columns_of(g, e)) {
            Some((cause, root, at)) => {
                let command = dictionary.names.id_of(&e.metadata.command);
                row.cause = cause;
                row.root = Some(root);
                row.origin = Some(command * 4 + source_code(e.metadata.source));
                row.at = at;
                row.hashed.metadata = pack(cause, root, e.metadata.source, at, &e.metadata.command);
            }
            None => {
                let whole =
                    serde_json::to_string(&e.metadata).map_err(|err| StoreError::Conflict {
                        reason: format!("event {} metadata: {err}", e.seq),
                    })?;
                row.hashed.metadata = whole.clone().into_bytes();
                row.metadata = Some(whole);
            }
        }
        Ok(row)
    }

    pub(super) fn as_ref(&self, game: Option<GameId>) -> RowRef<'_> {
        RowRef {
            schema: 4,
            game,
            seq: self.seq,
            id: &self.hashed.id,
            stream: self.hashed.stream.as_bytes(),
            version: self.version,
            event_type: self.hashed.event_type.as_bytes(),
            tick: self.tick,
            data: self.data.as_bytes(),
            metadata: &self.hashed.metadata,
        }
    }
}

/// The metadata columns when the ids are the ones `game` derives: the root as a distance
/// back, the cause as a distance on from the root (most often 0, which SQLite stores in no
/// bytes at all), the time.
fn columns_of(game: GameId, e: &RecordedEvent) -> Option<(Option<i64>, i64, Option<i64>)> {
    let m = &e.metadata;
    let root_seq = derived_seq(game, m.correlation_id, true)?;
    let root = i64::try_from(e.seq.checked_sub(root_seq)?).ok()?;
    let cause = match m.causation_id {
        None => None,
        Some(id) => {
            let cause_seq = derived_seq(game, id, false)?;
            (cause_seq < e.seq).then_some(())?;
            Some(i64::try_from(cause_seq.checked_sub(root_seq)?).ok()?)
        }
    };
    let at = match m.recorded_at_ms {
        None => None,
        Some(ms) => Some(i64::try_from(ms).ok()?),
    };
    Some((cause, root, at))
}

/// The metadata columns as the chain hashes them (`metadata` is text, so this starts with a
/// byte no JSON object does).
pub(super) fn pack(
    cause: Option<i64>,
    root: i64,
    source: Source,
    at: Option<i64>,
    command: &str,
) -> Vec<u8> {
    let mut packed = Vec::with_capacity(26 + command.len());
    packed.push(0);
    packed.extend_from_slice(&cause.unwrap_or(-1).to_be_bytes());
    packed.extend_from_slice(&root.to_be_bytes());
    packed.push(source_code(source) as u8);
    packed.extend_from_slice(&at.unwrap_or(-1).to_be_bytes());
    packed.extend_from_slice(command.as_bytes());
    packed
}

/// Reads back what [`pack`] wrote, or the whole metadata a row kept as JSON.
pub(super) fn unpack(packed: &[u8], game: Option<GameId>, seq: u64) -> Result<Metadata, String> {
    if packed.first() == Some(&b'{') {
        return serde_json::from_slice(packed).map_err(|e| format!("metadata: {e}"));
    }
    let game = game.ok_or("its ids cannot be derived: the save names no game")?;
    let number = |at: usize| -> Result<i64, String> {
        packed
            .get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_be_bytes)
            .ok_or_else(|| "its metadata columns are incomplete".to_owned())
    };
    let before = |distance: i64| -> Result<u64, String> {
        u64::try_from(distance)
            .ok()
            .and_then(|d| seq.checked_sub(d))
            .ok_or_else(|| format!("it refers {distance} events back"))
    };
    let root = before(number(9)?)?;
    let causation_id = match number(1)? {
        -1 => None,
        on => Some(event_id(
            game,
            u64::try_from(on)
                .ok()
                .and_then(|on| root.checked_add(on))
                .filter(|&cause| cause < seq)
                .ok_or_else(|| format!("its cause is {on} events after its root"))?,
        )),
    };
    let correlation_id = command_id(game, root);
    let source = packed
        .get(17)
        .and_then(|&code| source_of(i64::from(code)))
        .ok_or("its source is not player, injector or process manager")?;
    let recorded_at_ms = match number(18)? {
        -1 => None,
        ms => Some(u64::try_from(ms).map_err(|_| format!("its time {ms} is negative"))?),
    };
    let command = std::str::from_utf8(packed.get(26..).unwrap_or_default())
        .map_err(|e| format!("its command is not text: {e}"))?;
    Ok(Metadata {
        causation_id,
        correlation_id,
        source,
        command: command.to_owned(),
        recorded_at_ms,
    })
}

/// A row's numbers, and the hash it carries.
pub(super) struct Numbers {
    pub(super) seq: u64,
    pub(super) version: u64,
    pub(super) tick: u64,
    pub(super) carried: Option<[u8; 32]>,
}

/// A stored row's columns made into what the chain hashes and decoding reads, resolving
/// numbers through `dictionary` and deriving the id from `game`. `None` means a stream or name
/// the dictionary does not hold yet.
pub(super) fn read_row(
    row: &rusqlite::Row<'_>,
    game: Option<GameId>,
    dictionary: &Dictionary,
    into: &mut Hashed,
) -> Result<Option<Numbers>, String> {
    let int = |i: usize| -> Result<Option<i64>, String> {
        row.get::<_, Option<i64>>(i)
            .map_err(|e| format!("column {i}: {e}"))
    };
    let whole = |i: usize, name: &str| -> Result<u64, String> {
        int(i)?
            .and_then(|v| u64::try_from(v).ok())
            .ok_or_else(|| format!("{name} is not a whole number"))
    };
    let seq = whole(0, "seq")?;
    let version = whole(2, "version")?;
    let tick = whole(4, "tick")?;
    let (Some(stream), Some(event_type)) = (
        int(1)?.and_then(|id| dictionary.stream(id)),
        int(3)?.and_then(|id| dictionary.name(id)),
    ) else {
        return Ok(None);
    };
    into.stream.clear();
    into.stream.push_str(stream);
    into.event_type.clear();
    into.event_type.push_str(event_type);
    into.id = match row
        .get_ref(11)
        .map_err(|e| e.to_string())?
        .as_blob_or_null()
    {
        Ok(Some(bytes)) => bytes
            .try_into()
            .map_err(|_| "its id is not 16 bytes".to_owned())?,
        Ok(None) => *event_id(
            game.ok_or("its id cannot be derived: the save names no game")?,
            seq,
        )
        .as_bytes(),
        Err(e) => return Err(format!("id: {e}")),
    };
    into.metadata.clear();
    match row.get_ref(12).map_err(|e| e.to_string())? {
        rusqlite::types::ValueRef::Text(json) => into.metadata.extend_from_slice(json),
        rusqlite::types::ValueRef::Null => {
            let origin = int(7)?.ok_or("it has neither metadata nor an origin")?;
            let command = dictionary
                .name(origin / 4)
                .ok_or_else(|| format!("its command {} is not named", origin / 4))?;
            let source = source_of(origin % 4).ok_or("its origin names no source")?;
            let root = int(6)?.ok_or("it has no root")?;
            into.metadata = pack(int(5)?, root, source, int(8)?, command);
        }
        other => return Err(format!("metadata holds {:?}", other.data_type())),
    }
    let carried = row
        .get_ref(10)
        .ok()
        .and_then(|v| v.as_blob().ok())
        .and_then(carried);
    Ok(Some(Numbers {
        seq,
        version,
        tick,
        carried,
    }))
}

/// A stored hash as the chain compares it: its 8 bytes, then zeros.
pub(super) fn carried(stored: &[u8]) -> Option<[u8; 32]> {
    let kept: [u8; HASH_BYTES] = stored.try_into().ok()?;
    let mut hash = [0; 32];
    hash[..HASH_BYTES].copy_from_slice(&kept);
    Some(hash)
}

/// The first row of each tick after `last_tick` among `rows`, which must not go back in time:
/// the ticks table stands in for an index on every row's tick.
pub(super) fn first_rows<'a>(
    mut last_tick: Option<u64>,
    rows: impl IntoIterator<Item = &'a Row>,
) -> Result<Vec<(u64, u64)>, StoreError> {
    let mut firsts = Vec::new();
    for row in rows {
        match last_tick {
            Some(last) if row.tick < last => {
                return Err(StoreError::Conflict {
                    reason: format!(
                        "event {} is at tick {}, after an event at tick {last}",
                        row.seq, row.tick
                    ),
                });
            }
            Some(last) if row.tick == last => {}
            _ => firsts.push((row.tick, row.seq)),
        }
        last_tick = Some(row.tick);
    }
    Ok(firsts)
}

/// The last tick the ticks table holds.
pub(super) fn last_tick(conn: &Connection) -> rusqlite::Result<Option<u64>> {
    let tick: Option<i64> = conn
        .query_row("SELECT MAX(tick) FROM ticks", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(tick.and_then(|t| u64::try_from(t).ok()))
}

/// The first sequence number at or after `tick` (`inclusive`) or after it, or past the end.
pub(super) fn first_seq_from(
    conn: &Connection,
    tick: u64,
    inclusive: bool,
) -> rusqlite::Result<i64> {
    let sql = if inclusive {
        "SELECT first_seq FROM ticks WHERE tick >= ?1 ORDER BY tick LIMIT 1"
    } else {
        "SELECT first_seq FROM ticks WHERE tick > ?1 ORDER BY tick LIMIT 1"
    };
    let seq: Option<i64> = conn
        .prepare_cached(sql)?
        .query_row([signed(tick)], |r| r.get(0))
        .optional()?;
    Ok(seq.unwrap_or(i64::MAX))
}

/// Writes `rows` (each with its hash), the names they numbered and the first row of each new
/// tick, within the caller's transaction. A failure names the row it happened at, if any.
pub(super) fn insert(
    tx: &Connection,
    dictionary: &mut Dictionary,
    rows: &[(Row, [u8; 32])],
    firsts: &[(u64, u64)],
) -> Result<(), (Option<u64>, rusqlite::Error)> {
    dictionary.write_fresh(tx).map_err(|e| (None, e))?;
    for &(tick, seq) in firsts {
        write_tick(tx, tick, seq).map_err(|e| (Some(seq), e))?;
    }
    for (row, hash) in rows {
        write_row(tx, row, hash).map_err(|e| (Some(row.seq), e))?;
    }
    Ok(())
}

/// Records that `tick`'s first row is `seq`.
pub(super) fn write_tick(tx: &Connection, tick: u64, seq: u64) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO ticks (tick, first_seq) VALUES (?1, ?2)")?
        .execute(params![signed(tick), signed(seq)])
        .map(|_| ())
}

/// Inserts one row with its hash.
pub(super) fn write_row(tx: &Connection, row: &Row, hash: &[u8; 32]) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO events (seq, stream, version, type, tick, cause, root, origin, at, data,
                             hash, id, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        signed(row.seq),
        row.stream,
        signed(row.version),
        row.event_type,
        signed(row.tick),
        row.cause,
        row.root,
        row.origin,
        row.at,
        row.data,
        &hash[..HASH_BYTES],
        row.id.as_ref().map(|id| &id[..]),
        row.metadata,
    ])
    .map(|_| ())
}
