//! Seeking through a saved game: the projections as of any tick, forward or back, in any order.
//!
//! Keyframes (the projections as of every few ticks, at most `KEYFRAME_TICKS`) are derived as
//! the log is folded and kept in memory; a seek starts from the nearest one (or from where the
//! last seek landed, or from a keyframe cached on disk, whichever is nearest) and folds forward
//! only the events in between, keeping the keyframes it passes. Keyframes are never truth:
//! dropping them all only makes the next seek slower. The disk cache is keyed to the build and
//! to the log, so it never outlives the code that made it or the log it was made from.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::event::Event;
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;
use crate::engine::envelope::{Fact, RecordedEvent};
use crate::store::keyframes::{Keyframe, KeyframeCache, Position};
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, StoreError, TickRange};

/// Ticks between keyframes in memory, at most: a seek folds at most this many ticks of events.
pub const KEYFRAME_TICKS: Tick = 50;
/// Events between keyframes in memory, about: a stretch of a game that writes many events a
/// tick (a thousand robots at work) gets keyframes every few ticks and a quiet stretch fewer,
/// so a seek folds about this many events at most wherever it lands.
pub const KEYFRAME_EVENTS: u64 = 2_000;
/// Every how many in-memory keyframes one is written to the disk cache.
const CACHED_EVERY: u64 = 10;

/// A state and the last event folded into it.
#[derive(Clone)]
struct Folded {
    seq: u64,
    projections: Projections,
}

pub struct Playback<S> {
    store: S,
    /// Ticks between keyframes on average, from how many events a tick the log holds: a
    /// keyframe in memory nearer than this spares a look in the disk cache.
    every: Tick,
    /// `keyframes[&t]` is the state once every event of tick `t` is folded.
    keyframes: BTreeMap<Tick, Folded>,
    /// The state after every event read so far, and the last of them.
    frontier: Projections,
    frontier_seq: u64,
    /// The highest tick read so far.
    last_tick: Tick,
    /// Where the last seek landed, to step from when that is nearer than a keyframe.
    current: Option<(Tick, Folded)>,
    /// For each event type, the distinct ticks it occurs on, in order.
    marks: BTreeMap<&'static str, Vec<Tick>>,
    /// Keyframes on disk, consulted when none in memory is near.
    cache: Option<KeyframeCache>,
}

/// Keeps `state`, whole for `tick` with `seq` its last event, as a keyframe when the nearest
/// keyframe before it is at least [`KEYFRAME_EVENTS`] events or [`KEYFRAME_TICKS`] ticks back,
/// and the nearest after it as far ahead. Ticks without events between two keyframes need none
/// of their own: a seek starts from the nearest one before and has nothing to fold.
fn keep(
    keyframes: &mut BTreeMap<Tick, Folded>,
    tick: Tick,
    seq: u64,
    state: impl FnOnce() -> Folded,
) {
    let apart = |(from, from_seq): (Tick, u64), (to, to_seq): (Tick, u64)| {
        to_seq.saturating_sub(from_seq) >= KEYFRAME_EVENTS
            || to.saturating_sub(from) >= KEYFRAME_TICKS
    };
    let before = keyframes
        .range(..=tick)
        .next_back()
        .is_none_or(|(t, k)| *t != tick && apart((*t, k.seq), (tick, seq)));
    let after = keyframes
        .range(tick + 1..)
        .next()
        .is_none_or(|(t, k)| apart((tick, seq), (*t, k.seq)));
    if before && after {
        keyframes.insert(tick, state());
    }
}

