//! Schema 4, the compact save: what a row holds once everything derivable is derived; and
//! schema 5, the same rows indexed by stream in a way a tick can add to cheaply.
//!
//! A schema 3 row spelled out its id, stream, type, causation and correlation as text and
//! carried a 32-byte hash, about 560 bytes an event in a robot game. Here an event's id, its
//! causation and its correlation are sequence numbers (the ids are derived from the game id
//! and those, as the engine makes them), streams and the names of types and commands are small
//! integers into tables of their own, the data is the compact form of
//! [`crate::domain::compact`], the tick index is a table of each tick's first row, and the hash
//! chain keeps 8 bytes of each row's SHA-256. What the numbers cannot say (an id the game did
//! not derive, a cause after its event) a row keeps whole, as text in `meta`, so that nothing is
//! ever lost.
//!
//! Schema 4 kept every stream's versions unique with an index on (stream, version). A tick of a
//! thousand robots adds an event to each of hundreds of streams, and each lands at the end of
//! its own stream in that index: every tick rewrote most of the index's pages (206 pages, 850 KB
//! of log a tick at the hundredth tick, and more as the game grew), more than the rows
//! themselves. Schema 5 indexes the streams within runs of 1,024 rows ([`run_of`]): a
//! tick's rows land in one or two runs, a few pages, and reading one stream seeks once a run.
//! The writer keeps each stream's last version itself (see [`versions`]).

use crate::domain::fasthash::FastMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::row::{HASH_BYTES, RowRef, put_varint};
use super::{StoreError, signed};
use crate::cores;
use crate::domain::ids::GameId;
use crate::engine::envelope::{Metadata, RecordedEvent, Source, command_id, derived_seq, event_id};

/// The run of 1,024 rows that the row numbered `$seq` falls in, as SQL: what schema 5's stream
/// index is on, and what a read that seeks it must spell the same way (SQLite uses an index on
/// an expression only for that very expression).
macro_rules! run_of {
    ($seq:literal) => {
        concat!($seq, " >> 10")
    };
}
pub(super) use run_of;

pub(super) const SCHEMA: &str = concat!(
    "
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
        seq     INTEGER PRIMARY KEY,
        stream  INTEGER NOT NULL, -- streams.id
        version INTEGER NOT NULL,
        type    INTEGER NOT NULL, -- names.id
        tick    INTEGER NOT NULL,
        data    TEXT    NOT NULL, -- domain::compact
        meta    BLOB    NOT NULL, -- varints (see Meta), or as text the whole id and metadata
        hash    BLOB    NOT NULL  -- 8 bytes of SHA-256(previous hash, the row resolved)
    );
    -- A stream's rows, run by run of 1,024 rows.
    CREATE INDEX events_by_stream ON events (",
    run_of!("seq"),
    ", stream);
    CREATE TABLE ticks (
        tick      INTEGER PRIMARY KEY,
        first_seq INTEGER NOT NULL
    );
"
);

/// Every stream's last version in the log, by stream number: what a schema 5 writer checks
/// appends against, read once, since no index keeps them.
pub(super) fn versions(conn: &Connection) -> rusqlite::Result<FastMap<i64, u64>> {
    let mut stmt = conn.prepare("SELECT stream, MAX(version) FROM events GROUP BY stream")?;
    let mut rows = stmt.query([])?;
    let mut versions = FastMap::default();
    while let Some(row) = rows.next()? {
        let version = u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0);
        versions.insert(row.get::<_, i64>(0)?, version);
    }
    Ok(versions)
}

/// The columns a read selects, in the order [`read_row`] takes them.
pub(super) const COLUMNS: &str = "seq, stream, version, type, tick, data, meta, hash";

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
#[derive(Default, Clone)]
pub(super) struct Dictionary {
    streams: Table,
    names: Table,
}

#[derive(Default, Clone)]
struct Table {
    by_id: Vec<Option<Box<str>>>,
    ids: FastMap<Box<str>, i64>,
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

    pub(super) fn is_empty(&self) -> bool {
        self.streams.ids.is_empty() && self.names.ids.is_empty()
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
    pub(super) data: String,
    pub(super) meta: Meta,
}

/// How a row keeps its id and metadata. `Numbers` when the game id and sequence number give
/// the ids: unsigned LEB128 varints of the cause (its seq less the root's, plus 1; 0 for
/// none), the root (seq less its root command's first event's seq), the origin (the command's
/// name id * 4 + 0 player, 1 injector, 2 process manager) and the time (milliseconds plus 1;
/// 0 for none), stored as a blob. `Whole` otherwise: the id and metadata as JSON text.
pub(super) enum Meta {
    Numbers(Vec<u8>),
    Whole(String),
}

/// The id and metadata a row keeps whole.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    id: Uuid,
    metadata: Metadata,
}

