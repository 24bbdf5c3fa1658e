//! Seeking through a saved game: the projections as of any tick, forward or back, in any order.
//!
//! Keyframes (the projections as of every `KEYFRAME_TICKS`th tick) are derived as the log is
//! folded and kept in memory; a seek starts from the nearest one (or from where the last seek
//! landed, or from a keyframe cached on disk, whichever is nearest) and folds forward only the
//! events in between, keeping the keyframes it passes. Keyframes are never truth: dropping them
//! all only makes the next seek slower. The disk cache is keyed to the build and to the log, so
//! it never outlives the code that made it or the log it was made from.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::event::Event;
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;
use crate::engine::envelope::{Fact, RecordedEvent};
use crate::store::keyframes::{KeyframeCache, Position};
use crate::store::{EventReader, StoreError, TickRange};

/// Ticks between keyframes in memory: a seek folds at most this many ticks of events.
pub const KEYFRAME_TICKS: Tick = 50;
/// Every how many in-memory keyframes one is written to the disk cache.
const CACHED_EVERY: u64 = 10;

pub struct Playback<S> {
    store: S,
    /// `keyframes[i]` is the state once every event of tick `i * KEYFRAME_TICKS` is folded.
    keyframes: BTreeMap<u64, Projections>,
    /// The next keyframe the frontier will close.
    next_keyframe: u64,
    /// The state after every event read so far, and the last of them.
    frontier: Projections,
    frontier_seq: u64,
    /// The highest tick read so far.
    last_tick: Tick,
    /// Where the last seek landed, to step from when that is nearer than a keyframe.
    current: Option<(Tick, Projections)>,
    /// For each event type, the distinct ticks it occurs on, in order.
    marks: BTreeMap<&'static str, Vec<Tick>>,
    /// Keyframes on disk, consulted when none in memory is near.
    cache: Option<KeyframeCache>,
}

impl<S: EventReader> Playback<S> {
    /// Starts with nothing read; seeks read as far as they need.
    pub fn new(store: S) -> Playback<S> {
        Playback {
            store,
            keyframes: BTreeMap::new(),
            next_keyframe: 0,
            frontier: Projections::default(),
            frontier_seq: 0,
            last_tick: 0,
            current: None,
            marks: BTreeMap::new(),
            cache: None,
        }
    }

    /// Reads the whole log, so every tick is a short fold away.
    pub fn open(store: S) -> Result<Playback<S>, StoreError> {
        let mut playback = Playback::new(store);
        playback.read_to(None)?;
        Ok(playback)
    }

    /// Starts from a disk cache's end state and reads only what was appended since: opening a
    /// long game costs one keyframe, not the whole log.
    pub fn open_cached(store: S, cache: KeyframeCache) -> Result<Playback<S>, StoreError> {
        let mut playback = Playback::new(store);
        if let Some((tick, seq, projections)) = cache.last() {
            playback.frontier = projections;
            playback.frontier_seq = seq;
            playback.last_tick = tick;
            playback.next_keyframe = tick.div_ceil(KEYFRAME_TICKS);
            for (kind, ticks) in cache.marks() {
                if let Some(name) = Event::TYPES.iter().find(|t| **t == kind) {
                    playback.marks.insert(name, ticks);
                }
            }
        }
        playback.cache = Some(cache);
        playback.read_to(None)?;
        Ok(playback)
    }

