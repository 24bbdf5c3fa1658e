//! `lunar bench`: how fast the engine is on this machine, as figures from one run.
//!
//! Playback figures so far: opening a save (folding it and building keyframes), the heap that
//! playback keeps, and the latency of random seeks. Timings read the wall clock, so this module
//! is shell, and its figures are for reading, never for asserting in tests.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::alloc;
use crate::playback::Playback;
use crate::store::StoreError;
use crate::store::sqlite::SqliteStore;

#[derive(Serialize)]
pub struct PlaybackFigures {
    pub events: u64,
    pub ticks: u64,
    pub keyframes: usize,
    pub open_ms: f64,
    /// Heap held by playback once open: keyframes, marks and the end state.
    pub playback_bytes: usize,
    /// The most heap in use while opening.
    pub open_peak_bytes: usize,
    pub seeks: usize,
    pub seek_p50_ms: f64,
    pub seek_p99_ms: f64,
    pub seek_max_ms: f64,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The `p`th percentile (0-100) of sorted samples.
fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// Opens `path` for playback and seeks to `seeks` ticks drawn from a fixed seed.
pub fn playback(path: &Path, seeks: usize) -> Result<PlaybackFigures, StoreError> {
    let before = alloc::live_bytes();
    alloc::reset_peak();
    let started = Instant::now();
    let store = SqliteStore::open_read_only(path)?;
    let mut playback = Playback::open(store)?;
    let open_ms = ms(started);
    let open_peak_bytes = alloc::peak_bytes().saturating_sub(before);
    let playback_bytes = alloc::live_bytes().saturating_sub(before);
    let ticks = playback.last_tick();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut samples = Vec::with_capacity(seeks);
    for _ in 0..seeks {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let tick = state % (ticks + 1);
        let started = Instant::now();
        playback.seek(tick)?;
        samples.push(ms(started));
    }
    samples.sort_by(f64::total_cmp);
    Ok(PlaybackFigures {
        events: playback.last_seq(),
        ticks,
        keyframes: playback.keyframe_count(),
        open_ms,
        playback_bytes,
        open_peak_bytes,
        seeks,
        seek_p50_ms: percentile(&samples, 50),
        seek_p99_ms: percentile(&samples, 99),
        seek_max_ms: samples.last().copied().unwrap_or(0.0),
    })
}