/// What the chain hashes of a row beyond its columns: the id (derived, or empty when the
/// metadata keeps it) and the metadata tagged 0 (its command's name goes beside it), or tagged
/// 1 when kept whole.
#[derive(Default)]
pub(super) struct Hashed {
    pub(super) id: Vec<u8>,
    pub(super) metadata: Vec<u8>,
}

impl Row {
    /// Numbers `e`'s stream, type and command in `dictionary`, derives what derives from
    /// `game`, and chains the row to `previous`: the row and its hash. `data` is `e`'s compact
    /// data (see [`encode_all`]).
    pub(super) fn of(
        e: &RecordedEvent,
        data: String,
        game: Option<GameId>,
        dictionary: &mut Dictionary,
        previous: &[u8; 32],
    ) -> Result<(Row, [u8; 32]), StoreError> {
        let event_type = e.event.type_name();
        let derived = game.filter(|&g| event_id(g, e.seq) == e.id);
        let (meta, tagged, id, command): (Meta, Vec<u8>, &[u8], &str) = match derived
            .and_then(|g| numbers_of(g, e))
        {
            Some([cause, root, at]) => {
                let origin = dictionary.names.id_of(&e.metadata.command) * 4
                    + source_code(e.metadata.source);
                let mut numbers = Vec::with_capacity(12);
                for n in [cause, root, u64::try_from(origin).unwrap_or_default(), at] {
                    put_varint(&mut numbers, n);
                }
                let tagged = [&[0][..], &numbers].concat();
                (
                    Meta::Numbers(numbers),
                    tagged,
                    e.id.as_bytes(),
                    &e.metadata.command,
                )
            }
            None => {
                let kept = Kept {
                    id: e.id,
                    metadata: e.metadata.clone(),
                };
                let whole = serde_json::to_string(&kept).map_err(|err| StoreError::Conflict {
                    reason: format!("event {} metadata: {err}", e.seq),
                })?;
                let tagged = [&[1][..], whole.as_bytes()].concat();
                (Meta::Whole(whole), tagged, &[], "")
            }
        };
        let hash = RowRef {
            schema: 4,
            game,
            seq: e.seq,
            id,
            stream: e.stream.as_bytes(),
            version: e.version,
            event_type: event_type.as_bytes(),
            tick: e.tick(),
            data: data.as_bytes(),
            metadata: &tagged,
            command: command.as_bytes(),
        }
        .hash(previous);
        let row = Row {
            seq: e.seq,
            stream: dictionary.streams.id_of(&e.stream),
            version: e.version,
            event_type: dictionary.names.id_of(event_type),
            tick: e.tick(),
            data,
            meta,
        };
        Ok((row, hash))
    }
}

/// Each event's compact data. A large append (a tick of a thousand robots) shares the events
/// out over the cores: encoding is a fifth of such an append, and each event's is its own.
pub(super) fn encode_all(events: &[RecordedEvent]) -> Vec<String> {
    /// Events a worker should get at least.
    const SHARED_FROM: usize = 256;
    let encode = |events: &[RecordedEvent]| -> Vec<String> {
        events
            .iter()
            .map(|e| e.event.encode_compact(&e.stream))
            .collect()
    };
    cores::in_order(events, cores::workers(events.len(), SHARED_FROM), encode)
}

/// The cause, root and time as `Meta::Numbers` keeps them, when the ids are the ones `game`
/// derives: the cause is most often the root itself, so most often 1.
fn numbers_of(game: GameId, e: &RecordedEvent) -> Option<[u64; 3]> {
    let m = &e.metadata;
    let root_seq = derived_seq(game, m.correlation_id, true)?;
    let root = e.seq.checked_sub(root_seq)?;
    let cause = match m.causation_id {
        None => 0,
        Some(id) => {
            let cause_seq = derived_seq(game, id, false).filter(|&c| c < e.seq)?;
            cause_seq.checked_sub(root_seq)?.checked_add(1)?
        }
    };
    let at = match m.recorded_at_ms {
        None => 0,
        Some(ms) => ms.checked_add(1)?,
    };
    Some([cause, root, at])
}

