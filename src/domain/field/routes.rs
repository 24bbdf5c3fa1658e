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
use std::sync::{Arc, Mutex, PoisonError};

use crate::domain::fasthash::FastMap;

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

/// Tiles a search has room for before it grows.
const SEARCH_ROOM: usize = 1024;

struct Search {
    counts: FastMap<Tile, u32>,
    /// Tiles to search from, each with its count, nearest first.
    queue: VecDeque<(Tile, u32)>,
}

impl Search {
    fn from(goals: &[Tile]) -> Search {
        // Room for the tiles a search usually reaches: growing from nothing rehashed it six
        // times on the way, 3.5% of the robots' work.
        let mut counts = FastMap::with_capacity_and_hasher(SEARCH_ROOM, Default::default());
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
            if let Entry::Vacant(new) = self.counts.entry(next) {
                new.insert(here + 1);
                self.queue.push_back((next, here + 1));
                *slot = Some(next);
            }
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::{Routes, Tile};

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
        let routes = Routes::default();
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
