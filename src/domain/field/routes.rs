//! Way-finding shared by one tick's programs: many robots head for the same places (their
//! headquarters, a site, a charger), and each used to search the whole way from the goal to
//! itself. Here one search per goal grows only as far as the robot furthest from it needs.
//!
//! A search is breadth first from the goal, around rock and buildings, and answers for a tile
//! once every tile as near as it is has its count; counts never change once set, so a robot
//! gets the same step however far others have already grown the search, in whatever order the
//! threads of a tick ask.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

pub type Tile = (u16, u16);

/// Which tiles a search goes through besides rock and buildings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Around {
    /// Through every robot: they move.
    Nothing,
    /// Not through a robot that stood still the tick before: it may stay where it is.
    StillRobots,
}

/// A search's goals and what it goes around: what the tick shares its search by.
type Goal = (Vec<Tile>, Around);

/// The searches of one tick, by goal.
#[derive(Default)]
pub struct Routes {
    searches: Mutex<HashMap<Goal, Arc<Mutex<Search>>>>,
}

impl Routes {
    /// The search for `goals`, going `around` what it does, shared by the tick.
    fn search(&self, goals: &[Tile], around: Around) -> Arc<Mutex<Search>> {
        let mut searches = self.searches.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            searches
                .entry((goals.to_vec(), around))
                .or_insert_with(|| Arc::new(Mutex::new(Search::from(goals)))),
        )
    }

    /// Hands `then` the steps to the nearest of `goals`, known for `start` and every tile at
    /// most as far (`u32::MAX` where there is no way), searching through the tiles `open`
    /// gives next to each.
    pub fn counts<T>(
        &self,
        goals: &[Tile],
        start: Tile,
        open: impl Fn(Tile) -> [Option<Tile>; 4],
        then: impl FnOnce(&dyn Fn(Tile) -> u32) -> T,
    ) -> T {
        let search = self.search(goals, Around::Nothing);
        let mut search = search.lock().unwrap_or_else(PoisonError::into_inner);
        search.grow_to(start, open);
        then(&|t| search.count(t))
    }

    /// [`Routes::counts`] for a search that goes around still robots, which may stand on
    /// `start` itself: hands `then` the steps known for every tile of `near` (the start and
    /// the tiles around it) at most one further than the nearest of them, and `u32::MAX` for
    /// any further than `limit`. The limit keeps a robot walled in by others from searching
    /// the whole map; counts past it are never used, so how far others grew the search does
    /// not change the answer.
    pub fn counts_near<T>(
        &self,
        goals: &[Tile],
        near: &[Tile],
        limit: u32,
        open: impl Fn(Tile) -> [Option<Tile>; 4],
        then: impl FnOnce(&dyn Fn(Tile) -> u32) -> T,
    ) -> T {
        let search = self.search(goals, Around::StillRobots);
        let mut search = search.lock().unwrap_or_else(PoisonError::into_inner);
        search.grow_near(near, limit, open);
        then(&|t| {
            Some(search.count(t))
                .filter(|n| *n <= limit)
                .unwrap_or(u32::MAX)
        })
    }
}

/// Tiles as keys need no defence against chosen collisions: a multiply and a shift.
#[derive(Default)]
struct TileHasher(u64);

impl Hasher for TileHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u16(&mut self, n: u16) {
        self.0 = (self.0.rotate_left(16) ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

struct Search {
    counts: HashMap<Tile, u32, BuildHasherDefault<TileHasher>>,
    /// Tiles to search from, each with its count, nearest first.
    queue: VecDeque<(Tile, u32)>,
}

impl Search {
    fn from(goals: &[Tile]) -> Search {
        let mut counts = HashMap::default();
        for &goal in goals {
            counts.insert(goal, 0);
        }
        Search {
            counts,
            queue: goals.iter().map(|&goal| (goal, 0)).collect(),
        }
    }

    fn count(&self, at: Tile) -> u32 {
        self.counts.get(&at).copied().unwrap_or(u32::MAX)
    }

    /// Grows the search until one of `near` has its count `n` and every tile at most `n + 1`
    /// away has its count too, or every tile at most `limit + 1` away has one, or there is
    /// nothing more to search.
    fn grow_near(&mut self, near: &[Tile], limit: u32, open: impl Fn(Tile) -> [Option<Tile>; 4]) {
        let mut nearest = near
            .iter()
            .map(|t| self.count(*t))
            .min()
            .unwrap_or(u32::MAX);
        while let Some(&(at, here)) = self.queue.front() {
            if (nearest != u32::MAX && here > nearest) || here > limit {
                break;
            }
            self.queue.pop_front();
            for next in self.reach(at, here, &open).into_iter().flatten() {
                if near.contains(&next) {
                    nearest = nearest.min(here + 1);
                }
            }
        }
    }

    /// Grows the search until `start` has its count and every tile nearer the goal has been
    /// searched from, so that every tile as near as `start` has its count too.
    fn grow_to(&mut self, start: Tile, open: impl Fn(Tile) -> [Option<Tile>; 4]) {
        let mut wanted = self.count(start);
        while let Some(&(at, here)) = self.queue.front() {
            if here >= wanted {
                break;
            }
            self.queue.pop_front();
            if self.reach(at, here, &open).contains(&Some(start)) {
                wanted = here + 1;
            }
        }
    }

    /// Counts the tiles next to `at` (which is `here` steps away) that had no count yet, and
    /// queues them: the tiles it counted, in the order `open` gave them.
    fn reach(
        &mut self,
        at: Tile,
        here: u32,
        open: &impl Fn(Tile) -> [Option<Tile>; 4],
    ) -> [Option<Tile>; 4] {
        let mut counted = [None; 4];
        for (slot, next) in counted.iter_mut().zip(open(at)) {
            let Some(next) = next else { continue };
            if let Entry::Vacant(new) = self.counts.entry(next) {
                new.insert(here + 1);
                self.queue.push_back((next, here + 1));
                *slot = Some(next);
            }
        }
        counted
    }
}

/// A cache is not part of what a field is: two fields are equal whatever they have searched.
impl PartialEq for Routes {
    fn eq(&self, _: &Routes) -> bool {
        true
    }
}

impl Eq for Routes {}

impl std::fmt::Debug for Routes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Routes")
    }
}