/// Takes an unsigned LEB128 varint off the front of `bytes`.
fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// The id and metadata a row's hashed parts say, for the row at `seq` of `game`.
pub(super) fn unpack(
    id: &[u8],
    metadata: &[u8],
    command: &[u8],
    game: Option<GameId>,
    seq: u64,
) -> Result<(Uuid, Metadata), String> {
    match metadata.split_first() {
        Some((1, whole)) => {
            let kept: Kept = serde_json::from_slice(whole).map_err(|e| format!("metadata: {e}"))?;
            Ok((kept.id, kept.metadata))
        }
        Some((0, mut numbers)) => {
            let game = game.ok_or("its ids cannot be derived: the save names no game")?;
            let id = Uuid::from_slice(id).map_err(|e| format!("id: {e}"))?;
            let mut next = || take_varint(&mut numbers).ok_or("its metadata is cut short");
            let (cause, root, origin, at) = (next()?, next()?, next()?, next()?);
            let root = seq
                .checked_sub(root)
                .ok_or_else(|| format!("its root is {root} events back"))?;
            let causation_id = match cause {
                0 => None,
                on => Some(event_id(
                    game,
                    root.checked_add(on - 1)
                        .filter(|&cause| cause < seq)
                        .ok_or_else(|| format!("its cause is {} events after its root", on - 1))?,
                )),
            };
            let source = i64::try_from(origin % 4)
                .ok()
                .and_then(source_of)
                .ok_or("its origin names no source")?;
            let command = std::str::from_utf8(command)
                .map_err(|e| format!("its command is not text: {e}"))?;
            Ok((
                id,
                Metadata {
                    causation_id,
                    correlation_id: command_id(game, root),
                    source,
                    command: command.to_owned(),
                    recorded_at_ms: at.checked_sub(1),
                },
            ))
        }
        _ => Err("its metadata has no tag".into()),
    }
}

/// A row's numbers, and the hash it carries.
pub(super) struct Numbers {
    pub(super) seq: u64,
    pub(super) version: u64,
    pub(super) tick: u64,
    pub(super) carried: Option<[u8; 32]>,
}

