//! A hasher for maps whose keys the game makes itself (tiles, stream subjects): an add and a
//! multiply a word, mixed once at the end, where the standard library's SipHash spends its
//! time defending against keys chosen to collide, which no one here can choose to any effect.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by the game's own values, hashed by [`Fast`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fast>>;

/// A set of the game's own values, hashed by [`Fast`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<Fast>>;

/// A persistent map (cloned in constant time, as projections are for every frame kept) keyed
/// by the game's own values, hashed by [`Fast`].
pub type FastImMap<K, V> =
    imbl::GenericHashMap<K, V, BuildHasherDefault<Fast>, imbl::shared_ptr::DefaultSharedPtr>;

/// The multiplier of the Fx hash (rustc's): odd, with its bits spread.
const K: u64 = 0xf135_7aea_2e62_a9c5;

#[derive(Default, Clone, Copy)]
pub struct Fast(u64);

impl Fast {
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(K);
    }
}

impl Hasher for Fast {
    fn finish(&self) -> u64 {
        // A multiply carries a word's bits only upwards, so ids that differ in their last
        // byte would differ only in the top bits, and hashbrown picks buckets by the low
        // ones: MurmurHash3's finaliser folds every bit into every other.
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut b = [0; 8];
            b.copy_from_slice(word);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn different_keys_spread_over_the_low_bits_buckets_are_chosen_by() {
        let build = BuildHasherDefault::<Fast>::default();
        let mut buckets = std::collections::BTreeSet::new();
        for x in 0u16..64 {
            for y in 0u16..64 {
                buckets.insert(build.hash_one((x, y)) & 0xfff);
            }
        }
        // 4,096 tiles into 4,096 buckets: a hash that spreads them fills most.
        assert!(buckets.len() > 2_400, "{} buckets", buckets.len());
        let names: std::collections::BTreeSet<u64> = (0..1000)
            .map(|n| build.hash_one(format!("robot-r{n}")) & 0xfff)
            .collect();
        assert!(names.len() > 700, "{} buckets", names.len());
    }
}
