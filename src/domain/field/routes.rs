//! Way-finding shared by one tick's programs: many robots head for the same places (their
//! headquarters, a site, a charger), and each used to search the whole way from the goal to
//! itself. Here one search per goal grows only as far as the robot furthest from it needs.
//!
//! A search is breadth first from the goal, around rock and buildings, and answers for a tile
//! once every tile as near as it is has its count; counts never change once set, so a robot
//! gets the same step however far others have already grown the search, in whatever order the
//! threads of a tick ask.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use crate::domain::fasthash::FastMap;

pub type Tile = (u16, u16);

/// A map's width and height, in tiles.
pub type Size = (u16, u16);

/// Which tiles a search goes through besides rock and buildings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Around {
    /// Through every robot: they move.
    Nothing,
    /// Not through a robot that stood still the tick before: it may stay where it is.
    StillRobots,
}

/// One tick's searches going around one thing, by their goals.
type Searches = FastMap<Vec<Tile>, Arc<Mutex<Search>>>;

/// The searches of one tick on one map, by what they go around and their goals.
pub struct Routes {
    size: Size,
    searches: Mutex<(Searches, Searches)>,
}

impl Routes {
    /// No searches yet, on a map of `size`.
    pub fn new(size: Size) -> Routes {
        Routes {
            size,
            searches: Mutex::default(),
        }
    }

    /// The search for `goals`, going `around` what it does, shared by the tick. Found by the
    /// goals as asked, without a copy of them: most asks find one.
    fn search(&self, goals: &[Tile], around: Around) -> Arc<Mutex<Search>> {
        let mut both = self.searches.lock().unwrap_or_else(PoisonError::into_inner);
        let searches = match around {
            Around::Nothing => &mut both.0,
            Around::StillRobots => &mut both.1,
        };
        if let Some(search) = searches.get(goals) {
            return Arc::clone(search);
        }
        let search = Arc::new(Mutex::new(Search::from(goals, self.size)));
        searches.insert(goals.to_vec(), Arc::clone(&search));
        search
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
        exact: bool,
        open: impl Fn(Tile) -> [Option<Tile>; 4],
        then: impl FnOnce(&dyn Fn(Tile) -> u32) -> T,
    ) -> T {
        let search = self.search(goals, Around::StillRobots);
        let mut search = search.lock().unwrap_or_else(PoisonError::into_inner);
        // The tiles of `near` lie at most two further than the nearest of them. Ruleset 2 grew
        // the search until one further had its counts, and told two further only when some
        // robot had grown it that far, so a step could depend on which robots asked first;
        // from ruleset 3 it grows until two further have theirs, for every robot alike.
        let beyond = if exact { 2 } else { 1 };
        let nearest = search.grow_near(near, limit, beyond, open);
        let known = if exact {
            limit.min(nearest.saturating_add(beyond))
        } else {
            limit
        };
        then(&|t| {
            Some(search.count(t))
                .filter(|n| *n <= known)
                .unwrap_or(u32::MAX)
        })
    }
}

/// A side of the square blocks [`Steps`] keeps its counts in, as a power of two.
const BLOCK_BITS: usize = 3;
const BLOCK: usize = 1 << BLOCK_BITS;

/// Steps from a search's goals by tile, in blocks of 8 by 8 tiles made as the search first
/// reaches into each. A search reaches a hundred tiles or so of a map of tens of thousands: a
/// map-sized array a search would be mostly zeroes to write, and a hash map spent a tenth of the
/// robots' work hashing tiles; here a tile is found by two indexes.
struct Steps {
    size: Size,
    /// Blocks across the map.
    across: usize,
    /// Each block's place in `blocks` plus one, by block row by row; 0 for one not reached.
    index: Vec<u32>,
    blocks: Vec<[u32; BLOCK * BLOCK]>,
}

impl Steps {
    fn new((width, height): Size) -> Steps {
        let across = usize::from(width).div_ceil(BLOCK);
        let down = usize::from(height).div_ceil(BLOCK);
        Steps {
            size: (width, height),
            across,
            index: vec![0; across * down],
            blocks: Vec::new(),
        }
    }

    /// The block of `at` and its place in the block; none off the map.
    fn place(&self, (x, y): Tile) -> Option<(usize, usize)> {
        if x >= self.size.0 || y >= self.size.1 {
            return None;
        }
        let (x, y) = (usize::from(x), usize::from(y));
        let block = (y >> BLOCK_BITS) * self.across + (x >> BLOCK_BITS);
        Some((block, ((y & (BLOCK - 1)) << BLOCK_BITS) | (x & (BLOCK - 1))))
    }

    /// The steps known for `at`: `u32::MAX` for none.
    fn get(&self, at: Tile) -> u32 {
        let Some((block, i)) = self.place(at) else {
            return u32::MAX;
        };
        self.index
            .get(block)
            .and_then(|&n| self.blocks.get((n as usize).checked_sub(1)?))
            .map_or(u32::MAX, |steps| steps[i])
    }