    /// Writes every `CACHED_EVERY`th keyframe and the end state beside `save`, for the next
    /// opening. Only a playback that read the whole log from the start has them all to write.
    pub fn write_cache(&self, save: &Path, mark: Option<String>) -> Result<(), StoreError> {
        let Some(mark) = mark else {
            return Ok(());
        };
        let at = Position {
            seq: self.frontier_seq,
            mark,
        };
        let sparse = self
            .keyframes
            .iter()
            .filter(|(i, _)| *i % CACHED_EVERY == 0)
            .map(|(i, p)| (i * KEYFRAME_TICKS, p));
        let end = std::iter::once((self.last_tick, &self.frontier));
        let marks = self.marks.iter().map(|(k, v)| (*k, v.as_slice()));
        KeyframeCache::write(save, &at, sparse.chain(end), marks)
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// The last tick read: the end of the game as far as this playback knows.
    pub fn last_tick(&self) -> Tick {
        self.last_tick
    }

    pub fn last_seq(&self) -> u64 {
        self.frontier_seq
    }

    pub fn keyframe_count(&self) -> usize {
        self.keyframes.len()
    }

    /// The ticks on which an event of this type occurs.
    pub fn marks(&self, event_type: &str) -> &[Tick] {
        self.marks.get(event_type).map_or(&[], Vec::as_slice)
    }

    /// Folds events past the frontier, up to `to_tick`, closing keyframes as ticks complete.
    fn read_to(&mut self, to_tick: Option<Tick>) -> Result<bool, StoreError> {
        let mut read_any = false;
        let Playback {
            store,
            keyframes,
            next_keyframe,
            frontier,
            frontier_seq,
            last_tick,
            marks,
            ..
        } = self;
        store.scan_facts(*frontier_seq, to_tick, &mut |e: Fact| {
            let tick = e.event.tick();
            // A keyframe's tick is complete once an event of a later tick arrives.
            while tick > *next_keyframe * KEYFRAME_TICKS {
                keyframes.insert(*next_keyframe, frontier.clone());
                *next_keyframe += 1;
            }
            let ticks = marks.entry(e.event.type_name()).or_default();
            if ticks.last() != Some(&tick) {
                ticks.push(tick);
            }
            frontier.apply(&e.event);
            *frontier_seq = e.seq;
            *last_tick = (*last_tick).max(tick);
            read_any = true;
        })?;
        Ok(read_any)
    }

    /// Reads whatever was appended since; true when there was something.
    pub fn refresh(&mut self) -> Result<bool, StoreError> {
        self.read_to(None)
    }

    /// The latest state at or before `tick` that is already known, in memory or on disk.
    fn start_for(&self, tick: Tick) -> (Option<Tick>, Projections) {
        let index = tick / KEYFRAME_TICKS;
        let mut best: (Option<Tick>, Option<&Projections>) = (None, None);
        if let Some((i, keyframe)) = self.keyframes.range(..=index).next_back() {
            best = (Some(i * KEYFRAME_TICKS), Some(keyframe));
        }
        if let Some((at, projections)) = &self.current
            && *at <= tick
            && best.0.is_none_or(|from| *at > from)
        {
            best = (Some(*at), Some(projections));
        }
        let far = best.0.is_none_or(|from| tick - from > KEYFRAME_TICKS);
        if far
            && let Some((at, projections)) = self.cache.as_ref().and_then(|c| c.at_or_before(tick))
            && best.0.is_none_or(|from| at > from)
        {
            return (Some(at), projections);
        }
        (best.0, best.1.cloned().unwrap_or_default())
    }

    /// The projections as of `tick`: every event of that tick and before. Ticks past the end
    /// land on the end.
    pub fn seek(&mut self, tick: Tick) -> Result<Projections, StoreError> {
        if tick >= self.last_tick {
            self.read_to(Some(tick))?;
            if tick >= self.last_tick {
                return Ok(self.frontier.clone());
            }
        }
        // A later tick has been read, so every keyframe up to this one is whole once folded.
        let (from, mut state) = self.start_for(tick);
        if from != Some(tick) {
            let mut next = from.map_or(0, |f| f / KEYFRAME_TICKS + 1);
            let range = TickRange {
                from: from.map(|t| t + 1),
                to: Some(tick),
            };
            for e in self.store.read(range)? {
                while e.tick() > next * KEYFRAME_TICKS {
                    self.keyframes.entry(next).or_insert_with(|| state.clone());
                    next += 1;
                }
                state.apply(&e.event);
            }
            while next * KEYFRAME_TICKS <= tick {
                self.keyframes.entry(next).or_insert_with(|| state.clone());
                next += 1;
            }
        }
        self.current = Some((tick, state.clone()));
        Ok(state)
    }

    /// Every event recorded on `tick`, in log order.
    pub fn events_at(&self, tick: Tick) -> Result<Vec<RecordedEvent>, StoreError> {
        self.store.read(TickRange {
            from: Some(tick),
            to: Some(tick),
        })
    }
}
#[derive(Debug)]
pub enum StateError {
    Store(StoreError),
    /// The requested tick lies past the end of the log.
    PastEnd {
        requested: Tick,
        last: Tick,
    },
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StateError::Store(e) => e.fmt(f),
            StateError::PastEnd { requested, last } => {
                write!(
                    f,
                    "tick {requested} is past the end of the game, which is at tick {last}"
                )
            }
        }
    }
}

impl std::error::Error for StateError {}

/// The projections as they were once tick `at` (default: the last) and everything done during
/// it had been recorded: a seek, exactly as playback does it.
pub fn state_at<S: EventReader>(store: &S, at: Option<Tick>) -> Result<Projections, StateError> {
    let mut playback = Playback::new(store);
    let projections = playback
        .seek(at.unwrap_or(Tick::MAX))
        .map_err(StateError::Store)?;
    if let Some(requested) = at {
        let last = playback.last_tick();
        if requested > last {
            return Err(StateError::PastEnd { requested, last });
        }
    }
    Ok(projections)
}
