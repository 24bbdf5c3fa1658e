//! Stored rows as the hash chain sees them, and the batches a long read copies them into so
//! that one core checks the chain while the other decodes.

use sha2::{Digest, Sha256};

use std::sync::Arc;

use super::compact::{Dictionary, HASH_BYTES, varint};
use crate::domain::ids::GameId;

/// A stored row borrowed from SQLite's own buffers (or a [`Batch`]) while it is checked and
/// decoded. Text stays bytes until something parses it, so hashing a column never pays for
/// validating it.
pub(super) struct RowRef<'a> {
    /// The schema the row was written in, which says how it is hashed and decoded.
    pub(super) schema: i64,
    /// The game its ids derive from (schema 4).
    pub(super) game: Option<GameId>,
    pub(super) seq: u64,
    pub(super) id: &'a [u8],
    pub(super) stream: &'a [u8],
    pub(super) version: u64,
    pub(super) event_type: &'a [u8],
    pub(super) tick: u64,
    pub(super) data: &'a [u8],
    pub(super) metadata: &'a [u8],
    /// The name of the command a compact row's metadata numbers (schema 4); else empty.
    pub(super) command: &'a [u8],
}

impl RowRef<'_> {
    /// SHA-256 of the previous row's hash and every column, each length-prefixed; from schema
    /// 4, of the previous hash's first 8 bytes and the row resolved, numbers and lengths as
    /// varints, kept to 8 bytes (the rest zeros).
    pub(super) fn hash(&self, previous: &[u8; 32]) -> [u8; 32] {
        if self.schema >= 4 {
            // Numbers and lengths as varints: a row hashes in two SHA-256 blocks, not four.
            let mut h = Sha256::new();
            let number = |h: &mut Sha256, n: u64| {
                let (bytes, len) = varint(n);
                h.update(&bytes[..len]);
            };
            h.update(&previous[..HASH_BYTES]);
            for n in [self.seq, self.version, self.tick] {
                number(&mut h, n);
            }
            let [id, stream, event_type, data, metadata] = self.texts();
            for text in [id, stream, event_type, data] {
                number(&mut h, text.len() as u64);
                h.update(text);
            }
            number(&mut h, (metadata.len() + self.command.len()) as u64);
            h.update(metadata);
            h.update(self.command);
            let mut hash: [u8; 32] = h.finalize().into();
            hash[HASH_BYTES..].fill(0);
            return hash;
        }
        let mut h = Sha256::new();
        h.update(previous);
        h.update(self.seq.to_be_bytes());
        h.update(self.version.to_be_bytes());
        h.update(self.tick.to_be_bytes());
        for text in self.texts() {
            h.update((text.len() as u64).to_be_bytes());
            h.update(text);
        }
        h.finalize().into()
    }

    fn texts(&self) -> [&[u8]; 5] {
        [
            self.id,
            self.stream,
            self.event_type,
            self.data,
            self.metadata,
        ]
    }
}

/// One row of a [`Batch`]: its numbers, the hash it carries, the hash it must follow, and
/// where its texts end in the batch's bytes.
struct Copied {
    seq: u64,
    version: u64,
    tick: u64,
    carried: Option<[u8; 32]>,
    follows: [u8; 32],
    start: usize,
    ends: [usize; 5],
    /// A compact row's stream, type and command as numbers, named when the batch is read
    /// (the command -1 when its metadata is kept whole).
    names: Option<[i64; 3]>,
}

/// Rows copied out of SQLite's buffers into one allocation, so that another thread can check
/// them against the chain while this one decodes them.
pub(super) struct Batch {
    schema: i64,
    game: Option<GameId>,
    /// What a compact row's numbers name.
    pub(super) dictionary: Arc<Dictionary>,
    bytes: Vec<u8>,
    rows: Vec<Copied>,
}

impl Batch {
    pub(super) fn with_capacity(
        rows: usize,
        schema: i64,
        game: Option<GameId>,
        dictionary: Arc<Dictionary>,
    ) -> Batch {
        Batch {
            schema,
            game,
            dictionary,
            bytes: Vec::with_capacity(rows * 512),
            rows: Vec::with_capacity(rows),
        }
    }

    /// Adds `row`, which carries the hash `carried` and must follow `follows`, and whose
    /// stream, type and command are `names` in the batch's dictionary if it is compact.
    pub(super) fn push(
        &mut self,
        row: &RowRef<'_>,
        names: Option<[i64; 3]>,
        carried: Option<[u8; 32]>,
        follows: [u8; 32],
    ) {
        let start = self.bytes.len();
        let mut ends = [0; 5];
        for (end, text) in ends.iter_mut().zip(row.texts()) {
            self.bytes.extend_from_slice(text);
            *end = self.bytes.len();
        }
        self.rows.push(Copied {
            seq: row.seq,
            version: row.version,
            tick: row.tick,
            carried,
            follows,
            start,
            ends,
            names,
        });
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(super) fn seq(&self, index: usize) -> u64 {
        self.rows[index].seq
    }

    pub(super) fn row(&self, index: usize) -> RowRef<'_> {
        let r = &self.rows[index];
        let [id, stream, event_type, data, metadata] = [0, 1, 2, 3, 4].map(|i| {
            let from = if i == 0 { r.start } else { r.ends[i - 1] };
            &self.bytes[from..r.ends[i]]
        });
        let (stream, event_type, command) = match r.names {
            None => (stream, event_type, &[][..]),
            Some([s, t, c]) => {
                let names = &*self.dictionary;
                (
                    names.stream(s).unwrap_or_default().as_bytes(),
                    names.name(t).unwrap_or_default().as_bytes(),
                    names.name(c).unwrap_or_default().as_bytes(),
                )
            }
        };
        RowRef {
            schema: self.schema,
            game: self.game,
            seq: r.seq,
            id,
            stream,
            version: r.version,
            event_type,
            tick: r.tick,
            data,
            metadata,
            command,
        }
    }

    /// The indexes, in order, of the rows whose carried hash is not the one their contents and
    /// the row before them make.
    pub(super) fn off_chain(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| {
                let r = &self.rows[i];
                r.carried != Some(self.row(i).hash(&r.follows))
            })
            .collect()
    }
}