impl<S: EventReader> Playback<S> {
    /// Starts with nothing read; seeks read as far as they need.
    pub fn new(store: S) -> Playback<S> {
        let events = store.last_seq().unwrap_or(0);
        let ticks = store.tick_at(events).ok().flatten().unwrap_or(0).max(1);
        let every = (KEYFRAME_EVENTS / events.div_ceil(ticks).max(1)).clamp(1, KEYFRAME_TICKS);
        Playback {
            store,
            every,
            keyframes: BTreeMap::new(),
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

    /// Starts from a disk cache's end state, when the log confirms it, reading nothing yet: a
    /// seek before that end starts from the cache's nearest keyframe, one after it from the end.
    pub fn with_cache(store: S, cache: KeyframeCache) -> Playback<S> {
        let mut playback = Playback::new(store);
        if let Some(last) = cache.last().filter(|k| playback.confirms(k)) {
            playback.frontier = last.projections;
            playback.frontier_seq = last.seq;
            playback.last_tick = last.tick;
            for (kind, ticks) in cache.marks() {
                if let Some(name) = Event::TYPES.iter().find(|t| *t == kind) {
                    playback.marks.insert(name, ticks.clone());
                }
            }
            playback.cache = Some(cache);
        }
        playback
    }

    /// [`Playback::with_cache`], then reads what was appended since the cache was written:
    /// opening a long game costs one keyframe, not the whole log.
    pub fn open_cached(store: S, cache: KeyframeCache) -> Result<Playback<S>, StoreError> {
        let mut playback = Playback::with_cache(store, cache);
        playback.read_to(None)?;
        Ok(playback)
    }

    /// Whether the log holds what a cached keyframe claims: its last event at its tick and, for
    /// a whole tick, the next event on a later one. A keyframe that fails is never used.
    fn confirms(&self, keyframe: &Keyframe) -> bool {
        let at = |seq| self.store.tick_at(seq).ok().flatten();
        at(keyframe.seq) == Some(keyframe.tick)
            && (!keyframe.complete || at(keyframe.seq + 1).is_some_and(|t| t > keyframe.tick))
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
            .zip(0..)
            .filter(|((_, k), n)| n % CACHED_EVERY == 0 && k.seq < self.frontier_seq)
            .map(|((tick, k), _)| (k.seq, *tick, true, &k.projections));
        let end = std::iter::once((self.frontier_seq, self.last_tick, false, &self.frontier));
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

    /// The ticks keyframes in memory are whole for, in order.
    pub fn keyframe_ticks(&self) -> impl Iterator<Item = Tick> + '_ {
        self.keyframes.keys().copied()
    }

    /// Whether seeks may start from keyframes cached on disk.
    pub fn cached(&self) -> bool {
        self.cache.is_some()
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
            frontier,
            frontier_seq,
            last_tick,
            marks,
            ..
        } = self;
        store.scan_facts(*frontier_seq, to_tick, &mut |e: Fact| {
            let tick = e.event.tick();
            // A tick is whole once an event of a later tick arrives.
            if *frontier_seq > 0 && tick > *last_tick {
                keep(keyframes, *last_tick, *frontier_seq, || Folded {
                    seq: *frontier_seq,
                    projections: frontier.clone(),
                });
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

    /// The latest state at or before `tick` that is already known, in memory or on disk, and
    /// the tick it is whole for.
    fn start_for(&mut self, tick: Tick) -> (Option<Tick>, Folded) {
        let mut best: (Option<Tick>, Option<&Folded>) = (None, None);
        if let Some((at, keyframe)) = self.keyframes.range(..=tick).next_back() {
            best = (Some(*at), Some(keyframe));
        }
        if let Some((at, folded)) = &self.current
            && *at <= tick
            && best.0.is_none_or(|from| *at > from)
        {
            best = (Some(*at), Some(folded));
        }
        let far = best.0.is_none_or(|from| tick - from > self.every);
        let (from, start) = (best.0, best.1.cloned());
        if far && let Some(cache) = &self.cache {
            match cache.at_or_before(tick) {
                Some(k) if !self.confirms(&k) => self.cache = None,
                Some(k) if from.is_none_or(|f| k.tick > f) => {
                    let folded = Folded {
                        seq: k.seq,
                        projections: k.projections,
                    };
                    return (Some(k.tick), folded);
                }
                _ => {}
            }
        }
        let start = start.unwrap_or(Folded {
            seq: 0,
            projections: Projections::default(),
        });
        (from, start)
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
            let range = TickRange {
                from: from.map(|t| t + 1),
                to: Some(tick),
            };
            // The tick `state` is whole for, once it holds any event.
            let mut whole = from;
            for e in self.store.read(range)? {
                if let Some(done) = whole.filter(|t| e.tick() > *t) {
                    keep(&mut self.keyframes, done, state.seq, || state.clone());
                }
                state.projections.apply(&e.event);
                state.seq = e.seq;
                whole = Some(e.tick());
            }
            keep(&mut self.keyframes, tick, state.seq, || state.clone());
        }
        let projections = state.projections.clone();
        self.current = Some((tick, state));
        Ok(projections)
    }

    /// Every event recorded on `tick`, in log order.
    pub fn events_at(&self, tick: Tick) -> Result<Vec<RecordedEvent>, StoreError> {
        self.store.read(TickRange {
            from: Some(tick),
            to: Some(tick),
        })
    }
}

impl Playback<SqliteStore> {
    /// A save opened for seeking from its keyframe cache, when one proves itself, else from
    /// the start; and the last row the cache stands for, if one was taken. Only a screen uses
    /// a cache before it is checked: showing a cached frame costs far less than folding a long
    /// log, so the screen shows it first and checks the cache against the log
    /// ([`check_cache`]) while the viewer watches.
    pub fn of_save_unchecked(
        store: SqliteStore,
        path: &Path,
    ) -> (Playback<SqliteStore>, Option<u64>) {
        match KeyframeCache::open(path, |seq| store.mark_at(seq)) {
            Some(cache) => {
                let end = cache.end().seq;
                let playback = Playback::with_cache(store, cache);
                let taken = playback.cached().then_some(end);
                (playback, taken)
            }
            None => (Playback::new(store), None),
        }
    }

    /// Stops using the keyframe cache and everything taken from it, folds the whole log
    /// afresh, and leaves a new cache beside `path` in place of the old.
    pub fn forget_cache(&mut self, path: &Path) -> Result<(), StoreError> {
        KeyframeCache::remove(path);
        self.keyframes.clear();
        self.frontier = Projections::default();
        self.frontier_seq = 0;
        self.last_tick = 0;
        self.current = None;
        self.marks.clear();
        self.cache = None;
        self.read_to(None)?;
        let mark = self.store.mark_at(self.frontier_seq);
        // A cache is only a shortcut: a folder that takes none changes nothing.
        let _ = self.write_cache(path, mark);
        Ok(())
    }
}

/// Folds the log beside which a keyframe cache was taken, up to its end and beyond, and says
/// where the cache disagrees with it: every row is read, so the hash chain under the cache is
/// checked too (an altered row is an error). What a screen that showed a cached frame runs
/// behind it.
pub fn check_cache(path: &Path) -> Result<Vec<String>, StoreError> {
    let store = SqliteStore::open_read_only(path)?;
    let cache = KeyframeCache::open(path, |seq| store.mark_at(seq));
    let mut check = CacheCheck::new(cache);
    let mut projections = Projections::default();
    store.scan_facts(0, None, &mut |fact| {
        projections.apply(&fact.event);
        check.at(fact.seq, fact.event.tick(), &projections);
    })?;
    check.finish();
    Ok(check.problems)
}

/// The keyframe cache beside a save, checked against the log as `verify` folds it.
pub struct CacheCheck {
    cache: Option<KeyframeCache>,
    /// Sequence numbers of the keyframes still to compare, in order.
    pending: std::collections::VecDeque<u64>,
    pub compared: usize,
    /// Keyframes that fail their own digest: never used, so a note, not a finding.
    pub damaged: Vec<u64>,
    /// Intact keyframes the log contradicts: these would be shown, so each is a finding.
    pub problems: Vec<String>,
    /// A keyframe that claims to hold a whole tick, until the next row shows whether it does.
    whole: Option<(u64, Tick)>,
}

impl CacheCheck {
    pub fn new(cache: Option<KeyframeCache>) -> CacheCheck {
        let pending = cache
            .as_ref()
            .map_or_else(Default::default, |c| c.sequences().into_iter().collect());
        CacheCheck {
            cache,
            pending,
            compared: 0,
            damaged: Vec::new(),
            problems: Vec::new(),
            whole: None,
        }
    }

    /// Compares the keyframe folded to `seq`, if there is one, with the log's fold there.
    pub fn at(&mut self, seq: u64, tick: Tick, folded: &Projections) {
        let Some(cache) = &self.cache else {
            return;
        };
        if let Some((at, whole)) = self.whole.take()
            && tick <= whole
        {
            self.problems.push(format!(
                "the keyframe at seq {at} claims all of tick {whole}, but the log goes on with it"
            ));
        }
        while self.pending.front().is_some_and(|s| *s < seq) {
            self.pending.pop_front();
            self.problems
                .push("a keyframe lies between rows of the log".into());
        }
        if self.pending.front() != Some(&seq) {
            return;
        }
        self.pending.pop_front();
        self.compared += 1;
        match cache.at_seq(seq) {
            None => self.damaged.push(seq),
            Some(k) if k.tick != tick || k.projections != *folded => self.problems.push(format!(
                "the keyframe at seq {seq} (tick {}) differs from the log",
                k.tick
            )),
            Some(k) => self.whole = k.complete.then_some((seq, k.tick)),
        }
    }

    /// Ends the check once the log has been folded to its end.
    pub fn finish(&mut self) {
        if !self.pending.is_empty() {
            self.pending.clear();
            self.problems
                .push("the keyframe cache holds keyframes past the log's end".into());
        }
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
pub fn state_at<S: EventReader>(store: S, at: Option<Tick>) -> Result<Projections, StateError> {
    seek_state(&mut Playback::new(store), at)
}

/// [`state_at`] through a playback that may already know keyframes (a save's cache).
pub fn seek_state<S: EventReader>(
    playback: &mut Playback<S>,
    at: Option<Tick>,
) -> Result<Projections, StateError> {
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
