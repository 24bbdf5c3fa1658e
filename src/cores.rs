//! Work shared out over the machine's cores: a slice cut into batches that the workers take in
//! turn, each on its own scoped thread, the results gathered in the slice's order, so the
//! outcome is the one the calling thread would have reached alone, on any number of cores.

use std::num::NonZero;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Workers for `items` items of which each worker should get at least `least`: one a core,
/// fewer when there are too few items to be worth a thread.
pub fn workers(items: usize, least: usize) -> usize {
    let wanted = items / least.max(1);
    if wanted <= 1 {
        return 1;
    }
    cores().min(wanted)
}

/// The machine's cores, asked once: asking reads the cgroup's files each time (26 µs here, an
/// eighth of a live tick's time when it was asked every tick).
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, NonZero::get))
}

/// Batches each worker takes in turn: small enough that a worker slowed by its items, a shared
/// search it waits on or another process on its core leaves at most a batch for the others to
/// wait out, large enough that taking one costs nothing beside its work.
const BATCHES_A_WORKER: usize = 32;

/// `work` applied to `items` by `workers` threads (the calling thread alone for one), its
/// results in the order of `items`. The calling thread works beside the ones it starts; each
/// takes the next batch of items when it finishes one, so that one slow run of items does not
/// hold the others up. A panic on a worker is raised again on the caller.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    if workers <= 1 || items.len() < 2 {
        return work(items);
    }
    let batch = items.len().div_ceil(workers * BATCHES_A_WORKER);
    let batches: Vec<&[T]> = items.chunks(batch).collect();
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(items) = batches.get(i) else {
                return done;
            };
            done.push((i, work(items)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(take)).collect();
        let mut done = take();
        for handle in handles {
            done.extend(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().flat_map(|(_, results)| results).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_workers_gives_the_order_one_would() {
        let items: Vec<u32> = (0..1000).collect();
        let square = |items: &[u32]| items.iter().map(|n| n * n).collect::<Vec<_>>();
        let alone = in_order(&items, 1, square);
        for workers in [2, 3, 7, 1000, 5000] {
            assert_eq!(in_order(&items, workers, square), alone);
        }
        assert_eq!(workers(10, 64), 1);
        assert!(workers(1_000_000, 1) >= 1);
    }
}
