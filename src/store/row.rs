//! A stored row as the hash chain sees it: what every schema's reads check before anything
//! is decoded.

use sha2::{Digest, Sha256};

use crate::domain::ids::GameId;

/// Bytes of each row's SHA-256 the chain keeps: forging a row that keeps the chain means
/// finding a second preimage of 64 bits, far beyond anyone editing a save.
pub(super) const HASH_BYTES: usize = 8;

/// Appends `n` as an unsigned LEB128 varint, a byte at a time: most are one byte, for which
/// a copy would cost a call.
pub(super) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

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
        self.hash_with(previous, &mut Vec::new())
    }

    /// [`RowRef::hash`], laying a compact row's bytes out in `scratch` first: one SHA-256 call
    /// over the whole row costs less than a dozen small ones, each of which copies into the
    /// hasher's block buffer (a replay hashes a million rows).
    pub(super) fn hash_with(&self, previous: &[u8; 32], scratch: &mut Vec<u8>) -> [u8; 32] {
        if self.schema >= 4 {
            // Numbers and lengths as varints: a row hashes in two SHA-256 blocks, not four.
            scratch.clear();
            let texts = self.texts();
            // Every varint takes at most 10 bytes; one reservation covers the row.
            let most = texts.iter().map(|t| t.len() + 10).sum::<usize>() + 40;
            scratch.reserve(most + self.command.len());
            scratch.extend_from_slice(&previous[..HASH_BYTES]);
            for n in [self.seq, self.version, self.tick] {
                put_varint(scratch, n);
            }
            let [id, stream, event_type, data, metadata] = texts;
            for text in [id, stream, event_type, data] {
                put_varint(scratch, text.len() as u64);
                scratch.extend_from_slice(text);
            }
            put_varint(scratch, (metadata.len() + self.command.len()) as u64);
            scratch.extend_from_slice(metadata);
            scratch.extend_from_slice(self.command);
            let mut hash: [u8; 32] = Sha256::digest(scratch.as_slice()).into();
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

    pub(super) fn texts(&self) -> [&[u8]; 5] {
        [
            self.id,
            self.stream,
            self.event_type,
            self.data,
            self.metadata,
        ]
    }
}
