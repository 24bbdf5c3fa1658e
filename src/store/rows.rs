//! The batches a long read copies rows into, so that one core checks the chain while the other
//! decodes.

use std::sync::Arc;

use super::compact::Dictionary;
use super::row::RowRef;
use crate::domain::ids::GameId;

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
        let mut scratch = Vec::with_capacity(1024);
        (0..self.len())
            .filter(|&i| {
                let r = &self.rows[i];
                r.carried != Some(self.row(i).hash_with(&r.follows, &mut scratch))
            })
            .collect()
    }
}
