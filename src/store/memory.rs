//! An event store in a `Vec`, for tests and for scripts run without `--save`.

use std::collections::HashMap;

use super::{EventReader, EventStore, StoreError, TickRange};
use crate::domain::ids::Tick;
use crate::engine::envelope::RecordedEvent;

#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    events: Vec<RecordedEvent>,
    versions: HashMap<String, u64>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// The log, handed over without a copy.
    pub fn into_events(self) -> Vec<RecordedEvent> {
        self.events
    }
}

impl EventReader for MemoryStore {
    fn scan_range(
        &self,
        range: TickRange,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        self.events
            .iter()
            .filter(|e| range.contains(e.tick()))
            .for_each(|e| visit(e.clone()));
        Ok(())
    }

    fn scan(
        &self,
        after_seq: u64,
        to_tick: Option<u64>,
        visit: &mut dyn FnMut(RecordedEvent),
    ) -> Result<(), StoreError> {
        self.events
            .iter()
            .filter(|e| e.seq > after_seq && to_tick.is_none_or(|t| e.tick() <= t))
            .for_each(|e| visit(e.clone()));
        Ok(())
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        Ok(self.events.len() as u64)
    }

    fn tick_at(&self, seq: u64) -> Result<Option<Tick>, StoreError> {
        let index = usize::try_from(seq).ok().and_then(|s| s.checked_sub(1));
        Ok(index
            .and_then(|i| self.events.get(i))
            .map(RecordedEvent::tick))
    }
}

impl EventStore for MemoryStore {
    fn append(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let mut versions = self.versions.clone();
        let mut seq = self.events.len() as u64;
        for e in events {
            seq += 1;
            if e.seq != seq {
                return Err(StoreError::Conflict {
                    reason: format!("event {} does not follow event {}", e.seq, seq - 1),
                });
            }
            let version = versions.entry(e.stream.clone()).or_insert(0);
            if e.version != *version + 1 {
                return Err(StoreError::Conflict {
                    reason: format!(
                        "{} is at version {}, not {}",
                        e.stream,
                        version,
                        e.version.saturating_sub(1)
                    ),
                });
            }
            *version = e.version;
        }
        self.versions = versions;
        self.events.extend_from_slice(events);
        Ok(())
    }
}
