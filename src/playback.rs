//! Seeking through a saved game: the projections as of any tick, forward or back, in any order.
//!
//! Keyframes (the projections as of every `KEYFRAME_TICKS`th tick) are derived as the log is
//! folded and kept in memory; a seek starts from the nearest keyframe (or from where the last
//! seek landed, when that is nearer) and folds forward only the events in between. Keyframes are
//! never truth: dropping them all only makes the next seek slower. They are built by this build's
//! projectors and live only as long as this process, so they never outlive the code that made
//! them.

use std::collections::BTreeMap;

use crate::domain::ids::Tick;
use crate::domain::projection::Projections;
use crate::engine::envelope::{Fact, RecordedEvent};
use crate::store::{EventReader, StoreError, TickRange};

/// Ticks between keyframes: a seek folds at most this many ticks of events.
pub const KEYFRAME_TICKS: Tick = 50;

pub struct Playback<S> {
    store: S,
    /// `keyframes[i]` is the state once every event of tick `i * KEYFRAME_TICKS` is folded.
    keyframes: Vec<Projections>,
    /// The state after every event read so far, and the last of them.
    frontier: Projections,
    frontier_seq: u64,
    /// The highest tick read so far.
    last_tick: Tick,
    /// Where the last seek landed, to step from when that is nearer than a keyframe.
    current: Option<(Tick, Projections)>,
    /// For each event type, the distinct ticks it occurs on, in order.
    marks: BTreeMap<&'static str, Vec<Tick>>,
}

impl<S: EventReader> Playback<S> {
    /// Starts with nothing read; seeks read as far as they need.
    pub fn new(store: S) -> Playback<S> {
        Playback {
            store,
            keyframes: Vec::new(),
            frontier: Projections::default(),
            frontier_seq: 0,
            last_tick: 0,
            current: None,
            marks: BTreeMap::new(),
        }
    }

    /// Reads the whole log, so every tick is a short fold away.
    pub fn open(store: S) -> Result<Playback<S>, StoreError> {
        let mut playback = Playback::new(store);
        playback.read_to(None)?;
        Ok(playback)
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
            frontier,
            frontier_seq,
            last_tick,
            marks,
            ..
        } = self;
        store.scan_facts(*frontier_seq, to_tick, &mut |e: Fact| {
            let tick = e.event.tick();
            // A keyframe's tick is complete once an event of a later tick arrives.
            while tick > keyframes.len() as Tick * KEYFRAME_TICKS {
                keyframes.push(frontier.clone());
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

    /// The projections as of `tick`: every event of that tick and before. Ticks past the end
    /// land on the end.
    pub fn seek(&mut self, tick: Tick) -> Result<Projections, StoreError> {
        if tick >= self.last_tick {
            self.read_to(Some(tick))?;
            if tick >= self.last_tick {
                return Ok(self.frontier.clone());
            }
        }
        // A later tick has been read, so every keyframe up to this tick's is closed.
        let index = usize::try_from(tick / KEYFRAME_TICKS).unwrap_or(usize::MAX);
        let (mut from, mut state) = match self.keyframes.get(index) {
            Some(keyframe) => (Some(index as Tick * KEYFRAME_TICKS), keyframe.clone()),
            None => (None, Projections::default()),
        };
        if let Some((at, projections)) = &self.current
            && *at <= tick
            && from.is_none_or(|from| *at > from)
        {
            (from, state) = (Some(*at), projections.clone());
        }
        if from != Some(tick) {
            let range = TickRange {
                from: from.map(|t| t + 1),
                to: Some(tick),
            };
            for e in self.store.read(range)? {
                state.apply(&e.event);
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
