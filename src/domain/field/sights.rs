//! What one tick's programs look up again and again, worked out once for the field as the
//! tick starts. A thousand robots each asking for the nearest store, charger or deposit used to
//! walk every building comparing kinds by name, and look each tile up in the field's maps; the
//! answers here are lists of tiles and flags by tile, built the first time a program asks.
//!
//! Everything here is derived from the field alone, so a field answers the same with or
//! without it; it is dropped whenever the field changes.

use std::sync::{Arc, OnceLock};

use super::routes::Tile;

/// The lists and maps of one field, by tile row by row where they are maps.
pub struct Sights {
    /// Standing stores (headquarters).
    pub stores: Vec<Tile>,
    /// Standing chargers.
    pub chargers: Vec<Tile>,
    /// Sites with their materials in and work left, each with whether it is urgent.
    pub sites: Vec<(Tile, bool)>,
    /// Working buildings a robot must run (ruleset 2), busy or not.
    pub posts: Vec<Tile>,
    /// What digging each tile would yield (0 for nothing).
    left: Vec<u32>,
    /// Tiles next to a standing store or charger: robots must be able to reach those, so no
    /// robot digs there.
    kept_clear: Vec<bool>,
    /// Tiles a robot stands on.
    occupied: Vec<bool>,
    /// Tiles a robot stands on that did not move the tick before.
    still: Vec<bool>,
    /// Tiles with a pile on them.
    piles: Vec<bool>,
    width: usize,
}

impl Sights {
    /// Nothing seen yet on a map of `width` x `height`: the field fills it in.
    pub fn new(width: u16, height: u16) -> Sights {
        let tiles = usize::from(width) * usize::from(height);
        Sights {
            stores: Vec::new(),
            chargers: Vec::new(),
            sites: Vec::new(),
            posts: Vec::new(),
            left: vec![0; tiles],
            kept_clear: vec![false; tiles],
            occupied: vec![false; tiles],
            still: vec![false; tiles],
            piles: vec![false; tiles],
            width: usize::from(width),
        }
    }

    pub fn set_left(&mut self, at: Tile, left: u32) {
        let i = self.index(at);
        if let Some(tile) = self.left.get_mut(i) {
            *tile = left;
        }
    }

    pub fn keep_clear(&mut self, at: Tile) {
        let i = self.index(at);
        if let Some(tile) = self.kept_clear.get_mut(i) {
            *tile = true;
        }
    }

    /// A robot stands on `at`; `still` when it did not move the tick before.
    pub fn stand(&mut self, at: Tile, still: bool) {
        let i = self.index(at);
        if let (Some(occupied), Some(stood)) = (self.occupied.get_mut(i), self.still.get_mut(i)) {
            *occupied = true;
            *stood = still;
        }
    }

    pub fn pile_on(&mut self, at: Tile) {
        let i = self.index(at);
        if let Some(tile) = self.piles.get_mut(i) {
            *tile = true;
        }
    }

    fn index(&self, at: Tile) -> usize {
        usize::from(at.1) * self.width + usize::from(at.0)
    }

    /// What digging `at` would yield, as [`Field::deposit`] counts it (0 for nothing).
    pub fn left(&self, at: Tile) -> u32 {
        self.left.get(self.index(at)).copied().unwrap_or(0)
    }

    pub fn kept_clear(&self, at: Tile) -> bool {
        self.kept_clear
            .get(self.index(at))
            .copied()
            .unwrap_or(false)
    }

    pub fn occupied(&self, at: Tile) -> bool {
        self.occupied.get(self.index(at)).copied().unwrap_or(false)
    }

    pub fn still(&self, at: Tile) -> bool {
        self.still.get(self.index(at)).copied().unwrap_or(false)
    }

    pub fn pile(&self, at: Tile) -> bool {
        self.piles.get(self.index(at)).copied().unwrap_or(false)
    }
}

/// A field's sights, built on first use and shared by every copy of the field until it changes.
#[derive(Default, Clone)]
pub struct Cached(Arc<OnceLock<Sights>>);

impl Cached {
    /// The sights, built by `build` if nobody has asked since the field last changed.
    pub fn get(&self, build: impl FnOnce() -> Sights) -> &Sights {
        self.0.get_or_init(build)
    }

    /// Lets go of what was built or shared, for a field about to change: a copy made before
    /// the change may still fill the shared cell from what it holds.
    pub fn clear(&mut self) {
        if self.0.get().is_some() || Arc::strong_count(&self.0) > 1 {
            *self = Cached::default();
        }
    }
}