/// A stored row's numbers, with its id (derived from `game`) and tagged metadata copied into
/// `into`, and its stream, type and command as numbers for a batch to name. `None` means a
/// number `dictionary` does not hold yet.
pub(super) fn read_row(
    row: &rusqlite::Row<'_>,
    game: Option<GameId>,
    dictionary: &Dictionary,
    into: &mut Hashed,
) -> Result<Option<(Numbers, [i64; 3])>, String> {
    use rusqlite::types::ValueRef;
    let value = |i: usize| row.get_ref(i).map_err(|e| format!("column {i}: {e}"));
    let number = |i: usize, name: &str| match value(i)? {
        ValueRef::Integer(n) => Ok(n),
        _ => Err(format!("its {name} is not a number")),
    };
    let whole = |i: usize, name: &str| {
        u64::try_from(number(i, name)?).map_err(|_| format!("its {name} is negative"))
    };
    let seq = whole(0, "seq")?;
    let version = whole(2, "version")?;
    let tick = whole(4, "tick")?;
    let (stream, event_type) = (number(1, "stream")?, number(3, "type")?);
    into.id.clear();
    into.metadata.clear();
    let command = match value(6)? {
        ValueRef::Blob(numbers) => {
            let mut rest = numbers;
            let origin = (0..3)
                .map(|_| take_varint(&mut rest))
                .last()
                .flatten()
                .ok_or("its metadata is cut short")?;
            let game = game.ok_or("its id cannot be derived: the save names no game")?;
            into.id.extend_from_slice(event_id(game, seq).as_bytes());
            into.metadata.push(0);
            into.metadata.extend_from_slice(numbers);
            i64::try_from(origin / 4).map_err(|_| "its command is not a number".to_owned())?
        }
        ValueRef::Text(whole) => {
            into.metadata.push(1);
            into.metadata.extend_from_slice(whole);
            -1
        }
        other => return Err(format!("its metadata holds {:?}", other.data_type())),
    };
    let known = dictionary.stream(stream).is_some()
        && dictionary.name(event_type).is_some()
        && (command == -1 || dictionary.name(command).is_some());
    if !known {
        return Ok(None);
    }
    let carried = value(7)?.as_blob().ok().and_then(carried);
    Ok(Some((
        Numbers {
            seq,
            version,
            tick,
            carried,
        },
        [stream, event_type, command],
    )))
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

/// The tick of the row at `seq`, if there is one.
pub(super) fn tick_of(conn: &Connection, seq: i64) -> rusqlite::Result<Option<u64>> {
    let tick: Option<i64> = conn
        .prepare_cached("SELECT tick FROM events WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(tick.and_then(|t| u64::try_from(t).ok()))
}

/// What the ticks table claims about where tick `tick` (`inclusive`) or the one after it
/// begins: the first tick at or after it that has rows, and that tick's first row; or nothing,
/// when no row is that late. A claim is only used once [`check_claim`] confirms it.
pub(super) fn first_seq_from(
    conn: &Connection,
    tick: u64,
    inclusive: bool,
) -> rusqlite::Result<Option<(u64, i64)>> {
    let from = if inclusive {
        tick
    } else {
        tick.saturating_add(1)
    };
    let found: Option<(i64, i64)> = conn
        .prepare_cached("SELECT tick, first_seq FROM ticks WHERE tick >= ?1 ORDER BY tick LIMIT 1")?
        .query_row([signed(from)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.map(|(t, seq)| (u64::try_from(t).unwrap_or(u64::MAX), seq)))
}

/// Why the rows contradict a claim of [`first_seq_from`] for ticks from `from`, if they do:
/// the row it names must be of its tick, the row before it of a tick before `from`; with no
/// claim, the last row must be of a tick before `from`.
pub(super) fn check_claim(
    conn: &Connection,
    from: u64,
    claim: Option<(u64, i64)>,
) -> rusqlite::Result<Option<String>> {
    let Some((tick, seq)) = claim else {
        let last: Option<i64> = conn
            .query_row(
                "SELECT tick FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        return Ok(last
            .and_then(|t| u64::try_from(t).ok())
            .filter(|&t| t >= from)
            .map(|t| format!("it has no tick from {from} on, but the log reaches tick {t}")));
    };
    if tick_of(conn, seq)? != Some(tick) {
        return Ok(Some(format!(
            "it says tick {tick} begins at event {seq}, which is not of tick {tick}"
        )));
    }
    let before = tick_of(conn, seq.saturating_sub(1))?;
    Ok(match before {
        Some(t) if t >= from => Some(format!(
            "it says tick {tick} begins at event {seq}, but event {} is of tick {t}",
            seq - 1
        )),
        None if seq > 1 => Some(format!("event {} before tick {tick} is missing", seq - 1)),
        _ => None,
    })
}

/// Every way the ticks table disagrees with the rows: a tick it lacks or names wrongly, or a
/// tick no row has. What `lunar verify` reports of the index.
pub(super) fn index_findings(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut truth = Vec::new();
    let mut stmt = conn.prepare("SELECT seq, tick FROM events ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut last = None;
    while let Some(row) = rows.next()? {
        let (seq, tick): (i64, i64) = (row.get(0)?, row.get(1)?);
        if last != Some(tick) {
            truth.push((tick, seq));
            last = Some(tick);
        }
    }
    let mut index = Vec::new();
    let mut stmt = conn.prepare("SELECT tick, first_seq FROM ticks ORDER BY tick")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        index.push((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?));
    }
    let mut findings = Vec::new();
    let claimed: std::collections::BTreeMap<i64, i64> = index.iter().copied().collect();
    for &(tick, seq) in &truth {
        match claimed.get(&tick) {
            Some(&at) if at == seq => {}
            Some(&at) => findings.push(format!(
                "the tick index says tick {tick} begins at event {at}; it begins at event {seq}"
            )),
            None => findings.push(format!(
                "the tick index lacks tick {tick}, which begins at event {seq}"
            )),
        }
    }
    let real: std::collections::BTreeSet<i64> = truth.iter().map(|(t, _)| *t).collect();
    for (tick, seq) in index {
        if !real.contains(&tick) {
            findings.push(format!(
                "the tick index names tick {tick} (at event {seq}), which no event has"
            ));
        }
    }
    Ok(findings)
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
    let mut insert = insert_row(tx).map_err(|e| (None, e))?;
    for (row, hash) in rows {
        write_row(&mut insert, row, hash).map_err(|e| (Some(row.seq), e))?;
    }
    Ok(())
}

/// Records that `tick`'s first row is `seq`.
pub(super) fn write_tick(tx: &Connection, tick: u64, seq: u64) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO ticks (tick, first_seq) VALUES (?1, ?2)")?
        .execute(params![signed(tick), signed(seq)])
        .map(|_| ())
}

/// The statement [`write_row`] inserts with, prepared once for a transaction's rows.
pub(super) fn insert_row(tx: &Connection) -> rusqlite::Result<rusqlite::CachedStatement<'_>> {
    tx.prepare_cached(
        "INSERT INTO events (seq, stream, version, type, tick, data, meta, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
}

/// Inserts one row with its hash.
pub(super) fn write_row(
    insert: &mut rusqlite::Statement<'_>,
    row: &Row,
    hash: &[u8; 32],
) -> rusqlite::Result<()> {
    let meta: &dyn rusqlite::ToSql = match &row.meta {
        Meta::Numbers(numbers) => numbers,
        Meta::Whole(whole) => whole,
    };
    insert
        .execute(params![
            signed(row.seq),
            row.stream,
            signed(row.version),
            row.event_type,
            signed(row.tick),
            row.data,
            meta,
            &hash[..HASH_BYTES],
        ])
        .map(|_| ())
}
