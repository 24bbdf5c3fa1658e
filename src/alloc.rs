//! Counting the heap: a global allocator that tallies live and peak bytes, so the benchmark (and
//! the tests) can report memory from inside the process. The binary and the test binary install
//! it; it counts only on a thread that called [`start`] (or one such a thread started to share
//! its work), so play pays one thread-local read per allocation and nothing more, and tests
//! running beside each other do not count each other.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The allocator underneath the counting: a long read frees on one thread the events another
/// decoded, which the system allocator makes slow.
static HEAP: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
}
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counts this thread's allocations from now on. Memory allocated before is not counted, and
/// freeing it is ignored where it would count below zero.
pub fn start() {
    ON.with(|on| on.set(true));
}

/// Counts this thread's allocations until the guard is dropped: what a measurement of memory
/// wraps, so that the work around it pays nothing for counting.
pub fn counted() -> Counted {
    let was = counting();
    ON.with(|on| on.set(true));
    Counted { was }
}

pub struct Counted {
    was: bool,
}

impl Drop for Counted {
    fn drop(&mut self) {
        let was = self.was;
        let _ = ON.try_with(|on| on.set(was));
    }
}

/// Whether this thread counts: a thread started to do part of a counted thread's work asks
/// before it starts, and calls [`start`] if so, so that the work is counted wherever it runs.
pub fn counting() -> bool {
    ON.try_with(Cell::get).unwrap_or(false)
}

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |live| {
        Some(live.saturating_sub(bytes))
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { HEAP.alloc(layout) };
        if !ptr.is_null() && counting() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { HEAP.dealloc(ptr, layout) };
        if counting() {
            shrink(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let new = unsafe { HEAP.realloc(ptr, layout, new_size) };
        if !new.is_null() && counting() {
            shrink(layout.size());
            grow(new_size);
        }
        new
    }
}

/// Bytes allocated and not yet freed; 0 unless the binary installed [`Counting`].
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most ever live since the last [`reset_peak`].
pub fn peak_bytes() -> usize {
    PEAK.load(Ordering::Relaxed)
}

pub fn reset_peak() {
    PEAK.store(live_bytes(), Ordering::Relaxed);
}
