//! What one tick's programs look up again and again, worked out once for the field as the
//! tick starts. A thousand robots each asking for the nearest store, charger or deposit used to
//! walk every building comparing kinds by name, and look each tile up in the field's maps; the
//! answers here are lists of tiles and flags by tile, built the first time a program asks.
//!
//! Everything here is derived from the field alone, so a field answers the same with or
//! without it; it is dropped whenever the field changes.

use std::sync::{Arc, OnceLock};

use super::routes::Tile;
use super::{Field, Structure};

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
    fn of(field: &Field) -> Sights {
        let (width, height) = (usize::from(field.map.width), usize::from(field.map.height));
        let tiles = width * height;
        let index = |at: Tile| usize::from(at.1) * width + usize::from(at.0);
        let rules = &field.robot_rules;
        let standing = |s: &Structure, keep: &dyn Fn(&str) -> bool| !s.site && keep(&s.kind);
        let mut sights = Sights {
            stores: Vec::new(),
            chargers: Vec::new(),
            sites: Vec::new(),
            posts: Vec::new(),
            left: vec![0; tiles],
            kept_clear: vec![false; tiles],
            occupied: vec![false; tiles],
            still: vec![false; tiles],
            piles: vec![false; tiles],
            width,
        };
        for (&at, s) in &field.structures {
            if standing(s, &|kind| kind == rules.store) {
                sights.stores.push(at);
            }
            if standing(s, &|kind| rules.chargers.iter().any(|c| c == kind)) {
                sights.chargers.push(at);
            }
            if field.workable(s) {
                sights.sites.push((at, s.urgent));
            }
            if field.post(s) {
                sights.posts.push(at);
            }
        }
        for &at in sights.stores.iter().chain(&sights.chargers) {
            for next in field.around(at) {
                sights.kept_clear[index(next)] = true;
            }
        }
        // Most tiles were never dug: the whole deposits by tile, then what was dug from them.
        for y in 0..field.map.height {
            for x in 0..field.map.width {
                if let Some((_, whole)) = field.whole_deposit((x, y)) {
                    sights.left[index((x, y))] = whole;
                }
            }
        }
        for (&at, &dug) in &field.dug {
            if let Some(left) = sights.left.get_mut(index(at)) {
                *left = left.saturating_sub(dug);
            }
        }
        for (&at, robot) in &field.occupied {
            sights.occupied[index(at)] = true;
            sights.still[index(at)] = field
                .robots
                .get(robot)
                .is_some_and(|b| b.moved != Some(field.tick));
        }
        for &at in field.piles.keys() {
            sights.piles[index(at)] = true;
        }
        sights
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
    pub fn get(&self, field: &Field) -> &Sights {
        self.0.get_or_init(|| Sights::of(field))
    }

    /// Lets go of what was built or shared, for a field about to change: a copy made before
    /// the change may still fill the shared cell from what it holds.
    pub fn clear(&mut self) {
        if self.0.get().is_some() || Arc::strong_count(&self.0) > 1 {
            *self = Cached::default();
        }
    }
}

/// A cache is not part of what a field is: two fields are equal whatever they have looked up.
impl PartialEq for Cached {
    fn eq(&self, _: &Cached) -> bool {
        true
    }
}

impl Eq for Cached {}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sights")
    }
}