    /// Gives `at` the count `steps` if it has none (and lies on the map): whether it did.
    fn set_new(&mut self, at: Tile, steps: u32) -> bool {
        let Some((block, i)) = self.place(at) else {
            return false;
        };
        let Some(n) = self.index.get_mut(block) else {
            return false;
        };
        if *n == 0 {
            self.blocks.push([u32::MAX; BLOCK * BLOCK]);
            *n = self.blocks.len() as u32;
        }
        match self.blocks.get_mut(*n as usize - 1) {
            Some(counts) if counts[i] == u32::MAX => {
                counts[i] = steps;
                true
            }
            _ => false,
        }
    }
}

struct Search {
    counts: Steps,
    /// Tiles to search from, each with its count, nearest first.
    queue: VecDeque<(Tile, u32)>,
}

impl Search {
    fn from(goals: &[Tile], size: Size) -> Search {
        let mut counts = Steps::new(size);
        for &goal in goals {
            counts.set_new(goal, 0);
        }
        Search {
            counts,
            queue: goals.iter().map(|&goal| (goal, 0)).collect(),
        }
    }

    fn count(&self, at: Tile) -> u32 {
        self.counts.get(at)
    }

    /// Grows the search until one of `near` has its count `n` and every tile at most
    /// `n + beyond` away has its count too, or every tile at most `limit + 1` away has one, or
    /// there is nothing more to search; and says `n` (`u32::MAX` for none within reach).
    fn grow_near(
        &mut self,
        near: &[Tile],
        limit: u32,
        beyond: u32,
        open: impl Fn(Tile) -> [Option<Tile>; 4],
    ) -> u32 {
        let mut nearest = near
            .iter()
            .map(|t| self.count(*t))
            .min()
            .unwrap_or(u32::MAX);
        while let Some(&(at, here)) = self.queue.front() {
            if (nearest != u32::MAX && here.saturating_add(1) > nearest.saturating_add(beyond))
                || here > limit
            {
                break;
            }
            self.queue.pop_front();
            for next in self.reach(at, here, &open).into_iter().flatten() {
                if near.contains(&next) {
                    nearest = nearest.min(here + 1);
                }
            }
        }
        nearest
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
            if self.counts.set_new(next, here + 1) {
                self.queue.push_back((next, here + 1));
                *slot = Some(next);
            }
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::{Routes, Steps, Tile};

    #[test]
    fn steps_keep_a_count_for_every_tile_of_a_map_and_none_off_it() {
        // Neither side a multiple of the blocks' side.
        let mut steps = Steps::new((13, 9));
        let tiles = (0..9).flat_map(|y| (0..13).map(move |x| (x, y)));
        for (n, at) in tiles.clone().enumerate() {
            assert_eq!(steps.get(at), u32::MAX);
            assert!(steps.set_new(at, n as u32));
            assert!(!steps.set_new(at, 0), "a count never changes once set");
        }
        for (n, at) in tiles.enumerate() {
            assert_eq!(steps.get(at), n as u32);
        }
        for off in [(13, 0), (16, 0), (0, 9), (0, 16), (200, 200)] {
            assert!(!steps.set_new(off, 1));
            assert_eq!(steps.get(off), u32::MAX);
        }
    }

    /// A 20x5 field with nothing in the way but the still robot on (10,2), the one asking.
    fn open(at: Tile) -> [Option<Tile>; 4] {
        let step = |dx: i32, dy: i32| {
            let (x, y) = (i32::from(at.0) + dx, i32::from(at.1) + dy);
            let inside = (0..20).contains(&x) && (0..5).contains(&y) && (x, y) != (10, 2);
            inside.then(|| (u16::try_from(x).unwrap(), u16::try_from(y).unwrap()))
        };
        [step(0, -1), step(0, 1), step(-1, 0), step(1, 0)]
    }

    fn near(at: Tile) -> Vec<Tile> {
        vec![
            at,
            (at.0, at.1 - 1),
            (at.0, at.1 + 1),
            (at.0 - 1, at.1),
            (at.0 + 1, at.1),
        ]
    }

    /// What the robot on (10,2) is told, with or without a robot further off asking first.
    fn told(exact: bool, other_first: bool) -> Vec<u32> {
        let routes = Routes::new((20, 5));
        let goals = [(0, 2)];
        if other_first {
            routes.counts_near(&goals, &near((18, 2)), 40, exact, open, |_| ());
        }
        let mine = near((10, 2));
        routes.counts_near(&goals, &mine, 40, exact, open, |steps| {
            mine.iter().map(|t| steps(*t)).collect()
        })
    }

    #[test]
    fn a_way_around_still_robots_is_the_same_whoever_asked_first() {
        // Its own tile is closed; (9,2) is 9 steps off, (10,1) and (10,3) two further.
        assert_eq!(told(true, false), vec![u32::MAX, 11, 11, 9, u32::MAX]);
        assert_eq!(told(true, true), told(true, false));
        // Ruleset 2 told the tiles two further only once another robot had searched past them.
        assert_eq!(
            told(false, false),
            vec![u32::MAX, u32::MAX, u32::MAX, 9, u32::MAX]
        );
        assert_ne!(told(false, true), told(false, false));
    }
}
